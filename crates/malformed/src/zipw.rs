//! A small zip writer for building malformed packages: entries stored or deflated, with every
//! header field open to change before or after writing.

use flate2::{write::DeflateEncoder, Compression};
use std::io::Write;

#[derive(Clone, Debug)]
pub struct ZEntry {
    pub name: String,
    pub data: Vec<u8>,
    pub deflate: bool,
    /// Overrides the uncompressed size written in both headers.
    pub declared_size: Option<u32>,
    /// Written data instead of compressing `data` (already compressed bytes).
    pub raw: Option<Vec<u8>>,
}

impl ZEntry {
    pub fn new(name: &str, data: Vec<u8>) -> ZEntry {
        ZEntry {
            name: name.to_string(),
            deflate: data.len() > 64,
            data,
            declared_size: None,
            raw: None,
        }
    }
}

pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = DeflateEncoder::new(Vec::new(), Compression::new(9));
    // Writing to a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

/// The layout of a written zip: where each entry's local header and CD record start.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub local: Vec<usize>,
    pub central: Vec<usize>,
    pub cd_offset: usize,
    pub eocd: usize,
}

fn u16le(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn u32le(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

/// Write `entries`; `before_cd` goes between the last entry and the central directory (an APK
/// Signing Block).
pub fn write(entries: &[ZEntry], before_cd: &[u8]) -> (Vec<u8>, Layout) {
    let mut out = Vec::new();
    let mut layout = Layout::default();
    let mut recs = Vec::new();
    for e in entries {
        let body = match &e.raw {
            Some(r) => r.clone(),
            None if e.deflate => deflate(&e.data),
            None => e.data.clone(),
        };
        let method: u16 = if e.deflate || e.raw.is_some() { 8 } else { 0 };
        let crc = crc32fast::hash(&e.data);
        let usize_ = e.declared_size.unwrap_or(e.data.len() as u32);
        let off = out.len();
        layout.local.push(off);
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20);
        u16le(&mut out, 0x0800);
        u16le(&mut out, method);
        u16le(&mut out, 0);
        u16le(&mut out, 0x21);
        u32le(&mut out, crc);
        u32le(&mut out, body.len() as u32);
        u32le(&mut out, usize_);
        u16le(&mut out, e.name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(&body);
        recs.push((
            e.name.clone(),
            method,
            crc,
            body.len() as u32,
            usize_,
            off as u32,
        ));
    }
    out.extend_from_slice(before_cd);
    layout.cd_offset = out.len();
    for (name, method, crc, csize, usize_, off) in &recs {
        layout.central.push(out.len());
        u32le(&mut out, 0x0201_4b50);
        u16le(&mut out, 0x031e);
        u16le(&mut out, 20);
        u16le(&mut out, 0x0800);
        u16le(&mut out, *method);
        u16le(&mut out, 0);
        u16le(&mut out, 0x21);
        u32le(&mut out, *crc);
        u32le(&mut out, *csize);
        u32le(&mut out, *usize_);
        u16le(&mut out, name.len() as u16);
        u16le(&mut out, 0);
        u16le(&mut out, 0);
        u16le(&mut out, 0);
        u16le(&mut out, 0);
        u32le(&mut out, 0o100644 << 16);
        u32le(&mut out, *off);
        out.extend_from_slice(name.as_bytes());
    }
    let cd_size = out.len() - layout.cd_offset;
    layout.eocd = out.len();
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, recs.len() as u16);
    u16le(&mut out, recs.len() as u16);
    u32le(&mut out, cd_size as u32);
    u32le(&mut out, layout.cd_offset as u32);
    u16le(&mut out, 0);
    (out, layout)
}

/// Overwrite a little-endian u16 / u32 at `at` (nothing if out of range).
pub fn put16(b: &mut [u8], at: usize, v: u16) {
    if let Some(s) = b.get_mut(at..at + 2) {
        s.copy_from_slice(&v.to_le_bytes());
    }
}
pub fn put32(b: &mut [u8], at: usize, v: u32) {
    if let Some(s) = b.get_mut(at..at + 4) {
        s.copy_from_slice(&v.to_le_bytes());
    }
}
pub fn get32(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}
