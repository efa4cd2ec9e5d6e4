//! The appvet report: one versioned [`Report`] built from a [`ScanDocument`] and the policy
//! result ([`appvet_policy::PolicyResult`]), and its renderers.
//!
//! ```text
//! ScanDocument ─► Report::build(doc, &Inputs) ─► Report ─► render_text / render_json / render_sarif
//!                                                         / render_md / render_html / render_filing
//! ```
//!
//! JSON (`render_json`, `schemas/report.schema.json`): `report_version`, `verdict` (`pass`,
//! `needs-review`, `fail`) and its `reasons` first, `context`, `scan_date`, `clauses` (one per
//! catalogue clause: `id`, `status`, `evidence`, ...), then the package (`appvet`, `file`,
//! `package`, `signer`, `summary`, `security`, `sdks`, `permissions` grouped by
//! personal-information category, `findings`, `anomalies`, `filing`) and, unless left out, the
//! full `inventory`. The members `appvet`, `file`, `package`, `sdks`, `findings` and `inventory`
//! are those of the scan document (`appvet scan --format json` before reports), unchanged.
//! JSON carries both languages (`Text { zh, en }`); the human formats take a [`Lang`].
//!
//! Every renderer treats every string from the package as hostile: text output passes it
//! through [`clean`] (no terminal escape sequences or bidi overrides), Markdown escapes it for
//! Markdown and HTML, HTML escapes it (and the page has a CSP that allows no script at all).

mod html;
pub mod json;
mod labels;
mod md;
mod sarif;
mod text;

pub use html::render_html;
pub use labels::{category_label, sdk_category_label, status_label, verdict_label};
pub use md::{md_escape, render_md};
pub use sarif::{render_sarif, render_sarif_many, sarif_log};
pub use text::{clean, render_text};

pub use appvet_policy::{Lang, PolicyResult};

use appvet_model::{
    Certificate, CodeUnit, ComponentKind, ExportedReason, Findings, Inventory, Location,
    PackageInfo, PackageScan, PermissionFinding, Platform, SdkFinding,
};
use appvet_policy::{ClauseResult, ContextSet, Date, FilingRecord, Inputs, Text, Verdict};
use appvet_scan::{FileInfo, ScanDocument, ToolInfo};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Version of the report JSON layout; bumped on incompatible changes.
pub const REPORT_VERSION: u32 = 1;

/// Exported components listed in [`Security::exported_unguarded`] (the rest are counted).
pub const MAX_EXPORTED_LISTED: usize = 50;

/// One package's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub report_version: u32,
    /// `pass`, `needs-review` or `fail`.
    pub verdict: Verdict,
    /// Chinese label of the verdict (`不通过`).
    pub verdict_zh: String,
    /// Why the verdict, most important first.
    pub reasons: Vec<Text>,
    /// The deployment contexts the package was judged for (empty: not specified).
    pub context: ContextSet,
    /// The date the report is for (reports are reproducible when it is given).
    pub scan_date: Date,
    /// False when detection could not analyse all code.
    pub complete: bool,
    /// One result per catalogue clause, in catalogue order.
    pub clauses: Vec<ClauseResult>,
    /// Tool and signature database versions.
    pub appvet: ToolInfo,
    /// The scanned file: path as given, size, SHA-256.
    pub file: FileInfo,
    /// Package identity (`id`, `version_code`, `version_name`, `label`, `platform`, ...).
    pub package: PackageInfo,
    pub signer: Signer,
    pub summary: Summary,
    pub security: Security,
    /// The SDKs found (same list as `findings.sdks`): vendor, categories, data collected,
    /// evidence strength and where each was found.
    pub sdks: Vec<SdkFinding>,
    /// Catalogued permissions, usage keys and entitlements by personal-information category.
    pub permissions: Vec<PermissionGroup>,
    /// Every detection finding (sensitive APIs with attribution, biometrics, probes,
    /// protections, completeness, database).
    pub findings: Findings,
    pub anomalies: AnomalySummary,
    /// The JJH55-4 filing record (`--format filing`).
    pub filing: FilingRecord,
    /// The full inventory (left out with [`Report::without_inventory`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<Inventory>,
}

/// Who signed the package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    /// `v1`, `v2`, `v3`, `v3.1`, `v4`, `codesign`; empty when unsigned.
    pub schemes: Vec<String>,
    pub certificates: Vec<Certificate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_time: Option<String>,
    /// iOS team identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
}

/// Counts over the inventory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub components: u64,
    pub exported_components: u64,
    /// Exported, enabled, no permission guard, not the launcher.
    pub exported_unguarded: u64,
    /// DEX files / Mach-O slices.
    pub code_units: u64,
    pub classes_defined: u64,
    pub method_refs: u64,
    pub permissions_requested: u64,
    pub permissions_declared: u64,
    pub urls: u64,
    pub native_libs: u64,
    /// Split APKs / AAB modules merged, iOS bundles.
    pub parts: u64,
    pub bundles: u64,
    pub sdks: u64,
    pub sensitive_apis: u64,
    pub anomalies: u64,
    /// Lists cut short by limits: list name → items not kept.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub truncated: BTreeMap<String, u64>,
}

/// Security-relevant flags (JJH55-7 evidence), as read from the package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Security {
    /// `android:debuggable` / iOS `get-task-allow`.
    pub debuggable: Option<bool>,
    /// `android:allowBackup` as written (Android's default is true when unset).
    pub allow_backup: Option<bool>,
    pub uses_cleartext_traffic: Option<bool>,
    /// Cleartext (plain HTTP) permitted by default after Android's rules / iOS ATS.
    pub cleartext_permitted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_only: Option<bool>,
    /// The network security config (Android) or ATS dictionary (iOS), summarised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_config: Option<NetworkConfig>,
    /// Exported components without a permission guard (launcher activity excepted), capped at
    /// [`MAX_EXPORTED_LISTED`].
    pub exported_unguarded: Vec<ExportedComponent>,
    pub signing_schemes: Vec<String>,
    /// Signed with the Android debug certificate or an AOSP test key.
    pub debug_certificate: bool,
    pub min_sdk: Option<u32>,
    pub target_sdk: Option<u32>,
    /// iOS: provisioning profile distribution kinds (`app-store`, `enterprise`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distribution: Vec<String>,
}

/// A network security config / ATS summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkConfig {
    pub source: Location,
    pub base_cleartext_permitted: Option<bool>,
    pub base_trust_anchors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub debug_trust_anchors: Vec<String>,
    /// Domains for which cleartext is permitted explicitly.
    pub cleartext_domains: Vec<String>,
    /// User-installed CAs are trusted (base or per-domain).
    pub trusts_user_cas: bool,
}

/// An exported component another app can start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedComponent {
    pub kind: ComponentKind,
    pub name: String,
    pub reason: ExportedReason,
    pub location: Location,
}

/// Permissions of one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionGroup {
    /// `location`, `camera`, `device-id`, ... (the detect crate's categories).
    pub category: String,
    pub label: Text,
    /// The category is personal information (`appvet_policy::PI_CATEGORIES`).
    pub personal_information: bool,
    pub permissions: Vec<PermissionFinding>,
}

/// Anomalies (malformed but recovered structures) by code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnomalySummary {
    pub count: u64,
    pub by_code: BTreeMap<String, u64>,
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl Report {
    /// Evaluate the policy for a scan and build its report. `inputs.file_sha256` is filled
    /// from the document when not given.
    pub fn build(doc: ScanDocument, inputs: &Inputs<'_>) -> Report {
        let ScanDocument {
            appvet,
            file,
            package,
            sdks,
            findings,
            inventory,
        } = doc;
        let scan = PackageScan { package, inventory };
        let mut inputs = inputs.clone();
        if inputs.file_sha256.is_none() {
            inputs.file_sha256 = Some(&file.sha256);
        }
        let policy = appvet_policy::evaluate_with(&scan, &findings, &inputs);
        let PackageScan { package, inventory } = scan;
        Report::from_parts(
            ScanDocument {
                appvet,
                file,
                package,
                sdks,
                findings,
                inventory,
            },
            policy,
        )
    }

    /// Build a report from a scan document and its (already evaluated) policy result.
    pub fn from_parts(doc: ScanDocument, policy: PolicyResult) -> Report {
        let inv = &doc.inventory;
        let security = security(&doc.package, inv);
        let anomalies = {
            let mut by_code: BTreeMap<String, u64> = BTreeMap::new();
            for a in &inv.anomalies {
                *by_code.entry(a.code.clone()).or_default() += 1;
            }
            AnomalySummary {
                count: count(inv.anomalies.len()),
                by_code,
            }
        };
        let summary = Summary {
            components: count(inv.components.len()),
            exported_components: count(inv.components.iter().filter(|c| c.exported).count()),
            exported_unguarded: count(unguarded(doc.package.platform, inv).count()),
            code_units: count(inv.code.len()),
            classes_defined: inv
                .code
                .iter()
                .map(|c| count(c.classes_defined.len()))
                .sum(),
            method_refs: inv.code.iter().map(|c| count(c.methods.len())).sum(),
            permissions_requested: count(inv.permissions.len()),
            permissions_declared: count(inv.declared_permissions.len()),
            urls: count(inv.urls.len()),
            native_libs: count(inv.native_libs.len()),
            parts: count(inv.parts.len()),
            bundles: count(inv.bundles.len()),
            sdks: count(doc.findings.sdks.len()),
            sensitive_apis: count(doc.findings.apis.len()),
            anomalies: count(inv.anomalies.len()),
            truncated: inv.truncated.clone(),
        };
        let signer = Signer {
            schemes: inv.signing.schemes.clone(),
            certificates: inv.signing.certificates.clone(),
            signing_time: inv.signing.signing_time.clone(),
            team_id: inv.signing.team_id.clone(),
        };
        let permissions = group_permissions(&doc.findings.permissions);
        let PolicyResult {
            verdict,
            verdict_zh,
            reasons,
            context,
            scan_date,
            complete,
            clauses,
            filing,
        } = policy;
        Report {
            report_version: REPORT_VERSION,
            verdict,
            verdict_zh,
            reasons,
            context,
            scan_date,
            complete,
            clauses,
            appvet: doc.appvet,
            file: doc.file,
            package: doc.package,
            signer,
            summary,
            security,
            sdks: doc.sdks,
            permissions,
            findings: doc.findings,
            anomalies,
            filing,
            inventory: Some(doc.inventory),
        }
    }

    /// The report without the full inventory (smaller JSON; the renderers never need it).
    pub fn without_inventory(mut self) -> Report {
        self.inventory = None;
        self
    }

    /// The clause result for an id.
    pub fn clause(&self, id: &str) -> Option<&ClauseResult> {
        self.clauses.iter().find(|c| c.id == id)
    }

    /// The clauses most severe first (violation, needs-review, pass, not-applicable,
    /// not-checkable), catalogue order within a status: the order of the human formats.
    pub fn clauses_by_severity(&self) -> Vec<&ClauseResult> {
        let mut v: Vec<&ClauseResult> = self.clauses.iter().collect();
        v.sort_by_key(|c| c.status);
        v
    }

    /// The label to show for the package: its label, else its id.
    pub fn display_name(&self) -> &str {
        self.package
            .label
            .as_deref()
            .filter(|l| !l.is_empty())
            .unwrap_or(&self.package.id)
    }

    /// The file name of the scanned file (the last path component of `file.path`).
    pub fn file_name(&self) -> &str {
        let p = self.file.path.as_str();
        p.rsplit(['/', '\\']).next().unwrap_or(p)
    }
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

/// Exported, enabled, unguarded, non-launcher components. Android and HarmonyOS only: on iOS
/// the components are URL-scheme pseudo-components and extensions, in a mini-program pages,
/// which no permission can guard.
fn unguarded(
    platform: Platform,
    inv: &Inventory,
) -> impl Iterator<Item = &appvet_model::Component> {
    inv.components.iter().filter(move |c| {
        matches!(platform, Platform::Android | Platform::Harmonyos)
            && c.exported
            && c.enabled
            && c.permission.is_none()
            && !(c.kind == ComponentKind::Provider
                && c.read_permission.is_some()
                && c.write_permission.is_some())
            && !is_launcher(c)
    })
}

fn security(p: &PackageInfo, inv: &Inventory) -> Security {
    let a = &inv.app;
    let network_config = a.network_security_config.as_ref().map(|n| {
        let mut cleartext_domains = Vec::new();
        let mut user = n.base_trust_anchors.iter().any(|t| t == "user");
        for d in &n.domains {
            if d.cleartext_permitted == Some(true) {
                cleartext_domains.extend(d.domains.iter().cloned());
            }
            user |= d.trust_anchors.iter().any(|t| t == "user");
        }
        NetworkConfig {
            source: n.source.clone(),
            base_cleartext_permitted: n.base_cleartext_permitted,
            base_trust_anchors: n.base_trust_anchors.clone(),
            debug_trust_anchors: n.debug_trust_anchors.clone(),
            cleartext_domains,
            trusts_user_cas: user,
        }
    });
    let mut distribution: Vec<String> = Vec::new();
    for prof in &inv.provisioning {
        if !distribution.contains(&prof.distribution) {
            distribution.push(prof.distribution.clone());
        }
    }
    Security {
        debuggable: a.debuggable,
        allow_backup: a.allow_backup,
        uses_cleartext_traffic: a.uses_cleartext_traffic,
        cleartext_permitted: a.cleartext_permitted,
        test_only: a.test_only,
        network_config,
        exported_unguarded: unguarded(p.platform, inv)
            .take(MAX_EXPORTED_LISTED)
            .map(|c| ExportedComponent {
                kind: c.kind,
                name: c.name.clone(),
                reason: c.exported_reason,
                location: c.location.clone(),
            })
            .collect(),
        signing_schemes: inv.signing.schemes.clone(),
        debug_certificate: inv.signing.certificates.iter().any(|c| c.debug),
        min_sdk: p.min_sdk,
        target_sdk: p.target_sdk,
        distribution,
    }
}

/// Permissions grouped by category: personal-information categories first (in
/// `PI_CATEGORIES` order), then the others by name; inside a group, in finding order.
fn group_permissions(perms: &[PermissionFinding]) -> Vec<PermissionGroup> {
    let mut groups: Vec<PermissionGroup> = Vec::new();
    for p in perms {
        match groups.iter_mut().find(|g| g.category == p.category) {
            Some(g) => g.permissions.push(p.clone()),
            None => groups.push(PermissionGroup {
                category: p.category.clone(),
                label: category_label(&p.category),
                personal_information: appvet_policy::PI_CATEGORIES.contains(&p.category.as_str()),
                permissions: vec![p.clone()],
            }),
        }
    }
    let rank = |c: &str| {
        appvet_policy::PI_CATEGORIES
            .iter()
            .position(|x| *x == c)
            .unwrap_or(usize::MAX)
    };
    groups.sort_by(|a, b| {
        rank(&a.category)
            .cmp(&rank(&b.category))
            .then_with(|| a.category.cmp(&b.category))
    });
    groups
}

/// The report as indented JSON, each record of a deep list on one line (see [`json`]; both
/// languages; `lang` is ignored).
pub fn render_json(report: &Report, _lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    // serde_json writes a few bytes at a time: buffer here, where the writer's type is known,
    // rather than pay a dynamic call per write (a large inventory is millions of writes).
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    json::to_writer(&mut w, report)?;
    writeln!(w)?;
    w.flush()
}

/// [`render_json`] for a report the caller owns, byte for byte the same output. A large code
/// inventory (more than [`SPLIT_CODE_ABOVE`] classes, types and method references in two or
/// more units) is written in pairs of units: the first streamed here while a second thread
/// renders the next into memory, so two cores share the bulk of the document and at most one
/// unit's JSON is held. `inventory.code` is taken out while writing and put back.
pub fn render_json_mut(report: &mut Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let Some(inv) = report.inventory.as_mut() else {
        return render_json(report, lang, out);
    };
    if inv.code.len() < 2 || inv.code_item_count() <= SPLIT_CODE_ABOVE {
        return render_json(report, lang, out);
    }
    let code = std::mem::take(&mut inv.code);
    let written = render_json_split(report, &code, out);
    if let Some(inv) = report.inventory.as_mut() {
        inv.code = code;
    }
    match written {
        Ok(true) => Ok(()),
        // Nothing was written: the layout is not the one expected; render as usual.
        Ok(false) => render_json(report, lang, out),
        Err(e) => Err(e),
    }
}

/// Classes, types and method references above which [`render_json_mut`] writes code units on
/// two threads.
pub const SPLIT_CODE_ABOVE: usize = 50_000;

/// `report` (whose inventory's `code` is empty) with `code` written in its place; false, with
/// nothing written, if the report's JSON does not end with the empty code list.
fn render_json_split(report: &Report, code: &[CodeUnit], out: &mut dyn Write) -> io::Result<bool> {
    // Everything but the units; `code` is the inventory's last member and the inventory the
    // report's, so the document ends with its empty list.
    const EMPTY_TAIL: &[u8] = b"\"code\": []\n  }\n}";
    // Where the units go: inside `code` (depth 3: report, inventory, list).
    const UNIT_DEPTH: usize = 3;
    let mut head = Vec::new();
    json::to_writer(&mut head, report)?;
    let Some(prefix) = head.strip_suffix(EMPTY_TAIL) else {
        return Ok(false);
    };
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    w.write_all(prefix)?;
    w.write_all(b"\"code\": [")?;
    let mut first = true;
    let mut separator = |w: &mut io::BufWriter<&mut dyn Write>| -> io::Result<()> {
        if !std::mem::take(&mut first) {
            w.write_all(b",")?;
        }
        json::newline(w, UNIT_DEPTH)
    };
    // The second unit of each pair is rendered into blocks reused from pair to pair (fresh
    // pages cost as much to fault in as the rendering they would save).
    let mut spare = Blocks::default();
    for pair in code.chunks(2) {
        let [a, rest @ ..] = pair else { continue };
        spare.clear();
        let blocks = &mut spare;
        std::thread::scope(|s| -> io::Result<()> {
            let b = rest.first().map(|u| {
                s.spawn(move || -> io::Result<&mut Blocks> {
                    // serde_json writes a few bytes at a time: buffered, as the output is.
                    let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut *blocks);
                    json::to_writer_nested(&mut buffered, u, UNIT_DEPTH)?;
                    buffered.flush()?;
                    drop(buffered);
                    Ok(blocks)
                })
            });
            separator(&mut w)?;
            json::to_writer_nested(&mut w, a, UNIT_DEPTH)?;
            if let Some(b) = b {
                let bytes = b
                    .join()
                    .map_err(|_| io::Error::other("rendering a code unit panicked"))??;
                separator(&mut w)?;
                for block in bytes.filled() {
                    w.write_all(block)?;
                }
            }
            Ok(())
        })?;
    }
    json::newline(&mut w, UNIT_DEPTH - 1)?;
    w.write_all(b"]")?;
    json::newline(&mut w, 1)?;
    w.write_all(b"}\n}\n")?;
    w.flush()?;
    Ok(true)
}

/// Output gathered in 1 MiB blocks (a growing `Vec` would hold up to twice its length), kept
/// for reuse when cleared.
#[derive(Default)]
struct Blocks {
    blocks: Vec<Vec<u8>>,
    /// Blocks in use (the rest are empty, kept for reuse).
    used: usize,
}

impl Blocks {
    const BLOCK: usize = 1 << 20;

    fn clear(&mut self) {
        for b in &mut self.blocks {
            b.clear();
        }
        self.used = 0;
    }

    fn filled(&self) -> &[Vec<u8>] {
        self.blocks.get(..self.used).unwrap_or(&[])
    }
}

impl Write for Blocks {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let mut rest = data;
        while !rest.is_empty() {
            let current = self
                .used
                .checked_sub(1)
                .and_then(|i| self.blocks.get_mut(i));
            match current {
                Some(b) if b.len() < Self::BLOCK => {
                    let (now, later) = rest.split_at(rest.len().min(Self::BLOCK - b.len()));
                    b.extend_from_slice(now);
                    rest = later;
                }
                _ => {
                    if self.used == self.blocks.len() {
                        self.blocks.push(Vec::with_capacity(Self::BLOCK));
                    }
                    self.used += 1;
                }
            }
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The report as one line of compact JSON (`--format jsonl`).
pub fn render_jsonl(report: &Report, _lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer(&mut w, report)?;
    writeln!(w)?;
    w.flush()
}

/// The JJH55-4 filing record (identity, version, signer fingerprint and subject, SDKs,
/// permissions, file hash) as pretty JSON.
pub fn render_filing(report: &Report, _lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &report.filing)?;
    writeln!(out)
}

/// A catalogue description in the report's language (English when there is no Chinese).
pub(crate) fn what_in<'a>(en: &'a str, zh: Option<&'a str>, lang: Lang) -> &'a str {
    match (lang, zh) {
        (Lang::Zh, Some(zh)) => zh,
        _ => en,
    }
}

/// The JSON word of a unit-like enum (`activity-alias`, `implied-by-intent-filter`, `android`).
pub(crate) fn word<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The last two dotted parts of an API name (`TelephonyManager.getDeviceId`); selectors and
/// symbols unchanged, and so are HarmonyOS modules (`@ohos.identifier.oaid`), mini-program
/// calls (`wx.getLocation`) and WXML `open-type` values: they are short already.
pub(crate) fn api_short(api: &str) -> &str {
    if api.starts_with('@') || api.starts_with("wx.") || api.starts_with("open-type=") {
        return api;
    }
    let mut dots = api.rmatch_indices('.');
    let _ = dots.next();
    match dots.next() {
        Some((i, _)) => api.get(i + 1..).unwrap_or(api),
        None => api,
    }
}

/// A location as one line: `entry path [#index] @0xoffset`.
pub(crate) fn location_text(l: &Location) -> String {
    l.to_string()
}
