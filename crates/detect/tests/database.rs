//! The real signature database (embedded at build time) loads and validates.

use appvet_detect::{synthetic_class, Database, Severity};

fn db() -> &'static Database {
    match Database::embedded() {
        Ok(db) => db,
        Err(e) => {
            for p in &e.problems {
                eprintln!("{p}");
            }
            panic!("embedded database invalid: {e}");
        }
    }
}

#[test]
fn embedded_database_validates() {
    let files: Vec<(String, String)> = Database::embedded_files()
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let problems = Database::check(&files);
    let errors: Vec<String> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
    let db = db();
    assert!(!db.version.is_empty());
    assert_eq!(db.source, "embedded");
    // The catalogues are ours (this crate owns them): they must be present and substantial.
    assert!(db.permissions.android.len() >= 100);
    assert!(db.permissions.ios_usage.len() >= 30);
    assert!(db.permissions.ios_entitlement.len() >= 20);
    assert!(db.apis.android.len() >= 40);
    assert!(db.apis.ios.len() >= 20);
    assert!(db.packers.packer.len() >= 10);
    assert!(db.packers.code_loading.len() >= 3);
}

#[test]
fn the_database_parsed_at_build_time_is_the_one_the_toml_gives() {
    // The process starts from the postcard blob build.rs wrote; it must hold exactly what
    // parsing the embedded TOML files gives (a stale or lossy blob would change detection).
    assert!(
        Database::embedded_preparsed(),
        "build.rs did not pre-parse the database"
    );
    let files: Vec<(String, String)> = Database::embedded_files()
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let parsed = Database::from_files(&files, "embedded").unwrap();
    let db = db();
    assert_eq!(db.version, parsed.version);
    assert!(db.sdks.iter().eq(parsed.sdks.iter()));
    assert_eq!(db.sdks.len(), parsed.sdks.len());
    assert_eq!(db.permissions, parsed.permissions);
    assert_eq!(db.apis, parsed.apis);
    assert_eq!(db.packers, parsed.packers);
    assert!(db.sdks.len() > 700);
}

#[test]
fn every_sdk_prefix_detects_exactly_its_sdk() {
    let db = db();
    let mut failures = Vec::new();
    for s in &db.sdks {
        for p in &s.android.packages {
            for name in [p.clone(), synthetic_class(p), format!("{p}$Inner")] {
                let got = db.sdk_for_class(&name).map(|x| x.id.as_str());
                if got != Some(s.id.as_str()) {
                    failures.push(format!("{name} -> {got:?}, want {}", s.id));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn platform_and_app_classes_match_no_sdk() {
    let db = db();
    for name in [
        "androidx.appcompat.app.AppCompatActivity",
        "androidx.core.app.ActivityCompat",
        "androidx.biometric.BiometricManager",
        "kotlin.jvm.internal.Intrinsics",
        "kotlinx.coroutines.Job",
        "java.lang.Object",
        "android.app.Activity",
        "dalvik.system.DexClassLoader",
        "org.appvet.fixture.clean.MainActivity",
        "com.example.app.MainActivity",
    ] {
        assert!(
            db.sdk_for_class(name).is_none(),
            "{name} matched {:?}",
            db.sdk_for_class(name).map(|s| &s.id)
        );
    }
}

#[test]
fn every_catalogue_entry_has_chinese() {
    let db = db();
    let zh = |what: &str, z: &Option<String>| {
        let z = z
            .as_deref()
            .unwrap_or_else(|| panic!("{what:?}: no Chinese"));
        assert!(
            z.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{what:?}: {z:?} is not Chinese"
        );
    };
    let p = &db.permissions;
    for d in p
        .android
        .iter()
        .chain(&p.ios_usage)
        .chain(&p.ios_entitlement)
    {
        zh(&d.name, &d.what_zh);
    }
    for d in &db.apis.android {
        zh(&d.id, &d.what_zh);
    }
    for d in &db.apis.ios {
        zh(&d.id, &d.what_zh);
    }
    for d in &db.packers.packer {
        zh(&d.id, &d.name_zh);
    }
    for d in &db.packers.code_loading {
        zh(&d.id, &d.name_zh);
    }
    // And the checker, which warns about a missing one, has nothing to say about them.
    let files: Vec<(String, String)> = Database::embedded_files()
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let zh_problems: Vec<String> = Database::check(&files)
        .iter()
        .filter(|p| p.key.ends_with("_zh"))
        .map(|p| p.to_string())
        .collect();
    assert!(zh_problems.is_empty(), "{zh_problems:#?}");
}
