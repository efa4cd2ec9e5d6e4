//! Reports of the fixture packages, built the way the CLI builds them, with the fields that
//! change between builds of appvet (tool and signature database versions and counts)
//! normalised so snapshots are stable.

#![allow(dead_code)]

use appvet_model::Limits;
use appvet_policy::{ContextSet, Date, Inputs};
use appvet_report::Report;
use std::path::PathBuf;

/// The scan date of every snapshot (the fixtures are dated 2024-06-01).
pub const SCAN_DATE: &str = "2024-07-01";

/// `android/trackers.apk` → the fixture's path.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel)
}

/// The report of a fixture under a context (`""` = unspecified), with the inventory.
pub fn full_report(rel: &str, ctx: &str) -> Report {
    let path = fixture(rel);
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let doc = appvet_scan::scan_bytes(&data, name, &Limits::default())
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    let context: ContextSet = ctx.parse().unwrap();
    let date: Date = SCAN_DATE.parse().unwrap();
    let mut r = Report::build(doc, &Inputs::new(context, date));
    normalise(&mut r);
    r
}

/// The report without the inventory (what the snapshots show).
pub fn report(rel: &str, ctx: &str) -> Report {
    full_report(rel, ctx).without_inventory()
}

pub fn normalise(r: &mut Report) {
    r.appvet.version = "[version]".into();
    r.appvet.signatures_version = "[signatures]".into();
    let db = &mut r.findings.database;
    db.version = "[signatures]".into();
    db.scanner_version = "[version]".into();
    db.sdks = 0;
    db.permissions = 0;
    db.apis = 0;
    db.packers = 0;
}

pub type Render = fn(&Report, appvet_policy::Lang, &mut dyn std::io::Write) -> std::io::Result<()>;

pub fn render(r: &Report, lang: appvet_policy::Lang, f: Render) -> String {
    let mut out = Vec::new();
    f(r, lang, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Every fixture package (relative to fixtures/).
pub fn all_fixtures() -> Vec<String> {
    let mut out = Vec::new();
    for (dir, ext) in [
        ("android", "apk"),
        ("android", "apks"),
        ("android", "xapk"),
        ("android", "aab"),
        ("ios", "ipa"),
        ("wechat", "wxapkg"),
        ("harmony", "hap"),
        ("harmony", "app"),
    ] {
        let mut names: Vec<String> = std::fs::read_dir(fixture(dir))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(&format!(".{ext}")))
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|n| format!("{dir}/{n}")));
    }
    out
}
