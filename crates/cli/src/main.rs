//! The `appvet` command line. It parses arguments, calls the library crates and prints; any
//! logic a library should own lives in the library.

mod gate;
mod limits;
mod output;
mod registry;
mod text;

use output::BackgroundWriter;

use anyhow::Context;
use appvet_detect::{Database, Severity};
use appvet_policy::{ContextSet, Date, Inputs, Lang, Verdict};
use appvet_report::Report;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "appvet",
    version,
    about = "Static vetting of Android and iOS packages for education-app policy"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan packages (.apk, .apks, .xapk, .apkm, .aab, .ipa) and report them against the
    /// policy clauses for a deployment context.
    Scan(ScanArgs),
    /// Judge packages against a gate policy (app-store pre-listing): a verdict per package;
    /// exit 0 when all pass, 1 when one fails, 2 when one cannot be read.
    Gate(gate::GateArgs),
    /// The registry of filed apps (备案): file, list, export, rescan distributed copies.
    Registry(registry::RegistryArgs),
    /// List the policy clause catalogue (教技函〔2019〕55号, 教技司〔2019〕265号).
    Clauses {
        /// Language: zh (default) or en.
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
        /// List the rules that decide each clause instead of the clause texts.
        #[arg(long)]
        rules: bool,
    },
    /// Check, list or import signature data.
    #[command(subcommand)]
    Signatures(SignaturesCommand),
}

#[derive(Subcommand)]
enum SignaturesCommand {
    /// Validate a signatures directory (default: the embedded database). Exit 1 on errors.
    Check {
        /// A directory laid out like `signatures/` (VERSION, *.toml, sdk/*.toml).
        dir: Option<PathBuf>,
    },
    /// Print the catalogue of SDKs (and counts of the other catalogues).
    List {
        /// Use this signatures directory instead of the embedded database.
        #[arg(long)]
        signatures: Option<PathBuf>,
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Convert an εxodus tracker list (JSON) into SDK files (`<id>.toml`) in a directory.
    ImportExodus {
        /// εxodus JSON (`{"trackers": {...}}` as its API publishes, or an array).
        file: PathBuf,
        /// Output directory for the SDK files.
        #[arg(long, short = 'o')]
        output: PathBuf,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ListFormat {
    Text,
    Json,
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Package files to scan, and directories to walk for .apk, .apks, .xapk, .apkm, .aab and
    /// .ipa files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Packages scanned in parallel (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// No progress bar (there is none anyway unless standard error is a terminal).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Also write the batch at a glance — apps per verdict, per-clause counts of violations
    /// and reviews, the most common SDKs — as CSV or Markdown (by the file's extension).
    #[arg(long, value_name = "FILE.csv|FILE.md")]
    summary: Option<PathBuf>,
    /// Rows of the summary's SDK table.
    #[arg(long, value_name = "N", default_value_t = 50)]
    summary_top: usize,
    /// Continue an interrupted `--format jsonl -o FILE` batch: packages whose path, size,
    /// modification time and SHA-256 already have a report in FILE are skipped, new results
    /// are appended.
    #[arg(long, requires = "output")]
    resume: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Use the signature database in this directory instead of the embedded one.
    #[arg(long)]
    signatures: Option<PathBuf>,
    /// How the app is to be adopted: mandated (统一使用), recommended (推荐使用), minors
    /// (K-12), higher-ed (高校管理服务类). Repeatable or comma-separated; none means not
    /// specified.
    #[arg(long = "context", short = 'c', value_name = "CONTEXT")]
    contexts: Vec<String>,
    /// The date the report is for (YYYY-MM-DD; default: today, UTC). Give it for
    /// reproducible reports.
    #[arg(long, value_name = "YYYY-MM-DD")]
    scan_date: Option<String>,
    /// Language of the text, Markdown, HTML and SARIF reports (JSON carries both).
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
    /// Exit 1 when a package's verdict is this or worse (for app-store gates).
    #[arg(long, value_enum, value_name = "VERDICT")]
    fail_on: Option<FailOn>,
    /// Leave the full inventory out of json/jsonl reports.
    #[arg(long)]
    no_inventory: bool,
    #[command(flatten)]
    limits: limits::LimitArgs,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    /// The readable report: verdict and reasons, clauses, SDK and permission tables.
    Text,
    /// One pretty-printed JSON report per package (schemas/report.schema.json).
    Json,
    /// One compact JSON report per line, per package (errors as `{"error":..}` lines).
    Jsonl,
    /// SARIF 2.1.0 (one run per package).
    Sarif,
    /// Markdown.
    Md,
    /// One self-contained HTML page (one package).
    Html,
    /// The JJH55-4 filing record (JSON; an array for several packages).
    Filing,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum FailOn {
    /// Exit 1 when a verdict is fail.
    Fail,
    /// Exit 1 when a verdict is needs-review or fail.
    NeedsReview,
}

impl FailOn {
    fn reached(self, v: Verdict) -> bool {
        match self {
            FailOn::Fail => v == Verdict::Fail,
            FailOn::NeedsReview => v != Verdict::Pass,
        }
    }
}

/// Exit codes: 0 all packages scanned (whatever the verdict); 1 with `--fail-on` when a
/// verdict reaches it; 2 at least one input could not be read or parsed (or an argument or the
/// signature database is invalid). `signatures check`: 1 when the data has errors.
const EXIT_UNREADABLE: u8 = 2;
const EXIT_INVALID_SIGNATURES: u8 = 1;
const EXIT_VERDICT: u8 = 1;

/// glibc's malloc raises its mmap threshold to the size of each large block freed (up to
/// 32 MiB), so after the first inflated entry is freed, later entries and tables come from heap
/// arenas that keep their pages: a 100k-class APK peaked at 66 MiB instead of 49. Fixing the
/// thresholds (128 KiB, glibc's initial value, for mmap; 1 MiB for trimming the heap) keeps
/// large blocks in mappings of their own, returned when freed. A lower trim threshold
/// (128 KiB) cost batch throughput with 2 jobs: the heap shrank and grew again for every
/// package (see benches/README.md).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only sets allocator parameters; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan(&args),
        Command::Gate(args) => gate::gate(&args),
        Command::Registry(args) => registry::registry(&args),
        Command::Clauses { lang, rules } => clauses(lang.into(), rules),
        Command::Signatures(cmd) => signatures(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("appvet: error: {e:#}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn clauses(lang: Lang, rules: bool) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Some(e) = appvet_policy::catalogue_error() {
        anyhow::bail!("the embedded clause catalogue is invalid: {e}");
    }
    let text = if rules {
        appvet_policy::render_rules(lang)
    } else {
        appvet_policy::render_catalogue(lang)
    };
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Colour for text output: only to a terminal, and never when `NO_COLOR` is set (non-empty).
fn use_color(to_file: bool) -> bool {
    !to_file
        && std::io::stdout().is_terminal()
        && match std::env::var_os("NO_COLOR") {
            Some(v) => v.is_empty(),
            None => true,
        }
}

fn scan(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    let context = ContextSet::parse_all(args.contexts.iter().map(String::as_str))
        .context("invalid --context")?;
    let scan_date: Date = match &args.scan_date {
        Some(d) => d.parse().context("invalid --scan-date")?,
        None => Date::today_utc().context("the system clock is before 1970")?,
    };
    let summary_format = match &args.summary {
        Some(p) => Some(SummaryFormat::from_path(p)?),
        None => None,
    };
    if args.resume && args.format != Format::Jsonl {
        anyhow::bail!("--resume continues a --format jsonl output file");
    }
    if args.jobs == Some(0) {
        anyhow::bail!("--jobs must be at least 1");
    }
    let (files, walk_errors) = appvet_batch::discover(&args.paths);
    if args.format == Format::Html && files.len() > 1 {
        anyhow::bail!(
            "--format html writes one page for one package; scan each package with its own -o"
        );
    }
    let lang: Lang = args.lang.into();
    let loaded;
    let db: &Database = match &args.signatures {
        Some(dir) => {
            loaded = load_dir(dir)?;
            &loaded
        }
        None => embedded()?,
    };
    let resume = match (&args.output, args.resume) {
        (Some(p), true) => Some(
            appvet_batch::ResumeIndex::load(p)
                .with_context(|| format!("cannot read {} to resume", p.display()))?,
        ),
        _ => None,
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) if args.resume => Box::new(BackgroundWriter::new(open_for_append(p)?)),
        Some(p) => Box::new(BackgroundWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(BackgroundWriter::new(std::io::stdout())),
    };
    let color = args.format == Format::Text && use_color(args.output.is_some());
    let inputs = Inputs::new(context, scan_date);
    let opts = appvet_batch::Options {
        jobs: args.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        }),
        limits: args.limits.to_limits(),
        db: Some(db),
        inputs: &inputs,
        keep_inventory: !args.no_inventory && matches!(args.format, Format::Json | Format::Jsonl),
        resume: resume.as_ref(),
    };
    let progress = progress_bar(files.len(), args.quiet);
    let mut failed = false;
    let mut verdict_hit = false;
    let mut summary = appvet_batch::Summary::new();
    // Formats that wrap all packages in one document collect the reports first.
    let mut collected: Vec<Report> = Vec::new();
    for (path, e) in &walk_errors {
        failed = true;
        summary.add_error();
        write_error(&mut *out, args.format, path, &e.to_string(), &progress)?;
    }
    // Rendering happens on the workers (this thread only writes, in input order), except for
    // a lone or very large package, which the writer renders straight into the output.
    let lone = files.len() == 1;
    let render_to = |report: &Report, out: &mut dyn Write| match args.format {
        Format::Text => appvet_report::render_text(report, lang, color, out),
        Format::Json => appvet_report::render_json(report, lang, out),
        Format::Md => appvet_report::render_md(report, lang, out),
        Format::Html => appvet_report::render_html(report, lang, out),
        _ => appvet_report::render_jsonl(report, lang, out),
    };
    let render = |outcome: appvet_batch::Outcome| -> Rendered {
        match outcome {
            appvet_batch::Outcome::Report(report) => {
                if matches!(args.format, Format::Sarif | Format::Filing) {
                    return Rendered::Keep(report);
                }
                if lone
                    || report
                        .inventory
                        .as_ref()
                        .is_some_and(|inv| inv.code_item_count() > STREAM_ABOVE_ITEMS)
                {
                    return Rendered::Stream(report);
                }
                let mut bytes = Vec::new();
                let written = render_to(&report, &mut bytes);
                Rendered::Done {
                    bytes: written.map(|()| bytes),
                    brief: Box::new(appvet_batch::Brief::from(&*report)),
                }
            }
            appvet_batch::Outcome::Error { path, message } => Rendered::Error { path, message },
            appvet_batch::Outcome::Skipped { earlier, .. } => Rendered::Skipped(earlier),
        }
    };
    let run = appvet_batch::run_map(&files, &opts, render, |rendered| {
        progress.inc(1);
        match rendered {
            Rendered::Done { bytes, brief } => {
                summary.add_brief(&brief);
                if args.fail_on.is_some_and(|f| f.reached(brief.verdict)) {
                    verdict_hit = true;
                }
                out.write_all(&bytes?)
            }
            Rendered::Stream(mut report) => {
                summary.add_report(&report);
                if args.fail_on.is_some_and(|f| f.reached(report.verdict)) {
                    verdict_hit = true;
                }
                let written = match args.format {
                    // The report is ours: a large code inventory is written on two threads.
                    Format::Json => appvet_report::render_json_mut(&mut report, lang, &mut *out),
                    _ => render_to(&report, &mut *out),
                };
                if lone {
                    // The process ends next: freeing a large inventory object by object (a
                    // 100k-class APK has ~400k method references) would only delay the exit.
                    std::mem::forget(report);
                }
                written
            }
            Rendered::Keep(report) => {
                summary.add_report(&report);
                if args.fail_on.is_some_and(|f| f.reached(report.verdict)) {
                    verdict_hit = true;
                }
                collected.push(*report);
                Ok(())
            }
            Rendered::Error { path, message } => {
                failed = true;
                summary.add_error();
                write_error(&mut *out, args.format, &path, &message, &progress)
            }
            Rendered::Skipped(earlier) => {
                summary.add_skipped(earlier.as_deref());
                Ok(())
            }
        }
    });
    progress.finish_and_clear();
    run?;
    match args.format {
        Format::Sarif => {
            let refs: Vec<&Report> = collected.iter().collect();
            appvet_report::render_sarif_many(&refs, lang, &mut *out)?;
        }
        Format::Filing if files.len() == 1 => {
            if let Some(r) = collected.first() {
                appvet_report::render_filing(r, lang, &mut *out)?;
            }
        }
        Format::Filing => {
            let records: Vec<_> = collected.iter().map(|r| &r.filing).collect();
            serde_json::to_writer_pretty(&mut out, &records)?;
            writeln!(out)?;
        }
        _ => {}
    }
    out.flush()?;
    if let (Some(path), Some(format)) = (&args.summary, summary_format) {
        let text = match format {
            SummaryFormat::Csv => summary.render_csv(args.summary_top),
            SummaryFormat::Md => summary.render_md(args.summary_top, lang),
        };
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if files.len() > 1 && !args.quiet {
        eprintln!(
            "appvet: {} packages: {} scanned, {} skipped (already in the output), {} errors",
            summary.total(),
            summary.scanned,
            summary.skipped,
            summary.errors
        );
    }
    Ok(if failed {
        ExitCode::from(EXIT_UNREADABLE)
    } else if verdict_hit {
        ExitCode::from(EXIT_VERDICT)
    } else {
        ExitCode::SUCCESS
    })
}

/// One package's result as a batch worker leaves it for the writer.
/// Reports whose inventory holds more code items than this are rendered by the writer.
const STREAM_ABOVE_ITEMS: usize = 50_000;

enum Rendered {
    /// Rendered in the output format.
    Done {
        bytes: std::io::Result<Vec<u8>>,
        brief: Box<appvet_batch::Brief>,
    },
    /// Kept whole, for formats that wrap every package in one document (SARIF, filing).
    Keep(Box<Report>),
    /// To be rendered by the writer straight into the output: a lone package (no other work
    /// to overlap with) or one whose inventory is so large that a rendered copy would double
    /// the memory it holds (a 100k-class APK's inventory JSON is over 100 MB).
    Stream(Box<Report>),
    Error {
        path: PathBuf,
        message: String,
    },
    Skipped(Option<Box<appvet_batch::Brief>>),
}

#[derive(Clone, Copy)]
enum SummaryFormat {
    Csv,
    Md,
}

impl SummaryFormat {
    fn from_path(p: &std::path::Path) -> anyhow::Result<SummaryFormat> {
        match p
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Ok(SummaryFormat::Csv),
            Some("md") | Some("markdown") => Ok(SummaryFormat::Md),
            _ => anyhow::bail!("--summary {}: name a .csv or .md file", p.display()),
        }
    }
}

/// The output file of an earlier run, opened to append; a last line cut short by an interrupt
/// is ended first, so the next record starts on its own line.
fn open_for_append(p: &std::path::Path) -> anyhow::Result<std::fs::File> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(p)
        .with_context(|| format!("cannot open {} to append", p.display()))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    if len > 0 {
        let mut last = [0u8; 1];
        f.seek(SeekFrom::Start(len - 1))
            .and_then(|_| f.read_exact(&mut last))
            .with_context(|| format!("cannot read {}", p.display()))?;
        if last[0] != b'\n' {
            f.write_all(b"\n")
                .with_context(|| format!("cannot write {}", p.display()))?;
        }
    }
    Ok(f)
}

/// A progress bar on standard error when it is a terminal and not `--quiet`, hidden otherwise.
fn progress_bar(len: usize, quiet: bool) -> indicatif::ProgressBar {
    if quiet || len < 2 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    let style = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} packages  {per_sec}  ETA {eta}  {elapsed_precise}",
    );
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar
}

/// An unreadable input: a `{"error":..}` record in JSON Lines, and a line on standard error
/// (above the progress bar) whatever the format.
fn write_error(
    out: &mut dyn Write,
    format: Format,
    path: &std::path::Path,
    message: &str,
    progress: &indicatif::ProgressBar,
) -> std::io::Result<()> {
    if format == Format::Jsonl {
        let rec =
            serde_json::json!({"error": {"path": path.display().to_string(), "message": message}});
        serde_json::to_writer(&mut *out, &rec)?;
        writeln!(out)?;
    }
    let line = format!(
        "appvet: error: {}: {}",
        text::clean(&path.display().to_string()),
        text::clean(message)
    );
    progress.suspend(|| eprintln!("{line}"));
    Ok(())
}

fn embedded() -> anyhow::Result<&'static Database> {
    Database::embedded().map_err(|e| {
        for p in &e.problems {
            eprintln!("appvet: {p}");
        }
        anyhow::anyhow!("the embedded signature database is invalid: {e}")
    })
}

fn load_dir(dir: &std::path::Path) -> anyhow::Result<Database> {
    Database::load_dir(dir).map_err(|e| {
        for p in &e.problems {
            eprintln!("appvet: {p}");
        }
        anyhow::anyhow!("signature database {} is invalid: {e}", dir.display())
    })
}

fn signatures(cmd: SignaturesCommand) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match cmd {
        SignaturesCommand::Check { dir } => {
            let (problems, label) = match &dir {
                Some(d) => (Database::check_dir(d), d.display().to_string()),
                None => {
                    let files: Vec<(String, String)> = Database::embedded_files()
                        .iter()
                        .map(|(p, t)| (p.to_string(), t.to_string()))
                        .collect();
                    (Database::check(&files), "embedded database".to_string())
                }
            };
            for p in &problems {
                writeln!(out, "{}", text::clean(&p.to_string()))?;
            }
            let errors = problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .count();
            let warnings = problems.len() - errors;
            if errors == 0 {
                let db = match &dir {
                    Some(d) => Some(load_dir(d)?),
                    None => None,
                };
                let info = match &db {
                    Some(db) => db.info(),
                    None => embedded()?.info(),
                };
                writeln!(
                    out,
                    "{label}: ok (version {}, {} SDKs, {} permissions, {} APIs, {} packers; {warnings} warnings)",
                    text::clean(&info.version), info.sdks, info.permissions, info.apis, info.packers
                )?;
                out.flush()?;
                Ok(ExitCode::SUCCESS)
            } else {
                writeln!(out, "{label}: {errors} errors, {warnings} warnings")?;
                out.flush()?;
                Ok(ExitCode::from(EXIT_INVALID_SIGNATURES))
            }
        }
        SignaturesCommand::List { signatures, format } => {
            let loaded;
            let db: &Database = match &signatures {
                Some(dir) => {
                    loaded = load_dir(dir)?;
                    &loaded
                }
                None => embedded()?,
            };
            match format {
                ListFormat::Json => {
                    let doc = serde_json::json!({
                        "database": db.info(),
                        "sdks": db.sdks,
                        "permissions": db.permissions,
                        "apis": db.apis,
                        "packers": db.packers,
                    });
                    serde_json::to_writer_pretty(&mut out, &doc)?;
                    writeln!(out)?;
                }
                ListFormat::Text => text::write_catalogue(&mut out, db)?,
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        SignaturesCommand::ImportExodus {
            file,
            output,
            force,
        } => {
            let json = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let import = appvet_detect::exodus::import(&json)
                .with_context(|| format!("{}", file.display()))?;
            std::fs::create_dir_all(&output)
                .with_context(|| format!("cannot create {}", output.display()))?;
            let mut written = 0;
            let mut skipped = 0;
            for sdk in &import.sdks {
                let path = output.join(format!("{}.toml", sdk.id));
                if path.exists() && !force {
                    skipped += 1;
                    eprintln!(
                        "appvet: {} exists (use --force to overwrite)",
                        path.display()
                    );
                    continue;
                }
                std::fs::write(&path, appvet_detect::exodus::to_toml(sdk))
                    .with_context(|| format!("cannot write {}", path.display()))?;
                written += 1;
            }
            for n in &import.notes {
                writeln!(out, "note: {}", text::clean(n))?;
            }
            writeln!(
                out,
                "{} trackers converted: {written} files written, {skipped} skipped, in {}",
                import.sdks.len(),
                output.display()
            )?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
