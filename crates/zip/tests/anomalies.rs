//! One test per anomaly code, on archives written by the test-only writer in `common`.

mod common;

use appvet_model::Limits;
use appvet_zip::{codes, Archive, Error};
use common::{Zip, E};

fn parse(data: &[u8]) -> Archive<'_> {
    Archive::parse(data, &Limits::default()).unwrap()
}

/// The anomaly codes of an archive, sorted and deduplicated.
fn codes_of(a: &Archive) -> Vec<String> {
    let mut c: Vec<String> = a.anomalies().iter().map(|x| x.code.clone()).collect();
    c.sort();
    c.dedup();
    c
}

fn two() -> Vec<E> {
    vec![
        E::stored("a.txt", b"alpha alpha alpha"),
        E::deflated("b.txt", &b"bravo ".repeat(100)),
    ]
}

#[test]
fn clean_archive_has_no_anomalies() {
    let data = Zip::new(two()).build();
    let a = parse(&data);
    assert!(a.anomalies().is_empty(), "{:?}", a.anomalies());
    assert_eq!(a.entries().len(), 2);
    assert_eq!(
        a.read(&a.entries()[1]).unwrap().as_ref(),
        &b"bravo ".repeat(100)[..]
    );
    assert_eq!(
        a.entries()[0].modified.unwrap().iso(),
        "2021-06-15T13:45:30"
    );
}

#[test]
fn multiple_eocd_prefers_last_exact() {
    // The comment of the real EOCD holds a second, valid EOCD whose (empty) comment ends at
    // the end of the file: Android takes that last one.
    let inner = Zip::new(two()).build();
    let eocd = inner[inner.len() - 22..].to_vec();
    let mut z = Zip::new(two());
    z.comment = eocd;
    let data = z.build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::MULTIPLE_EOCD]);
    assert_eq!(a.eocd_offset() as usize, data.len() - 22);
    assert_eq!(a.entries().len(), 2);
}

#[test]
fn multiple_eocd_falls_back_to_exact_earlier_one() {
    // A copy of the EOCD is appended with junk after it: the last record is valid but does not
    // reach the end of the file, the first one does (its comment covers everything after it).
    let base = Zip::new(two()).build();
    let eocd_at = base.len() - 22;
    let mut data = base.clone();
    data.extend_from_slice(&base[eocd_at..]);
    data.extend_from_slice(b"junk");
    let comment_len = (data.len() - eocd_at - 22) as u16;
    data[eocd_at + 20..eocd_at + 22].copy_from_slice(&comment_len.to_le_bytes());
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::MULTIPLE_EOCD]);
    assert_eq!(a.eocd_offset() as usize, eocd_at);

    // Neither reaches the end: the last valid one is used, and the mismatch is reported.
    data.truncate(data.len() - 1);
    let a = parse(&data);
    assert_eq!(
        codes_of(&a),
        [codes::EOCD_COMMENT_MISMATCH, codes::MULTIPLE_EOCD]
    );
    assert_eq!(a.eocd_offset() as usize, eocd_at + 22);
}

#[test]
fn eocd_comment_mismatch() {
    let mut z = Zip::new(two());
    z.comment = b"hello".to_vec();
    z.trailing = b"trailing bytes".to_vec();
    let data = z.build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::EOCD_COMMENT_MISMATCH]);
    assert_eq!(a.comment(), b"hello");

    // Comment length running past the end of the file.
    let mut z = Zip::new(two());
    z.comment = b"short".to_vec();
    z.comment_len = Some(100);
    let data = z.build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::EOCD_COMMENT_MISMATCH]);
    assert_eq!(a.comment(), b"short");
}

#[test]
fn zip64_directory_and_extra_fields() {
    let mut entries = two();
    for e in &mut entries {
        e.zip64 = true;
    }
    let mut z = Zip::new(entries);
    z.zip64_eocd = true;
    let data = z.build();
    let a = parse(&data);
    assert!(a.anomalies().is_empty(), "{:?}", a.anomalies());
    assert_eq!(a.entries().len(), 2);
    let b = &a.entries()[1];
    assert_eq!(b.uncompressed_size, 600);
    assert_ne!(b.local_header_offset, 0xffff_ffff);
    assert_eq!(a.read(b).unwrap().as_ref(), &b"bravo ".repeat(100)[..]);
    let (_, anomalies) = a.read_checked(&a.entries()[0]).unwrap();
    assert!(anomalies.is_empty());
}

#[test]
fn bad_zip64_extra() {
    let mut entries = two();
    entries[1].zip64 = true;
    let mut data = Zip::new(entries).build();
    let a = parse(&data);
    let pos = a.entries()[1].central_header_offset as usize + 46 + 5;
    assert_eq!(&data[pos..pos + 2], &[1, 0]);
    data[pos] = 0x99; // the ZIP64 extra becomes an unknown one
    let a = parse(&data);
    let c = codes_of(&a);
    assert!(c.contains(&codes::BAD_ZIP64.to_string()), "{c:?}");
    // The saturated offset cannot be resolved, so the entry cannot be read.
    assert!(!a.entries()[1].is_readable());
    assert!(a.read(&a.entries()[1]).is_err());
    assert!(a.read(&a.entries()[0]).is_ok());
}

#[test]
fn bad_zip64_locator_with_usable_eocd() {
    let z = Zip::new(two());
    let mut data = z.build();
    // Insert a locator pointing nowhere just before the EOCD; the EOCD's own values are not
    // saturated, so they are used.
    let eocd_at = data.len() - 22;
    let mut loc = Vec::new();
    loc.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
    loc.extend_from_slice(&0u32.to_le_bytes());
    loc.extend_from_slice(&12345u64.to_le_bytes());
    loc.extend_from_slice(&1u32.to_le_bytes());
    data.splice(eocd_at..eocd_at, loc);
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::BAD_ZIP64]);
    assert_eq!(a.entries().len(), 2);

    // With saturated EOCD values the archive cannot be located at all.
    let mut z = Zip::new(two());
    z.zip64_eocd = true;
    let mut data = z.build();
    let rec = data.len() - 22 - 20 - 56;
    data[rec] = b'X';
    let err = Archive::parse(&data, &Limits::default()).unwrap_err();
    assert!(matches!(err, Error::Zip64 { .. }), "{err}");
}

#[test]
fn multi_disk() {
    let mut data = Zip::new(two()).build();
    let eocd_at = data.len() - 22;
    data[eocd_at + 4] = 1;
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::MULTI_DISK]);
}

#[test]
fn entry_count_mismatch() {
    let mut z = Zip::new(two());
    z.count = Some(5);
    let data = z.build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::ENTRY_COUNT_MISMATCH]);
    assert_eq!(a.entries().len(), 2);
    // Fewer declared than present: every record is still listed.
    z.count = Some(1);
    let data = z.build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::ENTRY_COUNT_MISMATCH]);
    assert_eq!(a.entries().len(), 2);
}

#[test]
fn bad_central_directory_tail() {
    let mut z = Zip::new(two());
    z.cd_junk = b"not a record".to_vec();
    let data = z.build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::BAD_CENTRAL_DIRECTORY]);
    assert_eq!(a.entries().len(), 2);
}

#[test]
fn prefix_data() {
    let mut z = Zip::new(two());
    z.prefix = b"#!/bin/sh\nexec java -jar \"$0\"\n".to_vec();
    let data = z.build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::PREFIX_DATA]);
    assert!(
        a.anomalies()[0].message.starts_with("30 bytes"),
        "{}",
        a.anomalies()[0].message
    );
    assert_eq!(
        a.read(&a.entries()[0]).unwrap().as_ref(),
        b"alpha alpha alpha"
    );
}

#[test]
fn data_between_entries_and_cd_is_fine() {
    let mut z = Zip::new(two());
    z.gap = vec![0xAB; 4096]; // e.g. an APK Signing Block
    let data = z.build();
    let a = parse(&data);
    assert!(a.anomalies().is_empty(), "{:?}", a.anomalies());
}

#[test]
fn bad_local_header() {
    let mut entries = two();
    entries[0].local_sig = 0xdead_beef;
    let data = Zip::new(entries).build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::BAD_LOCAL_HEADER]);
    let e = &a.entries()[0];
    assert!(!e.is_readable());
    let err = a.read(e).unwrap_err();
    assert!(
        matches!(err, Error::BadLocalHeader { index: 0, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("\"a.txt\""), "{err}");
    assert!(a.read(&a.entries()[1]).is_ok());

    // A local header offset inside the central directory.
    let mut entries = two();
    entries[1].lho = Some(1 << 20);
    let data = Zip::new(entries).build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::BAD_LOCAL_HEADER]);
    assert!(a.read(&a.entries()[1]).is_err());
}

#[test]
fn entry_out_of_range() {
    let mut entries = two();
    entries[1].csize = Some(100_000);
    let data = Zip::new(entries).build();
    let a = parse(&data);
    assert_eq!(
        codes_of(&a),
        [codes::ENTRY_OUT_OF_RANGE, codes::LOCAL_SIZE_MISMATCH]
    );
    let err = a.read(&a.entries()[1]).unwrap_err();
    assert!(
        matches!(err, Error::DataOutOfRange { index: 1, .. }),
        "{err}"
    );
}

#[test]
fn local_name_mismatch() {
    let mut entries = two();
    entries[0].local_name = Some(b"evil.txt".to_vec());
    let data = Zip::new(entries).build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::LOCAL_NAME_MISMATCH]);
    assert!(a.anomalies()[0].message.contains("evil.txt"));
    // The data offset comes from the local header's own name length.
    let e = &a.entries()[0];
    assert_eq!(e.data_offset, 30 + 8);
    assert_eq!(a.read(e).unwrap().as_ref(), b"alpha alpha alpha");
}

#[test]
fn local_method_mismatch_uses_central_directory() {
    let mut entries = two();
    entries[1].local_method = Some(0);
    let data = Zip::new(entries).build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::LOCAL_METHOD_MISMATCH]);
    assert_eq!(
        a.read(&a.entries()[1]).unwrap().as_ref(),
        &b"bravo ".repeat(100)[..]
    );
}

#[test]
fn local_size_mismatch() {
    let mut entries = two();
    entries[0].local_values = Some((1, 2, 3));
    let data = Zip::new(entries).build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::LOCAL_SIZE_MISMATCH]);
    // Ignored when the local header announces a data descriptor.
    let mut entries = two();
    entries[0].local_values = Some((0, 0, 0));
    entries[0].flags = 8;
    let data = Zip::new(entries).build();
    assert!(parse(&data).anomalies().is_empty());
}

#[test]
fn encryption_flag_is_ignored() {
    let mut entries = two();
    entries[1].flags = 1;
    let data = Zip::new(entries).build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::ENCRYPTION_FLAG]);
    let (bytes, anomalies) = a.read_checked(&a.entries()[1]).unwrap();
    assert_eq!(bytes.as_ref(), &b"bravo ".repeat(100)[..]);
    assert!(anomalies.is_empty());
}

#[test]
fn unknown_method() {
    // Raw bytes under an unknown method with equal sizes: inflating fails, raw bytes returned.
    let raw = E::new(b"raw.bin", b"\xff\xff\xff\xff not deflate", 99).with(|e| {
        e.payload = Some(e.data.clone());
    });
    // Deflated data under an unknown method (bzip2's number): inflated like Android does.
    let defl = E::new(b"defl.bin", &b"xyz".repeat(50), 12);
    let data = Zip::new(vec![raw, defl]).build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::UNKNOWN_METHOD]);
    assert_eq!(a.anomalies().len(), 2);
    assert_eq!(
        a.read(&a.entries()[0]).unwrap().as_ref(),
        b"\xff\xff\xff\xff not deflate"
    );
    let (bytes, anomalies) = a.read_checked(&a.entries()[1]).unwrap();
    assert_eq!(bytes.as_ref(), &b"xyz".repeat(50)[..]);
    assert!(anomalies.is_empty());

    // Unequal sizes and not deflate: an error.
    let bad = E::new(b"bad.bin", b"\xff\xff\xff\xff not deflate", 99).with(|e| {
        e.payload = Some(e.data.clone());
        e.usize = Some(1000);
    });
    let data = Zip::new(vec![bad]).build();
    let a = parse(&data);
    let err = a.read(&a.entries()[0]).unwrap_err();
    assert!(matches!(err, Error::Inflate { .. }), "{err}");
}

#[test]
fn duplicate_entry_by_name_returns_first() {
    let entries = vec![
        E::stored("a.txt", b"first"),
        E::stored("b.txt", b"other"),
        E::deflated("a.txt", b"second"),
    ];
    let data = Zip::new(entries).build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::DUPLICATE_ENTRY]);
    assert_eq!(a.anomalies()[0].location.index, Some(2));
    let e = a.by_name("a.txt").unwrap();
    assert_eq!(e.index, 0);
    assert_eq!(a.read(e).unwrap().as_ref(), b"first");
    assert_eq!(a.by_name("b.txt").unwrap().index, 1);
}

#[test]
fn suspicious_names() {
    let entries = vec![
        E::stored("../../etc/passwd", b"x"),
        E::stored("/abs", b"x"),
        E::stored("win\\path", b"x"),
        E::new(b"bad\xffutf8", b"x", 0),
        E::new(b"", b"x", 0),
        E::stored("fine.txt", b"x"),
    ];
    let data = Zip::new(entries).build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::SUSPICIOUS_NAME]);
    let flagged: Vec<u32> = a
        .anomalies()
        .iter()
        .filter_map(|x| x.location.index)
        .collect();
    assert_eq!(flagged, [0, 1, 2, 3, 4]);
    assert_eq!(a.entries()[3].name, "bad\u{fffd}utf8");
    assert_eq!(a.raw_name(&a.entries()[3]), b"bad\xffutf8");
    assert!(a.by_name("").is_some());
}

#[test]
fn overlapping_entries() {
    let mut entries = two();
    entries.push(E::stored("a-again.txt", b"alpha alpha alpha").with(|e| {
        e.share_local_of = Some(0);
    }));
    let data = Zip::new(entries).build();
    let a = parse(&data);
    // The shared local header also carries another name.
    assert_eq!(
        codes_of(&a),
        [codes::LOCAL_NAME_MISMATCH, codes::OVERLAPPING_ENTRIES]
    );
    let o: Vec<_> = a
        .anomalies()
        .iter()
        .filter(|x| x.code == codes::OVERLAPPING_ENTRIES)
        .collect();
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].location.index, Some(2));
}

#[test]
fn many_overlaps_are_capped() {
    let mut entries = vec![E::deflated("kernel", &[0u8; 1000])];
    for i in 0..100 {
        entries.push(E::deflated(&format!("copy{i}"), &[0u8; 1000]).with(|e| {
            e.share_local_of = Some(0);
            e.local_name = Some(b"kernel".to_vec());
        }));
    }
    let data = Zip::new(entries).build();
    let a = parse(&data);
    let overlap = a
        .anomalies()
        .iter()
        .filter(|x| x.code == codes::OVERLAPPING_ENTRIES)
        .count();
    assert_eq!(overlap, 33, "32 listed and one summary");
    assert!(a.anomalies().last().unwrap().message.contains("68 more"));
}

#[test]
fn stored_size_mismatch_at_parse() {
    let mut entries = two();
    entries[0].usize = Some(5);
    let data = Zip::new(entries).build();
    let a = parse(&data);
    assert_eq!(codes_of(&a), [codes::SIZE_MISMATCH]);
    // The stored bytes actually present (compressed size) are returned.
    assert_eq!(
        a.read(&a.entries()[0]).unwrap().as_ref(),
        b"alpha alpha alpha"
    );
}

#[test]
fn short_inflate_is_size_mismatch_at_read() {
    let mut entries = two();
    entries[1].usize = Some(700);
    let data = Zip::new(entries).build();
    let a = parse(&data);
    assert!(a.anomalies().is_empty(), "{:?}", a.anomalies());
    let (bytes, anomalies) = a.read_checked(&a.entries()[1]).unwrap();
    assert_eq!(bytes.len(), 600);
    let c: Vec<&str> = anomalies.iter().map(|x| x.code.as_str()).collect();
    assert_eq!(c, [codes::SIZE_MISMATCH]);
    assert!(anomalies[0].message.contains("600") && anomalies[0].message.contains("700"));
}

#[test]
fn long_inflate_is_an_error() {
    let mut entries = two();
    entries[1].usize = Some(599);
    let data = Zip::new(entries).build();
    let a = parse(&data);
    let err = a.read(&a.entries()[1]).unwrap_err();
    assert!(matches!(err, Error::TooLong { declared: 599, .. }), "{err}");
}

#[test]
fn crc_mismatch_at_read() {
    let mut entries = two();
    entries[0].crc = Some(0x1234_5678);
    entries[1].crc = Some(0x1234_5678);
    let data = Zip::new(entries).build();
    let a = parse(&data);
    assert!(a.anomalies().is_empty(), "{:?}", a.anomalies());
    for e in a.entries() {
        let (_, anomalies) = a.read_checked(e).unwrap();
        let c: Vec<&str> = anomalies.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(c, [codes::CRC_MISMATCH], "{}", e.name);
        assert_eq!(anomalies[0].location.entry, e.name);
    }
    // read() does not check the CRC.
    assert!(a.read(&a.entries()[0]).is_ok());
}

#[test]
fn truncated_deflate_is_an_error() {
    let mut entries = two();
    let full = common::deflate(&b"bravo ".repeat(100));
    entries[1].payload = Some(full[..full.len() / 2].to_vec());
    let data = Zip::new(entries).build();
    let a = parse(&data);
    let err = a.read(&a.entries()[1]).unwrap_err();
    assert!(matches!(err, Error::Inflate { index: 1, .. }), "{err}");
}

#[test]
fn archive_level_errors() {
    assert!(matches!(
        Archive::parse(b"", &Limits::default()),
        Err(Error::NoEocd { .. })
    ));
    assert!(matches!(
        Archive::parse(&[0u8; 1000], &Limits::default()),
        Err(Error::NoEocd { .. })
    ));
    // CD offset past the EOCD.
    let mut data = Zip::new(two()).build();
    let eocd_at = data.len() - 22;
    data[eocd_at + 16..eocd_at + 20].copy_from_slice(&100_000u32.to_le_bytes());
    let err = Archive::parse(&data, &Limits::default()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::CentralDirectoryOutOfRange {
                cd_offset: 100_000,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("100000"), "{err}");
    // CD offset inside the file but not at a record.
    data[eocd_at + 16..eocd_at + 20].copy_from_slice(&3u32.to_le_bytes());
    let err = Archive::parse(&data, &Limits::default()).unwrap_err();
    assert!(
        matches!(err, Error::BadCentralDirectory { offset: 3, .. }),
        "{err}"
    );
    let model: appvet_model::Error = err.into();
    assert!(matches!(model, appvet_model::Error::Archive(_)));
}

#[test]
fn empty_archive() {
    let data = Zip::new(vec![]).build();
    assert_eq!(data.len(), 22);
    let a = parse(&data);
    assert!(a.entries().is_empty());
    assert!(a.anomalies().is_empty());
    assert_eq!(a.central_directory_offset(), 0);
}

/// `Archive::build_time`: the newest entry time and its entry; constant times flagged only when
/// more than one entry shares them.
#[test]
fn build_time_from_entry_times() {
    let data = Zip::new(two()).build();
    let bt = parse(&data).build_time();
    assert_eq!(bt.newest_entry.as_deref(), Some("2021-06-15T13:45:30"));
    assert!(bt.entry_times_constant);
    assert_eq!(bt.signing_time, None);

    let mut entries = two();
    entries[1].time = (14 << 11) | (2 << 5); // 14:02:00, later the same day
    let data = Zip::new(entries).build();
    let bt = parse(&data).build_time();
    assert_eq!(bt.newest_entry.as_deref(), Some("2021-06-15T14:02:00"));
    assert_eq!(
        bt.newest_entry_location.map(|l| l.entry),
        Some("b.txt".to_string())
    );
    assert!(!bt.entry_times_constant);

    let data = Zip::new(vec![E::stored("only", b"x")]).build();
    assert!(!parse(&data).build_time().entry_times_constant);
}
