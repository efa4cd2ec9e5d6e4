//! `appvet gate`: judge packages against a gate policy file; exit 0 when all pass, 1 when one
//! fails, 2 when one cannot be read (or the policy is invalid).

use crate::{embedded, load_dir, LangArg, EXIT_UNREADABLE, EXIT_VERDICT};
use anyhow::Context;
use appvet_gate::{GateEntry, GateError, GatePolicy, GateVerdict};
use appvet_policy::Date;
use appvet_report::Report;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct GateArgs {
    /// Package files, and directories to walk for packages.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The gate policy (TOML; see policies/README.md). Unknown keys and bad values are errors.
    #[arg(long, short = 'p', value_name = "POLICY.toml")]
    policy: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = GateFormat::Text)]
    format: GateFormat,
    /// Language of the text output.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Also write each package's full JSON report (without the inventory) into this
    /// directory, as `<file name>.<first 12 hex of SHA-256>.json`.
    #[arg(long, value_name = "DIR")]
    report_dir: Option<PathBuf>,
    /// The date the reports are for (YYYY-MM-DD; default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    scan_date: Option<String>,
    /// Packages scanned in parallel (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Use the signature database in this directory instead of the embedded one.
    #[arg(long)]
    signatures: Option<PathBuf>,
    #[command(flatten)]
    limits: crate::limits::LimitArgs,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum GateFormat {
    /// A verdict line per package and the checks that failed or warned.
    Text,
    /// One JSON document: overall verdict, counts, and each package's checks.
    Json,
}

pub(crate) fn gate(args: &GateArgs) -> anyhow::Result<ExitCode> {
    let loaded;
    let db = match &args.signatures {
        Some(dir) => {
            loaded = load_dir(dir)?;
            &loaded
        }
        None => embedded()?,
    };
    let text = std::fs::read_to_string(&args.policy)
        .with_context(|| format!("cannot read the policy {}", args.policy.display()))?;
    let name = args.policy.display().to_string();
    let policy =
        GatePolicy::parse(&text, &name, db).map_err(|e| anyhow::anyhow!("policy {name}: {e}"))?;
    let scan_date: Date = match &args.scan_date {
        Some(d) => d.parse().context("invalid --scan-date")?,
        None => Date::today_utc().context("the system clock is before 1970")?,
    };
    if args.jobs == Some(0) {
        anyhow::bail!("--jobs must be at least 1");
    }
    if let Some(dir) = &args.report_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let (files, walk_errors) = appvet_batch::discover(&args.paths);
    let inputs = policy.inputs(scan_date);
    let opts = appvet_batch::Options {
        jobs: args.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        }),
        limits: args.limits.to_limits(),
        db: Some(db),
        inputs: &inputs,
        keep_inventory: false,
        resume: None,
    };
    let mut entries: Vec<GateEntry> = Vec::new();
    let mut errors: Vec<GateError> = walk_errors
        .iter()
        .map(|(p, e)| GateError {
            path: p.display().to_string(),
            message: e.to_string(),
        })
        .collect();
    let judge = |outcome: appvet_batch::Outcome| -> Result<GateEntry, GateError> {
        match outcome {
            appvet_batch::Outcome::Report(report) => {
                if let Some(dir) = &args.report_dir {
                    write_report(dir, &report).map_err(|e| GateError {
                        path: report.file.path.clone(),
                        message: format!("{e:#}"),
                    })?;
                }
                let result = policy.judge(&report);
                Ok(GateEntry::new(&report, result))
            }
            appvet_batch::Outcome::Error { path, message } => Err(GateError {
                path: path.display().to_string(),
                message,
            }),
            appvet_batch::Outcome::Skipped { path, .. } => Err(GateError {
                path: path.display().to_string(),
                message: "skipped".into(),
            }),
        }
    };
    appvet_batch::run_map(&files, &opts, judge, |r| {
        match r {
            Ok(e) => entries.push(e),
            Err(e) => errors.push(e),
        }
        Ok(())
    })?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        GateFormat::Text => {
            appvet_gate::render_text(&policy, &entries, &errors, args.lang.into(), &mut *out)?
        }
        GateFormat::Json => appvet_gate::render_json(&policy, &entries, &errors, &mut *out)?,
    }
    out.flush()?;
    Ok(if !errors.is_empty() {
        ExitCode::from(EXIT_UNREADABLE)
    } else if entries
        .iter()
        .any(|e| e.result.verdict == GateVerdict::Fail)
    {
        ExitCode::from(EXIT_VERDICT)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes a report as `<file name>.<sha prefix>.json`; the name keeps only characters safe in
/// any file system.
fn write_report(dir: &Path, report: &Report) -> anyhow::Result<()> {
    let base: String = report
        .file_name()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let sha: String = report.file.sha256.chars().take(12).collect();
    let path = dir.join(format!("{base}.{sha}.json"));
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(&path)
            .with_context(|| format!("cannot create {}", path.display()))?,
    );
    appvet_report::render_json(report, appvet_policy::Lang::Zh, &mut f)
        .and_then(|()| f.flush())
        .with_context(|| format!("cannot write {}", path.display()))
}
