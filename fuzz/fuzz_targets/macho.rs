//! Mach-O thin and fat: load commands, symbols, dyld info, ObjC metadata, strings.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = appvet_ios::macho::parse_file(data, "e", "B", true, &appvet_model::Limits::default());
});
