//! Robustness: every fixture, and every entry the parsers read from it, truncated at many lengths
//! and with bytes flipped at many positions (deterministic LCG). Parsers must return (Ok or Err)
//! without panicking. Bounded by iteration count, not by time.

mod common;

use appvet_model::Limits;

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

#[test]
fn whole_packages_survive_mutation() {
    panics();
    for name in common::FIXTURES {
        let bytes = common::fixture_bytes(name);
        mutate(&bytes, 7, 150, 150, |m| {
            let _ = common::scan_bytes(m);
        });
    }
    assert_no_panics();
}

/// Every panic raised anywhere in this test binary (any crate, any thread: rayon workers too),
/// recorded by a process-wide hook installed once; the default hook still prints it. Nothing in
/// the parsers contains panics (no `catch_unwind`), so a recorded panic is a bug even when a
/// thread pool would otherwise swallow or re-raise it.
fn panics() -> &'static std::sync::Mutex<Vec<String>> {
    static SEEN: std::sync::OnceLock<std::sync::Mutex<Vec<String>>> = std::sync::OnceLock::new();
    SEEN.get_or_init(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(seen) = SEEN.get() {
                if let Ok(mut v) = seen.try_lock() {
                    v.push(format!("{info}"));
                }
            }
            default(info);
        }));
        std::sync::Mutex::new(Vec::new())
    })
}

fn assert_no_panics() {
    // Copied out first: the assertion's own panic goes through the hook, which locks.
    let seen = panics().lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert!(seen.is_empty(), "{} panics: {seen:?}", seen.len());
}

#[test]
fn every_parsed_entry_survives_mutation() {
    let limits = Limits::default();
    panics();
    for name in common::FIXTURES {
        let bytes = common::fixture_bytes(name);
        let archive = appvet_zip::Archive::parse(&bytes, &limits).unwrap();
        for e in archive.entries().iter().filter(|e| !e.is_dir()) {
            let data = archive.read(e).unwrap();
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
        }
    }
    assert_no_panics();
}

/// Code signatures cut out of the fixtures' executables, mutated on their own.
#[test]
fn code_signatures_survive_mutation() {
    let limits = Limits::default();
    panics();
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
    assert_no_panics();
}

/// Mach-O headers and load commands, where offsets, counts and sizes live: each fixture
/// executable with 1-4 bytes or 32-bit words overwritten inside the first 4 KiB of a slice
/// (flips, 0, 0xff, and words such as 0xffffffff or 0x80000000), 2000 variants per file. The
/// reader must never panic (goblin, used before, panicked on a bad LC_MAIN here).
#[test]
fn macho_load_commands_survive_mutation() {
    let limits = Limits::default();
    panics();
    let words = [0u32, 0xffff_ffff, 0x8000_0000, 0x7fff_ffff, 0x1000, 24, 1];
    let mut files = 0;
    for name in common::FIXTURES {
        let bytes = common::fixture_bytes(name);
        let archive = appvet_zip::Archive::parse(&bytes, &limits).unwrap();
        for e in archive.entries().iter().filter(|e| !e.is_dir()) {
            let data = archive.read(e).unwrap();
            if !appvet_ios::macho::is_macho(&data) {
                continue;
            }
            files += 1;
            let starts: Vec<usize> = appvet_ios::macho::parse_file(&data, "e", "B", false, &limits)
                .slices
                .iter()
                .map(|s| s.unit.location.offset.unwrap() as usize)
                .collect();
            assert!(!starts.is_empty(), "{}", e.name);
            let mut rng = Lcg(29 + files);
            for _ in 0..2000 {
                let mut m = data.to_vec();
                let base = starts[rng.next() as usize % starts.len()];
                for _ in 0..1 + rng.next() % 4 {
                    let at = (base + rng.next() as usize % 4096).min(m.len() - 4);
                    match rng.next() % 5 {
                        0 => m[at] = 0,
                        1 => m[at] = 0xff,
                        2 => m[at] ^= 1 << (rng.next() % 8),
                        _ => {
                            let w = words[rng.next() as usize % words.len()];
                            m[at & !3..(at & !3) + 4].copy_from_slice(&w.to_le_bytes());
                        }
                    }
                }
                let _ = appvet_ios::macho::parse_file(&m, &e.name, "B", true, &limits);
            }
        }
    }
    assert_eq!(files, 12, "Mach-O files in the fixtures");
    assert_no_panics();
}
