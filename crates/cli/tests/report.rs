//! Reports through the `appvet` binary: contexts, verdicts, formats, exit codes.

use serde_json::Value;
use std::path::Path;
use std::process::Output;

mod common;
use common::*;

fn run(args: &[&str], pkg: &Path) -> Output {
    appvet()
        .arg("scan")
        .args(["--scan-date", "2024-07-01"])
        .args(args)
        .arg(pkg)
        .output()
        .unwrap()
}

fn json(args: &[&str], pkg: &Path) -> Value {
    let out = run(
        &[args, &["--format", "json", "--no-inventory"]].concat(),
        pkg,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn ads_fail_when_mandated_need_review_when_recommended_and_clean_passes() {
    let dir = temp_dir("done");
    let html = dir.join("r.html");
    let out = appvet()
        .args(["scan", "--context", "mandated", "--format", "html", "-o"])
        .arg(&html)
        .arg(fixture("android/trackers.apk"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(r#"data-verdict="fail""#));
    assert!(page.contains(r#"data-clause="JJH55-11-ads" data-status="violation""#));
    assert!(page.contains("<b>pangle</b>"), "the ad SDK is the evidence");

    let m = json(&["--context", "mandated"], &fixture("android/trackers.apk"));
    assert_eq!(m["verdict"], "fail");
    assert_eq!(m["report_version"], 1);
    assert_eq!(m["scan_date"], "2024-07-01");
    assert_eq!(m["context"], serde_json::json!(["mandated"]));
    let ads = clause(&m, "JJH55-11-ads");
    assert_eq!(ads["status"], "violation");
    let ids: Vec<&str> = ads["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"pangle") && ids.contains(&"google-admob"),
        "{ids:?}"
    );
    assert!(m["reasons"][0]["en"]
        .as_str()
        .unwrap()
        .starts_with("JJH55-11-ads"));

    let r = json(
        &["--context", "recommended"],
        &fixture("android/trackers.apk"),
    );
    assert_eq!(r["verdict"], "needs-review");
    assert_eq!(clause(&r, "JJH55-11-ads")["status"], "not-applicable");
    assert_eq!(clause(&r, "JJH55-5-ads")["status"], "needs-review");

    let c = json(&["--context", "mandated"], &fixture("android/clean.apk"));
    assert_eq!(c["verdict"], "pass");
    assert!(c["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["status"] != "violation" && x["status"] != "needs-review"));
    // The scan document's members stay (the `scan --format json` contract).
    assert_eq!(c["package"]["id"], "org.appvet.fixture.clean");
    assert!(c["sdks"].is_array() && c["findings"].is_object());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn contexts_combine_and_bad_arguments_exit_2() {
    let a = json(
        &["--context", "mandated,minors"],
        &fixture("android/clean.apk"),
    );
    let b = json(
        &["--context", "mandated", "--context", "minors"],
        &fixture("android/clean.apk"),
    );
    assert_eq!(a["context"], serde_json::json!(["mandated", "minors"]));
    assert_eq!(a["clauses"], b["clauses"]);
    assert_eq!(clause(&a, "JJH55-5-minors")["status"], "needs-review");

    for bad in [
        vec!["--context", "mandated,recommended"],
        vec!["--context", "everyone"],
        vec!["--scan-date", "2024-02-30"],
    ] {
        let out = run(&bad, &fixture("android/clean.apk"));
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
    }
}

#[test]
fn fail_on_sets_the_exit_code_for_gates() {
    let trackers = fixture("android/trackers.apk");
    let clean = fixture("android/clean.apk");
    let code = |args: &[&str], p: &Path| run(args, p).status.code();
    // Without --fail-on a scanned package exits 0 whatever the verdict.
    assert_eq!(code(&["--context", "mandated"], &trackers), Some(0));
    assert_eq!(
        code(&["--context", "mandated", "--fail-on", "fail"], &trackers),
        Some(1)
    );
    assert_eq!(
        code(
            &["--context", "recommended", "--fail-on", "fail"],
            &trackers
        ),
        Some(0)
    );
    assert_eq!(
        code(
            &["--context", "recommended", "--fail-on", "needs-review"],
            &trackers
        ),
        Some(1)
    );
    assert_eq!(
        code(
            &["--context", "mandated", "--fail-on", "needs-review"],
            &clean
        ),
        Some(0)
    );
    // Unreadable input wins over the verdict.
    let dir = temp_dir("failon");
    let bad = dir.join("bad.apk");
    std::fs::write(&bad, b"nope").unwrap();
    let out = appvet()
        .args(["scan", "--context", "mandated", "--fail-on", "fail"])
        .arg(&trackers)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn text_report_puts_the_verdict_first_and_honours_the_language() {
    let out = run(&["--context", "mandated"], &fixture("android/trackers.apk"));
    let t = String::from_utf8(out.stdout).unwrap();
    assert!(!t.contains('\u{1b}'), "no colour when not a terminal");
    let verdict = t.find("结论：不通过").unwrap();
    let clauses = t.find("\n条款\n").unwrap();
    let sdks = t.find("第三方 SDK").unwrap();
    let perms = t.find("权限（按个人信息类别）").unwrap();
    assert!(verdict < clauses && clauses < sdks && sdks < perms, "{t}");
    assert!(t.contains("违规") && t.contains("JJH55-11-ads"));

    let out = run(
        &["--context", "mandated", "--lang", "en"],
        &fixture("android/trackers.apk"),
    );
    let t = String::from_utf8(out.stdout).unwrap();
    assert!(t.contains("Verdict: FAIL (fail)"), "{t}");
    assert!(t.contains("Violation") && t.contains("Needs review"));
}

#[test]
fn sarif_md_and_filing_formats() {
    let trackers = fixture("android/trackers.apk");
    let out = run(&["--context", "mandated", "--format", "sarif"], &trackers);
    assert!(out.status.success());
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["ruleId"] == "JJH55-11-ads" && r["level"] == "error"));

    let out = run(
        &["--format", "md", "--lang", "en"],
        &fixture("android/hostile-label.apk"),
    );
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# appvet"));
    assert!(!md.contains("<script>"), "{md}");

    let out = run(&["--format", "filing"], &trackers);
    let f: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(f["package_id"], "org.appvet.fixture.trackers");
    assert_eq!(f["file_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        f["certificates"][0]["sha256"],
        "12449ce54c78c8a3db66e7addb0c9438d3256abe81149c4724749fbf3f4201a9"
    );
    assert!(f["sdks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == "pangle"));

    // Several packages: SARIF has a run each, filing is an array, html refuses.
    let clean = fixture("android/clean.apk");
    let out = appvet()
        .args(["scan", "--format", "sarif"])
        .arg(&trackers)
        .arg(&clean)
        .output()
        .unwrap();
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["runs"].as_array().unwrap().len(), 2);
    let out = appvet()
        .args(["scan", "--format", "filing"])
        .arg(&trackers)
        .arg(&clean)
        .output()
        .unwrap();
    let arr: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(arr.as_array().unwrap().len(), 2);
    let out = appvet()
        .args(["scan", "--format", "html"])
        .arg(&trackers)
        .arg(&clean)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn jsonl_is_one_report_per_line() {
    let out = appvet()
        .args(["scan", "--format", "jsonl", "--context", "mandated"])
        .arg(fixture("android/trackers.apk"))
        .arg(fixture("ios/clean.ipa"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["verdict"], "fail");
    assert_eq!(lines[1]["package"]["platform"], "ios");
    assert!(
        lines[0]["inventory"].is_object(),
        "json keeps the inventory by default"
    );
}

#[test]
fn clauses_lists_the_catalogue_and_rules() {
    let out = appvet().arg("clauses").output().unwrap();
    assert!(out.status.success());
    let t = String::from_utf8(out.stdout).unwrap();
    assert!(t.contains("JJH55-11-ads") && t.contains("原文"), "{t}");
    let out = appvet().args(["clauses", "--lang", "en"]).output().unwrap();
    let t = String::from_utf8(out.stdout).unwrap();
    assert!(
        t.contains("JJS265-3-3") && t.contains("Manual checks"),
        "{t}"
    );
    let out = appvet()
        .args(["clauses", "--rules", "--lang", "en"])
        .output()
        .unwrap();
    let t = String::from_utf8(out.stdout).unwrap();
    for c in appvet_ids() {
        assert!(t.contains(c), "{c} in {t}");
    }
}

fn appvet_ids() -> [&'static str; 4] {
    ["JJH55-4", "JJH55-7", "JJH55-11-ads", "JJS265-annex-1"]
}
