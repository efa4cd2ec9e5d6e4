//! Apple code signatures: the embedded signature SuperBlob that `LC_CODE_SIGNATURE` points at.
//!
//! Layout (all big-endian): SuperBlob `{magic 0xfade0cc0, length, count, index[count] of
//! {type, offset}}`; each blob starts `{magic, length}`. Read here: the CodeDirectory
//! (`0xfade0c02`: identifier, team id, flags), the entitlements (`0xfade7171`, an XML plist) and
//! the CMS signature (`0xfade0b01`, PKCS#7 SignedData over the CodeDirectory). Nothing is
//! verified.

pub const SUPERBLOB: u32 = 0xfade_0cc0;
pub const CODE_DIRECTORY: u32 = 0xfade_0c02;
pub const REQUIREMENTS: u32 = 0xfade_0c01;
pub const ENTITLEMENTS: u32 = 0xfade_7171;
pub const DER_ENTITLEMENTS: u32 = 0xfade_7172;
pub const CMS: u32 = 0xfade_0b01;

/// Most index entries read from one SuperBlob.
const MAX_BLOBS: u32 = 64;

/// One blob of the SuperBlob index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob<'a> {
    /// Slot type (0 CodeDirectory, 2 requirements, 5 entitlements, 7 DER entitlements,
    /// 0x1000+ alternate CodeDirectories, 0x10000 CMS).
    pub slot: u32,
    pub magic: u32,
    /// Offset of the blob inside the signature.
    pub offset: u32,
    /// The whole blob, header included.
    pub data: &'a [u8],
}

/// What a code signature holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeSignature<'a> {
    pub blobs: Vec<Blob<'a>>,
    /// CodeDirectory identifier (normally the bundle id).
    pub identifier: Option<String>,
    pub team_id: Option<String>,
    /// CodeDirectory flags (0x2 ad-hoc, 0x10000 hardened runtime).
    pub flags: Option<u32>,
    /// The entitlements XML plist.
    pub entitlements: Option<&'a [u8]>,
    /// The CMS SignedData (empty for ad-hoc signatures).
    pub cms: Option<&'a [u8]>,
    /// Problems recovered from.
    pub problems: Vec<String>,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([
        *s.first()?,
        *s.get(1)?,
        *s.get(2)?,
        *s.get(3)?,
    ]))
}

/// NUL-terminated string at `at`, at most 1024 bytes.
fn cstr(b: &[u8], at: usize) -> Option<String> {
    let rest = b.get(at..)?;
    let end = rest.iter().take(1024).position(|&c| c == 0)?;
    Some(String::from_utf8_lossy(rest.get(..end)?).into_owned())
}

/// Name of a slot type.
pub fn slot_name(slot: u32) -> &'static str {
    match slot {
        0 => "CodeDirectory",
        1 => "Info.plist hash",
        2 => "Requirements",
        3 => "Resource directory",
        4 => "Application specific",
        5 => "Entitlements",
        7 => "DER entitlements",
        0x1000..=0x1004 => "Alternate CodeDirectory",
        0x10000 => "CMS signature",
        _ => "Unknown",
    }
}

/// Parse the signature bytes (`LC_CODE_SIGNATURE` dataoff..dataoff+datasize of the slice).
pub fn parse(sig: &[u8]) -> Result<CodeSignature<'_>, String> {
    let magic = be32(sig, 0).ok_or("signature shorter than 12 bytes")?;
    if magic != SUPERBLOB {
        return Err(format!(
            "magic 0x{magic:08x} is not an embedded signature (0x{SUPERBLOB:08x})"
        ));
    }
    let length = be32(sig, 4).ok_or("truncated SuperBlob header")? as usize;
    let count = be32(sig, 8).ok_or("truncated SuperBlob header")?;
    let mut out = CodeSignature::default();
    let sig = if length > sig.len() {
        out.problems.push(format!(
            "SuperBlob length {length} exceeds the {} bytes of LC_CODE_SIGNATURE",
            sig.len()
        ));
        sig
    } else {
        sig.get(..length).unwrap_or(sig)
    };
    if count > MAX_BLOBS {
        out.problems.push(format!(
            "{count} blobs listed; only the first {MAX_BLOBS} are read"
        ));
    }
    for i in 0..count.min(MAX_BLOBS) as usize {
        let at = 12 + i * 8;
        let (Some(slot), Some(offset)) = (be32(sig, at), be32(sig, at + 4)) else {
            out.problems
                .push(format!("blob index entry {i} runs past the signature"));
            break;
        };
        let o = offset as usize;
        let (Some(bmagic), Some(blen)) = (be32(sig, o), be32(sig, o + 4)) else {
            out.problems.push(format!(
                "blob {i} (slot 0x{slot:x}) at offset {offset} is outside the signature"
            ));
            continue;
        };
        let Some(data) = sig
            .get(o..o.saturating_add(blen as usize))
            .filter(|_| blen >= 8)
        else {
            out.problems.push(format!(
                "blob {i} (slot 0x{slot:x}) at offset {offset}: length {blen} runs past the signature"
            ));
            continue;
        };
        out.blobs.push(Blob {
            slot,
            magic: bmagic,
            offset,
            data,
        });
        match (slot, bmagic) {
            (0, CODE_DIRECTORY) => read_code_directory(data, &mut out),
            (5, ENTITLEMENTS) => out.entitlements = data.get(8..),
            (0x10000, CMS) => out.cms = data.get(8..).filter(|c| !c.is_empty()),
            (0 | 5 | 0x10000, m) => out
                .problems
                .push(format!("slot 0x{slot:x} holds a blob with magic 0x{m:08x}")),
            _ => {}
        }
    }
    Ok(out)
}

fn read_code_directory(cd: &[u8], out: &mut CodeSignature<'_>) {
    let version = be32(cd, 8).unwrap_or(0);
    out.flags = be32(cd, 12);
    out.identifier = be32(cd, 20).and_then(|o| cstr(cd, o as usize));
    if out.identifier.is_none() {
        out.problems
            .push("CodeDirectory identifier offset is outside the blob".into());
    }
    if version >= 0x20200 {
        if let Some(o) = be32(cd, 48).filter(|&o| o != 0) {
            out.team_id = cstr(cd, o as usize);
        }
    }
}

/// A SuperBlob built from `(slot, magic, payload)`, for tests.
#[cfg(test)]
pub(crate) fn build(blobs: &[(u32, u32, Vec<u8>)]) -> Vec<u8> {
    let header = 12 + 8 * blobs.len();
    let mut index = Vec::new();
    let mut body = Vec::new();
    for (slot, magic, payload) in blobs {
        index.extend(slot.to_be_bytes());
        index.extend(((header + body.len()) as u32).to_be_bytes());
        body.extend(magic.to_be_bytes());
        body.extend(((payload.len() + 8) as u32).to_be_bytes());
        body.extend(payload);
    }
    let mut out = SUPERBLOB.to_be_bytes().to_vec();
    out.extend(((header + body.len()) as u32).to_be_bytes());
    out.extend((blobs.len() as u32).to_be_bytes());
    out.extend(index);
    out.extend(body);
    out
}

/// A CodeDirectory payload (after magic and length) with identifier and team id, for tests.
#[cfg(test)]
pub(crate) fn code_directory(ident: &str, team: Option<&str>, flags: u32) -> Vec<u8> {
    // Fields from `version` on; offsets are relative to the blob start (8 bytes earlier).
    let mut p = vec![0u8; 88 - 8];
    p[0..4].copy_from_slice(&0x20400u32.to_be_bytes());
    p[4..8].copy_from_slice(&flags.to_be_bytes());
    p[12..16].copy_from_slice(&88u32.to_be_bytes());
    p.extend(ident.as_bytes());
    p.push(0);
    if let Some(t) = team {
        let at = (p.len() + 8) as u32;
        p[40..44].copy_from_slice(&at.to_be_bytes());
        p.extend(t.as_bytes());
        p.push(0);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_directory_entitlements_and_cms() {
        let ents = b"<plist><dict><key>get-task-allow</key><true/></dict></plist>".to_vec();
        let sig = build(&[
            (
                0,
                CODE_DIRECTORY,
                code_directory("edu.x.app", Some("ABCDE12345"), 0x2),
            ),
            (2, REQUIREMENTS, vec![0, 0, 0, 0]),
            (5, ENTITLEMENTS, ents.clone()),
            (0x10000, CMS, vec![0x30, 0]),
        ]);
        let cs = parse(&sig).unwrap();
        assert_eq!(cs.identifier.as_deref(), Some("edu.x.app"));
        assert_eq!(cs.team_id.as_deref(), Some("ABCDE12345"));
        assert_eq!(cs.flags, Some(2));
        assert_eq!(cs.entitlements, Some(&ents[..]));
        assert_eq!(cs.cms, Some(&[0x30, 0][..]));
        assert_eq!(cs.blobs.len(), 4);
        assert!(cs.problems.is_empty(), "{:?}", cs.problems);
        assert_eq!(slot_name(cs.blobs[3].slot), "CMS signature");
    }

    #[test]
    fn malformed_signatures_are_reported_not_fatal() {
        assert!(parse(b"\0\0").is_err());
        assert!(parse(&[0u8; 12]).is_err());
        let mut sig = build(&[(0, CODE_DIRECTORY, code_directory("a", None, 0))]);
        // Point the blob outside the signature.
        sig[16..20].copy_from_slice(&0xffffu32.to_be_bytes());
        let cs = parse(&sig).unwrap();
        assert!(cs.blobs.is_empty());
        assert_eq!(cs.problems.len(), 1);
        for n in 0..sig.len() {
            let _ = parse(&sig[..n]);
        }
    }
}
