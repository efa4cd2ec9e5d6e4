#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]
//! WeChat mini-program packages (`.wxapkg`) to an appvet [`PackageScan`].
//!
//! # Container
//!
//! A `.wxapkg` as the WeChat client caches it (all integers big-endian): a 14-byte header
//! (`u8` 0xBE, `u32` info, `u32` index length, `u32` body length, `u8` 0xED), the index at
//! offset 14 (`u32` file count; per file `u32` name length, the name, `u32` absolute offset,
//! `u32` size) and the stored (uncompressed) file data. Everything is read in place: entries are
//! slices of the input, nothing is extracted or copied.
//!
//! - The file count is checked against [`Limits::max_zip_entries`] (error `zip entries`, the
//!   same limit and `--max-entries` flag as zip archives) before anything is read. A count that
//!   claims more 12-byte records than the bytes after it can hold, and an index that ends
//!   early, give `wxapkg.index-truncated` and the records that fit. A name longer than 4096
//!   bytes (`wxapkg.bad-name-length`) stops the index.
//! - `wxapkg.index-length-mismatch` / `wxapkg.body-length-mismatch`: the header's lengths
//!   disagree with the index as read / with the file size (`14 + index + body`).
//! - `wxapkg.entry-out-of-bounds`: offset + size past the end of the file (entry skipped);
//!   `wxapkg.overlapping-entries`: an entry's data overlaps the header, the index or an earlier
//!   entry's data (kept); `wxapkg.duplicate-entry`: a name listed twice (the first is kept);
//!   `wxapkg.name-not-utf8`: the name is read lossily.
//! - The `info` field is not read (it is 0 in every package we know of).
//! - An encrypted Windows-client package (`V1MMWX...`, see [`is_encrypted_pc_wxapkg`]) is
//!   [`Error::UnsupportedPackage`]: decrypting it needs the app id and is not done here.
//!
//! Every entry read (config, JavaScript, WXML) is checked against [`Limits::max_entry_size`]
//! (`zip entry size`) and their sum against [`Limits::max_total_inflated`]
//! (`total inflated bytes`); [`Limits::check_time`] runs before each entry read (and every
//! 1024 index records). Every inventory list but `anomalies` (at most a few per index record) is
//! capped at [`Limits::max_list_items`] (the rest counted in `truncated`); the classes and
//! methods of one code unit are bounded by its file's size. Lists are sorted, except pages,
//! which keep config order.
//!
//! # Locations
//!
//! `entry` is the file's name as stored in the index (`/app-config.json`); `offset` is an
//! **absolute byte offset in the `.wxapkg`**: the start of the file's data for facts from a
//! config file (with `path` the JSON key path, `permission.scope.userLocation`), the first byte
//! of the string literal for URLs, the start of the data for code units.
//!
//! # Facts
//!
//! The config is the first of `/app-config.json` (compiled packages), `/app.json` (source
//! layout), `/game.json` (mini-games) and the shortest `<dir>/app-config.json` (a sub-package
//! package); none gives `wxapkg.config-missing`, invalid JSON `wxapkg.config-unreadable`, and
//! the rest of the package is still scanned. From it:
//!
//! - `package`: platform `wechat-miniprogram`, format `wxapkg`; `id` = `appid` (`""` when absent:
//!   source layouts keep it in `project.config.json`, which is not read); `label` =
//!   `global.window.navigationBarTitleText`, else `window.navigationBarTitleText`; no versions
//!   (the package carries none).
//! - `components`: one `page` per `pages[i]` and per `subPackages[i].pages[j]` (also spelt
//!   `subpackages`), the latter prefixed with the sub-package `root`; not exported, in config
//!   order (the first page is the home page).
//! - `permissions`: `permission.<scope>` (name = scope, `detail` = its `desc`) and
//!   `requiredPrivateInfos[i]` (name = the API, `getLocation`; `detail` = `requiredPrivateInfos`).
//! - `modules`: `plugins.<alias>` and `subPackages[i].plugins.<alias>` as `wechat-plugin`
//!   (`id` = `provider` app id, `alias`, `version`); `npm` modules named by every file path and
//!   `define()` path under `miniprogram_npm/<name>/` (or `@scope/name`), one per name.
//! - `metadata`: `entryPagePath` and each `networkTimeout.<kind>` (milliseconds as text).
//! - `background_modes`: `requiredBackgroundModes`.
//! - `files`: the config (`other`); nested `.wxapkg`, `.zip`, `.jar`, `.apk` files as
//!   `embedded-archive`.
//!
//! Not read from the config: `usingComponents`, `window` styling, `tabBar`, `page` (per-page
//! window settings of compiled packages), `preloadRule`, `workers`, `style`, `sitemapLocation`,
//! `lazyCodeLoading`: none of them names a capability, a permission or a third party.
//!
//! Code ([`js`] documents the scan):
//!
//! - Every `*.js` file is a `CodeUnit` (format `js`, version `js`): `classes_defined` = its
//!   distinct `define()` module paths, sorted, `index` = ordinal, plus the file's own path when
//!   calls occur outside any `define()`; `methods` = one reference per distinct `wx.<api>` use
//!   (class `wx`, name = the API, proto `""`, index = ordinal) with `callers` = the modules (as
//!   `classes_defined` indices) whose code uses it; `string_count` = string literals.
//! - Every `*.wxml` file with `open-type` attributes is a `CodeUnit` (format `js`, version
//!   `wxml`) whose `methods` are the values (class `wx-open-type`: `getPhoneNumber`,
//!   `getRealtimePhoneNumber`, `chooseAvatar`, `getUserInfo`, ...), caller = the file.
//! - `urls`: URLs and host names (the shared [`appvet_model::urls`] recogniser) in every
//!   string literal of the JavaScript and every quoted attribute value of the WXML, once per
//!   file and value.
//!
//! Not read: `*.wxss` (styles); `*.json` other than the config (per-page configs repeat
//! `usingComponents` and window styling); `page-frame.html` and other `.html` files (compiled
//! WXML templates: their `open-type` values are bare string constants in generated arrays,
//! without the attribute name, so they cannot be told apart from other strings; the `.js`
//! files of a compiled package, `app-wxss.js` and `page-frame.js` included, are scanned like
//! any JavaScript); `project.config.json` / `project.private.config.json` (developer-tool
//! settings, not shipped in cached packages); `sitemap.json`; images and other assets.

pub mod js;

use appvet_model::{
    urls::find_urls, Anomaly, CodeFormat, CodeUnit, Component, ComponentKind, Error, FileKind,
    Inventory, Limits, Location, MetaData, MethodRefs, Module, ModuleKind, Named, NotableFile,
    PackageFormat, PackageInfo, PackageScan, PermissionRequest, Platform, Result, UrlString,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

const HEADER: usize = 14;
const MAX_NAME: usize = 4096;

/// Does `data` start like a `.wxapkg` (0xBE at byte 0, 0xED at byte 13)?
pub fn is_wxapkg(data: &[u8]) -> bool {
    data.first() == Some(&0xBE) && data.get(13) == Some(&0xED)
}

/// Is `data` a Windows PC WeChat client's encrypted package (starts with `V1MMWX`)?
pub fn is_encrypted_pc_wxapkg(data: &[u8]) -> bool {
    data.starts_with(b"V1MMWX")
}

/// One file of the package.
#[derive(Debug, Clone)]
struct Entry<'a> {
    name: String,
    offset: u64,
    size: u64,
    data: &'a [u8],
}

impl Entry<'_> {
    fn path(&self) -> &str {
        self.name.strip_prefix('/').unwrap_or(&self.name)
    }

    fn location(&self) -> Location {
        Location::entry(self.name.clone()).with_offset(self.offset)
    }
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    let b = d.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([
        *b.first()?,
        *b.get(1)?,
        *b.get(2)?,
        *b.get(3)?,
    ]))
}

fn header_location(offset: u64) -> Location {
    Location::entry("").with_offset(offset)
}

/// Read the header and index: the entries that lie inside the file (first of each name), in
/// index order, and the anomalies.
fn read_index<'a>(data: &'a [u8], limits: &Limits) -> Result<(Vec<Entry<'a>>, Vec<Anomaly>)> {
    if is_encrypted_pc_wxapkg(data) {
        return Err(Error::UnsupportedPackage(
            "an encrypted PC WeChat cache package (V1MMWX); it needs the app id to decrypt \
             (PBKDF2 key from the app id, AES-CBC head and XOR body), which appvet does not do: \
             scan the decrypted .wxapkg"
                .into(),
        ));
    }
    if !is_wxapkg(data) {
        return Err(Error::UnsupportedPackage(
            "not a .wxapkg (no 0xBE ... 0xED header marks)".into(),
        ));
    }
    let mut anomalies = Vec::new();
    let index_len = be32(data, 5).unwrap_or(0) as u64;
    let body_len = be32(data, 9).unwrap_or(0) as u64;
    let count = be32(data, HEADER)
        .ok_or_else(|| Error::malformed("wxapkg index", "no file count after the header"))?;
    let max = limits.max_zip_entries as u64;
    if u64::from(count) > max {
        return Err(Error::Limit {
            what: "zip entries",
            value: count.into(),
            limit: max,
        });
    }
    let len = data.len() as u64;
    let mut pos = HEADER + 4;
    let room = len.saturating_sub(pos as u64) / 12;
    if u64::from(count) > room {
        anomalies.push(Anomaly::new(
            "wxapkg.index-truncated",
            format!(
                "the index lists {count} files but the {} bytes after it hold at most {room} \
                 records",
                len.saturating_sub(pos as u64)
            ),
            header_location(HEADER as u64),
        ));
    }
    let mut raw: Vec<(String, u64, u64, usize)> = Vec::new();
    for i in 0..count {
        if i % 1024 == 1023 {
            limits.check_time()?;
        }
        let Some(name_len) = be32(data, pos) else {
            anomalies.push(Anomaly::new(
                "wxapkg.index-truncated",
                format!("the index ends after {i} of {count} records"),
                header_location(pos as u64),
            ));
            break;
        };
        let name_len = name_len as usize;
        if name_len > MAX_NAME {
            anomalies.push(Anomaly::new(
                "wxapkg.bad-name-length",
                format!("record {i} has a {name_len}-byte name (at most {MAX_NAME} read); the rest of the index is not read"),
                header_location(pos as u64),
            ));
            break;
        }
        let name_at = pos + 4;
        let (Some(name), Some(offset), Some(size)) = (
            data.get(name_at..name_at + name_len),
            be32(data, name_at + name_len),
            be32(data, name_at + name_len + 4),
        ) else {
            anomalies.push(Anomaly::new(
                "wxapkg.index-truncated",
                format!("record {i} of {count} runs past the end of the file"),
                header_location(pos as u64),
            ));
            break;
        };
        let name = match std::str::from_utf8(name) {
            Ok(s) => s.to_string(),
            Err(_) => {
                let lossy = String::from_utf8_lossy(name).into_owned();
                anomalies.push(Anomaly::new(
                    "wxapkg.name-not-utf8",
                    format!("record {i}: the name is not UTF-8 (read as {lossy:?})"),
                    header_location(name_at as u64),
                ));
                lossy
            }
        };
        raw.push((name, offset.into(), size.into(), pos));
        pos = name_at + name_len + 8;
    }
    let index_end = pos as u64;
    if index_len != index_end - HEADER as u64 {
        anomalies.push(Anomaly::new(
            "wxapkg.index-length-mismatch",
            format!(
                "the header gives an index of {index_len} bytes; the index read is {} bytes",
                index_end - HEADER as u64
            ),
            header_location(5),
        ));
    }
    if (HEADER as u64)
        .saturating_add(index_len)
        .saturating_add(body_len)
        != len
    {
        anomalies.push(Anomaly::new(
            "wxapkg.body-length-mismatch",
            format!(
                "header (14) + index ({index_len}) + body ({body_len}) bytes is not the file size ({len})"
            ),
            header_location(9),
        ));
    }
    let mut names: HashSet<String> = HashSet::new();
    let mut entries = Vec::new();
    for (name, offset, size, rec) in raw {
        let loc = Location::entry(name.clone()).with_offset(rec as u64);
        let end = offset.saturating_add(size);
        if end > len {
            anomalies.push(Anomaly::new(
                "wxapkg.entry-out-of-bounds",
                format!("{name}: {size} bytes at offset {offset} end past the file ({len} bytes); skipped"),
                loc,
            ));
            continue;
        }
        if !names.insert(name.clone()) {
            anomalies.push(Anomaly::new(
                "wxapkg.duplicate-entry",
                format!("{name} is listed again (index record at {rec}); the first is used"),
                loc,
            ));
            continue;
        }
        let slice = usize::try_from(offset)
            .ok()
            .zip(usize::try_from(end).ok())
            .and_then(|(a, b)| data.get(a..b))
            .unwrap_or(&[]);
        entries.push(Entry {
            name,
            offset,
            size,
            data: slice,
        });
    }
    // Overlaps: data inside the header/index or inside an earlier entry's data.
    let mut by_offset: Vec<&Entry<'_>> = entries.iter().filter(|e| e.size > 0).collect();
    by_offset.sort_by(|a, b| (a.offset, &a.name).cmp(&(b.offset, &b.name)));
    let mut reach: (u64, &str) = (index_end, "the header and index");
    for e in by_offset {
        if e.offset < reach.0 {
            anomalies.push(Anomaly::new(
                "wxapkg.overlapping-entries",
                format!(
                    "{}: bytes {}..{} overlap {} (up to {})",
                    e.name,
                    e.offset,
                    e.offset + e.size,
                    reach.1,
                    reach.0
                ),
                e.location(),
            ));
        }
        if e.offset + e.size > reach.0 {
            reach = (e.offset + e.size, &e.name);
        }
    }
    Ok((entries, anomalies))
}

/// Bytes read from the package's entries, checked against the limits.
struct Budget<'l> {
    limits: &'l Limits,
    total: u64,
}

impl Budget<'_> {
    fn take(&mut self, e: &Entry<'_>) -> Result<()> {
        self.limits.check_time()?;
        if e.size > self.limits.max_entry_size {
            return Err(Error::Limit {
                what: "zip entry size",
                value: e.size,
                limit: self.limits.max_entry_size,
            });
        }
        self.total = self.total.saturating_add(e.size);
        if self.total > self.limits.max_total_inflated {
            return Err(Error::Limit {
                what: "total inflated bytes",
                value: self.total,
                limit: self.limits.max_total_inflated,
            });
        }
        Ok(())
    }
}

/// Scan a `.wxapkg`.
pub fn scan(data: &[u8], limits: &Limits) -> Result<PackageScan> {
    let (mut entries, anomalies) = read_index(data, limits)?;
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let mut inv = Inventory {
        anomalies,
        ..Inventory::default()
    };
    let mut budget = Budget { limits, total: 0 };
    let mut package = PackageInfo {
        platform: Platform::WechatMiniprogram,
        format: PackageFormat::Wxapkg,
        id: String::new(),
        version_code: None,
        version_name: None,
        label: None,
        labels: BTreeMap::new(),
        min_sdk: None,
        target_sdk: None,
        compile_sdk: None,
        min_os_version: None,
        location: Location::default(),
    };

    let config = pick_config(&entries);
    match config {
        Some(c) => {
            budget.take(c)?;
            package.location = c.location();
            inv.app.location = c.location();
            inv.files.push(NotableFile {
                path: c.name.clone(),
                kind: FileKind::Other,
                size: c.size,
                location: c.location(),
            });
            let text = c.data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(c.data);
            match serde_json::from_slice::<Value>(text) {
                Ok(v) => read_config(c, &v, &mut package, &mut inv),
                Err(err) => inv.anomalies.push(Anomaly::new(
                    "wxapkg.config-unreadable",
                    format!("{} is not valid JSON: {err}", c.name),
                    c.location(),
                )),
            }
        }
        None => inv.anomalies.push(Anomaly::new(
            "wxapkg.config-missing",
            "no app-config.json, app.json or game.json in the package",
            Location::entry(""),
        )),
    }

    let mut npm: BTreeMap<String, Location> = BTreeMap::new();
    let mut seen_urls: HashSet<(String, String)> = HashSet::new();
    let mut urls_dropped = 0u64;
    for e in &entries {
        let path = e.path();
        if let Some(name) = npm_name(path) {
            npm.entry(name).or_insert_with(|| e.location());
        }
        let lower = path.to_ascii_lowercase();
        if [".wxapkg", ".zip", ".jar", ".apk"]
            .iter()
            .any(|x| lower.ends_with(x))
        {
            inv.files.push(NotableFile {
                path: e.name.clone(),
                kind: FileKind::EmbeddedArchive,
                size: e.size,
                location: e.location(),
            });
        }
        let mut strings: Vec<(usize, String)> = Vec::new();
        if lower.ends_with(".js") {
            budget.take(e)?;
            let facts = js::scan_js(e.data);
            for m in &facts.modules {
                if let Some(name) = npm_name(m) {
                    npm.entry(name)
                        .or_insert_with(|| e.location().with_path(format!("define({m})")));
                }
            }
            inv.code.push(js_unit(e, &facts));
            strings = facts.strings;
        } else if lower.ends_with(".wxml") {
            budget.take(e)?;
            let facts = js::scan_wxml(e.data);
            if !facts.open_types.is_empty() {
                let mut methods = MethodRefs::default();
                let class = methods.add_name(Arc::from("wx-open-type"));
                let proto = methods.add_name(Arc::from(""));
                // Each distinct value once, at its first occurrence (absolute offset).
                let mut first: BTreeMap<&str, usize> = BTreeMap::new();
                for (t, &o) in facts.open_types.iter().zip(&facts.open_type_offsets) {
                    first.entry(t.as_str()).or_insert(o);
                }
                for (t, o) in first {
                    let n = methods.add_name(Arc::from(t));
                    methods.push(class, n, proto, absolute(e, o), &[0]);
                }
                inv.code.push(CodeUnit {
                    format: CodeFormat::Js,
                    location: e.location(),
                    version: "wxml".into(),
                    classes_defined: vec![Named {
                        name: Arc::from(path),
                        index: 0,
                    }],
                    methods,
                    ..CodeUnit::default()
                });
            }
            strings = facts.strings;
        }
        for (off, s) in strings {
            for (kind, value, host) in find_urls(&s) {
                if !seen_urls.insert((e.name.clone(), value.clone())) {
                    continue;
                }
                if inv.urls.len() >= limits.max_list_items {
                    urls_dropped += 1;
                    continue;
                }
                inv.urls.push(UrlString {
                    value,
                    kind,
                    host,
                    location: Location::entry(e.name.clone())
                        .with_offset(e.offset.saturating_add(off as u64)),
                });
            }
        }
    }
    if urls_dropped > 0 {
        inv.truncated.insert("urls".into(), urls_dropped);
    }
    for (id, location) in npm {
        inv.modules.push(Module {
            kind: ModuleKind::Npm,
            id,
            alias: None,
            version: None,
            location,
        });
    }

    inv.permissions
        .sort_by(|a, b| (&a.name, &a.location).cmp(&(&b.name, &b.location)));
    inv.modules.sort();
    inv.urls.sort();
    inv.files.sort();
    inv.code
        .sort_by(|a, b| (&a.location, &a.version).cmp(&(&b.location, &b.version)));
    inv.anomalies.sort();
    let cap = limits.max_list_items;
    let mut t = BTreeMap::new();
    cut(&mut inv.components, cap, "components", &mut t);
    cut(&mut inv.permissions, cap, "permissions", &mut t);
    cut(&mut inv.modules, cap, "modules", &mut t);
    cut(&mut inv.metadata, cap, "metadata", &mut t);
    cut(&mut inv.background_modes, cap, "background_modes", &mut t);
    cut(&mut inv.files, cap, "files", &mut t);
    cut(&mut inv.code, cap, "code", &mut t);
    for (k, v) in t {
        *inv.truncated.entry(k).or_default() += v;
    }
    Ok(PackageScan {
        package,
        inventory: inv,
    })
}

fn cut<T>(list: &mut Vec<T>, cap: usize, name: &str, t: &mut BTreeMap<String, u64>) {
    if list.len() > cap {
        t.insert(name.into(), (list.len() - cap) as u64);
        list.truncate(cap);
    }
}

fn ordinal(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The config file: `/app-config.json`, `/app.json`, `/game.json`, else the shortest
/// `<dir>/app-config.json`. `entries` is sorted by name.
fn pick_config<'e, 'a>(entries: &'e [Entry<'a>]) -> Option<&'e Entry<'a>> {
    for want in ["app-config.json", "app.json", "game.json"] {
        if let Some(e) = entries.iter().find(|e| e.path() == want) {
            return Some(e);
        }
    }
    entries
        .iter()
        .filter(|e| e.path().ends_with("/app-config.json"))
        .min_by_key(|e| (e.name.len(), e.name.clone()))
}

/// `<name>` (or `@scope/name`) of a path under `miniprogram_npm/`.
fn npm_name(path: &str) -> Option<String> {
    let at = if path.starts_with("miniprogram_npm/") {
        0
    } else {
        path.find("/miniprogram_npm/")? + 1
    };
    let rest = path.get(at + "miniprogram_npm/".len()..)?;
    let mut parts = rest.split('/');
    let first = parts.next()?;
    let name = if first.starts_with('@') {
        let second = parts.next()?;
        // A scoped package needs a directory under the scope.
        parts.next()?;
        format!("{first}/{second}")
    } else {
        // A module is a directory: `miniprogram_npm/x.js` names no package.
        parts.next()?;
        first.to_string()
    };
    let ok = !first.is_empty()
        && name.len() <= 214
        && !name.ends_with('/')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'@' | b'/'));
    ok.then_some(name)
}

/// A position in an entry's data as a byte offset in the package (what `Location.offset`
/// holds in this crate), saturated to `u32` as a method reference's `index`.
fn absolute(e: &Entry<'_>, pos: usize) -> u32 {
    u32::try_from(e.offset.saturating_add(pos as u64)).unwrap_or(u32::MAX)
}

fn js_unit(e: &Entry<'_>, facts: &js::JsFacts) -> CodeUnit {
    let file_level = facts.calls.iter().any(|(_, m)| m.is_none());
    let mut names: BTreeSet<&str> = facts.modules.iter().map(String::as_str).collect();
    if file_level {
        names.insert(e.path());
    }
    let index_of: BTreeMap<&str, u32> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (*n, ordinal(i)))
        .collect();
    let mut uses: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for ((api, _), &o) in facts.calls.iter().zip(&facts.call_offsets) {
        first.entry(api.as_str()).or_insert(o);
    }
    for (api, m) in &facts.calls {
        let caller = match m {
            Some(i) => facts.modules.get(*i).map_or(e.path(), String::as_str),
            None => e.path(),
        };
        if let Some(&c) = index_of.get(caller) {
            uses.entry(api.as_str()).or_default().insert(c);
        }
    }
    let mut methods = MethodRefs::default();
    if !uses.is_empty() {
        let class = methods.add_name(Arc::from("wx"));
        let proto = methods.add_name(Arc::from(""));
        for (api, callers) in uses {
            let n = methods.add_name(Arc::from(api));
            let callers: Vec<u32> = callers.into_iter().collect();
            let at = first.get(api).copied().unwrap_or(0);
            methods.push(class, n, proto, absolute(e, at), &callers);
        }
    }
    CodeUnit {
        format: CodeFormat::Js,
        location: e.location(),
        version: "js".into(),
        classes_defined: names
            .into_iter()
            .enumerate()
            .map(|(i, n)| Named {
                name: Arc::from(n),
                index: ordinal(i),
            })
            .collect(),
        methods,
        string_count: facts.string_count,
        ..CodeUnit::default()
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Map the config's keys into the package info and inventory (see the crate doc).
fn read_config(c: &Entry<'_>, v: &Value, package: &mut PackageInfo, inv: &mut Inventory) {
    let at = |path: String| c.location().with_path(path);
    if let Some(id) = v.get("appid").and_then(Value::as_str) {
        package.id = id.to_string();
        package.location = at("appid".into());
    }
    let title = |w: Option<&Value>| {
        w.and_then(|w| w.get("navigationBarTitleText"))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    package.label =
        title(v.get("global").and_then(|g| g.get("window"))).or_else(|| title(v.get("window")));
    if let Some(p) = v.get("entryPagePath").and_then(text) {
        inv.metadata.push(MetaData {
            name: "entryPagePath".into(),
            value: Some(p),
            component: None,
            location: at("entryPagePath".into()),
        });
    }
    if let Some(Value::Object(t)) = v.get("networkTimeout") {
        for (k, val) in t {
            inv.metadata.push(MetaData {
                name: format!("networkTimeout.{k}"),
                value: text(val),
                component: None,
                location: at(format!("networkTimeout.{k}")),
            });
        }
    }
    pages(v.get("pages"), "", "pages", &at, inv);
    plugins(v.get("plugins"), "plugins", &at, inv);
    for key in ["subPackages", "subpackages"] {
        let Some(Value::Array(subs)) = v.get(key) else {
            continue;
        };
        for (i, sub) in subs.iter().enumerate() {
            let root = sub
                .get("root")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim_matches('/');
            let prefix = if root.is_empty() {
                String::new()
            } else {
                format!("{root}/")
            };
            pages(
                sub.get("pages"),
                &prefix,
                &format!("{key}[{i}].pages"),
                &at,
                inv,
            );
            plugins(sub.get("plugins"), &format!("{key}[{i}].plugins"), &at, inv);
        }
    }
    if let Some(Value::Object(perms)) = v.get("permission") {
        for (scope, val) in perms {
            inv.permissions.push(PermissionRequest {
                name: scope.clone(),
                max_sdk: None,
                sdk23: false,
                detail: val.get("desc").and_then(text),
                location: at(format!("permission.{scope}")),
            });
        }
    }
    if let Some(Value::Array(apis)) = v.get("requiredPrivateInfos") {
        for (i, api) in apis.iter().enumerate() {
            if let Some(name) = api.as_str() {
                inv.permissions.push(PermissionRequest {
                    name: name.to_string(),
                    max_sdk: None,
                    sdk23: false,
                    detail: Some("requiredPrivateInfos".into()),
                    location: at(format!("requiredPrivateInfos[{i}]")),
                });
            }
        }
    }
    if let Some(Value::Array(modes)) = v.get("requiredBackgroundModes") {
        let set: BTreeSet<&str> = modes.iter().filter_map(Value::as_str).collect();
        inv.background_modes = set.into_iter().map(str::to_string).collect();
    }
}

fn pages(
    list: Option<&Value>,
    prefix: &str,
    key: &str,
    at: &impl Fn(String) -> Location,
    inv: &mut Inventory,
) {
    let Some(Value::Array(list)) = list else {
        return;
    };
    for (i, p) in list.iter().enumerate() {
        let Some(p) = p.as_str() else { continue };
        inv.components.push(Component::new(
            ComponentKind::Page,
            format!("{prefix}{}", p.trim_start_matches('/')),
            at(format!("{key}[{i}]")),
        ));
    }
}

fn plugins(obj: Option<&Value>, key: &str, at: &impl Fn(String) -> Location, inv: &mut Inventory) {
    let Some(Value::Object(obj)) = obj else {
        return;
    };
    for (alias, p) in obj {
        let provider = p.get("provider").and_then(Value::as_str).unwrap_or("");
        inv.modules.push(Module {
            kind: ModuleKind::WechatPlugin,
            id: provider.to_string(),
            alias: (alias != provider).then(|| alias.clone()),
            version: p.get("version").and_then(text),
            location: at(format!("{key}.{alias}")),
        });
    }
}

#[cfg(test)]
mod tests;
