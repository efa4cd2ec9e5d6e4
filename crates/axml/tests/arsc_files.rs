//! resources.arsc built by the real toolchain (tests/data/make.sh), checked field by field.

use appvet_axml::arsc::ResourceTable;
use appvet_axml::{ResValue, Resources};

fn load(name: &str) -> ResourceTable {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let t = ResourceTable::parse(&data).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(t.warnings().is_empty(), "{name}: {:?}", t.warnings());
    t
}

/// The id of `type/key`, searching the ids the fixture can use.
fn id_of(t: &ResourceTable, name: &str) -> u32 {
    (0x7f01_0000u32..0x7f10_0000)
        .filter(|id| id & 0xffff < 0x10)
        .find(|&id| t.name(id).as_deref() == Some(name))
        .unwrap_or_else(|| panic!("{name} not found"))
}

fn s(v: &str) -> ResValue {
    ResValue::String(v.to_string())
}

fn check(t: &ResourceTable) {
    assert_eq!(t.packages(), vec![(0x7f, "org.appvet.fixture".to_string())]);
    let app_name = id_of(t, "string/app_name");
    assert_eq!(
        t.values(app_name),
        vec![
            ("".into(), s("Fixture App")),
            ("zh".into(), s("夹具应用")),
            ("zh-CN".into(), s("夹具应用 CN")),
            ("zh-Hans-CN".into(), s("夹具应用 Hans")),
        ]
    );
    assert_eq!(t.resolve(app_name), Some(s("Fixture App")));
    let greeting = id_of(t, "string/greeting");
    let mut g = t.values(greeting);
    g.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        g,
        vec![
            // default and night: both without a locale
            ("".into(), s("Hello")),
            ("".into(), s("Good evening")),
            ("en-US".into(), s("Howdy")),
            // packed three-character region and language
            ("es-419".into(), s("Hola")),
            ("fil-PH".into(), s("Kumusta")),
        ]
    );
    let alias = id_of(t, "string/alias");
    assert_eq!(
        t.values(alias),
        vec![("".into(), ResValue::Reference(app_name))]
    );
    assert_eq!(t.resolve(alias), Some(s("Fixture App")));
    let long = format!("Ünïcödé-{}-✓", "abcdefghij".repeat(20));
    assert_eq!(
        t.resolve(id_of(t, "string/long_text")),
        Some(ResValue::String(long))
    );
    assert_eq!(t.resolve(id_of(t, "bool/flag")), Some(ResValue::Bool(true)));
    assert_eq!(t.resolve(id_of(t, "integer/count")), Some(ResValue::Int(7)));
    assert_eq!(
        t.resolve(id_of(t, "color/accent")),
        Some(ResValue::Other("#ff112233".into()))
    );
    assert_eq!(
        t.resolve(id_of(t, "dimen/pad")),
        Some(ResValue::Other("4dp".into()))
    );
    assert_eq!(
        t.resolve(id_of(t, "xml/network_security_config")),
        Some(ResValue::File("res/xml/network_security_config.xml".into()))
    );
    assert_eq!(
        t.resolve(id_of(t, "raw/blob")),
        Some(ResValue::File("res/raw/blob.bin".into()))
    );
    assert_eq!(
        t.resolve(id_of(t, "array/planets")),
        Some(ResValue::Other("<bag of 2 item(s)>".into()))
    );
    assert!(matches!(
        t.resolve(id_of(t, "style/AppTheme")),
        Some(ResValue::Other(o)) if o.contains("parent @0x01030224")
    ));
    // Unknown ids: nothing.
    assert!(t.values(0x7f0f_0fff).is_empty());
    assert!(t.values(0x0101_0003).is_empty());
    assert_eq!(t.name(0x7f0f_0fff), None);
    assert_eq!(t.resolve(0x7f0f_0fff), None);
}

#[test]
fn aapt2_table_utf8() {
    check(&load("aapt2_resources.arsc"));
}

#[test]
fn aapt_table_utf8() {
    check(&load("aapt_resources.arsc"));
}

#[test]
fn aapt_table_utf16() {
    check(&load("aapt_utf16_resources.arsc"));
}

#[test]
fn aapt2_sparse_table_matches_dense() {
    let sparse_bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/aapt2_sparse_resources.arsc"
    ))
    .unwrap();
    // The fixture really uses FLAG_SPARSE type chunks (type chunk header: id, flags).
    let has_sparse = sparse_bytes
        .windows(10)
        .any(|w| w[0] == 0x01 && w[1] == 0x02 && w[2] == 84 && w[9] == 0x01);
    assert!(has_sparse, "fixture has no sparse type chunk");
    let sparse = load("aapt2_sparse_resources.arsc");
    check(&sparse);
    let dense = load("aapt2_resources.arsc");
    for id in (0x7f01_0000u32..0x7f0a_0000).filter(|id| id & 0xffff < 8) {
        assert_eq!(sparse.values(id), dense.values(id), "{id:08x}");
        assert_eq!(sparse.name(id), dense.name(id), "{id:08x}");
    }
}
