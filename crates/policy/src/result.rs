//! The result of policy evaluation: per-clause statuses with evidence, and the verdict.

use crate::{ContextSet, Date, Lang};
use appvet_model::{Location, Platform, Strength};
use serde::{Deserialize, Serialize};

/// A sentence in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The status of one clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Evidence the context forbids.
    Violation,
    /// Evidence a human must judge.
    NeedsReview,
    /// Looked, found nothing.
    Pass,
    /// The context makes the clause moot.
    NotApplicable,
    /// No static evidence can exist (or the input it needs was not given).
    NotCheckable,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Violation,
        Status::NeedsReview,
        Status::Pass,
        Status::NotApplicable,
        Status::NotCheckable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Violation => "violation",
            Status::NeedsReview => "needs-review",
            Status::Pass => "pass",
            Status::NotApplicable => "not-applicable",
            Status::NotCheckable => "not-checkable",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Violation => "违规",
            Status::NeedsReview => "需人工复核",
            Status::Pass => "未发现问题",
            Status::NotApplicable => "不适用",
            Status::NotCheckable => "无法静态检测",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.label_zh(),
            Lang::En => self.as_str(),
        }
    }
}

/// The overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Some clause is violated.
    Fail,
    /// No violation; some clause needs review.
    NeedsReview,
    /// Nothing to review.
    Pass,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Fail => "fail",
            Verdict::NeedsReview => "needs-review",
            Verdict::Pass => "pass",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Verdict::Fail => "不通过",
            Verdict::NeedsReview => "需人工复核",
            Verdict::Pass => "通过",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.label_zh(),
            Lang::En => self.as_str(),
        }
    }
}

/// What a piece of evidence refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefKind {
    /// An SDK finding (`id` = SDK id).
    Sdk,
    /// A permission / usage key / entitlement (`id` = its name).
    Permission,
    /// A sensitive API finding (`id` = API id).
    Api,
    /// A biometric finding (`id` = permission, API or SDK id).
    Biometric,
    /// A packer / runtime code loading / encrypted binary (`id` = protection id).
    Protection,
    /// An incompleteness reason (`id` = its code).
    Completeness,
    /// A manifest / Info.plist flag (`id` = `debuggable`, `allowBackup`, ...).
    Flag,
    /// A network security config / ATS setting.
    NetworkConfig,
    /// An exported component (`id` = class name).
    Component,
    /// A signer certificate (`id` = SHA-256).
    Certificate,
    /// Signature schemes (`id` = `schemes`).
    Signing,
    /// Package identity facts (`id` = `package-id`, `version`, `target-sdk`).
    Package,
    /// A URL string constant (`id` = the URL).
    Url,
    /// SKAdNetwork identifier.
    AdNetworkId,
    /// Build date evidence (`id` = `newest-entry` or `signing-time`).
    BuildTime,
    /// A match in the blacklist input.
    Blacklist,
    /// A comparison with the filing registry input.
    Registry,
    /// Another clause's result (`id` = clause id).
    Clause,
    /// The deployment context.
    Context,
}

/// One fact that decided a clause, with where it is in the package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRef {
    pub kind: RefKind,
    /// What is referred to (SDK id, permission name, flag name, URL, ...).
    pub id: String,
    /// A short description of the fact in English (names and values from the package, and
    /// our words in English).
    pub detail: String,
    /// The same description in Chinese, when it has words of ours to translate (absent when
    /// `detail` is only values: a version, a URL, a list of ids). Renderers use
    /// [`EvidenceRef::detail_in`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail_zh: Option<String>,
    /// For SDKs: how strong the evidence that the SDK ships is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength: Option<Strength>,
    /// For APIs and biometrics: who calls it (SDK ids, `app`, `unknown`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl EvidenceRef {
    pub fn new(kind: RefKind, id: impl Into<String>, detail: impl Into<String>) -> Self {
        EvidenceRef {
            kind,
            id: id.into(),
            detail: detail.into(),
            detail_zh: None,
            strength: None,
            by: Vec::new(),
            location: None,
        }
    }

    /// Evidence whose description is in both languages (`detail_zh` is left out when it is
    /// the same as the English: a value only).
    pub fn text(kind: RefKind, id: impl Into<String>, detail: Text) -> Self {
        let zh = (detail.zh != detail.en).then_some(detail.zh);
        let mut e = EvidenceRef::new(kind, id, detail.en);
        e.detail_zh = zh;
        e
    }

    /// The description in a language (Chinese falls back to `detail` when there is none).
    pub fn detail_in(&self, lang: Lang) -> &str {
        match (lang, &self.detail_zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.detail,
        }
    }

    /// Append to the description in both languages.
    pub fn push_detail(&mut self, more: &Text) {
        let zh = self.detail_zh.get_or_insert_with(|| self.detail.clone());
        zh.push_str(&more.zh);
        self.detail.push_str(&more.en);
    }

    pub fn at(mut self, location: &Location) -> Self {
        self.location = Some(location.clone());
        self
    }
}

/// The result for one clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseResult {
    /// Clause id (`JJH55-11-ads`).
    pub id: String,
    pub status: Status,
    /// Chinese label of the status (`违规`).
    pub status_zh: String,
    /// Document id and clause number as written.
    pub document: String,
    pub number: String,
    pub title: Text,
    /// Why this status, most important first.
    pub reasons: Vec<Text>,
    /// The facts that decided it.
    pub evidence: Vec<EvidenceRef>,
    /// Evidence items not listed (the list is capped).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub evidence_omitted: u64,
    /// What a reviewer must still check by hand.
    pub manual_checks: Vec<Text>,
    /// Ids of the rules that decided it (see [`crate::rules`]).
    pub rules: Vec<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A signer certificate in the filing record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingCertificate {
    pub sha256: String,
    pub subject: String,
    pub issuer: String,
}

/// An SDK in the filing record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingSdk {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub categories: Vec<String>,
}

/// What a provider files under JJH55 (四) / JJS265 三.1 for one package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingRecord {
    pub platform: Platform,
    pub package_id: String,
    pub label: Option<String>,
    pub version_code: Option<String>,
    pub version_name: Option<String>,
    pub certificates: Vec<FilingCertificate>,
    /// The developer as the signer certificate names it (`O=` or `CN=` of the first
    /// certificate's subject); None when there is no certificate.
    pub developer: Option<String>,
    pub sdks: Vec<FilingSdk>,
    /// Requested permissions / usage keys (names), in inventory order, deduplicated.
    pub permissions: Vec<String>,
    /// SHA-256 of the scanned file, when the caller supplied it.
    pub file_sha256: Option<String>,
}

/// The policy result for one package. JSON: `verdict`, `reasons`, then `clauses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyResult {
    pub verdict: Verdict,
    /// Chinese label of the verdict (`不通过`).
    pub verdict_zh: String,
    /// Why the verdict, most important first: one line per violated clause, then one per
    /// clause needing review.
    pub reasons: Vec<Text>,
    pub context: ContextSet,
    pub scan_date: Date,
    /// False when detection could not analyse all code ("results incomplete").
    pub complete: bool,
    /// One result per catalogue clause, in catalogue order.
    pub clauses: Vec<ClauseResult>,
    pub filing: FilingRecord,
}

impl PolicyResult {
    /// The result for a clause id.
    pub fn clause(&self, id: &str) -> Option<&ClauseResult> {
        self.clauses.iter().find(|c| c.id == id)
    }
}
