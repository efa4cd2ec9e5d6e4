//! Converts the embedded clause catalogue (`clauses.toml`) to JSON at build time: a process
//! then reads the catalogue with serde_json, several times cheaper than parsing TOML at every
//! start (a small package's whole scan takes a few milliseconds). If the TOML does not parse,
//! the JSON is left empty and the library parses the TOML at run time, reporting the error.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=clauses.toml");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("clauses.json");
    let json = std::fs::read_to_string("clauses.toml")
        .ok()
        .and_then(|t| toml::from_str::<toml::Value>(&t).ok())
        .and_then(|v| serde_json::to_string(&v).ok())
        .unwrap_or_default();
    if let Err(e) = std::fs::write(&out, json) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}
