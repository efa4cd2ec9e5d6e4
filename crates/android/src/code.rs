//! DEX files → [`CodeUnit`]s and URL strings. Every `classesN.dex` of a module is parsed in
//! parallel; a DEX that cannot be read becomes an anomaly, not a failed scan.

use appvet_dex::{descriptor_to_dotted, Dex};
use appvet_model::{
    urls::find_urls, Anomaly, ClassNameString, CodeFormat, CodeUnit, Inventory, Limits, Location,
    MethodRefs, Named, UrlString, PARALLEL_ABOVE_BYTES,
};
use appvet_zip::{Archive, Entry};
use rayon::prelude::*;
// foldhash: several times faster than SipHash on the hundreds of thousands of names of a
// large DEX, and randomly seeded, so crafted names cannot force collisions.
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
use std::sync::Arc;

/// `classes.dex` → Some(1), `classes2.dex` → Some(2); None for anything else.
pub(crate) fn dex_number(file: &str) -> Option<u32> {
    let n = file.strip_prefix("classes")?.strip_suffix(".dex")?;
    if n.is_empty() {
        Some(1)
    } else if n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0') && n != "1" {
        n.parse().ok()
    } else {
        None
    }
}

/// The primary DEX entries of a module, in the order Android loads them.
pub(crate) fn primary_dex_entries<'e>(archive: &'e Archive<'_>, root: &str) -> Vec<&'e Entry> {
    let dir = if root.is_empty() {
        String::new()
    } else {
        format!("{root}dex/")
    };
    let mut found: Vec<(u32, &Entry)> = archive
        .entries()
        .iter()
        .filter_map(|e| {
            let rest = e.name.strip_prefix(dir.as_str())?;
            dex_number(rest).map(|n| (n, e))
        })
        .collect();
    found.sort_by_key(|(n, e)| (*n, e.index));
    found.dedup_by_key(|(n, _)| *n);
    found.into_iter().map(|(_, e)| e).collect()
}

struct DexResult {
    unit: Option<CodeUnit>,
    urls: Vec<UrlString>,
    anomalies: Vec<Anomaly>,
    truncated_urls: u64,
    class_strings: Vec<ClassNameString>,
    truncated_class_strings: u64,
}

/// Calling classes grouped by method (a counting sort: linear, and each method's callers stay
/// in the order their classes were read).
struct Callers {
    /// `starts[m]..starts[m + 1]` are method `m`'s callers in `classes`.
    starts: Vec<u32>,
    classes: Vec<u32>,
}

impl Callers {
    fn group(calls: Vec<(u32, u32)>, method_count: u32) -> Callers {
        let mut starts = vec![0u32; method_count as usize + 1];
        for &(m, _) in &calls {
            if let Some(n) = starts.get_mut(m as usize + 1) {
                *n += 1;
            }
        }
        for i in 1..starts.len() {
            let prev = starts.get(i - 1).copied().unwrap_or(0);
            if let Some(n) = starts.get_mut(i) {
                *n += prev;
            }
        }
        let mut next = starts.clone();
        let mut classes = vec![0u32; calls.len()];
        for (m, c) in calls {
            if let Some(at) = next.get_mut(m as usize) {
                if let Some(slot) = classes.get_mut(*at as usize) {
                    *slot = c;
                }
                *at += 1;
            }
        }
        Callers { starts, classes }
    }

    fn of(&self, m: u32) -> &[u32] {
        let (a, b) = (
            self.starts.get(m as usize).copied().unwrap_or(0) as usize,
            self.starts.get(m as usize + 1).copied().unwrap_or(0) as usize,
        );
        self.classes.get(a..b).unwrap_or(&[])
    }
}

/// Numbers in a unit's method name table, by DEX table index (type, string or proto id).
struct Numbers(Vec<u32>);

impl Numbers {
    const NONE: u32 = u32::MAX;

    fn new(len: u32) -> Numbers {
        Numbers(vec![Self::NONE; len as usize])
    }

    /// The number of item `idx`, adding `make()` to the table on first use; None when the
    /// item cannot be read.
    fn number(
        &mut self,
        refs: &mut MethodRefs,
        idx: u32,
        make: impl FnOnce() -> Option<Arc<str>>,
    ) -> Option<u32> {
        match self.0.get(idx as usize) {
            Some(&n) if n != Self::NONE => Some(n),
            _ => {
                let n = refs.add_name(make()?);
                if let Some(slot) = self.0.get_mut(idx as usize) {
                    *slot = n;
                }
                Some(n)
            }
        }
    }
}

pub(crate) fn collect(archive: &Archive<'_>, limits: &Limits, root: &str, inv: &mut Inventory) {
    let entries = primary_dex_entries(archive, root);
    // Several large DEX files are read in parallel; one, or a few small ones (most packages),
    // here: starting a thread pool costs more than reading a small DEX.
    let total: u64 = entries.iter().map(|e| e.uncompressed_size).sum();
    let results: Vec<DexResult> = if entries.len() > 1 && total > PARALLEL_ABOVE_BYTES {
        entries
            .par_iter()
            .map(|entry| read_one(archive, entry, limits))
            .collect()
    } else {
        entries
            .iter()
            .map(|entry| read_one(archive, entry, limits))
            .collect()
    };
    for r in results {
        inv.code.extend(r.unit);
        inv.urls.extend(r.urls);
        inv.anomalies.extend(r.anomalies);
        if r.truncated_urls > 0 {
            *inv.truncated.entry("urls".into()).or_default() += r.truncated_urls;
        }
        inv.class_strings.extend(r.class_strings);
        if r.truncated_class_strings > 0 {
            *inv.truncated.entry("class_strings".into()).or_default() += r.truncated_class_strings;
        }
    }
}

fn read_one(archive: &Archive<'_>, entry: &Entry, limits: &Limits) -> DexResult {
    let mut out = DexResult {
        unit: None,
        urls: Vec::new(),
        anomalies: Vec::new(),
        truncated_urls: 0,
        class_strings: Vec::new(),
        truncated_class_strings: 0,
    };
    let bytes = match archive.read(entry) {
        Ok(b) => b,
        Err(e) => {
            out.anomalies.push(Anomaly::new(
                "dex.unreadable",
                format!("DEX entry could not be read: {e}"),
                Location::entry(entry.name.clone()),
            ));
            return out;
        }
    };
    match code_unit(&entry.name, &bytes, limits, &mut out) {
        Ok(unit) => out.unit = Some(unit),
        Err(e) => out.anomalies.push(Anomaly::new(
            "dex.unreadable",
            format!("DEX could not be parsed: {e}"),
            Location::entry(entry.name.clone()),
        )),
    }
    out
}

fn code_unit(
    entry: &str,
    bytes: &[u8],
    limits: &Limits,
    out: &mut DexResult,
) -> Result<CodeUnit, appvet_dex::Error> {
    let dex = Dex::parse_with_limits(bytes, limits)?;
    if !dex.verify_checksum() {
        out.anomalies.push(Anomaly::new(
            "dex.bad-checksum",
            "the header's adler32 checksum does not match the file (modified after build)",
            Location::entry(entry).with_offset(8),
        ));
    }
    let mut bad = 0u64;

    // Every type's dotted name, converted once (arrays and malformed descriptors: None).
    let dotted_by_type: Vec<Option<Arc<str>>> = (0..dex.type_count())
        .map(|t| {
            dex.type_descriptor(t)
                .ok()
                .and_then(|d| descriptor_to_dotted(&d))
                .map(Arc::from)
        })
        .collect();
    let dotted = |t: u32| dotted_by_type.get(t as usize).and_then(Option::as_ref);

    // Classes defined, and the methods each one's code invokes (for attribution).
    let mut defined_types: HashSet<u32> = HashSet::default();
    let mut classes_defined = Vec::new();
    // (method index, calling class index) pairs in one flat list, grouped by method below (a
    // large DEX has hundreds of thousands; a growing list per method would allocate for each).
    let method_count = dex.method_count();
    let mut calls: Vec<(u32, u32)> = Vec::new();
    let mut invoked: Vec<u32> = Vec::new();
    let mut unscanned = 0u64;
    for cd in dex.class_defs() {
        let Ok(cd) = cd else {
            bad += 1;
            continue;
        };
        match dex.scan_invokes_with(&cd, std::mem::take(&mut invoked)) {
            Ok(scan) => {
                unscanned += u64::from(scan.methods_skipped);
                calls.extend(
                    scan.invoked
                        .iter()
                        .filter(|&&m| m < method_count)
                        .map(|&m| (m, cd.index)),
                );
                invoked = scan.invoked;
            }
            Err(_) => unscanned += 1,
        }
        defined_types.insert(cd.class_idx);
        match dotted(cd.class_idx) {
            Some(name) => classes_defined.push(Named {
                name: name.clone(),
                index: cd.index,
            }),
            None => bad += 1,
        }
    }

    // Types referenced but not defined here; arrays reduce to their element type.
    let defined_names: HashSet<&str> = classes_defined.iter().map(|n| &*n.name).collect();
    let mut seen: HashSet<&str> = HashSet::default();
    let mut types_referenced = Vec::new();
    for t in 0..dex.type_count() {
        let Some(name) = dotted(t) else {
            continue;
        };
        if defined_types.contains(&t) || defined_names.contains(&**name) {
            continue;
        }
        if seen.insert(name) {
            types_referenced.push(Named {
                name: name.clone(),
                index: t,
            });
        }
    }

    // Method references: each distinct class, name and proto enters the unit's name table
    // once (`<init>` and `()V` recur thousands of times).
    let mut refs = MethodRefs::with_capacity(dex.method_count() as usize);
    let mut classes = Numbers::new(dex.type_count());
    let mut names = Numbers::new(dex.string_count());
    let mut protos = Numbers::new(dex.proto_count());
    let callers = Callers::group(calls, method_count);
    for m in dex.method_ids() {
        let Ok(m) = m else {
            bad += 1;
            continue;
        };
        let class = classes.number(&mut refs, m.class_idx, || match dotted(m.class_idx) {
            Some(c) => Some(c.clone()),
            // Methods on array types (`[I.clone()`) keep the raw descriptor.
            None => dex
                .type_descriptor(m.class_idx)
                .ok()
                .map(|d| Arc::from(d.as_ref())),
        });
        let name = names.number(&mut refs, m.name_idx, || {
            dex.string(m.name_idx).ok().map(|s| Arc::from(s.as_ref()))
        });
        let proto = protos.number(&mut refs, m.proto_idx, || {
            dex.proto_descriptor(m.proto_idx).ok().map(Arc::from)
        });
        let (Some(class), Some(name), Some(proto)) = (class, name, proto) else {
            bad += 1;
            continue;
        };
        refs.push(class, name, proto, m.index, callers.of(m.index));
    }
    drop(callers);

    // URL and host string constants.
    for (idx, s) in dex.strings() {
        let Ok(s) = s else {
            bad += 1;
            continue;
        };
        if s.len() < 4 || !(s.contains('.')) {
            continue;
        }
        if ClassNameString::looks_like_class_name(&s) {
            if out.class_strings.len() >= limits.max_list_items {
                out.truncated_class_strings += 1;
            } else {
                out.class_strings.push(ClassNameString {
                    value: s.to_string(),
                    location: Location::entry(entry).with_index(idx),
                });
            }
            continue;
        }
        for (kind, value, host) in find_urls(&s) {
            if out.urls.len() >= limits.max_list_items {
                out.truncated_urls += 1;
                continue;
            }
            out.urls.push(UrlString {
                value,
                kind,
                host,
                location: Location::entry(entry).with_index(idx),
            });
        }
    }

    if unscanned > 0 {
        out.anomalies.push(Anomaly::new(
            "dex.unscanned-code",
            format!(
                "{unscanned} methods' code could not be scanned for calls (malformed code items)"
            ),
            Location::entry(entry),
        ));
    }
    if bad > 0 {
        out.anomalies.push(Anomaly::new(
            "dex.bad-items",
            format!(
                "{bad} table items could not be read (bad offsets or indices) and were skipped"
            ),
            Location::entry(entry),
        ));
    }
    Ok(CodeUnit {
        format: CodeFormat::Dex,
        location: Location::entry(entry),
        version: dex.version().to_string(),
        classes_defined,
        types_referenced,
        methods: refs,
        string_count: dex.string_count(),
        ..CodeUnit::default()
    })
}

#[cfg(test)]
mod tests {
    use super::dex_number;

    #[test]
    fn dex_numbers_follow_android_multidex_naming() {
        assert_eq!(dex_number("classes.dex"), Some(1));
        assert_eq!(dex_number("classes2.dex"), Some(2));
        assert_eq!(dex_number("classes12.dex"), Some(12));
        assert_eq!(dex_number("classes1.dex"), None);
        assert_eq!(dex_number("classes02.dex"), None);
        assert_eq!(dex_number("classesx.dex"), None);
        assert_eq!(dex_number("assets/classes.dex"), None);
    }
}
