//! Each limit, set low, stops a real fixture with an error (or anomaly) that names the limit and
//! the option raising it; the time limit is tested with a zero budget (deterministic: the
//! deadline has passed before the first entry is read), never with a clock race.

use appvet_model::{Limits, TIME_LIMIT};
use std::time::Duration;

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/{rel}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

const FIXTURES: [&str; 6] = [
    "android/trackers.apk",
    "android/multidex.apk",
    "android/splits.apks",
    "android/bundle.aab",
    "ios/ads.ipa",
    "ios/fat.ipa",
];

#[test]
fn a_zero_time_budget_is_the_time_limit_error_for_every_fixture() {
    let limits = Limits {
        max_scan_time: Some(Duration::ZERO),
        ..Limits::default()
    };
    for f in FIXTURES {
        let e = appvet_scan::scan_package(&fixture(f), &limits).unwrap_err();
        assert!(
            matches!(e, appvet_model::Error::Limit { what, .. } if what == TIME_LIMIT),
            "{f}: {e}"
        );
        assert!(e.to_string().contains("--max-scan-ms"), "{f}: {e}");
    }
}

#[test]
fn the_default_budget_and_none_scan_every_fixture() {
    let none = Limits {
        max_scan_time: None,
        ..Limits::default()
    };
    for f in FIXTURES {
        let data = fixture(f);
        assert!(
            appvet_scan::scan_package(&data, &Limits::default()).is_ok(),
            "{f}"
        );
        assert!(appvet_scan::scan_package(&data, &none).is_ok(), "{f}");
    }
}

fn error_with(rel: &str, limits: Limits) -> String {
    appvet_scan::scan_package(&fixture(rel), &limits)
        .map(|s| format!("scanned: {:?}", s.inventory.anomalies))
        .unwrap_or_else(|e| e.to_string())
}

fn anomalies_with(rel: &str, limits: Limits) -> String {
    let s = appvet_scan::scan_package(&fixture(rel), &limits).expect("scans");
    s.inventory
        .anomalies
        .iter()
        .map(|a| a.message.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn each_exceeded_limit_names_itself_and_its_option() {
    let d = Limits::default();
    let e = error_with(
        "android/trackers.apk",
        Limits {
            max_zip_entries: 2,
            ..d
        },
    );
    assert!(
        e.contains("zip entries") && e.contains("--max-entries"),
        "{e}"
    );
    let e = error_with(
        "android/trackers.apk",
        Limits {
            max_entry_size: 100,
            ..d
        },
    );
    assert!(
        e.contains("zip entry size") && e.contains("--max-entry-bytes"),
        "{e}"
    );
    let e = error_with(
        "android/trackers.apk",
        Limits {
            max_total_inflated: 100,
            ..d
        },
    );
    assert!(
        e.contains("total inflated bytes") && e.contains("--max-total-bytes"),
        "{e}"
    );
    let e = error_with(
        "android/splits.apks",
        Limits {
            max_nesting: 0,
            ..d
        },
    );
    assert!(
        e.contains("container nesting") && e.contains("--max-nesting"),
        "{e}"
    );
    let a = anomalies_with(
        "android/trackers.apk",
        Limits {
            max_table_items: 3,
            ..d
        },
    );
    assert!(
        a.contains("DEX table items") && a.contains("--max-table-items"),
        "{a}"
    );
    let a = anomalies_with(
        "ios/ads.ipa",
        Limits {
            max_macho_items: 3,
            ..d
        },
    );
    assert!(
        a.contains("Mach-O table items") && a.contains("--max-macho-items"),
        "{a}"
    );
}
