//! Rules on hand-built inventories and findings.

use appvet_model::*;
use appvet_policy::{RefKind as Ek, *};
use std::collections::{BTreeMap, BTreeSet};

const RELEASE_SHA: &str = "12449ce54c78c8a3db66e7addb0c9438d3256abe81149c4724749fbf3f4201a9";

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn ctx(s: &str) -> ContextSet {
    s.parse().unwrap()
}

fn cert(sha: &str, debug: bool) -> Certificate {
    Certificate {
        sha256: sha.to_string(),
        sha1: "00".repeat(20),
        subject: "CN=Appvet Fixtures,O=Appvet,C=CN".to_string(),
        issuer: "CN=Appvet Fixtures,O=Appvet,C=CN".to_string(),
        serial: "01".to_string(),
        not_before: "2024-01-01T00:00:00Z".to_string(),
        not_after: "2051-05-19T00:00:00Z".to_string(),
        key_algorithm: "RSA".to_string(),
        key_bits: Some(2048),
        signature_algorithm: "SHA256withRSA".to_string(),
        debug,
        schemes: vec!["v2".into(), "v3".into()],
        location: Location::entry("META-INF/CERT.RSA"),
    }
}

fn launcher() -> Component {
    Component {
        kind: ComponentKind::Activity,
        name: "org.example.app.MainActivity".into(),
        exported: true,
        exported_reason: ExportedReason::Explicit,
        enabled: true,
        permission: None,
        read_permission: None,
        write_permission: None,
        authorities: vec![],
        grant_uri_permissions: false,
        target_activity: None,
        process: None,
        intent_filters: vec![IntentFilter {
            actions: vec!["android.intent.action.MAIN".into()],
            categories: vec!["android.intent.category.LAUNCHER".into()],
            ..IntentFilter::default()
        }],
        location: Location::entry("AndroidManifest.xml")
            .with_path("manifest/application/activity[0]"),
    }
}

/// A clean Android app: release key v2+v3, target 33, no backup, no cleartext, one launcher
/// activity, built 2024-06-01.
fn clean_scan() -> PackageScan {
    let mut inv = Inventory::default();
    inv.signing.schemes = vec!["v2".into(), "v3".into()];
    inv.signing.certificates = vec![cert(RELEASE_SHA, false)];
    inv.app = AppFlags {
        debuggable: None,
        allow_backup: Some(false),
        uses_cleartext_traffic: None,
        cleartext_permitted: Some(false),
        location: Location::entry("AndroidManifest.xml").with_path("manifest/application"),
        ..AppFlags::default()
    };
    inv.components = vec![launcher()];
    inv.permissions = vec![PermissionRequest {
        name: "android.permission.INTERNET".into(),
        max_sdk: None,
        sdk23: false,
        detail: None,
        location: Location::entry("AndroidManifest.xml"),
    }];
    inv.build_time = BuildTime {
        newest_entry: Some("2024-06-01T12:00:00".into()),
        newest_entry_location: Some(Location::entry("classes.dex")),
        entry_times_constant: true,
        signing_time: None,
    };
    PackageScan {
        package: PackageInfo {
            platform: Platform::Android,
            format: PackageFormat::Apk,
            id: "org.example.app".into(),
            version_code: Some("7".into()),
            version_name: Some("1.2.0".into()),
            label: Some("Example".into()),
            labels: BTreeMap::new(),
            min_sdk: Some(24),
            target_sdk: Some(33),
            compile_sdk: Some(33),
            min_os_version: None,
            location: Location::entry("AndroidManifest.xml"),
        },
        inventory: inv,
    }
}

fn sdk(id: &str, cats: &[&str], strength: Strength, collects: &[&str]) -> SdkFinding {
    let kind = match strength {
        Strength::Strong => EvidenceKind::ClassDefined,
        Strength::Medium => EvidenceKind::Metadata,
        Strength::Weak => EvidenceKind::TypeReferenced,
    };
    SdkFinding {
        id: id.into(),
        name: format!("{id} name"),
        name_zh: None,
        vendor: "Vendor".into(),
        region: "cn".into(),
        categories: cats.iter().map(|c| c.to_string()).collect(),
        collects: collects.iter().map(|c| c.to_string()).collect(),
        strength,
        evidence: vec![Evidence {
            kind,
            value: format!("com.{id}.Sdk"),
            location: Location::entry("classes.dex").with_index(3),
        }],
        evidence_counts: BTreeMap::from([(kind, 1)]),
    }
}

fn findings(sdks: Vec<SdkFinding>) -> Findings {
    Findings {
        sdks,
        ..Findings::default()
    }
}

fn status(r: &PolicyResult, id: &str) -> Status {
    r.clause(id).unwrap_or_else(|| panic!("no {id}")).status
}

fn rules_of(r: &PolicyResult, id: &str) -> Vec<String> {
    r.clause(id).unwrap().rules.clone()
}

const D: &str = "2024-07-01";

fn eval(scan: &PackageScan, f: &Findings, c: &str) -> PolicyResult {
    evaluate(scan, f, &ctx(c), date(D))
}

#[test]
fn ad_sdk_under_mandated_fails_naming_the_clause_and_sdk() {
    let f = findings(vec![sdk(
        "pangle",
        &["advertising"],
        Strength::Strong,
        &["device-id"],
    )]);
    let r = eval(&clean_scan(), &f, "mandated");
    assert_eq!(r.verdict, Verdict::Fail);
    let c = r.clause("JJH55-11-ads").unwrap();
    assert_eq!(c.status, Status::Violation);
    assert_eq!(c.status_zh, "违规");
    let e = c.evidence.iter().find(|e| e.id == "pangle").unwrap();
    assert_eq!(e.kind, Ek::Sdk);
    assert_eq!(e.strength, Some(Strength::Strong));
    assert_eq!(e.location.as_ref().unwrap().entry, "classes.dex");
    assert!(
        r.reasons[0].en.starts_with("JJH55-11-ads"),
        "{:?}",
        r.reasons
    );
    assert!(r.reasons[0].zh.contains("违规"));
    assert_eq!(c.rules, ["mandated.ads"]);
    assert_eq!(status(&r, "JJH55-5-ads"), Status::NeedsReview);
    // Only the ad clause is a violation.
    let v: Vec<&str> = r
        .clauses
        .iter()
        .filter(|c| c.status == Status::Violation)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(v, ["JJH55-11-ads"]);
}

#[test]
fn ad_sdk_under_recommended_needs_review_not_fail() {
    let f = findings(vec![sdk("pangle", &["advertising"], Strength::Strong, &[])]);
    let r = eval(&clean_scan(), &f, "recommended");
    assert_eq!(r.verdict, Verdict::NeedsReview);
    assert_eq!(status(&r, "JJH55-11-ads"), Status::NotApplicable);
    assert_eq!(rules_of(&r, "JJH55-11-ads"), ["context.not-mandated"]);
    let c = r.clause("JJH55-5-ads").unwrap();
    assert_eq!(c.status, Status::NeedsReview);
    assert!(c.evidence.iter().any(|e| e.id == "pangle"));
    assert!(c.reasons[0].en.contains("pangle name"));
    assert!(r.clauses.iter().all(|c| c.status != Status::Violation));
    // The reasons list the review clause.
    assert!(r.reasons.iter().any(|t| t.en.starts_with("JJH55-5-ads")));
}

#[test]
fn weak_or_unspecified_ad_evidence_only_needs_review() {
    let weak = findings(vec![sdk("admob", &["advertising"], Strength::Weak, &[])]);
    let r = eval(&clean_scan(), &weak, "mandated");
    assert_eq!(status(&r, "JJH55-11-ads"), Status::NeedsReview);
    assert_eq!(r.verdict, Verdict::NeedsReview);
    let medium = findings(vec![sdk("admob", &["advertising"], Strength::Medium, &[])]);
    assert_eq!(
        status(&eval(&clean_scan(), &medium, "mandated"), "JJH55-11-ads"),
        Status::Violation
    );
    let strong = findings(vec![sdk("admob", &["advertising"], Strength::Strong, &[])]);
    let r = eval(&clean_scan(), &strong, "");
    assert_eq!(status(&r, "JJH55-11-ads"), Status::NeedsReview);
    assert!(r.clause("JJH55-11-ads").unwrap().reasons[0]
        .en
        .contains("if the app is mandated"));
}

#[test]
fn clean_app_passes() {
    let f = Findings::default();
    for c in [
        "mandated",
        "recommended",
        "higher-ed",
        "recommended,higher-ed",
        "mandated,minors",
        "",
    ] {
        let r = eval(&clean_scan(), &f, c);
        assert!(
            r.clauses.iter().all(|cl| cl.status != Status::Violation),
            "{c}"
        );
        if !c.contains("minors") {
            assert_eq!(r.verdict, Verdict::Pass, "{c}: {:#?}", r.reasons);
            assert!(r.reasons[0]
                .en
                .contains("no checkable clause found a problem"));
        }
    }
    let r = eval(&clean_scan(), &f, "");
    assert_eq!(r.verdict, Verdict::Pass, "{:#?}", r.reasons);
    let r = eval(&clean_scan(), &f, "mandated,minors");
    assert_eq!(r.verdict, Verdict::NeedsReview);
    let review: Vec<&str> = r
        .clauses
        .iter()
        .filter(|c| c.status == Status::NeedsReview)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(review, ["JJH55-5-minors"]);
    // Mandated in higher-ed always needs the decision procedure.
    let r = eval(&clean_scan(), &f, "mandated,higher-ed");
    assert_eq!(status(&r, "JJS265-3-3-scale"), Status::NeedsReview);
    assert_eq!(
        rules_of(&r, "JJS265-3-3-scale"),
        ["scale.mandated", "scale.categories"]
    );
    // Statuses of the input clauses without inputs.
    let r = eval(&clean_scan(), &f, "higher-ed");
    for id in ["JJH55-4", "JJH55-16", "JJS265-3-1", "JJS265-annex-1"] {
        assert_eq!(status(&r, id), Status::NotCheckable, "{id}");
    }
    assert_eq!(status(&r, "JJH55-7"), Status::Pass);
    assert_eq!(status(&r, "JJH55-6"), Status::Pass);
    assert_eq!(status(&r, "JJH55-5-minors"), Status::NotApplicable);
    // Filing facts are the JJH55-4 evidence.
    let filing = r.clause("JJH55-4").unwrap();
    assert!(filing.evidence.iter().any(|e| e.id == RELEASE_SHA));
    assert_eq!(r.filing.developer.as_deref(), Some("Appvet"));
    assert_eq!(r.filing.permissions, ["android.permission.INTERNET"]);
}

#[test]
fn staleness_against_a_fixed_scan_date() {
    let f = Findings::default();
    let s = clean_scan();
    let at = |d: &str| evaluate(&s, &f, &ctx("higher-ed"), date(d));
    assert_eq!(status(&at("2024-12-01"), "JJS265-3-5"), Status::Pass);
    let r = at("2024-12-02");
    let c = r.clause("JJS265-3-5").unwrap();
    assert_eq!(c.status, Status::NeedsReview);
    assert_eq!(c.rules, ["stale.build-date"]);
    assert!(
        c.reasons[0]
            .en
            .contains("Built 2024-06-01, 184 days before the scan date 2024-12-02"),
        "{:?}",
        c.reasons
    );
    assert_eq!(c.evidence[0].id, "newest-entry");
    assert_eq!(r.verdict, Verdict::NeedsReview);
    // Deterministic: the same inputs give the same JSON.
    assert_eq!(
        serde_json::to_string(&at("2025-03-01")).unwrap(),
        serde_json::to_string(&at("2025-03-01")).unwrap()
    );
    // Not applicable outside higher-ed.
    assert_eq!(
        status(
            &evaluate(&s, &f, &ctx("mandated"), date("2030-01-01")),
            "JJS265-3-5"
        ),
        Status::NotApplicable
    );
    // A reproducible-build placeholder date says nothing: unknown → review.
    let mut p = clean_scan();
    p.inventory.build_time.newest_entry = Some("1981-01-01T01:01:02".into());
    let r = evaluate(&p, &f, &ctx("higher-ed"), date(D));
    let c = r.clause("JJS265-3-5").unwrap();
    assert_eq!(c.status, Status::NeedsReview);
    assert!(c.reasons[0].en.contains("does not show its build date"));
    // ...but a signing time does.
    p.inventory.build_time.signing_time = Some("2024-05-20T08:00:00Z".into());
    let r = evaluate(&p, &f, &ctx("higher-ed"), date(D));
    let c = r.clause("JJS265-3-5").unwrap();
    assert_eq!(c.status, Status::Pass);
    assert_eq!(c.evidence[0].id, "signing-time");
    // Varying entry times from 1981 are real (old) dates.
    p.inventory.build_time.signing_time = None;
    p.inventory.build_time.entry_times_constant = false;
    assert_eq!(
        status(&evaluate(&p, &f, &ctx("higher-ed"), date(D)), "JJS265-3-5"),
        Status::NeedsReview
    );
    // Garbage timestamps are ignored, never a panic.
    p.inventory.build_time.newest_entry = Some("٢٠٢٤-06-01".into());
    p.inventory.build_time.signing_time = Some("".into());
    assert_eq!(
        status(&evaluate(&p, &f, &ctx("higher-ed"), date(D)), "JJS265-3-5"),
        Status::NeedsReview
    );
}

#[test]
fn incomplete_analysis_never_passes() {
    let mut f = Findings {
        completeness: Completeness {
            complete: false,
            reasons: vec![IncompleteReason {
                code: "packed".into(),
                message: "360 Jiagu packer".into(),
            }],
        },
        ..Findings::default()
    };
    f.protections = vec![ProtectionFinding {
        kind: ProtectionKind::Packer,
        id: "jiagu-360".into(),
        name: "360 Jiagu".into(),
        name_zh: None,
        vendor: None,
        evidence: vec![Evidence {
            kind: EvidenceKind::NativeLib,
            value: "libjiagu.so".into(),
            location: Location::entry("lib/arm64-v8a/libjiagu.so"),
        }],
        callers: vec![],
    }];
    for c in [
        "mandated",
        "recommended",
        "higher-ed",
        "",
        "mandated,minors",
    ] {
        let r = eval(&clean_scan(), &f, c);
        assert_ne!(r.verdict, Verdict::Pass, "{c}");
        assert!(!r.complete);
        assert!(r.clauses.iter().all(|c| c.status != Status::Pass), "{c}");
        assert!(r
            .reasons
            .iter()
            .any(|t| t.en.starts_with("Analysis incomplete (packed)")));
    }
    let r = eval(&clean_scan(), &f, "recommended");
    let c = r.clause("JJH55-6").unwrap();
    assert_eq!(c.status, Status::NeedsReview);
    assert_eq!(c.rules, ["completeness.incomplete"]);
    assert!(c
        .evidence
        .iter()
        .any(|e| e.kind == Ek::Protection && e.id == "jiagu-360"));
    // Not-applicable and not-checkable stay as they are.
    assert_eq!(status(&r, "JJH55-11-ads"), Status::NotApplicable);
    assert_eq!(status(&r, "JJH55-16"), Status::NotCheckable);
}

#[test]
fn security_flags() {
    let mut s = clean_scan();
    s.inventory.app.debuggable = Some(true);
    let r = eval(&s, &Findings::default(), "recommended");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(status(&r, "JJH55-7"), Status::Violation);
    assert_eq!(rules_of(&r, "JJH55-7"), ["sec.debuggable"]);

    let mut s = clean_scan();
    s.inventory.signing.certificates = vec![cert("AA", true)];
    s.inventory.signing.certificates[0].key_bits = Some(1024);
    s.inventory.signing.schemes = vec!["v1".into()];
    s.inventory.app.allow_backup = None;
    s.inventory.app.cleartext_permitted = Some(true);
    s.inventory.app.test_only = Some(true);
    s.inventory.app.network_security_config = Some(NetworkSecurityConfig {
        source: Location::entry("res/xml/nsc.xml"),
        base_cleartext_permitted: Some(false),
        base_trust_anchors: vec!["system".into(), "user".into()],
        debug_trust_anchors: vec![],
        domains: vec![DomainConfig {
            domains: vec!["legacy.example.org".into()],
            include_subdomains: true,
            cleartext_permitted: Some(true),
            trust_anchors: vec![],
            pins: vec![],
        }],
    });
    s.package.target_sdk = Some(28);
    let mut admin = launcher();
    admin.name = "org.example.app.AdminActivity".into();
    admin.intent_filters.clear();
    let mut guarded = admin.clone();
    guarded.name = "org.example.app.Sync".into();
    guarded.kind = ComponentKind::Service;
    guarded.permission = Some("org.example.SYNC".into());
    let mut off = admin.clone();
    off.name = "org.example.app.Off".into();
    off.enabled = false;
    s.inventory.components.extend([admin, guarded, off]);
    let url = |v: &str, host: &str| UrlString {
        value: v.into(),
        kind: UrlKind::Url,
        host: host.into(),
        location: Location::entry("classes.dex").with_index(9),
    };
    s.inventory.urls = vec![
        url("http://api.example.org/x", "api.example.org"),
        url("http://api.example.org/x", "api.example.org"),
        url("https://secure.example.org/", "secure.example.org"),
        url(
            "http://schemas.android.com/apk/res/android",
            "schemas.android.com",
        ),
        url("http://127.0.0.1:8080/", "127.0.0.1"),
    ];
    let r = eval(&s, &Findings::default(), "recommended");
    let c = r.clause("JJH55-7").unwrap();
    assert_eq!(c.status, Status::Violation);
    let fired: BTreeSet<&str> = c.rules.iter().map(String::as_str).collect();
    let want: BTreeSet<&str> = [
        "sec.debug-certificate",
        "sec.test-only",
        "sec.cleartext",
        "sec.cleartext-domain",
        "sec.user-trust",
        "sec.allow-backup",
        "sec.exported",
        "sec.signing-scheme",
        "sec.weak-certificate",
        "sec.target-sdk",
        "sec.plain-http",
    ]
    .into();
    assert_eq!(fired, want);
    // Violation reasons first.
    assert!(
        c.reasons[0].en.contains("debug certificate"),
        "{:?}",
        c.reasons[0]
    );
    let comps: Vec<&str> = c
        .evidence
        .iter()
        .filter(|e| e.kind == Ek::Component)
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(comps, ["org.example.app.AdminActivity"]);
    let urls: Vec<&str> = c
        .evidence
        .iter()
        .filter(|e| e.kind == Ek::Url)
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(urls, ["http://api.example.org/x"]);
    // Higher-ed: the security issues feed JJS265-3-5.
    let r = eval(&s, &Findings::default(), "higher-ed");
    assert!(rules_of(&r, "JJS265-3-5").contains(&"hardening.security".to_string()));
}

#[test]
fn evidence_lists_are_capped() {
    let mut s = clean_scan();
    s.inventory.urls = (0..100_000)
        .map(|i| UrlString {
            value: format!("http://h{i}.example.cn/"),
            kind: UrlKind::Url,
            host: format!("h{i}.example.cn"),
            location: Location::entry("classes.dex").with_index(i),
        })
        .collect();
    let sdks = (0..500)
        .map(|i| {
            sdk(
                &format!("ad{i}"),
                &["advertising"],
                Strength::Strong,
                &["device-id"],
            )
        })
        .collect();
    let start = std::time::Instant::now();
    let r = eval(&s, &findings(sdks), "mandated");
    assert!(start.elapsed().as_secs() < 10);
    for c in &r.clauses {
        assert!(c.evidence.len() <= MAX_EVIDENCE, "{}", c.id);
    }
    let c = r.clause("JJH55-7").unwrap();
    assert!(c.evidence_omitted > 99_000, "{}", c.evidence_omitted);
    assert!(c.reasons[0].en.contains("100000 plain HTTP/WS endpoints"));
    assert_eq!(r.clause("JJH55-11-ads").unwrap().evidence_omitted, 460);
}

#[test]
fn games_fees_ugc() {
    let s = clean_scan();
    let f = findings(vec![
        sdk("unity-engine", &["game-engine"], Strength::Strong, &[]),
        sdk("alipay", &["payment"], Strength::Strong, &["payment-info"]),
        sdk(
            "wechat-opensdk",
            &["social", "payment"],
            Strength::Strong,
            &["accounts"],
        ),
        sdk("rongcloud", &["im"], Strength::Strong, &[]),
    ]);
    let r = eval(&s, &f, "mandated");
    assert_eq!(status(&r, "JJH55-11-games"), Status::Violation);
    let fees = r.clause("JJH55-11-fees").unwrap();
    assert_eq!(fees.status, Status::Violation);
    assert!(fees.reasons[0].en.contains("alipay") && !fees.reasons[0].en.contains("wechat"));
    assert!(
        fees.reasons[1].en.contains("wechat-opensdk"),
        "{:?}",
        fees.reasons
    );
    assert_eq!(status(&r, "JJH55-5-ugc"), Status::NeedsReview);
    assert!(r
        .clause("JJH55-5-ugc")
        .unwrap()
        .evidence
        .iter()
        .any(|e| e.id == "rongcloud"));
    // A social SDK that also pays is only a review item.
    let r = eval(
        &s,
        &findings(vec![sdk(
            "wechat-opensdk",
            &["social", "payment"],
            Strength::Strong,
            &[],
        )]),
        "mandated",
    );
    assert_eq!(status(&r, "JJH55-11-fees"), Status::NeedsReview);
    // StoreKit linked as a system framework only: review.
    let mut sk = sdk("apple-storekit", &["payment"], Strength::Strong, &[]);
    sk.evidence = vec![Evidence {
        kind: EvidenceKind::Framework,
        value: "/System/Library/Frameworks/StoreKit.framework/StoreKit".into(),
        location: Location::entry("Payload/X.app/X"),
    }];
    sk.evidence_counts = BTreeMap::from([(EvidenceKind::Framework, 1)]);
    assert_eq!(
        status(&eval(&s, &findings(vec![sk]), "mandated"), "JJH55-11-fees"),
        Status::NeedsReview
    );
    // The billing permission alone.
    let mut b = clean_scan();
    b.inventory.permissions.push(PermissionRequest {
        name: "com.android.vending.BILLING".into(),
        max_sdk: None,
        sdk23: false,
        detail: None,
        location: Location::entry("AndroidManifest.xml"),
    });
    let r = eval(&b, &Findings::default(), "mandated");
    assert_eq!(status(&r, "JJH55-11-fees"), Status::Violation);
    assert!(rules_of(&r, "JJH55-11-fees").contains(&"mandated.fees-permission".to_string()));
    assert_eq!(
        status(
            &eval(&b, &Findings::default(), "recommended"),
            "JJH55-11-fees"
        ),
        Status::NotApplicable
    );
}

fn perm(name: &str, cat: &str, level: &str) -> PermissionFinding {
    PermissionFinding {
        name: name.into(),
        kind: PermissionKind::AndroidPermission,
        category: cat.into(),
        level: level.into(),
        biometric: None,
        what: "x".into(),
        what_zh: None,
        location: Location::entry("AndroidManifest.xml"),
    }
}

fn api(id: &str, cat: &str, by: &str) -> ApiFinding {
    ApiFinding {
        id: id.into(),
        what: id.into(),
        what_zh: None,
        category: cat.into(),
        biometric: None,
        required_reason: None,
        callers: vec![Attribution {
            by: by.into(),
            by_name: None,
            caller: "com.x.Caller".into(),
            api: "android.telephony.TelephonyManager.getDeviceId".into(),
            location: Location::entry("classes.dex").with_index(4),
        }],
        callers_total: 1,
        by: vec![by.into()],
    }
}

#[test]
fn personal_information_and_minors() {
    let s = clean_scan();
    // Normal network permissions are not personal information.
    let mut f = Findings {
        permissions: vec![perm(
            "android.permission.ACCESS_NETWORK_STATE",
            "network-info",
            "normal",
        )],
        ..Findings::default()
    };
    assert_eq!(
        status(&eval(&s, &f, "recommended"), "JJH55-6"),
        Status::Pass
    );
    f.permissions.push(perm(
        "android.permission.ACCESS_FINE_LOCATION",
        "location",
        "dangerous",
    ));
    f.apis = vec![api("imei", "device-id", "umeng-analytics")];
    f.sdks = vec![sdk(
        "umeng-analytics",
        &["analytics"],
        Strength::Strong,
        &["device-id", "installed-apps"],
    )];
    let r = eval(&s, &f, "recommended");
    let c = r.clause("JJH55-6").unwrap();
    assert_eq!(c.status, Status::NeedsReview);
    assert_eq!(c.rules, ["pi.permission", "pi.api", "pi.sdk"]);
    let a = c.evidence.iter().find(|e| e.kind == Ek::Api).unwrap();
    assert_eq!(a.by, ["umeng-analytics"]);
    assert!(a.detail.contains("com.x.Caller"));
    assert!(!c.manual_checks.iter().any(|m| m.zh.contains("监护人")));
    let r = eval(&s, &f, "recommended,minors");
    let c = r.clause("JJH55-6").unwrap();
    assert!(c.rules.contains(&"pi.minors-guardian".to_string()));
    assert!(c.reasons.iter().any(|t| t.zh.contains("监护人同意")));
    assert!(c.manual_checks.iter().any(|m| m.zh.contains("监护人")));
    assert_eq!(status(&r, "JJH55-5-minors"), Status::NeedsReview);
    // Breadth: location, device-id, installed-apps = 3 < 5.
    let r = eval(&s, &f, "higher-ed");
    assert_eq!(status(&r, "JJS265-3-3-scale"), Status::Pass);
    for (n, c) in ["contacts", "camera"].iter().enumerate() {
        f.permissions.push(perm(&format!("p{n}"), c, "dangerous"));
    }
    let r = eval(&s, &f, "higher-ed");
    assert_eq!(status(&r, "JJS265-3-3-scale"), Status::NeedsReview);
    assert!(rules_of(&r, "JJS265-3-5").contains(&"certification.scale".to_string()));
    // Contacts → one data source.
    assert_eq!(rules_of(&r, "JJS265-3-4"), ["one-source.identity-data"]);
}

#[test]
fn biometrics_under_higher_ed() {
    let s = clean_scan();
    let mut f = findings(vec![sdk(
        "megvii-faceid",
        &["face-recognition", "identity-verification"],
        Strength::Strong,
        &["face"],
    )]);
    f.biometrics = vec![BiometricFinding {
        source: BiometricSource::Api,
        id: "biometric-prompt".into(),
        modality: "any".into(),
        what: "BiometricPrompt".into(),
        what_zh: None,
        by: vec!["app".into()],
        location: Some(Location::entry("classes.dex")),
    }];
    let r = eval(&s, &f, "higher-ed");
    let c = r.clause("JJS265-3-3").unwrap();
    assert_eq!(c.status, Status::NeedsReview);
    assert_eq!(c.rules, ["biometric.finding", "biometric.face-sdk"]);
    assert!(c.reasons[0].zh.contains("科学性、伦理性、安全性论证"));
    for step in ["科学性论证", "伦理性论证", "安全性论证"] {
        assert!(
            c.manual_checks.iter().any(|m| m.zh.contains(step)),
            "{step}"
        );
    }
    assert!(c.evidence.iter().any(|e| e.id == "megvii-faceid"));
    assert_eq!(rules_of(&r, "JJS265-3-4"), ["one-source.identity-sdk"]);
    assert_eq!(
        status(&eval(&s, &f, "recommended"), "JJS265-3-3"),
        Status::NotApplicable
    );
    assert_eq!(status(&eval(&s, &f, ""), "JJS265-3-3"), Status::NeedsReview);
}

#[test]
fn blacklist_and_registry_inputs() {
    let s = clean_scan();
    let f = findings(vec![sdk(
        "umeng-analytics",
        &["analytics"],
        Strength::Strong,
        &[],
    )]);
    let mut inp = Inputs::new(ctx("higher-ed"), date(D));
    let bl = Blacklist {
        cert_sha256: vec!["12:44:9C:E5:4C:78:C8:A3:DB:66:E7:AD:DB:0C:94:38:D3:25:6A:BE:81:14:9C:47:24:74:9F:BF:3F:42:01:A9".into()],
        ..Blacklist::default()
    };
    inp.blacklist = Some(&bl);
    let r = evaluate_with(&s, &f, &inp);
    assert_eq!(status(&r, "JJH55-16"), Status::Violation);
    assert_eq!(r.verdict, Verdict::Fail);
    let other = Blacklist {
        package_ids: vec!["org.other".into()],
        sdk_ids: vec!["jpush".into()],
        ..Blacklist::default()
    };
    inp.blacklist = Some(&other);
    assert_eq!(
        status(&evaluate_with(&s, &f, &inp), "JJH55-16"),
        Status::Pass
    );
    let sdk_bl = Blacklist {
        sdk_ids: vec!["umeng-analytics".into()],
        ..Blacklist::default()
    };
    inp.blacklist = Some(&sdk_bl);
    assert_eq!(
        status(&evaluate_with(&s, &f, &inp), "JJH55-16"),
        Status::Violation
    );

    // Registry made from the package's own filing record: everything matches.
    inp.blacklist = None;
    let record = filing_record(&s, &f, Some("ab".repeat(32).as_str()));
    assert_eq!(record.sdks.len(), 1);
    let reg = Registry {
        apps: vec![FiledApp::from(&record)],
    };
    inp.registry = Some(&reg);
    let r = evaluate_with(&s, &f, &inp);
    for id in ["JJH55-4", "JJS265-3-1", "JJS265-annex-1"] {
        assert_eq!(status(&r, id), Status::Pass, "{id}");
    }
    assert_eq!(rules_of(&r, "JJS265-annex-1"), ["registry.diff"]);
    // A new SDK and another signer: differences.
    let f2 = findings(vec![
        sdk("umeng-analytics", &["analytics"], Strength::Strong, &[]),
        sdk("jpush", &["push"], Strength::Strong, &[]),
    ]);
    let mut s2 = clean_scan();
    s2.inventory.signing.certificates = vec![cert("ff", false)];
    s2.package.version_code = Some("8".into());
    let r = evaluate_with(&s2, &f2, &inp);
    let c = r.clause("JJS265-annex-1").unwrap();
    assert_eq!(c.status, Status::Violation);
    assert_eq!(c.reasons.len(), 3, "{:?}", c.reasons);
    assert!(c.reasons[1].en.contains("jpush"));
    // Not filed at all.
    let mut s3 = clean_scan();
    s3.package.id = "org.unfiled".into();
    let r = evaluate_with(&s3, &f, &inp);
    assert_eq!(status(&r, "JJH55-4"), Status::Violation);
    assert_eq!(status(&r, "JJS265-annex-1"), Status::NotCheckable);
    // The registry and blacklist are data files.
    let reg2: Registry = serde_json::from_str(&serde_json::to_string(&reg).unwrap()).unwrap();
    assert_eq!(reg2, reg);
    assert!(serde_json::from_str::<Blacklist>(r#"{"package_id": []}"#).is_err());
    assert_eq!(
        serde_json::from_str::<Blacklist>("{}").unwrap(),
        Blacklist::default()
    );
}

#[test]
fn json_shape() {
    let f = findings(vec![sdk("pangle", &["advertising"], Strength::Strong, &[])]);
    let r = eval(&clean_scan(), &f, "mandated,minors");
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["verdict"], "fail");
    assert_eq!(v["verdict_zh"], "不通过");
    assert_eq!(v["context"], serde_json::json!(["mandated", "minors"]));
    assert_eq!(v["scan_date"], D);
    let clauses = v["clauses"].as_array().unwrap();
    assert_eq!(clauses.len(), 16);
    let words: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    for c in clauses {
        assert!(c["id"].is_string());
        assert!(
            words.contains(&c["status"].as_str().unwrap()),
            "{}",
            c["status"]
        );
        assert!(c["evidence"].is_array());
    }
    let ads = clauses.iter().find(|c| c["id"] == "JJH55-11-ads").unwrap();
    assert_eq!(ads["status"], "violation");
    assert_eq!(ads["evidence"][0]["kind"], "sdk");
    assert_eq!(ads["evidence"][0]["id"], "pangle");
    assert_eq!(ads["evidence"][0]["location"]["entry"], "classes.dex");
    // Top-level key order: verdict first.
    let text = serde_json::to_string(&r).unwrap();
    assert!(text.starts_with(r#"{"verdict":"fail""#));
    let back: PolicyResult = serde_json::from_str(&text).unwrap();
    assert_eq!(back, r);
}

/// Every rule of the table fires in at least one scenario: no dead rules.
#[test]
fn every_rule_fires_somewhere() {
    let mut fired = BTreeSet::new();
    let mut add = |r: PolicyResult| {
        for c in r.clauses {
            fired.extend(c.rules);
        }
    };
    let clean = clean_scan();
    let mut s = clean_scan();
    s.inventory.app.debuggable = Some(true);
    s.inventory.app.test_only = Some(true);
    s.inventory.app.allow_backup = Some(true);
    s.inventory.app.cleartext_permitted = Some(true);
    s.inventory.app.network_security_config = Some(NetworkSecurityConfig {
        base_trust_anchors: vec!["user".into()],
        domains: vec![DomainConfig {
            domains: vec!["a.cn".into()],
            cleartext_permitted: Some(true),
            ..DomainConfig::default()
        }],
        ..NetworkSecurityConfig::default()
    });
    s.inventory.signing.certificates = vec![cert("aa", true)];
    s.inventory.signing.certificates[0].signature_algorithm = "SHA1withRSA".into();
    s.inventory.signing.schemes = vec!["v1".into()];
    s.package.target_sdk = Some(22);
    let mut exp = launcher();
    exp.intent_filters.clear();
    s.inventory.components.push(exp);
    s.inventory.urls.push(UrlString {
        value: "http://a.cn/".into(),
        kind: UrlKind::Url,
        host: "a.cn".into(),
        location: Location::default(),
    });
    s.inventory.ad_network_ids.push(AdNetworkId {
        id: "cstr6suwn9.skadnetwork".into(),
        location: Location::default(),
    });
    s.inventory.permissions.push(PermissionRequest {
        name: "com.android.vending.BILLING".into(),
        max_sdk: None,
        sdk23: false,
        detail: None,
        location: Location::default(),
    });
    let mut f = findings(vec![
        sdk("ads", &["advertising"], Strength::Strong, &["device-id"]),
        sdk("game", &["game-engine"], Strength::Strong, &[]),
        sdk("pay", &["payment"], Strength::Strong, &[]),
        sdk("chat", &["im"], Strength::Strong, &[]),
        sdk("face", &["face-recognition"], Strength::Strong, &["face"]),
        sdk("ocr", &["ocr"], Strength::Strong, &[]),
    ]);
    f.permissions = [
        "location",
        "contacts",
        "camera",
        "microphone",
        "sms",
        "calendar",
    ]
    .iter()
    .map(|c| perm(c, c, "dangerous"))
    .collect();
    f.apis = vec![api("imei", "device-id", "app")];
    f.biometrics = vec![BiometricFinding {
        source: BiometricSource::Permission,
        id: "android.permission.USE_BIOMETRIC".into(),
        modality: "any".into(),
        what: "biometric".into(),
        what_zh: None,
        by: vec![],
        location: None,
    }];
    let d = date("2030-01-01");
    for c in ["mandated,minors", "recommended", "mandated,higher-ed", ""] {
        add(evaluate(&s, &f, &ctx(c), d));
        add(evaluate(&clean, &Findings::default(), &ctx(c), d));
    }
    let bl = Blacklist {
        package_ids: vec!["org.example.app".into()],
        ..Blacklist::default()
    };
    let reg = Registry {
        apps: vec![FiledApp {
            package_id: "org.example.app".into(),
            ..FiledApp::default()
        }],
    };
    let mut inp = Inputs::new(ctx("higher-ed"), d);
    inp.blacklist = Some(&bl);
    inp.registry = Some(&reg);
    add(evaluate_with(&s, &f, &inp));
    let mut incomplete = Findings::default();
    incomplete.completeness.complete = false;
    add(evaluate(&clean, &incomplete, &ctx("recommended"), d));
    let dead: Vec<&str> = rules()
        .iter()
        .map(|r| r.id)
        .filter(|id| !fired.contains(*id))
        .collect();
    assert!(dead.is_empty(), "rules that never fire: {dead:?}");
    let unknown: Vec<&String> = fired
        .iter()
        .filter(|id| !rules().iter().any(|r| r.id == id.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "rules fired but not in the table: {unknown:?}"
    );
}

/// An SDK known only from weak evidence of one kind.
fn weak_sdk(id: &str, cats: &[&str], kind: EvidenceKind) -> SdkFinding {
    let mut s = sdk(id, cats, Strength::Weak, &[]);
    s.evidence[0].kind = kind;
    s.evidence_counts = BTreeMap::from([(kind, 1)]);
    s
}

fn evidence_ids(r: &PolicyResult, id: &str) -> Vec<String> {
    r.clause(id)
        .unwrap()
        .evidence
        .iter()
        .map(|e| e.id.clone())
        .collect()
}

#[test]
fn a_violation_lists_only_the_evidence_that_decided_it() {
    let s = clean_scan();
    // AdMob linked (strong), Aarki only from an SKAdNetwork id (weak).
    let f = findings(vec![
        weak_sdk("aarki", &["advertising"], EvidenceKind::SkadnetworkId),
        sdk("admob", &["advertising"], Strength::Strong, &[]),
    ]);
    let r = eval(&s, &f, "mandated");
    let c = r.clause("JJH55-11-ads").unwrap();
    assert_eq!(c.status, Status::Violation);
    assert_eq!(evidence_ids(&r, "JJH55-11-ads"), ["admob"]);
    assert!(c.reasons[0].en.contains("admob name") && !c.reasons[0].en.contains("aarki"));
    // The weak one is named apart, with why, and pointed to the review clause.
    assert!(
        c.reasons[1]
            .en
            .contains("aarki name (weak evidence: only SKAdNetwork ids)")
            && c.reasons[1].en.contains("JJH55-5-ads"),
        "{:?}",
        c.reasons
    );
    assert!(c.reasons[1].zh.contains("弱证据：仅有 SKAdNetwork 标识"));
    // The review clause lists both; the weak one under a reason of its own.
    let c = r.clause("JJH55-5-ads").unwrap();
    assert_eq!(c.status, Status::NeedsReview);
    assert_eq!(evidence_ids(&r, "JJH55-5-ads"), ["admob", "aarki"]);
    assert!(c.reasons[0].en.contains("admob name") && !c.reasons[0].en.contains("aarki"));
    assert!(c.reasons[1].en.contains("Only weak evidence"));
    assert!(c.reasons[1]
        .en
        .contains("aarki name (weak evidence: only SKAdNetwork ids)"));
    assert!(c.reasons[1].zh.contains("证据较弱"));

    // Weak ad evidence only: review, with why, never a violation.
    let f = findings(vec![
        weak_sdk("aarki", &["advertising"], EvidenceKind::SkadnetworkId),
        weak_sdk("adnet", &["advertising"], EvidenceKind::Domain),
    ]);
    let r = eval(&s, &f, "mandated");
    let c = r.clause("JJH55-11-ads").unwrap();
    assert_eq!(c.status, Status::NeedsReview);
    assert_eq!(r.verdict, Verdict::NeedsReview);
    assert!(c.reasons[0].en.contains("cannot decide a violation"));
    assert!(c.reasons[0]
        .en
        .contains("adnet name (weak evidence: only domains)"));
    assert!(c.reasons[0].zh.contains("adnet name（弱证据：仅有域名）"));
    assert_eq!(evidence_ids(&r, "JJH55-11-ads"), ["aarki", "adnet"]);
    let c = r.clause("JJH55-5-ads").unwrap();
    assert_eq!(c.reasons.len(), 1, "{:?}", c.reasons);
    assert!(c.reasons[0].en.contains("Only weak evidence"));

    // Games and fees: the same shape.
    let f = findings(vec![
        sdk("unity-engine", &["game-engine"], Strength::Strong, &[]),
        weak_sdk("cocos", &["game-engine"], EvidenceKind::TypeReferenced),
        sdk("alipay", &["payment"], Strength::Medium, &[]),
        sdk(
            "wechat-opensdk",
            &["social", "payment"],
            Strength::Strong,
            &[],
        ),
    ]);
    let r = eval(&s, &f, "mandated");
    assert_eq!(status(&r, "JJH55-11-games"), Status::Violation);
    assert_eq!(evidence_ids(&r, "JJH55-11-games"), ["unity-engine"]);
    assert!(r.clause("JJH55-11-games").unwrap().reasons[1]
        .en
        .contains("cocos name (weak evidence: only referenced types)"));
    assert_eq!(status(&r, "JJH55-11-fees"), Status::Violation);
    assert_eq!(evidence_ids(&r, "JJH55-11-fees"), ["alipay"]);
    assert!(r.clause("JJH55-11-fees").unwrap().reasons[1]
        .en
        .contains("a social SDK that can also take payments"));
    let r = eval(
        &s,
        &findings(vec![weak_sdk(
            "cocos",
            &["game-engine"],
            EvidenceKind::Domain,
        )]),
        "mandated",
    );
    assert_eq!(status(&r, "JJH55-11-games"), Status::NeedsReview);

    // Unspecified context: review with every item, weak ones marked.
    let f = findings(vec![
        weak_sdk("aarki", &["advertising"], EvidenceKind::SkadnetworkId),
        sdk("admob", &["advertising"], Strength::Strong, &[]),
    ]);
    let r = eval(&s, &f, "");
    let c = r.clause("JJH55-11-ads").unwrap();
    assert_eq!(c.status, Status::NeedsReview);
    assert_eq!(evidence_ids(&r, "JJH55-11-ads"), ["aarki", "admob"]);
    assert!(c.reasons[0].en.contains("aarki name (weak evidence"));
}

#[test]
fn weak_sdks_are_named_apart_in_review_clauses() {
    let s = clean_scan();
    // UGC: a weakly evidenced IM SDK only.
    let f = findings(vec![weak_sdk("rongcloud", &["im"], EvidenceKind::Domain)]);
    let r = eval(&s, &f, "mandated");
    let c = r.clause("JJH55-5-ugc").unwrap();
    assert_eq!(c.status, Status::NeedsReview);
    assert_eq!(c.reasons.len(), 1);
    assert!(c.reasons[0]
        .en
        .contains("rongcloud name (weak evidence: only domains)"));
    // Face: a face SDK known from a domain only is not a decided biometric capability.
    let mut f = findings(vec![weak_sdk(
        "baidu-face",
        &["face-recognition"],
        EvidenceKind::Domain,
    )]);
    f.biometrics = vec![BiometricFinding {
        source: BiometricSource::Sdk,
        id: "baidu-face".into(),
        modality: "face".into(),
        what: "face SDK".into(),
        what_zh: None,
        by: vec![],
        location: None,
    }];
    let r = eval(&s, &f, "higher-ed");
    let c = r.clause("JJS265-3-3").unwrap();
    assert_eq!(c.status, Status::NeedsReview);
    assert_eq!(c.rules, ["biometric.face-sdk"]);
    assert!(c.reasons[0].en.contains("Only weak evidence"));
    assert!(c.reasons[0].zh.contains("人脸识别 SDK 证据较弱"));
    // A strongly evidenced face SDK stays a biometric finding, modality in Chinese.
    f.sdks = vec![sdk(
        "baidu-face",
        &["face-recognition"],
        Strength::Strong,
        &[],
    )];
    let r = eval(&s, &f, "higher-ed");
    let c = r.clause("JJS265-3-3").unwrap();
    assert_eq!(c.rules, ["biometric.finding"]);
    assert!(c.reasons[0].zh.contains("（人脸）"), "{:?}", c.reasons[0]);
    // Identity SDKs.
    let f = findings(vec![weak_sdk(
        "ocr-x",
        &["ocr"],
        EvidenceKind::TypeReferenced,
    )]);
    let c = eval(&s, &f, "higher-ed");
    let c = c.clause("JJS265-3-4").unwrap();
    assert!(c.reasons[0].en.contains("only referenced types"));
}

#[test]
fn evidence_details_are_bilingual() {
    let s = clean_scan();
    let mut f = findings(vec![sdk(
        "umeng-analytics",
        &["analytics", "advertising"],
        Strength::Strong,
        &["device-id", "installed-apps"],
    )]);
    f.sdks[0].name_zh = Some("友盟统计".into());
    f.permissions = vec![perm(
        "android.permission.READ_PHONE_STATE",
        "device-id",
        "dangerous",
    )];
    f.apis = vec![api("imei", "device-id", "app")];
    let r = eval(&s, &f, "mandated");
    let c = r.clause("JJH55-6").unwrap();
    let sdk_ref = c.evidence.iter().find(|e| e.kind == Ek::Sdk).unwrap();
    // English unchanged for JSON consumers; Chinese beside it.
    assert_eq!(
        sdk_ref.detail,
        "umeng-analytics name (Vendor); analytics, advertising; strong evidence; class-defined: com.umeng-analytics.Sdk; collects device-id, installed-apps"
    );
    assert_eq!(
        sdk_ref.detail_zh.as_deref(),
        Some("友盟统计（Vendor）；统计分析、广告；强证据；类定义：com.umeng-analytics.Sdk；收集：设备标识、已安装应用列表")
    );
    assert_eq!(sdk_ref.detail_in(Lang::En), sdk_ref.detail);
    let p = c
        .evidence
        .iter()
        .find(|e| e.kind == Ek::Permission)
        .unwrap();
    assert_eq!(p.detail_in(Lang::Zh), "设备标识；危险权限；x");
    let a = c.evidence.iter().find(|e| e.kind == Ek::Api).unwrap();
    assert!(a
        .detail_in(Lang::Zh)
        .ends_with("com.x.Caller 调用 android.telephony.TelephonyManager.getDeviceId"));
    // Our reasons: labels, not ids, in Chinese; singular English.
    assert!(
        c.reasons[0].zh.contains("（设备标识）"),
        "{:?}",
        c.reasons[0]
    );
    assert_eq!(
        c.reasons[0].en,
        "1 permission in a personal-information category is requested (device-id)."
    );
    assert!(c.reasons[1].zh.contains("调用方：应用自身代码"));
    // No English words of ours in any Chinese detail.
    let mut insecure = clean_scan();
    insecure.inventory.app.debuggable = Some(true);
    insecure.inventory.app.allow_backup = None;
    insecure.inventory.signing.certificates = vec![cert(RELEASE_SHA, true)];
    insecure.inventory.components.push(Component {
        name: "org.example.app.Open".into(),
        intent_filters: vec![],
        ..launcher()
    });
    let r = eval(&insecure, &f, "mandated,higher-ed");
    for c in &r.clauses {
        for e in &c.evidence {
            let zh = e.detail_in(Lang::Zh);
            for w in [
                "evidence",
                "collects",
                " calls ",
                "subject",
                "exported (",
                "unset",
                "debug/test",
                "categories",
                "statement",
            ] {
                assert!(!zh.contains(w), "{}: {zh}", c.id);
            }
        }
        for t in &c.reasons {
            assert!(
                !t.zh.contains("mandated，") && !t.zh.contains("device-id"),
                "{}",
                t.zh
            );
        }
    }
}
