//! Our values must equal those of independent tools on every fixture APK: `aapt dump badging`
//! (identity, SDK levels, labels, permissions), `aapt dump xmltree` (components) and `dexdump`
//! (class lists of every DEX). The tools are Debian's; scripts/test.sh installs them.

mod common;
use common::{apk_fixtures, fixture_path, scan, tool};
use std::collections::BTreeSet;

/// `key='value'` pairs from one badging line.
fn quoted(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!("{key}='"))? + key.len() + 2;
    let rest = &line[start..];
    Some(rest[..rest.find('\'')?].to_string())
}

#[test]
fn identity_labels_and_permissions_match_aapt_badging() {
    for name in apk_fixtures() {
        let s = scan(&name);
        let path = fixture_path(&name);
        let badging = tool("aapt", &["dump", "badging", path.to_str().unwrap()]);
        let mut perms_aapt = BTreeSet::new();
        for line in badging.lines() {
            if line.starts_with("package:") {
                assert_eq!(
                    quoted(line, "name").as_deref(),
                    Some(s.package.id.as_str()),
                    "{name}"
                );
                assert_eq!(
                    quoted(line, "versionCode"),
                    s.package.version_code,
                    "{name}"
                );
                assert_eq!(
                    quoted(line, "versionName"),
                    s.package.version_name,
                    "{name}"
                );
            } else if let Some(v) = line.strip_prefix("sdkVersion:") {
                assert_eq!(
                    v.trim_matches('\'').parse::<u32>().ok(),
                    s.package.min_sdk,
                    "{name}"
                );
            } else if let Some(v) = line.strip_prefix("targetSdkVersion:") {
                assert_eq!(
                    v.trim_matches('\'').parse::<u32>().ok(),
                    s.package.target_sdk,
                    "{name}"
                );
            } else if let Some(v) = line.strip_prefix("application-label:") {
                assert_eq!(
                    Some(v.trim_matches('\'')),
                    s.package.label.as_deref(),
                    "{name}"
                );
            } else if let Some(rest) = line.strip_prefix("application-label-") {
                let (locale, v) = rest.split_once(':').unwrap();
                // aapt writes zh-CN as "zh-CN" and plain "zh" as "zh".
                assert_eq!(
                    s.package.labels.get(locale).map(String::as_str),
                    Some(v.trim_matches('\'')),
                    "{name} locale {locale}"
                );
            } else if line.starts_with("uses-permission:")
                || line.starts_with("uses-permission-sdk-23:")
            {
                perms_aapt.insert((
                    quoted(line, "name").unwrap(),
                    quoted(line, "maxSdkVersion").map(|m| m.parse::<u32>().unwrap()),
                    line.starts_with("uses-permission-sdk-23:"),
                ));
            }
        }
        let ours: BTreeSet<_> = s
            .inventory
            .permissions
            .iter()
            .map(|p| (p.name.clone(), p.max_sdk, p.sdk23))
            .collect();
        assert_eq!(ours, perms_aapt, "{name}: permissions differ from aapt");
    }
}

#[test]
fn components_match_aapt_xmltree() {
    for name in apk_fixtures() {
        let s = scan(&name);
        let path = fixture_path(&name);
        let tree = tool(
            "aapt",
            &[
                "dump",
                "xmltree",
                path.to_str().unwrap(),
                "AndroidManifest.xml",
            ],
        );
        let mut theirs = BTreeSet::new();
        let mut pending: Option<String> = None;
        for line in tree.lines() {
            let t = line.trim_start();
            if let Some(el) = t.strip_prefix("E: ") {
                let el = el.split(' ').next().unwrap();
                pending = [
                    "activity",
                    "activity-alias",
                    "service",
                    "receiver",
                    "provider",
                ]
                .contains(&el)
                .then(|| el.to_string());
            } else if let (Some(el), Some(v)) =
                (&pending, t.strip_prefix("A: android:name(0x01010003)=\""))
            {
                let raw = &v[..v.find('"').unwrap()];
                let full = if raw.starts_with('.') {
                    format!("{}{raw}", s.package.id)
                } else if !raw.contains('.') {
                    format!("{}.{raw}", s.package.id)
                } else {
                    raw.to_string()
                };
                theirs.insert((el.clone(), full));
                pending = None;
            }
        }
        let ours: BTreeSet<(String, String)> = s
            .inventory
            .components
            .iter()
            .map(|c| {
                let kind = serde_json::to_value(c.kind)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string();
                (kind, c.name.clone())
            })
            .collect();
        assert_eq!(ours, theirs, "{name}: components differ from aapt xmltree");
    }
}

#[test]
fn class_lists_match_dexdump() {
    let tmp = std::env::temp_dir().join(format!("appvet-crosscheck-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut checked = 0;
    for name in apk_fixtures() {
        let s = scan(&name);
        let data = std::fs::read(fixture_path(&name)).unwrap();
        let archive = appvet_zip::Archive::parse(&data, &Default::default()).unwrap();
        for unit in &s.inventory.code {
            let entry = archive.by_name(&unit.location.entry).unwrap();
            let file = tmp.join(format!("{name}-{}", unit.location.entry));
            std::fs::write(&file, archive.read(entry).unwrap()).unwrap();
            let dump = tool("dexdump", &[file.to_str().unwrap()]);
            let theirs: Vec<String> = dump
                .lines()
                .filter_map(|l| l.trim().strip_prefix("Class descriptor  : '"))
                .map(|d| {
                    d.trim_end_matches('\'')
                        .trim_start_matches('L')
                        .trim_end_matches(';')
                        .replace('/', ".")
                })
                .collect();
            let ours: Vec<String> = unit
                .classes_defined
                .iter()
                .map(|c| c.name.to_string())
                .collect();
            assert_eq!(ours, theirs, "{name}!{}", unit.location.entry);
            checked += 1;
        }
    }
    std::fs::remove_dir_all(&tmp).ok();
    assert!(checked >= 12, "only {checked} dex files checked");
}
