use std::time::{Duration, Instant};

/// Caps on what a parser will accept from an untrusted package: the one place they are defined.
///
/// Every count or size read from a file is checked against these before anything is allocated,
/// so no input can make a parser allocate without bound or run for long. The defaults are far
/// above what any real package needs (the largest real apps: ~150 MiB APKs with a dozen 10 MiB
/// DEX files and ~60k zip entries, IPAs with 300 MiB Mach-O binaries and ~2M symbols) and far
/// below what hurts the machine, so a bomb stops at a named limit. The CLI sets each one
/// (`appvet scan --max-entry-bytes ...`, see [`Limits::flag`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most entries a zip central directory may list.
    pub max_zip_entries: usize,
    /// Most bytes one entry may inflate to.
    pub max_entry_size: u64,
    /// Most bytes all inflated entries of one package may add up to.
    pub max_total_inflated: u64,
    /// Highest inflated/compressed ratio accepted for an entry larger than 1 MiB (zip bombs).
    pub max_compression_ratio: u64,
    /// Most nested containers (an APK inside an `.apks` is depth 1).
    pub max_nesting: u32,
    /// Most items read from one table of a DEX file (string, type, proto, field and method ids,
    /// class defs). The Android resource readers are bounded by their input's size instead.
    pub max_table_items: u32,
    /// Most items read from one table of a Mach-O slice (load commands, symbols, ObjC classes).
    pub max_macho_items: u32,
    /// Most items of one kind kept in an Inventory list (e.g. URL strings); the rest are
    /// counted and reported as truncated.
    pub max_list_items: usize,
    /// Most time one package may take (`None`: no limit). Enforced cooperatively: the zip
    /// reader checks [`Limits::deadline`] while inflating, the platform readers between
    /// entries, and the scan gives [`Error::Limit`](crate::Error::Limit) `"time per package"`
    /// when it has passed, whatever the parser returned.
    pub max_scan_time: Option<Duration>,
    /// When the package's time is up: set by [`Limits::started`] at the start of a scan.
    pub deadline: Option<Instant>,
}

/// The `what` of the time limit's [`Error::Limit`](crate::Error::Limit).
pub const TIME_LIMIT: &str = "time per package";

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // Real APKs: up to ~60k entries (resource-heavy games); 200k leaves room.
            max_zip_entries: 200_000,
            // The largest single entries of real apps (a Unity data file, an iOS binary) are a
            // few hundred MiB; 1 GiB passes them and keeps one entry's buffer bounded.
            max_entry_size: 1 << 30,
            // Every entry a scan reads, added up: DEX, manifests, resources, Mach-O binaries.
            // 4 GiB is several times the largest real app and well inside the machine.
            max_total_inflated: 4 << 30,
            // Real entries over 1 MiB deflate at most ~20:1 (sparse tables); a deflate bomb is
            // ~1000:1 per layer.
            max_compression_ratio: 1_000,
            // An APK in an .apks / .xapk is depth 1; nothing real nests deeper than 2.
            max_nesting: 2,
            // The DEX format caps method and field ids at 65536 per file; strings and types in
            // the largest real DEX files are under 1M. 4M passes them, and a count above it is
            // a lie (each item is at least 4 bytes, so 4M items are 16 MiB of table).
            max_table_items: 4_000_000,
            // The largest real iOS binaries have ~2M symbols; load commands are in the hundreds.
            max_macho_items: 4_000_000,
            max_list_items: 100_000,
            // Real packages scan in well under a second (the largest ~2 s on this machine):
            // five minutes is never reached by a real app, and stops a batch from stalling.
            max_scan_time: Some(Duration::from_secs(300)),
            deadline: None,
        }
    }
}

impl Limits {
    /// These limits with the deadline of a scan starting now (`max_scan_time` from now).
    #[must_use]
    pub fn started(&self) -> Limits {
        Limits {
            deadline: self
                .max_scan_time
                .and_then(|d| Instant::now().checked_add(d)),
            ..*self
        }
    }

    /// Whether the deadline set by [`Limits::started`] has passed (never without one).
    pub fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// When the deadline has passed: (milliseconds taken, milliseconds allowed).
    pub fn time_over(&self) -> Option<(u64, u64)> {
        let (deadline, budget) = (self.deadline?, self.max_scan_time?);
        let now = Instant::now();
        (now >= deadline).then(|| {
            let over = now.saturating_duration_since(deadline);
            (millis(budget.saturating_add(over)), millis(budget))
        })
    }

    /// The time limit's error when the deadline has passed.
    pub fn check_time(&self) -> crate::Result<()> {
        match self.time_over() {
            Some((value, limit)) => Err(crate::Error::Limit {
                what: TIME_LIMIT,
                value,
                limit,
            }),
            None => Ok(()),
        }
    }

    /// The limits for a package nested one level deeper (an APK in an `.apks`, a HAP in an App
    /// Pack): one less nesting level, or the nesting limit's error when none is left.
    pub fn nested(&self) -> crate::Result<Limits> {
        match self.max_nesting.checked_sub(1) {
            Some(max_nesting) => Ok(Limits {
                max_nesting,
                ..*self
            }),
            None => Err(crate::Error::Limit {
                what: "container nesting",
                value: 1,
                limit: 0,
            }),
        }
    }

    /// The `appvet scan` option that sets the limit an [`Error::Limit`](crate::Error::Limit)
    /// names by its `what`.
    pub fn flag(what: &str) -> Option<&'static str> {
        Some(match what {
            "zip entries" => "--max-entries",
            "zip entry size" => "--max-entry-bytes",
            "total inflated bytes" => "--max-total-bytes",
            "zip compression ratio" => "--max-ratio",
            "container nesting" => "--max-nesting",
            "DEX table items" | "Ark table items" => "--max-table-items",
            "Mach-O table items" => "--max-macho-items",
            TIME_LIMIT => "--max-scan-ms",
            _ => return None,
        })
    }
}

/// `"; raise it with --max-..."` for a limit the CLI sets, else nothing: the tail of every
/// limit error's message.
pub fn flag_hint(what: &str) -> String {
    Limits::flag(what).map_or_else(String::new, |f| format!("; raise it with {f}"))
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Total size of a package's code files (DEX, Mach-O) above which the platform readers parse
/// them in parallel: below it, starting a thread pool costs more than the parsing.
pub const PARALLEL_ABOVE_BYTES: u64 = 2 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_takes_one_level_and_errs_with_none_left() {
        let outer = Limits {
            max_nesting: 1,
            ..Limits::default()
        };
        let inner = outer.nested().unwrap();
        assert_eq!(inner.max_nesting, 0);
        assert_eq!(inner.max_entry_size, outer.max_entry_size);
        match inner.nested() {
            Err(crate::Error::Limit { what, limit, .. }) => {
                assert_eq!((what, limit), ("container nesting", 0));
                assert_eq!(Limits::flag(what), Some("--max-nesting"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_zero_budget_is_out_of_time_at_once() {
        let l = Limits {
            max_scan_time: Some(Duration::ZERO),
            ..Limits::default()
        }
        .started();
        assert!(l.out_of_time());
        let e = l.check_time().unwrap_err().to_string();
        assert!(e.contains("time per package"), "{e}");
        assert!(e.contains("--max-scan-ms"), "{e}");
    }

    #[test]
    fn no_deadline_before_start_or_without_a_budget() {
        assert!(!Limits::default().out_of_time());
        assert!(Limits::default().check_time().is_ok());
        let l = Limits {
            max_scan_time: None,
            ..Limits::default()
        }
        .started();
        assert!(l.deadline.is_none() && !l.out_of_time());
        let l = Limits::default().started();
        assert!(l.deadline.is_some() && !l.out_of_time());
    }

    #[test]
    fn every_limit_error_names_its_flag() {
        for what in [
            "zip entries",
            "zip entry size",
            "total inflated bytes",
            "zip compression ratio",
            "container nesting",
            "DEX table items",
            "Mach-O table items",
            TIME_LIMIT,
        ] {
            assert!(
                Limits::flag(what).is_some_and(|f| f.starts_with("--max-")),
                "{what}"
            );
        }
        assert_eq!(Limits::flag("something else"), None);
    }
}
