//! The zip reader: central directory, local headers, inflation within small limits.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = appvet_model::Limits {
        max_entry_size: 1 << 20,
        max_total_inflated: 4 << 20,
        ..appvet_model::Limits::default()
    };
    if let Ok(archive) = appvet_zip::Archive::parse(data, &limits) {
        for e in archive.entries() {
            let _ = archive.read_checked(e);
            let _ = archive.by_name(&e.name);
        }
    }
});
