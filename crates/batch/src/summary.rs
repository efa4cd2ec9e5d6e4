//! The batch at a glance: what an education bureau copies into its self-check return
//! (自查情况表) and what an app store's dashboard shows.

use appvet_model::Platform;
use appvet_policy::{Lang, Status, Verdict};
use appvet_report::{md_escape, Report};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// What the summary needs of one report. Built from a [`Report`], or read back from a report
/// line of an earlier run's JSON Lines output (so `--resume` summarises the whole batch).
#[derive(Debug, Clone, Deserialize)]
pub struct Brief {
    pub verdict: Verdict,
    pub complete: bool,
    pub package: BriefPackage,
    pub clauses: Vec<BriefClause>,
    pub sdks: Vec<BriefSdk>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BriefPackage {
    pub platform: Platform,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BriefClause {
    pub id: String,
    pub status: Status,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BriefSdk {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub categories: Vec<String>,
}

impl From<&Report> for Brief {
    fn from(r: &Report) -> Brief {
        Brief {
            verdict: r.verdict,
            complete: r.complete,
            package: BriefPackage {
                platform: r.package.platform,
            },
            clauses: r
                .clauses
                .iter()
                .map(|c| BriefClause {
                    id: c.id.clone(),
                    status: c.status,
                })
                .collect(),
            sdks: r
                .sdks
                .iter()
                .map(|s| BriefSdk {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    vendor: s.vendor.clone(),
                    categories: s.categories.clone(),
                })
                .collect(),
        }
    }
}

/// Counts accumulated one report at a time (reports are not kept).
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Files scanned by this run that produced a report.
    pub scanned: u64,
    /// Files that could not be scanned (error records).
    pub errors: u64,
    /// Files skipped because an earlier run has their result (`--resume`); their earlier
    /// results are counted in the verdict, clause and SDK figures.
    pub skipped: u64,
    /// Reports of packages that could only be read in part (limits hit, encrypted binaries).
    pub incomplete: u64,
    pub android: u64,
    pub ios: u64,
    /// WeChat mini-program packages.
    pub wechat_miniprogram: u64,
    pub harmonyos: u64,
    verdicts: BTreeMap<Verdict, u64>,
    /// Clause id → (violations, needs-review); titles kept for the table.
    clauses: HashMap<String, ClauseCount>,
    /// SDK id → apps embedding it.
    sdks: HashMap<String, SdkCount>,
}

#[derive(Debug, Default, Clone)]
struct ClauseCount {
    title_zh: String,
    title_en: String,
    violations: u64,
    needs_review: u64,
}

#[derive(Debug, Default, Clone)]
struct SdkCount {
    name: String,
    vendor: String,
    categories: Vec<String>,
    apps: u64,
}

/// One row of the SDK table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkRow {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub categories: Vec<String>,
    pub apps: u64,
}

/// One row of the clause table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseRow {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub violations: u64,
    pub needs_review: u64,
}

impl Summary {
    pub fn new() -> Summary {
        Summary::default()
    }

    /// Count one package's report.
    pub fn add_report(&mut self, report: &Report) {
        self.add_brief(&Brief::from(report));
    }

    /// Count one package scanned in this run, from what the summary needs of its report.
    pub fn add_brief(&mut self, report: &Brief) {
        self.scanned += 1;
        self.count(report);
    }

    /// Count a package skipped by `--resume`, with the earlier run's result when it is known.
    pub fn add_skipped(&mut self, earlier: Option<&Brief>) {
        self.skipped += 1;
        if let Some(b) = earlier {
            self.count(b);
        }
    }

    fn count(&mut self, report: &Brief) {
        if !report.complete {
            self.incomplete += 1;
        }
        match report.package.platform {
            Platform::Android => self.android += 1,
            Platform::Ios => self.ios += 1,
            Platform::WechatMiniprogram => self.wechat_miniprogram += 1,
            Platform::Harmonyos => self.harmonyos += 1,
        }
        *self.verdicts.entry(report.verdict).or_default() += 1;
        for c in &report.clauses {
            // Looked up before inserting: the key and titles are copied once per clause, not
            // once per package (this runs on the batch's writing thread).
            if !self.clauses.contains_key(&c.id) {
                // Titles from the catalogue (a clause it does not know keeps its id alone).
                let known = appvet_policy::clause(&c.id);
                self.clauses.insert(
                    c.id.clone(),
                    ClauseCount {
                        title_zh: known.map(|k| k.title_zh.clone()).unwrap_or_default(),
                        title_en: known.map(|k| k.title_en.clone()).unwrap_or_default(),
                        ..ClauseCount::default()
                    },
                );
            }
            let Some(entry) = self.clauses.get_mut(&c.id) else {
                continue;
            };
            match c.status {
                Status::Violation => entry.violations += 1,
                Status::NeedsReview => entry.needs_review += 1,
                _ => {}
            }
        }
        // An SDK counts once per app, however many parts embed it.
        let mut seen = std::collections::HashSet::new();
        for s in &report.sdks {
            if !seen.insert(s.id.as_str()) {
                continue;
            }
            if let Some(entry) = self.sdks.get_mut(&s.id) {
                entry.apps += 1;
            } else {
                self.sdks.insert(
                    s.id.clone(),
                    SdkCount {
                        name: s.name.clone(),
                        vendor: s.vendor.clone(),
                        categories: s.categories.clone(),
                        apps: 1,
                    },
                );
            }
        }
    }

    pub fn add_error(&mut self) {
        self.errors += 1;
    }

    /// Apps with this verdict.
    pub fn verdict_count(&self, v: Verdict) -> u64 {
        self.verdicts.get(&v).copied().unwrap_or(0)
    }

    /// Every clause seen, in catalogue order (clauses unknown to the catalogue last, by id).
    pub fn clause_rows(&self) -> Vec<ClauseRow> {
        let order: HashMap<&str, usize> = appvet_policy::catalogue()
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let mut rows: Vec<ClauseRow> = self
            .clauses
            .iter()
            .map(|(id, c)| ClauseRow {
                id: id.clone(),
                title_zh: c.title_zh.clone(),
                title_en: c.title_en.clone(),
                violations: c.violations,
                needs_review: c.needs_review,
            })
            .collect();
        rows.sort_by(|a, b| {
            let ka = order.get(a.id.as_str()).copied().unwrap_or(usize::MAX);
            let kb = order.get(b.id.as_str()).copied().unwrap_or(usize::MAX);
            ka.cmp(&kb).then_with(|| a.id.cmp(&b.id))
        });
        rows
    }

    /// SDKs by the number of apps embedding them (most first, then by id), at most `limit`.
    pub fn top_sdks(&self, limit: usize) -> Vec<SdkRow> {
        let mut rows: Vec<SdkRow> = self
            .sdks
            .iter()
            .map(|(id, s)| SdkRow {
                id: id.clone(),
                name: s.name.clone(),
                vendor: s.vendor.clone(),
                categories: s.categories.clone(),
                apps: s.apps,
            })
            .collect();
        rows.sort_by(|a, b| b.apps.cmp(&a.apps).then_with(|| a.id.cmp(&b.id)));
        rows.truncate(limit);
        rows
    }

    /// Long-format CSV (`section,item,name,count,violations,needs_review`), one table for every
    /// figure, so a spreadsheet pivots it any way. Cells are quoted and formula-neutralised.
    pub fn render_csv(&self, top: usize) -> String {
        let mut out = String::from("section,item,name,count,violations,needs_review\n");
        let mut row = |section: &str, item: &str, name: &str, count: u64, v: &str, r: &str| {
            let cells = [
                csv_cell(section),
                csv_cell(item),
                csv_cell(name),
                count.to_string(),
                v.to_string(),
                r.to_string(),
            ];
            out.push_str(&cells.join(","));
            out.push('\n');
        };
        row("total", "packages", "文件总数", self.total(), "", "");
        row("total", "scanned", "本次扫描", self.scanned, "", "");
        row("total", "errors", "无法扫描", self.errors, "", "");
        row(
            "total",
            "skipped",
            "沿用上次结果（续扫）",
            self.skipped,
            "",
            "",
        );
        row(
            "total",
            "incomplete",
            "未能完整读取",
            self.incomplete,
            "",
            "",
        );
        row("platform", "android", "Android", self.android, "", "");
        row("platform", "ios", "iOS", self.ios, "", "");
        row(
            "platform",
            "wechat-miniprogram",
            "微信小程序",
            self.wechat_miniprogram,
            "",
            "",
        );
        row("platform", "harmonyos", "HarmonyOS", self.harmonyos, "", "");
        for v in [Verdict::Fail, Verdict::NeedsReview, Verdict::Pass] {
            row(
                "verdict",
                v.as_str(),
                v.label_zh(),
                self.verdict_count(v),
                "",
                "",
            );
        }
        for c in self.clause_rows() {
            let (v, r) = (c.violations.to_string(), c.needs_review.to_string());
            row(
                "clause",
                &c.id,
                &c.title_zh,
                c.violations + c.needs_review,
                &v,
                &r,
            );
        }
        for s in self.top_sdks(top) {
            row("sdk", &s.id, &s.name, s.apps, "", "");
        }
        out
    }

    /// A Markdown summary in `lang`.
    pub fn render_md(&self, top: usize, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let t = |zh_s: &'static str, en_s: &'static str| if zh { zh_s } else { en_s };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# {}\n",
            t("appvet 批量扫描汇总", "appvet batch summary")
        );
        let _ = writeln!(out, "| {} | {} |", t("项目", "Item"), t("数量", "Count"));
        out.push_str("|---|---:|\n");
        for (label, n) in [
            (t("文件总数", "Files"), self.total()),
            (t("本次扫描", "Scanned"), self.scanned),
            (t("无法扫描", "Errors"), self.errors),
            (t("沿用上次结果（续扫）", "Skipped (resume)"), self.skipped),
            (t("未能完整读取", "Read incompletely"), self.incomplete),
            ("Android", self.android),
            ("iOS", self.ios),
            (
                t("微信小程序", "WeChat mini-programs"),
                self.wechat_miniprogram,
            ),
            ("HarmonyOS", self.harmonyos),
        ] {
            let _ = writeln!(out, "| {label} | {n} |");
        }
        let _ = writeln!(out, "\n## {}\n", t("结论分布", "Apps per verdict"));
        let _ = writeln!(
            out,
            "| {} | {} |",
            t("结论", "Verdict"),
            t("应用数", "Apps")
        );
        out.push_str("|---|---:|\n");
        for v in [Verdict::Fail, Verdict::NeedsReview, Verdict::Pass] {
            let _ = writeln!(out, "| {} | {} |", v.label(lang), self.verdict_count(v));
        }
        let _ = writeln!(out, "\n## {}\n", t("条款情况", "Clauses"));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            t("条款", "Clause"),
            t("标题", "Title"),
            t("违规", "Violations"),
            t("需人工复核", "Needs review")
        );
        out.push_str("|---|---|---:|---:|\n");
        for c in self.clause_rows() {
            let title = if zh { &c.title_zh } else { &c.title_en };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md_escape(&c.id),
                md_escape(title),
                c.violations,
                c.needs_review
            );
        }
        let _ = writeln!(
            out,
            "\n## {}\n",
            t("最常见的第三方 SDK", "Most common SDKs")
        );
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            t("SDK", "SDK"),
            t("厂商", "Vendor"),
            t("类别", "Categories"),
            t("嵌入的应用数", "Apps")
        );
        out.push_str("|---|---|---|---:|\n");
        for s in self.top_sdks(top) {
            let cats: Vec<String> = s
                .categories
                .iter()
                .map(|c| {
                    let l = appvet_report::sdk_category_label(c);
                    l.get(lang).to_string()
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md_escape(&s.name),
                md_escape(&s.vendor),
                md_escape(&cats.join(", ")),
                s.apps
            );
        }
        out
    }

    /// Every file the batch handled.
    pub fn total(&self) -> u64 {
        self.scanned + self.errors + self.skipped
    }
}

/// A CSV cell: quoted when needed, and a leading `=`, `+`, `-`, `@`, tab or CR prefixed with
/// `'` so a spreadsheet never evaluates it as a formula.
pub fn csv_cell(s: &str) -> String {
    let mut s = s.to_string();
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        s.insert(0, '\'');
    }
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_are_quoted_and_formula_safe() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@cmd"), "'@cmd");
        assert_eq!(csv_cell("+1+1"), "'+1+1");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("a=1"), "a=1");
        assert_eq!(csv_cell("line\nbreak"), "\"line\nbreak\"");
    }
}
