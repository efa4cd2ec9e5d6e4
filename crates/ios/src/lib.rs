#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]
//! iOS packages (IPA) to an appvet [`PackageScan`].
//!
//! An IPA is a zip holding `Payload/<Name>.app/`. From the already-parsed [`Archive`] this crate
//! reads only the entries that carry facts, each once:
//!
//! - the `Info.plist` of every bundle (binary or XML; [`info`] documents the mapping of the main
//!   app's keys) and the main app's `<locale>.lproj/InfoPlist.strings` (labels per locale);
//! - every Mach-O executable of a bundle and every `*.dylib`, parsed in parallel ([`macho`]): one
//!   [`CodeUnit`](appvet_model::CodeUnit) per architecture slice (`location.path` and `version`
//!   = the architecture, `bundle` = the bundle path, `min_os_version` = `LC_BUILD_VERSION` minos,
//!   else `LC_VERSION_MIN_*`), URL strings, and for app, extension and watch-app executables the
//!   code signature ([`codesign`]);
//! - `embedded.mobileprovision` of app-like bundles ([`provision`]) and every
//!   `PrivacyInfo.xcprivacy` ([`privacy`]).
//!
//! Where the facts go:
//!
//! - `bundles`: the app (`app`), `PlugIns/*.appex` (`extension`), `Watch/*.app` (`watch-app`),
//!   other nested `*.app` (`app`: App Clips), `*.framework` (`framework`), `*.bundle` (`bundle`) and
//!   every `*.dylib` file (`dylib`, path = executable = the file). `id` = `CFBundleIdentifier`,
//!   `version` = `CFBundleShortVersionString` (else `CFBundleVersion`); `signing_identifier` and
//!   `team_id` = the CodeDirectory identifier and team id of the executable's code signature
//!   (first signed slice; every kind of bundle, frameworks and dylibs too).
//! - `components`: the app's URL schemes and universal links on a pseudo-component of kind
//!   `activity` named after the bundle id (see [`info`]); each extension as kind `extension`, name =
//!   its bundle id, not exported, with one intent filter whose action is its
//!   `NSExtensionPointIdentifier` (`com.apple.share-services`, ...).
//! - `native_libs`: one per architecture slice of each embedded framework or dylib (`abi` = the
//!   architecture, `name` = `X.framework` / `libY.dylib`, `size` = the entry's size).
//! - `signing`: scheme `codesign` when an app-like executable has an embedded signature; signer
//!   certificates of its CMS blob (scheme `codesign`; none for ad-hoc signatures) and the profile's
//!   `DeveloperCertificates` (scheme `provisioning`); `signing_time` from the CMS signed
//!   attributes. `block_entries` lists the blobs of the main executable's SuperBlob (`id` = slot
//!   type, `name` = blob kind, `text` for the CodeDirectory = `identifier=…; team=…; flags=0x…`),
//!   `team_id` = the main executable's CodeDirectory team id, else the `TeamIdentifier` of the
//!   app's own `embedded.mobileprovision` (none for ad-hoc signatures without a profile).
//! - `entitlements`: of the main executable and of extensions/watch apps (location = executable,
//!   path `code signature`); `app.debuggable` = the main executable's `get-task-allow`.
//! - `files`: `embedded.mobileprovision`, `PrivacyInfo.xcprivacy`, `iTunesMetadata.plist`,
//!   `SC_Info/` (FairPlay) as `other`; `_CodeSignature/` as `signature`; nested archives
//!   (`.zip`, `.jar`, `.ipa`, `.apk`) as `embedded-archive`; `*.jsbundle` (React Native) as `asset`.
//! - `build_time`: newest entry time as for Android, signing time from the CMS signature.
//!
//! Anomaly codes: `ios.multiple-apps`, `ios.plist-unreadable`, `ios.strings-unreadable`,
//! `ios.executable-missing`, `ios.macho-unreadable`, `ios.macho-recovered`,
//! `ios.macho-bad-slice`, `ios.macho-overlapping-slices`, `ios.encrypted-binary`, `ios.codesign-unreadable`,
//! `ios.entitlements-unreadable`, `ios.codesign-identifier-mismatch`,
//! `ios.provisioning-unreadable`, `ios.privacy-manifest-unreadable`, plus the `apksig.*` codes of
//! certificates and the archive's `zip.*` codes.

//! Mach-O reading: headers, load commands, segments/sections and the symbol table are read with
//! the `object` crate's low-level `read::macho` API (bounds-checked, returns errors, no
//! arithmetic on untrusted values that can overflow); the fat header, the dyld tables
//! ([`dyld`]), Objective-C metadata and the code signature with our own checked readers. It
//! replaced goblin, which panics on hostile headers (overflowing `vmaddr - fileoff + entryoff`
//! for `LC_MAIN` at goblin 0.10.7 `mach/mod.rs:280`/`:289`), so that a panic would have had to
//! be contained with `catch_unwind` (noisy, and useless under `panic = "abort"`). Measured on
//! the fixtures' 12 Mach-O files mutated as in `tests/mutation.rs` (random truncations and byte
//! flips, plus 1-4 bytes or words overwritten in each slice's first 4 KiB): goblin panicked on
//! 739 of 1.08 million inputs, `object` on none; reading the fixtures was as fast or faster
//! (`parse_file` on all 12 files ×200: 445-508 ms before, 295-460 ms after, debug build).
//! Nothing here catches panics: the mutation tests fail on any panic from any crate.

pub mod codesign;
pub mod dyld;
pub mod info;
pub mod macho;
pub mod plist_read;
pub mod privacy;
pub mod provision;

use appvet_model::{
    Anomaly, BuildTime, Bundle, Component, ComponentKind, Entitlement, Error, FileKind, IntentData,
    IntentFilter, Inventory, Limits, Location, NativeLib, NotableFile, PackageScan, Result,
    SigningBlockEntry,
};
use appvet_zip::{Archive, Entry};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Does the archive look like an IPA (`Payload/<Name>.app/`)?
pub fn is_ipa(archive: &Archive<'_>) -> bool {
    archive
        .entries()
        .iter()
        .any(|e| e.name.starts_with("Payload/") && e.name.contains(".app/"))
}

/// The `Payload/<Name>.app` directories of the archive, sorted.
fn app_roots(archive: &Archive<'_>) -> Vec<String> {
    let set: BTreeSet<String> = archive
        .entries()
        .iter()
        .filter_map(|e| {
            let rest = e.name.strip_prefix("Payload/")?;
            let (dir, _) = rest.split_once('/')?;
            dir.ends_with(".app").then(|| format!("Payload/{dir}"))
        })
        .collect();
    set.into_iter().collect()
}

/// Kind of a bundle directory inside the app (`root` is the app itself).
fn bundle_kind(path: &str, root: &str) -> Option<&'static str> {
    if path == root {
        return Some("app");
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    if last.ends_with(".appex") {
        Some("extension")
    } else if last.ends_with(".app") {
        let parent = path.rsplit_once('/').map_or("", |(p, _)| p);
        Some(if parent.ends_with("/Watch") {
            "watch-app"
        } else {
            "app"
        })
    } else if last.ends_with(".framework") {
        Some("framework")
    } else if last.ends_with(".bundle") {
        Some("bundle")
    } else {
        None
    }
}

/// Every bundle directory (and `*.dylib` file) under `root`, sorted by path.
fn find_bundles(archive: &Archive<'_>, root: &str) -> Vec<(String, &'static str)> {
    let prefix = format!("{root}/");
    let mut found: BTreeMap<String, &'static str> = BTreeMap::new();
    found.insert(root.to_string(), "app");
    for e in archive.entries() {
        let Some(rel) = e.name.strip_prefix(&prefix) else {
            continue;
        };
        let mut path = root.to_string();
        let parts: Vec<&str> = rel.split('/').collect();
        let dirs = if e.name.ends_with('/') {
            parts.len()
        } else {
            parts.len().saturating_sub(1)
        };
        for part in parts.iter().take(dirs) {
            if part.is_empty() {
                break;
            }
            path.push('/');
            path.push_str(part);
            if let Some(kind) = bundle_kind(&path, root) {
                found.entry(path.clone()).or_insert(kind);
            }
        }
        if !e.is_dir() && rel.ends_with(".dylib") {
            found.insert(e.name.clone(), "dylib");
        }
    }
    found.into_iter().collect()
}

/// One Mach-O to parse.
struct Target {
    entry: String,
    bundle: String,
    kind: &'static str,
}

/// Scan an IPA.
pub fn scan(archive: &Archive<'_>, limits: &Limits) -> Result<PackageScan> {
    let roots = app_roots(archive);
    let mut inv = Inventory::default();
    let Some(root) = roots
        .iter()
        .find(|r| archive.by_name(&format!("{r}/Info.plist")).is_some())
        .cloned()
    else {
        return Err(Error::UnsupportedPackage(
            "no Payload/<Name>.app/Info.plist in the archive".into(),
        ));
    };
    if roots.len() > 1 {
        inv.anomalies.push(Anomaly::new(
            "ios.multiple-apps",
            format!(
                "{} app bundles under Payload/ ({}); {root} was scanned",
                roots.len(),
                roots.join(", ")
            ),
            Location::entry("Payload/"),
        ));
    }
    let info_entry = format!("{root}/Info.plist");
    let main_info = read_entry(archive, &info_entry)
        .and_then(|b| info::read_info_plist(&b))
        .map_err(|e| Error::malformed(&info_entry, e))?;
    let mut package = info::package_info(&main_info, &info_entry);
    info::app_facts(&main_info, &info_entry, &package.id, &mut inv);
    package.labels = labels(archive, &root, &mut inv);
    if let (false, Some(l)) = (package.labels.is_empty(), &package.label) {
        package.labels.insert(String::new(), l.clone());
    }

    // Bundles, their Info.plists and executables.
    let mut targets = Vec::new();
    let mut bundle_ids: BTreeMap<String, String> = BTreeMap::new();
    let bundles = find_bundles(archive, &root);
    let mut dropped = 0u64;
    for (path, kind) in bundles {
        if inv.bundles.len() >= limits.max_list_items {
            dropped += 1;
            continue;
        }
        if kind == "dylib" {
            targets.push(Target {
                entry: path.clone(),
                bundle: path.clone(),
                kind,
            });
            inv.bundles.push(Bundle {
                path: path.clone(),
                kind: kind.into(),
                id: None,
                version: None,
                executable: Some(path.clone()),
                signing_identifier: None,
                team_id: None,
                location: Location::entry(path),
            });
            continue;
        }
        let plist_entry = format!("{path}/Info.plist");
        let d = if path == root {
            Some(main_info.clone())
        } else if archive.by_name(&plist_entry).is_some() {
            match read_entry(archive, &plist_entry).and_then(|b| info::read_info_plist(&b)) {
                Ok(d) => Some(d),
                Err(e) => {
                    inv.anomalies.push(Anomaly::new(
                        "ios.plist-unreadable",
                        format!("Info.plist could not be parsed: {e}"),
                        Location::entry(plist_entry.clone()),
                    ));
                    None
                }
            }
        } else {
            None
        };
        let get = |k: &str| {
            d.as_ref()
                .and_then(|d| d.get(k))
                .and_then(plist_read::text_of)
                .filter(|s| !s.is_empty())
        };
        let id = get("CFBundleIdentifier");
        let stem = path
            .rsplit('/')
            .next()
            .and_then(|l| l.rsplit_once('.'))
            .map(|(s, _)| s.to_string());
        let exe_name = get("CFBundleExecutable").or(if kind == "framework" { stem } else { None });
        let mut executable = None;
        if let Some(name) = exe_name.filter(|n| !n.contains("..")) {
            let exe = format!("{path}/{name}");
            if archive.by_name(&exe).is_some() {
                executable = Some(exe.clone());
                targets.push(Target {
                    entry: exe,
                    bundle: path.clone(),
                    kind,
                });
            } else if kind != "bundle" {
                inv.anomalies.push(Anomaly::new(
                    "ios.executable-missing",
                    format!("the bundle names executable {name:?}, which is not in the package"),
                    Location::entry(plist_entry.clone()).with_path("CFBundleExecutable"),
                ));
            }
        }
        if let Some(i) = &id {
            bundle_ids.insert(path.clone(), i.clone());
        }
        if kind == "extension" {
            let point = d
                .as_ref()
                .and_then(|d| d.get("NSExtension"))
                .and_then(plist::Value::as_dictionary)
                .and_then(|x| plist_read::get_str(x, "NSExtensionPointIdentifier"))
                .map(str::to_string);
            inv.components.push(Component {
                intent_filters: point
                    .map(|p| {
                        vec![IntentFilter {
                            actions: vec![p],
                            ..IntentFilter::default()
                        }]
                    })
                    .unwrap_or_default(),
                ..Component::new(
                    ComponentKind::Extension,
                    id.clone().unwrap_or_else(|| path.clone()),
                    Location::entry(plist_entry.clone()),
                )
            });
        }
        inv.bundles.push(Bundle {
            path: path.clone(),
            kind: kind.into(),
            id,
            version: get("CFBundleShortVersionString").or_else(|| get("CFBundleVersion")),
            executable,
            signing_identifier: None,
            team_id: None,
            location: Location::entry(if d.is_some() { plist_entry } else { path }),
        });
    }
    if dropped > 0 {
        *inv.truncated.entry("bundles".into()).or_default() += dropped;
    }

    collect_code(
        archive,
        limits,
        &targets,
        &root,
        &package.id,
        &bundle_ids,
        &mut inv,
    );
    collect_provisioning(archive, &inv.bundles.clone(), &root, &mut inv);
    collect_privacy(archive, &root, &mut inv);
    collect_files(archive, limits, &mut inv);
    inv.build_time = build_time(archive, inv.signing.signing_time.clone());
    if inv.app.debuggable.is_none() {
        inv.app.location = Location::entry(info_entry);
    }
    inv.anomalies.extend(archive.anomalies().iter().cloned());
    Ok(PackageScan {
        package,
        inventory: inv,
    })
}

fn read_entry(archive: &Archive<'_>, name: &str) -> std::result::Result<Vec<u8>, String> {
    let e = archive
        .by_name(name)
        .ok_or_else(|| format!("{name} is missing"))?;
    archive
        .read(e)
        .map(|b| b.to_vec())
        .map_err(|e| e.to_string())
}

/// Labels per locale from `<root>/<locale>.lproj/InfoPlist.strings` ("" = the default label,
/// added when any locale has one).
fn labels(archive: &Archive<'_>, root: &str, inv: &mut Inventory) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let prefix = format!("{root}/");
    for e in archive.entries() {
        let Some(rel) = e.name.strip_prefix(&prefix) else {
            continue;
        };
        let Some((dir, "InfoPlist.strings")) = rel.split_once('/') else {
            continue;
        };
        let Some(locale) = dir.strip_suffix(".lproj").and_then(info::normalize_locale) else {
            continue;
        };
        let parsed = archive
            .read(e)
            .map_err(|err| err.to_string())
            .and_then(|b| plist_read::parse_strings(&b));
        match parsed {
            Ok(pairs) => {
                let label =
                    info::label_of(pairs.iter().map(|(k, v)| (k.as_str(), Some(v.clone()))));
                if let Some(l) = label {
                    out.insert(locale, l);
                }
            }
            Err(err) => inv.anomalies.push(Anomaly::new(
                "ios.strings-unreadable",
                format!("InfoPlist.strings could not be parsed: {err}"),
                Location::entry(e.name.clone()),
            )),
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn collect_code(
    archive: &Archive<'_>,
    limits: &Limits,
    targets: &[Target],
    root: &str,
    app_id: &str,
    bundle_ids: &BTreeMap<String, String>,
    inv: &mut Inventory,
) {
    let read = |t: &Target| {
        let want_sig = matches!(t.kind, "app" | "extension" | "watch-app");
        let Some(entry) = archive.by_name(&t.entry) else {
            return (macho::MachOFile::default(), 0);
        };
        match archive.read(entry) {
            Ok(bytes) => (
                macho::parse_file(&bytes, &t.entry, &t.bundle, want_sig, limits),
                entry.uncompressed_size,
            ),
            Err(e) => {
                let mut f = macho::MachOFile::default();
                f.anomalies.push(Anomaly::new(
                    "ios.macho-unreadable",
                    format!("executable could not be read: {e}"),
                    Location::entry(t.entry.clone()),
                ));
                (f, entry.uncompressed_size)
            }
        }
    };
    // Several large executables are read in parallel; one, or a few small ones, here:
    // starting a thread pool costs more than reading a small Mach-O.
    let total: u64 = targets
        .iter()
        .filter_map(|t| archive.by_name(&t.entry))
        .map(|e| e.uncompressed_size)
        .sum();
    let results: Vec<(macho::MachOFile, u64)> =
        if targets.len() > 1 && total > appvet_model::PARALLEL_ABOVE_BYTES {
            targets.par_iter().map(read).collect()
        } else {
            targets.iter().map(read).collect()
        };
    let mut universal_links = Vec::new();
    for (t, (file, size)) in targets.iter().zip(results) {
        inv.anomalies.extend(file.anomalies);
        for (k, n) in file.truncated {
            *inv.truncated.entry(k.into()).or_default() += n;
        }
        let free = limits.max_list_items.saturating_sub(inv.urls.len());
        if file.urls.len() > free {
            *inv.truncated.entry("urls".into()).or_default() += (file.urls.len() - free) as u64;
        }
        inv.urls.extend(file.urls.into_iter().take(free));
        let mut signed = false;
        if let Some(b) = inv.bundles.iter_mut().find(|b| b.path == t.bundle) {
            if let Some(s) = file
                .slices
                .iter()
                .find(|s| s.signing_identifier.is_some() || s.team_id.is_some())
            {
                b.signing_identifier.clone_from(&s.signing_identifier);
                b.team_id.clone_from(&s.team_id);
            }
        }
        for slice in file.slices {
            if matches!(t.kind, "framework" | "dylib") {
                let name = t.bundle.rsplit('/').next().unwrap_or(&t.bundle).to_string();
                inv.native_libs.push(NativeLib {
                    abi: slice.arch.clone(),
                    name,
                    size,
                    location: Location::entry(t.entry.clone()).with_path(slice.arch.clone()),
                });
            }
            if let Some(sig) = slice.signature {
                inv.signing.add_scheme("codesign");
                if inv.signing.signing_time.is_none() {
                    inv.signing.signing_time = sig.signing_time.clone();
                }
                for c in &sig.certificates {
                    inv.signing.add_certificate(c.clone());
                }
                if !signed {
                    signed = true;
                    record_signature(t, &slice.arch, &sig, root, bundle_ids, inv);
                    if t.bundle == root {
                        universal_links.extend(sig.associated_domains.clone());
                    }
                }
            }
            inv.code.push(slice.unit);
        }
    }
    let filters: Vec<IntentFilter> = universal_links
        .iter()
        .filter_map(|d| d.strip_prefix("applinks:"))
        .map(|host| IntentFilter {
            actions: vec!["universal-link".into()],
            categories: Vec::new(),
            data: vec![IntentData {
                scheme: Some("https".into()),
                host: Some(host.split('?').next().unwrap_or(host).to_string()),
                ..IntentData::default()
            }],
            auto_verify: true,
        })
        .collect();
    if !filters.is_empty() {
        info::add_app_filters(inv, &format!("{root}/Info.plist"), app_id, filters);
    }
}

fn record_signature(
    t: &Target,
    arch: &str,
    sig: &macho::SignatureFacts,
    root: &str,
    bundle_ids: &BTreeMap<String, String>,
    inv: &mut Inventory,
) {
    let loc = Location::entry(t.entry.clone()).with_path("code signature");
    for (key, value) in &sig.entitlements {
        inv.entitlements.push(Entitlement {
            key: key.clone(),
            value: value.clone(),
            location: loc.clone(),
        });
    }
    if let (Some(cd), Some(id)) = (&sig.identifier, bundle_ids.get(&t.bundle)) {
        if cd != id {
            inv.anomalies.push(Anomaly::new(
                "ios.codesign-identifier-mismatch",
                format!("code signature identifier {cd:?} differs from CFBundleIdentifier {id:?}"),
                loc.clone(),
            ));
        }
    }
    if t.bundle != root {
        return;
    }
    inv.app.debuggable = sig.get_task_allow.or(Some(false));
    inv.signing.team_id.clone_from(&sig.team_id);
    inv.app.location = loc;
    for &(slot, magic, offset, size) in &sig.blobs {
        let text = (slot == 0 && magic == codesign::CODE_DIRECTORY).then(|| {
            format!(
                "identifier={}; team={}; flags=0x{:x}",
                sig.identifier.as_deref().unwrap_or(""),
                sig.team_id.as_deref().unwrap_or(""),
                sig.flags.unwrap_or(0)
            )
        });
        inv.signing.block_entries.push(SigningBlockEntry {
            id: format!("0x{slot:08x}"),
            name: Some(codesign::slot_name(slot).to_string()),
            size: u64::from(size),
            text,
            location: Location::entry(t.entry.clone())
                .with_offset(sig.offset + u64::from(offset))
                .with_path(format!("{arch} code signature")),
        });
    }
}

fn collect_provisioning(
    archive: &Archive<'_>,
    bundles: &[Bundle],
    root: &str,
    inv: &mut Inventory,
) {
    for b in bundles
        .iter()
        .filter(|b| matches!(b.kind.as_str(), "app" | "extension" | "watch-app"))
    {
        let name = format!("{}/embedded.mobileprovision", b.path);
        let Some(entry) = archive.by_name(&name) else {
            continue;
        };
        let parsed = archive
            .read(entry)
            .map_err(|e| e.to_string())
            .and_then(|der| provision::parse_mobileprovision(&der, &name));
        match parsed {
            Ok(p) => {
                for c in p.certificates {
                    inv.signing.add_certificate(c);
                }
                for (i, msg) in p.bad_certificates {
                    inv.anomalies.push(Anomaly::new(
                        "apksig.bad-certificate",
                        msg,
                        Location::entry(name.clone())
                            .with_path(format!("DeveloperCertificates[{i}]")),
                    ));
                }
                if b.path == root && inv.signing.team_id.is_none() {
                    inv.signing.team_id.clone_from(&p.profile.team_id);
                }
                inv.provisioning.push(p.profile);
            }
            Err(e) => inv.anomalies.push(Anomaly::new(
                "ios.provisioning-unreadable",
                format!("provisioning profile could not be read: {e}"),
                Location::entry(name),
            )),
        }
    }
}

fn collect_privacy(archive: &Archive<'_>, root: &str, inv: &mut Inventory) {
    let prefix = format!("{root}/");
    for e in archive.entries() {
        if !e.name.starts_with(&prefix) || !e.name.ends_with("/PrivacyInfo.xcprivacy") {
            continue;
        }
        let bundle = inv
            .bundles
            .iter()
            .filter(|b| b.kind != "dylib" && e.name.starts_with(&format!("{}/", b.path)))
            .map(|b| b.path.as_str())
            .max_by_key(|p| p.len())
            .unwrap_or(root)
            .to_string();
        let parsed = archive
            .read(e)
            .map_err(|err| err.to_string())
            .and_then(|b| {
                privacy::parse_privacy_manifest(&b, &bundle, Location::entry(e.name.clone()))
            });
        match parsed {
            Ok(m) => inv.privacy_manifests.push(m),
            Err(err) => inv.anomalies.push(Anomaly::new(
                "ios.privacy-manifest-unreadable",
                format!("privacy manifest could not be parsed: {err}"),
                Location::entry(e.name.clone()),
            )),
        }
    }
}

/// Notable files (see the crate docs), from the directory alone.
fn classify(name: &str) -> Option<FileKind> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let lower = file.to_ascii_lowercase();
    if name.contains("/_CodeSignature/") {
        Some(FileKind::Signature)
    } else if file == "embedded.mobileprovision"
        || file == "PrivacyInfo.xcprivacy"
        || name.contains("/SC_Info/")
        || name == "iTunesMetadata.plist"
    {
        Some(FileKind::Other)
    } else if [".zip", ".jar", ".ipa", ".apk"]
        .iter()
        .any(|x| lower.ends_with(x))
    {
        Some(FileKind::EmbeddedArchive)
    } else if lower.ends_with(".jsbundle") {
        Some(FileKind::Asset)
    } else {
        None
    }
}

fn collect_files(archive: &Archive<'_>, limits: &Limits, inv: &mut Inventory) {
    let mut dropped = 0u64;
    for e in archive.entries().iter().filter(|e| !e.is_dir()) {
        let Some(kind) = classify(&e.name) else {
            continue;
        };
        if inv.files.len() >= limits.max_list_items {
            dropped += 1;
            continue;
        }
        inv.files.push(NotableFile {
            path: e.name.clone(),
            kind,
            size: e.uncompressed_size,
            location: Location::entry(e.name.clone()),
        });
    }
    if dropped > 0 {
        *inv.truncated.entry("files".into()).or_default() += dropped;
    }
}

/// Newest entry time and whether all entries share one time (as appvet-android computes it).
fn build_time(archive: &Archive<'_>, signing_time: Option<String>) -> BuildTime {
    let entries: Vec<&Entry> = archive.entries().iter().collect();
    let times: Vec<(&appvet_zip::DosDateTime, &str)> = entries
        .iter()
        .filter_map(|e| e.modified.as_ref().map(|t| (t, e.name.as_str())))
        .collect();
    let mut newest: Option<&(&appvet_zip::DosDateTime, &str)> = None;
    for t in &times {
        if newest.is_none_or(|n| t.0 > n.0) {
            newest = Some(t);
        }
    }
    let constant = times.windows(2).all(|w| matches!(w, [a, b] if a.0 == b.0));
    BuildTime {
        newest_entry: newest.map(|(t, _)| t.iso()),
        newest_entry_location: newest.map(|(_, n)| Location::entry(*n)),
        entry_times_constant: constant && !times.is_empty() && entries.len() > 1,
        signing_time,
    }
}
