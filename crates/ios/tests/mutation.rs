//! Robustness: every fixture, and every entry the parsers read from it, truncated at many lengths
//! and with bytes flipped at many positions (deterministic LCG). Parsers must return (Ok or Err)
//! without panicking, quickly.

mod common;

use appvet_model::Limits;
use std::time::{Duration, Instant};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// Truncations and single/multi-byte flips of `data`, fed to `f`.
fn mutate(data: &[u8], seed: u64, truncations: usize, flips: usize, mut f: impl FnMut(&[u8])) {
    let mut rng = Lcg(seed);
    if data.is_empty() {
        f(data);
        return;
    }
    for i in 0..truncations {
        let n = if i < 64 {
            i.min(data.len())
        } else {
            rng.next() as usize % data.len()
        };
        f(&data[..n]);
    }
    for _ in 0..flips {
        let mut m = data.to_vec();
        for _ in 0..1 + rng.next() % 4 {
            let at = rng.next() as usize % m.len();
            m[at] = match rng.next() % 4 {
                0 => 0,
                1 => 0xff,
                _ => m[at] ^ (1 << (rng.next() % 8)),
            };
        }
        f(&m);
    }
}

fn timed(what: &str, start: Instant) {
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{what} took {:?}",
        start.elapsed()
    );
}

#[test]
fn whole_packages_survive_mutation() {
    for name in common::FIXTURES {
        let bytes = common::fixture_bytes(name);
        let start = Instant::now();
        mutate(&bytes, 7, 150, 150, |m| {
            let _ = common::scan_bytes(m);
        });
        timed(name, start);
    }
}

/// Panics raised in this crate's own source (goblin's are contained by `macho::parse_file` and
/// reported as anomalies; ours must not happen at all).
fn own_panics() -> std::sync::Arc<std::sync::Mutex<Vec<String>>> {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s = seen.clone();
    std::panic::set_hook(Box::new(move |info| {
        if let Some(l) = info.location() {
            if l.file().contains("crates/ios/") {
                s.lock().unwrap().push(format!("{info}"));
            }
        }
    }));
    seen
}

#[test]
fn every_parsed_entry_survives_mutation() {
    let limits = Limits::default();
    let panics = own_panics();
    for name in common::FIXTURES {
        let bytes = common::fixture_bytes(name);
        let archive = appvet_zip::Archive::parse(&bytes, &limits).unwrap();
        for e in archive.entries().iter().filter(|e| !e.is_dir()) {
            let data = archive.read(e).unwrap();
            let start = Instant::now();
            let n = &e.name;
            if appvet_ios::macho::is_macho(&data) {
                mutate(&data, 11, 120, 400, |m| {
                    let f = appvet_ios::macho::parse_file(m, n, "B", true, &limits);
                    for s in &f.slices {
                        assert_eq!(s.unit.bundle.as_deref(), Some("B"));
                    }
                });
            } else if n.ends_with(".plist") || n.ends_with(".xcprivacy") {
                mutate(&data, 13, 100, 300, |m| {
                    let _ = appvet_ios::info::read_info_plist(m);
                    let _ = appvet_ios::privacy::parse_privacy_manifest(
                        m,
                        "B",
                        appvet_model::Location::default(),
                    );
                });
            } else if n.ends_with(".strings") {
                mutate(&data, 17, 100, 300, |m| {
                    let _ = appvet_ios::plist_read::parse_strings(m);
                });
            } else if n.ends_with(".mobileprovision") {
                mutate(&data, 19, 100, 300, |m| {
                    let _ = appvet_ios::provision::parse_mobileprovision(m, n);
                });
            } else {
                continue;
            }
            timed(n, start);
        }
    }
    let panics = panics.lock().unwrap();
    assert!(panics.is_empty(), "{panics:?}");
}

/// Code signatures cut out of the fixtures' executables, mutated on their own.
#[test]
fn code_signatures_survive_mutation() {
    let limits = Limits::default();
    for name in ["biometric", "encrypted", "clean"] {
        let bytes = common::fixture_bytes(name);
        let archive = appvet_zip::Archive::parse(&bytes, &limits).unwrap();
        let scan = common::scan(name);
        let main = &scan.inventory.signing.block_entries[0];
        let e = archive.by_name(&main.location.entry).unwrap();
        let data = archive.read(e).unwrap();
        // The SuperBlob starts where the first blob's offset minus the index points; find the
        // magic by scanning backward from the CodeDirectory.
        let cd = main.location.offset.unwrap() as usize;
        let sb = (0..cd)
            .rev()
            .find(|&i| data[i..].starts_with(&[0xfa, 0xde, 0x0c, 0xc0]))
            .unwrap();
        let sig = &data[sb..];
        assert!(appvet_ios::codesign::parse(sig)
            .unwrap()
            .identifier
            .is_some());
        mutate(sig, 23, 200, 600, |m| {
            let _ = appvet_ios::codesign::parse(m);
        });
    }
}
