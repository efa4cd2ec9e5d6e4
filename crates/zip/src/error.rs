/// Why an archive (or one of its entries) cannot be read.
///
/// Archive-level variants come from [`crate::Archive::parse`]; entry-level ones from
/// [`crate::Archive::read`]. Every message says what is wrong and where (a byte offset or an
/// entry index and name).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No usable End Of Central Directory record in the last 65,557 bytes.
    #[error("no end of central directory record found in the last {searched} bytes of a {len}-byte file")]
    NoEocd { searched: u64, len: u64 },
    /// The EOCD (or ZIP64 EOCD) points at a central directory outside the file.
    #[error(
        "central directory at offset {cd_offset} of size {cd_size} does not fit before the end \
         of central directory record at offset {limit}"
    )]
    CentralDirectoryOutOfRange {
        cd_offset: u64,
        cd_size: u64,
        limit: u64,
    },
    /// The central directory offset does not hold a central directory record.
    #[error("no central directory record at offset {offset} (signature 0x{found:08x})")]
    BadCentralDirectory { offset: u64, found: u32 },
    /// A ZIP64 structure needed to locate the central directory is malformed.
    #[error("bad ZIP64 end of central directory at offset {offset}: {reason}")]
    Zip64 { offset: u64, reason: &'static str },
    /// The entry's local header is missing, malformed or out of range, so its data cannot be
    /// located.
    #[error("entry #{index} {name:?}: local header at offset {offset}: {reason}")]
    BadLocalHeader {
        index: u32,
        name: String,
        offset: u64,
        reason: &'static str,
    },
    /// The entry's data does not end before the central directory (Android refuses it too).
    #[error(
        "entry #{index} {name:?}: data at offset {offset} of size {size} runs past the central \
         directory at offset {cd_offset}"
    )]
    DataOutOfRange {
        index: u32,
        name: String,
        offset: u64,
        size: u64,
        cd_offset: u64,
    },
    /// The deflate stream is corrupt or truncated.
    #[error("entry #{index} {name:?}: cannot inflate data at offset {offset}: {reason}")]
    Inflate {
        index: u32,
        name: String,
        offset: u64,
        reason: String,
    },
    /// The entry inflates to more bytes than its declared uncompressed size.
    #[error("entry #{index} {name:?}: inflates to more than the declared {declared} bytes")]
    TooLong {
        index: u32,
        name: String,
        declared: u64,
    },
    /// A [`appvet_model::Limits`] value was exceeded.
    #[error(
        "limit exceeded: {what} ({value} > {limit}) at {context}{}",
        appvet_model::flag_hint(what)
    )]
    Limit {
        what: &'static str,
        value: u64,
        limit: u64,
        context: String,
    },
}

impl From<Error> for appvet_model::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::Limit {
                what, value, limit, ..
            } => appvet_model::Error::Limit { what, value, limit },
            other => appvet_model::Error::Archive(other.to_string()),
        }
    }
}
