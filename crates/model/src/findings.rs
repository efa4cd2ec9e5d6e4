//! Findings: what the detection step (`appvet-detect`) concluded from an [`crate::Inventory`]
//! and the signature database. The policy step consumes them; `appvet scan --format json`
//! prints them. Every list is in a deterministic order (documented per field).

use crate::Location;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Personal-information categories: the words of `collects` in signatures, of the permission
/// and API catalogues, and of the findings; the policy decides on them.
pub const PI_CATEGORIES: &[&str] = &[
    "location",
    "contacts",
    "device-id",
    "advertising-id",
    "phone-number",
    "sms",
    "call-log",
    "calendar",
    "camera",
    "microphone",
    "photos-storage",
    "sensors",
    "biometrics",
    "face",
    "installed-apps",
    "accounts",
    "clipboard",
    "network-info",
    "bluetooth",
    "health",
    "usage-data",
    "identity-document",
    "payment-info",
    "user-content",
];

/// Everything detection found in one package.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Findings {
    /// Which signature database (and scanner) produced these findings.
    pub database: DatabaseInfo,
    /// Third-party SDKs embedded in the package, sorted by id.
    pub sdks: Vec<SdkFinding>,
    /// Requested permissions, iOS usage keys and entitlements that are in the catalogue, in
    /// inventory order (permissions, then entitlements).
    pub permissions: Vec<PermissionFinding>,
    /// Sensitive APIs referenced by the code, sorted by id.
    pub apis: Vec<ApiFinding>,
    /// Biometric capabilities (permissions, APIs, face SDKs, Face ID usage key).
    pub biometrics: Vec<BiometricFinding>,
    /// Known SDK class names that occur only inside string constants (reflection probes such as
    /// `Class.forName("com.tencent.mm.opensdk...")`): the app looks for the SDK, it does not
    /// embed it. Never counted in `sdks`.
    pub probes: Vec<ProbeFinding>,
    /// Packers, protectors, runtime code loading, encrypted binaries.
    pub protections: Vec<ProtectionFinding>,
    /// Whether the package could be analysed completely.
    pub completeness: Completeness,
}

/// Identity of the signature database used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseInfo {
    /// The database version (`signatures/VERSION`, date based: `2026.11.23`).
    pub version: String,
    /// `embedded`, or the directory given with `--signatures`.
    pub source: String,
    /// The version of the scanner that applied it.
    pub scanner_version: String,
    pub sdks: u32,
    pub permissions: u32,
    pub apis: u32,
    pub packers: u32,
}

/// How strong the evidence for an SDK is.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// Only referenced types or network domains: the code mentions the SDK, it may not ship it.
    #[default]
    Weak,
    /// Configuration that announces the SDK (meta-data keys, plist keys, symbols; SKAdNetwork
    /// ids are weak: they show configuration, not presence) without its code being seen.
    Medium,
    /// The SDK's code or components ship in the package (classes defined, manifest components,
    /// native libraries, frameworks, Objective-C classes).
    Strong,
}

/// The kind of one piece of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// A class the code defines (DEX class_def, Objective-C class list).
    ClassDefined,
    /// A type the code only references.
    TypeReferenced,
    /// A manifest component (activity, service, receiver, provider).
    Component,
    /// A manifest `<meta-data>` key.
    Metadata,
    /// A native library file name.
    NativeLib,
    /// An iOS framework bundle or linked library.
    Framework,
    /// An Objective-C class defined by a Mach-O.
    ObjcClass,
    /// A Swift module named in symbols or class names.
    SwiftModule,
    /// A Mach-O symbol.
    Symbol,
    /// An Info.plist key.
    PlistKey,
    /// An SKAdNetwork identifier.
    SkadnetworkId,
    /// A network host in a string constant or privacy manifest.
    Domain,
    /// A method reference (runtime code loading).
    MethodRef,
    /// A file in the package (embedded code, packer payloads).
    File,
    /// The application class named in the manifest.
    ApplicationClass,
    /// A binary as a whole (encrypted Mach-O).
    Binary,
    /// A mini-program plugin the package declares (provider app id).
    Plugin,
    /// A third-party package built into the code (mini-program npm, HarmonyOS ohpm).
    Package,
    /// A call to a platform API that is the SDK's own entry point (`wx.createRewardedVideoAd`).
    ApiCall,
}

impl EvidenceKind {
    /// How much this kind of evidence proves that an SDK ships in the package.
    pub fn strength(self) -> Strength {
        match self {
            EvidenceKind::ClassDefined
            | EvidenceKind::Component
            | EvidenceKind::NativeLib
            | EvidenceKind::Framework
            | EvidenceKind::ObjcClass
            | EvidenceKind::SwiftModule
            | EvidenceKind::ApplicationClass
            | EvidenceKind::File
            | EvidenceKind::Binary
            | EvidenceKind::Plugin
            | EvidenceKind::Package => Strength::Strong,
            EvidenceKind::Metadata
            | EvidenceKind::Symbol
            | EvidenceKind::PlistKey
            | EvidenceKind::MethodRef
            | EvidenceKind::ApiCall => Strength::Medium,
            // An SKAdNetwork id says the app is set up to attribute installs for a network
            // (mediation lists dozens), not that the network's SDK is inside.
            EvidenceKind::TypeReferenced | EvidenceKind::Domain | EvidenceKind::SkadnetworkId => {
                Strength::Weak
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::ClassDefined => "class-defined",
            EvidenceKind::TypeReferenced => "type-referenced",
            EvidenceKind::Component => "component",
            EvidenceKind::Metadata => "metadata",
            EvidenceKind::NativeLib => "native-lib",
            EvidenceKind::Framework => "framework",
            EvidenceKind::ObjcClass => "objc-class",
            EvidenceKind::SwiftModule => "swift-module",
            EvidenceKind::Symbol => "symbol",
            EvidenceKind::PlistKey => "plist-key",
            EvidenceKind::SkadnetworkId => "skadnetwork-id",
            EvidenceKind::Domain => "domain",
            EvidenceKind::MethodRef => "method-ref",
            EvidenceKind::File => "file",
            EvidenceKind::ApplicationClass => "application-class",
            EvidenceKind::Binary => "binary",
            EvidenceKind::Plugin => "plugin",
            EvidenceKind::Package => "package",
            EvidenceKind::ApiCall => "api-call",
        }
    }
}

/// One observation supporting a finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    pub kind: EvidenceKind,
    /// What was seen: the class name, library name, meta-data key, host, ...
    pub value: String,
    pub location: Location,
}

/// A third-party SDK found in the package. `id`, `name`, `vendor`, `categories` and `evidence`
/// are a contract (the top-level `sdks` array of the scan document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SdkFinding {
    /// The SDK's stable id in the signature database (`umeng-analytics`).
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    pub vendor: String,
    /// `cn` or `global`.
    pub region: String,
    pub categories: Vec<String>,
    /// Personal-information categories the SDK is documented to collect.
    pub collects: Vec<String>,
    /// The strongest evidence kind seen.
    pub strength: Strength,
    /// Evidence, at most a few items per kind (see `evidence_counts` for the totals), strongest
    /// kinds first.
    pub evidence: Vec<Evidence>,
    /// Number of observations per evidence kind (including those not listed).
    pub evidence_counts: BTreeMap<EvidenceKind, u64>,
}

/// What kind of entry a permission finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PermissionKind {
    /// `uses-permission` (Android).
    AndroidPermission,
    /// An Info.plist usage-description key (iOS).
    IosUsageKey,
    /// A code-signing entitlement (iOS).
    IosEntitlement,
    /// A mini-program authorisation scope (`permission`) or declared privacy interface
    /// (`requiredPrivateInfos`).
    WechatPermission,
    /// A HarmonyOS `requestPermissions` entry.
    HarmonyosPermission,
}

/// A requested permission / usage key / entitlement that the catalogue knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionFinding {
    pub name: String,
    pub kind: PermissionKind,
    /// Personal-information (or capability) category: `location`, `camera`, `device-control`, ...
    pub category: String,
    /// `dangerous`, `special`, `signature`, `privileged`, `normal` (Android); `usage`,
    /// `entitlement` (iOS).
    pub level: String,
    /// `fingerprint`, `face` or `any` when the permission is biometric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biometric: Option<String>,
    /// Our one-line description.
    pub what: String,
    /// The same in Chinese (absent when the catalogue has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what_zh: Option<String>,
    pub location: Location,
}

/// Who references a sensitive API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Attribution {
    /// An SDK id, `app` (the package's own code) or `unknown`.
    pub by: String,
    /// The SDK's display name when `by` is an SDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_name: Option<String>,
    /// The calling class (DEX) or binary / bundle (Mach-O).
    pub caller: String,
    /// The API referenced (`android.telephony.TelephonyManager.getDeviceId`, a selector, a
    /// symbol).
    pub api: String,
    pub location: Location,
}

/// A sensitive API the code references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiFinding {
    /// Catalogue id (`imei`, `android-id`, `idfa`).
    pub id: String,
    /// Our one-line description (`IMEI / MEID / device id`).
    pub what: String,
    /// The same in Chinese (absent when the catalogue has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what_zh: Option<String>,
    /// Personal-information (or capability) category.
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biometric: Option<String>,
    /// iOS required-reason API category (`NSPrivacyAccessedAPICategoryDiskSpace`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_reason: Option<String>,
    /// Which SDK or code calls it, one entry per (by, caller, api), sorted; capped.
    pub callers: Vec<Attribution>,
    /// Number of (by, caller, api) triples, including those not listed.
    pub callers_total: u64,
    /// Sorted distinct `by` values (SDK ids, `app`, `unknown`): the short answer.
    pub by: Vec<String>,
}

/// Where a biometric finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BiometricSource {
    Permission,
    Api,
    Sdk,
}

/// A biometric capability (教技司〔2019〕265号 三.3 treats biometrics specially).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BiometricFinding {
    pub source: BiometricSource,
    /// Permission name, API id or SDK id.
    pub id: String,
    /// `fingerprint`, `face` or `any`.
    pub modality: String,
    /// The permission's or API's description, or the SDK's name and vendor.
    pub what: String,
    /// The same in Chinese (absent when there is none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what_zh: Option<String>,
    /// For APIs: who calls it (SDK ids, `app`, `unknown`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// A known SDK class name that appears only as a string constant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProbeFinding {
    /// The SDK the class name belongs to.
    pub sdk: String,
    pub sdk_name: String,
    /// The class name in the string.
    pub class: String,
    pub location: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProtectionKind {
    /// A commercial packer / protector (code encrypted or hidden, unpacked at run time).
    Packer,
    /// Code loaded at run time (DexClassLoader and friends).
    RuntimeCodeLoading,
    /// Code files the scanner did not analyse (a dex or jar under assets).
    EmbeddedCode,
    /// An encrypted Mach-O (App Store FairPlay).
    EncryptedBinary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtectionFinding {
    pub kind: ProtectionKind,
    /// Catalogue id (`jiagu-360`, `dex-class-loader`) or a fixed id for built-in checks
    /// (`embedded-dex`, `fairplay`).
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    pub evidence: Vec<Evidence>,
    /// For runtime code loading: who calls the loader.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callers: Vec<Attribution>,
}

/// Why the analysis is incomplete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncompleteReason {
    /// `packed`, `runtime-code-loading`, `embedded-code`, `encrypted-binary`,
    /// `code-unreadable`, `list-truncated`.
    pub code: String,
    pub message: String,
}

/// "Results incomplete", never a clean pass, when code was hidden from the scanner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completeness {
    pub complete: bool,
    pub reasons: Vec<IncompleteReason>,
}

impl Default for Completeness {
    fn default() -> Self {
        Completeness {
            complete: true,
            reasons: Vec::new(),
        }
    }
}
