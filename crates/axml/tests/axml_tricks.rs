//! Hand-made binary XML reproducing what hardened/obfuscated packages do.

mod axml_support;

use appvet_axml::axml::{self, Document};
use appvet_axml::{AttrValue, Error};
use axml_support::*;

const ANDROID: &str = "http://schemas.android.com/apk/res/android";

/// Strings: 0 "name" 1 "label" 2 android ns 3 "manifest" 4 "package" 5 "org.example"
/// 6 "application" 7 "Hello" 8 "android".
const STRINGS: [&str; 9] = [
    "name",
    "label",
    ANDROID,
    "manifest",
    "package",
    "org.example",
    "application",
    "Hello",
    "android",
];

fn base_doc(utf8: bool, layout: ElLayout) -> Vec<u8> {
    xml(&[
        pool(&STRINGS, utf8),
        resmap(&[0x0101_0003, 0x0101_0001]),
        start_ns(8, 2),
        start_el_with(
            NONE,
            3,
            &[Attr::string(NONE, 4, 5), Attr::typed(2, 1, 0x10, 7)],
            2,
            layout,
        ),
        start_el(NONE, 6, &[Attr::string(2, 0, 7)], 3),
        end_el(NONE, 6),
        end_el(NONE, 3),
        end_ns(8, 2),
    ])
}

fn parse_ok(data: &[u8]) -> Document {
    axml::parse(data).unwrap_or_else(|e| panic!("{e}"))
}

fn check_base(doc: &Document) {
    let m = &doc.root;
    assert_eq!(m.name, "manifest");
    assert_eq!(m.line, Some(2));
    assert_eq!(
        m.plain_attr("package"),
        Some(&AttrValue::String("org.example".into()))
    );
    assert_eq!(m.attr(0x0101_0001, "label"), Some(&AttrValue::Int(7)));
    let app = &m.children[0];
    assert_eq!(app.name, "application");
    assert_eq!(
        app.attr(0x0101_0003, "name"),
        Some(&AttrValue::String("Hello".into()))
    );
    assert_eq!(app.attributes[0].namespace, ANDROID);
}

#[test]
fn plain_documents_utf8_and_utf16() {
    for utf8 in [true, false] {
        let doc = parse_ok(&base_doc(utf8, ElLayout::default()));
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
        check_base(&doc);
    }
}

#[test]
fn attribute_start_and_size_are_honoured() {
    // Attributes start 12 bytes after the standard place and are 28 bytes apart: readers
    // that assume 20/20 read garbage; Android reads the right values.
    let layout = ElLayout {
        extra_header: 0,
        attr_start: 32,
        attr_size: 28,
    };
    let doc = parse_ok(&base_doc(true, layout));
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    check_base(&doc);
}

#[test]
fn node_header_size_larger_than_16() {
    // header_size 16+12: the attrExt is found via header_size.
    let layout = ElLayout {
        extra_header: 12,
        ..ElLayout::default()
    };
    let doc = parse_ok(&base_doc(false, layout));
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    check_base(&doc);
}

#[test]
fn pool_and_document_header_sizes_larger_than_standard() {
    let mut p = pool(&STRINGS, true);
    // Grow the pool header from 28 to 36 bytes: offsets are found via header_size.
    p.splice(28..28, [0xaa; 8]);
    set_u16(&mut p, 2, 36);
    let size = p.len() as u32;
    set_u32(&mut p, 4, size);
    let strings_start = u32::from_le_bytes(p[20..24].try_into().unwrap()) + 8;
    set_u32(&mut p, 20, strings_start);
    let body = [
        p,
        resmap(&[0x0101_0003, 0x0101_0001]),
        start_el(
            NONE,
            3,
            &[Attr::string(NONE, 4, 5), Attr::typed(2, 1, 0x10, 7)],
            2,
        ),
        start_el(NONE, 6, &[Attr::string(2, 0, 7)], 3),
        end_el(NONE, 6),
        end_el(NONE, 3),
    ]
    .concat();
    // Document header of 16 bytes instead of 8.
    let data = chunk(0x0003, &[0x55; 8], &body);
    let doc = parse_ok(&data);
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    check_base(&doc);
}

#[test]
fn attribute_name_index_out_of_range_keeps_resource_id() {
    // Resource map longer than the pool: attribute name index 10 has no string but an id.
    let mut ids = vec![0u32; 11];
    ids[0] = 0x0101_0003;
    ids[10] = 0x0101_0001;
    let data = xml(&[
        pool(&STRINGS, false),
        resmap(&ids),
        start_el(
            NONE,
            3,
            &[Attr::typed(2, 10, 0x12, 1), Attr::typed(2, 99, 0x10, 5)],
            1,
        ),
        end_el(NONE, 3),
    ]);
    let doc = parse_ok(&data);
    let a = &doc.root.attributes[0];
    assert_eq!(a.name, "");
    assert_eq!(a.resource_id, Some(0x0101_0001));
    assert_eq!(
        doc.root.attr(0x0101_0001, "label"),
        Some(&AttrValue::Bool(true))
    );
    // Index 99: neither a name nor an id; kept, nameless, and reported.
    assert_eq!(doc.root.attributes[1].name, "");
    assert_eq!(doc.root.attributes[1].resource_id, None);
    assert!(
        doc.warnings.iter().any(|w| w.contains("name index 99")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn resource_map_shorter_than_attribute_names() {
    // Only "name" (index 0) has an id; "label" (index 1) is found by name.
    let data = xml(&[
        pool(&STRINGS, true),
        resmap(&[0x0101_0003]),
        start_el(
            NONE,
            3,
            &[Attr::string(2, 0, 7), Attr::typed(2, 1, 0x10, 3)],
            1,
        ),
        end_el(NONE, 3),
    ]);
    let doc = parse_ok(&data);
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    assert_eq!(doc.root.attributes[0].resource_id, Some(0x0101_0003));
    assert_eq!(doc.root.attributes[1].resource_id, None);
    assert_eq!(
        doc.root.attr(0x0101_0001, "label"),
        Some(&AttrValue::Int(3))
    );
}

#[test]
fn trailing_garbage_after_last_chunk() {
    let mut data = base_doc(true, ElLayout::default());
    data.extend([0x13, 0x37, 0xde, 0xad, 0xbe]);
    let doc = parse_ok(&data);
    check_base(&doc);
    assert!(
        doc.warnings.iter().any(|w| w.contains("trailing")),
        "{:?}",
        doc.warnings
    );

    // Garbage inside the document chunk, after the last node.
    let mut inner = base_doc(true, ElLayout::default());
    inner.extend([1, 2, 3]);
    let n = inner.len() as u32;
    set_u32(&mut inner, 4, n);
    let doc = parse_ok(&inner);
    check_base(&doc);
    assert!(!doc.warnings.is_empty());
}

#[test]
fn wrong_top_level_types_and_short_files() {
    assert!(matches!(axml::parse(&[]), Err(Error::Truncated(_))));
    assert!(matches!(
        axml::parse(&[3, 0, 8, 0, 8, 0, 0]),
        Err(Error::Truncated(_))
    ));
    let mut table = base_doc(true, ElLayout::default());
    set_u16(&mut table, 0, 0x0002);
    assert!(matches!(axml::parse(&table), Err(Error::Malformed(_))));
    let text = b"<?xml version=\"1.0\"?><manifest/>";
    let e = axml::parse(text).unwrap_err().to_string();
    assert!(e.contains("plain-text"), "{e}");
    // A document without any element.
    let empty = xml(&[pool(&STRINGS, true)]);
    assert!(matches!(axml::parse(&empty), Err(Error::Malformed(_))));
}

#[test]
fn falsified_document_type_with_a_pool_is_read_like_android() {
    let mut data = base_doc(true, ElLayout::default());
    set_u16(&mut data, 0, 0x0000);
    let doc = parse_ok(&data);
    check_base(&doc);
    assert!(doc.warnings.iter().any(|w| w.contains("not RES_XML_TYPE")));
}

#[test]
fn oversized_sizes_are_clamped() {
    // Document size beyond the file.
    let mut data = base_doc(false, ElLayout::default());
    set_u32(&mut data, 4, 0x7fff_ffff);
    let doc = parse_ok(&data);
    check_base(&doc);
    assert!(
        doc.warnings.iter().any(|w| w.contains("clamped")),
        "{:?}",
        doc.warnings
    );

    // String pool size beyond the file: it swallows the nodes, as Android would too, so there
    // is no document; this must be a clean error.
    let mut data = base_doc(false, ElLayout::default());
    set_u32(&mut data, 8 + 4, 0x00ff_ffff);
    assert!(axml::parse(&data).is_err());

    // String count beyond what the pool holds: capped, present strings still usable.
    let mut data = base_doc(true, ElLayout::default());
    set_u32(&mut data, 8 + 8, 0x4000_0000);
    let doc = parse_ok(&data);
    assert_eq!(doc.root.name, "manifest");
    assert!(
        doc.warnings.iter().any(|w| w.contains("capped")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn unknown_chunks_are_skipped() {
    let junk = chunk(0x7777, &[], &[0u8; 12]);
    let data = xml(&[
        junk.clone(),
        pool(&STRINGS, true),
        junk.clone(),
        resmap(&[0x0101_0003, 0x0101_0001]),
        start_el(
            NONE,
            3,
            &[Attr::string(NONE, 4, 5), Attr::typed(2, 1, 0x10, 7)],
            2,
        ),
        junk.clone(),
        cdata(7),
        start_el(NONE, 6, &[Attr::string(2, 0, 7)], 3),
        end_el(NONE, 6),
        end_el(NONE, 3),
        junk,
    ]);
    let doc = parse_ok(&data);
    check_base(&doc);
    assert_eq!(
        doc.warnings.iter().filter(|w| w.contains("0x7777")).count(),
        4
    );
}

#[test]
fn string_value_prefers_raw_then_data() {
    let mut a = Attr::string(NONE, 4, 5);
    a.raw = NONE; // no raw value: the typed value's index
    let mut b = Attr::string(NONE, 1, 5);
    b.raw = 7; // raw value and data disagree: the raw string wins
    let mut c = Attr::string(NONE, 0, 500);
    c.raw = NONE; // neither is a string: "" and a warning
    let data = xml(&[
        pool(&STRINGS, true),
        start_el(NONE, 3, &[a, b, c], 1),
        end_el(NONE, 3),
    ]);
    let doc = parse_ok(&data);
    let v: Vec<&AttrValue> = doc.root.attributes.iter().map(|a| &a.value).collect();
    assert_eq!(
        v,
        [
            &AttrValue::String("org.example".into()),
            &AttrValue::String("Hello".into()),
            &AttrValue::String(String::new()),
        ]
    );
    assert!(
        doc.warnings.iter().any(|w| w.contains("500")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn typed_values_render() {
    let attrs = [
        Attr::typed(NONE, 0, 0x05, 0x0000_1001), // 16dp
        Attr::typed(NONE, 0, 0x06, 0x4000_0030), // 0.5 (mantissa 2^22, radix 0p23) → 50%
        Attr::typed(NONE, 0, 0x1d, 0x00ab_cdef),
        Attr::typed(NONE, 0, 0x02, 0x0101_0099),
        Attr::typed(NONE, 0, 0x11, 0xffff_ffff),
        Attr::typed(NONE, 0, 0x10, 0xffff_ffff),
        Attr::typed(NONE, 0, 0x04, 0.25f32.to_bits()),
        Attr::typed(NONE, 0, 0x00, 0),
        Attr::typed(NONE, 0, 0x63, 0x1234),
    ];
    let data = xml(&[
        pool(&STRINGS, true),
        start_el(NONE, 3, &attrs, 1),
        end_el(NONE, 3),
    ]);
    let doc = parse_ok(&data);
    let v: Vec<AttrValue> = doc
        .root
        .attributes
        .iter()
        .map(|a| a.value.clone())
        .collect();
    assert_eq!(v[0], AttrValue::Other("16dp".into()));
    assert_eq!(v[1], AttrValue::Other("50%".into()));
    assert_eq!(v[2], AttrValue::Other("#abcdef".into()));
    assert_eq!(v[3], AttrValue::Attribute(0x0101_0099));
    assert_eq!(v[4], AttrValue::Int(0xffff_ffff));
    assert_eq!(v[5], AttrValue::Int(-1));
    assert_eq!(v[6], AttrValue::Float(0.25));
    assert_eq!(v[7], AttrValue::Other("@null".into()));
    assert_eq!(v[8], AttrValue::Other("(type 0x63)0x00001234".into()));
}

#[test]
fn long_strings_use_two_unit_lengths() {
    let long16 = "x".repeat(40_000);
    let long8 = "é".repeat(300);
    for utf8 in [false, true] {
        let s: &str = if utf8 { &long8 } else { &long16 };
        let data = xml(&[
            pool(&["root", "v", s], utf8),
            start_el(NONE, 0, &[Attr::string(NONE, 1, 2)], 1),
            end_el(NONE, 0),
        ]);
        let doc = parse_ok(&data);
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
        assert_eq!(
            doc.root.plain_attr("v"),
            Some(&AttrValue::String(s.to_string()))
        );
    }
}

#[test]
fn strings_out_of_bounds_become_empty_with_a_warning() {
    let mut p = pool(&["root", "v", "value"], true);
    // Point string 2 past the end of the pool.
    set_u32(&mut p, 28 + 8, 0x0010_0000);
    let data = xml(&[
        p,
        start_el(NONE, 0, &[Attr::string(NONE, 1, 2)], 1),
        end_el(NONE, 0),
    ]);
    let doc = parse_ok(&data);
    assert_eq!(
        doc.root.plain_attr("v"),
        Some(&AttrValue::String(String::new()))
    );
    assert!(
        doc.warnings.iter().any(|w| w.contains("out of bounds")),
        "{:?}",
        doc.warnings
    );

    // A UTF-8 length running past the pool.
    let mut p = pool(&["root", "v", "value"], true);
    let strings_start = u32::from_le_bytes(p[20..24].try_into().unwrap()) as usize;
    let off2 = u32::from_le_bytes(p[36..40].try_into().unwrap()) as usize;
    // The UTF-8 byte length of string 2 ("value"): 127, past the end of the pool.
    p[strings_start + off2 + 1] = 0x7f;
    let data = xml(&[
        p,
        start_el(NONE, 0, &[Attr::string(NONE, 1, 2)], 1),
        end_el(NONE, 0),
    ]);
    let doc = parse_ok(&data);
    assert_eq!(
        doc.root.plain_attr("v"),
        Some(&AttrValue::String(String::new()))
    );
}

#[test]
fn unbalanced_elements_are_repaired() {
    // Missing end for <application>, then an end with no start, then a second root.
    let data = xml(&[
        pool(&STRINGS, true),
        start_el(NONE, 3, &[], 1),
        start_el(NONE, 6, &[], 2),
        end_el(NONE, 3),
        end_el(NONE, 3),
        end_el(NONE, 3),
        start_el(NONE, 6, &[], 9),
    ]);
    let doc = parse_ok(&data);
    assert_eq!(doc.root.name, "manifest");
    assert_eq!(doc.root.children.len(), 1);
    assert!(doc.warnings.len() >= 3, "{:?}", doc.warnings);
}

#[test]
fn deep_nesting_is_capped_without_recursion() {
    let depth = 5000;
    let mut chunks = vec![pool(&STRINGS, true)];
    for i in 0..depth {
        chunks.push(start_el(NONE, 6, &[], i));
    }
    for _ in 0..depth {
        chunks.push(end_el(NONE, 6));
    }
    let doc = parse_ok(&xml(&chunks));
    let mut d = 1;
    let mut el = &doc.root;
    while let Some(c) = el.children.first() {
        el = c;
        d += 1;
    }
    assert!((1000..=1025).contains(&d), "{d}");
    assert!(
        doc.warnings.iter().any(|w| w.contains("deeper")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn zero_attribute_size_cannot_amplify() {
    // 65535 attributes all read from the same 20 bytes, repeated over many elements.
    let layout = ElLayout {
        extra_header: 0,
        attr_start: 20,
        attr_size: 0,
    };
    let one = start_el_with(NONE, 6, &[Attr::string(NONE, 1, 7)], 1, layout);
    let mut el = one.clone();
    // Declare 65535 attributes.
    set_u16(&mut el, 16 + 12, 0xffff);
    let mut chunks = vec![pool(&STRINGS, true), start_el(NONE, 3, &[], 1)];
    for _ in 0..200 {
        chunks.push(el.clone());
        chunks.push(end_el(NONE, 6));
    }
    chunks.push(end_el(NONE, 3));
    let data = xml(&chunks);
    let doc = parse_ok(&data);
    let total: usize = doc.root.children.iter().map(|c| c.attributes.len()).sum();
    assert!(
        total <= data.len(),
        "{total} attributes from {} bytes",
        data.len()
    );
}
