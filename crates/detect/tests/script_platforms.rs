//! Detection over mini-program and HarmonyOS inventories, built by hand so that the engine is
//! tested apart from the parsers: modules (plugins, npm, ohpm) are strong SDK evidence, `wx.*`
//! calls and Ark module imports are sensitive APIs attributed through the calling module, and
//! the new permission tables are looked up.

use appvet_detect::{detect, Database};
use appvet_model::*;
use std::sync::Arc;

fn package(platform: Platform, format: PackageFormat, id: &str) -> PackageInfo {
    PackageInfo {
        platform,
        format,
        id: id.into(),
        version_code: None,
        version_name: None,
        label: None,
        labels: Default::default(),
        min_sdk: None,
        target_sdk: None,
        compile_sdk: None,
        min_os_version: None,
        location: Location::entry("/app-config.json"),
    }
}

fn permission(name: &str, entry: &str) -> PermissionRequest {
    PermissionRequest {
        name: name.into(),
        max_sdk: None,
        sdk23: false,
        detail: None,
        location: Location::entry(entry),
    }
}

fn module(kind: ModuleKind, id: &str) -> Module {
    Module {
        kind,
        id: id.into(),
        alias: None,
        version: None,
        location: Location::entry("/app-config.json").with_path("plugins"),
    }
}

/// A code unit whose `methods` are (class, name, offset, callers as indices of `defined`).
fn unit(
    format: CodeFormat,
    entry: &str,
    defined: &[&str],
    calls: &[(&str, &str, u32, &[u32])],
) -> CodeUnit {
    let mut methods = MethodRefs::default();
    for (class, name, offset, callers) in calls {
        let c = methods.add_name(Arc::from(*class));
        let n = methods.add_name(Arc::from(*name));
        let p = methods.add_name(Arc::from(""));
        methods.push(c, n, p, *offset, callers);
    }
    CodeUnit {
        format,
        location: Location::entry(entry),
        classes_defined: defined
            .iter()
            .enumerate()
            .map(|(i, d)| Named {
                name: Arc::from(*d),
                index: i as u32,
            })
            .collect(),
        methods,
        ..CodeUnit::default()
    }
}

fn db() -> &'static Database {
    Database::embedded().expect("embedded database")
}

#[test]
fn mini_program_sdks_apis_and_permissions() {
    let mut inv = Inventory {
        permissions: vec![
            permission("scope.userLocation", "/app-config.json"),
            permission("getLocation", "/app-config.json"),
            permission("android.permission.CAMERA", "/app-config.json"),
        ],
        ..Inventory::default()
    };
    inv.modules = vec![
        module(ModuleKind::WechatPlugin, "wx2b03c6e691cd7370"),
        module(ModuleKind::WechatPlugin, "wx0000000000000000"),
        module(ModuleKind::Npm, "umtrack-wx"),
    ];
    inv.code = vec![unit(
        CodeFormat::Js,
        "/app-service.js",
        &[
            "pages/index/index.js",
            "miniprogram_npm/umtrack-wx/index.js",
        ],
        &[
            ("wx", "getLocation", 120, &[0]),
            ("wx", "getUserProfile", 300, &[1]),
            ("wx", "createRewardedVideoAd", 400, &[0]),
            ("wx", "startFacialRecognitionVerify", 500, &[0]),
            ("wx-open-type", "getPhoneNumber", 600, &[]),
            ("wx", "navigateTo", 700, &[0]),
        ],
    )];
    let scan = PackageScan {
        package: package(
            Platform::WechatMiniprogram,
            PackageFormat::Wxapkg,
            "wx1234567890abcdef",
        ),
        inventory: inv,
    };
    let f = detect(&scan, db());
    let ids: Vec<&str> = f.sdks.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["umeng-analytics", "wechat-ads", "wechat-live"]);
    let live = f.sdks.iter().find(|s| s.id == "wechat-live").unwrap();
    assert_eq!(live.strength, Strength::Strong);
    assert_eq!(live.evidence[0].kind, EvidenceKind::Plugin);
    let ads = f.sdks.iter().find(|s| s.id == "wechat-ads").unwrap();
    assert_eq!(ads.strength, Strength::Medium);
    assert_eq!(ads.evidence[0].value, "wx.createRewardedVideoAd");
    assert_eq!(ads.evidence[0].location.offset, Some(400));

    // Permissions: both mini-program tables; an Android name is still an Android permission.
    let kinds: Vec<(&str, PermissionKind, &str)> = f
        .permissions
        .iter()
        .map(|p| (p.name.as_str(), p.kind, p.level.as_str()))
        .collect();
    assert!(kinds.contains(&(
        "scope.userLocation",
        PermissionKind::WechatPermission,
        "scope"
    )));
    assert!(kinds.contains(&(
        "getLocation",
        PermissionKind::WechatPermission,
        "private-info"
    )));

    // APIs, attributed through the calling module; navigateTo is no sensitive API.
    let api = |id: &str| f.apis.iter().find(|a| a.id == id);
    let loc = api("location").expect("location api");
    assert_eq!(loc.by, ["app"]);
    assert_eq!(loc.callers[0].caller, "pages/index/index.js");
    assert_eq!(loc.callers[0].api, "wx.getLocation");
    assert_eq!(loc.callers[0].location.entry, "/app-service.js");
    assert_eq!(loc.callers[0].location.offset, Some(120));
    let profile = api("wechat-identity").expect("identity api");
    assert_eq!(profile.by, ["umeng-analytics"]);
    let phone = api("phone-number").expect("open-type api");
    assert_eq!(phone.callers[0].api, "open-type=\"getPhoneNumber\"");
    assert!(api("face-verify").is_some());
    assert!(f.biometrics.iter().any(|b| b.modality == "face"));
    assert!(!f
        .apis
        .iter()
        .any(|a| a.callers.iter().any(|c| c.api == "wx.navigateTo")));
}

#[test]
fn harmonyos_sdks_apis_and_permissions() {
    let mut inv = Inventory {
        permissions: vec![
            permission("ohos.permission.APPROXIMATELY_LOCATION", "module.json"),
            permission("ohos.permission.INTERNET", "module.json"),
            permission("ohos.permission.NOT_A_REAL_ONE", "module.json"),
        ],
        ..Inventory::default()
    };
    inv.modules = vec![module(ModuleKind::Ohpm, "@umeng/analytics")];
    inv.code = vec![unit(
        CodeFormat::Abc,
        "ets/modules.abc",
        &[
            "&entry/src/main/ets/pages/Index&",
            "&@umeng/analytics/src/main/ets/index&1.1.0",
        ],
        &[
            ("@ohos.geoLocationManager", "", 64, &[0]),
            ("@ohos.multimedia.camera", "", 96, &[]),
            ("@ohos.identifier.oaid", "", 128, &[1]),
            ("@ohos.router", "", 160, &[0]),
        ],
    )];
    let scan = PackageScan {
        package: package(Platform::Harmonyos, PackageFormat::Hap, "com.example.edu"),
        inventory: inv,
    };
    let f = detect(&scan, db());
    let ids: Vec<&str> = f.sdks.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["umeng-analytics"]);
    assert_eq!(f.sdks[0].evidence[0].kind, EvidenceKind::Package);

    let perms: Vec<(&str, PermissionKind, &str)> = f
        .permissions
        .iter()
        .map(|p| (p.name.as_str(), p.kind, p.level.as_str()))
        .collect();
    assert_eq!(
        perms,
        [
            (
                "ohos.permission.APPROXIMATELY_LOCATION",
                PermissionKind::HarmonyosPermission,
                "user-grant"
            ),
            (
                "ohos.permission.INTERNET",
                PermissionKind::HarmonyosPermission,
                "system-grant"
            ),
        ]
    );
    let api = |id: &str| f.apis.iter().find(|a| a.id == id).unwrap();
    assert_eq!(api("location").by, ["app"]);
    assert_eq!(api("location").callers[0].api, "@ohos.geoLocationManager");
    assert_eq!(api("advertising-id").by, ["umeng-analytics"]);
    // An import with no known caller is `unknown`, not the app's.
    assert_eq!(api("camera").by, ["unknown"]);
    assert_eq!(f.apis.len(), 3);
}

/// IM and customer-service SDKs of mini-programs: npm packages (plain and scoped) and the
/// WeCom customer-service plugin, each with its category.
#[test]
fn mini_program_im_and_customer_service() {
    let inv = Inventory {
        modules: vec![
            module(ModuleKind::Npm, "tim-wx-sdk"),
            module(ModuleKind::Npm, "tim-upload-plugin"),
            module(ModuleKind::Npm, "@yxim/nim-web-sdk"),
            module(ModuleKind::Npm, "easemob-websdk"),
            module(ModuleKind::WechatPlugin, "wx104a1a20c3f81ec2"),
            // An npm name that only looks like one: no SDK.
            module(ModuleKind::Npm, "tim-wx-sdk-helper"),
        ],
        ..Inventory::default()
    };
    let scan = PackageScan {
        package: package(
            Platform::WechatMiniprogram,
            PackageFormat::Wxapkg,
            "wx1234567890abcdef",
        ),
        inventory: inv,
    };
    let f = detect(&scan, db());
    let found: Vec<(&str, &str, Strength)> = f
        .sdks
        .iter()
        .map(|s| (s.id.as_str(), s.categories[0].as_str(), s.strength))
        .collect();
    assert_eq!(
        found,
        [
            ("easemob", "im", Strength::Strong),
            ("netease-nim", "im", Strength::Strong),
            ("tencent-imsdk", "im", Strength::Strong),
            (
                "wecom-customer-service",
                "customer-support",
                Strength::Strong
            ),
        ]
    );
    let tim = f.sdks.iter().find(|s| s.id == "tencent-imsdk").unwrap();
    let values: Vec<&str> = tim.evidence.iter().map(|e| e.value.as_str()).collect();
    assert_eq!(values, ["tim-wx-sdk", "tim-upload-plugin"]);
}
