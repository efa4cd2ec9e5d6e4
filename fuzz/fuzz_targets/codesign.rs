//! Code signature SuperBlob: CodeDirectory, requirements, entitlements, CMS blob.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = appvet_ios::codesign::parse(data);
});
