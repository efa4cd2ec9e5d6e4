//! The shared backend: PostgreSQL, for rescans spread over many workers and machines.
//!
//! Workers claim jobs with `SELECT ... FOR UPDATE SKIP LOCKED`, so concurrent claims never
//! wait for or take each other's rows; leases use the server's clock (`now()`), so workers on
//! machines whose clocks disagree still agree on when a lease expires. Migrations run under a
//! transaction-scoped advisory lock, so workers starting together migrate once.
//!
//! Connections are unencrypted (`NoTls`): run workers on the database's network, or through a
//! tunnel, until TLS support is added.

use crate::sqlite::tally;
use crate::store::{
    json_list, list, now_rfc3339, parse_date, FileOutcome, FiledRecord, Job, JobRow, JobState,
    Progress, RescanInfo, RescanSpec, MAX_ATTEMPTS, SCHEMA_VERSION,
};
use crate::{Error, Result};
use postgres::{Client, NoTls, Row};

/// Key of the advisory lock migrations hold ("appvet" in ASCII).
const MIGRATION_LOCK: i64 = 0x6170_7076_6574;

const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE filed (
    id BIGSERIAL PRIMARY KEY,
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
    file_size BIGINT NOT NULL,
    filed_on TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    context TEXT NOT NULL,
    report TEXT NOT NULL,
    UNIQUE (package_id, file_sha256)
);
CREATE INDEX filed_package ON filed (package_id, filed_on, id);
CREATE TABLE rescans (
    id BIGSERIAL PRIMARY KEY,
    created_at TEXT NOT NULL,
    scan_date TEXT NOT NULL,
    stale_months BIGINT NOT NULL,
    context TEXT NOT NULL
);
CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    rescan_id BIGINT NOT NULL REFERENCES rescans (id),
    seq BIGINT NOT NULL,
    path TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    worker TEXT,
    lease_until TIMESTAMPTZ,
    attempts BIGINT NOT NULL DEFAULT 0,
    result TEXT,
    error TEXT,
    finished_at TEXT,
    UNIQUE (rescan_id, seq)
);
CREATE INDEX jobs_claim ON jobs (state, id);
"#];

fn err(loc: &str) -> impl Fn(postgres::Error) -> Error + '_ {
    move |source| Error::Postgres {
        location: loc.to_string(),
        source,
    }
}

pub(crate) fn open(url: &str) -> Result<Client> {
    let loc = crate::store::display_location(url);
    let e = err(&loc);
    let mut c = Client::connect(url, NoTls).map_err(&e)?;
    let mut tx = c.transaction().map_err(&e)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(&e)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
    )
    .map_err(&e)?;
    let found: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
            &[],
        )
        .map_err(&e)?
        .get(0);
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            location: loc.clone(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.batch_execute(sql).map_err(&e)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
            &[&(i as i64 + 1), &now_rfc3339()],
        )
        .map_err(&e)?;
    }
    tx.commit().map_err(&e)?;
    Ok(c)
}

pub(crate) fn file(
    c: &mut Client,
    loc: &str,
    r: &FiledRecord,
    report: &str,
) -> Result<FileOutcome> {
    let e = err(loc);
    let mut tx = c.transaction().map_err(&e)?;
    let size = r.file_size as i64;
    let (certs, sdks, perms, violations) = (
        json_list(&r.cert_sha256),
        json_list(&r.sdks),
        json_list(&r.permissions),
        json_list(&r.violations),
    );
    let filed_on = r.filed_on.to_string();
    let row = tx
        .query_opt(
            "INSERT INTO filed (package_id, platform, version_code, version_name, label,
                developer, cert_sha256, sdks, permissions, violations, verdict, file_name,
                file_sha256, file_size, filed_on, filed_at, context, report)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                $17, $18)
             ON CONFLICT (package_id, file_sha256) DO NOTHING
             RETURNING id",
            &[
                &r.package_id,
                &r.platform,
                &r.version_code,
                &r.version_name,
                &r.label,
                &r.developer,
                &certs,
                &sdks,
                &perms,
                &violations,
                &r.verdict,
                &r.file_name,
                &r.file_sha256,
                &size,
                &filed_on,
                &r.filed_at,
                &r.context,
                &report,
            ],
        )
        .map_err(&e)?;
    let outcome = match row {
        Some(row) => FileOutcome::Filed(row.get(0)),
        None => FileOutcome::AlreadyFiled(
            tx.query_one(
                "SELECT id FROM filed WHERE package_id = $1 AND file_sha256 = $2",
                &[&r.package_id, &r.file_sha256],
            )
            .map_err(&e)?
            .get(0),
        ),
    };
    tx.commit().map_err(&e)?;
    Ok(outcome)
}

const RECORD_COLUMNS: &str = "id, package_id, platform, version_code, version_name, label,
    developer, cert_sha256, sdks, permissions, violations, verdict, file_name, file_sha256,
    file_size, filed_on, filed_at, context";

fn decode(loc: &str, row: &Row) -> Result<FiledRecord> {
    let e = err(loc);
    let id: i64 = row.try_get(0).map_err(&e)?;
    let s = |i: usize| -> Result<String> { row.try_get::<_, String>(i).map_err(&e) };
    let o =
        |i: usize| -> Result<Option<String>> { row.try_get::<_, Option<String>>(i).map_err(&e) };
    let size: i64 = row.try_get(14).map_err(&e)?;
    Ok(FiledRecord {
        id,
        package_id: s(1)?,
        platform: s(2)?,
        version_code: o(3)?,
        version_name: o(4)?,
        label: o(5)?,
        developer: o(6)?,
        cert_sha256: list(loc, id, "cert_sha256", &s(7)?)?,
        sdks: list(loc, id, "sdks", &s(8)?)?,
        permissions: list(loc, id, "permissions", &s(9)?)?,
        violations: list(loc, id, "violations", &s(10)?)?,
        verdict: s(11)?,
        file_name: s(12)?,
        file_sha256: s(13)?,
        file_size: size.max(0) as u64,
        filed_on: parse_date(loc, id, &s(15)?)?,
        filed_at: s(16)?,
        context: s(17)?,
    })
}

pub(crate) fn records(
    c: &mut Client,
    loc: &str,
    package_id: Option<&str>,
) -> Result<Vec<FiledRecord>> {
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM filed WHERE ($1::TEXT IS NULL OR package_id = $1)
         ORDER BY package_id, filed_on, id"
    );
    let rows = c.query(&sql, &[&package_id]).map_err(err(loc))?;
    rows.iter().map(|r| decode(loc, r)).collect()
}

pub(crate) fn get(c: &mut Client, loc: &str, id: i64) -> Result<Option<(FiledRecord, String)>> {
    let sql = format!("SELECT {RECORD_COLUMNS}, report FROM filed WHERE id = $1");
    let Some(row) = c.query_opt(&sql, &[&id]).map_err(err(loc))? else {
        return Ok(None);
    };
    let report: String = row.try_get(18).map_err(err(loc))?;
    Ok(Some((decode(loc, &row)?, report)))
}

pub(crate) fn create_rescan(
    c: &mut Client,
    loc: &str,
    spec: &RescanSpec,
    paths: &[String],
) -> Result<i64> {
    let e = err(loc);
    let mut tx = c.transaction().map_err(&e)?;
    let id: i64 = tx
        .query_one(
            "INSERT INTO rescans (created_at, scan_date, stale_months, context)
             VALUES ($1, $2, $3, $4) RETURNING id",
            &[
                &now_rfc3339(),
                &spec.scan_date.to_string(),
                &(spec.stale_months as i64),
                &spec.context,
            ],
        )
        .map_err(&e)?
        .get(0);
    let stmt = tx
        .prepare("INSERT INTO jobs (rescan_id, seq, path) VALUES ($1, $2, $3)")
        .map_err(&e)?;
    for (seq, p) in paths.iter().enumerate() {
        tx.execute(&stmt, &[&id, &(seq as i64), p]).map_err(&e)?;
    }
    tx.commit().map_err(&e)?;
    Ok(id)
}

pub(crate) fn rescans(c: &mut Client, loc: &str, id: Option<i64>) -> Result<Vec<RescanInfo>> {
    let rows = c
        .query(
            "SELECT id, created_at, scan_date, stale_months, context FROM rescans
             WHERE ($1::BIGINT IS NULL OR id = $1) ORDER BY id DESC",
            &[&id],
        )
        .map_err(err(loc))?;
    let mut out = Vec::new();
    for r in rows {
        let id: i64 = r.get(0);
        let stale: i64 = r.get(3);
        let scan_date: String = r.get(2);
        out.push(RescanInfo {
            id,
            created_at: r.get(1),
            spec: RescanSpec {
                scan_date: parse_date(loc, id, &scan_date)?,
                stale_months: stale.clamp(0, u32::MAX as i64) as u32,
                context: r.get(4),
            },
            progress: progress(c, loc, Some(id))?,
        });
    }
    Ok(out)
}

pub(crate) fn claim(
    c: &mut Client,
    loc: &str,
    rescan: Option<i64>,
    worker: &str,
    lease_secs: u32,
) -> Result<Option<Job>> {
    let e = err(loc);
    let mut tx = c.transaction().map_err(&e)?;
    // Jobs whose workers all died: error records, so the rescan finishes. SKIP LOCKED here
    // too, so this never waits on a row another worker is claiming.
    tx.execute(
        "UPDATE jobs SET state = 'error', lease_until = NULL, finished_at = $2,
            error = 'abandoned: ' || attempts || ' workers stopped without a result'
         WHERE id IN (SELECT id FROM jobs
             WHERE state = 'running' AND lease_until < now() AND attempts >= $1
             FOR UPDATE SKIP LOCKED)",
        &[&MAX_ATTEMPTS, &now_rfc3339()],
    )
    .map_err(&e)?;
    let lease = lease_secs as f64;
    let row = tx
        .query_opt(
            "UPDATE jobs SET state = 'running', worker = $1,
                lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
             WHERE id = (SELECT id FROM jobs
                 WHERE ($3::BIGINT IS NULL OR rescan_id = $3)
                   AND (state = 'pending' OR (state = 'running' AND lease_until < now()))
                 ORDER BY id
                 FOR UPDATE SKIP LOCKED
                 LIMIT 1)
             RETURNING id, rescan_id, seq, path, attempts",
            &[&worker, &lease, &rescan],
        )
        .map_err(&e)?;
    tx.commit().map_err(&e)?;
    Ok(row.map(|r| Job {
        id: r.get(0),
        rescan_id: r.get(1),
        seq: r.get(2),
        path: r.get(3),
        attempt: r.get(4),
    }))
}

pub(crate) fn finish(
    c: &mut Client,
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
            "UPDATE jobs SET state = $1, result = $2, error = $3, finished_at = $4,
                lease_until = NULL
             WHERE id = $5 AND worker = $6 AND attempts = $7 AND state = 'running'",
            &[
                &state,
                &ok,
                &error,
                &now_rfc3339(),
                &job.id,
                &worker,
                &job.attempt,
            ],
        )
        .map_err(err(loc))?;
    Ok(n == 1)
}

pub(crate) fn extend(
    c: &mut Client,
    loc: &str,
    job: &Job,
    worker: &str,
    lease_secs: u32,
) -> Result<bool> {
    let lease = lease_secs as f64;
    let n = c
        .execute(
            "UPDATE jobs SET lease_until = now() + make_interval(secs => $1)
             WHERE id = $2 AND worker = $3 AND attempts = $4 AND state = 'running'",
            &[&lease, &job.id, &worker, &job.attempt],
        )
        .map_err(err(loc))?;
    Ok(n == 1)
}

pub(crate) fn jobs(c: &mut Client, loc: &str, rescan: i64) -> Result<Vec<JobRow>> {
    let rows = c
        .query(
            "SELECT id, seq, path, state, attempts, worker, result, error FROM jobs
             WHERE rescan_id = $1 ORDER BY seq",
            &[&rescan],
        )
        .map_err(err(loc))?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.get(0);
            let state: String = r.get(3);
            Ok(JobRow {
                id,
                seq: r.get(1),
                path: r.get(2),
                state: JobState::parse(&state).ok_or_else(|| Error::Corrupt {
                    location: loc.to_string(),
                    id,
                    message: format!("job state {state:?} is unknown"),
                })?,
                attempts: r.get(4),
                worker: r.get(5),
                result: r.get(6),
                error: r.get(7),
            })
        })
        .collect()
}

pub(crate) fn progress(c: &mut Client, loc: &str, rescan: Option<i64>) -> Result<Progress> {
    let rows = c
        .query(
            "SELECT state, COUNT(*)::BIGINT FROM jobs
             WHERE ($1::BIGINT IS NULL OR rescan_id = $1) GROUP BY state",
            &[&rescan],
        )
        .map_err(err(loc))?;
    Ok(tally(
        rows.iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1))),
    ))
}
