//! From a package file to a [`ScanDocument`]: memory-map the file, recognise what it is, hand it
//! to the platform parser, and record the file's identity (size, SHA-256).
//!
//! This is the one place that knows every platform crate; the CLI (and later batch and report
//! code) call [`scan_path`] or [`scan_bytes`] and never dispatch themselves. Detection
//! (`appvet-detect`) runs on every scan: [`scan_path`] / [`scan_bytes`] use the signature
//! database embedded in the binary, [`scan_path_with`] / [`scan_bytes_with`] a given one.

pub use appvet_detect::Database;
use appvet_model::{
    Completeness, Error, Findings, IncompleteReason, Limits, PackageInfo, PackageScan, Result,
    SdkFinding,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Version of the JSON document layout; bumped on incompatible changes.
pub const DOCUMENT_VERSION: u32 = 1;

/// What `appvet scan --format json` prints for one package: tool and file identity, the
/// `package`, the SDKs found (`sdks`, a contract: each entry has at least `id`, `name`,
/// `vendor`, `categories` and `evidence`), every detection finding (`findings`, whose `sdks`
/// is the same list), then the `inventory` of the [`PackageScan`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanDocument {
    pub appvet: ToolInfo,
    pub file: FileInfo,
    pub package: PackageInfo,
    #[serde(default)]
    pub sdks: Vec<SdkFinding>,
    #[serde(default)]
    pub findings: Findings,
    pub inventory: appvet_model::Inventory,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub version: String,
    pub document_version: u32,
    /// Version of the signature database the findings come from.
    #[serde(default)]
    pub signatures_version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    /// The path as given.
    pub path: String,
    pub size: u64,
    /// Hex SHA-256 of the whole file.
    pub sha256: String,
    /// The file's modification time (RFC 3339, UTC, nanoseconds), when scanned from a path.
    /// With path, size and hash it identifies a scanned file for `--resume`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
}

/// A file's modification time as [`FileInfo::modified`] records it.
pub fn modified_time(meta: &std::fs::Metadata) -> Option<String> {
    let t = meta.modified().ok()?;
    let t = time::OffsetDateTime::from(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// Scan the package at `path` with the embedded signature database.
pub fn scan_path(path: &Path, limits: &Limits) -> Result<ScanDocument> {
    scan_path_with(path, limits, Database::embedded().ok())
}

/// Scan the package at `path` with a signature database (`None`: no detection; the findings
/// say the results are incomplete).
pub fn scan_path_with(path: &Path, limits: &Limits, db: Option<&Database>) -> Result<ScanDocument> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(Error::UnsupportedPackage(format!(
            "{} is a directory",
            path.display()
        )));
    }
    if meta.len() == 0 {
        return Err(Error::UnsupportedPackage("empty file".into()));
    }
    // SAFETY: the map is read-only and private to this process. A package file truncated by
    // another process while we read it would raise SIGBUS; scanners of untrusted uploads should
    // scan a copy they own (what app stores and batch rescans do).
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
    // Pages of the map already read (a large entry once inflated, the file once hashed) are
    // dropped from the resident set, so a large package is not resident beside its inflated
    // entries. SAFETY: the map is read-only and private and never written, so a dropped page
    // reads back from the file unchanged (`MADV_DONTNEED` only discards changes to private
    // pages, and there are none). A failed advice leaves the pages resident: nothing to do.
    #[cfg(unix)]
    let release = |offset: usize, len: usize| {
        let _ =
            unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, offset, len) };
    };
    #[cfg(unix)]
    let release: Option<&Release<'_>> = Some(&release);
    #[cfg(not(unix))]
    let release: Option<&Release<'_>> = None;
    let mut doc = scan_input(&map, &path.display().to_string(), limits, db, release)?;
    doc.file.modified = modified_time(&meta);
    Ok(doc)
}

/// Scan a package held in memory with the embedded signature database; `path` is only recorded
/// in the document.
pub fn scan_bytes(data: &[u8], path: &str, limits: &Limits) -> Result<ScanDocument> {
    scan_bytes_with(data, path, limits, Database::embedded().ok())
}

/// Scan a package held in memory with a signature database.
pub fn scan_bytes_with(
    data: &[u8],
    path: &str,
    limits: &Limits,
    db: Option<&Database>,
) -> Result<ScanDocument> {
    scan_input(data, path, limits, db, None)
}

/// `release(offset, len)`: bytes of `data` read and not needed again.
use appvet_zip::InputRelease as Release;

fn scan_input(
    data: &[u8],
    path: &str,
    limits: &Limits,
    db: Option<&Database>,
    release: Option<&Release<'_>>,
) -> Result<ScanDocument> {
    let scan = scan_archive(data, limits, release)?;
    let findings = match db {
        Some(db) => appvet_detect::detect(&scan, db),
        None => Findings {
            completeness: Completeness {
                complete: false,
                reasons: vec![IncompleteReason {
                    code: "no-signatures".into(),
                    message: "no valid signature database: detection did not run".into(),
                }],
            },
            ..Findings::default()
        },
    };
    Ok(ScanDocument {
        appvet: ToolInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            document_version: DOCUMENT_VERSION,
            signatures_version: findings.database.version.clone(),
        },
        file: FileInfo {
            path: path.to_string(),
            size: data.len() as u64,
            sha256: sha256_hex(data, release),
            modified: None,
        },
        package: scan.package,
        sdks: findings.sdks.clone(),
        findings,
        inventory: scan.inventory,
    })
}

/// Recognise the package and run the platform parser.
pub fn scan_package(data: &[u8], limits: &Limits) -> Result<PackageScan> {
    scan_archive(data, limits, None)
}

/// Hex SHA-256 of `data`, read in steps that are released once hashed.
fn sha256_hex(data: &[u8], release: Option<&Release<'_>>) -> String {
    const STEP: usize = 4 << 20;
    let mut hasher = Sha256::new();
    for (i, chunk) in data.chunks(STEP).enumerate() {
        hasher.update(chunk);
        if let Some(f) = release {
            f(i * STEP, chunk.len());
        }
    }
    hex::encode(hasher.finalize())
}

/// The platform scan within the time limit: the deadline starts now; whatever the parser
/// returned (a partial scan, or an error from an entry cut short), a passed deadline is the
/// time limit's error.
fn scan_archive(
    data: &[u8],
    limits: &Limits,
    release: Option<&Release<'_>>,
) -> Result<PackageScan> {
    let limits = limits.started();
    let result = scan_archive_in_time(data, &limits, release);
    limits.check_time()?;
    result
}

fn scan_archive_in_time(
    data: &[u8],
    limits: &Limits,
    release: Option<&Release<'_>>,
) -> Result<PackageScan> {
    if appvet_wxapkg::is_wxapkg(data) || appvet_wxapkg::is_encrypted_pc_wxapkg(data) {
        return appvet_wxapkg::scan(data, limits);
    }
    if data.len() < 4 || !data.starts_with(b"PK") {
        return Err(Error::UnsupportedPackage(
            "neither a zip archive (APK, AAB, APKS, XAPK, IPA, HAP and App Pack files are zips) nor a WeChat mini-program package (.wxapkg)".into(),
        ));
    }
    let mut archive = appvet_zip::Archive::parse(data, limits)?;
    if let Some(f) = release {
        archive = archive.with_input_release(f);
    }
    if appvet_android::detect_kind(&archive).is_some() {
        return appvet_android::scan(&archive, limits);
    }
    if appvet_ios::is_ipa(&archive) {
        return appvet_ios::scan(&archive, limits);
    }
    if appvet_harmony::detect_kind(&archive).is_some() {
        return appvet_harmony::scan(&archive, limits);
    }
    Err(Error::UnsupportedPackage(
        "a zip archive, but not an Android package, an IPA or a HarmonyOS package".into(),
    ))
}
