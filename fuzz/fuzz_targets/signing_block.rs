//! The APK Signing Block (v2/v3 signers, certificates) and JAR v1 PKCS#7 signature blocks.
//! The input is the bytes before a central directory: the block must end where it starts.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = appvet_apksig::parse_signing_block(data, data.len() as u64);
    let _ = appvet_apksig::parse_v1_block("META-INF/CERT.RSA", data);
    let _ = appvet_apksig::summarize_certificate(data, "v2", appvet_model::Location::default());
});
