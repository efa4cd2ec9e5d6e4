//! Filing a package, and processing rescan jobs: scan, report, compare.

use crate::diff::{compare, newest, same_version, Comparison};
use crate::store::{FiledRecord, Job, Registry, RescanSpec};
use crate::Result;
use appvet_detect::Database;
use appvet_model::Limits;
use appvet_policy::{ContextSet, Date, Inputs, Verdict};
use appvet_report::Report;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

/// What scanning needs beside the package.
#[derive(Debug, Clone, Copy)]
pub struct ProcessOptions<'a> {
    pub db: &'a Database,
    pub limits: Limits,
}

/// Scans a package and makes its filed record (filed on `filed_on`, judged for `context` as
/// of `scan_date`). Err: why the package could not be scanned, naming it.
pub fn file_package(
    path: &Path,
    opts: &ProcessOptions<'_>,
    context: ContextSet,
    scan_date: Date,
    filed_on: Date,
) -> Result<(FiledRecord, Report), String> {
    let doc = appvet_scan::scan_path_with(path, &opts.limits, Some(opts.db))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let sha = doc.file.sha256.clone();
    let mut inputs = Inputs::new(context, scan_date);
    inputs.file_sha256 = Some(&sha);
    let report = Report::build(doc, &inputs).without_inventory();
    Ok((FiledRecord::from_report(&report, filed_on), report))
}

/// One rescanned copy: its identity, verdict, the comparison with what was filed, and its
/// report (without the inventory).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RescanEntry {
    /// The package file as the rescan listed it.
    pub path: String,
    pub package_id: String,
    pub platform: String,
    pub version_code: Option<String>,
    pub version_name: Option<String>,
    pub label: Option<String>,
    pub file_sha256: String,
    pub verdict: Verdict,
    #[serde(flatten)]
    pub comparison: Comparison,
    pub report: Report,
}

/// Scans a job's package, judges it against the filed record it is compared with (so the
/// report's JJS265-annex-1 and JJH55-4 speak to the registry), and compares it with every filed
/// version of its package. The outer error is the registry's; the inner one says why the
/// package could not be scanned (the job's error record).
pub fn process(
    reg: &mut Registry,
    path: &str,
    spec: &RescanSpec,
    opts: &ProcessOptions<'_>,
) -> Result<Result<RescanEntry, String>> {
    let doc = match appvet_scan::scan_path_with(Path::new(path), &opts.limits, Some(opts.db)) {
        Ok(doc) => doc,
        Err(e) => return Ok(Err(format!("{path}: {e}"))),
    };
    let records = reg.records_for(&doc.package.id)?;
    let sha = doc.file.sha256.clone();
    let base = same_version(
        &records,
        doc.package.version_code.as_deref(),
        doc.package.version_name.as_deref(),
        &sha,
    )
    .or_else(|| newest(&records));
    let filed = appvet_policy::Registry {
        apps: base.map(FiledRecord::to_filed_app).into_iter().collect(),
    };
    let context = match ContextSet::parse_all(spec.context.split(',').filter(|s| !s.is_empty())) {
        Ok(c) => c,
        Err(e) => {
            return Err(crate::Error::Invalid(format!(
                "rescan context {:?}: {e}",
                spec.context
            )))
        }
    };
    let mut inputs = Inputs::new(context, spec.scan_date);
    inputs.file_sha256 = Some(&sha);
    inputs.registry = Some(&filed);
    inputs.thresholds.stale_months = spec.stale_months;
    let report = Report::build(doc, &inputs).without_inventory();
    let comparison = compare(&records, &report, spec.stale_months);
    let f = &report.filing;
    Ok(Ok(RescanEntry {
        path: path.to_string(),
        package_id: f.package_id.clone(),
        platform: serde_json::to_value(f.platform)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        version_code: f.version_code.clone(),
        version_name: f.version_name.clone(),
        label: f.label.clone(),
        file_sha256: report.file.sha256.clone(),
        verdict: report.verdict,
        comparison,
        report,
    }))
}

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// This worker's name in the jobs table (unique across all workers).
    pub worker: String,
    /// Only this rescan's jobs (None: any rescan's).
    pub rescan: Option<i64>,
    /// Seconds a claim holds unless renewed; a job whose worker has not finished or renewed
    /// it by then is claimed again. The worker renews it every third of the lease while it
    /// scans (from 3 s up; a shorter lease is not renewed).
    pub lease_secs: u32,
    /// Return once every job (of the rescan, or of all rescans) has its result, waiting for
    /// jobs other workers hold (and reclaiming them when their leases expire). Otherwise the
    /// worker runs until stopped, polling for new jobs.
    pub until_done: bool,
    /// How long to wait before asking again when no job is claimable.
    pub poll: Duration,
}

/// What a worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct WorkerStats {
    /// Jobs finished (done or error) with this worker's result.
    pub finished: u64,
    /// Of those, packages that could not be scanned.
    pub errors: u64,
    /// Jobs this worker processed whose result was refused: its lease had expired and another
    /// worker had claimed the job.
    pub refused: u64,
}

/// A worker's events, for progress output.
pub enum WorkerEvent<'a> {
    Claimed(&'a Job),
    Finished { job: &'a Job, accepted: bool },
}

/// Claims and processes jobs until done (or forever, see [`WorkerOptions::until_done`]).
pub fn run_worker(
    reg: &mut Registry,
    w: &WorkerOptions,
    opts: &ProcessOptions<'_>,
    mut on_event: impl FnMut(WorkerEvent<'_>),
) -> Result<WorkerStats> {
    let mut stats = WorkerStats::default();
    let mut specs: HashMap<i64, RescanSpec> = HashMap::new();
    let mut heartbeat = if w.lease_secs >= 3 {
        Some(reg.reopen()?)
    } else {
        None
    };
    loop {
        let Some(job) = reg.claim(w.rescan, &w.worker, w.lease_secs)? else {
            if w.until_done && reg.progress(w.rescan)?.finished() {
                return Ok(stats);
            }
            std::thread::sleep(w.poll);
            continue;
        };
        on_event(WorkerEvent::Claimed(&job));
        let spec = match specs.get(&job.rescan_id) {
            Some(s) => s.clone(),
            None => {
                let info = reg.rescan(job.rescan_id)?.ok_or_else(|| {
                    crate::Error::Invalid(format!(
                        "job {} belongs to rescan {}, which does not exist",
                        job.id, job.rescan_id
                    ))
                })?;
                specs.insert(job.rescan_id, info.spec.clone());
                info.spec
            }
        };
        // While the package is scanned, a second connection renews the lease every third of
        // it, so a scan longer than the lease is not taken over by another worker; a worker
        // that dies stops renewing, and its job comes back when the lease runs out.
        let outcome = match heartbeat.as_mut() {
            Some(hb) => {
                let (stop, stopped) = std::sync::mpsc::channel::<()>();
                let every = Duration::from_millis(u64::from(w.lease_secs) * 1000 / 3);
                std::thread::scope(|s| {
                    let (job, worker, lease) = (&job, &w.worker, w.lease_secs);
                    s.spawn(move || {
                        while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                            stopped.recv_timeout(every)
                        {
                            // An error here only means the lease is not renewed this time.
                            if !hb.extend(job, worker, lease).unwrap_or(true) {
                                break;
                            }
                        }
                    });
                    let outcome = process(reg, &job.path, &spec, opts);
                    drop(stop);
                    outcome
                })?
            }
            None => process(reg, &job.path, &spec, opts)?,
        };
        let json;
        let result = match &outcome {
            Ok(entry) => {
                json = serde_json::to_string(entry).map_err(|e| {
                    crate::Error::Invalid(format!("cannot serialise a rescan entry: {e}"))
                })?;
                Ok(json.as_str())
            }
            Err(message) => Err(message.as_str()),
        };
        let accepted = reg.finish(&job, &w.worker, result)?;
        if accepted {
            stats.finished += 1;
            stats.errors += u64::from(outcome.is_err());
        } else {
            stats.refused += 1;
        }
        on_event(WorkerEvent::Finished {
            job: &job,
            accepted,
        });
    }
}

/// A worker name unique across machines and processes: host, process id and a suffix.
pub fn default_worker_name(suffix: &str) -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".into());
    format!("{host}:{}:{suffix}", std::process::id())
}
