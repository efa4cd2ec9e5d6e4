//! Benchmarks and input generators for appvet (see benches/README.md).
//!
//! The generators build large but valid packages in memory, deterministically (seeded), with no
//! external tool: [`apkgen::apk`] (a multidex APK of 100k+ classes, our own DEX writer in
//! [`dexgen`]) and [`ipagen::ipa`] (an IPA with a 50 MiB+ Mach-O and many frameworks). They are
//! test-input builders, not parsers: they panic on impossible requests (a generator bug).

pub mod apkgen;
pub mod dexgen;
pub mod ipagen;
pub mod zipgen;

use std::path::PathBuf;

/// SplitMix64: a small, fast, seeded generator (deterministic across platforms).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform-ish in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

/// The repository's `fixtures/` directory.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}
