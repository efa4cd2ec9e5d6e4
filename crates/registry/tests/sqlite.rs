//! The SQLite registry: filing, the job protocol (claims, leases, refused results), concurrent
//! writers and a writer killed mid-write. The same protocol on PostgreSQL is tested with real
//! worker processes in crates/cli/tests/registry_pg.rs.

use appvet_detect::Database;
use appvet_model::Limits;
use appvet_policy::{ContextSet, Date};
use appvet_registry::{
    compare, file_package, process, DifferenceKind, FileOutcome, FiledRecord, JobState,
    ProcessOptions, Registry, RescanSpec,
};
use appvet_report::Report;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/android")
        .join(name)
}

fn opts() -> ProcessOptions<'static> {
    ProcessOptions {
        db: Database::embedded().expect("embedded signatures"),
        limits: Limits::default(),
    }
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

/// clean.apk's record and report, filed on 2026-10-01 (scanned once per test binary).
fn clean() -> &'static (FiledRecord, Report) {
    static CLEAN: OnceLock<(FiledRecord, Report)> = OnceLock::new();
    CLEAN.get_or_init(|| {
        file_package(
            &fixture("clean.apk"),
            &opts(),
            ContextSet::empty(),
            date("2026-10-01"),
            date("2026-10-01"),
        )
        .unwrap()
    })
}

fn temp_db(dir: &tempfile::TempDir) -> String {
    dir.path().join("registry.sqlite").display().to_string()
}

#[test]
fn filing_is_idempotent_and_records_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::open(&temp_db(&dir)).unwrap();
    let (record, report) = clean();
    let FileOutcome::Filed(id) = reg.file(record, report).unwrap() else {
        panic!("first filing must create a record");
    };
    assert_eq!(
        reg.file(record, report).unwrap(),
        FileOutcome::AlreadyFiled(id)
    );
    let all = reg.list().unwrap();
    assert_eq!(all.len(), 1);
    let mut expected = record.clone();
    expected.id = id;
    assert_eq!(all[0], expected);
    assert_eq!(
        all[0].cert_sha256,
        ["12449ce54c78c8a3db66e7addb0c9438d3256abe81149c4724749fbf3f4201a9"]
    );
    assert_eq!(all[0].package_id, "org.appvet.fixture.clean");
    assert_eq!(all[0].version_code.as_deref(), Some("7"));
    let (got, stored) = reg.get(id).unwrap().unwrap();
    assert_eq!(got, expected);
    let back: Report = serde_json::from_str(&stored).unwrap();
    assert_eq!(back.file.sha256, record.file_sha256);
    assert!(reg.get(id + 1).unwrap().is_none());
    assert!(reg.records_for("org.other").unwrap().is_empty());
    drop(reg);
    // Reopening migrates nothing and keeps the record.
    let mut again = Registry::open(&temp_db(&dir)).unwrap();
    assert_eq!(again.list().unwrap(), vec![expected]);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    drop(Registry::open(&path).unwrap());
    let c = rusqlite_connection(&path);
    c.execute(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'future')",
        [],
    )
    .unwrap();
    drop(c);
    let e = Registry::open(&path).unwrap_err().to_string();
    assert!(e.contains("schema version 99"), "{e}");
    assert!(e.contains(&path), "{e}");
}

fn rusqlite_connection(path: &str) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn jobs_are_claimed_once_and_leases_expire() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::open(&temp_db(&dir)).unwrap();
    let spec = RescanSpec {
        scan_date: date("2026-12-07"),
        stale_months: 6,
        context: String::new(),
    };
    let paths: Vec<String> = (0..3).map(|i| format!("/nonexistent/{i}.apk")).collect();
    let id = reg.create_rescan(&spec, &paths).unwrap();
    let a = reg.claim(Some(id), "a", 600).unwrap().unwrap();
    let b = reg.claim(Some(id), "b", 0).unwrap().unwrap();
    assert_eq!((a.seq, b.seq), (0, 1));
    assert_eq!(a.attempt, 1);
    // b's lease (0 s) expires at once: c gets b's job back... after the pending one.
    let c1 = reg.claim(Some(id), "c", 600).unwrap().unwrap();
    assert_eq!(c1.seq, 2);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let c2 = reg.claim(Some(id), "c", 600).unwrap().unwrap();
    assert_eq!((c2.id, c2.attempt), (b.id, 2));
    // Renewal: only the holder of the current claim can extend it.
    assert!(
        !reg.extend(&b, "b", 600).unwrap(),
        "b's claim was taken over"
    );
    assert!(reg.extend(&c2, "c", 0).unwrap());
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(
        reg.extend(&c2, "c", 600).unwrap(),
        "expired but not yet reclaimed"
    );
    assert!(
        reg.claim(Some(id), "e", 600).unwrap().is_none(),
        "renewed lease holds"
    );
    // b finishes late: refused, c's result stands.
    assert!(!reg.finish(&b, "b", Ok("{}")).unwrap());
    assert!(reg.finish(&c2, "c", Err("unreadable")).unwrap());
    assert!(!reg.finish(&c2, "c", Ok("{}")).unwrap(), "finished twice");
    // a's job is held: nothing left to claim.
    assert!(reg.claim(Some(id), "d", 600).unwrap().is_none());
    assert!(reg.finish(&a, "a", Ok("{}")).unwrap());
    assert!(reg.finish(&c1, "c", Ok("{}")).unwrap());
    let p = reg.progress(Some(id)).unwrap();
    assert_eq!((p.done, p.error, p.pending, p.running), (2, 1, 0, 0));
    assert!(p.finished());
    let jobs = reg.jobs(id).unwrap();
    assert_eq!(jobs[1].state, JobState::Error);
    assert_eq!(jobs[1].error.as_deref(), Some("unreadable"));
    assert_eq!(jobs[1].worker.as_deref(), Some("c"));
}

#[test]
fn a_job_that_kills_every_worker_becomes_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::open(&temp_db(&dir)).unwrap();
    let spec = RescanSpec {
        scan_date: date("2026-12-07"),
        stale_months: 6,
        context: String::new(),
    };
    let id = reg.create_rescan(&spec, &["/x.apk".into()]).unwrap();
    for attempt in 1..=3 {
        let j = reg.claim(Some(id), "w", 0).unwrap().unwrap();
        assert_eq!(j.attempt, attempt);
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    assert!(reg.claim(Some(id), "w", 0).unwrap().is_none());
    let jobs = reg.jobs(id).unwrap();
    assert_eq!(jobs[0].state, JobState::Error);
    assert!(jobs[0].error.as_deref().unwrap().contains("abandoned"));
}

#[test]
fn concurrent_writers_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    drop(Registry::open(&path).unwrap());
    let (record, report) = clean();
    const THREADS: usize = 8;
    const EACH: usize = 40;
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let path = &path;
            s.spawn(move || {
                let mut reg = Registry::open(path).unwrap();
                for i in 0..EACH {
                    let mut r = record.clone();
                    r.file_sha256 = format!("{t:02}{i:062}");
                    // Every thread also files the shared record: one of them wins.
                    assert!(matches!(
                        reg.file(&r, report).unwrap(),
                        FileOutcome::Filed(_)
                    ));
                    reg.file(record, report).unwrap();
                }
            });
        }
    });
    let mut reg = Registry::open(&path).unwrap();
    let all = reg.list().unwrap();
    assert_eq!(all.len(), THREADS * EACH + 1);
    let mut shas: Vec<&str> = all.iter().map(|r| r.file_sha256.as_str()).collect();
    shas.sort();
    shas.dedup();
    assert_eq!(shas.len(), THREADS * EACH + 1);
}

/// The child side of [`a_writer_killed_mid_write_leaves_whole_records`]: files records until
/// killed, printing each id once its transaction has committed.
#[test]
#[ignore = "run by a_writer_killed_mid_write_leaves_whole_records"]
fn crash_child() {
    let Ok(path) = std::env::var("APPVET_CRASH_CHILD_DB") else {
        return;
    };
    let start: usize = std::env::var("APPVET_CRASH_CHILD_START")
        .unwrap()
        .parse()
        .unwrap();
    let (record, report) = clean();
    let mut reg = Registry::open(&path).unwrap();
    for i in start.. {
        let mut r = record.clone();
        r.file_sha256 = format!("{i:064}");
        match reg.file(&r, report).unwrap() {
            FileOutcome::Filed(id) => println!("filed {id} {}", r.file_sha256),
            FileOutcome::AlreadyFiled(_) => unreachable!("fresh sha"),
        }
    }
}

#[test]
fn a_writer_killed_mid_write_leaves_whole_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    drop(Registry::open(&path).unwrap());
    let exe = std::env::current_exe().unwrap();
    let mut acknowledged: Vec<(i64, String)> = Vec::new();
    for round in 0..5 {
        let mut child = Command::new(&exe)
            .args(["crash_child", "--exact", "--ignored", "--nocapture"])
            .env("APPVET_CRASH_CHILD_DB", &path)
            .env("APPVET_CRASH_CHILD_START", (round * 100_000).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Kill it after a different number of commits each round, while it is writing.
        let want = 5 + round * 7;
        let mut seen = 0;
        while seen < want {
            let line = lines.next().expect("child stopped early").unwrap();
            if let Some(rest) = line.strip_prefix("filed ") {
                let (id, sha) = rest.split_once(' ').unwrap();
                acknowledged.push((id.parse().unwrap(), sha.to_string()));
                seen += 1;
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Lines printed after the last one read but before the kill are committed too.
        for line in lines.map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("filed ") {
                let (id, sha) = rest.split_once(' ').unwrap();
                acknowledged.push((id.parse().unwrap(), sha.to_string()));
            }
        }
    }
    let c = rusqlite_connection(&path);
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(c);
    let mut reg = Registry::open(&path).unwrap();
    let all = reg.list().unwrap(); // every row decodes: no torn record
    for (id, sha) in &acknowledged {
        let (r, report) = reg
            .get(*id)
            .unwrap()
            .unwrap_or_else(|| panic!("acknowledged record {id} lost"));
        assert_eq!(&r.file_sha256, sha);
        let report: Report = serde_json::from_str(&report).unwrap();
        assert_eq!(report.filing.package_id, r.package_id);
    }
    // At most one unacknowledged record per kill (committed, killed before printing).
    assert!(all.len() >= acknowledged.len());
    assert!(all.len() <= acknowledged.len() + 5);
}

#[test]
fn rescans_compare_with_the_filed_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::open(&temp_db(&dir)).unwrap();
    let (record, report) = clean();
    reg.file(record, report).unwrap();
    let spec = RescanSpec {
        scan_date: date("2026-12-07"),
        stale_months: 6,
        context: String::new(),
    };
    let kinds = |reg: &mut Registry, name: &str| -> Vec<DifferenceKind> {
        let path = fixture(name).display().to_string();
        let entry = process(reg, &path, &spec, &opts()).unwrap().unwrap();
        entry
            .comparison
            .differences
            .iter()
            .map(|d| d.kind)
            .collect()
    };
    assert_eq!(kinds(&mut reg, "clean.apk"), []);
    assert_eq!(
        kinds(&mut reg, "clean-resigned.apk"),
        [DifferenceKind::SignerChanged]
    );
    assert_eq!(
        kinds(&mut reg, "clean-sdk-added.apk"),
        [DifferenceKind::NewSdks]
    );
    assert_eq!(kinds(&mut reg, "trackers.apk"), [DifferenceKind::NotFiled]);
    let missing = process(&mut reg, "/nonexistent.apk", &spec, &opts()).unwrap();
    assert!(missing.unwrap_err().contains("nonexistent.apk"));
}

#[test]
fn stale_outdated_and_unfiled_versions() {
    let (record, report) = clean();
    let mut v7 = record.clone();
    v7.id = 1;
    // The report is for 2026-10-01: a filing of 2026-05-01 is five months old.
    v7.filed_on = date("2026-05-01");
    let c = compare(std::slice::from_ref(&v7), report, 6);
    assert!(c.differences.is_empty(), "{:?}", c.differences);
    // Filed on 2026-01-10 and still the newest on 2026-12-07: stale (> 6 months).
    v7.filed_on = date("2026-01-10");
    let mut later = report.clone();
    later.scan_date = date("2026-12-07");
    let c = compare(std::slice::from_ref(&v7), &later, 6);
    assert!(c.has(DifferenceKind::Stale));
    assert!(c.identical_file);
    // Exactly six months is not more than six months.
    later.scan_date = date("2026-07-10");
    assert!(!compare(std::slice::from_ref(&v7), &later, 6).has(DifferenceKind::Stale));
    // A newer version 8 was filed: the distributed 7 is an outdated copy, not stale.
    later.scan_date = date("2026-12-07");
    let mut v8 = v7.clone();
    v8.id = 2;
    v8.version_code = Some("8".into());
    v8.version_name = Some("1.3.0".into());
    v8.file_sha256 = "8".repeat(64);
    v8.filed_on = date("2026-11-01");
    let c = compare(&[v7.clone(), v8.clone()], &later, 6);
    assert_eq!(
        c.differences.iter().map(|d| d.kind).collect::<Vec<_>>(),
        [DifferenceKind::OutdatedCopy]
    );
    assert_eq!(c.compared_with.as_ref().unwrap().id, 1);
    assert_eq!(c.newest_filed.as_ref().unwrap().id, 2);
    // Only version 6 was filed: 7 is an unfiled version (compared with 6), not stale.
    let mut v6 = v7.clone();
    v6.version_code = Some("6".into());
    v6.version_name = Some("1.1.0".into());
    let c = compare(std::slice::from_ref(&v6), &later, 6);
    assert_eq!(
        c.differences.iter().map(|d| d.kind).collect::<Vec<_>>(),
        [DifferenceKind::VersionNotFiled]
    );
}

/// A worker renews its claim while a scan runs longer than the lease. The slow "package" is a
/// FIFO: opening it blocks until the test opens the other end.
#[cfg(unix)]
#[test]
fn a_long_scan_keeps_its_claim() {
    use appvet_registry::{run_worker, WorkerOptions};
    let dir = tempfile::tempdir().unwrap();
    let db = temp_db(&dir);
    let fifo = dir.path().join("slow.apk");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut reg = Registry::open(&db).unwrap();
    let spec = RescanSpec {
        scan_date: date("2026-12-07"),
        stale_months: 6,
        context: String::new(),
    };
    let id = reg
        .create_rescan(&spec, &[fifo.display().to_string()])
        .unwrap();
    let worker = WorkerOptions {
        worker: "slow".into(),
        rescan: Some(id),
        lease_secs: 3,
        until_done: true,
        poll: std::time::Duration::from_millis(100),
    };
    std::thread::scope(|s| {
        let db = &db;
        let w = s.spawn(move || {
            let mut reg = Registry::open(db).unwrap();
            run_worker(&mut reg, &worker, &opts(), |_| {}).unwrap()
        });
        // Twice the lease: without renewal the job would be claimable by now.
        std::thread::sleep(std::time::Duration::from_secs(6));
        let mut other = Registry::open(db).unwrap();
        let running = other.progress(Some(id)).unwrap().running;
        let stolen = other.claim(Some(id), "thief", 600).unwrap();
        // Let the scan go on (before asserting, so a failure does not leave the worker
        // blocked): the writer end opens and closes, the "package" is empty.
        drop(std::fs::OpenOptions::new().write(true).open(&fifo).unwrap());
        if let Some(j) = &stolen {
            other.finish(j, "thief", Err("taken over")).unwrap();
        }
        let stats = w.join().unwrap();
        assert_eq!(running, 1, "still scanning");
        assert!(stolen.is_none(), "the running worker's lease lapsed");
        assert_eq!((stats.finished, stats.errors, stats.refused), (1, 1, 0));
    });
    let jobs = reg.jobs(id).unwrap();
    assert_eq!(jobs[0].state, JobState::Error);
    assert_eq!(jobs[0].attempts, 1);
    assert!(jobs[0].error.as_deref().unwrap().contains("slow.apk"));
}
