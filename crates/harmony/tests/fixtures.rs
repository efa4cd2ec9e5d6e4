//! The HarmonyOS fixtures (fixtures/harmony, built by build.sh from our sources): every fact
//! the crate documents, cross-checked against Python's json/zipfile and an independent .abc
//! reader (read_abc.py), plus a rebuild that must give the same bytes.

use appvet_model::*;
use std::path::PathBuf;
use std::process::Command;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/harmony")
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap()
}

fn scan(name: &str) -> PackageScan {
    let data = bytes(name);
    let limits = Limits::default();
    let archive = appvet_zip::Archive::parse(&data, &limits).unwrap();
    appvet_harmony::scan(&archive, &limits).unwrap()
}

fn python_json(args: &[&str]) -> serde_json::Value {
    let out = Command::new("python3")
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn tracking_hap_facts() {
    let s = scan("edu-tracking.hap");
    let p = &s.package;
    assert_eq!(p.platform, Platform::Harmonyos);
    assert_eq!(p.format, PackageFormat::Hap);
    assert_eq!(p.id, "cn.example.edu.tracking");
    assert_eq!(p.version_code.as_deref(), Some("2000000"));
    assert_eq!(p.version_name.as_deref(), Some("2.0.0"));
    assert_eq!((p.min_sdk, p.target_sdk), (Some(12), Some(12)));
    // The label is a resource reference, not resolved: no label, the reference kept.
    assert_eq!(p.label, None);
    let inv = &s.inventory;
    let label_ref = inv.metadata.iter().find(|m| m.name == "app.label").unwrap();
    assert_eq!(label_ref.value.as_deref(), Some("$string:app_name"));
    assert_eq!(label_ref.location.path.as_deref(), Some("app.label"));
    assert_eq!(inv.app.debuggable, Some(true));

    // Permissions match module.json as Python reads it (sorted by name).
    let mj = python_json(&[
        "-c",
        "import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(json.dumps(json.loads(z.read('module.json'))))",
        dir().join("edu-tracking.hap").to_str().unwrap(),
    ]);
    let mut want: Vec<&str> = mj["module"]["requestPermissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    want.sort();
    let got: Vec<&str> = inv.permissions.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(got, want);
    let cam = inv
        .permissions
        .iter()
        .find(|p| p.name == "ohos.permission.CAMERA")
        .unwrap();
    assert_eq!(cam.detail.as_deref(), Some("$string:reason_camera"));
    assert_eq!(cam.location.entry, "module.json");
    assert_eq!(
        cam.location.path.as_deref(),
        Some("module.requestPermissions[3]")
    );

    // Abilities: the launcher and an exported deep link; the form extension is not exported.
    let comp = |n: &str| inv.components.iter().find(|c| c.name == n).unwrap();
    assert_eq!(comp("EntryAbility").kind, ComponentKind::Ability);
    assert!(comp("EntryAbility").exported);
    assert_eq!(
        comp("EntryAbility").intent_filters[0].categories,
        ["entity.system.home"]
    );
    let share = comp("ShareAbility");
    assert_eq!(share.exported_reason, ExportedReason::Explicit);
    assert_eq!(
        share.intent_filters[0].data[0].host.as_deref(),
        Some("edu.example.cn")
    );
    let form = comp("EntryFormAbility");
    assert_eq!(form.kind, ComponentKind::Extension);
    assert!(!form.exported);
    assert_eq!(form.intent_filters[0].actions, ["form"]);
    let devices: Vec<&str> = inv.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(devices, ["deviceType:phone", "deviceType:tablet"]);
    assert!(inv.metadata.iter().any(
        |m| m.name == "UMENG_APPKEY" && m.value.as_deref() == Some("0123456789abcdef01234567")
    ));

    // Native library.
    assert_eq!(inv.native_libs.len(), 1);
    assert_eq!(inv.native_libs[0].abi, "arm64-v8a");
    assert_eq!(inv.native_libs[0].name, "libedu_native.so");

    // Ark bytecode: class names agree with the independent reader.
    let abc = python_json(&[
        dir().join("read_abc.py").to_str().unwrap(),
        dir().join("edu-tracking.hap").to_str().unwrap(),
    ]);
    let unit = &inv.code[0];
    assert_eq!(unit.format, CodeFormat::Abc);
    assert_eq!(unit.location.entry, "ets/modules.abc");
    assert_eq!(unit.version, abc["ets/modules.abc"]["version"]);
    let names: Vec<&str> = unit.classes_defined.iter().map(|c| &*c.name).collect();
    let want: Vec<&str> = abc["ets/modules.abc"]["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(names, want);
    let imports: Vec<&str> = unit.methods.iter().map(|m| m.class).collect();
    assert_eq!(
        imports,
        [
            "@ohos.contact",
            "@ohos.geoLocationManager",
            "@ohos.identifier.oaid",
            "@ohos.multimedia.camera",
            "@ohos.router"
        ]
    );
    // Each import's index is the byte offset of its string in the .abc file.
    let data = {
        let d = bytes("edu-tracking.hap");
        let l = Limits::default();
        let a = appvet_zip::Archive::parse(&d, &l).unwrap();
        a.read(a.by_name("ets/modules.abc").unwrap())
            .unwrap()
            .into_owned()
    };
    for m in unit.methods.iter() {
        let at = m.index as usize;
        let tail = &m.class["@ohos.".len()..];
        let text = std::str::from_utf8(&data[at..at + 64.min(data.len() - at)]).unwrap_or("");
        assert!(text.contains(tail), "{} at {at}: {text:?}", m.class);
    }
    let mods: Vec<(&str, Option<&str>)> = inv
        .modules
        .iter()
        .map(|m| (m.id.as_str(), m.version.as_deref()))
        .collect();
    assert_eq!(
        mods,
        [
            ("@umeng/analytics", Some("1.1.0")),
            ("@umeng/common", Some("1.1.0"))
        ]
    );
    let urls: Vec<&str> = inv.urls.iter().map(|u| u.value.as_str()).collect();
    assert!(
        urls.contains(&"http://api.edu.example.cn/v1/lessons"),
        "{urls:?}"
    );
    assert!(
        urls.contains(&"https://ulogs.umeng.com/unify_logs"),
        "{urls:?}"
    );

    // Signing block: scheme, certificate, profile.
    assert_eq!(inv.signing.schemes, ["hap-sign"]);
    assert_eq!(inv.signing.certificates.len(), 1);
    assert!(inv.signing.certificates[0]
        .subject
        .contains("appvet test HAP signer"));
    let profile = inv
        .signing
        .block_entries
        .iter()
        .find(|e| e.id == "0x20000002")
        .unwrap();
    let text = profile.text.as_deref().unwrap();
    assert!(text.contains("type=debug"), "{text}");
    assert!(
        text.contains("bundle-name=cn.example.edu.tracking"),
        "{text}"
    );
    assert!(
        inv.anomalies.is_empty(),
        "unexpected anomalies: {:?}",
        inv.anomalies
    );
}

#[test]
fn clean_hap_is_unsigned_and_small() {
    let s = scan("edu-clean.hap");
    assert_eq!(s.package.id, "cn.example.edu.clean");
    let inv = &s.inventory;
    assert!(inv.signing.schemes.is_empty());
    assert_eq!(inv.permissions.len(), 1);
    assert!(inv.modules.is_empty());
    assert!(inv.anomalies.is_empty(), "{:?}", inv.anomalies);
}

#[test]
fn app_pack_merges_its_modules() {
    let s = scan("edu-suite.app");
    assert_eq!(s.package.format, PackageFormat::App);
    assert_eq!(s.package.id, "cn.example.edu.tracking");
    assert_eq!(s.package.version_name.as_deref(), Some("2.0.0"));
    assert_eq!(s.package.location.entry, "entry-default.hap!module.json");
    let inv = &s.inventory;
    let parts: Vec<&str> = inv.parts.iter().map(|p| p.entry.as_str()).collect();
    assert_eq!(parts, ["entry-default.hap", "homework-default.hap"]);
    let photo = inv
        .permissions
        .iter()
        .find(|p| p.name == "ohos.permission.READ_IMAGEVIDEO")
        .unwrap();
    assert_eq!(photo.location.entry, "homework-default.hap!module.json");
    assert!(inv
        .components
        .iter()
        .any(|c| c.name == "HomeworkAbility" && !c.exported));
    assert_eq!(inv.code.len(), 2);
    assert!(inv
        .code
        .iter()
        .any(|u| u.location.entry == "homework-default.hap!ets/modules.abc"));
    assert_eq!(inv.signing.schemes, ["hap-sign"]);
    // App-level flags are the entry module's.
    assert_eq!(inv.app.debuggable, Some(true));
}

#[test]
fn committed_fixtures_are_what_build_sh_writes() {
    let out = std::env::temp_dir().join(format!("appvet-harmony-{}", std::process::id()));
    let st = Command::new("bash")
        .arg(dir().join("build.sh"))
        .arg(&out)
        .status()
        .unwrap();
    assert!(st.success());
    for f in ["edu-clean.hap", "edu-tracking.hap", "edu-suite.app"] {
        assert!(
            std::fs::read(out.join(f)).unwrap() == bytes(f),
            "{f} differs from a rebuild"
        );
    }
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn not_harmony() {
    let d = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/android/clean.apk"),
    )
    .unwrap();
    let l = Limits::default();
    let a = appvet_zip::Archive::parse(&d, &l).unwrap();
    assert_eq!(appvet_harmony::detect_kind(&a), None);
    assert!(appvet_harmony::scan(&a, &l).is_err());
}

/// The older FA model: `config.json` instead of `module.json` (no fixture toolchain writes
/// one here, so the package is built in the test with the malformed corpus's zip writer).
#[test]
fn fa_model_config_json() {
    use appvet_malformed::zipw::{write, ZEntry};
    let config = serde_json::json!({
        "app": {
            "bundleName": "cn.example.fa",
            "version": {"code": 7, "name": "1.0.7"},
            "apiVersion": {"compatible": 6, "target": 8}
        },
        "module": {
            "deviceType": ["phone", "tablet"],
            "reqPermissions": [
                {"name": "ohos.permission.LOCATION", "reason": "签到"},
                {"reason": "no name: skipped"},
                {"name": "ohos.permission.INTERNET"}
            ],
            "abilities": [
                {"name": "MainAbility", "visible": true,
                 "skills": [{"actions": ["action.system.home"], "entities": ["entity.system.home"]}]},
                {"name": "HiddenAbility", "permissions": ["ohos.permission.CAMERA"]}
            ]
        }
    });
    let (data, _) = write(
        &[
            ZEntry::new("config.json", config.to_string().into_bytes()),
            ZEntry::new("resources.index", vec![0; 16]),
        ],
        &[],
    );
    let limits = Limits::default();
    let archive = appvet_zip::Archive::parse(&data, &limits).unwrap();
    let s = appvet_harmony::scan(&archive, &limits).unwrap();
    assert_eq!(s.package.platform, Platform::Harmonyos);
    assert_eq!(s.package.format, PackageFormat::Hap);
    assert_eq!(s.package.id, "cn.example.fa");
    assert_eq!(s.package.version_code.as_deref(), Some("7"));
    assert_eq!(s.package.version_name.as_deref(), Some("1.0.7"));
    assert_eq!(
        (s.package.min_sdk, s.package.target_sdk),
        (Some(6), Some(8))
    );
    let perms: Vec<(&str, Option<&str>, Option<&str>)> = s
        .inventory
        .permissions
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.detail.as_deref(),
                p.location.path.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        perms,
        [
            (
                "ohos.permission.INTERNET",
                None,
                Some("module.reqPermissions[2]")
            ),
            (
                "ohos.permission.LOCATION",
                Some("签到"),
                Some("module.reqPermissions[0]")
            ),
        ]
    );
    let comps: Vec<(&str, bool, Option<&str>)> = s
        .inventory
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.exported, c.permission.as_deref()))
        .collect();
    // Components keep the declaration order; `visible` is FA's `exported`.
    assert_eq!(
        comps,
        [
            ("MainAbility", true, None),
            ("HiddenAbility", false, Some("ohos.permission.CAMERA")),
        ]
    );
    let home = &s.inventory.components[0].intent_filters[0];
    assert_eq!(home.actions, ["action.system.home"]);
    assert_eq!(home.categories, ["entity.system.home"]);
    let devices: Vec<&str> = s
        .inventory
        .features
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(devices, ["deviceType:phone", "deviceType:tablet"]);
}
