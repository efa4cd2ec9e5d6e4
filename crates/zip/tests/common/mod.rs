//! A test-only zip writer that can also write the inconsistencies the reader must detect.
#![allow(dead_code)]

use std::io::Write;

use flate2::write::DeflateEncoder;
use flate2::Compression;

/// Raw deflate of `data`.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// One entry; every field that a test may want to falsify has an override.
#[derive(Clone, Debug)]
pub struct E {
    pub name: Vec<u8>,
    pub data: Vec<u8>,
    pub method: u16,
    /// Bytes written as the entry data (default: `data`, deflated unless method is 0).
    pub payload: Option<Vec<u8>>,
    pub flags: u16,
    pub local_name: Option<Vec<u8>>,
    pub local_method: Option<u16>,
    pub local_sig: u32,
    pub crc: Option<u32>,
    pub usize: Option<u64>,
    pub csize: Option<u64>,
    /// (crc, compressed, uncompressed) written in the local header instead of the real ones.
    pub local_values: Option<(u32, u32, u32)>,
    pub local_extra: Vec<u8>,
    /// Write sizes and offset as 0xFFFFFFFF with a ZIP64 extra field in the central directory.
    pub zip64: bool,
    /// Do not write a local header; point the CD at entry k's local header instead.
    pub share_local_of: Option<usize>,
    /// Replace the CD local header offset.
    pub lho: Option<u64>,
    pub date: u16,
    pub time: u16,
}

impl E {
    pub fn stored(name: &str, data: &[u8]) -> E {
        E::new(name.as_bytes(), data, 0)
    }
    pub fn deflated(name: &str, data: &[u8]) -> E {
        E::new(name.as_bytes(), data, 8)
    }
    pub fn new(name: &[u8], data: &[u8], method: u16) -> E {
        E {
            name: name.to_vec(),
            data: data.to_vec(),
            method,
            payload: None,
            flags: 0,
            local_name: None,
            local_method: None,
            local_sig: 0x0403_4b50,
            crc: None,
            usize: None,
            csize: None,
            local_values: None,
            local_extra: Vec::new(),
            zip64: false,
            share_local_of: None,
            lho: None,
            // 2021-06-15 13:45:30
            date: ((2021 - 1980) << 9) | (6 << 5) | 15,
            time: (13 << 11) | (45 << 5) | 15,
        }
    }
    pub fn with(mut self, f: impl FnOnce(&mut E)) -> E {
        f(&mut self);
        self
    }
    fn payload(&self) -> Vec<u8> {
        match &self.payload {
            Some(p) => p.clone(),
            None if self.method == 0 => self.data.clone(),
            None => deflate(&self.data),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Zip {
    pub prefix: Vec<u8>,
    pub entries: Vec<E>,
    /// Bytes between the last entry's data and the central directory.
    pub gap: Vec<u8>,
    /// Bytes appended inside the central directory (counted in its size).
    pub cd_junk: Vec<u8>,
    pub comment: Vec<u8>,
    pub count: Option<u16>,
    pub comment_len: Option<u16>,
    /// Bytes after the EOCD comment.
    pub trailing: Vec<u8>,
    pub zip64_eocd: bool,
}

fn p16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn p32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn p64(v: &mut Vec<u8>, x: u64) {
    v.extend_from_slice(&x.to_le_bytes());
}

impl Zip {
    pub fn new(entries: Vec<E>) -> Zip {
        Zip {
            entries,
            ..Zip::default()
        }
    }

    pub fn build(&self) -> Vec<u8> {
        let mut out = self.prefix.clone();
        let mut offsets = Vec::new();
        let mut payloads = Vec::new();
        for e in &self.entries {
            let payload = e.payload();
            let crc = e.crc.unwrap_or_else(|| crc32fast::hash(&e.data));
            if let Some(k) = e.share_local_of {
                offsets.push(offsets[k]);
                payloads.push((payload, crc));
                continue;
            }
            offsets.push(out.len() as u64);
            let lname = e.local_name.clone().unwrap_or_else(|| e.name.clone());
            let (lcrc, lc, lu) = e.local_values.unwrap_or((
                crc,
                payload.len() as u32,
                e.usize.unwrap_or(e.data.len() as u64) as u32,
            ));
            p32(&mut out, e.local_sig);
            p16(&mut out, 20);
            p16(&mut out, e.flags);
            p16(&mut out, e.local_method.unwrap_or(e.method));
            p16(&mut out, e.time);
            p16(&mut out, e.date);
            p32(&mut out, lcrc);
            p32(&mut out, lc);
            p32(&mut out, lu);
            p16(&mut out, lname.len() as u16);
            p16(&mut out, e.local_extra.len() as u16);
            out.extend_from_slice(&lname);
            out.extend_from_slice(&e.local_extra);
            out.extend_from_slice(&payload);
            payloads.push((payload, crc));
        }
        out.extend_from_slice(&self.gap);
        let cd_offset = out.len() as u64;
        for (i, e) in self.entries.iter().enumerate() {
            let (payload, crc) = &payloads[i];
            let csize = e.csize.unwrap_or(payload.len() as u64);
            let usize = e.usize.unwrap_or(e.data.len() as u64);
            let lho = e.lho.unwrap_or(offsets[i]);
            let mut extra = Vec::new();
            if e.zip64 {
                p16(&mut extra, 1);
                p16(&mut extra, 24);
                p64(&mut extra, usize);
                p64(&mut extra, csize);
                p64(&mut extra, lho);
            }
            let sat = |v: u64| if e.zip64 { 0xffff_ffff } else { v as u32 };
            p32(&mut out, 0x0201_4b50);
            p16(&mut out, 0x031e);
            p16(&mut out, 20);
            p16(&mut out, e.flags);
            p16(&mut out, e.method);
            p16(&mut out, e.time);
            p16(&mut out, e.date);
            p32(&mut out, *crc);
            p32(&mut out, sat(csize));
            p32(&mut out, sat(usize));
            p16(&mut out, e.name.len() as u16);
            p16(&mut out, extra.len() as u16);
            p16(&mut out, 0);
            p16(&mut out, 0);
            p16(&mut out, 0);
            p32(&mut out, 0o100644 << 16);
            p32(&mut out, sat(lho));
            out.extend_from_slice(&e.name);
            out.extend_from_slice(&extra);
        }
        out.extend_from_slice(&self.cd_junk);
        let cd_size = out.len() as u64 - cd_offset;
        let count = self.entries.len() as u64;
        if self.zip64_eocd {
            let rec = out.len() as u64;
            p32(&mut out, 0x0606_4b50);
            p64(&mut out, 44);
            p16(&mut out, 45);
            p16(&mut out, 45);
            p32(&mut out, 0);
            p32(&mut out, 0);
            p64(&mut out, count);
            p64(&mut out, count);
            p64(&mut out, cd_size);
            p64(&mut out, cd_offset);
            p32(&mut out, 0x0706_4b50);
            p32(&mut out, 0);
            p64(&mut out, rec);
            p32(&mut out, 1);
        }
        let count16 = self.count.unwrap_or(if self.zip64_eocd {
            0xffff
        } else {
            count as u16
        });
        p32(&mut out, 0x0605_4b50);
        p16(&mut out, 0);
        p16(&mut out, 0);
        p16(&mut out, count16);
        p16(&mut out, count16);
        p32(
            &mut out,
            if self.zip64_eocd {
                0xffff_ffff
            } else {
                cd_size as u32
            },
        );
        p32(
            &mut out,
            if self.zip64_eocd {
                0xffff_ffff
            } else {
                cd_offset as u32
            },
        );
        p16(
            &mut out,
            self.comment_len.unwrap_or(self.comment.len() as u16),
        );
        out.extend_from_slice(&self.comment);
        out.extend_from_slice(&self.trailing);
        out
    }
}
