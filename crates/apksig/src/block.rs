//! The APK Signing Block (APK Signature Scheme v2/v3/v3.1 and other id-value pairs).
//!
//! Layout (all integers little-endian), ending immediately before the zip central directory:
//!
//! ```text
//! u64 size_of_block          (bytes after this field, including the footer)
//! repeated: u64 len, u32 id, value[len - 4]
//! u64 size_of_block          (again)
//! "APK Sig Block 42"         (16 bytes)
//! ```

use crate::cert::summarize_certificate;
use crate::{Error, MAX_ITEMS};
use appvet_model::{Anomaly, Certificate, Location};

/// Location entry used for facts read from the APK Signing Block (it is not a zip entry);
/// offsets are absolute in the APK.
pub const SIGNING_BLOCK_ENTRY: &str = "APK Signing Block";

const MAGIC: &[u8; 16] = b"APK Sig Block 42";
/// How far before the central directory a misplaced block is looked for.
const MAX_GAP_SEARCH: usize = 64 * 1024;

pub const ID_V2: u32 = 0x7109_871a;
pub const ID_V3: u32 = 0xf053_68c0;
pub const ID_V31: u32 = 0x1b93_ad61;
pub const ID_SOURCE_STAMP_V1: u32 = 0x2b09_189e;
pub const ID_SOURCE_STAMP_V2: u32 = 0x6dff_800d;
pub const ID_VERITY_PADDING: u32 = 0x4272_6577;
pub const ID_DEPENDENCY_INFO: u32 = 0x504b_4453;
pub const ID_PLAY_FROSTING: u32 = 0x2146_444e;
pub const ID_WALLE: u32 = 0x7177_7777;
pub const ID_VASDOLLY: u32 = 0x8811_55ff;

/// v3 signer additional attribute holding the signing certificate lineage (key rotation).
const ATTR_PROOF_OF_ROTATION: u32 = 0x3ba0_6f8c;

/// Name of a known signing-block pair id.
pub fn block_id_name(id: u32) -> Option<&'static str> {
    Some(match id {
        ID_V2 => "APK Signature Scheme v2",
        ID_V3 => "APK Signature Scheme v3",
        ID_V31 => "APK Signature Scheme v3.1",
        ID_SOURCE_STAMP_V1 => "Source Stamp v1",
        ID_SOURCE_STAMP_V2 => "Source Stamp v2",
        ID_VERITY_PADDING => "verity padding",
        ID_DEPENDENCY_INFO => "dependency info (Google Play)",
        ID_PLAY_FROSTING => "Google Play frosting",
        ID_WALLE => "Walle channel info",
        ID_VASDOLLY => "VasDolly channel info",
        _ => return None,
    })
}

/// Name of an APK Signature Scheme v2/v3 signature algorithm id.
pub fn signature_algorithm_id_name(id: u32) -> Option<&'static str> {
    Some(match id {
        0x0101 => "RSASSA-PSS with SHA2-256",
        0x0102 => "RSASSA-PSS with SHA2-512",
        0x0103 => "RSASSA-PKCS1-v1_5 with SHA2-256",
        0x0104 => "RSASSA-PKCS1-v1_5 with SHA2-512",
        0x0201 => "ECDSA with SHA2-256",
        0x0202 => "ECDSA with SHA2-512",
        0x0301 => "DSA with SHA2-256",
        0x0421 => "RSASSA-PKCS1-v1_5 with SHA2-256 (verity)",
        0x0423 => "ECDSA with SHA2-256 (verity)",
        0x0425 => "DSA with SHA2-256 (verity)",
        _ => return None,
    })
}

/// One id-value pair of the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockPair {
    pub id: u32,
    /// Absolute offset of the value in the APK.
    pub offset: u64,
    /// Length of the value.
    pub len: u64,
    /// Known name of the id ([`block_id_name`]).
    pub name: Option<&'static str>,
    /// Walle / VasDolly channel info: the value as text when it is UTF-8 (at most 64 KiB).
    pub text: Option<String>,
}

/// One v2/v3 signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The signer's certificates, first one being the signing certificate. `schemes` is `["v2"]`,
    /// `["v3"]` or `["v3.1"]`; `location` is [`SIGNING_BLOCK_ENTRY`] with the certificate's
    /// absolute offset and a path such as `v3/signer[0]/certificate[0]`.
    pub certificates: Vec<Certificate>,
    /// v3/v3.1: the platform range this signer is for.
    pub min_sdk: Option<u32>,
    pub max_sdk: Option<u32>,
    /// Signature algorithm ids of the signer's signatures ([`signature_algorithm_id_name`]).
    pub signature_algorithms: Vec<u32>,
    /// v3/v3.1 key rotation: certificates of the proof-of-rotation lineage, oldest first (the
    /// last one is normally the signer's own certificate). Path `v3/signer[0]/lineage[i]`.
    pub lineage: Vec<Certificate>,
}

/// The APK Signing Block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningBlock {
    /// Absolute offset of the block's first size field.
    pub offset: u64,
    /// Whole block size in bytes (both size fields and the magic included).
    pub size: u64,
    pub pairs: Vec<BlockPair>,
    pub v2: Vec<Signer>,
    pub v3: Vec<Signer>,
    pub v31: Vec<Signer>,
    /// `apksig.*` anomalies: `size-mismatch`, `not-at-central-directory`, `bad-pair`,
    /// `duplicate-block-id`, `unknown-block-id` (informational), `bad-signer`,
    /// `bad-certificate`, `sdk-mismatch`, `too-many-items`.
    pub anomalies: Vec<Anomaly>,
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(s.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(s.try_into().ok()?))
}

fn loc(offset: usize) -> Location {
    Location::entry(SIGNING_BLOCK_ENTRY).with_offset(offset as u64)
}

/// Parse the APK Signing Block that ends at `cd_offset` (the central directory offset from the
/// end-of-central-directory record). `apk` is the whole file.
///
/// Returns `Ok(None)` when there is no block. A block whose magic is found a little before
/// the central directory (within 64 KiB, with no zip record in between) is parsed and flagged
/// `apksig.not-at-central-directory` (Android would not find it). Only the structure is read: digests and signatures are **not**
/// verified, so a reported signer is what the APK claims, not a proven identity.
pub fn parse_signing_block(apk: &[u8], cd_offset: u64) -> Result<Option<SigningBlock>, Error> {
    let cd = usize::try_from(cd_offset)
        .ok()
        .filter(|&c| c <= apk.len())
        .ok_or(Error::Malformed {
            what: "central directory offset",
            offset: cd_offset,
            message: format!("beyond the end of the {}-byte file", apk.len()),
        })?;
    let mut anomalies = Vec::new();
    let Some(end) = find_block_end(apk, cd) else {
        return Ok(None);
    };
    if end != cd {
        anomalies.push(Anomaly::new(
            "apksig.not-at-central-directory",
            format!(
                "the APK Signing Block ends at {end}, {} bytes before the central directory; \
                 Android ignores it",
                cd - end
            ),
            loc(end),
        ));
    }
    // end >= 24 is guaranteed by find_block_end.
    let footer = end
        .checked_sub(24)
        .ok_or_else(|| malformed(end, "footer"))?;
    let size_footer = u64_at(apk, footer).ok_or_else(|| malformed(footer, "footer size"))?;
    let start = usize::try_from(size_footer)
        .ok()
        .and_then(|s| end.checked_sub(s))
        .and_then(|s| s.checked_sub(8))
        .filter(|_| size_footer >= 24)
        .ok_or_else(|| Error::Malformed {
            what: "APK Signing Block",
            offset: footer as u64,
            message: format!("size {size_footer} in the footer does not fit before offset {end}"),
        })?;
    let size_header = u64_at(apk, start).ok_or_else(|| malformed(start, "header size"))?;
    if size_header != size_footer {
        anomalies.push(Anomaly::new(
            "apksig.size-mismatch",
            format!("block size {size_header} in the header, {size_footer} in the footer"),
            loc(start),
        ));
    }
    let mut block = SigningBlock {
        offset: start as u64,
        size: (end - start) as u64,
        pairs: Vec::new(),
        v2: Vec::new(),
        v3: Vec::new(),
        v31: Vec::new(),
        anomalies,
    };
    let pairs_start = start + 8;
    let pairs = apk
        .get(pairs_start..footer)
        .ok_or_else(|| malformed(pairs_start, "pairs"))?;
    let mut pos = 0usize;
    while pos < pairs.len() {
        let at = pairs_start + pos;
        let Some(len) = u64_at(pairs, pos) else {
            block.anomalies.push(Anomaly::new(
                "apksig.bad-pair",
                format!("{} trailing bytes do not form a pair", pairs.len() - pos),
                loc(at),
            ));
            break;
        };
        let remaining = (pairs.len() - pos - 8) as u64;
        if !(4..=remaining).contains(&len) {
            block.anomalies.push(Anomaly::new(
                "apksig.bad-pair",
                format!("pair length {len} with {remaining} bytes left in the block"),
                loc(at),
            ));
            break;
        }
        if block.pairs.len() >= MAX_ITEMS {
            block.anomalies.push(Anomaly::new(
                "apksig.too-many-items",
                format!("more than {MAX_ITEMS} pairs; the rest are ignored"),
                loc(at),
            ));
            break;
        }
        let len = len as usize; // <= remaining, which came from a usize
        let id = u32_at(pairs, pos + 8).ok_or_else(|| malformed(at, "pair id"))?;
        let value_start = pos + 12;
        let value = pairs
            .get(value_start..pos + 8 + len)
            .ok_or_else(|| malformed(at, "pair value"))?;
        let value_offset = pairs_start + value_start;
        let name = block_id_name(id);
        let duplicate = block.pairs.iter().any(|p| p.id == id);
        if duplicate {
            block.anomalies.push(Anomaly::new(
                "apksig.duplicate-block-id",
                format!("id 0x{id:08x} appears more than once; only the first is used"),
                loc(at),
            ));
        } else if name.is_none() {
            block.anomalies.push(Anomaly::new(
                "apksig.unknown-block-id",
                format!("unknown id 0x{id:08x} with {} bytes of value", value.len()),
                loc(at),
            ));
        }
        let text = if id == ID_WALLE || id == ID_VASDOLLY {
            value
                .get(..value.len().min(64 * 1024))
                .and_then(|v| std::str::from_utf8(v).ok())
                .map(str::to_string)
        } else {
            None
        };
        if !duplicate {
            let (scheme, list) = match id {
                ID_V2 => ("v2", Some(&mut block.v2)),
                ID_V3 => ("v3", Some(&mut block.v3)),
                ID_V31 => ("v3.1", Some(&mut block.v31)),
                _ => ("", None),
            };
            if let Some(list) = list {
                parse_scheme(scheme, value, value_offset, list, &mut block.anomalies);
            }
        }
        block.pairs.push(BlockPair {
            id,
            offset: value_offset as u64,
            len: value.len() as u64,
            name,
            text,
        });
        pos = pos + 8 + len;
    }
    Ok(Some(block))
}

fn malformed(offset: usize, what: &'static str) -> Error {
    Error::Malformed {
        what,
        offset: offset as u64,
        message: "out of bounds".to_string(),
    }
}

/// End offset of the block's magic: `cd` when the magic sits right before the central
/// directory, else the nearest magic found within [`MAX_GAP_SEARCH`] bytes before it when no
/// zip record lies in between.
fn find_block_end(apk: &[u8], cd: usize) -> Option<usize> {
    let footer_at = |end: usize| -> bool {
        end >= 32
            && end
                .checked_sub(16)
                .and_then(|s| apk.get(s..end))
                .is_some_and(|m| m == MAGIC)
    };
    if footer_at(cd) {
        return Some(cd);
    }
    let lowest = cd.saturating_sub(MAX_GAP_SEARCH);
    let end = (lowest..cd).rev().find(|&end| footer_at(end))?;
    // A zip record between the magic and the central directory means the magic belongs to
    // something else, typically an APK stored uncompressed inside this one.
    let gap = apk.get(end..cd)?;
    let zip_record = gap.windows(4).any(|w| {
        w.starts_with(b"PK") && matches!(w.get(2..4), Some([1, 2] | [3, 4] | [5, 6] | [7, 8]))
    });
    (!zip_record).then_some(end)
}

/// A bounded reader over little-endian, u32-length-prefixed structures.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Absolute offset of `buf` in the APK.
    base: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8], base: usize) -> Self {
        Reader { buf, pos: 0, base }
    }

    fn at(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, Error> {
        let v = u32_at(self.buf, self.pos).ok_or_else(|| Error::Truncated {
            what,
            offset: self.at() as u64,
            needed: 4,
            available: self.buf.len().saturating_sub(self.pos) as u64,
        })?;
        self.pos += 4;
        Ok(v)
    }

    /// A u32-length-prefixed slice, as a reader positioned at its start.
    fn prefixed(&mut self, what: &'static str) -> Result<Reader<'a>, Error> {
        let at = self.at();
        let len = self.u32(what)? as usize;
        let available = self.buf.len().saturating_sub(self.pos);
        if len > available {
            return Err(Error::Truncated {
                what,
                offset: at as u64,
                needed: len as u64,
                available: available as u64,
            });
        }
        let start = self.pos;
        let slice = self
            .buf
            .get(start..start + len)
            .ok_or_else(|| malformed(at, what))?;
        self.pos += len;
        Ok(Reader::new(slice, self.base.saturating_add(start)))
    }
}

fn parse_scheme(
    scheme: &str,
    value: &[u8],
    value_offset: usize,
    out: &mut Vec<Signer>,
    anomalies: &mut Vec<Anomaly>,
) {
    let mut outer = Reader::new(value, value_offset);
    let mut signers = match outer.prefixed("signers") {
        Ok(r) => r,
        Err(e) => {
            anomalies.push(Anomaly::new(
                "apksig.bad-signer",
                format!("{scheme} block: {e}"),
                loc(value_offset),
            ));
            return;
        }
    };
    let mut index = 0usize;
    while !signers.is_empty() {
        let at = signers.at();
        if index >= MAX_ITEMS {
            anomalies.push(Anomaly::new(
                "apksig.too-many-items",
                format!("{scheme}: more than {MAX_ITEMS} signers; the rest are ignored"),
                loc(at),
            ));
            break;
        }
        let signer = match signers.prefixed("signer") {
            Ok(s) => s,
            Err(e) => {
                anomalies.push(Anomaly::new(
                    "apksig.bad-signer",
                    format!("{scheme} signer {index}: {e}"),
                    loc(at),
                ));
                break;
            }
        };
        match parse_signer(scheme, index, signer, anomalies) {
            Ok(s) => out.push(s),
            Err(e) => anomalies.push(Anomaly::new(
                "apksig.bad-signer",
                format!("{scheme} signer {index}: {e}"),
                loc(at),
            )),
        }
        index += 1;
    }
}

fn parse_signer(
    scheme: &str,
    index: usize,
    mut signer: Reader<'_>,
    anomalies: &mut Vec<Anomaly>,
) -> Result<Signer, Error> {
    let is_v3 = scheme != "v2";
    let mut signed = signer.prefixed("signed data")?;
    let (min_sdk, max_sdk) = if is_v3 {
        let min = signer.u32("signer minSDK")?;
        let max = signer.u32("signer maxSDK")?;
        (Some(min), Some(max))
    } else {
        (None, None)
    };
    let mut sigs = signer.prefixed("signatures")?;
    let _public_key = signer.prefixed("public key")?;

    let mut signature_algorithms = Vec::new();
    while !sigs.is_empty() {
        let mut sig = sigs.prefixed("signature")?;
        let alg = sig.u32("signature algorithm")?;
        if signature_algorithms.len() < MAX_ITEMS {
            signature_algorithms.push(alg);
        }
    }

    let _digests = signed.prefixed("digests")?;
    let mut certs = signed.prefixed("certificates")?;
    let mut certificates = Vec::new();
    let mut ci = 0usize;
    while !certs.is_empty() {
        let at = certs.at();
        let der = certs.prefixed("certificate")?;
        let location = Location::entry(SIGNING_BLOCK_ENTRY)
            .with_offset(der.base as u64)
            .with_path(format!("{scheme}/signer[{index}]/certificate[{ci}]"));
        ci += 1;
        if certificates.len() >= MAX_ITEMS {
            anomalies.push(Anomaly::new(
                "apksig.too-many-items",
                format!("more than {MAX_ITEMS} certificates; the rest are ignored"),
                loc(at),
            ));
            break;
        }
        match summarize_certificate(der.buf, scheme, location.clone()) {
            Ok(c) => certificates.push(c),
            Err(e) => anomalies.push(Anomaly::new(
                "apksig.bad-certificate",
                e.to_string(),
                location,
            )),
        }
    }
    let mut lineage = Vec::new();
    if is_v3 {
        let at = signed.at();
        let min = signed.u32("signed minSDK")?;
        let max = signed.u32("signed maxSDK")?;
        if Some(min) != min_sdk || Some(max) != max_sdk {
            anomalies.push(Anomaly::new(
                "apksig.sdk-mismatch",
                format!(
                    "{scheme} signer {index}: signed SDK range {min}..={max} differs from the \
                     unsigned {}..={}",
                    min_sdk.unwrap_or_default(),
                    max_sdk.unwrap_or_default()
                ),
                loc(at),
            ));
        }
        let mut attrs = signed.prefixed("additional attributes")?;
        while !attrs.is_empty() {
            let mut attr = attrs.prefixed("additional attribute")?;
            let id = attr.u32("additional attribute id")?;
            if id == ATTR_PROOF_OF_ROTATION {
                let value = Reader::new(attr.buf.get(attr.pos..).unwrap_or_default(), attr.at());
                parse_lineage(scheme, index, value, &mut lineage, anomalies)?;
            }
        }
    }
    Ok(Signer {
        certificates,
        min_sdk,
        max_sdk,
        signature_algorithms,
        lineage,
    })
}

/// Proof-of-rotation: u32 version, then length-prefixed nodes, each
/// `prefixed(signed data: prefixed(certificate), u32 sig alg), u32 flags, u32 sig alg,
/// prefixed(signature)`.
fn parse_lineage(
    scheme: &str,
    index: usize,
    mut value: Reader<'_>,
    out: &mut Vec<Certificate>,
    anomalies: &mut Vec<Anomaly>,
) -> Result<(), Error> {
    let _version = value.u32("lineage version")?;
    let mut li = 0usize;
    while !value.is_empty() {
        let at = value.at();
        let mut node = value.prefixed("lineage node")?;
        let mut signed = node.prefixed("lineage signed data")?;
        let der = signed.prefixed("lineage certificate")?;
        let location = Location::entry(SIGNING_BLOCK_ENTRY)
            .with_offset(der.base as u64)
            .with_path(format!("{scheme}/signer[{index}]/lineage[{li}]"));
        li += 1;
        if out.len() >= MAX_ITEMS {
            anomalies.push(Anomaly::new(
                "apksig.too-many-items",
                format!("more than {MAX_ITEMS} lineage certificates; the rest are ignored"),
                loc(at),
            ));
            break;
        }
        match summarize_certificate(der.buf, scheme, location.clone()) {
            Ok(c) => out.push(c),
            Err(e) => anomalies.push(Anomaly::new(
                "apksig.bad-certificate",
                e.to_string(),
                location,
            )),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &[u8] = b"PK\x03\x04 some local entries";
    const S: usize = PREFIX.len();

    fn pair(id: u32, value: &[u8]) -> Vec<u8> {
        let mut v = ((value.len() + 4) as u64).to_le_bytes().to_vec();
        v.extend(id.to_le_bytes());
        v.extend(value);
        v
    }

    fn block(pairs: &[u8], gap: usize) -> (Vec<u8>, u64) {
        let size = (pairs.len() + 24) as u64;
        let mut apk = PREFIX.to_vec();
        apk.extend(size.to_le_bytes());
        apk.extend(pairs);
        apk.extend(size.to_le_bytes());
        apk.extend(MAGIC);
        apk.extend(std::iter::repeat_n(0u8, gap));
        let cd = apk.len() as u64;
        apk.extend(b"PK\x01\x02 central directory");
        (apk, cd)
    }

    #[test]
    fn pairs_and_channels() {
        let mut pairs = pair(ID_WALLE, br#"{"channel":"xiaomi"}"#);
        pairs.extend(pair(ID_VASDOLLY, b"huawei"));
        pairs.extend(pair(0x1234_5678, b"??"));
        pairs.extend(pair(ID_VASDOLLY, b"again"));
        pairs.extend(pair(ID_VERITY_PADDING, &[0; 8]));
        let (apk, cd) = block(&pairs, 0);
        let b = parse_signing_block(&apk, cd).unwrap().unwrap();
        assert_eq!(b.offset, S as u64);
        assert_eq!(b.size, cd - S as u64);
        let ids: Vec<u32> = b.pairs.iter().map(|p| p.id).collect();
        assert_eq!(
            ids,
            [
                ID_WALLE,
                ID_VASDOLLY,
                0x1234_5678,
                ID_VASDOLLY,
                ID_VERITY_PADDING
            ]
        );
        assert_eq!(b.pairs[0].name, Some("Walle channel info"));
        assert_eq!(b.pairs[0].text.as_deref(), Some(r#"{"channel":"xiaomi"}"#));
        assert_eq!(b.pairs[1].text.as_deref(), Some("huawei"));
        assert_eq!(b.pairs[1].offset, (S + 8 + 8 + 4 + 20 + 8 + 4) as u64);
        assert_eq!(b.pairs[1].len, 6);
        assert_eq!(b.pairs[2].name, None);
        assert_eq!(b.pairs[4].text, None);
        let codes: Vec<&str> = b.anomalies.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(
            codes,
            ["apksig.unknown-block-id", "apksig.duplicate-block-id"]
        );
        assert!(b.v2.is_empty() && b.v3.is_empty() && b.v31.is_empty());
    }

    #[test]
    fn absent_misplaced_and_bad_sizes() {
        let (apk, cd) = block(&pair(ID_WALLE, b"x"), 0);
        // No magic before this offset.
        assert_eq!(parse_signing_block(&apk, 10).unwrap(), None);
        assert_eq!(parse_signing_block(&[], 0).unwrap(), None);
        assert!(parse_signing_block(&apk, apk.len() as u64 + 1).is_err());
        assert!(parse_signing_block(&apk, u64::MAX).is_err());

        let (apk2, cd2) = block(&pair(ID_WALLE, b"x"), 5);
        let b = parse_signing_block(&apk2, cd2).unwrap().unwrap();
        assert_eq!(b.anomalies[0].code, "apksig.not-at-central-directory");
        assert_eq!(b.pairs.len(), 1);

        // The signing block of an APK stored inside this one is not ours.
        let (mut nested, _) = block(&pair(ID_WALLE, b"x"), 0);
        nested.extend(b"PK\x01\x02 inner central directory PK\x05\x06");
        let outer_cd = nested.len() as u64;
        nested.extend(b"PK\x01\x02 outer central directory");
        assert_eq!(parse_signing_block(&nested, outer_cd).unwrap(), None);

        // Header size disagrees with the footer.
        let mut bad = apk.clone();
        bad[S] ^= 0x01;
        let b = parse_signing_block(&bad, cd).unwrap().unwrap();
        assert_eq!(b.anomalies[0].code, "apksig.size-mismatch");
        // Footer size too large to fit.
        let mut bad = apk.clone();
        let f = cd as usize - 24;
        bad[f + 7] = 0x10;
        assert!(parse_signing_block(&bad, cd).is_err());
        // Pair length overruns the block.
        let mut bad = apk.clone();
        bad[S + 8] = 0xff;
        let b = parse_signing_block(&bad, cd).unwrap().unwrap();
        assert_eq!(b.anomalies[0].code, "apksig.bad-pair");
        assert!(b.pairs.is_empty());
    }

    #[test]
    fn malformed_v2_value_is_an_anomaly() {
        // signers length 100 with 4 bytes present.
        let mut v = 100u32.to_le_bytes().to_vec();
        v.extend([0; 4]);
        let (apk, cd) = block(&pair(ID_V2, &v), 0);
        let b = parse_signing_block(&apk, cd).unwrap().unwrap();
        assert_eq!(b.anomalies.len(), 1);
        assert_eq!(b.anomalies[0].code, "apksig.bad-signer");
        assert!(
            b.anomalies[0].message.contains("signers"),
            "{:?}",
            b.anomalies
        );
        assert!(b.v2.is_empty());
        assert_eq!(b.pairs[0].name, Some("APK Signature Scheme v2"));
    }
}
