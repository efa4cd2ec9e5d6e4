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

/// Parse a v1 (JAR) signature block file (`META-INF/*.RSA`, `*.DSA`, `*.EC`): PKCS#7
/// SignedData in DER, or BER with indefinite lengths.
///
/// Certificates are reported as stored (raw bytes, file order); nothing is verified: the
/// signature over the `.SF` file, the `.SF` digests and the certificate chain are not checked.
/// A certificate that cannot be parsed is skipped with an `apksig.bad-certificate` anomaly; a
/// malformed SignedData structure is an error.
pub fn parse_v1_block(entry_name: &str, der: &[u8]) -> Result<V1Signature, Error> {
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
    let mut sd = signed_data.expect_children(ber::TAG_SEQUENCE, "SignedData")?;
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
