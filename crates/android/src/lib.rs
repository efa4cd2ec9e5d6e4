//! Android packages (APK, split bundles, AAB) to an appvet [`appvet_model::PackageScan`].
//! (orchestration in progress)

pub mod manifest;
pub mod nsc;
