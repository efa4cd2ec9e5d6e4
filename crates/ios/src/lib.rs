//! iOS packages (IPA) to an appvet [`PackageScan`]. (in progress: see the iOS issue)

use appvet_model::{Error, Limits, PackageScan, Result};
use appvet_zip::Archive;

/// Does the archive look like an IPA (`Payload/<Name>.app/`)?
pub fn is_ipa(archive: &Archive<'_>) -> bool {
    archive
        .entries()
        .iter()
        .any(|e| e.name.starts_with("Payload/") && e.name.contains(".app/"))
}

/// Scan an IPA.
pub fn scan(_archive: &Archive<'_>, _limits: &Limits) -> Result<PackageScan> {
    Err(Error::UnsupportedPackage(
        "iOS packages (IPA) are not supported yet".into(),
    ))
}
