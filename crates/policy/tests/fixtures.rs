//! The real chain on the Android fixtures: parse → detect (embedded signatures) → policy.

use appvet_model::{Findings, Limits, PackageScan};
use appvet_policy::*;
use std::path::PathBuf;

fn chain(name: &str) -> (PackageScan, Findings) {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/android")
        .join(name);
    let data = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let limits = Limits::default();
    let archive = appvet_zip::Archive::parse(&data, &limits).unwrap();
    let scan = appvet_android::scan(&archive, &limits).unwrap();
    let db = appvet_detect::Database::embedded().unwrap();
    let findings = appvet_detect::detect(&scan, db);
    (scan, findings)
}

fn run(name: &str, ctx: &str) -> PolicyResult {
    let (scan, f) = chain(name);
    // The fixtures are dated 2024-06-01.
    evaluate(
        &scan,
        &f,
        &ctx.parse().unwrap(),
        "2024-07-01".parse().unwrap(),
    )
}

fn status(r: &PolicyResult, id: &str) -> Status {
    r.clause(id).unwrap().status
}

#[test]
fn trackers_under_mandated_fail_on_ads() {
    let r = run("trackers.apk", "mandated");
    assert_eq!(r.verdict, Verdict::Fail);
    let c = r.clause("JJH55-11-ads").unwrap();
    assert_eq!(c.status, Status::Violation);
    let ids: Vec<&str> = c.evidence.iter().map(|e| e.id.as_str()).collect();
    // Pangle (com.bytedance.sdk.openadsdk), Tencent GDT (com.qq.e) and AdMob stubs ship.
    assert!(ids.len() >= 2, "{ids:?}");
    assert!(c.evidence.iter().all(|e| e.location.is_some()));
    assert!(
        r.reasons[0].en.starts_with("JJH55-11-ads"),
        "{:?}",
        r.reasons[0]
    );
    // Device id / Android id APIs and data-collecting SDKs: review under JJH55-6.
    let pi = r.clause("JJH55-6").unwrap();
    assert_eq!(pi.status, Status::NeedsReview);
    assert!(pi.rules.contains(&"pi.api".to_string()) && pi.rules.contains(&"pi.sdk".to_string()));
    // The plain-HTTP ad endpoint.
    let sec = r.clause("JJH55-7").unwrap();
    assert!(sec
        .evidence
        .iter()
        .any(|e| e.id == "http://ads.example-adnet.cn/get?id=1"));
}

#[test]
fn trackers_under_recommended_need_review_not_fail() {
    let r = run("trackers.apk", "recommended");
    assert_eq!(r.verdict, Verdict::NeedsReview);
    assert_eq!(status(&r, "JJH55-11-ads"), Status::NotApplicable);
    assert_eq!(status(&r, "JJH55-5-ads"), Status::NeedsReview);
}

#[test]
fn clean_fixture_passes() {
    for ctx in ["mandated", "recommended", "higher-ed", "mandated,higher-ed"] {
        let r = run("clean.apk", ctx);
        let expect = if ctx == "mandated,higher-ed" {
            Verdict::NeedsReview
        } else {
            Verdict::Pass
        };
        assert_eq!(r.verdict, expect, "{ctx}: {:#?}", r.reasons);
    }
    // Built 2024-06-01: stale by 2025.
    let (scan, f) = chain("clean.apk");
    let r = evaluate(
        &scan,
        &f,
        &"higher-ed".parse().unwrap(),
        "2025-01-01".parse().unwrap(),
    );
    assert_eq!(status(&r, "JJS265-3-5"), Status::NeedsReview);
}

#[test]
fn insecure_fixture_fails_on_security() {
    let r = run("insecure.apk", "recommended");
    assert_eq!(r.verdict, Verdict::Fail);
    let c = r.clause("JJH55-7").unwrap();
    assert_eq!(c.status, Status::Violation);
    for rule in [
        "sec.debuggable",
        "sec.debug-certificate",
        "sec.allow-backup",
        "sec.exported",
        "sec.target-sdk",
    ] {
        assert!(c.rules.contains(&rule.to_string()), "{rule}: {:?}", c.rules);
    }
    let v1 = run("v1only.apk", "recommended");
    assert!(v1
        .clause("JJH55-7")
        .unwrap()
        .rules
        .contains(&"sec.signing-scheme".to_string()));
    let net = run("network.apk", "recommended");
    let rules = &net.clause("JJH55-7").unwrap().rules;
    assert!(
        rules.contains(&"sec.cleartext-domain".to_string()),
        "{rules:?}"
    );
    assert!(rules.contains(&"sec.user-trust".to_string()), "{rules:?}");
}

#[test]
fn biometric_fixture_under_higher_ed() {
    let r = run("biometric.apk", "higher-ed");
    let c = r.clause("JJS265-3-3").unwrap();
    assert_eq!(c.status, Status::NeedsReview);
    assert!(c.reasons[0].zh.contains("科学性、伦理性、安全性论证"));
    assert!(!c.evidence.is_empty());
}

#[test]
fn packed_fixture_never_passes() {
    let (scan, f) = chain("native.apk");
    assert!(
        !f.completeness.complete,
        "the native fixture has a packer stub and runtime loading"
    );
    for ctx in ["mandated", "recommended", "higher-ed", ""] {
        let r = evaluate(
            &scan,
            &f,
            &ctx.parse().unwrap(),
            "2024-07-01".parse().unwrap(),
        );
        assert_ne!(r.verdict, Verdict::Pass, "{ctx}");
        assert!(r.clauses.iter().all(|c| c.status != Status::Pass), "{ctx}");
    }
}

#[test]
fn every_fixture_evaluates_in_every_context() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/android");
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().and_then(|x| x.to_str()) != Some("apk") {
            continue;
        }
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let (scan, f) = chain(&name);
        for ctx in ["", "mandated", "recommended,minors", "mandated,higher-ed"] {
            let r = evaluate(
                &scan,
                &f,
                &ctx.parse().unwrap(),
                "2024-07-01".parse().unwrap(),
            );
            assert_eq!(r.clauses.len(), 16);
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(
                serde_json::from_str::<PolicyResult>(&json).unwrap(),
                r,
                "{name} {ctx}"
            );
        }
    }
}

#[test]
fn zh_evidence_uses_the_catalogues_chinese_descriptions() {
    let (scan, f) = chain("trackers.apk");
    let r = evaluate(
        &scan,
        &f,
        &"mandated".parse().unwrap(),
        "2024-07-01".parse().unwrap(),
    );
    let evidence: Vec<&EvidenceRef> = r.clauses.iter().flat_map(|c| &c.evidence).collect();
    let zh: Vec<&str> = evidence.iter().map(|e| e.detail_in(Lang::Zh)).collect();
    let en: Vec<&str> = evidence.iter().map(|e| e.detail_in(Lang::En)).collect();
    // Every English catalogue description of this app's permissions and APIs is absent from the
    // Chinese evidence (multi-word ones: single words such as product names may be shared).
    let whats = f
        .permissions
        .iter()
        .map(|p| (&p.what, &p.what_zh))
        .chain(f.apis.iter().map(|a| (&a.what, &a.what_zh)));
    for (what, what_zh) in whats {
        assert!(what_zh.is_some(), "{what:?} has no Chinese");
        if what.contains(' ') {
            assert!(
                !zh.iter().any(|d| d.contains(what.as_str())),
                "{what:?} in {zh:#?}"
            );
        }
    }
    assert!(!zh.iter().any(|d| d.contains("phone state and identity")));
    assert!(
        zh.iter().any(|d| d.contains("电话状态与设备标识")),
        "{zh:#?}"
    );
    assert!(!zh.iter().any(|d| d.contains("is a string constant")));
    // The English evidence keeps the English descriptions.
    assert!(
        en.iter().any(|d| d.contains("phone state and identity")),
        "{en:#?}"
    );
    assert!(
        en.iter().any(|d| d.contains("IMEI / MEID / device id")),
        "{en:#?}"
    );
    assert!(!en.iter().any(|d| d.contains("电话状态")));
}
