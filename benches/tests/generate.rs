//! The generators make valid, deterministic packages that appvet (and the real tools) read.

use appvet_benches::{apkgen, fixtures_dir, ipagen};
use appvet_model::Limits;
use std::process::Command;

fn small_apk() -> apkgen::ApkOptions {
    apkgen::ApkOptions {
        classes: 3_000,
        dex_files: 3,
        methods_per_class: 3,
        res_files: 20,
        seed: 7,
    }
}

fn tool(name: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The class descriptors dexdump lists for a DEX file (`Class descriptor  : 'La/B;'`).
fn dexdump_classes(path: &std::path::Path) -> Vec<String> {
    let out = Command::new("dexdump").arg(path).output().unwrap();
    // dexdump verifies the checksum and the header before dumping; it fails on a bad file.
    assert!(
        out.status.success(),
        "dexdump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Class descriptor  : '"))
        .map(|d| d.trim_end_matches('\'').to_string())
        .collect()
}

#[test]
fn generated_dex_files_match_dexdump() {
    let dexes = apkgen::dex_files(&small_apk());
    assert_eq!(dexes.len(), 3);
    // Our own reader first: every DEX is well formed, checksummed, with 1,000 classes.
    let mut ours = Vec::new();
    for dex in &dexes {
        let d = appvet_dex::Dex::parse(dex).expect("generated dex parses");
        assert!(d.verify_checksum());
        assert_eq!(d.class_def_count(), 1_000);
        let names: Vec<String> = d
            .class_defs()
            .map(|cd| {
                let cd = cd.expect("class def");
                d.type_descriptor(cd.class_idx).expect("type").into_owned()
            })
            .collect();
        ours.push(names);
    }
    if !tool("dexdump") {
        eprintln!("dexdump not installed: skipping the cross-check (benches/compare/setup.sh installs it)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("appvet-benches-dex-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, dex) in dexes.iter().enumerate() {
        let path = dir.join(format!("c{i}.dex"));
        std::fs::write(&path, dex).unwrap();
        // Same classes, same order (dexdump walks class_defs in table order).
        assert_eq!(dexdump_classes(&path), ours[i], "classes of dex {i}");
        // The code dexdump disassembles holds the generated invokes.
        let out = Command::new("dexdump")
            .arg("-d")
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let invokes = text.matches("invoke-static {}").count();
        // <init> invokes Object.<init>; each other method invokes two methods and an API.
        assert_eq!(
            invokes,
            1_000 * (1 + 3 * 3),
            "invoke-static count in dex {i}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn generated_apk_scans_completely() {
    let apk = apkgen::apk(&small_apk(), &fixtures_dir().join("android"));
    assert_eq!(
        apk,
        apkgen::apk(&small_apk(), &fixtures_dir().join("android")),
        "deterministic"
    );
    let scan = appvet_scan::scan_package(&apk, &Limits::default()).expect("scan");
    let inv = &scan.inventory;
    assert_eq!(inv.code.len(), 3);
    let classes: usize = inv.code.iter().map(|c| c.classes_defined.len()).sum();
    assert_eq!(classes, 3_000);
    let methods: usize = inv.code.iter().map(|c| c.methods.len()).sum();
    assert!(methods >= 3_000 * 4, "{methods} method refs");
    // Every generated method invokes something, so callers are found.
    let with_callers = inv
        .code
        .iter()
        .flat_map(|c| &c.methods)
        .filter(|m| !m.callers.is_empty())
        .count();
    assert!(with_callers > 3_000, "{with_callers} methods with callers");
    assert!(inv
        .code
        .iter()
        .flat_map(|c| &c.methods)
        .any(|m| m.class == "android.telephony.TelephonyManager" && !m.callers.is_empty()));
    assert!(inv.urls.iter().any(|u| u.host == "alog.umeng.com"));
    let dex_anomalies: Vec<_> = inv
        .anomalies
        .iter()
        .filter(|a| a.code.starts_with("dex."))
        .collect();
    assert!(dex_anomalies.is_empty(), "{dex_anomalies:?}");
    assert!(inv.signing.schemes.iter().any(|s| s == "v1"));
    // Detection finds the SDKs whose packages the generator draws classes from.
    let db = appvet_detect::Database::embedded().expect("signatures");
    let findings = appvet_detect::detect(&scan, db);
    let sdks: Vec<&str> = findings.sdks.iter().map(|s| s.id.as_str()).collect();
    for id in ["umeng-analytics", "tencent-bugly", "google-admob"] {
        assert!(sdks.contains(&id), "{id} not in {sdks:?}");
    }
    if tool("aapt") {
        let path = std::env::temp_dir().join(format!("appvet-benches-{}.apk", std::process::id()));
        std::fs::write(&path, &apk).unwrap();
        let out = Command::new("aapt")
            .args(["dump", "badging"])
            .arg(&path)
            .output()
            .unwrap();
        std::fs::remove_file(&path).ok();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("org.appvet.fixture.trackers"));
    }
}

#[test]
fn generated_ipa_scans() {
    let opts = ipagen::IpaOptions {
        binary_mb: 2,
        frameworks: 6,
        seed: 3,
    };
    let bin = ipagen::main_binary(&opts);
    assert!(bin.len() >= 2 << 20);
    if tool("llvm-objdump") {
        let path =
            std::env::temp_dir().join(format!("appvet-benches-{}.macho", std::process::id()));
        std::fs::write(&path, &bin).unwrap();
        let out = Command::new("llvm-objdump")
            .args(["--macho", "--private-headers"])
            .arg(&path)
            .output()
            .unwrap();
        std::fs::remove_file(&path).ok();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains("LC_SYMTAB") && text.contains("__cstring"),
            "{text}"
        );
    }
    let ipa = ipagen::ipa(&opts, &fixtures_dir().join("ios"));
    let scan = appvet_scan::scan_package(&ipa, &Limits::default()).expect("scan");
    let inv = &scan.inventory;
    let main = inv
        .code
        .iter()
        .find(|c| c.location.entry == "Payload/Ads.app/Ads")
        .expect("main executable read");
    // Every fourth generated symbol defines an ObjC class; the Swift symbols name one module.
    let nsyms = (opts.binary_mb << 20) * 15 / 100 / 56;
    let objc = main
        .classes_defined
        .iter()
        .filter(|n| n.name.starts_with("SCH"))
        .count();
    assert_eq!(objc, nsyms.div_ceil(4));
    assert!(main
        .classes_defined
        .iter()
        .any(|n| &*n.name == "swift-module:SchoolApp"));
    assert_eq!(main.selectors.len(), 20_000);
    // Six system libraries plus one load per generated framework.
    assert_eq!(main.linked_libraries.len(), 6 + opts.frameworks);
    assert!(inv.urls.iter().any(|u| u.host == "ulogs.umeng.com"));
    // The fixture's three frameworks (GoogleMobileAds, Bugly, UMCommon) stay; the generator
    // adds the other three of its six names, each a bundle with a 400-class dylib.
    let frameworks: Vec<&str> = inv
        .bundles
        .iter()
        .filter(|b| b.kind == "framework")
        .map(|b| b.path.rsplit('/').next().unwrap_or_default())
        .collect();
    assert_eq!(frameworks.len(), 6, "{frameworks:?}");
    for f in ["UMAPM", "FBAudienceNetwork", "AMapFoundationKit"] {
        let unit = inv
            .code
            .iter()
            .find(|c| c.location.entry == format!("Payload/Ads.app/Frameworks/{f}.framework/{f}"))
            .unwrap_or_else(|| panic!("{f} binary not read"));
        assert_eq!(unit.classes_defined.len(), 400, "{f}");
        assert!(frameworks.contains(&format!("{f}.framework").as_str()));
    }
    assert_eq!(inv.code.len(), 7);
    let unreadable: Vec<_> = inv
        .anomalies
        .iter()
        .filter(|a| a.code.contains("unreadable") || a.code.contains("recovered"))
        .collect();
    assert!(unreadable.is_empty(), "{unreadable:?}");
    let db = appvet_detect::Database::embedded().expect("signatures");
    let sdks: Vec<String> = appvet_detect::detect(&scan, db)
        .sdks
        .into_iter()
        .map(|s| s.id)
        .collect();
    for id in ["facebook-ads", "amap", "umeng-common", "tencent-bugly"] {
        assert!(sdks.iter().any(|s| s == id), "{id} not in {sdks:?}");
    }
}

/// `scan_path` drops pages of the mapped file once read (large inflated entries, the hash); the
/// document must equal the one scanned from memory, where nothing is dropped.
#[test]
fn scanning_a_file_equals_scanning_its_bytes() {
    let apk = apkgen::apk(&small_apk(), &fixtures_dir().join("android"));
    let ipa = ipagen::ipa(
        &ipagen::IpaOptions {
            binary_mb: 2,
            frameworks: 2,
            seed: 5,
        },
        &fixtures_dir().join("ios"),
    );
    for (name, bytes) in [("apk", apk), ("ipa", ipa)] {
        // Entries large enough to be released while they inflate.
        let archive = appvet_zip::Archive::parse(&bytes, &Limits::default()).unwrap();
        assert!(
            archive
                .entries()
                .iter()
                .any(|e| e.compressed_size as usize >= appvet_zip::RELEASE_MIN && e.method != 0),
            "{name}: no entry large enough to exercise the release"
        );
        let path = std::env::temp_dir().join(format!(
            "appvet-benches-{}-equal.{name}",
            std::process::id()
        ));
        std::fs::write(&path, &bytes).unwrap();
        let from_file = appvet_scan::scan_path(&path, &Limits::default());
        std::fs::remove_file(&path).ok();
        let mut from_file = from_file.expect("scan_path");
        let from_bytes =
            appvet_scan::scan_bytes(&bytes, &path.display().to_string(), &Limits::default())
                .expect("scan_bytes");
        assert!(from_file.file.modified.is_some());
        from_file.file.modified = None;
        assert_eq!(from_file, from_bytes, "{name}");
    }
}
