//! No input makes a scan panic: every fixture (Android, iOS, mini-program, HarmonyOS), truncated at 200 lengths and
//! with bytes flipped in 1000 variants, gives Ok or Err — never a panic — and finishes. Bounded
//! by iteration count, not by time.

use appvet_model::Limits;
use std::path::PathBuf;

fn fixtures() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for sub in ["android", "ios", "wechat", "harmony"] {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures")
            .join(sub);
        v.extend(
            std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    p.extension().is_some_and(|x| {
                        ["apk", "apks", "xapk", "aab", "ipa", "wxapkg", "hap", "app"]
                            .contains(&x.to_str().unwrap())
                    })
                }),
        );
    }
    v.sort();
    assert!(v.len() >= 23, "fixtures missing: {v:?}");
    v
}

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

const TRUNCATIONS: u64 = 200;
const FLIPS: usize = 1000;

#[test]
fn truncated_and_flipped_fixtures_never_panic() {
    let limits = Limits::default();
    let files = fixtures();
    // Two threads, each half the fixtures; every variant is scanned (counted).
    let runs: usize = std::thread::scope(|s| {
        let halves: Vec<_> = files
            .chunks(files.len().div_ceil(2))
            .enumerate()
            .map(|(t, part)| {
                s.spawn(move || {
                    let mut rng = Lcg(0x5eed + t as u64);
                    let mut runs = 0;
                    for path in part {
                        let data = std::fs::read(path).unwrap();
                        assert!(
                            appvet_scan::scan_package(&data, &limits).is_ok(),
                            "{} scans",
                            path.display()
                        );
                        for i in 0..TRUNCATIONS {
                            let cut = (data.len() as u64 * i / TRUNCATIONS) as usize;
                            let _ = appvet_scan::scan_package(&data[..cut], &limits);
                            runs += 1;
                        }
                        for _ in 0..FLIPS {
                            let mut m = data.clone();
                            for _ in 0..(1 + rng.next() % 8) {
                                let pos = (rng.next() as usize) % m.len();
                                m[pos] ^= (1 + rng.next() % 255) as u8;
                            }
                            let _ = appvet_scan::scan_package(&m, &limits);
                            runs += 1;
                        }
                    }
                    runs
                })
            })
            .collect();
        halves.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(runs, files.len() * (TRUNCATIONS as usize + FLIPS));
}

#[test]
fn non_packages_are_clear_errors() {
    let limits = Limits::default();
    let e = appvet_scan::scan_package(b"hello world, not a zip", &limits).unwrap_err();
    assert!(e.to_string().contains("neither a zip archive"), "{e}");
    let e = appvet_scan::scan_package(b"PK\x03\x04garbage", &limits).unwrap_err();
    assert!(!e.to_string().is_empty());
}
