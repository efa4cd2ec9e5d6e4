//! Each human format speaks one language: the Chinese report of trackers.apk has the Chinese
//! evidence details (strength, kinds, what an SDK collects, who calls an API) and none of the
//! English words of ours; the English report the English ones. Weak evidence is never listed
//! under a violation.

mod common;

use appvet_policy::{Lang, Status};
use appvet_report::{render_html, render_md, render_sarif, Report};
use common::{render, report};

fn text(r: &Report, lang: Lang) -> String {
    let mut out = Vec::new();
    appvet_report::render_text(r, lang, false, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The `message.text` strings of a SARIF log (its `properties` carry both languages, like
/// the JSON report).
fn sarif_messages(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k == "message" {
                    if let Some(t) = x["text"].as_str() {
                        out.push_str(t);
                        out.push('\n');
                    }
                } else if k != "properties" {
                    sarif_messages(x, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| sarif_messages(x, out)),
        _ => {}
    }
}

/// Text, Markdown, HTML and SARIF (its messages) of a report in one language.
fn all(r: &Report, lang: Lang) -> Vec<(&'static str, String)> {
    let sarif: serde_json::Value = serde_json::from_str(&render(r, lang, render_sarif)).unwrap();
    let mut messages = String::new();
    sarif_messages(&sarif, &mut messages);
    vec![
        ("text", text(r, lang)),
        ("md", render(r, lang, render_md)),
        ("html", render(r, lang, render_html)),
        ("sarif", messages),
    ]
}

/// English words of ours that a Chinese evidence line must not have.
const ENGLISH: &[&str] = &[
    "strong evidence",
    "weak evidence",
    "medium evidence",
    "collects",
    " calls ",
    "class-defined",
    "; dangerous;",
    "sdk gdt:",
    "permission android.permission",
];

#[test]
fn chinese_reports_have_chinese_details() {
    let r = report("android/trackers.apk", "mandated");
    for (fmt, out) in all(&r, Lang::Zh) {
        for want in ["强证据", "类定义", "优量汇（广点通）（Tencent）；广告"] {
            assert!(out.contains(want), "{fmt}: no {want}");
        }
        {
            for want in ["收集：设备标识", " 调用 ", "危险权限", "应用自身代码"]
            {
                assert!(out.contains(want), "{fmt}: no {want}");
            }
        }
        for word in ENGLISH {
            assert!(!out.contains(word), "{fmt}: {word:?} in the Chinese report");
        }
    }
}

#[test]
fn english_reports_have_english_details() {
    let r = report("android/trackers.apk", "mandated");
    for (fmt, out) in all(&r, Lang::En) {
        for want in ["strong evidence", "class-defined"] {
            assert!(out.contains(want), "{fmt}: no {want}");
        }
        {
            for want in ["collects device-id", " calls ", "; dangerous;"] {
                assert!(out.contains(want), "{fmt}: no {want}");
            }
        }
        for word in ["强证据", "收集：", "类定义", "危险权限", "应用自身代码"] {
            assert!(!out.contains(word), "{fmt}: {word:?} in the English report");
        }
    }
}

#[test]
fn json_keeps_english_detail_and_adds_chinese() {
    let r = report("android/trackers.apk", "mandated");
    let json = serde_json::to_value(&r).unwrap();
    let ev = &json["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "JJH55-11-ads")
        .unwrap()["evidence"][0];
    assert!(ev["detail"].as_str().unwrap().contains("strong evidence"));
    assert!(ev["detail_zh"].as_str().unwrap().contains("强证据"));
}

#[test]
fn weak_ad_sdks_are_not_listed_under_the_violation() {
    let r = report("ios/ads.ipa", "mandated");
    let c = r.clause("JJH55-11-ads").unwrap();
    assert_eq!(c.status, Status::Violation);
    let ids: Vec<&str> = c.evidence.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["google-admob"]);
    let review = r.clause("JJH55-5-ads").unwrap();
    assert!(review.evidence.iter().any(|e| e.id == "aarki"));
    assert!(review
        .reasons
        .iter()
        .any(|t| t.en.contains("Aarki (weak evidence: only SKAdNetwork ids)")));
    let en = text(&r, Lang::En);
    let violation = en
        .split("JJH55-11-ads")
        .nth(2)
        .and_then(|s| s.split("Needs review").next())
        .unwrap();
    assert!(!violation.contains("sdk aarki"), "{violation}");
    assert!(!violation.contains("sdk pangle"), "{violation}");
}

#[test]
fn incompleteness_reasons_are_translated() {
    let r = report("android/native.apk", "mandated");
    for (fmt, out) in all(&r, Lang::Zh) {
        if fmt == "sarif" {
            continue;
        }
        assert!(out.contains("加固：真实代码被加密或隐藏"), "{fmt}");
        assert!(!out.contains("protected by"), "{fmt}");
    }
    assert!(text(&r, Lang::En).contains("protected by"));
}
