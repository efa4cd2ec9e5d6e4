#![allow(dead_code)]
use appvet_model::{Limits, PackageScan};
use std::path::PathBuf;

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/android")
        .join(name)
}

pub fn scan(name: &str) -> PackageScan {
    let data = std::fs::read(fixture_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let archive = appvet_zip::Archive::parse(&data, &Limits::default()).unwrap();
    appvet_android::scan(&archive, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Run a tool the cross-checks compare against; a missing tool is a clear failure.
pub fn tool(cmd: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(cmd).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {cmd} ({e}): install it (scripts/test.sh installs aapt, dexdump, apksigner)")
    });
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn apk_fixtures() -> Vec<String> {
    let dir = fixture_path("");
    let mut v: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".apk"))
        .collect();
    v.sort();
    assert!(
        v.len() >= 10,
        "expected the fixture APKs in {}",
        dir.display()
    );
    v
}
