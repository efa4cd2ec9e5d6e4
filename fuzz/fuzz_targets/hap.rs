//! HarmonyOS packages (.hap / .app): module.json, pack.info, nested modules, the signing block.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = appvet_model::Limits::default().started();
    if let Ok(a) = appvet_zip::Archive::parse(data, &limits) {
        let _ = appvet_harmony::scan(&a, &limits);
        let _ = appvet_harmony::sign::read(data, a.central_directory_offset(), "(signing block)");
    }
});
