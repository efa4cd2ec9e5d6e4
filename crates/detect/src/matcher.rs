//! Compiled matchers: dotted-prefix automaton, exact/regex name sets, domain suffixes.

use aho_corasick::{
    AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, Input, MatchKind, StartKind,
};
use regex::RegexSet;
use std::collections::HashMap;

/// Dotted class-name prefixes at package boundaries, the most specific winning.
///
/// A prefix `P` matches a name equal to `P` or starting with `P.` or `P$`. The automaton holds
/// `P.` and `P$` (so every match ends at a boundary) and is searched anchored at the start with
/// leftmost-longest semantics: the longest boundary-terminated prefix wins. Names equal to a
/// prefix are found in an exact map first.
#[derive(Debug, Default)]
pub struct PrefixMatcher {
    ac: Option<AhoCorasick>,
    /// Pattern id → value.
    values: Vec<usize>,
    exact: HashMap<String, usize>,
}

impl PrefixMatcher {
    /// Build from (prefix, value) pairs. Duplicate prefixes keep the first value (validation
    /// reports duplicates before this is built).
    pub fn new(prefixes: &[(String, usize)]) -> PrefixMatcher {
        let mut exact: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut values = Vec::new();
        for (p, v) in prefixes {
            if p.is_empty() || exact.contains_key(p) {
                continue;
            }
            exact.insert(p.clone(), *v);
            for sep in ['.', '$'] {
                patterns.push(format!("{p}{sep}"));
                values.push(*v);
            }
        }
        let ac = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                // A contiguous NFA builds in a fraction of a DFA's time (paid at every process
                // start) and anchored prefix searches over short names stay fast.
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&patterns)
                .ok()
        };
        PrefixMatcher { ac, values, exact }
    }

    /// The value of the most specific prefix matching `name`, with the prefix length.
    pub fn find(&self, name: &str) -> Option<usize> {
        if let Some(v) = self.exact.get(name) {
            return Some(*v);
        }
        let ac = self.ac.as_ref()?;
        let m = ac
            .try_find(Input::new(name).anchored(Anchored::Yes))
            .ok()
            .flatten()?;
        self.values.get(m.pattern().as_usize()).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }
}

/// Plain prefixes without a boundary rule (Objective-C class prefixes), longest wins.
#[derive(Debug, Default)]
pub struct RawPrefixMatcher {
    ac: Option<AhoCorasick>,
    values: Vec<usize>,
}

impl RawPrefixMatcher {
    pub fn new(prefixes: &[(String, usize)]) -> RawPrefixMatcher {
        let patterns: Vec<&str> = prefixes.iter().map(|(p, _)| p.as_str()).collect();
        let values = prefixes.iter().map(|(_, v)| *v).collect();
        let ac = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                // A contiguous NFA builds in a fraction of a DFA's time (paid at every process
                // start) and anchored prefix searches over short names stay fast.
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&patterns)
                .ok()
        };
        RawPrefixMatcher { ac, values }
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        let ac = self.ac.as_ref()?;
        let m = ac
            .try_find(Input::new(name).anchored(Anchored::Yes))
            .ok()
            .flatten()?;
        self.values.get(m.pattern().as_usize()).copied()
    }
}

/// Full-match regexes with a value each.
#[derive(Debug, Default)]
pub struct RegexMatcher {
    set: Option<RegexSet>,
    values: Vec<usize>,
}

impl RegexMatcher {
    /// Patterns must already be validated; one that fails to compile makes the whole set empty
    /// (validation reports it first).
    pub fn new(patterns: &[(String, usize)]) -> RegexMatcher {
        if patterns.is_empty() {
            return RegexMatcher::default();
        }
        let anchored: Vec<String> = patterns.iter().map(|(p, _)| anchor(p)).collect();
        RegexMatcher {
            set: RegexSet::new(&anchored).ok(),
            values: patterns.iter().map(|(_, v)| *v).collect(),
        }
    }

    /// Values of every matching pattern, ascending and deduplicated.
    pub fn find_all(&self, name: &str) -> Vec<usize> {
        let Some(set) = &self.set else {
            return Vec::new();
        };
        let mut out: Vec<usize> = set
            .matches(name)
            .iter()
            .filter_map(|i| self.values.get(i).copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The first (lowest) matching value.
    pub fn find(&self, name: &str) -> Option<usize> {
        let set = self.set.as_ref()?;
        set.matches(name)
            .iter()
            .filter_map(|i| self.values.get(i).copied())
            .min()
    }
}

/// Wrap a pattern for a full match.
pub fn anchor(p: &str) -> String {
    format!("^(?:{p})$")
}

/// Exact names plus `re:` regexes (native library names, packer files).
#[derive(Debug, Default)]
pub struct NameMatcher {
    exact: HashMap<String, Vec<usize>>,
    regex: RegexMatcher,
}

impl NameMatcher {
    pub fn new(names: &[(String, usize)]) -> NameMatcher {
        let mut exact: HashMap<String, Vec<usize>> = HashMap::new();
        let mut regex = Vec::new();
        for (n, v) in names {
            match n.strip_prefix("re:") {
                Some(r) => regex.push((r.to_string(), *v)),
                None => {
                    let e = exact.entry(n.clone()).or_default();
                    if !e.contains(v) {
                        e.push(*v);
                    }
                }
            }
        }
        NameMatcher {
            exact,
            regex: RegexMatcher::new(&regex),
        }
    }

    /// Every value whose name matches, ascending.
    pub fn find_all(&self, name: &str) -> Vec<usize> {
        let mut out = self.regex.find_all(name);
        if let Some(v) = self.exact.get(name) {
            out.extend(v.iter().copied());
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Registrable domains / hosts: a host matches a domain when equal or a subdomain of it; the
/// most specific domain wins; a domain may belong to several SDKs.
#[derive(Debug, Default)]
pub struct DomainMatcher {
    map: HashMap<String, Vec<usize>>,
}

impl DomainMatcher {
    pub fn new(domains: &[(String, usize)]) -> DomainMatcher {
        let mut map: HashMap<String, Vec<usize>> = HashMap::new();
        for (d, v) in domains {
            let e = map.entry(d.to_ascii_lowercase()).or_default();
            if !e.contains(v) {
                e.push(*v);
            }
        }
        DomainMatcher { map }
    }

    /// The values of the most specific domain the host is in.
    pub fn find(&self, host: &str) -> &[usize] {
        let host = host.trim_end_matches('.');
        let mut rest = host;
        loop {
            if let Some(v) = self.map.get(rest) {
                return v;
            }
            match rest.find('.') {
                Some(i) => rest = rest.get(i + 1..).unwrap_or(""),
                None => return &[],
            }
            if rest.is_empty() {
                return &[];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pm(ps: &[(&str, usize)]) -> PrefixMatcher {
        PrefixMatcher::new(
            &ps.iter()
                .map(|(p, v)| (p.to_string(), *v))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn prefix_at_boundary_most_specific_wins() {
        let m = pm(&[
            ("com.umeng", 1),
            ("com.umeng.analytics", 2),
            ("com.umeng.ana", 3),
        ]);
        assert_eq!(m.find("com.umeng.analytics.MobclickAgent"), Some(2));
        assert_eq!(m.find("com.umeng.analytics"), Some(2));
        assert_eq!(m.find("com.umeng.analytics$Inner"), Some(2));
        assert_eq!(m.find("com.umeng.analyticsX.Y"), Some(1));
        assert_eq!(m.find("com.umeng.ana.X"), Some(3));
        assert_eq!(m.find("com.umeng.commonsdk.UMConfigure"), Some(1));
        assert_eq!(m.find("com.umengx.Foo"), None);
        assert_eq!(m.find("com.ume"), None);
        assert_eq!(m.find("x.com.umeng.Foo"), None);
        assert_eq!(m.find(""), None);
        assert_eq!(pm(&[]).find("a.b"), None);
    }

    #[test]
    fn domains_match_suffix_at_label_boundary() {
        let m = DomainMatcher::new(&[("umeng.com".into(), 1), ("ulogs.umeng.com".into(), 2)]);
        assert_eq!(m.find("umeng.com"), &[1]);
        assert_eq!(m.find("a.b.umeng.com"), &[1]);
        assert_eq!(m.find("ulogs.umeng.com"), &[2]);
        assert_eq!(m.find("x.ulogs.umeng.com."), &[2]);
        assert!(m.find("notumeng.com").is_empty());
        assert!(m.find("com").is_empty());
        assert!(m.find("").is_empty());
        assert!(m.find("...").is_empty());
    }

    #[test]
    fn names_exact_and_regex() {
        let m = NameMatcher::new(&[
            ("libBugly.so".into(), 1),
            ("re:libjiagu(_\\w+)?\\.so".into(), 2),
        ]);
        assert_eq!(m.find_all("libBugly.so"), vec![1]);
        assert_eq!(m.find_all("libjiagu_x86.so"), vec![2]);
        assert_eq!(m.find_all("libjiagu.so"), vec![2]);
        assert!(m.find_all("xlibjiagu.so").is_empty());
        assert!(m.find_all("libbugly.so").is_empty());
    }

    #[test]
    fn raw_prefixes_longest() {
        let m = RawPrefixMatcher::new(&[("UMConf".into(), 1), ("UMConfigure".into(), 2)]);
        assert_eq!(m.find("UMConfigureX"), Some(2));
        assert_eq!(m.find("UMConfX"), Some(1));
        assert_eq!(m.find("UMCon"), None);
    }
}
