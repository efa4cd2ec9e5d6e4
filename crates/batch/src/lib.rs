//! Batch scanning, for app stores gating every upload and education bureaus rescanning every
//! filed app:
//!
//! - [`discover`]: the package files under the given paths, in the order given (directories
//!   are walked, their packages sorted; symlinked directories are not followed);
//! - [`run`]: scans them in parallel (a rayon pool of `jobs` threads) and hands each
//!   [`Outcome`] — a report or an error naming the file — to a callback on the caller's thread,
//!   in input order. Workers hold one package each and run at most a small window ahead of the
//!   output, so memory stays flat however long the batch;
//! - [`ResumeIndex`]: which files an earlier (interrupted) run already wrote a result for,
//!   identified by path, size, modification time and SHA-256;
//! - [`Summary`]: the batch at a glance — apps per verdict, per-clause counts of violations and
//!   reviews, the SDKs most apps embed — as CSV or Markdown.

mod summary;

pub use summary::{csv_cell, Brief, ClauseRow, SdkRow, Summary};

use appvet_detect::Database;
use appvet_model::Limits;
use appvet_policy::Inputs;
use appvet_report::Report;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// File name extensions appvet scans when walking a directory.
pub const PACKAGE_EXTENSIONS: &[&str] = &[
    "apk", "apks", "xapk", "apkm", "aab", "ipa", "wxapkg", "hap", "app",
];

fn is_package_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PACKAGE_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// The package files named by `paths`, in the order given: a file as given (whatever its
/// name), a directory walked recursively for [`PACKAGE_EXTENSIONS`] with its packages sorted
/// by path. A file named twice (or also found in a walked directory) is listed once, where it
/// first appears. Directory entries that cannot be read are returned as errors beside the list.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, io::Error)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                walk(p, &mut found, &mut errors);
                found.sort();
                files.extend(found.into_iter().filter(|f| seen.insert(f.clone())));
            }
            // A missing or unreadable file is scanned anyway, so the error names it.
            _ => {
                if seen.insert(p.clone()) {
                    files.push(p.clone());
                }
            }
        }
    }
    (files, errors)
}

/// The package files under `root` (unsorted).
fn walk(root: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, io::Error)>) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = match std::fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) => {
                errors.push((dir, e));
                continue;
            }
        };
        for entry in rd {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push((dir.clone(), e));
                    continue;
                }
            };
            let path = entry.path();
            // file_type() does not follow symlinks: a symlinked directory is not walked (no
            // loops), a symlinked package file is scanned.
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(_) if is_package_name(&path) => files.push(path),
                Ok(_) => {}
                Err(e) => errors.push((path, e)),
            }
        }
    }
}

/// What a scan of one file produced.
pub enum Outcome {
    Report(Box<Report>),
    Error {
        path: PathBuf,
        message: String,
    },
    /// Skipped because an earlier run already has its result (`--resume`); what the summary
    /// needs of that result.
    Skipped {
        path: PathBuf,
        earlier: Option<Box<Brief>>,
    },
}

/// How to scan a batch.
pub struct Options<'a> {
    /// Worker threads (at least 1).
    pub jobs: usize,
    pub limits: Limits,
    pub db: Option<&'a Database>,
    pub inputs: &'a Inputs<'a>,
    /// Keep the full inventory in each report (large; batch summaries don't need it).
    pub keep_inventory: bool,
    /// Files an earlier run already scanned.
    pub resume: Option<&'a ResumeIndex>,
}

/// Most files a worker may run ahead of the oldest result not yet handed over, when they are
/// small (see [`run`]).
pub const AHEAD_FILES: usize = 256;
/// Most package bytes in the files after the oldest result not yet handed over, up to and
/// including the one a worker would take, beyond the `4 × jobs` files always allowed.
pub const AHEAD_BYTES: u64 = 64 << 20;

/// Whether a worker may take file `i` while the consumer waits for file `emitted`: within
/// `window` files, or within [`AHEAD_FILES`] files and [`AHEAD_BYTES`] bytes (`ends[k]`: total
/// size of the first `k` files).
fn may_take(i: usize, emitted: usize, window: usize, ends: &[u64]) -> bool {
    if i < emitted.saturating_add(window) {
        return true;
    }
    if i >= emitted.saturating_add(AHEAD_FILES) {
        return false;
    }
    match (ends.get(i + 1), ends.get(emitted + 1)) {
        (Some(end), Some(start)) => end.saturating_sub(*start) <= AHEAD_BYTES,
        _ => false,
    }
}

/// Shared between the workers and the consumer of [`run`].
struct Window {
    /// Outcomes handed to the consumer so far (they go in input order).
    emitted: usize,
    /// The consumer stopped (its callback failed): workers take no more files.
    stopped: bool,
}

/// Scan `files` in parallel and call `on_outcome` on this thread for each result, in the order
/// of `files` (so output is reproducible whatever `jobs` is). Returns when every file has been
/// handed over, or with the first error `on_outcome` returns (the remaining files are not
/// scanned).
///
/// Memory: workers take files in order from a shared counter and never run more than
/// `4 × jobs` files ahead of the oldest result not yet handed over — or, while the files in
/// between are small, up to [`AHEAD_FILES`] files and [`AHEAD_BYTES`] of package bytes ahead,
/// so that one large package does not hold the other workers idle. What waits in memory is
/// bounded either way, however long the batch.
pub fn run(
    files: &[PathBuf],
    opts: &Options<'_>,
    on_outcome: impl FnMut(Outcome) -> io::Result<()>,
) -> io::Result<()> {
    run_map(files, opts, |o| o, on_outcome)
}

/// [`run`], with `map` applied to each outcome on the worker that produced it (in parallel)
/// before `on_result` gets it on this thread, in input order. Put the per-package work of the
/// consumer in `map` — rendering a report, say — so the consumer thread only writes.
pub fn run_map<T: Send>(
    files: &[PathBuf],
    opts: &Options<'_>,
    map: impl Fn(Outcome) -> T + Sync,
    mut on_outcome: impl FnMut(T) -> io::Result<()>,
) -> io::Result<()> {
    if let [path] = files {
        // A lone package is scanned on this thread: starting a pool and a writer thread costs
        // more than a small package's whole scan. (Work inside one package, such as several
        // DEX files, still runs in parallel, on rayon's global pool.)
        return on_outcome(map(scan_one(path, opts)));
    }
    let jobs = opts.jobs.max(1);
    let window = 4 * jobs;
    // Running totals of the files' sizes (unreadable: 0; scanning reports the error).
    let ends: Vec<u64> = std::iter::once(0)
        .chain(files.iter().scan(0u64, |total, f| {
            *total = total.saturating_add(std::fs::metadata(f).map_or(0, |m| m.len()));
            Some(*total)
        }))
        .collect();
    let ends = &ends;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(io::Error::other)?;
    let next = AtomicUsize::new(0);
    let state = Mutex::new(Window {
        emitted: 0,
        stopped: false,
    });
    let advanced = Condvar::new();
    let (tx, rx) = mpsc::channel::<(usize, T)>();
    let mut result = Ok(());
    std::thread::scope(|scope| {
        let (next, state, advanced, map) = (&next, &state, &advanced, &map);
        scope.spawn(move || {
            pool.scope(|s| {
                for _ in 0..jobs {
                    let tx = tx.clone();
                    s.spawn(move |_| loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = files.get(i) else { break };
                        {
                            let mut w = lock(state);
                            while !w.stopped && !may_take(i, w.emitted, window, ends) {
                                w = advanced.wait(w).unwrap_or_else(|e| e.into_inner());
                            }
                            if w.stopped {
                                break;
                            }
                        }
                        if tx.send((i, map(scan_one(path, opts)))).is_err() {
                            break;
                        }
                    });
                }
                drop(tx);
            });
        });
        // Results that arrived before their turn.
        let mut pending: BTreeMap<usize, T> = BTreeMap::new();
        let mut emitted = 0usize;
        for (i, outcome) in rx.iter() {
            pending.insert(i, outcome);
            while let Some(outcome) = pending.remove(&emitted) {
                emitted += 1;
                if result.is_ok() {
                    result = on_outcome(outcome);
                }
                let mut w = lock(state);
                w.emitted = emitted;
                w.stopped = result.is_err();
                advanced.notify_all();
            }
            if result.is_err() {
                break;
            }
        }
        // Dropping the receiver makes the workers' next send fail; they stop.
        drop(rx);
    });
    result
}

fn lock(m: &Mutex<Window>) -> std::sync::MutexGuard<'_, Window> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn scan_one(path: &Path, opts: &Options<'_>) -> Outcome {
    if let Some(index) = opts.resume {
        if let Some(earlier) = index.lookup(path) {
            return Outcome::Skipped {
                path: path.to_path_buf(),
                earlier: earlier.map(|b| Box::new(b.clone())),
            };
        }
    }
    match appvet_scan::scan_path_with(path, &opts.limits, opts.db) {
        Ok(doc) => {
            let report = Report::build(doc, opts.inputs);
            Outcome::Report(Box::new(if opts.keep_inventory {
                report
            } else {
                report.without_inventory()
            }))
        }
        Err(e) => Outcome::Error {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
    }
}

/// Identity of a scanned file: what `--resume` compares.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct FileKey {
    path: String,
    size: u64,
    modified: String,
}

/// The files an earlier run wrote reports for, read from its JSON Lines output. Error records
/// are not results: those files are scanned again.
#[derive(Debug, Default)]
pub struct ResumeIndex {
    /// (path, size, modified) → sha256 of the file when it was scanned, and what the summary
    /// needs of its report (when the line could be read as one).
    done: HashMap<FileKey, (String, Option<Brief>)>,
}

impl ResumeIndex {
    /// Read a JSON Lines output file. Lines that are not reports (error records, a last line
    /// cut short by an interrupted run, even inside a character) are ignored.
    pub fn load(path: &Path) -> io::Result<ResumeIndex> {
        let mut index = ResumeIndex::default();
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(index),
            Err(e) => return Err(e),
        };
        // Lines as bytes: a run killed in the middle of a write leaves a last line that may
        // not even be UTF-8.
        for line in io::BufReader::new(file).split(b'\n') {
            let line = line?;
            let Ok(v) = serde_json::from_slice::<serde_json::Value>(&line) else {
                continue;
            };
            let f = &v["file"];
            if let (Some(p), Some(size), Some(modified), Some(sha)) = (
                f["path"].as_str(),
                f["size"].as_u64(),
                f["modified"].as_str(),
                f["sha256"].as_str(),
            ) {
                let brief = serde_json::from_value::<Brief>(v.clone()).ok();
                // A later line for the same file supersedes an earlier one.
                index.done.insert(
                    FileKey {
                        path: p.to_string(),
                        size,
                        modified: modified.to_string(),
                    },
                    (sha.to_string(), brief),
                );
            }
        }
        Ok(index)
    }

    pub fn len(&self) -> usize {
        self.done.len()
    }

    pub fn is_empty(&self) -> bool {
        self.done.is_empty()
    }

    /// Does the earlier run have a report for this very file (same path, size, modification
    /// time and content)? The hash is only computed when the cheap fields match.
    pub fn contains(&self, path: &Path) -> bool {
        self.lookup(path).is_some()
    }

    /// The earlier run's result for this very file: `Some(brief)` when it has one (`brief` is
    /// what the summary needs, when the line could be read as a report).
    pub fn lookup(&self, path: &Path) -> Option<Option<&Brief>> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = appvet_scan::modified_time(&meta)?;
        let key = FileKey {
            path: path.display().to_string(),
            size: meta.len(),
            modified,
        };
        let (sha, brief) = self.done.get(&key)?;
        let mut hasher = Sha256::new();
        std::fs::File::open(path)
            .and_then(|mut f| io::copy(&mut f, &mut hasher))
            .ok()?;
        (hex::encode(hasher.finalize()) == *sha).then_some(brief.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::{may_take, AHEAD_BYTES, AHEAD_FILES};

    /// Running totals for files of these sizes.
    fn ends(sizes: &[u64]) -> Vec<u64> {
        std::iter::once(0)
            .chain(sizes.iter().scan(0, |t, s| {
                *t += s;
                Some(*t)
            }))
            .collect()
    }

    #[test]
    fn small_files_may_run_ahead_of_a_large_one_within_the_bounds() {
        // File 0 is large and still being scanned; the rest are small.
        let mut sizes = vec![45 << 20];
        sizes.extend(std::iter::repeat_n(10_000u64, 400));
        let e = ends(&sizes);
        assert!(may_take(7, 0, 8, &e), "inside the window");
        assert!(
            may_take(100, 0, 8, &e),
            "small files, within the byte budget"
        );
        assert!(may_take(AHEAD_FILES - 1, 0, 8, &e));
        assert!(
            !may_take(AHEAD_FILES, 0, 8, &e),
            "never more than AHEAD_FILES"
        );
    }

    #[test]
    fn large_files_ahead_count_against_the_byte_budget() {
        let big = AHEAD_BYTES / 2 + 1;
        let e = ends(&[1, 10, 10, 10, 10, 10, 10, 10, 10, big, big, 10]);
        assert!(may_take(9, 0, 8, &e), "one large file fits");
        assert!(!may_take(10, 0, 8, &e), "two do not");
        assert!(!may_take(11, 0, 8, &e), "nor anything after them");
        assert!(may_take(10, 3, 8, &e), "the window alone allows it");
        assert!(!may_take(50, 0, 8, &e), "past the list");
    }
}
