//! `--format html`: one self-contained page (inline CSS, no script, no external asset; a CSP
//! meta tag forbids everything but inline styles). Chinese by default. Every string from the
//! package is HTML-escaped after [`clean`] (so bidi overrides cannot reorder the page either).

use crate::labels::{
    biometric_source_label, category_label, component_kind_label, evidence_kind_label,
    exported_reason_label, level_label, modality_label, sdk_category_label, status_label, t,
    verdict_label,
};
use crate::text::{clean, context_text, evidence_parts, strength_word};
use crate::{location_text, word, Report};
use appvet_model::ProtectionKind;
use appvet_policy::{EvidenceRef, Lang, Status};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Evidence items listed per clause.
const EVIDENCE_SHOWN: usize = 12;
/// Evidence locations listed per SDK.
const SDK_EVIDENCE_SHOWN: usize = 3;
/// Callers listed per sensitive API.
const CALLERS_SHOWN: usize = 5;

/// Escape for HTML text and attribute values, after [`clean`].
pub(crate) fn h(s: &str) -> String {
    let s = clean(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root{--fail:#b42318;--fail-bg:#fef3f2;--rev:#b54708;--rev-bg:#fffaeb;--pass:#067647;--pass-bg:#ecfdf3;--na:#475467;--na-bg:#f2f4f7;--line:#d0d5dd;--ink:#101828;--muted:#475467}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f5f6f8;color:var(--ink);font:14px/1.55 "Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","PingFang SC","Microsoft YaHei",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:4px 0 2px;overflow-wrap:anywhere}
h2{font-size:18px;margin:28px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:16px 0 6px}
code,.mono{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12px}
.banner{border-radius:10px;padding:18px 22px;border:2px solid;margin-bottom:8px}
.banner.v-fail{background:var(--fail-bg);border-color:var(--fail)}
.banner.v-needs-review{background:var(--rev-bg);border-color:var(--rev)}
.banner.v-pass{background:var(--pass-bg);border-color:var(--pass)}
.kicker{color:var(--muted);font-size:13px;letter-spacing:.02em}
.sub{color:var(--muted);overflow-wrap:anywhere}
.verdict-line{display:flex;align-items:center;gap:12px;margin:14px 0 6px;flex-wrap:wrap}
.verdict{display:inline-block;font-size:24px;font-weight:700;color:#fff;padding:4px 18px;border-radius:6px}
.v-fail .verdict{background:var(--fail)}
.v-needs-review .verdict{background:var(--rev)}
.v-pass .verdict{background:var(--pass)}
.verdict-code{font-family:monospace;color:var(--muted)}
.counts{display:flex;gap:8px;flex-wrap:wrap}
ol.reasons{margin:8px 0 0;padding-left:22px}
ol.reasons li{margin:3px 0;overflow-wrap:anywhere}
table{width:100%;border-collapse:collapse;background:#fff;table-layout:auto}
th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere;word-break:break-word}
th{background:#eef1f5;font-weight:600;white-space:nowrap}
table.kv th{width:170px;white-space:normal}
td ul{margin:0;padding-left:18px}
td li{margin:1px 0}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap;border:1px solid}
.b-violation{background:var(--fail-bg);color:var(--fail);border-color:var(--fail)}
.b-needs-review{background:var(--rev-bg);color:var(--rev);border-color:var(--rev)}
.b-pass{background:var(--pass-bg);color:var(--pass);border-color:var(--pass)}
.b-not-applicable,.b-not-checkable{background:var(--na-bg);color:var(--na);border-color:#98a2b3}
tr.st-violation td:first-child{border-left:5px solid var(--fail)}
tr.st-needs-review td:first-child{border-left:5px solid var(--rev)}
tr.st-pass td:first-child{border-left:5px solid var(--pass)}
tr.st-not-applicable td:first-child,tr.st-not-checkable td:first-child{border-left:5px solid #98a2b3}
tr.st-not-applicable,tr.st-not-checkable{color:var(--muted)}
.cid b{white-space:nowrap}
.num,.muted{color:var(--muted);font-size:12px}
.manual{margin-top:6px;font-size:12px;color:var(--muted)}
.ek{display:inline-block;font-size:11px;background:#eef1f5;border-radius:4px;padding:0 4px;color:var(--muted)}
.loc{color:#344054;background:#f2f4f7;border-radius:3px;padding:0 3px}
.tag{display:inline-block;background:#eef4ff;color:#3538cd;border-radius:4px;padding:0 5px;margin:1px 2px 1px 0;font-size:12px}
.tag.pi{background:#fdf2fa;color:#c11574}
.s-strong{color:var(--fail);font-weight:600}.s-medium{color:var(--rev);font-weight:600}.s-weak{color:var(--muted)}
.bad{color:var(--fail);font-weight:600}.warn{color:var(--rev);font-weight:600}.ok{color:var(--pass)}
.notice{border:1px solid var(--rev);background:var(--rev-bg);border-radius:8px;padding:10px 14px;margin:12px 0}
footer{margin-top:28px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:10px}
@page{size:A4;margin:14mm}
@media print{
body{background:#fff;font-size:9.5pt}
main{max-width:none;padding:0}
.banner,.badge,.verdict,tr td:first-child,.tag,.notice{-webkit-print-color-adjust:exact;print-color-adjust:exact}
h2{break-after:avoid}
tr{break-inside:avoid}
thead{display:table-header-group}
th,td{padding:3px 5px}
}
"#;

fn badge(s: Status, lang: Lang) -> String {
    format!(
        r#"<span class="badge b-{}">{}</span>"#,
        s.as_str(),
        status_label(s, lang)
    )
}

fn flag_cell(v: Option<bool>, bad_when: bool, lang: Lang) -> String {
    match v {
        Some(b) if b == bad_when => format!(r#"<span class="bad">{b}</span>"#),
        Some(b) => format!(r#"<span class="ok">{b}</span>"#),
        None => format!(
            r#"<span class="muted">{}</span>"#,
            t(lang, "未设置", "unset")
        ),
    }
}

fn evidence_html(e: &EvidenceRef, lang: Lang) -> String {
    let (kind, id, detail, by) = evidence_parts(e, lang);
    let mut s = format!(r#"<span class="ek">{kind}</span> <b>{}</b>"#, h(id));
    if let Some(d) = detail {
        let _ = write!(s, " {}", h(d));
    }
    if let Some(by) = by {
        let _ = write!(s, "{}{}", t(lang, "，调用方：", " by "), h(&by));
    }
    if let Some(l) = &e.location {
        let _ = write!(s, r#" <code class="loc">{}</code>"#, h(&location_text(l)));
    }
    s
}

/// The HTML report.
pub fn render_html(r: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let mut o = String::with_capacity(64 * 1024);
    page(&mut o, r, lang);
    out.write_all(o.as_bytes())
}

fn page(o: &mut String, r: &Report, lang: Lang) {
    let p = &r.package;
    let title = t(
        lang,
        "appvet 教育移动应用合规检测报告",
        "appvet education-app vetting report",
    );
    let _ = write!(
        o,
        r#"<!DOCTYPE html>
<html lang="{}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="appvet {}">
<title>{} — {}</title>
<style>{}</style>
</head>
<body>
<main>
"#,
        t(lang, "zh-CN", "en"),
        h(&r.appvet.version),
        title,
        h(r.display_name()),
        CSS
    );

    // Verdict banner.
    let v = r.verdict.as_str();
    let opt = |v: &Option<String>| v.as_deref().map(h).unwrap_or_else(|| "-".into());
    let _ = write!(
        o,
        r#"<header class="banner v-{v}" id="verdict" data-verdict="{v}">
<div class="kicker">{title}</div>
<h1 id="app-label">{}</h1>
<div class="sub"><span class="mono">{}</span> · {} {} ({} {}) · {} / {}</div>
<div class="verdict-line"><span>{}</span><span class="verdict">{}</span><span class="verdict-code">{v}</span></div>
"#,
        h(r.display_name()),
        h(&p.id),
        t(lang, "版本", "version"),
        opt(&p.version_name),
        t(lang, "版本号", "code"),
        opt(&p.version_code),
        word(&p.platform),
        word(&p.format),
        t(lang, "结论", "Verdict"),
        verdict_label(r.verdict, lang),
    );
    let _ = write!(o, r#"<ol class="reasons">"#);
    for reason in &r.reasons {
        let _ = write!(o, "<li>{}</li>", h(reason.get(lang)));
    }
    let _ = writeln!(o, "</ol>\n</header>");
    if !r.complete {
        let _ = write!(
            o,
            r#"<div class="notice"><b>{}</b> {}</div>"#,
            t(lang, "分析不完整：", "Analysis incomplete:"),
            t(
                lang,
                "部分代码被加固、运行时加载或加密，未能分析；结果不能视为通过。",
                "some code is packed, loaded at run time or encrypted and was not analysed; the result can never be a clean pass."
            )
        );
    }

    // Identity.
    let _ = write!(
        o,
        r#"<section id="identity"><h2>{}</h2><table class="kv"><tbody>"#,
        t(lang, "基本信息", "Package")
    );
    let mut kv = |k: &str, v: String| {
        let _ = write!(o, "<tr><th>{k}</th><td>{v}</td></tr>");
    };
    kv(t(lang, "应用名称", "Label"), opt(&p.label));
    for (locale, label) in p.labels.iter().filter(|(l, _)| !l.is_empty()) {
        kv(
            &format!("{} [{}]", t(lang, "应用名称", "Label"), h(locale)),
            h(label),
        );
    }
    kv(
        t(lang, "包名 / Bundle ID", "Package id"),
        format!(r#"<span class="mono">{}</span>"#, h(&p.id)),
    );
    kv(
        t(lang, "文件", "File"),
        format!(
            r#"{} ({} {})<br><span class="mono">SHA-256 {}</span>"#,
            h(&r.file.path),
            r.file.size,
            t(lang, "字节", "bytes"),
            h(&r.file.sha256)
        ),
    );
    let schemes = if r.signer.schemes.is_empty() {
        format!(
            r#"<span class="bad">{}</span>"#,
            t(lang, "未签名", "unsigned")
        )
    } else {
        h(&r.signer.schemes.join(", "))
    };
    kv(t(lang, "签名方案", "Signing schemes"), schemes);
    for c in &r.signer.certificates {
        kv(
            t(lang, "签名证书", "Signer certificate"),
            format!(
                r#"{}{}<br><span class="mono">SHA-256 {}</span><br><span class="muted">{} {} … {} · {} {}</span>"#,
                h(&c.subject),
                if c.debug {
                    format!(
                        r#" <span class="bad">{}</span>"#,
                        t(lang, "调试证书", "debug certificate")
                    )
                } else {
                    String::new()
                },
                h(&c.sha256),
                t(lang, "有效期", "valid"),
                h(&c.not_before),
                h(&c.not_after),
                h(&c.key_algorithm),
                c.key_bits.map(|b| b.to_string()).unwrap_or_default()
            ),
        );
    }
    if let Some(team) = &r.signer.team_id {
        kv(t(lang, "团队 ID", "Team id"), h(team));
    }
    if let Some(dev) = &r.filing.developer {
        kv(t(lang, "开发者（证书）", "Developer (certificate)"), h(dev));
    }
    kv(
        t(lang, "部署场景", "Deployment context"),
        h(&context_text(r, lang)),
    );
    kv(
        t(lang, "检测日期", "Scan date"),
        h(&r.scan_date.to_string()),
    );
    kv(
        t(lang, "特征库版本", "Signature database"),
        h(&r.findings.database.version),
    );
    let _ = writeln!(o, "</tbody></table></section>");

    // Clauses.
    let _ = write!(
        o,
        r#"<section id="clauses"><h2>{}</h2><div class="counts">"#,
        t(lang, "条款核查结果", "Clauses")
    );
    for s in Status::ALL {
        let n = r.clauses.iter().filter(|c| c.status == s).count();
        if n > 0 {
            let _ = write!(o, "{} <b>{n}</b> ", badge(s, lang));
        }
    }
    let _ = write!(
        o,
        r#"</div><table class="clauses"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
        t(lang, "条款", "Clause"),
        t(lang, "状态", "Status"),
        t(lang, "理由", "Reasons"),
        t(lang, "证据（位置）", "Evidence (location)")
    );
    for c in r.clauses_by_severity() {
        let st = c.status.as_str();
        let _ = write!(
            o,
            r#"<tr class="st st-{st}" data-clause="{}" data-status="{st}"><td class="cid"><b>{}</b><div class="num">{} {}</div><div>{}</div></td><td>{}</td><td><ul>"#,
            h(&c.id),
            h(&c.id),
            h(&c.document),
            h(&c.number),
            h(c.title.get(lang)),
            badge(c.status, lang)
        );
        for reason in &c.reasons {
            let _ = write!(o, "<li>{}</li>", h(reason.get(lang)));
        }
        if c.reasons.is_empty() {
            let _ = write!(
                o,
                r#"<li class="muted">{}</li>"#,
                t(
                    lang,
                    "已检查，未发现相关证据。",
                    "Checked: no evidence found."
                )
            );
        }
        let _ = write!(o, "</ul>");
        if matches!(c.status, Status::Violation | Status::NeedsReview)
            && !c.manual_checks.is_empty()
        {
            let _ = write!(
                o,
                r#"<div class="manual"><b>{}</b><ul>"#,
                t(lang, "人工复核：", "Manual checks:")
            );
            for m in &c.manual_checks {
                let _ = write!(o, "<li>{}</li>", h(m.get(lang)));
            }
            let _ = write!(o, "</ul></div>");
        }
        let _ = write!(o, "</td><td>");
        if c.evidence.is_empty() {
            let _ = write!(o, r#"<span class="muted">—</span>"#);
        } else {
            let _ = write!(o, "<ul>");
            for e in c.evidence.iter().take(EVIDENCE_SHOWN) {
                let _ = write!(o, "<li>{}</li>", evidence_html(e, lang));
            }
            let more = c.evidence.len().saturating_sub(EVIDENCE_SHOWN) as u64 + c.evidence_omitted;
            if more > 0 {
                let _ = write!(
                    o,
                    r#"<li class="muted">{}</li>"#,
                    match lang {
                        Lang::Zh => format!("另有 {more} 项（见 JSON 报告）"),
                        Lang::En => format!("{more} more (see the JSON report)"),
                    }
                );
            }
            let _ = write!(o, "</ul>");
        }
        let _ = writeln!(o, "</td></tr>");
    }
    let _ = writeln!(o, "</tbody></table></section>");

    sdks(o, r, lang);
    permissions(o, r, lang);
    apis(o, r, lang);
    security(o, r, lang);

    let _ = write!(
        o,
        r#"<footer>appvet {} · {} {} · report v{} · {}</footer>
</main>
</body>
</html>
"#,
        h(&r.appvet.version),
        t(lang, "特征库", "signatures"),
        h(&r.appvet.signatures_version),
        r.report_version,
        t(
            lang,
            "静态扫描只提供证据，不能证明合规；“需人工复核”的条款请按所列要点核查。",
            "A static scan gives evidence, never proof of compliance; check each clause that needs review as listed."
        )
    );
}

fn sdks(o: &mut String, r: &Report, lang: Lang) {
    let _ = write!(
        o,
        r#"<section id="sdks"><h2>{} ({})</h2>"#,
        t(lang, "第三方 SDK", "Third-party SDKs"),
        r.sdks.len()
    );
    if r.sdks.is_empty() {
        let _ = writeln!(
            o,
            r#"<p class="muted">{}</p></section>"#,
            t(lang, "未发现第三方 SDK。", "No third-party SDK found.")
        );
        return;
    }
    let _ = write!(
        o,
        "<table><thead><tr><th>SDK</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        t(lang, "厂商", "Vendor"),
        t(lang, "类别", "Category"),
        t(lang, "收集的个人信息", "Data collected"),
        t(lang, "证据强度", "Evidence"),
        t(lang, "发现位置", "Where found")
    );
    for s in &r.sdks {
        let name = match (&s.name_zh, lang) {
            (Some(z), Lang::Zh) => {
                format!("{}<br><span class=\"muted\">{}</span>", h(z), h(&s.name))
            }
            _ => h(&s.name),
        };
        let cats: String = s
            .categories
            .iter()
            .map(|c| {
                format!(
                    r#"<span class="tag">{}</span>"#,
                    h(sdk_category_label(c).get(lang))
                )
            })
            .collect();
        let collects: String = if s.collects.is_empty() {
            "—".into()
        } else {
            s.collects
                .iter()
                .map(|c| {
                    format!(
                        r#"<span class="tag pi">{}</span>"#,
                        h(category_label(c).get(lang))
                    )
                })
                .collect()
        };
        let strength = match s.strength {
            appvet_model::Strength::Strong => "strong",
            appvet_model::Strength::Medium => "medium",
            appvet_model::Strength::Weak => "weak",
        };
        let mut found = String::from("<ul>");
        for e in s.evidence.iter().take(SDK_EVIDENCE_SHOWN) {
            let _ = write!(
                found,
                r#"<li><span class="ek">{}</span> {} <code class="loc">{}</code></li>"#,
                evidence_kind_label(e.kind).get(lang),
                h(&e.value),
                h(&location_text(&e.location))
            );
        }
        let total: u64 = s.evidence_counts.values().sum();
        let shown = s.evidence.len().min(SDK_EVIDENCE_SHOWN) as u64;
        if total > shown {
            let _ = write!(
                found,
                r#"<li class="muted">{}</li>"#,
                match lang {
                    Lang::Zh => format!("共 {total} 处"),
                    Lang::En => format!("{total} in all"),
                }
            );
        }
        found.push_str("</ul>");
        let _ = writeln!(
            o,
            r#"<tr data-sdk="{}"><td><b>{name}</b><div class="num mono">{}</div></td><td>{}</td><td>{cats}</td><td>{collects}</td><td><span class="s-{strength}">{}</span></td><td>{found}</td></tr>"#,
            h(&s.id),
            h(&s.id),
            h(&s.vendor),
            strength_word(s.strength, lang)
        );
    }
    let _ = writeln!(o, "</tbody></table>");
    if !r.findings.probes.is_empty() {
        let _ = write!(
            o,
            "<h3>{}</h3><ul>",
            t(
                lang,
                "SDK 探测（类名只出现在字符串中，未嵌入）",
                "SDK probes (class names only in strings, not embedded)"
            )
        );
        for p in &r.findings.probes {
            let _ = write!(
                o,
                r#"<li>{} → {} <code class="loc">{}</code></li>"#,
                h(&p.class),
                h(&p.sdk_name),
                h(&location_text(&p.location))
            );
        }
        let _ = write!(o, "</ul>");
    }
    let _ = writeln!(o, "</section>");
}

fn permissions(o: &mut String, r: &Report, lang: Lang) {
    let _ = write!(
        o,
        r#"<section id="permissions"><h2>{}</h2>"#,
        t(
            lang,
            "权限（按个人信息类别）",
            "Permissions by personal-information category"
        )
    );
    if r.permissions.is_empty() {
        let _ = writeln!(
            o,
            r#"<p class="muted">{}</p></section>"#,
            t(
                lang,
                "未申请已知权限。",
                "No catalogued permission requested."
            )
        );
        return;
    }
    let _ = write!(
        o,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        t(lang, "类别", "Category"),
        t(lang, "个人信息", "Personal information"),
        t(lang, "权限 / 使用说明", "Permissions / usage keys")
    );
    for g in &r.permissions {
        let mut items = String::from("<ul>");
        for p in &g.permissions {
            let level_class = match p.level.as_str() {
                "dangerous" | "special" => "warn",
                _ => "muted",
            };
            let _ = write!(
                items,
                r#"<li><span class="mono">{}</span> <span class="{level_class}">{}</span> <span class="muted">{}</span></li>"#,
                h(&p.name),
                h(level_label(&p.level).get(lang)),
                h(crate::what_in(&p.what, p.what_zh.as_deref(), lang))
            );
        }
        items.push_str("</ul>");
        let _ = writeln!(
            o,
            r#"<tr data-category="{}"><td><b>{}</b><div class="num mono">{}</div></td><td>{}</td><td>{items}</td></tr>"#,
            h(&g.category),
            h(g.label.get(lang)),
            h(&g.category),
            if g.personal_information {
                format!(r#"<span class="tag pi">{}</span>"#, t(lang, "是", "yes"))
            } else {
                t(lang, "否", "no").to_string()
            }
        );
    }
    let _ = writeln!(o, "</tbody></table></section>");
}

fn apis(o: &mut String, r: &Report, lang: Lang) {
    let f = &r.findings;
    if !f.apis.is_empty() {
        let _ = write!(
            o,
            "<section id=\"apis\"><h2>{}</h2><table><thead><tr><th>API</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            t(lang, "敏感 API 与调用方", "Sensitive APIs and who calls them"),
            t(lang, "类别", "Category"),
            t(lang, "说明", "What"),
            t(lang, "调用方", "Called by")
        );
        for a in &f.apis {
            let mut callers = String::from("<ul>");
            for c in a.callers.iter().take(CALLERS_SHOWN) {
                let who = match &c.by_name {
                    Some(n) => format!("{} ({})", h(n), h(&c.by)),
                    None => h(&c.by),
                };
                let _ = write!(
                    callers,
                    r#"<li><b>{who}</b> <span class="mono">{} → {}</span> <code class="loc">{}</code></li>"#,
                    h(&c.caller),
                    h(crate::api_short(&c.api)),
                    h(&location_text(&c.location))
                );
            }
            if a.callers_total > CALLERS_SHOWN as u64 {
                let _ = write!(
                    callers,
                    r#"<li class="muted">+{}</li>"#,
                    a.callers_total - CALLERS_SHOWN as u64
                );
            }
            callers.push_str("</ul>");
            let _ = writeln!(
                o,
                r#"<tr><td class="mono">{}</td><td>{}</td><td>{}</td><td>{callers}</td></tr>"#,
                h(&a.id),
                h(category_label(&a.category).get(lang)),
                h(crate::what_in(&a.what, a.what_zh.as_deref(), lang))
            );
        }
        let _ = writeln!(o, "</tbody></table></section>");
    }
    if !f.biometrics.is_empty() {
        let _ = write!(
            o,
            r#"<section id="biometrics"><h2>{}</h2><ul>"#,
            t(lang, "生物识别", "Biometrics")
        );
        for b in &f.biometrics {
            let _ = write!(
                o,
                "<li><b>{}</b> ({}, {}) {}{}</li>",
                h(&b.id),
                h(modality_label(&b.modality).get(lang)),
                biometric_source_label(b.source, lang),
                h(crate::what_in(&b.what, b.what_zh.as_deref(), lang)),
                b.location
                    .as_ref()
                    .map(|l| format!(r#" <code class="loc">{}</code>"#, h(&location_text(l))))
                    .unwrap_or_default()
            );
        }
        let _ = writeln!(o, "</ul></section>");
    }
    if !f.protections.is_empty() || !f.completeness.complete {
        let _ = write!(
            o,
            r#"<section id="protections"><h2>{}</h2><ul>"#,
            t(
                lang,
                "加固、隐藏代码与完整性",
                "Protections, hidden code and completeness"
            )
        );
        for p in &f.protections {
            let kind = match p.kind {
                ProtectionKind::Packer => t(lang, "加固", "packer"),
                ProtectionKind::RuntimeCodeLoading => {
                    t(lang, "运行时加载代码", "runtime code loading")
                }
                ProtectionKind::EmbeddedCode => t(lang, "内嵌代码", "embedded code"),
                ProtectionKind::EncryptedBinary => t(lang, "加密二进制", "encrypted binary"),
            };
            let ev: Vec<String> = p
                .evidence
                .iter()
                .take(3)
                .map(|e| {
                    format!(
                        r#"<code class="loc">{}</code>"#,
                        h(&location_text(&e.location))
                    )
                })
                .collect();
            let _ = write!(o, "<li>{kind}: <b>{}</b> {}</li>", h(&p.name), ev.join(" "));
        }
        for reason in &f.completeness.reasons {
            let _ = write!(
                o,
                r#"<li class="warn">[{}] {}</li>"#,
                h(&reason.code),
                h(&crate::labels::incomplete_message(reason, f, lang))
            );
        }
        let _ = writeln!(o, "</ul></section>");
    }
}

fn security(o: &mut String, r: &Report, lang: Lang) {
    let s = &r.security;
    let _ = write!(
        o,
        r#"<section id="security"><h2>{}</h2><table class="kv"><tbody>"#,
        t(lang, "安全配置", "Security flags")
    );
    let mut kv = |k: &str, v: String| {
        let _ = write!(o, "<tr><th>{k}</th><td>{v}</td></tr>");
    };
    let android = r.package.platform == appvet_model::Platform::Android;
    if android {
        kv(
            t(lang, "可调试 debuggable", "debuggable"),
            flag_cell(s.debuggable, true, lang),
        );
        let backup = match s.allow_backup {
            None => format!(
                r#"<span class="warn">{}</span>"#,
                t(lang, "未设置（默认允许）", "unset (Android default: true)")
            ),
            v => flag_cell(v, true, lang),
        };
        kv(t(lang, "允许备份 allowBackup", "allowBackup"), backup);
        kv(
            "usesCleartextTraffic",
            flag_cell(s.uses_cleartext_traffic, true, lang),
        );
    } else if r.package.platform == appvet_model::Platform::Ios {
        kv(
            t(lang, "可调试 get-task-allow", "debuggable (get-task-allow)"),
            flag_cell(s.debuggable, true, lang),
        );
    } else {
        kv(
            t(lang, "调试构建 debug", "debug build"),
            flag_cell(s.debuggable, true, lang),
        );
    }
    kv(
        t(lang, "允许明文 HTTP", "Cleartext HTTP permitted"),
        flag_cell(s.cleartext_permitted, true, lang),
    );
    if let Some(tonly) = s.test_only {
        kv("testOnly", flag_cell(Some(tonly), true, lang));
    }
    if let Some(n) = &s.network_config {
        let mut v = format!(
            r#"<code class="loc">{}</code><br>{} {} · {} {}"#,
            h(&location_text(&n.source)),
            t(lang, "默认明文", "base cleartext"),
            flag_cell(n.base_cleartext_permitted, true, lang),
            t(lang, "信任锚", "trust anchors"),
            h(&n.base_trust_anchors.join(", "))
        );
        if n.trusts_user_cas {
            let _ = write!(
                v,
                r#" · <span class="bad">{}</span>"#,
                t(lang, "信任用户安装的证书", "user-installed CAs trusted")
            );
        }
        if !n.cleartext_domains.is_empty() {
            let _ = write!(
                v,
                r#"<br><span class="warn">{}</span> {}"#,
                t(lang, "允许明文的域名：", "cleartext domains:"),
                h(&n.cleartext_domains.join(", "))
            );
        }
        kv(
            t(lang, "网络安全配置 / ATS", "Network security config / ATS"),
            v,
        );
    }
    let schemes = if s.signing_schemes.is_empty() {
        format!(
            r#"<span class="bad">{}</span>"#,
            t(lang, "未签名", "unsigned")
        )
    } else if s.signing_schemes.iter().all(|x| x == "v1") {
        format!(
            r#"<span class="warn">{}</span> {}"#,
            h(&s.signing_schemes.join(", ")),
            t(lang, "（仅 v1）", "(v1 only)")
        )
    } else {
        h(&s.signing_schemes.join(", "))
    };
    kv(t(lang, "签名方案", "Signing schemes"), schemes);
    kv(
        t(lang, "调试证书签名", "Signed with a debug certificate"),
        if s.debug_certificate {
            format!(r#"<span class="bad">{}</span>"#, t(lang, "是", "yes"))
        } else {
            format!(r#"<span class="ok">{}</span>"#, t(lang, "否", "no"))
        },
    );
    let sdk = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
    if r.package.platform == appvet_model::Platform::Android {
        kv(
            "minSdk / targetSdk",
            format!("{} / {}", sdk(s.min_sdk), sdk(s.target_sdk)),
        );
    } else if r.package.platform == appvet_model::Platform::Harmonyos {
        kv(
            "minAPIVersion / targetAPIVersion",
            format!("{} / {}", sdk(s.min_sdk), sdk(s.target_sdk)),
        );
    } else if let Some(m) = &r.package.min_os_version {
        kv(t(lang, "最低 iOS 版本", "Minimum iOS"), h(m));
    }
    if !s.distribution.is_empty() {
        kv(
            t(lang, "分发方式（描述文件）", "Distribution (profile)"),
            h(&s.distribution.join(", ")),
        );
    }
    let mut exported = format!(
        "{} / {}",
        r.summary.exported_components, r.summary.components
    );
    if !s.exported_unguarded.is_empty() {
        let _ = write!(
            exported,
            r#"<br><span class="warn">{}</span><ul>"#,
            t(lang, "无权限保护：", "without a permission guard:")
        );
        for c in &s.exported_unguarded {
            let _ = write!(
                exported,
                r#"<li>{} <span class="mono">{}</span> <span class="muted">{}</span></li>"#,
                component_kind_label(c.kind).get(lang),
                h(&c.name),
                exported_reason_label(c.reason).get(lang)
            );
        }
        exported.push_str("</ul>");
    }
    kv(t(lang, "导出组件", "Exported components"), exported);
    kv(
        t(lang, "代码", "Code"),
        format!(
            "{} {} · {} {} · URL {}",
            r.summary.code_units,
            t(lang, "个代码文件", "code files"),
            r.summary.classes_defined,
            t(lang, "个类", "classes"),
            r.summary.urls
        ),
    );
    if r.anomalies.count > 0 {
        let codes: Vec<String> = r
            .anomalies
            .by_code
            .iter()
            .map(|(k, n)| format!("{} ×{n}", h(k)))
            .collect();
        kv(
            t(lang, "异常结构", "Anomalies"),
            format!(
                r#"<span class="warn">{}</span> {}"#,
                r.anomalies.count,
                codes.join(", ")
            ),
        );
    }
    let _ = writeln!(o, "</tbody></table></section>");
}

#[cfg(test)]
mod tests {
    use super::h;

    #[test]
    fn escapes_everything() {
        assert_eq!(
            h(r#"<script>alert("x")</script>&'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"
        );
        assert_eq!(h("a\u{202e}b"), "a\\u{202e}b");
    }
}
