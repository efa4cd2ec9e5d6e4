//! Builders for hand-made binary XML and resource tables, to reproduce the tricks hostile
//! packages use (the real toolchain never writes them).
#![allow(dead_code)]

pub const NONE: u32 = 0xffff_ffff;

pub fn le16(v: u16) -> [u8; 2] {
    v.to_le_bytes()
}
pub fn le32(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

/// A chunk: type, header (the 8-byte chunk header is added; `header_extra` follows it and the
/// header size covers both), then the body. `size_override` replaces the declared size.
pub fn chunk(ty: u16, header_extra: &[u8], body: &[u8]) -> Vec<u8> {
    let hs = 8 + header_extra.len();
    let size = hs + body.len();
    let mut v = Vec::new();
    v.extend(le16(ty));
    v.extend(le16(hs as u16));
    v.extend(le32(size as u32));
    v.extend(header_extra);
    v.extend(body);
    v
}

pub fn set_u16(v: &mut [u8], at: usize, x: u16) {
    v[at..at + 2].copy_from_slice(&le16(x));
}
pub fn set_u32(v: &mut [u8], at: usize, x: u32) {
    v[at..at + 4].copy_from_slice(&le32(x));
}

/// A string pool chunk (UTF-8 or UTF-16), header size 28.
pub fn pool(strings: &[&str], utf8: bool) -> Vec<u8> {
    let mut data = Vec::new();
    let mut offsets = Vec::new();
    for s in strings {
        offsets.push(data.len() as u32);
        if utf8 {
            let n16 = s.encode_utf16().count();
            push_len8(&mut data, n16);
            push_len8(&mut data, s.len());
            data.extend(s.as_bytes());
            data.push(0);
        } else {
            let units: Vec<u16> = s.encode_utf16().collect();
            if units.len() > 0x7fff {
                data.extend(le16(0x8000 | (units.len() >> 16) as u16));
                data.extend(le16((units.len() & 0xffff) as u16));
            } else {
                data.extend(le16(units.len() as u16));
            }
            for u in units {
                data.extend(le16(u));
            }
            data.extend(le16(0));
        }
    }
    while data.len() % 4 != 0 {
        data.push(0);
    }
    let strings_start = 28 + 4 * strings.len();
    let mut header = Vec::new();
    header.extend(le32(strings.len() as u32));
    header.extend(le32(0)); // styles
    header.extend(le32(if utf8 { 0x100 } else { 0 }));
    header.extend(le32(strings_start as u32));
    header.extend(le32(0));
    let mut body = Vec::new();
    for o in offsets {
        body.extend(le32(o));
    }
    body.extend(data);
    chunk(0x0001, &header, &body)
}

fn push_len8(data: &mut Vec<u8>, n: usize) {
    if n > 0x7f {
        data.push(0x80 | (n >> 8) as u8);
        data.push((n & 0xff) as u8);
    } else {
        data.push(n as u8);
    }
}

pub fn resmap(ids: &[u32]) -> Vec<u8> {
    let body: Vec<u8> = ids.iter().flat_map(|i| le32(*i)).collect();
    chunk(0x0180, &[], &body)
}

fn node_header(line: u32) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend(le32(line));
    h.extend(le32(NONE)); // comment
    h
}

pub fn start_ns(prefix: u32, uri: u32) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend(le32(prefix));
    b.extend(le32(uri));
    chunk(0x0100, &node_header(1), &b)
}

pub fn end_ns(prefix: u32, uri: u32) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend(le32(prefix));
    b.extend(le32(uri));
    chunk(0x0101, &node_header(1), &b)
}

#[derive(Clone, Copy, Debug)]
pub struct Attr {
    pub ns: u32,
    pub name: u32,
    pub raw: u32,
    pub dtype: u8,
    pub data: u32,
}

impl Attr {
    pub fn string(ns: u32, name: u32, s: u32) -> Attr {
        Attr {
            ns,
            name,
            raw: s,
            dtype: 0x03,
            data: s,
        }
    }
    pub fn typed(ns: u32, name: u32, dtype: u8, data: u32) -> Attr {
        Attr {
            ns,
            name,
            raw: NONE,
            dtype,
            data,
        }
    }
    pub fn bytes(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend(le32(self.ns));
        b.extend(le32(self.name));
        b.extend(le32(self.raw));
        b.extend(le16(8));
        b.push(0);
        b.push(self.dtype);
        b.extend(le32(self.data));
        b
    }
}

/// Layout knobs for a start-element node.
#[derive(Clone, Copy, Debug)]
pub struct ElLayout {
    /// Extra bytes in the node header beyond the standard 16 (header_size lies).
    pub extra_header: usize,
    /// attributeStart (standard 20).
    pub attr_start: u16,
    /// attributeSize (standard 20); records are padded to it.
    pub attr_size: u16,
}

impl Default for ElLayout {
    fn default() -> Self {
        ElLayout {
            extra_header: 0,
            attr_start: 20,
            attr_size: 20,
        }
    }
}

pub fn start_el(ns: u32, name: u32, attrs: &[Attr], line: u32) -> Vec<u8> {
    start_el_with(ns, name, attrs, line, ElLayout::default())
}

pub fn start_el_with(ns: u32, name: u32, attrs: &[Attr], line: u32, l: ElLayout) -> Vec<u8> {
    let mut header = node_header(line);
    header.extend(vec![0xee; l.extra_header]);
    let mut ext = Vec::new();
    ext.extend(le32(ns));
    ext.extend(le32(name));
    ext.extend(le16(l.attr_start));
    ext.extend(le16(l.attr_size));
    ext.extend(le16(attrs.len() as u16));
    ext.extend(le16(0));
    ext.extend(le16(0));
    ext.extend(le16(0));
    // Junk between the attrExt and the first attribute when attributeStart > 20.
    while ext.len() < l.attr_start as usize {
        ext.push(0xdd);
    }
    for a in attrs {
        let mut rec = a.bytes();
        rec.resize(rec.len().max(l.attr_size as usize), 0xcc);
        ext.extend(rec);
    }
    chunk(0x0102, &header, &ext)
}

pub fn end_el(ns: u32, name: u32) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend(le32(ns));
    b.extend(le32(name));
    chunk(0x0103, &node_header(1), &b)
}

pub fn cdata(idx: u32) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend(le32(idx));
    b.extend(le16(8));
    b.push(0);
    b.push(0x03);
    b.extend(le32(idx));
    chunk(0x0104, &node_header(1), &b)
}

/// An RES_XML_TYPE document of the given chunks.
pub fn xml(chunks: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = chunks.concat();
    chunk(0x0003, &[], &body)
}

// ------------------------------------------------------------------ resource tables

/// A 64-byte ResTable_config with language/region (2 bytes each, possibly packed) and script.
pub fn config(lang: [u8; 2], region: [u8; 2], script: [u8; 4]) -> Vec<u8> {
    let mut c = vec![0u8; 64];
    set_u32(&mut c, 0, 64);
    c[8..10].copy_from_slice(&lang);
    c[10..12].copy_from_slice(&region);
    c[36..40].copy_from_slice(&script);
    c
}

/// A simple ResTable_entry (+ Res_value).
pub fn simple_entry(key: u32, dtype: u8, data: u32) -> Vec<u8> {
    let mut e = Vec::new();
    e.extend(le16(8));
    e.extend(le16(0));
    e.extend(le32(key));
    e.extend(le16(8));
    e.push(0);
    e.push(dtype);
    e.extend(le32(data));
    e
}

/// A compact entry (FLAG_COMPACT): key u16, flags (type in the high byte), data.
pub fn compact_entry(key: u16, dtype: u8, data: u32) -> Vec<u8> {
    let mut e = Vec::new();
    e.extend(le16(key));
    e.extend(le16(0x0008 | (u16::from(dtype) << 8)));
    e.extend(le32(data));
    e
}

/// A ResTable_type chunk. `offsets` is the raw offsets table (dense u32, u16, or sparse pairs).
pub fn type_chunk(
    type_id: u8,
    flags: u8,
    entry_count: u32,
    config: &[u8],
    offsets: &[u8],
    entries: &[u8],
) -> Vec<u8> {
    let hs = 8 + 12 + config.len();
    let entries_start = hs + offsets.len();
    let mut header = vec![type_id, flags, 0, 0];
    header.extend(le32(entry_count));
    header.extend(le32(entries_start as u32));
    header.extend(config);
    let mut body = offsets.to_vec();
    body.extend(entries);
    chunk(0x0201, &header, &body)
}

pub fn type_spec(type_id: u8, entry_count: u32) -> Vec<u8> {
    let header = [&[type_id, 0][..], &le16(0)[..], &le32(entry_count)[..]].concat();
    let body: Vec<u8> = (0..entry_count).flat_map(|_| le32(0)).collect();
    chunk(0x0202, &header, &body)
}

/// A package chunk (header size 288) with its type and key pools and then `chunks`.
pub fn package(id: u32, name: &str, types: &[&str], keys: &[&str], chunks: &[Vec<u8>]) -> Vec<u8> {
    let type_pool = pool(types, false);
    let key_pool = pool(keys, true);
    let mut header = Vec::new();
    header.extend(le32(id));
    let mut name16: Vec<u8> = name.encode_utf16().flat_map(le16).collect();
    name16.resize(256, 0);
    header.extend(name16);
    header.extend(le32(288)); // typeStrings
    header.extend(le32(types.len() as u32));
    header.extend(le32((288 + type_pool.len()) as u32)); // keyStrings
    header.extend(le32(keys.len() as u32));
    header.extend(le32(0)); // typeIdOffset
    let mut body = type_pool;
    body.extend(key_pool);
    for c in chunks {
        body.extend(c);
    }
    chunk(0x0200, &header, &body)
}

pub fn table(values: &[&str], packages: &[Vec<u8>]) -> Vec<u8> {
    let mut body = pool(values, true);
    for p in packages {
        body.extend(p);
    }
    chunk(0x0002, &le32(packages.len() as u32), &body)
}

/// Deterministic mutation driver: truncations at many lengths and byte flips at many
/// positions (LCG), each parsed by `f`.
pub fn mutate(data: &[u8], mut f: impl FnMut(&[u8])) {
    let n = data.len();
    let step = (n / 97).max(1);
    let mut len = 0;
    while len < n {
        f(&data[..len]);
        len += step;
    }
    for l in [0, 1, 7, 8, 9, n.saturating_sub(1)] {
        f(&data[..l.min(n)]);
    }
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d ^ n as u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    let mut buf = data.to_vec();
    for _ in 0..3000 {
        buf.copy_from_slice(data);
        let flips = 1 + next() % 4;
        for _ in 0..flips {
            let pos = next() % n.max(1);
            let v = match next() % 4 {
                0 => 0xff,
                1 => 0x00,
                2 => 0x80,
                _ => (next() & 0xff) as u8,
            };
            if let Some(b) = buf.get_mut(pos) {
                *b = v;
            }
        }
        f(&buf);
    }
}
