//! Property lists (binary, XML), Info.plist, .strings, privacy manifests, provisioning profiles.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = appvet_ios::plist_read::parse(data) {
        let _ = appvet_ios::plist_read::to_json(&v);
        let _ = appvet_ios::plist_read::json_text(&v, 4096);
    }
    let _ = appvet_ios::info::read_info_plist(data);
    let _ = appvet_ios::plist_read::parse_strings(data);
    let _ =
        appvet_ios::privacy::parse_privacy_manifest(data, "B", appvet_model::Location::default());
    let _ = appvet_ios::provision::parse_mobileprovision(data, "embedded.mobileprovision");
});
