//! Robustness: the HarmonyOS fixtures truncated and flipped (deterministic LCG), and the parts
//! the crate decodes (module.json, the .abc file, the signing block) mutated inside otherwise
//! valid packages. Every variant must give Ok or Err, never a panic. Bounded by count.

use appvet_malformed::zipw::{write, ZEntry};
use appvet_malformed::Lcg;
use appvet_model::Limits;
use std::path::PathBuf;

fn mutate(data: &[u8], seed: u64, truncations: usize, flips: usize, mut f: impl FnMut(&[u8])) {
    let mut rng = Lcg(seed);
    for i in 0..truncations {
        let n = if i < 64 {
            i.min(data.len())
        } else {
            rng.next() as usize % data.len().max(1)
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

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/harmony")
            .join(name),
    )
    .unwrap()
}

fn scan(data: &[u8]) -> bool {
    let l = Limits::default();
    match appvet_zip::Archive::parse(data, &l) {
        Ok(a) => appvet_harmony::scan(&a, &l).is_ok(),
        Err(_) => false,
    }
}

/// The entries of a fixture, stored, so that a mutated entry reaches its parser.
fn entries(name: &str) -> Vec<ZEntry> {
    let data = fixture(name);
    let l = Limits::default();
    let a = appvet_zip::Archive::parse(&data, &l).unwrap();
    a.entries()
        .iter()
        .map(|e| {
            let mut z = ZEntry::new(&e.name, a.read(e).unwrap().into_owned());
            z.deflate = false;
            z
        })
        .collect()
}

#[test]
fn whole_packages() {
    let mut ok = 0;
    for name in ["edu-clean.hap", "edu-tracking.hap", "edu-suite.app"] {
        mutate(&fixture(name), 11, 300, 600, |m| ok += usize::from(scan(m)));
    }
    // Flips in deflated data mostly fail the CRC or inflation; some variants still scan.
    assert!(ok > 0);
}

#[test]
fn module_json_and_abc_inside_a_valid_package() {
    let base = entries("edu-tracking.hap");
    let mut scanned = 0;
    for target in ["module.json", "ets/modules.abc", "pack.info"] {
        let i = base.iter().position(|e| e.name == target).unwrap();
        mutate(&base[i].data.clone(), 23, 200, 1500, |m| {
            let mut es = base.clone();
            es[i].data = m.to_vec();
            let (zip, _) = write(&es, &[]);
            scanned += usize::from(scan(&zip));
        });
    }
    // A broken module.json or .abc is an anomaly, not an error: most variants scan.
    assert!(scanned > 3000, "{scanned}");
}

#[test]
fn raw_abc() {
    let base = entries("edu-tracking.hap");
    let abc = &base
        .iter()
        .find(|e| e.name == "ets/modules.abc")
        .unwrap()
        .data;
    let l = Limits::default();
    let mut parsed = 0;
    mutate(abc, 5, 500, 5000, |m| {
        parsed += usize::from(appvet_harmony::abc::parse(m, &l).is_ok());
    });
    assert!(parsed > 0);
}

#[test]
fn signing_block() {
    let data = fixture("edu-tracking.hap");
    let l = Limits::default();
    let a = appvet_zip::Archive::parse(&data, &l).unwrap();
    let cd = a.central_directory_offset() as usize;
    let size = u64::from_le_bytes(data[cd - 28..cd - 20].try_into().unwrap()) as usize;
    let start = cd - size;
    let mut rng = Lcg(99);
    let mut with_certificate = 0;
    for _ in 0..3000 {
        let mut m = data.clone();
        for _ in 0..1 + rng.next() % 3 {
            let at = start + rng.next() as usize % size;
            m[at] ^= 1 << (rng.next() % 8);
        }
        let s = appvet_harmony::sign::read(&m, cd as u64, "(signing block)");
        with_certificate += usize::from(!s.certificates.is_empty());
    }
    assert!(with_certificate > 0);
}
