//! WeChat mini-program packages: header, index, config, JavaScript and WXML scans.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = appvet_wxapkg::scan(data, &appvet_model::Limits::default().started());
});
