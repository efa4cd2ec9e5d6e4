//! A minimal zip writer (stored and deflated entries, 32-bit sizes, fixed timestamp), enough to
//! assemble APKs and IPAs that `unzip`, aapt and appvet read.

use std::io::Write;

use flate2::write::DeflateEncoder;
use flate2::Compression;

/// How an entry is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Stored,
    Deflated,
}

struct Written {
    name: String,
    method: u16,
    crc: u32,
    csize: u32,
    usize: u32,
    offset: u32,
    unix_mode: u32,
}

/// Builds a zip archive in memory.
pub struct ZipWriter {
    out: Vec<u8>,
    entries: Vec<Written>,
    level: u32,
}

// 2024-06-01 12:00:00, like the fixtures.
const DOS_TIME: u16 = 12 << 11;
const DOS_DATE: u16 = ((2024 - 1980) << 9) | (6 << 5) | 1;

impl ZipWriter {
    /// `level`: deflate level 0..=9 for deflated entries.
    pub fn new(level: u32) -> ZipWriter {
        ZipWriter {
            out: Vec::new(),
            entries: Vec::new(),
            level,
        }
    }

    /// Add a file entry.
    pub fn add(&mut self, name: &str, data: &[u8], method: Method) {
        let crc = crc32fast::hash(data);
        let (m, payload): (u16, std::borrow::Cow<'_, [u8]>) = match method {
            Method::Stored => (0, data.into()),
            Method::Deflated => {
                let mut enc = DeflateEncoder::new(
                    Vec::with_capacity(data.len() / 2 + 64),
                    Compression::new(self.level),
                );
                enc.write_all(data).expect("deflate into memory");
                (8, enc.finish().expect("deflate into memory").into())
            }
        };
        let offset = self.out.len() as u32;
        let o = &mut self.out;
        o.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        o.extend_from_slice(&20u16.to_le_bytes()); // version needed
        o.extend_from_slice(&0u16.to_le_bytes()); // flags
        o.extend_from_slice(&m.to_le_bytes());
        o.extend_from_slice(&DOS_TIME.to_le_bytes());
        o.extend_from_slice(&DOS_DATE.to_le_bytes());
        o.extend_from_slice(&crc.to_le_bytes());
        o.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        o.extend_from_slice(&(data.len() as u32).to_le_bytes());
        o.extend_from_slice(&(name.len() as u16).to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes()); // extra
        o.extend_from_slice(name.as_bytes());
        o.extend_from_slice(&payload);
        self.entries.push(Written {
            name: name.to_string(),
            method: m,
            crc,
            csize: payload.len() as u32,
            usize: data.len() as u32,
            offset,
            unix_mode: if name.ends_with('/') {
                0o040755
            } else {
                0o100644
            },
        });
    }

    /// Add a directory entry (`name` ends with `/`).
    pub fn add_dir(&mut self, name: &str) {
        self.add(name, &[], Method::Stored);
    }

    /// Write the central directory and end record; return the archive.
    pub fn finish(mut self) -> Vec<u8> {
        let cd_start = self.out.len() as u32;
        let o = &mut self.out;
        for e in &self.entries {
            o.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            o.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes()); // made by Unix
            o.extend_from_slice(&20u16.to_le_bytes());
            o.extend_from_slice(&0u16.to_le_bytes());
            o.extend_from_slice(&e.method.to_le_bytes());
            o.extend_from_slice(&DOS_TIME.to_le_bytes());
            o.extend_from_slice(&DOS_DATE.to_le_bytes());
            o.extend_from_slice(&e.crc.to_le_bytes());
            o.extend_from_slice(&e.csize.to_le_bytes());
            o.extend_from_slice(&e.usize.to_le_bytes());
            o.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            o.extend_from_slice(&0u16.to_le_bytes()); // extra
            o.extend_from_slice(&0u16.to_le_bytes()); // comment
            o.extend_from_slice(&0u16.to_le_bytes()); // disk
            o.extend_from_slice(&0u16.to_le_bytes()); // internal attrs
            o.extend_from_slice(&(e.unix_mode << 16).to_le_bytes());
            o.extend_from_slice(&e.offset.to_le_bytes());
            o.extend_from_slice(e.name.as_bytes());
        }
        let cd_size = self.out.len() as u32 - cd_start;
        let n = self.entries.len() as u16;
        let o = &mut self.out;
        o.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        o.extend_from_slice(&[0, 0, 0, 0]);
        o.extend_from_slice(&n.to_le_bytes());
        o.extend_from_slice(&n.to_le_bytes());
        o.extend_from_slice(&cd_size.to_le_bytes());
        o.extend_from_slice(&cd_start.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes());
        self.out
    }
}
