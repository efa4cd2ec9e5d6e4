//! Binary XML built by the real toolchain (tests/data/make.sh), checked field by field.

use appvet_axml::axml::{self, Document};
use appvet_axml::{AttrValue, XmlElement};

const ANDROID: &str = "http://schemas.android.com/apk/res/android";

fn load(name: &str) -> Document {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    axml::parse(&data).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn child<'a>(el: &'a XmlElement, name: &'a str) -> &'a XmlElement {
    el.children_named(name)
        .next()
        .unwrap_or_else(|| panic!("no <{name}> under <{}>", el.name))
}

fn check_manifest(doc: &Document, utf16_tool: &str) {
    assert!(doc.warnings.is_empty(), "{utf16_tool}: {:?}", doc.warnings);
    let m = &doc.root;
    assert_eq!(m.name, "manifest");
    assert_eq!(m.namespace, "");
    assert_eq!(m.line, Some(2));
    assert_eq!(
        m.plain_attr("package"),
        Some(&AttrValue::String("org.appvet.fixture".into()))
    );
    assert_eq!(
        m.attr(0x0101_021b, "versionCode"),
        Some(&AttrValue::Int(42))
    );
    assert_eq!(
        m.attr(0x0101_021c, "versionName"),
        Some(&AttrValue::String("1.2.3-beta".into()))
    );
    let vc = m
        .attributes
        .iter()
        .find(|a| a.name == "versionCode")
        .expect("versionCode");
    assert_eq!(vc.namespace, ANDROID);
    assert_eq!(vc.resource_id, Some(0x0101_021b));
    let pkg = m.attributes.iter().find(|a| a.name == "package").unwrap();
    assert_eq!(pkg.namespace, "");
    assert_eq!(pkg.resource_id, None);

    let sdk = child(m, "uses-sdk");
    assert_eq!(sdk.line, Some(7));
    assert_eq!(
        sdk.attr(0x0101_020c, "minSdkVersion"),
        Some(&AttrValue::Int(21))
    );
    assert_eq!(
        sdk.attr(0x0101_0270, "targetSdkVersion"),
        Some(&AttrValue::Int(33))
    );

    let perms: Vec<String> = m
        .children_named("uses-permission")
        .map(|p| p.attr(0x0101_0003, "name").unwrap().display())
        .collect();
    assert_eq!(
        perms,
        ["android.permission.INTERNET", "android.permission.CAMERA"]
    );
    let camera = m.children_named("uses-permission").nth(1).unwrap();
    assert_eq!(
        camera.attr(0x0101_0271, "maxSdkVersion"),
        Some(&AttrValue::Int(28))
    );
    let feat = child(m, "uses-feature");
    assert_eq!(
        feat.attr(0x0101_028e, "required"),
        Some(&AttrValue::Bool(false))
    );

    let app = child(m, "application");
    assert_eq!(app.line, Some(11));
    // @string/app_name: the first string resource; ids differ between aapt and aapt2.
    let label = app.attr(0x0101_0001, "label").unwrap();
    assert!(
        matches!(label, AttrValue::Reference(r) if r >> 16 == 0x7f07 || r >> 16 == 0x7f04),
        "{label:?}"
    );
    assert_eq!(
        app.attr(0x0101_0280, "allowBackup"),
        Some(&AttrValue::Bool(false))
    );
    assert_eq!(
        app.attr(0x0101_000f, "debuggable"),
        Some(&AttrValue::Bool(true))
    );
    assert_eq!(
        app.attr(0x0101_04ec, "usesCleartextTraffic"),
        Some(&AttrValue::Bool(true))
    );
    assert!(matches!(
        app.attr(0x0101_0527, "networkSecurityConfig"),
        Some(AttrValue::Reference(r)) if r >> 24 == 0x7f
    ));
    assert_eq!(
        app.attr(0x0101_0000, "theme"),
        Some(&AttrValue::Reference(0x0103_0224))
    );
    let marker = app.attributes.iter().find(|a| a.name == "marker").unwrap();
    assert_eq!(marker.namespace, "http://example.com/tools");
    assert_eq!(marker.value, AttrValue::String("plain-ns-attr".into()));

    let act = child(app, "activity");
    assert_eq!(
        act.attr(0x0101_0003, "name"),
        Some(&AttrValue::String(".MainActivity".into()))
    );
    assert_eq!(
        act.attr(0x0101_0010, "exported"),
        Some(&AttrValue::Bool(true))
    );
    assert_eq!(
        act.attr(0x0101_001e, "screenOrientation"),
        Some(&AttrValue::Int(1))
    );
    assert_eq!(
        act.attr(0x0101_001f, "configChanges"),
        Some(&AttrValue::Int(0xa0))
    );
    let filter = child(act, "intent-filter");
    assert_eq!(
        filter.attr(0x0101_001c, "priority"),
        Some(&AttrValue::Int(-5))
    );
    assert_eq!(
        child(filter, "action").attr(0x0101_0003, "name"),
        Some(&AttrValue::String("android.intent.action.MAIN".into()))
    );
    assert_eq!(
        child(filter, "category").attr(0x0101_0003, "name"),
        Some(&AttrValue::String(
            "android.intent.category.LAUNCHER".into()
        ))
    );
    let svc = child(app, "service");
    assert_eq!(
        svc.attr(0x0101_0010, "exported"),
        Some(&AttrValue::Bool(false))
    );
    assert_eq!(
        svc.attr(0x0101_0006, "permission"),
        Some(&AttrValue::String(
            "android.permission.BIND_JOB_SERVICE".into()
        ))
    );

    let meta: Vec<(String, AttrValue)> = app
        .children_named("meta-data")
        .map(|md| {
            let name = md.attr(0x0101_0003, "name").unwrap().display();
            let v = md
                .attr(0x0101_0024, "value")
                .or_else(|| md.attr(0x0101_0025, "resource"))
                .unwrap()
                .clone();
            (name, v)
        })
        .collect();
    assert_eq!(meta.len(), 6);
    assert_eq!(meta[0], ("com.example.ratio".into(), AttrValue::Float(1.5)));
    // aapt keeps "16dp" as a string for android:value (its format allows strings).
    assert_eq!(
        meta[1],
        ("com.example.size".into(), AttrValue::String("16dp".into()))
    );
    assert_eq!(
        meta[2],
        (
            "com.example.color".into(),
            AttrValue::Other("#ff00ff00".into())
        )
    );
    assert_eq!(meta[3], ("com.example.hex".into(), AttrValue::Int(0x1f)));
    assert!(matches!(meta[4].1, AttrValue::Reference(r) if r >> 24 == 0x7f));
    assert_eq!(
        meta[5],
        (
            "com.example.text".into(),
            AttrValue::String("héllo wörld ✓".into())
        )
    );
}

#[test]
fn aapt2_manifest_utf16_pool() {
    check_manifest(&load("aapt2_manifest.axml"), "aapt2");
}

#[test]
fn aapt_manifest_utf16_pool() {
    check_manifest(&load("aapt_utf16_manifest.axml"), "aapt");
}

#[test]
fn aapt2_res_xml_utf8_pool() {
    check_nsc(&load("aapt2_nsc.axml"));
}

#[test]
fn aapt_res_xml_utf16_pool() {
    check_nsc(&load("aapt_utf16_nsc.axml"));
}

fn check_nsc(doc: &Document) {
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    let r = &doc.root;
    assert_eq!(r.name, "network-security-config");
    assert!(r.attributes.is_empty());
    let base = child(r, "base-config");
    assert_eq!(
        base.plain_attr("cleartextTrafficPermitted"),
        Some(&AttrValue::Bool(true))
    );
    let anchors = child(base, "trust-anchors");
    let srcs: Vec<String> = anchors
        .children_named("certificates")
        .map(|c| c.plain_attr("src").unwrap().display())
        .collect();
    assert_eq!(srcs, ["system", "user"]);
    let dc = child(r, "domain-config");
    assert_eq!(dc.line, Some(9));
    assert_eq!(
        dc.plain_attr("cleartextTrafficPermitted"),
        Some(&AttrValue::Bool(false))
    );
    // > 127 characters and bytes: two-byte length prefixes in a UTF-8 pool.
    let long = format!("Ünïcödé-{}-✓", "abcdefghij".repeat(20));
    assert_eq!(dc.plain_attr("note"), Some(&AttrValue::String(long)));
    let domain = child(dc, "domain");
    assert_eq!(
        domain.plain_attr("includeSubdomains"),
        Some(&AttrValue::Bool(true))
    );
    assert!(domain.children.is_empty(), "CDATA is not an element");
}
