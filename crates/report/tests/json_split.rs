//! `render_json_mut` writes a large code inventory in pairs of units on two threads; the bytes
//! must be those `render_json` writes.

mod common;

use appvet_policy::Lang;
use appvet_report::{render_json, render_json_mut, SPLIT_CODE_ABOVE};

fn render(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    f(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_large_code_inventory_written_in_pairs_equals_the_plain_rendering() {
    let mut report = common::full_report("android/multidex.apk", "mandated");
    let inv = report.inventory.as_mut().expect("inventory kept");
    let units = inv.code.clone();
    assert!(units.len() >= 2, "multidex.apk has several DEX files");
    // Repeat the units until the inventory is over the threshold, with an odd count (the last
    // pair has one unit).
    while inv.code_item_count() <= SPLIT_CODE_ABOVE || inv.code.len().is_multiple_of(2) {
        let next = units[inv.code.len() % units.len()].clone();
        inv.code.push(next);
    }
    let count = inv.code.len();

    let plain = render(|out| render_json(&report, Lang::Zh, out));
    let split = render(|out| render_json_mut(&mut report, Lang::Zh, out));
    assert!(plain.len() > 1 << 20, "{} bytes", plain.len());
    assert!(plain == split, "the split rendering differs");
    // The code list is back in the report.
    assert_eq!(report.inventory.as_ref().map(|i| i.code.len()), Some(count));

    // And the document reads back as JSON with every unit.
    let v: serde_json::Value = serde_json::from_str(&split).unwrap();
    assert_eq!(v["inventory"]["code"].as_array().map(Vec::len), Some(count));
}

#[test]
fn a_small_inventory_is_rendered_as_usual() {
    let mut report = common::full_report("android/multidex.apk", "");
    let plain = render(|out| render_json(&report, Lang::En, out));
    let same = render(|out| render_json_mut(&mut report, Lang::En, out));
    assert_eq!(plain, same);
}
