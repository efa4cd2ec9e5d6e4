//! The signature file formats (`signatures/README.md` documents them). Parsing is strict:
//! unknown keys are errors.
//!
//! This file is also compiled into `build.rs`, which parses the embedded signature files once
//! at build time into a [`Parsed`] database serialised with postcard (a format that is not
//! self-describing: every field is always serialised, so no `skip_serializing_if` here; the
//! TOML writer drops empty values itself). It must depend on nothing but serde.

use serde::{Deserialize, Serialize};

/// `sdk/<id>.toml`: one SDK.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkDef {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_zh: Option<String>,
    pub vendor: String,
    pub region: String,
    pub categories: Vec<String>,
    #[serde(default)]
    pub collects: Vec<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub android: AndroidIds,
    #[serde(default)]
    pub ios: IosIds,
    #[serde(default)]
    pub network: NetworkIds,
    #[serde(default)]
    pub wechat: WechatIds,
    #[serde(default)]
    pub harmonyos: HarmonyIds,
}

/// Mini-program identifiers of an SDK.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WechatIds {
    /// Plugin provider app ids (`app.json` `plugins.*.provider`), exact.
    #[serde(default)]
    pub plugins: Vec<String>,
    /// npm package names built into `miniprogram_npm/` (`umtrack-wx`, `@scope/name`), exact.
    #[serde(default)]
    pub npm: Vec<String>,
    /// `wx.*` API names that are the SDK's own entry points (`createRewardedVideoAd`).
    #[serde(default)]
    pub apis: Vec<String>,
}

impl WechatIds {
    pub fn is_empty(&self) -> bool {
        self.plugins.is_empty() && self.npm.is_empty() && self.apis.is_empty()
    }
}

/// HarmonyOS identifiers of an SDK.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarmonyIds {
    /// ohpm package names (`@umeng/analytics`), exact.
    #[serde(default)]
    pub ohpm: Vec<String>,
}

impl HarmonyIds {
    pub fn is_empty(&self) -> bool {
        self.ohpm.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AndroidIds {
    #[serde(default)]
    pub packages: Vec<String>,
    #[serde(default)]
    pub class_regex: Vec<String>,
    #[serde(default)]
    pub native_libs: Vec<String>,
    #[serde(default)]
    pub components: Vec<String>,
    #[serde(default)]
    pub metadata: Vec<String>,
}

impl AndroidIds {
    pub fn is_empty(&self) -> bool {
        self.packages.is_empty()
            && self.class_regex.is_empty()
            && self.native_libs.is_empty()
            && self.components.is_empty()
            && self.metadata.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IosIds {
    #[serde(default)]
    pub frameworks: Vec<String>,
    #[serde(default)]
    pub classes: Vec<String>,
    #[serde(default)]
    pub class_prefixes: Vec<String>,
    #[serde(default)]
    pub swift_modules: Vec<String>,
    #[serde(default)]
    pub symbols: Vec<String>,
    #[serde(default)]
    pub plist_keys: Vec<String>,
    #[serde(default)]
    pub skadnetwork_ids: Vec<String>,
}

impl IosIds {
    pub fn is_empty(&self) -> bool {
        self.frameworks.is_empty()
            && self.classes.is_empty()
            && self.class_prefixes.is_empty()
            && self.swift_modules.is_empty()
            && self.symbols.is_empty()
            && self.plist_keys.is_empty()
            && self.skadnetwork_ids.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkIds {
    #[serde(default)]
    pub domains: Vec<String>,
}

impl NetworkIds {
    pub fn is_empty(&self) -> bool {
        self.domains.is_empty()
    }
}

/// `permissions.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionFile {
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub android: Vec<PermissionDef>,
    #[serde(default)]
    pub ios_usage: Vec<PermissionDef>,
    #[serde(default)]
    pub ios_entitlement: Vec<PermissionDef>,
    /// Mini-program authorisation scopes (`scope.userLocation`; level `scope`) and declared
    /// privacy interfaces (`getLocation`; level `private-info`).
    #[serde(default)]
    pub wechat: Vec<PermissionDef>,
    /// HarmonyOS permissions (`ohos.permission.CAMERA`; level `user-grant` | `system-grant`).
    #[serde(default)]
    pub harmonyos: Vec<PermissionDef>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionDef {
    pub name: String,
    pub category: String,
    pub level: String,
    pub what: String,
    /// Chinese description (shown in Chinese reports; optional in the format, required for the
    /// embedded database).
    #[serde(default)]
    pub what_zh: Option<String>,
    /// `fingerprint`, `face` or `any`.
    #[serde(default)]
    pub biometric: Option<String>,
}

/// `apis.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiFile {
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub android: Vec<AndroidApiDef>,
    #[serde(default)]
    pub ios: Vec<IosApiDef>,
    #[serde(default)]
    pub wechat: Vec<WechatApiDef>,
    #[serde(default)]
    pub harmonyos: Vec<HarmonyApiDef>,
}

/// The fields every `apis.toml` entry shares, whatever its platform.
#[derive(Debug, Clone, Copy)]
pub struct ApiHead<'a> {
    pub id: &'a str,
    pub what: &'a str,
    pub what_zh: Option<&'a str>,
    pub category: &'a str,
    pub biometric: Option<&'a str>,
    /// iOS only: the required-reason API category.
    pub required_reason: Option<&'a str>,
}

macro_rules! api_head {
    ($($t:ty => |$d:ident| $reason:expr;)*) => {$(
        impl $t {
            pub fn head(&self) -> ApiHead<'_> {
                let $d = self;
                ApiHead {
                    id: &$d.id,
                    what: &$d.what,
                    what_zh: $d.what_zh.as_deref(),
                    category: &$d.category,
                    biometric: $d.biometric.as_deref(),
                    required_reason: $reason,
                }
            }
        }
    )*};
}

api_head! {
    AndroidApiDef => |d| None;
    IosApiDef => |d| d.required_reason.as_deref();
    WechatApiDef => |d| None;
    HarmonyApiDef => |d| None;
}

/// A mini-program API: a `wx.*` function call or a WXML `open-type`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WechatApiDef {
    pub id: String,
    pub what: String,
    #[serde(default)]
    pub what_zh: Option<String>,
    pub category: String,
    #[serde(default)]
    pub biometric: Option<String>,
    /// `wx.*` function names (`getLocation`).
    #[serde(default)]
    pub functions: Vec<String>,
    /// `<button open-type="...">` values (`getPhoneNumber`).
    #[serde(default)]
    pub open_types: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A HarmonyOS system module whose import gives access to personal information.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarmonyApiDef {
    pub id: String,
    pub what: String,
    #[serde(default)]
    pub what_zh: Option<String>,
    pub category: String,
    #[serde(default)]
    pub biometric: Option<String>,
    /// Module names as imported, normalised to `@ohos.x.y` / `@kit.XKit`.
    pub modules: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AndroidApiDef {
    pub id: String,
    pub what: String,
    /// Chinese description (shown in Chinese reports; optional in the format, required for the
    /// embedded database).
    #[serde(default)]
    pub what_zh: Option<String>,
    pub category: String,
    #[serde(default)]
    pub biometric: Option<String>,
    /// Dotted class name (`android.telephony.TelephonyManager`, `android.provider.Settings$Secure`).
    pub class: String,
    /// Method names; empty means any method of the class.
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IosApiDef {
    pub id: String,
    pub what: String,
    /// Chinese description (shown in Chinese reports; optional in the format, required for the
    /// embedded database).
    #[serde(default)]
    pub what_zh: Option<String>,
    pub category: String,
    #[serde(default)]
    pub biometric: Option<String>,
    #[serde(default)]
    pub required_reason: Option<String>,
    /// Objective-C classes; with `selectors`, both a class and a selector must be present.
    #[serde(default)]
    pub classes: Vec<String>,
    #[serde(default)]
    pub selectors: Vec<String>,
    /// C / Swift symbols, without the leading underscore of Mach-O C symbols (`stat`).
    #[serde(default)]
    pub symbols: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `packers.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackerFile {
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub packer: Vec<PackerDef>,
    #[serde(default)]
    pub code_loading: Vec<CodeLoadingDef>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackerDef {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_zh: Option<String>,
    pub vendor: String,
    /// Native library names, exact or `re:` + full-match regex.
    #[serde(default)]
    pub native_libs: Vec<String>,
    /// Class-name prefixes (prefix rule as SDK packages); also matched against the manifest's
    /// application class.
    #[serde(default)]
    pub classes: Vec<String>,
    /// Entry paths in the package, exact or `re:` + full-match regex (`assets/ijiami.dat`).
    #[serde(default)]
    pub files: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeLoadingDef {
    pub id: String,
    pub name: String,
    /// Chinese name (optional in the format, required for the embedded database).
    #[serde(default)]
    pub name_zh: Option<String>,
    pub class: String,
    /// Method names; empty means any method of the class.
    #[serde(default)]
    pub methods: Vec<String>,
}

/// Every signature file of a database, parsed: what `build.rs` serialises for the embedded
/// database, so a process deserialises a compact binary instead of parsing TOML at start-up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    pub version: String,
    /// (path relative to `signatures/`, definition), sorted by SDK id.
    pub sdks: Vec<(String, SdkDef)>,
    pub permissions: PermissionFile,
    pub apis: ApiFile,
    pub packers: PackerFile,
}
