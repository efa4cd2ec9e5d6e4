//! Truncation and byte-flip mutations of valid archives: parsing and reading must return Ok or
//! Err, never panic, and finish quickly.

mod common;

use std::time::{Duration, Instant};

use appvet_model::Limits;
use appvet_zip::Archive;
use common::{Zip, E};

/// Deterministic pseudo-random numbers (64-bit LCG, high bits).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn limits() -> Limits {
    Limits {
        max_entry_size: 4 << 20,
        max_total_inflated: 16 << 20,
        ..Limits::default()
    }
}

/// Parse and read every entry; returns how many entries read successfully.
fn exercise(data: &[u8]) -> usize {
    let Ok(a) = Archive::parse(data, &limits()) else {
        return 0;
    };
    let _ = a.anomalies().len();
    let _ = a.comment();
    let mut ok = 0;
    for e in a.entries() {
        let _ = a.by_name(&e.name);
        let _ = a.raw_name(e);
        if a.read_checked(e).is_ok() {
            ok += 1;
        }
    }
    ok
}

fn inputs() -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    for name in [
        "python.zip",
        "python-zip64.zip",
        "zip-cli-zip64.zip",
        "signed.apk",
    ] {
        let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
        v.push((name.to_string(), std::fs::read(path).unwrap()));
    }
    let mut entries = vec![
        E::stored("a.txt", b"alpha"),
        E::deflated("b.txt", &b"bravo ".repeat(300)),
        E::deflated("zeros", &vec![0u8; 200_000]),
    ];
    for e in &mut entries {
        e.zip64 = true;
    }
    let mut z = Zip::new(entries);
    z.zip64_eocd = true;
    z.comment = b"comment".to_vec();
    v.push(("builder-zip64".to_string(), z.build()));
    v
}

#[test]
fn truncations_never_panic() {
    for (name, data) in inputs() {
        assert!(exercise(&data) > 0, "{name}: the unmutated input must read");
        let start = Instant::now();
        let step = (data.len() / 600).max(1);
        let mut len = 0;
        while len < data.len() {
            exercise(&data[..len]);
            // Also cut from the front (prefix lost: offsets shift).
            exercise(&data[len..]);
            len += step;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{name}: too slow"
        );
    }
}

#[test]
fn byte_flips_never_panic() {
    let mut rng = Lcg(0x5eed_1234_abcd_0001);
    for (name, data) in inputs() {
        let start = Instant::now();
        for round in 0..1500 {
            let mut m = data.clone();
            let flips = 1 + rng.below(4);
            for _ in 0..flips {
                let pos = if round % 2 == 0 {
                    // Bias half the mutations into the last 200 bytes (CD and EOCD).
                    m.len() - 1 - rng.below(m.len().min(200))
                } else {
                    rng.below(m.len())
                };
                m[pos] = match rng.below(4) {
                    0 => 0xff,
                    1 => 0x00,
                    2 => m[pos] ^ (1 << rng.below(8)),
                    _ => rng.next() as u8,
                };
            }
            let t = Instant::now();
            exercise(&m);
            assert!(
                t.elapsed() < Duration::from_secs(2),
                "{name}: round {round} took {:?}",
                t.elapsed()
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{name}: too slow"
        );
    }
}
