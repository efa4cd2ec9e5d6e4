//! Import of the εxodus tracker list (`{"trackers": {"<id>": {name, code_signature,
//! network_signature, website, categories}}}`, or a JSON array of such objects) into SDK
//! definitions. Code signatures are `|`-joined class-name regexes with unescaped dots; plain
//! ones become package prefixes, ones that start with a dot become `class_regex`; network
//! signatures become domains where they are plain host names.

use crate::db::{GENERIC_NAMESPACES, PLATFORM_ROOTS};
use crate::format::{AndroidIds, NetworkIds, SdkDef};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Deserialize)]
struct Tracker {
    id: Option<serde_json::Value>,
    name: String,
    #[serde(default)]
    code_signature: Option<String>,
    #[serde(default)]
    network_signature: Option<String>,
    #[serde(default)]
    website: Option<String>,
    #[serde(default)]
    categories: Vec<String>,
}

/// Result of an import: the SDK definitions (sorted by id) and notes on what was skipped.
#[derive(Debug, Default)]
pub struct Import {
    pub sdks: Vec<SdkDef>,
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("not εxodus JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Map an εxodus category to ours.
pub fn map_category(c: &str) -> &'static str {
    match c.to_ascii_lowercase().as_str() {
        "advertisement" | "ads" | "advertising" => "advertising",
        "crash reporting" => "crash-reporting",
        "location" => "location",
        "identification" => "device-fingerprint",
        _ => "analytics", // Analytics, Profiling
    }
}

/// One code-signature alternative → (`packages` entry or `class_regex` entry).
pub fn convert_signature(sig: &str) -> Option<Result<String, String>> {
    let s = sig.trim();
    if s.is_empty() {
        return None;
    }
    let body = s.trim_start_matches('.').trim_end_matches('.');
    if body.is_empty() {
        return None;
    }
    let plain = body
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '$');
    if !plain {
        return Some(Err(format!("(?:{s}).*")));
    }
    if s.starts_with('.') {
        // Anywhere in the name: `.sizmek.` → `.*\.sizmek[.$].*`.
        let mut r = String::from(r".*\.");
        r.push_str(&regex::escape(body));
        if s.ends_with('.') {
            r.push_str(r"[.$].*");
        } else {
            r.push_str(r"([.$].*)?");
        }
        return Some(Err(r));
    }
    Some(Ok(body.to_string()))
}

/// A class name that an εxodus code-signature alternative matches (for coverage tests).
pub fn synthetic_for_signature(sig: &str) -> Option<String> {
    let s = sig.trim();
    if s.trim_matches('.').is_empty() {
        return None;
    }
    let mut name = String::new();
    if s.starts_with('.') {
        name.push_str("com.example");
    }
    name.push_str(s);
    if s.ends_with('.') {
        name.push_str("AppvetSynthetic");
    }
    Some(name)
}

fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("tracker");
    }
    out
}

/// Convert εxodus JSON text.
pub fn import(json: &str) -> Result<Import, ImportError> {
    let v: serde_json::Value = serde_json::from_str(json)?;
    let list: Vec<serde_json::Value> = match v {
        serde_json::Value::Object(mut o) => match o.remove("trackers") {
            Some(serde_json::Value::Object(m)) => m.into_iter().map(|(_, v)| v).collect(),
            Some(serde_json::Value::Array(a)) => a,
            Some(other) => vec![other],
            None => o.into_iter().map(|(_, v)| v).collect(),
        },
        serde_json::Value::Array(a) => a,
        other => vec![other],
    };
    let mut trackers: Vec<(String, Tracker)> = Vec::new();
    for t in list {
        let t: Tracker = serde_json::from_value(t)?;
        let id = match &t.id {
            Some(serde_json::Value::Number(n)) => n.to_string(),
            Some(serde_json::Value::String(s)) => s.clone(),
            _ => String::new(),
        };
        trackers.push((id, t));
    }
    trackers.sort_by_key(|(id, _)| (id.parse::<u64>().unwrap_or(u64::MAX), id.clone()));

    let mut out = Import::default();
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut prefixes: HashMap<String, usize> = HashMap::new();
    let mut domains: HashMap<String, usize> = HashMap::new();
    for (eid, t) in trackers {
        let mut id = slug(&t.name);
        if ids.contains_key(&id) {
            id = format!("{id}-{}", slug(&eid));
        }
        let source = format!("exodus:{eid}");
        let mut categories: Vec<String> = t
            .categories
            .iter()
            .map(|c| map_category(c).to_string())
            .collect();
        categories.sort();
        categories.dedup();
        if categories.is_empty() {
            categories.push("analytics".into());
        }
        let mut sdk = SdkDef {
            id: id.clone(),
            name: t.name.clone(),
            vendor: t.name.clone(),
            region: "global".into(),
            categories,
            website: t.website.clone().filter(|w| !w.is_empty()),
            sources: vec![source.clone()],
            android: AndroidIds::default(),
            network: NetworkIds::default(),
            ..SdkDef::default()
        };
        let index = out.sdks.len();
        for alt in t.code_signature.as_deref().unwrap_or("").split('|') {
            match convert_signature(alt) {
                None => {}
                Some(Ok(p)) => {
                    let root = p.split('.').next().unwrap_or("");
                    if p.split('.').count() < 2
                        || GENERIC_NAMESPACES.contains(&p.as_str())
                        || PLATFORM_ROOTS.contains(&root)
                    {
                        out.notes.push(format!(
                            "{source} {}: {alt:?} skipped (over-generic)",
                            t.name
                        ));
                    } else if let Some(&other) = prefixes.get(&p) {
                        // Already claimed: cite this tracker on the claiming SDK.
                        if let Some(o) = out.sdks.get_mut(other) {
                            if !o.sources.contains(&source) {
                                o.sources.push(source.clone());
                            }
                        } else if other == index && !sdk.sources.contains(&source) {
                            sdk.sources.push(source.clone());
                        }
                    } else {
                        prefixes.insert(p.clone(), index);
                        sdk.android.packages.push(p);
                    }
                }
                Some(Err(r)) if !sdk.android.class_regex.contains(&r) => {
                    sdk.android.class_regex.push(r);
                }
                Some(Err(_)) => {}
            }
        }
        for alt in t.network_signature.as_deref().unwrap_or("").split('|') {
            let d = alt.trim().replace("\\.", ".");
            let d = d.trim_start_matches('.').to_ascii_lowercase();
            if d.is_empty() {
                continue;
            }
            let ok = d.contains('.')
                && !d.ends_with('.')
                && d.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
            if !ok {
                out.notes.push(format!(
                    "{source} {}: network signature {alt:?} skipped (not a host name)",
                    t.name
                ));
            } else if domains.contains_key(&d) {
                out.notes
                    .push(format!("{source} {}: domain {d} already claimed", t.name));
            } else {
                domains.insert(d.clone(), index);
                sdk.network.domains.push(d);
            }
        }
        ids.insert(id, index);
        out.sdks.push(sdk);
    }
    // Trackers whose every signature was already claimed have no identifiers left.
    let before = out.sdks.len();
    out.sdks
        .retain(|s| !(s.android.is_empty() && s.network.is_empty() && s.ios.is_empty()));
    if out.sdks.len() < before {
        out.notes.push(format!(
            "{} trackers without any usable signature were not converted",
            before - out.sdks.len()
        ));
    }
    out.sdks.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// Render an SDK definition as a signature file.
pub fn to_toml(sdk: &SdkDef) -> String {
    // Empty lists and tables are left out, as a person would write the file.
    let body = match toml::Value::try_from(sdk) {
        Ok(mut v) => {
            prune(&mut v);
            toml::to_string(&v).unwrap_or_default()
        }
        Err(_) => String::new(),
    };
    format!(
        "# Converted from the εxodus tracker list ({}) by `appvet signatures import-exodus`.\n{body}",
        sdk.sources.join(", ")
    )
}

/// Drop empty arrays and tables (recursively) from a TOML value.
fn prune(v: &mut toml::Value) {
    if let toml::Value::Table(t) = v {
        for (_, x) in t.iter_mut() {
            prune(x);
        }
        t.retain(|_, x| match x {
            toml::Value::Array(a) => !a.is_empty(),
            toml::Value::Table(t) => !t.is_empty(),
            _ => true,
        });
    }
}

/// Group an import by εxodus id (for reports): exodus id → our SDK id.
pub fn index(import: &Import) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for s in &import.sdks {
        for src in &s.sources {
            if let Some(id) = src.strip_prefix("exodus:") {
                m.insert(id.to_string(), s.id.clone());
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_signatures() {
        assert_eq!(
            convert_signature("com.databerries."),
            Some(Ok("com.databerries".into()))
        );
        assert_eq!(
            convert_signature("com.krux.androidsdk"),
            Some(Ok("com.krux.androidsdk".into()))
        );
        assert_eq!(convert_signature(""), None);
        let Some(Err(r)) = convert_signature(".sizmek.") else {
            panic!("regex expected");
        };
        let re = regex::Regex::new(&format!("^(?:{r})$")).unwrap();
        assert!(re.is_match("com.sizmek.x.Y"));
        assert!(!re.is_match("com.notsizmek.Y"));
        let Some(Err(r)) = convert_signature(".LigatusManager") else {
            panic!("regex expected");
        };
        let re = regex::Regex::new(&format!("^(?:{r})$")).unwrap();
        assert!(re.is_match("com.ligatus.LigatusManager"));
        assert!(re.is_match("com.ligatus.LigatusManager$1"));
    }

    #[test]
    fn imports_and_merges_shared_prefixes() {
        let json = r#"{"trackers": {
            "1": {"id": 1, "name": "Teemo", "code_signature": "com.databerries.|com.geolocstation.", "network_signature": "databerries\\.com", "website": "https://x", "categories": ["Analytics", "Location"]},
            "2": {"id": 2, "name": "Teemo", "code_signature": "com.databerries.", "network_signature": "", "categories": ["Identification"]},
            "3": {"id": 3, "name": "Generic", "code_signature": "com.google.", "network_signature": "\\.google\\.com|x[0-9]", "categories": []}
        }}"#;
        let imp = import(json).unwrap();
        let teemo = imp.sdks.iter().find(|s| s.id == "teemo").unwrap();
        assert_eq!(
            teemo.android.packages,
            vec!["com.databerries", "com.geolocstation"]
        );
        assert_eq!(teemo.network.domains, vec!["databerries.com"]);
        assert_eq!(teemo.categories, vec!["analytics", "location"]);
        assert_eq!(teemo.sources, vec!["exodus:1", "exodus:2"]);
        // Tracker 2 had nothing of its own left.
        assert!(imp.sdks.iter().all(|s| s.id != "teemo-2"));
        let generic = imp.sdks.iter().find(|s| s.id == "generic").unwrap();
        assert!(generic.android.packages.is_empty());
        assert_eq!(generic.network.domains, vec!["google.com"]);
        assert!(imp.notes.iter().any(|n| n.contains("over-generic")));
        let text = to_toml(teemo);
        assert!(!text.contains("[]") && !text.contains("[ios]"), "{text}");
        let back: SdkDef = toml::from_str(&text).unwrap();
        assert_eq!(&back, teemo);
    }

    #[test]
    fn synthetic_names() {
        assert_eq!(
            synthetic_for_signature("com.a.b.").as_deref(),
            Some("com.a.b.AppvetSynthetic")
        );
        assert_eq!(
            synthetic_for_signature("com.a.B").as_deref(),
            Some("com.a.B")
        );
        assert_eq!(
            synthetic_for_signature(".sizmek.").as_deref(),
            Some("com.example.sizmek.AppvetSynthetic")
        );
        assert_eq!(synthetic_for_signature("."), None);
    }
}
