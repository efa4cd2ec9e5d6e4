//! Deployment contexts: how an app is adopted changes what its evidence means.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// One deployment context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    /// 统一使用: a school requires the app for teaching or management (JJH55 (十一)).
    Mandated,
    /// 推荐使用: recommended, voluntary (JJH55 (十一)).
    Recommended,
    /// 以未成年人为主要用户: K-12, main users are minors (JJH55 (五), (六)).
    Minors,
    /// 高校管理服务类: a higher-education management/service app (JJS265).
    HigherEd,
}

impl Context {
    pub const ALL: [Context; 4] = [
        Context::Mandated,
        Context::Recommended,
        Context::Minors,
        Context::HigherEd,
    ];

    /// The command-line word.
    pub fn as_str(self) -> &'static str {
        match self {
            Context::Mandated => "mandated",
            Context::Recommended => "recommended",
            Context::Minors => "minors",
            Context::HigherEd => "higher-ed",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Context::Mandated => "统一使用",
            Context::Recommended => "推荐使用",
            Context::Minors => "以未成年人为主要用户",
            Context::HigherEd => "高校管理服务类",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Context::Mandated => 1,
            Context::Recommended => 2,
            Context::Minors => 4,
            Context::HigherEd => 8,
        }
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a context (set) was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContextError {
    #[error("unknown context {0:?}: expected mandated, recommended, minors or higher-ed")]
    Unknown(String),
    #[error("contexts {0} and {1} cannot be combined: {2}")]
    Conflict(Context, Context, &'static str),
}

impl FromStr for Context {
    type Err = ContextError;

    fn from_str(s: &str) -> Result<Context, ContextError> {
        let t = s.trim();
        match t.to_ascii_lowercase().as_str() {
            "mandated" | "统一使用" => Ok(Context::Mandated),
            "recommended" | "推荐使用" => Ok(Context::Recommended),
            "minors" | "k12" | "k-12" | "未成年人" => Ok(Context::Minors),
            "higher-ed" | "highered" | "higher-education" | "高校" | "高校管理服务类" => {
                Ok(Context::HigherEd)
            }
            _ => Err(ContextError::Unknown(t.chars().take(64).collect())),
        }
    }
}

/// A combination of contexts. Empty means "not specified": context-dependent clauses are then
/// judged conservatively (see the crate docs).
///
/// Allowed: any subset without both `mandated` and `recommended` (an app is either required or
/// voluntary) and without both `minors` and `higher-ed` (JJH55 (五) distinguishes apps whose
/// main users are minors from apps whose main users are university staff and students).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ContextSet(u8);

impl ContextSet {
    /// The unspecified (empty) set.
    pub fn empty() -> ContextSet {
        ContextSet(0)
    }

    /// Build a set, rejecting forbidden combinations.
    pub fn new(contexts: impl IntoIterator<Item = Context>) -> Result<ContextSet, ContextError> {
        let mut set = ContextSet::empty();
        for c in contexts {
            set.insert(c)?;
        }
        Ok(set)
    }

    /// Add a context, rejecting forbidden combinations (the set is unchanged on error).
    pub fn insert(&mut self, c: Context) -> Result<(), ContextError> {
        let conflicts = [
            (
                Context::Mandated,
                Context::Recommended,
                "an app is either required (统一使用) or voluntary (推荐使用)",
            ),
            (
                Context::Minors,
                Context::HigherEd,
                "JJH55 (五) treats apps for minors and apps for university staff and students separately",
            ),
        ];
        for (a, b, why) in conflicts {
            if (c == a && self.contains(b)) || (c == b && self.contains(a)) {
                return Err(ContextError::Conflict(a, b, why));
            }
        }
        self.0 |= c.bit();
        Ok(())
    }

    pub fn contains(self, c: Context) -> bool {
        self.0 & c.bit() != 0
    }

    /// No context given.
    pub fn is_unspecified(self) -> bool {
        self.0 == 0
    }

    /// The contexts in canonical order.
    pub fn iter(self) -> impl Iterator<Item = Context> {
        Context::ALL.into_iter().filter(move |c| self.contains(*c))
    }

    /// Parse several arguments (`--context` repeated), each comma-separated.
    pub fn parse_all<'a>(
        args: impl IntoIterator<Item = &'a str>,
    ) -> Result<ContextSet, ContextError> {
        let mut set = ContextSet::empty();
        for a in args {
            for c in a.parse::<ContextSet>()?.iter() {
                set.insert(c)?;
            }
        }
        Ok(set)
    }
}

impl FromStr for ContextSet {
    type Err = ContextError;

    /// `mandated,minors` (commas, Chinese commas or whitespace between words; empty items are
    /// ignored, so `""` is the unspecified set).
    fn from_str(s: &str) -> Result<ContextSet, ContextError> {
        let mut set = ContextSet::empty();
        for word in s
            .split([',', '，', '、', '+'])
            .flat_map(str::split_whitespace)
            .filter(|w| !w.is_empty())
        {
            set.insert(word.parse()?)?;
        }
        Ok(set)
    }
}

impl fmt::Display for ContextSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words: Vec<&str> = self.iter().map(Context::as_str).collect();
        f.write_str(&words.join(","))
    }
}

impl Serialize for Context {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Context {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Context, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// Serialised as an array of words: `["mandated", "minors"]`.
impl Serialize for ContextSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for ContextSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ContextSet, D::Error> {
        let v = Vec::<Context>::deserialize(d)?;
        ContextSet::new(v).map_err(serde::de::Error::custom)
    }
}
