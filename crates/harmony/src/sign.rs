//! The HAP signing block (OpenHarmony hapsigner, `HwSignHead`): placed right before the zip
//! central directory and ending with a 32-byte head, little-endian: blockNum u32, size u64
//! (the whole block), magicLow u64, magicHigh u64, version u32. The block starts with
//! `blockNum` sub-block headers (type u32, length u32, offset u32 from the block's start).
//! Types read here: 0x20000000 the signature (PKCS#7 SignedData over the digests), 0x20000002
//! the provisioning profile (PKCS#7-signed JSON for release builds, plain JSON for debug
//! ones), 0x20000003 the property block (listed, not decoded). Nothing is verified.

use appvet_model::{Anomaly, Certificate, Location, SigningBlockEntry};

const MAGIC_LOW: u64 = 7_451_613_641_622_775_868;
const MAGIC_HIGH: u64 = 4_497_797_983_070_462_062;
const MAGIC_LOW_OLD: u64 = 2_334_950_737_560_224_072;
const MAGIC_HIGH_OLD: u64 = 3_617_552_046_287_187_010;
const HEAD_LEN: u64 = 32;
const MAX_SUB_BLOCKS: u32 = 64;

pub const SIGNATURE: u32 = 0x2000_0000;
pub const PROFILE: u32 = 0x2000_0002;
pub const PROPERTY: u32 = 0x2000_0003;

/// What the signing block says.
#[derive(Debug, Default)]
pub struct HapSigning {
    pub present: bool,
    pub version: u32,
    pub certificates: Vec<Certificate>,
    pub signing_time: Option<String>,
    pub entries: Vec<SigningBlockEntry>,
    /// Profile fields (`type`, `bundle-info.bundle-name`, `bundle-info.developer-id`, `apl`,
    /// `app-distribution-type`, `validity`), as `key=value` pairs.
    pub profile: Vec<(String, String)>,
    pub anomalies: Vec<Anomaly>,
}

fn u32_at(d: &[u8], off: u64) -> Option<u32> {
    let o = usize::try_from(off).ok()?;
    let b = d.get(o..o.checked_add(4)?)?;
    Some(u32::from_le_bytes(b.try_into().ok()?))
}

fn u64_at(d: &[u8], off: u64) -> Option<u64> {
    let o = usize::try_from(off).ok()?;
    let b = d.get(o..o.checked_add(8)?)?;
    Some(u64::from_le_bytes(b.try_into().ok()?))
}

fn name(t: u32) -> Option<&'static str> {
    Some(match t {
        SIGNATURE => "signature (PKCS#7)",
        0x2000_0001 => "proof of rotation",
        PROFILE => "provisioning profile",
        PROPERTY => "property",
        _ => return None,
    })
}

/// Read the signing block of a HAP whose central directory starts at `cd_offset`.
pub fn read(data: &[u8], cd_offset: u64, entry: &str) -> HapSigning {
    let mut out = HapSigning::default();
    let Some(head) = cd_offset.checked_sub(HEAD_LEN) else {
        return out;
    };
    let (Some(count), Some(size), Some(lo), Some(hi), Some(version)) = (
        u32_at(data, head),
        u64_at(data, head + 4),
        u64_at(data, head + 12),
        u64_at(data, head + 20),
        u32_at(data, head + 28),
    ) else {
        return out;
    };
    if !((lo == MAGIC_LOW && hi == MAGIC_HIGH) || (lo == MAGIC_LOW_OLD && hi == MAGIC_HIGH_OLD)) {
        return out;
    }
    out.present = true;
    out.version = version;
    let loc = |off: u64| Location::entry(entry).with_offset(off);
    let Some(start) = cd_offset.checked_sub(size).filter(|_| size >= HEAD_LEN) else {
        out.anomalies.push(Anomaly::new(
            "harmony.signing-unreadable",
            format!("signing block size {size} does not fit before the central directory"),
            loc(head),
        ));
        return out;
    };
    if count > MAX_SUB_BLOCKS {
        out.anomalies.push(Anomaly::new(
            "harmony.signing-unreadable",
            format!("{count} sub-blocks (at most {MAX_SUB_BLOCKS} read)"),
            loc(head),
        ));
    }
    let block_end = head;
    for i in 0..u64::from(count.min(MAX_SUB_BLOCKS)) {
        let h = start + i * 12;
        let (Some(t), Some(len), Some(off)) =
            (u32_at(data, h), u32_at(data, h + 4), u32_at(data, h + 8))
        else {
            break;
        };
        let abs = start + u64::from(off);
        let end = abs + u64::from(len);
        out.entries.push(SigningBlockEntry {
            id: format!("{t:#010x}"),
            name: name(t).map(str::to_string),
            size: u64::from(len),
            text: None,
            location: loc(abs),
        });
        if end > block_end {
            out.anomalies.push(Anomaly::new(
                "harmony.signing-unreadable",
                format!("sub-block {t:#010x} ({len} bytes at {abs}) runs past the signing block"),
                loc(h),
            ));
            continue;
        }
        let bytes = usize::try_from(abs)
            .ok()
            .zip(usize::try_from(end).ok())
            .and_then(|(a, b)| data.get(a..b))
            .unwrap_or(&[]);
        match t {
            SIGNATURE => match appvet_apksig::parse_v1_block(entry, bytes) {
                Ok(v1) => {
                    out.signing_time = v1.signing_time;
                    for mut c in v1.certificates {
                        c.schemes = vec!["hap-sign".into()];
                        c.location = loc(abs + c.location.offset.unwrap_or(0))
                            .with_path("signing block: signature");
                        out.certificates.push(c);
                    }
                    for mut a in v1.anomalies {
                        a.location = loc(abs);
                        out.anomalies.push(a);
                    }
                }
                Err(e) => out.anomalies.push(Anomaly::new(
                    "harmony.signing-unreadable",
                    format!("signature sub-block is not PKCS#7 SignedData: {e}"),
                    loc(abs),
                )),
            },
            PROFILE => {
                let json = match appvet_apksig::signed_data_content(bytes) {
                    Ok(c) => c.into_owned(),
                    Err(_) => bytes.to_vec(),
                };
                match serde_json::from_slice::<serde_json::Value>(&json) {
                    Ok(v) => out.profile = profile_fields(&v),
                    Err(e) => out.anomalies.push(Anomaly::new(
                        "harmony.profile-unreadable",
                        format!("provisioning profile is neither signed nor plain JSON: {e}"),
                        loc(abs),
                    )),
                }
            }
            _ => {}
        }
    }
    if let Some(e) = out.entries.iter_mut().find(|e| e.id == "0x20000002") {
        if !out.profile.is_empty() {
            e.text = Some(
                out.profile
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
        }
    }
    out
}

fn profile_fields(v: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let s = |p: &str| {
        v.pointer(p).and_then(|x| match x {
            serde_json::Value::String(s) => Some(s.chars().take(256).collect::<String>()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    for (k, p) in [
        ("type", "/type"),
        ("distribution-type", "/app-distribution-type"),
        ("bundle-name", "/bundle-info/bundle-name"),
        ("developer-id", "/bundle-info/developer-id"),
        ("apl", "/bundle-info/apl"),
        ("issuer", "/issuer"),
        ("not-before", "/validity/not-before"),
        ("not-after", "/validity/not-after"),
    ] {
        if let Some(x) = s(p) {
            out.push((k.to_string(), x));
        }
    }
    out
}
