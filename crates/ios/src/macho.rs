//! Mach-O files (thin or fat) → one [`CodeUnit`] per architecture slice, URL strings, and the
//! code signature of each slice.
//!
//! The header, load commands, segments, sections and the symbol table are read with `object`'s
//! low-level Mach-O API (see the crate docs for why not goblin). A bad load command after good
//! ones, a section or symbol table outside the slice or a symbol name outside the string table
//! is an `ios.macho-recovered` anomaly and the rest is still read; only an unreadable header or
//! load-command area makes the slice `ios.macho-unreadable`. The fat header (fat and fat64),
//! Objective-C metadata, C-string sections and the code signature are read here with checked
//! offsets. `min_os_version` is `LC_BUILD_VERSION` minos, else `LC_VERSION_MIN_*` version.
//!
//! Objective-C classes: every pointer of `__objc_classlist` is followed to its `class_t`, then to
//! `class_ro_t` and its name. On-disk pointers may be plain addresses (old rebase opcodes) or
//! chained-fixup encodings; the low 64/43/36/32 bits are tried, each as an address and as an
//! offset from the image base, and the first that lands in file-backed segment data wins (binds,
//! which point outside the image, are dropped). Exported `_OBJC_CLASS_$_Name` symbols are added
//! for classes the list did not yield (an encrypted `__objc_classname`, say).
//!
//! Swift: the module of each mangled symbol (`_$s<len><Module>…`, `_$S`, `__T0`) is recorded as
//! `swift-module:<Module>`, in `classes_defined` when the binary defines symbols of that module and
//! in `types_referenced` when it only imports them.

use crate::codesign;
use crate::dyld;
use crate::plist_read;
use appvet_model::{
    urls::find_urls, Anomaly, Certificate, CodeFormat, CodeUnit, Hardening, Limits, LinkedLibrary,
    Location, Named, UrlString,
};
use object::macho as mo;
use object::read::macho::{LoadCommandVariant, MachHeader, Nlist, Section as _, Segment};
use object::{Endianness, ReadRef, StringTable};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};

const FAT_MAGIC: u32 = 0xcafe_babe;
const FAT_MAGIC_64: u32 = 0xcafe_babf;
const MH_MAGIC: u32 = 0xfeed_face;
const MH_MAGIC_64: u32 = 0xfeed_facf;
const MH_PIE: u32 = 0x0020_0000;
const MH_DYLIB: u32 = 6;
const MH_BUNDLE: u32 = 8;
const S_CSTRING_LITERALS: u32 = 0x2;
const SECTION_TYPE: u32 = 0xff;
/// Most slices read from one fat file.
const MAX_SLICES: u32 = 16;
/// Most bytes of one string kept.
const MAX_STR: usize = 4096;

/// Does `bytes` start like a Mach-O file (thin little-endian or fat)?
pub fn is_macho(bytes: &[u8]) -> bool {
    matches!(le32(bytes, 0), Some(MH_MAGIC | MH_MAGIC_64))
        || matches!(be32(bytes, 0), Some(FAT_MAGIC | FAT_MAGIC_64))
}

/// The code signature of one slice, with everything it borrowed made owned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignatureFacts {
    pub identifier: Option<String>,
    pub team_id: Option<String>,
    pub flags: Option<u32>,
    /// (slot, magic, offset in the signature, size).
    pub blobs: Vec<(u32, u32, u32, u32)>,
    /// Offset of the signature inside the entry.
    pub offset: u64,
    /// Entitlements (key, value as JSON text) and `get-task-allow`.
    pub entitlements: Vec<(String, String)>,
    pub get_task_allow: Option<bool>,
    /// Associated domains (`applinks:host`).
    pub associated_domains: Vec<String>,
    pub certificates: Vec<Certificate>,
    pub signing_time: Option<String>,
}

/// One architecture slice.
#[derive(Debug, Clone, Default)]
pub struct Slice {
    pub arch: String,
    pub unit: CodeUnit,
    /// The code signature's facts (only when asked for: app, extension, watch-app executables).
    pub signature: Option<SignatureFacts>,
    /// CodeDirectory identifier and team id of the slice's code signature (every slice).
    pub signing_identifier: Option<String>,
    pub team_id: Option<String>,
}

/// What one Mach-O file yields.
#[derive(Debug, Clone, Default)]
pub struct MachOFile {
    pub slices: Vec<Slice>,
    pub urls: Vec<UrlString>,
    pub anomalies: Vec<Anomaly>,
    /// List name → items not kept.
    pub truncated: Vec<(&'static str, u64)>,
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(s.try_into().ok()?))
}

fn le64(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(s.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes(s.try_into().ok()?))
}

fn be64(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    Some(u64::from_be_bytes(s.try_into().ok()?))
}

/// NUL-terminated string at `at` (at most [`MAX_STR`] bytes, UTF-8 lossy).
fn cstr_at(b: &[u8], at: usize) -> Option<String> {
    let rest = b.get(at..)?;
    let end = rest.iter().take(MAX_STR).position(|&c| c == 0)?;
    Some(String::from_utf8_lossy(rest.get(..end)?).into_owned())
}

/// Architecture name of a CPU type and subtype, as `lipo` prints it.
pub fn arch_name(cputype: u32, cpusubtype: u32) -> String {
    let sub = cpusubtype & 0x00ff_ffff;
    match (cputype, sub) {
        (0x0100_000c, 2) => "arm64e".into(),
        (0x0100_000c, _) => "arm64".into(),
        (0x0200_000c, _) => "arm64_32".into(),
        (12, 6) => "armv6".into(),
        (12, 9) => "armv7".into(),
        (12, 11) => "armv7s".into(),
        (12, 12) => "armv7k".into(),
        (12, _) => "arm".into(),
        (0x0100_0007, _) => "x86_64".into(),
        (7, _) => "i386".into(),
        _ => format!("cpu-0x{cputype:x}-0x{sub:x}"),
    }
}

/// (architecture, offset in the file, bytes) of one slice.
type SliceRef<'a> = (String, u64, &'a [u8]);

/// The slices of a file: (arch, offset, bytes). A thin file is one slice at offset 0.
fn slices<'a>(
    bytes: &'a [u8],
    entry: &str,
    anomalies: &mut Vec<Anomaly>,
) -> Result<Vec<SliceRef<'a>>, String> {
    let magic = be32(bytes, 0).ok_or("shorter than 4 bytes")?;
    if magic != FAT_MAGIC && magic != FAT_MAGIC_64 {
        let cputype = le32(bytes, 4).ok_or("truncated Mach-O header")?;
        let sub = le32(bytes, 8).ok_or("truncated Mach-O header")?;
        return Ok(vec![(arch_name(cputype, sub), 0, bytes)]);
    }
    let n = be32(bytes, 4).ok_or("truncated fat header")?;
    let wide = magic == FAT_MAGIC_64;
    let rec = if wide { 32 } else { 20 };
    if n > MAX_SLICES {
        anomalies.push(Anomaly::new(
            "ios.macho-bad-slice",
            format!("fat header lists {n} architectures; only the first {MAX_SLICES} are read"),
            Location::entry(entry).with_offset(4),
        ));
    }
    let mut out = Vec::new();
    for i in 0..n.min(MAX_SLICES) as usize {
        let at = 8 + i * rec;
        let (cpu, sub) = match (be32(bytes, at), be32(bytes, at + 4)) {
            (Some(c), Some(s)) => (c, s),
            _ => {
                anomalies.push(Anomaly::new(
                    "ios.macho-bad-slice",
                    format!("fat architecture record {i} runs past the end of the file"),
                    Location::entry(entry).with_offset(at as u64),
                ));
                break;
            }
        };
        let (off, size) = if wide {
            (be64(bytes, at + 8), be64(bytes, at + 16))
        } else {
            (
                be32(bytes, at + 8).map(u64::from),
                be32(bytes, at + 12).map(u64::from),
            )
        };
        let arch = arch_name(cpu, sub);
        let data = off.zip(size).and_then(|(o, s)| {
            let o = usize::try_from(o).ok()?;
            bytes.get(o..o.checked_add(usize::try_from(s).ok()?)?)
        });
        match data {
            Some(d) => out.push((arch, off.unwrap_or(0), d)),
            None => anomalies.push(Anomaly::new(
                "ios.macho-bad-slice",
                format!(
                    "fat slice {i} ({arch}) at offset {} size {} lies outside the {}-byte file",
                    off.unwrap_or(0),
                    size.unwrap_or(0),
                    bytes.len()
                ),
                Location::entry(entry).with_offset(at as u64),
            )),
        }
    }
    overlaps(&out, 8 + n.min(MAX_SLICES) as usize * rec, entry, anomalies);
    Ok(out)
}

/// `ios.macho-overlapping-slices` for fat slices that share bytes with one another or with the
/// fat header (`header` bytes long): lipo never writes them, a crafted file does (one slice
/// shown to one reader, another to the next). The slices are still read.
fn overlaps(slices: &[SliceRef<'_>], header: usize, entry: &str, anomalies: &mut Vec<Anomaly>) {
    let mut ranges: Vec<(u64, u64, &str)> = slices
        .iter()
        .map(|(arch, off, d)| (*off, off.saturating_add(d.len() as u64), arch.as_ref()))
        .collect();
    ranges.sort_unstable();
    for (i, &(start, end, arch)) in ranges.iter().enumerate() {
        if start < header as u64 && end > start {
            anomalies.push(Anomaly::new(
                "ios.macho-overlapping-slices",
                format!("fat slice {arch} at offset {start} overlaps the fat header"),
                Location::entry(entry).with_offset(start),
            ));
        }
        if let Some(&(next, _, other)) = ranges.get(i + 1) {
            if next < end {
                anomalies.push(Anomaly::new(
                    "ios.macho-overlapping-slices",
                    format!(
                        "fat slices {arch} (offset {start}, {} bytes) and {other} (offset {next}) overlap",
                        end - start
                    ),
                    Location::entry(entry).with_offset(next),
                ));
            }
        }
    }
}

/// Parse a Mach-O file (`entry` is its path in the package, `bundle` its bundle path).
pub fn parse_file(
    bytes: &[u8],
    entry: &str,
    bundle: &str,
    want_signature: bool,
    limits: &Limits,
) -> MachOFile {
    let mut out = MachOFile::default();
    let list = match slices(bytes, entry, &mut out.anomalies) {
        Ok(l) => l,
        Err(e) => {
            out.anomalies.push(Anomaly::new(
                "ios.macho-unreadable",
                format!("not a readable Mach-O file: {e}"),
                Location::entry(entry),
            ));
            return out;
        }
    };
    let mut seen_urls: HashSet<String> = HashSet::new();
    for (arch, base, data) in list {
        let result = parse_slice(
            data,
            base,
            &arch,
            entry,
            bundle,
            want_signature,
            limits,
            &mut out,
            &mut seen_urls,
        );
        match result {
            Ok(slice) => out.slices.push(slice),
            Err(e) => out.anomalies.push(Anomaly::new(
                "ios.macho-unreadable",
                format!("{arch} slice could not be parsed: {e}"),
                Location::entry(entry)
                    .with_offset(base)
                    .with_path(arch.clone()),
            )),
        }
    }
    out
}

/// A segment's address range and file range.
struct Seg {
    name: String,
    vmaddr: u64,
    vmsize: u64,
    fileoff: u64,
    filesize: u64,
}

/// What the rest of the parse needs to know about a slice.
struct Image<'a> {
    data: &'a [u8],
    is_64: bool,
    segs: Vec<Seg>,
    base: u64,
    /// Encrypted file range (cryptid != 0).
    encrypted: Option<(u64, u64)>,
}

impl Image<'_> {
    fn readable(&self, off: u64, len: u64) -> bool {
        match self.encrypted {
            Some((start, size)) => {
                off.saturating_add(len) <= start || off >= start.saturating_add(size)
            }
            None => true,
        }
    }

    /// File offset of a virtual address in file-backed segment data.
    fn file_offset(&self, addr: u64) -> Option<u64> {
        self.segs.iter().find_map(|s| {
            let rel = addr.checked_sub(s.vmaddr)?;
            (rel < s.filesize.min(s.vmsize) && s.filesize > 0)
                .then(|| s.fileoff.checked_add(rel))
                .flatten()
        })
    }

    /// Decode an on-disk pointer (see the module docs) to a file offset.
    fn pointer_target(&self, raw: u64) -> Option<u64> {
        if raw == 0 {
            return None;
        }
        let candidates = if self.is_64 {
            vec![
                raw,
                raw & 0x7ff_ffff_ffff,
                raw & 0xf_ffff_ffff,
                raw & 0xffff_ffff,
            ]
        } else {
            vec![raw & 0xffff_ffff, raw & 0x03ff_ffff]
        };
        candidates.into_iter().find_map(|c| {
            self.file_offset(c)
                .or_else(|| self.file_offset(self.base.checked_add(c)?))
        })
    }

    fn read_ptr(&self, off: u64) -> Option<u64> {
        let at = usize::try_from(off).ok()?;
        if self.is_64 {
            le64(self.data, at)
        } else {
            le32(self.data, at).map(u64::from)
        }
    }

    /// A readable C string at a file offset.
    fn string_at(&self, off: u64) -> Option<String> {
        let s = cstr_at(self.data, usize::try_from(off).ok()?)?;
        self.readable(off, s.len() as u64 + 1).then_some(s)
    }
}

/// Class names of `__objc_classlist`.
fn objc_classes(img: &Image<'_>, list: &[u8], list_off: u64, limits: &Limits) -> Vec<String> {
    let ptr = if img.is_64 { 8 } else { 4 };
    let (data_field, name_field) = if img.is_64 { (32, 24) } else { (16, 16) };
    let mask: u64 = if img.is_64 {
        0x0000_7fff_ffff_fff8
    } else {
        0xffff_fffc
    };
    let mut out = Vec::new();
    for i in 0..list.len() / ptr {
        if out.len() >= limits.max_macho_items as usize {
            break;
        }
        let name = (|| {
            let class = img.pointer_target(img.read_ptr(list_off + (i * ptr) as u64)?)?;
            let ro_raw = img.read_ptr(class.checked_add(data_field)?)?;
            let ro = img
                .pointer_target(ro_raw & mask)
                .or_else(|| img.pointer_target(ro_raw))?;
            let name = img.pointer_target(img.read_ptr(ro.checked_add(name_field)?)?)?;
            img.string_at(name)
        })();
        if let Some(n) = name.filter(|n| is_symbol_name(n)) {
            out.push(n);
        }
    }
    out
}

fn is_symbol_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 1024 && s.bytes().all(|b| b.is_ascii_graphic())
}

/// C strings of a section: (offset in section, string).
fn cstrings(data: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        while pos < data.len() {
            let start = pos;
            let rest = data.get(start..)?;
            let len = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
            pos = start + len + 1;
            if len > 0 {
                return Some((start, rest.get(..len)?));
            }
        }
        None
    })
}

/// Module of a mangled Swift symbol.
pub fn swift_module(sym: &str) -> Option<&str> {
    let rest = ["_$s", "_$S", "$s", "$S", "__T0", "_T0"]
        .iter()
        .find_map(|p| sym.strip_prefix(p))?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || rest.starts_with('0') {
        return None;
    }
    let len: usize = rest.get(..digits)?.parse().ok()?;
    let name = rest.get(digits..digits.checked_add(len)?)?;
    (name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && name != "__C").then_some(name)
}

/// A section header and its bytes (None when they lie outside the slice; empty for zero-fill).
struct Sect<'a> {
    name: String,
    offset: u32,
    flags: u32,
    data: Option<&'a [u8]>,
}

/// What the load commands (and the symbol table they point at) of one slice say.
#[derive(Default)]
struct Commands<'a> {
    is_64: bool,
    flags: u32,
    filetype: u32,
    /// (kind, install name); None when the name lies outside the command.
    dylibs: Vec<(&'static str, Option<String>, u64)>,
    /// Segments and their sections (None: the section headers overrun the command).
    segments: Vec<(Seg, Option<Vec<Sect<'a>>>)>,
    /// Symbol table entries: (name, n_type, undefined, stab).
    symbols: Vec<(&'a [u8], u8, bool, bool)>,
    /// (cryptoff, cryptsize, cryptid).
    encrypted: Option<(u64, u64, u32)>,
    /// (dataoff, datasize).
    code_signature: Option<(u32, u32)>,
    /// (what, offset, size) of dyld tables: "bind", "lazy", "exports", "chained".
    dyld_tables: Vec<(&'static str, u32, u32)>,
    /// `LC_BUILD_VERSION` minos, and the first `LC_VERSION_MIN_*` version.
    build_minos: Option<u32>,
    version_min: Option<u32>,
    /// What was wrong and skipped (each becomes an `ios.macho-recovered` anomaly).
    problems: Vec<String>,
}

/// `xxxx.yy.zz` nibble-packed version as `x.y` or `x.y.z`.
fn version_text(v: u32) -> String {
    let (major, minor, patch) = (v >> 16, (v >> 8) & 0xff, v & 0xff);
    if patch == 0 {
        format!("{major}.{minor}")
    } else {
        format!("{major}.{minor}.{patch}")
    }
}

/// Read the header, load commands and symbol table of a thin slice with `object`'s
/// bounds-checked Mach-O reader. Only a bad header or load-command area fails; a bad command
/// after good ones, a table outside the slice or a symbol name outside the string table is a
/// problem and the rest is still read.
fn read_commands<H: MachHeader<Endian = Endianness>>(
    data: &[u8],
    max_symbols: usize,
) -> Result<Commands<'_>, String> {
    let header = H::parse(data, 0).map_err(|e| format!("Mach-O header: {e}"))?;
    let e = header.endian().map_err(|e| e.to_string())?;
    let mut cmds = header
        .load_commands(e, data, 0)
        .map_err(|err| format!("{err} (sizeofcmds {})", header.sizeofcmds(e)))?;
    let mut out = Commands {
        is_64: header.is_type_64(),
        flags: header.flags(e),
        filetype: header.filetype(e),
        ..Commands::default()
    };
    let mut offset = std::mem::size_of::<H>() as u64;
    let mut symtab = None;
    for i in 0..header.ncmds(e) {
        let lc = match cmds.next() {
            Ok(Some(lc)) => lc,
            Ok(None) => break,
            Err(err) => {
                out.problems.push(format!(
                    "load command {i} at offset {offset}: {err}; the rest are not read"
                ));
                break;
            }
        };
        let at = offset;
        offset = offset.saturating_add(u64::from(lc.cmdsize()));
        let variant = match lc.variant() {
            Ok(v) => v,
            Err(err) => {
                out.problems.push(format!(
                    "load command 0x{:x} at offset {at}: {err}",
                    lc.cmd()
                ));
                continue;
            }
        };
        match variant {
            LoadCommandVariant::Dylib(d) => {
                let kind = match lc.cmd() {
                    mo::LC_LOAD_WEAK_DYLIB => "weak",
                    mo::LC_REEXPORT_DYLIB => "reexport",
                    mo::LC_LAZY_LOAD_DYLIB => "lazy",
                    mo::LC_LOAD_UPWARD_DYLIB => "upward",
                    _ => "load",
                };
                let name_at = d.dylib.name.offset.get(e) as usize;
                let name = match lc.string(e, d.dylib.name) {
                    Ok(n) => Some(n),
                    // Unterminated name: up to the end of the command.
                    Err(_) => lc.raw_data().get(name_at..),
                }
                .filter(|_| name_at >= std::mem::size_of::<mo::DylibCommand<Endianness>>())
                .map(|n| String::from_utf8_lossy(n.get(..MAX_STR).unwrap_or(n)).into_owned());
                out.dylibs.push((kind, name, at));
            }
            LoadCommandVariant::Segment32(seg, sdata) => {
                out.segments.push(segment(seg, sdata, e, data));
            }
            LoadCommandVariant::Segment64(seg, sdata) => {
                out.segments.push(segment(seg, sdata, e, data));
            }
            LoadCommandVariant::Symtab(st) => {
                symtab = Some((
                    st.symoff.get(e),
                    st.nsyms.get(e),
                    st.stroff.get(e),
                    st.strsize.get(e),
                ));
            }
            LoadCommandVariant::EncryptionInfo32(c) => {
                out.encrypted = Some((
                    u64::from(c.cryptoff.get(e)),
                    u64::from(c.cryptsize.get(e)),
                    c.cryptid.get(e),
                ));
            }
            LoadCommandVariant::EncryptionInfo64(c) => {
                out.encrypted = Some((
                    u64::from(c.cryptoff.get(e)),
                    u64::from(c.cryptsize.get(e)),
                    c.cryptid.get(e),
                ));
            }
            LoadCommandVariant::LinkeditData(c) => {
                let range = (c.dataoff.get(e), c.datasize.get(e));
                match lc.cmd() {
                    mo::LC_CODE_SIGNATURE => out.code_signature = Some(range),
                    mo::LC_DYLD_EXPORTS_TRIE => out.dyld_tables.push(("exports", range.0, range.1)),
                    mo::LC_DYLD_CHAINED_FIXUPS => {
                        out.dyld_tables.push(("chained", range.0, range.1));
                    }
                    _ => {}
                }
            }
            LoadCommandVariant::DyldInfo(c) => {
                out.dyld_tables
                    .push(("bind", c.bind_off.get(e), c.bind_size.get(e)));
                out.dyld_tables
                    .push(("lazy", c.lazy_bind_off.get(e), c.lazy_bind_size.get(e)));
                out.dyld_tables
                    .push(("exports", c.export_off.get(e), c.export_size.get(e)));
            }
            LoadCommandVariant::BuildVersion(c) => {
                out.build_minos.get_or_insert(c.minos.get(e));
            }
            LoadCommandVariant::VersionMin(c) => {
                out.version_min.get_or_insert(c.version.get(e));
            }
            _ => {}
        }
    }
    if let Some((symoff, nsyms, stroff, strsize)) = symtab {
        read_symbols::<H>(
            data,
            e,
            (symoff, nsyms, stroff, strsize),
            max_symbols,
            &mut out,
        );
    }
    Ok(out)
}

/// A segment command and its section headers.
fn segment<'a, S: Segment<Endian = Endianness>>(
    seg: &S,
    sdata: &'a [u8],
    e: Endianness,
    data: &'a [u8],
) -> (Seg, Option<Vec<Sect<'a>>>) {
    let info = Seg {
        name: String::from_utf8_lossy(seg.name()).into_owned(),
        vmaddr: seg.vmaddr(e).into(),
        vmsize: seg.vmsize(e).into(),
        fileoff: seg.fileoff(e).into(),
        filesize: seg.filesize(e).into(),
    };
    let sections = seg.sections(e, sdata).ok().map(|list| {
        list.iter()
            .map(|s| Sect {
                name: String::from_utf8_lossy(s.name()).into_owned(),
                offset: s.offset(e),
                flags: s.flags(e),
                data: s.data(e, data).ok(),
            })
            .collect()
    });
    (info, sections)
}

/// The `LC_SYMTAB` entries that fit in the slice (at most `max + 1`, so that the caller can tell
/// there were more).
fn read_symbols<'a, H: MachHeader<Endian = Endianness>>(
    data: &'a [u8],
    e: Endianness,
    (symoff, nsyms, stroff, strsize): (u32, u32, u32, u32),
    max: usize,
    out: &mut Commands<'a>,
) {
    let width = std::mem::size_of::<H::Nlist>();
    let fit = data.len().saturating_sub(symoff as usize) / width.max(1);
    let n = (nsyms as usize).min(fit);
    if n < nsyms as usize {
        out.problems.push(format!(
            "the symbol table ({nsyms} entries at offset {symoff}) runs past the end of the \
             slice; {n} are read"
        ));
    }
    let Ok(list) = data.read_slice_at::<H::Nlist>(u64::from(symoff), n.min(max.saturating_add(1)))
    else {
        return;
    };
    let strings = StringTable::new(
        data,
        u64::from(stroff),
        u64::from(stroff) + u64::from(strsize),
    );
    let mut bad = 0u64;
    for nl in list {
        match nl.name(e, strings) {
            Ok(name) => out
                .symbols
                .push((name, nl.n_type(), nl.is_undefined(), nl.is_stab())),
            Err(_) => bad += 1,
        }
    }
    if bad > 0 {
        out.problems.push(format!(
            "{bad} symbols name a string outside the string table (offset {stroff}, size \
             {strsize}); they are not read"
        ));
    }
}

#[allow(clippy::too_many_arguments)]
fn parse_slice(
    data: &[u8],
    base_off: u64,
    arch: &str,
    entry: &str,
    bundle: &str,
    want_signature: bool,
    limits: &Limits,
    out: &mut MachOFile,
    seen_urls: &mut HashSet<String>,
) -> Result<Slice, String> {
    let loc = || Location::entry(entry).with_offset(base_off).with_path(arch);
    let max_items = limits.max_macho_items as usize;
    let magic = le32(data, 0).ok_or("shorter than 4 bytes")?;
    let cmds = match magic {
        MH_MAGIC_64 => read_commands::<mo::MachHeader64<Endianness>>(data, max_items),
        MH_MAGIC => read_commands::<mo::MachHeader32<Endianness>>(data, max_items),
        m => Err(format!(
            "not a little-endian Mach-O header (magic 0x{m:08x})"
        )),
    }?;
    for p in &cmds.problems {
        out.anomalies.push(Anomaly::new(
            "ios.macho-recovered",
            format!("malformed Mach-O read leniently: {p}"),
            loc(),
        ));
    }
    let mut unit = CodeUnit {
        format: CodeFormat::Macho,
        location: loc(),
        version: arch.to_string(),
        bundle: Some(bundle.to_string()),
        min_os_version: cmds.build_minos.or(cmds.version_min).map(version_text),
        ..CodeUnit::default()
    };
    for (kind, name, at) in &cmds.dylibs {
        match name {
            Some(path) => unit.linked_libraries.push(LinkedLibrary {
                path: path.clone(),
                kind: (*kind).to_string(),
            }),
            None => out.anomalies.push(Anomaly::new(
                "ios.macho-recovered",
                format!("dylib load command at offset {at} has its name outside the command"),
                loc(),
            )),
        }
    }
    let encrypted = cmds.encrypted;
    let code_signature = cmds.code_signature;
    let crypt_on = encrypted.filter(|e| e.2 != 0);
    unit.encrypted = encrypted.map(|e| e.2 != 0);
    if let Some((off, size, id)) = crypt_on {
        out.anomalies.push(Anomaly::new(
            "ios.encrypted-binary",
            format!(
                "FairPlay-encrypted (cryptid {id}): bytes {off}..{} (__TEXT: code, C strings, \
                 selector and class names) are unreadable, so URLs, selectors and Objective-C \
                 class-list names were not read; load commands, symbols and __DATA were",
                off.saturating_add(size)
            ),
            loc(),
        ));
    }

    let (segs, seg_sections): (Vec<Seg>, Vec<_>) = cmds.segments.into_iter().unzip();
    let segs_names: Vec<String> = segs.iter().map(|s| s.name.clone()).collect();
    let base = segs
        .iter()
        .find(|s| s.name == "__TEXT")
        .map_or(0, |s| s.vmaddr);
    let img = Image {
        data,
        is_64: cmds.is_64,
        segs,
        base,
        encrypted: crypt_on.map(|(o, s, _)| (o, s)),
    };

    // Symbols: the symbol table, then dyld's import and export tables. Names stay borrowed
    // from the binary until the lists are cut to size.
    let mut imported: BTreeSet<Cow<'_, str>> = BTreeSet::new();
    let mut exported: BTreeSet<Cow<'_, str>> = BTreeSet::new();
    let mut defined_modules = BTreeSet::new();
    for (i, &(name, n_type, undefined, stab)) in cmds.symbols.iter().enumerate() {
        if i >= max_items {
            out.anomalies.push(Anomaly::new(
                "ios.macho-recovered",
                format!(
                    "more than {max_items} symbols; the rest are not read \
                     (Mach-O table items{})",
                    appvet_model::flag_hint("Mach-O table items")
                ),
                loc(),
            ));
            break;
        }
        if stab || name.is_empty() {
            continue;
        }
        let name = String::from_utf8_lossy(name.get(..MAX_STR).unwrap_or(name));
        let external = n_type & 0x01 != 0;
        let private_ext = n_type & 0x10 != 0;
        if undefined {
            imported.insert(name);
        } else {
            if let Some(m) = swift_module(&name) {
                defined_modules.insert(m.to_string());
            }
            if external && !private_ext {
                exported.insert(name);
            }
        }
    }
    for (what, off, size) in cmds.dyld_tables {
        if size == 0 {
            continue;
        }
        let Some(table) = data.get(off as usize..(off as usize).saturating_add(size as usize))
        else {
            out.anomalies.push(Anomaly::new(
                "ios.macho-recovered",
                format!("dyld {what} table {off}+{size} lies outside the slice"),
                loc(),
            ));
            continue;
        };
        let result = match what {
            "bind" | "lazy" => dyld::bind_symbols(table, max_items).map(|n| (n, true)),
            "chained" => dyld::chained_imports(table, max_items).map(|n| (n, true)),
            _ => {
                let (names, problem) = dyld::export_trie(table, max_items);
                if let Some(p) = problem {
                    out.anomalies
                        .push(Anomaly::new("ios.macho-recovered", p, loc()));
                }
                Ok((names, false))
            }
        };
        match result {
            Ok((names, true)) => imported.extend(names.into_iter().map(Cow::Owned)),
            Ok((names, false)) => {
                for n in names {
                    if let Some(m) = swift_module(&n) {
                        defined_modules.insert(m.to_string());
                    }
                    exported.insert(Cow::Owned(n));
                }
            }
            Err(p) => out.anomalies.push(Anomaly::new(
                "ios.macho-recovered",
                format!("dyld {what} table: {p}"),
                loc(),
            )),
        }
    }
    let defined_objc: Vec<String> = exported
        .iter()
        .filter_map(|n| n.strip_prefix("_OBJC_CLASS_$_"))
        .map(str::to_string)
        .collect();
    let referenced_objc: BTreeSet<String> = imported
        .iter()
        .filter_map(|n| n.strip_prefix("_OBJC_CLASS_$_"))
        .map(str::to_string)
        .collect();
    let imported_modules: BTreeSet<String> = imported
        .iter()
        .filter_map(|n| swift_module(n))
        .map(str::to_string)
        .collect();

    // Sections: class list, selectors, C strings.
    let mut classes = Vec::new();
    let mut selectors = Vec::new();
    let mut urls = Vec::new();
    let mut string_count = 0u32;
    let mut dropped_urls = 0u64;
    for (seg, sections) in segs_names.iter().zip(seg_sections) {
        let Some(sections) = sections else {
            out.anomalies.push(Anomaly::new(
                "ios.macho-recovered",
                format!("section headers of segment {seg} run past its load command"),
                loc(),
            ));
            continue;
        };
        for sect in sections {
            let name = sect.name.as_str();
            let off = u64::from(sect.offset);
            let Some(sdata) = sect.data else {
                out.anomalies.push(Anomaly::new(
                    "ios.macho-recovered",
                    format!("section {seg},{name} lies outside the slice"),
                    loc(),
                ));
                continue;
            };
            if !img.readable(off, sdata.len() as u64) {
                continue;
            }
            if name == "__objc_classlist" {
                classes.extend(objc_classes(&img, sdata, off, limits));
                continue;
            }
            if name == "__objc_methname" {
                for (_, s) in cstrings(sdata) {
                    if selectors.len() >= max_items {
                        break;
                    }
                    selectors.push(String::from_utf8_lossy(s).into_owned());
                }
                continue;
            }
            let is_cstrings = sect.flags & SECTION_TYPE == S_CSTRING_LITERALS
                && !name.starts_with("__objc_")
                || name == "__cstring";
            // C strings are read in place (a large binary has hundreds of thousands); only
            // UTF-16 ones are converted.
            let texts: Box<dyn Iterator<Item = (usize, Cow<'_, str>)>> = if is_cstrings {
                Box::new(
                    cstrings(sdata)
                        .filter(|(_, s)| s.len() <= MAX_STR)
                        .map(|(o, s)| (o, String::from_utf8_lossy(s))),
                )
            } else if name == "__ustring" {
                Box::new(
                    utf16_strings(sdata)
                        .into_iter()
                        .map(|(o, s)| (o, Cow::Owned(s))),
                )
            } else {
                continue;
            };
            let counted = name == "__cstring";
            for (o, text) in texts {
                if counted {
                    string_count = string_count.saturating_add(1);
                }
                for (kind, value, host) in find_urls(&text) {
                    if !seen_urls.insert(value.clone()) {
                        continue;
                    }
                    if urls.len() >= limits.max_list_items {
                        dropped_urls += 1;
                        continue;
                    }
                    urls.push(UrlString {
                        value,
                        kind,
                        host,
                        location: Location::entry(entry).with_offset(base_off + off + o as u64),
                    });
                }
            }
        }
    }
    out.urls.extend(urls);
    if dropped_urls > 0 {
        out.truncated.push(("urls", dropped_urls));
    }
    let mut have: HashSet<String> = classes.iter().cloned().collect();
    for c in defined_objc {
        if have.insert(c.clone()) {
            classes.push(c);
        }
    }
    let classes_defined: Vec<String> = classes
        .into_iter()
        .chain(defined_modules.iter().map(|m| format!("swift-module:{m}")))
        .collect();
    unit.classes_defined = named(classes_defined);
    unit.types_referenced = named(
        referenced_objc
            .into_iter()
            .chain(
                imported_modules
                    .difference(&defined_modules)
                    .map(|m| format!("swift-module:{m}")),
            )
            .collect(),
    );
    let mut seen_sel = HashSet::new();
    selectors.retain(|s| seen_sel.insert(s.clone()));
    unit.selectors = selectors;
    unit.string_count = string_count;
    unit.hardening = Some(Hardening {
        pie: cmds.flags & MH_PIE != 0 || matches!(cmds.filetype, MH_DYLIB | MH_BUNDLE),
        stack_canary: imported.contains("___stack_chk_guard")
            || imported.contains("___stack_chk_fail"),
        arc: imported.contains("_objc_release"),
    });
    let cap = limits.max_list_items;
    let cut = |set: BTreeSet<Cow<'_, str>>, out: &mut MachOFile| -> Vec<String> {
        let n = set.len();
        if n > cap {
            out.truncated.push(("symbols", (n - cap) as u64));
        }
        set.into_iter().take(cap).map(Cow::into_owned).collect()
    };
    unit.imported_symbols = cut(imported, out);
    unit.exported_symbols = cut(exported, out);

    let sig_bytes = code_signature.map(|(off, size)| {
        (
            off,
            size,
            data.get(off as usize..(off as usize).saturating_add(size as usize)),
        )
    });
    let (signature, identity) = match sig_bytes {
        Some((off, _, Some(sig))) if want_signature => {
            let facts = read_signature(sig, base_off + u64::from(off), entry, arch, out);
            let identity = facts
                .as_ref()
                .map(|f| (f.identifier.clone(), f.team_id.clone()));
            (facts, identity)
        }
        Some((off, size, None)) if want_signature => {
            out.anomalies.push(Anomaly::new(
                "ios.codesign-unreadable",
                format!(
                    "LC_CODE_SIGNATURE {off}+{size} lies outside the {}-byte slice",
                    data.len()
                ),
                loc(),
            ));
            (None, None)
        }
        // Other code (frameworks, dylibs): only who signed it, problems not reported.
        Some((_, _, Some(sig))) => (
            None,
            codesign::parse(sig)
                .ok()
                .map(|cs| (cs.identifier, cs.team_id)),
        ),
        _ => (None, None),
    };
    let (signing_identifier, team_id) = identity.unwrap_or_default();
    Ok(Slice {
        arch: arch.to_string(),
        unit,
        signature,
        signing_identifier,
        team_id,
    })
}

fn named(names: Vec<String>) -> Vec<Named> {
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| Named {
            name: name.into(),
            index: u32::try_from(i).unwrap_or(u32::MAX),
        })
        .collect()
}

/// NUL-terminated UTF-16LE strings of `__ustring`.
fn utf16_strings(data: &[u8]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut units = Vec::new();
    for (i, c) in data.chunks_exact(2).enumerate() {
        let u = match c {
            [a, b] => u16::from_le_bytes([*a, *b]),
            _ => 0,
        };
        if u == 0 {
            if !units.is_empty() && units.len() <= MAX_STR {
                out.push((start, String::from_utf16_lossy(&units)));
            }
            units.clear();
            start = (i + 1) * 2;
        } else {
            units.push(u);
        }
    }
    out
}

fn read_signature(
    sig: &[u8],
    abs: u64,
    entry: &str,
    arch: &str,
    out: &mut MachOFile,
) -> Option<SignatureFacts> {
    let loc = || {
        Location::entry(entry)
            .with_offset(abs)
            .with_path(format!("{arch} code signature"))
    };
    let cs = match codesign::parse(sig) {
        Ok(cs) => cs,
        Err(e) => {
            out.anomalies
                .push(Anomaly::new("ios.codesign-unreadable", e, loc()));
            return None;
        }
    };
    for p in &cs.problems {
        out.anomalies
            .push(Anomaly::new("ios.codesign-unreadable", p.clone(), loc()));
    }
    let mut facts = SignatureFacts {
        identifier: cs.identifier.clone(),
        team_id: cs.team_id.clone(),
        flags: cs.flags,
        blobs: cs
            .blobs
            .iter()
            .map(|b| (b.slot, b.magic, b.offset, b.data.len() as u32))
            .collect(),
        offset: abs,
        ..SignatureFacts::default()
    };
    if let Some(ents) = cs.entitlements {
        match plist_read::parse(ents) {
            Ok(v) => {
                if let Some(d) = v.as_dictionary() {
                    facts.get_task_allow = plist_read::get_bool(d, "get-task-allow");
                    facts.associated_domains =
                        plist_read::get_strings(d, "com.apple.developer.associated-domains");
                    facts.entitlements = d
                        .iter()
                        .map(|(k, v)| (k.clone(), plist_read::json_text(v, 16 * 1024)))
                        .collect();
                }
            }
            Err(e) => out.anomalies.push(Anomaly::new(
                "ios.entitlements-unreadable",
                format!("entitlements plist could not be parsed: {e}"),
                loc(),
            )),
        }
    }
    if let Some(cms) = cs.cms {
        let cms_off = cs
            .blobs
            .iter()
            .find(|b| b.slot == 0x10000)
            .map_or(0, |b| u64::from(b.offset) + 8);
        match appvet_apksig::parse_v1_block(entry, cms) {
            Ok(v1) => {
                facts.signing_time = v1.signing_time;
                for mut c in v1.certificates {
                    c.schemes = vec!["codesign".into()];
                    let off = c.location.offset.unwrap_or(0);
                    c.location = Location::entry(entry)
                        .with_offset(abs + cms_off + off)
                        .with_path(format!("{arch} code signature"));
                    facts.certificates.push(c);
                }
                for mut a in v1.anomalies {
                    a.location = loc();
                    out.anomalies.push(a);
                }
            }
            Err(e) => out.anomalies.push(Anomaly::new(
                "ios.codesign-unreadable",
                format!("CMS signature could not be parsed: {e}"),
                loc(),
            )),
        }
    }
    Some(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal 64-bit Mach-O: two dylib loads, encryption info, a symbol table.
    pub(crate) fn tiny_macho(cputype: u32, cryptid: u32) -> Vec<u8> {
        fn dylib(cmd: u32, name: &str) -> Vec<u8> {
            let mut n = name.as_bytes().to_vec();
            n.push(0);
            while (24 + n.len()) & 7 != 0 {
                n.push(0);
            }
            let mut c = Vec::new();
            for v in [cmd, (24 + n.len()) as u32, 24, 0, 0x10000, 0x10000] {
                c.extend(v.to_le_bytes());
            }
            c.extend(n);
            c
        }
        let mut cmds = dylib(0xc, "/usr/lib/libobjc.A.dylib");
        cmds.extend(dylib(0x8000_0018, "@rpath/X.framework/X"));
        for v in [0x2cu32, 24, 0x1000, 0x1000, cryptid, 0] {
            cmds.extend(v.to_le_bytes());
        }
        let symtab_at = cmds.len();
        cmds.extend([0u8; 24]);
        let header = 32;
        let symoff = header + cmds.len();
        let strings = b"\0_objc_release\0_OBJC_CLASS_$_Foo\0_$s9Alamofire7SessionC\0";
        let syms: [(u32, u8, u8); 3] = [(1, 0x01, 0), (15, 0x0f, 1), (33, 0x01, 0)];
        let stroff = symoff + syms.len() * 16;
        for (i, v) in [
            0x2u32,
            24,
            symoff as u32,
            syms.len() as u32,
            stroff as u32,
            strings.len() as u32,
        ]
        .iter()
        .enumerate()
        {
            cmds[symtab_at + i * 4..symtab_at + i * 4 + 4].copy_from_slice(&v.to_le_bytes());
        }
        let mut out = Vec::new();
        for v in [MH_MAGIC_64, cputype, 0, 2, 4, cmds.len() as u32, MH_PIE, 0] {
            out.extend(v.to_le_bytes());
        }
        out.extend(cmds);
        for (strx, ty, sect) in syms {
            out.extend(strx.to_le_bytes());
            out.extend([ty, sect, 0, 0]);
            out.extend(0u64.to_le_bytes());
        }
        out.extend(strings);
        out
    }

    fn fat(slices: &[Vec<u8>], cputypes: &[u32]) -> Vec<u8> {
        let mut out = FAT_MAGIC.to_be_bytes().to_vec();
        out.extend((slices.len() as u32).to_be_bytes());
        let mut offset = 4096u32;
        let mut body = Vec::new();
        for (s, cpu) in slices.iter().zip(cputypes) {
            for v in [*cpu, 0, offset, s.len() as u32, 12] {
                out.extend(v.to_be_bytes());
            }
            let mut padded = s.clone();
            padded.resize(s.len().div_ceil(4096) * 4096, 0);
            offset += padded.len() as u32;
            body.extend(padded);
        }
        out.resize(4096, 0);
        out.extend(body);
        out
    }

    #[test]
    fn thin_binary_facts() {
        let f = parse_file(
            &tiny_macho(0x0100_000c, 0),
            "P/A.app/A",
            "P/A.app",
            true,
            &Limits::default(),
        );
        assert!(f.anomalies.is_empty(), "{:?}", f.anomalies);
        let u = &f.slices[0].unit;
        assert_eq!(u.version, "arm64");
        assert_eq!(u.bundle.as_deref(), Some("P/A.app"));
        let libs: Vec<(&str, &str)> = u
            .linked_libraries
            .iter()
            .map(|l| (l.path.as_str(), l.kind.as_str()))
            .collect();
        assert_eq!(
            libs,
            vec![
                ("/usr/lib/libobjc.A.dylib", "load"),
                ("@rpath/X.framework/X", "weak")
            ]
        );
        assert_eq!(
            u.imported_symbols,
            vec!["_$s9Alamofire7SessionC", "_objc_release"]
        );
        assert_eq!(u.exported_symbols, vec!["_OBJC_CLASS_$_Foo"]);
        assert_eq!(&*u.classes_defined[0].name, "Foo");
        assert_eq!(&*u.types_referenced[0].name, "swift-module:Alamofire");
        assert_eq!(u.encrypted, Some(false));
        assert_eq!(
            u.hardening,
            Some(Hardening {
                pie: true,
                stack_canary: false,
                arc: true
            })
        );
    }

    #[test]
    fn fat_binary_slices_and_encryption() {
        let data = fat(
            &[tiny_macho(0x0100_0007, 0), tiny_macho(0x0100_000c, 1)],
            &[0x0100_0007, 0x0100_000c],
        );
        assert!(is_macho(&data));
        let f = parse_file(&data, "e", "b", false, &Limits::default());
        let archs: Vec<&str> = f.slices.iter().map(|s| s.arch.as_str()).collect();
        assert_eq!(archs, vec!["x86_64", "arm64"]);
        assert_eq!(f.slices[1].unit.location.offset, Some(8192));
        assert_eq!(f.slices[1].unit.encrypted, Some(true));
        assert_eq!(f.anomalies.len(), 1);
        assert_eq!(f.anomalies[0].code, "ios.encrypted-binary");
        assert_eq!(f.anomalies[0].location.path.as_deref(), Some("arm64"));
        // A slice pointing outside the file is an anomaly, the others are still read.
        let mut bad = data.clone();
        bad[8 + 20 + 8..8 + 20 + 12].copy_from_slice(&0xffff_0000u32.to_be_bytes());
        let f = parse_file(&bad, "e", "b", false, &Limits::default());
        assert_eq!(f.slices.len(), 1);
        assert_eq!(f.anomalies[0].code, "ios.macho-bad-slice");
    }

    #[test]
    fn names_and_swift_modules() {
        assert_eq!(arch_name(0x0100_000c, 2), "arm64e");
        assert_eq!(arch_name(12, 11), "armv7s");
        assert_eq!(swift_module("_$s9Alamofire7SessionC"), Some("Alamofire"));
        assert_eq!(swift_module("$s5MyApp4MainV"), Some("MyApp"));
        assert_eq!(swift_module("_$sSS"), None);
        assert_eq!(swift_module("_$s99X"), None);
        assert_eq!(swift_module("_objc_release"), None);
        let f = parse_file(b"\xca\xfe", "e", "b", false, &Limits::default());
        assert_eq!(f.anomalies[0].code, "ios.macho-unreadable");
    }

    /// A 64-bit arm64 executable made of the given raw load commands.
    fn macho_with(cmds: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = cmds.concat();
        let mut out = Vec::new();
        for v in [
            MH_MAGIC_64,
            0x0100_000c,
            0,
            2,
            cmds.len() as u32,
            body.len() as u32,
            MH_PIE,
            0,
        ] {
            out.extend(v.to_le_bytes());
        }
        out.extend(body);
        out
    }

    fn words(ws: &[u32]) -> Vec<u8> {
        ws.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    fn text_segment(vmaddr: u64, fileoff: u64) -> Vec<u8> {
        let mut c = words(&[0x19, 72]);
        c.extend(b"__TEXT\0\0\0\0\0\0\0\0\0\0");
        for v in [vmaddr, 0x4000, fileoff, 16] {
            c.extend(v.to_le_bytes());
        }
        c.extend(words(&[5, 5, 0, 0]));
        c
    }

    #[test]
    fn lc_main_with_text_fileoff_past_vmaddr_is_read() {
        // goblin 0.10 computed `vmaddr - fileoff + entryoff` here and panicked on overflow.
        let mut main = words(&[0x8000_0028, 24]);
        main.extend(u64::MAX.to_le_bytes());
        main.extend(0u64.to_le_bytes());
        let data = macho_with(&[
            text_segment(0, 16),
            main,
            words(&[0x32, 24, 2, 0x000e_0201, 0x0011_0000, 0]),
            words(&[0x25, 16, 0x000c_0000, 0x0011_0000]),
        ]);
        let f = parse_file(&data, "e", "b", true, &Limits::default());
        assert_eq!(f.slices.len(), 1, "{:?}", f.anomalies);
        let u = &f.slices[0].unit;
        assert_eq!(u.min_os_version.as_deref(), Some("14.2.1"));
        assert_eq!(u.hardening.as_ref().map(|h| h.pie), Some(true));
        // Without LC_BUILD_VERSION, LC_VERSION_MIN_IPHONEOS gives it.
        let data = macho_with(&[words(&[0x25, 16, 0x000c_0000, 0x0011_0000])]);
        let f = parse_file(&data, "e", "b", true, &Limits::default());
        assert_eq!(f.slices[0].unit.min_os_version.as_deref(), Some("12.0"));
    }

    #[test]
    fn bad_commands_and_tables_are_recovered_from() {
        // A symbol table running past the end, then a command whose size overruns the area.
        let data = macho_with(&[words(&[0x2, 24, 0x40, 1000, 0, 0]), words(&[0xc, 4000])]);
        let f = parse_file(&data, "e", "b", true, &Limits::default());
        assert_eq!(f.slices.len(), 1);
        let msgs: Vec<&str> = f.anomalies.iter().map(|a| a.message.as_str()).collect();
        assert!(f.anomalies.iter().all(|a| a.code == "ios.macho-recovered"));
        assert!(
            msgs.iter()
                .any(|m| m.contains("load command 1 at offset 56")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("symbol table (1000 entries")),
            "{msgs:?}"
        );
        // A header whose load-command area overruns the slice is unreadable.
        let mut bad = tiny_macho(0x0100_000c, 0);
        bad[20..24].copy_from_slice(&0x00ff_ffffu32.to_le_bytes());
        let f = parse_file(&bad, "e", "b", true, &Limits::default());
        assert!(f.slices.is_empty());
        assert_eq!(f.anomalies[0].code, "ios.macho-unreadable");
    }

    #[test]
    fn fat64_slices() {
        let thin = tiny_macho(0x0100_000c, 0);
        let mut data = FAT_MAGIC_64.to_be_bytes().to_vec();
        data.extend(1u32.to_be_bytes());
        data.extend(0x0100_000cu32.to_be_bytes());
        data.extend(0u32.to_be_bytes());
        data.extend(4096u64.to_be_bytes());
        data.extend((thin.len() as u64).to_be_bytes());
        data.extend(12u32.to_be_bytes());
        data.extend(0u32.to_be_bytes());
        data.resize(4096, 0);
        data.extend(&thin);
        let f = parse_file(&data, "e", "b", false, &Limits::default());
        assert!(f.anomalies.is_empty(), "{:?}", f.anomalies);
        assert_eq!(f.slices.len(), 1);
        assert_eq!(f.slices[0].unit.location.offset, Some(4096));
        assert_eq!(f.slices[0].unit.exported_symbols, vec!["_OBJC_CLASS_$_Foo"]);
    }

    #[test]
    fn generated_binaries_survive_mutation() {
        let data = fat(
            &[tiny_macho(0x0100_0007, 0), tiny_macho(0x0100_000c, 1)],
            &[0x0100_0007, 0x0100_000c],
        );
        let mut x = 1u64;
        for n in 0..data.len().min(9000) {
            let _ = parse_file(&data[..n], "e", "b", true, &Limits::default());
        }
        for _ in 0..3000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let mut m = data.clone();
            let at = (x >> 33) as usize % m.len();
            m[at] ^= 1 << ((x >> 20) % 8);
            let _ = parse_file(&m, "e", "b", true, &Limits::default());
        }
    }
}
