//! JAR (v1) signature block files: PKCS#7 / CMS SignedData (RFC 2315, RFC 5652).

use crate::ber::{self, Children, Tlv, CLASS_CONTEXT};
use crate::cert::{digest_algorithm_name, rfc3339_parts, summarize_certificate};
use crate::{Error, MAX_ITEMS};
use appvet_model::{Anomaly, Certificate, Location};

const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";

/// What a v1 signature block file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V1Signature {
    /// Certificates of the SignedData `certificates` set, in file order. `schemes` is `["v1"]`,
    /// `location.entry` the block file name, `location.offset` the certificate's offset in it.
    pub certificates: Vec<Certificate>,
    /// The first signer's `signingTime` signed attribute (1.2.840.113549.1.9.5), RFC 3339 UTC.
    /// `jarsigner` writes one; `apksigner` writes no signed attributes.
    pub signing_time: Option<String>,
    /// SignedData `digestAlgorithms` (`SHA-256`, `SHA-1`, ..., else the dotted OID).
    pub digest_algorithms: Vec<String>,
    /// Problems recovered from (`apksig.bad-certificate`, `apksig.too-many-items`).
    pub anomalies: Vec<Anomaly>,
}

/// The fields of the SignedData inside a PKCS#7 ContentInfo (`contentType` must be
/// signedData, the content `[0] EXPLICIT`), positioned at `version`.
fn signed_data_fields(der: &[u8]) -> Result<Children<'_>, Error> {
    let mut top = Children::new(der, 0);
    let content_info = top.expect("PKCS#7 ContentInfo")?;
    let mut ci = content_info.expect_children(ber::TAG_SEQUENCE, "PKCS#7 ContentInfo")?;
    let content_type = ci.expect("PKCS#7 contentType")?;
    let ct = oid(&content_type, "PKCS#7 contentType")?;
    if ct != OID_SIGNED_DATA {
        return Err(ber::malformed(
            "PKCS#7 contentType",
            content_type.offset,
            format!("{ct} is not signedData ({OID_SIGNED_DATA})"),
        ));
    }
    let explicit = ci.expect("PKCS#7 content")?;
    if !explicit.is(CLASS_CONTEXT, 0) || !explicit.constructed {
        return Err(ber::malformed(
            "PKCS#7 content",
            explicit.offset,
            "expected [0] EXPLICIT",
        ));
    }
    let signed_data = explicit.children().expect("SignedData")?;
    let sd = signed_data.expect_children(ber::TAG_SEQUENCE, "SignedData")?;
    Ok(sd)
}

/// Parse a v1 (JAR) signature block file (`META-INF/*.RSA`, `*.DSA`, `*.EC`): PKCS#7
/// SignedData in DER, or BER with indefinite lengths.
///
/// Certificates are reported as stored (raw bytes, file order); nothing is verified: the
/// signature over the `.SF` file, the `.SF` digests and the certificate chain are not checked.
/// A certificate that cannot be parsed is skipped with an `apksig.bad-certificate` anomaly; a
/// malformed SignedData structure is an error.
pub fn parse_v1_block(entry_name: &str, der: &[u8]) -> Result<V1Signature, Error> {
    let mut sd = signed_data_fields(der)?;
    let version = sd.expect("SignedData version")?;
    if !version.is_universal(ber::TAG_INTEGER) {
        return Err(ber::malformed(
            "SignedData version",
            version.offset,
            "not an INTEGER",
        ));
    }
    let digest_set = sd.expect("SignedData digestAlgorithms")?;
    let mut digest_algorithms = Vec::new();
    for alg in digest_set.expect_children(ber::TAG_SET, "SignedData digestAlgorithms")? {
        let alg = alg?;
        let alg_oid = alg
            .expect_children(ber::TAG_SEQUENCE, "AlgorithmIdentifier")?
            .expect("AlgorithmIdentifier algorithm")?;
        let alg_oid = oid(&alg_oid, "AlgorithmIdentifier algorithm")?;
        if digest_algorithms.len() < MAX_ITEMS {
            digest_algorithms.push(
                digest_algorithm_name(&alg_oid)
                    .map(str::to_string)
                    .unwrap_or(alg_oid),
            );
        }
    }
    let _encap = sd.expect("SignedData encapContentInfo")?;

    let mut certificates = Vec::new();
    let mut anomalies = Vec::new();
    let mut signing_time = None;
    for item in sd {
        let item = item?;
        if item.is(CLASS_CONTEXT, 0) && item.constructed {
            read_certificates(entry_name, &item, &mut certificates, &mut anomalies)?;
        } else if item.is_universal(ber::TAG_SET) && item.constructed {
            signing_time = first_signing_time(&item)?;
        }
        // [1] crls: ignored.
    }
    Ok(V1Signature {
        certificates,
        signing_time,
        digest_algorithms,
        anomalies,
    })
}

/// Most bytes [`signed_data_content`] assembles from a constructed (chunked) OCTET STRING.
const MAX_CONTENT: usize = 64 << 20;

/// The encapsulated content of a PKCS#7 / CMS SignedData (`encapContentInfo.eContent`): the
/// signed bytes themselves, such as the XML plist inside an iOS `embedded.mobileprovision`.
///
/// DER or BER: a primitive OCTET STRING is returned borrowed; a constructed one (BER chunks,
/// possibly nested) is concatenated. A detached signature (no eContent) is an error. Nothing is
/// verified.
pub fn signed_data_content(der: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, Error> {
    let mut sd = signed_data_fields(der)?;
    let _version = sd.expect("SignedData version")?;
    let _digests = sd.expect("SignedData digestAlgorithms")?;
    let encap = sd.expect("SignedData encapContentInfo")?;
    let mut parts = encap.expect_children(ber::TAG_SEQUENCE, "SignedData encapContentInfo")?;
    let _type = parts.expect("encapContentInfo eContentType")?;
    let wrapper = parts.next().transpose()?.ok_or_else(|| {
        ber::malformed(
            "encapContentInfo eContent",
            encap.offset,
            "no encapsulated content (detached signature)",
        )
    })?;
    if !wrapper.is(CLASS_CONTEXT, 0) || !wrapper.constructed {
        return Err(ber::malformed(
            "encapContentInfo eContent",
            wrapper.offset,
            "expected [0] EXPLICIT",
        ));
    }
    let octets = wrapper.children().expect("eContent OCTET STRING")?;
    if !octets.is_universal(TAG_OCTET_STRING) {
        return Err(ber::malformed(
            "eContent OCTET STRING",
            octets.offset,
            "not an OCTET STRING",
        ));
    }
    if !octets.constructed {
        return Ok(std::borrow::Cow::Borrowed(octets.content));
    }
    let mut out = Vec::new();
    collect_octets(&octets, &mut out, 0)?;
    Ok(std::borrow::Cow::Owned(out))
}

const TAG_OCTET_STRING: u32 = 4;

/// Concatenate the primitive chunks of a constructed OCTET STRING (depth-bounded).
fn collect_octets(tlv: &Tlv<'_>, out: &mut Vec<u8>, depth: u32) -> Result<(), Error> {
    if depth > ber::MAX_DEPTH {
        return Err(ber::malformed(
            "OCTET STRING",
            tlv.offset,
            "chunks nested too deeply",
        ));
    }
    for chunk in tlv.children() {
        let chunk = chunk?;
        if !chunk.is_universal(TAG_OCTET_STRING) {
            return Err(ber::malformed(
                "OCTET STRING chunk",
                chunk.offset,
                "not an OCTET STRING",
            ));
        }
        if chunk.constructed {
            collect_octets(&chunk, out, depth + 1)?;
        } else {
            if out.len().saturating_add(chunk.content.len()) > MAX_CONTENT {
                return Err(ber::malformed(
                    "OCTET STRING",
                    chunk.offset,
                    format!("content larger than {MAX_CONTENT} bytes"),
                ));
            }
            out.extend_from_slice(chunk.content);
        }
    }
    Ok(())
}

fn oid(tlv: &Tlv<'_>, what: &'static str) -> Result<String, Error> {
    if !tlv.is_universal(ber::TAG_OID) || tlv.constructed {
        return Err(ber::malformed(what, tlv.offset, "not an OBJECT IDENTIFIER"));
    }
    ber::oid_to_string(tlv.content)
        .ok_or_else(|| ber::malformed(what, tlv.offset, "invalid OBJECT IDENTIFIER"))
}

fn read_certificates(
    entry_name: &str,
    set: &Tlv<'_>,
    out: &mut Vec<Certificate>,
    anomalies: &mut Vec<Anomaly>,
) -> Result<(), Error> {
    for (index, choice) in set.children().enumerate() {
        let choice = choice?;
        // CertificateChoices: only plain certificates (SEQUENCE); attribute and other
        // certificate formats are tagged [1]..[3] and skipped.
        if !choice.is_universal(ber::TAG_SEQUENCE) {
            continue;
        }
        let location = Location::entry(entry_name)
            .with_offset(choice.offset as u64)
            .with_index(u32::try_from(index).unwrap_or(u32::MAX));
        if out.len() >= MAX_ITEMS {
            anomalies.push(Anomaly::new(
                "apksig.too-many-items",
                format!("more than {MAX_ITEMS} certificates; the rest are ignored"),
                location,
            ));
            break;
        }
        match summarize_certificate(choice.raw, "v1", location.clone()) {
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

/// signingTime of the first SignerInfo that has one.
fn first_signing_time(signer_infos: &Tlv<'_>) -> Result<Option<String>, Error> {
    for si in signer_infos.children() {
        let si = si?;
        if !si.is_universal(ber::TAG_SEQUENCE) || !si.constructed {
            continue;
        }
        for field in si.children() {
            let field = field?;
            // signedAttrs [0] IMPLICIT SET OF Attribute
            if !(field.is(CLASS_CONTEXT, 0) && field.constructed) {
                continue;
            }
            for attr in field.children() {
                let attr = attr?;
                if !attr.is_universal(ber::TAG_SEQUENCE) || !attr.constructed {
                    continue;
                }
                let mut parts = attr.children();
                let Some(Ok(ty)) = parts.next() else { continue };
                if oid(&ty, "Attribute type").ok().as_deref() != Some(OID_SIGNING_TIME) {
                    continue;
                }
                let Some(Ok(values)) = parts.next() else {
                    continue;
                };
                if let Some(Ok(value)) = values.children().next() {
                    if let Some(t) = decode_time(&value) {
                        return Ok(Some(t));
                    }
                }
            }
        }
    }
    Ok(None)
}

/// UTCTime or GeneralizedTime (DER forms, decoded by the `der` crate) as RFC 3339.
fn decode_time(value: &Tlv<'_>) -> Option<String> {
    use der::Decode;
    let dt = if value.is_universal(ber::TAG_UTC_TIME) {
        der::asn1::UtcTime::from_der(value.raw).ok()?.to_date_time()
    } else if value.is_universal(ber::TAG_GENERALIZED_TIME) {
        der::asn1::GeneralizedTime::from_der(value.raw)
            .ok()?
            .to_date_time()
    } else {
        return None;
    };
    Some(rfc3339_parts(
        i32::from(dt.year()),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minutes(),
        dt.seconds(),
    ))
}

#[cfg(test)]
mod content_tests {
    use super::signed_data_content;

    /// DER TLV with a definite length.
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        let n = content.len();
        if n < 0x80 {
            v.push(n as u8);
        } else {
            v.extend([0x82, (n >> 8) as u8, n as u8]);
        }
        v.extend_from_slice(content);
        v
    }

    /// OID 1.2.840.113549.1.7.2 (signedData) and 1.2.840.113549.1.7.1 (data).
    const SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
    const DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];

    fn signed_data(econtent: Option<Vec<u8>>) -> Vec<u8> {
        let mut encap = tlv(0x06, DATA);
        if let Some(e) = econtent {
            encap.extend(tlv(0xa0, &e));
        }
        let mut sd = tlv(0x02, &[1]);
        sd.extend(tlv(0x31, &[]));
        sd.extend(tlv(0x30, &encap));
        sd.extend(tlv(0x31, &[]));
        let mut ci = tlv(0x06, SIGNED_DATA);
        ci.extend(tlv(0xa0, &tlv(0x30, &sd)));
        tlv(0x30, &ci)
    }

    #[test]
    fn primitive_content_is_borrowed() {
        let der = signed_data(Some(tlv(0x04, b"<plist/>")));
        let got = signed_data_content(&der).unwrap();
        assert!(matches!(got, std::borrow::Cow::Borrowed(_)));
        assert_eq!(&*got, b"<plist/>");
    }

    #[test]
    fn constructed_ber_content_is_concatenated() {
        // Indefinite-length constructed OCTET STRING of two chunks, one nested.
        let mut octets = vec![0x24, 0x80];
        octets.extend(tlv(0x04, b"<pli"));
        octets.extend(tlv(0x24, &tlv(0x04, b"st/>")));
        octets.extend([0, 0]);
        let der = signed_data(Some(octets));
        assert_eq!(&*signed_data_content(&der).unwrap(), b"<plist/>");
    }

    #[test]
    fn detached_and_malformed_are_errors() {
        let detached = signed_data(None);
        let e = signed_data_content(&detached).unwrap_err().to_string();
        assert!(e.contains("detached"), "{e}");
        let not_octets = signed_data(Some(tlv(0x02, &[5])));
        assert!(signed_data_content(&not_octets).is_err());
        let der = signed_data(Some(tlv(0x04, b"<plist/>")));
        for n in 0..der.len() {
            assert!(signed_data_content(&der[..n]).is_err());
        }
        assert!(signed_data_content(b"").is_err());
    }
}
