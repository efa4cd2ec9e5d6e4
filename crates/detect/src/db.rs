//! The signature database: loading (embedded or from a directory), validation, and the
//! compiled matchers detection uses.

use crate::format::*;
use crate::matcher::{
    anchor, DomainMatcher, NameMatcher, PrefixMatcher, RawPrefixMatcher, RegexMatcher,
};
use crate::tables::{self, Str, Table, Tables};
use appvet_model::DatabaseInfo;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{LazyLock, OnceLock};

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The embedded files parsed at build time ([`Parsed`] in postcard, without the SDKs; empty
/// when `build.rs` could not parse them, and the TOML is parsed at run time instead).
static EMBEDDED_PARSED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/embedded.postcard"));

/// The embedded SDK definitions, each in postcard, one after the other (sorted by id); where
/// each starts is in `EMBEDDED_SDK_OFFSETS` (with the end last), in `embedded_tables.rs`.
static EMBEDDED_SDKS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/embedded_sdks.postcard"));

include!(concat!(env!("OUT_DIR"), "/embedded_tables.rs"));

/// SDK categories (`categories`).
pub const SDK_CATEGORIES: &[&str] = &[
    "advertising",
    "analytics",
    "attribution",
    "crash-reporting",
    "push",
    "location",
    "maps",
    "social",
    "payment",
    "im",
    "live-streaming",
    "community",
    "face-recognition",
    "identity-verification",
    "ocr",
    "game-engine",
    "game-services",
    "anti-fraud",
    "device-fingerprint",
    "ab-testing",
    "customer-support",
    "security",
    "network",
    "utility",
    "development",
    "cloud",
    "media",
    "speech",
    "ai",
];

/// Personal-information categories (`collects`, and the catalogues): the model's vocabulary.
pub use appvet_model::PI_CATEGORIES;

/// Capability categories the catalogues may use besides the personal-information ones.
pub const CAPABILITY_CATEGORIES: &[&str] = &[
    "device-control",
    "notifications",
    "network",
    "code-loading",
    "fingerprinting",
];

pub const PERMISSION_LEVELS: &[&str] = &[
    "dangerous",
    "special",
    "signature",
    "privileged",
    "normal",
    "usage",
    "entitlement",
    "scope",
    "private-info",
    "user-grant",
    "system-grant",
];

pub const BIOMETRIC_MODALITIES: &[&str] = &["fingerprint", "face", "any"];

/// Namespaces no SDK may claim as a whole: shared by many unrelated libraries.
pub const GENERIC_NAMESPACES: &[&str] = &[
    "com.google",
    "com.google.android",
    "com.google.android.gms",
    "com.google.firebase",
    "com.google.common",
    "com.tencent",
    "com.alibaba",
    "com.baidu",
    "com.facebook",
    "com.huawei",
    "com.huawei.hms",
    "com.xiaomi",
    "com.samsung",
    "com.microsoft",
    "com.amazon",
    "com.android",
    "com.sun",
    "org.apache",
    "org.json",
    "org.w3c",
    "org.xml",
];

/// Platform roots: nothing under them is a third-party SDK (an app of AndroidX, Kotlin and AOSP
/// classes yields no SDK finding).
pub const PLATFORM_ROOTS: &[&str] = &[
    "android", "androidx", "java", "javax", "kotlin", "kotlinx", "dalvik", "sun",
];

/// Class names a class regex must not match (it would claim everything).
const REGEX_CANARIES: &[&str] = &[
    "a",
    "a.b",
    "a.b.C",
    "com.example.app.MainActivity",
    "org.appvet.fixture.clean.MainActivity",
    "androidx.appcompat.app.AppCompatActivity",
    "androidx.core.app.ActivityCompat",
    "kotlin.jvm.internal.Intrinsics",
    "java.lang.Object",
    "android.app.Activity",
    "com.google.android.material.button.MaterialButton",
    "okhttp3.OkHttpClient",
];

const NATIVE_CANARIES: &[&str] = &["libc.so", "libappvet-canary.so", "libnative-lib.so", "a.so"];

/// Public suffixes and shared hosting a domain entry must not be.
const GENERIC_DOMAINS: &[&str] = &[
    "com",
    "cn",
    "net",
    "org",
    "io",
    "app",
    "dev",
    "ai",
    "com.cn",
    "net.cn",
    "org.cn",
    "gov.cn",
    "edu.cn",
    "co.uk",
    "co.jp",
    "com.hk",
    "com.tw",
    "amazonaws.com",
    "cloudfront.net",
    "googleapis.com",
    "appspot.com",
    "github.io",
    "akamaized.net",
    "aliyuncs.com",
    "myqcloud.com",
    "azurewebsites.net",
];

/// Corporate domains used by many products: allowed, with a warning.
const SHARED_DOMAINS: &[&str] = &[
    "google.com",
    "qq.com",
    "baidu.com",
    "facebook.com",
    "apple.com",
    "microsoft.com",
    "amazon.com",
    "taobao.com",
    "alibaba.com",
];

/// How serious a validation problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One validation problem, with the file and key it concerns.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub severity: Severity,
    /// Path relative to the signatures directory (`sdk/umeng.toml`).
    pub file: String,
    /// The key (`android.packages[2]`), or "" for the whole file.
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        if self.key.is_empty() {
            write!(f, "{sev}: {}: {}", self.file, self.message)
        } else {
            write!(f, "{sev}: {}: {}: {}", self.file, self.key, self.message)
        }
    }
}

/// Loading failed: every problem found (errors and warnings).
#[derive(Debug, Clone, thiserror::Error)]
#[error("invalid signature database ({} errors){}", errors(.problems), first_error(.problems))]
pub struct LoadError {
    pub problems: Vec<Problem>,
}

fn errors(p: &[Problem]) -> usize {
    p.iter().filter(|p| p.severity == Severity::Error).count()
}

fn first_error(p: &[Problem]) -> String {
    p.iter()
        .find(|p| p.severity == Severity::Error)
        .map(|p| format!(": {p}"))
        .unwrap_or_default()
}

/// A loaded, validated and compiled signature database. Immutable and `Sync`: build it once
/// and share it across threads.
#[derive(Debug)]
pub struct Database {
    pub version: String,
    pub source: String,
    /// SDKs sorted by id.
    pub sdks: SdkList,
    pub permissions: PermissionFile,
    pub apis: ApiFile,
    pub packers: PackerFile,
    /// Warnings found while loading.
    pub warnings: Vec<Problem>,
    pub(crate) m: Compiled,
}

/// The SDK definitions of a database, by index (sorted by id). For the embedded database each
/// definition stays in its compact binary form until asked for, so a process decodes only the
/// SDKs a package actually embeds.
#[derive(Debug, Default)]
pub struct SdkList {
    items: Box<[OnceLock<Box<SdkDef>>]>,
    /// Encoded definitions and their offsets (`n + 1`), when decoded lazily.
    encoded: Option<(&'static [u8], &'static [u32])>,
}

impl SdkList {
    fn owned(sdks: Vec<SdkDef>) -> SdkList {
        SdkList {
            items: sdks
                .into_iter()
                .map(|s| OnceLock::from(Box::new(s)))
                .collect(),
            encoded: None,
        }
    }

    fn encoded(blob: &'static [u8], offsets: &'static [u32]) -> SdkList {
        SdkList {
            items: (1..offsets.len()).map(|_| OnceLock::new()).collect(),
            encoded: Some((blob, offsets)),
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&SdkDef> {
        self.items.get(i).map(|cell| self.decoded(i, cell))
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &SdkDef> + '_ {
        self.items
            .iter()
            .enumerate()
            .map(|(i, cell)| self.decoded(i, cell))
    }

    /// Entry `i`, decoded on first use.
    fn decoded<'s>(&'s self, i: usize, cell: &'s OnceLock<Box<SdkDef>>) -> &'s SdkDef {
        cell.get_or_init(|| {
            // The blob was written by build.rs from definitions that parsed; a test checks
            // every one decodes to what the TOML gives.
            let decoded = self.encoded.and_then(|(blob, offsets)| {
                let (a, b) = (*offsets.get(i)? as usize, *offsets.get(i + 1)? as usize);
                postcard::from_bytes(blob.get(a..b)?).ok()
            });
            Box::new(decoded.unwrap_or_default())
        })
    }
}

impl serde::Serialize for SdkList {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'a> IntoIterator for &'a SdkList {
    type Item = &'a SdkDef;
    type IntoIter = Box<dyn ExactSizeIterator<Item = &'a SdkDef> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// The matchers detection runs, over the [`Tables`]. Building one is cheap (the tables are
/// already sorted; automata and regex sets are compiled on first use).
#[derive(Debug, Default)]
pub(crate) struct Compiled {
    pub classes: PrefixMatcher,
    pub class_regex: RegexMatcher,
    pub components: PrefixMatcher,
    pub native_libs: NameMatcher,
    pub metadata: Table<usize>,
    pub frameworks: Table<usize>,
    pub objc_classes: Table<usize>,
    pub objc_prefixes: RawPrefixMatcher,
    pub swift_modules: Table<usize>,
    pub symbols: Table<usize>,
    pub plist_keys: Table<usize>,
    pub skadnetwork: Table<usize>,
    pub domains: DomainMatcher,
    /// android / ios-usage / ios-entitlement name → (kind, index).
    pub permissions: Table<(u8, usize)>,
    /// class → (method or "" for any, api index).
    pub android_apis: Table<(Str, usize)>,
    pub ios_selectors: Table<usize>,
    pub ios_symbols: Table<usize>,
    pub ios_api_classes: Table<usize>,
    pub packer_classes: PrefixMatcher,
    pub packer_libs: NameMatcher,
    pub packer_files: NameMatcher,
    /// class → (method or "", code_loading index).
    pub code_loading: Table<(Str, usize)>,
    pub wechat_plugins: Table<usize>,
    pub npm_packages: Table<usize>,
    pub wechat_sdk_apis: Table<usize>,
    pub ohpm_packages: Table<usize>,
    pub wechat_apis: Table<usize>,
    pub wechat_open_types: Table<usize>,
    pub harmony_apis: Table<usize>,
}

impl Compiled {
    fn new(t: Tables) -> Compiled {
        Compiled {
            classes: PrefixMatcher::new(t.classes),
            class_regex: RegexMatcher::new(t.class_regex),
            components: PrefixMatcher::new(t.components),
            native_libs: NameMatcher::new(t.native_libs, t.native_lib_regex),
            metadata: t.metadata,
            frameworks: t.frameworks,
            objc_classes: t.objc_classes,
            objc_prefixes: RawPrefixMatcher::new(t.objc_prefixes),
            swift_modules: t.swift_modules,
            symbols: t.symbols,
            plist_keys: t.plist_keys,
            skadnetwork: t.skadnetwork,
            domains: DomainMatcher::new(t.domains),
            permissions: t.permissions,
            android_apis: t.android_apis,
            ios_selectors: t.ios_selectors,
            ios_symbols: t.ios_symbols,
            ios_api_classes: t.ios_api_classes,
            packer_classes: PrefixMatcher::new(t.packer_classes),
            packer_libs: NameMatcher::new(t.packer_libs, t.packer_lib_regex),
            packer_files: NameMatcher::new(t.packer_files, t.packer_file_regex),
            code_loading: t.code_loading,
            wechat_plugins: t.wechat_plugins,
            npm_packages: t.npm_packages,
            wechat_sdk_apis: t.wechat_sdk_apis,
            ohpm_packages: t.ohpm_packages,
            wechat_apis: t.wechat_apis,
            wechat_open_types: t.wechat_open_types,
            harmony_apis: t.harmony_apis,
        }
    }
}

/// The embedded database as build.rs left it: catalogues decoded, SDKs decoded on demand,
/// tables borrowed from the binary. None when build.rs could not pre-parse the files.
fn embedded_preparsed() -> Option<Database> {
    let tables = EMBEDDED_TABLES.as_ref()?;
    let parsed = postcard::from_bytes::<Parsed>(EMBEDDED_PARSED).ok()?;
    if parsed.version.is_empty() || EMBEDDED_SDK_OFFSETS.len() < 2 {
        return None;
    }
    Some(Database {
        version: parsed.version,
        source: "embedded".to_string(),
        sdks: SdkList::encoded(EMBEDDED_SDKS, EMBEDDED_SDK_OFFSETS),
        permissions: parsed.permissions,
        apis: parsed.apis,
        packers: parsed.packers,
        warnings: Vec::new(),
        m: Compiled::new(tables.clone()),
    })
}

static EMBEDDED_DB: LazyLock<Result<Database, LoadError>> = LazyLock::new(|| {
    if let Some(db) = embedded_preparsed() {
        return Ok(db);
    }
    let files: Vec<(String, String)> = EMBEDDED
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    Database::build_trusted(&files, "embedded")
});

impl Database {
    /// The database embedded in the binary, loaded and compiled once per process.
    pub fn embedded() -> Result<&'static Database, &'static LoadError> {
        EMBEDDED_DB.as_ref()
    }

    /// Whether the embedded files were parsed at build time (else [`Database::embedded`]
    /// parses the TOML at run time).
    pub fn embedded_preparsed() -> bool {
        embedded_preparsed().is_some()
    }

    /// The embedded files (path relative to `signatures/`, text).
    pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
        EMBEDDED
    }

    /// Load a signatures directory (same layout as `signatures/`: `VERSION`, `*.toml`,
    /// `sdk/*.toml`).
    pub fn load_dir(dir: &Path) -> Result<Database, LoadError> {
        let files = read_dir_files(dir)?;
        Database::from_files(&files, &dir.display().to_string())
    }

    /// Build from (relative path, text) pairs; every problem is collected, and any error fails.
    pub fn from_files(files: &[(String, String)], source: &str) -> Result<Database, LoadError> {
        let (db, problems) = Database::build(files, source);
        if problems.iter().any(|p| p.severity == Severity::Error) {
            return Err(LoadError { problems });
        }
        match db {
            Some(mut db) => {
                db.warnings = problems;
                Ok(db)
            }
            None => Err(LoadError { problems }),
        }
    }

    /// Build the embedded database without re-running validation: the same files pass
    /// `Database::check` in the test suite (`tests/database.rs`), so a process need not pay for
    /// it at every start. Parse errors still fail.
    fn build_trusted(files: &[(String, String)], source: &str) -> Result<Database, LoadError> {
        let (db, problems) = Database::build_with(files, source, false);
        match db {
            Some(db) if !problems.iter().any(|p| p.severity == Severity::Error) => Ok(db),
            _ => Err(LoadError { problems }),
        }
    }

    /// Validate (path, text) pairs: every problem, errors and warnings, sorted.
    pub fn check(files: &[(String, String)]) -> Vec<Problem> {
        let (_, mut p) = Database::build(files, "check");
        p.sort();
        p.dedup();
        p
    }

    /// Validate a directory (what `appvet signatures check DIR` runs).
    pub fn check_dir(dir: &Path) -> Vec<Problem> {
        match read_dir_files(dir) {
            Ok(files) => Database::check(&files),
            Err(e) => e.problems,
        }
    }

    pub fn info(&self) -> DatabaseInfo {
        let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        DatabaseInfo {
            version: self.version.clone(),
            source: self.source.clone(),
            scanner_version: env!("CARGO_PKG_VERSION").to_string(),
            sdks: n(self.sdks.len()),
            permissions: n(self.permissions.android.len()
                + self.permissions.ios_usage.len()
                + self.permissions.ios_entitlement.len()
                + self.permissions.wechat.len()
                + self.permissions.harmonyos.len()),
            apis: n(self.apis.android.len()
                + self.apis.ios.len()
                + self.apis.wechat.len()
                + self.apis.harmonyos.len()),
            packers: n(self.packers.packer.len()),
        }
    }

    /// The SDK a dotted class name belongs to: the most specific package prefix, else the
    /// first SDK (by id) whose class regex matches.
    pub fn sdk_for_class(&self, name: &str) -> Option<&SdkDef> {
        self.class_sdk(name).and_then(|i| self.sdks.get(i))
    }

    pub(crate) fn class_sdk(&self, name: &str) -> Option<usize> {
        self.m
            .classes
            .find(name)
            .or_else(|| self.m.class_regex.find(name))
    }

    pub fn sdk(&self, id: &str) -> Option<&SdkDef> {
        let (mut lo, mut hi) = (0, self.sdks.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let s = self.sdks.get(mid)?;
            match s.id.as_str().cmp(id) {
                std::cmp::Ordering::Equal => return Some(s),
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        None
    }

    fn build(files: &[(String, String)], source: &str) -> (Option<Database>, Vec<Problem>) {
        Database::build_with(files, source, true)
    }

    fn build_with(
        files: &[(String, String)],
        source: &str,
        validate: bool,
    ) -> (Option<Database>, Vec<Problem>) {
        let mut v = Validator::default();
        let parsed = parse_files(files, &mut v);
        let (db, problems) = Database::assemble(parsed, source, validate, None, v);
        (Some(db), problems)
    }

    /// Compile parsed files into a database (with their `tables` when already computed, as
    /// for the embedded database); with `validate`, check them first and check the matchers
    /// against every identifier afterwards.
    fn assemble(
        parsed: Parsed,
        source: &str,
        validate: bool,
        tables: Option<Tables>,
        mut v: Validator,
    ) -> (Database, Vec<Problem>) {
        let Parsed {
            version,
            sdks,
            permissions,
            apis,
            packers,
        } = parsed;
        let (paths, sdks): (Vec<String>, Vec<SdkDef>) = sdks.into_iter().unzip();
        if validate {
            v.check_sdks(&paths, &sdks);
            v.check_permissions(&permissions);
            v.check_apis(&apis);
            v.check_packers(&packers);
        }
        let tables =
            tables.unwrap_or_else(|| tables::compute(&sdks, &permissions, &apis, &packers));
        let m = Compiled::new(tables);
        let db = Database {
            version,
            source: source.to_string(),
            sdks: SdkList::owned(sdks),
            permissions,
            apis,
            packers,
            warnings: Vec::new(),
            m,
        };
        if validate {
            self_check(&db, &paths, &mut v);
        }
        (db, v.problems)
    }
}

/// Parse (path, text) pairs into [`Parsed`] (SDKs sorted by id), recording parse problems,
/// files that are not signature files and missing ones.
fn parse_files(files: &[(String, String)], v: &mut Validator) -> Parsed {
    let mut parsed = Parsed::default();
    let mut seen = [false; 3];
    // SDK files are parsed in parallel (hundreds of small files).
    let is_sdk = |p: &str| {
        p.strip_prefix("sdk/")
            .is_some_and(|r| r.ends_with(".toml") && !r.contains('/'))
    };
    let mut pre: Vec<Option<Result<SdkDef, toml::de::Error>>> = files
        .par_iter()
        .map(|(path, text)| is_sdk(path).then(|| toml::from_str::<SdkDef>(text)))
        .collect();
    for (i, (path, text)) in files.iter().enumerate() {
        match path.as_str() {
            "VERSION" => {
                parsed.version = text.trim().to_string();
                if parsed.version.is_empty() || parsed.version.contains(char::is_whitespace) {
                    v.err(path, "", "VERSION must be one non-empty word (2026.11.23)");
                }
            }
            "permissions.toml" => {
                if let Some(f) = v.parse::<PermissionFile>(path, text) {
                    parsed.permissions = f;
                    seen[0] = true;
                }
            }
            "apis.toml" => {
                if let Some(f) = v.parse::<ApiFile>(path, text) {
                    parsed.apis = f;
                    seen[1] = true;
                }
            }
            "packers.toml" => {
                if let Some(f) = v.parse::<PackerFile>(path, text) {
                    parsed.packers = f;
                    seen[2] = true;
                }
            }
            p if is_sdk(p) => {
                let r = pre
                    .get_mut(i)
                    .and_then(Option::take)
                    .unwrap_or_else(|| toml::from_str::<SdkDef>(text));
                if let Some(s) = v.parsed(path, text, r) {
                    parsed.sdks.push((path.clone(), s));
                }
            }
            _ => v.warn(path, "", "not a signature file (ignored)"),
        }
    }
    if parsed.version.is_empty() {
        v.err("VERSION", "", "missing database version file");
    }
    for (i, name) in ["permissions.toml", "apis.toml", "packers.toml"]
        .iter()
        .enumerate()
    {
        if !seen.get(i).copied().unwrap_or(false) && !v.has_file(name) {
            v.warn(name, "", "catalogue missing");
        }
    }
    parsed.sdks.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    parsed
}

fn read_dir_files(dir: &Path) -> Result<Vec<(String, String)>, LoadError> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut read = |rel: String, path: &Path, files: &mut Vec<(String, String)>| {
        match std::fs::read_to_string(path) {
            Ok(t) => files.push((rel, t)),
            Err(e) => problems.push(Problem {
                severity: Severity::Error,
                file: rel,
                key: String::new(),
                message: format!("cannot read: {e}"),
            }),
        }
    };
    let version = dir.join("VERSION");
    if version.is_file() {
        read("VERSION".into(), &version, &mut files);
    }
    for (sub, prefix) in [(dir.to_path_buf(), ""), (dir.join("sdk"), "sdk/")] {
        let rd = match std::fs::read_dir(&sub) {
            Ok(rd) => rd,
            Err(e) if prefix.is_empty() => {
                return Err(LoadError {
                    problems: vec![Problem {
                        severity: Severity::Error,
                        file: dir.display().to_string(),
                        key: String::new(),
                        message: format!("cannot read directory: {e}"),
                    }],
                })
            }
            Err(_) => continue,
        };
        let mut names: Vec<_> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
            .collect();
        names.sort();
        for p in names {
            let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            read(format!("{prefix}{name}"), &p, &mut files);
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(LoadError { problems })
    }
}

#[derive(Default)]
struct Validator {
    problems: Vec<Problem>,
}

impl Validator {
    fn push(&mut self, severity: Severity, file: &str, key: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            severity,
            file: file.to_string(),
            key: key.to_string(),
            message: message.into(),
        });
    }
    fn err(&mut self, file: &str, key: &str, message: impl Into<String>) {
        self.push(Severity::Error, file, key, message);
    }
    fn warn(&mut self, file: &str, key: &str, message: impl Into<String>) {
        self.push(Severity::Warning, file, key, message);
    }
    /// A Chinese description or name: optional (warning when absent, the Chinese report then
    /// shows the English), never blank, and written in Chinese.
    fn zh(&mut self, file: &str, key: &str, v: Option<&str>) {
        match v {
            None => self.warn(
                file,
                key,
                "missing: Chinese reports show the English description",
            ),
            Some(t) if t.trim().is_empty() => self.err(file, key, "empty"),
            Some(t) if !t.chars().any(is_cjk) => {
                self.warn(file, key, format!("{t:?} has no Chinese characters"))
            }
            Some(_) => {}
        }
    }
    fn has_file(&self, file: &str) -> bool {
        self.problems.iter().any(|p| p.file == file)
    }

    fn parse<T: serde::de::DeserializeOwned>(&mut self, path: &str, text: &str) -> Option<T> {
        self.parsed(path, text, toml::from_str::<T>(text))
    }

    /// Record a TOML error (with its line) or pass the value on.
    fn parsed<T>(&mut self, path: &str, text: &str, r: Result<T, toml::de::Error>) -> Option<T> {
        match r {
            Ok(t) => Some(t),
            Err(e) => {
                let msg = e.message().to_string();
                let at = e
                    .span()
                    .map(|s| {
                        let line = text.get(..s.start).map(|t| t.lines().count()).unwrap_or(0);
                        format!("line {}", line.max(1))
                    })
                    .unwrap_or_default();
                self.err(path, &at, msg);
                None
            }
        }
    }

    fn category(&mut self, file: &str, key: &str, c: &str, allowed: &[&[&str]]) {
        if !allowed.iter().any(|l| l.contains(&c)) {
            self.err(file, key, format!("unknown category {c:?}"));
        }
    }

    fn regex(&mut self, file: &str, key: &str, r: &str, canaries: &[&str]) {
        match regex::Regex::new(&anchor(r)) {
            Err(e) => self.err(file, key, format!("regex does not compile: {e}")),
            Ok(re) => {
                if let Some(c) = canaries.iter().find(|c| re.is_match(c)) {
                    self.err(
                        file,
                        key,
                        format!("regex {r:?} is over-generic: it matches {c:?}"),
                    );
                }
            }
        }
    }

    fn prefix(&mut self, file: &str, key: &str, p: &str) {
        if p.is_empty() {
            return self.err(file, key, "empty prefix");
        }
        if p.ends_with('.') || p.ends_with('$') || p.starts_with('.') {
            return self.err(
                file,
                key,
                format!("{p:?}: write the package without leading or trailing '.'/'$'"),
            );
        }
        if p.chars()
            .any(|c| c.is_whitespace() || "*+?()[]{}|^\\/;,".contains(c))
        {
            return self.err(
                file,
                key,
                format!("{p:?}: not a dotted name (use class_regex for patterns)"),
            );
        }
        let segs: Vec<&str> = p.split('.').collect();
        if segs.iter().any(|s| s.is_empty()) {
            return self.err(file, key, format!("{p:?}: empty segment"));
        }
        if segs.len() < 2 {
            return self.err(
                file,
                key,
                format!("{p:?}: over-generic (fewer than 2 dotted segments)"),
            );
        }
        if GENERIC_NAMESPACES.contains(&p) {
            return self.err(
                file,
                key,
                format!("{p:?}: over-generic (a shared namespace; name the SDK's own package)"),
            );
        }
        if let Some(root) = segs.first() {
            if PLATFORM_ROOTS.contains(root) {
                self.err(
                    file,
                    key,
                    format!("{p:?}: platform namespace ({root}.*), not a third-party SDK"),
                );
            }
        }
    }

    fn check_sdks(&mut self, paths: &[String], sdks: &[SdkDef]) {
        let mut ids: HashMap<&str, &str> = HashMap::new();
        let mut claims: HashMap<(&str, String), (&str, String)> = HashMap::new();
        for (path, s) in paths.iter().zip(sdks) {
            let f = path.as_str();
            if !valid_id(&s.id) {
                self.err(
                    f,
                    "id",
                    format!("{:?}: must match [a-z0-9][a-z0-9-]*", s.id),
                );
            }
            let stem = f.trim_start_matches("sdk/").trim_end_matches(".toml");
            if stem != s.id {
                self.err(
                    f,
                    "id",
                    format!("{:?} differs from the file name {stem:?}", s.id),
                );
            }
            if let Some(other) = ids.insert(&s.id, f) {
                self.err(f, "id", format!("duplicate id {:?} (also {other})", s.id));
            }
            for (k, val) in [("name", &s.name), ("vendor", &s.vendor)] {
                if val.trim().is_empty() {
                    self.err(f, k, "must not be empty");
                }
            }
            if s.region != "cn" && s.region != "global" {
                self.err(
                    f,
                    "region",
                    format!("{:?}: must be \"cn\" or \"global\"", s.region),
                );
            }
            if s.categories.is_empty() {
                self.err(f, "categories", "at least one category");
            }
            for (i, c) in s.categories.iter().enumerate() {
                self.category(f, &format!("categories[{i}]"), c, &[SDK_CATEGORIES]);
            }
            for (i, c) in s.collects.iter().enumerate() {
                self.category(f, &format!("collects[{i}]"), c, &[PI_CATEGORIES]);
            }
            if s.sources.is_empty() {
                self.warn(f, "sources", "no source cited");
            }
            let a = &s.android;
            let mut claim =
                |v: &mut Validator, kind: &'static str, key: String, value: String, error: bool| {
                    if let Some((of, ok)) = claims.get(&(kind, value.clone())) {
                        if *of != f {
                            let msg = format!("{value:?} is also claimed by {of} ({ok})");
                            if error {
                                v.err(f, &key, msg);
                            } else {
                                v.warn(f, &key, msg);
                            }
                        }
                    } else {
                        claims.insert((kind, value), (f, key));
                    }
                };
            for (i, p) in a.packages.iter().enumerate() {
                let key = format!("android.packages[{i}]");
                self.prefix(f, &key, p);
                claim(self, "class", key, p.clone(), true);
            }
            for (i, r) in a.class_regex.iter().enumerate() {
                self.regex(f, &format!("android.class_regex[{i}]"), r, REGEX_CANARIES);
            }
            for (i, p) in a.components.iter().enumerate() {
                let key = format!("android.components[{i}]");
                self.prefix(f, &key, p);
                claim(self, "component", key, p.clone(), true);
            }
            for (i, n) in a.native_libs.iter().enumerate() {
                let key = format!("android.native_libs[{i}]");
                match n.strip_prefix("re:") {
                    Some(r) => self.regex(f, &key, r, NATIVE_CANARIES),
                    None => {
                        if n.is_empty() || n.contains('/') {
                            self.err(f, &key, format!("{n:?}: a file name, without directories"));
                        }
                        if NATIVE_CANARIES.contains(&n.as_str()) {
                            self.err(f, &key, format!("{n:?}: over-generic library name"));
                        }
                        claim(self, "native", key, n.clone(), true);
                    }
                }
            }
            for (i, n) in a.metadata.iter().enumerate() {
                let key = format!("android.metadata[{i}]");
                if n.trim().is_empty() {
                    self.err(f, &key, "empty meta-data key");
                }
                claim(self, "metadata", key, n.clone(), true);
            }
            let io = &s.ios;
            for (i, n) in io.frameworks.iter().enumerate() {
                let key = format!("ios.frameworks[{i}]");
                if n.is_empty() || n.contains('/') || n.ends_with(".framework") {
                    self.err(
                        f,
                        &key,
                        format!("{n:?}: the bundle name without .framework"),
                    );
                }
                claim(self, "framework", key, n.clone(), true);
            }
            for (i, n) in io.classes.iter().enumerate() {
                let key = format!("ios.classes[{i}]");
                if n.len() < 3 {
                    self.err(f, &key, format!("{n:?}: too short to identify an SDK"));
                }
                claim(self, "objc", key, n.clone(), true);
            }
            for (i, n) in io.class_prefixes.iter().enumerate() {
                let key = format!("ios.class_prefixes[{i}]");
                if n.chars().count() < 3
                    || ["UI", "NS", "CA", "CG", "AV", "SK"].contains(&n.as_str())
                {
                    self.err(
                        f,
                        &key,
                        format!("{n:?}: over-generic (at least 3 characters)"),
                    );
                }
                claim(self, "objc-prefix", key, n.clone(), true);
            }
            for (i, n) in io.swift_modules.iter().enumerate() {
                let key = format!("ios.swift_modules[{i}]");
                if n.is_empty() || ["Swift", "Foundation", "UIKit", "SwiftUI"].contains(&n.as_str())
                {
                    self.err(f, &key, format!("{n:?}: not an SDK module"));
                }
                claim(self, "swift", key, n.clone(), true);
            }
            for (i, n) in io.symbols.iter().enumerate() {
                let key = format!("ios.symbols[{i}]");
                if n.len() < 4 {
                    self.err(f, &key, format!("{n:?}: too short to identify an SDK"));
                }
                claim(self, "symbol", key, n.clone(), false);
            }
            for (i, n) in io.plist_keys.iter().enumerate() {
                let key = format!("ios.plist_keys[{i}]");
                if n.trim().is_empty() {
                    self.err(f, &key, "empty plist key");
                }
                claim(self, "plist", key, n.clone(), false);
            }
            for (i, n) in io.skadnetwork_ids.iter().enumerate() {
                let key = format!("ios.skadnetwork_ids[{i}]");
                if !n.to_ascii_lowercase().ends_with(".skadnetwork") {
                    self.warn(
                        f,
                        &key,
                        format!("{n:?}: SKAdNetwork ids end with .skadnetwork"),
                    );
                }
                claim(self, "skan", key, n.to_ascii_lowercase(), false);
            }
            for (i, d) in s.network.domains.iter().enumerate() {
                let key = format!("network.domains[{i}]");
                self.domain(f, &key, d);
                claim(self, "domain", key, d.to_ascii_lowercase(), false);
            }
            for (i, n) in s.wechat.plugins.iter().enumerate() {
                let key = format!("wechat.plugins[{i}]");
                if !is_wechat_appid(n) {
                    self.err(
                        f,
                        &key,
                        format!("{n:?}: a plugin provider is an app id (wx + 16 hex digits)"),
                    );
                }
                claim(self, "wx-plugin", key, n.clone(), true);
            }
            for (i, n) in s.wechat.npm.iter().enumerate() {
                let key = format!("wechat.npm[{i}]");
                if !is_package_name(n) {
                    self.err(f, &key, format!("{n:?}: not an npm package name"));
                }
                claim(self, "npm", key, n.clone(), true);
            }
            for (i, n) in s.wechat.apis.iter().enumerate() {
                let key = format!("wechat.apis[{i}]");
                if n.is_empty() || !n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    self.err(f, &key, format!("{n:?}: a wx.* function name"));
                }
                claim(self, "wx-api", key, n.clone(), true);
            }
            for (i, n) in s.harmonyos.ohpm.iter().enumerate() {
                let key = format!("harmonyos.ohpm[{i}]");
                if !is_package_name(n) {
                    self.err(f, &key, format!("{n:?}: not an ohpm package name"));
                }
                claim(self, "ohpm", key, n.clone(), true);
            }
            if a.is_empty() && io.is_empty() && s.wechat.is_empty() && s.harmonyos.is_empty() {
                if s.network.is_empty() {
                    self.warn(f, "", "no identifiers: this SDK can never be detected");
                } else {
                    self.warn(
                        f,
                        "",
                        "only network domains: detection is weak evidence at best",
                    );
                }
            }
        }
    }

    fn domain(&mut self, f: &str, key: &str, d: &str) {
        let ok = !d.is_empty()
            && d.contains('.')
            && !d.starts_with('.')
            && !d.ends_with('.')
            && !d.contains("..")
            && d.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
        if !ok {
            return self.err(
                f,
                key,
                format!("{d:?}: a lower-case host or registrable domain (umeng.com)"),
            );
        }
        if GENERIC_DOMAINS.contains(&d) {
            self.err(
                f,
                key,
                format!("{d:?}: over-generic (public suffix or shared hosting)"),
            );
        } else if SHARED_DOMAINS.contains(&d) {
            self.warn(
                f,
                key,
                format!("{d:?}: a corporate domain shared by many products; prefer specific hosts"),
            );
        }
    }

    fn check_permissions(&mut self, p: &PermissionFile) {
        let f = "permissions.toml";
        let mut seen: HashMap<&str, String> = HashMap::new();
        for (table, list) in [
            ("android", &p.android),
            ("ios_usage", &p.ios_usage),
            ("ios_entitlement", &p.ios_entitlement),
            ("wechat", &p.wechat),
            ("harmonyos", &p.harmonyos),
        ] {
            for (i, d) in list.iter().enumerate() {
                let key = format!("{table}[{i}]");
                if d.name.trim().is_empty() {
                    self.err(f, &key, "empty name");
                }
                if let Some(other) = seen.insert(&d.name, key.clone()) {
                    self.err(f, &key, format!("duplicate {:?} (also {other})", d.name));
                }
                self.category(
                    f,
                    &format!("{key}.category"),
                    &d.category,
                    &[PI_CATEGORIES, CAPABILITY_CATEGORIES],
                );
                self.zh(f, &format!("{key}.what_zh"), d.what_zh.as_deref());
                if !PERMISSION_LEVELS.contains(&d.level.as_str()) {
                    self.err(
                        f,
                        &format!("{key}.level"),
                        format!("unknown level {:?}", d.level),
                    );
                }
                if let Some(b) = &d.biometric {
                    if !BIOMETRIC_MODALITIES.contains(&b.as_str()) {
                        self.err(
                            f,
                            &format!("{key}.biometric"),
                            format!("unknown modality {b:?}"),
                        );
                    }
                }
            }
        }
    }

    fn check_apis(&mut self, a: &ApiFile) {
        let f = "apis.toml";
        let mut ids: HashMap<&str, (String, String)> = HashMap::new();
        for (i, d) in a.android.iter().enumerate() {
            let key = format!("android[{i}]");
            self.api_common(f, &key, d.head(), &mut ids);
            if d.class.is_empty() || d.class.contains('/') || d.class.contains(char::is_whitespace)
            {
                self.err(
                    f,
                    &format!("{key}.class"),
                    format!("{:?}: a dotted class name", d.class),
                );
            }
        }
        for (i, d) in a.ios.iter().enumerate() {
            let key = format!("ios[{i}]");
            self.api_common(f, &key, d.head(), &mut ids);
            if d.selectors.is_empty() && d.symbols.is_empty() && d.classes.is_empty() {
                self.err(f, &key, "needs classes, selectors or symbols");
            }
        }
        for (i, d) in a.wechat.iter().enumerate() {
            let key = format!("wechat[{i}]");
            self.api_common(f, &key, d.head(), &mut ids);
            if d.functions.is_empty() && d.open_types.is_empty() {
                self.err(f, &key, "needs functions or open_types");
            }
            for (j, n) in d.functions.iter().chain(&d.open_types).enumerate() {
                if n.is_empty() || !n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    self.err(
                        f,
                        &format!("{key}[{j}]"),
                        format!("{n:?}: a wx.* function or open-type name"),
                    );
                }
            }
        }
        for (i, d) in a.harmonyos.iter().enumerate() {
            let key = format!("harmonyos[{i}]");
            self.api_common(f, &key, d.head(), &mut ids);
            if d.modules.is_empty() {
                self.err(f, &key, "needs modules");
            }
            for (j, m) in d.modules.iter().enumerate() {
                if !(m.starts_with("@ohos.") || m.starts_with("@kit.") || m.starts_with("@hms.")) {
                    self.err(
                        f,
                        &format!("{key}.modules[{j}]"),
                        format!("{m:?}: module names start with @ohos., @kit. or @hms."),
                    );
                }
            }
        }
    }

    /// Checks the fields every API entry shares (id, category, modality, Chinese text).
    fn api_common<'a>(
        &mut self,
        f: &str,
        key: &str,
        head: ApiHead<'a>,
        ids: &mut HashMap<&'a str, (String, String)>,
    ) {
        let ApiHead {
            id,
            category,
            biometric,
            what_zh,
            ..
        } = head;
        self.zh(f, &format!("{key}.what_zh"), what_zh);
        if !valid_id(id) {
            self.err(
                f,
                &format!("{key}.id"),
                format!("{id:?}: must match [a-z0-9][a-z0-9-]*"),
            );
        }
        // One id may span several entries (a capability reached through several classes, on
        // both platforms), but always with one category.
        if let Some(other) = ids.get(id) {
            if other.1 != category {
                self.err(
                    f,
                    &format!("{key}.category"),
                    format!("id {id:?} has category {:?} at {}", other.1, other.0),
                );
            }
        } else {
            ids.insert(id, (key.to_string(), category.to_string()));
        }
        self.category(
            f,
            &format!("{key}.category"),
            category,
            &[PI_CATEGORIES, CAPABILITY_CATEGORIES],
        );
        if let Some(b) = biometric {
            if !BIOMETRIC_MODALITIES.contains(&b) {
                self.err(
                    f,
                    &format!("{key}.biometric"),
                    format!("unknown modality {b:?}"),
                );
            }
        }
    }

    fn check_packers(&mut self, p: &PackerFile) {
        let f = "packers.toml";
        let mut ids: HashMap<&str, String> = HashMap::new();
        let mut libs: HashMap<&str, String> = HashMap::new();
        for (i, d) in p.packer.iter().enumerate() {
            let key = format!("packer[{i}]");
            if !valid_id(&d.id) {
                self.err(
                    f,
                    &format!("{key}.id"),
                    format!("{:?}: must match [a-z0-9][a-z0-9-]*", d.id),
                );
            }
            if let Some(o) = ids.insert(&d.id, key.clone()) {
                self.err(f, &format!("{key}.id"), format!("duplicate id (also {o})"));
            }
            self.zh(f, &format!("{key}.name_zh"), d.name_zh.as_deref());
            if d.native_libs.is_empty() && d.classes.is_empty() && d.files.is_empty() {
                self.err(f, &key, "no identifiers");
            }
            for (j, c) in d.classes.iter().enumerate() {
                self.prefix(f, &format!("{key}.classes[{j}]"), c);
            }
            for (j, n) in d.native_libs.iter().enumerate() {
                let k = format!("{key}.native_libs[{j}]");
                match n.strip_prefix("re:") {
                    Some(r) => self.regex(f, &k, r, NATIVE_CANARIES),
                    None => {
                        if let Some(o) = libs.insert(n, k.clone()) {
                            self.err(f, &k, format!("{n:?} also listed at {o}"));
                        }
                    }
                }
            }
            for (j, n) in d.files.iter().enumerate() {
                if let Some(r) = n.strip_prefix("re:") {
                    self.regex(
                        f,
                        &format!("{key}.files[{j}]"),
                        r,
                        &["classes.dex", "AndroidManifest.xml", "assets/a.txt"],
                    );
                }
            }
        }
        for (i, d) in p.code_loading.iter().enumerate() {
            let key = format!("code_loading[{i}]");
            if !valid_id(&d.id) {
                self.err(
                    f,
                    &format!("{key}.id"),
                    format!("{:?}: must match [a-z0-9][a-z0-9-]*", d.id),
                );
            }
            if let Some(o) = ids.insert(&d.id, key.clone()) {
                self.err(f, &format!("{key}.id"), format!("duplicate id (also {o})"));
            }
            self.zh(f, &format!("{key}.name_zh"), d.name_zh.as_deref());
            if d.class.is_empty() {
                self.err(f, &format!("{key}.class"), "empty class");
            }
        }
    }
}

/// A CJK unified ideograph (basic block and extension A).
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

pub(crate) fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A synthetic class name under a prefix.
pub fn synthetic_class(prefix: &str) -> String {
    format!("{prefix}.AppvetSyntheticProbe")
}

/// For each SDK, a synthetic class name built from each prefix must be detected as exactly
/// that SDK (no more specific prefix of another SDK, no other SDK's regex).
fn self_check(db: &Database, paths: &[String], v: &mut Validator) {
    let mut by_id: BTreeMap<&str, &str> = BTreeMap::new();
    for (p, s) in paths.iter().zip(&db.sdks) {
        by_id.insert(&s.id, p);
    }
    for (i, s) in db.sdks.iter().enumerate() {
        let f = by_id.get(s.id.as_str()).copied().unwrap_or("sdk/?");
        for (j, p) in s.android.packages.iter().enumerate() {
            for name in [p.clone(), synthetic_class(p)] {
                let got = db.class_sdk(&name);
                if got != Some(i) {
                    let other = got
                        .and_then(|g| db.sdks.get(g))
                        .map(|o| o.id.as_str())
                        .unwrap_or("nothing");
                    v.err(
                        f,
                        &format!("android.packages[{j}]"),
                        format!("{name:?} is detected as {other}, not {}", s.id),
                    );
                }
                let regexes: Vec<usize> = db.m.class_regex.find_all(&name);
                if let Some(o) = regexes
                    .iter()
                    .find(|&&r| r != i)
                    .and_then(|&r| db.sdks.get(r))
                {
                    v.err(
                        f,
                        &format!("android.packages[{j}]"),
                        format!("{name:?} is also matched by a class_regex of {}", o.id),
                    );
                }
            }
        }
        for (j, p) in s.android.components.iter().enumerate() {
            let name = synthetic_class(p);
            if db.m.components.find(&name) != Some(i) {
                v.err(
                    f,
                    &format!("android.components[{j}]"),
                    format!("{name:?} is not detected as {}", s.id),
                );
            }
        }
        for (j, p) in s.ios.class_prefixes.iter().enumerate() {
            let name = format!("{p}AppvetSynthetic");
            if db.m.objc_prefixes.find(&name) != Some(i) {
                v.err(
                    f,
                    &format!("ios.class_prefixes[{j}]"),
                    format!("{name:?} is not detected as {}", s.id),
                );
            }
        }
    }
}

/// `wx` followed by 16 hex digits: a mini-program (or plugin) app id.
fn is_wechat_appid(s: &str) -> bool {
    s.len() == 18 && s.starts_with("wx") && s.bytes().skip(2).all(|b| b.is_ascii_hexdigit())
}

/// An npm / ohpm package name: `name` or `@scope/name`, lower case letters, digits, `-._`.
fn is_package_name(s: &str) -> bool {
    let ok = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b))
    };
    match s.strip_prefix('@') {
        Some(rest) => rest.split_once('/').is_some_and(|(a, b)| ok(a) && ok(b)),
        None => ok(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn the_tables_computed_at_build_time_are_the_ones_the_toml_gives() {
        let files: Vec<(String, String)> = EMBEDDED
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        let mut v = Validator::default();
        let parsed = parse_files(&files, &mut v);
        let sdks: Vec<SdkDef> = parsed.sdks.iter().map(|(_, s)| s.clone()).collect();
        let computed = tables::compute(&sdks, &parsed.permissions, &parsed.apis, &parsed.packers);
        let embedded = EMBEDDED_TABLES
            .as_ref()
            .expect("build.rs computed no tables");
        assert_eq!(embedded, &computed);
        assert!(embedded.classes.entries.len() > 1000);
        assert!(matches!(embedded.classes.entries, Cow::Borrowed(_)));
    }
}
