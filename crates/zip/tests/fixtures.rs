//! Archives written by real tools (tests/data/gen.sh) and the system framework-res.apk.

use appvet_model::Limits;
use appvet_zip::{Archive, DosDateTime};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every entry reads with a matching CRC and the declared size, and no anomaly is reported.
fn assert_clean(data: &[u8]) -> Archive<'_> {
    let a = Archive::parse(data, &Limits::default()).unwrap();
    assert!(a.anomalies().is_empty(), "{:#?}", a.anomalies());
    for e in a.entries() {
        let (bytes, anomalies) = a.read_checked(e).unwrap();
        assert!(anomalies.is_empty(), "{}: {anomalies:?}", e.name);
        assert_eq!(bytes.len() as u64, e.uncompressed_size, "{}", e.name);
    }
    a
}

#[test]
fn python_zipfile() {
    let data = fixture("python.zip");
    let a = assert_clean(&data);
    let names: Vec<&str> = a.entries().iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "dir/",
            "dir/stored.txt",
            "dir/deflated.txt",
            "caf\u{e9}.txt"
        ]
    );
    assert!(a.entries()[0].is_dir());
    assert!(!a.entries()[1].is_dir());
    assert_eq!(a.comment(), b"python zipfile");
    let stored = a.by_name("dir/stored.txt").unwrap();
    assert_eq!(stored.method, 0);
    let bytes = a.read(stored).unwrap();
    assert!(
        matches!(bytes, std::borrow::Cow::Borrowed(_)),
        "stored is zero-copy"
    );
    assert_eq!(&*bytes, b"hello stored\n");
    let deflated = a.by_name("dir/deflated.txt").unwrap();
    assert_eq!(deflated.method, 8);
    assert!(deflated.compressed_size < deflated.uncompressed_size);
    assert_eq!(
        &*a.read(deflated).unwrap(),
        "hello deflated\n".repeat(200).as_bytes()
    );
    // assert_clean read every entry once already (3000 + 13 inflated bytes).
    assert_eq!(a.inflated_total(), 6013);
    assert_eq!(
        a.read(a.by_name("caf\u{e9}.txt").unwrap())
            .unwrap()
            .as_ref(),
        b"unicode name\n"
    );
    let m = stored.modified.unwrap();
    assert_eq!(
        m,
        DosDateTime {
            year: 2020,
            month: 2,
            day: 29,
            hour: 23,
            minute: 59,
            second: 58
        }
    );
    assert_eq!(m.iso(), "2020-02-29T23:59:58");
    assert!(a.by_name("dir/missing").is_none());
    // The CD starts right after the last entry's data and the EOCD right after the CD.
    assert_eq!(
        a.central_directory_offset() + a.central_directory_size(),
        a.eocd_offset()
    );
    assert_eq!(a.eocd_offset() as usize + 22 + 14, data.len());
}

#[test]
fn python_zip64_local_headers() {
    let data = fixture("python-zip64.zip");
    let a = assert_clean(&data);
    assert_eq!(a.entries().len(), 3);
    for (n, e) in a.entries().iter().enumerate() {
        let expect: Vec<u8> = (0..=255u8).cycle().take(256 * (n + 1)).collect();
        assert_eq!(a.read(e).unwrap().as_ref(), &expect[..]);
        // The local ZIP64 extra field is skipped when computing the data offset.
        assert_eq!(e.data_offset, e.local_header_offset + 30 + 6 + 20);
    }
}

#[test]
fn info_zip_with_comment() {
    let data = fixture("zip-cli.zip");
    let a = assert_clean(&data);
    assert_eq!(a.comment(), b"a comment");
    let numbers: String = (1..=2000).map(|i| format!("{i}\n")).collect();
    let e = a.by_name("sub/numbers.txt").unwrap();
    assert_eq!(a.read(e).unwrap().as_ref(), numbers.as_bytes());
    assert!(a.by_name("sub/").unwrap().is_dir());
}

#[test]
fn info_zip_forced_zip64() {
    let data = fixture("zip-cli-zip64.zip");
    let a = assert_clean(&data);
    // The ZIP64 end of central directory record sits between the CD and the EOCD.
    assert!(a.central_directory_offset() + a.central_directory_size() < a.eocd_offset());
    assert_eq!(
        a.read(a.by_name("a.txt").unwrap()).unwrap().as_ref(),
        b"alpha\n"
    );
}

#[test]
fn signed_apk_has_signing_block_before_cd() {
    let data = fixture("signed.apk");
    let a = assert_clean(&data);
    let cd = a.central_directory_offset() as usize;
    assert_eq!(&data[cd - 16..cd], b"APK Sig Block 42");
    assert!(a.by_name("META-INF/MANIFEST.MF").is_some());
}

#[test]
fn framework_res_apk() {
    let path = "/usr/share/android-framework-res/framework-res.apk";
    let Ok(data) = std::fs::read(path) else {
        eprintln!("skipping: {path} not present");
        return;
    };
    let a = Archive::parse(&data, &Limits::default()).unwrap();
    assert!(a.entries().len() > 1000, "{}", a.entries().len());
    assert!(a.by_name("AndroidManifest.xml").is_some());
    assert!(a.by_name("resources.arsc").is_some());
    let mut total = 0u64;
    for e in a.entries() {
        let (bytes, anomalies) = a.read_checked(e).unwrap();
        assert!(anomalies.is_empty(), "{}: {anomalies:?}", e.name);
        assert_eq!(bytes.len() as u64, e.uncompressed_size);
        total += bytes.len() as u64;
    }
    assert!(total > data.len() as u64 / 2);
    eprintln!(
        "framework-res.apk: {} entries, {} anomalies, {total} bytes",
        a.entries().len(),
        a.anomalies().len()
    );
}
