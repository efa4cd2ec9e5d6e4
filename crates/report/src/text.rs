//! `--format text`: the verdict and its reasons first, then the clauses, then SDK, permission
//! and other tables. Every string from the package goes through [`clean`].

use crate::labels::{
    biometric_source_label, callers_text, category_label, component_kind_label,
    evidence_kind_label, exported_reason_label, level_label, modality_label, protection_kind_label,
    ref_kind_label, sdk_category_label, status_label, t, verdict_label,
};
use crate::{location_text, word, Report};
use appvet_model::Platform;
use appvet_policy::{EvidenceRef, Lang, Status, Verdict};
use std::io::{self, Write};

/// Make a package-controlled string safe to print on a terminal: control characters (C0, DEL,
/// C1) and the bidi controls that can reorder a line (LRE..RLO, LRI..PDI, LRM, RLM, ALM) are
/// shown as `\u{..}` escapes.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bidi = matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
        );
        if c.is_control() || bidi {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Evidence items shown per clause.
const EVIDENCE_SHOWN: usize = 6;
/// Callers shown per sensitive API.
const CALLERS_SHOWN: usize = 8;

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }

    fn status(&self, st: Status, s: &str) -> String {
        let code = match st {
            Status::Violation => "1;31",
            Status::NeedsReview => "1;33",
            Status::Pass => "32",
            Status::NotApplicable | Status::NotCheckable => "2",
        };
        self.paint(code, s)
    }

    fn verdict(&self, v: Verdict, s: &str) -> String {
        let code = match v {
            Verdict::Fail => "1;31",
            Verdict::NeedsReview => "1;33",
            Verdict::Pass => "1;32",
        };
        self.paint(code, s)
    }
}

/// Display width of a string on a terminal (East Asian wide characters count 2).
pub(crate) fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = matches!(u,
                0x1100..=0x115f | 0x2e80..=0x303e | 0x3041..=0x33ff | 0x3400..=0x4dbf
                | 0x4e00..=0x9fff | 0xa000..=0xa4cf | 0xac00..=0xd7a3 | 0xf900..=0xfaff
                | 0xfe30..=0xfe4f | 0xff00..=0xff60 | 0xffe0..=0xffe6 | 0x20000..=0x3fffd);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    let have = width(s);
    let mut out = s.to_string();
    for _ in have..w {
        out.push(' ');
    }
    out
}

/// Write rows as aligned columns (widths capped at `cap` for alignment; longer cells overflow).
fn table(
    out: &mut dyn Write,
    indent: &str,
    header: &[&str],
    rows: &[Vec<String>],
    st: &Style,
) -> io::Result<()> {
    const CAP: usize = 36;
    let n = header.len();
    let mut w: Vec<usize> = header.iter().map(|h| width(h).min(CAP)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            if let Some(x) = w.get_mut(i) {
                *x = (*x).max(width(c).min(CAP));
            }
        }
    }
    let line = |cells: Vec<String>| -> String {
        let last = cells.len().saturating_sub(1);
        let mut s = String::from(indent);
        for (i, c) in cells.iter().enumerate() {
            if i == last {
                s.push_str(c);
            } else {
                s.push_str(&pad(c, w.get(i).copied().unwrap_or(0)));
                s.push_str("  ");
            }
        }
        s.trim_end().to_string()
    };
    writeln!(
        out,
        "{}",
        st.bold(&line(header.iter().map(|h| h.to_string()).collect()))
    )?;
    for r in rows {
        writeln!(out, "{}", line(r.clone()))?;
    }
    Ok(())
}

fn flag(v: Option<bool>, lang: Lang) -> &'static str {
    match v {
        Some(true) => "true",
        Some(false) => "false",
        None => t(lang, "未设置", "unset"),
    }
}

/// The parts of an evidence line in a language, unescaped: kind word, id, detail (None when
/// empty or the id again), callers (None when none). Each renderer escapes them its own way.
pub(crate) fn evidence_parts(
    e: &EvidenceRef,
    lang: Lang,
) -> (&'static str, &str, Option<&str>, Option<String>) {
    let detail = e.detail_in(lang);
    let detail = (!detail.is_empty() && detail != e.id).then_some(detail);
    let by = (!e.by.is_empty()).then(|| callers_text(&e.by, lang));
    (ref_kind_label(e.kind, lang), &e.id, detail, by)
}

/// Kind, id, detail and callers of one piece of evidence in `lang`, each value passed through
/// `escape` (the output format's escaping): `SDK pangle：穿山甲（ByteDance）；…，调用方：应用自身代码`.
pub(crate) fn evidence_sentence(e: &EvidenceRef, lang: Lang, escape: fn(&str) -> String) -> String {
    let (kind, id, detail, by) = evidence_parts(e, lang);
    let mut s = format!("{kind} {}", escape(id));
    if let Some(d) = detail {
        s.push_str(t(lang, "：", ": "));
        s.push_str(&escape(d));
    }
    if let Some(by) = by {
        s.push_str(t(lang, "，调用方：", " by "));
        s.push_str(&escape(&by));
    }
    s
}

/// `sdk pangle: Pangle (ByteDance); ... by app (classes.dex [#3])` /
/// `SDK pangle：穿山甲（ByteDance）；…，调用方：应用自身代码 (classes.dex [#3])`, cleaned.
fn evidence_line(e: &EvidenceRef, lang: Lang) -> String {
    let mut s = evidence_sentence(e, lang, clean);
    if let Some(l) = &e.location {
        s.push_str(&format!("  ({})", clean(&location_text(l))));
    }
    s
}

pub(crate) fn strength_word(s: appvet_model::Strength, lang: Lang) -> &'static str {
    match s {
        appvet_model::Strength::Strong => t(lang, "强", "strong"),
        appvet_model::Strength::Medium => t(lang, "中", "medium"),
        appvet_model::Strength::Weak => t(lang, "弱", "weak"),
    }
}

/// Context words for display (`统一使用` / `mandated`), `-` when unspecified.
pub(crate) fn context_text(r: &Report, lang: Lang) -> String {
    if r.context.is_unspecified() {
        return t(lang, "未指定", "not specified").to_string();
    }
    let words: Vec<String> = r
        .context
        .iter()
        .map(|c| match lang {
            Lang::Zh => format!("{}（{}）", c.label_zh(), c.as_str()),
            Lang::En => c.as_str().to_string(),
        })
        .collect();
    words.join(t(lang, "、", ", "))
}

/// The text report. `color`: ANSI colours (the caller decides: a terminal, and `NO_COLOR`
/// unset).
pub fn render_text(r: &Report, lang: Lang, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let st = Style { color };
    let p = &r.package;
    writeln!(
        out,
        "{}",
        st.bold(&format!(
            "{} · {}",
            t(
                lang,
                "appvet 教育移动应用合规检测报告",
                "appvet education-app vetting report"
            ),
            clean(r.file_name())
        ))
    )?;
    let opt = |v: &Option<String>| v.as_deref().map(clean).unwrap_or_else(|| "-".into());
    // Without a label the package is named by its id, once.
    let name = r.display_name();
    let who = if name == p.id {
        clean(&p.id)
    } else {
        format!("{} ({})", clean(name), clean(&p.id))
    };
    writeln!(
        out,
        "  {} {} {} {} ({} {}) · {} {}",
        t(lang, "应用    ", "app     "),
        who,
        t(lang, "版本", "version"),
        opt(&p.version_name),
        t(lang, "版本号", "code"),
        opt(&p.version_code),
        word(&p.platform),
        word(&p.format)
    )?;
    for (locale, label) in p.labels.iter().filter(|(l, _)| !l.is_empty()) {
        writeln!(out, "           [{}] {}", clean(locale), clean(label))?;
    }
    writeln!(
        out,
        "  {} {} · {} {} · sha256 {}",
        t(lang, "文件    ", "file    "),
        clean(&r.file.path),
        r.file.size,
        t(lang, "字节", "bytes"),
        r.file.sha256
    )?;
    let schemes = if r.signer.schemes.is_empty() {
        t(lang, "未签名", "unsigned").to_string()
    } else {
        clean(&r.signer.schemes.join(", "))
    };
    writeln!(out, "  {} {}", t(lang, "签名    ", "signing "), schemes)?;
    for c in &r.signer.certificates {
        writeln!(
            out,
            "           {}{} · sha256 {}",
            clean(&c.subject),
            if c.debug {
                t(lang, " [调试证书]", " [DEBUG CERTIFICATE]")
            } else {
                ""
            },
            clean(&c.sha256)
        )?;
    }
    writeln!(
        out,
        "  {} {} · {} {} · {} {}",
        t(lang, "部署场景", "context "),
        context_text(r, lang),
        t(lang, "检测日期", "scan date"),
        r.scan_date,
        t(lang, "特征库", "signatures"),
        clean(&r.findings.database.version)
    )?;
    writeln!(out)?;

    // Verdict and reasons.
    let verdict = match lang {
        Lang::Zh => format!(
            "{}（{}）",
            verdict_label(r.verdict, lang),
            r.verdict.as_str()
        ),
        Lang::En => format!(
            "{} ({})",
            verdict_label(r.verdict, lang),
            r.verdict.as_str()
        ),
    };
    writeln!(
        out,
        "{}{}",
        st.bold(t(lang, "结论：", "Verdict: ")),
        st.verdict(r.verdict, &verdict)
    )?;
    for (i, reason) in r.reasons.iter().enumerate() {
        writeln!(out, "  {}. {}", i + 1, clean(reason.get(lang)))?;
    }
    writeln!(out)?;

    // Clauses.
    writeln!(out, "{}", st.bold(t(lang, "条款", "Clauses")))?;
    let label_w = Status::ALL
        .iter()
        .map(|s| width(status_label(*s, lang)))
        .max()
        .unwrap_or(0);
    let id_w = r.clauses.iter().map(|c| width(&c.id)).max().unwrap_or(0);
    let indent = " ".repeat(2 + label_w + 2);
    for c in r.clauses_by_severity() {
        writeln!(
            out,
            "  {}  {}  {} {}",
            st.status(c.status, &pad(status_label(c.status, lang), label_w)),
            pad(&c.id, id_w),
            clean(&c.number),
            clean(c.title.get(lang))
        )?;
        // A clause that needs action shows every reason (a second reason may say which
        // evidence is weak); the others their first line.
        let shown = if matches!(c.status, Status::Violation | Status::NeedsReview) {
            c.reasons.len()
        } else {
            1
        };
        for reason in c.reasons.iter().take(shown) {
            writeln!(out, "{indent}{}", clean(reason.get(lang)))?;
        }
        if matches!(c.status, Status::Violation | Status::NeedsReview) {
            for e in c.evidence.iter().take(EVIDENCE_SHOWN) {
                writeln!(out, "{indent}- {}", evidence_line(e, lang))?;
            }
            let more = c.evidence.len().saturating_sub(EVIDENCE_SHOWN) as u64 + c.evidence_omitted;
            if more > 0 {
                writeln!(
                    out,
                    "{indent}- {}",
                    match lang {
                        Lang::Zh => format!("另有 {more} 项证据（见 --format json）"),
                        Lang::En => format!("{more} more evidence items (see --format json)"),
                    }
                )?;
            }
        }
    }
    writeln!(out)?;

    // Completeness.
    let f = &r.findings;
    if f.completeness.complete {
        writeln!(out, "{}", t(lang, "分析：完整", "analysis: complete"))?;
    } else {
        writeln!(
            out,
            "{}",
            st.paint(
                "1;33",
                t(lang, "分析：结果不完整", "analysis: RESULTS INCOMPLETE")
            )
        )?;
        for reason in &f.completeness.reasons {
            writeln!(
                out,
                "  [{}] {}",
                clean(&reason.code),
                clean(&crate::labels::incomplete_message(reason, f, lang))
            )?;
        }
    }
    writeln!(out)?;

    // SDKs.
    writeln!(
        out,
        "{}",
        st.bold(&format!(
            "{} {}",
            t(lang, "第三方 SDK：", "sdks:"),
            r.sdks.len()
        ))
    )?;
    if !r.sdks.is_empty() {
        let rows: Vec<Vec<String>> = r
            .sdks
            .iter()
            .map(|s| {
                let name = match (&s.name_zh, lang) {
                    (Some(z), Lang::Zh) => clean(z),
                    _ => clean(&s.name),
                };
                let cats: Vec<String> = s
                    .categories
                    .iter()
                    .map(|c| clean(sdk_category_label(c).get(lang)))
                    .collect();
                let collects: Vec<String> = s
                    .collects
                    .iter()
                    .map(|c| clean(category_label(c).get(lang)))
                    .collect();
                let found = s
                    .evidence
                    .first()
                    .map(|e| {
                        format!(
                            "{} {} ({})",
                            evidence_kind_label(e.kind).get(lang),
                            clean(&e.value),
                            clean(&location_text(&e.location))
                        )
                    })
                    .unwrap_or_default();
                vec![
                    clean(&s.id),
                    name,
                    clean(&s.vendor),
                    cats.join(", "),
                    if collects.is_empty() {
                        "-".into()
                    } else {
                        collects.join(", ")
                    },
                    strength_word(s.strength, lang).to_string(),
                    found,
                ]
            })
            .collect();
        let header = match lang {
            Lang::Zh => [
                "ID",
                "名称",
                "厂商",
                "类别",
                "收集的个人信息",
                "证据",
                "发现位置",
            ],
            Lang::En => [
                "id",
                "name",
                "vendor",
                "categories",
                "data collected",
                "evidence",
                "where found",
            ],
        };
        table(out, "  ", &header, &rows, &st)?;
    }
    if !f.probes.is_empty() {
        writeln!(
            out,
            "{} {}",
            t(
                lang,
                "SDK 探测（仅在字符串中出现类名，未嵌入）：",
                "sdk probes (class names in strings only, not embedded):"
            ),
            f.probes.len()
        )?;
        for pr in &f.probes {
            writeln!(
                out,
                "  {} -> {} ({})",
                clean(&pr.class),
                clean(&pr.sdk_name),
                clean(&location_text(&pr.location))
            )?;
        }
    }
    writeln!(out)?;

    // Permissions by category.
    writeln!(
        out,
        "{}",
        st.bold(t(
            lang,
            "权限（按个人信息类别）：",
            "permissions by category:"
        ))
    )?;
    if r.permissions.is_empty() {
        writeln!(out, "  -")?;
    } else {
        let rows: Vec<Vec<String>> = r
            .permissions
            .iter()
            .map(|g| {
                let names: Vec<String> = g
                    .permissions
                    .iter()
                    .map(|p| {
                        let short = p.name.rsplit('.').next().unwrap_or(&p.name);
                        format!(
                            "{} ({})",
                            clean(short),
                            clean(level_label(&p.level).get(lang))
                        )
                    })
                    .collect();
                vec![
                    format!(
                        "{}{}",
                        clean(g.label.get(lang)),
                        if g.personal_information { " *" } else { "" }
                    ),
                    names.join(", "),
                ]
            })
            .collect();
        let header = match lang {
            Lang::Zh => ["类别（* 个人信息）", "权限"],
            Lang::En => ["category (* personal information)", "permissions"],
        };
        table(out, "  ", &header, &rows, &st)?;
    }
    writeln!(out)?;

    // Sensitive APIs.
    if !f.apis.is_empty() {
        writeln!(
            out,
            "{}",
            st.bold(&format!(
                "{} {}",
                t(lang, "敏感 API：", "sensitive apis:"),
                f.apis.len()
            ))
        )?;
        for a in &f.apis {
            writeln!(
                out,
                "  {} [{}]: {}",
                clean(&a.id),
                clean(category_label(&a.category).get(lang)),
                clean(crate::what_in(&a.what, a.what_zh.as_deref(), lang))
            )?;
            for c in a.callers.iter().take(CALLERS_SHOWN) {
                let api = crate::api_short(&c.api);
                let who = match &c.by_name {
                    Some(n) => format!("{} ({})", clean(n), clean(&c.by)),
                    None => clean(&c.by),
                };
                writeln!(
                    out,
                    "      {} {} {} {} {}",
                    clean(api),
                    t(lang, "调用方", "called by"),
                    who,
                    t(lang, "位于", "in"),
                    clean(&c.caller)
                )?;
            }
            if a.callers_total > CALLERS_SHOWN as u64 {
                writeln!(
                    out,
                    "      ... {} {}",
                    a.callers_total - CALLERS_SHOWN as u64,
                    t(lang, "处其他调用", "more callers")
                )?;
            }
        }
        writeln!(out)?;
    }

    if !f.biometrics.is_empty() {
        writeln!(
            out,
            "{} {}",
            st.bold(t(lang, "生物识别：", "biometrics:")),
            f.biometrics.len()
        )?;
        for b in &f.biometrics {
            writeln!(
                out,
                "  {} {} ({}): {}{}",
                biometric_source_label(b.source, lang),
                clean(&b.id),
                clean(modality_label(&b.modality).get(lang)),
                clean(crate::what_in(&b.what, b.what_zh.as_deref(), lang)),
                if b.by.is_empty() {
                    String::new()
                } else {
                    format!(
                        " - {} {}",
                        t(lang, "调用方", "by"),
                        clean(&callers_text(&b.by, lang))
                    )
                }
            )?;
        }
        writeln!(out)?;
    }

    if !f.protections.is_empty() {
        writeln!(
            out,
            "{} {}",
            st.bold(t(lang, "加固与隐藏代码：", "protections and hidden code:")),
            f.protections.len()
        )?;
        for pr in &f.protections {
            let kind = protection_kind_label(pr.kind, lang);
            let ev: Vec<String> = pr.evidence.iter().map(|e| clean(&e.value)).collect();
            writeln!(out, "  {kind}: {} - {}", clean(&pr.name), ev.join(", "))?;
        }
        writeln!(out)?;
    }

    // Security flags.
    let s = &r.security;
    writeln!(out, "{}", st.bold(t(lang, "安全配置：", "security flags:")))?;
    let android = r.package.platform == Platform::Android;
    if android {
        writeln!(
            out,
            "  debuggable {}  allowBackup {}  usesCleartextTraffic {}  {} {}",
            flag(s.debuggable, lang),
            flag(s.allow_backup, lang),
            flag(s.uses_cleartext_traffic, lang),
            t(lang, "允许明文传输", "cleartext permitted"),
            flag(s.cleartext_permitted, lang)
        )?;
    } else if r.package.platform == Platform::Ios {
        writeln!(
            out,
            "  get-task-allow {}  {} {}",
            flag(s.debuggable, lang),
            t(lang, "ATS 允许任意明文加载", "ATS arbitrary loads"),
            flag(s.cleartext_permitted, lang)
        )?;
    } else {
        writeln!(out, "  debug {}", flag(s.debuggable, lang))?;
    }
    let sdk = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
    let levels = if android {
        format!("minSdk {}  targetSdk {}", sdk(s.min_sdk), sdk(s.target_sdk))
    } else if r.package.platform == Platform::Harmonyos {
        format!(
            "minAPIVersion {}  targetAPIVersion {}",
            sdk(s.min_sdk),
            sdk(s.target_sdk)
        )
    } else if r.package.platform == Platform::WechatMiniprogram {
        t(lang, "微信小程序", "WeChat mini-program").to_string()
    } else {
        format!(
            "{} {}",
            t(lang, "最低 iOS", "minimum iOS"),
            r.package
                .min_os_version
                .as_deref()
                .map(clean)
                .unwrap_or_else(|| "-".into())
        )
    };
    writeln!(
        out,
        "  {}  {} {}{}",
        levels,
        t(lang, "签名方案", "signing schemes"),
        if s.signing_schemes.is_empty() {
            "-".to_string()
        } else {
            clean(&s.signing_schemes.join(","))
        },
        if s.debug_certificate {
            t(lang, "  调试证书签名", "  signed with a debug certificate")
        } else {
            ""
        }
    )?;
    if let Some(n) = &s.network_config {
        writeln!(
            out,
            "  {} {} ({} {}, {} [{}]{}{})",
            t(lang, "网络安全配置", "network security config"),
            clean(&location_text(&n.source)),
            t(lang, "默认明文", "base cleartext"),
            flag(n.base_cleartext_permitted, lang),
            t(lang, "信任锚", "trust anchors"),
            clean(&n.base_trust_anchors.join(",")),
            if n.trusts_user_cas {
                t(lang, "，信任用户证书", ", user CAs trusted")
            } else {
                ""
            },
            if n.cleartext_domains.is_empty() {
                String::new()
            } else {
                format!(
                    "{}{}",
                    t(lang, "，明文域名 ", ", cleartext domains "),
                    clean(&n.cleartext_domains.join(","))
                )
            }
        )?;
    }
    if !s.distribution.is_empty() {
        writeln!(
            out,
            "  {} {}",
            t(lang, "分发方式", "distribution"),
            clean(&s.distribution.join(","))
        )?;
    }
    writeln!(
        out,
        "  {} {} / {} ({} {})",
        t(lang, "导出组件", "exported components"),
        r.summary.exported_components,
        r.summary.components,
        t(lang, "无权限保护", "unguarded"),
        r.summary.exported_unguarded
    )?;
    for c in &s.exported_unguarded {
        writeln!(
            out,
            "    {} {} ({})",
            component_kind_label(c.kind).get(lang),
            clean(&c.name),
            exported_reason_label(c.reason).get(lang)
        )?;
    }
    writeln!(
        out,
        "  {} {} · {} {} · {} {}",
        t(lang, "代码文件", "code files"),
        r.summary.code_units,
        t(lang, "定义的类", "classes defined"),
        r.summary.classes_defined,
        t(lang, "URL 与主机名", "urls and hosts"),
        r.summary.urls
    )?;
    if r.anomalies.count > 0 {
        let codes: Vec<String> = r
            .anomalies
            .by_code
            .iter()
            .map(|(k, n)| format!("{} ×{n}", clean(k)))
            .collect();
        writeln!(
            out,
            "  {} {}: {}",
            t(lang, "异常结构", "anomalies"),
            r.anomalies.count,
            codes.join(", ")
        )?;
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::{clean, width};

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(clean("a\x1b[31mred"), "a\\u{1b}[31mred");
        assert_eq!(clean("x\u{202e}y\n"), "x\\u{202e}y\\u{a}");
        assert_eq!(clean("a\u{9b}b\u{2067}"), "a\\u{9b}b\\u{2067}");
        assert_eq!(clean("清洁阅读"), "清洁阅读");
    }

    #[test]
    fn wide_characters_count_two() {
        assert_eq!(width("违规"), 4);
        assert_eq!(width("ab"), 2);
    }
}
