//! The Inventory: every fact a parser read from a package, each with its [`Location`].

use crate::{Anomaly, Location, MethodRefs};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a parser returns: identity plus inventory. Serialised as the `package` and `inventory`
/// members of appvet's JSON output (a contract other tools script against).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackageScan {
    pub package: PackageInfo,
    pub inventory: Inventory,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Android,
    Ios,
    /// A WeChat mini-program package (`.wxapkg`).
    #[serde(rename = "wechat-miniprogram")]
    WechatMiniprogram,
    /// A HarmonyOS package (`.hap`, or an App Pack `.app` of them).
    Harmonyos,
}

impl Platform {
    /// The name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Android => "android",
            Platform::Ios => "ios",
            Platform::WechatMiniprogram => "wechat-miniprogram",
            Platform::Harmonyos => "harmonyos",
        }
    }
}

/// The container format of the scanned file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageFormat {
    /// A single APK.
    Apk,
    /// A zip of split APKs (`.apks`, `.xapk`, `.apkm`).
    Splits,
    /// An Android App Bundle (`.aab`, protobuf manifest).
    Aab,
    /// An iOS App Store package.
    Ipa,
    /// A WeChat mini-program package as the WeChat client caches it.
    Wxapkg,
    /// A HarmonyOS Ability Package (a zip with `module.json`).
    Hap,
    /// A HarmonyOS App Pack (a zip of `.hap` files with `pack.info`).
    App,
}

/// Who the package says it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageInfo {
    pub platform: Platform,
    pub format: PackageFormat,
    /// Android package name / iOS bundle identifier.
    pub id: String,
    /// Android `versionCode` (with `versionCodeMajor` folded in) / iOS `CFBundleVersion`.
    pub version_code: Option<String>,
    /// Android `versionName` / iOS `CFBundleShortVersionString`.
    pub version_name: Option<String>,
    /// The label shown to users in the default configuration, resolved through resources.
    pub label: Option<String>,
    /// Label per locale where the package localises it (`zh-CN`, `zh`, `en`, ...; "" is the
    /// default configuration).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Android `minSdkVersion`.
    pub min_sdk: Option<u32>,
    /// Android `targetSdkVersion` (defaults to minSdkVersion as Android does).
    pub target_sdk: Option<u32>,
    /// Android `compileSdkVersion` (manifest attribute, or `platformBuildVersionCode`).
    pub compile_sdk: Option<u32>,
    /// iOS `MinimumOSVersion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_os_version: Option<String>,
    pub location: Location,
}

/// Every fact read from a package. Lists are in a deterministic order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub signing: Signing,
    pub permissions: Vec<PermissionRequest>,
    pub declared_permissions: Vec<DeclaredPermission>,
    pub components: Vec<Component>,
    pub app: AppFlags,
    pub queries: Queries,
    pub metadata: Vec<MetaData>,
    /// Hardware and software features the package declares (`uses-feature`).
    pub features: Vec<Feature>,
    /// String constants that are URLs or hostnames, with where they occur.
    pub urls: Vec<UrlString>,
    /// String constants that look like class names (`com.tencent.mm.opensdk.openapi.WXAPIFactory`):
    /// reflection probes (`Class.forName`) check whether an SDK is present without embedding it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub class_strings: Vec<ClassNameString>,
    pub native_libs: Vec<NativeLib>,
    pub files: Vec<NotableFile>,
    pub build_time: BuildTime,
    /// Nested packages that were merged into this inventory (split APKs, base module of an .aab).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PackagePart>,
    /// iOS: the bundles inside the package (app, frameworks, extensions, watch apps, resource
    /// bundles); every Mach-O `CodeUnit` names its bundle.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bundles: Vec<Bundle>,
    /// iOS: entitlements from the code signature of the main executable (and of extensions,
    /// with their bundle in the location).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entitlements: Vec<Entitlement>,
    /// iOS: the embedded provisioning profile(s).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisioning: Vec<ProvisioningProfile>,
    /// iOS: every `PrivacyInfo.xcprivacy`, per bundle.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub privacy_manifests: Vec<PrivacyManifest>,
    /// iOS: `SKAdNetworkItems` identifiers (ad networks the app is set up to attribute for).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ad_network_ids: Vec<AdNetworkId>,
    /// iOS: `UIBackgroundModes`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub background_modes: Vec<String>,
    /// Third-party modules the package declares: mini-program plugins (provider app id) and npm
    /// packages (`miniprogram_npm/<name>`), HarmonyOS ohpm dependencies and shared packages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modules: Vec<Module>,
    pub anomalies: Vec<Anomaly>,
    /// Lists cut short by [`crate::Limits::max_list_items`]: list name → items not kept.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub truncated: BTreeMap<String, u64>,
    /// One entry per code file (DEX file, Mach-O slice). Last, so that the facts above come
    /// first in JSON and a renderer can write this, by far the largest member, on its own.
    pub code: Vec<CodeUnit>,
}

// ---------------------------------------------------------------- signing

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Signing {
    /// Schemes present: `v1` (JAR), `v2`, `v3`, `v3.1`, `v4` (APK Signature Scheme), or
    /// `codesign` (Apple code signature).
    pub schemes: Vec<String>,
    pub certificates: Vec<Certificate>,
    /// Signing time from a signed attribute, where one exists (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_time: Option<String>,
    /// The id-value pairs of the APK Signing Block: signature schemes, padding, and what other
    /// tools store there (channel ids written by Walle or VasDolly, Play metadata).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub block_entries: Vec<SigningBlockEntry>,
    /// Apple code signature: team identifier of the main executable's CodeDirectory, else of
    /// its embedded provisioning profile (`TeamIdentifier`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningBlockEntry {
    /// The pair id, `0x7109871a`.
    pub id: String,
    /// Known name (`APK Signature Scheme v2`, `Walle channel info`, ...), None when unknown.
    pub name: Option<String>,
    pub size: u64,
    /// The value as text, for channel-info pairs whose value is UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub location: Location,
}

impl Signing {
    /// Record a scheme once.
    pub fn add_scheme(&mut self, scheme: &str) {
        if !self.schemes.iter().any(|s| s == scheme) {
            self.schemes.push(scheme.to_string());
        }
    }

    /// Record a certificate once per fingerprint, with every scheme that carries it.
    pub fn add_certificate(&mut self, cert: Certificate) {
        match self
            .certificates
            .iter_mut()
            .find(|c| c.sha256 == cert.sha256)
        {
            Some(have) => {
                for s in cert.schemes {
                    if !have.schemes.contains(&s) {
                        have.schemes.push(s);
                    }
                }
            }
            None => self.certificates.push(cert),
        }
    }
}

/// A signer certificate (X.509), summarised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// Hex SHA-256 of the DER certificate (what `apksigner verify --print-certs` prints).
    pub sha256: String,
    pub sha1: String,
    /// RFC 4514 distinguished names.
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    /// RFC 3339.
    pub not_before: String,
    pub not_after: String,
    /// `RSA`, `EC`, `DSA`, `Ed25519`, or the OID when unknown.
    pub key_algorithm: String,
    /// Key size in bits (RSA modulus, EC curve size) where known.
    pub key_bits: Option<u32>,
    /// `SHA256withRSA` etc.
    pub signature_algorithm: String,
    /// A publicly known key signed this: the Android debug certificate (`CN=Android Debug`)
    /// or AOSP's public test keys (testkey/platform/shared/media subject).
    pub debug: bool,
    /// Which schemes carry this certificate (`v1`, `v2`, ...).
    pub schemes: Vec<String>,
    pub location: Location,
}

// ---------------------------------------------------------------- permissions

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionRequest {
    /// `android.permission.CAMERA`, or an iOS usage key (`NSCameraUsageDescription`).
    pub name: String,
    /// `uses-permission android:maxSdkVersion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_sdk: Option<u32>,
    /// Requested through `uses-permission-sdk-23` (only granted on API 23+).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sdk23: bool,
    /// iOS usage description text, Android `usesPermissionFlags`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclaredPermission {
    pub name: String,
    /// `normal`, `dangerous`, `signature`, `signature|privileged`, ...
    pub protection_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub location: Location,
}

// ---------------------------------------------------------------- components

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    Activity,
    ActivityAlias,
    Service,
    Receiver,
    Provider,
    /// iOS app extension (`PlugIns/*.appex`); HarmonyOS ExtensionAbility.
    Extension,
    /// HarmonyOS UIAbility (`module.json` `abilities`).
    Ability,
    /// Mini-program page (`app.json` `pages` and sub-package pages).
    Page,
}

/// Why a component is (not) reachable by other apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportedReason {
    /// `android:exported` is set.
    Explicit,
    /// Not set; has an intent filter and the target SDK is below 31, so Android exports it.
    ImpliedByIntentFilter,
    /// Not set; a provider on target SDK below 17 is exported by default.
    ImpliedProviderDefault,
    /// Not set and nothing implies it: not exported.
    Default,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    pub kind: ComponentKind,
    /// Fully qualified class name (relative names resolved against the package).
    pub name: String,
    /// Effective exported state.
    pub exported: bool,
    pub exported_reason: ExportedReason,
    /// `android:enabled="false"` components are listed with `enabled: false`.
    pub enabled: bool,
    /// `android:permission` guarding the component.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    /// Providers: `readPermission` / `writePermission`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_permission: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_permission: Option<String>,
    /// Providers: `authorities` split on `;`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorities: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub grant_uri_permissions: bool,
    /// Activity aliases: the activity they point at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_activity: Option<String>,
    /// `android:process` when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
    pub intent_filters: Vec<IntentFilter>,
    pub location: Location,
}

impl Component {
    /// An enabled component that is not exported (nothing says it is), with no guard, no
    /// filters and none of the Android-only attributes: what the platforms that declare less
    /// than Android start from (`Component { exported: true, ..Component::new(..) }`).
    pub fn new(kind: ComponentKind, name: impl Into<String>, location: Location) -> Component {
        Component {
            kind,
            name: name.into(),
            exported: false,
            exported_reason: ExportedReason::Default,
            enabled: true,
            permission: None,
            read_permission: None,
            write_permission: None,
            authorities: Vec::new(),
            grant_uri_permissions: false,
            target_activity: None,
            process: None,
            intent_filters: Vec::new(),
            location,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntentFilter {
    pub actions: Vec<String>,
    pub categories: Vec<String>,
    pub data: Vec<IntentData>,
    /// `android:autoVerify` (App Links).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub auto_verify: bool,
}

/// One `<data>` element (or URL scheme on iOS). Deep links are filters with the VIEW action,
/// the BROWSABLE category and a scheme.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntentData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    /// `path`, `pathPrefix`, `pathPattern`, ... as `kind:value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
}

// ---------------------------------------------------------------- application flags

/// Application-wide flags that bear on security.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AppFlags {
    /// `android:debuggable` / iOS `get-task-allow`.
    pub debuggable: Option<bool>,
    /// `android:allowBackup` as written (Android's default is true when unset).
    pub allow_backup: Option<bool>,
    /// `android:usesCleartextTraffic` as written.
    pub uses_cleartext_traffic: Option<bool>,
    /// Cleartext permitted by default, after applying Android's rules (manifest flag, network
    /// security config base-config, target SDK 28 default) / iOS ATS arbitrary loads.
    pub cleartext_permitted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_only: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_security_config: Option<NetworkSecurityConfig>,
    pub location: Location,
}

/// A parsed network security config (Android `res/xml/...`) or iOS ATS dictionary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkSecurityConfig {
    /// The resource file it was read from.
    pub source: Location,
    /// `base-config cleartextTrafficPermitted`, when set.
    pub base_cleartext_permitted: Option<bool>,
    /// Trust anchors of the base config (`system`, `user`, `@raw/...`).
    pub base_trust_anchors: Vec<String>,
    /// `debug-overrides` trust anchors (only active in debuggable builds).
    pub debug_trust_anchors: Vec<String>,
    pub domains: Vec<DomainConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DomainConfig {
    pub domains: Vec<String>,
    pub include_subdomains: bool,
    pub cleartext_permitted: Option<bool>,
    pub trust_anchors: Vec<String>,
    /// Certificate pins (`sha256/...`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pins: Vec<String>,
}

// ---------------------------------------------------------------- queries, meta-data, features

/// `<queries>`: other apps this package asks to see (package visibility, API 30+).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queries {
    pub packages: Vec<String>,
    pub intents: Vec<IntentFilter>,
    pub providers: Vec<String>,
    /// iOS `LSApplicationQueriesSchemes`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemes: Vec<String>,
}

/// A `<meta-data>` entry (SDKs announce app keys and channels here) or an Info.plist SDK key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaData {
    pub name: String,
    /// The value, resolved through resources where it is a reference.
    pub value: Option<String>,
    /// The component it belongs to, or `None` for application level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feature {
    /// Feature name, or `glEsVersion=0x...` for OpenGL ES requirements.
    pub name: String,
    pub required: bool,
    pub location: Location,
}

// ---------------------------------------------------------------- code

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum CodeFormat {
    #[default]
    Dex,
    Macho,
    /// Mini-program JavaScript (`app-service.js` and the files it defines); `methods` are
    /// `wx.*` calls (class `wx`) with the defining module path as caller.
    Js,
    /// Ark bytecode (`.abc`) of a HarmonyOS module.
    Abc,
}

/// One code file: a DEX file or one Mach-O slice. Names are in dotted Java form for DEX
/// (`com.example.Foo$Inner`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeUnit {
    pub format: CodeFormat,
    /// The entry (and for Mach-O, the architecture in `path`).
    pub location: Location,
    /// DEX version (`035`, `039`) or Mach-O architecture.
    pub version: String,
    /// Classes this file defines (DEX class_defs / Objective-C class list). Index = table index.
    pub classes_defined: Vec<Named>,
    /// Types used but not defined here (DEX type_ids minus class_defs, arrays reduced to their
    /// element type, primitives dropped). Evidence of a dependency, weaker than a definition.
    pub types_referenced: Vec<Named>,
    /// Method references (DEX method_ids), with the classes that call each.
    pub methods: MethodRefs,
    /// Number of string constants in the file.
    pub string_count: u32,
    /// Mach-O: the bundle this binary belongs to (`Payload/X.app`, `.../Frameworks/Y.framework`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle: Option<String>,
    /// Mach-O: dylibs and frameworks loaded (LC_LOAD_DYLIB and friends).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub linked_libraries: Vec<LinkedLibrary>,
    /// Mach-O: undefined (imported) symbols.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imported_symbols: Vec<String>,
    /// Mach-O: exported symbols.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exported_symbols: Vec<String>,
    /// Mach-O: Objective-C selector names (`__objc_methname`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub selectors: Vec<String>,
    /// Mach-O: LC_ENCRYPTION_INFO cryptid != 0 (App Store FairPlay encryption): code and
    /// C strings are unreadable; load commands, symbols and ObjC metadata may still be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    /// Mach-O: hardening indicators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardening: Option<Hardening>,
    /// Mach-O: minimum OS version (`LC_BUILD_VERSION` minos, else `LC_VERSION_MIN_*`), as
    /// `14.0` or `12.1.2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_os_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedLibrary {
    /// Install name as written (`/System/Library/Frameworks/AdSupport.framework/AdSupport`,
    /// `@rpath/UMCommon.framework/UMCommon`).
    pub path: String,
    /// `load`, `weak`, `reexport`, `lazy`, `upward`.
    pub kind: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hardening {
    pub pie: bool,
    /// References `___stack_chk_guard` / `___stack_chk_fail`.
    pub stack_canary: bool,
    /// References `_objc_release` (built with ARC).
    pub arc: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    /// Path of the bundle directory inside the package (`Payload/X.app/Frameworks/Y.framework`).
    pub path: String,
    /// `app`, `framework`, `extension`, `watch-app`, `bundle`, `dylib`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The executable's path inside the package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executable: Option<String>,
    /// Identifier of the executable's code signature (CodeDirectory identifier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_identifier: Option<String>,
    /// Team identifier of the executable's code signature (CodeDirectory team id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entitlement {
    pub key: String,
    /// The value rendered as JSON (`true`, `"production"`, `["group.x"]`).
    pub value: String,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisioningProfile {
    pub name: Option<String>,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub app_id_name: Option<String>,
    /// RFC 3339.
    pub creation_date: Option<String>,
    pub expiration_date: Option<String>,
    /// `app-store`, `ad-hoc`, `enterprise` (ProvisionsAllDevices: bypasses App Store review),
    /// `development` (get-task-allow).
    pub distribution: String,
    pub provisioned_devices: u32,
    pub location: Location,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyManifest {
    /// The bundle the manifest belongs to.
    pub bundle: String,
    pub tracking: Option<bool>,
    pub tracking_domains: Vec<String>,
    pub collected_data_types: Vec<CollectedDataType>,
    pub accessed_api_types: Vec<AccessedApiType>,
    pub location: Location,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectedDataType {
    /// `NSPrivacyCollectedDataTypeDeviceID`, ...
    pub data_type: String,
    pub linked: Option<bool>,
    pub tracking: Option<bool>,
    pub purposes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessedApiType {
    /// `NSPrivacyAccessedAPICategoryUserDefaults`, ...
    pub category: String,
    /// Reason codes (`CA92.1`).
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdNetworkId {
    /// `cstr6suwn9.skadnetwork`.
    pub id: String,
    pub location: Location,
}

/// A name with its index in the table it came from. Names are shared (`Arc<str>`): a DEX type
/// name is one allocation however many method references and tables name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Named {
    pub name: Arc<str>,
    pub index: u32,
}

/// A string constant that looks like a dotted Java class name
/// (`com.tencent.mm.opensdk.openapi.WXAPIFactory`): evidence of a reflection probe, never of an
/// embedded SDK.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClassNameString {
    pub value: String,
    pub location: Location,
}

impl ClassNameString {
    /// Whether a string constant looks like a dotted Java class name worth keeping for probe
    /// detection: 3 to 255 bytes, at least two dots, every segment a Java identifier
    /// (`[A-Za-z_$][A-Za-z0-9_$]*`), no leading/trailing/double dot, and not a host name (the
    /// last segment starts with an upper-case letter or contains `$`, as class names do).
    pub fn looks_like_class_name(s: &str) -> bool {
        if s.len() < 3 || s.len() > 255 || s.bytes().filter(|&b| b == b'.').count() < 2 {
            return false;
        }
        let mut last = "";
        for seg in s.split('.') {
            let mut bytes = seg.bytes();
            match bytes.next() {
                Some(b) if b.is_ascii_alphabetic() || b == b'_' || b == b'$' => {}
                _ => return false,
            }
            if !bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$') {
                return false;
            }
            last = seg;
        }
        last.starts_with(|c: char| c.is_ascii_uppercase()) || last.contains('$')
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UrlKind {
    /// A full URL with a scheme (`https://api.example.com/x`).
    Url,
    /// A bare hostname (`api.example.com`).
    Host,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UrlString {
    pub value: String,
    pub kind: UrlKind,
    /// The host part, lower-cased.
    pub host: String,
    pub location: Location,
}

// ---------------------------------------------------------------- modules

/// What kind of third-party module a [`Module`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModuleKind {
    /// A mini-program plugin (`app.json` `plugins`): `id` is the provider's app id.
    WechatPlugin,
    /// An npm package built into a mini-program (`miniprogram_npm/<name>`).
    Npm,
    /// A HarmonyOS ohpm package (`@scope/name`) found in the module's code or metadata.
    Ohpm,
}

/// A third-party module the package declares or contains.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Module {
    pub kind: ModuleKind,
    /// Provider app id (plugins) or package name (npm, ohpm).
    pub id: String,
    /// The name the package gives it (plugin alias), where different from `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub location: Location,
}

// ---------------------------------------------------------------- files

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NativeLib {
    /// `arm64-v8a`, `armeabi-v7a`, `x86`, `x86_64`, ...
    pub abi: String,
    /// File name (`libfoo.so`).
    pub name: String,
    pub size: u64,
    pub location: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// `META-INF/` signature and manifest files.
    Signature,
    /// Other `META-INF/` content (library version files, service registrations).
    MetaInf,
    /// A DEX file that is not a top-level `classesN.dex` (hidden or packed code).
    EmbeddedDex,
    /// A jar, apk, zip or aab inside the package.
    EmbeddedArchive,
    /// A shared library outside `lib/<abi>/`.
    EmbeddedNative,
    /// Anything under `assets/`.
    Asset,
    /// A privacy manifest, provisioning profile or other notable iOS file.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NotableFile {
    pub path: String,
    pub kind: FileKind,
    pub size: u64,
    pub location: Location,
}

/// Evidence of when the package was built.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildTime {
    /// Newest modification time among zip entries (local time as stored, `YYYY-MM-DDTHH:MM:SS`).
    pub newest_entry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_entry_location: Option<Location>,
    /// Every entry carries the same time (reproducible builds use a fixed date such as
    /// 1981-01-01): the entry times say nothing about the build date.
    pub entry_times_constant: bool,
    /// Signing time from a signed attribute, where present (RFC 3339).
    pub signing_time: Option<String>,
}

/// A package nested in the scanned file and merged into the inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackagePart {
    /// Entry path of the part (`splits/base-master.apk`, `base/`).
    pub entry: String,
    /// Split name (`config.arm64_v8a`), or None for the base.
    pub split: Option<String>,
    pub size: u64,
}

impl Inventory {
    /// Classes, referenced types, method references and symbols across the code units: how
    /// large the inventory is where it is large.
    pub fn code_item_count(&self) -> usize {
        self.code
            .iter()
            .map(|u| {
                u.classes_defined.len()
                    + u.types_referenced.len()
                    + u.methods.len()
                    + u.imported_symbols.len()
                    + u.exported_symbols.len()
                    + u.selectors.len()
            })
            .sum()
    }

    /// Every [`Location`] in the inventory, for rewriting (used to nest the locations of a split
    /// APK under its entry in the container: `splits/base.apk!classes.dex`).
    pub fn for_each_location_mut(&mut self, mut f: impl FnMut(&mut Location)) {
        let s = &mut self.signing;
        s.certificates.iter_mut().for_each(|c| f(&mut c.location));
        s.block_entries.iter_mut().for_each(|e| f(&mut e.location));
        self.permissions.iter_mut().for_each(|p| f(&mut p.location));
        self.declared_permissions
            .iter_mut()
            .for_each(|p| f(&mut p.location));
        self.components.iter_mut().for_each(|c| f(&mut c.location));
        f(&mut self.app.location);
        if let Some(nsc) = &mut self.app.network_security_config {
            f(&mut nsc.source);
        }
        self.metadata.iter_mut().for_each(|m| f(&mut m.location));
        self.features.iter_mut().for_each(|m| f(&mut m.location));
        self.code.iter_mut().for_each(|c| f(&mut c.location));
        self.urls.iter_mut().for_each(|u| f(&mut u.location));
        self.class_strings
            .iter_mut()
            .for_each(|u| f(&mut u.location));
        self.native_libs.iter_mut().for_each(|n| f(&mut n.location));
        self.files.iter_mut().for_each(|n| f(&mut n.location));
        if let Some(l) = &mut self.build_time.newest_entry_location {
            f(l);
        }
        self.anomalies.iter_mut().for_each(|a| f(&mut a.location));
        self.bundles.iter_mut().for_each(|b| f(&mut b.location));
        self.entitlements
            .iter_mut()
            .for_each(|e| f(&mut e.location));
        self.provisioning
            .iter_mut()
            .for_each(|p| f(&mut p.location));
        self.privacy_manifests
            .iter_mut()
            .for_each(|p| f(&mut p.location));
        self.ad_network_ids
            .iter_mut()
            .for_each(|a| f(&mut a.location));
        self.modules.iter_mut().for_each(|m| f(&mut m.location));
    }

    /// Append `other`'s facts to this inventory (merging the parts of a split bundle). Signing
    /// certificates are merged by fingerprint; everything else is concatenated.
    pub fn absorb(&mut self, other: Inventory) {
        for scheme in &other.signing.schemes {
            self.signing.add_scheme(scheme);
        }
        for cert in other.signing.certificates {
            self.signing.add_certificate(cert);
        }
        self.signing
            .block_entries
            .extend(other.signing.block_entries);
        self.signing.signing_time = self
            .signing
            .signing_time
            .take()
            .or(other.signing.signing_time);
        self.permissions.extend(other.permissions);
        self.declared_permissions.extend(other.declared_permissions);
        self.components.extend(other.components);
        self.queries.packages.extend(other.queries.packages);
        self.queries.intents.extend(other.queries.intents);
        self.queries.providers.extend(other.queries.providers);
        self.metadata.extend(other.metadata);
        self.features.extend(other.features);
        self.code.extend(other.code);
        self.urls.extend(other.urls);
        self.class_strings.extend(other.class_strings);
        self.native_libs.extend(other.native_libs);
        self.files.extend(other.files);
        if other.build_time.newest_entry > self.build_time.newest_entry {
            self.build_time.newest_entry = other.build_time.newest_entry;
            self.build_time.newest_entry_location = other.build_time.newest_entry_location;
        }
        self.build_time.entry_times_constant &= other.build_time.entry_times_constant;
        self.build_time.signing_time = self
            .build_time
            .signing_time
            .take()
            .or(other.build_time.signing_time);
        self.parts.extend(other.parts);
        self.bundles.extend(other.bundles);
        self.entitlements.extend(other.entitlements);
        self.provisioning.extend(other.provisioning);
        self.privacy_manifests.extend(other.privacy_manifests);
        self.ad_network_ids.extend(other.ad_network_ids);
        self.background_modes.extend(other.background_modes);
        self.modules.extend(other.modules);
        self.anomalies.extend(other.anomalies);
        for (k, v) in other.truncated {
            *self.truncated.entry(k).or_default() += v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_name_strings() {
        assert!(ClassNameString::looks_like_class_name(
            "com.tencent.mm.opensdk.openapi.WXAPIFactory"
        ));
        assert!(ClassNameString::looks_like_class_name("a.b.C$1"));
        assert!(!ClassNameString::looks_like_class_name(
            "api.appvet-fixture.org"
        ));
        assert!(!ClassNameString::looks_like_class_name("ulogs.umeng.com"));
        assert!(!ClassNameString::looks_like_class_name("com.example"));
        assert!(!ClassNameString::looks_like_class_name("a..b.C"));
        assert!(!ClassNameString::looks_like_class_name("hello world.a.B"));
        assert!(!ClassNameString::looks_like_class_name("1.2.3"));
    }
}
