//! Compiled matchers: dotted-prefix tables, exact/regex name sets, domain suffixes.
//!
//! Everything here is built at every process start, so construction must be cheap: hash tables
//! are filled eagerly (microseconds), while automata and regexes — milliseconds each — are
//! compiled on first use, so a package that never asks (an APK never matches Objective-C
//! prefixes; most packages have no native library) never pays for them.

use crate::tables::Table;
use aho_corasick::{
    AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, Input, MatchKind, StartKind,
};
use regex::RegexSet;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// Dotted class-name prefixes at package boundaries, the most specific winning.
///
/// A prefix `P` matches a name equal to `P` or starting with `P.` or `P$`. Lookup tries the
/// whole name, then each prefix of it that ends before a `.` or `$`, longest first — at most
/// one probe per boundary within the longest prefix's length, so a hostile name of many
/// thousand dots costs no more than a normal one.
///
/// Once a matcher has answered many names (a large package), it also keeps the set of every
/// boundary prefix of its keys ("stems") and walks a name's boundaries shortest first, stopping
/// at the first that is no stem: an app's own `com.example.app.ui.Main` costs two probes
/// (`com`, `com.example`) instead of five.
#[derive(Debug, Default)]
pub struct PrefixMatcher {
    table: Table<usize>,
    /// Length of the longest prefix: no boundary beyond it can match.
    max_len: usize,
    stems: OnceLock<HashSet<u64, foldhash::fast::FixedState>>,
    finds: AtomicU32,
}

/// Names looked up before a prefix matcher builds its stems.
const STEMS_AFTER: u32 = 4096;

fn is_boundary(b: &u8) -> bool {
    *b == b'.' || *b == b'$'
}

fn stem_hash(s: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x7374_656d).hash_one(s)
}

impl PrefixMatcher {
    pub fn new(table: Table<usize>) -> PrefixMatcher {
        let max_len = table
            .entries
            .iter()
            .map(|(k, _)| k.len())
            .max()
            .unwrap_or(0);
        PrefixMatcher {
            table,
            max_len,
            stems: OnceLock::new(),
            finds: AtomicU32::new(0),
        }
    }

    /// The value of the most specific prefix matching `name` (of a prefix defined twice, the
    /// lowest value).
    pub fn find(&self, name: &str) -> Option<usize> {
        if self.table.is_empty() {
            return None;
        }
        let bytes = name.as_bytes();
        let window = bytes.get(..=self.max_len).unwrap_or(bytes);
        if self.stems.get().is_some() || self.finds.fetch_add(1, Ordering::Relaxed) >= STEMS_AFTER {
            return self.find_by_stems(name, window);
        }
        if name.len() <= self.max_len {
            if let Some(v) = self.table.get(name) {
                return Some(*v);
            }
        }
        // `.` and `$` are ASCII, so every boundary is a char boundary.
        window
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, b)| is_boundary(b))
            .find_map(|(i, _)| name.get(..i).and_then(|p| self.table.get(p)).copied())
    }

    fn find_by_stems(&self, name: &str, window: &[u8]) -> Option<usize> {
        let stems = self.stems.get_or_init(|| {
            let mut set = HashSet::with_hasher(foldhash::fast::FixedState::default());
            for (k, _) in self.table.entries.iter() {
                for (i, _) in k.bytes().enumerate().filter(|(_, b)| is_boundary(b)) {
                    if let Some(p) = k.get(..i) {
                        set.insert(stem_hash(p));
                    }
                }
                set.insert(stem_hash(k));
            }
            set
        });
        let ends = window
            .iter()
            .enumerate()
            .filter(|(_, b)| is_boundary(b))
            .map(|(i, _)| i)
            .chain((name.len() <= self.max_len).then_some(name.len()));
        let mut best = None;
        for end in ends {
            let Some(p) = name.get(..end) else { break };
            // A hash collision only makes the walk go one step further.
            if !stems.contains(&stem_hash(p)) {
                break;
            }
            if let Some(v) = self.table.get(p) {
                best = Some(*v);
            }
        }
        best
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

/// Plain prefixes without a boundary rule (Objective-C class prefixes), longest wins. The
/// automaton is built on first use (only iOS packages ask).
#[derive(Debug, Default)]
pub struct RawPrefixMatcher {
    table: Table<usize>,
    ac: OnceLock<Option<AhoCorasick>>,
}

impl RawPrefixMatcher {
    pub fn new(table: Table<usize>) -> RawPrefixMatcher {
        RawPrefixMatcher {
            table,
            ac: OnceLock::new(),
        }
    }

    fn automaton(&self) -> Option<&AhoCorasick> {
        self.ac
            .get_or_init(|| {
                if self.table.is_empty() {
                    return None;
                }
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .start_kind(StartKind::Anchored)
                    // A contiguous NFA builds in a fraction of a DFA's time and anchored
                    // prefix searches over short names stay fast.
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(self.table.entries.iter().map(|(p, _)| p.as_ref()))
                    .ok()
            })
            .as_ref()
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        let m = self
            .automaton()?
            .try_find(Input::new(name).anchored(Anchored::Yes))
            .ok()
            .flatten()?;
        // Of equal patterns the lowest id wins: the lowest value (the table is sorted).
        self.table
            .entries
            .get(m.pattern().as_usize())
            .map(|(_, v)| *v)
    }
}

/// Full-match regexes with a value each, compiled into one set on first use. A pattern that
/// does not compile is left out (validation reports it before a database is accepted).
///
/// Compiling the set costs more than scanning a small package, and most names match none of
/// the patterns, so names are first screened for the literal each pattern requires (the
/// longest literal of its top-level concatenation: `LigatusManager` in
/// `(?:.*\.)?LigatusManager(?:[.$].*)?`); the set is compiled only once a name has one.
#[derive(Debug, Default)]
pub struct RegexMatcher {
    table: Table<usize>,
    /// The set and, per pattern in it, its value.
    set: OnceLock<Option<(RegexSet, Vec<usize>)>>,
    screen: OnceLock<Screen>,
}

/// Required literals of a set of patterns.
#[derive(Debug, Default)]
struct Screen {
    /// Some pattern has no required literal: every name must go to the set.
    open: bool,
    needles: Vec<Vec<u8>>,
    /// A contiguous NFA first (quick to build: a small package checks a few dozen names), a
    /// DFA once many names have been checked (several times faster per name).
    nfa: Option<AhoCorasick>,
    dfa: OnceLock<Option<AhoCorasick>>,
    checks: AtomicU32,
}

/// Names checked on the NFA before the DFA is built.
const DFA_AFTER: u32 = 4096;

/// The longest literal a pattern's every match contains, when its top level is a
/// concatenation (or a single literal).
fn required_literal(pattern: &str) -> Option<Vec<u8>> {
    use regex_syntax::hir::HirKind;
    let hir = regex_syntax::parse(pattern).ok()?;
    let longest = |subs: &[regex_syntax::hir::Hir]| {
        subs.iter()
            .filter_map(|h| match h.kind() {
                HirKind::Literal(l) => Some(l.0.to_vec()),
                _ => None,
            })
            .max_by_key(Vec::len)
    };
    match hir.kind() {
        HirKind::Literal(l) => Some(l.0.to_vec()),
        HirKind::Concat(subs) => longest(subs),
        _ => None,
    }
    .filter(|l| !l.is_empty())
}

impl RegexMatcher {
    pub fn new(table: Table<usize>) -> RegexMatcher {
        RegexMatcher {
            table,
            set: OnceLock::new(),
            screen: OnceLock::new(),
        }
    }

    /// Whether `name` may match some pattern (false: it matches none).
    fn may_match(&self, name: &str) -> bool {
        let screen = self.screen.get_or_init(|| {
            let mut needles = Vec::new();
            let mut open = false;
            for (p, _) in self.table.entries.iter() {
                match required_literal(p) {
                    Some(l) => needles.push(l),
                    None => open = true,
                }
            }
            Screen {
                open,
                nfa: AhoCorasickBuilder::new()
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&needles)
                    .ok(),
                needles,
                dfa: OnceLock::new(),
                checks: AtomicU32::new(0),
            }
        });
        if screen.open {
            return true;
        }
        let ac = if screen.checks.fetch_add(1, Ordering::Relaxed) < DFA_AFTER {
            screen.nfa.as_ref()
        } else {
            screen
                .dfa
                .get_or_init(|| {
                    AhoCorasickBuilder::new()
                        .kind(Some(AhoCorasickKind::DFA))
                        .build(&screen.needles)
                        .ok()
                })
                .as_ref()
                .or(screen.nfa.as_ref())
        };
        ac.is_some_and(|ac| ac.is_match(name.as_bytes()))
    }

    fn compiled(&self) -> Option<&(RegexSet, Vec<usize>)> {
        self.set
            .get_or_init(|| {
                if self.table.is_empty() {
                    return None;
                }
                let all = || self.table.entries.iter();
                let set = |ps: Vec<&(crate::tables::Str, usize)>| {
                    RegexSet::new(ps.iter().map(|(p, _)| anchor(p)))
                        .ok()
                        .map(|set| (set, ps.iter().map(|(_, v)| *v).collect()))
                };
                // One bad pattern fails the whole set: then keep those that compile alone.
                set(all().collect()).or_else(|| {
                    set(all()
                        .filter(|(p, _)| regex::Regex::new(&anchor(p)).is_ok())
                        .collect())
                })
            })
            .as_ref()
    }

    /// Values of every matching pattern, ascending and deduplicated.
    pub fn find_all(&self, name: &str) -> Vec<usize> {
        if self.table.is_empty() || !self.may_match(name) {
            return Vec::new();
        }
        let Some((set, values)) = self.compiled() else {
            return Vec::new();
        };
        let mut out: Vec<usize> = set
            .matches(name)
            .iter()
            .filter_map(|i| values.get(i).copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The first (lowest) matching value.
    pub fn find(&self, name: &str) -> Option<usize> {
        if self.table.is_empty() || !self.may_match(name) {
            return None;
        }
        let (set, values) = self.compiled()?;
        set.matches(name)
            .iter()
            .filter_map(|i| values.get(i).copied())
            .min()
    }
}

/// Wrap a pattern for a full match.
pub fn anchor(p: &str) -> String {
    format!("^(?:{p})$")
}

/// Exact names plus regexes (native library names, packer files; `re:` in the signature files).
#[derive(Debug, Default)]
pub struct NameMatcher {
    exact: Table<usize>,
    regex: RegexMatcher,
}

impl NameMatcher {
    pub fn new(exact: Table<usize>, regex: Table<usize>) -> NameMatcher {
        NameMatcher {
            exact,
            regex: RegexMatcher::new(regex),
        }
    }

    /// Every value whose name matches, ascending.
    pub fn find_all(&self, name: &str) -> Vec<usize> {
        let mut out = self.regex.find_all(name);
        out.extend(self.exact.all(name).iter().map(|(_, v)| *v));
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Registrable domains / hosts: a host matches a domain when equal or a subdomain of it; the
/// most specific domain wins; a domain may belong to several SDKs. Keys are lower case.
#[derive(Debug, Default)]
pub struct DomainMatcher {
    table: Table<usize>,
}

impl DomainMatcher {
    pub fn new(table: Table<usize>) -> DomainMatcher {
        DomainMatcher { table }
    }

    /// The values of the most specific domain the host is in (ascending).
    pub fn find(&self, host: &str) -> Vec<usize> {
        let host = host.trim_end_matches('.');
        let mut rest = host;
        loop {
            let hit = self.table.all(rest);
            if !hit.is_empty() {
                return hit.iter().map(|(_, v)| *v).collect();
            }
            match rest.find('.') {
                Some(i) => rest = rest.get(i + 1..).unwrap_or(""),
                None => return Vec::new(),
            }
            if rest.is_empty() {
                return Vec::new();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(ps: &[(&str, usize)]) -> Table<usize> {
        Table::from_pairs(ps.iter().map(|(p, v)| (p.to_string(), *v)).collect())
    }

    fn pm(ps: &[(&str, usize)]) -> PrefixMatcher {
        PrefixMatcher::new(table(ps))
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
        let m = DomainMatcher::new(table(&[
            ("umeng.com", 1),
            ("ulogs.umeng.com", 2),
            ("umeng.com", 0),
        ]));
        assert_eq!(m.find("umeng.com"), [0, 1]);
        assert_eq!(m.find("a.b.umeng.com"), [0, 1]);
        assert_eq!(m.find("ulogs.umeng.com"), [2]);
        assert_eq!(m.find("x.ulogs.umeng.com."), [2]);
        assert!(m.find("notumeng.com").is_empty());
        assert!(m.find("com").is_empty());
        assert!(m.find("").is_empty());
        assert!(m.find("...").is_empty());
    }

    #[test]
    fn names_exact_and_regex() {
        let m = NameMatcher::new(
            table(&[("libBugly.so", 1)]),
            table(&[("libjiagu(_\\w+)?\\.so", 2)]),
        );
        assert_eq!(m.find_all("libBugly.so"), vec![1]);
        assert_eq!(m.find_all("libjiagu_x86.so"), vec![2]);
        assert_eq!(m.find_all("libjiagu.so"), vec![2]);
        assert!(m.find_all("xlibjiagu.so").is_empty());
        assert!(m.find_all("libbugly.so").is_empty());
    }

    #[test]
    fn stems_walk_agrees_with_the_longest_first_search() {
        let keys = [
            ("com.umeng", 1),
            ("com.umeng.analytics", 2),
            ("com.umeng.ana", 3),
            ("com.x.Foo$Bar", 4),
            ("a", 5),
        ];
        let names = [
            "com.umeng.analytics.MobclickAgent",
            "com.umeng.analytics",
            "com.umeng.analytics$Inner",
            "com.umeng.analyticsX.Y",
            "com.umeng.ana.X",
            "com.umeng",
            "com.umengx.Foo",
            "com.ume",
            "x.com.umeng.Foo",
            "com.x.Foo$Bar$1",
            "com.x.Foo$Baz",
            "a.b.c",
            "a",
            "",
            "é.a.b",
        ];
        let fresh = pm(&keys);
        let want: Vec<Option<usize>> = names.iter().map(|n| fresh.find(n)).collect();
        let warm = pm(&keys);
        for i in 0..STEMS_AFTER {
            warm.find(&format!("org.example.C{i}"));
        }
        let got: Vec<Option<usize>> = names.iter().map(|n| warm.find(n)).collect();
        assert!(warm.stems.get().is_some());
        assert_eq!(got, want);
        assert_eq!(want[0], Some(2));
        assert_eq!(want[9], Some(4));
        let long = format!("a.{}", ".".repeat(100_000));
        assert_eq!(warm.find(&long), Some(5));
    }

    #[test]
    fn prefix_lookup_is_bounded_by_the_longest_prefix() {
        let m = pm(&[("a.b", 1), ("a", 2)]);
        // Boundaries beyond the longest prefix are never probed; the answer is unchanged.
        let long = format!("a.b.{}", ".".repeat(100_000));
        assert_eq!(m.find(&long), Some(1));
        assert_eq!(m.find(&format!("a${}", "$".repeat(100_000))), Some(2));
        assert_eq!(m.find(&".".repeat(100_000)), None);
        // Multi-byte characters next to boundaries.
        assert_eq!(m.find("a.é.x"), Some(2));
        assert_eq!(m.find("é.a.b"), None);
    }

    #[test]
    fn a_bad_regex_leaves_the_others_working() {
        let m = RegexMatcher::new(table(&[("(", 1), ("ab+", 2), ("x", 3)]));
        assert_eq!(m.find_all("abb"), vec![2]);
        assert_eq!(m.find("x"), Some(3));
        assert_eq!(m.find("("), None);
    }

    #[test]
    fn regexes_are_screened_by_their_required_literal() {
        assert_eq!(
            required_literal(r"(?:.*\.)?LigatusManager(?:[.$].*)?").as_deref(),
            Some(&b"LigatusManager"[..])
        );
        assert_eq!(
            required_literal(r"(?:.*\.)?wxapi\.WX(?:Pay)?EntryActivity").as_deref(),
            Some(&b"EntryActivity"[..])
        );
        assert_eq!(required_literal("a|b"), None);
        assert_eq!(required_literal("(?i)tealium"), None);
        let m = RegexMatcher::new(table(&[
            (r"(?:.*\.)?wxapi\.WX(?:Pay)?EntryActivity", 1),
            (r"(?:.*\.)?tealium(?:[.$].*)?", 2),
        ]));
        assert_eq!(m.find("com.x.wxapi.WXPayEntryActivity"), Some(1));
        assert_eq!(m.find("com.x.wxapi.WXEntryActivity"), Some(1));
        assert_eq!(m.find("com.tealium.Core"), Some(2));
        assert_eq!(m.find("com.example.Main"), None);
        // Screened out: the set was never compiled.
        let clean = RegexMatcher::new(table(&[(r"(?:.*\.)?tealium(?:[.$].*)?", 2)]));
        assert_eq!(clean.find("com.example.Main"), None);
        assert!(clean.set.get().is_none());
        // Past the NFA's share of checks the DFA answers, the same way.
        for i in 0..DFA_AFTER + 10 {
            assert_eq!(m.find(&format!("com.example.C{i}")), None);
        }
        assert!(m.screen.get().is_some_and(|s| s.dfa.get().is_some()));
        assert_eq!(m.find("com.x.wxapi.WXPayEntryActivity"), Some(1));
        assert_eq!(m.find("com.tealium.Core"), Some(2));
        // A pattern without a required literal lets every name through to the set.
        let open = RegexMatcher::new(table(&[("x|y", 1), ("tealium", 2)]));
        assert_eq!(open.find("y"), Some(1));
    }

    #[test]
    fn raw_prefixes_longest() {
        let m = RawPrefixMatcher::new(table(&[("UMConf", 1), ("UMConfigure", 2), ("UMConf", 0)]));
        assert_eq!(m.find("UMConfigureX"), Some(2));
        assert_eq!(m.find("UMConfX"), Some(0));
        assert_eq!(m.find("UMCon"), None);
    }
}
