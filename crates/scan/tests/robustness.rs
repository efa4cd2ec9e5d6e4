//! No input makes a scan panic: every fixture, truncated at many lengths and with bytes flipped
//! at many positions, gives Ok or Err — never a panic — and finishes.

use appvet_model::Limits;
use std::path::PathBuf;

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/android");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| ["apk", "apks", "xapk", "aab"].contains(&x.to_str().unwrap()))
        })
        .collect();
    v.sort();
    assert!(v.len() >= 5, "fixtures missing in {}", dir.display());
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

#[test]
fn truncated_and_flipped_fixtures_never_panic() {
    let limits = Limits::default();
    let mut rng = Lcg(0x5eed);
    for path in fixtures() {
        let data = std::fs::read(&path).unwrap();
        assert!(
            appvet_scan::scan_package(&data, &limits).is_ok(),
            "{} scans",
            path.display()
        );
        for i in 0..40u64 {
            let cut = (data.len() as u64 * i / 40) as usize;
            let _ = appvet_scan::scan_package(&data[..cut], &limits);
        }
        for _ in 0..150 {
            let mut m = data.clone();
            for _ in 0..(1 + rng.next() % 8) {
                let pos = (rng.next() as usize) % m.len();
                m[pos] ^= (1 + rng.next() % 255) as u8;
            }
            let _ = appvet_scan::scan_package(&m, &limits);
        }
    }
}

#[test]
fn non_packages_are_clear_errors() {
    let limits = Limits::default();
    let e = appvet_scan::scan_package(b"hello world, not a zip", &limits).unwrap_err();
    assert!(e.to_string().contains("not a zip"), "{e}");
    let e = appvet_scan::scan_package(b"PK\x03\x04garbage", &limits).unwrap_err();
    assert!(!e.to_string().is_empty());
}
