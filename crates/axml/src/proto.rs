//! aapt2's protobuf forms, as found in Android App Bundles (`.aab`):
//!
//! - `base/manifest/AndroidManifest.xml` and `base/res/xml/*.xml` are serialized
//!   `aapt.pb.XmlNode` messages → [`parse_xml`].
//! - `base/resources.pb` is a serialized `aapt.pb.ResourceTable` → [`ProtoResourceTable`].
//!
//! The messages are those of aapt2's `Resources.proto` / `Configuration.proto` (proto3 form,
//! the one every released aapt2 and bundletool write). Only the fields appvet needs are decoded,
//! by a small hand-written wire-format reader; unknown fields are skipped as protobuf requires.
//!
//! Text nodes: the text directly inside an element (concatenated, not trimmed; whitespace-only
//! text is dropped) goes to [`XmlElement::text`] (`<domain>example.com</domain>` in a network
//! security config).

use crate::xml::{AttrValue, ResValue, Resources, XmlAttr, XmlElement};
use crate::Error;
use std::collections::HashMap;

/// Deepest element nesting accepted in a protobuf XML document.
pub const MAX_XML_DEPTH: usize = 128;

/// Most elements + attributes accepted in one protobuf XML document.
const MAX_XML_ITEMS: usize = 1_000_000;

/// Most config values accepted in one resource table.
const MAX_TABLE_VALUES: usize = 4_000_000;

// ------------------------------------------------------------------ wire format

/// One decoded field value.
#[derive(Debug, Clone, Copy)]
enum Wire<'a> {
    Varint(u64),
    Fixed64,
    Fixed32(u32),
    /// Length-delimited payload and its absolute offset in the input.
    Bytes(&'a [u8], usize),
}

/// A cursor over one message's bytes. `base` is the absolute offset of `data[0]` in the
/// whole input, for error messages.
struct Msg<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Msg<'a> {
    fn new(data: &'a [u8], base: usize) -> Self {
        Msg { data, pos: 0, base }
    }

    fn abs(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    fn varint(&mut self) -> Result<u64, Error> {
        let start = self.abs();
        let mut value: u64 = 0;
        for i in 0..10u32 {
            let b = *self
                .data
                .get(self.pos)
                .ok_or(Error::Truncated("protobuf varint"))?;
            self.pos += 1;
            let bits = u64::from(b & 0x7f);
            if i == 9 && b > 1 {
                return Err(Error::Malformed(format!(
                    "protobuf varint overflows 64 bits at offset {start}"
                )));
            }
            value |= bits << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Error::Malformed(format!(
            "protobuf varint longer than 10 bytes at offset {start}"
        )))
    }

    fn take(&mut self, n: usize, what: &'static str) -> Result<(&'a [u8], usize), Error> {
        let end = self.pos.checked_add(n).ok_or(Error::Truncated(what))?;
        let bytes = self.data.get(self.pos..end).ok_or(Error::Truncated(what))?;
        let at = self.abs();
        self.pos = end;
        Ok((bytes, at))
    }

    /// The next `(field number, value)`, or `None` at the end of the message.
    fn next(&mut self) -> Result<Option<(u32, Wire<'a>)>, Error> {
        if self.pos >= self.data.len() {
            return Ok(None);
        }
        let at = self.abs();
        let key = self.varint()?;
        let field = u32::try_from(key >> 3).map_err(|_| {
            Error::Malformed(format!("protobuf field number too large at offset {at}"))
        })?;
        if field == 0 {
            return Err(Error::Malformed(format!(
                "protobuf field number 0 at offset {at}"
            )));
        }
        let value = match key & 7 {
            0 => Wire::Varint(self.varint()?),
            1 => {
                self.take(8, "protobuf fixed64")?;
                Wire::Fixed64
            }
            2 => {
                let len = self.varint()?;
                let len = usize::try_from(len).map_err(|_| Error::Truncated("protobuf bytes"))?;
                let (b, off) = self.take(len, "protobuf length-delimited field")?;
                Wire::Bytes(b, off)
            }
            5 => {
                let (b, _) = self.take(4, "protobuf fixed32")?;
                let mut a = [0u8; 4];
                a.copy_from_slice(b);
                Wire::Fixed32(u32::from_le_bytes(a))
            }
            t => {
                return Err(Error::Malformed(format!(
                    "unsupported protobuf wire type {t} (field {field}) at offset {at}"
                )))
            }
        };
        Ok(Some((field, value)))
    }
}

fn string_of(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A `uint32` id that is either a plain varint (early aapt2) or wrapped in a one-field message
/// (`PackageId`, `TypeId`, `EntryId`).
fn wrapped_id(w: Wire<'_>) -> Result<Option<u64>, Error> {
    match w {
        Wire::Varint(v) => Ok(Some(v)),
        Wire::Bytes(b, off) => {
            let mut m = Msg::new(b, off);
            let mut id = 0;
            while let Some((f, v)) = m.next()? {
                if let (1, Wire::Varint(x)) = (f, v) {
                    id = x;
                }
            }
            Ok(Some(id))
        }
        _ => Ok(None),
    }
}

// ------------------------------------------------------------------ values

/// The decoded `aapt.pb.Item` (only the parts appvet uses).
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Reference { id: u32, attribute: bool },
    Str(String),
    File(String),
    Bool(bool),
    Int(i64),
    Float(f32),
    Other(String),
}

fn parse_reference(b: &[u8], off: usize) -> Result<Item, Error> {
    let mut m = Msg::new(b, off);
    let mut id = 0u32;
    let mut attribute = false;
    let mut name = String::new();
    while let Some((f, v)) = m.next()? {
        match (f, v) {
            (1, Wire::Varint(t)) => attribute = t == 1,
            (2, Wire::Varint(x)) => id = x as u32,
            (3, Wire::Bytes(s, _)) => name = string_of(s),
            _ => {}
        }
    }
    if id == 0 && !name.is_empty() {
        // Unlinked reference by name only.
        return Ok(Item::Other(format!(
            "{}{name}",
            if attribute { "?" } else { "@" }
        )));
    }
    Ok(Item::Reference { id, attribute })
}

/// First string field (field 1) of `String`, `RawString`, `StyledString`, `FileReference`.
fn first_string(b: &[u8], off: usize) -> Result<String, Error> {
    let mut m = Msg::new(b, off);
    let mut s = String::new();
    while let Some((f, v)) = m.next()? {
        if let (1, Wire::Bytes(x, _)) = (f, v) {
            s = string_of(x);
        }
    }
    Ok(s)
}

/// Renders a `Res_value` complex number (dimension or fraction) like aapt does.
fn complex(data: u32, fraction: bool) -> String {
    const MULTS: [f32; 4] = [
        1.0 / 256.0,
        1.0 / 32768.0,
        1.0 / 8_388_608.0,
        1.0 / 2_147_483_648.0,
    ];
    let mult = MULTS
        .get(((data >> 4) & 3) as usize)
        .copied()
        .unwrap_or(1.0);
    let value = ((data & 0xffff_ff00) as i32) as f32 * mult;
    let unit = data & 0xf;
    if fraction {
        let u = match unit {
            0 => "%",
            1 => "%p",
            _ => "?",
        };
        format!("{}{u}", value * 100.0)
    } else {
        let u = match unit {
            0 => "px",
            1 => "dp",
            2 => "sp",
            3 => "pt",
            4 => "in",
            5 => "mm",
            _ => "?",
        };
        format!("{value}{u}")
    }
}

/// A `Res_value` (type, data) pair, as the early `Primitive { type, data }` form stores it.
fn res_value(ty: u32, data: u32) -> Item {
    match ty {
        0x00 => Item::Other("null".into()),
        0x04 => Item::Float(f32::from_bits(data)),
        0x05 => Item::Other(complex(data, false)),
        0x06 => Item::Other(complex(data, true)),
        0x10 => Item::Int(i64::from(data as i32)),
        0x11 => Item::Int(i64::from(data)),
        0x12 => Item::Bool(data != 0),
        0x1c..=0x1f => Item::Other(format!("#{data:08x}")),
        _ => Item::Other(format!("(type 0x{ty:02x}) 0x{data:08x}")),
    }
}

fn parse_primitive(b: &[u8], off: usize) -> Result<Item, Error> {
    let mut m = Msg::new(b, off);
    let mut item = Item::Other(String::new());
    let mut legacy_type: Option<u32> = None;
    let mut legacy_data: u32 = 0;
    while let Some((f, v)) = m.next()? {
        item = match (f, v) {
            // Early form: `uint32 type = 1; uint32 data = 2;`.
            (1, Wire::Varint(t)) => {
                legacy_type = Some(t as u32);
                continue;
            }
            (2, Wire::Varint(d)) => {
                legacy_data = d as u32;
                continue;
            }
            (1, Wire::Bytes(..)) => Item::Other("null".into()),
            (2, Wire::Bytes(..)) => Item::Other(String::new()),
            (3 | 4, Wire::Fixed32(x)) => Item::Float(f32::from_bits(x)),
            (5, Wire::Fixed32(x)) => Item::Other(format!("{}", f32::from_bits(x))),
            (6, Wire::Varint(x)) => Item::Int(i64::from(x as u32 as i32)),
            (7, Wire::Varint(x)) => Item::Int(i64::from(x as u32)),
            (8, Wire::Varint(x)) => Item::Bool(x != 0),
            (9..=12, Wire::Varint(x)) => Item::Other(format!("#{:08x}", x as u32)),
            (13, Wire::Varint(x)) => Item::Other(complex(x as u32, false)),
            (14, Wire::Varint(x)) => Item::Other(complex(x as u32, true)),
            _ => continue,
        };
    }
    if let Some(t) = legacy_type {
        return Ok(res_value(t, legacy_data));
    }
    Ok(item)
}

/// Decodes an `aapt.pb.Item`; `None` when no known member is set.
fn parse_item(b: &[u8], off: usize) -> Result<Option<Item>, Error> {
    let mut m = Msg::new(b, off);
    let mut item = None;
    while let Some((f, v)) = m.next()? {
        let Wire::Bytes(x, o) = v else { continue };
        item = Some(match f {
            1 => parse_reference(x, o)?,
            2..=4 => Item::Str(first_string(x, o)?),
            5 => Item::File(first_string(x, o)?),
            6 => Item::Other("id".into()),
            7 => parse_primitive(x, o)?,
            _ => continue,
        });
    }
    Ok(item)
}

// ------------------------------------------------------------------ XML

/// Parses a serialized `aapt.pb.XmlNode` (an App Bundle's `AndroidManifest.xml` or
/// `res/xml/*.xml`) into the shared element tree. The root node must be an element.
///
/// Attribute values come from the compiled item when present (references, booleans, integers,
/// strings...), else from the attribute's source string. Text directly inside an element is
/// kept in [`XmlElement::text`].
pub fn parse_xml(data: &[u8]) -> Result<XmlElement, Error> {
    let mut budget = MAX_XML_ITEMS;
    let node = parse_node(data, 0, 0, &mut budget)?;
    match node {
        Node::Element(e) => Ok(e),
        Node::Text(_) => Err(Error::Malformed(
            "protobuf XML root node is text, not an element".into(),
        )),
        Node::Empty => Err(Error::Malformed(
            "protobuf XML root node has no element".into(),
        )),
    }
}

enum Node {
    Element(XmlElement),
    Text(String),
    Empty,
}

fn parse_node(b: &[u8], off: usize, depth: usize, budget: &mut usize) -> Result<Node, Error> {
    if depth >= MAX_XML_DEPTH {
        return Err(Error::Limit {
            what: "protobuf XML nesting depth",
            value: depth as u64 + 1,
            limit: MAX_XML_DEPTH as u64,
        });
    }
    let mut m = Msg::new(b, off);
    let mut node = Node::Empty;
    let mut line = None;
    while let Some((f, v)) = m.next()? {
        match (f, v) {
            (1, Wire::Bytes(x, o)) => {
                node = Node::Element(parse_element(x, o, depth, budget)?);
            }
            (2, Wire::Bytes(x, _)) => node = Node::Text(string_of(x)),
            (3, Wire::Bytes(x, o)) => line = source_line(x, o)?,
            _ => {}
        }
    }
    if let Node::Element(e) = &mut node {
        e.line = line;
    }
    Ok(node)
}

/// `SourcePosition.line_number`, when set.
fn source_line(b: &[u8], off: usize) -> Result<Option<u32>, Error> {
    let mut m = Msg::new(b, off);
    let mut line = None;
    while let Some((f, v)) = m.next()? {
        if let (1, Wire::Varint(x)) = (f, v) {
            line = u32::try_from(x).ok();
        }
    }
    Ok(line)
}

fn spend(budget: &mut usize) -> Result<(), Error> {
    *budget = budget.checked_sub(1).ok_or(Error::Limit {
        what: "protobuf XML elements and attributes",
        value: MAX_XML_ITEMS as u64 + 1,
        limit: MAX_XML_ITEMS as u64,
    })?;
    Ok(())
}

fn parse_element(
    b: &[u8],
    off: usize,
    depth: usize,
    budget: &mut usize,
) -> Result<XmlElement, Error> {
    spend(budget)?;
    let mut m = Msg::new(b, off);
    let mut el = XmlElement::default();
    let mut text: Option<String> = None;
    while let Some((f, v)) = m.next()? {
        let Wire::Bytes(x, o) = v else { continue };
        match f {
            2 => el.namespace = string_of(x),
            3 => el.name = string_of(x),
            4 => {
                spend(budget)?;
                el.attributes.push(parse_attribute(x, o)?);
            }
            5 => match parse_node(x, o, depth + 1, budget)? {
                Node::Element(child) => el.children.push(child),
                Node::Text(t) => text.get_or_insert_with(String::new).push_str(&t),
                Node::Empty => {}
            },
            _ => {}
        }
    }
    el.text = text.filter(|t| !t.trim().is_empty());
    Ok(el)
}

fn parse_attribute(b: &[u8], off: usize) -> Result<XmlAttr, Error> {
    let mut m = Msg::new(b, off);
    let mut namespace = String::new();
    let mut name = String::new();
    let mut raw = String::new();
    let mut resource_id = None;
    let mut item = None;
    while let Some((f, v)) = m.next()? {
        match (f, v) {
            (1, Wire::Bytes(x, _)) => namespace = string_of(x),
            (2, Wire::Bytes(x, _)) => name = string_of(x),
            (3, Wire::Bytes(x, _)) => raw = string_of(x),
            (5, Wire::Varint(x)) => resource_id = u32::try_from(x).ok().filter(|&id| id != 0),
            (6, Wire::Bytes(x, o)) => item = parse_item(x, o)?,
            _ => {}
        }
    }
    let value = match item {
        Some(Item::Reference { id, attribute }) if id != 0 => {
            if attribute {
                AttrValue::Attribute(id)
            } else {
                AttrValue::Reference(id)
            }
        }
        Some(Item::Str(s) | Item::File(s)) => AttrValue::String(s),
        Some(Item::Bool(b)) => AttrValue::Bool(b),
        Some(Item::Int(i)) => AttrValue::Int(i),
        Some(Item::Float(x)) => AttrValue::Float(x),
        Some(Item::Other(s)) if !s.is_empty() => AttrValue::Other(s),
        _ => AttrValue::String(raw),
    };
    Ok(XmlAttr {
        namespace,
        name,
        resource_id,
        value,
    })
}

// ------------------------------------------------------------------ resource table

/// A parsed `resources.pb`: every value of every resource, by resource id.
#[derive(Debug, Clone, Default)]
pub struct ProtoResourceTable {
    values: HashMap<u32, Vec<(String, ResValue)>>,
    /// Package names with their ids, in file order.
    pub packages: Vec<(u8, String)>,
    /// Recoverable damage (entries skipped), with offsets.
    pub warnings: Vec<String>,
}

impl ProtoResourceTable {
    /// Parses a serialized `aapt.pb.ResourceTable`.
    pub fn parse(data: &[u8]) -> Result<Self, Error> {
        let mut t = ProtoResourceTable::default();
        let mut count = 0usize;
        let mut m = Msg::new(data, 0);
        while let Some((f, v)) = m.next()? {
            if let (2, Wire::Bytes(x, o)) = (f, v) {
                t.parse_package(x, o, &mut count)?;
            }
        }
        // Default configuration first (stable: file order otherwise), so that
        // `Resources::resolve` prefers a value with no qualifier at all.
        for vals in t.values.values_mut() {
            vals.sort_by_key(|(locale, _)| !locale.is_empty());
        }
        Ok(t)
    }

    /// Number of resource ids with at least one value.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn parse_package(&mut self, b: &[u8], off: usize, count: &mut usize) -> Result<(), Error> {
        // Fields may come in any order: collect types first.
        let mut m = Msg::new(b, off);
        let mut id = None;
        let mut name = String::new();
        let mut types = Vec::new();
        while let Some((f, v)) = m.next()? {
            match (f, v) {
                (1, w) => id = wrapped_id(w)?,
                (2, Wire::Bytes(x, _)) => name = string_of(x),
                (3, Wire::Bytes(x, o)) => types.push((x, o)),
                _ => {}
            }
        }
        let Some(pkg) = id.and_then(|i| u8::try_from(i).ok()) else {
            self.warnings.push(format!(
                "package at offset {off} has no valid package id; its resources are skipped"
            ));
            return Ok(());
        };
        self.packages.push((pkg, name));
        for (x, o) in types {
            self.parse_type(pkg, x, o, count)?;
        }
        Ok(())
    }

    fn parse_type(
        &mut self,
        pkg: u8,
        b: &[u8],
        off: usize,
        count: &mut usize,
    ) -> Result<(), Error> {
        let mut m = Msg::new(b, off);
        let mut id = None;
        let mut entries = Vec::new();
        while let Some((f, v)) = m.next()? {
            match (f, v) {
                (1, w) => id = wrapped_id(w)?,
                (3, Wire::Bytes(x, o)) => entries.push((x, o)),
                _ => {}
            }
        }
        let Some(ty) = id.and_then(|i| u8::try_from(i).ok()).filter(|&t| t != 0) else {
            self.warnings.push(format!(
                "type at offset {off} has no valid type id; its entries are skipped"
            ));
            return Ok(());
        };
        for (x, o) in entries {
            self.parse_entry(pkg, ty, x, o, count)?;
        }
        Ok(())
    }

    fn parse_entry(
        &mut self,
        pkg: u8,
        ty: u8,
        b: &[u8],
        off: usize,
        count: &mut usize,
    ) -> Result<(), Error> {
        let mut m = Msg::new(b, off);
        let mut id = None;
        let mut values = Vec::new();
        while let Some((f, v)) = m.next()? {
            match (f, v) {
                (1, w) => id = wrapped_id(w)?,
                (6, Wire::Bytes(x, o)) => {
                    *count += 1;
                    if *count > MAX_TABLE_VALUES {
                        return Err(Error::Limit {
                            what: "resource table values",
                            value: *count as u64,
                            limit: MAX_TABLE_VALUES as u64,
                        });
                    }
                    if let Some(cv) = parse_config_value(x, o)? {
                        values.push(cv);
                    }
                }
                _ => {}
            }
        }
        let Some(entry) = id.and_then(|i| u16::try_from(i).ok()) else {
            self.warnings.push(format!(
                "entry at offset {off} has no valid entry id; its values are skipped"
            ));
            return Ok(());
        };
        if values.is_empty() {
            return Ok(());
        }
        let res_id = (u32::from(pkg) << 24) | (u32::from(ty) << 16) | u32::from(entry);
        self.values.entry(res_id).or_default().extend(values);
        Ok(())
    }
}

/// A `ConfigValue` as `(locale, value)`; `None` when the value is not a plain item.
fn parse_config_value(b: &[u8], off: usize) -> Result<Option<(String, ResValue)>, Error> {
    let mut m = Msg::new(b, off);
    let mut locale = String::new();
    let mut value = None;
    while let Some((f, v)) = m.next()? {
        let Wire::Bytes(x, o) = v else { continue };
        match f {
            1 => locale = config_locale(x, o)?,
            2 => value = parse_value(x, o)?,
            _ => {}
        }
    }
    Ok(value.map(|v| (locale, v)))
}

/// `Configuration.locale` (field 3), normalised.
fn config_locale(b: &[u8], off: usize) -> Result<String, Error> {
    let mut m = Msg::new(b, off);
    let mut locale = String::new();
    while let Some((f, v)) = m.next()? {
        if let (3, Wire::Bytes(x, _)) = (f, v) {
            locale = normalize_locale(&string_of(x));
        }
    }
    Ok(locale)
}

/// Normalises the locale spellings aapt tools use to a BCP-47-like tag:
/// `zh-rCN` / `zh_CN` → `zh-CN`, `b+sr+Latn` → `sr-Latn`.
pub fn normalize_locale(s: &str) -> String {
    let s = s.trim();
    let body = s.strip_prefix("b+").unwrap_or(s);
    body.split(['-', '_', '+'])
        .filter(|p| !p.is_empty())
        .enumerate()
        .map(|(i, p)| {
            let p = match p.strip_prefix('r') {
                Some(r) if i > 0 && r.len() == 2 && r.chars().all(|c| c.is_ascii_uppercase()) => r,
                _ => p,
            };
            if i == 0 {
                p.to_ascii_lowercase()
            } else if p.len() == 2 {
                p.to_ascii_uppercase()
            } else {
                p.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// `Value`: the item (field 4), or a marker for compound values (field 5).
fn parse_value(b: &[u8], off: usize) -> Result<Option<ResValue>, Error> {
    let mut m = Msg::new(b, off);
    let mut out = None;
    while let Some((f, v)) = m.next()? {
        let Wire::Bytes(x, o) = v else { continue };
        match f {
            4 => out = parse_item(x, o)?.map(item_to_res),
            5 => out = Some(ResValue::Other(compound_kind(x, o)?.to_string())),
            _ => {}
        }
    }
    Ok(out)
}

fn compound_kind(b: &[u8], off: usize) -> Result<&'static str, Error> {
    let mut m = Msg::new(b, off);
    let mut kind = "(compound)";
    while let Some((f, _)) = m.next()? {
        kind = match f {
            1 => "(attr)",
            2 => "(style)",
            3 => "(styleable)",
            4 => "(array)",
            5 => "(plurals)",
            _ => kind,
        };
    }
    Ok(kind)
}

fn item_to_res(item: Item) -> ResValue {
    match item {
        Item::Reference {
            id,
            attribute: false,
        } => ResValue::Reference(id),
        Item::Reference {
            id,
            attribute: true,
        } => ResValue::Other(format!("?0x{id:08x}")),
        Item::Str(s) => ResValue::String(s),
        Item::File(p) => ResValue::File(p),
        Item::Bool(b) => ResValue::Bool(b),
        Item::Int(i) => ResValue::Int(i),
        Item::Float(x) => ResValue::Other(x.to_string()),
        Item::Other(s) => ResValue::Other(s),
    }
}

impl Resources for ProtoResourceTable {
    fn values(&self, id: u32) -> Vec<(String, ResValue)> {
        self.values.get(&id).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Minimal protobuf writer for hand-made inputs.
    fn key(field: u32, wt: u8, out: &mut Vec<u8>) {
        varint(u64::from(field) << 3 | u64::from(wt), out);
    }
    fn varint(mut v: u64, out: &mut Vec<u8>) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }
    fn bytes(field: u32, data: &[u8], out: &mut Vec<u8>) {
        key(field, 2, out);
        varint(data.len() as u64, out);
        out.extend_from_slice(data);
    }
    fn uint(field: u32, v: u64, out: &mut Vec<u8>) {
        key(field, 0, out);
        varint(v, out);
    }

    #[test]
    fn varint_edges() {
        let mut m = Msg::new(
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            0,
        );
        assert_eq!(m.varint().ok(), Some(u64::MAX));
        let mut m = Msg::new(
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02],
            0,
        );
        assert!(m.varint().is_err());
        let mut m = Msg::new(&[0x80, 0x80], 0);
        assert!(matches!(m.varint(), Err(Error::Truncated(_))));
    }

    #[test]
    fn legacy_primitive_and_plain_ids() {
        // Primitive { type = 0x12 (bool), data = 1 }
        let mut p = Vec::new();
        uint(1, 0x12, &mut p);
        uint(2, 1, &mut p);
        assert_eq!(parse_primitive(&p, 0).ok(), Some(Item::Bool(true)));
        let mut p = Vec::new();
        uint(1, 0x10, &mut p);
        uint(2, u64::from(-5i32 as u32), &mut p);
        assert_eq!(parse_primitive(&p, 0).ok(), Some(Item::Int(-5)));
        assert_eq!(wrapped_id(Wire::Varint(0x7f)).ok(), Some(Some(0x7f)));
    }

    #[test]
    fn text_nodes_become_pseudo_attribute() {
        // <domain a="1">example.com</domain>
        let mut attr = Vec::new();
        bytes(2, b"a", &mut attr);
        bytes(3, b"1", &mut attr);
        let mut text_node = Vec::new();
        bytes(2, b"example.com", &mut text_node);
        let mut el = Vec::new();
        bytes(3, b"domain", &mut el);
        bytes(4, &attr, &mut el);
        bytes(5, &text_node, &mut el);
        let mut pos = Vec::new();
        uint(1, 9, &mut pos);
        let mut node = Vec::new();
        bytes(1, &el, &mut node);
        bytes(3, &pos, &mut node);
        let e = parse_xml(&node).expect("parses");
        assert_eq!(e.name, "domain");
        assert_eq!(e.line, Some(9));
        assert_eq!(e.plain_attr("a"), Some(&AttrValue::String("1".into())));
        assert_eq!(e.text.as_deref(), Some("example.com"));
    }

    #[test]
    fn depth_is_capped() {
        let mut node = Vec::new();
        let mut el = Vec::new();
        bytes(3, b"x", &mut el);
        bytes(1, &el, &mut node);
        for _ in 0..MAX_XML_DEPTH + 5 {
            let mut el = Vec::new();
            bytes(3, b"x", &mut el);
            bytes(5, &node, &mut el);
            let mut n = Vec::new();
            bytes(1, &el, &mut n);
            node = n;
        }
        assert!(matches!(parse_xml(&node), Err(Error::Limit { .. })));
    }

    #[test]
    fn locales_normalised() {
        assert_eq!(normalize_locale("zh-rCN"), "zh-CN");
        assert_eq!(normalize_locale("zh-CN"), "zh-CN");
        assert_eq!(normalize_locale("b+sr+Latn"), "sr-Latn");
        assert_eq!(normalize_locale("en_us"), "en-US");
        assert_eq!(normalize_locale(""), "");
        assert_eq!(normalize_locale("fr"), "fr");
    }

    #[test]
    fn complex_values() {
        // 16dp: mantissa 16 radix 0 → (16 << 8) | unit 1
        assert_eq!(complex((16 << 8) | 1, false), "16dp");
        // 50%: 0.5 in radix 1 (16.7 fixed point) is mantissa 64.
        assert_eq!(complex((64 << 8) | (1 << 4), true), "50%");
        assert_eq!(complex((64 << 8) | (1 << 4) | 1, true), "50%p");
    }
}
