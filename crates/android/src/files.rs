//! Native libraries, notable files and build-time evidence, from the zip directory alone (no
//! entry is inflated here).

use crate::code::dex_number;
use appvet_model::{BuildTime, FileKind, Inventory, Limits, Location, NativeLib, NotableFile};
use appvet_zip::Archive;

/// Classify one entry path relative to its module root. `None` for entries of no note
/// (resources, the manifest, primary DEX files).
pub(crate) fn classify(rel: &str, aab: bool) -> Option<FileKind> {
    let lower = rel.to_ascii_lowercase();
    if let Some(meta) = lower.strip_prefix("meta-inf/") {
        let top = !meta.contains('/');
        let sig = top
            && (meta == "manifest.mf"
                || [".sf", ".rsa", ".dsa", ".ec"]
                    .iter()
                    .any(|x| meta.ends_with(x)));
        return Some(if sig {
            FileKind::Signature
        } else {
            FileKind::MetaInf
        });
    }
    let file = lower.rsplit('/').next().unwrap_or(&lower);
    let primary_dex = if aab {
        lower
            .strip_prefix("dex/")
            .is_some_and(|f| dex_number(f).is_some())
    } else {
        dex_number(&lower).is_some()
    };
    if lower.ends_with(".dex") || lower.ends_with(".odex") || lower.ends_with(".vdex") {
        return if primary_dex {
            None
        } else {
            Some(FileKind::EmbeddedDex)
        };
    }
    if [".jar", ".apk", ".zip", ".aab", ".apks", ".xapk"]
        .iter()
        .any(|x| file.ends_with(x))
    {
        return Some(FileKind::EmbeddedArchive);
    }
    if file.ends_with(".so") || file.contains(".so.") {
        return if native_lib_parts(rel).is_some() {
            None
        } else {
            Some(FileKind::EmbeddedNative)
        };
    }
    if lower.starts_with("assets/") {
        return Some(FileKind::Asset);
    }
    None
}

/// `lib/<abi>/<name>` → (abi, name).
pub(crate) fn native_lib_parts(rel: &str) -> Option<(&str, &str)> {
    let rest = rel.strip_prefix("lib/")?;
    let (abi, name) = rest.split_once('/')?;
    if abi.is_empty() || name.is_empty() || name.contains('/') {
        return None;
    }
    Some((abi, name))
}

pub(crate) fn collect(archive: &Archive<'_>, limits: &Limits, root: &str, inv: &mut Inventory) {
    let aab = !root.is_empty();
    let mut files_dropped = 0u64;
    for e in archive.entries() {
        if e.is_dir() {
            continue;
        }
        let Some(rel) = e.name.strip_prefix(root) else {
            continue;
        };
        // In an App Bundle, META-INF lives at the archive root, outside any module.
        let rel = if aab && e.name.starts_with("META-INF/") {
            e.name.as_str()
        } else {
            rel
        };
        if aab && e.name.starts_with("META-INF/") && root != "base/" {
            continue;
        }
        if let Some((abi, name)) = native_lib_parts(rel) {
            inv.native_libs.push(NativeLib {
                abi: abi.to_string(),
                name: name.to_string(),
                size: e.uncompressed_size,
                location: Location::entry(e.name.clone()),
            });
            continue;
        }
        if let Some(kind) = classify(rel, aab) {
            if inv.files.len() >= limits.max_list_items {
                files_dropped += 1;
                continue;
            }
            inv.files.push(NotableFile {
                path: e.name.clone(),
                kind,
                size: e.uncompressed_size,
                location: Location::entry(e.name.clone()),
            });
        }
    }
    if files_dropped > 0 {
        *inv.truncated.entry("files".into()).or_default() += files_dropped;
    }
}

/// Entries of a split container that are not themselves APKs (XAPK `manifest.json`, OBB files).
pub(crate) fn collect_container_files(archive: &Archive<'_>, inv: &mut Inventory) {
    for e in archive.entries() {
        if e.is_dir() || e.name.to_ascii_lowercase().ends_with(".apk") {
            continue;
        }
        let kind = classify(&e.name, false).unwrap_or(FileKind::Other);
        inv.files.push(NotableFile {
            path: e.name.clone(),
            kind,
            size: e.uncompressed_size,
            location: Location::entry(e.name.clone()),
        });
    }
    let outer = archive.build_time();
    if outer.newest_entry > inv.build_time.newest_entry {
        inv.build_time.newest_entry = outer.newest_entry;
        inv.build_time.newest_entry_location = outer.newest_entry_location;
    }
}

pub(crate) fn collect_build_time(archive: &Archive<'_>, inv: &mut Inventory) {
    let signing_time = inv.signing.signing_time.clone();
    inv.build_time = BuildTime {
        signing_time,
        ..archive.build_time()
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(
            classify("META-INF/CERT.RSA", false),
            Some(FileKind::Signature)
        );
        assert_eq!(
            classify("META-INF/MANIFEST.MF", false),
            Some(FileKind::Signature)
        );
        assert_eq!(
            classify("META-INF/services/x.Y", false),
            Some(FileKind::MetaInf)
        );
        assert_eq!(classify("classes.dex", false), None);
        assert_eq!(classify("classes2.dex", false), None);
        assert_eq!(
            classify("assets/plugin.dex", false),
            Some(FileKind::EmbeddedDex)
        );
        assert_eq!(classify("dex/classes.dex", true), None);
        assert_eq!(classify("classes.dex", true), Some(FileKind::EmbeddedDex));
        assert_eq!(
            classify("assets/extra.jar", false),
            Some(FileKind::EmbeddedArchive)
        );
        assert_eq!(classify("assets/data.json", false), Some(FileKind::Asset));
        assert_eq!(classify("lib/arm64-v8a/libx.so", false), None);
        assert_eq!(
            classify("assets/libhidden.so", false),
            Some(FileKind::EmbeddedNative)
        );
        assert_eq!(classify("res/layout/main.xml", false), None);
        assert_eq!(
            native_lib_parts("lib/x86/libfoo.so"),
            Some(("x86", "libfoo.so"))
        );
        assert_eq!(native_lib_parts("lib/x86/sub/libfoo.so"), None);
    }
}
