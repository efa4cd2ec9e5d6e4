//! A tolerant, bounded, zero-copy zip reader for APKs and IPAs that follows what Android's
//! installer (libziparchive) trusts.
//!
//! [`Archive::parse`] reads only the End Of Central Directory record, the central directory and
//! each entry's local header; entry data is touched only by [`Archive::read`]. Like Android, the
//! central directory is authoritative: local headers are used only to find where the data
//! starts (`local_header_offset + 30 + local name length + local extra length`). Every
//! inconsistency that Android tolerates (and a few it does not) is recorded as an
//! [`appvet_model::Anomaly`], because tampering is itself a signal. Errors are reserved for
//! archives whose central directory cannot be found or read, and for entries that cannot be read.
//!
//! Hostile input is expected: no byte sequence makes the parser panic, allocate without bound
//! or run for long. Counts and sizes are capped by the file size and by [`appvet_model::Limits`]:
//! `max_zip_entries` at parse time; `max_entry_size`, `max_compression_ratio` (for outputs over
//! 1 MiB) and `max_total_inflated` (a running total over every read of one [`Archive`], safe to
//! share across threads) at read time. Inflation grows its buffer incrementally and stops as
//! soon as the output passes the declared size or a limit.
//!
//! # Anomaly codes
//!
//! Codes are stable (constants in [`codes`]). At most 32 anomalies of one code are listed per
//! archive; past that, one more anomaly of the same code says how many were left out.
//!
//! Found by [`Archive::parse`] ([`Archive::anomalies`]):
//!
//! | code | meaning |
//! | --- | --- |
//! | `zip.multiple-eocd` | several valid End Of Central Directory records in the last 64 KiB; the last one whose comment reaches the end of file is used (else the last valid one) |
//! | `zip.eocd-comment-mismatch` | the EOCD comment length does not end exactly at the end of the file (trailing bytes or a short file) |
//! | `zip.bad-zip64` | a ZIP64 locator, record or extra field is malformed or missing; 32-bit values were used |
//! | `zip.multi-disk` | the EOCD claims a multi-disk (spanned) archive; read as a single disk |
//! | `zip.entry-count-mismatch` | the EOCD entry count differs from the number of central directory records parsed |
//! | `zip.bad-central-directory` | the central directory ends with bytes that are not a complete record; parsing stopped there |
//! | `zip.prefix-data` | bytes before the first local header (a prepended stub or polyglot file) |
//! | `zip.bad-local-header` | an entry's local header is missing, out of range or has a bad signature; the entry is unreadable |
//! | `zip.entry-out-of-range` | an entry's data runs past the start of the central directory; the entry is unreadable (as on Android) |
//! | `zip.local-name-mismatch` | the local header's name differs from the central directory name |
//! | `zip.local-method-mismatch` | the local header's compression method differs from the central directory's (the latter is used) |
//! | `zip.local-size-mismatch` | the local header's CRC or sizes differ from the central directory's and no data descriptor is flagged |
//! | `zip.encryption-flag` | general-purpose bit 0 (encrypted) is set; ignored like Android does, the data is read as plain |
//! | `zip.unknown-method` | compression method other than 0 (stored) or 8 (deflate); read as deflate like Android, falling back to the raw bytes when the sizes are equal and inflation fails |
//! | `zip.duplicate-entry` | two entries have the same name; [`Archive::by_name`] returns the first |
//! | `zip.suspicious-name` | empty name, `..` component, absolute or drive-letter path, backslash, NUL or control character, or invalid UTF-8 |
//! | `zip.overlapping-entries` | two entries' local header + data ranges overlap (the "overlapping files" zip bomb trick, or shared data) |
//! | `zip.size-mismatch` | a stored entry's compressed and uncompressed sizes differ |
//!
//! Found by [`Archive::read_checked`] (returned with the data):
//!
//! | code | meaning |
//! | --- | --- |
//! | `zip.size-mismatch` | the data inflated to fewer bytes than the declared uncompressed size |
//! | `zip.crc-mismatch` | the CRC-32 of the data differs from the central directory's |
//!
//! Reads that Android would refuse but that produce data anyway (a CRC mismatch, a short
//! output) return the data with an anomaly; output *longer* than declared is an error
//! ([`Error::TooLong`]), since nothing bounds it otherwise.
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

mod bytes;
mod eocd;
mod error;
mod names;
mod read;

use std::sync::atomic::AtomicU64;

use appvet_model::{Anomaly, BuildTime, Limits, Location};

use crate::bytes::{slice_at, u16_at, u32_at, u64_at};
pub use crate::error::Error;

/// Stable anomaly codes (see the crate documentation for their meaning).
pub mod codes {
    pub const MULTIPLE_EOCD: &str = "zip.multiple-eocd";
    pub const EOCD_COMMENT_MISMATCH: &str = "zip.eocd-comment-mismatch";
    pub const BAD_ZIP64: &str = "zip.bad-zip64";
    pub const MULTI_DISK: &str = "zip.multi-disk";
    pub const ENTRY_COUNT_MISMATCH: &str = "zip.entry-count-mismatch";
    pub const BAD_CENTRAL_DIRECTORY: &str = "zip.bad-central-directory";
    pub const PREFIX_DATA: &str = "zip.prefix-data";
    pub const BAD_LOCAL_HEADER: &str = "zip.bad-local-header";
    pub const ENTRY_OUT_OF_RANGE: &str = "zip.entry-out-of-range";
    pub const LOCAL_NAME_MISMATCH: &str = "zip.local-name-mismatch";
    pub const LOCAL_METHOD_MISMATCH: &str = "zip.local-method-mismatch";
    pub const LOCAL_SIZE_MISMATCH: &str = "zip.local-size-mismatch";
    pub const ENCRYPTION_FLAG: &str = "zip.encryption-flag";
    pub const UNKNOWN_METHOD: &str = "zip.unknown-method";
    pub const DUPLICATE_ENTRY: &str = "zip.duplicate-entry";
    pub const SUSPICIOUS_NAME: &str = "zip.suspicious-name";
    pub const OVERLAPPING_ENTRIES: &str = "zip.overlapping-entries";
    pub const SIZE_MISMATCH: &str = "zip.size-mismatch";
    pub const CRC_MISMATCH: &str = "zip.crc-mismatch";
}

/// Compression method 0.
pub const METHOD_STORED: u16 = 0;
/// Compression method 8.
pub const METHOD_DEFLATED: u16 = 8;

const LFH_SIG: u32 = 0x0403_4b50;
const LFH_LEN: u64 = 30;
const ANOMALY_CAP_PER_CODE: usize = 32;

/// An MS-DOS date and time as stored in zip headers (local time, 2-second resolution).
///
/// Field order makes the derived `Ord` chronological, so callers can take the newest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DosDateTime {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl DosDateTime {
    /// Decode the DOS `date` and `time` fields; `None` when they are not a valid date and time
    /// (month 0, day 0, hour 24, ...). An all-zero value (no timestamp) is also `None`.
    pub fn from_dos(date: u16, time: u16) -> Option<DosDateTime> {
        let dt = DosDateTime {
            year: 1980 + (date >> 9),
            month: ((date >> 5) & 0x0f) as u8,
            day: (date & 0x1f) as u8,
            hour: (time >> 11) as u8,
            minute: ((time >> 5) & 0x3f) as u8,
            second: ((time & 0x1f) * 2) as u8,
        };
        let valid = (1..=12).contains(&dt.month)
            && dt.day >= 1
            && dt.hour < 24
            && dt.minute < 60
            && dt.second < 60;
        valid.then_some(dt)
    }

    /// `YYYY-MM-DDTHH:MM:SS`.
    pub fn iso(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// Why an entry's data cannot be located.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    LocalHeader(&'static str),
    DataOutOfRange,
}

/// One central directory record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The central directory name, decoded as UTF-8 with invalid bytes replaced
    /// ([`Archive::raw_name`] gives the bytes).
    pub name: String,
    /// Position in the central directory (0-based).
    pub index: u32,
    /// Compression method from the central directory (0 stored, 8 deflate).
    pub method: u16,
    /// General-purpose bit flags from the central directory.
    pub flags: u16,
    pub crc32: u32,
    pub compressed_size: u64,
    pub uncompressed_size: u64,
    pub local_header_offset: u64,
    /// Where the entry's data starts: `local_header_offset + 30 + local name length + local
    /// extra length`; `local_header_offset` when the local header is unusable.
    pub data_offset: u64,
    /// Last-modified time from the central directory, if it is a valid DOS date.
    pub modified: Option<DosDateTime>,
    /// "Version made by" (high byte: host system, 3 = Unix).
    pub version_made_by: u16,
    /// External file attributes (Unix mode in the high 16 bits when made on Unix).
    pub external_attributes: u32,
    /// Offset of this entry's central directory record.
    pub central_header_offset: u64,
    name_len: u16,
    problem: Option<Problem>,
}

impl Entry {
    /// A directory entry: the name ends with `/`.
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }

    /// False when the local header or the data range is unusable, so [`Archive::read`] fails
    /// (a `zip.bad-local-header` or `zip.entry-out-of-range` anomaly says why).
    pub fn is_readable(&self) -> bool {
        self.problem.is_none()
    }

    fn location(&self) -> Location {
        Location::entry(self.name.clone()).with_index(self.index)
    }
}

/// A parsed zip archive borrowing the file bytes.
#[derive(Debug)]
pub struct Archive<'a> {
    data: &'a [u8],
    entries: Vec<Entry>,
    /// Entry indices sorted by (name, index), for `by_name`.
    sorted: Vec<u32>,
    anomalies: Vec<Anomaly>,
    cd_offset: u64,
    cd_size: u64,
    eocd_offset: u64,
    comment_len: usize,
    limits: Limits,
    inflated_total: AtomicU64,
    /// Told which input bytes a large inflation has consumed (see [`Archive::with_input_release`]).
    release: Option<Release<'a>>,
}

/// `release(offset, len)`: the hook of [`Archive::with_input_release`].
pub type InputRelease<'a> = dyn Fn(usize, usize) + Sync + 'a;

/// The hook, as the archive holds it.
#[derive(Clone, Copy)]
pub(crate) struct Release<'a>(pub(crate) &'a InputRelease<'a>);

impl std::fmt::Debug for Release<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Release(..)")
    }
}

/// Collects anomalies, listing at most [`ANOMALY_CAP_PER_CODE`] of each code.
#[derive(Default)]
struct Sink {
    list: Vec<Anomaly>,
    counts: Vec<(&'static str, usize)>,
}

impl Sink {
    fn push(&mut self, code: &'static str, message: String, location: Location) {
        let n = match self.counts.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                self.counts.push((code, 1));
                1
            }
        };
        if n <= ANOMALY_CAP_PER_CODE {
            self.list.push(Anomaly::new(code, message, location));
        }
    }

    fn finish(mut self) -> Vec<Anomaly> {
        for (code, n) in &self.counts {
            if *n > ANOMALY_CAP_PER_CODE {
                let more = n - ANOMALY_CAP_PER_CODE;
                self.list.push(Anomaly::new(
                    code,
                    format!("{more} more {code} anomalies not listed ({n} in total)"),
                    Location::default(),
                ));
            }
        }
        self.list
    }
}

fn archive_location(offset: u64) -> Location {
    Location::default().with_offset(offset)
}

/// Step, in compressed bytes, of [`Archive::with_input_release`] calls.
pub const RELEASE_STEP: usize = 1 << 20;

/// Entries with less compressed data than this are not released (a system call each is not
/// worth a few pages).
pub const RELEASE_MIN: usize = 64 << 10;

impl<'a> Archive<'a> {
    /// Locate and parse the central directory and check every local header.
    ///
    /// Fails only when no usable End Of Central Directory record exists, the central directory
    /// lies outside the file, or it lists more than `limits.max_zip_entries` entries.
    pub fn parse(data: &'a [u8], limits: &Limits) -> Result<Archive<'a>, Error> {
        let dir = eocd::locate(data)?;
        let mut sink = Sink::default();
        for (code, message, offset) in &dir.notes {
            sink.push(code, message.clone(), archive_location(*offset));
        }
        let max_entries = limits.max_zip_entries as u64;
        if dir.declared_entries > max_entries {
            return Err(Error::Limit {
                what: "zip entries",
                value: dir.declared_entries,
                limit: max_entries,
                context: format!("end of central directory at offset {}", dir.eocd_offset),
            });
        }

        let entries = parse_central_directory(data, &dir, limits, &mut sink)?;
        if entries.len() as u64 != dir.declared_entries {
            sink.push(
                codes::ENTRY_COUNT_MISMATCH,
                format!(
                    "end of central directory declares {} entries but the central directory \
                     holds {}",
                    dir.declared_entries,
                    entries.len()
                ),
                archive_location(dir.eocd_offset),
            );
        }

        let first_local = entries
            .iter()
            .map(|e| e.local_header_offset)
            .min()
            .unwrap_or(dir.cd_offset);
        if first_local > 0 {
            sink.push(
                codes::PREFIX_DATA,
                format!("{first_local} bytes before the first local header"),
                archive_location(0),
            );
        }

        let sorted = check_names(&entries, data, &mut sink);
        check_overlaps(&entries, &mut sink);

        Ok(Archive {
            data,
            entries,
            sorted,
            anomalies: sink.finish(),
            cd_offset: dir.cd_offset,
            cd_size: dir.cd_size,
            eocd_offset: dir.eocd_offset,
            comment_len: dir.comment_len,
            limits: *limits,
            inflated_total: AtomicU64::new(0),
            release: None,
        })
    }

    /// Have `release(offset, len)` called for byte ranges of the file that a large inflation
    /// has consumed and will not read again (in steps of [`RELEASE_STEP`] bytes, for entries with
    /// at least [`RELEASE_MIN`] bytes of compressed data). A caller holding the file as a memory map uses it
    /// to drop those pages from its resident set, so a 40 MiB compressed entry is not resident
    /// beside its inflated copy. Ranges may be read again later (another entry, a second read of
    /// the same one): the callee must only drop pages that can be faulted back in.
    pub fn with_input_release(mut self, release: &'a InputRelease<'a>) -> Self {
        self.release = Some(Release(release));
        self
    }

    /// Entries in central directory order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// What the entries' modification times say of the build: the newest one (and its entry),
    /// and whether every entry carries the same time (a reproducible or re-packed build).
    /// No signing time: that is the signature's.
    pub fn build_time(&self) -> BuildTime {
        let mut newest: Option<(&DosDateTime, &str)> = None;
        let mut first = None;
        let mut constant = true;
        for e in &self.entries {
            let Some(t) = &e.modified else { continue };
            match first {
                None => first = Some(t),
                Some(f) if f != t => constant = false,
                _ => {}
            }
            if newest.is_none_or(|(n, _)| t > n) {
                newest = Some((t, &e.name));
            }
        }
        BuildTime {
            newest_entry: newest.map(|(t, _)| t.iso()),
            newest_entry_location: newest.map(|(_, n)| Location::entry(n)),
            entry_times_constant: constant && first.is_some() && self.entries.len() > 1,
            signing_time: None,
        }
    }

    /// The first entry (in central directory order) with exactly this name.
    pub fn by_name(&self, name: &str) -> Option<&Entry> {
        let key = |i: &u32| {
            self.entries
                .get(*i as usize)
                .map_or("", |e| e.name.as_str())
        };
        let at = self.sorted.partition_point(|i| key(i) < name);
        let idx = *self.sorted.get(at)?;
        let e = self.entries.get(idx as usize)?;
        (e.name == name).then_some(e)
    }

    /// Anomalies found while parsing the directory and local headers.
    pub fn anomalies(&self) -> &[Anomaly] {
        &self.anomalies
    }

    /// Offset of the first central directory record (the APK Signing Block ends here).
    pub fn central_directory_offset(&self) -> u64 {
        self.cd_offset
    }

    /// Size of the central directory in bytes, as declared.
    pub fn central_directory_size(&self) -> u64 {
        self.cd_size
    }

    /// Offset of the End Of Central Directory record used.
    pub fn eocd_offset(&self) -> u64 {
        self.eocd_offset
    }

    /// The archive comment (clamped to the end of the file).
    pub fn comment(&self) -> &'a [u8] {
        let start = self.eocd_offset.saturating_add(22);
        let avail = (self.data.len() as u64).saturating_sub(start);
        slice_at(self.data, start, (self.comment_len as u64).min(avail)).unwrap_or(&[])
    }

    /// The whole file.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The raw central directory name bytes of `entry`.
    pub fn raw_name(&self, entry: &Entry) -> &'a [u8] {
        slice_at(
            self.data,
            entry.central_header_offset.saturating_add(46),
            u64::from(entry.name_len),
        )
        .unwrap_or(&[])
    }

    /// Bytes inflated so far by reads of this archive (counted against
    /// `limits.max_total_inflated`).
    pub fn inflated_total(&self) -> u64 {
        self.inflated_total
            .load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Walk the central directory records within `[cd_offset, cd_offset + cd_size)`.
fn parse_central_directory(
    data: &[u8],
    dir: &eocd::Directory,
    limits: &Limits,
    sink: &mut Sink,
) -> Result<Vec<Entry>, Error> {
    let cd =
        slice_at(data, dir.cd_offset, dir.cd_size).ok_or(Error::CentralDirectoryOutOfRange {
            cd_offset: dir.cd_offset,
            cd_size: dir.cd_size,
            limit: data.len() as u64,
        })?;
    let capacity = dir
        .declared_entries
        .min(dir.cd_size / eocd::CD_LEN as u64)
        .min(limits.max_zip_entries as u64);
    let mut entries = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    let mut pos = 0usize;
    while pos < cd.len() {
        let abs = dir.cd_offset + pos as u64;
        let rec = cd.get(pos..).unwrap_or(&[]);
        let lens = (
            u16_at(rec, 28).map(usize::from),
            u16_at(rec, 30).map(usize::from),
            u16_at(rec, 32).map(usize::from),
        );
        let (Some(n), Some(e), Some(c)) = lens else {
            sink.push(
                codes::BAD_CENTRAL_DIRECTORY,
                format!(
                    "{} bytes at offset {abs} at the end of the central directory are not a record",
                    rec.len()
                ),
                archive_location(abs),
            );
            break;
        };
        if u32_at(rec, 0) != Some(eocd::CD_SIG) {
            sink.push(
                codes::BAD_CENTRAL_DIRECTORY,
                format!(
                    "bad central directory record signature at offset {abs}; {} bytes of the \
                     central directory ignored",
                    rec.len()
                ),
                archive_location(abs),
            );
            break;
        }
        let total = eocd::CD_LEN + n + e + c;
        if total > rec.len() {
            sink.push(
                codes::BAD_CENTRAL_DIRECTORY,
                format!(
                    "central directory record at offset {abs} ({total} bytes) runs past the end \
                     of the central directory"
                ),
                archive_location(abs),
            );
            break;
        }
        if entries.len() >= limits.max_zip_entries {
            return Err(Error::Limit {
                what: "zip entries",
                value: entries.len() as u64 + 1,
                limit: limits.max_zip_entries as u64,
                context: format!("central directory record at offset {abs}"),
            });
        }
        let index = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        let entry = parse_record(data, rec, abs, index, n, e, dir.cd_offset, sink);
        entries.push(entry);
        pos += total;
    }
    Ok(entries)
}

/// Build an [`Entry`] from one central directory record (`rec` starts at the record and holds
/// at least `46 + n + e` bytes) and check its local header.
#[allow(clippy::too_many_arguments)]
fn parse_record(
    data: &[u8],
    rec: &[u8],
    abs: u64,
    index: u32,
    n: usize,
    e: usize,
    cd_offset: u64,
    sink: &mut Sink,
) -> Entry {
    let f16 = |off: usize| u16_at(rec, off).unwrap_or(0);
    let f32 = |off: usize| u32_at(rec, off).unwrap_or(0);
    let raw_name = rec.get(46..46 + n).unwrap_or(&[]);
    let extra = rec.get(46 + n..46 + n + e).unwrap_or(&[]);
    let mut entry = Entry {
        name: String::from_utf8_lossy(raw_name).into_owned(),
        index,
        version_made_by: f16(4),
        flags: f16(8),
        method: f16(10),
        modified: DosDateTime::from_dos(f16(14), f16(12)),
        crc32: f32(16),
        compressed_size: u64::from(f32(20)),
        uncompressed_size: u64::from(f32(24)),
        external_attributes: f32(38),
        local_header_offset: u64::from(f32(42)),
        data_offset: 0,
        central_header_offset: abs,
        name_len: u16::try_from(n).unwrap_or(0),
        problem: None,
    };
    apply_zip64_extra(&mut entry, extra, sink);

    if entry.flags & 1 != 0 {
        sink.push(
            codes::ENCRYPTION_FLAG,
            "encryption flag set; ignored (Android reads the data as plain)".to_string(),
            entry.location(),
        );
    }
    if entry.method != METHOD_STORED && entry.method != METHOD_DEFLATED {
        sink.push(
            codes::UNKNOWN_METHOD,
            format!(
                "compression method {} is neither stored nor deflate; read as deflate like Android",
                entry.method
            ),
            entry.location(),
        );
    }
    if entry.method == METHOD_STORED && entry.compressed_size != entry.uncompressed_size {
        sink.push(
            codes::SIZE_MISMATCH,
            format!(
                "stored entry has compressed size {} but uncompressed size {}",
                entry.compressed_size, entry.uncompressed_size
            ),
            entry.location(),
        );
    }
    check_local_header(data, &mut entry, raw_name, cd_offset, sink);
    entry
}

/// Replace saturated 32-bit sizes/offset with the values from the ZIP64 extra field (0x0001).
fn apply_zip64_extra(entry: &mut Entry, extra: &[u8], sink: &mut Sink) {
    const SAT: u64 = 0xffff_ffff;
    let need = [
        entry.uncompressed_size == SAT,
        entry.compressed_size == SAT,
        entry.local_header_offset == SAT,
    ];
    if !need.contains(&true) {
        return;
    }
    let mut field: Option<&[u8]> = None;
    let mut pos = 0usize;
    while let (Some(id), Some(len)) = (u16_at(extra, pos), u16_at(extra, pos + 2)) {
        let body = extra.get(pos + 4..pos + 4 + usize::from(len));
        if id == 0x0001 {
            field = body.or_else(|| extra.get(pos + 4..));
            break;
        }
        pos += 4 + usize::from(len);
    }
    let Some(field) = field else {
        sink.push(
            codes::BAD_ZIP64,
            "sizes or offset are 0xFFFFFFFF but there is no ZIP64 extra field".to_string(),
            entry.location(),
        );
        return;
    };
    let mut off = 0usize;
    let mut missing = false;
    for (i, needed) in need.iter().enumerate() {
        if !needed {
            continue;
        }
        match u64_at(field, off) {
            Some(v) => {
                match i {
                    0 => entry.uncompressed_size = v,
                    1 => entry.compressed_size = v,
                    _ => entry.local_header_offset = v,
                }
                off += 8;
            }
            None => missing = true,
        }
    }
    if missing {
        sink.push(
            codes::BAD_ZIP64,
            format!(
                "ZIP64 extra field is too short ({} bytes) for the saturated fields",
                field.len()
            ),
            entry.location(),
        );
    }
}

/// Check the local header against the central directory and compute the data offset.
fn check_local_header(
    data: &[u8],
    entry: &mut Entry,
    raw_name: &[u8],
    cd_offset: u64,
    sink: &mut Sink,
) {
    let lho = entry.local_header_offset;
    entry.data_offset = lho;
    let bad = |entry: &mut Entry, sink: &mut Sink, reason: &'static str| {
        entry.problem = Some(Problem::LocalHeader(reason));
        sink.push(
            codes::BAD_LOCAL_HEADER,
            format!("local header at offset {lho}: {reason}; entry unreadable"),
            entry.location(),
        );
    };
    if !matches!(lho.checked_add(LFH_LEN), Some(end) if end <= cd_offset) {
        return bad(entry, sink, "not before the central directory");
    }
    let Some(lfh) = slice_at(data, lho, LFH_LEN) else {
        return bad(entry, sink, "outside the file");
    };
    if u32_at(lfh, 0) != Some(LFH_SIG) {
        return bad(entry, sink, "bad signature");
    }
    let f16 = |off: usize| u16_at(lfh, off).unwrap_or(0);
    let f32 = |off: usize| u32_at(lfh, off).unwrap_or(0);
    let (lflags, lmethod, lcrc, lcsize, lusize) = (f16(6), f16(8), f32(14), f32(18), f32(22));
    let (ln, le) = (u64::from(f16(26)), u64::from(f16(28)));
    entry.data_offset = lho + LFH_LEN + ln + le;

    let local_name = slice_at(data, lho + LFH_LEN, ln).unwrap_or(&[]);
    if local_name != raw_name {
        sink.push(
            codes::LOCAL_NAME_MISMATCH,
            format!(
                "local header at offset {lho} names {:?}",
                String::from_utf8_lossy(local_name)
            ),
            entry.location(),
        );
    }
    if lmethod != entry.method {
        sink.push(
            codes::LOCAL_METHOD_MISMATCH,
            format!(
                "local header at offset {lho} says method {lmethod}, central directory says {}; \
                 using the central directory",
                entry.method
            ),
            entry.location(),
        );
    }
    if lflags & 8 == 0 {
        let sizes_differ = (lcsize != 0xffff_ffff && u64::from(lcsize) != entry.compressed_size)
            || (lusize != 0xffff_ffff && u64::from(lusize) != entry.uncompressed_size);
        if lcrc != entry.crc32 || sizes_differ {
            sink.push(
                codes::LOCAL_SIZE_MISMATCH,
                format!(
                    "local header at offset {lho} has crc 0x{lcrc:08x}, sizes {lcsize}/{lusize}; \
                     central directory has crc 0x{:08x}, sizes {}/{}",
                    entry.crc32, entry.compressed_size, entry.uncompressed_size
                ),
                entry.location(),
            );
        }
    }
    if !matches!(entry.data_offset.checked_add(entry.compressed_size), Some(end) if end <= cd_offset)
    {
        entry.problem = Some(Problem::DataOutOfRange);
        sink.push(
            codes::ENTRY_OUT_OF_RANGE,
            format!(
                "data at offset {} of size {} runs past the central directory at offset \
                 {cd_offset}; entry unreadable",
                entry.data_offset, entry.compressed_size
            ),
            entry.location(),
        );
    }
}

/// Flag suspicious and duplicate names; return entry indices sorted by (name, index).
fn check_names(entries: &[Entry], data: &[u8], sink: &mut Sink) -> Vec<u32> {
    for e in entries {
        let raw =
            slice_at(data, e.central_header_offset + 46, u64::from(e.name_len)).unwrap_or(&[]);
        if let Some(reason) = names::suspicious(raw) {
            sink.push(
                codes::SUSPICIOUS_NAME,
                format!("suspicious entry name {:?}: {reason}", e.name),
                e.location(),
            );
        }
    }
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name).then(a.index.cmp(&b.index)));
    let mut first: Option<&Entry> = None;
    for e in &sorted {
        match first {
            Some(f) if f.name == e.name => sink.push(
                codes::DUPLICATE_ENTRY,
                format!(
                    "entry #{} has the same name as entry #{}; the first one is used",
                    e.index, f.index
                ),
                e.location(),
            ),
            _ => first = Some(e),
        }
    }
    sorted.iter().map(|e| e.index).collect()
}

/// Flag entries whose `[local header, end of data)` ranges overlap, in O(n log n).
fn check_overlaps(entries: &[Entry], sink: &mut Sink) {
    let mut ranges: Vec<(u64, u64, &Entry)> = entries
        .iter()
        .filter(|e| e.is_readable())
        .map(|e| {
            let end = e.data_offset.saturating_add(e.compressed_size);
            (e.local_header_offset, end, e)
        })
        .collect();
    ranges.sort_by_key(|r| (r.0, r.2.index));
    let mut widest: Option<(u64, &Entry)> = None;
    for (start, end, e) in ranges {
        if let Some((wend, w)) = widest {
            if start < wend {
                sink.push(
                    codes::OVERLAPPING_ENTRIES,
                    format!(
                        "data of entry #{} (offsets {start}..{end}) overlaps entry #{} {:?} \
                         (ending at {wend})",
                        e.index, w.index, w.name
                    ),
                    e.location(),
                );
            }
            if end > wend {
                widest = Some((end, e));
            }
        } else {
            widest = Some((end, e));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dos_date_time_decodes_and_orders() {
        // 2023-12-31 23:59:58
        let date = ((2023 - 1980) << 9) | (12 << 5) | 31;
        let time = (23 << 11) | (59 << 5) | 29;
        let a = DosDateTime::from_dos(date, time).unwrap();
        assert_eq!(a.iso(), "2023-12-31T23:59:58");
        let b = DosDateTime::from_dos((44 << 9) | (1 << 5) | 1, 0).unwrap();
        assert_eq!(b.iso(), "2024-01-01T00:00:00");
        assert!(b > a);
        assert_eq!([a, b].iter().max(), Some(&b));
        assert_eq!(DosDateTime::from_dos(0, 0), None);
        assert_eq!(DosDateTime::from_dos((1 << 5) | 1, 24 << 11), None);
        assert_eq!(DosDateTime::from_dos(13 << 5 | 1, 0), None);
    }

    #[test]
    fn sink_caps_each_code() {
        let mut sink = Sink::default();
        for i in 0..40 {
            sink.push(codes::SUSPICIOUS_NAME, format!("n{i}"), Location::default());
        }
        sink.push(codes::PREFIX_DATA, "p".to_string(), Location::default());
        let list = sink.finish();
        assert_eq!(list.len(), 32 + 1 + 1);
        assert_eq!(list[32].code, codes::PREFIX_DATA);
        assert!(list[33].message.starts_with("8 more zip.suspicious-name"));
    }
}
