//! Hand-made resource tables: encodings the Debian aapt2 cannot emit (FLAG_OFFSET16, compact
//! entries) and damage hostile packages carry.

mod axml_support;

use appvet_axml::arsc::ResourceTable;
use appvet_axml::{Error, ResValue, Resources};
use axml_support::*;

const NO: [u8; 4] = [0; 4];

fn default_config() -> Vec<u8> {
    config([0, 0], [0, 0], NO)
}

fn s(v: &str) -> ResValue {
    ResValue::String(v.to_string())
}

fn parse(data: &[u8]) -> ResourceTable {
    ResourceTable::parse(data).unwrap_or_else(|e| panic!("{e}"))
}

/// values: 0 "Hi" 1 "res/xml/a.xml" 2 "Bonjour" 3 "你好"; types: 1 string, 2 xml;
/// keys: 0 hello 1 cfg 2 unused.
fn table_with(string_chunks: Vec<Vec<u8>>) -> Vec<u8> {
    let mut chunks = vec![type_spec(1, 3)];
    chunks.extend(string_chunks);
    chunks.push(type_spec(2, 1));
    let offsets: Vec<u8> = le32(0).to_vec();
    chunks.push(type_chunk(
        2,
        0,
        1,
        &default_config(),
        &offsets,
        &simple_entry(1, 0x03, 1),
    ));
    table(
        &["Hi", "res/xml/a.xml", "Bonjour", "你好"],
        &[package(
            0x7f,
            "org.example",
            &["string", "xml"],
            &["hello", "cfg", "unused"],
            &chunks,
        )],
    )
}

#[test]
fn dense_offsets_and_locales() {
    let mut entries = simple_entry(0, 0x03, 0);
    entries.extend(simple_entry(2, 0x12, 1));
    let offsets: Vec<u8> = [le32(0), le32(NONE), le32(16)].concat();
    let fr = {
        let e = simple_entry(0, 0x03, 2);
        type_chunk(1, 0, 1, &config(*b"fr", *b"CA", NO), &le32(0), &e)
    };
    // Packed three-letter language "fil", packed region "419", and a script.
    let fil = type_chunk(
        1,
        0,
        1,
        &config([0xad, 0x05], [0xa4, 0x24], NO),
        &le32(0),
        &simple_entry(0, 0x03, 2),
    );
    let hans = type_chunk(
        1,
        0,
        1,
        &config(*b"zh", *b"CN", *b"Hans"),
        &le32(0),
        &simple_entry(0, 0x03, 3),
    );
    let data = table_with(vec![
        type_chunk(1, 0, 3, &default_config(), &offsets, &entries),
        fr,
        fil,
        hans,
    ]);
    let t = parse(&data);
    assert!(t.warnings().is_empty(), "{:?}", t.warnings());
    assert_eq!(t.packages(), vec![(0x7f, "org.example".to_string())]);
    assert_eq!(
        t.values(0x7f01_0000),
        vec![
            ("".into(), s("Hi")),
            ("fr-CA".into(), s("Bonjour")),
            ("fil-419".into(), s("Bonjour")),
            ("zh-Hans-CN".into(), s("你好")),
        ]
    );
    assert!(t.values(0x7f01_0001).is_empty());
    assert_eq!(
        t.values(0x7f01_0002),
        vec![("".into(), ResValue::Bool(true))]
    );
    assert_eq!(t.name(0x7f01_0002).as_deref(), Some("string/unused"));
    assert_eq!(t.name(0x7f02_0000).as_deref(), Some("xml/cfg"));
    assert_eq!(
        t.resolve(0x7f02_0000),
        Some(ResValue::File("res/xml/a.xml".into()))
    );
}

#[test]
fn offset16_and_compact_entries() {
    // FLAG_OFFSET16: u16 offsets in units of 4 bytes, 0xffff = none; compact 8-byte entries.
    let mut entries = compact_entry(0, 0x03, 2);
    entries.extend(compact_entry(2, 0x10, 0xffff_fff9));
    let offsets: Vec<u8> = [le16(0), le16(0xffff), le16(2), le16(0xffff)].concat();
    let data = table_with(vec![type_chunk(
        1,
        0x02,
        4,
        &default_config(),
        &offsets,
        &entries,
    )]);
    let t = parse(&data);
    assert!(t.warnings().is_empty(), "{:?}", t.warnings());
    assert_eq!(t.values(0x7f01_0000), vec![("".into(), s("Bonjour"))]);
    assert!(t.values(0x7f01_0001).is_empty());
    assert_eq!(t.values(0x7f01_0002), vec![("".into(), ResValue::Int(-7))]);
    assert_eq!(t.name(0x7f01_0002).as_deref(), Some("string/unused"));
}

#[test]
fn sparse_entries() {
    // FLAG_SPARSE: (entry index u16, offset/4 u16) pairs.
    let mut entries = simple_entry(2, 0x11, 0x1f);
    entries.extend(simple_entry(0, 0x01, 0x7f01_0002));
    let offsets: Vec<u8> = [le16(2), le16(0), le16(0), le16(4)].concat();
    let data = table_with(vec![type_chunk(
        1,
        0x01,
        2,
        &default_config(),
        &offsets,
        &entries,
    )]);
    let t = parse(&data);
    assert!(t.warnings().is_empty(), "{:?}", t.warnings());
    assert_eq!(
        t.values(0x7f01_0002),
        vec![("".into(), ResValue::Int(0x1f))]
    );
    assert_eq!(
        t.values(0x7f01_0000),
        vec![("".into(), ResValue::Reference(0x7f01_0002))]
    );
    assert_eq!(t.resolve(0x7f01_0000), Some(ResValue::Int(0x1f)));
}

#[test]
fn reference_loops_terminate() {
    let mut entries = simple_entry(0, 0x01, 0x7f01_0001);
    entries.extend(simple_entry(1, 0x01, 0x7f01_0000));
    let offsets: Vec<u8> = [le32(0), le32(16)].concat();
    let data = table_with(vec![type_chunk(
        1,
        0,
        2,
        &default_config(),
        &offsets,
        &entries,
    )]);
    let t = parse(&data);
    assert_eq!(t.resolve(0x7f01_0000), None);
}

#[test]
fn damaged_entries_are_dropped_with_warnings() {
    // Entry 1 points far outside the chunk; the count claims a million entries.
    let entries = simple_entry(0, 0x03, 0);
    let offsets: Vec<u8> = [le32(0), le32(0x00ff_0000)].concat();
    let data = table_with(vec![type_chunk(
        1,
        0,
        1_000_000,
        &default_config(),
        &offsets,
        &entries,
    )]);
    let t = parse(&data);
    assert_eq!(t.values(0x7f01_0000), vec![("".into(), s("Hi"))]);
    assert!(t.values(0x7f01_0001).is_empty());
    let w = t.warnings().join("\n");
    assert!(w.contains("capped"), "{w}");
    assert!(w.contains("out of bounds"), "{w}");
    // A string index outside the pool gives an empty string, not a panic.
    let data = table_with(vec![type_chunk(
        1,
        0,
        1,
        &default_config(),
        &le32(0),
        &simple_entry(0, 0x03, 999),
    )]);
    assert_eq!(parse(&data).values(0x7f01_0000), vec![("".into(), s(""))]);
}

#[test]
fn not_a_table() {
    assert!(matches!(
        ResourceTable::parse(&[2, 0, 12]),
        Err(Error::Truncated(_))
    ));
    let mut data = table_with(vec![]);
    set_u16(&mut data, 0, 0x0003);
    assert!(matches!(
        ResourceTable::parse(&data),
        Err(Error::Malformed(_))
    ));
}

#[test]
fn oversized_and_trailing() {
    let mut data = table_with(vec![type_chunk(
        1,
        0,
        1,
        &default_config(),
        &le32(0),
        &simple_entry(0, 0x03, 0),
    )]);
    set_u32(&mut data, 4, 0x7fff_ffff);
    let t = parse(&data);
    assert_eq!(t.resolve(0x7f01_0000), Some(s("Hi")));
    assert!(t.warnings().iter().any(|w| w.contains("clamped")));

    let mut data = table_with(vec![type_chunk(
        1,
        0,
        1,
        &default_config(),
        &le32(0),
        &simple_entry(0, 0x03, 0),
    )]);
    data.extend([9, 9, 9]);
    let t = parse(&data);
    assert_eq!(t.resolve(0x7f01_0000), Some(s("Hi")));
    assert!(t.warnings().iter().any(|w| w.contains("trailing")));
}

#[test]
fn complex_entries() {
    let mut bag = Vec::new();
    bag.extend(le16(16));
    bag.extend(le16(0x0001));
    bag.extend(le32(0));
    bag.extend(le32(0x0103_0224));
    bag.extend(le32(1));
    bag.extend(le32(0x0101_0435));
    bag.extend(le16(8));
    bag.push(0);
    bag.push(0x1c);
    bag.extend(le32(0xff00_00ff));
    let data = table_with(vec![type_chunk(1, 0, 1, &default_config(), &le32(0), &bag)]);
    let t = parse(&data);
    assert_eq!(
        t.values(0x7f01_0000),
        vec![(
            "".into(),
            ResValue::Other("<bag of 1 item(s), parent @0x01030224>".into())
        )]
    );
}

#[test]
fn two_packages() {
    let p1 = package(
        0x7f,
        "app",
        &["string"],
        &["a"],
        &[type_chunk(
            1,
            0,
            1,
            &default_config(),
            &le32(0),
            &simple_entry(0, 0x03, 0),
        )],
    );
    let p2 = package(
        0x02,
        "lib",
        &["bool"],
        &["b"],
        &[type_chunk(
            1,
            0,
            1,
            &default_config(),
            &le32(0),
            &simple_entry(0, 0x12, 0),
        )],
    );
    let t = parse(&table(&["x"], &[p1, p2]));
    assert!(t.warnings().is_empty(), "{:?}", t.warnings());
    assert_eq!(
        t.packages(),
        vec![(0x7f, "app".into()), (0x02, "lib".into())]
    );
    assert_eq!(t.resolve(0x7f01_0000), Some(s("x")));
    assert_eq!(t.resolve(0x0201_0000), Some(ResValue::Bool(false)));
    assert_eq!(t.name(0x0201_0000).as_deref(), Some("bool/b"));
}
