//! `appvet registry`: file packages, list and export the registry, rescan distributed copies
//! and run rescan workers. The work is `appvet_registry`'s; this only parses and prints.

use crate::limits::LimitArgs;
use crate::{embedded, load_dir, progress_bar, LangArg, SummaryFormat, EXIT_UNREADABLE};
use anyhow::Context;
use appvet_policy::{ContextSet, Date, Lang};
use appvet_registry::render::{RescanResult, RescanSummary};
use appvet_registry::{
    FileOutcome, FiledRecord, ProcessOptions, Registry, RescanSpec, WorkerEvent, WorkerOptions,
};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// The registry used when neither `--registry` nor `APPVET_REGISTRY` names one.
const DEFAULT_REGISTRY: &str = "appvet-registry.sqlite";

#[derive(clap::Args)]
pub(crate) struct RegistryArgs {
    /// The registry: a SQLite file (created if missing), or `postgres://user@host/db` for a
    /// registry shared by workers on many machines. Default: $APPVET_REGISTRY, else
    /// ./appvet-registry.sqlite.
    #[arg(long, global = true, value_name = "FILE|URL")]
    registry: Option<String>,
    /// Use the signature database in this directory instead of the embedded one.
    #[arg(long, global = true)]
    signatures: Option<PathBuf>,
    #[command(subcommand)]
    command: RegistryCommand,
}

#[derive(clap::Subcommand)]
enum RegistryCommand {
    /// Scan packages and record them as filed versions (备案): identity, version, signer
    /// certificate, SDKs, permissions, file hash, filing date and the full report.
    File {
        /// Package files, and directories to walk for packages.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The filing date (备案日期; YYYY-MM-DD; default: today, UTC).
        #[arg(long, value_name = "YYYY-MM-DD")]
        filed_on: Option<String>,
        /// Deployment contexts the app is filed for (as `scan --context`).
        #[arg(long = "context", short = 'c', value_name = "CONTEXT")]
        contexts: Vec<String>,
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
        /// Packages scanned in parallel (default: the number of CPUs).
        #[arg(long, short = 'j', value_name = "N")]
        jobs: Option<usize>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// List the filed records.
    List {
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
    },
    /// Show one filed record (JSON), with its stored report when asked.
    Show {
        id: i64,
        /// Print the stored report instead of the record.
        #[arg(long)]
        report: bool,
    },
    /// Export every filed record as JSON or CSV.
    Export {
        #[arg(long, short = 'f', value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
    /// Rescan distributed copies against their filed records: signer changed, version not
    /// filed, new permissions, new SDKs, new violations, not updated for six months.
    Rescan {
        /// Package files, and directories to walk for packages. Workers on other machines
        /// open them by these paths: give paths they can reach.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Local workers (default: the number of CPUs).
        #[arg(long, short = 'j', value_name = "N")]
        jobs: Option<usize>,
        /// Only create the rescan's jobs and print its id; `appvet registry worker` processes
        /// them and `appvet registry results ID` prints them.
        #[arg(long)]
        enqueue_only: bool,
        #[command(flatten)]
        spec: SpecArgs,
        #[command(flatten)]
        output: ResultOutput,
        /// Seconds a worker's claim on a job holds.
        #[arg(long, value_name = "SECONDS", default_value_t = 60)]
        lease: u32,
        /// No progress bar.
        #[arg(long, short = 'q')]
        quiet: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Process rescan jobs: claim one, scan, compare, record, repeat. Run as many as you like,
    /// on as many machines as you like, against one PostgreSQL registry. Prints a JSON line
    /// per job finished.
    Worker {
        /// Only this rescan's jobs (default: any rescan's).
        #[arg(long, value_name = "ID")]
        rescan: Option<i64>,
        /// Seconds a claim holds unless renewed (the worker renews it every third of it while
        /// it scans); a job whose worker died is claimed again after it.
        #[arg(long, value_name = "SECONDS", default_value_t = 60)]
        lease: u32,
        /// Exit once every job has its result (instead of waiting for new rescans).
        #[arg(long)]
        until_done: bool,
        /// This worker's name in the jobs table (default: host:pid:worker).
        #[arg(long)]
        name: Option<String>,
        /// Seconds to wait before asking again when no job is claimable.
        #[arg(long, value_name = "SECONDS", default_value_t = 1.0)]
        poll: f64,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// List the rescans and their progress.
    Rescans,
    /// Print a rescan's results (finished or not).
    Results {
        id: i64,
        #[command(flatten)]
        output: ResultOutput,
    },
}

#[derive(clap::Args)]
struct SpecArgs {
    /// The date the reports and staleness are for (YYYY-MM-DD; default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    scan_date: Option<String>,
    /// Months without a new filed version after which an app is stale (JJS265 三.5: 半年).
    #[arg(long, value_name = "MONTHS", default_value_t = 6)]
    stale_months: u32,
    /// Deployment contexts to judge the copies for (as `scan --context`).
    #[arg(long = "context", short = 'c', value_name = "CONTEXT")]
    contexts: Vec<String>,
}

#[derive(clap::Args)]
struct ResultOutput {
    #[arg(long, short = 'f', value_enum, default_value_t = RescanFormat::Text)]
    format: RescanFormat,
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Also write the rescan summary (totals, copies per kind of difference, filed apps not
    /// seen) as CSV or Markdown, by the file's extension.
    #[arg(long, value_name = "FILE.csv|FILE.md")]
    summary: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum ListFormat {
    Text,
    Json,
    Csv,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum ExportFormat {
    Json,
    Csv,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum RescanFormat {
    /// A block per package: verdict, the record compared with, the differences.
    Text,
    /// One document: the rescan and every result with its report.
    Json,
    /// One result per line.
    Jsonl,
    /// A Markdown table.
    Md,
    /// SARIF 2.1.0: each copy's report as a run, plus a result per difference.
    Sarif,
}

fn location(args: &RegistryArgs) -> String {
    args.registry
        .clone()
        .or_else(|| {
            std::env::var("APPVET_REGISTRY")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| DEFAULT_REGISTRY.to_string())
}

fn open(loc: &str) -> anyhow::Result<Registry> {
    Registry::open(loc).map_err(anyhow::Error::new)
}

fn date_or_today(arg: &Option<String>, what: &str) -> anyhow::Result<Date> {
    match arg {
        Some(d) => d.parse().with_context(|| format!("invalid {what}")),
        None => Date::today_utc().context("the system clock is before 1970"),
    }
}

fn contexts(v: &[String]) -> anyhow::Result<ContextSet> {
    ContextSet::parse_all(v.iter().map(String::as_str)).context("invalid --context")
}

fn context_string(c: ContextSet) -> String {
    c.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",")
}

fn writer(output: &Option<PathBuf>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

pub(crate) fn registry(args: &RegistryArgs) -> anyhow::Result<ExitCode> {
    let loc = location(args);
    let loaded;
    let db = match &args.signatures {
        Some(dir) => {
            loaded = load_dir(dir)?;
            &loaded
        }
        None => embedded()?,
    };
    let opts = ProcessOptions {
        db,
        limits: match &args.command {
            RegistryCommand::File { limits, .. }
            | RegistryCommand::Rescan { limits, .. }
            | RegistryCommand::Worker { limits, .. } => limits.to_limits(),
            _ => appvet_model::Limits::default(),
        },
    };
    match &args.command {
        RegistryCommand::File {
            paths,
            filed_on,
            contexts: ctx,
            lang,
            jobs,
            limits: _,
        } => {
            if *jobs == Some(0) {
                anyhow::bail!("--jobs must be at least 1");
            }
            let filed_on = date_or_today(filed_on, "--filed-on")?;
            let context = contexts(ctx)?;
            let mut reg = open(&loc)?;
            let (files, walk_errors) = appvet_batch::discover(paths);
            let mut failed = !walk_errors.is_empty();
            for (p, e) in &walk_errors {
                eprintln!(
                    "appvet: error: {}: {e}",
                    crate::text::clean(&p.display().to_string())
                );
            }
            let zh = Lang::from(*lang) == Lang::Zh;
            // Scanned in parallel by the batch pipeline, recorded here in input order (one
            // transaction per record).
            let inputs = appvet_policy::Inputs::new(context, filed_on);
            let batch = appvet_batch::Options {
                jobs: jobs.unwrap_or_else(|| {
                    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
                }),
                limits: opts.limits,
                db: Some(opts.db),
                inputs: &inputs,
                keep_inventory: false,
                resume: None,
            };
            let mut store_error = None;
            appvet_batch::run(&files, &batch, |outcome| {
                match outcome {
                    appvet_batch::Outcome::Report(report) => {
                        let record = FiledRecord::from_report(&report, filed_on);
                        let outcome = match reg.file(&record, &report) {
                            Ok(o) => o,
                            Err(e) => {
                                store_error = Some(e);
                                return Err(std::io::Error::other("registry write failed"));
                            }
                        };
                        let (id, what) = match outcome {
                            FileOutcome::Filed(id) => (id, if zh { "已备案" } else { "filed" }),
                            FileOutcome::AlreadyFiled(id) => (
                                id,
                                if zh {
                                    "此前已备案"
                                } else {
                                    "already filed"
                                },
                            ),
                        };
                        println!(
                            "#{id} {what}: {} {} ({}) {}",
                            crate::text::clean(&record.package_id),
                            crate::text::clean(record.version_name.as_deref().unwrap_or("-")),
                            crate::text::clean(record.version_code.as_deref().unwrap_or("-")),
                            crate::text::clean(&report.file.path)
                        );
                    }
                    appvet_batch::Outcome::Error { path, message } => {
                        failed = true;
                        eprintln!(
                            "appvet: error: {}: {}",
                            crate::text::clean(&path.display().to_string()),
                            crate::text::clean(&message)
                        );
                    }
                    appvet_batch::Outcome::Skipped { .. } => {}
                }
                Ok(())
            })
            .map_err(|e| match store_error.take() {
                Some(s) => anyhow::Error::new(s),
                None => anyhow::Error::new(e),
            })?;
            Ok(exit(failed))
        }
        RegistryCommand::List { format, lang } => {
            let records = open(&loc)?.list()?;
            let mut out = writer(&None)?;
            match format {
                ListFormat::Text => appvet_registry::render::render_records_text(
                    &records,
                    (*lang).into(),
                    &mut *out,
                )?,
                ListFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &records)?;
                    writeln!(out)?;
                }
                ListFormat::Csv => {
                    appvet_registry::render::render_records_csv(&records, &mut *out)?
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Show { id, report } => {
            let Some((record, stored)) = open(&loc)?.get(*id)? else {
                anyhow::bail!("registry {loc}: no record #{id}");
            };
            let mut out = writer(&None)?;
            if *report {
                out.write_all(stored.as_bytes())?;
            } else {
                serde_json::to_writer_pretty(&mut out, &record)?;
            }
            writeln!(out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Export { format, output } => {
            let records = open(&loc)?.list()?;
            let mut out = writer(output)?;
            match format {
                ExportFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &records)?;
                    writeln!(out)?;
                }
                ExportFormat::Csv => {
                    appvet_registry::render::render_records_csv(&records, &mut *out)?
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Rescan {
            paths,
            jobs,
            enqueue_only,
            spec,
            output,
            lease,
            quiet,
            limits: _,
        } => {
            if *jobs == Some(0) {
                anyhow::bail!("--jobs must be at least 1");
            }
            let summary_format = output
                .summary
                .as_deref()
                .map(SummaryFormat::from_path)
                .transpose()?;
            let spec = RescanSpec {
                scan_date: date_or_today(&spec.scan_date, "--scan-date")?,
                stale_months: spec.stale_months,
                context: context_string(contexts(&spec.contexts)?),
            };
            let (files, walk_errors) = appvet_batch::discover(paths);
            for (p, e) in &walk_errors {
                eprintln!(
                    "appvet: error: {}: {e}",
                    crate::text::clean(&p.display().to_string())
                );
            }
            // Absolute, so workers started elsewhere (another directory, another machine with
            // the same mount) open the same files.
            let listed: Vec<String> = files
                .iter()
                .map(|p| {
                    std::path::absolute(p)
                        .unwrap_or_else(|_| p.clone())
                        .display()
                        .to_string()
                })
                .collect();
            let mut reg = open(&loc)?;
            let id = reg.create_rescan(&spec, &listed)?;
            if *enqueue_only {
                println!("{id}");
                eprintln!(
                    "appvet: rescan #{id}: {} jobs queued in {}",
                    listed.len(),
                    reg.location()
                );
                return Ok(exit(!walk_errors.is_empty()));
            }
            let jobs = jobs.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
            });
            let progress = progress_bar(listed.len(), *quiet);
            let worker = WorkerOptions {
                worker: String::new(),
                rescan: Some(id),
                lease_secs: *lease,
                until_done: true,
                poll: Duration::from_millis(200),
            };
            std::thread::scope(|s| -> anyhow::Result<()> {
                let handles: Vec<_> = (0..jobs)
                    .map(|n| {
                        let mut w = worker.clone();
                        w.worker = appvet_registry::default_worker_name(&format!("rescan-{n}"));
                        let (loc, opts, progress) = (&loc, &opts, &progress);
                        s.spawn(move || -> anyhow::Result<()> {
                            let mut reg = open(loc)?;
                            appvet_registry::run_worker(&mut reg, &w, opts, |e| {
                                if let WorkerEvent::Finished { accepted: true, .. } = e {
                                    progress.inc(1);
                                }
                            })?;
                            Ok(())
                        })
                    })
                    .collect();
                for h in handles {
                    h.join()
                        .map_err(|_| anyhow::anyhow!("a rescan worker panicked"))??;
                }
                Ok(())
            })?;
            progress.finish_and_clear();
            let failed = print_results(&mut reg, id, output, summary_format)?;
            Ok(exit(failed || !walk_errors.is_empty()))
        }
        RegistryCommand::Worker {
            rescan,
            lease,
            until_done,
            name,
            poll,
            limits: _,
        } => {
            if !poll.is_finite() || *poll < 0.0 {
                anyhow::bail!("--poll must be a number of seconds");
            }
            let w = WorkerOptions {
                worker: name
                    .clone()
                    .unwrap_or_else(|| appvet_registry::default_worker_name("worker")),
                rescan: *rescan,
                lease_secs: *lease,
                until_done: *until_done,
                poll: Duration::from_secs_f64(*poll),
            };
            let mut reg = open(&loc)?;
            let stdout = std::io::stdout();
            let mut log_error = None;
            let stats = appvet_registry::run_worker(&mut reg, &w, &opts, |e| {
                if let WorkerEvent::Finished { job, accepted } = e {
                    // One line per job, flushed, so a supervisor (or a test) sees each result
                    // as it is recorded.
                    let line = serde_json::json!({
                        "job": job.id, "rescan": job.rescan_id, "seq": job.seq,
                        "attempt": job.attempt, "path": job.path, "accepted": accepted,
                    });
                    let mut out = stdout.lock();
                    if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
                        log_error.get_or_insert(e);
                    }
                }
            })?;
            eprintln!(
                "appvet: worker {}: {} jobs finished ({} unreadable packages), {} results refused (lease expired)",
                crate::text::clean(&w.worker),
                stats.finished,
                stats.errors,
                stats.refused
            );
            if let Some(e) = log_error {
                return Err(anyhow::Error::new(e).context("cannot write the worker log"));
            }
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Rescans => {
            let rescans = open(&loc)?.rescans()?;
            let mut out = writer(&None)?;
            for r in &rescans {
                let p = &r.progress;
                writeln!(
                    out,
                    "#{}  {}  scan date {}  {} jobs: {} pending, {} running, {} done, {} error",
                    r.id,
                    r.created_at,
                    r.spec.scan_date,
                    p.total(),
                    p.pending,
                    p.running,
                    p.done,
                    p.error
                )?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Results { id, output } => {
            let summary_format = output
                .summary
                .as_deref()
                .map(SummaryFormat::from_path)
                .transpose()?;
            let mut reg = open(&loc)?;
            let failed = print_results(&mut reg, *id, output, summary_format)?;
            Ok(exit(failed))
        }
    }
}

fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(EXIT_UNREADABLE)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints a rescan's results and writes its summary; true when a package was unreadable.
fn print_results(
    reg: &mut Registry,
    id: i64,
    output: &ResultOutput,
    summary_format: Option<SummaryFormat>,
) -> anyhow::Result<bool> {
    let Some(info) = reg.rescan(id)? else {
        anyhow::bail!("registry {}: no rescan #{id}", reg.location());
    };
    let results: Vec<RescanResult> = reg
        .jobs(id)?
        .into_iter()
        .map(RescanResult::from_job)
        .collect();
    let lang: Lang = output.lang.into();
    let mut out = writer(&output.output)?;
    match output.format {
        RescanFormat::Text => {
            appvet_registry::render::render_rescan_text(&info, &results, lang, &mut *out)?
        }
        RescanFormat::Json => {
            appvet_registry::render::render_rescan_json(&info, &results, &mut *out)?
        }
        RescanFormat::Jsonl => appvet_registry::render::render_rescan_jsonl(&results, &mut *out)?,
        RescanFormat::Md => {
            appvet_registry::render::render_rescan_md(&info, &results, lang, &mut *out)?
        }
        RescanFormat::Sarif => {
            serde_json::to_writer_pretty(
                &mut out,
                &appvet_registry::render::rescan_sarif(&results, lang),
            )?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    if let (Some(path), Some(format)) = (&output.summary, summary_format) {
        let summary = RescanSummary::new(&results, &reg.list()?);
        let text = match format {
            SummaryFormat::Csv => summary.render_csv(&results),
            SummaryFormat::Md => summary.render_md(lang),
        };
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(results
        .iter()
        .any(|r| matches!(r, RescanResult::Unreadable { .. })))
}
