//! Detection through the `appvet` binary: the scan document's `sdks` / `findings`, text
//! sections, and the `signatures` subcommands.

mod common;
use common::*;

#[test]
fn scan_json_has_sdks_and_findings() {
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
    let sdks = doc["sdks"].as_array().unwrap();
    assert!(sdks.len() >= 7);
    for s in sdks {
        for k in ["id", "name", "vendor", "categories", "evidence"] {
            assert!(!s[k].is_null(), "{k} missing in {s}");
        }
    }
    assert!(sdks
        .iter()
        .any(|s| s["id"] == "umeng-analytics" && s["strength"] == "strong"));
    assert_eq!(doc["findings"]["sdks"], doc["sdks"]);
    let imei = doc["findings"]["apis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "imei")
        .unwrap();
    assert_eq!(imei["by"], serde_json::json!(["umeng-analytics"]));
    let v = doc["findings"]["database"]["version"].as_str().unwrap();
    assert!(!v.is_empty());
    assert_eq!(doc["appvet"]["signatures_version"], v);
    assert_eq!(doc["findings"]["completeness"]["complete"], true);
}

#[test]
fn text_output_has_detection_sections() {
    let out = appvet()
        .args(["scan", "--lang", "en"])
        .arg(android("trackers.apk"))
        .output()
        .unwrap();
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(t.contains("analysis: complete"), "{t}");
    assert!(t.contains("umeng-analytics"), "{t}");
    assert!(
        t.contains("TelephonyManager.getDeviceId called by Umeng Analytics"),
        "{t}"
    );
    let out = appvet()
        .args(["scan", "--lang", "en"])
        .arg(android("native.apk"))
        .output()
        .unwrap();
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(
        t.contains("RESULTS INCOMPLETE") && t.contains("360 Jiagu"),
        "{t}"
    );
    let out = appvet()
        .args(["scan", "--lang", "en"])
        .arg(android("biometric.apk"))
        .output()
        .unwrap();
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(
        t.contains("biometrics:") && t.contains("fingerprint"),
        "{t}"
    );
}

#[test]
fn signatures_check_list_and_custom_dir() {
    let out = appvet().args(["signatures", "check"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("embedded database: ok"));

    let out = appvet()
        .args(["signatures", "list", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["sdks"].as_array().unwrap().len() > 100);
    assert!(doc["permissions"]["android"].as_array().unwrap().len() > 100);

    // A user directory with one SDK: scan uses it, check validates it.
    let dir = temp_dir("sigs");
    std::fs::create_dir_all(dir.join("sdk")).unwrap();
    std::fs::write(dir.join("VERSION"), "1999.01.01\n").unwrap();
    std::fs::write(
        dir.join("sdk/only-umeng.toml"),
        "id = \"only-umeng\"\nname = \"Only Umeng\"\nvendor = \"U\"\nregion = \"cn\"\ncategories = [\"analytics\"]\nsources = [\"t\"]\n[android]\npackages = [\"com.umeng\"]\n",
    )
    .unwrap();
    let out = appvet()
        .args(["signatures", "check"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = appvet()
        .args(["scan", "--format", "json", "--signatures"])
        .arg(&dir)
        .arg(android("trackers.apk"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = doc["sdks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["only-umeng"]);
    assert_eq!(doc["findings"]["database"]["version"], "1999.01.01");

    // A broken file: check exits 1 naming file and key; scan refuses (exit 2).
    std::fs::write(
        dir.join("sdk/bad.toml"),
        "id = \"bad\"\nname = \"B\"\nvendor = \"B\"\nregion = \"cn\"\ncategories = [\"analytics\"]\n[android]\npackages = [\"com.google\"]\n",
    )
    .unwrap();
    let out = appvet()
        .args(["signatures", "check"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(
        t.contains("sdk/bad.toml: android.packages[0]") && t.contains("over-generic"),
        "{t}"
    );
    let out = appvet()
        .args(["scan", "--signatures"])
        .arg(&dir)
        .arg(android("clean.apk"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn import_exodus_writes_valid_sdk_files() {
    let dir = temp_dir("exodus");
    let src = dir.join("exodus.json");
    std::fs::write(
        &src,
        r#"{"trackers": {"1": {"id": 1, "name": "Teemo", "code_signature": "com.databerries.|com.geolocstation.", "network_signature": "databerries\\.com", "website": "https://www.teemo.co", "categories": ["Analytics", "Location"]},
        "22": {"id": 22, "name": "Sizmek", "code_signature": ".sizmek.", "network_signature": "", "categories": ["Advertisement"]}}}"#,
    )
    .unwrap();
    let out_dir = dir.join("out");
    let out = appvet()
        .args(["signatures", "import-exodus"])
        .arg(&src)
        .arg("-o")
        .arg(out_dir.join("sdk"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let teemo = std::fs::read_to_string(out_dir.join("sdk/teemo.toml")).unwrap();
    assert!(
        teemo.contains("exodus:1") && teemo.contains("com.databerries"),
        "{teemo}"
    );
    assert!(out_dir.join("sdk/sizmek.toml").exists());
    std::fs::write(out_dir.join("VERSION"), "2000.01.01\n").unwrap();
    let out = appvet()
        .args(["signatures", "check"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
