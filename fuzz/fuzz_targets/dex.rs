//! DEX: header, id tables, class defs, class data and the invoke scan.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dex) = appvet_dex::Dex::parse(data) else {
        return;
    };
    let _ = dex.verify_checksum();
    for s in dex.strings().take(4096) {
        let _ = s;
    }
    for i in 0..dex.type_count().min(4096) {
        let _ = dex.type_descriptor(i);
    }
    for i in 0..dex.proto_count().min(4096) {
        let _ = dex.proto_descriptor(i);
    }
    for m in dex.method_ids().take(4096) {
        let _ = m;
    }
    for i in 0..dex.method_count().min(4096) {
        let _ = dex.method(i);
    }
    for i in 0..dex.field_count().min(4096) {
        let _ = dex.field(i);
    }
    for c in dex.class_defs().take(1024).flatten() {
        let _ = dex.class_descriptor(&c);
        let _ = dex.interfaces(&c);
        let _ = dex.scan_invokes(&c);
    }
});
