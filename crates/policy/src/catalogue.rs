//! The clause catalogue (`clauses.toml`, embedded) and its text listing (`appvet clauses`).

use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::str::FromStr;
use std::sync::LazyLock;

/// The embedded catalogue source.
pub const CLAUSES_TOML: &str = include_str!("../clauses.toml");

/// The same catalogue as JSON, converted by `build.rs` (empty if the TOML did not parse).
const CLAUSES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/clauses.json"));

/// One of the two documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// `JJH55` or `JJS265`.
    pub id: String,
    /// `教技函〔2019〕55号`.
    pub number: String,
    pub title_zh: String,
    pub title_en: String,
    /// File name of the original text in `../shared/policy/`.
    pub file: String,
}

/// What kind of evidence can speak to a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceBasis {
    /// The package's contents.
    Static,
    /// An input beside the package (a blacklist, a filing registry).
    Input,
    /// Nothing static: the context decides whether a reviewer must check it.
    None,
}

/// One clause of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// Stable id (`JJH55-11-ads`), as in CLAUSES.md.
    pub id: String,
    /// Document id (`JJH55`).
    pub document: String,
    /// Clause number as written (`（十一）`, `三、3.`).
    pub number: String,
    pub title_zh: String,
    pub title_en: String,
    /// The original text, quoted exactly from the document.
    pub quote: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub evidence: EvidenceBasis,
    pub evidence_zh: String,
    pub evidence_en: String,
    /// What a reviewer must still check by hand (parallel lists).
    pub manual_zh: Vec<String>,
    pub manual_en: Vec<String>,
}

impl Clause {
    /// The document this clause belongs to.
    pub fn document(&self) -> Option<&'static Document> {
        documents().iter().find(|d| d.id == self.document)
    }

    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.title_zh,
            Lang::En => &self.title_en,
        }
    }
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    document: Vec<Document>,
    clause: Vec<Clause>,
}

static CATALOGUE: LazyLock<Result<CatalogueFile, String>> = LazyLock::new(|| {
    let file: CatalogueFile = match serde_json::from_str(CLAUSES_JSON) {
        Ok(f) => f,
        Err(_) => toml::from_str(CLAUSES_TOML).map_err(|e| e.to_string())?,
    };
    for c in &file.clause {
        if c.manual_zh.len() != c.manual_en.len() {
            return Err(format!(
                "{}: manual_zh and manual_en differ in length",
                c.id
            ));
        }
        if !file.document.iter().any(|d| d.id == c.document) {
            return Err(format!("{}: unknown document {}", c.id, c.document));
        }
    }
    Ok(file)
});

/// Why the embedded catalogue failed to load (None when it loaded; a test asserts it does).
pub fn catalogue_error() -> Option<&'static str> {
    CATALOGUE.as_ref().err().map(String::as_str)
}

/// Every clause, in catalogue order (the order of CLAUSES.md).
pub fn catalogue() -> &'static [Clause] {
    match &*CATALOGUE {
        Ok(f) => &f.clause,
        Err(_) => &[],
    }
}

/// The two documents.
pub fn documents() -> &'static [Document] {
    match &*CATALOGUE {
        Ok(f) => &f.document,
        Err(_) => &[],
    }
}

/// A clause by id.
pub fn clause(id: &str) -> Option<&'static Clause> {
    catalogue().iter().find(|c| c.id == id)
}

/// Output language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?}: expected zh or en")]
pub struct LangError(pub String);

impl FromStr for Lang {
    type Err = LangError;

    fn from_str(s: &str) -> Result<Lang, LangError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh-hans" | "cn" => Ok(Lang::Zh),
            "en" | "en-us" | "en-gb" => Ok(Lang::En),
            _ => Err(LangError(s.chars().take(32).collect())),
        }
    }
}

/// The catalogue as text (`appvet clauses`): per document, each clause with its number, title,
/// original text, summary, static evidence and manual checks.
pub fn render_catalogue(lang: Lang) -> String {
    let mut out = String::new();
    for doc in documents() {
        let _ = match lang {
            Lang::Zh => writeln!(out, "{} {}《{}》", doc.id, doc.number, doc.title_zh),
            Lang::En => writeln!(out, "{} {} ({})", doc.id, doc.number, doc.title_en),
        };
        out.push('\n');
        for c in catalogue().iter().filter(|c| c.document == doc.id) {
            let _ = writeln!(out, "{}  {} {}", c.id, c.number, c.title(lang));
            let (summary, evidence, manual, l_text, l_sum, l_ev, l_man) = match lang {
                Lang::Zh => (
                    &c.summary_zh,
                    &c.evidence_zh,
                    &c.manual_zh,
                    "原文",
                    "要点",
                    "静态证据",
                    "人工复核",
                ),
                Lang::En => (
                    &c.summary_en,
                    &c.evidence_en,
                    &c.manual_en,
                    "Text",
                    "Summary",
                    "Static evidence",
                    "Manual checks",
                ),
            };
            let _ = writeln!(out, "    {l_text}: {}", c.quote);
            let _ = writeln!(out, "    {l_sum}: {summary}");
            let _ = writeln!(out, "    {l_ev}: {evidence}");
            let _ = writeln!(out, "    {l_man}:");
            for m in manual {
                let _ = writeln!(out, "      - {m}");
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_built_at_build_time_is_the_toml_catalogue() {
        let json: CatalogueFile = serde_json::from_str(CLAUSES_JSON).unwrap();
        let toml: CatalogueFile = toml::from_str(CLAUSES_TOML).unwrap();
        assert_eq!(json, toml);
        assert!(json.clause.len() >= 16);
    }
}
