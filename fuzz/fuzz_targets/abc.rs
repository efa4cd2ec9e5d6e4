//! Ark bytecode (.abc): header, class index, String records.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = appvet_harmony::abc::parse(data, &appvet_model::Limits::default()) {
        for (_, s) in &info.strings {
            let _ = appvet_harmony::abc::system_module(s);
            let _ = appvet_harmony::abc::ohpm_package(s);
        }
    }
});
