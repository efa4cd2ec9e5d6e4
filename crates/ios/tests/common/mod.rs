//! Shared by the fixture tests: loading and scanning `fixtures/ios/*.ipa`.
#![allow(dead_code)]

use appvet_model::{Limits, PackageScan};

pub const FIXTURES: &[&str] = &[
    "ads",
    "ats",
    "biometric",
    "clean",
    "encrypted",
    "fat",
    "hostile",
];

pub fn fixture_path(name: &str) -> String {
    format!(
        "{}/../../fixtures/ios/{name}.ipa",
        env!("CARGO_MANIFEST_DIR")
    )
}

pub fn fixture_bytes(name: &str) -> Vec<u8> {
    let p = fixture_path(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e} (run fixtures/ios/build.sh)"))
}

pub fn scan_bytes(bytes: &[u8]) -> appvet_model::Result<PackageScan> {
    let limits = Limits::default();
    let archive = appvet_zip::Archive::parse(bytes, &limits)?;
    appvet_ios::scan(&archive, &limits)
}

pub fn scan(name: &str) -> PackageScan {
    let bytes = fixture_bytes(name);
    let limits = Limits::default();
    let archive = appvet_zip::Archive::parse(&bytes, &limits).unwrap();
    assert!(
        appvet_ios::is_ipa(&archive),
        "{name} is not recognised as an IPA"
    );
    scan_bytes(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}
