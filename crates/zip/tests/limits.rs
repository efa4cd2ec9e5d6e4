//! Zip bomb defences and the other `Limits`.

mod common;

use std::time::Instant;

use appvet_model::Limits;
use appvet_zip::{Archive, Error};
use common::{Zip, E};

const MB: usize = 1 << 20;

fn limits(f: impl FnOnce(&mut Limits)) -> Limits {
    let mut l = Limits::default();
    f(&mut l);
    l
}

#[test]
fn ten_megabytes_of_zeros_over_max_entry_size() {
    let data = Zip::new(vec![E::deflated("zeros", &vec![0u8; 10 * MB])]).build();
    assert!(data.len() < 100_000, "{}", data.len());
    let l = limits(|l| l.max_entry_size = MB as u64);
    let a = Archive::parse(&data, &l).unwrap();
    let start = Instant::now();
    let err = a.read(&a.entries()[0]).unwrap_err();
    assert!(start.elapsed().as_millis() < 500);
    match &err {
        Error::Limit {
            what, value, limit, ..
        } => {
            assert_eq!(*what, "zip entry size");
            assert_eq!(*value, 10 * MB as u64);
            assert_eq!(*limit, MB as u64);
        }
        other => panic!("{other}"),
    }
    assert_eq!(a.inflated_total(), 0, "refused before inflating");
    let model: appvet_model::Error = err.into();
    assert!(matches!(
        model,
        appvet_model::Error::Limit {
            what: "zip entry size",
            ..
        }
    ));

    // Deflate's best ratio on zeros is about 1030:1, over the default cap of 1000.
    let a = Archive::parse(&data, &Limits::default()).unwrap();
    let err = a.read(&a.entries()[0]).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Limit {
                what: "zip compression ratio",
                ..
            }
        ),
        "{err}"
    );
    // With a higher ratio cap it inflates fine.
    let a = Archive::parse(&data, &limits(|l| l.max_compression_ratio = 2000)).unwrap();
    let (bytes, anomalies) = a.read_checked(&a.entries()[0]).unwrap();
    assert_eq!(bytes.len(), 10 * MB);
    assert!(anomalies.is_empty());
}

#[test]
fn understated_size_stops_inflating_early() {
    // Declares 1000 bytes but inflates to 10 MB: stopped after 1001 bytes.
    let e = E::deflated("bomb", &vec![0u8; 10 * MB]).with(|e| e.usize = Some(1000));
    let data = Zip::new(vec![e]).build();
    let a = Archive::parse(&data, &Limits::default()).unwrap();
    let err = a.read(&a.entries()[0]).unwrap_err();
    assert!(
        matches!(err, Error::TooLong { declared: 1000, .. }),
        "{err}"
    );
    assert!(a.inflated_total() <= 1001, "{}", a.inflated_total());
}

#[test]
fn compression_ratio_cap() {
    let data = Zip::new(vec![
        E::deflated("zeros", &vec![0u8; 10 * MB]),
        E::deflated("small", &vec![0u8; MB]),
    ])
    .build();
    let l = limits(|l| l.max_compression_ratio = 100);
    let a = Archive::parse(&data, &l).unwrap();
    let err = a.read(&a.entries()[0]).unwrap_err();
    match &err {
        Error::Limit {
            what, value, limit, ..
        } => {
            assert_eq!(*what, "zip compression ratio");
            assert!(*value > 100, "{value}");
            assert_eq!(*limit, 100);
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("\"zeros\""), "{err}");
    // Outputs up to 1 MiB are exempt from the ratio cap.
    assert_eq!(a.read(&a.entries()[1]).unwrap().len(), MB);
}

#[test]
fn total_inflated_across_reads() {
    let data = Zip::new(vec![
        E::deflated("one", &vec![1u8; MB]),
        E::deflated("two", &vec![2u8; MB]),
        E::stored("three", &vec![3u8; MB]),
    ])
    .build();
    let l = limits(|l| l.max_total_inflated = 3 * MB as u64 / 2);
    let a = Archive::parse(&data, &l).unwrap();
    assert!(a.read(&a.entries()[0]).is_ok());
    let err = a.read(&a.entries()[1]).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Limit {
                what: "total inflated bytes",
                ..
            }
        ),
        "{err}"
    );
    // Stored entries are borrowed, not inflated: they do not count.
    assert!(a.read(&a.entries()[2]).is_ok());
}

#[test]
fn max_zip_entries() {
    let entries: Vec<E> = (0..10).map(|i| E::stored(&format!("f{i}"), b"x")).collect();
    let data = Zip::new(entries.clone()).build();
    let err = Archive::parse(&data, &limits(|l| l.max_zip_entries = 5)).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Limit {
                what: "zip entries",
                value: 10,
                limit: 5,
                ..
            }
        ),
        "{err}"
    );
    assert!(Archive::parse(&data, &limits(|l| l.max_zip_entries = 10)).is_ok());
    // Declaring few entries does not get more records past the limit.
    let mut z = Zip::new(entries);
    z.count = Some(1);
    let data = z.build();
    let err = Archive::parse(&data, &limits(|l| l.max_zip_entries = 5)).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Limit {
                what: "zip entries",
                value: 6,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn concurrent_reads_share_the_total() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Archive<'static>>();

    let entries: Vec<E> = (0..8)
        .map(|i| E::deflated(&format!("f{i}"), &vec![i as u8; 100_000]))
        .collect();
    let data = Zip::new(entries).build();
    let a = Archive::parse(&data, &Limits::default()).unwrap();
    std::thread::scope(|s| {
        for t in 0..4 {
            let a = &a;
            s.spawn(move || {
                for e in a.entries() {
                    let (bytes, anomalies) = a.read_checked(e).unwrap();
                    assert!(anomalies.is_empty());
                    assert!(bytes.iter().all(|&b| b == e.index as u8), "thread {t}");
                }
            });
        }
    });
    assert_eq!(a.inflated_total(), 4 * 8 * 100_000);
}
