//! `appvet registry` on the embedded SQLite registry: a bureau's workflow end to end (the
//! README's), as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::*;

fn registry(db: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_appvet"))
        .arg("registry")
        .arg("--registry")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some(),
        "killed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_bureau_files_apps_rescans_copies_and_reads_the_differences() {
    let dir = temp_dir("workflow");
    let db = dir.join("registry.sqlite");
    let (clean, trackers, permissions) = (
        android("clean.apk"),
        android("trackers.apk"),
        android("permissions.apk"),
    );
    let filed = ok(&registry(
        &db,
        &[
            "file",
            "--filed-on",
            "2026-10-01",
            s(&clean),
            s(&trackers),
            s(&permissions),
        ],
    ));
    assert_eq!(filed.lines().count(), 3, "{filed}");
    assert!(filed.contains("org.appvet.fixture.clean"));
    // Filing the same file again adds nothing.
    let again = ok(&registry(&db, &["file", "--lang", "en", s(&clean)]));
    assert!(again.contains("already filed"), "{again}");
    let list: serde_json::Value =
        serde_json::from_str(&ok(&registry(&db, &["list", "-f", "json"]))).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    let clean_rec = list
        .iter()
        .find(|r| r["package_id"] == "org.appvet.fixture.clean")
        .unwrap();
    assert_eq!(clean_rec["version_code"], "7");
    assert_eq!(clean_rec["filed_on"], "2026-10-01");
    assert_eq!(
        clean_rec["cert_sha256"][0],
        "12449ce54c78c8a3db66e7addb0c9438d3256abe81149c4724749fbf3f4201a9"
    );
    let trackers_rec = list
        .iter()
        .find(|r| r["package_id"] == "org.appvet.fixture.trackers")
        .unwrap();
    assert!(trackers_rec["sdks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "umeng-analytics"));
    // show --report gives the full stored report.
    let id = clean_rec["id"].as_i64().unwrap().to_string();
    let report: serde_json::Value =
        serde_json::from_str(&ok(&registry(&db, &["show", &id, "--report"]))).unwrap();
    assert_eq!(report["package"]["id"], "org.appvet.fixture.clean");
    assert!(report["clauses"].as_array().unwrap().len() > 10);
    let csv = ok(&registry(&db, &["export", "-f", "csv"]));
    assert_eq!(csv.lines().count(), 4);
    assert!(csv.starts_with("id,package_id,platform,"));

    // The distributed copies: one with an SDK added, one re-signed, one as filed, one never
    // filed.
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    for name in [
        "clean-sdk-added.apk",
        "clean-resigned.apk",
        "trackers.apk",
        "insecure.apk",
    ] {
        std::fs::copy(android(name), dist.join(name)).unwrap();
    }
    let summary = dir.join("summary.csv");
    let out = registry(
        &db,
        &[
            "rescan",
            "-q",
            "-j",
            "2",
            "-f",
            "json",
            "--scan-date",
            "2026-12-07",
            "--summary",
            s(&summary),
            s(&dist),
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&ok(&out)).unwrap();
    assert_eq!(doc["rescan"]["progress"]["done"], 4);
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let by_file = |name: &str| {
        results
            .iter()
            .find(|r| r["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not in the results"))
    };
    let kinds = |name: &str| -> Vec<String> {
        by_file(name)["differences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["kind"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(kinds("clean-resigned.apk"), ["signer-changed"]);
    let signer = &by_file("clean-resigned.apk")["differences"][0];
    assert_eq!(signer["clause"], "JJS265-annex-1");
    assert!(signer["items"][0]
        .as_str()
        .unwrap()
        .contains("12449ce54c78c8a3"));
    assert_eq!(kinds("clean-sdk-added.apk"), ["new-sdks"]);
    let sdks = &by_file("clean-sdk-added.apk")["differences"][0]["items"];
    assert!(
        sdks.as_array()
            .unwrap()
            .iter()
            .any(|s| s == "umeng-analytics"),
        "{sdks}"
    );
    assert_eq!(kinds("trackers.apk"), Vec::<String>::new());
    assert_eq!(by_file("trackers.apk")["identical_file"], true);
    assert_eq!(kinds("insecure.apk"), ["not-filed"]);
    // Each result carries its report, judged against the filed record.
    assert_eq!(
        by_file("clean-resigned.apk")["report"]["package"]["id"],
        "org.appvet.fixture.clean"
    );
    let csv = std::fs::read_to_string(&summary).unwrap();
    for line in [
        "total,packages,4",
        "total,as-filed,1",
        "difference,signer-changed,1",
        "difference,new-sdks,1",
        "difference,not-filed,1",
        "filed-not-seen,org.appvet.fixture.permissions,1",
    ] {
        assert!(csv.lines().any(|l| l == line), "{line} not in\n{csv}");
    }

    // Half a year later nothing new was filed: the copy as filed is stale (JJS265 三.5).
    let out = registry(
        &db,
        &[
            "rescan",
            "-q",
            "-f",
            "jsonl",
            "--scan-date",
            "2027-04-02",
            s(&dist.join("trackers.apk")),
        ],
    );
    let line: serde_json::Value = serde_json::from_str(ok(&out).trim()).unwrap();
    assert_eq!(line["differences"][0]["kind"], "stale");
    assert_eq!(line["differences"][0]["clause"], "JJS265-3-5");

    // SARIF for a pipeline: each copy's report as a run, plus a result per difference under
    // the clause it speaks to.
    let sarif: serde_json::Value = serde_json::from_str(&ok(&registry(
        &db,
        &["results", "1", "-f", "sarif", "--lang", "en"],
    )))
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 4);
    let mut differences = Vec::new();
    for run in runs {
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for r in run["results"].as_array().unwrap() {
            let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[i]["id"], r["ruleId"], "{r}");
            assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
            if let Some(kind) = r["properties"]["registry_difference"].as_str() {
                let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap();
                assert_eq!(Some(uri), run["artifacts"][0]["location"]["uri"].as_str());
                differences.push((
                    uri.to_string(),
                    kind.to_string(),
                    r["ruleId"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    differences.sort();
    assert_eq!(
        differences,
        [
            (
                "clean-resigned.apk".to_string(),
                "signer-changed".to_string(),
                "JJS265-annex-1".into()
            ),
            (
                "clean-sdk-added.apk".to_string(),
                "new-sdks".to_string(),
                "JJS265-annex-1".into()
            ),
            (
                "insecure.apk".to_string(),
                "not-filed".to_string(),
                "JJH55-4".into()
            ),
        ]
    );

    // The text report reads as a reviewer would want it, in Chinese by default.
    let rescans = ok(&registry(&db, &["rescans"]));
    assert_eq!(rescans.lines().count(), 2, "{rescans}");
    let text = ok(&registry(&db, &["results", "1"]));
    assert!(text.contains("签名证书变更"), "{text}");
    assert!(text.contains("新增 SDK"), "{text}");
    assert!(text.contains("未备案"), "{text}");
    let md = ok(&registry(
        &db,
        &["results", "1", "-f", "md", "--lang", "en"],
    ));
    assert!(md.contains("| File | App |"), "{md}");
    assert!(md.contains("signer changed"), "{md}");
}

#[test]
fn an_unreadable_copy_is_an_error_record_and_the_rescan_goes_on() {
    let dir = temp_dir("unreadable");
    let db = dir.join("r.sqlite");
    ok(&registry(&db, &["file", s(&android("clean.apk"))]));
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("broken.apk"), b"PK\x03\x04broken").unwrap();
    std::fs::copy(android("clean.apk"), dist.join("clean.apk")).unwrap();
    let out = registry(&db, &["rescan", "-q", "-f", "jsonl", s(&dist)]);
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let broken = lines
        .iter()
        .find(|l| l["path"].as_str().unwrap().ends_with("broken.apk"))
        .unwrap();
    assert!(
        broken["error"].as_str().unwrap().contains("broken.apk"),
        "{broken}"
    );
    let clean = lines
        .iter()
        .find(|l| l["path"].as_str().unwrap().ends_with("clean.apk"))
        .unwrap();
    assert_eq!(clean["identical_file"], true);
}

#[test]
fn concurrent_filing_processes_share_one_file() {
    let dir = temp_dir("concurrent");
    let db = dir.join("r.sqlite");
    let names = [
        "clean.apk",
        "trackers.apk",
        "permissions.apk",
        "biometric.apk",
        "network.apk",
        "insecure.apk",
        "v1only.apk",
        "native.apk",
        "multidex.apk",
        "clean-resigned.apk",
        "clean-sdk-added.apk",
    ];
    let paths: Vec<PathBuf> = names.iter().map(|n| android(n)).collect();
    // Four processes file the same eleven packages at once, in different orders.
    let children: Vec<_> = (0..4)
        .map(|k| {
            let mut order = paths.clone();
            order.rotate_left(k * 3);
            Command::new(env!("CARGO_BIN_EXE_appvet"))
                .arg("registry")
                .arg("--registry")
                .arg(&db)
                .arg("file")
                .args(&order)
                .output_async()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        ok(&out);
    }
    let list: serde_json::Value =
        serde_json::from_str(&ok(&registry(&db, &["list", "-f", "json"]))).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), names.len(), "one record per file, none lost");
    let mut ids: Vec<i64> = list.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), names.len());
}

trait OutputAsync {
    fn output_async(&mut self) -> std::process::Child;
}

impl OutputAsync for Command {
    fn output_async(&mut self) -> std::process::Child {
        self.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }
}

#[test]
fn package_controlled_text_is_made_safe_in_every_registry_output() {
    // hostile-label.apk's labels: `<script>alert(1)</script>`, and zh-CN with ANSI colour codes.
    let dir = temp_dir("hostile");
    let db = dir.join("r.sqlite");
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    // A file name is package-controlled too (an upload's name): it becomes a CSV cell.
    std::fs::copy(android("hostile-label.apk"), dist.join("@evil.apk")).unwrap();
    ok(&registry(&db, &["file", s(&dist.join("@evil.apk"))]));
    let summary = dir.join("s.csv");
    let text = ok(&registry(
        &db,
        &["rescan", "-q", "--summary", s(&summary), s(&dist)],
    ));
    let list = ok(&registry(&db, &["list"]));
    let md = ok(&registry(&db, &["results", "1", "-f", "md"]));
    for (what, out) in [("rescan text", &text), ("list", &list), ("md", &md)] {
        assert!(
            !out.contains('\u{1b}'),
            "{what} passes a terminal escape:\n{out}"
        );
    }
    assert!(!md.contains("<script>"), "{md}");
    let csv = ok(&registry(&db, &["export", "-f", "csv"]));
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(csv.contains(",'@evil.apk,"), "{csv}");
    for out in [&csv, &summary] {
        for cell in out.lines().flat_map(|l| l.split(',')) {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "formula cell {cell:?} in\n{out}"
            );
        }
    }
}
