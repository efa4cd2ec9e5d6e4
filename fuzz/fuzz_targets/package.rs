//! A whole package, end to end (zip, then the Android or iOS reader), within small limits.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = appvet_model::Limits {
        max_entry_size: 1 << 20,
        max_total_inflated: 8 << 20,
        ..appvet_model::Limits::default()
    };
    let _ = appvet_scan::scan_package(data, &limits);
});
