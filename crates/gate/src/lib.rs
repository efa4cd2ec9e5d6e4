//! The pre-listing gate: a policy file an app store (or a bureau) writes once, judged against
//! each package's [`Report`] to give a pass/fail verdict with the reasons.
//!
//! A policy ([`GatePolicy`], TOML, every key documented in `policies/README.md`) names the
//! deployment contexts the reports are evaluated for, which clause statuses fail the gate, SDK
//! ids and categories to deny or allow, blacklists (package ids, signer certificate
//! fingerprints, SDK ids), the largest number of personal-information categories allowed, the
//! lowest target SDK, and whether cleartext traffic, debuggable builds, debug certificates or an
//! incomplete analysis fail. An unknown key or a bad value is an error naming the key
//! ([`PolicyError`]); nothing is ignored.
//!
//! Flow: the policy gives the scan its [`Inputs`] ([`GatePolicy::inputs`]: contexts, blacklist,
//! target-SDK threshold), the report is built as for `appvet scan`, and [`GatePolicy::judge`]
//! turns report and policy into a [`GateResult`]. The gate reads only the report: it knows
//! nothing of formats or scanning.

mod render;

pub use render::{overall, render_json, render_text, GateEntry, GateError};

use appvet_detect::{Database, SDK_CATEGORIES};
use appvet_model::{Location, Platform, Strength};
use appvet_policy::{Blacklist, ContextSet, Date, Inputs, Status, Text, Thresholds};
use appvet_report::Report;
use serde::{Deserialize, Serialize};

/// Version of the gate's JSON output (`gate_version`).
pub const GATE_VERSION: u32 = 1;

/// A policy file that cannot be used. The message names the key and what is wrong with it.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// Not TOML, an unknown key, or a value of the wrong type.
    #[error("{0}")]
    Syntax(String),
    /// A value of the right type that is not allowed (an unknown context, status, clause,
    /// SDK id or category, a malformed fingerprint).
    #[error("key `{key}`: {message}")]
    Value { key: String, message: String },
}

fn bad(key: impl Into<String>, message: impl Into<String>) -> PolicyError {
    PolicyError::Value {
        key: key.into(),
        message: message.into(),
    }
}

/// The policy file as written. Every key is optional; see `policies/README.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawPolicy {
    name: Option<String>,
    description: Option<String>,
    contexts: Vec<String>,
    fail_on: Option<Vec<String>>,
    ignore_clauses: Vec<String>,
    min_target_sdk: Option<u32>,
    max_personal_info_categories: Option<u32>,
    fail_on_cleartext: bool,
    fail_on_debuggable: bool,
    fail_on_debug_certificate: bool,
    fail_on_incomplete: bool,
    sdks: RawSdks,
    blacklist: Option<RawBlacklist>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawSdks {
    deny: Vec<String>,
    deny_categories: Vec<String>,
    allow: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawBlacklist {
    package_ids: Vec<String>,
    cert_sha256: Vec<String>,
    sdk_ids: Vec<String>,
}

/// A validated gate policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GatePolicy {
    /// A label for the policy (shown in the output); the file stem when not given.
    pub name: String,
    pub description: Option<String>,
    pub context: ContextSet,
    /// Clause statuses that fail the gate (default: `violation`).
    pub fail_on: Vec<Status>,
    /// Clauses whose status never fails the gate (still reported).
    pub ignore_clauses: Vec<String>,
    /// Android: a target SDK below this fails (also the JJH55-7 threshold).
    pub min_target_sdk: Option<u32>,
    /// More personal-information categories than this fails.
    pub max_personal_info_categories: Option<u32>,
    pub fail_on_cleartext: bool,
    pub fail_on_debuggable: bool,
    pub fail_on_debug_certificate: bool,
    pub fail_on_incomplete: bool,
    pub deny_sdks: Vec<String>,
    pub deny_categories: Vec<String>,
    pub allow_sdks: Vec<String>,
    /// The blacklist, when the policy has a `[blacklist]` table (then JJH55-16 is checked).
    pub blacklist: Option<Blacklist>,
}

impl GatePolicy {
    /// Parse and validate a policy. `name` is used when the file has no `name` key; SDK ids
    /// are checked against `db`.
    pub fn parse(text: &str, name: &str, db: &Database) -> Result<GatePolicy, PolicyError> {
        let raw: RawPolicy = toml::from_str(text).map_err(|e| syntax_error(text, &e))?;
        let context = {
            let mut set = ContextSet::empty();
            for (i, c) in raw.contexts.iter().enumerate() {
                let key = format!("contexts[{i}]");
                let one: ContextSet = c.parse().map_err(|e| bad(&key, format!("{e}")))?;
                for c in one.iter() {
                    set.insert(c).map_err(|e| bad(&key, format!("{e}")))?;
                }
            }
            set
        };
        let fail_on = match &raw.fail_on {
            None => vec![Status::Violation],
            Some(list) => {
                let mut out = Vec::new();
                for (i, s) in list.iter().enumerate() {
                    let st = match s.as_str() {
                        "violation" => Status::Violation,
                        "needs-review" => Status::NeedsReview,
                        "not-checkable" => Status::NotCheckable,
                        other => {
                            return Err(bad(
                                format!("fail_on[{i}]"),
                                format!(
                                    "`{other}` is not a status that can fail a gate (violation, needs-review, not-checkable)"
                                ),
                            ))
                        }
                    };
                    if !out.contains(&st) {
                        out.push(st);
                    }
                }
                out
            }
        };
        for (i, id) in raw.ignore_clauses.iter().enumerate() {
            if appvet_policy::clause(id).is_none() {
                return Err(bad(
                    format!("ignore_clauses[{i}]"),
                    format!("`{id}` is not a clause id (see `appvet clauses`)"),
                ));
            }
        }
        if raw.min_target_sdk == Some(0) {
            return Err(bad(
                "min_target_sdk",
                "must be at least 1 (leave the key out for no check)",
            ));
        }
        let check_sdks = |key: &str, ids: &[String]| -> Result<Vec<String>, PolicyError> {
            for (i, id) in ids.iter().enumerate() {
                if db.sdk(id).is_none() {
                    return Err(bad(
                        format!("{key}[{i}]"),
                        format!("`{id}` is not an SDK id of the signature database (see `appvet signatures list`)"),
                    ));
                }
            }
            Ok(ids.to_vec())
        };
        let deny_sdks = check_sdks("sdks.deny", &raw.sdks.deny)?;
        let allow_sdks = check_sdks("sdks.allow", &raw.sdks.allow)?;
        for (i, c) in raw.sdks.deny_categories.iter().enumerate() {
            if !SDK_CATEGORIES.contains(&c.as_str()) {
                return Err(bad(
                    format!("sdks.deny_categories[{i}]"),
                    format!(
                        "`{c}` is not an SDK category (one of: {})",
                        SDK_CATEGORIES.join(", ")
                    ),
                ));
            }
        }
        if let Some(id) = deny_sdks.iter().find(|id| allow_sdks.contains(id)) {
            return Err(bad(
                "sdks.allow",
                format!("`{id}` is both denied (sdks.deny) and allowed"),
            ));
        }
        let blacklist = match raw.blacklist {
            None => None,
            Some(b) => {
                for (i, id) in b.package_ids.iter().enumerate() {
                    if id.trim().is_empty() || id.chars().any(char::is_whitespace) {
                        return Err(bad(
                            format!("blacklist.package_ids[{i}]"),
                            format!("`{id}` is not a package id"),
                        ));
                    }
                }
                let mut certs = Vec::new();
                for (i, c) in b.cert_sha256.iter().enumerate() {
                    let norm = norm_hex(c);
                    if norm.len() != 64 || !norm.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return Err(bad(
                            format!("blacklist.cert_sha256[{i}]"),
                            format!("`{c}` is not a SHA-256 fingerprint (64 hex digits, colons allowed)"),
                        ));
                    }
                    certs.push(norm);
                }
                let sdk_ids = check_sdks("blacklist.sdk_ids", &b.sdk_ids)?;
                Some(Blacklist {
                    package_ids: b.package_ids,
                    cert_sha256: certs,
                    sdk_ids,
                })
            }
        };
        Ok(GatePolicy {
            name: raw.name.unwrap_or_else(|| name.to_string()),
            description: raw.description,
            context,
            fail_on,
            ignore_clauses: raw.ignore_clauses,
            min_target_sdk: raw.min_target_sdk,
            max_personal_info_categories: raw.max_personal_info_categories,
            fail_on_cleartext: raw.fail_on_cleartext,
            fail_on_debuggable: raw.fail_on_debuggable,
            fail_on_debug_certificate: raw.fail_on_debug_certificate,
            fail_on_incomplete: raw.fail_on_incomplete,
            deny_sdks,
            deny_categories: raw.sdks.deny_categories,
            allow_sdks,
            blacklist,
        })
    }

    /// What the scan's policy evaluation takes from this policy: contexts, the blacklist
    /// (JJH55-16) and the target-SDK threshold (JJH55-7), so the report and the gate agree.
    pub fn inputs(&self, scan_date: Date) -> Inputs<'_> {
        let mut inputs = Inputs::new(self.context, scan_date);
        inputs.blacklist = self.blacklist.as_ref();
        inputs.thresholds = Thresholds {
            min_target_sdk: self
                .min_target_sdk
                .unwrap_or(Thresholds::default().min_target_sdk),
            ..Thresholds::default()
        };
        inputs
    }

    /// Judge one report against the policy.
    pub fn judge(&self, report: &Report) -> GateResult {
        let mut r = GateResult::default();
        self.judge_blacklist(report, &mut r);
        self.judge_sdks(report, &mut r);
        self.judge_security(report, &mut r);
        if let Some(max) = self.max_personal_info_categories {
            let cats = appvet_policy::personal_information_categories(&report.findings);
            let n = u32::try_from(cats.len()).unwrap_or(u32::MAX);
            if n > max {
                let list: Vec<&str> = cats.iter().map(String::as_str).collect();
                r.fail(
                    "max_personal_info_categories",
                    "personal-information",
                    Text::new(
                        format!("涉及 {n} 类个人信息，超过策略允许的 {max} 类：{}。", list.join("、")),
                        format!("{n} personal-information categories, more than the {max} the policy allows: {}.", list.join(", ")),
                    ),
                    None,
                );
            }
        }
        if !report.complete {
            let why = Text::new(
                "分析不完整（加固、加密或超出限制）：结论可能遗漏。",
                "The analysis is incomplete (packed, encrypted or a limit reached): findings may be missing.",
            );
            if self.fail_on_incomplete {
                r.fail("fail_on_incomplete", "completeness", why, None);
            } else {
                r.warn("fail_on_incomplete", "completeness", why, None);
            }
        }
        let blacklisted = r.failures.iter().any(|c| c.key.starts_with("blacklist."));
        for c in &report.clauses {
            if !self.fail_on.contains(&c.status) || self.ignore_clauses.contains(&c.id) {
                continue;
            }
            // The blacklist's own checks already name the key and the entry.
            if blacklisted && c.id == "JJH55-16" {
                continue;
            }
            let first = c.reasons.first();
            r.fail(
                "fail_on",
                &c.id,
                Text::new(
                    format!(
                        "{} {}（{}）：{}",
                        c.id,
                        c.title.zh,
                        c.status_zh,
                        first.map_or("", |t| t.zh.as_str())
                    ),
                    format!(
                        "{} {} ({}): {}",
                        c.id,
                        c.title.en,
                        status_word(c.status),
                        first.map_or("", |t| t.en.as_str())
                    ),
                ),
                None,
            );
        }
        r.verdict = if r.failures.is_empty() {
            GateVerdict::Pass
        } else {
            GateVerdict::Fail
        };
        r
    }

    fn judge_blacklist(&self, report: &Report, r: &mut GateResult) {
        let Some(bl) = &self.blacklist else { return };
        let id = &report.package.id;
        if bl.package_ids.iter().any(|p| p == id) {
            r.fail(
                "blacklist.package_ids",
                id,
                Text::new(
                    format!("包名 {id} 在黑名单中。"),
                    format!("Package id {id} is blacklisted."),
                ),
                None,
            );
        }
        for c in &report.signer.certificates {
            if bl.cert_sha256.contains(&norm_hex(&c.sha256)) {
                r.fail(
                    "blacklist.cert_sha256",
                    &c.sha256,
                    Text::new(
                        format!("签名证书 {} 在黑名单中。", c.sha256),
                        format!("Signer certificate {} is blacklisted.", c.sha256),
                    ),
                    None,
                );
            }
        }
        for s in &report.sdks {
            if bl.sdk_ids.contains(&s.id) {
                self.sdk_hit(r, "blacklist.sdk_ids", s, "在黑名单中", "is blacklisted");
            }
        }
    }

    fn judge_sdks(&self, report: &Report, r: &mut GateResult) {
        for s in &report.sdks {
            if self.deny_sdks.contains(&s.id) {
                self.sdk_hit(r, "sdks.deny", s, "被策略禁止", "is denied by the policy");
            } else if !self.allow_sdks.contains(&s.id) {
                if let Some(cat) = s
                    .categories
                    .iter()
                    .find(|c| self.deny_categories.contains(c))
                {
                    let zh = format!("属于被禁止的类别 {cat}");
                    let en = format!("is in the denied category {cat}");
                    self.sdk_hit(r, "sdks.deny_categories", s, &zh, &en);
                }
            }
        }
    }

    /// A denied or blacklisted SDK: strong or medium evidence fails, weak evidence (types only
    /// referenced, domains) is a warning — the code mentions the SDK, it may not ship it.
    fn sdk_hit(
        &self,
        r: &mut GateResult,
        key: &str,
        s: &appvet_model::SdkFinding,
        zh: &str,
        en: &str,
    ) {
        let location = s.evidence.first().map(|e| e.location.clone());
        let name_zh = s.name_zh.as_deref().unwrap_or(&s.name);
        if s.strength >= Strength::Medium {
            r.fail(
                key,
                &s.id,
                Text::new(
                    format!("SDK {name_zh}（{}）{zh}。", s.id),
                    format!("SDK {} ({}) {en}.", s.name, s.id),
                ),
                location,
            );
        } else {
            r.warn(
                key,
                &s.id,
                Text::new(
                    format!("SDK {name_zh}（{}）{zh}，但证据弱（仅引用或域名）：须确认是否内置。", s.id),
                    format!("SDK {} ({}) {en}, but the evidence is weak (references or domains only): confirm it is embedded.", s.name, s.id),
                ),
                location,
            );
        }
    }

    fn judge_security(&self, report: &Report, r: &mut GateResult) {
        let sec = &report.security;
        if let Some(min) = self.min_target_sdk {
            if report.package.platform == Platform::Android {
                // Android: an absent targetSdkVersion defaults to minSdkVersion, which defaults
                // to 1.
                let target = sec.target_sdk.or(sec.min_sdk).unwrap_or(1);
                if target < min {
                    r.fail(
                        "min_target_sdk",
                        "target-sdk",
                        Text::new(
                            format!("目标 SDK {target} 低于策略要求的 {min}。"),
                            format!("Target SDK {target} is below the policy's {min}."),
                        ),
                        None,
                    );
                }
            }
        }
        if self.fail_on_cleartext && sec.cleartext_permitted == Some(true) {
            r.fail(
                "fail_on_cleartext",
                "cleartext",
                Text::new(
                    "默认允许明文（HTTP）传输。",
                    "Cleartext (HTTP) traffic is permitted by default.",
                ),
                sec.network_config.as_ref().map(|n| n.source.clone()),
            );
        } else if self.fail_on_cleartext {
            if let Some(n) = sec
                .network_config
                .as_ref()
                .filter(|n| !n.cleartext_domains.is_empty())
            {
                r.warn(
                    "fail_on_cleartext",
                    "cleartext-domains",
                    Text::new(
                        format!("以下域名允许明文传输：{}。", n.cleartext_domains.join("、")),
                        format!(
                            "Cleartext is permitted for: {}.",
                            n.cleartext_domains.join(", ")
                        ),
                    ),
                    Some(n.source.clone()),
                );
            }
        }
        if self.fail_on_debuggable && sec.debuggable == Some(true) {
            r.fail(
                "fail_on_debuggable",
                "debuggable",
                Text::new(
                    "可调试构建（debuggable / get-task-allow）。",
                    "A debuggable build (debuggable / get-task-allow).",
                ),
                None,
            );
        }
        if self.fail_on_debug_certificate && sec.debug_certificate {
            r.fail(
                "fail_on_debug_certificate",
                "debug-certificate",
                Text::new(
                    "使用调试证书或 AOSP 测试密钥签名。",
                    "Signed with a debug certificate or an AOSP test key.",
                ),
                None,
            );
        }
    }
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Violation => "violation",
        Status::NeedsReview => "needs-review",
        Status::Pass => "pass",
        Status::NotApplicable => "not-applicable",
        Status::NotCheckable => "not-checkable",
    }
}

/// The gate's verdict for one package.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GateVerdict {
    #[default]
    Pass,
    Fail,
}

/// One reason the gate failed or warned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateCheck {
    /// The policy key that decided (`sdks.deny_categories`, `fail_on`, `blacklist.cert_sha256`).
    pub key: String,
    /// What it is about: an SDK id, a clause id, a fingerprint, `target-sdk`, ...
    pub subject: String,
    pub message: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// The gate's result for one package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateResult {
    pub verdict: GateVerdict,
    /// Why it failed, in the order the checks ran (blacklist, SDKs, security, breadth,
    /// completeness, clauses).
    pub failures: Vec<GateCheck>,
    /// What a reviewer should look at but does not fail the gate.
    pub warnings: Vec<GateCheck>,
}

impl GateResult {
    fn fail(&mut self, key: &str, subject: &str, message: Text, location: Option<Location>) {
        self.failures.push(GateCheck {
            key: key.to_string(),
            subject: subject.to_string(),
            message,
            location,
        });
    }

    fn warn(&mut self, key: &str, subject: &str, message: Text, location: Option<Location>) {
        self.warnings.push(GateCheck {
            key: key.to_string(),
            subject: subject.to_string(),
            message,
            location,
        });
    }
}

/// Hex fingerprint normalised: lower case, no colons, spaces or dashes.
fn norm_hex(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A TOML error with the key it is about named (toml names unknown keys itself; for a value
/// of the wrong type the key is read from the line the error points at).
fn syntax_error(text: &str, e: &toml::de::Error) -> PolicyError {
    let msg = e.message().trim().to_string();
    let Some(span) = e.span() else {
        return PolicyError::Syntax(msg);
    };
    let (line_no, key) = key_at(text, span.start);
    match key {
        Some(key) if !msg.contains(&format!("`{key}`")) => {
            PolicyError::Syntax(format!("key `{key}` (line {line_no}): {msg}"))
        }
        _ => PolicyError::Syntax(format!("line {line_no}: {msg}")),
    }
}

/// The 1-based line of `offset` and the dotted key written on it (with the `[table]` it is in).
fn key_at(text: &str, offset: usize) -> (usize, Option<String>) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line_no = before.matches('\n').count() + 1;
    let mut table: Option<&str> = None;
    let mut key = None;
    for (i, line) in text.lines().enumerate() {
        if i + 1 > line_no {
            break;
        }
        let t = line.trim();
        if let Some(h) = t.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            table = Some(h.trim());
        }
        if i + 1 == line_no {
            if let Some((k, _)) = t.split_once('=') {
                let k = k.trim().trim_matches('"');
                if !k.is_empty() && !k.starts_with('[') {
                    key = Some(match table {
                        Some(tb) => format!("{tb}.{k}"),
                        None => k.to_string(),
                    });
                }
            }
        }
    }
    (line_no, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> &'static Database {
        Database::embedded().expect("embedded database")
    }

    fn err(text: &str) -> String {
        GatePolicy::parse(text, "t", db())
            .expect_err("policy must be rejected")
            .to_string()
    }

    #[test]
    fn an_empty_policy_fails_on_violations_only() {
        let p = GatePolicy::parse("", "empty", db()).unwrap();
        assert_eq!(p.name, "empty");
        assert_eq!(p.fail_on, vec![Status::Violation]);
        assert!(p.context.is_unspecified());
        assert!(p.blacklist.is_none());
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_name() {
        assert!(err("fail_on_cleartxt = true").contains("fail_on_cleartxt"));
        assert!(err("[sdks]\ndeny_category = [\"advertising\"]").contains("deny_category"));
        assert!(err("[blacklist]\npackages = []").contains("packages"));
        assert!(err("[limits]\nx = 1").contains("limits"));
    }

    #[test]
    fn values_of_the_wrong_type_name_the_key() {
        let e = err("min_target_sdk = \"thirty\"");
        assert!(e.contains("min_target_sdk"), "{e}");
        let e = err("[sdks]\ndeny = \"admob\"");
        assert!(e.contains("sdks.deny"), "{e}");
        let e = err("max_personal_info_categories = -1");
        assert!(e.contains("max_personal_info_categories"), "{e}");
    }

    #[test]
    fn bad_values_are_rejected_with_their_key() {
        assert!(err("contexts = [\"kindergarten\"]").starts_with("key `contexts[0]`"));
        assert!(err("contexts = [\"mandated\", \"recommended\"]").starts_with("key `contexts[1]`"));
        assert!(err("fail_on = [\"pass\"]").starts_with("key `fail_on[0]`"));
        assert!(err("ignore_clauses = [\"JJH55-99\"]").starts_with("key `ignore_clauses[0]`"));
        assert!(err("min_target_sdk = 0").starts_with("key `min_target_sdk`"));
        assert!(err("[sdks]\ndeny = [\"no-such-sdk\"]").starts_with("key `sdks.deny[0]`"));
        assert!(
            err("[sdks]\ndeny_categories = [\"ads\"]").starts_with("key `sdks.deny_categories[0]`")
        );
        assert!(err("[blacklist]\ncert_sha256 = [\"abcd\"]")
            .starts_with("key `blacklist.cert_sha256[0]`"));
        assert!(err("[blacklist]\npackage_ids = [\"a b\"]")
            .starts_with("key `blacklist.package_ids[0]`"));
        assert!(err("[blacklist]\nsdk_ids = [\"nope\"]").starts_with("key `blacklist.sdk_ids[0]`"));
    }

    #[test]
    fn fingerprints_are_normalised_and_inputs_follow_the_policy() {
        let fp = "AA:".repeat(31) + "AA";
        let text = format!(
            "contexts = [\"mandated,minors\"]\nmin_target_sdk = 33\n[blacklist]\ncert_sha256 = [\"{fp}\"]\n"
        );
        let p = GatePolicy::parse(&text, "t", db()).unwrap();
        let bl = p.blacklist.as_ref().unwrap();
        assert_eq!(bl.cert_sha256, vec!["aa".repeat(32)]);
        let date = Date::new(2026, 1, 1).unwrap();
        let inputs = p.inputs(date);
        assert_eq!(inputs.thresholds.min_target_sdk, 33);
        assert!(inputs.blacklist.is_some());
        assert_eq!(inputs.context.to_string(), p.context.to_string());
        assert!(p.context.contains(appvet_policy::Context::Minors));
    }

    #[test]
    fn key_at_names_table_keys() {
        let text = "a = 1\n[sdks]\ndeny = 2\n";
        assert_eq!(
            key_at(text, text.find("2").unwrap()),
            (3, Some("sdks.deny".into()))
        );
        assert_eq!(key_at(text, 4), (1, Some("a".into())));
    }
}
