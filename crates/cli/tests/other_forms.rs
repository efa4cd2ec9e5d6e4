//! Mini-programs and HarmonyOS packages through the CLI as a reviewer and a store run it: the
//! same clause-by-clause report with evidence inside the package, picked by content (a renamed
//! file scans the same), batch discovery of the new extensions, and the gate.

use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;
use common::*;

fn scan_json(path: &Path, ctx: &str) -> Value {
    let out = appvet()
        .args(["scan", "-f", "json", "-c", ctx])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_mini_program_gets_the_clause_report_with_offsets_in_the_package() {
    let path = fixture("wechat/edu-tracking.wxapkg");
    let doc = scan_json(&path, "mandated");
    assert_eq!(doc["package"]["platform"], "wechat-miniprogram");
    assert_eq!(doc["package"]["format"], "wxapkg");
    assert_eq!(doc["verdict"], "fail");
    let ads = clause(&doc, "JJH55-11-ads");
    assert_eq!(ads["status"], "violation");
    // The evidence names the file inside the package and a byte offset that holds the call.
    let ev = &ads["evidence"][0];
    let loc = &ev["location"];
    assert_eq!(loc["entry"], "/app-service.js");
    let bytes = std::fs::read(&path).unwrap();
    let at = loc["offset"].as_u64().unwrap() as usize;
    assert_eq!(&bytes[at..at + 3], b"wx.", "{ev}");
    assert_eq!(clause(&doc, "JJH55-11-fees")["status"], "violation");
    assert_eq!(clause(&doc, "JJH55-6")["status"], "needs-review");

    // A renamed copy scans the same: the format comes from the content.
    let dir = temp_dir("renamed");
    let renamed = dir.join("download.bin");
    std::fs::copy(&path, &renamed).unwrap();
    let again = scan_json(&renamed, "mandated");
    assert_eq!(again["clauses"], doc["clauses"]);
    assert_eq!(again["package"]["platform"], "wechat-miniprogram");
}

#[test]
fn a_hap_gets_the_clause_report() {
    let doc = scan_json(&fixture("harmony/edu-tracking.hap"), "mandated,minors");
    assert_eq!(doc["package"]["platform"], "harmonyos");
    assert_eq!(doc["package"]["id"], "cn.example.edu.tracking");
    assert_eq!(doc["verdict"], "fail");
    let sec = clause(&doc, "JJH55-7");
    assert_eq!(sec["status"], "violation");
    let entries: Vec<&str> = sec["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["location"]["entry"].as_str().unwrap())
        .collect();
    assert!(entries.contains(&"module.json"), "{entries:?}");
    assert!(entries.contains(&"ets/modules.abc"), "{entries:?}");
    let sdks: Vec<&str> = doc["sdks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(sdks, ["umeng-analytics", "umeng-common"]);

    let clean = scan_json(&fixture("harmony/edu-clean.hap"), "mandated");
    assert_eq!(clean["verdict"], "pass", "{}", clean["reasons"]);
}

#[test]
fn batch_discovers_the_new_extensions_and_the_gate_judges_them() {
    let dir = temp_dir("batch");
    for rel in [
        "wechat/edu-clean.wxapkg",
        "wechat/edu-tracking.wxapkg",
        "harmony/edu-clean.hap",
        "harmony/edu-suite.app",
    ] {
        let name = Path::new(rel).file_name().unwrap();
        std::fs::copy(fixture(rel), dir.join(name)).unwrap();
    }
    std::fs::write(dir.join("notes.txt"), "not a package").unwrap();
    let out = appvet()
        .args(["scan", "-f", "jsonl", "-j", "2"])
        .arg(&dir)
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // One record per package, in path order; the text file is not a package and is skipped.
    let found: Vec<(String, &str)> = lines
        .iter()
        .map(|l| {
            let name = Path::new(l["file"]["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, l["package"]["platform"].as_str().unwrap_or("?"))
        })
        .collect();
    let expected = [
        ("edu-clean.hap", "harmonyos"),
        ("edu-clean.wxapkg", "wechat-miniprogram"),
        ("edu-suite.app", "harmonyos"),
        ("edu-tracking.wxapkg", "wechat-miniprogram"),
    ];
    assert_eq!(
        found,
        expected.map(|(n, p)| (n.to_string(), p)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let policy = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies/mandated.toml");
    let out = appvet()
        .args(["gate", "-f", "json", "--policy"])
        .arg(&policy)
        .arg(dir.join("edu-clean.hap"))
        .arg(dir.join("edu-tracking.wxapkg"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let g: Value = serde_json::from_slice(&out.stdout).unwrap();
    let verdicts: Vec<(&str, &str)> = g["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["platform"].as_str().unwrap(),
                p["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [("harmonyos", "pass"), ("wechat-miniprogram", "fail")]
    );
}
