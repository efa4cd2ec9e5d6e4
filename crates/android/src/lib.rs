//! Android packages to an appvet [`PackageScan`].
//!
//! Three package shapes are read, all from an already-parsed zip [`Archive`]:
//!
//! - an APK: `AndroidManifest.xml` (binary XML), `resources.arsc`, `classesN.dex`, `lib/<abi>/`;
//! - a split bundle (`.apks`, `.xapk`, `.apkm`): a zip of APKs, each scanned as an APK and merged,
//!   with every location nested under the split's entry (`base.apk!classes.dex`);
//! - an App Bundle (`.aab`): modules `<module>/manifest/AndroidManifest.xml` (aapt2 protobuf),
//!   `base/resources.pb`, `<module>/dex/*.dex`, `<module>/lib/<abi>/`.
//!
//! Only the entries that carry facts are inflated, each once; DEX files are parsed in parallel.
//! Format knowledge lives in the leaf crates (`appvet-zip`, `appvet-axml`, `appvet-dex`,
//! `appvet-apksig`); this crate decides which entries to read and assembles the Inventory.

pub mod manifest;
pub mod nsc;

mod code;
mod files;
mod signing;

use appvet_axml::{NoResources, Resources, XmlElement};
use appvet_model::{
    Anomaly, Error, Inventory, Limits, Location, PackageFormat, PackagePart, PackageScan, Result,
};
use appvet_zip::{Archive, Entry};

/// The kind of Android package an archive holds, judged from its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Apk,
    Aab,
    Splits,
}

/// Which Android package shape, if any, the archive holds.
pub fn detect_kind(archive: &Archive<'_>) -> Option<Kind> {
    if archive.by_name("AndroidManifest.xml").is_some() {
        Some(Kind::Apk)
    } else if archive
        .by_name("base/manifest/AndroidManifest.xml")
        .is_some()
    {
        Some(Kind::Aab)
    } else if archive
        .entries()
        .iter()
        .any(|e| is_apk_name(&e.name) && !e.name.contains('/'))
    {
        Some(Kind::Splits)
    } else {
        None
    }
}

/// Scan an Android package of any supported shape.
pub fn scan(archive: &Archive<'_>, limits: &Limits) -> Result<PackageScan> {
    match detect_kind(archive) {
        Some(Kind::Apk) => scan_apk(archive, limits, PackageFormat::Apk),
        Some(Kind::Aab) => scan_aab(archive, limits),
        Some(Kind::Splits) => scan_splits(archive, limits),
        None => Err(Error::UnsupportedPackage(
            "no AndroidManifest.xml, base/manifest/AndroidManifest.xml or split APKs".into(),
        )),
    }
}

/// Where one module's parts live inside the archive.
struct Module<'p> {
    /// Path prefix of the module (`""` for an APK, `base/` for an App Bundle module).
    root: &'p str,
    manifest: String,
    resources: String,
    /// App Bundles store manifest and resources as aapt2 protobuf.
    proto: bool,
}

fn scan_apk(archive: &Archive<'_>, limits: &Limits, format: PackageFormat) -> Result<PackageScan> {
    let module = Module {
        root: "",
        manifest: "AndroidManifest.xml".into(),
        resources: "resources.arsc".into(),
        proto: false,
    };
    let mut inv = Inventory::default();
    let res = load_resources(archive, &module, &mut inv.anomalies);
    let manifest = read_module_manifest(archive, &module, res.as_deref(), format, &mut inv)?;
    collect_module_code_and_files(archive, limits, &module, &mut inv);
    signing::collect(archive, &mut inv);
    files::collect_build_time(archive, &mut inv);
    inv.anomalies.extend(archive.anomalies().iter().cloned());
    Ok(PackageScan {
        package: manifest,
        inventory: inv,
    })
}

fn scan_aab(archive: &Archive<'_>, limits: &Limits) -> Result<PackageScan> {
    let mut inv = Inventory::default();
    let base = Module {
        root: "base/",
        manifest: "base/manifest/AndroidManifest.xml".into(),
        resources: "base/resources.pb".into(),
        proto: true,
    };
    let res = load_resources(archive, &base, &mut inv.anomalies);
    let manifest =
        read_module_manifest(archive, &base, res.as_deref(), PackageFormat::Aab, &mut inv)?;
    collect_module_code_and_files(archive, limits, &base, &mut inv);
    inv.parts.push(PackagePart {
        entry: "base/".into(),
        split: None,
        size: 0,
    });
    // Feature and asset modules: every other `<module>/manifest/AndroidManifest.xml`.
    let mut modules: Vec<String> = archive
        .entries()
        .iter()
        .filter_map(|e| e.name.strip_suffix("/manifest/AndroidManifest.xml"))
        .filter(|m| *m != "base" && !m.is_empty() && !m.contains('/'))
        .map(|m| format!("{m}/"))
        .collect();
    modules.sort();
    modules.dedup();
    for root in &modules {
        let module = Module {
            root,
            manifest: format!("{root}manifest/AndroidManifest.xml"),
            resources: format!("{root}resources.pb"),
            proto: true,
        };
        // A module's resource references point into the base table when it has none of its own.
        let own = load_resources(archive, &module, &mut inv.anomalies);
        let res_ref: &dyn Resources = own.as_deref().or(res.as_deref()).unwrap_or(&NoResources);
        match read_manifest_entry(archive, &module, res_ref, PackageFormat::Aab) {
            Ok(m) => {
                merge_manifest_lists(&mut inv, m);
            }
            Err(e) => inv.anomalies.push(Anomaly::new(
                "android.module-unreadable",
                format!("module manifest could not be read: {e}"),
                Location::entry(module.manifest.clone()),
            )),
        }
        collect_module_code_and_files(archive, limits, &module, &mut inv);
        inv.parts.push(PackagePart {
            entry: root.clone(),
            split: Some(root.trim_end_matches('/').to_string()),
            size: 0,
        });
    }
    signing::collect(archive, &mut inv);
    files::collect_build_time(archive, &mut inv);
    inv.anomalies.extend(archive.anomalies().iter().cloned());
    Ok(PackageScan {
        package: manifest,
        inventory: inv,
    })
}

/// A zip of APKs: scan each, take identity from the base, merge everything with nested locations.
fn scan_splits(archive: &Archive<'_>, limits: &Limits) -> Result<PackageScan> {
    let inner_limits = limits.nested()?;
    let mut base: Option<PackageScan> = None;
    let mut others: Vec<(Inventory, PackagePart)> = Vec::new();
    let mut anomalies: Vec<Anomaly> = archive.anomalies().to_vec();
    let mut apks: Vec<&Entry> = archive
        .entries()
        .iter()
        .filter(|e| is_apk_name(&e.name) && !e.is_dir())
        .collect();
    apks.sort_by(|a, b| a.name.cmp(&b.name));
    for entry in apks {
        let bytes = match archive.read(entry) {
            Ok(b) => b,
            Err(e) => {
                anomalies.push(Anomaly::new(
                    "android.split-unreadable",
                    format!("split APK could not be read: {e}"),
                    Location::entry(entry.name.clone()),
                ));
                continue;
            }
        };
        let scanned = Archive::parse(&bytes, &inner_limits)
            .map_err(Error::from)
            .and_then(|inner| {
                let split = split_name(&inner);
                scan_apk(&inner, &inner_limits, PackageFormat::Splits).map(|s| (s, split))
            });
        let (mut scan, split) = match scanned {
            Ok(s) => s,
            Err(e) => {
                anomalies.push(Anomaly::new(
                    "android.split-unreadable",
                    format!("split APK could not be scanned: {e}"),
                    Location::entry(entry.name.clone()),
                ));
                continue;
            }
        };
        scan.inventory
            .for_each_location_mut(|l| *l = std::mem::take(l).nested_in(&entry.name));
        scan.package.location = std::mem::take(&mut scan.package.location).nested_in(&entry.name);
        let part = PackagePart {
            entry: entry.name.clone(),
            split: split.clone(),
            size: entry.uncompressed_size,
        };
        if split.is_none() && base.is_none() {
            scan.inventory.parts.push(part);
            base = Some(scan);
        } else {
            others.push((scan.inventory, part));
        }
    }
    let Some(mut result) = base else {
        return Err(Error::UnsupportedPackage(
            "split bundle without a base APK (every APK inside has a split name)".into(),
        ));
    };
    result.package.format = PackageFormat::Splits;
    for (inv, part) in others {
        result.inventory.absorb(inv);
        result.inventory.parts.push(part);
    }
    files::collect_container_files(archive, &mut result.inventory);
    result.inventory.anomalies.extend(anomalies);
    Ok(result)
}

/// The `split` attribute of an APK's manifest (`config.arm64_v8a`), None for a base APK.
fn split_name(archive: &Archive<'_>) -> Option<String> {
    let entry = archive.by_name("AndroidManifest.xml")?;
    let bytes = archive.read(entry).ok()?;
    let doc = appvet_axml::axml::parse(&bytes).ok()?;
    doc.root.plain_attr("split").map(|v| v.display())
}

fn is_apk_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".apk")
}

/// The resource table of a module, or None (with an anomaly when it exists but is unreadable).
fn load_resources(
    archive: &Archive<'_>,
    module: &Module<'_>,
    anomalies: &mut Vec<Anomaly>,
) -> Option<Box<dyn Resources>> {
    let entry = archive.by_name(&module.resources)?;
    let parsed = archive
        .read(entry)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            if module.proto {
                appvet_axml::proto::ProtoResourceTable::parse(&bytes)
                    .map(|t| Box::new(t) as Box<dyn Resources>)
                    .map_err(|e| e.to_string())
            } else {
                appvet_axml::arsc::ResourceTable::parse(&bytes)
                    .map(|t| {
                        for w in t.warnings() {
                            anomalies.push(Anomaly::new(
                                "arsc.recovered",
                                w.clone(),
                                Location::entry(module.resources.clone()),
                            ));
                        }
                        Box::new(t) as Box<dyn Resources>
                    })
                    .map_err(|e| e.to_string())
            }
        });
    match parsed {
        Ok(t) => Some(t),
        Err(e) => {
            anomalies.push(Anomaly::new(
                "android.resources-unreadable",
                format!(
                    "resource table could not be read; labels and references stay unresolved: {e}"
                ),
                Location::entry(module.resources.clone()),
            ));
            None
        }
    }
}

/// Parse a binary-XML or protobuf-XML entry into the shared tree.
fn parse_xml(bytes: &[u8], proto: bool) -> std::result::Result<(XmlElement, Vec<String>), String> {
    if proto {
        appvet_axml::proto::parse_xml(bytes)
            .map(|root| (root, Vec::new()))
            .map_err(|e| e.to_string())
    } else {
        appvet_axml::axml::parse(bytes)
            .map(|d| (d.root, d.warnings))
            .map_err(|e| e.to_string())
    }
}

fn read_manifest_entry(
    archive: &Archive<'_>,
    module: &Module<'_>,
    res: &dyn Resources,
    format: PackageFormat,
) -> Result<manifest::Manifest> {
    let entry = archive
        .by_name(&module.manifest)
        .ok_or_else(|| Error::malformed("package", format!("{} is missing", module.manifest)))?;
    let bytes = archive.read(entry)?;
    let (root, warnings) =
        parse_xml(&bytes, module.proto).map_err(|e| Error::malformed(&module.manifest, e))?;
    let mut load_xml = |path: &str| -> Option<XmlElement> {
        let full = format!("{}{}", module.root, path);
        let e = archive.by_name(&full)?;
        let b = archive.read(e).ok()?;
        parse_xml(&b, module.proto).ok().map(|(r, _)| r)
    };
    let mut m = manifest::read_manifest(&root, res, format, &module.manifest, &mut load_xml)?;
    for w in warnings {
        m.anomalies.push(Anomaly::new(
            "axml.recovered",
            w,
            Location::entry(module.manifest.clone()),
        ));
    }
    Ok(m)
}

fn read_module_manifest(
    archive: &Archive<'_>,
    module: &Module<'_>,
    res: Option<&dyn Resources>,
    format: PackageFormat,
    inv: &mut Inventory,
) -> Result<appvet_model::PackageInfo> {
    let m = read_manifest_entry(archive, module, res.unwrap_or(&NoResources), format)?;
    let (package, app) = merge_manifest_lists(inv, m);
    inv.app = app;
    Ok(package)
}

/// Move a manifest's lists into the inventory; return what is not a list.
fn merge_manifest_lists(
    inv: &mut Inventory,
    m: manifest::Manifest,
) -> (appvet_model::PackageInfo, appvet_model::AppFlags) {
    inv.permissions.extend(m.permissions);
    inv.declared_permissions.extend(m.declared_permissions);
    inv.components.extend(m.components);
    inv.queries.packages.extend(m.queries.packages);
    inv.queries.intents.extend(m.queries.intents);
    inv.queries.providers.extend(m.queries.providers);
    inv.metadata.extend(m.metadata);
    inv.features.extend(m.features);
    inv.anomalies.extend(m.anomalies);
    (m.package, m.app)
}

fn collect_module_code_and_files(
    archive: &Archive<'_>,
    limits: &Limits,
    module: &Module<'_>,
    inv: &mut Inventory,
) {
    code::collect(archive, limits, module.root, inv);
    files::collect(archive, limits, module.root, inv);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apk_names() {
        assert!(is_apk_name("base.apk"));
        assert!(is_apk_name("split_config.arm64_v8a.APK"));
        assert!(!is_apk_name("base.apks"));
    }
}
