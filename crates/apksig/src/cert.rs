//! X.509 certificate summaries.

use crate::ber;
use crate::Error;
use appvet_model::{Certificate, Location};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};
use x509_parser::public_key::PublicKey;

/// Summarise one DER certificate as [`appvet_model::Certificate`].
///
/// * `sha256` / `sha1`: lowercase hex digests of exactly the bytes given (what
///   `apksigner verify --print-certs` prints).
/// * `subject` / `issuer`: see [`format_name`] (RFC 4514 order and escaping, `, ` separators:
///   the same string `apksigner verify --print-certs` and `keytool` print for ordinary names).
/// * `serial`: lowercase hex of the serial number INTEGER content with leading zero digits
///   removed, as `keytool -printcert` prints a positive serial.
/// * `not_before` / `not_after`: RFC 3339 in UTC (`2020-01-02T03:04:05Z`).
/// * `key_algorithm`: `RSA`, `EC`, `DSA`, `Ed25519`, `Ed448`, `RSASSA-PSS`, else the dotted OID.
/// * `key_bits`: RSA modulus size, EC curve size from the named-curve OID (P-192/224/256/384/521,
///   secp256k1), DSA prime size, 255 for Ed25519 and 448 for Ed448 (as Java reports); `None` when unknown.
/// * `signature_algorithm`: Java-style names (`SHA256withRSA`, `SHA1withDSA`,
///   `SHA256withECDSA`, ...), else the dotted OID.
/// * `debug`: see [`is_debug_subject`].
pub fn summarize_certificate(
    der: &[u8],
    scheme: &str,
    location: Location,
) -> Result<Certificate, Error> {
    let (_, cert) = X509Certificate::from_der(der).map_err(|e| Error::Certificate {
        location: location.to_string(),
        message: e.to_string(),
    })?;
    let spki = cert.public_key();
    let key_oid = spki.algorithm.algorithm.to_id_string();
    let key_algorithm = key_algorithm_name(&key_oid)
        .map(str::to_string)
        .unwrap_or_else(|| key_oid.clone());
    let key_bits = match key_oid.as_str() {
        OID_RSA | OID_RSA_PSS => match spki.parsed() {
            Ok(PublicKey::RSA(rsa)) => unsigned_bits(rsa.modulus),
            _ => None,
        },
        OID_EC => spki
            .algorithm
            .parameters
            .as_ref()
            .filter(|p| p.header.tag().0 == ber::TAG_OID)
            .and_then(|p| ber::oid_to_string(p.data))
            .and_then(|curve| curve_bits(&curve)),
        OID_DSA => spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| dsa_prime_bits(p.data)),
        OID_ED25519 => Some(255),
        OID_ED448 => Some(448),
        _ => None,
    };
    let sig_oid = cert.signature_algorithm.algorithm.to_id_string();
    let signature_algorithm = signature_algorithm_name(&sig_oid)
        .map(str::to_string)
        .unwrap_or(sig_oid);
    let validity = cert.validity();
    Ok(Certificate {
        sha256: hex::encode(Sha256::digest(der)),
        sha1: hex::encode(Sha1::digest(der)),
        subject: format_name(cert.subject()),
        issuer: format_name(cert.issuer()),
        serial: serial_hex(cert.raw_serial()),
        not_before: rfc3339(validity.not_before.to_datetime()),
        not_after: rfc3339(validity.not_after.to_datetime()),
        key_algorithm,
        key_bits,
        signature_algorithm,
        debug: is_debug_subject(cert.subject()),
        schemes: vec![scheme.to_string()],
        location,
    })
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_RSA_PSS: &str = "1.2.840.113549.1.1.10";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_DSA: &str = "1.2.840.10040.4.1";
const OID_ED25519: &str = "1.3.101.112";
const OID_ED448: &str = "1.3.101.113";

fn key_algorithm_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        OID_RSA => "RSA",
        OID_RSA_PSS => "RSASSA-PSS",
        OID_EC => "EC",
        OID_DSA => "DSA",
        OID_ED25519 => "Ed25519",
        OID_ED448 => "Ed448",
        _ => return None,
    })
}

/// Java-style name of a signature algorithm OID (certificate or PKCS#7 signer).
pub(crate) fn signature_algorithm_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.113549.1.1.2" => "MD2withRSA",
        "1.2.840.113549.1.1.4" => "MD5withRSA",
        "1.2.840.113549.1.1.5" => "SHA1withRSA",
        "1.2.840.113549.1.1.11" => "SHA256withRSA",
        "1.2.840.113549.1.1.12" => "SHA384withRSA",
        "1.2.840.113549.1.1.13" => "SHA512withRSA",
        "1.2.840.113549.1.1.14" => "SHA224withRSA",
        OID_RSA_PSS => "RSASSA-PSS",
        OID_RSA => "RSA",
        "1.2.840.10045.4.1" => "SHA1withECDSA",
        "1.2.840.10045.4.3.1" => "SHA224withECDSA",
        "1.2.840.10045.4.3.2" => "SHA256withECDSA",
        "1.2.840.10045.4.3.3" => "SHA384withECDSA",
        "1.2.840.10045.4.3.4" => "SHA512withECDSA",
        "1.2.840.10040.4.3" => "SHA1withDSA",
        "2.16.840.1.101.3.4.3.1" => "SHA224withDSA",
        "2.16.840.1.101.3.4.3.2" => "SHA256withDSA",
        OID_ED25519 => "Ed25519",
        OID_ED448 => "Ed448",
        _ => return None,
    })
}

/// Name of a digest algorithm OID (PKCS#7 digestAlgorithms).
pub(crate) fn digest_algorithm_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.113549.2.5" => "MD5",
        "1.3.14.3.2.26" => "SHA-1",
        "2.16.840.1.101.3.4.2.4" => "SHA-224",
        "2.16.840.1.101.3.4.2.1" => "SHA-256",
        "2.16.840.1.101.3.4.2.2" => "SHA-384",
        "2.16.840.1.101.3.4.2.3" => "SHA-512",
        _ => return None,
    })
}

fn curve_bits(oid: &str) -> Option<u32> {
    Some(match oid {
        "1.2.840.10045.3.1.1" => 192,                  // P-192
        "1.3.132.0.33" => 224,                         // P-224
        "1.2.840.10045.3.1.7" | "1.3.132.0.10" => 256, // P-256, secp256k1
        "1.3.132.0.34" => 384,                         // P-384
        "1.3.132.0.35" => 521,                         // P-521
        _ => return None,
    })
}

/// Bit length of an unsigned big-endian integer (leading zero octets ignored).
fn unsigned_bits(bytes: &[u8]) -> Option<u32> {
    let start = bytes.iter().position(|&b| b != 0)?;
    let rest = bytes.get(start..)?;
    let first = *rest.first()?;
    let bits = u64::try_from(rest.len())
        .ok()?
        .checked_sub(1)?
        .checked_mul(8)?
        .checked_add(u64::from(8 - first.leading_zeros()))?;
    u32::try_from(bits).ok()
}

/// DSA key size: the bit length of `p` in `Dss-Parms ::= SEQUENCE { p, q, g }` (the parameters'
/// content octets).
fn dsa_prime_bits(params: &[u8]) -> Option<u32> {
    let p = ber::Children::new(params, 0).next()?.ok()?;
    if !p.is_universal(ber::TAG_INTEGER) {
        return None;
    }
    unsigned_bits(p.content)
}

fn serial_hex(raw: &[u8]) -> String {
    let hex = hex::encode(raw);
    let trimmed = hex.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

/// RFC 3339 in UTC with second precision.
pub(crate) fn rfc3339(t: time::OffsetDateTime) -> String {
    let t = t.checked_to_offset(time::UtcOffset::UTC).unwrap_or(t);
    rfc3339_parts(
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    )
}

pub(crate) fn rfc3339_parts(
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
) -> String {
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// A distinguished name as an RFC 4514 string, the way `apksigner` and `keytool` print it:
///
/// * RDNs in **reverse** encoding order (RFC 4514 section 2.1; x509-parser's `Display` uses
///   encoding order, `C=US, O=Android, CN=Android Debug`, which matches neither RFC 4514 nor
///   Android tooling), joined with `", "` (comma and space, as Java prints; RFC 4514 itself
///   uses a bare comma); multi-valued RDNs joined with `+`.
/// * Attribute types `CN`, `L`, `ST`, `O`, `OU`, `C`, `STREET`, `DC`, `UID` (RFC 4514) plus
///   `EMAILADDRESS`, `SERIALNUMBER`, `T`, `SURNAME`, `GIVENNAME`, `INITIALS`, `GENERATION`,
///   `DNQUALIFIER` (the keywords Java uses); any other type as its dotted OID.
/// * String values (UTF8String, PrintableString, IA5String, TeletexString as Latin-1,
///   BMPString, UniversalString, ...) decoded and escaped per RFC 4514 section 2.4 (`\,`,
///   `\+`, `\"`, `\\`, `\<`, `\>`, `\;`, a leading `#` or space, a trailing space, and
///   control characters as `\XX`); other values as `#` followed by the hex of their encoding.
pub fn format_name(name: &X509Name<'_>) -> String {
    let rdns: Vec<_> = name.iter().collect();
    rdns.iter()
        .rev()
        .map(|rdn| {
            rdn.iter()
                .map(|attr| {
                    let oid = attr.attr_type().to_id_string();
                    let key = attribute_keyword(&oid).map(str::to_string).unwrap_or(oid);
                    let value = attr.attr_value();
                    let text = match decode_string(value.header.tag().0, value.data) {
                        Some(s) => escape_rfc4514(&s),
                        None => format!(
                            "#{}{}",
                            hex::encode(der_header(
                                value.header.class() as u8,
                                value.header.is_constructed(),
                                value.header.tag().0,
                                value.data.len()
                            )),
                            hex::encode(value.data)
                        ),
                    };
                    format!("{key}={text}")
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// DER identifier and length octets (low tag numbers only; others yield an empty header).
fn der_header(class: u8, constructed: bool, tag: u32, len: usize) -> Vec<u8> {
    let Ok(tag) = u8::try_from(tag) else {
        return Vec::new();
    };
    if tag >= 0x1f {
        return Vec::new();
    }
    let mut out = vec![(class << 6) | (u8::from(constructed) << 5) | tag];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let significant = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out
}

fn attribute_keyword(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.6" => "C",
        "2.5.4.9" => "STREET",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        "1.2.840.113549.1.9.1" => "EMAILADDRESS",
        "2.5.4.5" => "SERIALNUMBER",
        "2.5.4.12" => "T",
        "2.5.4.4" => "SURNAME",
        "2.5.4.42" => "GIVENNAME",
        "2.5.4.43" => "INITIALS",
        "2.5.4.44" => "GENERATION",
        "2.5.4.46" => "DNQUALIFIER",
        _ => return None,
    })
}

/// Decode an ASN.1 character string by its universal tag number.
fn decode_string(tag: u32, data: &[u8]) -> Option<String> {
    match tag {
        // UTF8String, NumericString, PrintableString, IA5String, VisibleString, GraphicString
        12 | 18 | 19 | 22 | 26 | 25 => std::str::from_utf8(data).ok().map(str::to_string),
        // TeletexString: commonly Latin-1 in practice.
        20 => Some(data.iter().map(|&b| char::from(b)).collect()),
        // BMPString: UTF-16BE.
        30 => {
            let chunks = data.chunks_exact(2);
            if !chunks.remainder().is_empty() {
                return None;
            }
            let units: Vec<u16> = chunks
                .filter_map(|c| c.try_into().ok().map(u16::from_be_bytes))
                .collect();
            String::from_utf16(&units).ok()
        }
        // UniversalString: UTF-32BE.
        28 => {
            let chunks = data.chunks_exact(4);
            if !chunks.remainder().is_empty() {
                return None;
            }
            chunks
                .map(|c| {
                    c.try_into()
                        .ok()
                        .and_then(|b| char::from_u32(u32::from_be_bytes(b)))
                })
                .collect()
        }
        _ => None,
    }
}

fn escape_rfc4514(s: &str) -> String {
    let count = s.chars().count();
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        match c {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i + 1 == count => out.push_str("\\ "),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\{:02X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// Subject of AOSP's public test keys (`build/target/product/security/`: testkey, platform,
/// shared, media, networkstack all use it), as (attribute OID, value) pairs.
const AOSP_TEST_SUBJECT: [(&str, &str); 7] = [
    ("1.2.840.113549.1.9.1", "android@android.com"),
    ("2.5.4.10", "Android"),
    ("2.5.4.11", "Android"),
    ("2.5.4.3", "Android"),
    ("2.5.4.6", "US"),
    ("2.5.4.7", "Mountain View"),
    ("2.5.4.8", "California"),
];

/// The debug rule: a certificate is a debug/test certificate when its subject
///
/// * has a common name (CN) that is exactly `Android Debug` (the Android SDK's debug keystore,
///   `CN=Android Debug, O=Android, C=US`), or
/// * consists of exactly the attributes of AOSP's public test keys, in any order:
///   `EMAILADDRESS=android@android.com, CN=Android, OU=Android, O=Android, L=Mountain View,
///   ST=California, C=US` (testkey, platform, shared and media keys share it; their private keys
///   are public, so anyone can sign with them).
pub fn is_debug_subject(name: &X509Name<'_>) -> bool {
    let mut attrs: Vec<(String, String)> = Vec::new();
    for attr in name.iter_attributes() {
        let oid = attr.attr_type().to_id_string();
        let value = match attr.as_str() {
            Ok(v) => v.to_string(),
            Err(_) => String::from_utf8_lossy(attr.as_slice()).into_owned(),
        };
        if oid == "2.5.4.3" && value == "Android Debug" {
            return true;
        }
        attrs.push((oid, value));
    }
    if attrs.len() != AOSP_TEST_SUBJECT.len() {
        return false;
    }
    attrs.sort();
    attrs
        .iter()
        .zip(AOSP_TEST_SUBJECT.iter())
        .all(|((o, v), (eo, ev))| o == eo && v == ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        assert_eq!(der_header(0, false, 2, 1), [0x02, 0x01]);
        assert_eq!(der_header(2, true, 0, 0x100), [0xa0, 0x82, 0x01, 0x00]);
        assert!(der_header(0, false, 40, 1).is_empty());
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_rfc4514("a,b+c"), "a\\,b\\+c");
        assert_eq!(escape_rfc4514(" #x "), "\\ #x\\ ");
        assert_eq!(escape_rfc4514("#x"), "\\#x");
        assert_eq!(escape_rfc4514("a\nb"), "a\\0Ab");
        assert_eq!(escape_rfc4514("测试 Edu"), "测试 Edu");
    }

    #[test]
    fn strings() {
        assert_eq!(
            decode_string(30, &[0x6d, 0x4b, 0x8b, 0xd5]).as_deref(),
            Some("测试")
        );
        assert_eq!(
            decode_string(28, &[0, 0, 0x6d, 0x4b]).as_deref(),
            Some("测")
        );
        assert_eq!(decode_string(20, &[0xe9]).as_deref(), Some("é"));
        assert_eq!(decode_string(30, &[0x6d]), None);
        assert_eq!(decode_string(4, b"x"), None);
    }

    #[test]
    fn bits() {
        assert_eq!(unsigned_bits(&[0x00, 0x80, 0x00]), Some(16));
        assert_eq!(unsigned_bits(&[0x01, 0xff]), Some(9));
        assert_eq!(unsigned_bits(&[0, 0]), None);
        assert_eq!(unsigned_bits(&[]), None);
    }

    #[test]
    fn serials() {
        assert_eq!(serial_hex(&[0x00, 0x8a, 0x01]), "8a01");
        assert_eq!(serial_hex(&[0x0a]), "a");
        assert_eq!(serial_hex(&[0x00]), "0");
    }

    #[test]
    fn test_subject_is_sorted() {
        let mut sorted = AOSP_TEST_SUBJECT;
        sorted.sort();
        assert_eq!(sorted, AOSP_TEST_SUBJECT);
    }
}
