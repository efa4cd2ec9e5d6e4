//! What differs between a distributed copy and what was filed (教技司〔2019〕265号 附件 注1), and
//! whether the app has gone without a new version too long (三.5).

use crate::store::{violations, FiledRecord};
use appvet_policy::{Date, Text};
use appvet_report::Report;
use serde::{Deserialize, Serialize};

/// Clauses the registry itself decides; their statuses depend on what was passed as the
/// registry, so a change in them between filing and rescan is no "new violation".
const REGISTRY_CLAUSES: &[&str] = &["JJH55-4", "JJS265-3-1", "JJS265-annex-1"];

/// Kinds of difference, strongest first (the order they are listed in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DifferenceKind {
    /// The package id was never filed.
    NotFiled,
    /// Signed by none of the filed version's certificates: repackaged, or the signing key
    /// changed hands. The strongest signal.
    SignerChanged,
    /// A version that was never filed.
    VersionNotFiled,
    /// Clauses violated now that the filed version did not violate.
    NewViolations,
    /// SDKs the filed version did not have.
    NewSdks,
    /// Permissions the filed version did not request.
    NewPermissions,
    /// No new version for longer than the stale threshold.
    Stale,
    /// An older filed version than the newest one (still distributed).
    OutdatedCopy,
}

impl DifferenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DifferenceKind::NotFiled => "not-filed",
            DifferenceKind::SignerChanged => "signer-changed",
            DifferenceKind::VersionNotFiled => "version-not-filed",
            DifferenceKind::NewViolations => "new-violations",
            DifferenceKind::NewSdks => "new-sdks",
            DifferenceKind::NewPermissions => "new-permissions",
            DifferenceKind::Stale => "stale",
            DifferenceKind::OutdatedCopy => "outdated-copy",
        }
    }

    pub const ALL: [DifferenceKind; 8] = [
        DifferenceKind::NotFiled,
        DifferenceKind::SignerChanged,
        DifferenceKind::VersionNotFiled,
        DifferenceKind::NewViolations,
        DifferenceKind::NewSdks,
        DifferenceKind::NewPermissions,
        DifferenceKind::Stale,
        DifferenceKind::OutdatedCopy,
    ];

    /// The clause the difference speaks to.
    pub fn clause(self) -> &'static str {
        match self {
            DifferenceKind::NotFiled => "JJH55-4",
            DifferenceKind::Stale => "JJS265-3-5",
            _ => "JJS265-annex-1",
        }
    }

    pub fn label(self) -> Text {
        let (zh, en) = match self {
            DifferenceKind::NotFiled => ("未备案", "not filed"),
            DifferenceKind::SignerChanged => ("签名证书变更", "signer changed"),
            DifferenceKind::VersionNotFiled => ("版本未备案", "version not filed"),
            DifferenceKind::NewViolations => ("新增违规", "new violations"),
            DifferenceKind::NewSdks => ("新增 SDK", "new SDKs"),
            DifferenceKind::NewPermissions => ("新增权限", "new permissions"),
            DifferenceKind::Stale => ("超过半年未更新", "not updated"),
            DifferenceKind::OutdatedCopy => ("分发旧版本", "outdated copy"),
        };
        Text::new(zh, en)
    }
}

/// One difference, with what differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub kind: DifferenceKind,
    /// The clause it speaks to.
    pub clause: String,
    pub message: Text,
    /// The items that differ (SDK ids, permissions, clause ids, fingerprints).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
}

/// The filed record a copy was compared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiledRef {
    pub id: i64,
    pub version_code: Option<String>,
    pub version_name: Option<String>,
    pub filed_on: Date,
    pub file_sha256: String,
}

impl From<&FiledRecord> for FiledRef {
    fn from(r: &FiledRecord) -> FiledRef {
        FiledRef {
            id: r.id,
            version_code: r.version_code.clone(),
            version_name: r.version_name.clone(),
            filed_on: r.filed_on,
            file_sha256: r.file_sha256.clone(),
        }
    }
}

/// A copy compared with its package's filed records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// The record compared with: the filed record of the same version (the same file if it
    /// was filed), else the newest filed version. None when the package was never filed.
    pub compared_with: Option<FiledRef>,
    /// The newest filed version, when it is not the one compared with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_filed: Option<FiledRef>,
    /// The copy is byte for byte the filed file.
    pub identical_file: bool,
    /// Strongest first.
    pub differences: Vec<Difference>,
}

impl Comparison {
    pub fn has(&self, kind: DifferenceKind) -> bool {
        self.differences.iter().any(|d| d.kind == kind)
    }
}

/// The record to compare a copy with, among its package's filed records: same version and
/// same file, else same version (newest filing), else None.
pub(crate) fn same_version<'a>(
    records: &'a [FiledRecord],
    version_code: Option<&str>,
    version_name: Option<&str>,
    sha256: &str,
) -> Option<&'a FiledRecord> {
    let same = |r: &&FiledRecord| {
        r.version_code.as_deref() == version_code && r.version_name.as_deref() == version_name
    };
    records
        .iter()
        .filter(same)
        .find(|r| r.file_sha256.eq_ignore_ascii_case(sha256))
        .or_else(|| records.iter().rev().find(same))
}

/// The newest filed version: highest numeric version code, then latest filing.
pub(crate) fn newest(records: &[FiledRecord]) -> Option<&FiledRecord> {
    records.iter().max_by(|a, b| {
        let code = |r: &FiledRecord| {
            r.version_code
                .as_deref()
                .and_then(|v| v.parse::<u64>().ok())
        };
        code(a)
            .cmp(&code(b))
            .then(a.filed_on.cmp(&b.filed_on))
            .then(a.id.cmp(&b.id))
    })
}

/// Compares a distributed copy's report with the filed records of its package (all of them,
/// any order). `stale_months`: a package whose newest filed version was filed longer ago than
/// this before the report's scan date, and whose copy is no newer version, is stale.
pub fn compare(records: &[FiledRecord], report: &Report, stale_months: u32) -> Comparison {
    let mut records: Vec<FiledRecord> = records
        .iter()
        .filter(|r| r.package_id == report.filing.package_id)
        .cloned()
        .collect();
    records.sort_by(|a, b| a.filed_on.cmp(&b.filed_on).then(a.id.cmp(&b.id)));
    let f = &report.filing;
    let id = &f.package_id;
    let Some(newest) = newest(&records) else {
        return Comparison {
            compared_with: None,
            newest_filed: None,
            identical_file: false,
            differences: vec![Difference {
                kind: DifferenceKind::NotFiled,
                clause: DifferenceKind::NotFiled.clause().into(),
                message: Text::new(
                    format!("备案库中没有 {id} 的记录：未备案即分发。"),
                    format!("The registry has no record of {id}: distributed without filing."),
                ),
                items: Vec::new(),
            }],
        };
    };
    let matched = same_version(
        &records,
        f.version_code.as_deref(),
        f.version_name.as_deref(),
        &report.file.sha256,
    );
    let base = matched.unwrap_or(newest);
    let mut diffs = Vec::new();
    let version = |code: Option<&str>, name: Option<&str>| {
        format!("{} ({})", name.unwrap_or("-"), code.unwrap_or("-"))
    };
    let found_version = version(f.version_code.as_deref(), f.version_name.as_deref());
    let base_version = version(base.version_code.as_deref(), base.version_name.as_deref());

    // Signer: the copy must be signed by a certificate of the record compared with.
    let certs: Vec<String> = f
        .certificates
        .iter()
        .map(|c| c.sha256.to_ascii_lowercase())
        .collect();
    if !base.cert_sha256.is_empty() && !base.cert_sha256.iter().any(|c| certs.contains(c)) {
        let found = if certs.is_empty() {
            "unsigned".to_string()
        } else {
            certs.join(" ")
        };
        diffs.push(Difference {
            kind: DifferenceKind::SignerChanged,
            clause: DifferenceKind::SignerChanged.clause().into(),
            message: Text::new(
                format!("签名证书与备案的 {base_version} 不同：可能被重新打包，或签名密钥易手。"),
                format!("Not signed by the certificate filed for {base_version}: the package may have been repackaged, or the signing key changed hands."),
            ),
            items: vec![
                format!("filed {}", base.cert_sha256.join(" ")),
                format!("found {found}"),
            ],
        });
    }
    if matched.is_none() {
        diffs.push(Difference {
            kind: DifferenceKind::VersionNotFiled,
            clause: DifferenceKind::VersionNotFiled.clause().into(),
            message: Text::new(
                format!("版本 {found_version} 未备案；已备案的最新版本为 {base_version}。"),
                format!("Version {found_version} was never filed; the newest filed version is {base_version}."),
            ),
            items: vec![found_version.clone()],
        });
    }
    let filed_violations: Vec<&str> = base.violations.iter().map(String::as_str).collect();
    let new_violations: Vec<String> = violations(report)
        .into_iter()
        .filter(|c| !REGISTRY_CLAUSES.contains(&c.as_str()))
        .filter(|c| !filed_violations.contains(&c.as_str()))
        .collect();
    if !new_violations.is_empty() {
        diffs.push(Difference {
            kind: DifferenceKind::NewViolations,
            clause: DifferenceKind::NewViolations.clause().into(),
            message: Text::new(
                format!("备案时没有的违规条款：{}。", new_violations.join("、")),
                format!(
                    "Clauses violated that the filed version did not violate: {}.",
                    new_violations.join(", ")
                ),
            ),
            items: new_violations,
        });
    }
    let new_sdks: Vec<String> = f
        .sdks
        .iter()
        .map(|s| s.id.clone())
        .filter(|s| !base.sdks.contains(s))
        .collect();
    if !new_sdks.is_empty() {
        diffs.push(Difference {
            kind: DifferenceKind::NewSdks,
            clause: DifferenceKind::NewSdks.clause().into(),
            message: Text::new(
                format!("含备案时没有的 SDK：{}。", new_sdks.join("、")),
                format!(
                    "SDKs the filed version did not have: {}.",
                    new_sdks.join(", ")
                ),
            ),
            items: new_sdks,
        });
    }
    let new_permissions: Vec<String> = f
        .permissions
        .iter()
        .filter(|p| !base.permissions.contains(p))
        .cloned()
        .collect();
    if !new_permissions.is_empty() {
        diffs.push(Difference {
            kind: DifferenceKind::NewPermissions,
            clause: DifferenceKind::NewPermissions.clause().into(),
            message: Text::new(
                format!("申请备案时没有的权限：{}。", new_permissions.join("、")),
                format!(
                    "Permissions the filed version did not request: {}.",
                    new_permissions.join(", ")
                ),
            ),
            items: new_permissions,
        });
    }
    // Stale: the newest filed version is old, and the copy is that version or an older one
    // (an unfiled newer version is an update, reported as version-not-filed instead).
    let copy_is_newer = matched.is_none()
        && match (
            f.version_code
                .as_deref()
                .and_then(|v| v.parse::<u64>().ok()),
            newest
                .version_code
                .as_deref()
                .and_then(|v| v.parse::<u64>().ok()),
        ) {
            (Some(found), Some(filed)) => found > filed,
            _ => false,
        };
    let scan_date = report.scan_date;
    if let Some(due) = newest.filed_on.add_months(stale_months) {
        if !copy_is_newer && due < scan_date {
            let days = scan_date.days_since_epoch() - newest.filed_on.days_since_epoch();
            diffs.push(Difference {
                kind: DifferenceKind::Stale,
                clause: DifferenceKind::Stale.clause().into(),
                message: Text::new(
                    format!(
                        "最新备案版本 {} 备案于 {}，已 {days} 天（超过 {stale_months} 个月）没有新版本。",
                        version(newest.version_code.as_deref(), newest.version_name.as_deref()),
                        newest.filed_on
                    ),
                    format!(
                        "The newest filed version, {}, was filed on {}: no new version for {days} days (more than {stale_months} months).",
                        version(newest.version_code.as_deref(), newest.version_name.as_deref()),
                        newest.filed_on
                    ),
                ),
                items: vec![newest.filed_on.to_string()],
            });
        }
    }
    if matched.is_some_and(|m| m.id != newest.id && m.version_code != newest.version_code) {
        diffs.push(Difference {
            kind: DifferenceKind::OutdatedCopy,
            clause: DifferenceKind::OutdatedCopy.clause().into(),
            message: Text::new(
                format!(
                    "分发的是已备案的旧版本 {found_version}；最新备案版本为 {}。",
                    version(newest.version_code.as_deref(), newest.version_name.as_deref())
                ),
                format!(
                    "An older filed version, {found_version}, is distributed; the newest filed version is {}.",
                    version(newest.version_code.as_deref(), newest.version_name.as_deref())
                ),
            ),
            items: Vec::new(),
        });
    }
    diffs.sort_by_key(|d| d.kind);
    Comparison {
        compared_with: Some(base.into()),
        newest_filed: (base.id != newest.id).then(|| newest.into()),
        identical_file: base.file_sha256.eq_ignore_ascii_case(&report.file.sha256),
        differences: diffs,
    }
}
