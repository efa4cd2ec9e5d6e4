//! `Archive::with_input_release`: which input ranges a reader is told it may drop.

mod common;

use std::sync::Mutex;

use appvet_model::Limits;
use appvet_zip::{Archive, RELEASE_MIN, RELEASE_STEP};
use common::{Zip, E};

/// Bytes deflate cannot shrink (a linear congruential sequence's high bytes).
fn noise(len: usize) -> Vec<u8> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 56) as u8
        })
        .collect()
}

#[test]
fn a_large_inflation_releases_its_compressed_bytes_in_order_and_once() {
    let big = noise(3 * RELEASE_STEP + 12_345);
    let data = Zip::new(vec![
        E::deflated("small.txt", b"hello hello hello hello"),
        E::deflated("big.bin", &big),
        E::stored("stored.bin", &big[..RELEASE_STEP * 2]),
    ])
    .build();
    let calls: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());
    let hook = |offset: usize, len: usize| calls.lock().unwrap().push((offset, len));
    let archive = Archive::parse(&data, &Limits::default())
        .unwrap()
        .with_input_release(&hook);
    let [small, entry, stored] = archive.entries() else {
        panic!("three entries");
    };
    assert!(entry.compressed_size as usize > 3 * RELEASE_STEP);

    // Small and stored entries release nothing (stored data is borrowed in place).
    assert_eq!(&*archive.read(small).unwrap(), b"hello hello hello hello");
    assert_eq!(&*archive.read(stored).unwrap(), &big[..RELEASE_STEP * 2]);
    assert!(calls.lock().unwrap().is_empty());

    assert_eq!(&*archive.read(entry).unwrap(), &big[..]);
    let got = calls.lock().unwrap().clone();
    assert!(got.len() >= 3, "{got:?}");
    // Contiguous steps covering exactly the compressed data.
    let mut at = entry.data_offset as usize;
    for (i, &(offset, len)) in got.iter().enumerate() {
        assert_eq!(offset, at, "call {i} of {got:?}");
        if i + 1 < got.len() {
            assert!(len >= RELEASE_STEP, "call {i} of {got:?}");
        }
        at += len;
    }
    assert_eq!(at, (entry.data_offset + entry.compressed_size) as usize);
}

#[test]
fn without_a_hook_reading_is_unchanged() {
    let big = noise(2 * RELEASE_STEP);
    let data = Zip::new(vec![E::deflated("big.bin", &big)]).build();
    let archive = Archive::parse(&data, &Limits::default()).unwrap();
    assert_eq!(&*archive.read(&archive.entries()[0]).unwrap(), &big[..]);
}

#[test]
fn a_mid_size_entry_is_released_whole_once_read() {
    let mid = noise(RELEASE_MIN + 100);
    let data = Zip::new(vec![E::deflated("mid.bin", &mid)]).build();
    let calls: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());
    let hook = |offset: usize, len: usize| calls.lock().unwrap().push((offset, len));
    let archive = Archive::parse(&data, &Limits::default())
        .unwrap()
        .with_input_release(&hook);
    let entry = &archive.entries()[0];
    assert_eq!(&*archive.read(entry).unwrap(), &mid[..]);
    assert_eq!(
        *calls.lock().unwrap(),
        vec![(entry.data_offset as usize, entry.compressed_size as usize)]
    );
}
