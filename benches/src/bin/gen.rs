//! Write generated benchmark packages.
//!
//! ```text
//! gen apk OUT.apk [--classes N] [--dex N] [--methods N] [--res N] [--seed S]
//! gen ipa OUT.ipa [--binary-mb N] [--frameworks N] [--seed S]
//! ```

use appvet_benches::{apkgen, fixtures_dir, ipagen};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(kind), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: gen apk|ipa OUT [--classes N] [--dex N] [--methods N] [--res N] [--binary-mb N] [--frameworks N] [--seed S]");
        return ExitCode::from(2);
    };
    let opt = |name: &str| -> Option<u64> {
        let i = args.iter().position(|a| a == name)?;
        args.get(i + 1)?.parse().ok()
    };
    let bytes = match kind.as_str() {
        "apk" => {
            let d = apkgen::ApkOptions::default();
            let o = apkgen::ApkOptions {
                classes: opt("--classes").map_or(d.classes, |v| v as usize),
                dex_files: opt("--dex").map_or(d.dex_files, |v| v as usize),
                methods_per_class: opt("--methods").map_or(d.methods_per_class, |v| v as usize),
                res_files: opt("--res").map_or(d.res_files, |v| v as usize),
                seed: opt("--seed").unwrap_or(d.seed),
            };
            apkgen::apk(&o, &fixtures_dir().join("android"))
        }
        "ipa" => {
            let d = ipagen::IpaOptions::default();
            let o = ipagen::IpaOptions {
                binary_mb: opt("--binary-mb").map_or(d.binary_mb, |v| v as usize),
                frameworks: opt("--frameworks").map_or(d.frameworks, |v| v as usize),
                seed: opt("--seed").unwrap_or(d.seed),
            };
            ipagen::ipa(&o, &fixtures_dir().join("ios"))
        }
        other => {
            eprintln!("unknown kind {other:?} (apk or ipa)");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::write(out, &bytes) {
        eprintln!("{out}: {e}");
        return ExitCode::FAILURE;
    }
    eprintln!("wrote {out} ({} bytes)", bytes.len());
    ExitCode::SUCCESS
}
