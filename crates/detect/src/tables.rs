//! The lookup tables detection runs on, derived from the signature definitions: every
//! identifier (class prefix, framework, meta-data key, symbol, domain, permission name, API
//! class, ...) paired with the index of its definition, sorted by key.
//!
//! Like `format.rs`, this file is also compiled into `build.rs`, which computes the tables of
//! the embedded database at build time and writes them out as Rust statics: a process then
//! starts with its tables ready, borrowed from the binary (`Cow::Borrowed`), and builds nothing.
//! A database loaded at run time (`--signatures DIR`) gets the same tables, owned. It must depend
//! on nothing but `format.rs`.

use crate::format::{ApiFile, PackerFile, PermissionFile, SdkDef};
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// A key: borrowed from the binary for the embedded database, owned otherwise.
pub type Str = Cow<'static, str>;

/// (key, value) pairs sorted by key then value, without duplicate pairs: the values of a key
/// are a contiguous run, lowest first (for SDK tables, the lowest SDK index, i.e. the first
/// definition by id, is what a single-valued lookup returns).
#[derive(Debug, Default)]
pub struct Table<V: Clone + 'static> {
    pub entries: Cow<'static, [(Str, V)]>,
    /// Key hash → index of the key's first entry, built once a table has been searched often
    /// (a large package looks up hundreds of thousands of names, and binary search costs a
    /// dozen string compares each; a small one looks up a few dozen, less than the build).
    index: OnceLock<HashMap<u64, u32, BuildHasherDefault<Prehashed>>>,
    searches: AtomicU32,
}

/// Binary searches before a table builds its hash index.
const INDEX_AFTER: u32 = 2048;

impl<V: Clone + 'static> Clone for Table<V> {
    fn clone(&self) -> Self {
        Table {
            entries: self.entries.clone(),
            index: self.index.clone(),
            searches: AtomicU32::new(self.searches.load(Ordering::Relaxed)),
        }
    }
}

impl<V: Clone + PartialEq + 'static> PartialEq for Table<V> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl<V: Clone + Eq + 'static> Eq for Table<V> {}

/// The hasher of an index whose keys are already hashes.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The hash of a key (foldhash, fixed seed: the index holds only the database's own keys, and
/// a package's name that collides with one is settled by binary search).
fn hash_key(key: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x6170_7076_6574).hash_one(key)
}

impl<V: Clone + 'static> Table<V> {
    /// A table over entries already sorted by (key, value) without duplicates (the statics
    /// `build.rs` writes).
    pub const fn sorted(entries: &'static [(Str, V)]) -> Table<V> {
        Table {
            entries: Cow::Borrowed(entries),
            index: OnceLock::new(),
            searches: AtomicU32::new(0),
        }
    }
}

impl<V: Clone + Ord + 'static> Table<V> {
    pub fn from_pairs(mut pairs: Vec<(String, V)>) -> Table<V> {
        pairs.sort();
        pairs.dedup();
        Table {
            entries: Cow::Owned(pairs.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect()),
            index: OnceLock::new(),
            searches: AtomicU32::new(0),
        }
    }
}

impl<V: Clone + 'static> Table<V> {
    /// Where the run of `key` starts, if the key is present.
    fn start(&self, key: &str) -> Option<usize> {
        let e: &[(Str, V)] = &self.entries;
        let search = || {
            let lo = e.partition_point(|(k, _)| k.as_ref() < key);
            e.get(lo).filter(|(k, _)| k.as_ref() == key).map(|_| lo)
        };
        if self.index.get().is_none()
            && (e.len() < 16 || self.searches.fetch_add(1, Ordering::Relaxed) < INDEX_AFTER)
        {
            return search();
        }
        let index = self.index.get_or_init(|| {
            let mut m = HashMap::with_capacity_and_hasher(e.len(), Default::default());
            for (i, (k, _)) in e.iter().enumerate() {
                // The first entry of each key; a key whose hash another key already took is
                // found by binary search below.
                m.entry(hash_key(k)).or_insert(i as u32);
            }
            m
        });
        let i = *index.get(&hash_key(key))? as usize;
        match e.get(i) {
            Some((k, _)) if k.as_ref() == key => Some(i),
            // Hash collision: search properly.
            _ => search(),
        }
    }

    /// Every value of `key`, lowest first.
    pub fn all(&self, key: &str) -> &[(Str, V)] {
        let e: &[(Str, V)] = &self.entries;
        let Some(lo) = self.start(key) else {
            return &[];
        };
        let n = e
            .get(lo..)
            .map(|rest| rest.partition_point(|(k, _)| k.as_ref() == key))
            .unwrap_or(0);
        e.get(lo..lo + n).unwrap_or(&[])
    }

    /// Every value of `key`, lowest first.
    pub fn values(&self, key: &str) -> impl Iterator<Item = &V> {
        self.all(key).iter().map(|(_, v)| v)
    }

    /// The first (lowest) value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.all(key).first().map(|(_, v)| v)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Every table of a database. Values are indices into the database's lists (SDKs, permission
/// catalogue, API catalogue, packers, code-loading entries).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tables {
    /// Android package prefixes (boundary rule: see `matcher::PrefixMatcher`).
    pub classes: Table<usize>,
    /// Android class regexes (full match).
    pub class_regex: Table<usize>,
    /// Android component name prefixes.
    pub components: Table<usize>,
    /// Native library names: exact, and `re:` regexes (prefix stripped) apart.
    pub native_libs: Table<usize>,
    pub native_lib_regex: Table<usize>,
    pub metadata: Table<usize>,
    pub frameworks: Table<usize>,
    pub objc_classes: Table<usize>,
    /// Objective-C class prefixes (no boundary rule).
    pub objc_prefixes: Table<usize>,
    pub swift_modules: Table<usize>,
    /// C / Swift symbols, without the leading underscore.
    pub symbols: Table<usize>,
    pub plist_keys: Table<usize>,
    /// SKAdNetwork ids, lower case.
    pub skadnetwork: Table<usize>,
    /// Registrable domains, lower case.
    pub domains: Table<usize>,
    /// Permission / usage key / entitlement name → (0 Android, 1 iOS usage key, 2 iOS
    /// entitlement, 3 mini-program, 4 HarmonyOS; index in that list).
    pub permissions: Table<(u8, usize)>,
    /// Android API class → (method, or "" for any method; API index).
    pub android_apis: Table<(Str, usize)>,
    pub ios_selectors: Table<usize>,
    pub ios_symbols: Table<usize>,
    /// iOS API classes that count on their own (APIs without selectors or symbols).
    pub ios_api_classes: Table<usize>,
    pub packer_classes: Table<usize>,
    pub packer_libs: Table<usize>,
    pub packer_lib_regex: Table<usize>,
    pub packer_files: Table<usize>,
    pub packer_file_regex: Table<usize>,
    /// Code-loading class → (method, or "" for any; entry index).
    pub code_loading: Table<(Str, usize)>,
    /// Mini-program plugin provider app id → SDK.
    pub wechat_plugins: Table<usize>,
    /// Mini-program npm package name → SDK.
    pub npm_packages: Table<usize>,
    /// `wx.*` function that is an SDK's entry point → SDK.
    pub wechat_sdk_apis: Table<usize>,
    /// HarmonyOS ohpm package name → SDK.
    pub ohpm_packages: Table<usize>,
    /// `wx.*` function → mini-program API index.
    pub wechat_apis: Table<usize>,
    /// WXML `open-type` → mini-program API index.
    pub wechat_open_types: Table<usize>,
    /// HarmonyOS module name → HarmonyOS API index.
    pub harmony_apis: Table<usize>,
}

/// A value as a Rust expression (for the statics `build.rs` writes; the library itself only
/// reads the result).
#[allow(dead_code)]
pub trait Literal {
    fn literal(&self) -> String;
}

impl Literal for usize {
    fn literal(&self) -> String {
        format!("{self}")
    }
}

impl Literal for (u8, usize) {
    fn literal(&self) -> String {
        format!("({}, {})", self.0, self.1)
    }
}

impl Literal for (Str, usize) {
    fn literal(&self) -> String {
        format!("(std::borrow::Cow::Borrowed({:?}), {})", self.0, self.1)
    }
}

#[allow(dead_code)]
impl<V: Clone + Literal + 'static> Table<V> {
    /// The table as a Rust expression borrowing static data.
    pub fn literal(&self) -> String {
        let mut out = String::from("crate::tables::Table::sorted(&[");
        for (k, v) in self.entries.iter() {
            out.push_str(&format!(
                "(std::borrow::Cow::Borrowed({k:?}), {}),",
                v.literal()
            ));
        }
        out.push_str("])");
        out
    }
}

macro_rules! tables_literal {
    ($t:expr; $($field:ident),* $(,)?) => {{
        // Every field, or this does not compile: a field added to `Tables` must be added here.
        let Tables { $($field: _),* } = $t;
        let mut out = String::from("crate::tables::Tables {\n");
        $(out.push_str(&format!("    {}: {},\n", stringify!($field), $t.$field.literal()));)*
        out.push('}');
        out
    }};
}

#[allow(dead_code)]
impl Tables {
    /// The tables as a Rust expression borrowing static data (what `build.rs` embeds).
    pub fn literal(&self) -> String {
        tables_literal!(self;
            classes, class_regex, components, native_libs, native_lib_regex, metadata,
            frameworks, objc_classes, objc_prefixes, swift_modules, symbols, plist_keys,
            skadnetwork, domains, permissions, android_apis, ios_selectors, ios_symbols,
            ios_api_classes, packer_classes, packer_libs, packer_lib_regex, packer_files,
            packer_file_regex, code_loading, wechat_plugins, npm_packages, wechat_sdk_apis,
            ohpm_packages, wechat_apis, wechat_open_types, harmony_apis,
        )
    }
}

/// Exact names and `re:` patterns, apart.
fn split_names<'a>(
    names: impl Iterator<Item = (&'a String, usize)>,
    exact: &mut Vec<(String, usize)>,
    regex: &mut Vec<(String, usize)>,
) {
    for (n, i) in names {
        match n.strip_prefix("re:") {
            Some(r) => regex.push((r.to_string(), i)),
            None => exact.push((n.clone(), i)),
        }
    }
}

/// (class, method or "") pairs of a class with its method list (empty: any method).
fn class_methods(class: &str, methods: &[String], i: usize, out: &mut Vec<(String, (Str, usize))>) {
    if methods.is_empty() {
        out.push((class.to_string(), (Cow::Borrowed(""), i)));
    }
    for m in methods {
        out.push((class.to_string(), (Cow::Owned(m.clone()), i)));
    }
}

/// Compute every table from the definitions (SDKs sorted by id).
pub fn compute(
    sdks: &[SdkDef],
    permissions: &PermissionFile,
    apis: &ApiFile,
    packers: &PackerFile,
) -> Tables {
    type Pairs = Vec<(String, usize)>;
    let (mut classes, mut class_regex, mut components): (Pairs, Pairs, Pairs) = Default::default();
    let (mut native, mut native_re, mut metadata): (Pairs, Pairs, Pairs) = Default::default();
    let (mut frameworks, mut objc_classes, mut objc_prefixes): (Pairs, Pairs, Pairs) =
        Default::default();
    let (mut swift, mut symbols, mut plist_keys): (Pairs, Pairs, Pairs) = Default::default();
    let (mut skad, mut domains): (Pairs, Pairs) = Default::default();
    let (mut wx_plugins, mut npm, mut wx_sdk_apis, mut ohpm): (Pairs, Pairs, Pairs, Pairs) =
        Default::default();
    for (i, s) in sdks.iter().enumerate() {
        wx_plugins.extend(s.wechat.plugins.iter().map(|x| (x.clone(), i)));
        npm.extend(s.wechat.npm.iter().map(|x| (x.clone(), i)));
        wx_sdk_apis.extend(s.wechat.apis.iter().map(|x| (x.clone(), i)));
        ohpm.extend(s.harmonyos.ohpm.iter().map(|x| (x.clone(), i)));
        let a = &s.android;
        let with = |v: &[String]| v.iter().map(move |x| (x.clone(), i)).collect::<Vec<_>>();
        classes.extend(with(&a.packages).into_iter().filter(|(p, _)| !p.is_empty()));
        class_regex.extend(with(&a.class_regex));
        components.extend(
            with(&a.components)
                .into_iter()
                .filter(|(p, _)| !p.is_empty()),
        );
        split_names(
            a.native_libs.iter().map(|n| (n, i)),
            &mut native,
            &mut native_re,
        );
        metadata.extend(with(&a.metadata));
        let io = &s.ios;
        frameworks.extend(with(&io.frameworks));
        objc_classes.extend(with(&io.classes));
        objc_prefixes.extend(with(&io.class_prefixes));
        swift.extend(with(&io.swift_modules));
        symbols.extend(
            io.symbols
                .iter()
                .map(|k| (k.trim_start_matches('_').to_string(), i)),
        );
        plist_keys.extend(with(&io.plist_keys));
        skad.extend(
            io.skadnetwork_ids
                .iter()
                .map(|k| (k.to_ascii_lowercase(), i)),
        );
        domains.extend(
            s.network
                .domains
                .iter()
                .map(|d| (d.to_ascii_lowercase(), i)),
        );
    }
    let mut perms = Vec::new();
    for (kind, list) in [
        (0u8, &permissions.android),
        (1, &permissions.ios_usage),
        (2, &permissions.ios_entitlement),
        (3, &permissions.wechat),
        (4, &permissions.harmonyos),
    ] {
        perms.extend(
            list.iter()
                .enumerate()
                .map(|(i, d)| (d.name.clone(), (kind, i))),
        );
    }
    let mut android_apis = Vec::new();
    for (i, d) in apis.android.iter().enumerate() {
        class_methods(&d.class, &d.methods, i, &mut android_apis);
    }
    let (mut sel, mut sym, mut api_classes): (Pairs, Pairs, Pairs) = Default::default();
    for (i, d) in apis.ios.iter().enumerate() {
        if d.selectors.is_empty() && d.symbols.is_empty() {
            api_classes.extend(d.classes.iter().map(|c| (c.clone(), i)));
        }
        sel.extend(d.selectors.iter().map(|s| (s.clone(), i)));
        sym.extend(
            d.symbols
                .iter()
                .map(|s| (s.trim_start_matches('_').to_string(), i)),
        );
    }
    let (mut pclasses, mut plibs, mut plibs_re): (Pairs, Pairs, Pairs) = Default::default();
    let (mut pfiles, mut pfiles_re): (Pairs, Pairs) = Default::default();
    for (i, d) in packers.packer.iter().enumerate() {
        pclasses.extend(
            d.classes
                .iter()
                .filter(|c| !c.is_empty())
                .map(|c| (c.clone(), i)),
        );
        split_names(
            d.native_libs.iter().map(|n| (n, i)),
            &mut plibs,
            &mut plibs_re,
        );
        split_names(d.files.iter().map(|n| (n, i)), &mut pfiles, &mut pfiles_re);
    }
    let (mut wx_apis, mut wx_open, mut hm_apis): (Pairs, Pairs, Pairs) = Default::default();
    for (i, d) in apis.wechat.iter().enumerate() {
        wx_apis.extend(d.functions.iter().map(|f| (f.clone(), i)));
        wx_open.extend(d.open_types.iter().map(|f| (f.clone(), i)));
    }
    for (i, d) in apis.harmonyos.iter().enumerate() {
        hm_apis.extend(d.modules.iter().map(|m| (m.clone(), i)));
    }
    let mut code_loading = Vec::new();
    for (i, d) in packers.code_loading.iter().enumerate() {
        class_methods(&d.class, &d.methods, i, &mut code_loading);
    }
    Tables {
        classes: Table::from_pairs(classes),
        class_regex: Table::from_pairs(class_regex),
        components: Table::from_pairs(components),
        native_libs: Table::from_pairs(native),
        native_lib_regex: Table::from_pairs(native_re),
        metadata: Table::from_pairs(metadata),
        frameworks: Table::from_pairs(frameworks),
        objc_classes: Table::from_pairs(objc_classes),
        objc_prefixes: Table::from_pairs(objc_prefixes),
        swift_modules: Table::from_pairs(swift),
        symbols: Table::from_pairs(symbols),
        plist_keys: Table::from_pairs(plist_keys),
        skadnetwork: Table::from_pairs(skad),
        domains: Table::from_pairs(domains),
        permissions: Table::from_pairs(perms),
        android_apis: Table::from_pairs(android_apis),
        ios_selectors: Table::from_pairs(sel),
        ios_symbols: Table::from_pairs(sym),
        ios_api_classes: Table::from_pairs(api_classes),
        packer_classes: Table::from_pairs(pclasses),
        packer_libs: Table::from_pairs(plibs),
        packer_lib_regex: Table::from_pairs(plibs_re),
        packer_files: Table::from_pairs(pfiles),
        packer_file_regex: Table::from_pairs(pfiles_re),
        code_loading: Table::from_pairs(code_loading),
        wechat_plugins: Table::from_pairs(wx_plugins),
        npm_packages: Table::from_pairs(npm),
        wechat_sdk_apis: Table::from_pairs(wx_sdk_apis),
        ohpm_packages: Table::from_pairs(ohpm),
        wechat_apis: Table::from_pairs(wx_apis),
        wechat_open_types: Table::from_pairs(wx_open),
        harmony_apis: Table::from_pairs(hm_apis),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_agree_before_and_after_the_index() {
        let pairs: Vec<(String, usize)> = (0..3000)
            .flat_map(|i| [(format!("k{i}"), i), (format!("k{i}"), i + 1)])
            .collect();
        let t = Table::from_pairs(pairs);
        let probe = |t: &Table<usize>| -> Vec<Vec<usize>> {
            (0..3100)
                .map(|i| t.values(&format!("k{i}")).copied().collect())
                .collect()
        };
        let before = probe(&t); // binary search, then the index once searched enough
        assert!(t.index.get().is_some(), "index not built");
        let after = probe(&t);
        assert_eq!(before, after);
        assert_eq!(after[7], [7, 8]);
        assert!(after[3050].is_empty());
        assert_eq!(t.get("k42"), Some(&42));
        assert!(t.all("").is_empty() && t.all("k").is_empty());
    }
}
