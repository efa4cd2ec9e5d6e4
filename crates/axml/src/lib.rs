//! Android resource formats, parsed from untrusted bytes without panicking:
//!
//! - [`axml`]: binary XML as aapt/aapt2 write it into APKs (`AndroidManifest.xml`, `res/xml/*`).
//! - [`arsc`]: the compiled resource table `resources.arsc`.
//! - [`proto`]: aapt2's protobuf forms used inside App Bundles (`base/manifest/AndroidManifest.xml`,
//!   `base/resources.pb`).
//!
//! All three produce the same [`XmlElement`] tree and implement [`Resources`], so the manifest
//! reader in `appvet-android` does not care which form a package used.
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

pub mod arsc;
pub mod axml;
pub mod proto;
mod xml;

pub use xml::{AttrValue, NoResources, ResValue, Resources, XmlAttr, XmlElement, ANDROID_NS};

/// Why a resource file could not be parsed at all. Recoverable damage is reported as warnings
/// on the parsed result instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("truncated: {0}")]
    Truncated(&'static str),
    #[error("malformed: {0}")]
    Malformed(String),
    #[error("too large: {what} ({value} > {limit})")]
    Limit {
        what: &'static str,
        value: u64,
        limit: u64,
    },
}
