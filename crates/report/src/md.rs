//! `--format md`: the report as GitHub-flavoured Markdown. Package strings are escaped for
//! Markdown and HTML ([`md_escape`]).

use crate::labels::{
    biometric_source_label, category_label, component_kind_label, evidence_kind_label, level_label,
    modality_label, protection_kind_label, sdk_category_label, status_label, t, verdict_label,
};
use crate::text::{clean, context_text, strength_word};
use crate::{location_text, word, Report};
use appvet_policy::{EvidenceRef, Lang, Status};
use std::io::{self, Write};

/// Evidence items listed per clause.
const EVIDENCE_SHOWN: usize = 10;

/// Escape a package-controlled string for Markdown (also inside table cells): control and bidi
/// characters become `\u{..}` text ([`clean`]), `& < >` become HTML entities (so no raw HTML
/// passes), and the Markdown punctuation that could start emphasis, strike-through, links,
/// code or a table cell (`\ ` * _ ~ [ ] |`) is backslash-escaped (with `[` `]` escaped, `(`
/// `)` and `!` cannot form a link or image).
pub fn md_escape(s: &str) -> String {
    let s = clean(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn evidence_md(e: &EvidenceRef, lang: Lang) -> String {
    let mut s = crate::text::evidence_sentence(e, lang, md_escape);
    if let Some(l) = &e.location {
        s.push_str(&format!(" @ {}", md_escape(&location_text(l))));
    }
    s
}

fn flag(v: Option<bool>, lang: Lang) -> &'static str {
    match v {
        Some(true) => "true",
        Some(false) => "false",
        None => t(lang, "未设置", "unset"),
    }
}

/// The Markdown report.
pub fn render_md(r: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let p = &r.package;
    let opt = |v: &Option<String>| v.as_deref().map(md_escape).unwrap_or_else(|| "-".into());
    writeln!(
        out,
        "# {}：{}\n",
        t(
            lang,
            "appvet 教育移动应用合规检测报告",
            "appvet education-app vetting report"
        ),
        md_escape(r.display_name())
    )?;
    writeln!(
        out,
        "| {} | {} |",
        t(lang, "项目", "item"),
        t(lang, "值", "value")
    )?;
    writeln!(out, "|---|---|")?;
    let mut row = |k: &str, v: String| writeln!(out, "| {k} | {v} |");
    row(t(lang, "应用名称", "label"), opt(&p.label))?;
    row(t(lang, "包名", "package id"), md_escape(&p.id))?;
    row(
        t(lang, "版本", "version"),
        format!(
            "{} ({} {})",
            opt(&p.version_name),
            t(lang, "版本号", "code"),
            opt(&p.version_code)
        ),
    )?;
    row(
        t(lang, "平台", "platform"),
        format!("{} / {}", word(&p.platform), word(&p.format)),
    )?;
    row(t(lang, "文件", "file"), md_escape(&r.file.path))?;
    row("SHA-256", r.file.sha256.clone())?;
    row(
        t(lang, "签名方案", "signing schemes"),
        if r.signer.schemes.is_empty() {
            t(lang, "未签名", "unsigned").to_string()
        } else {
            md_escape(&r.signer.schemes.join(", "))
        },
    )?;
    for c in &r.signer.certificates {
        row(
            t(lang, "签名证书", "signer certificate"),
            format!(
                "{}{}<br>sha256 {}",
                md_escape(&c.subject),
                if c.debug {
                    t(lang, " **（调试证书）**", " **(debug certificate)**")
                } else {
                    ""
                },
                md_escape(&c.sha256)
            ),
        )?;
    }
    row(
        t(lang, "部署场景", "context"),
        md_escape(&context_text(r, lang)),
    )?;
    row(t(lang, "检测日期", "scan date"), r.scan_date.to_string())?;
    row(
        t(lang, "特征库版本", "signatures"),
        md_escape(&r.findings.database.version),
    )?;
    writeln!(out)?;

    writeln!(
        out,
        "## {}{}（{}）\n",
        t(lang, "结论：", "Verdict: "),
        verdict_label(r.verdict, lang),
        r.verdict.as_str()
    )?;
    for (i, reason) in r.reasons.iter().enumerate() {
        writeln!(out, "{}. {}", i + 1, md_escape(reason.get(lang)))?;
    }
    writeln!(out)?;

    writeln!(out, "## {}\n", t(lang, "条款", "Clauses"))?;
    writeln!(
        out,
        "| {} | {} | {} | {} |",
        t(lang, "条款", "clause"),
        t(lang, "状态", "status"),
        t(lang, "理由", "reasons"),
        t(lang, "证据", "evidence")
    )?;
    writeln!(out, "|---|---|---|---|")?;
    for c in r.clauses_by_severity() {
        let label = status_label(c.status, lang);
        let status = match c.status {
            Status::Violation | Status::NeedsReview => format!("**{label}**"),
            _ => label.to_string(),
        };
        let reasons: Vec<String> = c.reasons.iter().map(|x| md_escape(x.get(lang))).collect();
        let mut ev: Vec<String> = c
            .evidence
            .iter()
            .take(EVIDENCE_SHOWN)
            .map(|e| evidence_md(e, lang))
            .collect();
        let more = c.evidence.len().saturating_sub(EVIDENCE_SHOWN) as u64 + c.evidence_omitted;
        if more > 0 {
            ev.push(match lang {
                Lang::Zh => format!("另有 {more} 项"),
                Lang::En => format!("{more} more"),
            });
        }
        writeln!(
            out,
            "| {} {} {} | {} | {} | {} |",
            c.id,
            md_escape(&c.number),
            md_escape(c.title.get(lang)),
            status,
            reasons.join("<br>"),
            ev.join("<br>")
        )?;
    }
    writeln!(out)?;

    let f = &r.findings;
    if !f.completeness.complete {
        writeln!(
            out,
            "**{}**\n",
            t(lang, "分析结果不完整", "Analysis incomplete")
        )?;
        for reason in &f.completeness.reasons {
            writeln!(
                out,
                "- {}: {}",
                md_escape(&reason.code),
                md_escape(&crate::labels::incomplete_message(reason, f, lang))
            )?;
        }
        writeln!(out)?;
    }

    writeln!(
        out,
        "## {}（{}）\n",
        t(lang, "第三方 SDK", "Third-party SDKs"),
        r.sdks.len()
    )?;
    if r.sdks.is_empty() {
        writeln!(out, "{}\n", t(lang, "未发现。", "None found."))?;
    } else {
        writeln!(
            out,
            "| {} |",
            match lang {
                Lang::Zh => "SDK | 厂商 | 类别 | 收集的个人信息 | 证据强度 | 发现位置",
                Lang::En => "SDK | vendor | categories | data collected | evidence | where found",
            }
        )?;
        writeln!(out, "|---|---|---|---|---|---|")?;
        for s in &r.sdks {
            let name = match (&s.name_zh, lang) {
                (Some(z), Lang::Zh) => format!("{} / {}", md_escape(z), md_escape(&s.name)),
                _ => md_escape(&s.name),
            };
            let cats: Vec<String> = s
                .categories
                .iter()
                .map(|c| md_escape(sdk_category_label(c).get(lang)))
                .collect();
            let collects: Vec<String> = s
                .collects
                .iter()
                .map(|c| md_escape(category_label(c).get(lang)))
                .collect();
            let found: Vec<String> = s
                .evidence
                .iter()
                .take(3)
                .map(|e| {
                    format!(
                        "{} {} @ {}",
                        evidence_kind_label(e.kind).get(lang),
                        md_escape(&e.value),
                        md_escape(&location_text(&e.location))
                    )
                })
                .collect();
            writeln!(
                out,
                "| {name} ({}) | {} | {} | {} | {} | {} |",
                md_escape(&s.id),
                md_escape(&s.vendor),
                cats.join(", "),
                if collects.is_empty() {
                    "-".to_string()
                } else {
                    collects.join(", ")
                },
                strength_word(s.strength, lang),
                found.join("<br>")
            )?;
        }
        writeln!(out)?;
    }

    writeln!(
        out,
        "## {}\n",
        t(lang, "权限（按个人信息类别）", "Permissions by category")
    )?;
    if r.permissions.is_empty() {
        writeln!(out, "{}\n", t(lang, "无。", "None."))?;
    } else {
        writeln!(
            out,
            "| {} | {} | {} |",
            t(lang, "类别", "category"),
            t(lang, "个人信息", "personal information"),
            t(lang, "权限", "permissions")
        )?;
        writeln!(out, "|---|---|---|")?;
        for g in &r.permissions {
            let names: Vec<String> = g
                .permissions
                .iter()
                .map(|p| {
                    format!(
                        "{} ({})",
                        md_escape(&p.name),
                        md_escape(level_label(&p.level).get(lang))
                    )
                })
                .collect();
            writeln!(
                out,
                "| {} | {} | {} |",
                md_escape(g.label.get(lang)),
                if g.personal_information {
                    t(lang, "是", "yes")
                } else {
                    t(lang, "否", "no")
                },
                names.join("<br>")
            )?;
        }
        writeln!(out)?;
    }

    if !f.apis.is_empty() {
        writeln!(out, "## {}\n", t(lang, "敏感 API", "Sensitive APIs"))?;
        writeln!(
            out,
            "| API | {} | {} | {} |",
            t(lang, "类别", "category"),
            t(lang, "说明", "what"),
            t(lang, "调用方", "called by")
        )?;
        writeln!(out, "|---|---|---|---|")?;
        for a in &f.apis {
            let callers: Vec<String> = a
                .callers
                .iter()
                .take(5)
                .map(|c| {
                    format!(
                        "{}: {} → {}",
                        md_escape(c.by_name.as_deref().unwrap_or(&c.by)),
                        md_escape(&c.caller),
                        md_escape(crate::api_short(&c.api))
                    )
                })
                .collect();
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                md_escape(&a.id),
                md_escape(category_label(&a.category).get(lang)),
                md_escape(crate::what_in(&a.what, a.what_zh.as_deref(), lang)),
                callers.join("<br>")
            )?;
        }
        writeln!(out)?;
    }

    if !f.biometrics.is_empty() {
        writeln!(out, "## {}\n", t(lang, "生物识别", "Biometrics"))?;
        for b in &f.biometrics {
            writeln!(
                out,
                "- {} {} ({}): {}",
                biometric_source_label(b.source, lang),
                md_escape(&b.id),
                md_escape(modality_label(&b.modality).get(lang)),
                md_escape(crate::what_in(&b.what, b.what_zh.as_deref(), lang))
            )?;
        }
        writeln!(out)?;
    }

    if !f.protections.is_empty() {
        writeln!(
            out,
            "## {}\n",
            t(lang, "加固与隐藏代码", "Protections and hidden code")
        )?;
        for pr in &f.protections {
            writeln!(
                out,
                "- {}: {}",
                protection_kind_label(pr.kind, lang),
                md_escape(&pr.name)
            )?;
        }
        writeln!(out)?;
    }

    let s = &r.security;
    writeln!(out, "## {}\n", t(lang, "安全配置", "Security flags"))?;
    writeln!(
        out,
        "| {} | {} |",
        t(lang, "项目", "flag"),
        t(lang, "值", "value")
    )?;
    writeln!(out, "|---|---|")?;
    let mut row = |k: &str, v: String| writeln!(out, "| {k} | {v} |");
    let android = r.package.platform == appvet_model::Platform::Android;
    if android {
        row("debuggable", flag(s.debuggable, lang).into())?;
        row("allowBackup", flag(s.allow_backup, lang).into())?;
        row(
            "usesCleartextTraffic",
            flag(s.uses_cleartext_traffic, lang).into(),
        )?;
    } else if r.package.platform == appvet_model::Platform::Ios {
        row("get-task-allow", flag(s.debuggable, lang).into())?;
    } else {
        row("debug", flag(s.debuggable, lang).into())?;
    }
    row(
        t(lang, "允许明文传输", "cleartext permitted"),
        flag(s.cleartext_permitted, lang).into(),
    )?;
    if let Some(n) = &s.network_config {
        row(
            t(lang, "网络安全配置", "network security config"),
            format!(
                "{}; {} {}; {} {}{}",
                md_escape(&location_text(&n.source)),
                t(lang, "信任锚", "trust anchors"),
                md_escape(&n.base_trust_anchors.join(", ")),
                t(lang, "明文域名", "cleartext domains"),
                if n.cleartext_domains.is_empty() {
                    "-".to_string()
                } else {
                    md_escape(&n.cleartext_domains.join(", "))
                },
                if n.trusts_user_cas {
                    t(lang, "; 信任用户证书", "; user CAs trusted")
                } else {
                    ""
                }
            ),
        )?;
    }
    row(
        t(lang, "签名方案", "signing schemes"),
        if s.signing_schemes.is_empty() {
            "-".into()
        } else {
            md_escape(&s.signing_schemes.join(", "))
        },
    )?;
    row(
        t(lang, "调试证书", "debug certificate"),
        s.debug_certificate.to_string(),
    )?;
    let sdk = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
    if android {
        row(
            "minSdk / targetSdk",
            format!("{} / {}", sdk(s.min_sdk), sdk(s.target_sdk)),
        )?;
    } else {
        row(
            t(lang, "最低 iOS 版本", "minimum iOS"),
            opt(&r.package.min_os_version),
        )?;
    }
    let exported: Vec<String> = s
        .exported_unguarded
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                component_kind_label(c.kind).get(lang),
                md_escape(&c.name)
            )
        })
        .collect();
    row(
        t(
            lang,
            "无权限保护的导出组件",
            "exported components without permission",
        ),
        if exported.is_empty() {
            "-".into()
        } else {
            exported.join("<br>")
        },
    )?;
    row(
        t(lang, "异常结构", "anomalies"),
        r.anomalies.count.to_string(),
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "_{}_",
        md_escape(&format!(
            "appvet {} · report v{} · {}",
            r.appvet.version,
            r.report_version,
            t(
                lang,
                "静态扫描只提供证据，不能证明合规；需人工复核的条款请按所列要点核查。",
                "A static scan gives evidence, never proof of compliance; check the clauses that need review as listed."
            )
        ))
    )
}

#[cfg(test)]
mod tests {
    use super::md_escape;

    #[test]
    fn escapes_markdown_and_html() {
        assert_eq!(
            md_escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(md_escape("a|b*c_[x](y)"), "a\\|b\\*c\\_\\[x\\](y)");
        assert_eq!(md_escape("\x1b[31m"), "\\\\u{1b}\\[31m");
    }
}
