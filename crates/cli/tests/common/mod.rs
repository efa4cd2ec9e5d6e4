//! Helpers shared by the CLI's integration tests. Each test file is a crate of its own and
//! uses some of them.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

/// The `appvet` binary built for these tests.
pub fn appvet() -> Command {
    Command::new(env!("CARGO_BIN_EXE_appvet"))
}

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `fixtures/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

/// `fixtures/android/<name>`.
pub fn android(name: &str) -> PathBuf {
    fixture("android").join(name)
}

/// A fresh, empty directory under Cargo's temporary directory for integration tests, named
/// after the test crate and `name` (so test files never share one); the previous run's is
/// removed first.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{}-{name}", env!("CARGO_CRATE_NAME")));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The clause result with this id in a JSON report.
pub fn clause<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no clause {id}"))
}
