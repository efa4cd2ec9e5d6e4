//! Embeds the signature database (`signatures/VERSION`, `signatures/*.toml`,
//! `signatures/sdk/*.toml`) into the library, twice:
//!
//! - `embedded.rs`: one `include_str!` per file, sorted by path (builds are reproducible), for
//!   `appvet signatures` and for the test that validates every file;
//! - `embedded.postcard` and `embedded_sdks.postcard`: the same files parsed here, once, and
//!   serialised with postcard — the catalogues in one piece, each SDK apart (decoded only when a
//!   package embeds it) — so a process starts from a compact binary instead of parsing 700 TOML
//!   files (most of a small package's scan time before). If any file fails to parse, the blob is left
//!   empty and the library parses the TOML at run time, where the error is reported properly;
//! - `embedded_tables.rs`: the lookup tables of that database (`tables::compute`) as Rust
//!   statics, so a process starts with its tables sorted and in place, allocating nothing.

#[allow(dead_code)]
#[path = "src/format.rs"]
mod format;
#[allow(dead_code)]
#[path = "src/tables.rs"]
mod tables;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let root = manifest.join("../../signatures");
    println!("cargo:rerun-if-changed={}", root.display());
    println!("cargo:rerun-if-changed=src/format.rs");
    println!("cargo:rerun-if-changed=src/tables.rs");
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
    if let Err(e) = std::fs::write(out_dir.join("embedded.rs"), out) {
        println!("cargo:warning=cannot write embedded.rs: {e}");
    }
    let (blob, sdk_blob, offsets, tables) = match parse(&files).and_then(encode) {
        Ok(x) => x,
        Err(e) => {
            println!("cargo:warning=signature database not pre-parsed ({e}); parsed at run time");
            (Vec::new(), Vec::new(), Vec::new(), "None".to_string())
        }
    };
    for (name, bytes) in [
        ("embedded.postcard", &blob),
        ("embedded_sdks.postcard", &sdk_blob),
    ] {
        if let Err(e) = std::fs::write(out_dir.join(name), bytes) {
            println!("cargo:warning=cannot write {name}: {e}");
        }
    }
    let code = format!(
        "/// The tables of the embedded database, computed by build.rs (None: not pre-parsed).\n\
         static EMBEDDED_TABLES: Option<crate::tables::Tables> = {tables};\n\
         /// Where each SDK's encoding starts in EMBEDDED_SDKS, and the end.\n\
         static EMBEDDED_SDK_OFFSETS: &[u32] = &{offsets:?};\n"
    );
    if let Err(e) = std::fs::write(out_dir.join("embedded_tables.rs"), code) {
        println!("cargo:warning=cannot write embedded_tables.rs: {e}");
    }
}

/// The catalogues (a [`format::Parsed`] without SDKs), the SDKs one after the other, their
/// offsets, and the tables as a Rust expression.
type Encoded = (Vec<u8>, Vec<u8>, Vec<u32>, String);

fn encode(mut parsed: format::Parsed) -> Result<Encoded, String> {
    let sdks: Vec<format::SdkDef> = parsed.sdks.drain(..).map(|(_, s)| s).collect();
    let tables = tables::compute(&sdks, &parsed.permissions, &parsed.apis, &parsed.packers);
    let blob = postcard::to_allocvec(&parsed).map_err(|e| e.to_string())?;
    let mut sdk_blob = Vec::new();
    let mut offsets = vec![0u32];
    for s in &sdks {
        sdk_blob.extend(postcard::to_allocvec(s).map_err(|e| e.to_string())?);
        offsets.push(u32::try_from(sdk_blob.len()).map_err(|e| e.to_string())?);
    }
    Ok((
        blob,
        sdk_blob,
        offsets,
        format!("Some({})", tables.literal()),
    ))
}

/// Parse the files as the library's loader does (same types, same strictness). Anything but
/// `VERSION`, the three catalogues and `sdk/*.toml` is left to the run-time loader, which warns.
fn parse(files: &[(String, PathBuf)]) -> Result<format::Parsed, String> {
    let mut parsed = format::Parsed::default();
    for (rel, path) in files {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{rel}: {e}"))?;
        let err = |e: toml::de::Error| format!("{rel}: {e}");
        match rel.as_str() {
            "VERSION" => parsed.version = text.trim().to_string(),
            "permissions.toml" => parsed.permissions = toml::from_str(&text).map_err(err)?,
            "apis.toml" => parsed.apis = toml::from_str(&text).map_err(err)?,
            "packers.toml" => parsed.packers = toml::from_str(&text).map_err(err)?,
            r if r.starts_with("sdk/") => {
                let sdk: format::SdkDef = toml::from_str(&text).map_err(err)?;
                parsed.sdks.push((rel.clone(), sdk));
            }
            _ => return Err(format!("{rel}: not a signature file")),
        }
    }
    parsed.sdks.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    Ok(parsed)
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
