//! Ark bytecode (`.abc`, "panda" files) read in place: the header, the class index and the
//! strings the code uses.
//!
//! Layout (OpenHarmony arkcompiler "Ark bytecode file format"), little-endian: `PANDA\0\0\0`
//! magic (8 bytes), checksum u32, version `[u8; 4]`, file_size u32, foreign_off u32,
//! foreign_size u32, num_classes u32, class_idx_off u32, then the line-number-program, literal
//! array and index-region tables. `class_idx_off` is an array of `num_classes` u32 offsets; at
//! each offset a class (or foreign class) starts with its name, a String: a ULEB128
//! `utf16_length << 1 | is_ascii`, then MUTF-8 bytes ending in a 0.
//!
//! We read the class names (an ArkTS record per source module: `&entry/src/main/ets/pages/Index&`,
//! or `L...;` names), and scan the whole file once for String records, from which come URLs and
//! system-module imports (`@ohos:geoLocationManager`, `@ohos.multimedia.camera`, `@kit.LocationKit`,
//! `@hms:core.account`). Instructions, literal arrays and the module record layout are not
//! decoded: nothing is executed or disassembled, so which record imports a module is not known
//! (the import is attributed to no record).

use appvet_model::{Error, Limits, Result};

/// What an `.abc` file holds, as far as we read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AbcInfo {
    /// `version` bytes, dotted (`12.0.6.0`).
    pub version: String,
    /// (offset of the class's name, name) in class-index order.
    pub classes: Vec<(u64, String)>,
    /// (offset, text) of every well-formed String record found by the scan that has a
    /// printable ASCII body of 4..=2048 bytes.
    pub strings: Vec<(u64, String)>,
    /// Classes the index names but whose name could not be read.
    pub bad_classes: u32,
    /// Items not kept because a limit was reached.
    pub truncated: u64,
}

const MAGIC: &[u8; 8] = b"PANDA\0\0\0";
const HEADER_LEN: usize = 40;

fn u32_at(d: &[u8], off: usize) -> Option<u32> {
    let b = d.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes(b.try_into().ok()?))
}

/// A ULEB128 of at most 5 bytes (32 bits) at `off`: (value, length).
fn uleb128(d: &[u8], off: usize) -> Option<(u32, usize)> {
    let mut v: u64 = 0;
    for i in 0..5 {
        let b = *d.get(off.checked_add(i)?)?;
        v |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return u32::try_from(v).ok().map(|v| (v, i + 1));
        }
    }
    None
}

/// The String at `off`: its MUTF-8 body (without the terminator) when well formed.
fn string_at(d: &[u8], off: usize) -> Option<&[u8]> {
    let (head, n) = uleb128(d, off)?;
    let start = off.checked_add(n)?;
    let rest = d.get(start..)?;
    let end = rest.iter().position(|&b| b == 0)?;
    let body = rest.get(..end)?;
    let ascii = head & 1 == 1;
    let units = (head >> 1) as usize;
    if ascii && body.len() != units {
        return None;
    }
    if !ascii && body.len() < units {
        return None;
    }
    Some(body)
}

/// Parse an `.abc` file. A wrong magic or a header pointing outside the file is an error; a
/// class whose name cannot be read is counted in `bad_classes`.
pub fn parse(data: &[u8], limits: &Limits) -> Result<AbcInfo> {
    if data.len() < HEADER_LEN || !data.starts_with(MAGIC) {
        return Err(Error::malformed("Ark bytecode", "no PANDA header"));
    }
    let version = data
        .get(12..16)
        .map(|v| {
            v.iter()
                .map(|b| b.to_string())
                .collect::<Vec<_>>()
                .join(".")
        })
        .unwrap_or_default();
    let num_classes = u32_at(data, 28).unwrap_or(0);
    let class_idx_off = u32_at(data, 32).unwrap_or(0) as usize;
    if num_classes > limits.max_table_items {
        return Err(Error::Limit {
            what: "Ark table items",
            value: u64::from(num_classes),
            limit: u64::from(limits.max_table_items),
        });
    }
    let idx_end = (num_classes as usize)
        .checked_mul(4)
        .and_then(|n| n.checked_add(class_idx_off))
        .filter(|&e| e <= data.len())
        .ok_or_else(|| {
            Error::malformed(
                "Ark bytecode",
                format!("class index ({num_classes} classes at {class_idx_off:#x}) is past the end of the file"),
            )
        })?;
    let mut info = AbcInfo {
        version,
        ..AbcInfo::default()
    };
    let mut off = class_idx_off;
    while off < idx_end {
        if limits.out_of_time() {
            break;
        }
        let co = u32_at(data, off).unwrap_or(u32::MAX) as usize;
        off += 4;
        match string_at(data, co).and_then(|b| std::str::from_utf8(b).ok()) {
            Some(name) if !name.is_empty() => {
                if info.classes.len() >= limits.max_list_items {
                    info.truncated += 1;
                } else {
                    info.classes.push((co as u64, name.to_string()));
                }
            }
            _ => info.bad_classes += 1,
        }
    }
    scan_strings(data, limits, &mut info);
    Ok(info)
}

/// One linear pass: at every position where a plausible ASCII String record starts (a one- or
/// two-byte ULEB128 header with the ASCII bit, then exactly that many printable bytes and a 0),
/// keep it. Records are not aligned, so the scan tries every offset but skips past each hit.
fn scan_strings(data: &[u8], limits: &Limits, info: &mut AbcInfo) {
    let mut i = HEADER_LEN;
    let mut steps: u32 = 0;
    while i < data.len() {
        steps = steps.wrapping_add(1);
        if steps & 0xffff == 0 && limits.out_of_time() {
            return;
        }
        let Some((head, n)) = uleb128(data, i).filter(|&(h, n)| n <= 2 && h & 1 == 1) else {
            i += 1;
            continue;
        };
        let len = (head >> 1) as usize;
        let start = i + n;
        let body = (4..=2048)
            .contains(&len)
            .then(|| data.get(start..start + len))
            .flatten()
            .filter(|b| b.iter().all(|&c| (0x20..0x7f).contains(&c)))
            .filter(|_| data.get(start + len) == Some(&0));
        match body {
            Some(b) => {
                if info.strings.len() >= limits.max_list_items {
                    info.truncated += 1;
                } else {
                    info.strings
                        .push((start as u64, String::from_utf8_lossy(b).into_owned()));
                }
                i = start + len + 1;
            }
            None => i += 1,
        }
    }
}

/// A system-module import in the normalised form of the API catalogue: `@ohos:foo.bar` and
/// `@ohos.foo.bar` → `@ohos.foo.bar`, `@kit.FooKit` as is, `@hms:x` → `@hms.x`; also the
/// normalised OHM URLs (`@ohos:geoLocationManager` inside `@normalized:Y&&&@ohos:...`).
pub fn system_module(s: &str) -> Option<String> {
    for (pre, norm) in [
        ("@ohos:", "@ohos."),
        ("@ohos.", "@ohos."),
        ("@kit.", "@kit."),
        ("@hms:", "@hms."),
        ("@hms.", "@hms."),
    ] {
        if let Some(p) = s.find(pre) {
            let rest = s.get(p + pre.len()..).unwrap_or("");
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
                .collect();
            let name = name.trim_end_matches('.');
            if !name.is_empty() {
                return Some(format!("{norm}{name}"));
            }
        }
    }
    None
}

/// An ohpm package (`@scope/name`, with its version when the record carries one) named by a
/// record (`&@umeng/analytics/src/main/ets/index&1.1.0`, `@normalized:N&&@umeng/analytics/...&1.1.0`).
pub fn ohpm_package(record: &str) -> Option<(String, Option<String>)> {
    let at = record.find("&@").map(|p| p + 1).or_else(|| {
        record
            .strip_prefix('@')
            .filter(|r| !r.starts_with("ohos") && !r.starts_with("normalized"))
            .map(|_| 0)
    })?;
    let rest = record.get(at..)?;
    let mut parts = rest.splitn(3, '/');
    let scope = parts.next()?;
    let name_part = parts.next()?;
    let name = name_part.split('&').next()?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b))
    };
    let scope_name = scope.strip_prefix('@')?;
    if !ok(scope_name) || !ok(name) || scope_name == "ohos" || scope_name == "kit" {
        return None;
    }
    let version = rest
        .rsplit_once('&')
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
        .map(str::to_string);
    Some((format!("@{scope_name}/{name}"), version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_and_packages() {
        assert_eq!(
            system_module("@ohos:geoLocationManager").as_deref(),
            Some("@ohos.geoLocationManager")
        );
        assert_eq!(
            system_module("@normalized:Y&&&@ohos:multimedia.camera&").as_deref(),
            Some("@ohos.multimedia.camera")
        );
        assert_eq!(
            system_module("@kit.LocationKit").as_deref(),
            Some("@kit.LocationKit")
        );
        assert_eq!(system_module("https://x.cn"), None);
        assert_eq!(
            ohpm_package("&@umeng/analytics/src/main/ets/index&1.1.0"),
            Some(("@umeng/analytics".into(), Some("1.1.0".into())))
        );
        assert_eq!(ohpm_package("&entry/src/main/ets/pages/Index&"), None);
        assert_eq!(ohpm_package("&@ohos/hypium/index&1.0.0").map(|p| p.0), None);
    }

    #[test]
    fn hostile_headers() {
        let l = Limits::default();
        assert!(parse(b"", &l).is_err());
        let mut h = vec![0u8; 64];
        h[..8].copy_from_slice(MAGIC);
        h[28..32].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(parse(&h, &l), Err(Error::Limit { .. })));
        h[28..32].copy_from_slice(&1000u32.to_le_bytes());
        assert!(parse(&h, &l).is_err());
        // One class whose name offset is past the end; an overlong ULEB128; no terminator.
        h[28..32].copy_from_slice(&3u32.to_le_bytes());
        h[32..36].copy_from_slice(&40u32.to_le_bytes());
        h[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        h[44..48].copy_from_slice(&56u32.to_le_bytes());
        h[48..52].copy_from_slice(&60u32.to_le_bytes());
        h[56..60].copy_from_slice(&[0xff, 0xff, 0xff, 0xff]);
        h[60..64].copy_from_slice(&[9, b'a', b'b', b'c']);
        let info = parse(&h, &l).unwrap();
        assert_eq!(info.bad_classes, 3);
        assert!(info.classes.is_empty());
    }
}
