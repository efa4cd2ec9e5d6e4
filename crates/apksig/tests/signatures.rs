//! Real APKs and signature blocks made by `tests/data/make.sh` (keytool, apksigner, jarsigner),
//! checked field by field and cross-checked at test time against `apksigner verify` and
//! `keytool -printcert`.

use appvet_apksig::{
    parse_signing_block, parse_v1_block, summarize_certificate, Signer, SigningBlock, ID_V2, ID_V3,
    ID_V31, ID_VASDOLLY, ID_VERITY_PADDING, ID_WALLE, SIGNING_BLOCK_ENTRY,
};
use appvet_model::{Certificate, Location};
use std::process::Command;

fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn data_path(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Central directory offset from the end-of-central-directory record (scan backward for
/// PK\x05\x06; the comment is at most 65535 bytes).
fn cd_offset(apk: &[u8]) -> u64 {
    let lowest = apk.len().saturating_sub(22 + 65535);
    let eocd = (lowest..=apk.len() - 22)
        .rev()
        .find(|&i| &apk[i..i + 4] == b"PK\x05\x06")
        .expect("no EOCD");
    u64::from(u32::from_le_bytes(
        apk[eocd + 16..eocd + 20].try_into().unwrap(),
    ))
}

fn block_of(name: &str) -> Option<SigningBlock> {
    let apk = data(name);
    parse_signing_block(&apk, cd_offset(&apk)).unwrap()
}

/// The certificate of one test key, as expected from make.sh's keytool invocations.
struct Key {
    sha256: &'static str,
    sha1: &'static str,
    subject: &'static str,
    serial: &'static str,
    key_algorithm: &'static str,
    key_bits: Option<u32>,
    signature_algorithm: &'static str,
    debug: bool,
}

const RELEASE: Key = Key {
    sha256: "968871f5296761d47c0dc1aa6e3552f9a442c95677232469c497ed8c88cf29b3",
    sha1: "0506d0063ecffc4b0bdafe6ccf31b53b836628c5",
    subject: "CN=测试 Edu, O=Example Edu, C=CN",
    serial: "10a9d493d222b16a",
    key_algorithm: "RSA",
    key_bits: Some(2048),
    signature_algorithm: "SHA256withRSA",
    debug: false,
};
const EC: Key = Key {
    sha256: "063157e0ba9fc21f4ba10ef4a2836a384a94fd0ca129d6eeb90c35d3efb16027",
    sha1: "d8382b1454b876f2bc985ca05da64d4c356365b8",
    subject: "CN=EC Signer, O=Example Edu, C=CN",
    serial: "b1d297d60575436f",
    key_algorithm: "EC",
    key_bits: Some(256),
    signature_algorithm: "SHA256withECDSA",
    debug: false,
};
const DEBUG: Key = Key {
    sha256: "3a214ef5d1a540434e44e1d7310faade371d316fe5855915ff7f4834c2bafe26",
    sha1: "dd89b8267804b0bed3198aa8b346e032f9474303",
    subject: "CN=Android Debug, O=Android, C=US",
    serial: "8139896828f06396",
    key_algorithm: "RSA",
    key_bits: Some(2048),
    signature_algorithm: "SHA256withRSA",
    debug: true,
};
const ROTATED: Key = Key {
    sha256: "4137b7e9d15ca26f5342182694afd220e80dfaffda80635012712e0515d31704",
    sha1: "eea6c634e26e4e20d40c9b07aba4f3cf59c8d947",
    subject: "CN=Rotated Signer, O=Example Edu, C=CN",
    serial: "f2bd474bb408ec9b",
    key_algorithm: "RSA",
    key_bits: Some(2048),
    signature_algorithm: "SHA256withRSA",
    debug: false,
};
const AOSP: Key = Key {
    sha256: "29e9c926fc56ec882062b8283c8d6bc35948ad3d5e23d08f1eb4fb3e36854d71",
    sha1: "21ca40e6b37f55483577b277542ac69924efcc45",
    subject: "EMAILADDRESS=android@android.com, CN=Android, OU=Android, O=Android, \
              L=Mountain View, ST=California, C=US",
    serial: "c444a922b1ad8c62",
    key_algorithm: "RSA",
    key_bits: Some(2048),
    signature_algorithm: "SHA256withRSA",
    debug: true,
};
const NEAR_MISS: Key = Key {
    sha256: "e542a822fb6b9691013ea30abf5c7e16cbff30ff041e5fa3a70aa210a6892a9e",
    sha1: "4a28e0ec6501c00523d1d74439ae673c86ed1b7c",
    subject: "EMAILADDRESS=android@android.com, CN=Android, OU=Android, O=Android, \
              L=Mountain View, ST=California, C=CN",
    serial: "3c215b2e7bc5af9e",
    key_algorithm: "RSA",
    key_bits: Some(2048),
    signature_algorithm: "SHA256withRSA",
    debug: false,
};
const DSA: Key = Key {
    sha256: "c92732f318dc82b79bc440e42c8e95affb016c09c265db7dfd98f50b7630b615",
    sha1: "87bfc0a34f7a02eb4b0203fcfc1f3c1f93d16fe6",
    // keytool prints `OU="R+D", O="Example, Inc."`; RFC 4514 escapes with a backslash.
    subject: "CN=DSA Signer, OU=R\\+D, O=Example\\, Inc., C=US",
    serial: "8831066588aed080",
    key_algorithm: "DSA",
    key_bits: Some(2048),
    signature_algorithm: "SHA256withDSA",
    debug: false,
};
const ED25519: Key = Key {
    sha256: "4401955cb69f0aca6a4277e59bd358001598f70c8ffb059d2a72cfd4063ae76e",
    sha1: "c56b344a28b8a890d0d89e6cf062bab5f0620048",
    subject: "CN=Ed Signer",
    serial: "4c5950b9c74373f",
    key_algorithm: "Ed25519",
    key_bits: Some(255),
    signature_algorithm: "Ed25519",
    debug: false,
};

fn expected(key: &Key, scheme: &str, location: Location) -> Certificate {
    Certificate {
        sha256: key.sha256.into(),
        sha1: key.sha1.into(),
        subject: key.subject.into(),
        issuer: key.subject.into(),
        serial: key.serial.into(),
        not_before: "2020-01-02T03:04:05Z".into(),
        not_after: "2047-05-20T03:04:05Z".into(),
        key_algorithm: key.key_algorithm.into(),
        key_bits: key.key_bits,
        signature_algorithm: key.signature_algorithm.into(),
        debug: key.debug,
        schemes: vec![scheme.into()],
        location,
    }
}

fn block_location(offset: u64, path: &str) -> Location {
    Location::entry(SIGNING_BLOCK_ENTRY)
        .with_offset(offset)
        .with_path(path)
}

#[test]
fn v1_blocks_from_apksigner_and_jarsigner() {
    let cases: [(&str, &Key, u64, &str); 4] = [
        ("v1-only-RELEASE.RSA", &RELEASE, 56, "SHA-1"),
        ("v1v2v3-RELEASE.RSA", &RELEASE, 56, "SHA-1"),
        ("debug-v1v2-DEBUG.RSA", &DEBUG, 56, "SHA-1"),
        ("ec-v1v2v3-EC.EC", &EC, 60, "SHA-256"),
    ];
    for (file, key, cert_offset, digest) in cases {
        let entry = format!("META-INF/{file}");
        let sig = parse_v1_block(&entry, &data(file)).unwrap();
        assert_eq!(
            sig.certificates,
            [expected(
                key,
                "v1",
                Location::entry(&entry)
                    .with_offset(cert_offset)
                    .with_index(0)
            )],
            "{file}"
        );
        // apksigner writes no signed attributes, hence no signing time.
        assert_eq!(sig.signing_time, None, "{file}");
        assert_eq!(sig.digest_algorithms, [digest], "{file}");
        assert!(sig.anomalies.is_empty(), "{file}: {:?}", sig.anomalies);
    }

    let sig = parse_v1_block("META-INF/RELEASE.RSA", &data("jarsigner-RELEASE.RSA")).unwrap();
    assert_eq!(sig.certificates.len(), 1);
    assert_eq!(sig.certificates[0].sha256, RELEASE.sha256);
    assert_eq!(sig.signing_time.as_deref(), Some("2026-11-23T11:09:47Z"));
    assert_eq!(sig.digest_algorithms, ["SHA-256"]);
}

#[test]
fn single_certificates() {
    for (file, key) in [
        ("cert-aosp.der", &AOSP),
        ("cert-nearmiss.der", &NEAR_MISS),
        ("cert-dsa.der", &DSA),
        ("cert-ed25519.der", &ED25519),
    ] {
        let loc = Location::entry(file);
        let cert = summarize_certificate(&data(file), "v2", loc.clone()).unwrap();
        assert_eq!(cert, expected(key, "v2", loc), "{file}");
    }
    assert!(summarize_certificate(b"not a certificate", "v1", Location::default()).is_err());
}

fn assert_signer(signer: &Signer, key: &Key, scheme: &str, cert_offset: u64, path: &str) {
    assert_eq!(
        signer.certificates,
        [expected(key, scheme, block_location(cert_offset, path))]
    );
    let alg = if key.key_algorithm == "EC" {
        0x0201
    } else {
        0x0103
    };
    assert_eq!(signer.signature_algorithms, [alg]);
    if scheme == "v2" {
        assert_eq!((signer.min_sdk, signer.max_sdk), (None, None));
    } else {
        assert_eq!(
            (signer.min_sdk, signer.max_sdk),
            (Some(24), Some(i32::MAX as u32))
        );
    }
}

fn pair_ids(block: &SigningBlock) -> Vec<u32> {
    block.pairs.iter().map(|p| p.id).collect()
}

#[test]
fn signing_blocks() {
    assert_eq!(block_of("v1-only.apk"), None);

    for (file, key) in [
        ("v2v3.apk", &RELEASE),
        ("v1v2v3.apk", &RELEASE),
        ("ec-v1v2v3.apk", &EC),
    ] {
        let b = block_of(file).unwrap();
        assert_eq!((b.offset, b.size), (4096, 4096), "{file}");
        assert_eq!(pair_ids(&b), [ID_V2, ID_V3, ID_VERITY_PADDING], "{file}");
        assert_eq!(b.pairs[0].offset, 4116);
        assert_eq!(b.pairs[0].name, Some("APK Signature Scheme v2"));
        assert_eq!(b.pairs[2].name, Some("verity padding"));
        assert!(b.anomalies.is_empty(), "{file}: {:?}", b.anomalies);
        assert_eq!(b.v2.len(), 1);
        assert_eq!(b.v3.len(), 1);
        assert!(b.v31.is_empty());
        assert_signer(&b.v2[0], key, "v2", 4184, "v2/signer[0]/certificate[0]");
        let v3_cert = b.pairs[1].offset + 68;
        assert_signer(&b.v3[0], key, "v3", v3_cert, "v3/signer[0]/certificate[0]");
        assert!(b.v2[0].lineage.is_empty() && b.v3[0].lineage.is_empty());
    }

    let b = block_of("debug-v1v2.apk").unwrap();
    assert_eq!(pair_ids(&b), [ID_V2, ID_VERITY_PADDING]);
    assert_signer(&b.v2[0], &DEBUG, "v2", 4184, "v2/signer[0]/certificate[0]");
    assert!(b.v3.is_empty());

    // Key rotation: v2 has the old key, v3 the new one plus the lineage old -> new.
    let b = block_of("rotated.apk").unwrap();
    assert_eq!(pair_ids(&b), [ID_V2, ID_V3, ID_VERITY_PADDING]);
    assert!(b.anomalies.is_empty(), "{:?}", b.anomalies);
    assert_signer(
        &b.v2[0],
        &RELEASE,
        "v2",
        4184,
        "v2/signer[0]/certificate[0]",
    );
    let v3_cert = b.pairs[1].offset + 68;
    assert_signer(
        &b.v3[0],
        &ROTATED,
        "v3",
        v3_cert,
        "v3/signer[0]/certificate[0]",
    );
    let lineage: Vec<(&str, &str, Option<&str>)> = b.v3[0]
        .lineage
        .iter()
        .map(|c| {
            (
                c.sha256.as_str(),
                c.schemes[0].as_str(),
                c.location.path.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        lineage,
        [
            (RELEASE.sha256, "v3", Some("v3/signer[0]/lineage[0]")),
            (ROTATED.sha256, "v3", Some("v3/signer[0]/lineage[1]")),
        ]
    );
}

/// Rebuild `apk`'s signing block with `edit` applied to its pairs (id, value), fixing both
/// size fields and the EOCD's central directory offset. Returns the new APK.
fn rebuild_block(apk: &[u8], edit: impl FnOnce(&mut Vec<(u32, Vec<u8>)>)) -> Vec<u8> {
    let cd = cd_offset(apk) as usize;
    let block = parse_signing_block(apk, cd as u64).unwrap().unwrap();
    let mut pairs: Vec<(u32, Vec<u8>)> = block
        .pairs
        .iter()
        .map(|p| {
            (
                p.id,
                apk[p.offset as usize..(p.offset + p.len) as usize].to_vec(),
            )
        })
        .collect();
    edit(&mut pairs);
    let body: Vec<u8> = pairs
        .iter()
        .flat_map(|(id, v)| {
            let mut e = ((v.len() + 4) as u64).to_le_bytes().to_vec();
            e.extend(id.to_le_bytes());
            e.extend(v);
            e
        })
        .collect();
    let size = (body.len() + 24) as u64;
    let mut out = apk[..block.offset as usize].to_vec();
    out.extend(size.to_le_bytes());
    out.extend(body);
    out.extend(size.to_le_bytes());
    out.extend(b"APK Sig Block 42");
    let new_cd = out.len() as u32;
    out.extend(&apk[cd..]);
    let eocd = (0..=out.len() - 22)
        .rev()
        .find(|&i| &out[i..i + 4] == b"PK\x05\x06")
        .unwrap();
    out[eocd + 16..eocd + 20].copy_from_slice(&new_cd.to_le_bytes());
    out
}

#[test]
fn channel_ids_and_v31() {
    let apk = data("v1v2v3.apk");
    let edited = rebuild_block(&apk, |pairs| {
        pairs.insert(2, (ID_WALLE, br#"{"channel":"tencent"}"#.to_vec()));
        pairs.insert(3, (ID_VASDOLLY, b"huawei".to_vec()));
        // v3.1 has the v3 format; reuse the v3 signer under the v3.1 id.
        let v3 = pairs[1].1.clone();
        pairs.insert(2, (ID_V31, v3));
        pairs.insert(5, (0x1234_5678, vec![1, 2, 3]));
    });
    let b = parse_signing_block(&edited, cd_offset(&edited))
        .unwrap()
        .unwrap();
    assert_eq!(
        pair_ids(&b),
        [
            ID_V2,
            ID_V3,
            ID_V31,
            ID_WALLE,
            ID_VASDOLLY,
            0x1234_5678,
            ID_VERITY_PADDING
        ]
    );
    assert_eq!(b.pairs[3].name, Some("Walle channel info"));
    assert_eq!(b.pairs[3].text.as_deref(), Some(r#"{"channel":"tencent"}"#));
    assert_eq!(b.pairs[4].name, Some("VasDolly channel info"));
    assert_eq!(b.pairs[4].text.as_deref(), Some("huawei"));
    assert_eq!(b.pairs[5].name, None);
    assert_eq!(b.anomalies.len(), 1);
    assert_eq!(b.anomalies[0].code, "apksig.unknown-block-id");
    assert_eq!(b.v31.len(), 1);
    let v31_cert = b.pairs[2].offset + 68;
    assert_signer(
        &b.v31[0],
        &RELEASE,
        "v3.1",
        v31_cert,
        "v3.1/signer[0]/certificate[0]",
    );
    assert_eq!(b.v3[0].certificates[0].sha256, RELEASE.sha256);

    // A duplicated v2 pair is flagged and only the first is used.
    let dup = rebuild_block(&apk, |pairs| {
        let v2 = pairs[0].clone();
        pairs.push(v2);
    });
    let b = parse_signing_block(&dup, cd_offset(&dup)).unwrap().unwrap();
    assert_eq!(b.v2.len(), 1);
    let codes: Vec<&str> = b.anomalies.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(codes, ["apksig.duplicate-block-id"]);
}

// ------------------------------------------------------------------ BER and cms cross-checks

/// Re-encode DER with indefinite lengths on every constructed element, except those whose bytes
/// are listed in `keep` (certificates, so that their fingerprints stay the same).
fn to_ber(der: &[u8], keep: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < der.len() {
        let id = der[pos];
        let mut p = pos + 1;
        let l = der[p] as usize;
        p += 1;
        let len = if l < 0x80 {
            l
        } else {
            let n = l & 0x7f;
            let mut len = 0usize;
            for _ in 0..n {
                len = (len << 8) | der[p] as usize;
                p += 1;
            }
            len
        };
        let whole = &der[pos..p + len];
        if id & 0x20 != 0 && !keep.iter().any(|k| k == whole) {
            out.extend([id, 0x80]);
            out.extend(to_ber(&der[p..p + len], keep));
            out.extend([0, 0]);
        } else {
            out.extend(whole);
        }
        pos = p + len;
    }
    out
}

#[test]
fn ber_indefinite_lengths_and_cms_agree() {
    use cms::content_info::ContentInfo;
    use cms::signed_data::SignedData;
    use der::{Decode, Encode};

    for file in [
        "v1-only-RELEASE.RSA",
        "ec-v1v2v3-EC.EC",
        "jarsigner-RELEASE.RSA",
    ] {
        let der_bytes = data(file);
        let dsig = parse_v1_block("x", &der_bytes).unwrap();

        // cms (strict DER) sees the same certificates and digest algorithms.
        let ci = ContentInfo::from_der(&der_bytes).unwrap();
        let sd: SignedData = ci.content.decode_as().unwrap();
        let certs: Vec<Vec<u8>> = sd
            .certificates
            .as_ref()
            .unwrap()
            .0
            .iter()
            .map(|c| match c {
                cms::cert::CertificateChoices::Certificate(c) => c.to_der().unwrap(),
                _ => panic!("unexpected certificate choice"),
            })
            .collect();
        let hashes: Vec<String> = certs
            .iter()
            .map(|c| {
                use sha2::Digest;
                hex::encode(sha2::Sha256::digest(c))
            })
            .collect();
        let ours: Vec<String> = dsig.certificates.iter().map(|c| c.sha256.clone()).collect();
        assert_eq!(hashes, ours, "{file}");
        let digests: Vec<String> = sd
            .digest_algorithms
            .iter()
            .map(|a| a.oid.to_string())
            .collect();
        let expected_oid = match dsig.digest_algorithms[0].as_str() {
            "SHA-1" => "1.3.14.3.2.26",
            "SHA-256" => "2.16.840.1.101.3.4.2.1",
            other => panic!("{other}"),
        };
        assert_eq!(digests, [expected_oid], "{file}");

        // The same block in BER with indefinite lengths gives the same result.
        let ber = to_ber(&der_bytes, &certs);
        assert_ne!(ber, der_bytes);
        assert_eq!(&ber[..2], [0x30, 0x80]);
        assert!(
            ContentInfo::from_der(&ber).is_err(),
            "cms should reject BER"
        );
        let bsig = parse_v1_block("x", &ber).unwrap();
        let strip = |mut s: appvet_apksig::V1Signature| {
            for c in &mut s.certificates {
                c.location.offset = None;
            }
            s
        };
        assert_eq!(strip(bsig), strip(dsig), "{file}");
    }
}

#[test]
fn v1_errors() {
    let der = data("v1-only-RELEASE.RSA");
    // Not signedData: change the content type OID's last arc (7.2 -> 7.1, data).
    let mut wrong = der.clone();
    let oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
    let at = wrong.windows(oid.len()).position(|w| w == oid).unwrap();
    wrong[at + 8] = 0x01;
    let err = parse_v1_block("x", &wrong).unwrap_err().to_string();
    assert!(err.contains("not signedData"), "{err}");
    // Truncated.
    let err = parse_v1_block("x", &der[..der.len() - 1])
        .unwrap_err()
        .to_string();
    assert!(err.contains("overruns"), "{err}");
    assert!(parse_v1_block("x", &[]).is_err());
    // A corrupted certificate is skipped with an anomaly, not an error.
    let mut bad_cert = der.clone();
    let cert_at = 56;
    bad_cert[cert_at + 4] = 0x05; // tbsCertificate SEQUENCE -> NULL
    let sig = parse_v1_block("x", &bad_cert).unwrap();
    assert!(sig.certificates.is_empty());
    assert_eq!(sig.anomalies.len(), 1);
    assert_eq!(sig.anomalies[0].code, "apksig.bad-certificate");
}

// ------------------------------------------------------------------ robustness

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

#[test]
fn mutations_never_panic() {
    let mut rng = Lcg(0x5eed);
    let (mut ok, mut err, mut flagged) = (0u32, 0u32, 0u32);

    // PKCS#7 blocks (DER and BER).
    for file in [
        "v1v2v3-RELEASE.RSA",
        "ec-v1v2v3-EC.EC",
        "jarsigner-RELEASE.RSA",
    ] {
        let der = data(file);
        let ber = to_ber(&der, &[]);
        for input in [der, ber] {
            for len in 0..input.len() {
                let _ = parse_v1_block("x", &input[..len]);
            }
            for _ in 0..3000 {
                let mut m = input.clone();
                for _ in 0..1 + rng.next() % 4 {
                    let i = (rng.next() as usize) % m.len();
                    m[i] = rng.next() as u8;
                }
                match parse_v1_block("x", &m) {
                    Ok(s) if !s.anomalies.is_empty() => flagged += 1,
                    Ok(_) => ok += 1,
                    Err(_) => err += 1,
                }
            }
        }
    }
    // Signing blocks: mutate only the block bytes; truncate from the front and the back.
    for file in ["rotated.apk", "ec-v1v2v3.apk"] {
        let apk = data(file);
        let cd = cd_offset(&apk);
        let b = parse_signing_block(&apk, cd).unwrap().unwrap();
        let (lo, hi) = (b.offset as usize, cd as usize);
        for _ in 0..1500 {
            let mut m = apk.clone();
            for _ in 0..1 + rng.next() % 4 {
                let i = lo + (rng.next() as usize) % (hi - lo);
                m[i] = rng.next() as u8;
            }
            match parse_signing_block(&m, cd) {
                Ok(Some(b)) if !b.anomalies.is_empty() => flagged += 1,
                Ok(_) => ok += 1,
                Err(_) => err += 1,
            }
        }
        // Extreme values over the whole block (every third byte), and at every byte of the
        // block header, footer and the first bytes of each pair, where the length fields are.
        let mut positions: Vec<usize> = (lo..hi).step_by(3).collect();
        positions.extend(lo..lo + 8);
        positions.extend(hi - 24..hi);
        for p in &b.pairs {
            let start = p.offset as usize - 12;
            positions.extend(start..(start + 160).min(hi));
        }
        for i in positions {
            for v in [0x00, 0xff] {
                let mut m = apk.clone();
                m[i] = v;
                let _ = parse_signing_block(&m, cd);
            }
        }
        for cut in (0..apk.len()).step_by(7) {
            let _ = parse_signing_block(&apk[..cut], cut as u64);
            let _ = parse_signing_block(&apk[..cut], cd.min(cut as u64));
        }
        for off in (0..=apk.len() as u64 + 2).step_by(13) {
            let _ = parse_signing_block(&apk, off);
        }
    }
    // The mutations reach all outcomes: clean parses, recovered anomalies and errors.
    assert!(
        ok > 100 && err > 100 && flagged > 100,
        "{ok} {err} {flagged}"
    );
}

// ------------------------------------------------------------------ tool cross-checks

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .env("TZ", "UTC")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `{tool}` ({e}); install Debian's `apksigner` package (it brings a JDK with keytool)")
        });
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn field<'a>(out: &'a str, prefix: &str) -> Vec<&'a str> {
    out.lines()
        .filter_map(|l| l.trim().strip_prefix(prefix))
        .map(str::trim)
        .collect()
}

#[test]
fn cross_check_apksigner() {
    // (apk, min SDK to verify for, v1 block file, schemes apksigner must report as verified)
    let cases = [
        (
            "v1-only.apk",
            "16",
            Some("v1-only-RELEASE.RSA"),
            ["v1"].as_slice(),
        ),
        ("v2v3.apk", "24", None, &["v2", "v3"]),
        (
            "v1v2v3.apk",
            "16",
            Some("v1v2v3-RELEASE.RSA"),
            &["v1", "v2", "v3"],
        ),
        (
            "ec-v1v2v3.apk",
            "18",
            Some("ec-v1v2v3-EC.EC"),
            &["v1", "v2", "v3"],
        ),
        (
            "debug-v1v2.apk",
            "16",
            Some("debug-v1v2-DEBUG.RSA"),
            &["v1", "v2"],
        ),
        ("rotated.apk", "16", None, &["v1", "v2", "v3"]),
    ];
    for (apk, min_sdk, v1_file, schemes) in cases {
        let out = run(
            "apksigner",
            &[
                "verify",
                "--print-certs",
                "-v",
                "--min-sdk-version",
                min_sdk,
                &data_path(apk),
            ],
        );
        assert!(out.starts_with("Verifies"), "{apk}: {out}");
        let mut verified = Vec::new();
        for (scheme, label) in [
            ("v1", "v1 scheme"),
            ("v2", "v2 scheme"),
            ("v3", "v3 scheme"),
        ] {
            let line = out
                .lines()
                .find(|l| l.starts_with("Verified using") && l.contains(label))
                .unwrap_or_else(|| panic!("{apk}: no line for {label}: {out}"));
            if line.ends_with("true") {
                verified.push(scheme);
            }
        }
        assert_eq!(verified, schemes, "{apk}");

        // What we found: v1 certificate from the block file, v2/v3 from the signing block.
        let mut found = Vec::new();
        let v1 = v1_file.map(|f| parse_v1_block(f, &data(f)).unwrap());
        if v1.is_some() {
            found.push("v1");
        }
        let block = block_of(apk);
        let newest = block.as_ref().and_then(|b| {
            if !b.v2.is_empty() {
                found.push("v2");
            }
            if !b.v3.is_empty() {
                found.push("v3");
            }
            b.v3.first()
                .or(b.v2.first())
                .map(|s| s.certificates[0].clone())
        });
        if apk == "rotated.apk" {
            found.insert(0, "v1"); // its v1 block file is not extracted
        }
        assert_eq!(found, schemes, "{apk}");
        // apksigner prints the signer of the newest verified scheme.
        let cert = newest.unwrap_or_else(|| v1.unwrap().certificates[0].clone());
        assert_eq!(
            field(&out, "Signer #1 certificate DN:"),
            [cert.subject.as_str()],
            "{apk}"
        );
        assert_eq!(
            field(&out, "Signer #1 certificate SHA-256 digest:"),
            [cert.sha256.as_str()],
            "{apk}"
        );
        assert_eq!(
            field(&out, "Signer #1 certificate SHA-1 digest:"),
            [cert.sha1.as_str()],
            "{apk}"
        );
        assert_eq!(
            field(&out, "Signer #1 key algorithm:"),
            [cert.key_algorithm.as_str()],
            "{apk}"
        );
        assert_eq!(
            field(&out, "Signer #1 key size (bits):"),
            [cert.key_bits.unwrap().to_string().as_str()],
            "{apk}"
        );
    }
}

/// `Thu Jan 02 03:04:05 UTC 2020` -> `2020-01-02T03:04:05Z`.
fn java_date(s: &str) -> String {
    let p: Vec<&str> = s.split_whitespace().collect();
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == p[1])
    .unwrap()
        + 1;
    assert_eq!(p[4], "UTC");
    format!("{}-{month:02}-{}T{}Z", p[5], p[2], p[3])
}

fn colon_hex(s: &str) -> String {
    s.replace(':', "").to_lowercase()
}

#[test]
fn cross_check_keytool() {
    let files = [
        "v1-only-RELEASE.RSA",
        "ec-v1v2v3-EC.EC",
        "debug-v1v2-DEBUG.RSA",
        "jarsigner-RELEASE.RSA",
        "cert-aosp.der",
        "cert-nearmiss.der",
        "cert-dsa.der",
        "cert-ed25519.der",
    ];
    for file in files {
        let out = run(
            "keytool",
            &[
                "-J-Duser.language=en",
                "-J-Duser.timezone=UTC",
                "-printcert",
                "-file",
                &data_path(file),
            ],
        );
        let bytes = data(file);
        let cert = if file.ends_with(".der") {
            summarize_certificate(&bytes, "v1", Location::default()).unwrap()
        } else {
            parse_v1_block(file, &bytes).unwrap().certificates.remove(0)
        };
        assert_eq!(
            field(&out, "Serial number:"),
            [cert.serial.as_str()],
            "{file}"
        );
        let sha256: Vec<String> = field(&out, "SHA256:").into_iter().map(colon_hex).collect();
        assert_eq!(sha256, [cert.sha256.as_str()], "{file}");
        let sha1: Vec<String> = field(&out, "SHA1:").into_iter().map(colon_hex).collect();
        assert_eq!(sha1, [cert.sha1.as_str()], "{file}");
        assert_eq!(
            field(&out, "Signature algorithm name:"),
            [cert.signature_algorithm.as_str()],
            "{file}"
        );
        let valid = field(&out, "Valid from:");
        let (from, until) = valid[0].split_once(" until: ").unwrap();
        assert_eq!(java_date(from), cert.not_before, "{file}");
        assert_eq!(java_date(until), cert.not_after, "{file}");
        let key = field(&out, "Subject Public Key Algorithm:");
        let want = format!("{}-bit {}", cert.key_bits.unwrap(), cert.key_algorithm);
        assert!(key[0].starts_with(&want), "{file}: {key:?} vs {want}");
        // keytool quotes special characters where RFC 4514 escapes them.
        if !cert.subject.contains('\\') {
            assert_eq!(field(&out, "Owner:"), [cert.subject.as_str()], "{file}");
            assert_eq!(field(&out, "Issuer:"), [cert.issuer.as_str()], "{file}");
        }
    }
}
