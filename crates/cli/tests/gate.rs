//! `appvet gate`, run as an app store's pipeline would: policies, verdicts, exit codes.

use std::path::PathBuf;
use std::process::Output;

mod common;
use common::*;

fn policy(name: &str) -> PathBuf {
    root().join("policies").join(name)
}

fn gate(policy: &std::path::Path, packages: &[&str]) -> (Output, serde_json::Value) {
    let out = appvet()
        .args([
            "gate",
            "-f",
            "json",
            "--scan-date",
            "2026-12-07",
            "--policy",
        ])
        .arg(policy)
        .args(packages.iter().map(|p| android(p)))
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out, doc)
}

fn failure_keys(doc: &serde_json::Value, package: &str) -> Vec<String> {
    let p = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["package_id"] == package)
        .unwrap_or_else(|| panic!("{package} not in {doc}"));
    p["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_shipped_policy_loads_and_judges() {
    let mut names: Vec<String> = std::fs::read_dir(root().join("policies"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "higher-ed.toml",
            "mandated.toml",
            "minors.toml",
            "recommended.toml"
        ]
    );
    for name in &names {
        let (out, doc) = gate(&policy(name), &["clean.apk", "insecure.apk"]);
        assert_eq!(out.status.code(), Some(1), "{name}: {doc}");
        assert_eq!(doc["verdict"], "fail", "{name}");
        assert_eq!(doc["policy"], name.trim_end_matches(".toml"));
        // The debuggable, debug-signed, cleartext demo fails every shipped policy.
        let keys = failure_keys(&doc, "org.appvet.fixture.insecure");
        assert!(
            keys.iter().any(|k| k == "fail_on_debuggable"),
            "{name}: {keys:?}"
        );
        // A clean app can pass every shipped policy (none holds every listing).
        assert!(
            failure_keys(&doc, "org.appvet.fixture.clean").is_empty(),
            "{name}: {doc}"
        );
    }
}

#[test]
fn mandated_fails_ads_and_passes_a_clean_app() {
    let (out, doc) = gate(&policy("mandated.toml"), &["clean.apk"]);
    assert_eq!(out.status.code(), Some(0), "{doc}");
    assert_eq!(doc["verdict"], "pass");
    assert_eq!(doc["passed"], 1);

    let (out, doc) = gate(&policy("mandated.toml"), &["trackers.apk", "clean.apk"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        (doc["passed"].as_u64(), doc["failed"].as_u64()),
        (Some(1), Some(1))
    );
    let keys = failure_keys(&doc, "org.appvet.fixture.trackers");
    assert!(keys.iter().any(|k| k == "sdks.deny_categories"), "{keys:?}");
    assert!(keys.iter().any(|k| k == "fail_on"), "{keys:?}");
    let trackers = &doc["packages"][0];
    let sdk_failure = trackers["failures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "sdks.deny_categories")
        .unwrap();
    // The evidence location of the denied SDK is inside the package.
    assert!(
        sdk_failure["location"].to_string().contains("classes.dex"),
        "{sdk_failure}"
    );
}

#[test]
fn blacklists_and_denied_sdks_in_a_policy_file() {
    let dir = temp_dir("blacklist");
    let p = dir.join("store.toml");
    std::fs::write(
        &p,
        r#"
name = "store"
contexts = ["recommended"]
fail_on = []
[sdks]
deny = ["umeng-analytics"]
[blacklist]
cert_sha256 = ["12:44:9C:E5:4C:78:C8:A3:DB:66:E7:AD:DB:0C:94:38:D3:25:6A:BE:81:14:9C:47:24:74:9F:BF:3F:42:01:A9"]
"#,
    )
    .unwrap();
    let (out, doc) = gate(&p, &["clean.apk", "trackers.apk", "clean-resigned.apk"]);
    assert_eq!(out.status.code(), Some(1));
    // clean.apk and trackers.apk are signed by the blacklisted release key; the re-signed
    // copy is not.
    assert!(failure_keys(&doc, "org.appvet.fixture.clean")
        .iter()
        .any(|k| k == "blacklist.cert_sha256"));
    let t = failure_keys(&doc, "org.appvet.fixture.trackers");
    assert!(t.iter().any(|k| k == "sdks.deny"), "{t:?}");
    let resigned = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"].as_str().unwrap().ends_with("clean-resigned.apk"))
        .unwrap();
    assert_eq!(resigned["verdict"], "pass", "{resigned}");
}

#[test]
fn a_bad_policy_is_rejected_by_key_name() {
    let dir = temp_dir("bad-policy");
    for (text, key) in [
        ("name = \"x\"\ndeny_sdk = [\"a\"]\n", "deny_sdk"),
        (
            "name = \"x\"\nmin_target_sdk = \"thirty\"\n",
            "min_target_sdk",
        ),
        (
            "name = \"x\"\n[sdks]\ndeny = [\"no-such-sdk\"]\n",
            "sdks.deny",
        ),
        ("name = \"x\"\nfail_on = [\"sometimes\"]\n", "fail_on"),
        (
            "name = \"x\"\n[sdks]\ndeny_categories = [\"astrology\"]\n",
            "sdks.deny_categories",
        ),
    ] {
        let p = dir.join("p.toml");
        std::fs::write(&p, text).unwrap();
        let out = appvet()
            .args(["gate", "--policy"])
            .arg(&p)
            .arg(android("clean.apk"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(key), "{text}: {err}");
        assert!(err.contains("p.toml"), "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn an_unreadable_package_is_an_error_not_a_pass() {
    let dir = temp_dir("unreadable");
    let junk = dir.join("junk.apk");
    std::fs::write(&junk, b"PK\x03\x04 not really").unwrap();
    let out = appvet()
        .args(["gate", "-f", "json", "--policy"])
        .arg(policy("recommended.toml"))
        .arg(android("clean.apk"))
        .arg(&junk)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["verdict"], "error");
    assert_eq!(doc["unreadable"][0]["path"], junk.display().to_string());
    // Text output says it too, and --report-dir keeps each report.
    let reports = dir.join("reports");
    let out = appvet()
        .args(["gate", "--lang", "en", "--report-dir"])
        .arg(&reports)
        .arg("--policy")
        .arg(policy("recommended.toml"))
        .arg(android("clean.apk"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("PASS"));
    let written: Vec<_> = std::fs::read_dir(&reports).unwrap().collect();
    assert_eq!(written.len(), 1);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(written[0].as_ref().unwrap().path()).unwrap())
            .unwrap();
    assert_eq!(report["package"]["id"], "org.appvet.fixture.clean");
}
