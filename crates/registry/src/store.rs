//! The registry's records and the two backends behind one type.

use crate::{pg, sqlite, Error, Result};
use appvet_policy::{Date, FiledApp, Status};
use appvet_report::Report;
use serde::{Deserialize, Serialize};

/// Schema version this appvet writes (the `schema_migrations` table records what a database
/// has; a newer one is refused, an older one migrated).
pub(crate) const SCHEMA_VERSION: i64 = 1;

/// A job claimed this many times without a result (its workers died each time) becomes an
/// error record instead of being handed out again: a package that kills workers must not stall
/// a rescan.
pub(crate) const MAX_ATTEMPTS: i64 = 3;

/// One filed version of an app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiledRecord {
    /// Registry id (0 before the record is stored).
    pub id: i64,
    pub package_id: String,
    /// `android` or `ios`.
    pub platform: String,
    pub version_code: Option<String>,
    pub version_name: Option<String>,
    pub label: Option<String>,
    /// The developer as the signer certificate names it.
    pub developer: Option<String>,
    /// SHA-256 fingerprints of the signer certificates (lower-case hex).
    pub cert_sha256: Vec<String>,
    /// SDK ids of the signature database.
    pub sdks: Vec<String>,
    /// Requested permissions / usage keys.
    pub permissions: Vec<String>,
    /// Clauses the filed version violated (when it was filed).
    pub violations: Vec<String>,
    /// The filed version's verdict (`pass`, `needs-review`, `fail`).
    pub verdict: String,
    /// File name of the filed package (no directory).
    pub file_name: String,
    pub file_sha256: String,
    pub file_size: u64,
    /// The date of filing (备案日期), which decides staleness.
    pub filed_on: Date,
    /// When the record was written (RFC 3339, UTC).
    pub filed_at: String,
    /// The deployment contexts it was filed for (comma-separated; empty: not specified).
    pub context: String,
}

impl FiledRecord {
    /// The record of a filed version, from its report.
    pub fn from_report(report: &Report, filed_on: Date) -> FiledRecord {
        let f = &report.filing;
        let name = report.file_name().to_string();
        FiledRecord {
            id: 0,
            package_id: f.package_id.clone(),
            platform: word(&f.platform),
            version_code: f.version_code.clone(),
            version_name: f.version_name.clone(),
            label: f.label.clone(),
            developer: f.developer.clone(),
            cert_sha256: f
                .certificates
                .iter()
                .map(|c| c.sha256.to_ascii_lowercase())
                .collect(),
            sdks: f.sdks.iter().map(|s| s.id.clone()).collect(),
            permissions: f.permissions.clone(),
            violations: violations(report),
            verdict: word(&report.verdict),
            file_name: name,
            file_sha256: report.file.sha256.clone(),
            file_size: report.file.size,
            filed_on,
            filed_at: now_rfc3339(),
            context: report
                .context
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    /// The entry policy evaluation compares against (JJS265 附件 注1).
    pub fn to_filed_app(&self) -> FiledApp {
        FiledApp {
            package_id: self.package_id.clone(),
            version_code: self.version_code.clone(),
            version_name: self.version_name.clone(),
            cert_sha256: self.cert_sha256.clone(),
            permissions: Some(self.permissions.clone()),
            sdks: Some(self.sdks.clone()),
            filed_on: Some(self.filed_on),
        }
    }
}

/// Clause ids a report violates, in catalogue order.
pub(crate) fn violations(report: &Report) -> Vec<String> {
    report
        .clauses
        .iter()
        .filter(|c| c.status == Status::Violation)
        .map(|c| c.id.clone())
        .collect()
}

/// A serde unit enum's word (`android`, `needs-review`).
fn word<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

pub(crate) fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(0)
        .unwrap_or(now)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// What [`Registry::file`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "id", rename_all = "kebab-case")]
pub enum FileOutcome {
    /// A new record with this id.
    Filed(i64),
    /// The same file of the same package was filed before, as this record.
    AlreadyFiled(i64),
}

/// How a rescan judges what it scans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RescanSpec {
    /// The date the reports and staleness are for.
    pub scan_date: Date,
    /// A package whose newest filed version is older than this many months is stale.
    pub stale_months: u32,
    /// Deployment contexts (comma-separated; empty: not specified).
    pub context: String,
}

/// A rescan and how far it has got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RescanInfo {
    pub id: i64,
    pub created_at: String,
    #[serde(flatten)]
    pub spec: RescanSpec,
    pub progress: Progress,
}

/// Jobs per state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub pending: u64,
    pub running: u64,
    pub done: u64,
    pub error: u64,
}

impl Progress {
    pub fn total(&self) -> u64 {
        self.pending + self.running + self.done + self.error
    }

    /// Every job has its result (done or error).
    pub fn finished(&self) -> bool {
        self.pending == 0 && self.running == 0
    }
}

/// A claimed job: the worker holds it until it finishes it or its lease expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub rescan_id: i64,
    /// Position in the rescan's input order.
    pub seq: i64,
    /// The package file.
    pub path: String,
    /// Which claim of this job this is (1 the first time); a result is accepted only from the
    /// worker holding this claim.
    pub attempt: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Pending,
    Running,
    Done,
    Error,
}

impl JobState {
    pub(crate) fn parse(s: &str) -> Option<JobState> {
        Some(match s {
            "pending" => JobState::Pending,
            "running" => JobState::Running,
            "done" => JobState::Done,
            "error" => JobState::Error,
            _ => return None,
        })
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRow {
    pub id: i64,
    pub seq: i64,
    pub path: String,
    pub state: JobState,
    pub attempts: i64,
    pub worker: Option<String>,
    /// The [`crate::RescanEntry`] as JSON, for a done job.
    pub result: Option<String>,
    /// Why the package could not be scanned, for an error job.
    pub error: Option<String>,
}

/// A registry: a SQLite file or a PostgreSQL database.
pub struct Registry {
    /// For messages: without a password.
    location: String,
    /// As given, to open another connection ([`Registry::reopen`]).
    raw_location: String,
    conn: Conn,
}

enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(Box<postgres::Client>),
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl Registry {
    /// Opens (creating and migrating as needed) the registry at `location`: a
    /// `postgres://` / `postgresql://` URL, or a SQLite file path.
    pub fn open(location: &str) -> Result<Registry> {
        let conn = if is_postgres(location) {
            Conn::Postgres(Box::new(pg::open(location)?))
        } else {
            Conn::Sqlite(sqlite::open(location)?)
        };
        Ok(Registry {
            location: display_location(location),
            raw_location: location.to_string(),
            conn,
        })
    }

    /// Another connection to the same registry (for a worker's lease heartbeat).
    pub fn reopen(&self) -> Result<Registry> {
        Registry::open(&self.raw_location)
    }

    /// Extends a claim's lease by `lease_secs` from now; false when this worker no longer
    /// holds the job.
    pub fn extend(&mut self, job: &Job, worker: &str, lease_secs: u32) -> Result<bool> {
        let loc = &self.location;
        match &mut self.conn {
            Conn::Sqlite(c) => sqlite::extend(c, loc, job, worker, lease_secs),
            Conn::Postgres(c) => pg::extend(c, loc, job, worker, lease_secs),
        }
    }

    /// The location as given, without any password.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Whether this is a PostgreSQL registry.
    pub fn is_postgres(&self) -> bool {
        matches!(self.conn, Conn::Postgres(_))
    }

    /// Stores a filed record (and the report it was made from, without its inventory). Filing
    /// the same file of the same package again changes nothing.
    pub fn file(&mut self, record: &FiledRecord, report: &Report) -> Result<FileOutcome> {
        let report_json = serde_json::to_string(report)
            .map_err(|e| Error::Invalid(format!("cannot serialise the report: {e}")))?;
        let loc = &self.location;
        match &mut self.conn {
            Conn::Sqlite(c) => sqlite::file(c, loc, record, &report_json),
            Conn::Postgres(c) => pg::file(c, loc, record, &report_json),
        }
    }

    /// Every filed record (without reports), by package id, filing date and id.
    pub fn list(&mut self) -> Result<Vec<FiledRecord>> {
        let loc = &self.location;
        match &mut self.conn {
            Conn::Sqlite(c) => sqlite::records(c, loc, None),
            Conn::Postgres(c) => pg::records(c, loc, None),
        }
    }

    /// The filed records of one package, oldest filing first.
    pub fn records_for(&mut self, package_id: &str) -> Result<Vec<FiledRecord>> {
        let loc = &self.location;
        match &mut self.conn {
            Conn::Sqlite(c) => sqlite::records(c, loc, Some(package_id)),
            Conn::Postgres(c) => pg::records(c, loc, Some(package_id)),
        }
    }

    /// One record and its stored report (JSON).
    pub fn get(&mut self, id: i64) -> Result<Option<(FiledRecord, String)>> {
        let loc = &self.location;
        match &mut self.conn {
            Conn::Sqlite(c) => sqlite::get(c, loc, id),
            Conn::Postgres(c) => pg::get(c, loc, id),
        }
    }

    /// Creates a rescan with one pending job per path, in order; returns its id.
    pub fn create_rescan(&mut self, spec: &RescanSpec, paths: &[String]) -> Result<i64> {
        let loc = &self.location;
        match &mut self.conn {
            Conn::Sqlite(c) => sqlite::create_rescan(c, loc, spec, paths),
            Conn::Postgres(c) => pg::create_rescan(c, loc, spec, paths),
        }
    }

    /// The rescans, newest first.
    pub fn rescans(&mut self) -> Result<Vec<RescanInfo>> {
        let loc = &self.location;
        match &mut self.conn {
            Conn::Sqlite(c) => sqlite::rescans(c, loc, None),
            Conn::Postgres(c) => pg::rescans(c, loc, None),
        }
    }

    /// One rescan.
    pub fn rescan(&mut self, id: i64) -> Result<Option<RescanInfo>> {
        let loc = &self.location;
        let mut v = match &mut self.conn {
            Conn::Sqlite(c) => sqlite::rescans(c, loc, Some(id))?,
            Conn::Postgres(c) => pg::rescans(c, loc, Some(id))?,
        };
        Ok(v.pop())
    }

    /// Claims the next job (of one rescan, or of any): a pending one, or one whose worker's
    /// lease has expired. The claim holds for `lease_secs` seconds. On PostgreSQL concurrent
    /// claims skip each other's rows (`FOR UPDATE SKIP LOCKED`); on SQLite they queue on the
    /// file's write lock.
    pub fn claim(
        &mut self,
        rescan: Option<i64>,
        worker: &str,
        lease_secs: u32,
    ) -> Result<Option<Job>> {
        let loc = &self.location;
        match &mut self.conn {
            Conn::Sqlite(c) => sqlite::claim(c, loc, rescan, worker, lease_secs),
            Conn::Postgres(c) => pg::claim(c, loc, rescan, worker, lease_secs),
        }
    }

    /// Records a claimed job's result: `Ok(entry JSON)` or `Err(message)` (an unreadable
    /// package). Returns false, recording nothing, when this worker no longer holds the job
    /// (its lease expired and another worker claimed it).
    pub fn finish(&mut self, job: &Job, worker: &str, result: Result<&str, &str>) -> Result<bool> {
        let loc = &self.location;
        match &mut self.conn {
            Conn::Sqlite(c) => sqlite::finish(c, loc, job, worker, result),
            Conn::Postgres(c) => pg::finish(c, loc, job, worker, result),
        }
    }

    /// A rescan's jobs in input order.
    pub fn jobs(&mut self, rescan: i64) -> Result<Vec<JobRow>> {
        let loc = &self.location;
        match &mut self.conn {
            Conn::Sqlite(c) => sqlite::jobs(c, loc, rescan),
            Conn::Postgres(c) => pg::jobs(c, loc, rescan),
        }
    }

    /// Jobs per state, for one rescan or all.
    pub fn progress(&mut self, rescan: Option<i64>) -> Result<Progress> {
        let loc = &self.location;
        match &mut self.conn {
            Conn::Sqlite(c) => sqlite::progress(c, loc, rescan),
            Conn::Postgres(c) => pg::progress(c, loc, rescan),
        }
    }
}

pub(crate) fn is_postgres(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// A location for messages: a URL's password replaced by `***`.
pub(crate) fn display_location(location: &str) -> String {
    if !is_postgres(location) {
        return location.to_string();
    }
    let Some((scheme, rest)) = location.split_once("://") else {
        return location.to_string();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some((a, h)) => (Some(a), h),
        None => (None, rest),
    };
    match auth.and_then(|a| a.split_once(':')) {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => location.to_string(),
    }
}

/// Decodes a JSON list column.
pub(crate) fn list(loc: &str, id: i64, column: &str, text: &str) -> Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| Error::Corrupt {
        location: loc.to_string(),
        id,
        message: format!("column {column} is not a JSON list of strings: {e}"),
    })
}

pub(crate) fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn parse_date(loc: &str, id: i64, s: &str) -> Result<Date> {
    s.parse().map_err(|_| Error::Corrupt {
        location: loc.to_string(),
        id,
        message: format!("filed_on {s:?} is not a date"),
    })
}

#[cfg(test)]
mod tests {
    use super::display_location;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            display_location("postgres://app:s3cret@db.example:5432/reg"),
            "postgres://app:***@db.example:5432/reg"
        );
        assert_eq!(
            display_location("postgres://app@db/reg"),
            "postgres://app@db/reg"
        );
        assert_eq!(display_location("/tmp/r.sqlite"), "/tmp/r.sqlite");
    }
}
