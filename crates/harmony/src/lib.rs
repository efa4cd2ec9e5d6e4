#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]
//! HarmonyOS packages to an appvet [`PackageScan`]: an Ability Package (`.hap`, a zip with
//! `module.json`, or `config.json` in the older FA model) or an App Pack (`.app`, a zip of
//! `.hap` files with `pack.info`, each scanned and merged; locations are prefixed with the
//! inner entry and `!`, as for Android splits).
//!
//! What is read, and where it goes:
//!
//! - `module.json` (Stage model): `app.bundleName` → `id`, `app.versionCode` / `versionName`,
//!   `app.minAPIVersion` → `min_sdk`, `app.targetAPIVersion` → `target_sdk`, `app.label` →
//!   `label` when it is text (a `$string:` reference is not resolved, see below: no label, and
//!   the reference as metadata `app.label`),
//!   `app.debug` → `app.debuggable`; `module.requestPermissions[]` → `permissions` (`name`,
//!   `reason` as `detail`, location path `module.requestPermissions[i]`);
//!   `module.abilities[]` → components of kind `ability` (`exported` explicit, else not
//!   exported; `permissions[0]` as the guard; `skills[]` → intent filters: actions, entities as
//!   categories, uris as data), `module.extensionAbilities[]` → kind `extension` (its `type`
//!   as the filter's action); `module.deviceTypes[]` → `features` (`deviceType:phone`);
//!   `module.metadata[]` → `metadata`. FA model `config.json`: `app.bundleName`,
//!   `app.version.{code,name}`, `app.apiVersion.{compatible,target}`, `module.reqPermissions`,
//!   `module.abilities` (`visible` is exported), `module.deviceType`.
//! - `pack.info` of an App Pack: `summary.app.bundleName` and `summary.app.version` name the
//!   package when present; each inner `.hap` is a `part`.
//! - `libs/<abi>/*.so` → `native_libs`.
//! - `*.abc` (Ark bytecode, [`abc`]): one `CodeUnit` of format `abc` per file: `version`,
//!   `classes_defined` = record names, `methods` = system-module imports found among its
//!   strings (class `@ohos.x` / `@kit.X`, name empty, index = the string's byte offset, no
//!   callers: the instructions are not decoded), URLs → `urls`, ohpm packages named by records →
//!   `modules` (kind `ohpm`, with the version the record carries).
//! - The HAP signing block ([`sign`]): scheme `hap-sign`, the PKCS#7 certificates, the signing
//!   time, each sub-block as a `block_entries` item, the profile's type, distribution type,
//!   bundle name, developer id, APL and validity as the profile entry's text.
//! - `files`: module.json / config.json / pack.info / abc files (`other`), nested `.hap` /
//!   `.hsp` / `.har` / `.zip` (`embedded-archive`), `libs/` outside an ABI directory
//!   (`embedded-native`); `build_time` from the entry times as for Android.
//!
//! Not read: `resources.index` (the resource table: `$string:` labels and permission reasons
//! stay unresolved; restool writes two layouts of it and no real one was at hand to check a
//! reader against), `ets/sourceMaps.map` (listed), `module.json` fields without
//! bearing on the report (routes, window settings, forms), Ark instructions (so an import is
//! not attributed to the record that makes it), and the signatures are not verified.
//!
//! Anomaly codes: `harmony.module-json-unreadable`, `harmony.module-json-missing`,
//! `harmony.abc-unreadable`, `harmony.abc-recovered`, `harmony.signing-unreadable`,
//! `harmony.profile-unreadable`, `harmony.hap-unreadable`, plus the archive's `zip.*` codes.

pub mod abc;
pub mod sign;

use appvet_model::{
    urls::find_urls, Anomaly, CodeFormat, CodeUnit, Component, ComponentKind, Error,
    ExportedReason, Feature, FileKind, IntentData, IntentFilter, Inventory, Limits, Location,
    MetaData, MethodRefs, Module, ModuleKind, Named, NativeLib, NotableFile, PackageFormat,
    PackageInfo, PackagePart, PackageScan, PermissionRequest, Platform, Result, UrlString,
};
use appvet_zip::Archive;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// `Hap` for an Ability Package, `App` for an App Pack, `None` for anything else.
pub fn detect_kind(archive: &Archive<'_>) -> Option<PackageFormat> {
    let has = |n: &str| archive.by_name(n).is_some();
    if has("AndroidManifest.xml")
        || archive
            .entries()
            .iter()
            .any(|e| e.name.starts_with("Payload/"))
    {
        return None;
    }
    if has("module.json") {
        return Some(PackageFormat::Hap);
    }
    if has("pack.info")
        && archive
            .entries()
            .iter()
            .any(|e| e.name.ends_with(".hap") && !e.name.contains('/'))
    {
        return Some(PackageFormat::App);
    }
    if has("config.json")
        && (has("resources.index")
            || archive
                .entries()
                .iter()
                .any(|e| e.name.starts_with("assets/js/") || e.name.starts_with("ets/")))
    {
        return Some(PackageFormat::Hap);
    }
    None
}

/// Scan a HAP or an App Pack.
pub fn scan(archive: &Archive<'_>, limits: &Limits) -> Result<PackageScan> {
    match detect_kind(archive) {
        Some(PackageFormat::App) => scan_app(archive, limits),
        Some(_) => {
            let (package, inventory) = scan_hap(archive, limits)?;
            Ok(PackageScan { package, inventory })
        }
        None => Err(Error::UnsupportedPackage(
            "no module.json, no pack.info with .hap files, no config.json beside resources.index, assets/js/ or ets/: not a HarmonyOS package".into(),
        )),
    }
}

fn scan_app(archive: &Archive<'_>, limits: &Limits) -> Result<PackageScan> {
    let inner_limits = limits.nested()?;
    let mut inv = Inventory::default();
    inv.anomalies.extend(archive.anomalies().iter().cloned());
    let pack = archive
        .by_name("pack.info")
        .and_then(|e| archive.read(e).ok())
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    let mut haps: Vec<&appvet_zip::Entry> = archive
        .entries()
        .iter()
        .filter(|e| e.name.ends_with(".hap") && !e.name.contains('/'))
        .collect();
    haps.sort_by(|a, b| a.name.cmp(&b.name));
    let mut first: Option<PackageInfo> = None;
    let mut first_is_entry = false;
    for e in haps {
        limits.check_time()?;
        let bytes = match archive.read(e) {
            Ok(b) => b,
            Err(err) => {
                inv.anomalies.push(Anomaly::new(
                    "harmony.hap-unreadable",
                    format!("{}: {}", e.name, appvet_model::Error::from(err)),
                    Location::entry(&e.name),
                ));
                continue;
            }
        };
        let result = Archive::parse(&bytes, &inner_limits)
            .map_err(Error::from)
            .and_then(|a| scan_hap(&a, &inner_limits));
        let (info, mut part) = match result {
            Ok(x) => x,
            Err(err @ Error::Limit { .. }) => return Err(err),
            Err(err) => {
                inv.anomalies.push(Anomaly::new(
                    "harmony.hap-unreadable",
                    format!("{}: {err}", e.name),
                    Location::entry(&e.name),
                ));
                continue;
            }
        };
        part.for_each_location_mut(|l| *l = std::mem::take(l).nested_in(&e.name));
        part.parts.push(PackagePart {
            entry: e.name.clone(),
            split: None,
            size: e.uncompressed_size,
        });
        // The entry module names the app; feature modules follow.
        let is_entry = part
            .metadata
            .iter()
            .any(|m| m.name == "module.type" && m.value.as_deref() == Some("entry"));
        if first.is_none() || (is_entry && !first_is_entry) {
            // The app-level flags (debug) are the entry module's.
            inv.app = part.app.clone();
            let mut info = info;
            info.location = info.location.nested_in(&e.name);
            first = Some(info);
            first_is_entry = is_entry;
        }
        inv.absorb(part);
    }
    let mut info = first.ok_or_else(|| {
        Error::malformed(
            "HarmonyOS App Pack",
            "no readable .hap inside (pack.info names none, or all are broken)",
        )
    })?;
    info.format = PackageFormat::App;
    if let Some(p) = &pack {
        if let Some(b) = p.pointer("/summary/app/bundleName").and_then(Value::as_str) {
            info.id = b.to_string();
        }
        if let Some(c) = p.pointer("/summary/app/version/code").and_then(num_or_str) {
            info.version_code = Some(c);
        }
        if let Some(n) = p
            .pointer("/summary/app/version/name")
            .and_then(Value::as_str)
        {
            info.version_name = Some(n.to_string());
        }
    }
    inv.files.push(NotableFile {
        path: "pack.info".into(),
        kind: FileKind::Other,
        size: archive
            .by_name("pack.info")
            .map_or(0, |e| e.uncompressed_size),
        location: Location::entry("pack.info"),
    });
    let outer = archive.build_time();
    if outer.newest_entry > inv.build_time.newest_entry {
        inv.build_time.newest_entry = outer.newest_entry;
        inv.build_time.newest_entry_location = outer.newest_entry_location;
    }
    finish(&mut inv, limits);
    Ok(PackageScan {
        package: info,
        inventory: inv,
    })
}

fn num_or_str(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn as_u32(v: Option<&Value>) -> Option<u32> {
    v.and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
}

fn str_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// One HAP: identity and inventory.
fn scan_hap(archive: &Archive<'_>, limits: &Limits) -> Result<(PackageInfo, Inventory)> {
    let mut inv = Inventory::default();
    inv.anomalies.extend(archive.anomalies().iter().cloned());
    let (cfg_name, stage) = if archive.by_name("module.json").is_some() {
        ("module.json", true)
    } else {
        ("config.json", false)
    };
    let cfg: Value = match archive.by_name(cfg_name).map(|e| archive.read(e)) {
        Some(Ok(b)) => match serde_json::from_slice(&b) {
            Ok(v) => v,
            Err(e) => {
                inv.anomalies.push(Anomaly::new(
                    "harmony.module-json-unreadable",
                    format!("{cfg_name} is not JSON: {e}"),
                    Location::entry(cfg_name),
                ));
                Value::Null
            }
        },
        Some(Err(e)) => return Err(e.into()),
        None => {
            inv.anomalies.push(Anomaly::new(
                "harmony.module-json-missing",
                "neither module.json nor config.json",
                Location::entry(cfg_name),
            ));
            Value::Null
        }
    };
    let info = if stage {
        stage_model(&cfg, &mut inv)
    } else {
        fa_model(&cfg, &mut inv)
    };
    entries(archive, limits, &mut inv)?;
    let s = sign::read(
        archive.data(),
        archive.central_directory_offset(),
        "(signing block)",
    );
    if s.present {
        inv.signing.add_scheme("hap-sign");
        for c in s.certificates {
            inv.signing.add_certificate(c);
        }
        inv.signing.signing_time = s.signing_time;
        inv.signing.block_entries = s.entries;
        inv.anomalies.extend(s.anomalies);
    }
    inv.build_time = appvet_model::BuildTime {
        signing_time: inv.signing.signing_time.clone(),
        ..archive.build_time()
    };
    finish(&mut inv, limits);
    Ok((info, inv))
}

fn stage_model(cfg: &Value, inv: &mut Inventory) -> PackageInfo {
    let app = cfg.get("app").unwrap_or(&Value::Null);
    let module = cfg.get("module").unwrap_or(&Value::Null);
    let loc = |path: String| Location::entry("module.json").with_path(path);
    inv.app.debuggable = app.get("debug").and_then(Value::as_bool);
    inv.app.location = loc("app".into());
    for (k, v) in [
        ("module.name", module.get("name")),
        ("module.type", module.get("type")),
    ] {
        if let Some(s) = v.and_then(Value::as_str) {
            inv.metadata.push(MetaData {
                name: k.into(),
                value: Some(s.into()),
                component: None,
                location: loc(k.into()),
            });
        }
    }
    permissions(module, "requestPermissions", &loc, inv);
    for (key, kind) in [
        ("abilities", ComponentKind::Ability),
        ("extensionAbilities", ComponentKind::Extension),
    ] {
        for (i, a) in module
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(name) = a.get("name").and_then(Value::as_str) else {
                continue;
            };
            let exported = a.get("exported").and_then(Value::as_bool);
            let mut filters = skills(a.get("skills"));
            if kind == ComponentKind::Extension {
                if let Some(t) = a.get("type").and_then(Value::as_str) {
                    filters.push(IntentFilter {
                        actions: vec![t.to_string()],
                        ..IntentFilter::default()
                    });
                }
            }
            inv.components.push(component(
                kind,
                name,
                exported,
                a.get("permissions")
                    .and_then(Value::as_array)
                    .and_then(|p| p.first())
                    .and_then(Value::as_str),
                filters,
                loc(format!("module.{key}[{i}]")),
            ));
        }
    }
    for (i, d) in str_list(module.get("deviceTypes")).into_iter().enumerate() {
        inv.features.push(Feature {
            name: format!("deviceType:{d}"),
            required: true,
            location: loc(format!("module.deviceTypes[{i}]")),
        });
    }
    for (i, m) in module
        .get("metadata")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(name) = m.get("name").and_then(Value::as_str) {
            inv.metadata.push(MetaData {
                name: name.into(),
                value: m
                    .get("value")
                    .or_else(|| m.get("resource"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
                component: None,
                location: loc(format!("module.metadata[{i}]")),
            });
        }
    }
    // A `$string:name` label lives in resources.index, which is not read: the package has no
    // readable label (as an unresolved Android reference), and the reference is kept as
    // metadata `app.label`.
    let mut label = app.get("label").and_then(Value::as_str).map(str::to_string);
    if let Some(reference) = label.take_if(|l| l.starts_with('$')) {
        inv.metadata.push(MetaData {
            name: "app.label".into(),
            value: Some(reference),
            component: None,
            location: loc("app.label".into()),
        });
    }
    PackageInfo {
        platform: Platform::Harmonyos,
        format: PackageFormat::Hap,
        id: app
            .get("bundleName")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        version_code: app.get("versionCode").and_then(num_or_str),
        version_name: app
            .get("versionName")
            .and_then(Value::as_str)
            .map(str::to_string),
        label,
        labels: BTreeMap::new(),
        min_sdk: as_u32(app.get("minAPIVersion")),
        target_sdk: as_u32(app.get("targetAPIVersion")),
        compile_sdk: None,
        min_os_version: None,
        location: Location::entry("module.json").with_path("app"),
    }
}

fn fa_model(cfg: &Value, inv: &mut Inventory) -> PackageInfo {
    let app = cfg.get("app").unwrap_or(&Value::Null);
    let module = cfg.get("module").unwrap_or(&Value::Null);
    let loc = |path: String| Location::entry("config.json").with_path(path);
    inv.app.location = loc("app".into());
    permissions(module, "reqPermissions", &loc, inv);
    for (i, a) in module
        .get("abilities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(name) = a.get("name").and_then(Value::as_str) else {
            continue;
        };
        inv.components.push(component(
            ComponentKind::Ability,
            name,
            a.get("visible").and_then(Value::as_bool),
            a.get("permissions")
                .and_then(Value::as_array)
                .and_then(|p| p.first())
                .and_then(Value::as_str),
            skills(a.get("skills")),
            loc(format!("module.abilities[{i}]")),
        ));
    }
    for (i, d) in str_list(module.get("deviceType")).into_iter().enumerate() {
        inv.features.push(Feature {
            name: format!("deviceType:{d}"),
            required: true,
            location: loc(format!("module.deviceType[{i}]")),
        });
    }
    PackageInfo {
        platform: Platform::Harmonyos,
        format: PackageFormat::Hap,
        id: app
            .get("bundleName")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        version_code: app.pointer("/version/code").and_then(num_or_str),
        version_name: app
            .pointer("/version/name")
            .and_then(Value::as_str)
            .map(str::to_string),
        label: None,
        labels: BTreeMap::new(),
        min_sdk: as_u32(app.pointer("/apiVersion/compatible")),
        target_sdk: as_u32(app.pointer("/apiVersion/target")),
        compile_sdk: None,
        min_os_version: None,
        location: Location::entry("config.json").with_path("app"),
    }
}

/// `module.<key>[]` (`requestPermissions` in module.json, `reqPermissions` in config.json):
/// each entry's `name`, with its `reason` as the detail.
fn permissions(module: &Value, key: &str, loc: &dyn Fn(String) -> Location, inv: &mut Inventory) {
    let list = module.get(key).and_then(Value::as_array);
    for (i, p) in list.into_iter().flatten().enumerate() {
        if let Some(name) = p.get("name").and_then(Value::as_str) {
            inv.permissions.push(PermissionRequest {
                name: name.into(),
                max_sdk: None,
                sdk23: false,
                detail: p.get("reason").and_then(Value::as_str).map(str::to_string),
                location: loc(format!("module.{key}[{i}]")),
            });
        }
    }
}

fn component(
    kind: ComponentKind,
    name: &str,
    exported: Option<bool>,
    permission: Option<&str>,
    intent_filters: Vec<IntentFilter>,
    location: Location,
) -> Component {
    Component {
        exported: exported.unwrap_or(false),
        exported_reason: if exported.is_some() {
            ExportedReason::Explicit
        } else {
            ExportedReason::Default
        },
        permission: permission.map(str::to_string),
        intent_filters,
        ..Component::new(kind, name, location)
    }
}

fn skills(v: Option<&Value>) -> Vec<IntentFilter> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|s| IntentFilter {
            actions: str_list(s.get("actions")),
            categories: str_list(s.get("entities")),
            data: s
                .get("uris")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|u| {
                    let f = |k: &str| u.get(k).and_then(Value::as_str).map(str::to_string);
                    IntentData {
                        scheme: f("scheme"),
                        host: f("host"),
                        port: f("port"),
                        path: f("path")
                            .or_else(|| f("pathStartWith"))
                            .or_else(|| f("pathRegex")),
                        mime_type: f("type"),
                    }
                })
                .collect(),
            auto_verify: false,
        })
        .collect()
}

/// Native libraries, notable files and the Ark bytecode.
fn entries(archive: &Archive<'_>, limits: &Limits, inv: &mut Inventory) -> Result<()> {
    let mut seen_urls: BTreeSet<String> = BTreeSet::new();
    let mut modules: BTreeMap<String, Module> = BTreeMap::new();
    for e in archive.entries() {
        if e.is_dir() {
            continue;
        }
        let n = e.name.as_str();
        let file = |kind| NotableFile {
            path: n.to_string(),
            kind,
            size: e.uncompressed_size,
            location: Location::entry(n),
        };
        if let Some(rest) = n.strip_prefix("libs/") {
            match rest.split_once('/') {
                Some((abi, name)) if !name.contains('/') && name.ends_with(".so") => {
                    inv.native_libs.push(NativeLib {
                        abi: abi.to_string(),
                        name: name.to_string(),
                        size: e.uncompressed_size,
                        location: Location::entry(n),
                    });
                }
                _ if n.ends_with(".so") => inv.files.push(file(FileKind::EmbeddedNative)),
                _ => {}
            }
            continue;
        }
        let lower = n.to_ascii_lowercase();
        if [".hap", ".hsp", ".har", ".zip", ".apk", ".jar"]
            .iter()
            .any(|x| lower.ends_with(x))
        {
            inv.files.push(file(FileKind::EmbeddedArchive));
            continue;
        }
        if n == "module.json"
            || n == "config.json"
            || n == "pack.info"
            || n.ends_with("sourceMaps.map")
        {
            inv.files.push(file(FileKind::Other));
            continue;
        }
        if !lower.ends_with(".abc") {
            continue;
        }
        inv.files.push(file(FileKind::Other));
        limits.check_time()?;
        let bytes = match archive.read(e) {
            Ok(b) => b,
            Err(err) => {
                let err = Error::from(err);
                if matches!(err, Error::Limit { .. }) {
                    return Err(err);
                }
                inv.anomalies.push(Anomaly::new(
                    "harmony.abc-unreadable",
                    format!("{n}: {err}"),
                    Location::entry(n),
                ));
                continue;
            }
        };
        let info = match abc::parse(&bytes, limits) {
            Ok(i) => i,
            Err(err @ Error::Limit { .. }) => return Err(err),
            Err(err) => {
                inv.anomalies.push(Anomaly::new(
                    "harmony.abc-unreadable",
                    format!("{n}: {err}"),
                    Location::entry(n),
                ));
                continue;
            }
        };
        if info.bad_classes > 0 {
            inv.anomalies.push(Anomaly::new(
                "harmony.abc-recovered",
                format!("{n}: {} class names could not be read", info.bad_classes),
                Location::entry(n),
            ));
        }
        if info.truncated > 0 {
            *inv.truncated.entry("abc".into()).or_default() += info.truncated;
        }
        let mut unit = CodeUnit {
            format: CodeFormat::Abc,
            location: Location::entry(n),
            version: info.version.clone(),
            string_count: u32::try_from(info.strings.len()).unwrap_or(u32::MAX),
            ..CodeUnit::default()
        };
        for (i, (off, name)) in info.classes.iter().enumerate() {
            unit.classes_defined.push(Named {
                name: Arc::from(name.as_str()),
                index: u32::try_from(i).unwrap_or(u32::MAX),
            });
            if let Some((pkg, version)) = abc::ohpm_package(name) {
                modules.entry(pkg.clone()).or_insert_with(|| Module {
                    kind: ModuleKind::Ohpm,
                    id: pkg,
                    alias: None,
                    version,
                    location: Location::entry(n).with_offset(*off),
                });
            }
        }
        let mut imports: BTreeMap<String, u64> = BTreeMap::new();
        for (off, s) in &info.strings {
            if let Some(m) = abc::system_module(s) {
                imports.entry(m).or_insert(*off);
            }
            if let Some((pkg, version)) = abc::ohpm_package(s) {
                modules.entry(pkg.clone()).or_insert_with(|| Module {
                    kind: ModuleKind::Ohpm,
                    id: pkg,
                    alias: None,
                    version,
                    location: Location::entry(n).with_offset(*off),
                });
            }
            for (kind, value, host) in find_urls(s) {
                if !seen_urls.insert(value.clone()) {
                    continue;
                }
                if inv.urls.len() >= limits.max_list_items {
                    *inv.truncated.entry("urls".into()).or_default() += 1;
                    continue;
                }
                inv.urls.push(UrlString {
                    value,
                    kind,
                    host,
                    location: Location::entry(n).with_offset(*off),
                });
            }
        }
        let mut methods = MethodRefs::default();
        let empty = methods.add_name(Arc::from(""));
        for (m, off) in imports {
            let c = methods.add_name(Arc::from(m.as_str()));
            methods.push(c, empty, empty, u32::try_from(off).unwrap_or(u32::MAX), &[]);
        }
        unit.methods = methods;
        inv.code.push(unit);
    }
    inv.modules.extend(modules.into_values());
    Ok(())
}

/// Deterministic order, lists bounded.
fn finish(inv: &mut Inventory, limits: &Limits) {
    inv.permissions.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then(a.location.entry.cmp(&b.location.entry))
    });
    inv.permissions.dedup_by(|a, b| a.name == b.name);
    inv.native_libs.sort();
    inv.files.sort();
    inv.urls.sort_by(|a, b| a.value.cmp(&b.value));
    inv.modules.sort();
    inv.modules
        .dedup_by(|a, b| a.kind == b.kind && a.id == b.id);
    for (name, len) in [
        ("urls", inv.urls.len()),
        ("components", inv.components.len()),
    ] {
        if len > limits.max_list_items {
            *inv.truncated.entry(name.into()).or_default() += (len - limits.max_list_items) as u64;
        }
    }
    inv.urls.truncate(limits.max_list_items);
    inv.components.truncate(limits.max_list_items);
}
