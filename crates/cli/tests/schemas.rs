//! `appvet gate -f json` and `appvet registry rescan -f json|jsonl` validated against
//! `schemas/gate.schema.json` and `schemas/rescan.schema.json`, the contracts pipelines
//! script against.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

mod common;
use common::*;

fn validator(name: &str) -> jsonschema::Validator {
    let p = root().join("schemas").join(name);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name} does not compile: {e}"))
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .take(10)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

fn run(args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_appvet"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn os<S: AsRef<std::ffi::OsStr> + ?Sized>(s: &S) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn gate_json_matches_its_schema() {
    let v = validator("gate.schema.json");
    let dir = temp_dir("gate");
    let junk = dir.join("junk.apk");
    std::fs::write(&junk, b"not a zip").unwrap();
    let ios = root().join("fixtures/ios/ads.ipa");
    for policy in [
        "mandated.toml",
        "minors.toml",
        "recommended.toml",
        "higher-ed.toml",
    ] {
        let p = root().join("policies").join(policy);
        let out = run(&[
            os("gate"),
            os("-f"),
            os("json"),
            os("--policy"),
            os(&p),
            os(&android("trackers.apk")),
            os(&android("insecure.apk")),
            os(&android("clean.apk")),
            os(&ios),
            os(&junk),
        ]);
        let doc: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(doc["verdict"], "error");
        assert_valid(&v, &doc, policy);
    }
    // The schema is strict: an unknown member is caught.
    let mut doc: Value = serde_json::from_slice(&run(&[
        os("gate"),
        os("-f"),
        os("json"),
        os("--policy"),
        os(&root().join("policies/mandated.toml")),
        os(&android("clean.apk")),
    ]))
    .unwrap();
    doc["packages"][0]["surprise"] = Value::Bool(true);
    assert!(!v.is_valid(&doc));
}

fn registry(db: &Path, args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let mut all = vec![os("registry"), os("--registry"), os(db)];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn rescan_json_and_jsonl_match_their_schema() {
    let v = validator("rescan.schema.json");
    let dir = temp_dir("rescan");
    let db = dir.join("r.sqlite");
    registry(
        &db,
        &[
            os("file"),
            os("--filed-on"),
            os("2026-01-01"),
            os(&android("clean.apk")),
            os(&android("trackers.apk")),
            os(&root().join("fixtures/ios/clean.ipa")),
        ],
    );
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    for name in [
        "clean-sdk-added.apk",
        "clean-resigned.apk",
        "trackers.apk",
        "network.apk",
    ] {
        std::fs::copy(android(name), dist.join(name)).unwrap();
    }
    std::fs::copy(
        root().join("fixtures/ios/clean.ipa"),
        dist.join("clean.ipa"),
    )
    .unwrap();
    std::fs::write(dist.join("broken.apk"), b"PK\x05\x06").unwrap();
    let doc: Value = serde_json::from_slice(&registry(
        &db,
        &[
            os("rescan"),
            os("-q"),
            os("-f"),
            os("json"),
            os("--scan-date"),
            os("2026-12-07"),
            os(&dist),
        ],
    ))
    .unwrap();
    assert_eq!(doc["results"].as_array().unwrap().len(), 6);
    assert_valid(&v, &doc, "rescan json");
    let kinds: Vec<&str> = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["differences"].as_array().into_iter().flatten())
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    // Filed in January, rescanned in December: stale, besides the rest.
    for k in ["stale", "signer-changed", "new-sdks", "not-filed"] {
        assert!(kinds.contains(&k), "{k} not in {kinds:?}");
    }
    let mut wrong = doc.clone();
    let scanned = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r.get("differences").is_some())
        .unwrap();
    wrong["results"][scanned]["differences"] = serde_json::json!([{"kind": "renamed",
        "clause": "x", "message": {"zh": "", "en": ""}}]);
    assert!(
        !v.is_valid(&wrong),
        "an unknown difference kind must not validate"
    );
    let lines = registry(&db, &[os("results"), os("1"), os("-f"), os("jsonl")]);
    let results = v;
    for line in String::from_utf8(lines).unwrap().lines() {
        let item: Value = serde_json::from_str(line).unwrap();
        let doc = serde_json::json!({ "rescan": doc["rescan"], "results": [item] });
        assert_valid(&results, &doc, line);
    }
}
