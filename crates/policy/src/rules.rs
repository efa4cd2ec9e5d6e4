//! The rules: findings and inventory facts → one status per clause.

use crate::inputs::norm_hex;
use crate::labels::*;
use crate::result::{RefKind as Ek, *};
use crate::{catalogue, Context, ContextSet, Date, Inputs, Lang};
use appvet_model::{
    ComponentKind, ExportedReason, Findings, PackageScan, PermissionFinding, Platform, SdkFinding,
    Strength,
};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Evidence items listed per clause (the rest are counted in `evidence_omitted`).
pub const MAX_EVIDENCE: usize = 40;
/// Plain-HTTP URLs and exported components listed per rule.
const MAX_PER_RULE: usize = 20;

/// Personal-information categories (the model's vocabulary, shared with detect).
pub use appvet_model::PI_CATEGORIES;

/// Categories of `normal`-level permissions that still count as personal information.
const SENSITIVE_NORMAL: &[&str] = &[
    "installed-apps",
    "advertising-id",
    "biometrics",
    "usage-data",
    "device-id",
];

/// Hosts of `http://` strings that are namespaces or local, not endpoints.
const NON_ENDPOINT_HOSTS: &[&str] = &[
    "schemas.android.com",
    "www.w3.org",
    "w3.org",
    "ns.adobe.com",
    "xmlpull.org",
    "www.xmlpull.org",
    "xml.org",
    "xml.apache.org",
    "java.sun.com",
    "schemas.xmlsoap.org",
    "schemas.microsoft.com",
    "purl.org",
    "www.apple.com",
    "apple.com",
    "example.com",
    "www.example.com",
    "localhost",
    "127.0.0.1",
    "0.0.0.0",
    "10.0.2.2",
];

/// How a rule contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// Package evidence (findings, inventory facts).
    Evidence,
    /// A comparison with an input (blacklist, registry).
    Input,
    /// The deployment context alone.
    Context,
    /// Results incomplete.
    Completeness,
}

/// One rule. `clause` is a clause id, or `*` for rules shared by several clauses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RuleDef {
    pub id: &'static str,
    pub clause: &'static str,
    pub kind: RuleKind,
    pub en: &'static str,
    pub zh: &'static str,
}

macro_rules! rule {
    ($id:literal, $clause:literal, $kind:ident, $en:literal, $zh:literal) => {
        RuleDef {
            id: $id,
            clause: $clause,
            kind: RuleKind::$kind,
            en: $en,
            zh: $zh,
        }
    };
}

/// Every rule, grouped by clause in catalogue order.
pub const RULES: &[RuleDef] = &[
    rule!("context.not-mandated", "*", Context,
        "an explicit context without mandated: the JJH55 (十一) clauses are not applicable",
        "部署场景不是统一使用：（十一）相关条款不适用"),
    rule!("context.not-minors", "*", Context,
        "the context does not include minors: not applicable",
        "部署场景不含未成年人：不适用"),
    rule!("context.not-higher-ed", "*", Context,
        "an explicit context without higher-ed: JJS265 (higher-education management/service apps) is not applicable",
        "部署场景不含高校管理服务类：教技司〔2019〕265号不适用"),
    rule!("input.missing", "*", Input,
        "the input the clause needs (blacklist or filing registry) was not given: not-checkable",
        "未提供所需输入（黑名单或备案库）：无法静态检测"),
    rule!("completeness.incomplete", "*", Completeness,
        "analysis incomplete (packer, runtime code loading, embedded or encrypted code): a clause that would pass needs review instead",
        "分析不完整（加固、动态加载、内嵌或加密代码）：本应未发现问题的条款改为需人工复核"),
    rule!("filing.record", "JJH55-4", Input,
        "the filing record (package id, version, signer, developer, SDKs, permissions, file hash) is produced; without a registry the clause is not-checkable",
        "生成备案信息（包名、版本、签名、开发者、SDK、权限、文件哈希）；无备案库时无法静态检测"),
    rule!("filing.registry", "JJH55-4", Input,
        "with a registry: package id filed → pass; not filed → violation",
        "有备案库时：包名已备案为未发现问题，未备案为违规"),
    rule!("ads.sdk", "JJH55-5-ads", Evidence,
        "an advertising SDK → needs-review (ads must fit the service; stricter content check under minors); SDKs with weak evidence only (SKAdNetwork ids, domains, referenced types) are named apart as such",
        "发现广告 SDK → 需人工复核（广告须与服务相契合；未成年人场景须严格把关）；仅有弱证据（SKAdNetwork 标识、域名、类引用）的 SDK 单独列出并注明"),
    rule!("ads.skadnetwork", "JJH55-5-ads", Evidence,
        "SKAdNetwork identifiers (iOS ad attribution) → needs-review",
        "发现 SKAdNetwork 标识（iOS 广告归因）→ 需人工复核"),
    rule!("minors.manual", "JJH55-5-minors", Context,
        "context minors → needs-review (usage-time limit, age range, content); not applicable otherwise",
        "未成年人场景 → 需人工复核（使用时长、适龄范围、内容把关）；其他场景不适用"),
    rule!("ugc.sdk", "JJH55-5-ugc", Evidence,
        "an IM, live-streaming or community SDK → needs-review (confirm a moderation system)",
        "发现即时通讯、直播或社区 SDK → 需人工复核（确认信息审核制度）"),
    rule!("pi.permission", "JJH55-6", Evidence,
        "a permission / usage key of a personal-information category (dangerous, special, privileged, iOS usage key; or normal for device id, ad id, installed apps, usage data, biometrics) → needs-review",
        "申请个人信息类权限或使用说明键 → 需人工复核"),
    rule!("pi.api", "JJH55-6", Evidence,
        "a sensitive API of a personal-information category (or device fingerprinting), with who calls it → needs-review",
        "引用个人信息类敏感 API（或设备指纹），并注明调用方 → 需人工复核"),
    rule!("pi.sdk", "JJH55-6", Evidence,
        "a third-party SDK documented to collect personal information → needs-review",
        "发现收集个人信息的第三方 SDK → 需人工复核"),
    rule!("pi.minors-guardian", "JJH55-6", Context,
        "context minors and any personal-information evidence → adds the guardian-consent check",
        "未成年人场景且涉及个人信息 → 增加监护人同意核查"),
    rule!("sec.debuggable", "JJH55-7", Evidence,
        "debuggable (android:debuggable / get-task-allow) → violation",
        "可调试（debuggable / get-task-allow）→ 违规"),
    rule!("sec.debug-certificate", "JJH55-7", Evidence,
        "signed with the Android debug certificate or an AOSP public test key → violation",
        "使用调试证书或 AOSP 公开测试密钥签名 → 违规"),
    rule!("sec.test-only", "JJH55-7", Evidence,
        "android:testOnly → needs-review",
        "testOnly 标记 → 需人工复核"),
    rule!("sec.cleartext", "JJH55-7", Evidence,
        "cleartext traffic permitted by default (usesCleartextTraffic, network security config, target SDK default, ATS arbitrary loads) → needs-review",
        "默认允许明文流量 → 需人工复核"),
    rule!("sec.cleartext-domain", "JJH55-7", Evidence,
        "a network-security-config domain permitting cleartext → needs-review",
        "网络安全配置中允许明文的域名 → 需人工复核"),
    rule!("sec.user-trust", "JJH55-7", Evidence,
        "the base config trusts user-installed CAs → needs-review",
        "基础配置信任用户安装的证书 → 需人工复核"),
    rule!("sec.allow-backup", "JJH55-7", Evidence,
        "allowBackup true or unset (Android's default is true) → needs-review",
        "allowBackup 为 true 或未设置（默认 true）→ 需人工复核"),
    rule!("sec.exported", "JJH55-7", Evidence,
        "an enabled exported component without a guarding permission (launcher activities excepted) → needs-review",
        "无权限保护的导出组件（启动入口除外）→ 需人工复核"),
    rule!("sec.signing-scheme", "JJH55-7", Evidence,
        "v1-only signing (Janus, CVE-2017-13156) or no signature → needs-review",
        "仅 v1 签名（Janus 漏洞）或无签名 → 需人工复核"),
    rule!("sec.weak-certificate", "JJH55-7", Evidence,
        "a weak signer certificate (DSA, RSA < 2048 bits, EC < 224 bits, MD5/SHA-1 signature) → needs-review",
        "弱签名证书（DSA、RSA 小于 2048 位、EC 小于 224 位、MD5/SHA-1）→ 需人工复核"),
    rule!("sec.target-sdk", "JJH55-7", Evidence,
        "target SDK below the threshold (default 30) → needs-review",
        "targetSdk 低于阈值（默认 30）→ 需人工复核"),
    rule!("sec.plain-http", "JJH55-7", Evidence,
        "plain http:// or ws:// endpoints in code (namespace URIs and local hosts excepted) → needs-review",
        "代码中的明文 http:// 或 ws:// 地址（命名空间与本机地址除外）→ 需人工复核"),
    rule!("mandated.ads", "JJH55-11-ads", Evidence,
        "an advertising SDK: mandated → violation (strong or medium evidence; only those SDKs are its evidence, weakly evidenced ones are left to JJH55-5-ads) or needs-review (weak evidence only); unspecified context → needs-review",
        "广告 SDK：统一使用 → 违规（强或中证据，证据仅列这些 SDK，弱证据的 SDK 见 JJH55-5-ads）或需人工复核（仅有弱证据）；未指定场景 → 需人工复核"),
    rule!("mandated.games", "JJH55-11-games", Evidence,
        "a game engine or game-services SDK: mandated → violation (strong or medium evidence) or needs-review (weak); unspecified → needs-review",
        "游戏引擎或游戏服务 SDK：统一使用 → 违规（强或中证据）或需人工复核（弱证据）；未指定场景 → 需人工复核"),
    rule!("mandated.fees-sdk", "JJH55-11-fees", Evidence,
        "a payment / in-app-billing SDK: mandated → violation (strong or medium evidence of a dedicated payment SDK), needs-review (weak evidence, a social SDK that also pays, or a linked system framework only); unspecified → needs-review",
        "支付或应用内购买 SDK：统一使用 → 违规（专用支付 SDK 的强或中证据），需人工复核（弱证据、兼具支付的社交 SDK、仅链接系统框架）；未指定场景 → 需人工复核"),
    rule!("mandated.fees-permission", "JJH55-11-fees", Evidence,
        "the billing permission (com.android.vending.BILLING) or a payment entitlement: mandated → violation; unspecified → needs-review",
        "结算权限（com.android.vending.BILLING）或支付类 entitlement：统一使用 → 违规；未指定场景 → 需人工复核"),
    rule!("blacklist.match", "JJH55-16", Input,
        "with a blacklist: package id, signer certificate or SDK (strong/medium) listed → violation; a weakly evidenced SDK listed → needs-review; no match → pass",
        "有黑名单时：包名、签名证书或 SDK（强/中证据）命中 → 违规；弱证据 SDK 命中 → 需人工复核；未命中 → 未发现问题"),
    rule!("catalogue.record", "JJS265-3-1", Input,
        "the filing record for the catalogue (名录); without a registry not-checkable",
        "生成名录所需的备案信息；无备案库时无法静态检测"),
    rule!("catalogue.registry", "JJS265-3-1", Input,
        "with a registry: package id filed → pass; not filed → violation",
        "有备案库时：已备案为未发现问题，未备案为违规"),
    rule!("biometric.finding", "JJS265-3-3", Evidence,
        "a biometric permission, API or SDK (fingerprint, face, Face ID) → needs-review with the scientific, ethical and security review named",
        "生物识别权限、API 或 SDK（指纹、人脸、Face ID）→ 需人工复核，须组织科学性、伦理性、安全性论证"),
    rule!("biometric.face-sdk", "JJS265-3-3", Evidence,
        "a face-recognition / liveness SDK → needs-review (collects face data)",
        "人脸识别或活体检测 SDK → 需人工复核（采集人脸信息）"),
    rule!("scale.categories", "JJS265-3-3-scale", Evidence,
        "personal-information categories (permissions, APIs, SDKs with strong/medium evidence) at or above the threshold (default 5) → needs-review",
        "涉及的个人信息类别数达到阈值（默认 5 类）→ 需人工复核"),
    rule!("scale.mandated", "JJS265-3-3-scale", Context,
        "context mandated + higher-ed → needs-review (the decision procedure applies to every mandated app)",
        "统一使用的高校应用 → 需人工复核（须履行决策程序）"),
    rule!("one-source.identity-sdk", "JJS265-3-4", Evidence,
        "an identity-verification (real-name) or OCR SDK → needs-review",
        "实名认证或 OCR SDK → 需人工复核"),
    rule!("one-source.identity-data", "JJS265-3-4", Evidence,
        "permissions or APIs reading contacts, phone numbers or identity documents → needs-review",
        "读取通讯录、手机号或身份证件的权限或 API → 需人工复核"),
    rule!("stale.build-date", "JJS265-3-5", Evidence,
        "build date (signing time, or newest zip entry time unless a placeholder) more than six months before the scan date → needs-review; unknown → needs-review",
        "构建日期（签名时间或最新条目时间）早于扫描日期六个月以上 → 需人工复核；无法确定 → 需人工复核"),
    rule!("hardening.security", "JJS265-3-5", Evidence,
        "any JJH55-7 security issue → needs-review (等保2.0, 安全加固)",
        "存在 JJH55-7 安全问题 → 需人工复核（等保 2.0、安全加固）"),
    rule!("certification.scale", "JJS265-3-5", Evidence,
        "large-scale collection (the JJS265-3-3-scale threshold) → needs-review (personal-information security certification)",
        "大范围采集个人信息 → 需人工复核（个人信息安全认证）"),
    rule!("registry.diff", "JJS265-annex-1", Input,
        "with a registry entry: different signer, SDKs or permissions beyond the filing → violation; different version → needs-review; same → pass; no entry → not-checkable",
        "与备案记录比对：签名者不同、SDK 或权限超出备案 → 违规；版本不同 → 需人工复核；一致 → 未发现问题；无备案记录 → 无法静态检测"),
];

/// The rule table.
pub fn rules() -> &'static [RuleDef] {
    RULES
}

/// One line per clause: the clause id and its rules (for documentation and the issue's
/// closing note).
pub fn render_rules(lang: Lang) -> String {
    let mut out = String::new();
    for c in catalogue() {
        let _ = write!(out, "{} {}:", c.id, c.title(lang));
        let mut first = true;
        for r in RULES.iter().filter(|r| r.clause == c.id) {
            let sep = if first { " " } else { "; " };
            first = false;
            let text = match lang {
                Lang::Zh => r.zh,
                Lang::En => r.en,
            };
            let _ = write!(out, "{sep}`{}` {}", r.id, text);
        }
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------- drafting a clause result

struct Draft {
    status: Status,
    reasons: Vec<Text>,
    /// Informational lines (what was looked at and found fine), listed after the reasons.
    notes: Vec<Text>,
    evidence: Vec<EvidenceRef>,
    omitted: u64,
    manual: Vec<Text>,
    rules: Vec<&'static str>,
}

impl Draft {
    fn pass() -> Draft {
        Draft {
            status: Status::Pass,
            reasons: Vec::new(),
            notes: Vec::new(),
            evidence: Vec::new(),
            omitted: 0,
            manual: Vec::new(),
            rules: Vec::new(),
        }
    }

    /// A final status decided by context or a missing input.
    fn fixed(status: Status, rule: &'static str, reason: Text) -> Draft {
        let mut d = Draft::pass();
        d.status = status;
        d.rule(rule);
        d.reasons.push(reason);
        d
    }

    fn rule(&mut self, rule: &'static str) {
        if !self.rules.contains(&rule) {
            self.rules.push(rule);
        }
    }

    /// Raise the status to `status` if more severe (violation > needs-review > pass), record
    /// the rule and the reason.
    fn raise(&mut self, status: Status, rule: &'static str, reason: Text) {
        if status < self.status {
            self.status = status;
        }
        self.rule(rule);
        self.reasons.push(reason);
    }

    /// An informational line: a rule looked and found nothing wrong.
    fn note(&mut self, rule: &'static str, t: Text) {
        self.rule(rule);
        self.notes.push(t);
    }

    fn add(&mut self, e: EvidenceRef) {
        if self.evidence.len() < MAX_EVIDENCE {
            self.evidence.push(e);
        } else {
            self.omitted += 1;
        }
    }

    fn add_all(&mut self, es: impl IntoIterator<Item = EvidenceRef>) {
        for e in es {
            self.add(e);
        }
    }

    fn manual(&mut self, t: Text) {
        self.manual.push(t);
    }
}

// ---------------------------------------------------------------- facts shared by rules

struct SecurityIssue {
    rule: &'static str,
    status: Status,
    reason: Text,
    evidence: Vec<EvidenceRef>,
    omitted: u64,
}

struct Eval<'a> {
    scan: &'a PackageScan,
    f: &'a Findings,
    inp: &'a Inputs<'a>,
    ctx: ContextSet,
    security: Vec<SecurityIssue>,
    /// Distinct personal-information categories with what shows each.
    breadth: BTreeSet<String>,
}

/// One piece of (十一) evidence with its display names.
struct Item {
    ev: EvidenceRef,
    /// None: the item decides the clause; Some: why it cannot (weak evidence, ...).
    not_decisive: Option<Text>,
    zh: String,
    en: String,
}

impl Item {
    /// An SDK; `social_pays`: a payment SDK that is also a social SDK (not decisive).
    fn sdk(s: &SdkFinding, social_pays: bool) -> Item {
        let not_decisive = not_decisive(s).or_else(|| {
            social_pays.then(|| {
                Text::new(
                    "兼具支付功能的社交 SDK",
                    "a social SDK that can also take payments",
                )
            })
        });
        Item {
            ev: sdk_ref(s),
            not_decisive,
            zh: s.name_zh.clone().unwrap_or_else(|| s.name.clone()),
            en: s.name.clone(),
        }
    }

    /// Decisive evidence named by its id (a permission).
    fn plain(ev: EvidenceRef) -> Item {
        Item {
            zh: ev.id.clone(),
            en: ev.id.clone(),
            ev,
            not_decisive: None,
        }
    }

    /// `name` when decisive, `name（why）` / `name (why)` when not.
    fn named(&self) -> Text {
        match &self.not_decisive {
            None => Text::new(self.zh.clone(), self.en.clone()),
            Some(why) => Text::new(
                format!("{}（{}）", self.zh, why.zh),
                format!("{} ({})", self.en, why.en),
            ),
        }
    }
}

/// Names joined per language (`、` / `, `).
fn join_texts<'t>(items: impl IntoIterator<Item = &'t Text>) -> Text {
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    for t in items {
        zh.push(t.zh.as_str());
        en.push(t.en.as_str());
    }
    Text::new(zh.join("、"), en.join(", "))
}

fn has_cat(s: &SdkFinding, cats: &[&str]) -> bool {
    s.categories.iter().any(|c| cats.contains(&c.as_str()))
}

/// `Tencent Ads (GDT / 优量汇) (Tencent); advertising; strong evidence; class-defined: X` /
/// `优量汇（广点通）（Tencent）；广告；强证据；类定义：X`.
fn sdk_ref(s: &SdkFinding) -> EvidenceRef {
    let strength = strength_label(s.strength);
    let cats = join_labels(s.categories.iter().map(String::as_str), sdk_category_label);
    let mut en = format!(
        "{} ({}); {}; {}",
        s.name,
        s.vendor,
        s.categories.join(", "),
        strength.en
    );
    let mut zh = format!(
        "{}（{}）；{}；{}",
        s.name_zh.as_deref().unwrap_or(&s.name),
        s.vendor,
        cats.zh,
        strength.zh
    );
    let first = s.evidence.first();
    if let Some(e) = first {
        let kind = evidence_kind_label(e.kind);
        let _ = write!(en, "; {}: {}", kind.en, e.value);
        let _ = write!(zh, "；{}：{}", kind.zh, e.value);
    }
    let mut r = EvidenceRef::text(Ek::Sdk, &s.id, Text::new(zh, en));
    r.strength = Some(s.strength);
    r.location = first.map(|e| e.location.clone());
    r
}

/// Why an SDK's evidence cannot decide a violation: weak evidence (which kinds), or a linked
/// system framework only. None when it can (strong or medium evidence).
fn not_decisive(s: &SdkFinding) -> Option<Text> {
    if system_framework_only(s) {
        return Some(Text::new(
            "仅链接系统框架，该框架也有其他用途",
            "only a linked system framework, which has other uses",
        ));
    }
    if s.strength >= Strength::Medium {
        return None;
    }
    let mut kinds: Vec<appvet_model::EvidenceKind> = s.evidence_counts.keys().copied().collect();
    if kinds.is_empty() {
        kinds = s.evidence.iter().map(|e| e.kind).collect();
        kinds.sort();
        kinds.dedup();
    }
    let names: Vec<Text> = kinds
        .into_iter()
        .map(|k| match k {
            appvet_model::EvidenceKind::SkadnetworkId => {
                Text::new("SKAdNetwork 标识", "SKAdNetwork ids")
            }
            appvet_model::EvidenceKind::Domain => Text::new("域名", "domains"),
            appvet_model::EvidenceKind::TypeReferenced => {
                Text::new("引用的类型", "referenced types")
            }
            other => evidence_kind_label(other),
        })
        .collect();
    let kinds = join_texts(&names);
    let space = if kinds.zh.starts_with(|c: char| c.is_ascii()) {
        " "
    } else {
        ""
    };
    Some(Text::new(
        format!("弱证据：仅有{space}{}", kinds.zh),
        format!("weak evidence: only {}", kinds.en),
    ))
}

/// SDK names, each with why it is not decisive when it is not.
fn sdk_names_why(sdks: &[&SdkFinding]) -> Text {
    let named: Vec<Text> = sdks.iter().map(|s| Item::sdk(s, false).named()).collect();
    join_texts(&named)
}

/// A needs-review clause decided by SDK categories: the SDKs with strong or medium evidence
/// are named in `found(names)`, the weakly evidenced ones in a second reason that says the
/// evidence is weak; `extra` is appended to the first reason. Evidence: decisive SDKs first.
fn review_sdks(
    d: &mut Draft,
    rule: &'static str,
    sdks: &[&SdkFinding],
    found: impl Fn(&Text) -> Text,
    what: (&str, &str),
    extra: (&str, &str),
) {
    let (strong, weak): (Vec<&SdkFinding>, Vec<&SdkFinding>) =
        sdks.iter().partition(|s| not_decisive(s).is_none());
    let mut extra = Some(extra);
    let mut with_extra = |t: Text| match extra.take() {
        Some((zh, en)) => Text::new(t.zh + zh, t.en + en),
        None => t,
    };
    if !strong.is_empty() {
        let names = Text::new(sdk_names(&strong, Lang::Zh), sdk_names(&strong, Lang::En));
        d.raise(Status::NeedsReview, rule, with_extra(found(&names)));
    }
    if !weak.is_empty() {
        let names = sdk_names_why(&weak);
        d.raise(
            Status::NeedsReview,
            rule,
            with_extra(Text::new(
                format!(
                    "以下{}证据较弱，可能并未嵌入应用，须确认：{}。",
                    what.0, names.zh
                ),
                format!(
                    "Only weak evidence for these {}; they may not be embedded, confirm: {}.",
                    what.1, names.en
                ),
            )),
        );
    }
    d.add_all(strong.iter().chain(&weak).map(|s| sdk_ref(s)));
}

fn sdk_names(sdks: &[&SdkFinding], lang: Lang) -> String {
    let names: Vec<&str> = sdks
        .iter()
        .map(|s| match lang {
            Lang::Zh => s.name_zh.as_deref().unwrap_or(&s.name),
            Lang::En => s.name.as_str(),
        })
        .collect();
    match lang {
        Lang::Zh => names.join("、"),
        Lang::En => names.join(", "),
    }
}

fn system_framework_only(s: &SdkFinding) -> bool {
    !s.evidence.is_empty()
        && s.evidence_counts
            .keys()
            .all(|k| *k == appvet_model::EvidenceKind::Framework)
        && s.evidence
            .iter()
            .all(|e| e.value.starts_with("/System/") || e.value.starts_with("/usr/lib/"))
}

fn perm_ref(p: &PermissionFinding) -> EvidenceRef {
    EvidenceRef::text(
        Ek::Permission,
        &p.name,
        Text::new(
            format!(
                "{}；{}；{}",
                category_label(&p.category).zh,
                level_label(&p.level).zh,
                p.what_zh.as_deref().unwrap_or(&p.what)
            ),
            format!("{}; {}; {}", p.category, p.level, p.what),
        ),
    )
    .at(&p.location)
}

/// The personal-information categories a package touches: sensitive permissions and usage
/// keys it requests, sensitive APIs its code calls, and what SDKs shipped on strong or medium
/// evidence are documented to collect. Its size is the breadth of collection (JJS265-3-3-scale
/// and app-store gates count it).
pub fn personal_information_categories(f: &Findings) -> BTreeSet<String> {
    let mut breadth = BTreeSet::new();
    for p in f.permissions.iter().filter(|p| is_pi_permission(p)) {
        breadth.insert(p.category.clone());
    }
    for a in &f.apis {
        if PI_CATEGORIES.contains(&a.category.as_str()) {
            breadth.insert(a.category.clone());
        }
    }
    for s in f.sdks.iter().filter(|s| s.strength >= Strength::Medium) {
        for c in &s.collects {
            if PI_CATEGORIES.contains(&c.as_str()) {
                breadth.insert(c.clone());
            }
        }
    }
    breadth
}

fn is_pi_permission(p: &PermissionFinding) -> bool {
    PI_CATEGORIES.contains(&p.category.as_str())
        // HarmonyOS system_grant permissions are granted at install, like Android's normal ones.
        && (!matches!(p.level.as_str(), "normal" | "system-grant")
            || SENSITIVE_NORMAL.contains(&p.category.as_str()))
}

fn api_ref(a: &appvet_model::ApiFinding) -> EvidenceRef {
    let mut e = EvidenceRef::text(
        Ek::Api,
        &a.id,
        Text::new(
            format!(
                "{}；{}",
                a.what_zh.as_deref().unwrap_or(&a.what),
                category_label(&a.category).zh
            ),
            format!("{}; {}", a.what, a.category),
        ),
    );
    e.by = a.by.clone();
    if let Some(c) = a.callers.first() {
        e.push_detail(&Text::new(
            format!("；{} 调用 {}", c.caller, c.api),
            format!("; {} calls {}", c.caller, c.api),
        ));
        e.location = Some(c.location.clone());
    }
    e
}

fn exported_detail(k: ComponentKind, r: ExportedReason) -> Text {
    let (k, r) = (component_kind_label(k), exported_reason_label(r));
    Text::new(
        format!("{}，已导出（{}），无权限保护", k.zh, r.zh),
        format!("{} exported ({}), no permission", k.en, r.en),
    )
}

/// `统一使用（mandated）、未成年人（minors）` / `mandated, minors`.
fn context_words(ctx: ContextSet) -> Text {
    let zh: Vec<String> = ctx
        .iter()
        .map(|c| format!("{}（{}）", c.label_zh(), c.as_str()))
        .collect();
    Text::new(zh.join("、"), ctx.to_string())
}

fn is_launcher(c: &appvet_model::Component) -> bool {
    c.intent_filters.iter().any(|f| {
        let android = f.actions.iter().any(|a| a == "android.intent.action.MAIN")
            && f.categories.iter().any(|k| {
                k == "android.intent.category.LAUNCHER"
                    || k == "android.intent.category.LEANBACK_LAUNCHER"
            });
        // HarmonyOS: the entry ability's skill (`entity.system.home` + a home action).
        let harmony = f
            .actions
            .iter()
            .any(|a| a == "action.system.home" || a == "ohos.want.action.home")
            && f.categories.iter().any(|k| k == "entity.system.home");
        android || harmony
    })
}

impl<'a> Eval<'a> {
    fn new(scan: &'a PackageScan, f: &'a Findings, inp: &'a Inputs<'a>) -> Eval<'a> {
        let mut e = Eval {
            scan,
            f,
            inp,
            ctx: inp.context,
            security: Vec::new(),
            breadth: BTreeSet::new(),
        };
        e.security = e.security_issues();
        e.breadth = personal_information_categories(f);
        e
    }

    fn sdks(&self, cats: &[&str]) -> Vec<&'a SdkFinding> {
        self.f.sdks.iter().filter(|s| has_cat(s, cats)).collect()
    }

    fn android(&self) -> bool {
        self.scan.package.platform == Platform::Android
    }

    /// Platforms whose components other apps can start, guarded by a permission: Android
    /// components and HarmonyOS abilities (on iOS they are URL schemes and extensions, in a
    /// mini-program pages).
    fn guardable_components(&self) -> bool {
        matches!(
            self.scan.package.platform,
            Platform::Android | Platform::Harmonyos
        )
    }

    fn mandated(&self) -> bool {
        self.ctx.contains(Context::Mandated)
    }

    fn minors(&self) -> bool {
        self.ctx.contains(Context::Minors)
    }

    fn large_scale(&self) -> bool {
        self.breadth.len() >= self.inp.thresholds.scale_categories
    }

    fn breadth_ref(&self) -> EvidenceRef {
        let cats: Vec<&str> = self.breadth.iter().map(String::as_str).collect();
        let zh = join_labels(cats.iter().copied(), category_label).zh;
        EvidenceRef::text(
            Ek::Permission,
            "personal-information-categories",
            Text::new(
                format!("{} 类：{zh}", cats.len()),
                format!(
                    "{}: {}",
                    plural(cats.len(), "category", "categories"),
                    cats.join(", ")
                ),
            ),
        )
    }

    /// Explicit context without mandated: JJH55 (十一) is moot.
    fn not_mandated(&self) -> Option<Draft> {
        if !self.ctx.is_unspecified() && !self.mandated() {
            Some(Draft::fixed(
                Status::NotApplicable,
                "context.not-mandated",
                Text::new(
                    format!("部署场景为{}，不是统一使用：本条仅约束要求统一使用的应用。", context_words(self.ctx).zh),
                    format!(
                        "The context is {}, not mandated: this clause binds only apps a school requires.",
                        self.ctx
                    ),
                ),
            ))
        } else {
            None
        }
    }

    /// Explicit context without higher-ed: JJS265 is moot.
    fn not_higher_ed(&self) -> Option<Draft> {
        if !self.ctx.is_unspecified() && !self.ctx.contains(Context::HigherEd) {
            Some(Draft::fixed(
                Status::NotApplicable,
                "context.not-higher-ed",
                Text::new(
                    format!(
                        "部署场景为{}，不含高校管理服务类：教技司〔2019〕265号针对高等院校管理服务类应用。",
                        context_words(self.ctx).zh
                    ),
                    format!(
                        "The context is {}, without higher-ed: JJS265 covers higher-education management/service apps.",
                        self.ctx
                    ),
                ),
            ))
        } else {
            None
        }
    }

    fn missing_input(what_zh: &str, what_en: &str) -> Draft {
        Draft::fixed(
            Status::NotCheckable,
            "input.missing",
            Text::new(
                format!("未提供{what_zh}，无法比对。"),
                format!("No {what_en} was given, so there is nothing to compare against."),
            ),
        )
    }

    // ------------------------------------------------------------ JJH55-4, JJS265-3-1

    fn filing_facts(&self) -> Vec<EvidenceRef> {
        let p = &self.scan.package;
        let mut v = vec![EvidenceRef::new(
            Ek::Package,
            "package-id",
            format!(
                "{} {} ({})",
                p.id,
                p.version_name.as_deref().unwrap_or("-"),
                p.version_code.as_deref().unwrap_or("-")
            ),
        )
        .at(&p.location)];
        for c in &self.scan.inventory.signing.certificates {
            v.push(
                EvidenceRef::text(
                    Ek::Certificate,
                    &c.sha256,
                    Text::new(
                        format!("主体 {}", c.subject),
                        format!("subject {}", c.subject),
                    ),
                )
                .at(&c.location),
            );
        }
        v
    }

    fn filing(&self, record_rule: &'static str, registry_rule: &'static str) -> Draft {
        let Some(reg) = self.inp.registry else {
            let mut d = Draft::fixed(
                Status::NotCheckable,
                record_rule,
                Text::new(
                    "未提供备案库：已生成备案信息，请人工核实该应用已备案且信息一致。",
                    "No filing registry was given: the filing record is produced; confirm by hand that the app is filed and the record matches.",
                ),
            );
            d.add_all(self.filing_facts());
            return d;
        };
        let mut d = Draft::pass();
        d.rule(record_rule);
        d.add_all(self.filing_facts());
        let id = &self.scan.package.id;
        if reg.find(id).is_some() {
            d.raise(
                Status::Pass,
                registry_rule,
                Text::new(
                    format!("包名 {id} 在备案库中。"),
                    format!("Package id {id} is in the filing registry."),
                ),
            );
        } else {
            d.raise(
                Status::Violation,
                registry_rule,
                Text::new(
                    format!("包名 {id} 不在所提供的备案库中：未备案的应用不得选用、上架。"),
                    format!(
                        "Package id {id} is not in the filing registry given: unfiled apps may not be listed or selected."
                    ),
                ),
            );
            d.add(EvidenceRef::text(
                Ek::Registry,
                id,
                Text::new("不在备案库中", "not in the registry"),
            ));
        }
        d
    }

    fn jjh55_4(&self) -> Draft {
        self.filing("filing.record", "filing.registry")
    }

    fn jjs265_3_1(&self) -> Draft {
        if let Some(d) = self.not_higher_ed() {
            return d;
        }
        self.filing("catalogue.record", "catalogue.registry")
    }

    // ------------------------------------------------------------ JJH55-5

    fn jjh55_5_ads(&self) -> Draft {
        let mut d = Draft::pass();
        let ads = self.sdks(&["advertising"]);
        if !ads.is_empty() {
            let extra = if self.minors() {
                (
                    "以未成年人为主要用户的应用须对内容（含广告）严格把关。",
                    " Apps for minors must vet all content, ads included, strictly.",
                )
            } else {
                ("", "")
            };
            review_sdks(
                &mut d,
                "ads.sdk",
                &ads,
                |names| {
                    Text::new(
                        format!(
                            "发现广告 SDK：{}。须确认广告与所提供的服务相契合。",
                            names.zh
                        ),
                        format!(
                            "Advertising SDKs found: {}. Confirm the ads fit the service.",
                            names.en
                        ),
                    )
                },
                ("广告 SDK ", "advertising SDKs"),
                extra,
            );
        }
        let ids = &self.scan.inventory.ad_network_ids;
        if !ids.is_empty() {
            d.raise(
                Status::NeedsReview,
                "ads.skadnetwork",
                Text::new(
                    format!(
                        "Info.plist 声明了 {} 个 SKAdNetwork 广告网络标识。",
                        ids.len()
                    ),
                    format!(
                        "Info.plist declares {}.",
                        plural(
                            ids.len(),
                            "SKAdNetwork ad-network identifier",
                            "SKAdNetwork ad-network identifiers"
                        )
                    ),
                ),
            );
            d.add_all(
                ids.iter().map(|a| {
                    EvidenceRef::new(Ek::AdNetworkId, &a.id, "SKAdNetwork").at(&a.location)
                }),
            );
        }
        d
    }

    fn jjh55_5_minors(&self) -> Draft {
        if self.minors() {
            Draft::fixed(
                Status::NeedsReview,
                "minors.manual",
                Text::new(
                    "部署场景为以未成年人为主要用户：须人工确认使用时长限制、适龄范围和内容把关，静态扫描无法证明。",
                    "The context is minors: usage-time limits, the age range and content vetting must be confirmed by hand; a static scan cannot show them.",
                ),
            )
        } else {
            Draft::fixed(
                Status::NotApplicable,
                "context.not-minors",
                Text::new(
                    "部署场景不含以未成年人为主要用户。",
                    "The context does not say the app's main users are minors.",
                ),
            )
        }
    }

    fn jjh55_5_ugc(&self) -> Draft {
        let mut d = Draft::pass();
        let ugc = self.sdks(&["im", "live-streaming", "community"]);
        if !ugc.is_empty() {
            review_sdks(
                &mut d,
                "ugc.sdk",
                &ugc,
                |names| {
                    Text::new(
                    format!("发现即时通讯、直播或社区类 SDK：{}。须确认已建立信息审核制度。", names.zh),
                    format!(
                        "Instant-messaging, live-streaming or community SDKs found: {}. Confirm a moderation system exists.",
                        names.en
                    ),
                )
                },
                (
                    "即时通讯、直播或社区类 SDK ",
                    "instant-messaging, live-streaming or community SDKs",
                ),
                ("", ""),
            );
        }
        d
    }

    // ------------------------------------------------------------ JJH55-6

    fn jjh55_6(&self) -> Draft {
        let mut d = Draft::pass();
        let perms: Vec<&PermissionFinding> = self
            .f
            .permissions
            .iter()
            .filter(|p| is_pi_permission(p))
            .collect();
        if !perms.is_empty() {
            let cats: BTreeSet<&str> = perms.iter().map(|p| p.category.as_str()).collect();
            let cats = cats.into_iter().collect::<Vec<_>>();
            d.raise(
                Status::NeedsReview,
                "pi.permission",
                Text::new(
                    format!(
                        "申请 {} 项个人信息类权限（{}）。",
                        perms.len(),
                        join_labels(cats.iter().copied(), category_label).zh
                    ),
                    format!(
                        "{} {} requested ({}).",
                        plural(
                            perms.len(),
                            "permission in a personal-information category",
                            "permissions in personal-information categories"
                        ),
                        if perms.len() == 1 { "is" } else { "are" },
                        cats.join(", ")
                    ),
                ),
            );
            d.add_all(perms.iter().map(|p| perm_ref(p)));
        }
        let apis: Vec<&appvet_model::ApiFinding> = self
            .f
            .apis
            .iter()
            .filter(|a| {
                PI_CATEGORIES.contains(&a.category.as_str()) || a.category == "fingerprinting"
            })
            .collect();
        if !apis.is_empty() {
            let by: BTreeSet<&str> = apis
                .iter()
                .flat_map(|a| a.by.iter().map(String::as_str))
                .collect();
            let by = by.into_iter().collect::<Vec<_>>();
            d.raise(
                Status::NeedsReview,
                "pi.api",
                Text::new(
                    format!(
                        "代码引用 {} 个敏感 API，调用方：{}。",
                        apis.len(),
                        join_labels(by.iter().copied(), caller_label).zh
                    ),
                    format!(
                        "The code references {}, called by: {}.",
                        plural(apis.len(), "sensitive API", "sensitive APIs"),
                        by.join(", ")
                    ),
                ),
            );
            d.add_all(apis.iter().map(|a| api_ref(a)));
        }
        let sdks: Vec<&SdkFinding> = self
            .f
            .sdks
            .iter()
            .filter(|s| {
                s.collects
                    .iter()
                    .any(|c| PI_CATEGORIES.contains(&c.as_str()))
            })
            .collect();
        if !sdks.is_empty() {
            d.raise(
                Status::NeedsReview,
                "pi.sdk",
                Text::new(
                    format!(
                        "发现收集个人信息的第三方 SDK：{}。须确认隐私政策逐一披露并经同意。",
                        sdk_names(&sdks, Lang::Zh)
                    ),
                    format!(
                        "Third-party SDKs that collect personal information: {}. Confirm each is disclosed and consented to.",
                        sdk_names(&sdks, Lang::En)
                    ),
                ),
            );
            for s in &sdks {
                let mut e = sdk_ref(s);
                let collects = join_labels(s.collects.iter().map(String::as_str), category_label);
                e.push_detail(&Text::new(
                    format!("；收集：{}", collects.zh),
                    format!("; collects {}", s.collects.join(", ")),
                ));
                d.add(e);
            }
        }
        if self.minors() && d.status != Status::Pass {
            d.raise(
                Status::NeedsReview,
                "pi.minors-guardian",
                Text::new(
                    "以未成年人为主要用户：收集使用未成年人信息须取得监护人同意、授权。",
                    "The main users are minors: collecting their information needs a guardian's consent and authorisation.",
                ),
            );
            d.manual(Text::new(
                "确认收集任何未成年人个人信息之前已取得监护人同意、授权，并核对儿童个人信息保护规则",
                "Confirm a guardian's consent is obtained before any personal information of a minor is collected, and check the children's privacy rules",
            ));
        }
        d
    }

    // ------------------------------------------------------------ JJH55-7

    fn security_issues(&self) -> Vec<SecurityIssue> {
        let inv = &self.scan.inventory;
        let app = &inv.app;
        let mut out = Vec::new();
        let mut issue = |rule, status, reason: Text, evidence: Vec<EvidenceRef>, omitted| {
            out.push(SecurityIssue {
                rule,
                status,
                reason,
                evidence,
                omitted,
            })
        };
        let flag =
            |id: &str, detail: Text| EvidenceRef::text(Ek::Flag, id, detail).at(&app.location);
        let value = |v: &str| Text::new(v, v);
        if app.debuggable == Some(true) {
            issue(
                "sec.debuggable",
                Status::Violation,
                Text::new(
                    "应用可调试（debuggable / get-task-allow）：任何人可附加调试器、读取应用数据。",
                    "The app is debuggable (debuggable / get-task-allow): anyone can attach a debugger and read its data.",
                ),
                vec![flag("debuggable", value("true"))],
                0,
            );
        }
        let debug_certs: Vec<EvidenceRef> = inv
            .signing
            .certificates
            .iter()
            .filter(|c| c.debug)
            .map(|c| {
                EvidenceRef::text(
                    Ek::Certificate,
                    &c.sha256,
                    Text::new(
                        format!("调试/测试密钥；主体 {}", c.subject),
                        format!("debug/test key; subject {}", c.subject),
                    ),
                )
                .at(&c.location)
            })
            .collect();
        if !debug_certs.is_empty() {
            issue(
                "sec.debug-certificate",
                Status::Violation,
                Text::new(
                    "使用调试证书或公开测试密钥签名：私钥公开，任何人可签发冒充的更新。",
                    "Signed with a debug certificate or a public test key: the private key is public, so anyone can sign a fake update.",
                ),
                debug_certs,
                0,
            );
        }
        if app.test_only == Some(true) {
            issue(
                "sec.test-only",
                Status::NeedsReview,
                Text::new(
                    "应用标记为 testOnly（测试包）。",
                    "The app is marked testOnly (a test build).",
                ),
                vec![flag("testOnly", value("true"))],
                0,
            );
        }
        if app.cleartext_permitted == Some(true) {
            let detail = match app.uses_cleartext_traffic {
                Some(v) => value(&format!("usesCleartextTraffic={v}")),
                None => Text::new("默认", "default"),
            };
            issue(
                "sec.cleartext",
                Status::NeedsReview,
                Text::new(
                    "默认允许明文（HTTP）流量：数据可被窃听、篡改。",
                    "Cleartext (HTTP) traffic is permitted by default: data can be intercepted and altered.",
                ),
                vec![flag("cleartextPermitted", detail)],
                0,
            );
        }
        if let Some(nsc) = &app.network_security_config {
            let domains: Vec<EvidenceRef> = nsc
                .domains
                .iter()
                .filter(|d| d.cleartext_permitted == Some(true))
                .map(|d| {
                    EvidenceRef::new(
                        Ek::NetworkConfig,
                        d.domains.join(" "),
                        format!(
                            "cleartextTrafficPermitted=true; includeSubdomains={}",
                            d.include_subdomains
                        ),
                    )
                    .at(&nsc.source)
                })
                .collect();
            if !domains.is_empty() {
                issue(
                    "sec.cleartext-domain",
                    Status::NeedsReview,
                    Text::new(
                        format!("网络安全配置对 {} 组域名允许明文流量。", domains.len()),
                        format!(
                            "The network security config permits cleartext for {}.",
                            plural(domains.len(), "domain group", "domain groups")
                        ),
                    ),
                    domains,
                    0,
                );
            }
            if nsc.base_trust_anchors.iter().any(|a| a == "user") {
                issue(
                    "sec.user-trust",
                    Status::NeedsReview,
                    Text::new(
                        "基础配置信任用户安装的 CA 证书：易被中间人攻击。",
                        "The base config trusts user-installed CAs: open to man-in-the-middle interception.",
                    ),
                    vec![EvidenceRef::text(Ek::NetworkConfig, "base-config", Text::new("信任锚：user", "trust-anchors: user")).at(&nsc.source)],
                    0,
                );
            }
        }
        if self.android() && app.allow_backup != Some(false) {
            let detail = if app.allow_backup == Some(true) {
                value("true")
            } else {
                Text::new("未设置（默认 true）", "unset (default true)")
            };
            issue(
                "sec.allow-backup",
                Status::NeedsReview,
                Text::new(
                    "允许备份（allowBackup）：应用数据可经备份导出。",
                    "Backup is allowed (allowBackup): the app's data can be extracted through backups.",
                ),
                vec![flag("allowBackup", detail)],
                0,
            );
        }
        if self.guardable_components() {
            let exported: Vec<&appvet_model::Component> = inv
                .components
                .iter()
                .filter(|c| {
                    c.exported
                        && c.enabled
                        && c.permission.is_none()
                        && !(c.kind == ComponentKind::Provider
                            && c.read_permission.is_some()
                            && c.write_permission.is_some())
                        && !is_launcher(c)
                        && c.kind != ComponentKind::Extension
                })
                .collect();
            if !exported.is_empty() {
                let n = exported.len();
                let ev = exported
                    .iter()
                    .take(MAX_PER_RULE)
                    .map(|c| {
                        EvidenceRef::text(
                            Ek::Component,
                            &c.name,
                            exported_detail(c.kind, c.exported_reason),
                        )
                        .at(&c.location)
                    })
                    .collect();
                issue(
                    "sec.exported",
                    Status::NeedsReview,
                    Text::new(
                        format!("{n} 个导出组件无权限保护（启动入口除外），其他应用可直接调用。"),
                        format!(
                            "{} no guarding permission (launcher excepted): any app can invoke {}.",
                            plural(n, "exported component has", "exported components have"),
                            if n == 1 { "it" } else { "them" }
                        ),
                    ),
                    ev,
                    n.saturating_sub(MAX_PER_RULE) as u64,
                );
            }
        }
        if self.android() {
            let schemes = &inv.signing.schemes;
            let modern = schemes
                .iter()
                .any(|s| s == "v2" || s == "v3" || s == "v3.1");
            if schemes.is_empty() || (!modern && schemes.iter().any(|s| s == "v1")) {
                let what = if schemes.is_empty() {
                    Text::new("无", "none")
                } else {
                    value(&schemes.join(", "))
                };
                issue(
                    "sec.signing-scheme",
                    Status::NeedsReview,
                    if schemes.is_empty() {
                        Text::new("未发现签名。", "No signature was found.")
                    } else {
                        Text::new(
                            "仅有 v1（JAR）签名：Android 7.0 以下易受 Janus 漏洞（CVE-2017-13156）影响，Android 11 起 targetSdk 30 以上须 v2。",
                            "v1 (JAR) signing only: exposed to Janus (CVE-2017-13156) on old Android; Android 11+ requires v2 for target SDK 30+.",
                        )
                    },
                    vec![EvidenceRef::text(Ek::Signing, "schemes", what)],
                    0,
                );
            }
            if let Some(t) = self.scan.package.target_sdk {
                let min = self.inp.thresholds.min_target_sdk;
                if t < min {
                    issue(
                        "sec.target-sdk",
                        Status::NeedsReview,
                        Text::new(
                            format!("targetSdkVersion {t} 低于 {min}：未启用新版系统的安全与隐私保护。"),
                            format!("targetSdkVersion {t} is below {min}: newer platform security and privacy protections are not in force."),
                        ),
                        vec![EvidenceRef::new(Ek::Package, "target-sdk", t.to_string()).at(&self.scan.package.location)],
                        0,
                    );
                }
            }
        }
        let weak: Vec<EvidenceRef> = inv
            .signing
            .certificates
            .iter()
            .filter_map(|c| {
                let alg = c.key_algorithm.to_ascii_uppercase();
                let sig = c.signature_algorithm.to_ascii_uppercase();
                let bits = c.key_bits.unwrap_or(u32::MAX);
                let why = if alg == "DSA" {
                    Some(Text::new("DSA 密钥", "DSA key"))
                } else if alg == "RSA" && bits < 2048 {
                    Some(Text::new(
                        format!("RSA {bits} 位"),
                        format!("RSA {bits} bits"),
                    ))
                } else if alg == "EC" && bits < 224 {
                    Some(Text::new(
                        format!("EC {bits} 位"),
                        format!("EC {bits} bits"),
                    ))
                } else if sig.contains("MD5")
                    || sig.contains("MD2")
                    || sig.contains("SHA1")
                    || sig.contains("SHA-1")
                {
                    Some(Text::new(
                        format!("签名算法 {}", c.signature_algorithm),
                        format!("signature {}", c.signature_algorithm),
                    ))
                } else {
                    None
                }?;
                Some(
                    EvidenceRef::text(
                        Ek::Certificate,
                        &c.sha256,
                        Text::new(
                            format!("{}；主体 {}", why.zh, c.subject),
                            format!("{}; subject {}", why.en, c.subject),
                        ),
                    )
                    .at(&c.location),
                )
            })
            .collect();
        if !weak.is_empty() {
            issue(
                "sec.weak-certificate",
                Status::NeedsReview,
                Text::new("签名证书强度不足。", "The signer certificate is weak."),
                weak,
                0,
            );
        }
        let mut seen = BTreeSet::new();
        let mut http = Vec::new();
        for u in &inv.urls {
            let lower = u.value.to_ascii_lowercase();
            if !(lower.starts_with("http://") || lower.starts_with("ws://")) {
                continue;
            }
            if NON_ENDPOINT_HOSTS.contains(&u.host.as_str()) || !seen.insert(u.value.as_str()) {
                continue;
            }
            http.push(u);
        }
        if !http.is_empty() {
            let n = http.len();
            let ev = http
                .iter()
                .take(MAX_PER_RULE)
                .map(|u| {
                    EvidenceRef::text(
                        Ek::Url,
                        &u.value,
                        Text::new(format!("主机 {}", u.host), format!("host {}", u.host)),
                    )
                    .at(&u.location)
                })
                .collect();
            issue(
                "sec.plain-http",
                Status::NeedsReview,
                Text::new(
                    format!("代码中有 {n} 个明文 HTTP/WS 地址。"),
                    format!(
                        "The code contains {}.",
                        plural(n, "plain HTTP/WS endpoint", "plain HTTP/WS endpoints")
                    ),
                ),
                ev,
                n.saturating_sub(MAX_PER_RULE) as u64,
            );
        }
        // Violations first, so reasons read most severe first.
        out.sort_by_key(|i| i.status);
        out
    }

    fn jjh55_7(&self) -> Draft {
        let mut d = Draft::pass();
        for i in &self.security {
            d.raise(i.status, i.rule, i.reason.clone());
            d.add_all(i.evidence.iter().cloned());
            d.omitted += i.omitted;
        }
        d
    }

    // ------------------------------------------------------------ JJH55-11

    /// Shared shape of the three (十一) clauses. Mandated: the decisive items (strong or medium
    /// SDK evidence, permissions) make a violation and are its only evidence; items that cannot
    /// decide (weak evidence, multi-purpose) are named in a note (`see_also`: the clause that
    /// lists them) or, when nothing decides, make the clause need review with why. Unspecified
    /// context: needs review with every item.
    fn mandated_clause(
        &self,
        rule: &'static str,
        items: Vec<Item>,
        what: (&str, &str),
        see_also: Option<&str>,
    ) -> Draft {
        if let Some(d) = self.not_mandated() {
            return d;
        }
        let mut d = Draft::pass();
        if items.is_empty() {
            return d;
        }
        let (what_zh, what_en) = what;
        let names = |chosen: &[&Item]| {
            let named: Vec<Text> = chosen.iter().map(|i| i.named()).collect();
            join_texts(&named)
        };
        if !self.mandated() {
            let all: Vec<&Item> = items.iter().collect();
            let n = names(&all);
            d.raise(
                Status::NeedsReview,
                rule,
                Text::new(
                    format!("未指定部署场景；若为统一使用则构成违规（{what_zh}）：{}。", n.zh),
                    format!("No context given; if the app is mandated this is a violation ({what_en}): {}.", n.en),
                ),
            );
            d.add_all(items.into_iter().map(|i| i.ev));
            return d;
        }
        let (deciding, other): (Vec<Item>, Vec<Item>) =
            items.into_iter().partition(|i| i.not_decisive.is_none());
        let other_refs: Vec<&Item> = other.iter().collect();
        if deciding.is_empty() {
            let n = names(&other_refs);
            d.raise(
                Status::NeedsReview,
                rule,
                Text::new(
                    format!("证据不足以判定违规，须确认是否{what_zh}：{}。", n.zh),
                    format!("The evidence cannot decide a violation; confirm whether the app does {what_en}: {}.", n.en),
                ),
            );
            d.add_all(other.into_iter().map(|i| i.ev));
            return d;
        }
        let deciding_refs: Vec<&Item> = deciding.iter().collect();
        let n = names(&deciding_refs);
        d.raise(
            Status::Violation,
            rule,
            Text::new(
                format!("统一使用的应用不得{what_zh}，但发现：{}。", n.zh),
                format!("A mandated app must not {what_en}, but found: {}.", n.en),
            ),
        );
        if !other.is_empty() {
            let n = names(&other_refs);
            let (also_zh, also_en) = match see_also {
                Some(c) => (format!("（见 {c}）"), format!(" (see {c})")),
                None => (String::new(), String::new()),
            };
            d.note(
                rule,
                Text::new(
                    format!("另有证据不足、未作为违规依据的：{}{also_zh}。", n.zh),
                    format!("Not counted towards the violation (the evidence cannot decide it): {}{also_en}.", n.en),
                ),
            );
        }
        d.add_all(deciding.into_iter().map(|i| i.ev));
        d
    }

    fn jjh55_11_ads(&self) -> Draft {
        let items = self
            .sdks(&["advertising"])
            .into_iter()
            .map(|s| Item::sdk(s, false))
            .collect();
        self.mandated_clause(
            "mandated.ads",
            items,
            ("植入商业广告", "embed commercial ads"),
            Some("JJH55-5-ads"),
        )
    }

    fn jjh55_11_games(&self) -> Draft {
        let items = self
            .sdks(&["game-engine", "game-services"])
            .into_iter()
            .map(|s| Item::sdk(s, false))
            .collect();
        self.mandated_clause("mandated.games", items, ("植入游戏", "embed games"), None)
    }

    fn jjh55_11_fees(&self) -> Draft {
        let mut items: Vec<Item> = self
            .sdks(&["payment"])
            .into_iter()
            .map(|s| Item::sdk(s, has_cat(s, &["social"])))
            .collect();
        let mut perm_items = Vec::new();
        for p in &self.scan.inventory.permissions {
            if p.name == "com.android.vending.BILLING" {
                perm_items.push(Item::plain(
                    EvidenceRef::text(
                        Ek::Permission,
                        &p.name,
                        Text::new("Google Play 应用内购买结算", "Google Play in-app billing"),
                    )
                    .at(&p.location),
                ));
            }
        }
        for p in self
            .f
            .permissions
            .iter()
            .filter(|p| p.category == "payment-info")
        {
            perm_items.push(Item::plain(perm_ref(p)));
        }
        let has_perm = !perm_items.is_empty();
        items.extend(perm_items);
        let mut d = self.mandated_clause(
            "mandated.fees-sdk",
            items,
            (
                "向学生及家长收取费用（支付能力）",
                "charge students or parents (payment capability)",
            ),
            None,
        );
        if has_perm && d.status != Status::NotApplicable {
            d.rule("mandated.fees-permission");
        }
        d
    }

    // ------------------------------------------------------------ JJH55-16

    fn jjh55_16(&self) -> Draft {
        let Some(bl) = self.inp.blacklist else {
            return Eval::missing_input("黑名单", "blacklist");
        };
        let mut d = Draft::pass();
        d.rule("blacklist.match");
        let id = &self.scan.package.id;
        if bl.package_ids.iter().any(|p| p == id) {
            d.raise(
                Status::Violation,
                "blacklist.match",
                Text::new(
                    format!("包名 {id} 在黑名单中。"),
                    format!("Package id {id} is blacklisted."),
                ),
            );
            d.add(
                EvidenceRef::text(Ek::Blacklist, id, Text::new("包名", "package id"))
                    .at(&self.scan.package.location),
            );
        }
        let listed: BTreeSet<String> = bl.cert_sha256.iter().map(|c| norm_hex(c)).collect();
        for c in &self.scan.inventory.signing.certificates {
            if listed.contains(&norm_hex(&c.sha256)) {
                d.raise(
                    Status::Violation,
                    "blacklist.match",
                    Text::new(
                        format!("签名证书 {} 在黑名单中。", c.sha256),
                        format!("Signer certificate {} is blacklisted.", c.sha256),
                    ),
                );
                d.add(
                    EvidenceRef::text(
                        Ek::Blacklist,
                        &c.sha256,
                        Text::new(
                            format!("证书；主体 {}", c.subject),
                            format!("certificate; subject {}", c.subject),
                        ),
                    )
                    .at(&c.location),
                );
            }
        }
        for s in &self.f.sdks {
            if bl.sdk_ids.iter().any(|b| b == &s.id) {
                // A blacklisted SDK is a violation on strong or medium evidence of any kind
                // (a linked system framework included: the list names it on purpose).
                let weak = if s.strength >= Strength::Medium {
                    None
                } else {
                    not_decisive(s)
                };
                let st = if weak.is_none() {
                    Status::Violation
                } else {
                    Status::NeedsReview
                };
                d.raise(
                    st,
                    "blacklist.match",
                    match weak {
                        None => Text::new(
                            format!("SDK {} 在黑名单中。", sdk_names(&[s], Lang::Zh)),
                            format!("SDK {} is blacklisted.", s.name),
                        ),
                        Some(why) => Text::new(
                            format!(
                                "SDK {} 在黑名单中，但证据不足（{}），须确认是否嵌入。",
                                sdk_names(&[s], Lang::Zh),
                                why.zh
                            ),
                            format!(
                                "SDK {} is blacklisted, but the evidence cannot decide ({}): confirm it is embedded.",
                                s.name, why.en
                            ),
                        ),
                    },
                );
                let mut e = sdk_ref(s);
                e.kind = Ek::Blacklist;
                d.add(e);
            }
        }
        if d.status == Status::Pass {
            d.note(
                "blacklist.match",
                Text::new("未命中所提供的黑名单。", "No match in the blacklist given."),
            );
        }
        d
    }

    // ------------------------------------------------------------ JJS265-3-3

    fn jjs265_3_3(&self) -> Draft {
        if let Some(d) = self.not_higher_ed() {
            return d;
        }
        let mut d = Draft::pass();
        let bio = &self.f.biometrics;
        // Face SDKs are judged by their evidence like every SDK-category clause: a weakly
        // evidenced one (a domain, a referenced type) is named apart with why.
        let sdk_of = |id: &str| self.f.sdks.iter().find(|s| s.id == id);
        let weak_sdk = |id: &str| sdk_of(id).is_some_and(|s| not_decisive(s).is_some());
        let decided: Vec<&appvet_model::BiometricFinding> = bio
            .iter()
            .filter(|b| b.source != appvet_model::BiometricSource::Sdk || !weak_sdk(&b.id))
            .collect();
        if !decided.is_empty() {
            let modalities: BTreeSet<&str> = decided.iter().map(|b| b.modality.as_str()).collect();
            let m = join_labels(modalities, modality_label);
            d.raise(
                Status::NeedsReview,
                "biometric.finding",
                Text::new(
                    format!(
                        "发现生物识别能力（{}）：采集人脸等生物识别信息须在立项、审核、征求意见、领导班子审定基础上组织科学性、伦理性、安全性论证。",
                        m.zh
                    ),
                    format!(
                        "Biometric capabilities found ({}): collecting faces or other biometrics needs a scientific, ethical and security review on top of approval, consultation and leadership sign-off.",
                        m.en
                    ),
                ),
            );
            for b in decided {
                let m = modality_label(&b.modality);
                let mut e = EvidenceRef::text(
                    Ek::Biometric,
                    &b.id,
                    Text::new(
                        format!("{}；{}", m.zh, b.what_zh.as_deref().unwrap_or(&b.what)),
                        format!("{}; {}", m.en, b.what),
                    ),
                );
                e.by = b.by.clone();
                e.location = b.location.clone();
                d.add(e);
            }
        }
        let face: Vec<&SdkFinding> = self
            .sdks(&["face-recognition"])
            .into_iter()
            .filter(|s| !bio.iter().any(|b| b.id == s.id) || not_decisive(s).is_some())
            .collect();
        if !face.is_empty() {
            review_sdks(
                &mut d,
                "biometric.face-sdk",
                &face,
                |names| {
                    Text::new(
                        format!("发现人脸识别 SDK：{}。", names.zh),
                        format!("Face-recognition SDKs found: {}.", names.en),
                    )
                },
                ("人脸识别 SDK ", "face-recognition SDKs"),
                ("", ""),
            );
        }
        d
    }

    fn jjs265_3_3_scale(&self) -> Draft {
        if let Some(d) = self.not_higher_ed() {
            return d;
        }
        let mut d = Draft::pass();
        if self.mandated() {
            d.raise(
                Status::NeedsReview,
                "scale.mandated",
                Text::new(
                    "要求统一使用的应用须履行立项和审核程序、充分征求用户意见并经领导班子审定。",
                    "An app the university requires needs project approval and review, user consultation and leadership sign-off.",
                ),
            );
            d.add(EvidenceRef::text(
                Ek::Context,
                "mandated",
                Text::new("统一使用", "required by the school (统一使用)"),
            ));
        }
        let n = self.breadth.len();
        let min = self.inp.thresholds.scale_categories;
        if self.large_scale() {
            d.raise(
                Status::NeedsReview,
                "scale.categories",
                Text::new(
                    format!("涉及 {n} 类个人信息（阈值 {min}）：属大范围采集，须履行决策程序。"),
                    format!("{} of personal information (threshold {min}): large-scale collection needs the decision procedure.", plural(n, "category", "categories")),
                ),
            );
            d.add(self.breadth_ref());
        } else {
            d.note(
                "scale.categories",
                Text::new(
                    format!("涉及 {n} 类个人信息，低于阈值 {min}。"),
                    format!(
                        "{} of personal information, below the threshold of {min}.",
                        plural(n, "category", "categories")
                    ),
                ),
            );
        }
        d
    }

    // ------------------------------------------------------------ JJS265-3-4

    fn jjs265_3_4(&self) -> Draft {
        if let Some(d) = self.not_higher_ed() {
            return d;
        }
        let mut d = Draft::pass();
        let ids = self.sdks(&["identity-verification", "ocr"]);
        if !ids.is_empty() {
            review_sdks(
                &mut d,
                "one-source.identity-sdk",
                &ids,
                |names| {
                    Text::new(
                    format!("发现实名认证或 OCR SDK：{}。须确认不向用户重复采集个人基本信息。", names.zh),
                    format!("Identity-verification or OCR SDKs found: {}. Confirm basic personal data is not collected from users again.", names.en),
                )
                },
                ("实名认证或 OCR SDK ", "identity-verification or OCR SDKs"),
                ("", ""),
            );
        }
        const IDENTITY: &[&str] = &["contacts", "phone-number", "identity-document"];
        let perms: Vec<EvidenceRef> = self
            .f
            .permissions
            .iter()
            .filter(|p| IDENTITY.contains(&p.category.as_str()))
            .map(perm_ref)
            .collect();
        let apis: Vec<EvidenceRef> = self
            .f
            .apis
            .iter()
            .filter(|a| IDENTITY.contains(&a.category.as_str()))
            .map(api_ref)
            .collect();
        if !perms.is_empty() || !apis.is_empty() {
            d.raise(
                Status::NeedsReview,
                "one-source.identity-data",
                Text::new(
                    "读取通讯录、手机号或身份证件信息：须确认个人基本信息来自基础数据库共享。",
                    "Reads contacts, phone numbers or identity documents: confirm basic personal data comes from the base database.",
                ),
            );
            d.add_all(perms);
            d.add_all(apis);
        }
        d
    }

    // ------------------------------------------------------------ JJS265-3-5

    /// The build date and where it comes from.
    fn build_date(&self) -> Option<(Date, EvidenceRef)> {
        let bt = &self.scan.inventory.build_time;
        let mut cands = Vec::new();
        let signing =
            bt.signing_time
                .as_deref()
                .or(self.scan.inventory.signing.signing_time.as_deref());
        if let Some(s) = signing {
            if let Some(d) = Date::from_timestamp(s) {
                cands.push((d, EvidenceRef::new(Ek::BuildTime, "signing-time", s)));
            }
        }
        if let Some(s) = &bt.newest_entry {
            // A constant placeholder (1980/1981-01-01 of reproducible builds) says nothing;
            // a constant real date (SOURCE_DATE_EPOCH) does.
            let placeholder = Date::new(2008, 1, 1);
            if let Some(d) = Date::from_timestamp(s) {
                if !bt.entry_times_constant || Some(d) >= placeholder {
                    let mut e = if bt.entry_times_constant {
                        EvidenceRef::text(
                            Ek::BuildTime,
                            "newest-entry",
                            Text::new(
                                format!("{s}（所有条目均为此时间）"),
                                format!("{s} (every entry has this time)"),
                            ),
                        )
                    } else {
                        EvidenceRef::new(Ek::BuildTime, "newest-entry", s.clone())
                    };
                    e.location = bt.newest_entry_location.clone();
                    cands.push((d, e));
                }
            }
        }
        cands.into_iter().max_by_key(|(d, _)| *d)
    }

    fn jjs265_3_5(&self) -> Draft {
        if let Some(d) = self.not_higher_ed() {
            return d;
        }
        let mut d = Draft::pass();
        let months = self.inp.thresholds.stale_months;
        let scan_date = self.inp.scan_date;
        match self.build_date() {
            Some((built, ev)) => {
                let days = scan_date.days_since_epoch() - built.days_since_epoch();
                let stale = built.add_months(months).is_some_and(|limit| limit < scan_date);
                if stale {
                    d.raise(
                        Status::NeedsReview,
                        "stale.build-date",
                        Text::new(
                            format!("构建日期 {built} 早于扫描日期 {scan_date} 已 {days} 天（超过 {months} 个月）：超过半年未更新的应用应予以整合、关停，须确认是否有更新版本。"),
                            format!("Built {built}, {days} days before the scan date {scan_date} (more than {months} months): apps not updated for over six months are to be merged or shut down; confirm whether a newer version exists."),
                        ),
                    );
                } else {
                    d.note(
                        "stale.build-date",
                        Text::new(
                        format!("构建日期 {built}，距扫描日期 {scan_date} 不超过 {months} 个月。"),
                            format!("Built {built}, within {months} months of the scan date {scan_date}."),
                        ),
                    );
                }
                d.add(ev);
            }
            None => d.raise(
                Status::NeedsReview,
                "stale.build-date",
                Text::new(
                    "无法从包中确定构建日期（无签名时间，条目时间为占位值）：须确认最近更新日期。",
                    "The package does not show its build date (no signing time; entry times are a placeholder): confirm the date of the latest update.",
                ),
            ),
        }
        if !self.security.is_empty() {
            let ids: Vec<&str> = self.security.iter().map(|i| i.rule).collect();
            d.raise(
                Status::NeedsReview,
                "hardening.security",
                Text::new(
                    format!(
                        "存在 {} 类网络安全问题（见 JJH55-7）：须按等保 2.0 要求及时安全加固。",
                        ids.len()
                    ),
                    format!(
                        "{} (see JJH55-7): harden per classified protection 2.0.",
                        plural(
                            ids.len(),
                            "kind of security issue",
                            "kinds of security issue"
                        )
                    ),
                ),
            );
            d.add(EvidenceRef::new(Ek::Clause, "JJH55-7", ids.join(", ")));
        }
        if self.large_scale() {
            d.raise(
                Status::NeedsReview,
                "certification.scale",
                Text::new(
                    "大范围采集个人信息：原则上应通过移动应用个人信息安全认证。",
                    "Large-scale collection of personal information: a mobile-app personal-information security certification is expected.",
                ),
            );
            d.add(self.breadth_ref());
        }
        d
    }

    // ------------------------------------------------------------ JJS265-annex-1

    fn jjs265_annex_1(&self) -> Draft {
        if let Some(d) = self.not_higher_ed() {
            return d;
        }
        let Some(reg) = self.inp.registry else {
            return Eval::missing_input("备案库", "filing registry");
        };
        let id = &self.scan.package.id;
        let Some(filed) = reg.find(id) else {
            return Draft::fixed(
                Status::NotCheckable,
                "registry.diff",
                Text::new(
                    format!("备案库中没有 {id} 的记录，无从比对（见 JJH55-4）。"),
                    format!(
                        "The registry has no record for {id}: nothing to compare (see JJH55-4)."
                    ),
                ),
            );
        };
        let mut d = Draft::pass();
        d.rule("registry.diff");
        let certs: Vec<String> = self
            .scan
            .inventory
            .signing
            .certificates
            .iter()
            .map(|c| norm_hex(&c.sha256))
            .collect();
        if !filed.cert_sha256.is_empty()
            && !filed
                .cert_sha256
                .iter()
                .any(|c| certs.contains(&norm_hex(c)))
        {
            d.raise(
                Status::Violation,
                "registry.diff",
                Text::new("签名证书与备案记录不同：可能被重新打包。", "The signer certificate differs from the filed one: the package may have been repackaged."),
            );
            d.add(EvidenceRef::text(
                Ek::Registry,
                "signer",
                Text::new(
                    format!(
                        "备案 {}；实际 {}",
                        filed.cert_sha256.join(" "),
                        certs.join(" ")
                    ),
                    format!(
                        "filed {}; found {}",
                        filed.cert_sha256.join(" "),
                        certs.join(" ")
                    ),
                ),
            ));
        }
        let filing = crate::filing_record(self.scan, self.f, None);
        if let Some(sdks) = &filed.sdks {
            let extra: Vec<&str> = filing
                .sdks
                .iter()
                .map(|s| s.id.as_str())
                .filter(|s| !sdks.iter().any(|f| f == s))
                .collect();
            if !extra.is_empty() {
                d.raise(
                    Status::Violation,
                    "registry.diff",
                    Text::new(
                        format!("含未备案的 SDK：{}。", extra.join("、")),
                        format!("SDKs not in the filing: {}.", extra.join(", ")),
                    ),
                );
                d.add(EvidenceRef::new(Ek::Registry, "sdks", extra.join(", ")));
            }
        }
        if let Some(perms) = &filed.permissions {
            let extra: Vec<&str> = filing
                .permissions
                .iter()
                .map(String::as_str)
                .filter(|p| !perms.iter().any(|f| f == p))
                .collect();
            if !extra.is_empty() {
                d.raise(
                    Status::Violation,
                    "registry.diff",
                    Text::new(
                        format!("申请未备案的权限：{}。", extra.join("、")),
                        format!("Permissions not in the filing: {}.", extra.join(", ")),
                    ),
                );
                d.add(EvidenceRef::new(
                    Ek::Registry,
                    "permissions",
                    extra.join(", "),
                ));
            }
        }
        let p = &self.scan.package;
        let differs = |filed: &Option<String>, found: &Option<String>| matches!((filed, found), (Some(a), Some(b)) if a != b);
        if differs(&filed.version_code, &p.version_code)
            || differs(&filed.version_name, &p.version_name)
        {
            d.raise(
                Status::NeedsReview,
                "registry.diff",
                Text::new(
                    "版本与备案记录不同：须更新备案信息。",
                    "The version differs from the filing: the filing must be updated.",
                ),
            );
            let (fv, fc, pv, pc) = (
                filed.version_name.as_deref().unwrap_or("-"),
                filed.version_code.as_deref().unwrap_or("-"),
                p.version_name.as_deref().unwrap_or("-"),
                p.version_code.as_deref().unwrap_or("-"),
            );
            d.add(EvidenceRef::text(
                Ek::Registry,
                "version",
                Text::new(
                    format!("备案 {fv} ({fc})；实际 {pv} ({pc})"),
                    format!("filed {fv} ({fc}); found {pv} ({pc})"),
                ),
            ));
        }
        if d.status == Status::Pass {
            d.note(
                "registry.diff",
                Text::new("与备案记录一致。", "Matches the filed record."),
            );
        }
        d
    }
}

/// The clause ids in catalogue order; each has an evaluator in [`Eval::clause`].
const CLAUSE_IDS: &[&str] = &[
    "JJH55-4",
    "JJH55-5-ads",
    "JJH55-5-minors",
    "JJH55-5-ugc",
    "JJH55-6",
    "JJH55-7",
    "JJH55-11-ads",
    "JJH55-11-games",
    "JJH55-11-fees",
    "JJH55-16",
    "JJS265-3-1",
    "JJS265-3-3",
    "JJS265-3-3-scale",
    "JJS265-3-4",
    "JJS265-3-5",
    "JJS265-annex-1",
];

impl Eval<'_> {
    fn clause(&self, id: &str) -> Option<Draft> {
        Some(match id {
            "JJH55-4" => self.jjh55_4(),
            "JJH55-5-ads" => self.jjh55_5_ads(),
            "JJH55-5-minors" => self.jjh55_5_minors(),
            "JJH55-5-ugc" => self.jjh55_5_ugc(),
            "JJH55-6" => self.jjh55_6(),
            "JJH55-7" => self.jjh55_7(),
            "JJH55-11-ads" => self.jjh55_11_ads(),
            "JJH55-11-games" => self.jjh55_11_games(),
            "JJH55-11-fees" => self.jjh55_11_fees(),
            "JJH55-16" => self.jjh55_16(),
            "JJS265-3-1" => self.jjs265_3_1(),
            "JJS265-3-3" => self.jjs265_3_3(),
            "JJS265-3-3-scale" => self.jjs265_3_3_scale(),
            "JJS265-3-4" => self.jjs265_3_4(),
            "JJS265-3-5" => self.jjs265_3_5(),
            "JJS265-annex-1" => self.jjs265_annex_1(),
            _ => return None,
        })
    }
}

/// Clause ids that have an evaluator, in catalogue order.
pub fn evaluated_clause_ids() -> impl Iterator<Item = &'static str> {
    CLAUSE_IDS.iter().copied()
}

/// Evaluate every clause with the default inputs (no blacklist, no registry, default
/// thresholds).
pub fn evaluate(
    scan: &PackageScan,
    findings: &Findings,
    ctx: &ContextSet,
    scan_date: Date,
) -> PolicyResult {
    evaluate_with(scan, findings, &Inputs::new(*ctx, scan_date))
}

/// Evaluate every clause.
pub fn evaluate_with(scan: &PackageScan, findings: &Findings, inputs: &Inputs<'_>) -> PolicyResult {
    let eval = Eval::new(scan, findings, inputs);
    let complete = findings.completeness.complete;
    let mut clauses = Vec::with_capacity(CLAUSE_IDS.len());
    for id in CLAUSE_IDS {
        let Some(mut d) = eval.clause(id) else {
            continue;
        };
        if !complete && d.status == Status::Pass {
            let codes: Vec<&str> = findings
                .completeness
                .reasons
                .iter()
                .map(|r| r.code.as_str())
                .collect();
            d.status = Status::NeedsReview;
            d.rule("completeness.incomplete");
            let codes_zh = join_labels(codes.iter().copied(), completeness_label).zh;
            d.reasons.insert(
                0,
                Text::new(
                    format!("分析不完整（{codes_zh}）：部分代码未能分析，不能判定为未发现问题。"),
                    format!("Analysis incomplete ({}): some code could not be analysed, so this cannot pass.", codes.join(", ")),
                ),
            );
            for r in &findings.completeness.reasons {
                let mut e = EvidenceRef::new(Ek::Completeness, &r.code, &r.message);
                e.detail_zh = incomplete_zh(r, &findings.protections);
                d.add(e);
            }
            for p in &findings.protections {
                let mut e = EvidenceRef::new(Ek::Protection, &p.id, &p.name);
                e.detail_zh = protection_name_zh(p);
                e.location = p.evidence.first().map(|x| x.location.clone());
                d.add(e);
            }
        }
        clauses.push(finish(id, d));
    }
    let verdict = if clauses.iter().any(|c| c.status == Status::Violation) {
        Verdict::Fail
    } else if clauses.iter().any(|c| c.status == Status::NeedsReview) {
        Verdict::NeedsReview
    } else {
        Verdict::Pass
    };
    let reasons = verdict_reasons(&clauses, findings, inputs.context, verdict);
    PolicyResult {
        verdict,
        verdict_zh: verdict.label_zh().to_string(),
        reasons,
        context: inputs.context,
        scan_date: inputs.scan_date,
        complete,
        clauses,
        filing: crate::filing_record(scan, findings, inputs.file_sha256),
    }
}

/// A protection's Chinese name: the catalogue's, or ours for the built-in checks.
fn protection_name_zh(p: &appvet_model::ProtectionFinding) -> Option<String> {
    if let Some(z) = &p.name_zh {
        return Some(z.clone());
    }
    match p.id.as_str() {
        "embedded-code" => Some("未分析的代码文件（包内的 dex/jar/apk）".into()),
        "fairplay" => Some(
            "加密二进制（App Store FairPlay）：已读取符号与 Objective-C 元数据，未能读取代码与字符串"
                .into(),
        ),
        _ => None,
    }
}

/// The Chinese of an incompleteness reason, rebuilt from the protection it names (the detect
/// crate's messages are English templates); None for a reason we do not know.
pub fn incomplete_zh(
    r: &appvet_model::IncompleteReason,
    protections: &[appvet_model::ProtectionFinding],
) -> Option<String> {
    use appvet_model::ProtectionKind as Pk;
    let named = |kind: Pk| {
        protections
            .iter()
            .filter(|p| p.kind == kind)
            .find(|p| r.message.contains(p.name.as_str()))
    };
    let name =
        |p: &appvet_model::ProtectionFinding| p.name_zh.clone().unwrap_or_else(|| p.name.clone());
    // The value in the message's last parentheses (an entry name).
    let paren = || {
        let open = r.message.rfind('(')?;
        let close = r.message.rfind(')')?;
        r.message.get(open + 1..close).map(str::to_string)
    };
    match r.code.as_str() {
        "packed" => named(Pk::Packer).map(|p| {
            format!(
                "由 {} 加固：真实代码被加密或隐藏、运行时才解出，其中的 SDK 与 API 未能检测",
                name(p)
            )
        }),
        "runtime-code-loading" => named(Pk::RuntimeCodeLoading).map(|p| {
            format!(
                "运行时加载代码（{}）：之后加载的代码（下载的插件、隐藏的 dex）未能分析",
                name(p)
            )
        }),
        "embedded-code" => protections
            .iter()
            .find(|p| p.kind == Pk::EmbeddedCode)
            .map(|p| {
                let files: Vec<&str> = p.evidence.iter().map(|e| e.value.as_str()).collect();
                format!(
                    "包内 {} 个代码文件未分析：{}",
                    files.len(),
                    files.join(", ")
                )
            }),
        "encrypted-binary" => protections
            .iter()
            .find(|p| p.kind == Pk::EncryptedBinary)
            .map(|p| {
                format!(
                "{} 个加密二进制：已读取类、符号与链接库，未能读取代码与字符串（URL、API 调用点）",
                p.evidence.len()
            )
            }),
        "code-unreadable" => paren().map(|e| format!("有代码文件无法解析（{e}）")),
        "attribution-incomplete" => {
            paren().map(|e| format!("部分方法的代码未能扫描调用关系（{e}）"))
        }
        "list-truncated" => {
            let mut w = r.message.split_whitespace();
            let (n, list) = (w.next()?, w.next()?);
            n.parse::<u64>()
                .ok()
                .map(|n| format!("因大小限制，{list} 列表有 {n} 项未保留"))
        }
        _ => None,
    }
}

fn finish(id: &str, mut d: Draft) -> ClauseResult {
    d.reasons.append(&mut d.notes);
    let c = crate::clause(id);
    let mut manual: Vec<Text> = c
        .map(|c| {
            c.manual_zh
                .iter()
                .zip(&c.manual_en)
                .map(|(z, e)| Text::new(z.clone(), e.clone()))
                .collect()
        })
        .unwrap_or_default();
    manual.extend(d.manual);
    ClauseResult {
        id: id.to_string(),
        status: d.status,
        status_zh: d.status.label_zh().to_string(),
        document: c.map(|c| c.document.clone()).unwrap_or_default(),
        number: c.map(|c| c.number.clone()).unwrap_or_default(),
        title: c
            .map(|c| Text::new(c.title_zh.clone(), c.title_en.clone()))
            .unwrap_or_else(|| Text::new(id, id)),
        reasons: d.reasons,
        evidence: d.evidence,
        evidence_omitted: d.omitted,
        manual_checks: manual,
        rules: d.rules.into_iter().map(str::to_string).collect(),
    }
}

fn verdict_reasons(
    clauses: &[ClauseResult],
    findings: &Findings,
    ctx: ContextSet,
    verdict: Verdict,
) -> Vec<Text> {
    let mut out = Vec::new();
    let line = |c: &ClauseResult| {
        let first = c.reasons.first();
        Text::new(
            format!(
                "{}（{}）{}：{}",
                c.id,
                c.title.zh,
                c.status.label_zh(),
                first.map(|r| r.zh.as_str()).unwrap_or("")
            ),
            format!(
                "{} ({}) {}: {}",
                c.id,
                c.title.en,
                c.status.as_str(),
                first.map(|r| r.en.as_str()).unwrap_or("")
            ),
        )
    };
    out.extend(
        clauses
            .iter()
            .filter(|c| c.status == Status::Violation)
            .map(line),
    );
    if !findings.completeness.complete {
        let codes: Vec<&str> = findings
            .completeness
            .reasons
            .iter()
            .map(|r| r.code.as_str())
            .collect();
        out.push(Text::new(
            format!(
                "分析不完整（{}）：结果不能视为通过。",
                join_labels(codes.iter().copied(), completeness_label).zh
            ),
            format!(
                "Analysis incomplete ({}): the result can never be a clean pass.",
                codes.join(", ")
            ),
        ));
    }
    out.extend(
        clauses
            .iter()
            .filter(|c| c.status == Status::NeedsReview)
            .map(line),
    );
    if verdict == Verdict::Pass {
        let ctx_s = if ctx.is_unspecified() {
            "-".to_string()
        } else {
            ctx.to_string()
        };
        out.push(Text::new(
            format!("部署场景 {ctx_s} 下，所有可检测条款均未发现问题。"),
            format!("In context {ctx_s}, no checkable clause found a problem."),
        ));
    }
    out
}

/// The filing record of a package (JJH55 (四), `--format filing`). SDKs are those with strong
/// or medium evidence (weak evidence may be a mere reference).
pub fn filing_record(
    scan: &PackageScan,
    findings: &Findings,
    file_sha256: Option<&str>,
) -> FilingRecord {
    let p = &scan.package;
    let certs = &scan.inventory.signing.certificates;
    let mut perms: Vec<String> = Vec::new();
    for r in &scan.inventory.permissions {
        if !perms.contains(&r.name) {
            perms.push(r.name.clone());
        }
    }
    FilingRecord {
        platform: p.platform,
        package_id: p.id.clone(),
        label: p.label.clone(),
        version_code: p.version_code.clone(),
        version_name: p.version_name.clone(),
        certificates: certs
            .iter()
            .map(|c| FilingCertificate {
                sha256: c.sha256.clone(),
                subject: c.subject.clone(),
                issuer: c.issuer.clone(),
            })
            .collect(),
        developer: certs.first().and_then(|c| developer(&c.subject)),
        sdks: findings
            .sdks
            .iter()
            .filter(|s| s.strength >= Strength::Medium)
            .map(|s| FilingSdk {
                id: s.id.clone(),
                name: s.name.clone(),
                vendor: s.vendor.clone(),
                categories: s.categories.clone(),
            })
            .collect(),
        permissions: perms,
        file_sha256: file_sha256.map(str::to_string),
    }
}

/// `O=` (else `CN=`) of an RFC 4514 distinguished name.
fn developer(subject: &str) -> Option<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut esc = false;
    for ch in subject.chars() {
        if esc {
            cur.push(ch);
            esc = false;
        } else if ch == '\\' {
            esc = true;
        } else if ch == ',' || ch == '+' {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(ch);
        }
    }
    parts.push(cur);
    let get = |key: &str| {
        parts.iter().find_map(|p| {
            let (k, v) = p.split_once('=')?;
            (k.trim().eq_ignore_ascii_case(key) && !v.trim().is_empty())
                .then(|| v.trim().to_string())
        })
    };
    get("O").or_else(|| get("CN"))
}
