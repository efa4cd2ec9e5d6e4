//! Android binary XML (and the aapt2 protobuf XML of App Bundles).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = appvet_axml::axml::parse(data) {
        let mut stack = vec![&doc.root];
        while let Some(el) = stack.pop() {
            for a in &el.attributes {
                let _ = a.value.display();
            }
            stack.extend(el.children.iter());
        }
    }
    let _ = appvet_axml::proto::parse_xml(data);
});
