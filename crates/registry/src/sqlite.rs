//! The embedded backend: one SQLite file in WAL mode.
//!
//! Durability: a filed record is written in one transaction with `synchronous = FULL` (it is
//! on disk when `file` returns; a crash leaves it whole or absent). Job claims and results use
//! `synchronous = NORMAL`, which in WAL mode survives a crash of the process and loses at most
//! the last commits on power loss — a lost claim or result only means a job is scanned again
//! once its lease expires — and is what lets a rescan record hundreds of results a second
//! instead of one per disk flush. Writers wait for each other up to [`BUSY_TIMEOUT`] instead
//! of failing.

use crate::store::{
    json_list, list, now_rfc3339, parse_date, FileOutcome, FiledRecord, Job, JobRow, JobState,
    Progress, RescanInfo, RescanSpec, MAX_ATTEMPTS, SCHEMA_VERSION,
};
use crate::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use std::time::Duration;

const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Schema migrations, in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE filed (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    package_id TEXT NOT NULL,
    platform TEXT NOT NULL,
    version_code TEXT,
    version_name TEXT,
    label TEXT,
    developer TEXT,
    cert_sha256 TEXT NOT NULL,
    sdks TEXT NOT NULL,
    permissions TEXT NOT NULL,
    violations TEXT NOT NULL,
    verdict TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    filed_on TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    context TEXT NOT NULL,
    report TEXT NOT NULL,
    UNIQUE (package_id, file_sha256)
);
CREATE INDEX filed_package ON filed (package_id, filed_on, id);
CREATE TABLE rescans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    scan_date TEXT NOT NULL,
    stale_months INTEGER NOT NULL,
    context TEXT NOT NULL
);
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rescan_id INTEGER NOT NULL REFERENCES rescans (id),
    seq INTEGER NOT NULL,
    path TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    worker TEXT,
    lease_until INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    result TEXT,
    error TEXT,
    finished_at TEXT,
    UNIQUE (rescan_id, seq)
);
CREATE INDEX jobs_claim ON jobs (state, id);
"#];

fn err(loc: &str) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |source| Error::Sqlite {
        location: loc.to_string(),
        source,
    }
}

pub(crate) fn open(path: &str) -> Result<Connection> {
    let e = err(path);
    let mut c = Connection::open(path).map_err(&e)?;
    c.busy_timeout(BUSY_TIMEOUT).map_err(&e)?;
    // journal_mode answers with a row.
    let _: String = c
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(&e)?;
    c.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        .map_err(&e)?;
    migrate(&mut c, path)?;
    Ok(c)
}

fn migrate(c: &mut Connection, loc: &str) -> Result<()> {
    let e = err(loc);
    let tx = c
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(&e)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )
    .map_err(&e)?;
    let found: i64 = tx
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(&e)?;
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            location: loc.to_string(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql).map_err(&e)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            params![i as i64 + 1, now_rfc3339()],
        )
        .map_err(&e)?;
    }
    tx.commit().map_err(&e)
}

pub(crate) fn file(
    c: &mut Connection,
    loc: &str,
    r: &FiledRecord,
    report: &str,
) -> Result<FileOutcome> {
    let e = err(loc);
    c.execute_batch("PRAGMA synchronous = FULL").map_err(&e)?;
    let outcome = file_tx(c, loc, r, report);
    c.execute_batch("PRAGMA synchronous = NORMAL").map_err(&e)?;
    outcome
}

fn file_tx(c: &mut Connection, loc: &str, r: &FiledRecord, report: &str) -> Result<FileOutcome> {
    let e = err(loc);
    let tx = c
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(&e)?;
    let id: Option<i64> = tx
        .query_row(
            "INSERT INTO filed (package_id, platform, version_code, version_name, label,
                developer, cert_sha256, sdks, permissions, violations, verdict, file_name,
                file_sha256, file_size, filed_on, filed_at, context, report)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                ?17, ?18)
             ON CONFLICT (package_id, file_sha256) DO NOTHING
             RETURNING id",
            params![
                r.package_id,
                r.platform,
                r.version_code,
                r.version_name,
                r.label,
                r.developer,
                json_list(&r.cert_sha256),
                json_list(&r.sdks),
                json_list(&r.permissions),
                json_list(&r.violations),
                r.verdict,
                r.file_name,
                r.file_sha256,
                r.file_size as i64,
                r.filed_on.to_string(),
                r.filed_at,
                r.context,
                report,
            ],
            |row| row.get(0),
        )
        .optional()
        .map_err(&e)?;
    let outcome = match id {
        Some(id) => FileOutcome::Filed(id),
        None => FileOutcome::AlreadyFiled(
            tx.query_row(
                "SELECT id FROM filed WHERE package_id = ?1 AND file_sha256 = ?2",
                params![r.package_id, r.file_sha256],
                |row| row.get(0),
            )
            .map_err(&e)?,
        ),
    };
    tx.commit().map_err(&e)?;
    Ok(outcome)
}

const RECORD_COLUMNS: &str = "id, package_id, platform, version_code, version_name, label,
    developer, cert_sha256, sdks, permissions, violations, verdict, file_name, file_sha256,
    file_size, filed_on, filed_at, context";

/// The raw columns of a record row, decoded afterwards (JSON lists and the date can be
/// corrupt; that is an error naming the record, not a panic).
struct RawRecord {
    id: i64,
    text: [Option<String>; 17],
    size: i64,
}

fn raw_record(row: &Row<'_>) -> rusqlite::Result<RawRecord> {
    let mut text: [Option<String>; 17] = Default::default();
    for (i, t) in text.iter_mut().enumerate() {
        if i + 1 != 14 {
            *t = row.get(i + 1)?;
        }
    }
    Ok(RawRecord {
        id: row.get(0)?,
        text,
        size: row.get(14)?,
    })
}

fn decode(loc: &str, raw: RawRecord) -> Result<FiledRecord> {
    let id = raw.id;
    let [package_id, platform, version_code, version_name, label, developer, certs, sdks, perms, violations, verdict, file_name, file_sha256, _size, filed_on, filed_at, context] =
        raw.text;
    let s = |v: Option<String>| v.unwrap_or_default();
    Ok(FiledRecord {
        id,
        package_id: s(package_id),
        platform: s(platform),
        version_code,
        version_name,
        label,
        developer,
        cert_sha256: list(loc, id, "cert_sha256", &s(certs))?,
        sdks: list(loc, id, "sdks", &s(sdks))?,
        permissions: list(loc, id, "permissions", &s(perms))?,
        violations: list(loc, id, "violations", &s(violations))?,
        verdict: s(verdict),
        file_name: s(file_name),
        file_sha256: s(file_sha256),
        file_size: raw.size.max(0) as u64,
        filed_on: parse_date(loc, id, &s(filed_on))?,
        filed_at: s(filed_at),
        context: s(context),
    })
}

pub(crate) fn records(
    c: &mut Connection,
    loc: &str,
    package_id: Option<&str>,
) -> Result<Vec<FiledRecord>> {
    let e = err(loc);
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM filed WHERE (?1 IS NULL OR package_id = ?1)
         ORDER BY package_id, filed_on, id"
    );
    let mut stmt = c.prepare(&sql).map_err(&e)?;
    let raws = stmt
        .query_map(params![package_id], raw_record)
        .map_err(&e)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(&e)?;
    raws.into_iter().map(|r| decode(loc, r)).collect()
}

pub(crate) fn get(c: &mut Connection, loc: &str, id: i64) -> Result<Option<(FiledRecord, String)>> {
    let e = err(loc);
    let sql = format!("SELECT {RECORD_COLUMNS}, report FROM filed WHERE id = ?1");
    let row = c
        .query_row(&sql, params![id], |row| {
            Ok((raw_record(row)?, row.get::<_, String>(18)?))
        })
        .optional()
        .map_err(&e)?;
    match row {
        Some((raw, report)) => Ok(Some((decode(loc, raw)?, report))),
        None => Ok(None),
    }
}

pub(crate) fn create_rescan(
    c: &mut Connection,
    loc: &str,
    spec: &RescanSpec,
    paths: &[String],
) -> Result<i64> {
    let e = err(loc);
    let tx = c
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(&e)?;
    tx.execute(
        "INSERT INTO rescans (created_at, scan_date, stale_months, context) VALUES (?1, ?2, ?3, ?4)",
        params![
            now_rfc3339(),
            spec.scan_date.to_string(),
            spec.stale_months,
            spec.context
        ],
    )
    .map_err(&e)?;
    let id = tx.last_insert_rowid();
    {
        let mut stmt = tx
            .prepare("INSERT INTO jobs (rescan_id, seq, path) VALUES (?1, ?2, ?3)")
            .map_err(&e)?;
        for (seq, p) in paths.iter().enumerate() {
            stmt.execute(params![id, seq as i64, p]).map_err(&e)?;
        }
    }
    tx.commit().map_err(&e)?;
    Ok(id)
}

pub(crate) fn rescans(c: &mut Connection, loc: &str, id: Option<i64>) -> Result<Vec<RescanInfo>> {
    let e = err(loc);
    let mut stmt = c
        .prepare(
            "SELECT id, created_at, scan_date, stale_months, context FROM rescans
             WHERE (?1 IS NULL OR id = ?1) ORDER BY id DESC",
        )
        .map_err(&e)?;
    let rows = stmt
        .query_map(params![id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .map_err(&e)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(&e)?;
    drop(stmt);
    let mut out = Vec::new();
    for (id, created_at, scan_date, stale, context) in rows {
        out.push(RescanInfo {
            id,
            created_at,
            spec: RescanSpec {
                scan_date: parse_date(loc, id, &scan_date)?,
                stale_months: stale.clamp(0, u32::MAX as i64) as u32,
                context,
            },
            progress: progress(c, loc, Some(id))?,
        });
    }
    Ok(out)
}

pub(crate) fn claim(
    c: &mut Connection,
    loc: &str,
    rescan: Option<i64>,
    worker: &str,
    lease_secs: u32,
) -> Result<Option<Job>> {
    let e = err(loc);
    // IMMEDIATE takes the write lock first: two claims never read the same pending row.
    let tx = c
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(&e)?;
    tx.execute(
        "UPDATE jobs SET state = 'error', lease_until = NULL, finished_at = ?2,
            error = 'abandoned: ' || attempts || ' workers stopped without a result'
         WHERE state = 'running' AND lease_until < unixepoch() AND attempts >= ?1",
        params![MAX_ATTEMPTS, now_rfc3339()],
    )
    .map_err(&e)?;
    let job = tx
        .query_row(
            "UPDATE jobs SET state = 'running', worker = ?1, lease_until = unixepoch() + ?2,
                attempts = attempts + 1
             WHERE id = (SELECT id FROM jobs
                 WHERE (?3 IS NULL OR rescan_id = ?3)
                   AND (state = 'pending' OR (state = 'running' AND lease_until < unixepoch()))
                 ORDER BY id LIMIT 1)
             RETURNING id, rescan_id, seq, path, attempts",
            params![worker, lease_secs, rescan],
            |r| {
                Ok(Job {
                    id: r.get(0)?,
                    rescan_id: r.get(1)?,
                    seq: r.get(2)?,
                    path: r.get(3)?,
                    attempt: r.get(4)?,
                })
            },
        )
        .optional()
        .map_err(&e)?;
    tx.commit().map_err(&e)?;
    Ok(job)
}

pub(crate) fn finish(
    c: &mut Connection,
    loc: &str,
    job: &Job,
    worker: &str,
    result: Result<&str, &str>,
) -> Result<bool> {
    let (state, ok, error) = match result {
        Ok(r) => ("done", Some(r), None),
        Err(m) => ("error", None, Some(m)),
    };
    let n = c
        .execute(
            "UPDATE jobs SET state = ?1, result = ?2, error = ?3, finished_at = ?4,
                lease_until = NULL
             WHERE id = ?5 AND worker = ?6 AND attempts = ?7 AND state = 'running'",
            params![state, ok, error, now_rfc3339(), job.id, worker, job.attempt],
        )
        .map_err(err(loc))?;
    Ok(n == 1)
}

pub(crate) fn extend(
    c: &mut Connection,
    loc: &str,
    job: &Job,
    worker: &str,
    lease_secs: u32,
) -> Result<bool> {
    let n = c
        .execute(
            "UPDATE jobs SET lease_until = unixepoch() + ?1
             WHERE id = ?2 AND worker = ?3 AND attempts = ?4 AND state = 'running'",
            params![lease_secs, job.id, worker, job.attempt],
        )
        .map_err(err(loc))?;
    Ok(n == 1)
}

pub(crate) fn jobs(c: &mut Connection, loc: &str, rescan: i64) -> Result<Vec<JobRow>> {
    let e = err(loc);
    let mut stmt = c
        .prepare(
            "SELECT id, seq, path, state, attempts, worker, result, error FROM jobs
             WHERE rescan_id = ?1 ORDER BY seq",
        )
        .map_err(&e)?;
    let rows = stmt
        .query_map(params![rescan], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })
        .map_err(&e)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(&e)?;
    rows.into_iter()
        .map(|(id, seq, path, state, attempts, worker, result, error)| {
            Ok(JobRow {
                id,
                seq,
                path,
                state: JobState::parse(&state).ok_or_else(|| Error::Corrupt {
                    location: loc.to_string(),
                    id,
                    message: format!("job state {state:?} is unknown"),
                })?,
                attempts,
                worker,
                result,
                error,
            })
        })
        .collect()
}

pub(crate) fn progress(c: &mut Connection, loc: &str, rescan: Option<i64>) -> Result<Progress> {
    let e = err(loc);
    let mut stmt = c
        .prepare(
            "SELECT state, COUNT(*) FROM jobs WHERE (?1 IS NULL OR rescan_id = ?1) GROUP BY state",
        )
        .map_err(&e)?;
    let rows = stmt
        .query_map(params![rescan], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })
        .map_err(&e)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(&e)?;
    Ok(tally(rows))
}

pub(crate) fn tally(rows: impl IntoIterator<Item = (String, i64)>) -> Progress {
    let mut p = Progress::default();
    for (state, n) in rows {
        let n = n.max(0) as u64;
        match JobState::parse(&state) {
            Some(JobState::Pending) => p.pending += n,
            Some(JobState::Running) => p.running += n,
            Some(JobState::Done) => p.done += n,
            Some(JobState::Error) | None => p.error += n,
        }
    }
    p
}
