//! The registry of filed apps (备案, 教技函〔2019〕55号 (四)) and rescans of distributed copies
//! against it (教技司〔2019〕265号 附件 注1, 三.5).
//!
//! - [`Registry::open`] opens a registry: a SQLite file (the default; one file, WAL, migrations
//!   versioned in the file) or a PostgreSQL database (`postgres://...`), where any number of
//!   worker processes on any number of machines share the rescan jobs.
//! - [`FiledRecord::from_report`] makes the record of a filed version from its report;
//!   [`Registry::file`] stores it (with the full report).
//! - [`compare`] compares a distributed copy's report with the package's filed records: signer
//!   changed, version not filed, new permissions, new SDKs, new clause violations, stale.
//! - A rescan is a set of jobs, one per package file ([`Registry::create_rescan`]); workers
//!   [`Registry::claim`] a job with a lease, [`process`] it (scan, report, compare) and
//!   [`Registry::finish`] it. A job whose worker died is claimed again once its lease expires;
//!   a result is recorded only by the worker that holds the job, so each job has one result.
//!
//! Nothing here knows a package format or a clause's wording: scanning is `appvet-scan`,
//! judging is `appvet-policy`, and the comparison works on the report's filing record.

mod diff;
mod pg;
mod process;
pub mod render;
mod sqlite;
mod store;

pub use diff::{compare, Comparison, Difference, DifferenceKind, FiledRef};
pub use process::{
    default_worker_name, file_package, process, run_worker, ProcessOptions, RescanEntry,
    WorkerEvent, WorkerOptions, WorkerStats,
};
pub use store::{
    FileOutcome, FiledRecord, Job, JobRow, JobState, Progress, Registry, RescanInfo, RescanSpec,
};

/// What went wrong with a registry.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("registry {location}: {source}")]
    Sqlite {
        location: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("registry {location}: {source}")]
    Postgres {
        location: String,
        #[source]
        source: postgres::Error,
    },
    #[error("registry {location}: the database has schema version {found}, newer than this appvet knows ({known}); upgrade appvet")]
    SchemaTooNew {
        location: String,
        found: i64,
        known: i64,
    },
    #[error("registry {location}: record {id}: {message}")]
    Corrupt {
        location: String,
        id: i64,
        message: String,
    },
    #[error("registry: {0}")]
    Invalid(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
