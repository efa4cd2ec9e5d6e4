//! Robustness: each fixture truncated at many lengths and with bytes flipped at many positions
//! (deterministic LCG, as in the other crates), plus bytes overwritten inside the header and
//! index where the counts and offsets live. `scan` must return (Ok or Err) without panicking.
//! Bounded by iteration count, not by time.

use appvet_malformed::Lcg;
use appvet_model::Limits;

fn fixture(name: &str) -> Vec<u8> {
    let p = format!(
        "{}/../../fixtures/wechat/{name}.wxapkg",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Truncations, then 1-4 byte flips anywhere, then 1-4 bytes overwritten in the first
/// `head` bytes (header and index).
fn mutate(data: &[u8], seed: u64, n: usize, head: usize, mut f: impl FnMut(&[u8])) {
    let mut rng = Lcg(seed);
    for i in 0..n {
        let len = if i < 64 {
            i
        } else {
            rng.next() as usize % data.len()
        };
        f(&data[..len.min(data.len())]);
    }
    for round in 0..2 * n {
        let mut m = data.to_vec();
        let span = if round % 2 == 0 {
            m.len()
        } else {
            head.min(m.len())
        };
        for _ in 0..1 + rng.next() % 4 {
            let at = rng.next() as usize % span;
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
fn fixtures_survive_mutation() {
    let limits = Limits::default();
    let mut scanned = 0usize;
    let mut ok = 0usize;
    for (i, name) in ["edu-clean", "edu-tracking"].into_iter().enumerate() {
        let data = fixture(name);
        let head = 14 + u32::from_be_bytes([data[5], data[6], data[7], data[8]]) as usize;
        mutate(&data, 11 + i as u64, 1500, head, |m| {
            scanned += 1;
            if let Ok(s) = appvet_wxapkg::scan(m, &limits) {
                ok += 1;
                // Whatever was read serialises.
                let _ = serde_json::to_vec(&s).unwrap();
            }
        });
    }
    assert_eq!(scanned, 2 * 4500);
    assert!(ok > 1000, "only {ok} of {scanned} mutants scanned");
}

#[test]
fn small_limits_on_mutants_give_errors_not_panics() {
    let limits = Limits {
        max_zip_entries: 3,
        max_entry_size: 512,
        max_total_inflated: 1024,
        max_list_items: 2,
        ..Limits::default()
    };
    let data = fixture("edu-tracking");
    mutate(&data, 99, 300, 300, |m| {
        let _ = appvet_wxapkg::scan(m, &limits);
    });
}
