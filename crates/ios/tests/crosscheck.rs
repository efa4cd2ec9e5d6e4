//! Cross-check against real tools, run at test time on the entries of every fixture extracted
//! to a temporary directory: `llvm-objdump --macho --dylibs-used`, `llvm-objdump --macho
//! --chained-fixups` / `--bind --lazy-bind`, `llvm-nm` (Debian package `llvm`) and `plistutil`
//! (Debian package `libplist-utils`).

mod common;

use appvet_model::Limits;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn tool(name: &str, package: &str) -> String {
    // Prefer a versioned llvm-objdump with --chained-fixups support when the default is older.
    let candidates: Vec<String> = if name == "llvm-objdump" {
        (15..=21)
            .rev()
            .map(|v| format!("llvm-objdump-{v}"))
            .chain([name.to_string()])
            .collect()
    } else {
        vec![name.to_string()]
    };
    for c in candidates {
        if Command::new(&c).arg("--version").output().is_ok() {
            return c;
        }
    }
    panic!("{name} is not installed: apt-get install {package}");
}

fn run(cmd: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(cmd)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?} {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Extract every file entry of a fixture under a fresh temporary directory.
fn extract(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "appvet-ios-crosscheck-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let bytes = common::fixture_bytes(name);
    let limits = Limits::default();
    let archive = appvet_zip::Archive::parse(&bytes, &limits).unwrap();
    for e in archive.entries().iter().filter(|e| !e.is_dir()) {
        assert!(!e.name.contains(".."), "{}", e.name);
        let path = dir.join(&e.name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, archive.read(e).unwrap()).unwrap();
    }
    dir
}

/// The string value of `key` in plistutil's XML output.
fn xml_string(xml: &str, key: &str) -> Option<String> {
    let at = xml.find(&format!("<key>{key}</key>"))?;
    let rest = &xml[at..];
    let s = rest.find("<string>")? + "<string>".len();
    let e = rest[s..].find("</string>")?;
    Some(
        rest[s..s + e]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

#[test]
fn macho_facts_match_llvm_tools() {
    let objdump = tool("llvm-objdump", "llvm");
    let nm = tool("llvm-nm", "llvm");
    let mut checked = 0;
    for name in common::FIXTURES {
        let dir = extract(name);
        let scan = common::scan(name);
        for u in &scan.inventory.code {
            let file = dir.join(&u.location.entry);
            let arch = format!("--arch={}", u.version);
            let ctx = format!("{name} {} [{}]", u.location.entry, u.version);

            // Linked libraries, in load-command order (a dylib's own LC_ID_DYLIB comes first).
            let out = run(&objdump, &["--macho", &arch, "--dylibs-used"], &file);
            let mut want: Vec<&str> = out
                .lines()
                .filter(|l| l.starts_with('\t'))
                .map(|l| l.trim().split(" (compatibility").next().unwrap())
                .collect();
            let bundle = u.bundle.as_deref().unwrap();
            if bundle.ends_with(".framework") || bundle.ends_with(".dylib") {
                want.remove(0);
            }
            let got: Vec<&str> = u.linked_libraries.iter().map(|l| l.path.as_str()).collect();
            assert_eq!(got, want, "{ctx}: linked libraries");

            // Symbol table: undefined and exported symbols.
            let nm_names = |flags: &[&str]| -> BTreeSet<String> {
                run(&nm, &[&[arch.as_str()], flags].concat(), &file)
                    .lines()
                    .filter_map(|l| l.split_whitespace().last())
                    .map(str::to_string)
                    .collect()
            };
            let undefined = nm_names(&["-u"]);
            let exported = nm_names(&["-g", "--defined-only"]);
            let imported: BTreeSet<String> = u.imported_symbols.iter().cloned().collect();
            let ours_exported: BTreeSet<String> = u.exported_symbols.iter().cloned().collect();
            assert!(
                undefined.is_subset(&imported),
                "{ctx}: nm -u {undefined:?} ⊄ {imported:?}"
            );
            assert!(
                exported.is_subset(&ours_exported),
                "{ctx}: nm -g {exported:?}"
            );

            // dyld imports: chained-fixups import table or bind + lazy-bind opcodes.
            let fixups = run(&objdump, &["--macho", &arch, "--chained-fixups"], &file);
            let dyld: BTreeSet<String> = if fixups.contains("imports_count") {
                fixups
                    .lines()
                    .filter(|l| l.trim_start().starts_with("name_offset"))
                    .filter_map(|l| {
                        let n = l.split_whitespace().nth(3)?;
                        Some(n.trim_matches(|c| c == '(' || c == ')').to_string())
                    })
                    .collect()
            } else {
                let out = run(
                    &objdump,
                    &["--macho", &arch, "--bind", "--lazy-bind"],
                    &file,
                );
                let mut table = "";
                let mut names = BTreeSet::new();
                for l in out.lines() {
                    if l.starts_with("Bind table:") {
                        table = "bind";
                    } else if l.starts_with("Lazy bind table:") {
                        table = "lazy";
                    } else if l.starts_with("segment") || l.trim().is_empty() {
                    } else {
                        let f: Vec<&str> = l.split_whitespace().collect();
                        let n = match table {
                            "bind" if f.len() >= 7 => f[6],
                            "lazy" if f.len() >= 5 => f[4],
                            _ => continue,
                        };
                        names.insert(n.to_string());
                    }
                }
                names
            };
            let union: BTreeSet<String> = dyld.union(&undefined).cloned().collect();
            assert_eq!(
                imported, union,
                "{ctx}: imported = symtab undefined ∪ dyld imports"
            );
            checked += 1;
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(checked >= 10, "only {checked} slices checked");
}

#[test]
fn info_plists_match_plistutil() {
    let plistutil = tool("plistutil", "libplist-utils");
    for name in common::FIXTURES {
        let dir = extract(name);
        let scan = common::scan(name);
        for b in scan.inventory.bundles.iter().filter(|b| b.kind != "dylib") {
            let plist = dir.join(&b.path).join("Info.plist");
            if !plist.exists() {
                continue;
            }
            let out = Command::new(&plistutil)
                .args(["-i"])
                .arg(&plist)
                .args(["-f", "xml"])
                .output()
                .unwrap();
            assert!(out.status.success(), "plistutil {}", plist.display());
            let xml = String::from_utf8(out.stdout).unwrap();
            assert_eq!(
                b.id,
                xml_string(&xml, "CFBundleIdentifier"),
                "{name} {}: id",
                b.path
            );
            let version = xml_string(&xml, "CFBundleShortVersionString")
                .or_else(|| xml_string(&xml, "CFBundleVersion"));
            assert_eq!(b.version, version, "{name} {}: version", b.path);
            if b.kind == "app" && b.path.matches(".app").count() == 1 {
                let p = &scan.package;
                assert_eq!(Some(p.id.clone()), xml_string(&xml, "CFBundleIdentifier"));
                assert_eq!(
                    p.version_code,
                    xml_string(&xml, "CFBundleVersion"),
                    "{name}"
                );
                assert_eq!(
                    p.version_name,
                    xml_string(&xml, "CFBundleShortVersionString"),
                    "{name}"
                );
                assert_eq!(
                    p.min_os_version,
                    xml_string(&xml, "MinimumOSVersion"),
                    "{name}"
                );
                let label = xml_string(&xml, "CFBundleDisplayName")
                    .or_else(|| xml_string(&xml, "CFBundleName"));
                assert_eq!(p.label, label, "{name}");
                let usage: Vec<String> = xml
                    .lines()
                    .filter_map(|l| {
                        let k = l.trim().strip_prefix("<key>")?.strip_suffix("</key>")?;
                        k.ends_with("UsageDescription").then(|| k.to_string())
                    })
                    .collect();
                let ours: Vec<String> = scan
                    .inventory
                    .permissions
                    .iter()
                    .map(|p| p.name.clone())
                    .collect();
                assert_eq!(ours, usage, "{name}: usage descriptions");
                for perm in &scan.inventory.permissions {
                    assert_eq!(perm.detail, xml_string(&xml, &perm.name), "{name}");
                }
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
