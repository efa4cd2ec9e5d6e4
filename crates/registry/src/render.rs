//! Registry and rescan output: text, Markdown, JSON, JSON Lines, CSV. Every string a package
//! controls is cleaned of terminal controls (text), escaped (Markdown) or formula-neutralised
//! (CSV).

use crate::diff::DifferenceKind;
use crate::process::RescanEntry;
use crate::store::{FiledRecord, JobRow, JobState, RescanInfo};
use appvet_batch::csv_cell;
use appvet_policy::Lang;
use appvet_report::{clean, md_escape, verdict_label};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// One job of a rescan as output shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RescanResult {
    Scanned(Box<RescanEntry>),
    /// The package could not be scanned (or every worker that took it died).
    Unreadable {
        path: String,
        error: String,
    },
    /// Not scanned yet.
    Waiting {
        path: String,
        state: JobState,
    },
}

impl RescanResult {
    /// The output of a stored job. A result that does not decode (written by another appvet
    /// version, say) is shown as an error naming the job.
    pub fn from_job(job: JobRow) -> RescanResult {
        match job.state {
            JobState::Done => match job.result.as_deref().map(serde_json::from_str) {
                Some(Ok(entry)) => RescanResult::Scanned(Box::new(entry)),
                Some(Err(e)) => RescanResult::Unreadable {
                    path: job.path,
                    error: format!("job {}: the stored result does not decode: {e}", job.id),
                },
                None => RescanResult::Unreadable {
                    path: job.path,
                    error: format!("job {}: done without a result", job.id),
                },
            },
            JobState::Error => RescanResult::Unreadable {
                path: job.path,
                error: job.error.unwrap_or_default(),
            },
            state => RescanResult::Waiting {
                path: job.path,
                state,
            },
        }
    }

    pub fn path(&self) -> &str {
        match self {
            RescanResult::Scanned(e) => &e.path,
            RescanResult::Unreadable { path, .. } | RescanResult::Waiting { path, .. } => path,
        }
    }
}

fn version(code: Option<&str>, name: Option<&str>) -> String {
    format!("{} ({})", name.unwrap_or("-"), code.unwrap_or("-"))
}

/// The filed records as a table.
pub fn render_records_text(
    records: &[FiledRecord],
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let zh = lang == Lang::Zh;
    if records.is_empty() {
        return writeln!(
            out,
            "{}",
            if zh {
                "备案库为空。"
            } else {
                "The registry is empty."
            }
        );
    }
    writeln!(
        out,
        "{}",
        if zh {
            "编号  应用标识  版本  备案日期  结论  签名证书  SDK  文件"
        } else {
            "id  package  version  filed on  verdict  signer  SDKs  file"
        }
    )?;
    for r in records {
        let signer = r
            .cert_sha256
            .first()
            .map(|c| c.chars().take(16).collect::<String>())
            .unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "{}  {}  {}  {}  {}  {}  {}  {}",
            r.id,
            clean(&r.package_id),
            clean(&version(
                r.version_code.as_deref(),
                r.version_name.as_deref()
            )),
            r.filed_on,
            serde_json::from_value::<appvet_policy::Verdict>(serde_json::Value::String(
                r.verdict.clone()
            ))
            .map_or_else(
                |_| clean(&r.verdict),
                |v| verdict_label(v, lang).to_string()
            ),
            signer,
            r.sdks.len(),
            clean(&r.file_name)
        )?;
    }
    Ok(())
}

/// The filed records as CSV (lists joined with `;`).
pub fn render_records_csv(records: &[FiledRecord], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "id,package_id,platform,version_code,version_name,label,developer,cert_sha256,sdks,permissions,violations,verdict,file_name,file_sha256,file_size,filed_on,filed_at,context")?;
    for r in records {
        let o = |v: &Option<String>| csv_cell(v.as_deref().unwrap_or(""));
        let cells = [
            r.id.to_string(),
            csv_cell(&r.package_id),
            csv_cell(&r.platform),
            o(&r.version_code),
            o(&r.version_name),
            o(&r.label),
            o(&r.developer),
            csv_cell(&r.cert_sha256.join(";")),
            csv_cell(&r.sdks.join(";")),
            csv_cell(&r.permissions.join(";")),
            csv_cell(&r.violations.join(";")),
            csv_cell(&r.verdict),
            csv_cell(&r.file_name),
            csv_cell(&r.file_sha256),
            r.file_size.to_string(),
            r.filed_on.to_string(),
            csv_cell(&r.filed_at),
            csv_cell(&r.context),
        ];
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

/// A rescan's results, one block per package: verdict, what it was compared with, and the
/// differences, strongest first.
pub fn render_rescan_text(
    info: &RescanInfo,
    results: &[RescanResult],
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let zh = lang == Lang::Zh;
    let p = &info.progress;
    if zh {
        writeln!(
            out,
            "复查 #{}（{}，复查日期 {}）：{} 个安装包，已完成 {}，无法读取 {}，未完成 {}",
            info.id,
            info.created_at,
            info.spec.scan_date,
            p.total(),
            p.done,
            p.error,
            p.pending + p.running
        )?;
    } else {
        writeln!(
            out,
            "Rescan #{} ({}, scan date {}): {} packages, {} done, {} unreadable, {} not finished",
            info.id,
            info.created_at,
            info.spec.scan_date,
            p.total(),
            p.done,
            p.error,
            p.pending + p.running
        )?;
    }
    for r in results {
        writeln!(out)?;
        match r {
            RescanResult::Scanned(e) => {
                let name = e.label.as_deref().unwrap_or(&e.package_id);
                writeln!(
                    out,
                    "{}  {} {}  [{}]",
                    clean(&e.path),
                    clean(name),
                    clean(&version(
                        e.version_code.as_deref(),
                        e.version_name.as_deref()
                    )),
                    verdict_label(e.verdict, lang)
                )?;
                writeln!(out, "  {}", clean(&e.package_id))?;
                if let Some(f) = &e.comparison.compared_with {
                    let same = if e.comparison.identical_file {
                        if zh {
                            "，文件与备案一致"
                        } else {
                            ", the filed file itself"
                        }
                    } else {
                        ""
                    };
                    let v = clean(&version(
                        f.version_code.as_deref(),
                        f.version_name.as_deref(),
                    ));
                    if zh {
                        writeln!(
                            out,
                            "  比对备案记录 #{} {v}（{} 备案）{same}",
                            f.id, f.filed_on
                        )?;
                    } else {
                        writeln!(
                            out,
                            "  compared with record #{} {v} (filed {}){same}",
                            f.id, f.filed_on
                        )?;
                    }
                }
                if e.comparison.differences.is_empty() {
                    writeln!(
                        out,
                        "  {}",
                        if zh {
                            "与备案一致。"
                        } else {
                            "As filed."
                        }
                    )?;
                }
                for d in &e.comparison.differences {
                    writeln!(
                        out,
                        "  ✗ {} [{}] {}",
                        d.kind.label().get(lang),
                        d.clause,
                        clean(d.message.get(lang))
                    )?;
                    for item in &d.items {
                        writeln!(out, "      {}", clean(item))?;
                    }
                }
            }
            RescanResult::Unreadable { path, error } => {
                writeln!(out, "{}", clean(path))?;
                writeln!(
                    out,
                    "  {} {}",
                    if zh { "无法读取：" } else { "unreadable:" },
                    clean(error)
                )?;
            }
            RescanResult::Waiting { path, state } => {
                writeln!(out, "{}", clean(path))?;
                writeln!(
                    out,
                    "  {} ({})",
                    if zh { "未完成" } else { "not finished" },
                    serde_json::to_value(state)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                )?;
            }
        }
    }
    Ok(())
}

/// A rescan's results as Markdown.
pub fn render_rescan_md(
    info: &RescanInfo,
    results: &[RescanResult],
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let zh = lang == Lang::Zh;
    writeln!(
        out,
        "# {} #{} ({})\n",
        if zh { "备案复查" } else { "Rescan" },
        info.id,
        info.spec.scan_date
    )?;
    writeln!(
        out,
        "{}",
        if zh {
            "| 文件 | 应用 | 版本 | 结论 | 备案记录 | 差异 |\n|---|---|---|---|---|---|"
        } else {
            "| File | App | Version | Verdict | Filed record | Differences |\n|---|---|---|---|---|---|"
        }
    )?;
    for r in results {
        match r {
            RescanResult::Scanned(e) => {
                let diffs: Vec<String> = e
                    .comparison
                    .differences
                    .iter()
                    .map(|d| {
                        format!(
                            "{} ({})",
                            d.kind.label().get(lang),
                            md_escape(d.message.get(lang))
                        )
                    })
                    .collect();
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    md_escape(&e.path),
                    md_escape(&e.package_id),
                    md_escape(&version(
                        e.version_code.as_deref(),
                        e.version_name.as_deref()
                    )),
                    verdict_label(e.verdict, lang),
                    e.comparison
                        .compared_with
                        .as_ref()
                        .map_or("-".to_string(), |f| format!("#{}", f.id)),
                    if diffs.is_empty() {
                        if zh { "无" } else { "none" }.to_string()
                    } else {
                        diffs.join("<br>")
                    }
                )?;
            }
            RescanResult::Unreadable { path, error } => writeln!(
                out,
                "| {} | - | - | {} | - | {} |",
                md_escape(path),
                if zh { "无法读取" } else { "unreadable" },
                md_escape(error)
            )?,
            RescanResult::Waiting { path, .. } => writeln!(
                out,
                "| {} | - | - | {} | - | - |",
                md_escape(path),
                if zh { "未完成" } else { "not finished" }
            )?,
        }
    }
    Ok(())
}

/// A rescan's results as one JSON document: the rescan and its results in input order.
pub fn render_rescan_json(
    info: &RescanInfo,
    results: &[RescanResult],
    out: &mut dyn Write,
) -> io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        rescan: &'a RescanInfo,
        results: &'a [RescanResult],
    }
    serde_json::to_writer_pretty(
        &mut *out,
        &Doc {
            rescan: info,
            results,
        },
    )?;
    writeln!(out)
}

/// One compact JSON object per result.
pub fn render_rescan_jsonl(results: &[RescanResult], out: &mut dyn Write) -> io::Result<()> {
    for r in results {
        serde_json::to_writer(&mut *out, r)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The rescan at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RescanSummary {
    pub packages: u64,
    pub scanned: u64,
    pub unreadable: u64,
    pub not_finished: u64,
    /// Copies with no difference.
    pub as_filed: u64,
    /// Copies per kind of difference.
    pub by_kind: BTreeMap<DifferenceKind, u64>,
    /// Filed package ids no copy in the rescan was of.
    pub filed_not_seen: Vec<String>,
}

impl RescanSummary {
    /// `filed`: the registry's records, to find filed apps the rescan did not see.
    pub fn new(results: &[RescanResult], filed: &[FiledRecord]) -> RescanSummary {
        let mut s = RescanSummary::default();
        let mut seen = BTreeSet::new();
        for r in results {
            s.packages += 1;
            match r {
                RescanResult::Scanned(e) => {
                    s.scanned += 1;
                    seen.insert(e.package_id.as_str());
                    if e.comparison.differences.is_empty() {
                        s.as_filed += 1;
                    }
                    let kinds: BTreeSet<DifferenceKind> =
                        e.comparison.differences.iter().map(|d| d.kind).collect();
                    for k in kinds {
                        *s.by_kind.entry(k).or_default() += 1;
                    }
                }
                RescanResult::Unreadable { .. } => s.unreadable += 1,
                RescanResult::Waiting { .. } => s.not_finished += 1,
            }
        }
        let filed_ids: BTreeSet<&str> = filed.iter().map(|r| r.package_id.as_str()).collect();
        s.filed_not_seen = filed_ids
            .into_iter()
            .filter(|id| !seen.contains(id))
            .map(str::to_string)
            .collect();
        s
    }

    /// CSV: one row per figure (`section,item,count`), then one row per package.
    pub fn render_csv(&self, results: &[RescanResult]) -> String {
        let mut out = String::from("section,item,count\n");
        for (item, n) in [
            ("packages", self.packages),
            ("scanned", self.scanned),
            ("unreadable", self.unreadable),
            ("not-finished", self.not_finished),
            ("as-filed", self.as_filed),
        ] {
            out.push_str(&format!("total,{item},{n}\n"));
        }
        for k in DifferenceKind::ALL {
            let n = self.by_kind.get(&k).copied().unwrap_or(0);
            out.push_str(&format!("difference,{},{n}\n", k.as_str()));
        }
        for id in &self.filed_not_seen {
            out.push_str(&format!("filed-not-seen,{},1\n", csv_cell(id)));
        }
        out.push_str("\npath,package_id,version_code,version_name,verdict,filed_record,identical_file,differences\n");
        for r in results {
            let row = match r {
                RescanResult::Scanned(e) => [
                    csv_cell(&e.path),
                    csv_cell(&e.package_id),
                    csv_cell(e.version_code.as_deref().unwrap_or("")),
                    csv_cell(e.version_name.as_deref().unwrap_or("")),
                    e.verdict.as_str().to_string(),
                    e.comparison
                        .compared_with
                        .as_ref()
                        .map_or(String::new(), |f| f.id.to_string()),
                    e.comparison.identical_file.to_string(),
                    csv_cell(
                        &e.comparison
                            .differences
                            .iter()
                            .map(|d| d.kind.as_str())
                            .collect::<Vec<_>>()
                            .join(";"),
                    ),
                ],
                RescanResult::Unreadable { path, .. } => [
                    csv_cell(path),
                    String::new(),
                    String::new(),
                    String::new(),
                    "error".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
                RescanResult::Waiting { path, .. } => [
                    csv_cell(path),
                    String::new(),
                    String::new(),
                    String::new(),
                    "not-finished".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
            };
            out.push_str(&row.join(","));
            out.push('\n');
        }
        out
    }

    /// Markdown: the totals and the copies per kind of difference.
    pub fn render_md(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let mut out = String::new();
        out.push_str(if zh {
            "# 复查汇总\n\n| 项目 | 数量 |\n|---|---|\n"
        } else {
            "# Rescan summary\n\n| Item | Count |\n|---|---|\n"
        });
        let rows: [(&str, &str, u64); 5] = [
            ("安装包", "packages", self.packages),
            ("已扫描", "scanned", self.scanned),
            ("无法读取", "unreadable", self.unreadable),
            ("未完成", "not finished", self.not_finished),
            ("与备案一致", "as filed", self.as_filed),
        ];
        for (z, e, n) in rows {
            out.push_str(&format!("| {} | {n} |\n", if zh { z } else { e }));
        }
        for k in DifferenceKind::ALL {
            let n = self.by_kind.get(&k).copied().unwrap_or(0);
            out.push_str(&format!(
                "| {} ({}) | {n} |\n",
                k.label().get(lang),
                k.clause()
            ));
        }
        if !self.filed_not_seen.is_empty() {
            out.push_str(if zh {
                "\n已备案但本次未见安装包：\n\n"
            } else {
                "\nFiled, but no copy in this rescan:\n\n"
            });
            for id in &self.filed_not_seen {
                out.push_str(&format!("- {}\n", md_escape(id)));
            }
        }
        out
    }
}

/// A rescan as SARIF 2.1.0: each scanned copy's report as a run (as `appvet scan -f sarif`
/// writes it), with one more result per difference from its filed record, under the clause
/// the difference speaks to. Copies that could not be scanned have no run (the text and JSON
/// outputs list them).
pub fn rescan_sarif(results: &[RescanResult], lang: Lang) -> serde_json::Value {
    let entries: Vec<&RescanEntry> = results
        .iter()
        .filter_map(|r| match r {
            RescanResult::Scanned(e) => Some(&**e),
            _ => None,
        })
        .collect();
    let reports: Vec<&appvet_report::Report> = entries.iter().map(|e| &e.report).collect();
    let mut log = appvet_report::sarif_log(&reports, lang);
    let Some(runs) = log.get_mut("runs").and_then(|r| r.as_array_mut()) else {
        return log;
    };
    for (run, entry) in runs.iter_mut().zip(&entries) {
        let rule_index = |run: &serde_json::Value, id: &str| {
            run.pointer("/tool/driver/rules")
                .and_then(|r| r.as_array())
                .and_then(|rules| rules.iter().position(|r| r["id"] == id))
        };
        let mut added = Vec::new();
        for d in &entry.comparison.differences {
            let level = match d.kind {
                DifferenceKind::Stale | DifferenceKind::OutdatedCopy => "warning",
                _ => "error",
            };
            let mut message = format!(
                "{}: {}",
                d.kind.label().get(lang),
                clean(d.message.get(lang))
            );
            if !d.items.is_empty() {
                message.push_str(&format!(" ({})", clean(&d.items.join("; "))));
            }
            let mut res = serde_json::json!({
                "ruleId": d.clause,
                "level": level,
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": run.pointer("/artifacts/0/location/uri").cloned().unwrap_or_default(), "index": 0 }
                    }
                }],
                "properties": {
                    "registry_difference": d.kind.as_str(),
                    "filed_record": entry.comparison.compared_with.as_ref().map(|f| f.id),
                },
            });
            if let Some(i) = rule_index(run, &d.clause) {
                res["ruleIndex"] = i.into();
            }
            added.push(res);
        }
        if let Some(r) = run.get_mut("results").and_then(|r| r.as_array_mut()) {
            r.extend(added);
        }
    }
    log
}
