//! Integration tests over DEX files assembled by smali (see tests/data/make.sh), cross-checked
//! against Debian's `dexdump` at test time.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use appvet_dex::{descriptor_to_dotted, ClassDef, Dex, Error};

const BASIC: &[u8] = include_bytes!("data/basic.dex");
const MODERN: &[u8] = include_bytes!("data/modern.dex");

fn data_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

// ------------------------------------------------------------------ dexdump

const DEXDUMP: &str = "/usr/bin/dexdump";

fn dexdump(flag: &str, file: &str) -> String {
    assert!(
        Path::new(DEXDUMP).exists(),
        "{DEXDUMP} is missing: install Debian's `dexdump` package (apt-get install dexdump) \
         to run the DEX cross-check tests"
    );
    let out = Command::new(DEXDUMP)
        .arg(flag)
        .arg(data_path(file))
        .output()
        .expect("run dexdump");
    assert!(
        out.status.success(),
        "dexdump {flag} {file} failed: {out:?}"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What dexdump says about one class.
#[derive(Debug, Default)]
struct DumpedClass {
    descriptor: String,
    access: u32,
    superclass: Option<String>,
    interfaces: Vec<String>,
    /// (name, type) of fields and methods.
    members: Vec<(String, String)>,
    source_file: Option<String>,
    /// method@ index and the `Lcls;.name:proto` text of each invoke (not invoke-custom).
    invokes: Vec<(u32, String)>,
}

fn quoted(line: &str) -> Option<String> {
    let start = line.find('\'')?;
    let end = line.rfind('\'')?;
    (end > start).then(|| line[start + 1..end].to_owned())
}

fn parse_dexdump(text: &str) -> Vec<DumpedClass> {
    let mut classes: Vec<DumpedClass> = Vec::new();
    let mut in_interfaces = false;
    let mut pending_name: Option<String> = None;
    for line in text.lines() {
        if line.starts_with("Class #") {
            classes.push(DumpedClass::default());
            in_interfaces = false;
            continue;
        }
        let Some(c) = classes.last_mut() else {
            continue;
        };
        if let Some(rest) = line.strip_prefix("  Class descriptor  : ") {
            c.descriptor = quoted(rest).unwrap();
        } else if let Some(rest) = line.strip_prefix("  Access flags      : ") {
            let hex = rest
                .split_whitespace()
                .next()
                .unwrap()
                .trim_start_matches("0x");
            c.access = u32::from_str_radix(hex, 16).unwrap();
        } else if let Some(rest) = line.strip_prefix("  Superclass        : ") {
            c.superclass = quoted(rest);
        } else if line.starts_with("  Interfaces        -") {
            in_interfaces = true;
        } else if line.starts_with("  Static fields") {
            in_interfaces = false;
        } else if in_interfaces && line.starts_with("    #") {
            c.interfaces.push(quoted(line).unwrap());
        } else if let Some(rest) = line.strip_prefix("      name          : ") {
            pending_name = quoted(rest);
        } else if let Some(rest) = line.strip_prefix("      type          : ") {
            if let Some(name) = pending_name.take() {
                c.members.push((name, quoted(rest).unwrap()));
            }
        } else if let Some(rest) = line.strip_prefix("  source_file_idx   : ") {
            c.source_file = rest
                .find('(')
                .map(|i| rest[i + 1..rest.len() - 1].to_owned())
                .filter(|s| s != "unknown");
        } else if let Some(pos) = line.find(": invoke-").filter(|_| line.contains('|')) {
            let insn = &line[pos + 2..];
            if insn.starts_with("invoke-custom") {
                continue;
            }
            let at = line.find("// method@").expect("method@ comment");
            let hex: String = line[at + 10..]
                .chars()
                .take_while(|c| c.is_ascii_hexdigit())
                .collect();
            let idx = u32::from_str_radix(&hex, 16).unwrap();
            let after_regs = &insn[insn.find("}, ").unwrap() + 3..];
            let end = after_regs
                .find(", (")
                .or_else(|| after_regs.find(" //"))
                .unwrap();
            c.invokes.push((idx, after_regs[..end].to_owned()));
        }
    }
    classes
}

fn method_text(dex: &Dex<'_>, idx: u32) -> String {
    let (class, name, proto) = dex.method(idx).unwrap();
    format!("{class}.{name}:{proto}")
}

fn classes(dex: &Dex<'_>) -> Vec<ClassDef> {
    dex.class_defs().collect::<Result<_, _>>().unwrap()
}

fn invoked_texts(dex: &Dex<'_>, class: &ClassDef) -> BTreeSet<String> {
    dex.invoked_methods(class)
        .unwrap()
        .into_iter()
        .map(|m| method_text(dex, m))
        .collect()
}

fn class_by_name<'d>(dex: &Dex<'d>, desc: &str) -> ClassDef {
    classes(dex)
        .into_iter()
        .find(|c| dex.class_descriptor(c).unwrap() == desc)
        .unwrap_or_else(|| panic!("class {desc} not found"))
}

/// Every fact dexdump prints about classes matches ours.
fn cross_check_with_dexdump(file: &str, bytes: &[u8]) {
    let dex = Dex::parse(bytes).unwrap();
    let dumped = parse_dexdump(&dexdump("-d", file));
    let ours = classes(&dex);
    assert_eq!(dumped.len(), ours.len(), "class count");
    assert!(!dumped.is_empty());

    // All method ids resolved, keyed by (class, name, proto).
    let all_methods: BTreeSet<(String, String, String)> = (0..dex.method_count())
        .map(|i| {
            let (c, n, p) = dex.method(i).unwrap();
            (c.into_owned(), n.into_owned(), p)
        })
        .collect();
    let all_fields: BTreeSet<(String, String, String)> = (0..dex.field_count())
        .map(|i| {
            let (c, n, t) = dex.field(i).unwrap();
            (c.into_owned(), n.into_owned(), t.into_owned())
        })
        .collect();

    let mut total_invokes = 0;
    for (d, c) in dumped.iter().zip(&ours) {
        let desc = dex.class_descriptor(c).unwrap();
        assert_eq!(d.descriptor, desc, "class #{} descriptor", c.index);
        assert_eq!(d.access, c.access_flags, "{desc} access flags");
        assert_eq!(
            d.superclass.as_deref(),
            c.superclass_idx
                .map(|s| dex.type_descriptor(s).unwrap())
                .as_deref(),
            "{desc} superclass"
        );
        let ifaces: Vec<String> = dex
            .interfaces(c)
            .unwrap()
            .into_iter()
            .map(|t| dex.type_descriptor(t).unwrap().into_owned())
            .collect();
        assert_eq!(d.interfaces, ifaces, "{desc} interfaces");
        assert_eq!(
            d.source_file.as_deref(),
            c.source_file_idx.map(|s| dex.string(s).unwrap()).as_deref(),
            "{desc} source file"
        );
        for (name, ty) in &d.members {
            let key = (desc.to_string(), name.clone(), ty.clone());
            assert!(
                all_methods.contains(&key) || all_fields.contains(&key),
                "{desc}: member {name} {ty} listed by dexdump is not among our method/field ids"
            );
        }
        // invoked_methods is exactly the set of dexdump's invoke targets.
        let theirs_idx: BTreeSet<u32> = d.invokes.iter().map(|(i, _)| *i).collect();
        let ours_idx: BTreeSet<u32> = dex.invoked_methods(c).unwrap().into_iter().collect();
        assert_eq!(theirs_idx, ours_idx, "{desc} invoked method indices");
        for (idx, text) in &d.invokes {
            assert_eq!(&method_text(&dex, *idx), text, "method@{idx:04x} text");
        }
        let scan = dex.scan_invokes(c).unwrap();
        assert_eq!(scan.methods_skipped, 0, "{desc}: {:?}", scan.first_error);
        // A reused buffer holding another class's invokes gives the same scan.
        let reused = dex.scan_invokes_with(c, vec![u32::MAX, 7, 7, 3]).unwrap();
        assert_eq!(reused, scan, "{desc}: scan with a reused buffer");
        total_invokes += d.invokes.len();
    }
    assert!(total_invokes > 0);
}

// ------------------------------------------------------------------ header

#[test]
fn header_matches_dexdump_f() {
    for (file, bytes) in [("basic.dex", BASIC), ("modern.dex", MODERN)] {
        let dex = Dex::parse(bytes).unwrap();
        let text = dexdump("-f", file);
        let mut fields = BTreeMap::new();
        for line in text.lines() {
            if let Some((k, v)) = line.split_once(" : ") {
                let v = v.split_whitespace().next().unwrap_or("").to_owned();
                fields.insert(k.trim().to_owned(), v);
            }
        }
        let h = dex.header();
        let num = |k: &str| -> u32 { fields[k].parse().unwrap() };
        assert_eq!(
            u32::from_str_radix(&fields["checksum"], 16).unwrap(),
            h.checksum
        );
        assert_eq!(num("file_size"), h.file_size);
        assert_eq!(num("file_size") as usize, bytes.len());
        assert_eq!(num("header_size"), h.header_size);
        assert_eq!(num("string_ids_size"), dex.string_count());
        assert_eq!(num("string_ids_off"), h.string_ids_off);
        assert_eq!(num("type_ids_size"), dex.type_count());
        assert_eq!(num("type_ids_off"), h.type_ids_off);
        assert_eq!(num("proto_ids_size"), dex.proto_count());
        assert_eq!(num("field_ids_size"), dex.field_count());
        assert_eq!(num("method_ids_size"), dex.method_count());
        assert_eq!(num("method_ids_off"), h.method_ids_off);
        assert_eq!(num("class_defs_size"), dex.class_def_count());
        assert_eq!(num("class_defs_off"), h.class_defs_off);
        assert_eq!(num("data_size"), h.data_size);
        assert_eq!(num("data_off"), h.data_off);
        assert!(dex.verify_checksum(), "{file}");
        let magic = &fields["magic"];
        assert!(
            magic.contains(dex.version()),
            "{magic} vs {}",
            dex.version()
        );
    }
    assert_eq!(Dex::parse(BASIC).unwrap().version(), "035");
    assert_eq!(Dex::parse(MODERN).unwrap().version(), "039");
}

#[test]
fn checksum_detects_a_flipped_byte() {
    let mut bytes = BASIC.to_vec();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    let dex = Dex::parse(&bytes).unwrap();
    assert!(!dex.verify_checksum());
    assert_eq!(
        dex.computed_checksum(),
        Some(appvet_dex::adler32(&bytes[12..]))
    );
}

// ------------------------------------------------------------------ dexdump cross-checks

#[test]
fn basic_classes_members_and_invokes_match_dexdump() {
    cross_check_with_dexdump("basic.dex", BASIC);
}

#[test]
fn modern_classes_members_and_invokes_match_dexdump() {
    cross_check_with_dexdump("modern.dex", MODERN);
}

/// Every instruction dexdump disassembles has the width our table gives: dexdump prints each
/// instruction's file offset and code-unit address, so consecutive addresses are its widths.
fn widths_match_dexdump(file: &str, bytes: &[u8]) -> usize {
    let text = dexdump("-d", file);
    let unit_at = |off: usize| u16::from_le_bytes([bytes[off], bytes[off + 1]]);
    let mut checked = 0;
    let mut insns_size: Option<u64> = None;
    let mut listing: Vec<(usize, u64, String)> = Vec::new();
    let mut flush = |listing: &mut Vec<(usize, u64, String)>, insns_size: Option<u64>| {
        for (k, (off, pc, line)) in listing.iter().enumerate() {
            let next = listing
                .get(k + 1)
                .map(|(_, p, _)| *p)
                .unwrap_or_else(|| insns_size.expect("insns size"));
            let ours = appvet_dex::instruction_width(unit_at(*off), |j| {
                let at = off + 2 * j as usize;
                (at + 2 <= bytes.len()).then(|| unit_at(at))
            });
            assert_eq!(ours, Some(next - pc), "{file}: width of {line}");
            checked += 1;
        }
        listing.clear();
    };
    for line in text.lines() {
        if let Some(rest) = line.trim().strip_prefix("insns size    : ") {
            insns_size = Some(rest.split_whitespace().next().unwrap().parse().unwrap());
        } else if line.trim_start().starts_with("catches") {
            flush(&mut listing, insns_size);
        } else if let (Some(colon), Some(bar)) = (line.find(": "), line.find('|')) {
            let (off, rest) = (&line[..colon], &line[bar + 1..]);
            if rest.starts_with('[') || off.len() != 6 {
                continue;
            }
            let Some(pc) = rest.get(..4) else { continue };
            let off = usize::from_str_radix(off, 16).unwrap();
            let pc = u64::from_str_radix(pc, 16).unwrap();
            listing.push((off, pc, line.to_owned()));
        }
    }
    assert!(listing.is_empty());
    checked
}

#[test]
fn instruction_widths_match_dexdump() {
    assert!(widths_match_dexdump("basic.dex", BASIC) > 150);
    assert!(widths_match_dexdump("modern.dex", MODERN) > 5);
}

// ------------------------------------------------------------------ field-by-field facts

#[test]
fn class_defs_field_by_field() {
    let dex = Dex::parse(BASIC).unwrap();
    let names: Vec<String> = classes(&dex)
        .iter()
        .map(|c| dex.class_descriptor(c).unwrap().into_owned())
        .collect();
    let expected: BTreeSet<&str> = [
        "LTopLevel;",
        "Lcom/example/app/MainActivity;",
        "Lcom/example/app/MainActivity$Inner;",
        "Lcom/example/util/Callback;",
        "Lcom/example/util/Helpers;",
        "Lcom/example/util/Opcodes;",
        "Lcom/tracker/sdk/Tracker;",
        "Lcom/tracker/sdk/Tracker$Sink;",
    ]
    .into_iter()
    .collect();
    assert_eq!(
        names.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        expected
    );

    let main = class_by_name(&dex, "Lcom/example/app/MainActivity;");
    assert_eq!(main.access_flags, 0x0001);
    assert_eq!(
        dex.type_descriptor(main.superclass_idx.unwrap()).unwrap(),
        "Landroid/app/Activity;"
    );
    assert_eq!(
        dex.string(main.source_file_idx.unwrap()).unwrap(),
        "MainActivity.java"
    );
    let ifaces = dex.interfaces(&main).unwrap();
    assert_eq!(ifaces.len(), 1);
    assert_eq!(
        dex.type_descriptor(ifaces[0]).unwrap(),
        "Lcom/example/util/Callback;"
    );
    assert_ne!(main.class_data_off, 0);

    let callback = class_by_name(&dex, "Lcom/example/util/Callback;");
    assert_eq!(callback.access_flags, 0x0601); // public interface abstract
    assert!(dex.invoked_methods(&callback).unwrap().is_empty());

    let top = class_by_name(&dex, "LTopLevel;");
    assert_eq!(top.source_file_idx, None);
    assert_eq!(top.access_flags, 0x0010);

    let helpers = class_by_name(&dex, "Lcom/example/util/Helpers;");
    assert_ne!(helpers.static_values_off, 0, "TAG has a static value");

    // dotted names
    assert_eq!(
        descriptor_to_dotted("Lcom/example/app/MainActivity$Inner;").as_deref(),
        Some("com.example.app.MainActivity$Inner")
    );
}

#[test]
fn method_refs_and_protos() {
    let dex = Dex::parse(BASIC).unwrap();
    let methods: BTreeSet<String> = (0..dex.method_count())
        .map(|i| method_text(&dex, i))
        .collect();
    for m in [
        "Landroid/telephony/TelephonyManager;.getDeviceId:()Ljava/lang/String;",
        "Lcom/example/app/MainActivity;.compute:(J[I[[Ljava/lang/String;DZ)J",
        "Lcom/example/app/MainActivity;.nativeThing:(Ljava/lang/String;[B)[Ljava/lang/Object;",
        "Lcom/example/util/Helpers;.many:(IIIIIII)V",
        "Lcom/example/util/Helpers;.join:([Ljava/lang/String;C)Ljava/lang/String;",
        "Lcom/example/util/Helpers;.wide:(DJF)D",
        "Lcom/tracker/sdk/Tracker$Sink;.send:(Ljava/lang/String;IJZ)V",
        "Landroid/location/LocationManager;.getLastKnownLocation:(Ljava/lang/String;)Landroid/location/Location;",
        "Lcom/example/app/MainActivity$Inner;.<init>:(Lcom/example/app/MainActivity;)V",
        "Ljava/lang/Runnable;.run:()V",
    ] {
        assert!(methods.contains(m), "missing {m}");
    }
    // MethodId fields agree with method()
    for m in dex.method_ids() {
        let m = m.unwrap();
        let (class, name, proto) = dex.method(m.index).unwrap();
        assert_eq!(dex.type_descriptor(m.class_idx).unwrap(), class);
        assert_eq!(dex.string(m.name_idx).unwrap(), name);
        assert_eq!(dex.proto_descriptor(m.proto_idx).unwrap(), proto);
    }
    // Fields
    let fields: BTreeSet<(String, String, String)> = dex
        .field_ids()
        .map(|f| {
            let f = f.unwrap();
            let (c, n, t) = dex.field(f.index).unwrap();
            (c.into_owned(), n.into_owned(), t.into_owned())
        })
        .collect();
    for (c, n, t) in [
        ("Lcom/example/app/MainActivity;", "counter", "I"),
        ("Lcom/example/app/MainActivity;", "values", "[J"),
        (
            "Lcom/example/app/MainActivity$Inner;",
            "this$0",
            "Lcom/example/app/MainActivity;",
        ),
        ("Lcom/example/util/Helpers;", "sCount", "J"),
        ("Ljava/lang/System;", "out", "Ljava/io/PrintStream;"),
    ] {
        assert!(
            fields.contains(&(c.to_owned(), n.to_owned(), t.to_owned())),
            "missing field {c}.{n}:{t}"
        );
    }
    // Out-of-range indices are errors naming the table.
    match dex.method(dex.method_count()) {
        Err(Error::IndexOutOfRange { table, index, .. }) => {
            assert_eq!(table, "method_ids");
            assert_eq!(index, dex.method_count());
        }
        other => panic!("expected IndexOutOfRange, got {other:?}"),
    }
    assert!(dex.proto_descriptor(dex.proto_count()).is_err());
    assert!(dex.type_descriptor(u32::MAX).is_err());
    assert!(dex.string(dex.string_count()).is_err());
}

/// UTF-16 code units of a string, for checking the DEX string sort order.
fn utf16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

#[test]
fn strings_decoded_field_by_field() {
    let dex = Dex::parse(BASIC).unwrap();
    let all: Vec<(u32, Cow<'_, str>)> = dex.strings().map(|(i, s)| (i, s.unwrap())).collect();
    assert_eq!(all.len() as u32, dex.string_count());
    // Table order and indices.
    for (n, (i, s)) in all.iter().enumerate() {
        assert_eq!(*i as usize, n);
        assert_eq!(dex.string(*i).unwrap(), *s);
        // Strings stored as ASCII are borrowed; others (NUL is stored as C0 80) are decoded.
        let stored_ascii = s.is_ascii() && !s.contains('\0');
        assert_eq!(matches!(s, Cow::Borrowed(_)), stored_ascii, "{s:?}");
    }
    // DEX requires string_ids sorted by UTF-16 code units: only a correct decoder sees that.
    for w in all.windows(2) {
        assert!(
            utf16(&w[0].1) < utf16(&w[1].1),
            "{:?} !< {:?}",
            w[0].1,
            w[1].1
        );
    }
    let find = |want: &str| all.iter().find(|(_, s)| s == want).map(|(i, _)| *i);
    let chinese = find("你好，世界").expect("Chinese string");
    assert!(matches!(dex.string(chinese).unwrap(), Cow::Owned(_)));
    assert!(find("emoji 😀 end").is_some(), "surrogate pair joined");
    assert!(find("nul\0inside").is_some(), "C0 80 decodes to NUL");
    assert!(find("https://tracker.example.com/collect").is_some());
    assert!(find("jumbo string").is_some());
    assert!(find("Helpers").is_some());
    let phone = find("phone").unwrap();
    assert!(matches!(dex.string(phone).unwrap(), Cow::Borrowed("phone")));
    // Type descriptors
    let types: BTreeSet<String> = (0..dex.type_count())
        .map(|t| dex.type_descriptor(t).unwrap().into_owned())
        .collect();
    for t in [
        "[[Ljava/lang/String;",
        "J",
        "[I",
        "Landroid/telephony/TelephonyManager;",
    ] {
        assert!(types.contains(t), "type {t}");
    }
}

// ------------------------------------------------------------------ invoked_methods

#[test]
fn invoked_methods_per_class() {
    let dex = Dex::parse(BASIC).unwrap();
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    let main = class_by_name(&dex, "Lcom/example/app/MainActivity;");
    assert_eq!(
        invoked_texts(&dex, &main),
        set(&[
            "Landroid/app/Activity;.<init>:()V",
            "Landroid/app/Activity;.onCreate:(Landroid/os/Bundle;)V",
            "Landroid/telephony/TelephonyManager;.getDeviceId:()Ljava/lang/String;",
            "Landroid/util/Log;.d:(Ljava/lang/String;Ljava/lang/String;)I",
            "Lcom/example/app/MainActivity$Inner;.<init>:(Lcom/example/app/MainActivity;)V",
            "Lcom/example/app/MainActivity;.getSystemService:(Ljava/lang/String;)Ljava/lang/Object;",
            "Lcom/example/util/Helpers;.many:(IIIIIII)V",
            "Ljava/lang/Runnable;.run:()V",
            "Ljava/lang/System;.currentTimeMillis:()J",
            "Ljava/lang/System;.nanoTime:()J",
            "Ljava/lang/Thread;.yield:()V",
        ])
    );
    let scan = dex.scan_invokes(&main).unwrap();
    // <init>, compute, onCreate, onResult have code; nativeThing does not.
    assert_eq!((scan.methods_scanned, scan.methods_skipped), (4, 0));

    let inner = class_by_name(&dex, "Lcom/example/app/MainActivity$Inner;");
    assert_eq!(
        invoked_texts(&dex, &inner),
        set(&[
            "Ljava/lang/Object;.<init>:()V",
            "Lcom/example/util/Callback;.onResult:(I)V",
            "Lcom/tracker/sdk/Tracker;.track:(Ljava/lang/String;)V",
        ])
    );
    let helpers = class_by_name(&dex, "Lcom/example/util/Helpers;");
    assert_eq!(
        invoked_texts(&dex, &helpers),
        set(&[
            "Ljava/lang/StringBuilder;.<init>:()V",
            "Ljava/lang/StringBuilder;.append:(Ljava/lang/String;)Ljava/lang/StringBuilder;",
            "Ljava/lang/StringBuilder;.toString:()Ljava/lang/String;",
        ])
    );
    let tracker = class_by_name(&dex, "Lcom/tracker/sdk/Tracker;");
    assert_eq!(
        invoked_texts(&dex, &tracker),
        set(&[
            "Landroid/net/Uri;.parse:(Ljava/lang/String;)Landroid/net/Uri;",
            "Landroid/location/LocationManager;.getLastKnownLocation:(Ljava/lang/String;)Landroid/location/Location;",
            "Lcom/tracker/sdk/Tracker$Sink;.send:(Ljava/lang/String;IJZ)V",
        ])
    );
    let sink = class_by_name(&dex, "Lcom/tracker/sdk/Tracker$Sink;");
    assert!(dex.invoked_methods(&sink).unwrap().is_empty());

    // modern.dex: invoke-polymorphic(/range) count, invoke-custom does not.
    let dex = Dex::parse(MODERN).unwrap();
    let handles = class_by_name(&dex, "Lcom/example/modern/Handles;");
    assert_eq!(
        invoked_texts(&dex, &handles),
        set(&[
            "Ljava/lang/invoke/MethodHandle;.invoke:([Ljava/lang/Object;)Ljava/lang/Object;",
            "Ljava/lang/invoke/MethodHandle;.invokeExact:([Ljava/lang/Object;)Ljava/lang/Object;",
            "Lcom/example/modern/Handles;.sink:(Ljava/lang/Object;)V",
            "Ljava/lang/Object;.hashCode:()I",
        ])
    );
}

#[test]
fn sorted_and_deduped() {
    let dex = Dex::parse(BASIC).unwrap();
    for c in classes(&dex) {
        let v = dex.invoked_methods(&c).unwrap();
        assert!(v.windows(2).all(|w| w[0] < w[1]), "{v:?}");
    }
    // Helpers calls StringBuilder.append twice; it is listed once.
    let helpers = class_by_name(&dex, "Lcom/example/util/Helpers;");
    assert_eq!(dex.invoked_methods(&helpers).unwrap().len(), 3);
}

// ------------------------------------------------------------------ header errors

fn put_u32(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_le_bytes());
}

#[test]
fn header_errors_say_what_is_wrong() {
    assert!(matches!(
        Dex::parse(&BASIC[..0x6f]),
        Err(Error::TooShort { len: 0x6f })
    ));
    assert!(matches!(Dex::parse(b""), Err(Error::TooShort { .. })));

    let mut b = BASIC.to_vec();
    b[0] = b'D';
    assert!(matches!(Dex::parse(&b), Err(Error::BadMagic { .. })));

    for (v, ok) in [
        (b"034", false),
        (b"035", true),
        (b"038", true),
        (b"041", true),
        (b"042", false),
    ] {
        let mut b = BASIC.to_vec();
        b[4..7].copy_from_slice(v);
        let r = Dex::parse(&b);
        assert_eq!(r.is_ok(), ok, "{r:?}");
        if !ok {
            assert!(matches!(r, Err(Error::UnsupportedVersion { .. })));
        }
    }
    let mut b = BASIC.to_vec();
    b[5] = b'x';
    assert!(matches!(Dex::parse(&b), Err(Error::BadMagic { .. })));

    let mut b = BASIC.to_vec();
    put_u32(&mut b, 0x28, 0x7856_3412);
    assert!(matches!(
        Dex::parse(&b),
        Err(Error::BadEndianTag { tag: 0x7856_3412 })
    ));

    let mut b = BASIC.to_vec();
    put_u32(&mut b, 0x24, 0x20);
    assert!(matches!(
        Dex::parse(&b),
        Err(Error::BadHeaderSize { size: 0x20, .. })
    ));

    // method_ids table pushed past the end of the file
    let mut b = BASIC.to_vec();
    let len = b.len() as u32;
    put_u32(&mut b, 0x5c, len - 8);
    match Dex::parse(&b) {
        Err(
            e @ Error::TableOutOfBounds {
                table: "method_ids",
                ..
            },
        ) => {
            assert!(e.to_string().contains("method_ids"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    // huge count: offset + count × size overflows 32 bits
    let mut b = BASIC.to_vec();
    put_u32(&mut b, 0x38, u32::MAX);
    assert!(matches!(
        Dex::parse(&b),
        Err(Error::TooManyItems {
            table: "string_ids",
            ..
        })
    ));
    let limits = appvet_model::Limits {
        max_table_items: u32::MAX,
        ..Default::default()
    };
    assert!(matches!(
        Dex::parse_with_limits(&b, &limits),
        Err(Error::TableOutOfBounds {
            table: "string_ids",
            ..
        })
    ));
    let limits = appvet_model::Limits {
        max_table_items: 10,
        ..Default::default()
    };
    assert!(matches!(
        Dex::parse_with_limits(BASIC, &limits),
        Err(Error::TooManyItems { .. })
    ));
}

// ------------------------------------------------------------------ hostile inputs

/// A minimal DEX with the given tables laid out after the header; returns the bytes.
struct Synth {
    b: Vec<u8>,
}

impl Synth {
    fn new() -> Self {
        let mut b = vec![0u8; 0x70];
        b[..8].copy_from_slice(b"dex\n035\0");
        put_u32(&mut b, 0x24, 0x70);
        put_u32(&mut b, 0x28, 0x1234_5678);
        Synth { b }
    }
    fn align(&mut self) {
        while self.b.len() & 3 != 0 {
            self.b.push(0);
        }
    }
    fn here(&self) -> u32 {
        self.b.len() as u32
    }
    fn u32(&mut self, v: u32) {
        self.b.extend_from_slice(&v.to_le_bytes());
    }
    fn uleb(&mut self, mut v: u32) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.b.push(byte);
                break;
            }
            self.b.push(byte | 0x80);
        }
    }
    fn table(&mut self, size_field: usize, count: u32, off: u32) {
        put_u32(&mut self.b, size_field, count);
        put_u32(&mut self.b, size_field + 4, off);
    }
    fn finish(mut self) -> Vec<u8> {
        let len = self.b.len() as u32;
        put_u32(&mut self.b, 0x20, len);
        let sum = appvet_dex::adler32(&self.b[12..]);
        put_u32(&mut self.b, 8, sum);
        self.b
    }
}

#[test]
fn overlapping_strings_stop_iteration_quickly() {
    // 200 000 string ids all pointing at one 100 000-byte string: reading them all would scan
    // 20 GB; the iteration budget stops after about the file size.
    let n = 200_000u32;
    let mut s = Synth::new();
    let ids = s.here();
    for _ in 0..n {
        s.u32(0);
    }
    let data = s.here();
    s.uleb(100_000);
    s.b.extend_from_slice(&vec![b'a'; 100_000]);
    s.b.push(0);
    for i in 0..n as usize {
        put_u32(&mut s.b, ids as usize + i * 4, data);
    }
    s.table(0x38, n, ids);
    let bytes = s.finish();
    let dex = Dex::parse(&bytes).unwrap();
    assert!(dex.verify_checksum());
    let mut ok = 0;
    let mut exhausted = 0;
    for (_, r) in dex.strings() {
        match r {
            Ok(s) => {
                assert_eq!(s.len(), 100_000);
                ok += 1;
            }
            Err(Error::StringBudgetExhausted { .. }) => exhausted += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert!((1..=10).contains(&ok), "{ok}");
    assert_eq!(ok + exhausted, n);
    // random access still works
    assert_eq!(dex.string(n - 1).unwrap().len(), 100_000);
}

#[test]
fn unterminated_and_oversized_strings_are_errors() {
    let mut s = Synth::new();
    let ids = s.here();
    s.u32(0);
    s.u32(0);
    s.u32(0);
    let d0 = s.here();
    s.uleb(3);
    s.b.extend_from_slice(b"abcdefghijk"); // no NUL within 3 × 3 + 1 bytes
    let d1 = s.here();
    s.uleb(70_000); // above MAX_IDENT_UTF16 for descriptors
    s.b.extend_from_slice(&vec![b'L'; 70_000]);
    s.b.push(0);
    let tids = s.here();
    s.u32(1);
    s.table(0x40, 1, tids);
    let d2 = s.here();
    s.b.extend_from_slice(&[0x80]); // uleb running off the end
    put_u32(&mut s.b, ids as usize, d0);
    put_u32(&mut s.b, ids as usize + 4, d1);
    put_u32(&mut s.b, ids as usize + 8, d2);
    s.table(0x38, 3, ids);
    let bytes = s.finish();
    let dex = Dex::parse(&bytes).unwrap();
    assert!(matches!(
        dex.string(0),
        Err(Error::BadString { index: 0, .. })
    ));
    assert_eq!(dex.string(1).unwrap().len(), 70_000);
    assert!(matches!(dex.type_descriptor(0), Err(Error::TooLong { .. })));
    assert!(matches!(dex.string(2), Err(Error::BadLeb128 { .. })));
}

#[test]
fn overlapping_code_items_are_bounded() {
    // One class whose class_data lists 100 000 direct methods all sharing one code item of
    // 20 000 nops plus an invoke: 2·10⁹ code units without the per-call budget.
    let methods = 100_000u32;
    let mut s = Synth::new();
    // string 0 = "LA;", string 1 = "m", string 2 = "V"
    let sids = s.here();
    s.u32(0);
    s.u32(0);
    s.u32(0);
    let mut offs = vec![];
    for text in ["LA;", "m", "V"] {
        offs.push(s.here());
        s.uleb(text.len() as u32);
        s.b.extend_from_slice(text.as_bytes());
        s.b.push(0);
    }
    for (i, o) in offs.iter().enumerate() {
        put_u32(&mut s.b, sids as usize + i * 4, *o);
    }
    s.table(0x38, 3, sids);
    s.align();
    let tids = s.here();
    s.u32(0); // type 0 = LA;
    s.u32(2); // type 1 = V
    s.table(0x40, 2, tids);
    let pids = s.here();
    s.u32(2);
    s.u32(1);
    s.u32(0); // proto 0 = ()V
    s.table(0x48, 1, pids);
    let mids = s.here();
    s.b.extend_from_slice(&[0, 0, 0, 0]);
    s.u32(1); // method 0 = LA;.m:()V
    s.table(0x58, 1, mids);
    let cdefs = s.here();
    let cdef_at = cdefs as usize;
    for _ in 0..8 {
        s.u32(0);
    }
    put_u32(&mut s.b, cdef_at + 8, u32::MAX);
    put_u32(&mut s.b, cdef_at + 16, u32::MAX);
    s.table(0x60, 1, cdefs);
    // code item
    s.align();
    let code = s.here();
    let insns = 20_000u32;
    s.b.extend_from_slice(&[1, 0, 1, 0, 1, 0, 0, 0]); // registers, ins, outs, tries
    s.u32(0); // debug_info_off
    s.u32(insns);
    s.b.extend_from_slice(&[0x71, 0x00, 0x00, 0x00, 0x00, 0x00]); // invoke-static {} method@0
    for _ in 0..insns - 3 {
        s.b.extend_from_slice(&[0, 0]);
    }
    // class data
    let cdata = s.here();
    s.uleb(0);
    s.uleb(0);
    s.uleb(methods);
    s.uleb(0);
    for _ in 0..methods {
        s.uleb(0); // method_idx_diff (stays 0)
        s.uleb(9); // access flags
        s.uleb(code);
    }
    put_u32(&mut s.b, cdef_at + 24, cdata);
    let bytes = s.finish();

    let dex = Dex::parse(&bytes).unwrap();
    let class = dex.class_def(0).unwrap();
    assert_eq!(dex.class_descriptor(&class).unwrap(), "LA;");
    let scan = dex.scan_invokes(&class).unwrap();
    assert_eq!(scan.invoked, vec![0]);
    assert!(scan.methods_scanned >= 1);
    assert!(scan.methods_skipped > 0);
    assert_eq!(scan.methods_scanned + scan.methods_skipped, methods);
    assert!(matches!(scan.first_error, Some(Error::BadCode { .. })));
    assert_eq!(method_text(&dex, 0), "LA;.m:()V");
}

// ------------------------------------------------------------------ mutation

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Use every accessor; must not panic. Returns a number so the work is not optimised away.
fn exercise(bytes: &[u8]) -> usize {
    let Ok(dex) = Dex::parse(bytes) else { return 0 };
    let mut n = usize::from(dex.verify_checksum());
    n += dex.strings().filter(|(_, s)| s.is_ok()).count();
    for t in 0..dex.type_count() {
        if let Ok(d) = dex.type_descriptor(t) {
            n += usize::from(descriptor_to_dotted(&d).is_some());
        }
    }
    for p in 0..dex.proto_count() {
        n += dex.proto_descriptor(p).map(|s| s.len()).unwrap_or(0);
    }
    for m in dex.method_ids().flatten() {
        n += usize::from(dex.method(m.index).is_ok());
    }
    for f in dex.field_ids().flatten() {
        n += usize::from(dex.field(f.index).is_ok());
    }
    for c in dex.class_defs().flatten() {
        n += usize::from(dex.class_descriptor(&c).is_ok());
        n += dex.interfaces(&c).map(|v| v.len()).unwrap_or(0);
        if let Ok(scan) = dex.scan_invokes(&c) {
            n += scan.invoked.len();
            for m in scan.invoked {
                assert!(m < dex.method_count());
            }
        }
    }
    n
}

#[test]
fn truncation_and_byte_flips_never_panic() {
    for base in [BASIC, MODERN] {
        let dex = Dex::parse(base).unwrap();
        let h = dex.header().clone();
        // Truncate at every length.
        for len in 0..base.len() {
            exercise(&base[..len]);
        }
        let mut rng = Lcg(0x5eed ^ base.len() as u64);
        // Regions to aim at: the header, each id table, the data section (code, class data,
        // string data, type lists).
        let regions: Vec<(usize, usize)> = vec![
            (0, 0x70),
            (h.string_ids_off as usize, h.string_ids_size as usize * 4),
            (h.type_ids_off as usize, h.type_ids_size as usize * 4),
            (h.proto_ids_off as usize, h.proto_ids_size as usize * 12),
            (h.field_ids_off as usize, h.field_ids_size as usize * 8),
            (h.method_ids_off as usize, h.method_ids_size as usize * 8),
            (h.class_defs_off as usize, h.class_defs_size as usize * 32),
            (h.data_off as usize, h.data_size as usize),
        ];
        for round in 0..4000 {
            let mut b = base.to_vec();
            let flips = 1 + rng.below(8);
            for _ in 0..flips {
                let (off, len) = regions[rng.below(regions.len())];
                let pos = (off + rng.below(len.max(1))).min(b.len() - 1);
                b[pos] = match rng.below(4) {
                    0 => 0x00,
                    1 => 0xff,
                    2 => b[pos] ^ (1 << rng.below(8)),
                    _ => rng.below(256) as u8,
                };
            }
            if round % 7 == 0 {
                let cut = rng.below(b.len());
                b.truncate(cut);
            }
            exercise(&b);
        }
    }
}

#[test]
fn garbage_code_is_skipped_not_fatal() {
    // Overwrite the body of MainActivity.onCreate (found by its getDeviceId invoke bytes) with
    // random bytes; other methods of the class keep their results.
    let dex = Dex::parse(BASIC).unwrap();
    let main = class_by_name(&dex, "Lcom/example/app/MainActivity;");
    let millis = (0..dex.method_count())
        .find(|&i| dex.method(i).unwrap().1 == "currentTimeMillis")
        .unwrap();
    let get_device_id = (0..dex.method_count())
        .find(|&i| dex.method(i).unwrap().1 == "getDeviceId")
        .unwrap() as u16;
    let needle = [0x6e, 0x10, get_device_id as u8, (get_device_id >> 8) as u8];
    let at = BASIC
        .windows(4)
        .position(|w| w == needle)
        .expect("invoke-virtual getDeviceId bytes");
    let mut rng = Lcg(42);
    let mut saw_skip = false;
    for _ in 0..2000 {
        let mut b = BASIC.to_vec();
        for byte in &mut b[at.saturating_sub(16)..at + 24] {
            if rng.below(3) == 0 {
                *byte = rng.below(256) as u8;
            }
        }
        let dex = Dex::parse(&b).unwrap();
        let main = dex.class_def(main.index).unwrap();
        let scan = dex.scan_invokes(&main).unwrap();
        saw_skip |= scan.methods_skipped > 0;
        for m in &scan.invoked {
            assert!(*m < dex.method_count());
        }
        // compute() is untouched: its calls are still found.
        assert!(scan.invoked.contains(&millis));
        assert_eq!(scan.methods_scanned + scan.methods_skipped, 4);
    }
    assert!(saw_skip, "some garbage must be detected as malformed");
}

#[test]
#[ignore = "micro timing; run with --ignored --nocapture"]
fn micro_timing() {
    let start = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..20_000 {
        n += exercise(BASIC);
    }
    println!(
        "20000 × full walk of basic.dex: {:?} ({n})",
        start.elapsed()
    );
}
