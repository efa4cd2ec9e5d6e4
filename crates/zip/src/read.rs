//! Reading entry data: stored entries are borrowed, everything else is inflated within limits.

use std::borrow::Cow;
use std::sync::atomic::Ordering;

use appvet_model::Anomaly;
use flate2::{Decompress, FlushDecompress, Status};

use crate::bytes::slice_at;
use crate::{codes, Archive, Entry, Error, Problem, METHOD_STORED};

/// Outputs at or below this size are exempt from the compression-ratio cap.
const RATIO_FREE_SIZE: u64 = 1 << 20;
/// Largest buffer reserved before any output exists.
const MAX_INITIAL_CAPACITY: u64 = 8 << 20;

impl<'a> Archive<'a> {
    /// The bytes of an entry: stored entries are borrowed from the file (zero copy); any other
    /// method is inflated (see [`Archive::read_checked`] for the rules). The CRC is not checked.
    pub fn read(&self, entry: &Entry) -> Result<Cow<'a, [u8]>, Error> {
        self.read_inner(entry).map(|(data, _)| data)
    }

    /// Like [`Archive::read`], and also returns the anomalies found by reading: `zip.crc-mismatch`
    /// when the CRC-32 of the data differs from the central directory's, `zip.size-mismatch`
    /// when inflation ended before the declared uncompressed size. The list is empty for a
    /// healthy entry.
    ///
    /// Methods: 0 is stored. Every other method is inflated as raw deflate, as libziparchive
    /// does; for an unknown method (not 8) whose compressed and uncompressed sizes are equal, a
    /// failed inflation falls back to the raw bytes.
    ///
    /// Fails when the entry's local header or data range is unusable, its declared size exceeds
    /// `limits.max_entry_size`, the declared or actual ratio of an output over 1 MiB exceeds
    /// `limits.max_compression_ratio`, the running total inflated by this archive exceeds
    /// `limits.max_total_inflated`, the deflate stream is corrupt, or it inflates to more than
    /// the declared size, or the scan's deadline has passed (checked before the entry and
    /// between blocks of inflated output).
    pub fn read_checked(&self, entry: &Entry) -> Result<(Cow<'a, [u8]>, Vec<Anomaly>), Error> {
        let (data, mut anomalies) = self.read_inner(entry)?;
        let crc = crc32fast::hash(&data);
        if crc != entry.crc32 {
            anomalies.push(Anomaly::new(
                codes::CRC_MISMATCH,
                format!(
                    "CRC-32 of the data is 0x{crc:08x}, central directory says 0x{:08x}",
                    entry.crc32
                ),
                entry.location(),
            ));
        }
        Ok((data, anomalies))
    }

    fn read_inner(&self, entry: &Entry) -> Result<(Cow<'a, [u8]>, Vec<Anomaly>), Error> {
        self.check_time(entry)?;
        match entry.problem {
            Some(Problem::LocalHeader(reason)) => {
                return Err(Error::BadLocalHeader {
                    index: entry.index,
                    name: entry.name.clone(),
                    offset: entry.local_header_offset,
                    reason,
                })
            }
            Some(Problem::DataOutOfRange) => return Err(self.out_of_range(entry)),
            None => {}
        }
        let max = self.limits.max_entry_size;
        let declared = if entry.method == METHOD_STORED {
            entry.uncompressed_size.max(entry.compressed_size)
        } else {
            entry.uncompressed_size
        };
        if declared > max {
            return Err(Error::Limit {
                what: "zip entry size",
                value: declared,
                limit: max,
                context: context(entry),
            });
        }
        let raw = slice_at(self.data, entry.data_offset, entry.compressed_size)
            .filter(|_| {
                matches!(entry.data_offset.checked_add(entry.compressed_size),
                    Some(end) if end <= self.cd_offset)
            })
            .ok_or_else(|| self.out_of_range(entry))?;
        if entry.method == METHOD_STORED {
            return Ok((Cow::Borrowed(raw), Vec::new()));
        }
        self.check_ratio(entry, entry.uncompressed_size)?;
        match self.inflate(entry, raw) {
            Ok(out) => {
                let mut anomalies = Vec::new();
                if (out.len() as u64) < entry.uncompressed_size {
                    anomalies.push(Anomaly::new(
                        codes::SIZE_MISMATCH,
                        format!(
                            "inflated to {} bytes, declared uncompressed size is {}",
                            out.len(),
                            entry.uncompressed_size
                        ),
                        entry.location(),
                    ));
                }
                Ok((Cow::Owned(out), anomalies))
            }
            Err(e @ Error::Limit { .. }) => Err(e),
            Err(e) => {
                if entry.method != crate::METHOD_DEFLATED
                    && entry.compressed_size == entry.uncompressed_size
                {
                    Ok((Cow::Borrowed(raw), Vec::new()))
                } else {
                    Err(e)
                }
            }
        }
    }

    fn out_of_range(&self, entry: &Entry) -> Error {
        Error::DataOutOfRange {
            index: entry.index,
            name: entry.name.clone(),
            offset: entry.data_offset,
            size: entry.compressed_size,
            cd_offset: self.cd_offset,
        }
    }

    /// Reject an output of `size` bytes whose ratio to the compressed size is over the cap.
    fn check_ratio(&self, entry: &Entry, size: u64) -> Result<(), Error> {
        if size <= RATIO_FREE_SIZE {
            return Ok(());
        }
        let cap = self.limits.max_compression_ratio;
        let allowed = entry.compressed_size.saturating_mul(cap);
        if size > allowed {
            return Err(Error::Limit {
                what: "zip compression ratio",
                value: size / entry.compressed_size.max(1),
                limit: cap,
                context: context(entry),
            });
        }
        Ok(())
    }

    /// Inflate raw deflate `input`, growing the output incrementally and stopping as soon as
    /// it passes the declared size or a limit.
    fn inflate(&self, entry: &Entry, input: &[u8]) -> Result<Vec<u8>, Error> {
        let declared = entry.uncompressed_size;
        // One byte more than declared, so an over-long stream is detected.
        let hard_cap = declared.saturating_add(1);
        let initial = hard_cap
            .min((input.len() as u64).saturating_mul(4).max(4096))
            .min(MAX_INITIAL_CAPACITY);
        let mut out: Vec<u8> = Vec::with_capacity(usize::try_from(initial).unwrap_or(0));
        let mut inflater = Decompress::new(false);
        // Input bytes already handed to the release hook (large entries only).
        let release = self
            .release
            .filter(|_| input.len() >= crate::RELEASE_MIN)
            .map(|r| r.0);
        let base = usize::try_from(entry.data_offset).unwrap_or(usize::MAX);
        let mut released = 0usize;
        let inflate_err = |reason: String| Error::Inflate {
            index: entry.index,
            name: entry.name.clone(),
            offset: entry.data_offset,
            reason,
        };
        loop {
            self.check_time(entry)?;
            if out.len() == out.capacity() {
                let len = out.len() as u64;
                let grow = len.max(64 << 10).min(hard_cap.saturating_sub(len));
                if grow == 0 {
                    break;
                }
                out.reserve_exact(usize::try_from(grow).unwrap_or(0));
            }
            let in_before = inflater.total_in();
            let out_before = out.len();
            let mut rest = usize::try_from(in_before)
                .ok()
                .and_then(|i| input.get(i..))
                .unwrap_or(&[]);
            if release.is_some() {
                // At most one step of input per call, so each step is released soon after
                // it is read, however large the output buffer.
                rest = rest.get(..crate::RELEASE_STEP).unwrap_or(rest);
            }
            let status = inflater
                .decompress_vec(rest, &mut out, FlushDecompress::None)
                .map_err(|e| inflate_err(e.to_string()))?;
            let produced = (out.len() - out_before) as u64;
            if let Some(f) = release {
                let consumed = usize::try_from(inflater.total_in()).unwrap_or(0);
                if consumed.saturating_sub(released) >= crate::RELEASE_STEP {
                    f(base.saturating_add(released), consumed - released);
                    released = consumed;
                }
            }
            if produced > 0 {
                let total = self
                    .inflated_total
                    .fetch_add(produced, Ordering::Relaxed)
                    .saturating_add(produced);
                if total > self.limits.max_total_inflated {
                    return Err(Error::Limit {
                        what: "total inflated bytes",
                        value: total,
                        limit: self.limits.max_total_inflated,
                        context: context(entry),
                    });
                }
            }
            let len = out.len() as u64;
            if len > declared {
                return Err(Error::TooLong {
                    index: entry.index,
                    name: entry.name.clone(),
                    declared,
                });
            }
            // No ratio check here: `len <= declared`, and `declared` passed `check_ratio`.
            match status {
                Status::StreamEnd => {
                    if let Some(f) = release.filter(|_| input.len() > released) {
                        f(base.saturating_add(released), input.len() - released);
                    }
                    return Ok(out);
                }
                Status::Ok | Status::BufError => {
                    let progressed = produced > 0 || inflater.total_in() != in_before;
                    if !progressed && out.len() < out.capacity() {
                        return Err(inflate_err(format!(
                            "deflate stream truncated after {} of {} compressed bytes",
                            inflater.total_in(),
                            input.len()
                        )));
                    }
                }
            }
        }
        Err(inflate_err("deflate stream did not end".to_string()))
    }
}

impl Archive<'_> {
    /// The time limit's error once the scan's deadline ([`appvet_model::Limits::deadline`]) has passed.
    fn check_time(&self, entry: &Entry) -> Result<(), Error> {
        match self.limits.time_over() {
            Some((value, limit)) => Err(Error::Limit {
                what: appvet_model::TIME_LIMIT,
                value,
                limit,
                context: context(entry),
            }),
            None => Ok(()),
        }
    }
}

fn context(entry: &Entry) -> String {
    format!("entry #{} {:?}", entry.index, entry.name)
}
