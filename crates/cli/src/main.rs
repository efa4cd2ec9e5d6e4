//! The `appvet` command line. It parses arguments, calls the library crates and prints; any
//! logic a library should own lives in the library.

mod text;

use anyhow::Context;
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

/// Exit codes: 0 all packages scanned; 2 at least one input could not be read or parsed.
const EXIT_UNREADABLE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan(&args),
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
    let limits = Limits::default();
    let mut failed = false;
    for path in &args.paths {
        match appvet_scan::scan_path(path, &limits) {
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
