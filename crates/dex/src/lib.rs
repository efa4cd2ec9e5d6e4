#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]
//! A fast, zero-copy, never-panicking reader of DEX (Dalvik executable) id tables.
//!
//! [`Dex::parse`] checks the header in O(1): magic and version (`035`..=`041`), header size,
//! endian tag, and that every id table (offset, count × item size) lies inside the input, which
//! caps every table count by the input size. Items are then read on demand, each read checked:
//! strings (MUTF-8, borrowed when ASCII), type descriptors, protos, field and method ids, class
//! definitions. [`Dex::invoked_methods`] does a bounded linear scan of a class's code for
//! `invoke-*` instructions; nothing else of the bytecode is interpreted.
//!
//! Work on hostile input is bounded: names and type descriptors are capped at
//! [`MAX_IDENT_UTF16`] UTF-16 units, proto descriptors at [`MAX_PROTO_LEN`] bytes,
//! [`Dex::strings`] stops when string data items overlap (it never reads more string bytes than
//! the file holds), and one [`Dex::scan_invokes`] call scans at most as many code units as the
//! file holds.
//!
//! All offsets are relative to the start of the input slice. For version 041 containers, pass
//! the whole container (the header fields `container_size` and `header_offset` are exposed).
//!
//! [`Dex`] borrows the input and is `Send + Sync`, so the DEX files of one APK can be parsed in
//! parallel.

mod code;
mod error;
mod mutf8;

use std::borrow::Cow;

use appvet_model::Limits;

pub use code::instruction_width;
pub use error::Error;

/// "No index" marker used by `class_def_item.superclass_idx` and `source_file_idx`.
pub const NO_INDEX: u32 = 0xffff_ffff;
/// Size of the fixed DEX header (versions up to 040).
pub const HEADER_SIZE: usize = 0x70;
/// Longest type descriptor, member name or shorty accepted, in UTF-16 units (the class-file
/// constant pool limit; real names are far shorter).
pub const MAX_IDENT_UTF16: u32 = 65_535;
/// Most parameters accepted in a prototype's type list.
pub const MAX_PROTO_PARAMS: u32 = 65_535;
/// Longest proto descriptor built by [`Dex::proto_descriptor`], in bytes.
pub const MAX_PROTO_LEN: usize = 1 << 20;

const ENDIAN_CONSTANT: u32 = 0x1234_5678;

const STRING_ID_SIZE: u32 = 4;
const TYPE_ID_SIZE: u32 = 4;
const PROTO_ID_SIZE: u32 = 12;
const FIELD_ID_SIZE: u32 = 8;
const METHOD_ID_SIZE: u32 = 8;
const CLASS_DEF_SIZE: u32 = 32;

/// The DEX header (`header_item`), all fields as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Adler-32 of everything after this field (see [`Dex::verify_checksum`]).
    pub checksum: u32,
    /// SHA-1 of everything after this field.
    pub signature: [u8; 20],
    pub file_size: u32,
    pub header_size: u32,
    pub endian_tag: u32,
    pub link_size: u32,
    pub link_off: u32,
    pub map_off: u32,
    pub string_ids_size: u32,
    pub string_ids_off: u32,
    pub type_ids_size: u32,
    pub type_ids_off: u32,
    pub proto_ids_size: u32,
    pub proto_ids_off: u32,
    pub field_ids_size: u32,
    pub field_ids_off: u32,
    pub method_ids_size: u32,
    pub method_ids_off: u32,
    pub class_defs_size: u32,
    pub class_defs_off: u32,
    pub data_size: u32,
    pub data_off: u32,
    /// Version 041 only (header of at least 0x78 bytes): size of the whole container.
    pub container_size: Option<u32>,
    /// Version 041 only: offset of this header in the container.
    pub header_offset: Option<u32>,
}

/// A resolved method: (class descriptor, name, proto descriptor), e.g.
/// `("Landroid/telephony/TelephonyManager;", "getDeviceId", "()Ljava/lang/String;")`.
pub type MethodRef<'a> = (Cow<'a, str>, Cow<'a, str>, String);

/// A resolved field: (class descriptor, name, type descriptor).
pub type FieldRef<'a> = (Cow<'a, str>, Cow<'a, str>, Cow<'a, str>);

/// A `class_def_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClassDef {
    /// Position in the `class_defs` table.
    pub index: u32,
    /// The class's type (`type_ids` index).
    pub class_idx: u32,
    pub access_flags: u32,
    /// Superclass type, `None` for `java.lang.Object` (stored as [`NO_INDEX`]).
    pub superclass_idx: Option<u32>,
    /// Offset of the implemented interfaces' `type_list`, 0 if none.
    pub interfaces_off: u32,
    /// Source file name (`string_ids` index), if recorded.
    pub source_file_idx: Option<u32>,
    pub annotations_off: u32,
    /// Offset of the `class_data_item`, 0 if the class has no fields or methods.
    pub class_data_off: u32,
    pub static_values_off: u32,
}

/// A `method_id_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MethodId {
    pub index: u32,
    /// Defining class (`type_ids` index; stored as u16).
    pub class_idx: u32,
    /// Prototype (`proto_ids` index; stored as u16).
    pub proto_idx: u32,
    /// Name (`string_ids` index).
    pub name_idx: u32,
}

/// A `field_id_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldId {
    pub index: u32,
    /// Defining class (`type_ids` index; stored as u16).
    pub class_idx: u32,
    /// Field type (`type_ids` index; stored as u16).
    pub type_idx: u32,
    /// Name (`string_ids` index).
    pub name_idx: u32,
}

/// A `proto_id_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProtoId {
    pub index: u32,
    /// Short-form descriptor (`string_ids` index).
    pub shorty_idx: u32,
    /// Return type (`type_ids` index).
    pub return_type_idx: u32,
    /// Offset of the parameters' `type_list`, 0 if none.
    pub parameters_off: u32,
}

/// Result of scanning one class's code for invoke instructions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvokeScan {
    /// `method_ids` indices invoked by the class's methods, sorted and deduplicated.
    pub invoked: Vec<u32>,
    /// Methods with code that were scanned completely.
    pub methods_scanned: u32,
    /// Methods skipped because their code (or the class data listing them) is malformed.
    pub methods_skipped: u32,
    /// The first problem met, if any.
    pub first_error: Option<Error>,
}

/// A parsed DEX file borrowing its bytes.
#[derive(Debug, Clone)]
pub struct Dex<'a> {
    data: &'a [u8],
    header: Header,
    version: &'a str,
    string_ids: &'a [u8],
    type_ids: &'a [u8],
    proto_ids: &'a [u8],
    field_ids: &'a [u8],
    method_ids: &'a [u8],
    class_defs: &'a [u8],
}

// ------------------------------------------------------------------ byte helpers

#[inline]
fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    let s = b.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes(s.try_into().ok()?))
}

#[inline]
fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    let s = b.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes(s.try_into().ok()?))
}

/// Read a uleb128 (at most 5 bytes, 32-bit value) at `*pos`, advancing it.
#[inline]
fn uleb128(b: &[u8], pos: &mut usize) -> Option<u32> {
    let mut value: u32 = 0;
    for i in 0..5u32 {
        let byte = *b.get(*pos)?;
        *pos = pos.checked_add(1)?;
        value |= u32::from(byte & 0x7f).checked_shl(7 * i).unwrap_or(0);
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// The `idx`-th `size`-byte item of `table`.
#[inline]
fn item(table: &[u8], idx: u32, size: u32) -> Option<&[u8]> {
    let size = size as usize;
    let start = (idx as usize).checked_mul(size)?;
    table.get(start..start.checked_add(size)?)
}

/// Adler-32 (RFC 1950) of `bytes`.
pub fn adler32(bytes: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    // Largest n such that 255·n·(n+1)/2 + (n+1)·(MOD−1) fits in u32.
    const NMAX: usize = 5_552;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in bytes.chunks(NMAX) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// Convert a type descriptor to a dotted Java class name.
///
/// `"Lcom/a/B$C;"` → `Some("com.a.B$C")`; arrays give their element class (`"[[Lcom/a/B;"` →
/// `Some("com.a.B")`); primitives, `"V"` and malformed descriptors give `None`.
pub fn descriptor_to_dotted(desc: &str) -> Option<String> {
    let body = desc
        .trim_start_matches('[')
        .strip_prefix('L')?
        .strip_suffix(';')?;
    if body.is_empty()
        || body.contains(';')
        || body.starts_with('/')
        || body.ends_with('/')
        || body.contains("//")
    {
        return None;
    }
    Some(body.replace('/', "."))
}

// ------------------------------------------------------------------ parsing

fn table<'a>(
    data: &'a [u8],
    name: &'static str,
    count: u32,
    offset: u32,
    item_size: u32,
    limits: &Limits,
) -> Result<&'a [u8], Error> {
    if count > limits.max_table_items {
        return Err(Error::TooManyItems {
            table: name,
            count,
            limit: limits.max_table_items,
        });
    }
    if count == 0 {
        return Ok(&[]);
    }
    let out = || Error::TableOutOfBounds {
        table: name,
        offset,
        count,
        item_size,
        len: data.len(),
    };
    let start = offset as usize;
    let len = (count as usize)
        .checked_mul(item_size as usize)
        .ok_or_else(out)?;
    let end = start.checked_add(len).ok_or_else(out)?;
    data.get(start..end).ok_or_else(out)
}

impl<'a> Dex<'a> {
    /// Parse the header of a DEX file with default [`Limits`].
    pub fn parse(data: &'a [u8]) -> Result<Dex<'a>, Error> {
        Self::parse_with_limits(data, &Limits::default())
    }

    /// Parse the header, capping each table's count at `limits.max_table_items`.
    pub fn parse_with_limits(data: &'a [u8], limits: &Limits) -> Result<Dex<'a>, Error> {
        let hdr = data
            .get(..HEADER_SIZE)
            .ok_or(Error::TooShort { len: data.len() })?;
        let magic: [u8; 8] = hdr
            .get(..8)
            .and_then(|m| m.try_into().ok())
            .ok_or(Error::TooShort { len: data.len() })?;
        let digits = magic.get(4..7).unwrap_or_default();
        if magic.get(..4) != Some(b"dex\n".as_slice())
            || magic.get(7) != Some(&0)
            || !digits.iter().all(u8::is_ascii_digit)
        {
            return Err(Error::BadMagic { magic });
        }
        let version = std::str::from_utf8(data.get(4..7).unwrap_or_default())
            .map_err(|_| Error::BadMagic { magic })?;
        let version_num: u32 = version.parse().map_err(|_| Error::BadMagic { magic })?;
        if !(35..=41).contains(&version_num) {
            return Err(Error::UnsupportedVersion {
                version: version.to_owned(),
            });
        }
        let r = |off: usize| u32_at(hdr, off).unwrap_or(0);
        let endian_tag = r(0x28);
        if endian_tag != ENDIAN_CONSTANT {
            return Err(Error::BadEndianTag { tag: endian_tag });
        }
        let header_size = r(0x24);
        if (header_size as usize) < HEADER_SIZE || header_size as usize > data.len() {
            return Err(Error::BadHeaderSize {
                size: header_size,
                len: data.len(),
            });
        }
        let (container_size, header_offset) = if version_num >= 41 && header_size >= 0x78 {
            (u32_at(data, 0x70), u32_at(data, 0x74))
        } else {
            (None, None)
        };
        let mut signature = [0u8; 20];
        if let Some(sig) = hdr.get(12..32) {
            signature.copy_from_slice(sig);
        }
        let header = Header {
            checksum: r(0x08),
            signature,
            file_size: r(0x20),
            header_size,
            endian_tag,
            link_size: r(0x2c),
            link_off: r(0x30),
            map_off: r(0x34),
            string_ids_size: r(0x38),
            string_ids_off: r(0x3c),
            type_ids_size: r(0x40),
            type_ids_off: r(0x44),
            proto_ids_size: r(0x48),
            proto_ids_off: r(0x4c),
            field_ids_size: r(0x50),
            field_ids_off: r(0x54),
            method_ids_size: r(0x58),
            method_ids_off: r(0x5c),
            class_defs_size: r(0x60),
            class_defs_off: r(0x64),
            data_size: r(0x68),
            data_off: r(0x6c),
            container_size,
            header_offset,
        };
        let h = &header;
        Ok(Dex {
            data,
            version,
            string_ids: table(
                data,
                "string_ids",
                h.string_ids_size,
                h.string_ids_off,
                STRING_ID_SIZE,
                limits,
            )?,
            type_ids: table(
                data,
                "type_ids",
                h.type_ids_size,
                h.type_ids_off,
                TYPE_ID_SIZE,
                limits,
            )?,
            proto_ids: table(
                data,
                "proto_ids",
                h.proto_ids_size,
                h.proto_ids_off,
                PROTO_ID_SIZE,
                limits,
            )?,
            field_ids: table(
                data,
                "field_ids",
                h.field_ids_size,
                h.field_ids_off,
                FIELD_ID_SIZE,
                limits,
            )?,
            method_ids: table(
                data,
                "method_ids",
                h.method_ids_size,
                h.method_ids_off,
                METHOD_ID_SIZE,
                limits,
            )?,
            class_defs: table(
                data,
                "class_defs",
                h.class_defs_size,
                h.class_defs_off,
                CLASS_DEF_SIZE,
                limits,
            )?,
            header,
        })
    }

    /// The three version digits of the magic, e.g. `"035"`.
    pub fn version(&self) -> &str {
        self.version
    }

    /// The header as stored.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The input bytes.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Adler-32 over the bytes the header checksum covers: from offset 12 to `file_size`
    /// (which is the whole input for an ordinary file). `None` when `file_size` is smaller than
    /// 12 or larger than the input.
    pub fn computed_checksum(&self) -> Option<u32> {
        let end = self.header.file_size as usize;
        self.data.get(12..end).map(adler32)
    }

    /// Whether the header checksum matches [`Dex::computed_checksum`].
    pub fn verify_checksum(&self) -> bool {
        self.computed_checksum() == Some(self.header.checksum)
    }

    // -------------------------------------------------------------- counts

    pub fn string_count(&self) -> u32 {
        self.header.string_ids_size
    }
    pub fn type_count(&self) -> u32 {
        self.header.type_ids_size
    }
    pub fn proto_count(&self) -> u32 {
        self.header.proto_ids_size
    }
    pub fn field_count(&self) -> u32 {
        self.header.field_ids_size
    }
    pub fn method_count(&self) -> u32 {
        self.header.method_ids_size
    }
    pub fn class_def_count(&self) -> u32 {
        self.header.class_defs_size
    }

    fn check(
        &self,
        table: &'static str,
        index: u32,
        count: u32,
        field: &'static str,
    ) -> Result<u32, Error> {
        if index < count {
            Ok(index)
        } else {
            Err(Error::IndexOutOfRange {
                table,
                index,
                count,
                field,
            })
        }
    }

    // -------------------------------------------------------------- strings

    /// Locate string `idx`'s MUTF-8 bytes (without the NUL). Returns the result and how many
    /// bytes were scanned (for the iteration budget).
    fn string_bytes(
        &self,
        idx: u32,
        max_utf16: u32,
        field: &'static str,
    ) -> (Result<&'a [u8], Error>, u64) {
        let Some(off) = item(self.string_ids, idx, STRING_ID_SIZE).and_then(|s| u32_at(s, 0))
        else {
            return (
                Err(Error::IndexOutOfRange {
                    table: "string_ids",
                    index: idx,
                    count: self.string_count(),
                    field,
                }),
                0,
            );
        };
        let mut pos = off as usize;
        if pos >= self.data.len() {
            return (
                Err(Error::OffsetOutOfBounds {
                    what: "string_data_item",
                    offset: u64::from(off),
                    len: self.data.len(),
                }),
                0,
            );
        }
        let Some(utf16_len) = uleb128(self.data, &mut pos) else {
            return (
                Err(Error::BadLeb128 {
                    what: "string_data_item.utf16_size",
                    offset: u64::from(off),
                }),
                0,
            );
        };
        if utf16_len > max_utf16 {
            return (
                Err(Error::TooLong {
                    what: "string used as a name or descriptor",
                    offset: u64::from(off),
                    len: u64::from(utf16_len),
                    limit: u64::from(max_utf16),
                }),
                0,
            );
        }
        // Each UTF-16 unit takes at most 3 MUTF-8 bytes, so the NUL must come within
        // 3 × utf16_size bytes: this bounds the scan even when the NUL is missing.
        let window = (u64::from(utf16_len) * 3 + 1).min((self.data.len() - pos) as u64) as usize;
        let rest = self
            .data
            .get(pos..pos.saturating_add(window))
            .unwrap_or_default();
        match memchr::memchr(0, rest) {
            Some(nul) => (Ok(rest.get(..nul).unwrap_or_default()), nul as u64 + 1),
            None => (
                Err(Error::BadString {
                    index: idx,
                    offset: u64::from(off),
                    reason: "no NUL terminator within 3 × utf16_size bytes",
                }),
                rest.len() as u64,
            ),
        }
    }

    fn string_limited(
        &self,
        idx: u32,
        max_utf16: u32,
        field: &'static str,
    ) -> Result<Cow<'a, str>, Error> {
        self.string_bytes(idx, max_utf16, field)
            .0
            .map(mutf8::decode)
    }

    /// String `idx`, decoded from MUTF-8: borrowed when pure ASCII, else decoded (surrogate
    /// pairs joined; invalid sequences become U+FFFD).
    pub fn string(&self, idx: u32) -> Result<Cow<'a, str>, Error> {
        self.string_limited(idx, u32::MAX, "argument")
    }

    /// All strings in table order with their indices. ASCII strings are borrowed (no
    /// allocation). If string data items overlap so that more bytes would be read than the
    /// file holds, the remaining items are [`Error::StringBudgetExhausted`].
    pub fn strings(&self) -> Strings<'_, 'a> {
        Strings {
            dex: self,
            next: 0,
            budget: self.data.len() as u64,
        }
    }

    // -------------------------------------------------------------- types

    /// The `string_ids` index of type `idx`'s descriptor.
    pub fn type_descriptor_idx(&self, idx: u32) -> Result<u32, Error> {
        item(self.type_ids, idx, TYPE_ID_SIZE)
            .and_then(|s| u32_at(s, 0))
            .ok_or(Error::IndexOutOfRange {
                table: "type_ids",
                index: idx,
                count: self.type_count(),
                field: "argument",
            })
    }

    fn type_descriptor_from(&self, idx: u32, field: &'static str) -> Result<Cow<'a, str>, Error> {
        let s = item(self.type_ids, idx, TYPE_ID_SIZE)
            .and_then(|s| u32_at(s, 0))
            .ok_or(Error::IndexOutOfRange {
                table: "type_ids",
                index: idx,
                count: self.type_count(),
                field,
            })?;
        self.string_limited(s, MAX_IDENT_UTF16, "type_id.descriptor_idx")
    }

    /// Descriptor of type `idx`, e.g. `"Lcom/a/B;"`, `"[I"`.
    pub fn type_descriptor(&self, idx: u32) -> Result<Cow<'a, str>, Error> {
        self.type_descriptor_from(idx, "argument")
    }

    /// Read a `type_list` at `off` (0 means empty): the list of `type_ids` indices.
    fn type_list(&self, off: u32, what: &'static str) -> Result<&'a [u8], Error> {
        if off == 0 {
            return Ok(&[]);
        }
        let start = off as usize;
        let out = || Error::OffsetOutOfBounds {
            what,
            offset: u64::from(off),
            len: self.data.len(),
        };
        let size = u32_at(self.data, start).ok_or_else(out)?;
        if size > MAX_PROTO_PARAMS {
            return Err(Error::TooLong {
                what,
                offset: u64::from(off),
                len: u64::from(size),
                limit: u64::from(MAX_PROTO_PARAMS),
            });
        }
        let begin = start.checked_add(4).ok_or_else(out)?;
        let end = begin.checked_add(size as usize * 2).ok_or_else(out)?;
        self.data.get(begin..end).ok_or_else(out)
    }

    /// The interfaces a class implements (`type_ids` indices).
    pub fn interfaces(&self, class: &ClassDef) -> Result<Vec<u32>, Error> {
        let list = self.type_list(class.interfaces_off, "class_def.interfaces type_list")?;
        Ok(list
            .chunks_exact(2)
            .map(|c| u32::from(u16_at(c, 0).unwrap_or(0)))
            .collect())
    }

    // -------------------------------------------------------------- protos

    /// Proto id `idx`.
    pub fn proto_id(&self, idx: u32) -> Result<ProtoId, Error> {
        let s = item(self.proto_ids, idx, PROTO_ID_SIZE).ok_or(Error::IndexOutOfRange {
            table: "proto_ids",
            index: idx,
            count: self.proto_count(),
            field: "argument",
        })?;
        Ok(ProtoId {
            index: idx,
            shorty_idx: u32_at(s, 0).unwrap_or(0),
            return_type_idx: u32_at(s, 4).unwrap_or(0),
            parameters_off: u32_at(s, 8).unwrap_or(0),
        })
    }

    /// Descriptor of proto `proto_idx`, e.g. `"(Ljava/lang/String;I)V"`.
    pub fn proto_descriptor(&self, proto_idx: u32) -> Result<String, Error> {
        let p = self.proto_id(proto_idx)?;
        let params = self.type_list(p.parameters_off, "proto_id.parameters type_list")?;
        let mut out = String::with_capacity(16 + params.len() * 8);
        out.push('(');
        for c in params.chunks_exact(2) {
            let t = u32::from(u16_at(c, 0).unwrap_or(0));
            out.push_str(&self.type_descriptor_from(t, "proto parameter type_list")?);
            if out.len() > MAX_PROTO_LEN {
                return Err(Error::TooLong {
                    what: "proto descriptor",
                    offset: u64::from(p.parameters_off),
                    len: out.len() as u64,
                    limit: MAX_PROTO_LEN as u64,
                });
            }
        }
        out.push(')');
        out.push_str(&self.type_descriptor_from(p.return_type_idx, "proto_id.return_type_idx")?);
        Ok(out)
    }

    // -------------------------------------------------------------- fields & methods

    /// Method id `idx`, its indices checked against their tables.
    pub fn method_id(&self, idx: u32) -> Result<MethodId, Error> {
        let s = item(self.method_ids, idx, METHOD_ID_SIZE).ok_or(Error::IndexOutOfRange {
            table: "method_ids",
            index: idx,
            count: self.method_count(),
            field: "argument",
        })?;
        let class_idx = u32::from(u16_at(s, 0).unwrap_or(0));
        let proto_idx = u32::from(u16_at(s, 2).unwrap_or(0));
        let name_idx = u32_at(s, 4).unwrap_or(0);
        Ok(MethodId {
            index: idx,
            class_idx: self.check(
                "type_ids",
                class_idx,
                self.type_count(),
                "method_id.class_idx",
            )?,
            proto_idx: self.check(
                "proto_ids",
                proto_idx,
                self.proto_count(),
                "method_id.proto_idx",
            )?,
            name_idx: self.check(
                "string_ids",
                name_idx,
                self.string_count(),
                "method_id.name_idx",
            )?,
        })
    }

    /// All method ids in table order.
    pub fn method_ids(&self) -> impl Iterator<Item = Result<MethodId, Error>> + '_ {
        (0..self.method_count()).map(move |i| self.method_id(i))
    }

    /// Method `idx` resolved: (class descriptor, name, proto descriptor).
    pub fn method(&self, idx: u32) -> Result<MethodRef<'a>, Error> {
        let m = self.method_id(idx)?;
        Ok((
            self.type_descriptor_from(m.class_idx, "method_id.class_idx")?,
            self.string_limited(m.name_idx, MAX_IDENT_UTF16, "method_id.name_idx")?,
            self.proto_descriptor(m.proto_idx)?,
        ))
    }

    /// Field id `idx`, its indices checked against their tables.
    pub fn field_id(&self, idx: u32) -> Result<FieldId, Error> {
        let s = item(self.field_ids, idx, FIELD_ID_SIZE).ok_or(Error::IndexOutOfRange {
            table: "field_ids",
            index: idx,
            count: self.field_count(),
            field: "argument",
        })?;
        let class_idx = u32::from(u16_at(s, 0).unwrap_or(0));
        let type_idx = u32::from(u16_at(s, 2).unwrap_or(0));
        let name_idx = u32_at(s, 4).unwrap_or(0);
        Ok(FieldId {
            index: idx,
            class_idx: self.check(
                "type_ids",
                class_idx,
                self.type_count(),
                "field_id.class_idx",
            )?,
            type_idx: self.check("type_ids", type_idx, self.type_count(), "field_id.type_idx")?,
            name_idx: self.check(
                "string_ids",
                name_idx,
                self.string_count(),
                "field_id.name_idx",
            )?,
        })
    }

    /// All field ids in table order.
    pub fn field_ids(&self) -> impl Iterator<Item = Result<FieldId, Error>> + '_ {
        (0..self.field_count()).map(move |i| self.field_id(i))
    }

    /// Field `idx` resolved: (class descriptor, name, type descriptor).
    pub fn field(&self, idx: u32) -> Result<FieldRef<'a>, Error> {
        let f = self.field_id(idx)?;
        Ok((
            self.type_descriptor_from(f.class_idx, "field_id.class_idx")?,
            self.string_limited(f.name_idx, MAX_IDENT_UTF16, "field_id.name_idx")?,
            self.type_descriptor_from(f.type_idx, "field_id.type_idx")?,
        ))
    }

    // -------------------------------------------------------------- classes

    /// Class def `idx`, its type and string indices checked against their tables.
    pub fn class_def(&self, idx: u32) -> Result<ClassDef, Error> {
        let s = item(self.class_defs, idx, CLASS_DEF_SIZE).ok_or(Error::IndexOutOfRange {
            table: "class_defs",
            index: idx,
            count: self.class_def_count(),
            field: "argument",
        })?;
        let r = |off: usize| u32_at(s, off).unwrap_or(0);
        let opt = |v: u32, table, count, field| -> Result<Option<u32>, Error> {
            if v == NO_INDEX {
                Ok(None)
            } else {
                self.check(table, v, count, field).map(Some)
            }
        };
        Ok(ClassDef {
            index: idx,
            class_idx: self.check("type_ids", r(0), self.type_count(), "class_def.class_idx")?,
            access_flags: r(4),
            superclass_idx: opt(
                r(8),
                "type_ids",
                self.type_count(),
                "class_def.superclass_idx",
            )?,
            interfaces_off: r(12),
            source_file_idx: opt(
                r(16),
                "string_ids",
                self.string_count(),
                "class_def.source_file_idx",
            )?,
            annotations_off: r(20),
            class_data_off: r(24),
            static_values_off: r(28),
        })
    }

    /// All class defs in table order.
    pub fn class_defs(&self) -> impl Iterator<Item = Result<ClassDef, Error>> + '_ {
        (0..self.class_def_count()).map(move |i| self.class_def(i))
    }

    /// Descriptor of a class def's type, e.g. `"Lcom/a/B;"`.
    pub fn class_descriptor(&self, class: &ClassDef) -> Result<Cow<'a, str>, Error> {
        self.type_descriptor_from(class.class_idx, "class_def.class_idx")
    }

    // -------------------------------------------------------------- code

    /// The method ids invoked by the code of `class`'s methods (`invoke-virtual`, `-super`,
    /// `-direct`, `-static`, `-interface`, their `/range` forms and `invoke-polymorphic`;
    /// `invoke-custom` names a call site and is skipped), sorted and deduplicated. Methods whose
    /// code is malformed are skipped; see [`Dex::scan_invokes`] for the counts.
    pub fn invoked_methods(&self, class: &ClassDef) -> Result<Vec<u32>, Error> {
        self.scan_invokes(class).map(|s| s.invoked)
    }

    /// Like [`Dex::invoked_methods`], also reporting how many methods were scanned and skipped.
    ///
    /// Walks the `class_data_item` (direct then virtual methods, indices as uleb128 diffs), and
    /// for each method with code scans its `insns` linearly, stepping by each instruction's
    /// width (payload pseudo-instructions included). A method is skipped when its code item or
    /// an instruction lies outside the file or `insns_size`, or an invoke names a method index
    /// out of range. Errs only when the class data header itself is unreadable. Scans at most as
    /// many code units as the file holds per call.
    pub fn scan_invokes(&self, class: &ClassDef) -> Result<InvokeScan, Error> {
        self.scan_invokes_with(class, Vec::new())
    }

    /// [`Dex::scan_invokes`], filling `buf` (cleared first) as `invoked`: pass the previous
    /// class's `invoked` back in and a scan of a whole DEX allocates once, not per class.
    pub fn scan_invokes_with(
        &self,
        class: &ClassDef,
        mut buf: Vec<u32>,
    ) -> Result<InvokeScan, Error> {
        buf.clear();
        let mut scan = InvokeScan {
            invoked: buf,
            ..InvokeScan::default()
        };
        if class.class_data_off == 0 {
            return Ok(scan);
        }
        let base = u64::from(class.class_data_off);
        let mut pos = class.class_data_off as usize;
        if pos >= self.data.len() {
            return Err(Error::OffsetOutOfBounds {
                what: "class_data_item",
                offset: base,
                len: self.data.len(),
            });
        }
        let read = |pos: &mut usize, what: &'static str| {
            let at = *pos as u64;
            uleb128(self.data, pos).ok_or(Error::BadLeb128 { what, offset: at })
        };
        let static_fields = read(&mut pos, "class_data_item.static_fields_size")?;
        let instance_fields = read(&mut pos, "class_data_item.instance_fields_size")?;
        let direct = read(&mut pos, "class_data_item.direct_methods_size")?;
        let virt = read(&mut pos, "class_data_item.virtual_methods_size")?;

        let mut budget = (self.data.len() / 2) as u64;
        'lists: {
            // Each encoded_field is two uleb128s of at least one byte each, so this loop ends
            // at the end of the file at the latest.
            for _ in 0..u64::from(static_fields) + u64::from(instance_fields) {
                if let Err(e) = read(&mut pos, "encoded_field.field_idx_diff")
                    .and_then(|_| read(&mut pos, "encoded_field.access_flags"))
                {
                    scan.methods_skipped = scan
                        .methods_skipped
                        .saturating_add(direct)
                        .saturating_add(virt);
                    scan.first_error.get_or_insert(e);
                    break 'lists;
                }
            }
            for (list_len, remaining_after) in [(direct, virt), (virt, 0)] {
                let mut method_idx: u32 = 0;
                for i in 0..list_len {
                    let entry = read(&mut pos, "encoded_method.method_idx_diff").and_then(|diff| {
                        let _flags = read(&mut pos, "encoded_method.access_flags")?;
                        let code_off = read(&mut pos, "encoded_method.code_off")?;
                        Ok((diff, code_off))
                    });
                    let (diff, code_off) = match entry {
                        Ok(v) => v,
                        Err(e) => {
                            scan.methods_skipped = scan
                                .methods_skipped
                                .saturating_add(list_len - i)
                                .saturating_add(remaining_after);
                            scan.first_error.get_or_insert(e);
                            break 'lists;
                        }
                    };
                    let Some(idx) = method_idx.checked_add(diff) else {
                        scan.methods_skipped = scan.methods_skipped.saturating_add(1);
                        scan.first_error.get_or_insert(Error::IndexOutOfRange {
                            table: "method_ids",
                            index: NO_INDEX,
                            count: self.method_count(),
                            field: "encoded_method.method_idx_diff (overflow)",
                        });
                        continue;
                    };
                    method_idx = idx;
                    if code_off == 0 {
                        continue;
                    }
                    match self.scan_code(idx, code_off, &mut scan.invoked, &mut budget) {
                        Ok(()) => scan.methods_scanned = scan.methods_scanned.saturating_add(1),
                        Err(e) => {
                            scan.methods_skipped = scan.methods_skipped.saturating_add(1);
                            scan.first_error.get_or_insert(e);
                        }
                    }
                }
            }
        }
        scan.invoked.sort_unstable();
        scan.invoked.dedup();
        Ok(scan)
    }

    /// Scan one `code_item`'s instructions, appending invoked method ids to `out`. On error,
    /// `out` is left as it was.
    fn scan_code(
        &self,
        method_idx: u32,
        code_off: u32,
        out: &mut Vec<u32>,
        budget: &mut u64,
    ) -> Result<(), Error> {
        let offset = u64::from(code_off);
        let bad = |reason| Error::BadCode {
            method_idx,
            offset,
            reason,
        };
        let start = code_off as usize;
        let insns_size = start
            .checked_add(12)
            .and_then(|p| u32_at(self.data, p))
            .ok_or(bad("code_item header lies outside the file"))?;
        let n = u64::from(insns_size);
        let insns_start = start
            .checked_add(16)
            .ok_or(bad("code_item header lies outside the file"))?;
        let insns = insns_start
            .checked_add(insns_size as usize * 2)
            .and_then(|end| self.data.get(insns_start..end))
            .ok_or(bad("insns run past the end of the file"))?;
        if n > *budget {
            *budget = 0;
            return Err(bad("scan budget exhausted (code items overlap)"));
        }
        *budget -= n;

        let unit_at = |i: u64| -> Option<u16> {
            let i = usize::try_from(i).ok()?;
            u16_at(insns, i.checked_mul(2)?)
        };
        let mark = out.len();
        let mut pc: u64 = 0;
        while pc < n {
            let Some(unit) = unit_at(pc) else {
                out.truncate(mark);
                return Err(bad("instruction outside insns"));
            };
            let Some(width) = code::instruction_width(unit, |k| unit_at(pc + k)) else {
                out.truncate(mark);
                return Err(bad("payload header runs past insns_size"));
            };
            if pc + width > n {
                out.truncate(mark);
                return Err(bad("instruction runs past insns_size"));
            }
            if code::is_method_invoke((unit & 0xff) as u8) {
                let target = unit_at(pc + 1).map(u32::from).unwrap_or(NO_INDEX);
                if target >= self.method_count() {
                    out.truncate(mark);
                    return Err(bad("invoke names a method index out of range"));
                }
                out.push(target);
            }
            pc += width;
        }
        Ok(())
    }
}

/// Iterator over `(index, string)`; see [`Dex::strings`].
#[derive(Debug, Clone)]
pub struct Strings<'d, 'a> {
    dex: &'d Dex<'a>,
    next: u32,
    budget: u64,
}

impl<'a> Iterator for Strings<'_, 'a> {
    type Item = (u32, Result<Cow<'a, str>, Error>);

    fn next(&mut self) -> Option<Self::Item> {
        let idx = self.next;
        if idx >= self.dex.string_count() {
            return None;
        }
        self.next = idx + 1;
        if self.budget == 0 {
            return Some((idx, Err(Error::StringBudgetExhausted { index: idx })));
        }
        let (res, scanned) = self.dex.string_bytes(idx, u32::MAX, "strings()");
        if scanned > self.budget {
            self.budget = 0;
            return Some((idx, Err(Error::StringBudgetExhausted { index: idx })));
        }
        self.budget -= scanned;
        Some((idx, res.map(mutf8::decode)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.dex.string_count().saturating_sub(self.next) as usize;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Strings<'_, '_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dex_is_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Dex<'static>>();
        assert_send_sync::<Error>();
    }

    #[test]
    fn dotted_names() {
        assert_eq!(
            descriptor_to_dotted("Lcom/a/B$C;").as_deref(),
            Some("com.a.B$C")
        );
        assert_eq!(
            descriptor_to_dotted("[[Lcom/a/B;").as_deref(),
            Some("com.a.B")
        );
        assert_eq!(descriptor_to_dotted("LFoo;").as_deref(), Some("Foo"));
        for bad in [
            "I", "V", "[I", "", "L;", "Lcom/a/B", "com/a/B;", "Lcom//B;", "L/a;", "La/;", "La;b;",
            "[",
        ] {
            assert_eq!(descriptor_to_dotted(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn adler32_known_values() {
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        // long input crosses the NMAX chunking
        let big = vec![0xffu8; 100_000];
        let (mut a, mut b) = (1u64, 0u64);
        for &x in &big {
            a = (a + u64::from(x)) % 65_521;
            b = (b + a) % 65_521;
        }
        assert_eq!(adler32(&big), ((b << 16) | a) as u32);
    }

    #[test]
    fn uleb128_forms() {
        let mut p = 0;
        assert_eq!(uleb128(&[0x00], &mut p), Some(0));
        let mut p = 0;
        assert_eq!(uleb128(&[0x7f], &mut p), Some(127));
        let mut p = 0;
        assert_eq!(uleb128(&[0x80, 0x7f], &mut p), Some(16256));
        assert_eq!(p, 2);
        let mut p = 0;
        assert_eq!(
            uleb128(&[0xff, 0xff, 0xff, 0xff, 0x0f], &mut p),
            Some(u32::MAX)
        );
        let mut p = 0;
        assert_eq!(uleb128(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00], &mut p), None);
        let mut p = 0;
        assert_eq!(uleb128(&[0x80], &mut p), None);
    }
}
