//! Inputs beside the package: blacklist, filing registry, thresholds.

use crate::{ContextSet, Date, FilingRecord};
use serde::{Deserialize, Serialize};

/// A blacklist (JJH55 (十六)): package ids, signer certificate SHA-256 fingerprints (hex, any
/// case, colons allowed) and SDK ids of the signature database. Any match is a violation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Blacklist {
    pub package_ids: Vec<String>,
    pub cert_sha256: Vec<String>,
    pub sdk_ids: Vec<String>,
}

/// A registry of filed apps (JJH55 (四), JJS265 三.1 and 附件 注1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Registry {
    pub apps: Vec<FiledApp>,
}

/// One filed app. Lists that are None were not filed and are not compared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FiledApp {
    pub package_id: String,
    pub version_code: Option<String>,
    pub version_name: Option<String>,
    /// Signer certificate SHA-256 fingerprints (any one must match).
    pub cert_sha256: Vec<String>,
    /// Permissions filed (names).
    pub permissions: Option<Vec<String>>,
    /// SDK ids filed.
    pub sdks: Option<Vec<String>>,
    /// When it was filed.
    pub filed_on: Option<Date>,
}

impl From<&FilingRecord> for FiledApp {
    /// The registry entry a filing record makes (what `--format filing` produces can be
    /// collected into a registry).
    fn from(r: &FilingRecord) -> FiledApp {
        FiledApp {
            package_id: r.package_id.clone(),
            version_code: r.version_code.clone(),
            version_name: r.version_name.clone(),
            cert_sha256: r.certificates.iter().map(|c| c.sha256.clone()).collect(),
            permissions: Some(r.permissions.clone()),
            sdks: Some(r.sdks.iter().map(|s| s.id.clone()).collect()),
            filed_on: None,
        }
    }
}

impl Registry {
    /// The filed entry for a package id.
    pub fn find(&self, package_id: &str) -> Option<&FiledApp> {
        self.apps.iter().find(|a| a.package_id == package_id)
    }
}

/// Tunable thresholds; the defaults are documented in the crate docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// A target SDK below this is "outdated" (JJH55-7). Default 30 (Android 11).
    pub min_target_sdk: u32,
    /// This many distinct personal-information categories or more is "large-scale collection"
    /// (JJS265-3-3-scale, JJS265-3-5). Default 5.
    pub scale_categories: usize,
    /// A build older than this many months before the scan date is stale (JJS265-3-5).
    /// Default 6 (超过半年).
    pub stale_months: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_target_sdk: 30,
            scale_categories: 5,
            stale_months: 6,
        }
    }
}

/// Everything policy evaluation takes beside the scan and its findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs<'a> {
    pub context: ContextSet,
    /// The date the report is for (an input, so reports are reproducible).
    pub scan_date: Date,
    pub blacklist: Option<&'a Blacklist>,
    pub registry: Option<&'a Registry>,
    /// SHA-256 of the scanned file, for the filing record.
    pub file_sha256: Option<&'a str>,
    pub thresholds: Thresholds,
}

impl<'a> Inputs<'a> {
    pub fn new(context: ContextSet, scan_date: Date) -> Inputs<'a> {
        Inputs {
            context,
            scan_date,
            blacklist: None,
            registry: None,
            file_sha256: None,
            thresholds: Thresholds::default(),
        }
    }
}

/// Hex fingerprint normalised for comparison: lower case, no colons or spaces.
pub(crate) fn norm_hex(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
