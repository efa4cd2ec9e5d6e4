//! Cross-checks against the reference tool: `aapt dump xmltree` and `aapt dump --values
//! resources` run at test time on the committed fixture APKs. Needs /usr/bin/aapt (Debian
//! package `aapt`). The parsed bytes are the committed entries make.sh extracted from those APKs.

use appvet_axml::arsc::ResourceTable;
use appvet_axml::{axml, AttrValue, ResValue, Resources, XmlElement};
use std::collections::HashMap;
use std::process::Command;

const APKS: [&str; 2] = ["aapt2.apk", "aapt_utf16.apk"];

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn aapt(args: &[&str]) -> String {
    let out = Command::new("aapt")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
            "cannot run `aapt` ({e}): these cross-check tests need the Android asset packaging \
             tool; install it with `apt-get install aapt` (Debian/Ubuntu package `aapt`)"
        )
        });
    assert!(
        out.status.success(),
        "aapt {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("aapt output is UTF-8")
}

/// The committed copy of an APK entry (make.sh extracts them from the same APKs).
fn entry(apk: &str, entry: &str) -> Vec<u8> {
    let prefix = apk.trim_end_matches(".apk");
    let file = match entry {
        "AndroidManifest.xml" => format!("{prefix}_manifest.axml"),
        "resources.arsc" => format!("{prefix}_resources.arsc"),
        "res/xml/network_security_config.xml" => format!("{prefix}_nsc.axml"),
        other => panic!("no extracted copy of {other}"),
    };
    std::fs::read(data(&file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

// ------------------------------------------------------------------ xmltree

#[derive(Debug)]
struct AaptElement {
    depth: usize,
    name: String,
    line: u32,
    attrs: Vec<AaptAttr>,
}

#[derive(Debug)]
struct AaptAttr {
    /// Namespace URI ("" for none).
    ns: String,
    name: String,
    id: Option<u32>,
    value: AaptValue,
}

#[derive(Debug, PartialEq)]
enum AaptValue {
    Str(String),
    Typed(u8, u32),
    Ref(u32),
    Attr(u32),
}

fn hex(s: &str) -> u32 {
    u32::from_str_radix(s.trim_start_matches("0x"), 16).unwrap_or_else(|_| panic!("hex {s:?}"))
}

fn parse_xmltree(text: &str) -> Vec<AaptElement> {
    let mut prefixes: HashMap<String, String> = HashMap::new();
    let mut out: Vec<AaptElement> = Vec::new();
    let mut indents: Vec<usize> = Vec::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let l = line.trim_start();
        if let Some(ns) = l.strip_prefix("N: ") {
            let (p, uri) = ns.split_once('=').unwrap();
            prefixes.insert(p.to_string(), uri.to_string());
        } else if let Some(e) = l.strip_prefix("E: ") {
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            let depth = indents.len();
            indents.push(indent);
            let (name, rest) = e.split_once(" (line=").unwrap();
            out.push(AaptElement {
                depth,
                name: name.to_string(),
                line: rest.trim_end_matches(')').parse().unwrap(),
                attrs: Vec::new(),
            });
        } else if let Some(a) = l.strip_prefix("A: ") {
            let (key, value) = a.split_once('=').unwrap();
            let (key, id) = match key.split_once('(') {
                Some((k, id)) => (k, Some(hex(id.trim_end_matches(')')))),
                None => (key, None),
            };
            let (ns, name) = match key.split_once(':') {
                Some((p, n)) => (prefixes[p].clone(), n.to_string()),
                None => (String::new(), key.to_string()),
            };
            let value = if let Some(s) = value.strip_prefix('"') {
                let end = s.find("\" (Raw: ").unwrap_or(s.len() - 1);
                AaptValue::Str(s[..end].to_string())
            } else if let Some(t) = value.strip_prefix("(type ") {
                let (t, d) = t.split_once(')').unwrap();
                // aapt (v1) may add ` (Raw: "29")` after a typed value.
                let d = d.split(' ').next().unwrap();
                AaptValue::Typed(hex(t) as u8, hex(d))
            } else if let Some(r) = value.strip_prefix('@') {
                AaptValue::Ref(hex(r))
            } else if let Some(r) = value.strip_prefix('?') {
                AaptValue::Attr(hex(r))
            } else {
                panic!("unknown aapt value {value:?}")
            };
            out.last_mut().unwrap().attrs.push(AaptAttr {
                ns,
                name,
                id,
                value,
            });
        }
    }
    out
}

fn flatten<'a>(el: &'a XmlElement, depth: usize, out: &mut Vec<(usize, &'a XmlElement)>) {
    out.push((depth, el));
    for c in &el.children {
        flatten(c, depth + 1, out);
    }
}

fn value_matches(aapt: &AaptValue, ours: &AttrValue) -> bool {
    match (aapt, ours) {
        (AaptValue::Str(a), AttrValue::String(b)) => a == b,
        (AaptValue::Ref(a), AttrValue::Reference(b)) => a == b,
        (AaptValue::Attr(a), AttrValue::Attribute(b)) => a == b,
        (AaptValue::Typed(0x10, d), AttrValue::Int(i)) => *i == i64::from(*d as i32),
        (AaptValue::Typed(0x11, d), AttrValue::Int(i)) => *i == i64::from(*d),
        (AaptValue::Typed(0x12, d), AttrValue::Bool(b)) => *b == (*d != 0),
        (AaptValue::Typed(0x04, d), AttrValue::Float(f)) => f.to_bits() == *d,
        (AaptValue::Typed(0x1c, d), AttrValue::Other(o)) => *o == format!("#{d:08x}"),
        _ => false,
    }
}

fn crosscheck_xml(apk: &str, entry_name: &str) {
    let path = data(apk);
    let reference = parse_xmltree(&aapt(&["dump", "xmltree", &path, entry_name]));
    let doc = axml::parse(&entry(apk, entry_name)).unwrap();
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    let mut ours = Vec::new();
    flatten(&doc.root, 0, &mut ours);
    assert_eq!(
        ours.len(),
        reference.len(),
        "{apk}:{entry_name}: element count"
    );
    let mut checked = 0;
    for ((depth, el), r) in ours.iter().zip(&reference) {
        let at = format!("{apk}:{entry_name}: <{}> line {}", r.name, r.line);
        assert_eq!(*depth, r.depth, "{at}: depth");
        assert_eq!(el.name, r.name, "{at}: name");
        assert_eq!(el.line, Some(r.line), "{at}: line");
        assert_eq!(el.attributes.len(), r.attrs.len(), "{at}: attribute count");
        // aapt lists attributes in file order, as we do.
        for (a, ra) in el.attributes.iter().zip(&r.attrs) {
            assert_eq!(a.namespace, ra.ns, "{at}: {} namespace", ra.name);
            assert_eq!(a.name, ra.name, "{at}: attribute name");
            assert_eq!(a.resource_id, ra.id, "{at}: {} resource id", ra.name);
            assert!(
                value_matches(&ra.value, &a.value),
                "{at}: {}: aapt {:?} vs ours {:?}",
                ra.name,
                ra.value,
                a.value
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 10 || entry_name != "AndroidManifest.xml",
        "{checked}"
    );
}

#[test]
fn xmltree_matches_aapt() {
    for apk in APKS {
        crosscheck_xml(apk, "AndroidManifest.xml");
        crosscheck_xml(apk, "res/xml/network_security_config.xml");
    }
}

// ------------------------------------------------------------------ resources

/// aapt's configuration name → our locale (`(default)` → "", `zh-rCN` → `zh-CN`,
/// `b+zh+Hans+CN` → `zh-Hans-CN`, `night-v8` → "").
fn locale_from_aapt(config: &str) -> String {
    if config == "(default)" {
        return String::new();
    }
    if let Some(b) = config.strip_prefix("b+") {
        let b = b.split('-').next().unwrap();
        return b.split('+').collect::<Vec<_>>().join("-");
    }
    let mut lang = None;
    let mut region = None;
    for part in config.split('-') {
        if lang.is_none()
            && (2..=3).contains(&part.len())
            && part.bytes().all(|c| c.is_ascii_lowercase())
        {
            lang = Some(part.to_string());
        } else if lang.is_some() && region.is_none() {
            if let Some(r) = part.strip_prefix('r') {
                if (2..=3).contains(&r.len()) {
                    region = Some(r.to_string());
                }
            }
        }
    }
    match (lang, region) {
        (Some(l), Some(r)) => format!("{l}-{r}"),
        (Some(l), None) => l,
        _ => String::new(),
    }
}

#[derive(Debug)]
struct AaptEntry {
    locale: String,
    /// `type/key`
    name: String,
    /// `None` for a bag.
    typed: Option<(u8, u32)>,
    /// The rendered value line (`(string8) "..."`, `(dimension) 4.000000dp`).
    shown: String,
}

fn parse_resources(text: &str) -> Vec<(u32, AaptEntry)> {
    let mut out: Vec<(u32, AaptEntry)> = Vec::new();
    let mut locale = String::new();
    let mut last_was_resource = false;
    for line in text.lines() {
        let l = line.trim_start();
        if let Some(c) = l.strip_prefix("config ") {
            locale = locale_from_aapt(c.trim_end_matches(':'));
            last_was_resource = false;
        } else if let Some(r) = l.strip_prefix("resource ") {
            let (id, rest) = r.split_once(' ').unwrap();
            let (full_name, value) = rest.split_once(": ").unwrap();
            let name = full_name.split_once(':').unwrap().1.to_string();
            let typed = if value.starts_with("<bag>") {
                None
            } else {
                let t = value.strip_prefix("t=").unwrap();
                let (t, rest) = t.split_once(' ').unwrap();
                let d = rest.strip_prefix("d=").unwrap().split(' ').next().unwrap();
                Some((hex(t) as u8, hex(d)))
            };
            out.push((
                hex(id),
                AaptEntry {
                    locale: locale.clone(),
                    name,
                    typed,
                    shown: String::new(),
                },
            ));
            last_was_resource = true;
        } else if last_was_resource && l.starts_with('(') {
            out.last_mut().unwrap().1.shown = l.to_string();
            last_was_resource = false;
        } else {
            last_was_resource = false;
        }
    }
    out
}

fn res_matches(e: &AaptEntry, ours: &ResValue) -> bool {
    let Some((t, d)) = e.typed else {
        return matches!(ours, ResValue::Other(o) if o.starts_with("<bag"));
    };
    match (t, ours) {
        (0x03, ResValue::String(s)) | (0x03, ResValue::File(s)) => {
            let shown = e
                .shown
                .split_once(" \"")
                .map(|(_, s)| s.trim_end_matches('"'))
                .unwrap_or("");
            let file_expected = s.starts_with("res/") && !e.name.starts_with("string/");
            shown == s && matches!(ours, ResValue::File(_)) == file_expected
        }
        (0x01, ResValue::Reference(r)) => *r == d,
        (0x12, ResValue::Bool(b)) => *b == (d != 0),
        (0x10, ResValue::Int(i)) => *i == i64::from(d as i32),
        (0x11, ResValue::Int(i)) => *i == i64::from(d),
        (0x1c, ResValue::Other(o)) => *o == format!("#{d:08x}"),
        (0x05, ResValue::Other(o)) => {
            // "(dimension) 4.000000dp" vs "4dp"
            let shown = e.shown.trim_start_matches("(dimension) ");
            let split = |s: &str| {
                let i = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
                (s[..i].parse::<f32>().ok(), s[i..].to_string())
            };
            split(shown) == split(o)
        }
        _ => false,
    }
}

#[test]
fn resources_match_aapt() {
    for apk in APKS {
        let path = data(apk);
        let reference = parse_resources(&aapt(&["dump", "--values", "resources", &path]));
        assert!(reference.len() >= 15, "{apk}: {} entries", reference.len());
        let table = ResourceTable::parse(&entry(apk, "resources.arsc")).unwrap();
        assert!(table.warnings().is_empty(), "{:?}", table.warnings());
        let mut by_id: Vec<(u32, Vec<&AaptEntry>)> = Vec::new();
        for (id, e) in &reference {
            match by_id.iter_mut().find(|(i, _)| i == id) {
                Some((_, v)) => v.push(e),
                None => by_id.push((*id, vec![e])),
            }
        }
        for (id, entries) in by_id {
            let ours = table.values(id);
            let at = format!("{apk}: 0x{id:08x} {}", entries[0].name);
            assert_eq!(
                table.name(id).as_deref(),
                Some(entries[0].name.as_str()),
                "{at}"
            );
            assert_eq!(ours.len(), entries.len(), "{at}: {ours:?} vs {entries:?}");
            for ((locale, v), e) in ours.iter().zip(&entries) {
                assert_eq!(locale, &e.locale, "{at}: locale");
                assert!(res_matches(e, v), "{at}: aapt {e:?} vs ours {v:?}");
            }
        }
    }
}

#[test]
fn locale_names_from_aapt() {
    assert_eq!(locale_from_aapt("(default)"), "");
    assert_eq!(locale_from_aapt("zh-rCN"), "zh-CN");
    assert_eq!(locale_from_aapt("b+zh+Hans+CN"), "zh-Hans-CN");
    assert_eq!(locale_from_aapt("night-v8"), "");
    assert_eq!(locale_from_aapt("es-r419"), "es-419");
}
