//! Errors: each says which table, index or file offset is bad.

/// What went wrong reading a DEX file, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is shorter than a DEX header.
    #[error("input of {len} bytes is too short for a DEX header (0x70 bytes)")]
    TooShort { len: usize },

    /// The first 4 bytes are not `dex\n`, or the version is not NUL-terminated digits.
    #[error("bad DEX magic {magic:02x?} (expected \"dex\\n0NN\\0\")")]
    BadMagic { magic: [u8; 8] },

    /// A well-formed magic with a version this reader does not know (035..=041 are accepted).
    #[error("unsupported DEX version {version:?}")]
    UnsupportedVersion { version: String },

    /// `header_size` is smaller than the fixed header or larger than the file.
    #[error("bad header_size {size:#x} at offset 0x24 (file is {len} bytes)")]
    BadHeaderSize { size: u32, len: usize },

    /// `endian_tag` is not 0x12345678 (byte-swapped files are not supported).
    #[error("unsupported endian_tag {tag:#010x} at offset 0x28")]
    BadEndianTag { tag: u32 },

    /// A header table (offset, count × item size) does not lie inside the file.
    #[error(
        "{table} table at offset {offset:#x} with {count} items of {item_size} bytes lies outside the {len}-byte file"
    )]
    TableOutOfBounds {
        table: &'static str,
        offset: u32,
        count: u32,
        item_size: u32,
        len: usize,
    },

    /// A header table has more items than [`appvet_model::Limits::max_table_items`].
    #[error(
        "{table} table has {count} items, above the limit of {limit} \
         (DEX table items; raise it with --max-table-items)"
    )]
    TooManyItems {
        table: &'static str,
        count: u32,
        limit: u32,
    },

    /// An index into a table is out of range.
    #[error("{table} index {index} out of range ({count} items), read from {field}")]
    IndexOutOfRange {
        table: &'static str,
        index: u32,
        count: u32,
        /// Where the index came from, e.g. `method_id.class_idx` or `argument`.
        field: &'static str,
    },

    /// A data item (string data, type list, class data, code item) lies outside the file.
    #[error("{what} at offset {offset:#x} lies outside the {len}-byte file")]
    OffsetOutOfBounds {
        what: &'static str,
        offset: u64,
        len: usize,
    },

    /// A uleb128 value runs past the end of the file or over 5 bytes.
    #[error("bad uleb128 in {what} at offset {offset:#x}")]
    BadLeb128 { what: &'static str, offset: u64 },

    /// A string's data is unterminated or otherwise unreadable.
    #[error("string {index} (data at offset {offset:#x}): {reason}")]
    BadString {
        index: u32,
        offset: u64,
        reason: &'static str,
    },

    /// An item is longer than this reader accepts (bounds work on hostile input).
    #[error("{what} at offset {offset:#x} is too long ({len} > {limit})")]
    TooLong {
        what: &'static str,
        offset: u64,
        len: u64,
        limit: u64,
    },

    /// String iteration read more string bytes than the file holds, which only happens when
    /// string data items overlap (a hostile file); the remaining strings are not decoded.
    #[error(
        "string {index}: string data items overlap (more bytes read than the file holds); iteration stopped"
    )]
    StringBudgetExhausted { index: u32 },

    /// A code item is malformed (the method's instructions are not scanned).
    #[error("code item of method {method_idx} at offset {offset:#x}: {reason}")]
    BadCode {
        method_idx: u32,
        offset: u64,
        reason: &'static str,
    },
}
