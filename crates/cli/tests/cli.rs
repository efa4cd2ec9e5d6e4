//! The `appvet` binary, run as a user would.

mod common;
use common::*;

#[test]
fn json_document_has_the_contracted_shape() {
    let out = appvet()
        .args(["scan", "--format", "json"])
        .arg(android("trackers.apk"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = &doc["package"];
    assert_eq!(p["id"], "org.appvet.fixture.trackers");
    assert_eq!(p["version_code"], "30");
    assert_eq!(p["version_name"], "3.0");
    assert_eq!(p["label"], "Tracker Zoo");
    assert_eq!(p["platform"], "android");
    let inv = &doc["inventory"];
    let classes: Vec<&str> = inv["code"][0]["classes_defined"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(
        classes.contains(&"com.umeng.analytics.MobclickAgent"),
        "dotted class names: {classes:?}"
    );
    assert_eq!(
        doc["file"]["size"],
        std::fs::metadata(android("trackers.apk")).unwrap().len()
    );
    assert_eq!(doc["file"]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn unreadable_input_exits_2_and_names_the_file() {
    let dir = std::env::temp_dir().join(format!("appvet-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("broken.apk");
    std::fs::write(&bad, b"this is not a zip").unwrap();
    let out = appvet().arg("scan").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.apk") && err.contains("neither a zip archive"),
        "{err}"
    );

    let missing = dir.join("missing.apk");
    let out = appvet().arg("scan").arg(&missing).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.apk"));

    // In a batch, the bad file becomes an error line and the good one is still scanned.
    let out = appvet()
        .args(["scan", "--format", "jsonl"])
        .arg(&bad)
        .arg(android("clean.apk"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0]["error"]["path"]
        .as_str()
        .unwrap()
        .ends_with("broken.apk"));
    assert_eq!(lines[1]["package"]["id"], "org.appvet.fixture.clean");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn text_output_escapes_terminal_sequences_from_the_package() {
    let out = appvet()
        .arg("scan")
        .arg(android("hostile-label.apk"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}'),
        "raw ESC reached the terminal: {text}"
    );
    assert!(text.contains("\\u{1b}[31m"), "{text}");
    assert!(text.contains("<script>alert(1)</script>"));
}
