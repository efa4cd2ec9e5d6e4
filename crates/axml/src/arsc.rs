//! The compiled resource table `resources.arsc`.
//!
//! Layout (frameworks/base `ResourceTypes.h`): a `RES_TABLE_TYPE` chunk holding the global
//! value string pool and one or more packages. A package holds its type-name and key-name
//! string pools, one type-spec chunk per type, and one type chunk per (type, configuration)
//! whose entry table maps entry indexes to `ResTable_entry` records (dense 32-bit offsets,
//! 16-bit offsets with `FLAG_OFFSET16`, or `(index, offset)` pairs with `FLAG_SPARSE`).
//!
//! Every entry is indexed by resource id at parse time (a sorted vector, looked up by binary
//! search); strings are decoded only when a value or name is asked for.

use crate::axml::{
    render_value, split_chunks, u16_at, u32_at, u8_at, Chunk, StringPool, RES_STRING_POOL_TYPE,
    RES_TABLE_TYPE, TYPE_DYNAMIC_REFERENCE, TYPE_INT_BOOLEAN, TYPE_INT_DEC, TYPE_INT_HEX,
    TYPE_REFERENCE, TYPE_STRING,
};
use crate::{Error, ResValue, Resources};
use std::collections::HashMap;

const RES_TABLE_PACKAGE_TYPE: u16 = 0x0200;
const RES_TABLE_TYPE_TYPE: u16 = 0x0201;
const RES_TABLE_TYPE_SPEC_TYPE: u16 = 0x0202;
const RES_TABLE_LIBRARY_TYPE: u16 = 0x0203;
const RES_TABLE_OVERLAYABLE_TYPE: u16 = 0x0204;
const RES_TABLE_OVERLAYABLE_POLICY_TYPE: u16 = 0x0205;
const RES_TABLE_STAGED_ALIAS_TYPE: u16 = 0x0206;

/// `ResTable_type::flags`.
const FLAG_SPARSE: u8 = 0x01;
const FLAG_OFFSET16: u8 = 0x02;

/// `ResTable_entry::flags`.
const FLAG_COMPLEX: u16 = 0x0001;
const FLAG_COMPACT: u16 = 0x0008;

const NO_ENTRY32: u32 = 0xffff_ffff;
const NO_ENTRY16: u16 = 0xffff;

/// Bytes of strings one `values()` call copies at most (one id can have many configurations
/// all pointing at one long string).
const VALUES_STRING_BUDGET: usize = 16 << 20;

/// A string pool together with an owned copy of its chunk.
#[derive(Debug, Clone, Default)]
struct OwnedPool {
    bytes: Vec<u8>,
    pool: StringPool,
}

impl OwnedPool {
    fn new(chunk: &Chunk<'_>, warnings: &mut Vec<String>) -> OwnedPool {
        OwnedPool {
            pool: StringPool::parse(chunk, warnings),
            bytes: chunk.bytes.to_vec(),
        }
    }

    fn get(&self, idx: u32) -> Option<String> {
        self.pool.get(&self.bytes, idx).ok()
    }
}

#[derive(Debug, Clone)]
struct Package {
    id: u32,
    name: String,
    types: OwnedPool,
    keys: OwnedPool,
    type_id_offset: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    /// A `Res_value`: data type and data word.
    Simple { dtype: u8, data: u32 },
    /// A bag (style, array, plurals...): parent and item count.
    Complex { parent: u32, count: u32 },
}

/// One entry of one configuration.
#[derive(Debug, Clone, Copy)]
struct Entry {
    id: u32,
    /// Index into `ResourceTable::locales`.
    locale: u32,
    /// Index into `ResourceTable::packages`.
    package: u32,
    /// Key string index in the package's key pool.
    key: u32,
    value: Value,
}

/// A parsed `resources.arsc`.
#[derive(Debug, Clone, Default)]
pub struct ResourceTable {
    values_pool: OwnedPool,
    packages: Vec<Package>,
    /// Sorted by id (stable: configurations in file order).
    entries: Vec<Entry>,
    locales: Vec<String>,
    warnings: Vec<String>,
}

/// Type names whose string values are file paths inside the package.
fn is_value_type(type_name: &str) -> bool {
    matches!(
        type_name,
        "string" | "array" | "string-array" | "integer-array" | "plurals"
    )
}

/// Renders the locale of a `ResTable_config` (`""`, `zh`, `zh-CN`, `zh-Hans-CN`).
fn locale_of(config: &[u8]) -> String {
    let size = u32_at(config, 0)
        .map_or(0, |s| s as usize)
        .min(config.len());
    let field = |from: usize, len: usize| -> &[u8] {
        if from + len <= size {
            config.get(from..from + len).unwrap_or(&[])
        } else {
            &[]
        }
    };
    let language = unpack_language_or_region(field(8, 2), b'a');
    if language.is_empty() {
        return String::new();
    }
    let region = unpack_language_or_region(field(10, 2), b'0');
    let script = ascii_field(field(36, 4));
    let variant = ascii_field(field(40, 8));
    let mut out = language;
    for part in [script, region, variant] {
        if !part.is_empty() {
            out.push('-');
            out.push_str(&part);
        }
    }
    out
}

/// Two bytes of a language or region: two ASCII letters, or (high bit set) three 5-bit
/// letters packed relative to `base` (`a` for languages, `0` for regions).
fn unpack_language_or_region(b: &[u8], base: u8) -> String {
    let (Some(&b0), Some(&b1)) = (b.first(), b.get(1)) else {
        return String::new();
    };
    if b0 & 0x80 != 0 {
        let first = b1 & 0x1f;
        let second = ((b1 & 0xe0) >> 5) | ((b0 & 0x03) << 3);
        let third = (b0 & 0x7c) >> 2;
        [first, second, third]
            .iter()
            .map(|&c| char::from(base.wrapping_add(c)))
            .collect()
    } else {
        ascii_field(b)
    }
}

/// A NUL-padded ASCII field, keeping printable characters only.
fn ascii_field(b: &[u8]) -> String {
    b.iter()
        .take_while(|&&c| c != 0)
        .filter(|c| c.is_ascii_graphic())
        .map(|&c| char::from(c))
        .collect()
}

struct Parser {
    table: ResourceTable,
    locale_ids: HashMap<String, u32>,
}

impl Parser {
    fn locale_id(&mut self, locale: String) -> u32 {
        if let Some(&id) = self.locale_ids.get(&locale) {
            return id;
        }
        let id = self.table.locales.len() as u32;
        self.table.locales.push(locale.clone());
        self.locale_ids.insert(locale, id);
        id
    }

    fn warn(&mut self, w: String) {
        self.table.warnings.push(w);
    }

    fn package(&mut self, c: &Chunk<'_>) {
        let d = c.bytes;
        let off = c.off;
        let hs = c.header_size;
        // id, name[128] (UTF-16), typeStrings, lastPublicType, keyStrings, lastPublicKey
        // [, typeIdOffset].
        if hs < 12 || hs > d.len() {
            self.warn(format!(
                "package at 0x{off:x}: header size {hs} out of range; package skipped"
            ));
            return;
        }
        let raw_id = u32_at(d, 8).unwrap_or(0);
        if raw_id > 0xff {
            self.warn(format!(
                "package at 0x{off:x}: id 0x{raw_id:x} above 0xff; using its low byte"
            ));
        }
        let id = raw_id & 0xff;
        let name_end = hs.min(12 + 256);
        let units: Vec<u16> = d
            .get(12..name_end)
            .unwrap_or(&[])
            .chunks_exact(2)
            .map(|p| {
                u16::from_le_bytes([
                    p.first().copied().unwrap_or(0),
                    p.get(1).copied().unwrap_or(0),
                ])
            })
            .take_while(|&u| u != 0)
            .collect();
        let name = String::from_utf16_lossy(&units);
        let field = |at: usize| if at + 4 <= hs { u32_at(d, at) } else { None };
        let type_strings = field(268).map(|v| v as usize);
        let key_strings = field(276).map(|v| v as usize);
        if hs < 284 {
            self.warn(format!(
                "package at 0x{off:x}: header size {hs} < 284; string pools taken in order"
            ));
        }
        let type_id_offset = field(284).unwrap_or(0);
        let mut types: Option<OwnedPool> = None;
        let mut keys: Option<OwnedPool> = None;
        let pkg_index = self.table.packages.len() as u32;
        let mut warnings = Vec::new();
        let chunks = split_chunks(d, hs, off, "package", &mut warnings);
        self.table.warnings.append(&mut warnings);
        for ch in &chunks {
            match ch.ty {
                RES_STRING_POOL_TYPE => {
                    let rel = ch.off - off;
                    let pool = OwnedPool::new(ch, &mut self.table.warnings);
                    if Some(rel) == type_strings && types.is_none() {
                        types = Some(pool);
                    } else if Some(rel) == key_strings && keys.is_none() {
                        keys = Some(pool);
                    } else if types.is_none() {
                        self.warn(format!(
                            "package at 0x{off:x}: string pool at 0x{:x} is not where the header \
                             says; taken as the type names",
                            ch.off
                        ));
                        types = Some(pool);
                    } else if keys.is_none() {
                        self.warn(format!(
                            "package at 0x{off:x}: string pool at 0x{:x} is not where the header \
                             says; taken as the key names",
                            ch.off
                        ));
                        keys = Some(pool);
                    } else {
                        self.warn(format!(
                            "package at 0x{off:x}: extra string pool at 0x{:x} ignored",
                            ch.off
                        ));
                    }
                }
                RES_TABLE_TYPE_TYPE => self.type_chunk(ch, id, pkg_index),
                RES_TABLE_TYPE_SPEC_TYPE
                | RES_TABLE_LIBRARY_TYPE
                | RES_TABLE_OVERLAYABLE_TYPE
                | RES_TABLE_OVERLAYABLE_POLICY_TYPE
                | RES_TABLE_STAGED_ALIAS_TYPE => {}
                t => self.warn(format!(
                    "package at 0x{off:x}: unknown chunk type 0x{t:04x} at 0x{:x} skipped",
                    ch.off
                )),
            }
        }
        self.table.packages.push(Package {
            id,
            name,
            types: types.unwrap_or_default(),
            keys: keys.unwrap_or_default(),
            type_id_offset,
        });
    }

    fn type_chunk(&mut self, c: &Chunk<'_>, pkg_id: u32, pkg_index: u32) {
        let d = c.bytes;
        let off = c.off;
        let hs = c.header_size;
        let (Some(type_id), Some(flags), Some(count), Some(entries_start)) =
            (u8_at(d, 8), u8_at(d, 9), u32_at(d, 12), u32_at(d, 16))
        else {
            self.warn(format!(
                "type chunk at 0x{off:x}: truncated header; skipped"
            ));
            return;
        };
        if hs < 20 || hs > d.len() {
            self.warn(format!(
                "type chunk at 0x{off:x}: header size {hs} out of range; skipped"
            ));
            return;
        }
        if type_id == 0 {
            self.warn(format!("type chunk at 0x{off:x}: type id 0; skipped"));
            return;
        }
        let config = d.get(20..hs).unwrap_or(&[]);
        let locale = locale_of(config);
        let locale = self.locale_id(locale);
        let entries_start = entries_start as usize;
        if entries_start > d.len() {
            self.warn(format!(
                "type chunk at 0x{off:x}: entries start 0x{entries_start:x} beyond the chunk \
                 (0x{:x}); skipped",
                d.len()
            ));
            return;
        }
        // The offsets table lies between the header and the entries (when entries come
        // after it), else up to the chunk end.
        let table_end = if entries_start >= hs {
            entries_start
        } else {
            d.len()
        };
        let table = d.get(hs..table_end).unwrap_or(&[]);
        let count = count as usize;
        let slot = if flags & FLAG_SPARSE != 0 {
            4
        } else if flags & FLAG_OFFSET16 != 0 {
            2
        } else {
            4
        };
        let fits = table.len() / slot;
        if count > fits {
            self.warn(format!(
                "type chunk at 0x{off:x}: {count} entries declared, offsets table holds {fits}; capped"
            ));
        }
        let count = count.min(fits);
        let base_id = (pkg_id << 24) | (u32::from(type_id) << 16);
        let entries = d.get(entries_start..).unwrap_or(&[]);
        let mut bad = 0usize;
        for i in 0..count {
            let (index, rel) = if flags & FLAG_SPARSE != 0 {
                match (u16_at(table, i * 4), u16_at(table, i * 4 + 2)) {
                    (Some(idx), Some(o)) => (usize::from(idx), usize::from(o) * 4),
                    _ => break,
                }
            } else if flags & FLAG_OFFSET16 != 0 {
                match u16_at(table, i * 2) {
                    Some(NO_ENTRY16) => continue,
                    Some(o) => (i, usize::from(o) * 4),
                    None => break,
                }
            } else {
                match u32_at(table, i * 4) {
                    Some(NO_ENTRY32) => continue,
                    Some(o) => (i, o as usize),
                    None => break,
                }
            };
            if index > 0xffff {
                self.warn(format!(
                    "type chunk at 0x{off:x}: entry index {index} above 0xffff; rest ignored"
                ));
                break;
            }
            match read_entry(entries, rel) {
                Some((key, value)) => self.table.entries.push(Entry {
                    id: base_id | index as u32,
                    locale,
                    package: pkg_index,
                    key,
                    value,
                }),
                None => bad += 1,
            }
        }
        if bad > 0 {
            self.warn(format!(
                "type chunk at 0x{off:x}: {bad} entr{} out of bounds; dropped",
                if bad == 1 { "y" } else { "ies" }
            ));
        }
    }
}

/// Reads the `ResTable_entry` at `rel` of the entries area: `(key index, value)`.
fn read_entry(entries: &[u8], rel: usize) -> Option<(u32, Value)> {
    let first = u16_at(entries, rel)?;
    let flags = u16_at(entries, rel.checked_add(2)?)?;
    if flags & FLAG_COMPACT != 0 {
        // Compact: key index (u16), flags with the data type in the high byte, data.
        let data = u32_at(entries, rel.checked_add(4)?)?;
        let dtype = (flags >> 8) as u8;
        return Some((u32::from(first), Value::Simple { dtype, data }));
    }
    let key = u32_at(entries, rel.checked_add(4)?)?;
    if flags & FLAG_COMPLEX != 0 {
        let parent = u32_at(entries, rel.checked_add(8)?)?;
        let count = u32_at(entries, rel.checked_add(12)?)?;
        return Some((key, Value::Complex { parent, count }));
    }
    // The Res_value follows the entry header, located by the entry's size.
    let v = rel.checked_add(usize::from(first))?;
    let dtype = u8_at(entries, v.checked_add(3)?)?;
    let data = u32_at(entries, v.checked_add(4)?)?;
    Some((key, Value::Simple { dtype, data }))
}

impl ResourceTable {
    /// Parses a `resources.arsc`. Errors only when the data is not a resource table at all
    /// (shorter than a chunk header, or another top-level chunk type); damage inside is
    /// recovered from and listed in [`Self::warnings`].
    pub fn parse(data: &[u8]) -> Result<ResourceTable, Error> {
        let (Some(ty), Some(hs), Some(size)) = (u16_at(data, 0), u16_at(data, 2), u32_at(data, 4))
        else {
            return Err(Error::Truncated(
                "resources.arsc: shorter than a chunk header (8 bytes)",
            ));
        };
        if ty != RES_TABLE_TYPE {
            return Err(Error::Malformed(format!(
                "not a resource table: top-level chunk type 0x{ty:04x} at offset 0, expected 0x0002"
            )));
        }
        let mut p = Parser {
            table: ResourceTable::default(),
            locale_ids: HashMap::new(),
        };
        let size = size as usize;
        let end = if size > data.len() {
            p.warn(format!(
                "table chunk at 0x0 declares size 0x{size:x} beyond the file (0x{:x}); clamped",
                data.len()
            ));
            data.len()
        } else if size < 12 {
            p.warn(format!(
                "table chunk at 0x0 declares size 0x{size:x}; using the file size 0x{:x}",
                data.len()
            ));
            data.len()
        } else {
            if size < data.len() {
                p.warn(format!(
                    "{} trailing byte(s) after the table chunk at 0x{size:x}, ignored",
                    data.len() - size
                ));
            }
            size
        };
        let mut hs = usize::from(hs);
        if hs < 12 || hs > end {
            p.warn(format!(
                "table chunk at 0x0: header size {hs} out of range; using 12"
            ));
            hs = 12;
        }
        let region = data.get(..end).unwrap_or(data);
        let mut warnings = Vec::new();
        let chunks = split_chunks(region, hs, 0, "table", &mut warnings);
        p.table.warnings.append(&mut warnings);
        let mut have_pool = false;
        for c in &chunks {
            match c.ty {
                RES_STRING_POOL_TYPE if !have_pool => {
                    have_pool = true;
                    p.table.values_pool = OwnedPool::new(c, &mut p.table.warnings);
                }
                RES_STRING_POOL_TYPE => {
                    p.warn(format!("extra value string pool at 0x{:x} ignored", c.off))
                }
                RES_TABLE_PACKAGE_TYPE => p.package(c),
                t => p.warn(format!(
                    "unknown table chunk type 0x{t:04x} at 0x{:x} skipped",
                    c.off
                )),
            }
        }
        if !have_pool {
            p.warn("no value string pool in the table".to_string());
        }
        let declared = u32_at(data, 8).unwrap_or(0) as usize;
        if declared != p.table.packages.len() {
            p.warn(format!(
                "table header declares {declared} package(s), found {}",
                p.table.packages.len()
            ));
        }
        p.table.entries.sort_by_key(|e| e.id);
        Ok(p.table)
    }

    /// `(id, name)` of each package, in file order.
    pub fn packages(&self) -> Vec<(u32, String)> {
        self.packages
            .iter()
            .map(|p| (p.id, p.name.clone()))
            .collect()
    }

    /// Damage recovered from while parsing, each with its offset.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// `type/key` of a resource (`string/app_name`), for evidence.
    pub fn name(&self, id: u32) -> Option<String> {
        let e = self.entries_for(id).first()?;
        let pkg = self.packages.get(e.package as usize)?;
        let type_name = self.type_name(pkg, id)?;
        let key = pkg.keys.get(e.key)?;
        Some(format!("{type_name}/{key}"))
    }

    fn entries_for(&self, id: u32) -> &[Entry] {
        let lo = self.entries.partition_point(|e| e.id < id);
        let hi = self.entries.partition_point(|e| e.id <= id);
        self.entries.get(lo..hi).unwrap_or(&[])
    }

    fn type_name(&self, pkg: &Package, id: u32) -> Option<String> {
        let type_id = (id >> 16) & 0xff;
        let idx = type_id.checked_sub(1)?.checked_sub(pkg.type_id_offset)?;
        pkg.types.get(idx)
    }
}

impl Resources for ResourceTable {
    fn values(&self, id: u32) -> Vec<(String, ResValue)> {
        let entries = self.entries_for(id);
        let mut out = Vec::with_capacity(entries.len());
        let mut budget = VALUES_STRING_BUDGET;
        let mut type_name: Option<Option<String>> = None;
        for e in entries {
            let locale = self
                .locales
                .get(e.locale as usize)
                .cloned()
                .unwrap_or_default();
            let value = match e.value {
                Value::Complex { parent, count } => ResValue::Other(if parent != 0 {
                    format!("<bag of {count} item(s), parent @0x{parent:08x}>")
                } else {
                    format!("<bag of {count} item(s)>")
                }),
                Value::Simple { dtype, data } => match dtype {
                    TYPE_STRING => {
                        let mut s = self.values_pool.get(data).unwrap_or_default();
                        if s.len() > budget {
                            s.clear();
                        }
                        budget -= s.len();
                        let tn = type_name.get_or_insert_with(|| {
                            self.packages
                                .get(e.package as usize)
                                .and_then(|p| self.type_name(p, id))
                        });
                        let is_file =
                            s.starts_with("res/") && !tn.as_deref().is_some_and(is_value_type);
                        if is_file {
                            ResValue::File(s)
                        } else {
                            ResValue::String(s)
                        }
                    }
                    TYPE_REFERENCE | TYPE_DYNAMIC_REFERENCE => ResValue::Reference(data),
                    TYPE_INT_BOOLEAN => ResValue::Bool(data != 0),
                    TYPE_INT_DEC => ResValue::Int(i64::from(data as i32)),
                    TYPE_INT_HEX => ResValue::Int(i64::from(data)),
                    _ => ResValue::Other(render_value(dtype, data)),
                },
            };
            out.push((locale, value));
        }
        out
    }
}
