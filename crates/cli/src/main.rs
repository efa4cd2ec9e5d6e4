//! The `appvet` command line. It parses arguments, calls the library crates and prints; any
//! logic a library should own lives in the library.

mod text;

use anyhow::Context;
use appvet_detect::{Database, Severity};
use appvet_model::Limits;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
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
    /// Scan packages (.apk, .apks, .xapk, .apkm, .aab) and print what they contain.
    Scan(ScanArgs),
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
    /// Package files to scan.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Use the signature database in this directory instead of the embedded one.
    #[arg(long)]
    signatures: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    /// A readable summary.
    Text,
    /// One pretty-printed JSON document per package.
    Json,
    /// One compact JSON document per line, per package (errors as `{"error":..}` lines).
    Jsonl,
}

/// Exit codes: 0 all packages scanned; 2 at least one input could not be read or parsed (or
/// the signature database is invalid). `signatures check`: 1 when the data has errors.
const EXIT_UNREADABLE: u8 = 2;
const EXIT_INVALID_SIGNATURES: u8 = 1;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan(&args),
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

fn scan(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let loaded;
    let db: &Database = match &args.signatures {
        Some(dir) => {
            loaded = load_dir(dir)?;
            &loaded
        }
        None => embedded()?,
    };
    let limits = Limits::default();
    let mut failed = false;
    for path in &args.paths {
        match appvet_scan::scan_path_with(path, &limits, Some(db)) {
            Ok(doc) => match args.format {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut out, &doc)?;
                    writeln!(out)?;
                }
                Format::Jsonl => {
                    serde_json::to_writer(&mut out, &doc)?;
                    writeln!(out)?;
                }
                Format::Text => text::write(&mut out, &doc)?,
            },
            Err(e) => {
                failed = true;
                let message = format!("{}: {e}", path.display());
                if args.format == Format::Jsonl {
                    let rec = serde_json::json!({"error": {"path": path.display().to_string(), "message": e.to_string()}});
                    serde_json::to_writer(&mut out, &rec)?;
                    writeln!(out)?;
                }
                eprintln!("appvet: error: {message}");
            }
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(EXIT_UNREADABLE)
    } else {
        ExitCode::SUCCESS
    })
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
