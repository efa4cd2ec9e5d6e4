//! The shared registry on a real PostgreSQL: four `appvet registry worker` processes on one
//! rescan of many packages, one of them killed midway, one job abandoned by a claimant that
//! never finishes. Every package must be scanned once and nothing lost.
//!
//! `scripts/test.sh` starts a throwaway server and sets `APPVET_TEST_POSTGRES` (a URL to a
//! database whose user may create databases). Without it the test is skipped, except under CI
//! (`CI` set), where a missing server is a failure.

use appvet_registry::Registry;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod common;
use common::*;

const PACKAGES: usize = 240;
const WORKERS: usize = 4;
/// Worker lease in the test: short, so the killed worker's job comes back soon.
const LEASE_SECS: &str = "4";
/// A guard against a hang (not a timing assertion): the whole rescan takes a few seconds.
const HANG_GUARD: Duration = Duration::from_secs(300);

fn server() -> Option<String> {
    match std::env::var("APPVET_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI is set but APPVET_TEST_POSTGRES is not: run the tests with scripts/test.sh")
        }
        _ => {
            eprintln!("skipped: APPVET_TEST_POSTGRES is not set (scripts/test.sh sets it)");
            None
        }
    }
}

/// A fresh database on the test server, dropped when done.
struct TestDb {
    admin: String,
    name: String,
    url: String,
}

impl TestDb {
    fn new(admin: &str, tag: &str) -> TestDb {
        let name = format!("appvet_test_{}_{tag}", std::process::id());
        let mut c = postgres::Client::connect(admin, postgres::NoTls).expect("connect");
        // One statement per call: DROP/CREATE DATABASE cannot run in a transaction block.
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let (base, _) = admin.rsplit_once('/').expect("URL with a database");
        TestDb {
            admin: admin.to_string(),
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn appvet(url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_appvet"));
    c.args(["registry", "--registry", url]);
    c
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// One finished-job line of a worker's log.
#[derive(Debug)]
struct Line {
    worker: usize,
    job: i64,
    accepted: bool,
}

#[test]
fn four_workers_one_killed_scan_every_package_once() {
    let Some(admin) = server() else { return };
    let db = TestDb::new(&admin, "workers");
    run_ok(
        appvet(&db.url)
            .args(["file", "--filed-on", "2026-10-01"])
            .args(
                [
                    "clean.apk",
                    "trackers.apk",
                    "permissions.apk",
                    "network.apk",
                ]
                .map(android),
            ),
    );

    // Many packages: copies of the fixtures, some changed, some never filed.
    let dist = std::env::temp_dir().join(format!("appvet-pg-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).unwrap();
    let sources = [
        "clean.apk",
        "clean-sdk-added.apk",
        "clean-resigned.apk",
        "trackers.apk",
        "permissions.apk",
        "network.apk",
        "insecure.apk",
        "biometric.apk",
    ];
    for i in 0..PACKAGES {
        let src = sources[i % sources.len()];
        std::fs::copy(android(src), dist.join(format!("{i:04}-{src}"))).unwrap();
    }
    let id: i64 = run_ok(
        appvet(&db.url)
            .args(["rescan", "--enqueue-only", "--scan-date", "2026-12-07"])
            .arg(&dist),
    )
    .trim()
    .parse()
    .unwrap();

    // A claimant that takes a job and never finishes it (as a worker whose machine lost power
    // would): its 2-second lease must expire and the job be done by a worker.
    let mut abandoner = Registry::open(&db.url).unwrap();
    let abandoned = abandoner
        .claim(Some(id), "abandoner", 2)
        .unwrap()
        .expect("a job to claim");

    let mut watch = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    let (tx, rx) = mpsc::channel::<Line>();
    let mut workers: Vec<Child> = (0..WORKERS)
        .map(|w| {
            let mut child = appvet(&db.url)
                .args([
                    "worker",
                    "--until-done",
                    "--poll",
                    "0.2",
                    "--lease",
                    LEASE_SECS,
                ])
                .args([
                    "--rescan",
                    &id.to_string(),
                    "--name",
                    &format!("test-worker-{w}"),
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let out = child.stdout.take().unwrap();
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
                    let _ = tx.send(Line {
                        worker: w,
                        job: v["job"].as_i64().unwrap(),
                        accepted: v["accepted"].as_bool().unwrap(),
                    });
                }
            });
            child
        })
        .collect();
    drop(tx);

    // Kill worker 0 (SIGKILL) once it has finished a few jobs: it dies mid-job.
    let start = Instant::now();
    let mut lines: Vec<Line> = Vec::new();
    let mut killed = false;
    while !killed {
        let line = rx
            .recv_timeout(HANG_GUARD.saturating_sub(start.elapsed()))
            .expect("workers stopped reporting");
        let by_victim = line.worker == 0;
        lines.push(line);
        if by_victim && lines.iter().filter(|l| l.worker == 0).count() >= 5 {
            // Wait until it holds a job (it does most of the time), then kill it.
            while held_by(&mut watch, "test-worker-0").is_none() {
                assert!(start.elapsed() < HANG_GUARD, "worker 0 never held a job");
            }
            workers[0].kill().unwrap();
            workers[0].wait().unwrap();
            killed = true;
        }
    }
    // The job it held when it died (it may have finished that one just before the signal
    // landed, and died between jobs: then there is none).
    let victim_job = held_by(&mut watch, "test-worker-0");
    let victim_lines = lines.iter().filter(|l| l.worker == 0).count();
    for (w, child) in workers.iter_mut().enumerate().skip(1) {
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    std::io::Read::read_to_string(&mut e, &mut err).unwrap();
                }
                assert!(status.success(), "worker {w}: {err}");
                eprintln!("{}", err.trim());
                break;
            }
            assert!(start.elapsed() < HANG_GUARD, "worker {w} did not finish");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    lines.extend(rx.try_iter());

    let mut reg = Registry::open(&db.url).unwrap();
    let jobs = reg.jobs(id).unwrap();
    assert_eq!(jobs.len(), PACKAGES);
    let progress = reg.progress(Some(id)).unwrap();
    let lost = jobs
        .iter()
        .filter(|j| j.state != appvet_registry::JobState::Done)
        .count();
    let mut accepted: BTreeMap<i64, usize> = BTreeMap::new();
    for l in lines.iter().filter(|l| l.accepted) {
        *accepted.entry(l.job).or_default() += 1;
    }
    let duplicates = accepted.values().filter(|&&n| n > 1).count();
    let refused = lines.iter().filter(|l| !l.accepted).count();
    let reclaimed: Vec<i64> = jobs
        .iter()
        .filter(|j| j.attempts > 1)
        .map(|j| j.id)
        .collect();
    eprintln!(
        "registry_pg: {PACKAGES} packages, {WORKERS} workers (worker 0 killed after {victim_lines} jobs), \
         done {}, error {}, lost {lost}, duplicates {duplicates}, refused late results {refused}, \
         jobs reclaimed after a lease expired {} (abandoned job {}: attempts {}; killed worker's job {:?}), {:.1} s",
        progress.done,
        progress.error,
        reclaimed.len(),
        abandoned.id,
        jobs.iter().find(|j| j.id == abandoned.id).unwrap().attempts,
        victim_job,
        start.elapsed().as_secs_f64()
    );
    assert_eq!(lost, 0, "jobs without a result");
    assert_eq!(duplicates, 0, "jobs with two accepted results");
    // Every job's result was recorded by a worker that said so, except at most the one the
    // victim recorded just before it died (committed, not yet logged).
    assert!(accepted.len() >= PACKAGES - 1, "{} logged", accepted.len());
    assert!(progress.finished() && progress.done as usize == PACKAGES);
    // The abandoned job was reclaimed and finished by a real worker.
    let aj = jobs.iter().find(|j| j.id == abandoned.id).unwrap();
    assert!(aj.attempts >= 2, "{aj:?}");
    assert!(aj.worker.as_deref().unwrap().starts_with("test-worker-"));
    // So was the job the killed worker held.
    if let Some(v) = victim_job {
        let vj = jobs.iter().find(|j| j.id == v).unwrap();
        assert!(vj.attempts >= 2, "{vj:?}");
        assert_ne!(vj.worker.as_deref(), Some("test-worker-0"));
    }
    // Its holder's late result is refused.
    assert!(!abandoner.finish(&abandoned, "abandoner", Ok("{}")).unwrap());
    // Results are the comparisons: the re-signed copies are flagged, the filed files are not.
    for j in &jobs {
        let entry: serde_json::Value = serde_json::from_str(j.result.as_deref().unwrap()).unwrap();
        let kinds: Vec<&str> = entry["differences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["kind"].as_str().unwrap())
            .collect();
        if j.path.ends_with("clean-resigned.apk") {
            assert_eq!(kinds, ["signer-changed"], "{}", j.path);
        } else if j.path.ends_with("-clean.apk") || j.path.ends_with("-trackers.apk") {
            assert!(kinds.is_empty(), "{}: {kinds:?}", j.path);
        } else if j.path.ends_with("insecure.apk") {
            assert_eq!(kinds, ["not-filed"], "{}", j.path);
        }
    }
    let _ = std::fs::remove_dir_all(&dist);
}

/// The job a worker holds (claimed, no result yet), if any.
fn held_by(c: &mut postgres::Client, worker: &str) -> Option<i64> {
    c.query_opt(
        "SELECT id FROM jobs WHERE worker = $1 AND state = 'running' LIMIT 1",
        &[&worker],
    )
    .unwrap()
    .map(|r| r.get(0))
}
