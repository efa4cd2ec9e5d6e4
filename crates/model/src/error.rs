use std::path::PathBuf;

/// Why a package (or one part of it) could not be scanned.
///
/// Parser crates convert their own error types into this one at the crate boundary; the CLI adds
/// the file name and exits with code 2.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a package of any supported kind.
    #[error("not a supported package: {0}")]
    UnsupportedPackage(String),
    /// A container (zip) could not be read at all.
    #[error("invalid archive: {0}")]
    Archive(String),
    /// A required part of the package is malformed beyond recovery.
    #[error("malformed {what}: {message}")]
    Malformed { what: String, message: String },
    /// The input exceeds a configured [`crate::Limits`] value.
    #[error(
        "limit exceeded: {what} ({value} > {limit}){}",
        crate::limits::flag_hint(what)
    )]
    Limit {
        what: &'static str,
        value: u64,
        limit: u64,
    },
}

impl Error {
    pub fn malformed(what: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Malformed {
            what: what.into(),
            message: message.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
