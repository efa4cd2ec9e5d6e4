//! resources.arsc: packages, type specs, entries, string pools; lookups by id.
#![no_main]
use appvet_axml::Resources;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = appvet_axml::arsc::ResourceTable::parse(data) {
        for ty in 1..=8u32 {
            for e in 0..4u32 {
                let id = 0x7f00_0000 | (ty << 16) | e;
                let _ = t.values(id);
                let _ = t.name(id);
                let _ = t.resolve(id);
            }
        }
    }
});
