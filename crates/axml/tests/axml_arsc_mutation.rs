//! Robustness: every committed AXML/arsc input, truncated at many lengths and with bytes
//! flipped at many positions, must parse to Ok or Err without panicking (bounded by count).

mod axml_support;

use appvet_axml::arsc::ResourceTable;
use appvet_axml::{axml, Resources};

fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn exercise_xml(d: &[u8]) -> usize {
    match axml::parse(d) {
        Ok(doc) => {
            // Walk the tree without recursion.
            let mut n = 0;
            let mut stack = vec![&doc.root];
            while let Some(el) = stack.pop() {
                n += 1 + el.attributes.len();
                for a in &el.attributes {
                    let _ = a.value.display();
                }
                stack.extend(el.children.iter());
            }
            n
        }
        Err(e) => e.to_string().len(),
    }
}

fn exercise_table(d: &[u8]) -> usize {
    match ResourceTable::parse(d) {
        Ok(t) => {
            let mut n = t.packages().len() + t.warnings().len();
            for ty in 1..=12u32 {
                for e in 0..6u32 {
                    let id = 0x7f00_0000 | (ty << 16) | e;
                    n += t.values(id).len();
                    n += t.name(id).map_or(0, |s| s.len());
                    let _ = t.resolve(id);
                }
            }
            n
        }
        Err(e) => e.to_string().len(),
    }
}

fn run(name: &str, f: fn(&[u8]) -> usize) {
    let d = data(name);
    let mut runs = 0usize;
    axml_support::mutate(&d, |m| {
        let _ = f(m);
        runs += 1;
    });
    assert!(runs > 3000, "{name}: {runs}");
}

#[test]
fn mutate_aapt2_manifest() {
    run("aapt2_manifest.axml", exercise_xml);
}

#[test]
fn mutate_aapt_utf16_manifest() {
    run("aapt_utf16_manifest.axml", exercise_xml);
}

#[test]
fn mutate_aapt2_res_xml() {
    run("aapt2_nsc.axml", exercise_xml);
    run("aapt_utf16_nsc.axml", exercise_xml);
}

#[test]
fn mutate_tables() {
    for name in [
        "aapt2_resources.arsc",
        "aapt2_sparse_resources.arsc",
        "aapt_resources.arsc",
        "aapt_utf16_resources.arsc",
    ] {
        run(name, exercise_table);
    }
}

#[test]
fn mutated_inputs_still_mostly_parse() {
    // Sanity check that the mutation test reaches deep code: most single-byte flips of a
    // manifest still give a document.
    let d = data("aapt2_manifest.axml");
    let mut ok = 0;
    let mut total = 0;
    axml_support::mutate(&d, |m| {
        total += 1;
        if axml::parse(m).is_ok() {
            ok += 1;
        }
    });
    assert!(ok * 2 > total, "{ok}/{total}");
}

#[test]
fn mutate_synthetic_encodings() {
    use axml_support::*;
    // A table with FLAG_OFFSET16 + compact entries, a sparse chunk and a bag.
    let cfg = config(*b"zh", *b"CN", *b"Hans");
    let mut compact = compact_entry(0, 0x03, 1);
    compact.extend(compact_entry(1, 0x10, 5));
    let o16: Vec<u8> = [le16(0), le16(2)].concat();
    let sparse_off: Vec<u8> = [le16(1), le16(0)].concat();
    let table_bytes = table(
        &["a", "res/xml/b.xml"],
        &[package(
            0x7f,
            "p",
            &["string", "xml"],
            &["k0", "k1"],
            &[
                type_spec(1, 2),
                type_chunk(1, 0x02, 2, &cfg, &o16, &compact),
                type_chunk(2, 0x01, 1, &cfg, &sparse_off, &simple_entry(1, 0x03, 1)),
            ],
        )],
    );
    assert!(!ResourceTable::parse(&table_bytes)
        .unwrap()
        .values(0x7f01_0000)
        .is_empty());
    let mut runs = 0;
    mutate(&table_bytes, |m| {
        let _ = exercise_table(m);
        runs += 1;
    });
    // An XML document with attributeStart/attributeSize and header-size tricks.
    let layout = ElLayout {
        extra_header: 8,
        attr_start: 28,
        attr_size: 24,
    };
    let doc = xml(&[
        pool(&["m", "a", "v", "x"], false),
        resmap(&[0x0101_0003]),
        start_el_with(
            NONE,
            0,
            &[Attr::string(NONE, 1, 2), Attr::typed(NONE, 3, 0x12, 1)],
            1,
            layout,
        ),
        start_el(NONE, 3, &[], 2),
        end_el(NONE, 3),
        end_el(NONE, 0),
    ]);
    assert_eq!(axml::parse(&doc).unwrap().root.attributes.len(), 2);
    mutate(&doc, |m| {
        let _ = exercise_xml(m);
        runs += 1;
    });
    assert!(runs > 6000);
}
