//! Locating the central directory: End Of Central Directory record and its ZIP64 forms.

use crate::bytes::{u16_at, u32_at, u64_at};
use crate::codes;
use crate::Error;

const EOCD_SIG: u32 = 0x0605_4b50;
const EOCD_LEN: usize = 22;
const MAX_COMMENT: usize = 0xffff;
const LOCATOR_SIG: u32 = 0x0706_4b50;
const LOCATOR_LEN: usize = 20;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const ZIP64_EOCD_LEN: usize = 56;
pub(crate) const CD_SIG: u32 = 0x0201_4b50;
pub(crate) const CD_LEN: usize = 46;

/// Where the central directory is, as the chosen EOCD says.
#[derive(Debug, Clone)]
pub(crate) struct Directory {
    pub eocd_offset: u64,
    pub cd_offset: u64,
    pub cd_size: u64,
    pub declared_entries: u64,
    pub comment_len: usize,
    /// The comment ends exactly at the end of the file.
    pub comment_exact: bool,
    /// Offset of the ZIP64 EOCD record, when one was used.
    pub zip64_offset: Option<u64>,
    /// Anomalies about this EOCD (multi-disk fields, bad ZIP64 structures): (code, message, offset).
    pub notes: Vec<(&'static str, String, u64)>,
}

/// Find the EOCD the way Android does: scan backward from the end of the file over at most
/// 65,535 + 22 bytes. Among records whose central directory resolves, prefer the last one in
/// the file whose comment ends exactly at the end of the file, else the last one.
pub(crate) fn locate(data: &[u8]) -> Result<Directory, Error> {
    let len = data.len();
    if len < EOCD_LEN {
        return Err(Error::NoEocd {
            searched: len as u64,
            len: len as u64,
        });
    }
    let last = len - EOCD_LEN;
    let first = len.saturating_sub(EOCD_LEN + MAX_COMMENT);
    let mut valid: Vec<Directory> = Vec::new();
    let mut first_error: Option<Error> = None;
    // Every EOCD signature in the window, last first (SIMD search: this runs on every package).
    let window = data.get(first..).unwrap_or_default();
    let sig = EOCD_SIG.to_le_bytes();
    for pos in memchr::memmem::rfind_iter(window, &sig).map(|p| p + first) {
        if pos > last {
            continue;
        }
        match resolve(data, pos) {
            Ok(dir) => valid.push(dir),
            Err(e) => {
                if first_error.is_none() {
                    first_error = Some(e);
                }
            }
        }
    }
    let count = valid.len();
    let chosen_idx =
        valid
            .iter()
            .position(|d| d.comment_exact)
            .or(if count > 0 { Some(0) } else { None });
    let Some(idx) = chosen_idx else {
        return Err(first_error.unwrap_or(Error::NoEocd {
            searched: (len - first) as u64,
            len: len as u64,
        }));
    };
    let offsets: Vec<String> = valid
        .iter()
        .take(8)
        .map(|d| d.eocd_offset.to_string())
        .collect();
    let mut dir = valid.swap_remove(idx);
    if count > 1 {
        dir.notes.push((
            codes::MULTIPLE_EOCD,
            format!(
                "{count} end of central directory records found (at offsets {}{}); using the one at {}",
                offsets.join(", "),
                if count > 8 { ", ..." } else { "" },
                dir.eocd_offset
            ),
            dir.eocd_offset,
        ));
    }
    if !dir.comment_exact {
        let expected_end = dir.eocd_offset + EOCD_LEN as u64 + dir.comment_len as u64;
        dir.notes.push((
            codes::EOCD_COMMENT_MISMATCH,
            format!(
                "EOCD comment length {} ends at offset {expected_end} but the file is {len} bytes",
                dir.comment_len
            ),
            dir.eocd_offset,
        ));
    }
    Ok(dir)
}

/// Read the EOCD at `pos` (its signature already checked) and resolve the central directory
/// range, following a ZIP64 locator when one sits just before it.
fn resolve(data: &[u8], pos: usize) -> Result<Directory, Error> {
    let field16 = |off: usize| u16_at(data, pos + off).unwrap_or(0);
    let field32 = |off: usize| u32_at(data, pos + off).unwrap_or(0);
    let disk = field16(4);
    let cd_disk = field16(6);
    let entries_disk = field16(8);
    let entries = field16(10);
    let cd_size32 = field32(12);
    let cd_offset32 = field32(16);
    let comment_len = usize::from(field16(20));
    let comment_exact = pos + EOCD_LEN + comment_len == data.len();
    let mut notes = Vec::new();
    if disk != 0 || cd_disk != 0 || entries_disk != entries {
        notes.push((
            codes::MULTI_DISK,
            format!(
                "EOCD describes a multi-disk archive (disk {disk}, central directory disk \
                 {cd_disk}, {entries_disk} of {entries} entries on this disk); read as one disk"
            ),
            pos as u64,
        ));
    }

    let saturated = entries == 0xffff || cd_size32 == 0xffff_ffff || cd_offset32 == 0xffff_ffff;
    let mut dir = Directory {
        eocd_offset: pos as u64,
        cd_offset: u64::from(cd_offset32),
        cd_size: u64::from(cd_size32),
        declared_entries: u64::from(entries),
        comment_len,
        comment_exact,
        zip64_offset: None,
        notes,
    };
    let mut limit = pos as u64;

    if let Some(loc) = pos.checked_sub(LOCATOR_LEN) {
        if u32_at(data, loc) == Some(LOCATOR_SIG) {
            match zip64_record(data, loc) {
                Ok((rec_off, entries64, size64, offset64)) => {
                    dir.cd_offset = offset64;
                    dir.cd_size = size64;
                    dir.declared_entries = entries64;
                    dir.zip64_offset = Some(rec_off);
                    limit = rec_off;
                }
                Err(reason) => {
                    if saturated {
                        return Err(Error::Zip64 {
                            offset: loc as u64,
                            reason,
                        });
                    }
                    dir.notes.push((
                        codes::BAD_ZIP64,
                        format!(
                            "ZIP64 locator at offset {loc} is unusable ({reason}); using the \
                             32-bit EOCD values"
                        ),
                        loc as u64,
                    ));
                    limit = loc as u64;
                }
            }
        }
    }

    let end = dir.cd_offset.checked_add(dir.cd_size);
    if !matches!(end, Some(e) if e <= limit) {
        return Err(Error::CentralDirectoryOutOfRange {
            cd_offset: dir.cd_offset,
            cd_size: dir.cd_size,
            limit,
        });
    }
    if dir.cd_size >= CD_LEN as u64 {
        let found = usize::try_from(dir.cd_offset)
            .ok()
            .and_then(|o| u32_at(data, o))
            .unwrap_or(0);
        if found != CD_SIG {
            return Err(Error::BadCentralDirectory {
                offset: dir.cd_offset,
                found,
            });
        }
    }
    Ok(dir)
}

/// Parse the ZIP64 locator at `loc` and the record it points to:
/// (record offset, total entries, cd size, cd offset).
fn zip64_record(data: &[u8], loc: usize) -> Result<(u64, u64, u64, u64), &'static str> {
    let rec = u64_at(data, loc + 8).ok_or("truncated locator")?;
    let rec_usize = usize::try_from(rec).map_err(|_| "record offset out of range")?;
    if !matches!(rec_usize.checked_add(ZIP64_EOCD_LEN), Some(end) if end <= loc) {
        return Err("record offset out of range");
    }
    if u32_at(data, rec_usize) != Some(ZIP64_EOCD_SIG) {
        return Err("bad record signature");
    }
    let entries = u64_at(data, rec_usize + 32).ok_or("truncated record")?;
    let size = u64_at(data, rec_usize + 40).ok_or("truncated record")?;
    let offset = u64_at(data, rec_usize + 48).ok_or("truncated record")?;
    Ok((rec, entries, size, offset))
}
