#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]
//! APK signatures: who signed an APK.
//!
//! * [`parse_v1_block`]: a JAR (v1) signature block file (`META-INF/*.RSA`, `*.DSA`, `*.EC`),
//!   PKCS#7 SignedData in DER or BER (indefinite lengths).
//! * [`parse_signing_block`]: the APK Signing Block before the zip central directory, with its
//!   APK Signature Scheme v2, v3 and v3.1 signers and every other id-value pair (source stamps,
//!   Play frosting, Walle / VasDolly channel ids, ...).
//! * [`signed_data_content`]: the encapsulated content of a SignedData (an iOS provisioning
//!   profile's plist).
//! * [`summarize_certificate`]: one X.509 certificate as an [`appvet_model::Certificate`].
//!
//! This crate takes bytes; finding the entries and the central directory is the zip reader's
//! job. **Nothing is verified cryptographically**: digests, signatures, the `.SF` /
//! `MANIFEST.MF` chain and certificate chains are not checked, so the certificates reported
//! are the ones the APK *claims*. Use `apksigner verify` for verification.
//!
//! Structural problems the parsers recover from are reported as [`appvet_model::Anomaly`]s with
//! codes prefixed `apksig.`.
//!
//! PKCS#7 is read with a small bounded BER reader rather than `cms`/`der`, because those are
//! DER-only (no indefinite lengths), sort SET OF elements on decode (losing the certificate
//! order), and re-encoding decoded certificates could change the bytes that fingerprints must
//! be computed over. The tests cross-check this reader against `cms`.

mod ber;
mod block;
mod cert;
mod v1;

pub use block::{
    block_id_name, parse_signing_block, signature_algorithm_id_name, BlockPair, Signer,
    SigningBlock, ID_DEPENDENCY_INFO, ID_PLAY_FROSTING, ID_SOURCE_STAMP_V1, ID_SOURCE_STAMP_V2,
    ID_V2, ID_V3, ID_V31, ID_VASDOLLY, ID_VERITY_PADDING, ID_WALLE, SIGNING_BLOCK_ENTRY,
};
pub use cert::{format_name, is_debug_subject, summarize_certificate};
pub use v1::{parse_v1_block, signed_data_content, V1Signature};

/// Most items (pairs, signers, certificates, algorithms) kept from one list; a list longer than
/// this is cut short with an `apksig.too-many-items` anomaly.
pub const MAX_ITEMS: usize = 1024;

/// Why a signature structure could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A structure is malformed at `offset` (in the block file for v1, in the APK for the
    /// signing block).
    #[error("malformed {what} at offset {offset}: {message}")]
    Malformed {
        what: &'static str,
        offset: u64,
        message: String,
    },
    /// A length-prefixed field claims more bytes than remain.
    #[error("truncated {what} at offset {offset}: needs {needed} bytes, {available} available")]
    Truncated {
        what: &'static str,
        offset: u64,
        needed: u64,
        available: u64,
    },
    /// x509-parser rejected a certificate.
    #[error("invalid certificate at {location}: {message}")]
    Certificate { location: String, message: String },
}

impl From<Error> for appvet_model::Error {
    fn from(e: Error) -> Self {
        appvet_model::Error::malformed("APK signature", e.to_string())
    }
}
