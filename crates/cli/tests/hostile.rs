//! The binary against hostile input: a batch over the whole malformed corpus completes with one
//! line per package; limits set on the command line stop a package with an error naming the
//! option; and the same packages give byte-identical JSON across runs and thread counts.

use std::path::Path;

mod common;
use common::*;

#[test]
fn a_batch_over_the_malformed_corpus_completes() {
    let dir = temp_dir("malformed-corpus");
    let cases = appvet_malformed::corpus();
    for c in &cases {
        std::fs::write(dir.join(format!("{}.{}", c.name, c.ext)), &c.bytes).unwrap();
    }
    let out_file = dir.join("out.jsonl");
    let out = appvet()
        .args([
            "scan",
            "-q",
            "-j",
            "2",
            "-f",
            "jsonl",
            "--scan-date",
            "2024-07-01",
            "-o",
        ])
        .arg(&out_file)
        .arg(&dir)
        .output()
        .unwrap();
    // Some packages cannot be read: exit 2, and the batch went on.
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&out_file).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), cases.len(), "one line per package");
    let errors = lines.iter().filter(|l| l.get("error").is_some()).count();
    let reports = lines.iter().filter(|l| l.get("verdict").is_some()).count();
    assert_eq!(errors + reports, cases.len());
    let expected_errors = cases
        .iter()
        .filter(|c| matches!(c.expect, appvet_malformed::Expect::Error(_)))
        .count();
    assert!(
        errors >= expected_errors,
        "{errors} errors, {expected_errors} expected at least"
    );
    assert!(reports > cases.len() / 2, "{reports} reports");
    // A package whose code could not be read is incomplete, and never a pass.
    let mut unreadable = 0;
    for l in lines.iter().filter(|l| l.get("verdict").is_some()) {
        let path = l["file"]["path"].as_str().unwrap_or("");
        let codes: Vec<&str> = l["inventory"]["anomalies"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x["code"].as_str()).collect())
            .unwrap_or_default();
        if codes
            .iter()
            .any(|c| *c == "dex.unreadable" || *c == "ios.macho-unreadable")
        {
            unreadable += 1;
            assert_eq!(l["complete"], false, "{path}");
            assert_ne!(l["verdict"], "pass", "{path}");
        }
    }
    assert!(
        unreadable >= 20,
        "{unreadable} packages with unreadable code"
    );
    std::fs::remove_dir_all(&dir).ok();
}

fn scan_error(args: &[&str], package: &Path) -> String {
    let out = appvet()
        .arg("scan")
        .args(args)
        .arg(package)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn limits_from_the_command_line_are_named_when_exceeded() {
    let apk = fixture("android/trackers.apk");
    let e = scan_error(&["--max-scan-ms", "0"], &apk);
    assert!(
        e.contains("time per package") && e.contains("--max-scan-ms"),
        "{e}"
    );
    assert!(e.contains("trackers.apk"), "the error names the file: {e}");
    let e = scan_error(&["--max-entry-bytes", "1K"], &apk);
    assert!(
        e.contains("zip entry size") && e.contains("--max-entry-bytes"),
        "{e}"
    );
    let e = scan_error(&["--max-total-bytes", "2K"], &apk);
    assert!(
        e.contains("total inflated bytes") && e.contains("--max-total-bytes"),
        "{e}"
    );
    let e = scan_error(&["--max-entries", "1"], &apk);
    assert!(
        e.contains("zip entries") && e.contains("--max-entries"),
        "{e}"
    );
    let e = scan_error(&["--max-nesting", "0"], &fixture("android/splits.apks"));
    assert!(
        e.contains("container nesting") && e.contains("--max-nesting"),
        "{e}"
    );
    let out = appvet()
        .args(["scan", "--max-entry-bytes", "lots"])
        .arg(&apk)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a size"));
    // The defaults pass the fixture, and so do generous explicit limits.
    let out = appvet()
        .args([
            "scan",
            "-q",
            "--max-entry-bytes",
            "64M",
            "--max-scan-ms",
            "600000",
        ])
        .arg(&apk)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_same_packages_give_byte_identical_json_across_runs_and_thread_counts() {
    let mut packages = Vec::new();
    for sub in ["android", "ios"] {
        for e in std::fs::read_dir(appvet_malformed::fixtures_dir().join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| {
                ["apk", "apks", "xapk", "aab", "ipa"].contains(&x.to_str().unwrap_or(""))
            }) {
                packages.push(p);
            }
        }
    }
    packages.sort();
    assert!(packages.len() >= 15, "{packages:?}");
    let run = |jobs: &str| {
        let out = appvet()
            .args([
                "scan",
                "-q",
                "-f",
                "jsonl",
                "--scan-date",
                "2024-07-01",
                "-j",
                jobs,
            ])
            .args(&packages)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let one = run("1");
    assert_eq!(one, run("1"), "two runs differ");
    assert_eq!(one, run("2"), "one thread and two differ");
    assert_eq!(one, run("4"), "one thread and four differ");
    // The pretty JSON of one package too (written by the writer, not the workers).
    let json = |p: &Path| {
        let out = appvet()
            .args(["scan", "-f", "json", "--scan-date", "2024-07-01"])
            .arg(p)
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    for p in [fixture("android/multidex.apk"), fixture("ios/fat.ipa")] {
        assert_eq!(json(&p), json(&p), "{}", p.display());
    }
}
