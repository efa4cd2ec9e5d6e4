//! The HTML and Markdown reports of hostile packages: everything from the package is escaped,
//! the page is self-contained and cannot run anything.

mod common;

use appvet_policy::Lang;
use appvet_report::{render_html, render_md};
use common::{render, report};

fn assert_inert(html: &str, what: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{what}: a script element");
    assert!(!lower.contains("<img"), "{what}: an img element");
    assert!(!lower.contains("<iframe"), "{what}: an iframe");
    assert!(
        !lower.contains(" onerror="),
        "{what}: an event handler attribute"
    );
    // No attribute that loads or links anything (URLs from the package appear as text only).
    for attr in [
        " src=",
        " href=",
        " srcset=",
        " action=",
        " formaction=",
        " data=",
        " poster=",
    ] {
        assert!(!lower.contains(attr), "{what}: {attr}");
    }
    assert!(!lower.contains("<link"), "{what}: a link element");
    assert!(!lower.contains("url("), "{what}: a CSS url()");
    assert!(!lower.contains("@import"), "{what}: a CSS import");
    assert!(
        html.contains(r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">"#),
        "{what}: no CSP"
    );
    assert!(
        !html.contains('\u{1b}') && !html.contains('\u{202e}'),
        "{what}: raw control characters"
    );
}

#[test]
fn hostile_android_label_is_shown_as_text() {
    let r = report("android/hostile-label.apk", "");
    assert!(r.display_name().contains("<script>alert(1)</script>"));
    for lang in [Lang::Zh, Lang::En] {
        let html = render(&r, lang, render_html);
        assert_inert(&html, "hostile-label.apk");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        let md = render(&r, lang, render_md);
        assert!(!md.contains("<script"), "{md}");
        assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
    }
}

#[test]
fn hostile_ios_strings_are_escaped() {
    let r = report("ios/hostile.ipa", "mandated");
    let html = render(&r, Lang::Zh, render_html);
    assert_inert(&html, "hostile.ipa");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains(r#"<html lang="zh-CN">"#));
    let md = render(&r, Lang::En, render_md);
    assert!(!md.to_ascii_lowercase().contains("<img"), "{md}");
}

#[test]
fn every_fixture_page_is_self_contained_and_complete() {
    for rel in common::all_fixtures() {
        let r = report(&rel, "mandated");
        let html = render(&r, Lang::Zh, render_html);
        assert_inert(&html, &rel);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.trim_end().ends_with("</html>"));
        assert!(html.contains(&format!(r#"data-verdict="{}""#, r.verdict.as_str())));
        for c in &r.clauses {
            assert!(
                html.contains(&format!(
                    r#"data-clause="{}" data-status="{}""#,
                    c.id,
                    c.status.as_str()
                )),
                "{rel}: {}",
                c.id
            );
        }
        for s in &r.sdks {
            assert!(
                html.contains(&format!(r#"data-sdk="{}""#, s.id)),
                "{rel}: {}",
                s.id
            );
        }
        let en = render(&r, Lang::En, render_html);
        assert!(en.contains(r#"<html lang="en">"#));
        assert_inert(&en, &rel);
    }
}

#[test]
fn trackers_page_names_the_ad_sdks_under_the_ads_clause() {
    let r = report("android/trackers.apk", "mandated");
    let html = render(&r, Lang::Zh, render_html);
    let row_start = html
        .find(r#"data-clause="JJH55-11-ads" data-status="violation""#)
        .unwrap();
    let row = &html[row_start..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("违规"), "{row}");
    for sdk in ["pangle", "gdt", "google-admob"] {
        assert!(row.contains(&format!("<b>{sdk}</b>")), "{sdk} in {row}");
    }
    assert!(html.contains("不通过"));
    let en = render(&r, Lang::En, render_html);
    assert!(en.contains("FAIL") && en.contains("Violation"));
}

/// Attribute injection: quotes, backticks and angle brackets in every package string (label,
/// labels per locale, id, version name, file path) end up as text, never closing an attribute
/// or opening an element, in HTML and Markdown.
#[test]
fn attribute_injection_from_package_strings_stays_text() {
    let evil = "x\" onmouseover=\"alert(1)\" y='z' `w` <svg onload=alert(2)>";
    let mut r = report("android/clean.apk", "");
    r.package.label = Some(evil.to_string());
    r.package.labels.insert("en".into(), evil.to_string());
    r.package.id = evil.to_string();
    r.package.version_name = Some(evil.to_string());
    r.file.path = evil.to_string();
    for lang in [Lang::Zh, Lang::En] {
        let html = render(&r, lang, render_html);
        assert_inert(&html, "attribute injection");
        let lower = html.to_ascii_lowercase();
        assert!(
            !lower.contains("\" onmouseover="),
            "an attribute was closed"
        );
        assert!(!lower.contains("<svg"), "an element was opened");
        assert!(!html.contains("y='z'"), "single quotes unescaped");
        assert!(
            html.contains("x&quot; onmouseover=&quot;alert(1)&quot; y=&#39;z&#39;"),
            "the label is shown, escaped"
        );
        let md = render(&r, lang, render_md);
        assert!(!md.to_ascii_lowercase().contains("<svg"), "{md}");
    }
}
