//! Real reports of every fixture validated against `schemas/report.schema.json` (our schema)
//! and their SARIF against the official SARIF 2.1.0 schema (`schemas/third_party/`).

mod common;

use appvet_policy::Lang;
use appvet_report::{render_json, render_sarif, sarif_log};
use common::{all_fixtures, full_report, render};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn schema(rel: &str) -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../schemas")
        .join(rel);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The 2.1.0 schema as published has a stray `]` in the `language` pattern
/// (`...-[a-zA-Z]{2}]?$`), which is not a valid regular expression for the validator; the
/// errata schema reads `...-[a-zA-Z]{2}?$`. Apply that one correction in memory.
const SARIF_BAD_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
const SARIF_ERRATA_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}?$";

fn fix_patterns(v: &mut Value) -> usize {
    match v {
        Value::String(s) if s == SARIF_BAD_PATTERN => {
            *s = SARIF_ERRATA_PATTERN.to_string();
            1
        }
        Value::Array(a) => a.iter_mut().map(fix_patterns).sum(),
        Value::Object(o) => o.values_mut().map(fix_patterns).sum(),
        _ => 0,
    }
}

fn validator(rel: &str) -> jsonschema::Validator {
    let mut s = schema(rel);
    if rel.contains("sarif") {
        assert_eq!(fix_patterns(&mut s), 2, "the vendored SARIF schema changed");
    }
    jsonschema::options()
        .should_validate_formats(true)
        .build(&s)
        .unwrap_or_else(|e| panic!("{rel} does not compile: {e}"))
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .take(20)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

const CONTEXTS: &[&str] = &["", "mandated", "recommended,minors", "higher-ed"];

#[test]
fn every_fixture_report_matches_the_report_schema() {
    let v = validator("report.schema.json");
    let fixtures = all_fixtures();
    assert!(fixtures.len() >= 15, "{fixtures:?}");
    for rel in &fixtures {
        for ctx in CONTEXTS {
            let r = full_report(rel, ctx);
            let doc: Value = serde_json::from_str(&render(&r, Lang::Zh, render_json)).unwrap();
            let errs = errors(&v, &doc);
            assert!(errs.is_empty(), "{rel} [{ctx}]: {errs:#?}");
            // Without the inventory too (--no-inventory).
            let doc = serde_json::to_value(r.without_inventory()).unwrap();
            let errs = errors(&v, &doc);
            assert!(errs.is_empty(), "{rel} [{ctx}] no inventory: {errs:#?}");
        }
    }
}

#[test]
fn the_schema_names_every_member_and_rejects_broken_reports() {
    let s = schema("report.schema.json");
    let declared: BTreeSet<String> = s["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let r = full_report("android/trackers.apk", "mandated");
    let doc = serde_json::to_value(&r).unwrap();
    let actual: BTreeSet<String> = doc.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        declared, actual,
        "schemas/report.schema.json is out of date"
    );
    let required: BTreeSet<String> = s["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    let mut optional: Vec<&String> = declared.difference(&required).collect();
    optional.sort();
    assert_eq!(optional, vec!["inventory"]);

    // The schema is not vacuous: broken reports fail it.
    let v = validator("report.schema.json");
    let mut bad = doc.clone();
    bad["verdict"] = "maybe".into();
    assert!(!errors(&v, &bad).is_empty());
    let mut bad = doc.clone();
    bad["clauses"][0]["status"] = "fine".into();
    assert!(!errors(&v, &bad).is_empty());
    let mut bad = doc.clone();
    bad.as_object_mut().unwrap().remove("package");
    assert!(!errors(&v, &bad).is_empty());
    let mut bad = doc.clone();
    bad["sdks"][0]["evidence"][0]["location"] = Value::Null;
    assert!(!errors(&v, &bad).is_empty());
    let mut bad = doc;
    bad["surprise"] = true.into();
    assert!(!errors(&v, &bad).is_empty());
}

#[test]
fn every_fixture_sarif_matches_the_official_sarif_schema() {
    let v = validator("third_party/sarif-schema-2.1.0.json");
    for rel in all_fixtures() {
        for (ctx, lang) in [("mandated", Lang::Zh), ("recommended", Lang::En)] {
            let r = full_report(&rel, ctx).without_inventory();
            let doc: Value = serde_json::from_str(&render(&r, lang, render_sarif)).unwrap();
            let errs = errors(&v, &doc);
            assert!(errs.is_empty(), "{rel} [{ctx}]: {errs:#?}");
        }
    }
    // Several packages: one run each, still valid.
    let a = full_report("android/trackers.apk", "mandated").without_inventory();
    let b = full_report("ios/ads.ipa", "mandated").without_inventory();
    let log = sarif_log(&[&a, &b], Lang::En);
    assert_eq!(log["runs"].as_array().unwrap().len(), 2);
    assert!(errors(&v, &log).is_empty());
    // And the schema is not vacuous.
    let mut bad = log;
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!errors(&v, &bad).is_empty());
}

#[test]
fn sarif_results_point_inside_the_package() {
    let r = full_report("android/trackers.apk", "mandated").without_inventory();
    let log = sarif_log(&[&r], Lang::En);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    // Rules: every clause, then the finding kinds.
    for c in appvet_policy::catalogue() {
        let rule = rules.iter().find(|x| x["id"] == c.id.as_str()).unwrap();
        assert_eq!(rule["properties"]["title_zh"], c.title_zh.as_str());
        assert!(rule.get("helpUri").is_none());
    }
    assert!(rules.iter().any(|x| x["id"] == "sdk"));
    let results = run["results"].as_array().unwrap();
    let ads = results
        .iter()
        .find(|x| x["ruleId"] == "JJH55-11-ads")
        .unwrap();
    assert_eq!(ads["level"], "error");
    assert_eq!(
        rules[ads["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "JJH55-11-ads"
    );
    let loc = &ads["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "classes.dex");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "PACKAGE");
    assert!(loc["properties"]["index"].is_u64());
    let review = results
        .iter()
        .find(|x| x["ruleId"] == "JJH55-5-ads")
        .unwrap();
    assert_eq!(review["level"], "warning");
    // Manifest evidence carries its XML path as a logical location.
    let pi = results.iter().find(|x| x["ruleId"] == "JJH55-6").unwrap();
    let all_locs: Vec<&Value> = pi["locations"]
        .as_array()
        .unwrap()
        .iter()
        .chain(pi["relatedLocations"].as_array().unwrap())
        .collect();
    assert!(all_locs
        .iter()
        .any(|l| l["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .is_some_and(|p| p.starts_with("manifest/uses-permission"))));
    // No result for clauses that pass or do not apply.
    for c in &r.clauses {
        let has = results.iter().any(|x| x["ruleId"] == c.id.as_str());
        let expect = matches!(
            c.status,
            appvet_policy::Status::Violation | appvet_policy::Status::NeedsReview
        );
        assert_eq!(has, expect, "{}", c.id);
    }
    // Findings are notes.
    assert!(results
        .iter()
        .any(|x| x["ruleId"] == "sdk" && x["level"] == "note"));
    assert_eq!(run["properties"]["verdict"], "fail");
}

#[test]
fn sarif_uses_nested_entry_paths_for_splits() {
    // The split fixtures have no findings of their own; their inventory locations are nested
    // (`base.apk!AndroidManifest.xml`). Put such a location on a finding and look at the uri.
    let full = full_report("android/splits.apks", "");
    let mut inv = full.inventory.clone().unwrap();
    let mut nested = None;
    inv.for_each_location_mut(|l| {
        if nested.is_none() && l.entry.contains(".apk!") {
            nested = Some(l.clone());
        }
    });
    let nested = nested.expect("a nested location in the split inventory");
    assert!(nested.entry.contains(".apk!"), "{nested:?}");
    let mut r = full_report("android/trackers.apk", "mandated").without_inventory();
    r.findings.sdks[0].evidence[0].location = nested.clone();
    let log = sarif_log(&[&r], Lang::En);
    let sdk = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["ruleId"] == "sdk")
        .unwrap();
    let art = &sdk["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(art["uri"], nested.entry.replace(' ', "%20").as_str());
    assert_eq!(art["uriBaseId"], "PACKAGE");
    let v = validator("third_party/sarif-schema-2.1.0.json");
    assert!(errors(&v, &log).is_empty());
}
