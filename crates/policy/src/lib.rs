//! Policy: the clauses of 教技函〔2019〕55号 (`JJH55`) and 教技司〔2019〕265号 (`JJS265`) that
//! a static scan can speak to, weighed by how the app is adopted.
//!
//! ```text
//! PackageScan + Findings ─► evaluate(scan, findings, &ContextSet, scan_date) ─► PolicyResult
//!                                                   { verdict, reasons, clauses[], filing }
//! ```
//!
//! * [`catalogue()`] — the clause catalogue (`clauses.toml`, embedded): id, document, clause
//!   number, the original Chinese text, summaries, static evidence and manual checks.
//! * [`ContextSet`] — `mandated` (统一使用), `recommended` (推荐使用), `minors` (K-12),
//!   `higher-ed` (高校管理服务类); parsed from `mandated,minors`. `mandated`+`recommended` and
//!   `minors`+`higher-ed` are rejected. The empty set means "not specified".
//! * [`evaluate`] / [`evaluate_with`] — one [`ClauseResult`] per clause with a [`Status`], the
//!   evidence that decided it (with locations), reasons (zh + en), manual checks and the ids of
//!   the rules that fired ([`rules()`] lists them all, [`render_rules`] one line per clause).
//! * [`Verdict`] — `fail` if any clause is a violation, `needs-review` if any needs review,
//!   `pass` otherwise.
//!
//! ## Decisions
//!
//! * Context. JJH55 (十一) clauses are not-applicable under an explicit context without
//!   `mandated`; with no context they need review when there is evidence. JJS265 clauses are
//!   not-applicable under an explicit context without `higher-ed` (the plan covers higher-
//!   education management/service apps); with no context they are evaluated. JJH55-5-minors
//!   needs review under `minors` and is not-applicable otherwise.
//! * Evidence strength. A (十一) violation needs strong or medium SDK evidence (code, components,
//!   libraries, configuration keys), and its evidence lists only what decided it; weak evidence
//!   (referenced types, domains, SKAdNetwork ids) only needs review, with a reason that says
//!   which weak kinds were seen. A payment SDK that is also a social SDK (WeChat Open SDK), or
//!   whose only evidence is a linked system framework (StoreKit, also used for review prompts),
//!   needs review. The needs-review clauses decided by SDK categories (ads, UGC/IM, face,
//!   identity) name weakly evidenced SDKs in a reason of their own.
//! * Language. Reasons and manual checks are [`Text`] (zh + en); an [`EvidenceRef`]'s `detail`
//!   is English and `detail_zh` Chinese when the detail has words of ours ([`labels`] has
//!   them); values from the package are never translated.
//! * JJH55-7. Violations: debuggable; signed with a debug or public test key (anyone can sign a
//!   fake update). Needs review: testOnly, cleartext permitted, per-domain cleartext, user CAs
//!   trusted, allowBackup true/unset, exported components without permission (launcher
//!   excepted), v1-only or no signature, weak certificate, target SDK below 30, plain-HTTP URLs.
//! * Filing (JJH55-4, JJS265-3-1), blacklist (JJH55-16) and registry diff (JJS265-annex-1) are
//!   not-checkable unless the input is given ([`Inputs`]); the filing record is always produced.
//! * Staleness (JJS265-3-5): the build date is the newest of the signing time and the newest
//!   zip entry time (ignored when every entry carries the same pre-2008 placeholder date); more
//!   than six calendar months before the scan date needs review, as does an unknown date.
//! * Incomplete analysis (packer, runtime code loading, embedded or encrypted code): any clause
//!   that would pass needs review instead, so the verdict is never a clean pass.

#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

mod catalogue;
mod context;
mod date;
mod inputs;
pub mod labels;
mod result;
mod rules;

pub use catalogue::{
    catalogue, catalogue_error, clause, documents, render_catalogue, Clause, Document,
    EvidenceBasis, Lang, LangError, CLAUSES_TOML,
};
pub use context::{Context, ContextError, ContextSet};
pub use date::{Date, DateError};
pub use inputs::{Blacklist, FiledApp, Inputs, Registry, Thresholds};
pub use labels::{
    caller_label, category_label, completeness_label, component_kind_label, evidence_kind_label,
    exported_reason_label, join_labels, level_label, modality_label, sdk_category_label,
    strength_label,
};
pub use result::{
    ClauseResult, EvidenceRef, FilingCertificate, FilingRecord, FilingSdk, PolicyResult, RefKind,
    Status, Text, Verdict,
};
pub use rules::{
    evaluate, evaluate_with, evaluated_clause_ids, filing_record, incomplete_zh,
    personal_information_categories, render_rules, rules, RuleDef, RuleKind, MAX_EVIDENCE,
    PI_CATEGORIES, RULES,
};
