//! Gate output: a line per package with its reasons (text), or one JSON document for a
//! pipeline. Everything a package controls goes through [`clean`] in the text output.

use crate::{GatePolicy, GateResult, GateVerdict, GATE_VERSION};
use appvet_model::Platform;
use appvet_policy::{Lang, Verdict};
use appvet_report::{clean, Report};
use serde::Serialize;
use std::io::{self, Write};

/// One package as the gate saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GateEntry {
    pub path: String,
    pub sha256: String,
    pub package_id: String,
    pub platform: Platform,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_name: Option<String>,
    /// The clause-by-clause verdict of the report (`appvet scan`).
    pub report_verdict: Verdict,
    #[serde(flatten)]
    pub result: GateResult,
}

impl GateEntry {
    pub fn new(report: &Report, result: GateResult) -> GateEntry {
        GateEntry {
            path: report.file.path.clone(),
            sha256: report.file.sha256.clone(),
            package_id: report.package.id.clone(),
            platform: report.package.platform,
            version_code: report.package.version_code.clone(),
            version_name: report.package.version_name.clone(),
            report_verdict: report.verdict,
            result,
        }
    }
}

/// A package the gate could not judge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GateError {
    pub path: String,
    pub message: String,
}

#[derive(Serialize)]
struct Doc<'a> {
    gate_version: u32,
    policy: &'a str,
    /// `pass` when every package passed, `fail` when one failed, `error` when one could not be
    /// read.
    verdict: &'static str,
    passed: usize,
    failed: usize,
    errors: usize,
    packages: &'a [GateEntry],
    #[serde(rename = "unreadable")]
    error_list: &'a [GateError],
}

/// The overall word for a run: error beats fail beats pass (the exit code follows it).
pub fn overall(entries: &[GateEntry], errors: &[GateError]) -> &'static str {
    if !errors.is_empty() {
        "error"
    } else if entries
        .iter()
        .any(|e| e.result.verdict == GateVerdict::Fail)
    {
        "fail"
    } else {
        "pass"
    }
}

/// One JSON document: the policy's name, counts, each package's verdict with its failures
/// and warnings, and the files that could not be read.
pub fn render_json(
    policy: &GatePolicy,
    entries: &[GateEntry],
    errors: &[GateError],
    out: &mut dyn Write,
) -> io::Result<()> {
    let failed = entries
        .iter()
        .filter(|e| e.result.verdict == GateVerdict::Fail)
        .count();
    let doc = Doc {
        gate_version: GATE_VERSION,
        policy: &policy.name,
        verdict: overall(entries, errors),
        passed: entries.len() - failed,
        failed,
        errors: errors.len(),
        packages: entries,
        error_list: errors,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// One line per package (`PASS`/`FAIL`/`ERROR`, path, id and version), its failures and
/// warnings indented below, then a count.
pub fn render_text(
    policy: &GatePolicy,
    entries: &[GateEntry],
    errors: &[GateError],
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let zh = lang == Lang::Zh;
    for e in entries {
        let word = match (e.result.verdict, zh) {
            (GateVerdict::Pass, true) => "通过",
            (GateVerdict::Fail, true) => "不通过",
            (GateVerdict::Pass, false) => "PASS",
            (GateVerdict::Fail, false) => "FAIL",
        };
        let version = e
            .version_name
            .as_deref()
            .or(e.version_code.as_deref())
            .unwrap_or("-");
        writeln!(
            out,
            "{word}  {}  {} {}",
            clean(&e.path),
            clean(&e.package_id),
            clean(version)
        )?;
        for c in &e.result.failures {
            let msg = if zh { &c.message.zh } else { &c.message.en };
            writeln!(out, "    ✗ [{}] {}", c.key, clean(msg))?;
        }
        for c in &e.result.warnings {
            let msg = if zh { &c.message.zh } else { &c.message.en };
            writeln!(out, "    ! [{}] {}", c.key, clean(msg))?;
        }
    }
    for e in errors {
        let word = if zh { "错误" } else { "ERROR" };
        writeln!(out, "{word}  {}  {}", clean(&e.path), clean(&e.message))?;
    }
    let failed = entries
        .iter()
        .filter(|e| e.result.verdict == GateVerdict::Fail)
        .count();
    let passed = entries.len() - failed;
    if zh {
        writeln!(
            out,
            "策略 {}：{passed} 个通过，{failed} 个不通过，{} 个无法读取",
            clean(&policy.name),
            errors.len()
        )
    } else {
        writeln!(
            out,
            "policy {}: {passed} passed, {failed} failed, {} unreadable",
            clean(&policy.name),
            errors.len()
        )
    }
}
