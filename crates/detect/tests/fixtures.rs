//! Detection over the Android fixtures (fixtures/android/README.md describes them), with the
//! test database under tests/data (engine behaviour, independent of the real SDK data) and
//! with the real embedded database (exact SDK ids of the shipped data).

use appvet_detect::{detect, detect_with_strings, Database};
use appvet_model::*;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

fn fixture_bytes(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/android")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn scan(name: &str) -> PackageScan {
    let data = fixture_bytes(name);
    let limits = Limits::default();
    let archive = appvet_zip::Archive::parse(&data, &limits).unwrap();
    appvet_android::scan(&archive, &limits).unwrap()
}

/// The real catalogues plus the test SDK files of tests/data/sdk.
fn test_db() -> &'static Database {
    static DB: OnceLock<Database> = OnceLock::new();
    DB.get_or_init(|| {
        let mut files: Vec<(String, String)> = Database::embedded_files()
            .iter()
            .filter(|(p, _)| !p.starts_with("sdk/"))
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sdk");
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            files.push((format!("sdk/{name}"), std::fs::read_to_string(&p).unwrap()));
        }
        match Database::from_files(&files, "test") {
            Ok(db) => db,
            Err(e) => panic!("{:#?}", e.problems),
        }
    })
}

fn real_db() -> &'static Database {
    Database::embedded().unwrap_or_else(|e| panic!("{e}"))
}

fn ids(f: &Findings) -> Vec<&str> {
    f.sdks.iter().map(|s| s.id.as_str()).collect()
}

fn sdk<'a>(f: &'a Findings, id: &str) -> &'a SdkFinding {
    f.sdks
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("{id} not in {:?}", ids(f)))
}

fn api<'a>(f: &'a Findings, id: &str) -> &'a ApiFinding {
    f.apis.iter().find(|a| a.id == id).unwrap_or_else(|| {
        panic!(
            "api {id} not in {:?}",
            f.apis.iter().map(|a| &a.id).collect::<Vec<_>>()
        )
    })
}

#[test]
fn clean_app_yields_no_sdk_and_is_complete() {
    for db in [test_db(), real_db()] {
        let f = detect(&scan("clean.apk"), db);
        assert!(f.sdks.is_empty(), "{:?}", ids(&f));
        assert!(f.probes.is_empty());
        assert!(f.protections.is_empty());
        assert!(f.completeness.complete, "{:?}", f.completeness);
        assert!(f.apis.is_empty(), "{:?}", f.apis);
        assert_eq!(f.permissions.len(), 1);
        assert_eq!(f.permissions[0].name, "android.permission.INTERNET");
        assert_eq!(f.permissions[0].category, "network");
    }
}

#[test]
fn multidex_app_yields_no_sdk() {
    let f = detect(&scan("multidex.apk"), real_db());
    assert!(f.sdks.is_empty(), "{:?}", ids(&f));
    assert!(f.completeness.complete);
}

#[test]
fn trackers_with_test_db_graded_evidence() {
    let f = detect(&scan("trackers.apk"), test_db());
    assert_eq!(
        ids(&f),
        [
            "t-admob",
            "t-bugly",
            "t-firebase-analytics",
            "t-gdt",
            "t-jpush",
            "t-pangle",
            "t-umeng",
            "t-umeng-analytics",
        ]
    );
    // Most specific prefix wins: MobclickAgent belongs to the analytics SDK, UMConfigure to the
    // generic Umeng entry (plus its meta-data and domain).
    let ua = sdk(&f, "t-umeng-analytics");
    assert_eq!(ua.evidence.len(), 1);
    assert_eq!(ua.evidence[0].value, "com.umeng.analytics.MobclickAgent");
    assert_eq!(ua.evidence[0].kind, EvidenceKind::ClassDefined);
    assert_eq!(
        ua.evidence[0].location,
        Location::entry("classes.dex").with_index(9)
    );
    let u = sdk(&f, "t-umeng");
    assert_eq!(u.strength, Strength::Strong);
    assert_eq!(u.evidence_counts[&EvidenceKind::ClassDefined], 1);
    assert_eq!(u.evidence_counts[&EvidenceKind::Metadata], 2);
    assert_eq!(u.evidence_counts[&EvidenceKind::Domain], 1);
    let kinds: Vec<EvidenceKind> = u.evidence.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EvidenceKind::ClassDefined,
            EvidenceKind::Metadata,
            EvidenceKind::Metadata,
            EvidenceKind::Domain
        ],
        "strongest first"
    );
    // Native library only.
    let b = sdk(&f, "t-bugly");
    assert_eq!(
        b.evidence_counts.keys().copied().collect::<Vec<_>>(),
        [EvidenceKind::NativeLib]
    );
    assert_eq!(b.evidence[0].location.entry, "lib/arm64-v8a/libBugly.so");
    // Component list and class prefix both point at GDT.
    let g = sdk(&f, "t-gdt");
    assert_eq!(g.evidence_counts[&EvidenceKind::Component], 1);
    assert_eq!(g.evidence_counts[&EvidenceKind::ClassDefined], 2);
    // Regex entry.
    let j = sdk(&f, "t-jpush");
    assert_eq!(j.evidence_counts[&EvidenceKind::ClassDefined], 2);
    assert_eq!(j.evidence_counts[&EvidenceKind::Component], 1);
    assert_eq!(j.evidence_counts[&EvidenceKind::Metadata], 1);
    assert_eq!(f.database.source, "test");
}

#[test]
fn referenced_only_types_are_weak_evidence() {
    let mut s = scan("trackers.apk");
    // Turn every SDK class definition into a mere reference.
    for u in &mut s.inventory.code {
        let defined = std::mem::take(&mut u.classes_defined);
        u.types_referenced.extend(defined);
    }
    s.inventory.components.clear();
    s.inventory.metadata.clear();
    s.inventory.native_libs.clear();
    s.inventory.urls.clear();
    let f = detect(&s, test_db());
    assert!(!f.sdks.is_empty());
    for sd in &f.sdks {
        assert_eq!(sd.strength, Strength::Weak, "{}", sd.id);
        assert!(sd
            .evidence
            .iter()
            .all(|e| e.kind == EvidenceKind::TypeReferenced));
    }
}

#[test]
fn trackers_sensitive_apis_are_attributed() {
    for db in [test_db(), real_db()] {
        let f = detect(&scan("trackers.apk"), db);
        let imei = api(&f, "imei");
        assert_eq!(imei.category, "device-id");
        assert_eq!(imei.callers.len(), 1);
        let c = &imei.callers[0];
        assert_eq!(c.caller, "com.umeng.analytics.MobclickAgent");
        assert_eq!(c.api, "android.telephony.TelephonyManager.getDeviceId");
        assert_eq!(c.location, Location::entry("classes.dex").with_index(9));
        let want = if db.source == "test" {
            "t-umeng-analytics"
        } else {
            "umeng-analytics"
        };
        assert_eq!(c.by, want);
        assert!(c.by_name.as_deref().is_some_and(|n| n.contains("Umeng")));
        let aid = api(&f, "android-id");
        assert_eq!(aid.by, ["app"]);
        assert_eq!(
            aid.callers[0].caller,
            "org.appvet.fixture.trackers.MainActivity"
        );
        // Permissions by category.
        let p: Vec<(&str, &str)> = f
            .permissions
            .iter()
            .map(|p| (p.name.as_str(), p.category.as_str()))
            .collect();
        assert!(
            p.contains(&("android.permission.READ_PHONE_STATE", "device-id")),
            "{p:?}"
        );
        assert!(p.contains(&("android.permission.ACCESS_NETWORK_STATE", "network-info")));
    }
}

#[test]
fn trackers_with_real_db_exact_sdks() {
    let f = detect(&scan("trackers.apk"), real_db());
    assert_eq!(
        ids(&f),
        [
            "firebase-analytics",
            "gdt",
            "google-admob",
            "jpush",
            "pangle",
            "tencent-bugly",
            "umeng-analytics",
            "umeng-common",
        ]
    );
    for s in &f.sdks {
        assert_eq!(s.strength, Strength::Strong, "{}", s.id);
        assert!(!s.name.is_empty() && !s.vendor.is_empty() && !s.categories.is_empty());
    }
    assert!(f.completeness.complete);
    assert!(!f.database.version.is_empty());
}

#[test]
fn reflection_probe_is_not_an_sdk() {
    let s = scan("trackers.apk");
    // The Android parser keeps class-name-like string constants in the inventory.
    assert!(s
        .inventory
        .class_strings
        .iter()
        .any(|c| c.value == "com.tencent.mm.opensdk.openapi.WXAPIFactory"));
    for (db, want) in [(test_db(), "t-wechat"), (real_db(), "wechat-opensdk")] {
        let f = detect(&s, db);
        assert_eq!(f.probes.len(), 1, "{:?}", f.probes);
        assert_eq!(f.probes[0].sdk, want);
        assert_eq!(
            f.probes[0].class,
            "com.tencent.mm.opensdk.openapi.WXAPIFactory"
        );
        assert_eq!(f.probes[0].location.entry, "classes.dex");
        assert!(
            f.sdks.iter().all(|x| x.id != want),
            "a probe is never an SDK"
        );
        // Without the strings, no probe.
        assert!(detect_with_strings(&s, db, &[]).probes.is_empty());
    }
    // A class-name string of an SDK that *is* embedded is not a probe.
    let embedded = vec![ClassNameString {
        value: "com.umeng.analytics.MobclickAgent".into(),
        location: Location::entry("classes.dex"),
    }];
    assert!(detect_with_strings(&s, test_db(), &embedded)
        .probes
        .is_empty());
}

#[test]
fn biometrics_are_their_own_kind() {
    for (db, face) in [
        (test_db(), vec!["t-megvii"]),
        (real_db(), vec!["baidu-face", "megvii-faceid"]),
    ] {
        let f = detect(&scan("biometric.apk"), db);
        let got: BTreeSet<(BiometricSource, &str, &str)> = f
            .biometrics
            .iter()
            .map(|b| (b.source, b.id.as_str(), b.modality.as_str()))
            .collect();
        let mut want: BTreeSet<(BiometricSource, &str, &str)> = [
            (
                BiometricSource::Permission,
                "android.permission.USE_BIOMETRIC",
                "any",
            ),
            (
                BiometricSource::Permission,
                "android.permission.USE_FINGERPRINT",
                "fingerprint",
            ),
            (BiometricSource::Api, "biometric-prompt", "any"),
            (BiometricSource::Api, "biometric-manager", "any"),
            (BiometricSource::Api, "fingerprint", "fingerprint"),
            (BiometricSource::Api, "face-detection", "face"),
        ]
        .into_iter()
        .collect();
        for id in &face {
            want.insert((BiometricSource::Sdk, id, "face"));
        }
        assert_eq!(got, want);
        let prompt = api(&f, "biometric-prompt");
        assert_eq!(prompt.by, ["app"]);
        assert_eq!(
            prompt.callers[0].api,
            "android.hardware.biometrics.BiometricPrompt.authenticate"
        );
        let cam = f
            .permissions
            .iter()
            .find(|p| p.name == "android.permission.CAMERA")
            .unwrap();
        assert_eq!(
            (cam.category.as_str(), cam.level.as_str()),
            ("camera", "dangerous")
        );
    }
}

#[test]
fn packer_and_runtime_code_loading_make_results_incomplete() {
    let f = detect(&scan("native.apk"), real_db());
    assert!(!f.completeness.complete);
    let codes: Vec<&str> = f
        .completeness
        .reasons
        .iter()
        .map(|r| r.code.as_str())
        .collect();
    assert_eq!(codes, ["packed", "runtime-code-loading", "embedded-code"]);
    let packer = f
        .protections
        .iter()
        .find(|p| p.kind == ProtectionKind::Packer)
        .unwrap();
    assert_eq!(packer.id, "jiagu-360");
    assert_eq!(packer.evidence[0].value, "libjiagu.so");
    assert_eq!(
        packer.evidence[0].location.entry,
        "lib/arm64-v8a/libjiagu.so"
    );
    let loader = f
        .protections
        .iter()
        .find(|p| p.kind == ProtectionKind::RuntimeCodeLoading)
        .unwrap();
    assert_eq!(loader.id, "dex-class-loader");
    assert_eq!(loader.callers[0].by, "app");
    assert_eq!(
        loader.callers[0].caller,
        "org.appvet.fixture.nativelib.MainActivity"
    );
    let embedded = f
        .protections
        .iter()
        .find(|p| p.kind == ProtectionKind::EmbeddedCode)
        .unwrap();
    let files: Vec<&str> = embedded.evidence.iter().map(|e| e.value.as_str()).collect();
    assert_eq!(files, ["assets/extra.jar", "assets/plugin.dex"]);
    assert!(f.sdks.is_empty());
}

#[test]
fn permissions_by_category() {
    let f = detect(&scan("permissions.apk"), real_db());
    let cat = |name: &str| {
        f.permissions
            .iter()
            .find(|p| p.name == format!("android.permission.{name}"))
            .map(|p| (p.category.as_str(), p.level.as_str()))
    };
    assert_eq!(cat("ACCESS_FINE_LOCATION"), Some(("location", "dangerous")));
    assert_eq!(
        cat("ACCESS_BACKGROUND_LOCATION"),
        Some(("location", "dangerous"))
    );
    assert_eq!(cat("CAMERA"), Some(("camera", "dangerous")));
    assert_eq!(cat("RECORD_AUDIO"), Some(("microphone", "dangerous")));
    assert_eq!(cat("READ_CONTACTS"), Some(("contacts", "dangerous")));
    assert_eq!(cat("READ_PHONE_STATE"), Some(("device-id", "dangerous")));
    assert_eq!(cat("READ_SMS"), Some(("sms", "dangerous")));
    assert_eq!(cat("READ_CALL_LOG"), Some(("call-log", "dangerous")));
    assert_eq!(cat("READ_CALENDAR"), Some(("calendar", "dangerous")));
    assert_eq!(cat("BODY_SENSORS"), Some(("health", "dangerous")));
    assert_eq!(
        cat("READ_MEDIA_IMAGES"),
        Some(("photos-storage", "dangerous"))
    );
    assert_eq!(
        cat("POST_NOTIFICATIONS"),
        Some(("notifications", "dangerous"))
    );
    assert_eq!(
        cat("QUERY_ALL_PACKAGES"),
        Some(("installed-apps", "normal"))
    );
    assert_eq!(
        cat("SYSTEM_ALERT_WINDOW"),
        Some(("device-control", "special"))
    );
    assert_eq!(
        cat("REQUEST_INSTALL_PACKAGES"),
        Some(("device-control", "special"))
    );
    assert_eq!(
        cat("READ_PHONE_NUMBERS"),
        Some(("phone-number", "dangerous"))
    );
    // The app's own permission is not in the catalogue.
    assert!(f
        .permissions
        .iter()
        .all(|p| !p.name.starts_with("org.appvet")));
    // 21 android.permission.* requests + the sdk-23 one, all catalogued.
    assert_eq!(f.permissions.len(), 22);
}

#[test]
fn detection_is_deterministic_and_serialises() {
    let s = scan("trackers.apk");
    let a = serde_json::to_string(&detect(&s, real_db())).unwrap();
    let b = serde_json::to_string(&detect(&s, real_db())).unwrap();
    assert_eq!(a, b);
    let back: Findings = serde_json::from_str(&a).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), a);
    // Shared across threads.
    let db = real_db();
    std::thread::scope(|sc| {
        let hs: Vec<_> = (0..4)
            .map(|_| sc.spawn(|| serde_json::to_string(&detect(&s, db)).unwrap()))
            .collect();
        for h in hs {
            assert_eq!(h.join().unwrap(), a);
        }
    });
}

/// iOS has no fixture yet: a synthetic IPA inventory exercises the Mach-O paths.
#[test]
fn ios_inventory_frameworks_symbols_attribution_and_encryption() {
    let named = |n: &str, i: u32| Named {
        name: n.into(),
        index: i,
    };
    let app = CodeUnit {
        format: CodeFormat::Macho,
        location: Location::entry("Payload/X.app/X").with_path("arm64"),
        version: "arm64".into(),
        classes_defined: vec![named("AppDelegate", 0), named("UMAnalyticsHelper", 1)],
        types_referenced: vec![named("LAContext", 0), named("UIDevice", 1)],
        bundle: Some("Payload/X.app".into()),
        linked_libraries: vec![LinkedLibrary {
            path: "@rpath/UMCommon.framework/UMCommon".into(),
            kind: "load".into(),
        }],
        imported_symbols: vec!["_stat".into(), "_OBJC_CLASS_$_ASIdentifierManager".into()],
        selectors: vec![
            "evaluatePolicy:localizedReason:reply:".into(),
            "name".into(),
        ],
        encrypted: Some(true),
        ..CodeUnit::default()
    };
    let fw = CodeUnit {
        format: CodeFormat::Macho,
        location: Location::entry("Payload/X.app/Frameworks/UMCommon.framework/UMCommon"),
        version: "arm64".into(),
        classes_defined: vec![named("UMConfigure", 0)],
        types_referenced: vec![named("ASIdentifierManager", 0)],
        bundle: Some("Payload/X.app/Frameworks/UMCommon.framework".into()),
        exported_symbols: vec!["_UMSomething".into(), "_$s7UMSwift3FooC".into()],
        selectors: vec!["advertisingIdentifier".into()],
        ..CodeUnit::default()
    };
    let mut s = scan("clean.apk");
    s.package.platform = Platform::Ios;
    s.inventory = Inventory::default();
    s.inventory.code = vec![app, fw];
    s.inventory.metadata = vec![MetaData {
        name: "UMengAppKey".into(),
        value: Some("k".into()),
        component: None,
        location: Location::entry("Payload/X.app/Info.plist"),
    }];
    s.inventory.ad_network_ids = vec![AdNetworkId {
        id: "ABCDEF1234.skadnetwork".into(),
        location: Location::entry("Payload/X.app/Info.plist"),
    }];
    s.inventory.permissions = vec![PermissionRequest {
        name: "NSFaceIDUsageDescription".into(),
        max_sdk: None,
        sdk23: false,
        detail: Some("log in".into()),
        location: Location::entry("Payload/X.app/Info.plist"),
    }];
    s.inventory.entitlements = vec![
        Entitlement {
            key: "com.apple.developer.healthkit".into(),
            value: "true".into(),
            location: Location::entry("Payload/X.app/X"),
        },
        Entitlement {
            key: "get-task-allow".into(),
            value: "false".into(),
            location: Location::entry("Payload/X.app/X"),
        },
    ];
    let f = detect(&s, test_db());
    assert_eq!(ids(&f), ["t-ios-umeng"]);
    let u = &f.sdks[0];
    let kinds: Vec<(EvidenceKind, u64)> = u.evidence_counts.iter().map(|(k, n)| (*k, *n)).collect();
    assert_eq!(
        kinds,
        [
            (EvidenceKind::Framework, 2),
            (EvidenceKind::ObjcClass, 2),
            (EvidenceKind::SwiftModule, 1),
            (EvidenceKind::Symbol, 1),
            (EvidenceKind::PlistKey, 1),
            (EvidenceKind::SkadnetworkId, 1),
        ]
    );
    // IDFA read by the framework (an SDK), LAContext by the app, stat by the app.
    let idfa = api(&f, "idfa");
    assert_eq!(idfa.by, ["t-ios-umeng"]);
    assert_eq!(
        idfa.callers[0].caller,
        "Payload/X.app/Frameworks/UMCommon.framework"
    );
    assert_eq!(api(&f, "biometric-auth").by, ["app"]);
    let rr = api(&f, "rr-file-timestamp");
    assert_eq!(
        rr.required_reason.as_deref(),
        Some("NSPrivacyAccessedAPICategoryFileTimestamp")
    );
    assert_eq!(rr.by, ["app"]);
    // UIDevice + "name" alone is not a finding (no such catalogue entry).
    assert!(f.apis.iter().all(|a| a.id != "device-name"));
    let perms: Vec<(&str, PermissionKind)> = f
        .permissions
        .iter()
        .map(|p| (p.name.as_str(), p.kind))
        .collect();
    assert_eq!(
        perms,
        [
            ("NSFaceIDUsageDescription", PermissionKind::IosUsageKey),
            (
                "com.apple.developer.healthkit",
                PermissionKind::IosEntitlement
            ),
        ]
    );
    assert!(f
        .biometrics
        .iter()
        .any(|b| b.id == "NSFaceIDUsageDescription" && b.modality == "face"));
    assert!(!f.completeness.complete);
    assert_eq!(f.completeness.reasons[0].code, "encrypted-binary");
    assert_eq!(f.protections[0].kind, ProtectionKind::EncryptedBinary);
}
