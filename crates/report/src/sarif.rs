//! `--format sarif`: SARIF 2.1.0. One run per package. `tool.driver.rules` are the catalogue
//! clauses (id, name, short and full description in the chosen language, both languages and
//! the original text in `properties`) followed by the finding kinds (`sdk`, `sensitive-api`,
//! `permission`, `biometric`, `protection`). Results: one per clause that is a violation
//! (level `error`) or needs review (`warning`), then one `note` per finding. Locations are
//! inside the package: `artifactLocation.uri` is the entry path (nested packages as
//! `outer.apk!inner/path`) relative to the base id `PACKAGE`, with `region.byteOffset` for
//! offsets, a logical location for XML / plist paths and `properties.index` for table indices.
//! Strings from the package are passed through [`crate::clean`] in messages.

use crate::labels::{
    callers_text, category_label, evidence_kind_label, level_label, modality_label,
    sdk_category_label, status_label, t,
};
use crate::text::clean;
use crate::Report;
use appvet_model::Location;
use appvet_policy::{catalogue, EvidenceRef, Lang, Status};
use serde_json::{json, Map, Value};
use std::io::{self, Write};

/// The schema URI written into the log.
pub const SARIF_SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Related locations listed per result.
const RELATED_MAX: usize = 20;

/// The finding-kind rules after the clause rules: (id, zh, en).
const FINDING_KINDS: &[(&str, &str, &str)] = &[
    ("sdk", "第三方 SDK", "Third-party SDK"),
    ("sensitive-api", "敏感 API 调用", "Sensitive API reference"),
    ("permission", "权限或使用说明键", "Permission or usage key"),
    ("biometric", "生物识别能力", "Biometric capability"),
    (
        "protection",
        "加固、运行时加载或加密代码",
        "Packer, runtime code loading or encrypted code",
    ),
];

/// Percent-encode an entry path as a relative URI reference: unreserved characters, `/` and
/// the sub-delimiters (`!` separates nested packages) stay; everything else, `:` included (a
/// colon in the first segment would read as a scheme), is encoded.
fn uri_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `Ads in mandated apps` → `AdsInMandatedApps`.
fn pascal(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn text(s: impl Into<String>) -> Value {
    json!({ "text": s.into() })
}

fn location(r: &Report, l: &Location, message: Option<String>, id: Option<usize>) -> Value {
    let mut phys = Map::new();
    let artifact = if l.entry.is_empty() {
        json!({ "uri": uri_path(r.file_name()), "index": 0 })
    } else {
        json!({ "uri": uri_path(&l.entry), "uriBaseId": "PACKAGE" })
    };
    phys.insert("artifactLocation".into(), artifact);
    if let Some(o) = l.offset {
        phys.insert("region".into(), json!({ "byteOffset": o }));
    }
    if let Some(i) = l.index {
        phys.insert("properties".into(), json!({ "index": i }));
    }
    let mut loc = Map::new();
    if let Some(id) = id {
        loc.insert("id".into(), json!(id));
    }
    loc.insert("physicalLocation".into(), Value::Object(phys));
    if let Some(p) = &l.path {
        loc.insert(
            "logicalLocations".into(),
            json!([{ "fullyQualifiedName": p, "kind": "element" }]),
        );
    }
    if let Some(m) = message {
        loc.insert("message".into(), text(m));
    }
    Value::Object(loc)
}

fn package_location(r: &Report) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri_path(r.file_name()), "index": 0 }
        }
    })
}

/// Primary location (the first located item) and related locations (the rest, capped).
fn locations(r: &Report, items: &[(Option<&Location>, String)]) -> (Vec<Value>, Vec<Value>) {
    let mut located = items.iter().filter_map(|(l, m)| l.map(|l| (l, m)));
    let primary = match located.next() {
        Some((l, m)) => vec![location(r, l, Some(m.clone()), None)],
        None => vec![package_location(r)],
    };
    let related = located
        .take(RELATED_MAX)
        .enumerate()
        .map(|(i, (l, m))| location(r, l, Some(m.clone()), Some(i + 1)))
        .collect();
    (primary, related)
}

fn evidence_message(e: &EvidenceRef, lang: Lang) -> String {
    crate::text::evidence_sentence(e, lang, clean)
}

fn rules(lang: Lang) -> Vec<Value> {
    let mut rules: Vec<Value> = catalogue()
        .iter()
        .map(|c| {
            let (summary, manual) = match lang {
                Lang::Zh => (&c.summary_zh, &c.manual_zh),
                Lang::En => (&c.summary_en, &c.manual_en),
            };
            let help = if manual.is_empty() {
                summary.clone()
            } else {
                format!(
                    "{}\n- {}",
                    t(lang, "人工复核：", "Manual checks:"),
                    manual.join("\n- ")
                )
            };
            json!({
                "id": c.id,
                "name": pascal(&c.title_en),
                "shortDescription": text(c.title(lang)),
                "fullDescription": text(summary.clone()),
                "help": text(help),
                "properties": {
                    "document": c.document,
                    "number": c.number,
                    "title_zh": c.title_zh,
                    "title_en": c.title_en,
                    "summary_zh": c.summary_zh,
                    "summary_en": c.summary_en,
                    "quote": c.quote,
                    "tags": ["policy", c.document],
                },
            })
        })
        .collect();
    for (id, zh, en) in FINDING_KINDS {
        rules.push(json!({
            "id": id,
            "name": pascal(en),
            "shortDescription": text(t(lang, zh, en)),
            "defaultConfiguration": { "level": "note" },
            "properties": { "title_zh": zh, "title_en": en, "tags": ["finding"] },
        }));
    }
    rules
}

fn rule_index(rules: &[Value], id: &str) -> usize {
    rules.iter().position(|r| r["id"] == id).unwrap_or(0)
}

fn note(
    r: &Report,
    rules: &[Value],
    id: &str,
    message: String,
    items: &[(Option<&Location>, String)],
    props: Value,
) -> Value {
    let (locs, related) = locations(r, items);
    let mut res = json!({
        "ruleId": id,
        "ruleIndex": rule_index(rules, id),
        "level": "note",
        "message": text(message),
        "locations": locs,
        "properties": props,
    });
    if !related.is_empty() {
        res["relatedLocations"] = Value::Array(related);
    }
    res
}

fn run(r: &Report, lang: Lang) -> Value {
    let rules = rules(lang);
    let mut results = Vec::new();
    for c in &r.clauses {
        let level = match c.status {
            Status::Violation => "error",
            Status::NeedsReview => "warning",
            _ => continue,
        };
        let items: Vec<(Option<&Location>, String)> = c
            .evidence
            .iter()
            .map(|e| (e.location.as_ref(), evidence_message(e, lang)))
            .collect();
        let (locs, related) = locations(r, &items);
        let first = c
            .reasons
            .first()
            .map(|x| clean(x.get(lang)))
            .unwrap_or_default();
        let mut res = json!({
            "ruleId": c.id,
            "ruleIndex": rule_index(&rules, &c.id),
            "level": level,
            "message": text(match lang {
                Lang::Zh => format!("{}（{}）：{}", c.id, status_label(c.status, lang), first),
                Lang::En => format!("{} ({}): {}", c.id, status_label(c.status, lang), first),
            }),
            "locations": locs,
            "properties": {
                "status": c.status.as_str(),
                "status_zh": c.status_zh,
                "reasons": c.reasons,
                "evidence": c.evidence,
                "evidence_omitted": c.evidence_omitted,
                "manual_checks": c.manual_checks,
                "rules": c.rules,
            },
        });
        if !related.is_empty() {
            res["relatedLocations"] = Value::Array(related);
        }
        results.push(res);
    }
    let f = &r.findings;
    for s in &f.sdks {
        let items: Vec<(Option<&Location>, String)> = s
            .evidence
            .iter()
            .map(|e| {
                (
                    Some(&e.location),
                    format!(
                        "{} {}",
                        evidence_kind_label(e.kind).get(lang),
                        clean(&e.value)
                    ),
                )
            })
            .collect();
        results.push(note(
            r,
            &rules,
            "sdk",
            format!(
                "{}: {} ({}) [{}]",
                t(lang, "第三方 SDK", "Third-party SDK"),
                clean(s.name_zh.as_deref().filter(|_| lang == Lang::Zh).unwrap_or(&s.name)),
                clean(&s.vendor),
                clean(
                    &s.categories
                        .iter()
                        .map(|c| sdk_category_label(c).get(lang).to_string())
                        .collect::<Vec<_>>()
                        .join(t(lang, "、", ", "))
                )
            ),
            &items,
            json!({ "sdk": s.id, "strength": s.strength, "categories": s.categories, "collects": s.collects }),
        ));
    }
    for a in &f.apis {
        let items: Vec<(Option<&Location>, String)> = a
            .callers
            .iter()
            .map(|c| {
                (
                    Some(&c.location),
                    format!(
                        "{} → {} ({})",
                        clean(&c.caller),
                        clean(&c.api),
                        clean(&c.by)
                    ),
                )
            })
            .collect();
        results.push(note(
            r,
            &rules,
            "sensitive-api",
            format!(
                "{}: {} [{}] — {} {}",
                t(lang, "敏感 API", "Sensitive API"),
                clean(crate::what_in(&a.what, a.what_zh.as_deref(), lang)),
                clean(category_label(&a.category).get(lang)),
                t(lang, "调用方", "called by"),
                clean(&callers_text(&a.by, lang))
            ),
            &items,
            json!({ "api": a.id, "category": a.category, "by": a.by, "callers_total": a.callers_total }),
        ));
    }
    for p in &f.permissions {
        results.push(note(
            r,
            &rules,
            "permission",
            format!(
                "{}: {} [{}, {}]",
                t(lang, "权限", "Permission"),
                clean(&p.name),
                clean(category_label(&p.category).get(lang)),
                clean(level_label(&p.level).get(lang))
            ),
            &[(Some(&p.location), clean(&p.name))],
            json!({ "permission": p.name, "category": p.category, "level": p.level }),
        ));
    }
    for b in &f.biometrics {
        results.push(note(
            r,
            &rules,
            "biometric",
            format!(
                "{}: {} ({})",
                t(lang, "生物识别", "Biometric"),
                clean(crate::what_in(&b.what, b.what_zh.as_deref(), lang)),
                clean(modality_label(&b.modality).get(lang))
            ),
            &[(b.location.as_ref(), clean(&b.id))],
            json!({ "id": b.id, "source": b.source, "modality": b.modality, "by": b.by }),
        ));
    }
    for p in &f.protections {
        let items: Vec<(Option<&Location>, String)> = p
            .evidence
            .iter()
            .map(|e| {
                (
                    Some(&e.location),
                    format!(
                        "{} {}",
                        evidence_kind_label(e.kind).get(lang),
                        clean(&e.value)
                    ),
                )
            })
            .collect();
        results.push(note(
            r,
            &rules,
            "protection",
            format!(
                "{}: {}",
                t(lang, "加固或隐藏代码", "Protection or hidden code"),
                clean(&p.name)
            ),
            &items,
            json!({ "id": p.id, "kind": p.kind }),
        ));
    }

    let p = &r.package;
    json!({
        "tool": {
            "driver": {
                "name": "appvet",
                "version": r.appvet.version,
                "rules": rules,
                "properties": { "signatures_version": r.appvet.signatures_version },
            }
        },
        "language": t(lang, "zh-CN", "en-US"),
        "originalUriBaseIds": {
            "PACKAGE": {
                "description": text(format!(
                    "{} {}",
                    t(lang, "被扫描的安装包内部路径：", "Entry paths inside the scanned package:"),
                    clean(r.file_name())
                ))
            }
        },
        "artifacts": [{
            "location": { "uri": uri_path(r.file_name()) },
            "length": r.file.size,
            "hashes": { "sha-256": r.file.sha256 },
            "roles": ["analysisTarget"],
        }],
        "results": results,
        "properties": {
            "report_version": r.report_version,
            "verdict": r.verdict,
            "verdict_zh": r.verdict_zh,
            "reasons": r.reasons,
            "context": r.context,
            "scan_date": r.scan_date,
            "complete": r.complete,
            "package": {
                "id": p.id,
                "version_code": p.version_code,
                "version_name": p.version_name,
                "label": p.label,
                "platform": p.platform,
            },
        },
    })
}

/// A SARIF log with one run per report.
pub fn sarif_log(reports: &[&Report], lang: Lang) -> Value {
    json!({
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": reports.iter().map(|r| run(r, lang)).collect::<Vec<_>>(),
    })
}

/// One package as a SARIF 2.1.0 log.
pub fn render_sarif(r: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    render_sarif_many(&[r], lang, out)
}

/// Several packages as one SARIF log (one run each).
pub fn render_sarif_many(reports: &[&Report], lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &sarif_log(reports, lang))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::{pascal, uri_path};

    #[test]
    fn entry_paths_become_relative_uris() {
        assert_eq!(
            uri_path("split_config.arm64_v8a.apk!lib/arm64-v8a/libx.so"),
            "split_config.arm64_v8a.apk!lib/arm64-v8a/libx.so"
        );
        assert_eq!(uri_path("a b:c#?%/日"), "a%20b%3Ac%23%3F%25/%E6%97%A5");
    }

    #[test]
    fn rule_names() {
        assert_eq!(
            pascal("No ads in mandated apps (JJH55)"),
            "NoAdsInMandatedAppsJJH55"
        );
    }
}
