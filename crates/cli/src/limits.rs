//! `appvet scan`'s limit options: each [`Limits`] value, with its default shown in `--help`.
//! An exceeded limit is an error naming the option that raises it (`Limits::flag`).

use appvet_model::Limits;
use std::time::Duration;

#[derive(clap::Args, Debug, Clone)]
#[command(
    next_help_heading = "Limits (exceeding one is an error, or an anomaly of an incomplete report, naming it)"
)]
pub struct LimitArgs {
    /// Most bytes one zip entry may inflate to (suffixes K, M, G: powers of 1024).
    #[arg(long, value_name = "BYTES", value_parser = parse_size,
          default_value_t = Limits::default().max_entry_size)]
    pub max_entry_bytes: u64,
    /// Most bytes all entries read from one package may inflate to, added up.
    #[arg(long, value_name = "BYTES", value_parser = parse_size,
          default_value_t = Limits::default().max_total_inflated)]
    pub max_total_bytes: u64,
    /// Highest inflated/compressed ratio of an entry over 1 MiB (deflate bombs).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_compression_ratio)]
    pub max_ratio: u64,
    /// Most entries a zip's central directory may list.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_zip_entries)]
    pub max_entries: usize,
    /// Most items in one table of a DEX file (string, type, proto, field, method ids, class
    /// defs).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_table_items)]
    pub max_table_items: u32,
    /// Most items in one table of a Mach-O slice (load commands, symbols, ObjC classes).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_macho_items)]
    pub max_macho_items: u32,
    /// Most containers nested in one another (an APK inside an .apks is depth 1).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_nesting)]
    pub max_nesting: u32,
    /// Most milliseconds one package may take (0: none at all, every package fails).
    #[arg(long, value_name = "MS", default_value_t = default_scan_ms())]
    pub max_scan_ms: u64,
}

fn default_scan_ms() -> u64 {
    Limits::default().max_scan_time.map_or(u64::MAX, |d| {
        u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
    })
}

impl LimitArgs {
    /// The [`Limits`] these options give; the rest keep their defaults.
    pub fn to_limits(&self) -> Limits {
        Limits {
            max_entry_size: self.max_entry_bytes,
            max_total_inflated: self.max_total_bytes,
            max_compression_ratio: self.max_ratio,
            max_zip_entries: self.max_entries,
            max_table_items: self.max_table_items,
            max_macho_items: self.max_macho_items,
            max_nesting: self.max_nesting,
            max_scan_time: Some(Duration::from_millis(self.max_scan_ms)),
            ..Limits::default()
        }
    }
}

/// `123`, `64K`, `512M`, `1G` (powers of 1024; a trailing `B` or `iB` is accepted).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(t);
    let (digits, shift) = match t.chars().last() {
        Some('K' | 'k') => (&t[..t.len() - 1], 10),
        Some('M' | 'm') => (&t[..t.len() - 1], 20),
        Some('G' | 'g') => (&t[..t.len() - 1], 30),
        Some('T' | 't') => (&t[..t.len() - 1], 40),
        _ => (t, 0),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("not a size: {s:?} (a number, optionally with K, M, G or T)"))?;
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| format!("size too large: {s:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        limits: LimitArgs,
    }

    #[test]
    fn defaults_are_the_model_defaults() {
        let t = T::try_parse_from(["t"]).unwrap();
        assert_eq!(t.limits.to_limits(), Limits::default());
    }

    #[test]
    fn every_option_sets_its_limit() {
        let t = T::try_parse_from([
            "t",
            "--max-entry-bytes=64K",
            "--max-total-bytes=2M",
            "--max-ratio=9",
            "--max-entries=10",
            "--max-table-items=11",
            "--max-macho-items=12",
            "--max-nesting=0",
            "--max-scan-ms=5",
        ])
        .unwrap();
        let l = t.limits.to_limits();
        assert_eq!(l.max_entry_size, 64 << 10);
        assert_eq!(l.max_total_inflated, 2 << 20);
        assert_eq!(l.max_compression_ratio, 9);
        assert_eq!(l.max_zip_entries, 10);
        assert_eq!(l.max_table_items, 11);
        assert_eq!(l.max_macho_items, 12);
        assert_eq!(l.max_nesting, 0);
        assert_eq!(l.max_scan_time, Some(Duration::from_millis(5)));
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("123"), Ok(123));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size("4kB"), Ok(4096));
        assert!(parse_size("").is_err());
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999T").is_err());
    }
}
