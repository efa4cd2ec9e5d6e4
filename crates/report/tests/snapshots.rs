//! Snapshots of the text, JSON, SARIF and Markdown reports of several fixtures, with a fixed
//! scan date and the tool / signature versions normalised (see `common`). Review a changed
//! snapshot line by line before accepting it (`cargo insta review`, or `INSTA_UPDATE=always`
//! then `git diff`).

mod common;

use appvet_policy::Lang;
use appvet_report::{render_json, render_md, render_sarif, Report};
use common::{render, report};

fn text(r: &Report, lang: Lang) -> String {
    let mut out = Vec::new();
    appvet_report::render_text(r, lang, false, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn snapshot_all(name: &str, rel: &str, ctx: &str, lang: Lang) {
    let r = report(rel, ctx);
    insta::assert_snapshot!(format!("{name}.txt"), text(&r, lang));
    insta::assert_snapshot!(format!("{name}.json"), render(&r, lang, render_json));
    insta::assert_snapshot!(format!("{name}.sarif"), render(&r, lang, render_sarif));
    insta::assert_snapshot!(format!("{name}.md"), render(&r, lang, render_md));
}

#[test]
fn clean_apk_mandated() {
    snapshot_all("clean_mandated", "android/clean.apk", "mandated", Lang::Zh);
}

#[test]
fn trackers_apk_mandated() {
    snapshot_all(
        "trackers_mandated",
        "android/trackers.apk",
        "mandated",
        Lang::Zh,
    );
}

#[test]
fn insecure_apk_recommended_english() {
    snapshot_all(
        "insecure_recommended_en",
        "android/insecure.apk",
        "recommended",
        Lang::En,
    );
}

#[test]
fn ads_ipa_mandated_minors() {
    snapshot_all(
        "ads_ipa_mandated_minors",
        "ios/ads.ipa",
        "mandated,minors",
        Lang::Zh,
    );
}

#[test]
fn mini_program_mandated() {
    snapshot_all(
        "wxapkg_mandated",
        "wechat/edu-tracking.wxapkg",
        "mandated",
        Lang::Zh,
    );
}

#[test]
fn harmonyos_hap_mandated_minors_english() {
    snapshot_all(
        "hap_mandated_minors_en",
        "harmony/edu-tracking.hap",
        "mandated,minors",
        Lang::En,
    );
}

#[test]
fn colour_is_ours_only_and_package_escapes_stay_escaped() {
    let r = report("android/hostile-label.apk", "mandated,minors");
    let mut out = Vec::new();
    appvet_report::render_text(&r, Lang::Zh, true, &mut out).unwrap();
    let t = String::from_utf8(out).unwrap();
    // Our styling: the needs-review verdict in bold yellow.
    assert!(
        t.contains("\x1b[1;33m需人工复核（needs-review）\x1b[0m"),
        "{t}"
    );
    // The package's own ESC sequence (zh-CN label) is shown escaped, never raw.
    assert!(t.contains("\\u{1b}[31m红色标签\\u{1b}[0m"), "{t}");
    assert!(!t.contains("\x1b[31m"), "{t}");
    let plain = text(&r, Lang::Zh);
    assert!(!plain.contains('\x1b'));
}
