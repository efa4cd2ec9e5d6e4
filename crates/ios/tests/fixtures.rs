//! The iOS fixtures (`fixtures/ios/*.ipa`, built by `fixtures/ios/build.sh`; facts listed in
//! `fixtures/ios/expected/*.txt`), checked field by field.

mod common;

use appvet_model::{CodeUnit, ComponentKind, FileKind, PackageFormat, PackageScan, Platform};
use common::scan;

fn unit<'s>(s: &'s PackageScan, entry: &str, arch: &str) -> &'s CodeUnit {
    s.inventory
        .code
        .iter()
        .find(|c| c.location.entry == entry && c.version == arch)
        .unwrap_or_else(|| panic!("no {arch} code unit for {entry}"))
}

fn names(v: &[appvet_model::Named]) -> Vec<&str> {
    let mut n: Vec<&str> = v.iter().map(|n| &*n.name).collect();
    n.sort();
    n
}

fn libs(u: &CodeUnit) -> Vec<(&str, &str)> {
    u.linked_libraries
        .iter()
        .map(|l| (l.path.as_str(), l.kind.as_str()))
        .collect()
}

fn anomaly_codes(s: &PackageScan) -> Vec<&str> {
    s.inventory
        .anomalies
        .iter()
        .map(|a| a.code.as_str())
        .collect()
}

#[test]
fn clean() {
    let s = scan("clean");
    let p = &s.package;
    assert_eq!(p.platform, Platform::Ios);
    assert_eq!(p.format, PackageFormat::Ipa);
    assert_eq!(p.id, "org.appvet.fixture.ios.clean");
    assert_eq!(p.version_code.as_deref(), Some("10"));
    assert_eq!(p.version_name.as_deref(), Some("1.0"));
    assert_eq!(p.label.as_deref(), Some("Clean Notes"));
    assert_eq!(p.min_os_version.as_deref(), Some("14.0"));
    assert_eq!(
        p.labels.get("zh-Hans").map(String::as_str),
        Some("清洁笔记")
    );
    assert_eq!(p.labels.get("en").map(String::as_str), Some("Clean Notes"));
    assert_eq!(p.location.entry, "Payload/Clean.app/Info.plist");
    let inv = &s.inventory;
    assert!(inv.permissions.is_empty());
    assert!(inv.components.is_empty());
    assert!(inv.metadata.is_empty());
    assert!(inv.urls.is_empty());
    assert!(inv.native_libs.is_empty());
    assert_eq!(inv.app.debuggable, Some(false));
    assert_eq!(inv.app.cleartext_permitted, Some(false));
    assert_eq!(inv.signing.schemes, vec!["codesign"]);
    assert!(
        inv.signing.certificates.is_empty(),
        "ad-hoc: no CMS certificates"
    );
    let cd = &inv.signing.block_entries[0];
    assert_eq!(cd.name.as_deref(), Some("CodeDirectory"));
    assert_eq!(
        cd.text.as_deref(),
        Some("identifier=org.appvet.fixture.ios.clean; team=; flags=0x2")
    );
    assert_eq!(inv.bundles.len(), 1);
    let b = &inv.bundles[0];
    assert_eq!(
        (
            b.path.as_str(),
            b.kind.as_str(),
            b.id.as_deref(),
            b.version.as_deref()
        ),
        (
            "Payload/Clean.app",
            "app",
            Some("org.appvet.fixture.ios.clean"),
            Some("1.0")
        )
    );
    assert_eq!(b.executable.as_deref(), Some("Payload/Clean.app/Clean"));
    // Ad-hoc: identifier, no team anywhere.
    assert_eq!(
        b.signing_identifier.as_deref(),
        Some("org.appvet.fixture.ios.clean")
    );
    assert_eq!(b.team_id, None);
    assert_eq!(inv.signing.team_id, None);
    assert_eq!(inv.code.len(), 1);
    let u = unit(&s, "Payload/Clean.app/Clean", "arm64");
    assert_eq!(u.min_os_version.as_deref(), Some("14.0"));
    assert_eq!(u.location.path.as_deref(), Some("arm64"));
    assert_eq!(u.bundle.as_deref(), Some("Payload/Clean.app"));
    assert_eq!(
        names(&u.classes_defined),
        vec!["AppDelegate", "NoteStore", "NotesViewController"]
    );
    assert_eq!(
        names(&u.types_referenced),
        vec![
            "NSObject",
            "NSString",
            "NSUserDefaults",
            "UIResponder",
            "UIViewController"
        ]
    );
    assert_eq!(
        libs(u),
        vec![
            ("/usr/lib/libSystem.B.dylib", "load"),
            ("/usr/lib/libobjc.A.dylib", "load"),
            (
                "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation",
                "load"
            ),
            (
                "/System/Library/Frameworks/Foundation.framework/Foundation",
                "load"
            ),
            ("/System/Library/Frameworks/UIKit.framework/UIKit", "load"),
        ]
    );
    let mut sel = u.selectors.clone();
    sel.sort();
    assert_eq!(
        sel,
        vec![
            "application:didFinishLaunchingWithOptions:",
            "saveNote:",
            "setObject:forKey:",
            "sharedStore",
            "standardUserDefaults",
            "stringWithUTF8String:",
            "viewDidLoad"
        ]
    );
    assert_eq!(u.encrypted, Some(false));
    let h = u.hardening.as_ref().unwrap();
    assert!(h.pie && h.stack_canary && h.arc);
    assert!(u
        .imported_symbols
        .contains(&"___stack_chk_guard".to_string()));
    assert!(u.exported_symbols.contains(&"_main".to_string()));
    assert_eq!(inv.privacy_manifests.len(), 1);
    let m = &inv.privacy_manifests[0];
    assert_eq!(m.bundle, "Payload/Clean.app");
    assert_eq!(m.tracking, Some(false));
    assert_eq!(
        m.accessed_api_types[0].category,
        "NSPrivacyAccessedAPICategoryUserDefaults"
    );
    assert_eq!(m.accessed_api_types[0].reasons, vec!["CA92.1"]);
    assert!(inv.files.iter().any(
        |f| f.path == "Payload/Clean.app/_CodeSignature/CodeResources"
            && f.kind == FileKind::Signature
    ));
    assert_eq!(
        inv.build_time.newest_entry.as_deref(),
        Some("2024-06-01T12:00:00")
    );
    assert!(inv.build_time.entry_times_constant);
    assert!(inv.anomalies.is_empty(), "{:?}", inv.anomalies);
}

#[test]
fn ads() {
    let s = scan("ads");
    assert_eq!(s.package.id, "org.appvet.fixture.ios.ads");
    assert_eq!(s.package.version_code.as_deref(), Some("231"));
    assert_eq!(s.package.version_name.as_deref(), Some("2.3.1"));
    assert_eq!(s.package.label.as_deref(), Some("Ads Demo"));
    assert_eq!(
        s.package.labels.get("zh-Hans").map(String::as_str),
        Some("广告演示")
    );
    let inv = &s.inventory;
    assert_eq!(inv.permissions.len(), 1);
    assert_eq!(inv.permissions[0].name, "NSUserTrackingUsageDescription");
    assert_eq!(
        inv.permissions[0].detail.as_deref(),
        Some("我们会使用您的设备标识符为您提供个性化广告。")
    );
    let ids: Vec<&str> = inv.ad_network_ids.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "cstr6suwn9.skadnetwork",
            "4fzdc2evr5.skadnetwork",
            "22mmun2rn5.skadnetwork"
        ]
    );
    assert_eq!(inv.queries.schemes, vec!["weixin", "mqq", "alipay"]);
    assert_eq!(inv.metadata.len(), 1);
    assert_eq!(inv.metadata[0].name, "GADApplicationIdentifier");
    assert_eq!(
        inv.metadata[0].value.as_deref(),
        Some("ca-app-pub-3940256099942544~1458002511")
    );
    let c = &inv.components[0];
    assert_eq!(c.kind, ComponentKind::Activity);
    assert_eq!(c.name, "org.appvet.fixture.ios.ads");
    assert_eq!(c.intent_filters[0].actions, vec!["url-scheme"]);
    assert_eq!(
        c.intent_filters[0].data[0].scheme.as_deref(),
        Some("appvetads")
    );
    let bundles: Vec<(&str, &str, Option<&str>, Option<&str>)> = inv
        .bundles
        .iter()
        .map(|b| {
            (
                b.path.as_str(),
                b.kind.as_str(),
                b.id.as_deref(),
                b.version.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        bundles[..3],
        [
            (
                "Payload/Ads.app",
                "app",
                Some("org.appvet.fixture.ios.ads"),
                Some("2.3.1")
            ),
            (
                "Payload/Ads.app/Frameworks/Bugly.framework",
                "framework",
                Some("com.tencent.Bugly"),
                Some("2.6.1")
            ),
            (
                "Payload/Ads.app/Frameworks/GoogleMobileAds.framework",
                "framework",
                Some("com.google.GoogleMobileAds"),
                Some("11.2.0")
            ),
        ]
    );
    assert_eq!(
        bundles[3].0,
        "Payload/Ads.app/Frameworks/UMCommon.framework"
    );
    assert_eq!(bundles[3].2, Some("com.umeng.UMCommon"));
    let natives: Vec<(&str, &str)> = inv
        .native_libs
        .iter()
        .map(|n| (n.abi.as_str(), n.name.as_str()))
        .collect();
    assert_eq!(
        natives,
        vec![
            ("arm64", "Bugly.framework"),
            ("arm64", "GoogleMobileAds.framework"),
            ("arm64", "UMCommon.framework")
        ]
    );
    let main = unit(&s, "Payload/Ads.app/Ads", "arm64");
    assert_eq!(names(&main.classes_defined), vec!["AdsAppDelegate"]);
    for t in [
        "ASIdentifierManager",
        "ATTrackingManager",
        "Bugly",
        "BuglyConfig",
        "GADBannerView",
        "GADMobileAds",
        "MobClick",
        "UMConfigure",
    ] {
        assert!(names(&main.types_referenced).contains(&t), "{t}");
    }
    let l = libs(main);
    assert!(l.contains(&(
        "/System/Library/Frameworks/AppTrackingTransparency.framework/AppTrackingTransparency",
        "weak"
    )));
    assert!(l.contains(&("@rpath/GoogleMobileAds.framework/GoogleMobileAds", "load")));
    assert!(l.contains(&("@rpath/UMCommon.framework/UMCommon", "load")));
    assert!(l.contains(&("@rpath/Bugly.framework/Bugly", "load")));
    let gad = unit(
        &s,
        "Payload/Ads.app/Frameworks/GoogleMobileAds.framework/GoogleMobileAds",
        "arm64",
    );
    assert_eq!(
        gad.bundle.as_deref(),
        Some("Payload/Ads.app/Frameworks/GoogleMobileAds.framework")
    );
    assert_eq!(
        names(&gad.classes_defined),
        vec!["GADBannerView", "GADMobileAds", "GADRequest"]
    );
    assert_eq!(
        names(
            &unit(
                &s,
                "Payload/Ads.app/Frameworks/Bugly.framework/Bugly",
                "arm64"
            )
            .classes_defined
        ),
        vec!["Bugly", "BuglyConfig"]
    );
    let urls: Vec<(&str, &str, &str)> = inv
        .urls
        .iter()
        .map(|u| (u.value.as_str(), u.host.as_str(), u.location.entry.as_str()))
        .collect();
    assert!(urls.contains(&(
        "https://googleads.g.doubleclick.net/mads/gma",
        "googleads.g.doubleclick.net",
        "Payload/Ads.app/Ads"
    )));
    assert!(urls.contains(&(
        "https://ulogs.umeng.com/unify_logs",
        "ulogs.umeng.com",
        "Payload/Ads.app/Frameworks/UMCommon.framework/UMCommon"
    )));
    assert!(inv.urls.iter().all(|u| u.location.offset.is_some()));
    let pm = &inv.privacy_manifests[0];
    assert_eq!(pm.bundle, "Payload/Ads.app/Frameworks/UMCommon.framework");
    assert_eq!(pm.tracking, Some(true));
    assert_eq!(pm.tracking_domains, vec!["ulogs.umeng.com"]);
    assert_eq!(
        pm.collected_data_types[0].data_type,
        "NSPrivacyCollectedDataTypeDeviceID"
    );
    assert_eq!(pm.collected_data_types[0].tracking, Some(true));
    assert_eq!(pm.accessed_api_types.len(), 2);
    assert!(inv.anomalies.is_empty(), "{:?}", inv.anomalies);
}

#[test]
fn biometric() {
    let s = scan("biometric");
    assert_eq!(s.package.id, "org.appvet.fixture.ios.biometric");
    assert_eq!(s.package.version_code.as_deref(), Some("3000"));
    assert_eq!(s.package.label.as_deref(), Some("刷脸签到"));
    assert_eq!(
        s.package.labels.get("en").map(String::as_str),
        Some("FaceCheck")
    );
    let inv = &s.inventory;
    let perms: Vec<&str> = inv.permissions.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        perms,
        vec!["NSCameraUsageDescription", "NSFaceIDUsageDescription"]
    );
    assert_eq!(
        inv.permissions[1].detail.as_deref(),
        Some("使用面容 ID 快速登录。")
    );
    // Distribution-signed: CMS certificate, signing time, team id.
    assert_eq!(inv.signing.certificates.len(), 1);
    let cert = &inv.signing.certificates[0];
    assert_eq!(
        cert.subject,
        "C=CN, O=Appvet Fixtures, OU=ABCDE12345, CN=iPhone Distribution: Appvet Fixtures (ABCDE12345)"
    );
    assert_eq!(cert.schemes, vec!["codesign"]);
    assert_eq!(cert.location.entry, "Payload/FaceCheck.app/FaceCheck");
    assert_eq!(
        inv.signing.signing_time.as_deref(),
        Some("2024-06-01T12:00:00Z")
    );
    assert_eq!(
        inv.build_time.signing_time.as_deref(),
        Some("2024-06-01T12:00:00Z")
    );
    assert!(inv.signing.block_entries[0]
        .text
        .as_deref()
        .unwrap()
        .contains("team=ABCDE12345"));
    assert_eq!(inv.signing.team_id.as_deref(), Some("ABCDE12345"));
    let ids: Vec<(&str, Option<&str>, Option<&str>)> = inv
        .bundles
        .iter()
        .map(|b| {
            (
                b.path.as_str(),
                b.signing_identifier.as_deref(),
                b.team_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        ids,
        vec![
            (
                "Payload/FaceCheck.app",
                Some("org.appvet.fixture.ios.biometric"),
                Some("ABCDE12345")
            ),
            (
                "Payload/FaceCheck.app/Frameworks/MGFaceIDLiveDetect.framework",
                Some("com.megvii.MGFaceIDLiveDetect"),
                Some("ABCDE12345")
            ),
        ]
    );
    let ents: Vec<(&str, &str)> = inv
        .entitlements
        .iter()
        .map(|e| (e.key.as_str(), e.value.as_str()))
        .collect();
    assert!(ents.contains(&("get-task-allow", "false")));
    assert!(ents.contains(&(
        "com.apple.developer.associated-domains",
        r#"["applinks:appvet-fixture.org","webcredentials:appvet-fixture.org"]"#
    )));
    assert_eq!(inv.app.debuggable, Some(false));
    let link = &inv.components[0].intent_filters[0];
    assert_eq!(link.actions, vec!["universal-link"]);
    assert!(link.auto_verify);
    assert_eq!(link.data[0].host.as_deref(), Some("appvet-fixture.org"));
    let main = unit(&s, "Payload/FaceCheck.app/FaceCheck", "arm64");
    assert!(main.linked_libraries.iter().any(|l| l
        .path
        .ends_with("LocalAuthentication.framework/LocalAuthentication")));
    assert!(main
        .selectors
        .contains(&"evaluatePolicy:localizedReason:reply:".to_string()));
    assert_eq!(
        names(&main.classes_defined),
        vec!["FaceCheckAppDelegate", "LoginViewController"]
    );
    let mg = unit(
        &s,
        "Payload/FaceCheck.app/Frameworks/MGFaceIDLiveDetect.framework/MGFaceIDLiveDetect",
        "arm64",
    );
    assert_eq!(
        names(&mg.classes_defined),
        vec!["MGFaceIDLiveDetectError", "MGFaceIDLiveDetectManager"]
    );
    assert_eq!(inv.urls[0].host, "api.megvii.com");
    assert!(inv.anomalies.is_empty(), "{:?}", inv.anomalies);
}

#[test]
fn ats() {
    let s = scan("ats");
    assert_eq!(s.package.id, "org.appvet.fixture.ios.ats");
    assert_eq!(s.package.version_code.as_deref(), Some("4.1.7"));
    assert_eq!(s.package.min_os_version.as_deref(), Some("12.0"));
    let inv = &s.inventory;
    assert_eq!(inv.app.cleartext_permitted, Some(true));
    let nsc = inv.app.network_security_config.as_ref().unwrap();
    assert_eq!(nsc.base_cleartext_permitted, Some(true));
    assert_eq!(nsc.domains.len(), 1);
    assert_eq!(nsc.domains[0].domains, vec!["legacy.appvet-fixture.org"]);
    assert!(nsc.domains[0].include_subdomains);
    assert_eq!(nsc.domains[0].cleartext_permitted, Some(true));
    assert_eq!(
        inv.background_modes,
        vec!["location", "remote-notification"]
    );
    let perms: Vec<&str> = inv.permissions.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        perms,
        vec![
            "NSLocationAlwaysAndWhenInUseUsageDescription",
            "NSLocationWhenInUseUsageDescription"
        ]
    );
    let mut urls: Vec<&str> = inv.urls.iter().map(|u| u.value.as_str()).collect();
    urls.sort();
    assert_eq!(
        urls,
        vec![
            "http://198.51.100.7:8080/upload",
            "http://legacy.appvet-fixture.org/api/v1/sync"
        ]
    );
    // The symbol table has no class symbols: names come from __objc_classlist alone.
    let u = unit(&s, "Payload/FieldTrip.app/FieldTrip", "arm64");
    assert_eq!(
        names(&u.classes_defined),
        vec!["FieldTripAppDelegate", "TripTracker"]
    );
    assert!(u
        .selectors
        .contains(&"requestAlwaysAuthorization".to_string()));
}

#[test]
fn fat_binary_and_extension() {
    let s = scan("fat");
    assert_eq!(s.package.id, "org.appvet.fixture.ios.fat");
    assert_eq!(s.package.version_name.as_deref(), Some("5.0.2"));
    let inv = &s.inventory;
    let x86 = unit(&s, "Payload/PhotoShare.app/PhotoShare", "x86_64");
    let arm = unit(&s, "Payload/PhotoShare.app/PhotoShare", "arm64");
    assert_eq!(x86.location.path.as_deref(), Some("x86_64"));
    assert_ne!(x86.location.offset, arm.location.offset);
    for u in [x86, arm] {
        assert_eq!(
            names(&u.classes_defined),
            vec!["GalleryViewController", "PhotoShareAppDelegate"]
        );
        assert!(u
            .selectors
            .contains(&"objectForInfoDictionaryKey:".to_string()));
    }
    let ext = inv
        .bundles
        .iter()
        .find(|b| b.kind == "extension")
        .expect("extension bundle");
    assert_eq!(ext.path, "Payload/PhotoShare.app/PlugIns/Share.appex");
    assert_eq!(ext.id.as_deref(), Some("org.appvet.fixture.ios.fat.share"));
    let c = &inv.components[0];
    assert_eq!(c.kind, ComponentKind::Extension);
    assert_eq!(c.name, "org.appvet.fixture.ios.fat.share");
    assert_eq!(
        c.intent_filters[0].actions,
        vec!["com.apple.share-services"]
    );
    let share = unit(
        &s,
        "Payload/PhotoShare.app/PlugIns/Share.appex/Share",
        "arm64",
    );
    assert_eq!(
        share.bundle.as_deref(),
        Some("Payload/PhotoShare.app/PlugIns/Share.appex")
    );
    assert_eq!(names(&share.classes_defined), vec!["ShareViewController"]);
    assert_eq!(inv.urls.len(), 1);
    assert_eq!(inv.urls[0].value, "https://upload.appvet-fixture.org/share");
    assert_eq!(inv.code.len(), 3);
}

#[test]
fn encrypted_and_enterprise_profile() {
    let s = scan("encrypted");
    assert_eq!(s.package.id, "org.appvet.fixture.ios.encrypted");
    assert_eq!(s.package.label.as_deref(), Some("Vault Notes"));
    let inv = &s.inventory;
    let u = unit(&s, "Payload/Vault.app/Vault", "arm64");
    assert_eq!(u.encrypted, Some(true));
    assert!(
        u.selectors.is_empty(),
        "selectors are in the encrypted range"
    );
    assert_eq!(u.string_count, 0);
    // Class names are in the encrypted __objc_classname: the exported symbols supply them.
    assert_eq!(
        names(&u.classes_defined),
        vec!["AppDelegate", "NoteStore", "NotesViewController"]
    );
    assert!(!u.linked_libraries.is_empty());
    assert_eq!(anomaly_codes(&s), vec!["ios.encrypted-binary"]);
    let p = &inv.provisioning[0];
    assert_eq!(
        p.name.as_deref(),
        Some("Appvet Fixture Enterprise Distribution")
    );
    assert_eq!(p.team_id.as_deref(), Some("ABCDE12345"));
    assert_eq!(p.team_name.as_deref(), Some("Appvet Fixtures"));
    assert_eq!(inv.signing.team_id.as_deref(), Some("ABCDE12345"));
    assert_eq!(u.min_os_version.as_deref(), Some("14.0"));
    assert_eq!(p.app_id_name.as_deref(), Some("Appvet Vault Fixture"));
    assert_eq!(p.creation_date.as_deref(), Some("2024-06-01T12:00:00Z"));
    assert_eq!(p.expiration_date.as_deref(), Some("2025-06-01T12:00:00Z"));
    assert_eq!(p.distribution, "enterprise");
    assert_eq!(p.provisioned_devices, 0);
    assert_eq!(
        p.location.entry,
        "Payload/Vault.app/embedded.mobileprovision"
    );
    let cert = &inv.signing.certificates[0];
    assert_eq!(cert.schemes, vec!["codesign", "provisioning"]);
    assert_eq!(inv.signing.certificates.len(), 1);
    let keys: Vec<&str> = inv.entitlements.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        vec![
            "application-identifier",
            "com.apple.developer.team-identifier",
            "get-task-allow",
            "keychain-access-groups"
        ]
    );
    assert!(inv.files.iter().any(
        |f| f.path == "Payload/Vault.app/embedded.mobileprovision" && f.kind == FileKind::Other
    ));
}

#[test]
fn hostile_names_are_kept_verbatim() {
    let s = scan("hostile");
    assert_eq!(s.package.id, "org.appvet.fixture.ios.hostile");
    assert_eq!(
        s.package.label.as_deref(),
        Some("<script>alert(1)</script>")
    );
    assert_eq!(
        s.package.labels.get("zh-Hans").map(String::as_str),
        Some("\u{1b}[2J\u{1b}[31m恶意\u{1b}[0m\u{1b}]0;pwned\u{7}")
    );
    assert_eq!(
        s.package.labels.get("en").map(String::as_str),
        Some("Notes\u{202e}txt.exe")
    );
    let inv = &s.inventory;
    assert!(inv.signing.schemes.is_empty(), "unsigned");
    assert_eq!(inv.app.debuggable, None);
    assert_eq!(
        inv.permissions[0].detail.as_deref(),
        Some("<img src=x onerror=alert(document.cookie)>\nsecond line")
    );
    assert_eq!(inv.code.len(), 1);
}

#[test]
fn json_shape_matches_android() {
    let s = scan("clean");
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["package"]["platform"], "ios");
    assert_eq!(v["package"]["format"], "ipa");
    assert_eq!(v["package"]["id"], "org.appvet.fixture.ios.clean");
    assert_eq!(v["inventory"]["code"][0]["format"], "macho");
    let back: PackageScan = serde_json::from_value(v).unwrap();
    assert_eq!(back, s);
}

/// Per binary, against the tool-written fact sheets (`fixtures/ios/expected/<name>.txt`):
/// `min_os_version` = llvm-objdump's `LC_BUILD_VERSION` minos (or `LC_VERSION_MIN_IPHONEOS`
/// version) for every slice, and the bundle's `signing_identifier` / `team_id` = rcodesign's
/// `identifier` / `team_name` (none for the unsigned `hostile`).
#[test]
fn min_os_and_signing_identity_match_fact_sheets() {
    let mut checked = 0;
    for name in common::FIXTURES {
        let s = scan(name);
        let path = format!(
            "{}/../../fixtures/ios/expected/{name}.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        for block in text.split("\n== ").skip(1) {
            let (head, body) = block.split_once('\n').unwrap();
            let (entry, arch) = head.trim_end_matches(']').split_once(" [").unwrap();
            let minos = body
                .lines()
                .find_map(|l| {
                    l.strip_prefix("build: ")
                        .and_then(|b| b.split("minos=").nth(1))
                        .or_else(|| l.strip_prefix("LC_VERSION_MIN_IPHONEOS: version="))
                })
                .map(|v| v.split_whitespace().next().unwrap());
            // rcodesign prints the signature of all slices once, under one of them.
            let field = |k: &str| {
                text.split("\n== ")
                    .filter(|b| b.starts_with(&format!("{entry} [")))
                    .flat_map(str::lines)
                    .find_map(|l| l.strip_prefix(&format!("  {k}: ")))
                    .map(str::trim)
            };
            let u = unit(&s, entry, arch);
            assert!(minos.is_some(), "{entry} [{arch}]: no minos in {path}");
            assert_eq!(u.min_os_version.as_deref(), minos, "{entry} [{arch}]");
            let b = s
                .inventory
                .bundles
                .iter()
                .find(|b| b.executable.as_deref() == Some(entry))
                .unwrap_or_else(|| panic!("no bundle with executable {entry}"));
            assert_eq!(
                b.signing_identifier.as_deref(),
                field("identifier"),
                "{entry}"
            );
            assert_eq!(b.team_id.as_deref(), field("team_name"), "{entry}");
            checked += 1;
        }
    }
    assert_eq!(checked, 13, "slices in the fact sheets");
}
