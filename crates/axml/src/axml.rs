//! Binary XML (AXML) as aapt/aapt2 write it: `AndroidManifest.xml` and `res/xml/*` in an APK.
//!
//! Layout (frameworks/base `ResourceTypes.h`): one `RES_XML_TYPE` chunk holding a string pool,
//! an optional resource map (attribute resource ids, indexed like the attribute-name strings),
//! then a flat sequence of node chunks (namespace start/end, element start/end, CDATA). The tree
//! is rebuilt with an explicit stack.
//!
//! The reader follows what Android's `ResXMLTree`/`ResXMLParser` actually do rather than what
//! aapt writes, because hardened packages rely on the difference: every chunk body is found via
//! its `header_size`, attributes via `attributeStart`/`attributeSize`, and unknown chunks are
//! skipped by their size. Damage that can be recovered from is reported in
//! [`Document::warnings`] with its offset.
//!
//! This module also holds the primitives shared with [`crate::arsc`]: chunk headers, the string
//! pool and `Res_value` rendering.

use crate::{AttrValue, Error, XmlAttr, XmlElement};

// ------------------------------------------------------------------ chunk types

pub(crate) const RES_STRING_POOL_TYPE: u16 = 0x0001;
pub(crate) const RES_TABLE_TYPE: u16 = 0x0002;
pub(crate) const RES_XML_TYPE: u16 = 0x0003;
const RES_XML_START_NAMESPACE_TYPE: u16 = 0x0100;
const RES_XML_END_NAMESPACE_TYPE: u16 = 0x0101;
const RES_XML_START_ELEMENT_TYPE: u16 = 0x0102;
const RES_XML_END_ELEMENT_TYPE: u16 = 0x0103;
const RES_XML_CDATA_TYPE: u16 = 0x0104;
const RES_XML_FIRST_CHUNK_TYPE: u16 = 0x0100;
const RES_XML_LAST_CHUNK_TYPE: u16 = 0x017f;
const RES_XML_RESOURCE_MAP_TYPE: u16 = 0x0180;

/// "No string" index in string references.
pub(crate) const NO_INDEX: u32 = 0xffff_ffff;

/// Deepest element nesting kept; deeper elements are dropped with a warning.
const MAX_DEPTH: usize = 1024;

// ------------------------------------------------------------------ little-endian readers

pub(crate) fn u8_at(d: &[u8], off: usize) -> Option<u8> {
    d.get(off).copied()
}

pub(crate) fn u16_at(d: &[u8], off: usize) -> Option<u16> {
    let b = d.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes([*b.first()?, *b.get(1)?]))
}

pub(crate) fn u32_at(d: &[u8], off: usize) -> Option<u32> {
    let b = d.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes([
        *b.first()?,
        *b.get(1)?,
        *b.get(2)?,
        *b.get(3)?,
    ]))
}

// ------------------------------------------------------------------ chunks

/// One chunk located inside a parent region. `bytes` is the chunk clamped to the parent (so a
/// chunk whose declared size runs past its parent is cut, with a warning).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chunk<'a> {
    /// Absolute offset in the file, for messages.
    pub off: usize,
    pub ty: u16,
    pub header_size: usize,
    pub bytes: &'a [u8],
}

impl<'a> Chunk<'a> {
    /// The chunk body (after its header), empty when the header size is out of range.
    pub fn body(&self) -> &'a [u8] {
        self.bytes.get(self.header_size..).unwrap_or(&[])
    }
}

/// Splits `region[start..]` into consecutive chunks. `base` is the absolute offset of `region`.
/// Stops (with a warning) at a chunk header that cannot be read or whose size is below 8;
/// a declared size beyond the region is clamped with a warning.
pub(crate) fn split_chunks<'a>(
    region: &'a [u8],
    start: usize,
    base: usize,
    what: &str,
    warnings: &mut Vec<String>,
) -> Vec<Chunk<'a>> {
    let mut out = Vec::new();
    let mut pos = start;
    while pos < region.len() {
        let abs = base.saturating_add(pos);
        let rest = region.len() - pos;
        let (Some(ty), Some(hs), Some(size)) = (
            u16_at(region, pos),
            u16_at(region, pos + 2),
            u32_at(region, pos + 4),
        ) else {
            warnings.push(format!(
                "{what}: {rest} trailing byte(s) at 0x{abs:x} too short for a chunk header, ignored"
            ));
            break;
        };
        let size = size as usize;
        if size < 8 {
            warnings.push(format!(
                "{what}: chunk type 0x{ty:04x} at 0x{abs:x} declares size {size} (< 8); \
                 {rest} byte(s) from there ignored"
            ));
            break;
        }
        let take = if size > rest {
            warnings.push(format!(
                "{what}: chunk type 0x{ty:04x} at 0x{abs:x} declares size 0x{size:x} but only \
                 0x{rest:x} byte(s) remain; clamped"
            ));
            rest
        } else {
            size
        };
        let bytes = region.get(pos..pos + take).unwrap_or(&[]);
        out.push(Chunk {
            off: abs,
            ty,
            header_size: usize::from(hs),
            bytes,
        });
        pos += take;
    }
    out
}

// ------------------------------------------------------------------ string pool

const SP_UTF8_FLAG: u32 = 0x100;
/// Fixed part of `ResStringPool_header`.
const SP_HEADER_MIN: usize = 28;

/// A located string pool. Holds only positions; the chunk bytes are passed to [`Self::get`], so
/// the same description works on a borrowed file and on an owned copy of the chunk.
#[derive(Debug, Clone, Default)]
pub(crate) struct StringPool {
    /// Absolute offset of the chunk, for messages.
    base: usize,
    count: usize,
    /// Start of the `u32` offsets array (chunk-relative; Android uses `header_size`).
    offsets_at: usize,
    strings_start: usize,
    /// End of the string data (chunk-relative, exclusive).
    strings_end: usize,
    utf8: bool,
}

impl StringPool {
    /// Describes the pool in `chunk`, never failing: a damaged header gives an empty pool and
    /// a warning; counts are capped by what the chunk can hold.
    pub fn parse(chunk: &Chunk<'_>, warnings: &mut Vec<String>) -> StringPool {
        let d = chunk.bytes;
        let off = chunk.off;
        let hs = chunk.header_size;
        let empty = StringPool {
            base: off,
            ..StringPool::default()
        };
        if hs < SP_HEADER_MIN || hs > d.len() {
            warnings.push(format!(
                "string pool at 0x{off:x}: header size {hs} out of range (need {SP_HEADER_MIN}..={}), pool ignored",
                d.len()
            ));
            return empty;
        }
        let (Some(count), Some(style_count), Some(flags), Some(strings_start), Some(styles_start)) = (
            u32_at(d, 8),
            u32_at(d, 12),
            u32_at(d, 16),
            u32_at(d, 20),
            u32_at(d, 24),
        ) else {
            return empty;
        };
        let (count, style_count) = (count as usize, style_count as usize);
        let (strings_start, styles_start) = (strings_start as usize, styles_start as usize);
        let room = (d.len() - hs) / 4;
        let capped = count.min(room);
        if capped < count {
            warnings.push(format!(
                "string pool at 0x{off:x}: {count} strings declared but room for only {capped} offsets; capped"
            ));
        }
        let mut strings_end = d.len();
        if style_count > 0 && styles_start > strings_start && styles_start <= d.len() {
            strings_end = styles_start;
        }
        if capped > 0 && (strings_start == 0 || strings_start > d.len()) {
            warnings.push(format!(
                "string pool at 0x{off:x}: strings start 0x{strings_start:x} outside the chunk (size 0x{:x})",
                d.len()
            ));
        }
        StringPool {
            base: off,
            count: capped,
            offsets_at: hs,
            strings_start,
            strings_end,
            utf8: flags & SP_UTF8_FLAG != 0,
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    /// String `idx` of the pool whose chunk bytes are `d`. `Err` says what is wrong (index out
    /// of range, string out of bounds).
    pub fn get(&self, d: &[u8], idx: u32) -> Result<String, String> {
        let i = idx as usize;
        if i >= self.count {
            return Err(format!(
                "string index {idx} out of range (pool at 0x{:x} has {})",
                self.base, self.count
            ));
        }
        let entry_at = self
            .offsets_at
            .checked_add(i.checked_mul(4).ok_or("overflow")?)
            .ok_or("overflow")?;
        let rel = u32_at(d, entry_at).ok_or_else(|| self.oob(idx))? as usize;
        let start = self
            .strings_start
            .checked_add(rel)
            .ok_or_else(|| self.oob(idx))?;
        let end = self.strings_end.min(d.len());
        let area = d.get(..end).ok_or_else(|| self.oob(idx))?;
        if self.utf8 {
            decode_utf8_at(area, start).ok_or_else(|| self.oob(idx))
        } else {
            decode_utf16_at(area, start).ok_or_else(|| self.oob(idx))
        }
    }

    fn oob(&self, idx: u32) -> String {
        format!(
            "string {idx} of pool at 0x{:x} runs out of bounds",
            self.base
        )
    }
}

/// UTF-8 pool string: a UTF-16 length (1 or 2 bytes), a UTF-8 byte length (1 or 2 bytes),
/// the bytes, NUL. Like Android, a string whose NUL is not where its length says is retried
/// with the length's lost high bits (old aapt wrote lengths > 0x7fff truncated); failing that
/// the declared length is used as far as the data goes.
fn decode_utf8_at(area: &[u8], start: usize) -> Option<String> {
    let mut p = start;
    let (_, n1) = utf8_len(area, p)?;
    p = p.checked_add(n1)?;
    let (len, n2) = utf8_len(area, p)?;
    p = p.checked_add(n2)?;
    let avail = area.len().checked_sub(p)?;
    let mut end = len;
    let mut i = 0usize;
    let found = loop {
        if end >= avail {
            break None;
        }
        if area.get(p + end) == Some(&0) {
            break Some(end);
        }
        i += 1;
        end = match (i << 15).checked_add(len) {
            Some(e) if i < 0x1_0000 => e,
            _ => break None,
        };
    };
    let n = match found {
        Some(n) => n,
        None if len <= avail => len,
        None => return None,
    };
    let bytes = area.get(p..p + n)?;
    Some(String::from_utf8_lossy(bytes).into_owned())
}

fn utf8_len(area: &[u8], p: usize) -> Option<(usize, usize)> {
    let b0 = usize::from(u8_at(area, p)?);
    if b0 & 0x80 != 0 {
        let b1 = usize::from(u8_at(area, p.checked_add(1)?)?);
        Some((((b0 & 0x7f) << 8) | b1, 2))
    } else {
        Some((b0, 1))
    }
}

/// UTF-16 pool string: a length in code units (1 or 2 `u16`s), the units, a NUL unit.
fn decode_utf16_at(area: &[u8], start: usize) -> Option<String> {
    let u0 = usize::from(u16_at(area, start)?);
    let (len, p) = if u0 & 0x8000 != 0 {
        let u1 = usize::from(u16_at(area, start.checked_add(2)?)?);
        (((u0 & 0x7fff) << 16) | u1, start.checked_add(4)?)
    } else {
        (u0, start.checked_add(2)?)
    };
    let nbytes = len.checked_mul(2)?;
    let end = p.checked_add(nbytes)?;
    let bytes = area.get(p..end)?;
    let units = bytes.chunks_exact(2).map(|c| {
        u16::from_le_bytes([
            c.first().copied().unwrap_or(0),
            c.get(1).copied().unwrap_or(0),
        ])
    });
    let s: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    Some(s)
}

// ------------------------------------------------------------------ Res_value

pub(crate) const TYPE_NULL: u8 = 0x00;
pub(crate) const TYPE_REFERENCE: u8 = 0x01;
pub(crate) const TYPE_ATTRIBUTE: u8 = 0x02;
pub(crate) const TYPE_STRING: u8 = 0x03;
pub(crate) const TYPE_FLOAT: u8 = 0x04;
pub(crate) const TYPE_DIMENSION: u8 = 0x05;
pub(crate) const TYPE_FRACTION: u8 = 0x06;
pub(crate) const TYPE_DYNAMIC_REFERENCE: u8 = 0x07;
pub(crate) const TYPE_DYNAMIC_ATTRIBUTE: u8 = 0x08;
pub(crate) const TYPE_INT_DEC: u8 = 0x10;
pub(crate) const TYPE_INT_HEX: u8 = 0x11;
pub(crate) const TYPE_INT_BOOLEAN: u8 = 0x12;
pub(crate) const TYPE_INT_COLOR_ARGB8: u8 = 0x1c;
pub(crate) const TYPE_INT_COLOR_RGB8: u8 = 0x1d;
pub(crate) const TYPE_INT_COLOR_ARGB4: u8 = 0x1e;
pub(crate) const TYPE_INT_COLOR_RGB4: u8 = 0x1f;

/// The float held by a complex (dimension/fraction) value.
fn complex_value(data: u32) -> f32 {
    // 24-bit signed mantissa in the top bits, kept shifted by 8 and scaled by the radix.
    let mantissa = (data & 0xffff_ff00) as i32 as f32;
    let mult = match (data >> 4) & 3 {
        0 => 1.0 / 256.0,
        1 => 1.0 / 32768.0,
        2 => 1.0 / 8_388_608.0,
        _ => 1.0 / 2_147_483_648.0,
    };
    mantissa * mult
}

/// A readable rendering of a typed value (the `aapt dump` essence): `4dp`, `50%`, `#ff00ff00`,
/// `@0x7f010001`, `1.5`, `-5`, `0x1f`, `true`.
pub(crate) fn render_value(dtype: u8, data: u32) -> String {
    match dtype {
        TYPE_NULL => {
            if data == 1 {
                "@empty".to_string()
            } else {
                "@null".to_string()
            }
        }
        TYPE_REFERENCE | TYPE_DYNAMIC_REFERENCE => format!("@0x{data:08x}"),
        TYPE_ATTRIBUTE | TYPE_DYNAMIC_ATTRIBUTE => format!("?0x{data:08x}"),
        TYPE_FLOAT => f32::from_bits(data).to_string(),
        TYPE_DIMENSION => {
            let unit = match data & 0xf {
                0 => "px",
                1 => "dp",
                2 => "sp",
                3 => "pt",
                4 => "in",
                5 => "mm",
                _ => "(unknown unit)",
            };
            format!("{}{unit}", complex_value(data))
        }
        TYPE_FRACTION => {
            let unit = if data & 0xf == 1 { "%p" } else { "%" };
            format!("{}{unit}", complex_value(data) * 100.0)
        }
        TYPE_INT_DEC => (data as i32).to_string(),
        TYPE_INT_HEX => format!("0x{data:x}"),
        TYPE_INT_BOOLEAN => (data != 0).to_string(),
        TYPE_INT_COLOR_ARGB8 => format!("#{data:08x}"),
        TYPE_INT_COLOR_RGB8 => format!("#{:06x}", data & 0x00ff_ffff),
        TYPE_INT_COLOR_ARGB4 => format!(
            "#{:x}{:x}{:x}{:x}",
            (data >> 28) & 0xf,
            (data >> 20) & 0xf,
            (data >> 12) & 0xf,
            (data >> 4) & 0xf
        ),
        TYPE_INT_COLOR_RGB4 => format!(
            "#{:x}{:x}{:x}",
            (data >> 20) & 0xf,
            (data >> 12) & 0xf,
            (data >> 4) & 0xf
        ),
        _ => format!("(type 0x{dtype:02x})0x{data:08x}"),
    }
}

/// Typed attribute value for the non-string types.
fn attr_value(dtype: u8, data: u32) -> AttrValue {
    match dtype {
        TYPE_REFERENCE | TYPE_DYNAMIC_REFERENCE => AttrValue::Reference(data),
        TYPE_ATTRIBUTE | TYPE_DYNAMIC_ATTRIBUTE => AttrValue::Attribute(data),
        TYPE_FLOAT => AttrValue::Float(f32::from_bits(data)),
        TYPE_INT_DEC => AttrValue::Int(i64::from(data as i32)),
        TYPE_INT_HEX => AttrValue::Int(i64::from(data)),
        TYPE_INT_BOOLEAN => AttrValue::Bool(data != 0),
        _ => AttrValue::Other(render_value(dtype, data)),
    }
}

// ------------------------------------------------------------------ document

/// A parsed binary XML document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: XmlElement,
    /// Damage that was recovered from, each with the offset where it was found.
    pub warnings: Vec<String>,
}

/// Most attributes kept over the whole document, by input size (`attributeSize` 0 lets one
/// 20-byte record be read 65535 times per element).
fn attr_budget(len: usize) -> usize {
    len / 8 + 64
}

/// Most bytes of strings copied into the tree, by input size (many references to one long
/// string would otherwise multiply it).
fn string_budget(len: usize) -> usize {
    len.saturating_mul(8).saturating_add(1 << 20)
}

struct Builder<'a> {
    data: &'a [u8],
    pool_bytes: &'a [u8],
    pool: StringPool,
    cache: Vec<Option<Option<String>>>,
    resmap: &'a [u8],
    warnings: Vec<String>,
    strings_left: usize,
    strings_exhausted: bool,
    attrs_left: usize,
    attrs_exhausted: bool,
}

impl Builder<'_> {
    /// String `idx` of the document pool; `""` (with a warning naming `at`) when missing.
    fn string(&mut self, idx: u32, at: usize, what: &str) -> String {
        if idx == NO_INDEX {
            return String::new();
        }
        let i = idx as usize;
        let cached = match self.cache.get(i) {
            Some(Some(c)) => c.clone(),
            _ => {
                let r = match self.pool.get(self.pool_bytes, idx) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        self.warnings
                            .push(format!("{what} at 0x{at:x}: {e}; using \"\""));
                        None
                    }
                };
                if let Some(slot) = self.cache.get_mut(i) {
                    *slot = Some(r.clone());
                }
                r
            }
        };
        let s = cached.unwrap_or_default();
        if s.len() > self.strings_left {
            if !self.strings_exhausted {
                self.strings_exhausted = true;
                self.warnings.push(format!(
                    "{what} at 0x{at:x}: string copy budget exhausted; further strings replaced by \"\""
                ));
            }
            return String::new();
        }
        self.strings_left -= s.len();
        s
    }

    fn has_string(&self, idx: u32) -> bool {
        (idx as usize) < self.pool.len()
    }

    fn resource_id(&self, name_idx: u32) -> Option<u32> {
        let off = (name_idx as usize).checked_mul(4)?;
        u32_at(self.resmap, off).filter(|&id| id != 0)
    }

    /// Reads a start-element node (`None`: too damaged to go on).
    fn element(&mut self, chunk: &Chunk<'_>, line: u32) -> Option<XmlElement> {
        let off = chunk.off;
        let ext = chunk.body();
        let (Some(ns), Some(name), Some(a_start), Some(a_size), Some(a_count)) = (
            u32_at(ext, 0),
            u32_at(ext, 4),
            u16_at(ext, 8),
            u16_at(ext, 10),
            u16_at(ext, 12),
        ) else {
            self.warnings.push(format!(
                "start element at 0x{off:x}: body of {} byte(s) too short for its 20-byte header; \
                 stopping (Android rejects this document)",
                ext.len()
            ));
            return None;
        };
        let mut el = XmlElement {
            namespace: self.string(ns, off, "element namespace"),
            name: self.string(name, off, "element name"),
            attributes: Vec::new(),
            children: Vec::new(),
            text: None,
            line: Some(line),
        };
        let (a_start, a_size, a_count) = (
            usize::from(a_start),
            usize::from(a_size),
            usize::from(a_count),
        );
        if a_start + a_size * a_count > ext.len() {
            self.warnings.push(format!(
                "start element <{}> at 0x{off:x}: {a_count} attribute(s) of {a_size} byte(s) at +{a_start} \
                 exceed the node body ({} byte(s)); reading those that fit",
                el.name,
                ext.len()
            ));
        }
        // Attributes are located relative to the attrExt, exactly as ResXMLParser does; each
        // record is read whole (20 bytes) even when attributeSize is smaller.
        let ext_abs = off.saturating_add(chunk.header_size);
        let want = a_count.min(self.attrs_left);
        if want < a_count && !self.attrs_exhausted {
            self.attrs_exhausted = true;
            self.warnings.push(format!(
                "start element at 0x{off:x}: attribute budget for this document exhausted; \
                 further attributes dropped"
            ));
        }
        el.attributes.reserve(want);
        for i in 0..want {
            let at = ext_abs + a_start + a_size * i;
            let rec = match self.data.get(at..at.saturating_add(20)) {
                Some(r) => r,
                None => {
                    self.warnings.push(format!(
                        "start element <{}> at 0x{off:x}: attribute {i} at 0x{at:x} out of bounds; \
                         {} attribute(s) dropped",
                        el.name,
                        want - i
                    ));
                    break;
                }
            };
            let (Some(a_ns), Some(a_name), Some(raw), Some(dtype), Some(data)) = (
                u32_at(rec, 0),
                u32_at(rec, 4),
                u32_at(rec, 8),
                u8_at(rec, 15),
                u32_at(rec, 16),
            ) else {
                break;
            };
            self.attrs_left -= 1;
            let resource_id = self.resource_id(a_name);
            let name = if a_name != NO_INDEX && !self.has_string(a_name) {
                if resource_id.is_none() {
                    self.warnings.push(format!(
                        "attribute at 0x{at:x}: name index {a_name} out of range and no resource id"
                    ));
                }
                String::new()
            } else {
                self.string(a_name, at, "attribute name")
            };
            let value = if dtype == TYPE_STRING {
                // The raw value when it names a string, else the typed value's index.
                let idx = if raw != NO_INDEX && self.has_string(raw) {
                    raw
                } else {
                    data
                };
                AttrValue::String(self.string(idx, at, "attribute string value"))
            } else {
                attr_value(dtype, data)
            };
            el.attributes.push(XmlAttr {
                namespace: self.string(a_ns, at, "attribute namespace"),
                name,
                resource_id,
                value,
            });
        }
        Some(el)
    }
}

/// Parses a binary XML document.
///
/// Errors only when there is no document at all: fewer than 8 bytes, a top-level chunk that is
/// not binary XML, or no element. Everything else is recovered from and listed in
/// [`Document::warnings`].
pub fn parse(data: &[u8]) -> Result<Document, Error> {
    let (Some(ty), Some(hs), Some(size)) = (u16_at(data, 0), u16_at(data, 2), u32_at(data, 4))
    else {
        return Err(Error::Truncated(
            "binary XML: shorter than a chunk header (8 bytes)",
        ));
    };
    let mut warnings = Vec::new();
    let mut hs = usize::from(hs);
    if ty != RES_XML_TYPE {
        // Android's ResXMLTree::setTo does not check the type, so a package can ship a
        // manifest with a falsified type. Accept it when a string pool follows the header;
        // anything else is not binary XML.
        let pool_follows = hs >= 8 && u16_at(data, hs) == Some(RES_STRING_POOL_TYPE);
        if ty == RES_TABLE_TYPE || !pool_follows {
            let hint = if data.first() == Some(&b'<') {
                " (plain-text XML?)"
            } else {
                ""
            };
            return Err(Error::Malformed(format!(
                "not binary XML: top-level chunk type 0x{ty:04x} at offset 0, expected 0x0003{hint}"
            )));
        }
        warnings.push(format!(
            "top-level chunk type 0x{ty:04x} at 0x0 is not RES_XML_TYPE (0x0003); \
             a string pool follows, parsed as binary XML as Android does"
        ));
    }
    let size = size as usize;
    let end = if size > data.len() {
        warnings.push(format!(
            "XML chunk at 0x0 declares size 0x{size:x} beyond the file (0x{:x}); clamped",
            data.len()
        ));
        data.len()
    } else if size < 8 || size < hs {
        warnings.push(format!(
            "XML chunk at 0x0 declares size 0x{size:x} (header 0x{hs:x}); using the file size 0x{:x}",
            data.len()
        ));
        data.len()
    } else {
        if size < data.len() {
            warnings.push(format!(
                "{} trailing byte(s) after the XML chunk at 0x{size:x}, ignored",
                data.len() - size
            ));
        }
        size
    };
    if hs < 8 || hs > end {
        warnings.push(format!(
            "XML chunk at 0x0: header size {hs} out of range; using 8"
        ));
        hs = 8;
    }
    let region = data.get(..end).unwrap_or(data);
    let chunks = split_chunks(region, hs, 0, "XML", &mut warnings);

    // Before the first node: string pool(s) and resource map (the last of each wins, as in
    // ResXMLTree::setTo); other chunks are skipped.
    let mut pool_chunk: Option<Chunk<'_>> = None;
    let mut resmap: &[u8] = &[];
    let mut first_node = chunks.len();
    for (i, c) in chunks.iter().enumerate() {
        match c.ty {
            RES_STRING_POOL_TYPE => {
                if pool_chunk.is_some() {
                    warnings.push(format!(
                        "another string pool at 0x{:x} replaces the previous one",
                        c.off
                    ));
                }
                pool_chunk = Some(*c);
            }
            RES_XML_RESOURCE_MAP_TYPE => {
                if c.header_size < 8 || c.header_size > c.bytes.len() {
                    warnings.push(format!(
                        "resource map at 0x{:x}: header size {} out of range; ignored",
                        c.off, c.header_size
                    ));
                } else {
                    let body = c.body();
                    resmap = body.get(..body.len() / 4 * 4).unwrap_or(&[]);
                }
            }
            t if (RES_XML_FIRST_CHUNK_TYPE..=RES_XML_LAST_CHUNK_TYPE).contains(&t) => {
                first_node = i;
                break;
            }
            t => warnings.push(format!(
                "unknown chunk type 0x{t:04x} at 0x{:x} ({} bytes) skipped",
                c.off,
                c.bytes.len()
            )),
        }
    }
    let (pool, pool_bytes) = match &pool_chunk {
        Some(c) => (StringPool::parse(c, &mut warnings), c.bytes),
        None => {
            warnings.push("no string pool before the first XML node".to_string());
            (StringPool::default(), &[][..])
        }
    };
    let mut b = Builder {
        data: region,
        pool_bytes,
        cache: vec![None; pool.len()],
        pool,
        resmap,
        warnings,
        strings_left: string_budget(data.len()),
        strings_exhausted: false,
        attrs_left: attr_budget(data.len()),
        attrs_exhausted: false,
    };

    // The tree: stack[0] collects top-level elements.
    let mut stack: Vec<XmlElement> = vec![XmlElement::default()];
    let mut skipped_depth = 0usize;
    for c in chunks.get(first_node..).unwrap_or(&[]) {
        let off = c.off;
        let min_ext = match c.ty {
            RES_XML_START_NAMESPACE_TYPE | RES_XML_END_NAMESPACE_TYPE => 8,
            RES_XML_START_ELEMENT_TYPE => 20,
            RES_XML_END_ELEMENT_TYPE => 8,
            RES_XML_CDATA_TYPE => 12,
            t => {
                b.warnings.push(format!(
                    "unknown chunk type 0x{t:04x} at 0x{off:x} among XML nodes ({} bytes) skipped",
                    c.bytes.len()
                ));
                continue;
            }
        };
        if c.header_size < 16 || c.header_size > c.bytes.len() {
            b.warnings.push(format!(
                "XML node type 0x{:04x} at 0x{off:x}: header size {} out of range (16..={}); \
                 stopping (Android rejects this document)",
                c.ty,
                c.header_size,
                c.bytes.len()
            ));
            break;
        }
        if c.body().len() < min_ext {
            b.warnings.push(format!(
                "XML node type 0x{:04x} at 0x{off:x}: body of {} byte(s), need {min_ext}; \
                 stopping (Android rejects this document)",
                c.ty,
                c.body().len()
            ));
            break;
        }
        let line = u32_at(c.bytes, 8).unwrap_or(0);
        match c.ty {
            RES_XML_START_ELEMENT_TYPE => {
                if skipped_depth > 0 || stack.len() > MAX_DEPTH {
                    if skipped_depth == 0 {
                        b.warnings.push(format!(
                            "element at 0x{off:x} nests deeper than {MAX_DEPTH}; subtree dropped"
                        ));
                    }
                    skipped_depth += 1;
                    continue;
                }
                match b.element(c, line) {
                    Some(el) => stack.push(el),
                    None => break,
                }
            }
            RES_XML_END_ELEMENT_TYPE => {
                if skipped_depth > 0 {
                    skipped_depth -= 1;
                    continue;
                }
                if stack.len() <= 1 {
                    b.warnings.push(format!(
                        "end element at 0x{off:x} without a matching start; ignored"
                    ));
                    continue;
                }
                let name_idx = u32_at(c.body(), 4).unwrap_or(NO_INDEX);
                if let Some(el) = stack.pop() {
                    if b.has_string(name_idx) {
                        let end_name = b.pool.get(b.pool_bytes, name_idx).unwrap_or_default();
                        if end_name != el.name {
                            b.warnings.push(format!(
                                "end element </{end_name}> at 0x{off:x} closes <{}>",
                                el.name
                            ));
                        }
                    }
                    if let Some(parent) = stack.last_mut() {
                        parent.children.push(el);
                    }
                }
            }
            RES_XML_CDATA_TYPE => {
                // ResXMLTree_cdataExt: the text's string index, then a typed value.
                let idx = u32_at(c.body(), 0).unwrap_or(NO_INDEX);
                if skipped_depth == 0 && stack.len() > 1 && b.has_string(idx) {
                    let t = b.string(idx, off, "text");
                    if !t.trim().is_empty() {
                        if let Some(el) = stack.last_mut() {
                            el.text.get_or_insert_with(String::new).push_str(&t);
                        }
                    }
                }
            }
            // Namespaces: attribute and element namespaces are stored as URIs already.
            _ => {}
        }
    }
    if stack.len() > 1 {
        b.warnings.push(format!(
            "{} element(s) not closed at the end of the document",
            stack.len() - 1
        ));
    }
    while stack.len() > 1 {
        if let Some(el) = stack.pop() {
            if let Some(parent) = stack.last_mut() {
                parent.children.push(el);
            }
        }
    }
    let mut warnings = b.warnings;
    let top = stack.pop().unwrap_or_default();
    let mut roots = top.children.into_iter();
    let Some(root) = roots.next() else {
        return Err(Error::Malformed(
            "binary XML: no element in the document".to_string(),
        ));
    };
    let extra = roots.count();
    if extra > 0 {
        warnings.push(format!(
            "{extra} more top-level element(s) after the root <{}> ignored",
            root.name
        ));
    }
    Ok(Document { root, warnings })
}
