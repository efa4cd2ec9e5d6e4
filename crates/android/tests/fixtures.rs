//! What each fixture package (fixtures/android, built by build.sh from our sources) must yield,
//! field by field.

mod common;
use appvet_model::*;
use common::scan;

fn perm<'a>(inv: &'a Inventory, name: &str) -> &'a PermissionRequest {
    inv.permissions
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("permission {name} missing"))
}

fn component<'a>(inv: &'a Inventory, name: &str) -> &'a Component {
    inv.components
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| {
            panic!(
                "component {name} missing: {:?}",
                inv.components.iter().map(|c| &c.name).collect::<Vec<_>>()
            )
        })
}

fn classes(inv: &Inventory) -> Vec<&str> {
    let mut v: Vec<&str> = inv
        .code
        .iter()
        .flat_map(|c| c.classes_defined.iter().map(|n| n.name.as_ref()))
        .collect();
    v.sort();
    v
}

#[test]
fn clean() {
    let s = scan("clean.apk");
    let p = &s.package;
    assert_eq!(p.platform, Platform::Android);
    assert_eq!(p.format, PackageFormat::Apk);
    assert_eq!(p.id, "org.appvet.fixture.clean");
    assert_eq!(p.version_code.as_deref(), Some("7"));
    assert_eq!(p.version_name.as_deref(), Some("1.2.0"));
    assert_eq!(p.label.as_deref(), Some("Clean Reader"));
    assert_eq!(p.labels.get("zh-CN").map(String::as_str), Some("清洁阅读"));
    assert_eq!(p.labels.get("zh").map(String::as_str), Some("清洁阅读(zh)"));
    assert_eq!((p.min_sdk, p.target_sdk), (Some(24), Some(33)));
    let inv = &s.inventory;
    assert_eq!(inv.permissions.len(), 1);
    perm(inv, "android.permission.INTERNET");
    assert_eq!(inv.app.allow_backup, Some(false));
    assert_eq!(inv.app.debuggable, None);
    assert_eq!(inv.signing.schemes, ["v2", "v3"]);
    assert_eq!(inv.signing.certificates.len(), 1);
    let cert = &inv.signing.certificates[0];
    assert_eq!(cert.subject, "CN=Appvet Fixtures, O=Appvet, C=CN");
    assert_eq!(
        (cert.key_algorithm.as_str(), cert.key_bits),
        ("RSA", Some(2048))
    );
    assert!(!cert.debug);
    assert_eq!(cert.schemes, ["v2", "v3"]);
    assert_eq!(cert.sha256.len(), 64);
    let ids: Vec<(&str, Option<&str>)> = inv
        .signing
        .block_entries
        .iter()
        .map(|e| (e.id.as_str(), e.name.as_deref()))
        .collect();
    assert!(
        ids.contains(&("0x7109871a", Some("APK Signature Scheme v2"))),
        "{ids:?}"
    );
    assert!(
        ids.contains(&("0xf05368c0", Some("APK Signature Scheme v3"))),
        "{ids:?}"
    );
    assert!(inv
        .signing
        .block_entries
        .iter()
        .all(|e| e.location.entry == "APK Signing Block" && e.location.offset.is_some()));
    let cls = classes(inv);
    for want in [
        "androidx.appcompat.app.AppCompatActivity",
        "androidx.core.app.ActivityCompat",
        "kotlin.jvm.internal.Intrinsics",
    ] {
        assert!(cls.contains(&want), "{want} not in {cls:?}");
    }
    assert!(
        cls.iter().all(|c| c.starts_with("androidx.")
            || c.starts_with("kotlin.")
            || c.starts_with("org.appvet.fixture.clean")),
        "{cls:?}"
    );
    assert!(inv.native_libs.is_empty());
    assert!(inv.anomalies.is_empty(), "{:?}", inv.anomalies);
    assert!(inv.build_time.newest_entry.is_some());
}

#[test]
fn permissions() {
    let s = scan("permissions.apk");
    let inv = &s.inventory;
    for name in [
        "android.permission.ACCESS_FINE_LOCATION",
        "android.permission.ACCESS_BACKGROUND_LOCATION",
        "android.permission.CAMERA",
        "android.permission.RECORD_AUDIO",
        "android.permission.READ_CONTACTS",
        "android.permission.READ_PHONE_STATE",
        "android.permission.READ_SMS",
        "android.permission.READ_CALL_LOG",
        "android.permission.READ_CALENDAR",
        "android.permission.BODY_SENSORS",
        "android.permission.QUERY_ALL_PACKAGES",
        "android.permission.REQUEST_INSTALL_PACKAGES",
    ] {
        let p = perm(inv, name);
        assert!(!p.sdk23 && p.max_sdk.is_none(), "{p:?}");
        assert_eq!(p.location.entry, "AndroidManifest.xml");
    }
    assert_eq!(
        perm(inv, "android.permission.WRITE_EXTERNAL_STORAGE").max_sdk,
        Some(28)
    );
    assert!(perm(inv, "android.permission.READ_PHONE_NUMBERS").sdk23);
    let declared: Vec<(&str, Option<&str>)> = inv
        .declared_permissions
        .iter()
        .map(|d| (d.name.as_str(), d.protection_level.as_deref()))
        .collect();
    assert!(
        declared.contains(&("org.appvet.fixture.permissions.C2D", Some("signature"))),
        "{declared:?}"
    );
    assert!(
        declared.iter().any(|(_, l)| *l == Some("dangerous")),
        "{declared:?}"
    );
    let camera = inv
        .features
        .iter()
        .find(|f| f.name == "android.hardware.camera")
        .expect("camera feature");
    assert!(!camera.required);
}

#[test]
fn trackers() {
    let s = scan("trackers.apk");
    let inv = &s.inventory;
    let cls = classes(inv);
    for want in [
        "com.umeng.analytics.MobclickAgent",
        "com.umeng.commonsdk.UMConfigure",
        "com.bytedance.sdk.openadsdk.TTAdSdk",
        "com.qq.e.ads.banner2.UnifiedBannerView",
        "com.google.android.gms.ads.MobileAds",
        "com.tencent.bugly.crashreport.CrashReport",
        "cn.jpush.android.api.JPushInterface",
        "com.google.firebase.analytics.FirebaseAnalytics",
    ] {
        assert!(cls.contains(&want), "{want} not in {cls:?}");
    }
    // The reflection probe is a string, never a class or a referenced type.
    let probe = "com.tencent.mm.opensdk.openapi.WXAPIFactory";
    assert!(!cls.contains(&probe));
    assert!(inv
        .code
        .iter()
        .all(|c| c.types_referenced.iter().all(|t| &*t.name != probe)));
    // Attribution: which classes call the IMEI read and the Android ID read.
    let unit = &inv.code[0];
    let callers_of = |class: &str, name: &str| -> Vec<&str> {
        let m = unit
            .methods
            .iter()
            .find(|m| m.class == class && m.name == name)
            .unwrap_or_else(|| panic!("{class}.{name}"));
        m.callers
            .iter()
            .map(|i| {
                unit.classes_defined
                    .iter()
                    .find(|c| c.index == *i)
                    .unwrap()
                    .name
                    .as_ref()
            })
            .collect()
    };
    let imei = callers_of("android.telephony.TelephonyManager", "getDeviceId");
    assert!(
        !imei.is_empty() && imei.iter().all(|c| c.starts_with("com.umeng.")),
        "{imei:?}"
    );
    let android_id = callers_of("android.provider.Settings$Secure", "getString");
    assert!(
        !android_id.is_empty()
            && android_id
                .iter()
                .all(|c| c.starts_with("org.appvet.fixture.trackers")),
        "{android_id:?}"
    );
    // The IMEI read is a method reference.
    assert!(inv.code[0]
        .methods
        .iter()
        .any(|m| m.class == "android.telephony.TelephonyManager"
            && m.name == "getDeviceId"
            && m.proto == "()Ljava/lang/String;"));
    for (name, kind, exported) in [
        (
            "com.bytedance.sdk.openadsdk.activity.TTDelegateActivity",
            ComponentKind::Activity,
            false,
        ),
        (
            "cn.jpush.android.service.PushService",
            ComponentKind::Service,
            false,
        ),
        (
            "com.qq.e.comm.DownloadService",
            ComponentKind::Service,
            false,
        ),
        (
            "org.appvet.fixture.trackers.MainActivity",
            ComponentKind::Activity,
            true,
        ),
    ] {
        let c = component(inv, name);
        assert_eq!((c.kind, c.exported), (kind, exported), "{name}");
    }
    let meta: Vec<(&str, Option<&str>)> = inv
        .metadata
        .iter()
        .map(|m| (m.name.as_str(), m.value.as_deref()))
        .collect();
    assert!(
        meta.contains(&("UMENG_APPKEY", Some("5f8e1a2b3c4d5e6f7a8b9c0d"))),
        "{meta:?}"
    );
    assert!(
        meta.contains(&("UMENG_CHANNEL", Some("appvet-store"))),
        "resolved through resources: {meta:?}"
    );
    assert!(meta.iter().any(|(n, _)| *n == "JPUSH_APPKEY"));
    assert!(meta
        .iter()
        .any(|(n, _)| *n == "com.google.android.gms.ads.APPLICATION_ID"));
    assert_eq!(inv.native_libs.len(), 1);
    assert_eq!(
        (
            inv.native_libs[0].abi.as_str(),
            inv.native_libs[0].name.as_str()
        ),
        ("arm64-v8a", "libBugly.so")
    );
    assert_eq!(
        inv.native_libs[0].location.entry,
        "lib/arm64-v8a/libBugly.so"
    );
    let urls: Vec<(&str, UrlKind, &str)> = inv
        .urls
        .iter()
        .map(|u| (u.value.as_str(), u.kind, u.host.as_str()))
        .collect();
    assert!(
        urls.contains(&(
            "https://ulogs.umeng.com/unify_logs",
            UrlKind::Url,
            "ulogs.umeng.com"
        )),
        "{urls:?}"
    );
    assert!(
        urls.contains(&(
            "http://ads.example-adnet.cn/get?id=1",
            UrlKind::Url,
            "ads.example-adnet.cn"
        )),
        "{urls:?}"
    );
    assert!(
        urls.contains(&(
            "api.appvet-fixture.org",
            UrlKind::Host,
            "api.appvet-fixture.org"
        )),
        "{urls:?}"
    );
    assert!(
        !urls.iter().any(|(v, _, _)| v.contains("WXAPIFactory")),
        "a class name is not a host"
    );
    for u in &inv.urls {
        assert_eq!(u.location.entry, "classes.dex");
        assert!(u.location.index.is_some());
    }
}

#[test]
fn biometric() {
    let s = scan("biometric.apk");
    let inv = &s.inventory;
    perm(inv, "android.permission.USE_BIOMETRIC");
    perm(inv, "android.permission.USE_FINGERPRINT");
    perm(inv, "android.permission.CAMERA");
    let methods: Vec<(&str, &str)> = inv
        .code
        .iter()
        .flat_map(|c| c.methods.iter().map(|m| (m.class, m.name)))
        .collect();
    assert!(
        methods.contains(&(
            "android.hardware.biometrics.BiometricPrompt",
            "authenticate"
        )),
        "{methods:?}"
    );
    assert!(
        methods.contains(&(
            "android.hardware.fingerprint.FingerprintManager",
            "authenticate"
        )),
        "{methods:?}"
    );
    let cls = classes(inv);
    assert!(cls.contains(&"com.megvii.facepp.sdk.Facepp"));
    assert!(cls.contains(&"com.baidu.idl.face.platform.FaceSDKManager"));
    assert!(cls.contains(&"androidx.biometric.BiometricManager"));
}

#[test]
fn multidex() {
    let s = scan("multidex.apk");
    let inv = &s.inventory;
    let entries: Vec<&str> = inv.code.iter().map(|c| c.location.entry.as_str()).collect();
    assert_eq!(entries, ["classes.dex", "classes2.dex", "classes3.dex"]);
    for c in &inv.code {
        assert_eq!(c.format, CodeFormat::Dex);
        assert!(
            c.classes_defined.len() >= 100,
            "{} has {}",
            c.location.entry,
            c.classes_defined.len()
        );
        // Indices are class_def table indices, in order.
        for (i, n) in c.classes_defined.iter().enumerate() {
            assert_eq!(n.index as usize, i);
        }
    }
    let all = classes(inv);
    let mut dedup = all.clone();
    dedup.dedup();
    assert_eq!(
        all.len(),
        dedup.len(),
        "no class is defined twice across dex files"
    );
}

#[test]
fn network_security_config() {
    let s = scan("network.apk");
    let app = &s.inventory.app;
    assert_eq!(app.uses_cleartext_traffic, Some(true));
    // The network security config's base-config wins over the manifest flag.
    assert_eq!(app.cleartext_permitted, Some(false));
    let nsc = app.network_security_config.as_ref().expect("nsc parsed");
    assert_eq!(nsc.source.entry, "res/xml/network_security_config.xml");
    assert_eq!(nsc.base_cleartext_permitted, Some(false));
    assert_eq!(nsc.base_trust_anchors, ["system", "user"]);
    assert_eq!(nsc.debug_trust_anchors, ["user"]);
    let legacy = nsc
        .domains
        .iter()
        .find(|d| d.domains == ["legacy.appvet-fixture.org"])
        .expect("legacy domain");
    assert!(legacy.include_subdomains);
    assert_eq!(legacy.cleartext_permitted, Some(true));
    let pinned = nsc
        .domains
        .iter()
        .find(|d| d.domains == ["pinned.appvet-fixture.org"])
        .expect("pinned domain");
    assert!(!pinned.include_subdomains);
    assert_eq!(
        pinned.pins,
        [
            "sha256/pQVg3NF0qDdIucMHHcbuTmNznnSfpe0LmVnv9Bc8O1c=",
            "sha256/idOVZPyoivUuDrZsCD27kJD1MShiOxfgSKC7ak44yx4="
        ]
    );
    assert!(
        s.inventory.anomalies.is_empty(),
        "{:?}",
        s.inventory.anomalies
    );
}

#[test]
fn insecure() {
    let s = scan("insecure.apk");
    let inv = &s.inventory;
    assert_eq!(s.package.target_sdk, Some(28));
    assert_eq!(inv.app.debuggable, Some(true));
    assert_eq!(inv.app.allow_backup, Some(true));
    // No usesCleartextTraffic and no config: Android's default is true below target 28, false from 28.
    assert_eq!(inv.app.uses_cleartext_traffic, None);
    assert_eq!(inv.app.cleartext_permitted, Some(false));
    let pkg = "org.appvet.fixture.insecure";
    let admin = component(inv, &format!("{pkg}.AdminActivity"));
    assert!(
        admin.exported
            && admin.exported_reason == ExportedReason::Explicit
            && admin.permission.is_none()
    );
    let share = component(inv, &format!("{pkg}.ShareActivity"));
    assert!(share.exported);
    assert_eq!(share.exported_reason, ExportedReason::ImpliedByIntentFilter);
    assert_eq!(
        share.intent_filters[0].actions,
        ["android.intent.action.SEND"]
    );
    assert_eq!(
        share.intent_filters[0].data[0].mime_type.as_deref(),
        Some("text/plain")
    );
    let sync = component(inv, &format!("{pkg}.SyncService"));
    assert_eq!(sync.kind, ComponentKind::Service);
    assert_eq!(
        sync.permission.as_deref(),
        Some("org.appvet.fixture.insecure.permission.SYNC")
    );
    let boot = component(inv, &format!("{pkg}.BootReceiver"));
    assert!(!boot.exported && boot.exported_reason == ExportedReason::Explicit);
    let provider = component(inv, &format!("{pkg}.FilesProvider"));
    assert_eq!(provider.kind, ComponentKind::Provider);
    assert!(provider.exported && provider.grant_uri_permissions);
    assert_eq!(
        provider.authorities,
        [format!("{pkg}.files"), format!("{pkg}.data")]
    );
    let alias = component(inv, &format!("{pkg}.LauncherAlias"));
    assert_eq!(alias.kind, ComponentKind::ActivityAlias);
    assert_eq!(
        alias.target_activity.as_deref(),
        Some(format!("{pkg}.MainActivity").as_str())
    );
    let deep = component(inv, &format!("{pkg}.DeepLinkActivity"));
    let f = &deep.intent_filters[0];
    assert!(f.auto_verify);
    assert_eq!(f.actions, ["android.intent.action.VIEW"]);
    assert!(f
        .categories
        .contains(&"android.intent.category.BROWSABLE".to_string()));
    assert_eq!(f.data[0].scheme.as_deref(), Some("https"));
    assert_eq!(f.data[0].host.as_deref(), Some("edu.appvet-fixture.org"));
    assert_eq!(f.data[0].path.as_deref(), Some("pathPrefix:/open"));
    assert_eq!(f.data[1].scheme.as_deref(), Some("appvet"));
    // The fourth <activity> (0-based index 3), with its source line.
    let path = deep.location.path.as_deref().unwrap_or("");
    assert!(
        path.contains("/activity[3]") && path.contains("(line "),
        "{path}"
    );
    assert_eq!(
        inv.queries.packages,
        ["com.tencent.mm", "com.eg.android.AlipayGphone"]
    );
    assert_eq!(inv.queries.providers, ["org.appvet.peer.provider"]);
    assert_eq!(
        inv.queries.intents[0].actions,
        ["android.intent.action.VIEW"]
    );
    assert_eq!(inv.signing.schemes, ["v1", "v2"]);
    let cert = &inv.signing.certificates[0];
    assert!(cert.debug, "{cert:?}");
    assert_eq!(cert.subject, "CN=Android Debug, O=Android, C=US");
    assert_eq!(cert.schemes, ["v1", "v2"]);
}

#[test]
fn v1_only() {
    let s = scan("v1only.apk");
    let inv = &s.inventory;
    assert_eq!(inv.signing.schemes, ["v1"]);
    assert_eq!(inv.signing.certificates.len(), 1);
    let block = &inv.signing.certificates[0].location.entry;
    assert!(
        block.starts_with("META-INF/") && block.ends_with(".RSA"),
        "{block}"
    );
    let sig_files: Vec<&str> = inv
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Signature)
        .map(|f| f.path.as_str())
        .collect();
    assert!(
        sig_files.contains(&"META-INF/MANIFEST.MF") && sig_files.contains(&block.as_str()),
        "{sig_files:?}"
    );
}

#[test]
fn native_libraries_and_embedded_code() {
    let s = scan("native.apk");
    let inv = &s.inventory;
    let libs: Vec<(&str, &str)> = inv
        .native_libs
        .iter()
        .map(|n| (n.abi.as_str(), n.name.as_str()))
        .collect();
    for want in [
        ("arm64-v8a", "libnative-core.so"),
        ("armeabi-v7a", "libnative-core.so"),
        ("arm64-v8a", "libjiagu.so"),
    ] {
        assert!(libs.contains(&want), "{want:?} not in {libs:?}");
    }
    assert!(inv.native_libs.iter().all(|n| n.size > 0));
    let files: Vec<(&str, FileKind)> = inv
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.kind))
        .collect();
    assert!(
        files.contains(&("assets/plugin.dex", FileKind::EmbeddedDex)),
        "{files:?}"
    );
    assert!(
        files.contains(&("assets/extra.jar", FileKind::EmbeddedArchive)),
        "{files:?}"
    );
    // Embedded code is listed, not parsed as the app's code.
    assert_eq!(inv.code.len(), 1);
}

#[test]
fn split_bundles_merge_with_nested_locations() {
    for (name, base_entry) in [
        ("splits.apks", "base.apk"),
        ("splits.xapk", "org.appvet.fixture.splits.apk"),
    ] {
        let s = scan(name);
        assert_eq!(s.package.id, "org.appvet.fixture.splits", "{name}");
        assert_eq!(s.package.format, PackageFormat::Splits);
        let inv = &s.inventory;
        assert_eq!(inv.parts.len(), 2, "{name}");
        assert_eq!(inv.parts[0].entry, base_entry);
        assert_eq!(inv.parts[0].split, None);
        assert_eq!(inv.parts[1].split.as_deref(), Some("config.arm64_v8a"));
        assert_eq!(
            inv.code[0].location.entry,
            format!("{base_entry}!classes.dex")
        );
        assert_eq!(inv.native_libs.len(), 1);
        assert_eq!(inv.native_libs[0].name, "libsplitlib.so");
        assert!(
            inv.native_libs[0]
                .location
                .entry
                .ends_with("!lib/arm64-v8a/libsplitlib.so"),
            "{:?}",
            inv.native_libs[0].location
        );
        assert!(s.package.location.entry.starts_with(base_entry));
    }
}

#[test]
fn app_bundle() {
    let s = scan("bundle.aab");
    let p = &s.package;
    assert_eq!(p.format, PackageFormat::Aab);
    assert_eq!(p.id, "org.appvet.fixture.bundle");
    assert_eq!(p.version_code.as_deref(), Some("11"));
    assert_eq!(p.version_name.as_deref(), Some("2.0.0"));
    assert_eq!(p.label.as_deref(), Some("Bundle Demo"));
    assert_eq!(p.labels.get("zh-CN").map(String::as_str), Some("捆绑演示"));
    let inv = &s.inventory;
    assert_eq!(inv.code.len(), 1);
    assert_eq!(inv.code[0].location.entry, "base/dex/classes.dex");
    assert!(!inv.code[0].classes_defined.is_empty());
    assert_eq!(
        inv.native_libs[0].location.entry,
        "base/lib/arm64-v8a/libx.so"
    );
    assert!(!inv.components.is_empty());
}

#[test]
fn hostile_label_is_kept_verbatim() {
    let s = scan("hostile-label.apk");
    assert_eq!(
        s.package.label.as_deref(),
        Some("<script>alert(1)</script>")
    );
    assert!(s
        .package
        .labels
        .get("zh-CN")
        .is_some_and(|l| l.contains('\u{1b}')));
}
