//! The protobuf (App Bundle) readers against real aapt2 output. The inputs under
//! `tests/data/proto/` come from `tests/data/make_proto.sh` (`aapt2 link --proto-format`), and
//! the `*.txt` references from `aapt2 dump` of a binary link of the same sources.

use appvet_axml::proto::{parse_xml, ProtoResourceTable};
use appvet_axml::{AttrValue, ResValue, Resources, XmlElement};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/proto/");

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}{name}")).expect("test data present")
}

fn text(name: &str) -> String {
    String::from_utf8(read(name)).expect("utf-8")
}

/// One element of an `aapt2 dump xmltree` listing.
#[derive(Debug, Default)]
struct DumpEl {
    name: String,
    line: Option<u32>,
    /// (namespace, name, resource id, rendered value)
    attrs: Vec<(String, String, Option<u32>, String)>,
    text: String,
    children: Vec<DumpEl>,
}

/// Parses aapt2's `dump xmltree` output (indentation gives the nesting).
fn parse_dump(s: &str) -> DumpEl {
    // Stack of (indent, element).
    let mut stack: Vec<(usize, DumpEl)> = Vec::new();
    let mut root = None;
    for line in s.lines() {
        let indent = line.len() - line.trim_start().len();
        let l = line.trim_start();
        if let Some(rest) = l.strip_prefix("E: ") {
            while stack.last().is_some_and(|(i, _)| *i >= indent) {
                let (_, done) = stack.pop().expect("non-empty");
                match stack.last_mut() {
                    Some((_, parent)) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            let (name, ln) = match rest.split_once(" (line=") {
                Some((n, l)) => (n, l.trim_end_matches(')').parse().ok()),
                None => (rest, None),
            };
            stack.push((
                indent,
                DumpEl {
                    name: name.to_string(),
                    line: ln,
                    ..DumpEl::default()
                },
            ));
        } else if let Some(rest) = l.strip_prefix("A: ") {
            let (key, value) = rest.split_once('=').expect("attr has =");
            let (key, id) = match key.rsplit_once("(0x") {
                Some((k, id)) => (
                    k,
                    Some(u32::from_str_radix(id.trim_end_matches(')'), 16).expect("hex id")),
                ),
                None => (key, None),
            };
            let (ns, name) = match key.rsplit_once(':') {
                Some((ns, n)) => (ns.to_string(), n.to_string()),
                None => (String::new(), key.to_string()),
            };
            let value = match value.split_once(" (Raw: ") {
                Some((v, _)) => v.to_string(),
                None => value.to_string(),
            };
            let value = match value.strip_prefix("0x") {
                Some(h) => i64::from(u32::from_str_radix(h, 16).expect("hex")).to_string(),
                None => value,
            };
            let top = &mut stack.last_mut().expect("attr inside element").1;
            top.attrs.push((ns, name, id, value));
        } else if let Some(rest) = l.strip_prefix("T: ") {
            let t = rest.trim_matches('\'');
            stack.last_mut().expect("text inside element").1.text += t;
        }
    }
    while let Some((_, done)) = stack.pop() {
        match stack.last_mut() {
            Some((_, parent)) => parent.children.push(done),
            None => root = Some(done),
        }
    }
    root.expect("dump has a root element")
}

fn render(v: &AttrValue) -> String {
    match v {
        AttrValue::String(s) => format!("\"{s}\""),
        other => other.display(),
    }
}

/// Compares our tree to the dump. The proto link keeps a few attributes the binary link
/// renders differently (`platformBuildVersionName` is a string in one and an int in the
/// other); those are skipped by name.
fn compare(ours: &XmlElement, dump: &DumpEl, path: &str, checked: &mut usize) {
    let path = format!("{path}/{}", dump.name);
    assert_eq!(ours.name, dump.name, "{path}");
    assert_eq!(ours.line, dump.line, "line of {path}");
    let our_attrs: Vec<_> = ours.attributes.iter().collect();
    assert_eq!(
        our_attrs.len(),
        dump.attrs.len(),
        "attribute count of {path}"
    );
    for (ns, name, id, value) in &dump.attrs {
        let a = our_attrs
            .iter()
            .find(|a| &a.name == name && &a.namespace == ns)
            .unwrap_or_else(|| panic!("{path}: missing attribute {ns}:{name}"));
        assert_eq!(a.resource_id, *id, "{path}@{name} id");
        if name == "platformBuildVersionName" {
            continue;
        }
        assert_eq!(&render(&a.value), value, "{path}@{name}");
        *checked += 1;
    }
    let our_text = ours.text.as_deref().unwrap_or("").trim().to_string();
    assert_eq!(our_text, dump.text, "text of {path}");
    assert_eq!(
        ours.children.len(),
        dump.children.len(),
        "child count of {path}"
    );
    for (o, d) in ours.children.iter().zip(&dump.children) {
        compare(o, d, &path, checked);
    }
}

#[test]
fn manifest_matches_aapt2_dump() {
    let ours = parse_xml(&read("AndroidManifest.xml.pb")).expect("parses");
    let dump = parse_dump(&text("manifest.xmltree.txt"));
    let mut checked = 0;
    compare(&ours, &dump, "", &mut checked);
    assert!(checked > 60, "only {checked} attribute values compared");

    // Spot checks of typed values.
    assert_eq!(
        ours.attr(0x0101021c, "versionName"),
        Some(&AttrValue::Reference(0x7f040003))
    );
    assert_eq!(
        ours.attr(0x0101021b, "versionCode"),
        Some(&AttrValue::Int(7))
    );
    assert_eq!(
        ours.plain_attr("package"),
        Some(&AttrValue::String("org.appvet.demo".into()))
    );
    let app = ours.children_named("application").next().expect("app");
    assert_eq!(
        app.attr(0x0101000f, "debuggable"),
        Some(&AttrValue::Bool(true))
    );
    let perm = ours
        .children_named("permission")
        .next()
        .expect("permission");
    // signature|privileged = 0x12
    assert_eq!(
        perm.attr(0x01010009, "protectionLevel"),
        Some(&AttrValue::Int(0x12))
    );
}

#[test]
fn network_security_config_matches_aapt2_dump() {
    let ours = parse_xml(&read("network_security_config.xml.pb")).expect("parses");
    let dump = parse_dump(&text("nsc.xmltree.txt"));
    let mut checked = 0;
    compare(&ours, &dump, "", &mut checked);
    assert!(checked >= 5);
    let domain = ours
        .children_named("domain-config")
        .next()
        .and_then(|d| d.children_named("domain").next())
        .expect("domain");
    assert_eq!(domain.text.as_deref(), Some("example.com"));
    assert_eq!(
        domain.plain_attr("includeSubdomains"),
        Some(&AttrValue::Bool(true))
    );
}

/// Parses `aapt2 dump resources` into (id, config, rendered value).
fn parse_res_dump(s: &str) -> Vec<(u32, String, String)> {
    let mut out = Vec::new();
    let mut id = 0;
    for line in s.lines() {
        let l = line.trim_start();
        if let Some(rest) = l.strip_prefix("resource 0x") {
            id = u32::from_str_radix(&rest[..8], 16).expect("id");
        } else if let Some(rest) = l.strip_prefix('(') {
            let (config, value) = rest.split_once(") ").expect("config");
            out.push((id, config.to_string(), value.to_string()));
        }
    }
    out
}

#[test]
fn resource_table_matches_aapt2_dump() {
    let table = ProtoResourceTable::parse(&read("resources.pb")).expect("parses");
    assert!(table.warnings.is_empty(), "{:?}", table.warnings);
    assert_eq!(table.packages, vec![(0x7f, "org.appvet.demo".to_string())]);
    let dump = parse_res_dump(&text("resources.txt"));
    assert_eq!(dump.len(), 13);
    for (id, config, value) in &dump {
        let locale = match config.as_str() {
            "" | "night" => "".to_string(),
            "zh-rCN" => "zh-CN".into(),
            "b+sr+Latn" => "sr-Latn".into(),
            other => other.to_string(),
        };
        let vals = table.values(*id);
        let rendered: Vec<String> = vals
            .iter()
            .filter(|(l, _)| *l == locale)
            .map(|(_, v)| match v {
                ResValue::String(s) => format!("\"{s}\""),
                ResValue::File(p) => format!("(file) {p} type=XML"),
                ResValue::Bool(b) => b.to_string(),
                ResValue::Int(i) => i.to_string(),
                ResValue::Reference(r) => format!("@0x{r:08x}"),
                ResValue::Other(s) => s.clone(),
            })
            .collect();
        let want = if value == "@string/app_name" {
            "@0x7f040002".to_string()
        } else {
            value.clone()
        };
        assert!(
            rendered.contains(&want),
            "0x{id:08x} ({config}): want {want}, have {rendered:?}"
        );
    }
    // Default configuration comes first; resolution follows references.
    assert_eq!(
        table.values(0x7f010000).first().map(|v| &v.1),
        Some(&ResValue::Bool(true))
    );
    assert_eq!(
        table.resolve(0x7f040000),
        Some(ResValue::String("Vet Demo".into()))
    );
    let labels: Vec<String> = table.values(0x7f040002).into_iter().map(|v| v.0).collect();
    assert_eq!(labels, ["", "fr", "sr-Latn", "zh-CN"]);
    assert!(table.values(0x7f990000).is_empty());
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    assert!(parse_xml(&[]).is_err());
    assert!(parse_xml(&[0x0a, 0x05, 0x1a]).is_err());
    assert!(parse_xml(&[0x0b]).is_err()); // wire type 3 (group)
    assert!(ProtoResourceTable::parse(&[0x12, 0xff, 0xff, 0xff, 0xff, 0x0f]).is_err());
    assert!(ProtoResourceTable::parse(&[])
        .expect("empty table")
        .is_empty());
}

/// Deterministic LCG.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn truncated_and_flipped_inputs_never_panic() {
    let mut rng = Lcg(0x5eed);
    for name in [
        "AndroidManifest.xml.pb",
        "network_security_config.xml.pb",
        "resources.pb",
    ] {
        let data = read(name);
        let run = |d: &[u8]| {
            let _ = parse_xml(d);
            let _ = ProtoResourceTable::parse(d).map(|t| t.values(0x7f040002));
        };
        for len in 0..data.len() {
            run(&data[..len]);
        }
        for _ in 0..3000 {
            let mut d = data.clone();
            for _ in 0..1 + rng.next() % 4 {
                let pos = (rng.next() as usize) % d.len();
                d[pos] ^= 1 << (rng.next() % 8);
                if rng.next() & 3 == 0 {
                    d[pos] = 0xff;
                }
            }
            run(&d);
        }
    }
}
