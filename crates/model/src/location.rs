use serde::{Deserialize, Serialize};

/// Where a fact was found inside a package.
///
/// `entry` is the path of the archive entry (`AndroidManifest.xml`, `classes2.dex`,
/// `lib/arm64-v8a/libfoo.so`). For packages nested in a container (split APKs in an `.apks`,
/// frameworks in an IPA) the outer entries come first, joined with `!`:
/// `splits/base-master.apk!classes.dex`.
///
/// `offset` is a byte offset inside that entry where useful — except in a `.wxapkg`, whose
/// files are stored uncompressed in the package: there it is the byte offset in the package
/// file itself (the file's start, or the exact call or string), so a reviewer can seek to it
/// with any hex viewer; `index` a table index (DEX
/// `class_defs[i]`, string pool index); `path` a structural path inside a document
/// (`manifest/application/activity[2]`, an XML element path, a plist key path).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct Location {
    pub entry: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl Location {
    /// A location naming just an entry.
    pub fn entry(entry: impl Into<String>) -> Self {
        Location {
            entry: entry.into(),
            ..Location::default()
        }
    }

    pub fn with_offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    pub fn with_index(mut self, index: u32) -> Self {
        self.index = Some(index);
        self
    }

    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Prefix the entry with an outer container entry (`outer!inner`), used when a package is
    /// nested in another (a split APK inside an `.apks`).
    pub fn nested_in(mut self, outer: &str) -> Self {
        self.entry = if self.entry.is_empty() {
            outer.to_string()
        } else {
            format!("{outer}!{}", self.entry)
        };
        self
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.entry)?;
        if let Some(p) = &self.path {
            write!(f, " {p}")?;
        }
        if let Some(i) = self.index {
            write!(f, " [#{i}]")?;
        }
        if let Some(o) = self.offset {
            write!(f, " @0x{o:x}")?;
        }
        Ok(())
    }
}

/// Something malformed that a parser recovered from: the package can still be scanned, but the
/// inconsistency is itself a signal (tampering, anti-analysis tricks, broken tooling).
///
/// `code` is stable and never reused (`zip.duplicate-entry`, `axml.bad-string-pool`, ...); the
/// list of codes is in ARCHITECTURE.md.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Anomaly {
    pub code: String,
    pub message: String,
    pub location: Location,
}

impl Anomaly {
    pub fn new(code: &str, message: impl Into<String>, location: Location) -> Self {
        Anomaly {
            code: code.to_string(),
            message: message.into(),
            location,
        }
    }
}
