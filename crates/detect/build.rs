//! Embeds every signature file (`signatures/VERSION`, `signatures/*.toml`,
//! `signatures/sdk/*.toml`) into the library: writes `embedded.rs` into OUT_DIR with one
//! `include_str!` per file, sorted by path so builds are reproducible.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("../../signatures");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let version = root.join("VERSION");
    if version.is_file() {
        files.push(("VERSION".into(), version));
    }
    collect(&root, "", &mut files);
    collect(&root.join("sdk"), "sdk/", &mut files);
    files.sort();
    let mut out = String::from("/// Signature files embedded at build time: (path relative to signatures/, text).\npub static EMBEDDED: &[(&str, &str)] = &[\n");
    for (rel, path) in &files {
        let abs = path.canonicalize().unwrap_or_else(|_| path.clone());
        let _ = writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            abs.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}

fn collect(dir: &Path, prefix: &str, files: &mut Vec<(String, PathBuf)>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_file() && p.extension().is_some_and(|x| x == "toml") {
            if let Some(name) = p.file_name().and_then(|n| n.to_str()) {
                files.push((format!("{prefix}{name}"), p.clone()));
            }
        }
    }
}
