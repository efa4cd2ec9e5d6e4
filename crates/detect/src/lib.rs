//! SDK and sensitive-capability detection over an [`Inventory`], driven by the signature data
//! in `signatures/` (embedded at build time, or loaded from a directory).
//!
//! ```text
//! PackageScan ─► detect(&scan, &Database) ─► Findings { sdks, permissions, apis, biometrics,
//!                                                       probes, protections, completeness }
//! ```
//!
//! * **SDKs** are matched by one anchored leftmost-longest Aho-Corasick automaton over dotted
//!   class names (prefix at a package boundary, the most specific prefix wins), a `RegexSet` for
//!   `class_regex`, and exact maps for components, meta-data keys, native libraries, frameworks,
//!   Objective-C classes, symbols, plist keys and SKAdNetwork ids, plus a domain-suffix matcher
//!   for hosts. Evidence is graded ([`Strength`]): classes the code *defines* are strong, types
//!   it only *references* are weak.
//! * **Sensitive APIs** (`apis.toml`) are method references (DEX) or selectors / symbols
//!   (Mach-O), attributed to the SDK, the app, or `unknown` through the calling class (DEX) or
//!   the binary's bundle (Mach-O).
//! * **Protections** (`packers.toml`): packers by stub libraries and classes, runtime code
//!   loading, embedded dex/jar files, encrypted binaries. Any of them makes
//!   [`Completeness::complete`] false: "results incomplete", never a clean pass.
//! * **Probes**: class names of known SDKs that occur only inside string constants.
//!
//! The database is built once ([`Database::embedded`] is a process-wide `LazyLock`) and is
//! `Sync`; [`detect`] takes it by reference and can run on many threads.

#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

mod db;
pub mod exodus;
pub mod format;
mod matcher;
mod tables;

pub use db::{
    synthetic_class, Database, LoadError, Problem, Severity, BIOMETRIC_MODALITIES,
    CAPABILITY_CATEGORIES, GENERIC_NAMESPACES, PERMISSION_LEVELS, PI_CATEGORIES, PLATFORM_ROOTS,
    SDK_CATEGORIES,
};

use appvet_model::{
    ApiFinding, Attribution, BiometricFinding, BiometricSource, ClassNameString, CodeFormat,
    CodeUnit, Completeness, Evidence, EvidenceKind, FileKind, Findings, IncompleteReason,
    Inventory, Location, ModuleKind, PackageScan, PermissionFinding, PermissionKind, ProbeFinding,
    ProtectionFinding, ProtectionKind, SdkFinding, Strength,
};
use std::collections::{BTreeMap, BTreeSet};
// foldhash: fast on the many names of a large package, and randomly seeded (package-controlled
// names cannot be crafted to collide).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
use tables::Str;

/// An entry of a class → (method, index) table (Android APIs, code loading).
type MethodEntry = (Str, (Str, usize));

/// Evidence items kept per SDK and kind (all are counted).
pub const EVIDENCE_PER_KIND: usize = 5;
/// Attributions kept per API finding (all are counted).
pub const CALLERS_PER_API: usize = 50;

/// Detect SDKs, sensitive APIs, permissions, biometrics and protections in a scanned package.
pub fn detect(scan: &PackageScan, db: &Database) -> Findings {
    detect_with_strings(scan, db, &scan.inventory.class_strings)
}

/// [`detect`], plus string constants that look like class names (for reflection probes): the
/// Inventory does not carry them yet.
pub fn detect_with_strings(
    scan: &PackageScan,
    db: &Database,
    strings: &[ClassNameString],
) -> Findings {
    let inv = &scan.inventory;
    let mut d = Detector {
        db,
        inv,
        sdks: BTreeMap::new(),
        app_prefixes: Vec::new(),
    };
    d.app_prefixes = app_prefixes(scan, db);
    d.code();
    d.manifest();
    let sdks = d.sdk_findings();
    let permissions = permissions(inv, db);
    let (apis, code_loading) = d.apis();
    let probes = probes(inv, db, strings);
    let protections = protections(inv, db, code_loading);
    let biometrics = biometrics(&permissions, &apis, &sdks);
    let completeness = completeness(inv, &protections);
    Findings {
        database: db.info(),
        sdks,
        permissions,
        apis,
        biometrics,
        probes,
        protections,
        completeness,
    }
}

/// Runtime code loading: code_loading index → (attribution, method-ref location).
type CodeLoadingHits = BTreeMap<usize, Vec<(Attribution, Location)>>;

#[derive(Default)]
struct SdkAcc {
    kinds: BTreeMap<EvidenceKind, (u64, Vec<Evidence>)>,
}

struct Detector<'a> {
    db: &'a Database,
    inv: &'a Inventory,
    sdks: BTreeMap<usize, SdkAcc>,
    app_prefixes: Vec<String>,
}

impl Detector<'_> {
    fn add(
        &mut self,
        sdk: usize,
        kind: EvidenceKind,
        value: &str,
        location: impl FnOnce() -> Location,
    ) {
        let acc = self.sdks.entry(sdk).or_default();
        let (n, list) = acc.kinds.entry(kind).or_default();
        *n += 1;
        if list.len() < EVIDENCE_PER_KIND {
            list.push(Evidence {
                kind,
                value: value.to_string(),
                location: location(),
            });
        }
    }

    fn code(&mut self) {
        let inv = self.inv;
        for unit in &inv.code {
            match unit.format {
                CodeFormat::Dex => self.dex_unit(unit),
                CodeFormat::Macho => self.macho_unit(unit),
                CodeFormat::Js | CodeFormat::Abc => self.script_unit(unit),
            }
        }
    }

    fn dex_unit(&mut self, unit: &CodeUnit) {
        let db = self.db;
        for c in &unit.classes_defined {
            if let Some(i) = db.class_sdk(&c.name) {
                self.add(i, EvidenceKind::ClassDefined, &c.name, || {
                    unit.location.clone().with_index(c.index)
                });
            }
        }
        for t in &unit.types_referenced {
            if let Some(i) = db.class_sdk(&t.name) {
                self.add(i, EvidenceKind::TypeReferenced, &t.name, || {
                    unit.location.clone().with_index(t.index)
                });
            }
        }
    }

    /// Mini-program JavaScript: `wx.*` calls that are an SDK's own entry points (WeChat's ad
    /// components). Ark bytecode: SDKs show through `modules` (ohpm packages) and domains.
    fn script_unit(&mut self, unit: &CodeUnit) {
        if unit.format != CodeFormat::Js {
            return;
        }
        let db = self.db;
        for m in unit.methods.iter().filter(|m| m.class == "wx") {
            for &i in db.m.wechat_sdk_apis.values(m.name) {
                let value = format!("wx.{}", m.name);
                self.add(i, EvidenceKind::ApiCall, &value, || {
                    script_location(unit, &m)
                });
            }
        }
    }

    fn macho_unit(&mut self, unit: &CodeUnit) {
        let db = self.db;
        for c in &unit.classes_defined {
            let hit =
                db.m.objc_classes
                    .get(&c.name)
                    .copied()
                    .or_else(|| db.m.objc_prefixes.find(&c.name));
            if let Some(i) = hit {
                self.add(i, EvidenceKind::ObjcClass, &c.name, || {
                    unit.location.clone().with_index(c.index)
                });
            } else if let Some(i) =
                swift_module_of_class(&c.name).and_then(|m| db.m.swift_modules.get(m))
            {
                self.add(*i, EvidenceKind::SwiftModule, &c.name, || {
                    unit.location.clone().with_index(c.index)
                });
            }
        }
        for t in &unit.types_referenced {
            let hit =
                db.m.objc_classes
                    .get(&t.name)
                    .copied()
                    .or_else(|| db.m.objc_prefixes.find(&t.name));
            if let Some(i) = hit {
                self.add(i, EvidenceKind::TypeReferenced, &t.name, || {
                    unit.location.clone().with_index(t.index)
                });
            }
        }
        if let Some(b) = &unit.bundle {
            if let Some(name) = framework_name(b) {
                if let Some(&i) = db.m.frameworks.get(name) {
                    self.add(i, EvidenceKind::Framework, name, || unit.location.clone());
                }
            }
        }
        for l in &unit.linked_libraries {
            let name = l.path.rsplit('/').next().unwrap_or(&l.path);
            let name = name.strip_suffix(".dylib").unwrap_or(name);
            let name = name
                .strip_prefix("lib")
                .filter(|_| l.path.ends_with(".dylib"))
                .unwrap_or(name);
            if let Some(&i) = db.m.frameworks.get(name) {
                self.add(i, EvidenceKind::Framework, &l.path, || {
                    unit.location.clone()
                });
            }
        }
        for s in unit.imported_symbols.iter().chain(&unit.exported_symbols) {
            let bare = s.trim_start_matches('_');
            for &i in db.m.symbols.values(bare) {
                self.add(i, EvidenceKind::Symbol, s, || unit.location.clone());
            }
        }
        for s in &unit.exported_symbols {
            if let Some(&i) = swift_module_of_symbol(s).and_then(|m| db.m.swift_modules.get(m)) {
                self.add(i, EvidenceKind::SwiftModule, s, || unit.location.clone());
            }
        }
    }

    fn manifest(&mut self) {
        let db = self.db;
        let inv = self.inv;
        for c in &inv.components {
            let hit =
                db.m.components
                    .find(&c.name)
                    .or_else(|| db.class_sdk(&c.name));
            if let Some(i) = hit {
                self.add(i, EvidenceKind::Component, &c.name, || c.location.clone());
            }
        }
        for m in &inv.metadata {
            for &i in db.m.metadata.values(&m.name) {
                self.add(i, EvidenceKind::Metadata, &m.name, || m.location.clone());
            }
            for &i in db.m.plist_keys.values(&m.name) {
                self.add(i, EvidenceKind::PlistKey, &m.name, || m.location.clone());
            }
        }
        for n in &inv.native_libs {
            for i in db.m.native_libs.find_all(&n.name) {
                self.add(i, EvidenceKind::NativeLib, &n.name, || n.location.clone());
            }
        }
        for f in inv
            .files
            .iter()
            .filter(|f| f.kind == FileKind::EmbeddedNative)
        {
            let name = f.path.rsplit('/').next().unwrap_or(&f.path);
            for i in db.m.native_libs.find_all(name) {
                self.add(i, EvidenceKind::NativeLib, &f.path, || f.location.clone());
            }
        }
        for b in &inv.bundles {
            if let Some(name) = framework_name(&b.path) {
                if let Some(&i) = db.m.frameworks.get(name) {
                    self.add(i, EvidenceKind::Framework, &b.path, || b.location.clone());
                }
            }
        }
        for a in &inv.ad_network_ids {
            for &i in db.m.skadnetwork.values(&a.id.to_ascii_lowercase()) {
                self.add(i, EvidenceKind::SkadnetworkId, &a.id, || a.location.clone());
            }
        }
        for m in &inv.modules {
            let (table, kind) = match m.kind {
                ModuleKind::WechatPlugin => (&db.m.wechat_plugins, EvidenceKind::Plugin),
                ModuleKind::Npm => (&db.m.npm_packages, EvidenceKind::Package),
                ModuleKind::Ohpm => (&db.m.ohpm_packages, EvidenceKind::Package),
            };
            for &i in table.values(&m.id) {
                self.add(i, kind, &m.id, || m.location.clone());
            }
        }
        for u in &inv.urls {
            for i in db.m.domains.find(&u.host) {
                self.add(i, EvidenceKind::Domain, &u.host, || u.location.clone());
            }
        }
        for p in &inv.privacy_manifests {
            for h in &p.tracking_domains {
                let host = h.to_ascii_lowercase();
                for i in db.m.domains.find(&host) {
                    self.add(i, EvidenceKind::Domain, h, || p.location.clone());
                }
            }
        }
    }

    fn sdk_findings(&mut self) -> Vec<SdkFinding> {
        let mut out = Vec::new();
        for (&i, acc) in &self.sdks {
            let Some(s) = self.db.sdks.get(i) else {
                continue;
            };
            let mut kinds: Vec<(&EvidenceKind, &(u64, Vec<Evidence>))> = acc.kinds.iter().collect();
            kinds.sort_by_key(|(k, _)| (std::cmp::Reverse(k.strength()), **k));
            let strength = kinds
                .first()
                .map(|(k, _)| k.strength())
                .unwrap_or(Strength::Weak);
            out.push(SdkFinding {
                id: s.id.clone(),
                name: s.name.clone(),
                name_zh: s.name_zh.clone(),
                vendor: s.vendor.clone(),
                region: s.region.clone(),
                categories: s.categories.clone(),
                collects: s.collects.clone(),
                strength,
                evidence: kinds
                    .iter()
                    .flat_map(|(_, (_, l))| l.iter().cloned())
                    .collect(),
                evidence_counts: kinds.iter().map(|(k, (n, _))| (**k, *n)).collect(),
            });
        }
        // `db.sdks` is sorted by id, and BTreeMap iterates indices in order: sorted by id.
        out
    }

    /// Who a calling class belongs to: (by, by_name).
    fn attribute_class(&self, class: &str) -> (String, Option<String>) {
        if let Some(s) = self.db.sdk_for_class(class) {
            return (s.id.clone(), Some(s.name.clone()));
        }
        if self.app_prefixes.iter().any(|p| under_prefix(class, p)) {
            return ("app".into(), None);
        }
        ("unknown".into(), None)
    }

    /// Who a mini-program module (`miniprogram_npm/umtrack-wx/index.js`) or an Ark record
    /// (`&@umeng/analytics/src/main/ets/index&1.1.0`) belongs to: the SDK whose npm / ohpm
    /// package it is part of, else the app.
    fn attribute_module(&self, caller: &str) -> (String, Option<String>) {
        for name in package_names_in(caller) {
            let hit = self
                .db
                .m
                .npm_packages
                .get(name)
                .or_else(|| self.db.m.ohpm_packages.get(name))
                .and_then(|&i| self.db.sdks.get(i));
            if let Some(s) = hit {
                return (s.id.clone(), Some(s.name.clone()));
            }
        }
        if caller.contains("miniprogram_npm/") || caller.contains("node_modules/") {
            return ("unknown".into(), None);
        }
        ("app".into(), None)
    }

    fn attribute_bundle(&self, unit: &CodeUnit) -> (String, Option<String>, String) {
        let bundle = unit
            .bundle
            .clone()
            .unwrap_or_else(|| unit.location.entry.clone());
        if let Some(name) = framework_name(&bundle) {
            if let Some(s) = self
                .db
                .m
                .frameworks
                .get(name)
                .and_then(|&i| self.db.sdks.get(i))
            {
                return (s.id.clone(), Some(s.name.clone()), bundle);
            }
            return ("unknown".into(), None, bundle);
        }
        let is_app = self
            .inv
            .bundles
            .iter()
            .any(|b| b.path == bundle && b.kind == "app")
            || bundle.ends_with(".app");
        if is_app {
            ("app".into(), None, bundle)
        } else {
            ("unknown".into(), None, bundle)
        }
    }

    /// Sensitive API findings, and runtime code loading attributions per code_loading index.
    fn apis(&self) -> (Vec<ApiFinding>, CodeLoadingHits) {
        let db = self.db;
        let mut hits: BTreeMap<(u8, usize), BTreeSet<Attribution>> = BTreeMap::new();
        let mut loading: BTreeMap<usize, BTreeSet<(Attribution, Location)>> = BTreeMap::new();
        for unit in &self.inv.code {
            match unit.format {
                CodeFormat::Dex => {
                    let mut names: Option<HashMap<u32, &str>> = None;
                    // DEX method references come sorted by class: look each class up once.
                    let mut last: Option<(&str, &[MethodEntry], &[MethodEntry])> = None;
                    for m in unit.methods.iter() {
                        let (api_hits, load_hits) = match last {
                            Some((c, a, l)) if c == m.class => (a, l),
                            _ => {
                                let a = db.m.android_apis.all(m.class);
                                let l = db.m.code_loading.all(m.class);
                                last = Some((m.class, a, l));
                                (a, l)
                            }
                        };
                        if api_hits.is_empty() && load_hits.is_empty() {
                            continue;
                        }
                        let matches = |v: &[MethodEntry]| -> Vec<usize> {
                            let mut out: Vec<usize> = v
                                .iter()
                                .filter(|(_, (n, _))| n.is_empty() || **n == *m.name)
                                .map(|(_, (_, i))| *i)
                                .collect();
                            out.sort_unstable();
                            out.dedup();
                            out
                        };
                        let api_idx = matches(api_hits);
                        let load_idx = matches(load_hits);
                        if api_idx.is_empty() && load_idx.is_empty() {
                            continue;
                        }
                        let names = names.get_or_insert_with(|| {
                            unit.classes_defined
                                .iter()
                                .map(|c| (c.index, &*c.name))
                                .collect()
                        });
                        let api = format!("{}.{}", m.class, m.name);
                        let mut atts = Vec::new();
                        for c in m.callers {
                            let caller = names.get(c).copied().unwrap_or("?");
                            let (by, by_name) = self.attribute_class(caller);
                            atts.push(Attribution {
                                by,
                                by_name,
                                caller: caller.to_string(),
                                api: api.clone(),
                                location: unit.location.clone().with_index(*c),
                            });
                        }
                        if atts.is_empty() {
                            atts.push(Attribution {
                                by: "unknown".into(),
                                by_name: None,
                                caller: "(referenced, no call found)".into(),
                                api: api.clone(),
                                location: unit.location.clone().with_index(m.index),
                            });
                        }
                        for i in api_idx {
                            hits.entry((0, i)).or_default().extend(atts.iter().cloned());
                        }
                        for i in load_idx {
                            let loc = unit.location.clone().with_index(m.index);
                            loading
                                .entry(i)
                                .or_default()
                                .extend(atts.iter().cloned().map(|a| (a, loc.clone())));
                        }
                    }
                }
                CodeFormat::Macho => {
                    let mut found: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
                    let classes: HashSet<&str> = unit
                        .types_referenced
                        .iter()
                        .chain(&unit.classes_defined)
                        .map(|n| &*n.name)
                        .chain(
                            unit.imported_symbols
                                .iter()
                                .filter_map(|s| s.strip_prefix("_OBJC_CLASS_$_")),
                        )
                        .collect();
                    for s in &unit.selectors {
                        for &i in db.m.ios_selectors.values(s) {
                            let ok = db.apis.ios.get(i).is_some_and(|d| {
                                d.classes.is_empty()
                                    || d.classes.iter().any(|c| classes.contains(c.as_str()))
                            });
                            if ok {
                                found.entry(i).or_default().insert(s.clone());
                            }
                        }
                    }
                    for s in &unit.imported_symbols {
                        let bare = s.trim_start_matches('_');
                        for &i in db.m.ios_symbols.values(bare) {
                            found.entry(i).or_default().insert(s.clone());
                        }
                    }
                    for c in &classes {
                        for &i in db.m.ios_api_classes.values(c) {
                            found.entry(i).or_default().insert((*c).to_string());
                        }
                    }
                    if !found.is_empty() {
                        let (by, by_name, caller) = self.attribute_bundle(unit);
                        for (i, apis) in found {
                            for api in apis {
                                hits.entry((1, i)).or_default().insert(Attribution {
                                    by: by.clone(),
                                    by_name: by_name.clone(),
                                    caller: caller.clone(),
                                    api,
                                    location: unit.location.clone(),
                                });
                            }
                        }
                    }
                }
                CodeFormat::Js | CodeFormat::Abc => {
                    let names: HashMap<u32, &str> = unit
                        .classes_defined
                        .iter()
                        .map(|c| (c.index, &*c.name))
                        .collect();
                    for m in unit.methods.iter() {
                        let (platform, found): (u8, Vec<usize>) = match (unit.format, m.class) {
                            (CodeFormat::Js, "wx") => {
                                (2, db.m.wechat_apis.values(m.name).copied().collect())
                            }
                            (CodeFormat::Js, "wx-open-type") => {
                                (2, db.m.wechat_open_types.values(m.name).copied().collect())
                            }
                            (CodeFormat::Abc, module) => {
                                (3, db.m.harmony_apis.values(module).copied().collect())
                            }
                            _ => continue,
                        };
                        if found.is_empty() {
                            continue;
                        }
                        let api = match (unit.format, m.class) {
                            (CodeFormat::Js, "wx") => format!("wx.{}", m.name),
                            (CodeFormat::Js, _) => format!("open-type=\"{}\"", m.name),
                            _ if m.name.is_empty() => m.class.to_string(),
                            _ => format!("{}.{}", m.class, m.name),
                        };
                        let mut atts = Vec::new();
                        for c in m.callers {
                            let caller = names
                                .get(c)
                                .copied()
                                .unwrap_or(unit.location.entry.as_str());
                            let (by, by_name) = self.attribute_module(caller);
                            atts.push(Attribution {
                                by,
                                by_name,
                                caller: caller.to_string(),
                                api: api.clone(),
                                location: script_location(unit, &m).with_index(*c),
                            });
                        }
                        if atts.is_empty() {
                            let caller = unit.location.entry.clone();
                            let (by, by_name) = if unit.format == CodeFormat::Js {
                                self.attribute_module(&caller)
                            } else {
                                ("unknown".into(), None)
                            };
                            atts.push(Attribution {
                                by,
                                by_name,
                                caller,
                                api: api.clone(),
                                location: script_location(unit, &m),
                            });
                        }
                        for i in found {
                            hits.entry((platform, i))
                                .or_default()
                                .extend(atts.iter().cloned());
                        }
                    }
                }
            }
        }
        // Merge entries sharing an id (several classes for one capability).
        let mut by_id: BTreeMap<String, ApiFinding> = BTreeMap::new();
        for ((platform, i), atts) in hits {
            let head = match platform {
                0 => db.apis.android.get(i).map(|d| d.head()),
                1 => db.apis.ios.get(i).map(|d| d.head()),
                2 => db.apis.wechat.get(i).map(|d| d.head()),
                _ => db.apis.harmonyos.get(i).map(|d| d.head()),
            };
            let Some(h) = head else {
                continue;
            };
            let f = by_id.entry(h.id.to_string()).or_insert_with(|| ApiFinding {
                id: h.id.to_string(),
                what: h.what.to_string(),
                what_zh: h.what_zh.map(str::to_string),
                category: h.category.to_string(),
                biometric: h.biometric.map(str::to_string),
                required_reason: h.required_reason.map(str::to_string),
                callers: Vec::new(),
                callers_total: 0,
                by: Vec::new(),
            });
            f.callers.extend(atts);
        }
        let mut apis: Vec<ApiFinding> = by_id.into_values().collect();
        for f in &mut apis {
            f.callers.sort();
            f.callers.dedup();
            let by: BTreeSet<String> = f.callers.iter().map(|a| a.by.clone()).collect();
            f.by = by.into_iter().collect();
            f.callers_total = f.callers.len() as u64;
            f.callers.truncate(CALLERS_PER_API);
        }
        let loading = loading
            .into_iter()
            .map(|(i, s)| (i, s.into_iter().collect()))
            .collect();
        (apis, loading)
    }
}

/// Where a script-level API reference is: the unit's file, at the offset the parser recorded
/// in the reference's `index` (the byte offset of its first occurrence in the package).
fn script_location(unit: &CodeUnit, m: &appvet_model::MethodRef<'_>) -> Location {
    let mut l = unit.location.clone();
    l.offset = Some(u64::from(m.index));
    l
}

/// Package names a module path or Ark record name contains: after `miniprogram_npm/` or
/// `node_modules/` (`name` or `@scope/name`), and any `@scope/name` in an Ark record.
fn package_names_in(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for marker in ["miniprogram_npm/", "node_modules/"] {
        let mut rest = path;
        while let Some(p) = rest.find(marker) {
            let after = rest.get(p + marker.len()..).unwrap_or("");
            let mut parts = after.splitn(3, '/');
            let first = parts.next().unwrap_or("");
            let name_len = if first.starts_with('@') {
                parts
                    .next()
                    .map_or(first.len(), |n| first.len() + 1 + n.len())
            } else {
                first.len()
            };
            if let Some(n) = after.get(..name_len).filter(|n| !n.is_empty()) {
                out.push(n);
            }
            rest = after;
        }
    }
    // Ark records: `&@scope/name/path&version`, `@normalized:N&&@scope/name/...`.
    let mut rest = path;
    while let Some(p) = rest.find('@') {
        let after = rest.get(p..).unwrap_or("");
        let end = after
            .char_indices()
            .skip(1)
            .filter(|&(_, c)| c == '/')
            .nth(1)
            .map(|(i, _)| i)
            .or_else(|| after.find('&'))
            .unwrap_or(after.len());
        let cand = after.get(..end).unwrap_or("");
        let cand = cand.split('&').next().unwrap_or("");
        if cand.contains('/') {
            out.push(cand);
        }
        rest = after.get(1..).unwrap_or("");
    }
    out
}

/// `name` equals `prefix` or starts with `prefix.` / `prefix$`.
fn under_prefix(name: &str, prefix: &str) -> bool {
    match name.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('.') || rest.starts_with('$'),
        None => false,
    }
}

/// Namespaces of the app's own code: the package id, and the packages of the application class
/// and of manifest components that belong to no SDK and no platform namespace.
fn app_prefixes(scan: &PackageScan, db: &Database) -> Vec<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    if !scan.package.id.is_empty() {
        out.insert(scan.package.id.clone());
    }
    let inv = &scan.inventory;
    let names = inv
        .app
        .application_class
        .iter()
        .chain(inv.components.iter().map(|c| &c.name));
    for n in names {
        if db.class_sdk(n).is_some() || db.m.components.find(n).is_some() {
            continue;
        }
        let Some((pkg, _)) = n.rsplit_once('.') else {
            continue;
        };
        let root = pkg.split('.').next().unwrap_or("");
        if pkg.split('.').count() < 2
            || PLATFORM_ROOTS.contains(&root)
            || GENERIC_NAMESPACES.contains(&pkg)
        {
            continue;
        }
        out.insert(pkg.to_string());
    }
    out.into_iter().collect()
}

/// `Payload/X.app/Frameworks/UMCommon.framework` → `UMCommon`.
fn framework_name(path: &str) -> Option<&str> {
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    last.strip_suffix(".framework")
}

/// `_TtC9Alamofire7Session` → `Alamofire`; `Alamofire.Session` → `Alamofire`.
fn swift_module_of_class(name: &str) -> Option<&str> {
    if let Some(rest) = name.strip_prefix("_TtC") {
        return length_prefixed(rest);
    }
    let (module, _) = name.split_once('.')?;
    Some(module)
}

/// `$s9Alamofire7SessionC...` / `_$s...` → `Alamofire`.
fn swift_module_of_symbol(sym: &str) -> Option<&str> {
    let rest = sym.strip_prefix("_$s").or_else(|| sym.strip_prefix("$s"))?;
    length_prefixed(rest)
}

fn length_prefixed(s: &str) -> Option<&str> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let n: usize = s.get(..digits)?.parse().ok()?;
    if n == 0 || n > 128 {
        return None;
    }
    s.get(digits..digits.checked_add(n)?)
}

fn permissions(inv: &Inventory, db: &Database) -> Vec<PermissionFinding> {
    let mut out = Vec::new();
    let mut seen: HashSet<(&str, PermissionKind)> = HashSet::default();
    let lookup = |name: &str| -> Option<(PermissionKind, &format::PermissionDef)> {
        let &(kind, i) = db.m.permissions.get(name)?;
        let (k, list) = match kind {
            0 => (PermissionKind::AndroidPermission, &db.permissions.android),
            1 => (PermissionKind::IosUsageKey, &db.permissions.ios_usage),
            3 => (PermissionKind::WechatPermission, &db.permissions.wechat),
            4 => (
                PermissionKind::HarmonyosPermission,
                &db.permissions.harmonyos,
            ),
            _ => (
                PermissionKind::IosEntitlement,
                &db.permissions.ios_entitlement,
            ),
        };
        list.get(i).map(|d| (k, d))
    };
    let mut push = |name: &'_ str, location: &Location, want_entitlement: bool| {
        let Some((kind, d)) = lookup(name) else {
            return;
        };
        if (kind == PermissionKind::IosEntitlement) != want_entitlement {
            return;
        }
        if !seen.insert((d.name.as_str(), kind)) {
            return;
        }
        out.push(PermissionFinding {
            name: d.name.clone(),
            kind,
            category: d.category.clone(),
            level: d.level.clone(),
            biometric: d.biometric.clone(),
            what: d.what.clone(),
            what_zh: d.what_zh.clone(),
            location: location.clone(),
        });
    };
    for p in &inv.permissions {
        push(&p.name, &p.location, false);
    }
    for e in &inv.entitlements {
        if e.value == "false" || e.value == "[]" || e.value == "\"\"" {
            continue;
        }
        push(&e.key, &e.location, true);
    }
    out
}

fn probes(inv: &Inventory, db: &Database, strings: &[ClassNameString]) -> Vec<ProbeFinding> {
    if strings.is_empty() {
        return Vec::new();
    }
    let mut candidates: Vec<(&ClassNameString, usize)> = strings
        .iter()
        .filter_map(|s| db.class_sdk(&s.value).map(|i| (s, i)))
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    let present: HashSet<&str> = inv
        .code
        .iter()
        .flat_map(|u| u.classes_defined.iter().chain(&u.types_referenced))
        .map(|n| &*n.name)
        .chain(inv.components.iter().map(|c| c.name.as_str()))
        .collect();
    candidates.retain(|(s, _)| !present.contains(s.value.as_str()));
    let mut out: Vec<ProbeFinding> = candidates
        .into_iter()
        .filter_map(|(s, i)| {
            let sdk = db.sdks.get(i)?;
            Some(ProbeFinding {
                sdk: sdk.id.clone(),
                sdk_name: sdk.name.clone(),
                class: s.value.clone(),
                location: s.location.clone(),
            })
        })
        .collect();
    out.sort();
    out.dedup_by(|a, b| a.sdk == b.sdk && a.class == b.class);
    out
}

fn protections(
    inv: &Inventory,
    db: &Database,
    code_loading: CodeLoadingHits,
) -> Vec<ProtectionFinding> {
    let mut packers: BTreeMap<usize, Vec<Evidence>> = BTreeMap::new();
    let mut add = |i: usize, kind: EvidenceKind, value: &str, location: &Location| {
        let list = packers.entry(i).or_default();
        if list.len() < EVIDENCE_PER_KIND * 2
            && !list.iter().any(|e| e.value == value && e.kind == kind)
        {
            list.push(Evidence {
                kind,
                value: value.to_string(),
                location: location.clone(),
            });
        }
    };
    for n in &inv.native_libs {
        for i in db.m.packer_libs.find_all(&n.name) {
            add(i, EvidenceKind::NativeLib, &n.name, &n.location);
        }
    }
    for f in &inv.files {
        let name = f.path.rsplit('/').next().unwrap_or(&f.path);
        for i in db.m.packer_files.find_all(&f.path) {
            add(i, EvidenceKind::File, &f.path, &f.location);
        }
        if f.kind == FileKind::EmbeddedNative || f.kind == FileKind::Asset {
            for i in db.m.packer_libs.find_all(name) {
                add(i, EvidenceKind::File, &f.path, &f.location);
            }
        }
    }
    if !db.m.packer_classes.is_empty() {
        for u in inv.code.iter().filter(|u| u.format == CodeFormat::Dex) {
            for c in &u.classes_defined {
                if let Some(i) = db.m.packer_classes.find(&c.name) {
                    add(
                        i,
                        EvidenceKind::ClassDefined,
                        &c.name,
                        &u.location.clone().with_index(c.index),
                    );
                }
            }
        }
        if let Some(a) = &inv.app.application_class {
            if let Some(i) = db.m.packer_classes.find(a) {
                add(i, EvidenceKind::ApplicationClass, a, &inv.app.location);
            }
        }
        for c in &inv.components {
            if let Some(i) = db.m.packer_classes.find(&c.name) {
                add(i, EvidenceKind::Component, &c.name, &c.location);
            }
        }
    }
    let mut out = Vec::new();
    for (i, evidence) in packers {
        let Some(p) = db.packers.packer.get(i) else {
            continue;
        };
        out.push(ProtectionFinding {
            kind: ProtectionKind::Packer,
            id: p.id.clone(),
            name: p.name.clone(),
            name_zh: p.name_zh.clone(),
            vendor: Some(p.vendor.clone()),
            evidence,
            callers: Vec::new(),
        });
    }
    for (i, atts) in code_loading {
        let Some(d) = db.packers.code_loading.get(i) else {
            continue;
        };
        let mut evidence: Vec<Evidence> = Vec::new();
        for (a, loc) in &atts {
            if evidence.len() < EVIDENCE_PER_KIND && !evidence.iter().any(|e| e.value == a.api) {
                evidence.push(Evidence {
                    kind: EvidenceKind::MethodRef,
                    value: a.api.clone(),
                    location: loc.clone(),
                });
            }
        }
        let mut callers: Vec<Attribution> = atts.into_iter().map(|(a, _)| a).collect();
        callers.sort();
        callers.dedup();
        callers.truncate(CALLERS_PER_API);
        out.push(ProtectionFinding {
            kind: ProtectionKind::RuntimeCodeLoading,
            id: d.id.clone(),
            name: d.name.clone(),
            name_zh: d.name_zh.clone(),
            vendor: None,
            evidence,
            callers,
        });
    }
    let embedded: Vec<Evidence> = inv
        .files
        .iter()
        .filter(|f| {
            let lower = f.path.to_ascii_lowercase();
            f.kind == FileKind::EmbeddedDex
                || (f.kind == FileKind::EmbeddedArchive
                    && [".jar", ".apk", ".dex"].iter().any(|x| lower.ends_with(x)))
        })
        .map(|f| Evidence {
            kind: EvidenceKind::File,
            value: f.path.clone(),
            location: f.location.clone(),
        })
        .collect();
    if !embedded.is_empty() {
        out.push(ProtectionFinding {
            kind: ProtectionKind::EmbeddedCode,
            id: "embedded-code".into(),
            name: "Code files not analysed (dex/jar/apk inside the package)".into(),
            name_zh: None,
            vendor: None,
            evidence: embedded,
            callers: Vec::new(),
        });
    }
    let encrypted: Vec<Evidence> = inv
        .code
        .iter()
        .filter(|u| u.format == CodeFormat::Macho && u.encrypted == Some(true))
        .map(|u| Evidence {
            kind: EvidenceKind::Binary,
            value: u.bundle.clone().unwrap_or_else(|| u.location.entry.clone()),
            location: u.location.clone(),
        })
        .collect();
    if !encrypted.is_empty() {
        out.push(ProtectionFinding {
            kind: ProtectionKind::EncryptedBinary,
            id: "fairplay".into(),
            name: "Encrypted binary (App Store FairPlay): symbols and Objective-C metadata read, code and strings not".into(),
            name_zh: None,
            vendor: None,
            evidence: encrypted,
            callers: Vec::new(),
        });
    }
    out
}

fn biometrics(
    permissions: &[PermissionFinding],
    apis: &[ApiFinding],
    sdks: &[SdkFinding],
) -> Vec<BiometricFinding> {
    let mut out = Vec::new();
    for p in permissions {
        if let Some(m) = &p.biometric {
            out.push(BiometricFinding {
                source: BiometricSource::Permission,
                id: p.name.clone(),
                modality: m.clone(),
                what: p.what.clone(),
                what_zh: p.what_zh.clone(),
                by: Vec::new(),
                location: Some(p.location.clone()),
            });
        }
    }
    for a in apis {
        if let Some(m) = &a.biometric {
            out.push(BiometricFinding {
                source: BiometricSource::Api,
                id: a.id.clone(),
                modality: m.clone(),
                what: a.what.clone(),
                what_zh: a.what_zh.clone(),
                by: a.by.clone(),
                location: a.callers.first().map(|c| c.location.clone()),
            });
        }
    }
    for s in sdks {
        if s.categories.iter().any(|c| c == "face-recognition") {
            out.push(BiometricFinding {
                source: BiometricSource::Sdk,
                id: s.id.clone(),
                modality: "face".into(),
                what: format!("{} ({})", s.name, s.vendor),
                what_zh: s.name_zh.as_ref().map(|z| format!("{z}（{}）", s.vendor)),
                by: vec![s.id.clone()],
                location: s.evidence.first().map(|e| e.location.clone()),
            });
        }
    }
    out
}

fn completeness(inv: &Inventory, protections: &[ProtectionFinding]) -> Completeness {
    let mut reasons = Vec::new();
    let mut reason = |code: &str, message: String| {
        if !reasons
            .iter()
            .any(|r: &IncompleteReason| r.code == code && r.message == message)
        {
            reasons.push(IncompleteReason {
                code: code.into(),
                message,
            });
        }
    };
    for p in protections {
        match p.kind {
            ProtectionKind::Packer => reason(
                "packed",
                format!(
                    "protected by {}: the real code is encrypted or hidden and unpacked at run time; SDKs and APIs in it were not seen",
                    p.name
                ),
            ),
            ProtectionKind::RuntimeCodeLoading => reason(
                "runtime-code-loading",
                format!(
                    "loads code at run time ({}): code loaded later (downloaded plugins, hidden dex) was not analysed",
                    p.name
                ),
            ),
            ProtectionKind::EmbeddedCode => reason(
                "embedded-code",
                format!(
                    "{} code file(s) inside the package were not analysed: {}",
                    p.evidence.len(),
                    p.evidence
                        .iter()
                        .map(|e| e.value.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            ProtectionKind::EncryptedBinary => reason(
                "encrypted-binary",
                format!(
                    "{} encrypted binary(ies): classes, symbols and linked libraries were read; code and strings (URLs, API call sites) were not",
                    p.evidence.len()
                ),
            ),
        }
    }
    for a in &inv.anomalies {
        match a.code.as_str() {
            "dex.unreadable" | "ios.macho-unreadable" => reason(
                "code-unreadable",
                format!("a code file could not be parsed ({})", a.location.entry),
            ),
            "dex.unscanned-code" => reason(
                "attribution-incomplete",
                format!(
                    "some methods' code could not be scanned for calls ({})",
                    a.location.entry
                ),
            ),
            _ => {}
        }
    }
    for (list, n) in &inv.truncated {
        reason(
            "list-truncated",
            format!("{n} {list} items were not kept (size limits)"),
        );
    }
    Completeness {
        complete: reasons.is_empty(),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swift_names() {
        assert_eq!(
            swift_module_of_class("_TtC9Alamofire7Session"),
            Some("Alamofire")
        );
        assert_eq!(
            swift_module_of_class("Alamofire.Session"),
            Some("Alamofire")
        );
        assert_eq!(swift_module_of_class("UMConfigure"), None);
        assert_eq!(
            swift_module_of_symbol("_$s9Alamofire7SessionC"),
            Some("Alamofire")
        );
        assert_eq!(swift_module_of_symbol("$s99X"), None);
        assert_eq!(swift_module_of_symbol("_$s0X"), None);
        assert_eq!(swift_module_of_symbol("_objc_msgSend"), None);
    }

    #[test]
    fn framework_names() {
        assert_eq!(
            framework_name("Payload/X.app/Frameworks/UMCommon.framework"),
            Some("UMCommon")
        );
        assert_eq!(
            framework_name("Payload/X.app/Frameworks/UMCommon.framework/"),
            Some("UMCommon")
        );
        assert_eq!(framework_name("Payload/X.app"), None);
    }

    #[test]
    fn prefixes() {
        assert!(under_prefix("com.a.b.C", "com.a.b"));
        assert!(under_prefix("com.a.b$C", "com.a.b"));
        assert!(under_prefix("com.a.b", "com.a.b"));
        assert!(!under_prefix("com.a.bc", "com.a.b"));
    }
}
