//! Batch scanning with the `appvet` binary: directories, parallel jobs, JSON Lines streaming,
//! error records, the summary, and `--resume` after a kill.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::*;

/// A fresh directory under cargo's per-test temporary directory.
/// Every fixture package (Android and iOS).
fn fixture_packages() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for sub in ["android", "ios"] {
        for e in std::fs::read_dir(fixture(sub)).unwrap() {
            let p = e.unwrap().path();
            if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("apk" | "apks" | "xapk" | "aab" | "ipa")
            ) {
                v.push(p);
            }
        }
    }
    v.sort();
    assert!(v.len() >= 15, "fixtures missing: {v:?}");
    v
}

/// `copies` copies of every fixture spread over nested directories, plus `broken` files that
/// are not packages, plus files the walk must ignore. Returns (directory, packages, broken).
fn make_batch(name: &str, copies: usize, broken: usize) -> (PathBuf, usize, usize) {
    let dir = temp_dir(name);
    let pkgs = fixture_packages();
    let mut n = 0;
    for c in 0..copies {
        let sub = dir.join(format!("shard{}", c % 7)).join(format!("c{c}"));
        std::fs::create_dir_all(&sub).unwrap();
        for p in &pkgs {
            std::fs::copy(p, sub.join(p.file_name().unwrap())).unwrap();
            n += 1;
        }
    }
    for b in 0..broken {
        std::fs::write(dir.join(format!("broken{b}.apk")), b"this is not a zip").unwrap();
    }
    std::fs::write(dir.join("notes.txt"), b"not a package").unwrap();
    std::fs::write(dir.join("shard0").join("readme.md"), b"# not a package").unwrap();
    (dir, n, broken)
}

/// The JSON Lines records of an output file: reports by path, and error paths. A last line cut
/// short (a killed run) is returned separately.
struct Lines {
    reports: Vec<serde_json::Value>,
    errors: Vec<String>,
    partial: bool,
}

fn read_lines(path: &Path) -> Lines {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Lines {
        reports: Vec::new(),
        errors: Vec::new(),
        partial: false,
    };
    for line in text.lines() {
        match serde_json::from_str::<serde_json::Value>(line) {
            Ok(v) if v.get("error").is_some() => {
                out.errors
                    .push(v["error"]["path"].as_str().unwrap().to_string());
            }
            Ok(v) => out.reports.push(v),
            Err(_) => out.partial = true,
        }
    }
    out
}

fn report_paths(lines: &Lines) -> Vec<String> {
    lines
        .reports
        .iter()
        .map(|r| r["file"]["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_batch_of_hundreds_streams_every_package_and_a_summary() {
    let (dir, packages, broken) = make_batch("batch-hundreds", 20, 3);
    assert!(packages >= 300, "{packages} packages");
    let outputs = temp_dir("batch-hundreds-out");
    let out = outputs.join("out.jsonl");
    let csv = outputs.join("summary.csv");
    let md = outputs.join("summary.md");
    let run = appvet()
        .args([
            "scan",
            "--format",
            "jsonl",
            "--jobs",
            "2",
            "--scan-date",
            "2024-07-01",
        ])
        .arg("-o")
        .arg(&out)
        .arg("--summary")
        .arg(&csv)
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    // Some inputs were unreadable: exit 2, each named on stderr; no progress bar when piped.
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    for b in 0..broken {
        assert!(stderr.contains(&format!("broken{b}.apk: ")), "{stderr}");
    }
    assert!(
        !stderr.contains('\r'),
        "progress bar drawn on a pipe: {stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{} packages: {packages} scanned, 0 skipped (already in the output), {broken} errors",
            packages + broken
        )),
        "{stderr}"
    );

    let lines = read_lines(&out);
    assert!(!lines.partial);
    assert_eq!(lines.errors.len(), broken);
    assert_eq!(lines.reports.len(), packages);
    // One report per package file, in sorted path order whatever the job count.
    let paths = report_paths(&lines);
    let unique: BTreeSet<&String> = paths.iter().collect();
    assert_eq!(unique.len(), packages);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(paths
        .iter()
        .all(|p| !p.ends_with(".txt") && !p.ends_with(".md")));

    // The summary's figures are those of the reports.
    let mut verdicts: BTreeMap<String, u64> = BTreeMap::new();
    let mut ads_reviews = 0u64;
    let mut sdk_apps: BTreeMap<String, u64> = BTreeMap::new();
    for r in &lines.reports {
        *verdicts
            .entry(r["verdict"].as_str().unwrap().into())
            .or_default() += 1;
        for c in r["clauses"].as_array().unwrap() {
            if c["id"] == "JJH55-5-ads" && c["status"] == "needs-review" {
                ads_reviews += 1;
            }
        }
        let ids: BTreeSet<&str> = r["sdks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        for id in ids {
            *sdk_apps.entry(id.into()).or_default() += 1;
        }
    }
    let csv_text = std::fs::read_to_string(&csv).unwrap();
    let cell = |section: &str, item: &str, col: usize| -> u64 {
        let line = csv_text
            .lines()
            .find(|l| l.starts_with(&format!("{section},{item},")))
            .unwrap_or_else(|| panic!("no {section},{item} in\n{csv_text}"));
        line.split(',').nth(col).unwrap().parse().unwrap()
    };
    assert_eq!(cell("total", "packages", 3), (packages + broken) as u64);
    assert_eq!(cell("total", "scanned", 3), packages as u64);
    assert_eq!(cell("total", "errors", 3), broken as u64);
    for v in ["fail", "needs-review", "pass"] {
        assert_eq!(
            cell("verdict", v, 3),
            verdicts.get(v).copied().unwrap_or(0),
            "{v}"
        );
    }
    assert!(ads_reviews > 0);
    assert_eq!(cell("clause", "JJH55-5-ads", 5), ads_reviews);
    assert_eq!(cell("sdk", "pangle", 3), sdk_apps["pangle"]);
    assert_eq!(
        cell("sdk", "umeng-analytics", 3),
        sdk_apps["umeng-analytics"]
    );

    // The same batch with one job writes the same bytes; a Markdown summary too.
    let out1 = outputs.join("out1.jsonl");
    let run1 = appvet()
        .args([
            "scan",
            "--format",
            "jsonl",
            "-j",
            "1",
            "--quiet",
            "--scan-date",
            "2024-07-01",
        ])
        .arg("-o")
        .arg(&out1)
        .arg("--summary")
        .arg(&md)
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(run1.status.code(), Some(2));
    assert!(run1.stderr.iter().all(|&b| b != b'\r'));
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&out1).unwrap());
    let md_text = std::fs::read_to_string(&md).unwrap();
    assert!(md_text.contains("# appvet 批量扫描汇总"), "{md_text}");
    assert!(md_text.contains(&format!("| 文件总数 | {} |", packages + broken)));
    assert!(md_text.contains("| JJH55-5-ads |"), "{md_text}");
}

#[test]
fn a_killed_batch_resumes_without_rescanning() {
    let (dir, packages, _) = make_batch("batch-resume", 30, 0);
    let outputs = temp_dir("batch-resume-out");
    let out = outputs.join("out.jsonl");
    let args = |cmd: &mut Command| {
        cmd.args(["scan", "--format", "jsonl", "-j", "1", "--no-inventory"])
            .args(["--scan-date", "2024-07-01"])
            .arg("-o")
            .arg(&out)
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
    };
    let mut cmd = appvet();
    args(&mut cmd);
    let mut child = cmd.spawn().unwrap();
    // Kill it once some results are on disk (the writer flushes as its buffer fills).
    let start = Instant::now();
    loop {
        let len = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        if len > 64 * 1024 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the batch finished before it could be interrupted"
        );
        assert!(start.elapsed() < Duration::from_secs(120), "no output");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    let _ = child.wait();

    let first = read_lines(&out);
    let done = first.reports.len();
    assert!(
        done > 0 && done < packages,
        "{done} of {packages} done before the kill"
    );
    let done_paths: BTreeSet<String> = report_paths(&first).into_iter().collect();

    // Touch one finished package: a newer mtime means a new file, rescanned. (A changed
    // content with the same size and mtime is caught by the hash: see the appvet-batch tests.)
    let touched = PathBuf::from(done_paths.iter().next().unwrap());
    std::fs::File::options()
        .write(true)
        .open(&touched)
        .unwrap()
        .set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .unwrap();

    let mut cmd = appvet();
    args(&mut cmd);
    let summary = outputs.join("summary.csv");
    cmd.arg("--resume").arg("--summary").arg(&summary);
    let resumed = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    let skipped = done - 1;
    assert!(
        stderr.contains(&format!(
            "{packages} packages: {} scanned, {skipped} skipped (already in the output), 0 errors",
            packages - skipped
        )),
        "{stderr}"
    );

    // Every package now has a report (the touched one twice: the later line wins), and the
    // interrupted last line was ended so no record is glued to it.
    let all = read_lines(&out);
    assert!(all.errors.is_empty());
    let paths = report_paths(&all);
    let unique: BTreeSet<&String> = paths.iter().collect();
    assert_eq!(unique.len(), packages);
    assert_eq!(paths.len(), packages + 1);
    let text = std::fs::read_to_string(&out).unwrap();
    let bad: Vec<&str> = text
        .lines()
        .filter(|l| serde_json::from_str::<serde_json::Value>(l).is_err())
        .collect();
    assert!(bad.len() <= 1, "{} unreadable lines", bad.len());

    // The summary counts the earlier results too.
    let csv = std::fs::read_to_string(&summary).unwrap();
    let verdict_total: u64 = csv
        .lines()
        .filter(|l| l.starts_with("verdict,"))
        .map(|l| l.split(',').nth(3).unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(verdict_total, packages as u64, "{csv}");

    // A third run has nothing left to do.
    let mut cmd = appvet();
    args(&mut cmd);
    cmd.arg("--resume");
    let again = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains(&format!(
            "{packages} packages: 0 scanned, {packages} skipped (already in the output), 0 errors"
        )),
        "{stderr}"
    );
    assert_eq!(read_lines(&out).reports.len(), packages + 1);
}

#[test]
fn resume_needs_jsonl_and_an_output_file() {
    let r = appvet()
        .args(["scan", "--resume", "--format", "json", "-o", "/dev/null"])
        .arg(fixture("android"))
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("--resume continues a --format jsonl"));
    let r = appvet()
        .args(["scan", "--resume", "--format", "jsonl"])
        .arg(fixture("android"))
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("--output"));
}
