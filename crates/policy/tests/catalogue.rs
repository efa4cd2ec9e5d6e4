//! The catalogue against the original documents and CLAUSES.md, the rule table against the
//! catalogue, contexts, and the text listing.

use appvet_policy::*;
use std::path::PathBuf;

fn policy_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/policy")
}

fn read(name: &str) -> String {
    let p = policy_dir().join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The clause ids of CLAUSES.md's table (`| JJH55-4 | ...`).
fn clauses_md_ids() -> Vec<String> {
    read("CLAUSES.md")
        .lines()
        .filter_map(|l| {
            let first = l.strip_prefix('|')?.split('|').next()?.trim();
            (first.starts_with("JJH55-") || first.starts_with("JJS265-")).then(|| first.to_string())
        })
        .collect()
}

#[test]
fn catalogue_loads_and_matches_clauses_md() {
    assert_eq!(catalogue_error(), None);
    let ids: Vec<&str> = catalogue().iter().map(|c| c.id.as_str()).collect();
    let md = clauses_md_ids();
    assert_eq!(md.len(), 16, "{md:?}");
    assert_eq!(ids, md.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(evaluated_clause_ids().collect::<Vec<_>>(), ids);
    assert_eq!(documents().len(), 2);
    for c in catalogue() {
        let doc = c.document().unwrap();
        assert!(c.id.starts_with(&format!("{}-", doc.id)), "{}", c.id);
        for s in [
            &c.title_zh,
            &c.title_en,
            &c.summary_zh,
            &c.summary_en,
            &c.evidence_zh,
            &c.evidence_en,
        ] {
            assert!(!s.trim().is_empty(), "{}", c.id);
        }
        assert!(!c.manual_zh.is_empty(), "{}", c.id);
        assert_eq!(c.manual_zh.len(), c.manual_en.len(), "{}", c.id);
        assert_eq!(clause(&c.id), Some(c));
    }
    assert_eq!(clause("JJH55-99"), None);
}

#[test]
fn every_quote_is_in_its_document() {
    for doc in documents() {
        let text = read(&doc.file);
        assert!(
            text.contains(&doc.number),
            "{} number {}",
            doc.id,
            doc.number
        );
        for c in catalogue().iter().filter(|c| c.document == doc.id) {
            assert!(c.quote.chars().count() >= 10, "{}", c.id);
            assert!(
                text.contains(&c.quote),
                "{}: quote is not a substring of {}: {}",
                c.id,
                doc.file,
                c.quote
            );
        }
    }
    // The number as written appears in the quoted document too (JJH55 numbering).
    for c in catalogue().iter().filter(|c| c.document == "JJH55") {
        assert!(
            read("jiaojihan-2019-55.txt").contains(&c.number),
            "{}",
            c.id
        );
    }
}

#[test]
fn every_clause_has_a_rule() {
    let ids: Vec<&str> = catalogue().iter().map(|c| c.id.as_str()).collect();
    let mut missing = Vec::new();
    for c in catalogue() {
        let own: Vec<&RuleDef> = rules().iter().filter(|r| r.clause == c.id).collect();
        let speaks = own
            .iter()
            .any(|r| matches!(r.kind, RuleKind::Evidence | RuleKind::Input));
        match c.evidence {
            EvidenceBasis::Static | EvidenceBasis::Input if !speaks => missing.push(c.id.as_str()),
            EvidenceBasis::None if own.is_empty() => missing.push(c.id.as_str()),
            _ => {}
        }
    }
    assert!(missing.is_empty(), "clauses without a rule: {missing:?}");
    // Only JJH55-5-minors has no static evidence.
    let none: Vec<&str> = catalogue()
        .iter()
        .filter(|c| c.evidence == EvidenceBasis::None)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(none, ["JJH55-5-minors"]);
    let mut seen = std::collections::BTreeSet::new();
    for r in rules() {
        assert!(
            r.clause == "*" || ids.contains(&r.clause),
            "{} → {}",
            r.id,
            r.clause
        );
        assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
        assert!(!r.en.is_empty() && !r.zh.is_empty());
    }
    let text = render_rules(Lang::En);
    assert_eq!(text.lines().count(), 16);
    assert!(text.contains("JJH55-11-ads Mandated apps: no commercial ads: `mandated.ads`"));
    assert!(render_rules(Lang::Zh).contains("JJS265-3-3 采集人脸"));
}

#[test]
fn pi_categories_match_detect() {
    assert_eq!(PI_CATEGORIES, appvet_detect::PI_CATEGORIES);
}

#[test]
fn catalogue_listing() {
    let zh = render_catalogue(Lang::Zh);
    let en = render_catalogue(Lang::En);
    for c in catalogue() {
        assert!(zh.contains(&c.id) && zh.contains(&c.quote) && zh.contains(&c.title_zh));
        assert!(en.contains(&c.id) && en.contains(&c.summary_en) && en.contains(&c.title_en));
    }
    assert!(zh.starts_with("JJH55 教技函〔2019〕55号《"));
    assert!(en.contains("Manual checks:"));
    assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
    assert_eq!("zh-CN".parse::<Lang>(), Ok(Lang::Zh));
    assert!("fr".parse::<Lang>().is_err());
}

#[test]
fn context_parsing() {
    let s: ContextSet = "mandated,minors".parse().unwrap();
    assert!(s.contains(Context::Mandated) && s.contains(Context::Minors));
    assert!(!s.contains(Context::Recommended) && !s.contains(Context::HigherEd));
    assert_eq!(s.to_string(), "mandated,minors");
    assert_eq!(" minors , mandated ".parse::<ContextSet>().unwrap(), s);
    assert_eq!("统一使用，未成年人".parse::<ContextSet>().unwrap(), s);
    assert_eq!(
        "mandated,higher-ed"
            .parse::<ContextSet>()
            .unwrap()
            .to_string(),
        "mandated,higher-ed"
    );
    assert_eq!(
        "recommended,minors"
            .parse::<ContextSet>()
            .unwrap()
            .iter()
            .count(),
        2
    );
    assert_eq!(
        "mandated,mandated"
            .parse::<ContextSet>()
            .unwrap()
            .iter()
            .count(),
        1
    );
    let empty: ContextSet = "".parse().unwrap();
    assert!(empty.is_unspecified());
    assert!(matches!(
        "mandated,recommended".parse::<ContextSet>(),
        Err(ContextError::Conflict(
            Context::Mandated,
            Context::Recommended,
            _
        ))
    ));
    assert!(matches!(
        "higher-ed,minors".parse::<ContextSet>(),
        Err(ContextError::Conflict(
            Context::Minors,
            Context::HigherEd,
            _
        ))
    ));
    assert!(
        matches!("mandated,k13".parse::<ContextSet>(), Err(ContextError::Unknown(w)) if w == "k13")
    );
    // Repeated flags, each comma-separated.
    let r = ContextSet::parse_all(["mandated", "minors"]).unwrap();
    assert_eq!(r, s);
    assert!(ContextSet::parse_all(["mandated", "recommended,minors"]).is_err());
    // Insert keeps the set unchanged on error.
    let mut m = ContextSet::new([Context::Recommended]).unwrap();
    assert!(m.insert(Context::Mandated).is_err());
    assert_eq!(m.to_string(), "recommended");
    // JSON: an array of words.
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        r#"["mandated","minors"]"#
    );
    let back: ContextSet = serde_json::from_str(r#"["minors","mandated"]"#).unwrap();
    assert_eq!(back, s);
    assert!(serde_json::from_str::<ContextSet>(r#"["mandated","recommended"]"#).is_err());
    let e = "x".parse::<ContextSet>().unwrap_err().to_string();
    assert!(
        e.contains("mandated, recommended, minors or higher-ed"),
        "{e}"
    );
}
