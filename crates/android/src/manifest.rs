//! The Android manifest (binary AXML or App Bundle protobuf: the same [`XmlElement`] tree) plus
//! the package's resources, turned into appvet facts.
//!
//! Attributes are looked up by framework resource id first, then by name, as
//! [`XmlElement::attr`] does. An `android:` attribute found only by name (no resource id) is used
//! but reported (`manifest.attribute-without-id`): Android itself matches by id and would ignore
//! it.
//!
//! Locations: `entry` plus an element path like `manifest/application/activity[2]`, where the
//! index counts same-named siblings from 0, followed by ` (line N)` when the compiler recorded a
//! line.
//!
//! Cleartext default ([`AppFlags::cleartext_permitted`]), as Android's network security code
//! computes it: when the manifest names a network security config, its `base-config
//! cleartextTrafficPermitted` decides, else the platform default (`targetSdk < 28`; the manifest
//! `usesCleartextTraffic` flag is ignored once a config is present). Without a config:
//! `usesCleartextTraffic` when set, else `targetSdk < 28`. `targetSandboxVersion >= 2` (instant
//! apps) forces `false`.
//!
//! Anomaly codes (stable):
//! - `manifest.attribute-without-id`: an `android:` attribute without a resource id (used here,
//!   ignored by Android);
//! - `manifest.bad-package-name`, `manifest.bad-value` (a value of the wrong type),
//!   `manifest.sdk-codename` (a preview codename instead of an API level);
//! - `manifest.duplicate-component`, `manifest.duplicate-permission`, `manifest.duplicate-element`
//!   (`<application>`, `<uses-sdk>`), `manifest.misplaced-element` (ignored by Android where it is);
//! - `manifest.missing-name`, `manifest.missing-target-activity`, `manifest.missing-exported`
//!   (intent filter without `android:exported` on target SDK 31+, which Android rejects);
//! - `manifest.unresolved-reference` (a reference the resource table does not resolve);
//! - `manifest.nsc-unreadable` (the network security config file is missing or unparsable) and
//!   the `manifest.nsc-*` codes of [`crate::nsc`] (`bad-root`, `bad-value`, `bad-pin`,
//!   `duplicate-base-config`, `duplicate-debug-overrides`, `duplicate-trust-anchors`,
//!   `duplicate-pin-set`, `empty-domain`, `missing-src`, `no-domain`, `too-deep`, `too-large`,
//!   `unknown-element`).

use crate::nsc;
use appvet_axml::{AttrValue, ResValue, Resources, XmlElement};
use appvet_model::{
    Anomaly, AppFlags, Component, ComponentKind, DeclaredPermission, Error, ExportedReason,
    Feature, IntentData, IntentFilter, Location, MetaData, PackageFormat, PackageInfo,
    PermissionRequest, Platform, Queries,
};
use std::collections::{BTreeMap, HashSet};

/// Framework attribute resource ids (verified against framework-res.apk, or AOSP's
/// `public-final.xml` for attributes newer than the framework on this machine).
pub mod attr {
    pub const LABEL: u32 = 0x0101_0001;
    pub const NAME: u32 = 0x0101_0003;
    pub const PERMISSION: u32 = 0x0101_0006;
    pub const READ_PERMISSION: u32 = 0x0101_0007;
    pub const WRITE_PERMISSION: u32 = 0x0101_0008;
    pub const PROTECTION_LEVEL: u32 = 0x0101_0009;
    pub const PERMISSION_GROUP: u32 = 0x0101_000a;
    pub const ENABLED: u32 = 0x0101_000e;
    pub const DEBUGGABLE: u32 = 0x0101_000f;
    pub const EXPORTED: u32 = 0x0101_0010;
    pub const PROCESS: u32 = 0x0101_0011;
    pub const AUTHORITIES: u32 = 0x0101_0018;
    pub const GRANT_URI_PERMISSIONS: u32 = 0x0101_001b;
    pub const VALUE: u32 = 0x0101_0024;
    pub const RESOURCE: u32 = 0x0101_0025;
    pub const MIME_TYPE: u32 = 0x0101_0026;
    pub const SCHEME: u32 = 0x0101_0027;
    pub const HOST: u32 = 0x0101_0028;
    pub const PORT: u32 = 0x0101_0029;
    pub const PATH: u32 = 0x0101_002a;
    pub const PATH_PREFIX: u32 = 0x0101_002b;
    pub const PATH_PATTERN: u32 = 0x0101_002c;
    pub const TARGET_ACTIVITY: u32 = 0x0101_0202;
    pub const MIN_SDK_VERSION: u32 = 0x0101_020c;
    pub const VERSION_CODE: u32 = 0x0101_021b;
    pub const VERSION_NAME: u32 = 0x0101_021c;
    pub const TARGET_SDK_VERSION: u32 = 0x0101_0270;
    pub const MAX_SDK_VERSION: u32 = 0x0101_0271;
    pub const TEST_ONLY: u32 = 0x0101_0272;
    pub const ALLOW_BACKUP: u32 = 0x0101_0280;
    pub const GL_ES_VERSION: u32 = 0x0101_0281;
    pub const REQUIRED: u32 = 0x0101_028e;
    pub const USES_CLEARTEXT_TRAFFIC: u32 = 0x0101_04ec;
    pub const AUTO_VERIFY: u32 = 0x0101_04ee;
    pub const NETWORK_SECURITY_CONFIG: u32 = 0x0101_0527;
    pub const TARGET_SANDBOX_VERSION: u32 = 0x0101_054c;
    pub const COMPILE_SDK_VERSION: u32 = 0x0101_0572;
    pub const VERSION_CODE_MAJOR: u32 = 0x0101_0576;
    pub const PATH_SUFFIX: u32 = 0x0101_061e;
    pub const PATH_ADVANCED_PATTERN: u32 = 0x0101_0620;
    pub const USES_PERMISSION_FLAGS: u32 = 0x0101_0644;
}

/// Everything the manifest says, resolved through the resource table.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub package: PackageInfo,
    pub permissions: Vec<PermissionRequest>,
    pub declared_permissions: Vec<DeclaredPermission>,
    pub components: Vec<Component>,
    pub app: AppFlags,
    pub queries: Queries,
    pub metadata: Vec<MetaData>,
    pub features: Vec<Feature>,
    pub anomalies: Vec<Anomaly>,
}

/// Reads a manifest tree.
///
/// `entry` is the archive entry the manifest came from (`AndroidManifest.xml`,
/// `base/manifest/AndroidManifest.xml`); locations of facts use it. `load_xml` loads a compiled
/// XML file by the path the resource table gives for it (`res/xml/network_security_config.xml`,
/// relative to the package/module root); for an App Bundle the caller maps it into the module
/// (`base/res/xml/...`). The network security config's location entry is that path prefixed the
/// same way `entry` is (`base/` for `base/manifest/AndroidManifest.xml`).
///
/// Fails only when the root element is not `<manifest>` or the package name is missing.
pub fn read_manifest(
    root: &XmlElement,
    res: &dyn Resources,
    format: PackageFormat,
    entry: &str,
    load_xml: &mut dyn FnMut(&str) -> Option<XmlElement>,
) -> Result<Manifest, Error> {
    if root.name != "manifest" {
        return Err(Error::malformed(
            entry,
            format!("root element is <{}>, not <manifest>", root.name),
        ));
    }
    let mut cx = Cx {
        res,
        entry,
        anomalies: Vec::new(),
    };
    let root_path = "manifest".to_string();
    let package = match root.plain_attr("package") {
        Some(v) => cx.string_value(v, &root_path, root, "package"),
        None => None,
    }
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
    .ok_or_else(|| Error::malformed(entry, "<manifest> has no package name"))?;
    if !valid_package_name(&package) {
        cx.anomaly(
            "manifest.bad-package-name",
            format!("package name \"{package}\" is not a valid Java package name"),
            &root_path,
            root,
        );
    }

    // ---- version
    let code = cx.int_attr(root, attr::VERSION_CODE, "versionCode", &root_path);
    let major = cx.int_attr(
        root,
        attr::VERSION_CODE_MAJOR,
        "versionCodeMajor",
        &root_path,
    );
    let version_code = match (code, major) {
        (None, None) => None,
        (c, m) => {
            // PackageInfo.getLongVersionCode(): major in the high word, versionCode's 32 bits low.
            let low = u64::from(c.unwrap_or(0) as u32);
            let high = u64::from(m.unwrap_or(0) as u32);
            Some(((high << 32) | low).to_string())
        }
    };
    let version_name = cx.string_attr(root, attr::VERSION_NAME, "versionName", &root_path);

    // ---- SDK levels (the last <uses-sdk> wins, as in Android's parser)
    let mut min_sdk = None;
    let mut target_sdk = None;
    let mut uses_sdk_count = 0;
    for (i, el) in root.indexed_children() {
        if el.name != "uses-sdk" {
            continue;
        }
        let path = child_path(&root_path, el, i);
        uses_sdk_count += 1;
        if uses_sdk_count == 2 {
            cx.anomaly(
                "manifest.duplicate-element",
                "more than one <uses-sdk>; the last one is used",
                &path,
                el,
            );
        }
        if let Some(v) = cx.sdk_attr(el, attr::MIN_SDK_VERSION, "minSdkVersion", &path) {
            min_sdk = Some(v);
        }
        if let Some(v) = cx.sdk_attr(el, attr::TARGET_SDK_VERSION, "targetSdkVersion", &path) {
            target_sdk = Some(v);
        }
    }
    let min_sdk = min_sdk.unwrap_or(1);
    let target_sdk = target_sdk.unwrap_or(min_sdk);
    let compile_sdk = cx
        .sdk_attr(
            root,
            attr::COMPILE_SDK_VERSION,
            "compileSdkVersion",
            &root_path,
        )
        .or_else(|| match root.plain_attr("platformBuildVersionCode") {
            Some(AttrValue::Int(i)) => u32::try_from(*i).ok(),
            Some(AttrValue::String(s)) => s.trim().parse().ok(),
            _ => None,
        });

    let mut m = Manifest {
        package: PackageInfo {
            platform: Platform::Android,
            format,
            id: package.clone(),
            version_code,
            version_name,
            label: None,
            labels: BTreeMap::new(),
            min_sdk: Some(min_sdk),
            target_sdk: Some(target_sdk),
            compile_sdk,
            min_os_version: None,
            location: cx.loc(&root_path, root),
        },
        permissions: Vec::new(),
        declared_permissions: Vec::new(),
        components: Vec::new(),
        app: AppFlags {
            location: cx.loc(&root_path, root),
            ..AppFlags::default()
        },
        queries: Queries::default(),
        metadata: Vec::new(),
        features: Vec::new(),
        anomalies: Vec::new(),
    };

    // ---- top-level elements
    let mut seen_perms = HashSet::new();
    let mut application: Option<(String, &XmlElement)> = None;
    for (i, el) in root.indexed_children() {
        let path = child_path(&root_path, el, i);
        match el.name.as_str() {
            "uses-permission" | "uses-permission-sdk-23" | "uses-permission-sdk-m" => {
                let sdk23 = el.name != "uses-permission";
                let Some(name) = cx.string_attr(el, attr::NAME, "name", &path) else {
                    cx.anomaly(
                        "manifest.missing-name",
                        format!("<{}> without android:name", el.name),
                        &path,
                        el,
                    );
                    continue;
                };
                let max_sdk = cx.sdk_attr(el, attr::MAX_SDK_VERSION, "maxSdkVersion", &path);
                let flags = cx.int_attr(
                    el,
                    attr::USES_PERMISSION_FLAGS,
                    "usesPermissionFlags",
                    &path,
                );
                if !seen_perms.insert(name.clone()) {
                    cx.anomaly(
                        "manifest.duplicate-permission",
                        format!("permission {name} is requested more than once"),
                        &path,
                        el,
                    );
                }
                m.permissions.push(PermissionRequest {
                    name,
                    max_sdk,
                    sdk23,
                    detail: flags.map(uses_permission_flags),
                    location: cx.loc(&path, el),
                });
            }
            "permission" => {
                let Some(name) = cx.string_attr(el, attr::NAME, "name", &path) else {
                    cx.anomaly(
                        "manifest.missing-name",
                        "<permission> without android:name",
                        &path,
                        el,
                    );
                    continue;
                };
                let protection_level =
                    match cx.lookup(el, attr::PROTECTION_LEVEL, "protectionLevel", &path) {
                        None => None,
                        Some(v) => match cx.resolved(v, &path, el, "protectionLevel") {
                            Some(Val::Int(i)) => Some(protection_level(i)),
                            Some(Val::Str(s)) => Some(s),
                            Some(other) => Some(other.render()),
                            None => None,
                        },
                    };
                let group = cx.string_attr(el, attr::PERMISSION_GROUP, "permissionGroup", &path);
                m.declared_permissions.push(DeclaredPermission {
                    name,
                    protection_level,
                    group,
                    location: cx.loc(&path, el),
                });
            }
            "uses-feature" => {
                let name = cx.string_attr(el, attr::NAME, "name", &path);
                let gles = cx.int_attr(el, attr::GL_ES_VERSION, "glEsVersion", &path);
                let name = match (name, gles) {
                    (Some(n), _) => n,
                    (None, Some(v)) => format!("glEsVersion=0x{:08x}", v as u32),
                    (None, None) => {
                        cx.anomaly(
                            "manifest.missing-name",
                            "<uses-feature> with neither android:name nor android:glEsVersion",
                            &path,
                            el,
                        );
                        continue;
                    }
                };
                let required = cx
                    .bool_attr(el, attr::REQUIRED, "required", &path)
                    .unwrap_or(true);
                m.features.push(Feature {
                    name,
                    required,
                    location: cx.loc(&path, el),
                });
            }
            "queries" => cx.queries(el, &path, &mut m.queries),
            "application" => {
                if application.is_some() {
                    cx.anomaly(
                        "manifest.duplicate-element",
                        "more than one <application>; only the first is read (Android rejects this)",
                        &path,
                        el,
                    );
                } else {
                    application = Some((path, el));
                }
            }
            "activity" | "activity-alias" | "service" | "receiver" | "provider" | "meta-data" => {
                cx.anomaly(
                    "manifest.misplaced-element",
                    format!(
                        "<{}> directly under <manifest> is ignored by Android",
                        el.name
                    ),
                    &path,
                    el,
                );
            }
            _ => {}
        }
    }

    // ---- application
    let mut nsc_declared = false;
    let target_sandbox = cx.int_attr(
        root,
        attr::TARGET_SANDBOX_VERSION,
        "targetSandboxVersion",
        &root_path,
    );
    if let Some((app_path, app)) = application {
        m.app.location = cx.loc(&app_path, app);
        m.app.debuggable = cx.bool_attr(app, attr::DEBUGGABLE, "debuggable", &app_path);
        m.app.allow_backup = cx.bool_attr(app, attr::ALLOW_BACKUP, "allowBackup", &app_path);
        m.app.uses_cleartext_traffic = cx.bool_attr(
            app,
            attr::USES_CLEARTEXT_TRAFFIC,
            "usesCleartextTraffic",
            &app_path,
        );
        m.app.test_only = cx.bool_attr(app, attr::TEST_ONLY, "testOnly", &app_path);
        m.app.application_class = cx
            .string_attr(app, attr::NAME, "name", &app_path)
            .map(|n| class_name(&package, &n));

        // Label, with every localisation.
        if let Some(v) = cx.lookup(app, attr::LABEL, "label", &app_path) {
            match v {
                AttrValue::Reference(id) => {
                    m.package.label = cx
                        .resolved(v, &app_path, app, "label")
                        .map(|val| val.render());
                    for (locale, val) in res.values(*id) {
                        let text = match val {
                            ResValue::Reference(r) => res.resolve(r).map(|x| render_res(&x)),
                            other => Some(render_res(&other)),
                        };
                        if let Some(t) = text {
                            m.package.labels.entry(locale).or_insert(t);
                        }
                    }
                }
                other => m.package.label = Some(attr_display(other)),
            }
        }

        // Network security config.
        if let Some(v) = cx.lookup(
            app,
            attr::NETWORK_SECURITY_CONFIG,
            "networkSecurityConfig",
            &app_path,
        ) {
            nsc_declared = true;
            let v = v.clone();
            if let Some(cfg) = cx.network_security_config(&v, &app_path, app, load_xml) {
                m.app.network_security_config = Some(cfg);
            }
        }

        let app_permission = cx.string_attr(app, attr::PERMISSION, "permission", &app_path);
        let mut seen_components: HashSet<(ComponentKind, String)> = HashSet::new();
        for (i, el) in app.indexed_children() {
            let path = child_path(&app_path, el, i);
            let kind = match el.name.as_str() {
                "activity" => ComponentKind::Activity,
                "activity-alias" => ComponentKind::ActivityAlias,
                "service" => ComponentKind::Service,
                "receiver" => ComponentKind::Receiver,
                "provider" => ComponentKind::Provider,
                "meta-data" => {
                    if let Some(md) = cx.meta_data(el, &path, None) {
                        m.metadata.push(md);
                    }
                    continue;
                }
                "uses-permission" | "permission" | "uses-sdk" | "uses-feature" => {
                    cx.anomaly(
                        "manifest.misplaced-element",
                        format!("<{}> inside <application> is ignored by Android", el.name),
                        &path,
                        el,
                    );
                    continue;
                }
                _ => continue,
            };
            let Some(c) = cx.component(
                kind,
                el,
                &path,
                &package,
                target_sdk,
                app_permission.as_deref(),
                &mut m.metadata,
            ) else {
                continue;
            };
            if !seen_components.insert((kind, c.name.clone())) {
                cx.anomaly(
                    "manifest.duplicate-component",
                    format!("{} is declared more than once", c.name),
                    &path,
                    el,
                );
            }
            m.components.push(c);
        }
    }

    // ---- cleartext default
    let platform_default = target_sdk < 28;
    let permitted = if nsc_declared {
        m.app
            .network_security_config
            .as_ref()
            .and_then(|c| c.base_cleartext_permitted)
            .unwrap_or(platform_default)
    } else {
        m.app.uses_cleartext_traffic.unwrap_or(platform_default)
    };
    m.app.cleartext_permitted = Some(permitted && target_sandbox.unwrap_or(0) < 2);

    m.anomalies = cx.anomalies;
    Ok(m)
}

// ------------------------------------------------------------------ helpers

fn child_path(parent: &str, el: &XmlElement, index: usize) -> String {
    format!("{parent}/{}[{index}]", el.name)
}

/// Android's `buildClassName`: `.Foo` and `Foo` are relative to the package.
fn class_name(package: &str, name: &str) -> String {
    let name = name.trim();
    if name.starts_with('.') {
        format!("{package}{name}")
    } else if !name.contains('.') {
        format!("{package}.{name}")
    } else {
        name.to_string()
    }
}

fn valid_package_name(p: &str) -> bool {
    let mut parts = 0;
    for part in p.split('.') {
        parts += 1;
        let mut chars = part.chars();
        match chars.next() {
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
            _ => return false,
        }
        if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return false;
        }
    }
    parts >= 2
}

/// `protectionLevel` flags as Android names them: base level, then flags in bit order.
pub fn protection_level(v: i64) -> String {
    let v = v as u32;
    let mut out = vec![match v & 0xf {
        0 => "normal".to_string(),
        1 => "dangerous".to_string(),
        2 => "signature".to_string(),
        3 => "signatureOrSystem".to_string(),
        4 => "internal".to_string(),
        b => format!("0x{b:x}"),
    }];
    const FLAGS: [(u32, &str); 23] = [
        (0x10, "privileged"),
        (0x20, "development"),
        (0x40, "appop"),
        (0x80, "pre23"),
        (0x100, "installer"),
        (0x200, "verifier"),
        (0x400, "preinstalled"),
        (0x800, "setup"),
        (0x1000, "instant"),
        (0x2000, "runtime"),
        (0x4000, "oem"),
        (0x8000, "vendorPrivileged"),
        (0x10000, "textClassifier"),
        (0x20000, "wellbeing"),
        (0x40000, "documenter"),
        (0x80000, "configurator"),
        (0x100000, "incidentReportApprover"),
        (0x200000, "appPredictor"),
        (0x400000, "module"),
        (0x800000, "companion"),
        (0x1000000, "retailDemo"),
        (0x2000000, "recents"),
        (0x4000000, "role"),
    ];
    let mut rest = v & !0xf;
    for (bit, name) in FLAGS {
        if rest & bit != 0 {
            out.push(name.to_string());
            rest &= !bit;
        }
    }
    if rest & 0x800_0000 != 0 {
        out.push("knownSigner".to_string());
        rest &= !0x800_0000;
    }
    if rest != 0 {
        out.push(format!("0x{rest:x}"));
    }
    out.join("|")
}

fn uses_permission_flags(v: i64) -> String {
    let v = v as u32;
    let mut out = Vec::new();
    let mut rest = v;
    if rest & 0x10000 != 0 {
        out.push("neverForLocation".to_string());
        rest &= !0x10000;
    }
    if rest != 0 || out.is_empty() {
        out.push(format!("0x{rest:x}"));
    }
    out.join("|")
}

fn attr_display(v: &AttrValue) -> String {
    v.display()
}

fn render_res(v: &ResValue) -> String {
    match v {
        ResValue::String(s) | ResValue::File(s) | ResValue::Other(s) => s.clone(),
        ResValue::Bool(b) => b.to_string(),
        ResValue::Int(i) => i.to_string(),
        ResValue::Reference(r) => format!("@0x{r:08x}"),
    }
}

/// An attribute value after resource resolution.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Str(String),
    File(String),
    Bool(bool),
    Int(i64),
    Other(String),
}

impl Val {
    fn render(&self) -> String {
        match self {
            Val::Str(s) | Val::File(s) | Val::Other(s) => s.clone(),
            Val::Bool(b) => b.to_string(),
            Val::Int(i) => i.to_string(),
        }
    }
}

struct Cx<'a> {
    res: &'a dyn Resources,
    entry: &'a str,
    anomalies: Vec<Anomaly>,
}

impl Cx<'_> {
    fn loc(&self, path: &str, el: &XmlElement) -> Location {
        let p = match el.line {
            Some(l) => format!("{path} (line {l})"),
            None => path.to_string(),
        };
        Location::entry(self.entry).with_path(p)
    }

    fn anomaly(&mut self, code: &str, msg: impl Into<String>, path: &str, el: &XmlElement) {
        let loc = self.loc(path, el);
        self.anomalies.push(Anomaly::new(code, msg, loc));
    }

    /// The attribute by id, else by name (reported: Android would not see it).
    fn lookup<'e>(
        &mut self,
        el: &'e XmlElement,
        id: u32,
        name: &str,
        path: &str,
    ) -> Option<&'e AttrValue> {
        if let Some(a) = el.attributes.iter().find(|a| a.resource_id == Some(id)) {
            return Some(&a.value);
        }
        let v = el.attr(id, name)?;
        self.anomaly(
            "manifest.attribute-without-id",
            format!(
                "android:{name} has no resource id; Android ignores it (value used here: {})",
                v.display()
            ),
            path,
            el,
        );
        Some(v)
    }

    /// Resolves references through the resource table.
    fn resolved(&mut self, v: &AttrValue, path: &str, el: &XmlElement, what: &str) -> Option<Val> {
        Some(match v {
            AttrValue::String(s) => Val::Str(s.clone()),
            AttrValue::Bool(b) => Val::Bool(*b),
            AttrValue::Int(i) => Val::Int(*i),
            AttrValue::Float(f) => Val::Other(f.to_string()),
            AttrValue::Other(s) => Val::Other(s.clone()),
            AttrValue::Attribute(id) => {
                self.anomaly(
                    "manifest.unresolved-reference",
                    format!("{what} is a theme attribute reference ?0x{id:08x}, not resolvable statically"),
                    path,
                    el,
                );
                return None;
            }
            AttrValue::Reference(id) => match self.res.resolve(*id) {
                Some(ResValue::String(s)) => Val::Str(s),
                Some(ResValue::File(p)) => Val::File(p),
                Some(ResValue::Bool(b)) => Val::Bool(b),
                Some(ResValue::Int(i)) => Val::Int(i),
                Some(ResValue::Other(s)) => Val::Other(s),
                Some(ResValue::Reference(_)) | None => {
                    self.anomaly(
                        "manifest.unresolved-reference",
                        format!("{what} refers to @0x{id:08x}, which the resource table does not resolve"),
                        path,
                        el,
                    );
                    return None;
                }
            },
        })
    }

    fn string_value(
        &mut self,
        v: &AttrValue,
        path: &str,
        el: &XmlElement,
        what: &str,
    ) -> Option<String> {
        self.resolved(v, path, el, what).map(|v| v.render())
    }

    fn string_attr(&mut self, el: &XmlElement, id: u32, name: &str, path: &str) -> Option<String> {
        let v = self.lookup(el, id, name, path)?;
        self.string_value(v, path, el, name)
    }

    fn bool_attr(&mut self, el: &XmlElement, id: u32, name: &str, path: &str) -> Option<bool> {
        let v = self.lookup(el, id, name, path)?;
        match self.resolved(v, path, el, name)? {
            Val::Bool(b) => Some(b),
            Val::Int(i) => Some(i != 0),
            Val::Str(s) if s.trim().eq_ignore_ascii_case("true") => Some(true),
            Val::Str(s) if s.trim().eq_ignore_ascii_case("false") => Some(false),
            other => {
                self.anomaly(
                    "manifest.bad-value",
                    format!("android:{name}=\"{}\" is not a boolean", other.render()),
                    path,
                    el,
                );
                None
            }
        }
    }

    fn int_attr(&mut self, el: &XmlElement, id: u32, name: &str, path: &str) -> Option<i64> {
        let v = self.lookup(el, id, name, path)?;
        match self.resolved(v, path, el, name)? {
            Val::Int(i) => Some(i),
            Val::Str(s) => {
                let t = s.trim();
                let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                    Some(h) => i64::from_str_radix(h, 16).ok(),
                    None => t.parse().ok(),
                };
                if parsed.is_none() {
                    self.anomaly(
                        "manifest.bad-value",
                        format!("android:{name}=\"{s}\" is not an integer"),
                        path,
                        el,
                    );
                }
                parsed
            }
            other => {
                self.anomaly(
                    "manifest.bad-value",
                    format!("android:{name}=\"{}\" is not an integer", other.render()),
                    path,
                    el,
                );
                None
            }
        }
    }

    /// An SDK level: a non-negative integer; a codename (`"S"`) is reported and skipped.
    fn sdk_attr(&mut self, el: &XmlElement, id: u32, name: &str, path: &str) -> Option<u32> {
        let v = self.lookup(el, id, name, path)?;
        match self.resolved(v, path, el, name)? {
            Val::Int(i) => match u32::try_from(i) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.anomaly(
                        "manifest.bad-value",
                        format!("android:{name}={i} is not a valid SDK level"),
                        path,
                        el,
                    );
                    None
                }
            },
            Val::Str(s) => match s.trim().parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    self.anomaly(
                        "manifest.sdk-codename",
                        format!("android:{name}=\"{s}\" is a preview codename, not an API level"),
                        path,
                        el,
                    );
                    None
                }
            },
            other => {
                self.anomaly(
                    "manifest.bad-value",
                    format!("android:{name}=\"{}\" is not an SDK level", other.render()),
                    path,
                    el,
                );
                None
            }
        }
    }

    fn intent_filter(&mut self, el: &XmlElement, path: &str) -> IntentFilter {
        let mut f = IntentFilter {
            auto_verify: self
                .bool_attr(el, attr::AUTO_VERIFY, "autoVerify", path)
                .unwrap_or(false),
            ..IntentFilter::default()
        };
        for (i, c) in el.indexed_children() {
            let p = child_path(path, c, i);
            match c.name.as_str() {
                "action" | "category" => {
                    let Some(n) = self.string_attr(c, attr::NAME, "name", &p) else {
                        self.anomaly(
                            "manifest.missing-name",
                            format!("<{}> without android:name", c.name),
                            &p,
                            c,
                        );
                        continue;
                    };
                    if c.name == "action" {
                        f.actions.push(n);
                    } else {
                        f.categories.push(n);
                    }
                }
                "data" => {
                    let mut path_value = None;
                    for (id, kind) in [
                        (attr::PATH, "path"),
                        (attr::PATH_PREFIX, "pathPrefix"),
                        (attr::PATH_PATTERN, "pathPattern"),
                        (attr::PATH_SUFFIX, "pathSuffix"),
                        (attr::PATH_ADVANCED_PATTERN, "pathAdvancedPattern"),
                    ] {
                        if let Some(v) = self.string_attr(c, id, kind, &p) {
                            path_value = Some(format!("{kind}:{v}"));
                            break;
                        }
                    }
                    f.data.push(IntentData {
                        scheme: self.string_attr(c, attr::SCHEME, "scheme", &p),
                        host: self.string_attr(c, attr::HOST, "host", &p),
                        port: self.string_attr(c, attr::PORT, "port", &p),
                        path: path_value,
                        mime_type: self.string_attr(c, attr::MIME_TYPE, "mimeType", &p),
                    });
                }
                _ => {}
            }
        }
        f
    }

    fn queries(&mut self, el: &XmlElement, path: &str, q: &mut Queries) {
        for (i, c) in el.indexed_children() {
            let p = child_path(path, c, i);
            match c.name.as_str() {
                "package" => match self.string_attr(c, attr::NAME, "name", &p) {
                    Some(n) => q.packages.push(n),
                    None => self.anomaly(
                        "manifest.missing-name",
                        "<queries><package> without android:name",
                        &p,
                        c,
                    ),
                },
                "intent" => {
                    let f = self.intent_filter(c, &p);
                    q.intents.push(f);
                }
                "provider" => {
                    if let Some(a) = self.string_attr(c, attr::AUTHORITIES, "authorities", &p) {
                        q.providers.extend(split_authorities(&a));
                    }
                }
                _ => {}
            }
        }
    }

    fn meta_data(
        &mut self,
        el: &XmlElement,
        path: &str,
        component: Option<&str>,
    ) -> Option<MetaData> {
        let Some(name) = self.string_attr(el, attr::NAME, "name", path) else {
            self.anomaly(
                "manifest.missing-name",
                "<meta-data> without android:name",
                path,
                el,
            );
            return None;
        };
        let value = if let Some(v) = self.lookup(el, attr::VALUE, "value", path) {
            self.string_value(v, path, el, "meta-data value")
                .or_else(|| Some(v.display()))
        } else if let Some(v) = self.lookup(el, attr::RESOURCE, "resource", path) {
            match v {
                AttrValue::Reference(id) => Some(
                    self.res
                        .resolve(*id)
                        .map(|r| render_res(&r))
                        .unwrap_or_else(|| format!("@0x{id:08x}")),
                ),
                other => Some(other.display()),
            }
        } else {
            None
        };
        Some(MetaData {
            name,
            value,
            component: component.map(str::to_string),
            location: self.loc(path, el),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn component(
        &mut self,
        kind: ComponentKind,
        el: &XmlElement,
        path: &str,
        package: &str,
        target_sdk: u32,
        app_permission: Option<&str>,
        metadata: &mut Vec<MetaData>,
    ) -> Option<Component> {
        let Some(raw_name) = self.string_attr(el, attr::NAME, "name", path) else {
            self.anomaly(
                "manifest.missing-name",
                format!(
                    "<{}> without android:name (Android rejects the package)",
                    el.name
                ),
                path,
                el,
            );
            return None;
        };
        let name = class_name(package, &raw_name);

        let mut intent_filters = Vec::new();
        for (i, c) in el.indexed_children() {
            let p = child_path(path, c, i);
            match c.name.as_str() {
                "intent-filter" => intent_filters.push(self.intent_filter(c, &p)),
                "meta-data" => {
                    if let Some(md) = self.meta_data(c, &p, Some(&name)) {
                        metadata.push(md);
                    }
                }
                _ => {}
            }
        }

        let explicit = self.bool_attr(el, attr::EXPORTED, "exported", path);
        let (exported, exported_reason) = match explicit {
            Some(b) => (b, ExportedReason::Explicit),
            None if kind == ComponentKind::Provider => {
                if target_sdk < 17 {
                    (true, ExportedReason::ImpliedProviderDefault)
                } else {
                    (false, ExportedReason::Default)
                }
            }
            None if !intent_filters.is_empty() => {
                if target_sdk < 31 {
                    (true, ExportedReason::ImpliedByIntentFilter)
                } else {
                    self.anomaly(
                        "manifest.missing-exported",
                        format!(
                            "{name} has intent filters but no android:exported; Android rejects this for targetSdk {target_sdk} (>= 31)"
                        ),
                        path,
                        el,
                    );
                    (false, ExportedReason::Default)
                }
            }
            None => (false, ExportedReason::Default),
        };

        let permission = self
            .string_attr(el, attr::PERMISSION, "permission", path)
            .or_else(|| app_permission.map(str::to_string));
        let is_provider = kind == ComponentKind::Provider;
        let (read_permission, write_permission, authorities, grant) = if is_provider {
            (
                self.string_attr(el, attr::READ_PERMISSION, "readPermission", path),
                self.string_attr(el, attr::WRITE_PERMISSION, "writePermission", path),
                self.string_attr(el, attr::AUTHORITIES, "authorities", path)
                    .map(|a| split_authorities(&a))
                    .unwrap_or_default(),
                self.bool_attr(el, attr::GRANT_URI_PERMISSIONS, "grantUriPermissions", path)
                    .unwrap_or(false),
            )
        } else {
            (None, None, Vec::new(), false)
        };
        let target_activity = if kind == ComponentKind::ActivityAlias {
            let t = self
                .string_attr(el, attr::TARGET_ACTIVITY, "targetActivity", path)
                .map(|t| class_name(package, &t));
            if t.is_none() {
                self.anomaly(
                    "manifest.missing-target-activity",
                    format!("<activity-alias> {name} has no android:targetActivity (Android rejects the package)"),
                    path,
                    el,
                );
            }
            t
        } else {
            None
        };
        Some(Component {
            kind,
            name,
            exported,
            exported_reason,
            enabled: self
                .bool_attr(el, attr::ENABLED, "enabled", path)
                .unwrap_or(true),
            permission,
            read_permission,
            write_permission,
            authorities,
            grant_uri_permissions: grant,
            target_activity,
            process: self.string_attr(el, attr::PROCESS, "process", path),
            intent_filters,
            location: self.loc(path, el),
        })
    }

    fn network_security_config(
        &mut self,
        v: &AttrValue,
        path: &str,
        el: &XmlElement,
        load_xml: &mut dyn FnMut(&str) -> Option<XmlElement>,
    ) -> Option<appvet_model::NetworkSecurityConfig> {
        let file = match self.resolved(v, path, el, "networkSecurityConfig")? {
            Val::File(p) => p,
            // An uncompiled path (or a table storing the path as a string).
            Val::Str(s) if s.starts_with("res/") => s,
            other => {
                self.anomaly(
                    "manifest.bad-value",
                    format!(
                        "android:networkSecurityConfig is {}, not an XML resource",
                        other.render()
                    ),
                    path,
                    el,
                );
                return None;
            }
        };
        let Some(xml) = load_xml(&file) else {
            self.anomaly(
                "manifest.nsc-unreadable",
                format!("network security config {file} is missing or unreadable"),
                path,
                el,
            );
            return None;
        };
        let source = Location::entry(format!("{}{file}", entry_prefix(self.entry)));
        let (mut cfg, anomalies) = nsc::read_network_security_config(&xml, source);
        self.anomalies.extend(anomalies);
        // Certificate sources compiled to references: resolve to the file path.
        let res = self.res;
        let fix = |anchors: &mut Vec<String>| {
            for a in anchors.iter_mut() {
                if let Some(id) = a
                    .strip_prefix("@0x")
                    .and_then(|h| u32::from_str_radix(h.get(..8).unwrap_or(h), 16).ok())
                {
                    if let Some(r) = res.resolve(id) {
                        let suffix = a.get(11..).unwrap_or("").to_string();
                        *a = format!("{}{suffix}", render_res(&r));
                    }
                }
            }
        };
        fix(&mut cfg.base_trust_anchors);
        fix(&mut cfg.debug_trust_anchors);
        for d in &mut cfg.domains {
            fix(&mut d.trust_anchors);
        }
        Some(cfg)
    }
}

fn split_authorities(a: &str) -> Vec<String> {
    a.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The part of a manifest entry that locates the package/module root: `base/` for
/// `base/manifest/AndroidManifest.xml`, `x.apk!` for `x.apk!AndroidManifest.xml`.
fn entry_prefix(entry: &str) -> &str {
    entry
        .strip_suffix("manifest/AndroidManifest.xml")
        .or_else(|| entry.strip_suffix("AndroidManifest.xml"))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use appvet_axml::proto::{parse_xml, ProtoResourceTable};
    use appvet_axml::{XmlAttr, ANDROID_NS};
    use std::collections::HashMap;

    // ---------------------------------------------------------- tree builders

    fn id_of(name: &str) -> Option<u32> {
        Some(match name {
            "name" => attr::NAME,
            "label" => attr::LABEL,
            "exported" => attr::EXPORTED,
            "permission" => attr::PERMISSION,
            "enabled" => attr::ENABLED,
            "debuggable" => attr::DEBUGGABLE,
            "allowBackup" => attr::ALLOW_BACKUP,
            "usesCleartextTraffic" => attr::USES_CLEARTEXT_TRAFFIC,
            "networkSecurityConfig" => attr::NETWORK_SECURITY_CONFIG,
            "versionCode" => attr::VERSION_CODE,
            "versionName" => attr::VERSION_NAME,
            "minSdkVersion" => attr::MIN_SDK_VERSION,
            "targetSdkVersion" => attr::TARGET_SDK_VERSION,
            "maxSdkVersion" => attr::MAX_SDK_VERSION,
            "protectionLevel" => attr::PROTECTION_LEVEL,
            "authorities" => attr::AUTHORITIES,
            "grantUriPermissions" => attr::GRANT_URI_PERMISSIONS,
            "readPermission" => attr::READ_PERMISSION,
            "writePermission" => attr::WRITE_PERMISSION,
            "targetActivity" => attr::TARGET_ACTIVITY,
            "process" => attr::PROCESS,
            "value" => attr::VALUE,
            "resource" => attr::RESOURCE,
            "scheme" => attr::SCHEME,
            "host" => attr::HOST,
            "port" => attr::PORT,
            "path" => attr::PATH,
            "pathPrefix" => attr::PATH_PREFIX,
            "pathPattern" => attr::PATH_PATTERN,
            "mimeType" => attr::MIME_TYPE,
            "autoVerify" => attr::AUTO_VERIFY,
            "required" => attr::REQUIRED,
            "glEsVersion" => attr::GL_ES_VERSION,
            "testOnly" => attr::TEST_ONLY,
            "compileSdkVersion" => attr::COMPILE_SDK_VERSION,
            "versionCodeMajor" => attr::VERSION_CODE_MAJOR,
            "usesPermissionFlags" => attr::USES_PERMISSION_FLAGS,
            "targetSandboxVersion" => attr::TARGET_SANDBOX_VERSION,
            _ => return None,
        })
    }

    /// An `android:` attribute with its framework id.
    fn a(name: &str, value: AttrValue) -> XmlAttr {
        XmlAttr {
            namespace: ANDROID_NS.into(),
            name: name.into(),
            resource_id: Some(id_of(name).expect("known attribute")),
            value,
        }
    }
    fn s(v: &str) -> AttrValue {
        AttrValue::String(v.into())
    }
    fn el(name: &str, attributes: Vec<XmlAttr>, children: Vec<XmlElement>) -> XmlElement {
        XmlElement {
            name: name.into(),
            attributes,
            children,
            ..XmlElement::default()
        }
    }
    fn named(tag: &str, name: &str, more: Vec<XmlAttr>, children: Vec<XmlElement>) -> XmlElement {
        let mut attrs = vec![a("name", s(name))];
        attrs.extend(more);
        el(tag, attrs, children)
    }
    fn manifest(target: Option<i64>, app: Vec<XmlAttr>, comps: Vec<XmlElement>) -> XmlElement {
        let mut children = Vec::new();
        if let Some(t) = target {
            children.push(el(
                "uses-sdk",
                vec![
                    a("minSdkVersion", AttrValue::Int(15)),
                    a("targetSdkVersion", AttrValue::Int(t)),
                ],
                vec![],
            ));
        }
        children.push(el("application", app, comps));
        XmlElement {
            name: "manifest".into(),
            attributes: vec![XmlAttr {
                namespace: String::new(),
                name: "package".into(),
                resource_id: None,
                value: s("com.example.app"),
            }],
            children,
            ..XmlElement::default()
        }
    }
    fn filter(action: &str) -> XmlElement {
        el(
            "intent-filter",
            vec![],
            vec![named("action", action, vec![], vec![])],
        )
    }

    #[derive(Default)]
    struct FakeRes(HashMap<u32, Vec<(String, ResValue)>>);
    impl FakeRes {
        fn with(mut self, id: u32, vals: &[(&str, ResValue)]) -> Self {
            self.0.insert(
                id,
                vals.iter()
                    .map(|(l, v)| (l.to_string(), v.clone()))
                    .collect(),
            );
            self
        }
    }
    impl Resources for FakeRes {
        fn values(&self, id: u32) -> Vec<(String, ResValue)> {
            self.0.get(&id).cloned().unwrap_or_default()
        }
    }

    fn read(root: &XmlElement, res: &dyn Resources) -> Manifest {
        read_manifest(
            root,
            res,
            PackageFormat::Apk,
            "AndroidManifest.xml",
            &mut |_| None,
        )
        .expect("manifest reads")
    }
    fn codes(m: &Manifest) -> Vec<&str> {
        m.anomalies.iter().map(|a| a.code.as_str()).collect()
    }

    // ---------------------------------------------------------- rules

    #[test]
    fn exported_matrix_across_target_sdks() {
        let comps = || {
            vec![
                named("activity", ".Filtered", vec![], vec![filter("a.VIEW")]),
                named("activity", ".Plain", vec![], vec![]),
                named(
                    "service",
                    ".ExplicitNo",
                    vec![a("exported", AttrValue::Bool(false))],
                    vec![filter("a.X")],
                ),
                named(
                    "receiver",
                    ".ExplicitYes",
                    vec![a("exported", AttrValue::Bool(true))],
                    vec![],
                ),
                named(
                    "activity-alias",
                    ".Alias",
                    vec![a("targetActivity", s(".Plain"))],
                    vec![filter("a.Y")],
                ),
                named(
                    "provider",
                    ".Prov",
                    vec![a("authorities", s("a;b"))],
                    vec![filter("a.Z")],
                ),
            ]
        };
        let res = FakeRes::default();
        let expect = |m: &Manifest, name: &str| {
            let c = m
                .components
                .iter()
                .find(|c| c.name == format!("com.example.app{name}"))
                .expect("component");
            (c.exported, c.exported_reason)
        };
        use ExportedReason::*;

        let m30 = read(&manifest(Some(30), vec![], comps()), &res);
        assert_eq!(expect(&m30, ".Filtered"), (true, ImpliedByIntentFilter));
        assert_eq!(expect(&m30, ".Plain"), (false, Default));
        assert_eq!(expect(&m30, ".ExplicitNo"), (false, Explicit));
        assert_eq!(expect(&m30, ".ExplicitYes"), (true, Explicit));
        assert_eq!(expect(&m30, ".Alias"), (true, ImpliedByIntentFilter));
        assert_eq!(expect(&m30, ".Prov"), (false, Default));
        assert!(!codes(&m30).contains(&"manifest.missing-exported"));

        let m31 = read(&manifest(Some(31), vec![], comps()), &res);
        assert_eq!(expect(&m31, ".Filtered"), (false, Default));
        assert_eq!(expect(&m31, ".Alias"), (false, Default));
        assert_eq!(expect(&m31, ".ExplicitYes"), (true, Explicit));
        let missing: Vec<_> = m31
            .anomalies
            .iter()
            .filter(|a| a.code == "manifest.missing-exported")
            .map(|a| a.location.path.clone().unwrap_or_default())
            .collect();
        // The provider's intent filter does not count; the explicit service is fine.
        assert_eq!(
            missing,
            [
                "manifest/application[0]/activity[0]",
                "manifest/application[0]/activity-alias[0]"
            ]
        );

        // Providers: exported by default below 17.
        let m16 = read(&manifest(Some(16), vec![], comps()), &res);
        assert_eq!(expect(&m16, ".Prov"), (true, ImpliedProviderDefault));
        let m17 = read(&manifest(Some(17), vec![], comps()), &res);
        assert_eq!(expect(&m17, ".Prov"), (false, Default));
        assert_eq!(
            m17.components
                .iter()
                .find(|c| c.kind == ComponentKind::Provider)
                .map(|c| c.authorities.clone()),
            Some(vec!["a".to_string(), "b".to_string()])
        );
    }

    #[test]
    fn names_are_resolved_against_the_package() {
        let root = manifest(
            Some(30),
            vec![a("name", s("App"))],
            vec![
                named("activity", ".Dot", vec![], vec![]),
                named("activity", "Bare", vec![], vec![]),
                named("activity", "org.other.Full", vec![], vec![]),
                named(
                    "activity-alias",
                    ".Al",
                    vec![a("targetActivity", s("Bare"))],
                    vec![],
                ),
            ],
        );
        let m = read(&root, &FakeRes::default());
        let names: Vec<&str> = m.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "com.example.app.Dot",
                "com.example.app.Bare",
                "org.other.Full",
                "com.example.app.Al"
            ]
        );
        assert_eq!(
            m.components[3].target_activity.as_deref(),
            Some("com.example.app.Bare")
        );
        assert_eq!(
            m.app.application_class.as_deref(),
            Some("com.example.app.App")
        );
        assert_eq!(
            m.components[1].location.path.as_deref(),
            Some("manifest/application[0]/activity[1]")
        );
    }

    #[test]
    fn references_resolve_through_resources() {
        let res = FakeRes::default()
            .with(
                0x7f040001,
                &[
                    ("", ResValue::String("My App".into())),
                    ("zh-CN", ResValue::String("我的应用".into())),
                    ("fr", ResValue::Reference(0x7f040009)),
                    ("", ResValue::String("night label".into())),
                ],
            )
            .with(0x7f040009, &[("", ResValue::String("Mon App".into()))])
            .with(0x7f040002, &[("", ResValue::String("2.0".into()))])
            .with(0x7f040003, &[("", ResValue::Reference(0x7f040004))])
            .with(0x7f040004, &[("", ResValue::String("secret-key".into()))])
            .with(
                0x7f0c0000,
                &[("", ResValue::File("res/xml/paths.xml".into()))],
            )
            .with(0x7f050000, &[("", ResValue::Int(42))])
            .with(0x7f060000, &[("", ResValue::Bool(true))]);
        let mut root = manifest(
            Some(30),
            vec![
                a("label", AttrValue::Reference(0x7f040001)),
                a("debuggable", AttrValue::Reference(0x7f060000)),
            ],
            vec![
                named(
                    "meta-data",
                    "key",
                    vec![a("value", AttrValue::Reference(0x7f040003))],
                    vec![],
                ),
                named(
                    "meta-data",
                    "paths",
                    vec![a("resource", AttrValue::Reference(0x7f0c0000))],
                    vec![],
                ),
                named(
                    "meta-data",
                    "answer",
                    vec![a("resource", AttrValue::Reference(0x7f050000))],
                    vec![],
                ),
                named(
                    "meta-data",
                    "gone",
                    vec![a("resource", AttrValue::Reference(0x7f990000))],
                    vec![],
                ),
                named(
                    "meta-data",
                    "int",
                    vec![a("value", AttrValue::Int(7))],
                    vec![],
                ),
                named(
                    "service",
                    ".Svc",
                    vec![],
                    vec![named("meta-data", "svc", vec![a("value", s("x"))], vec![])],
                ),
            ],
        );
        root.attributes
            .push(a("versionName", AttrValue::Reference(0x7f040002)));
        root.attributes.push(a("versionCode", AttrValue::Int(3)));
        let m = read(&root, &res);
        assert_eq!(m.package.label.as_deref(), Some("My App"));
        assert_eq!(m.package.labels.len(), 3);
        assert_eq!(m.package.labels[""], "My App");
        assert_eq!(m.package.labels["zh-CN"], "我的应用");
        assert_eq!(m.package.labels["fr"], "Mon App");
        assert_eq!(m.package.version_name.as_deref(), Some("2.0"));
        assert_eq!(m.package.version_code.as_deref(), Some("3"));
        assert_eq!(m.app.debuggable, Some(true));
        let md: Vec<(&str, Option<&str>, Option<&str>)> = m
            .metadata
            .iter()
            .map(|d| (d.name.as_str(), d.value.as_deref(), d.component.as_deref()))
            .collect();
        assert_eq!(
            md,
            [
                ("key", Some("secret-key"), None),
                ("paths", Some("res/xml/paths.xml"), None),
                ("answer", Some("42"), None),
                ("gone", Some("@0x7f990000"), None),
                ("int", Some("7"), None),
                ("svc", Some("x"), Some("com.example.app.Svc")),
            ]
        );

        // Unresolvable references are reported.
        let root = manifest(
            Some(30),
            vec![a("label", AttrValue::Reference(0x7f040077))],
            vec![],
        );
        let m = read(&root, &FakeRes::default());
        assert_eq!(m.package.label, None);
        assert!(m.package.labels.is_empty());
        assert_eq!(codes(&m), ["manifest.unresolved-reference"]);
    }

    #[test]
    fn sdk_defaults_and_version_code_major() {
        let mut root = manifest(None, vec![], vec![]);
        root.attributes.push(a("versionCode", AttrValue::Int(5)));
        root.attributes
            .push(a("versionCodeMajor", AttrValue::Int(2)));
        root.attributes.push(XmlAttr {
            namespace: String::new(),
            name: "platformBuildVersionCode".into(),
            resource_id: None,
            value: AttrValue::Int(33),
        });
        let m = read(&root, &FakeRes::default());
        assert_eq!(m.package.version_code.as_deref(), Some("8589934597")); // 2<<32 | 5
        assert_eq!(m.package.min_sdk, Some(1));
        assert_eq!(m.package.target_sdk, Some(1));
        assert_eq!(m.package.compile_sdk, Some(33));
        assert_eq!(m.package.platform, Platform::Android);

        // Negative versionCode is its unsigned 32 bits; target defaults to min.
        let mut root = manifest(None, vec![], vec![]);
        root.attributes.push(a("versionCode", AttrValue::Int(-1)));
        root.attributes
            .push(a("compileSdkVersion", AttrValue::Int(34)));
        root.children.insert(
            0,
            el(
                "uses-sdk",
                vec![a("minSdkVersion", AttrValue::Int(24))],
                vec![],
            ),
        );
        let m = read(&root, &FakeRes::default());
        assert_eq!(m.package.version_code.as_deref(), Some("4294967295"));
        assert_eq!(m.package.min_sdk, Some(24));
        assert_eq!(m.package.target_sdk, Some(24));
        assert_eq!(m.package.compile_sdk, Some(34));

        // A codename is reported, not guessed.
        let root = XmlElement {
            children: vec![el("uses-sdk", vec![a("minSdkVersion", s("S"))], vec![])],
            ..manifest(None, vec![], vec![])
        };
        let m = read(&root, &FakeRes::default());
        assert_eq!(m.package.min_sdk, Some(1));
        assert_eq!(codes(&m), ["manifest.sdk-codename"]);
    }

    #[test]
    fn cleartext_rules() {
        let nsc = |cleartext: Option<bool>| {
            let mut attrs = vec![];
            if let Some(b) = cleartext {
                attrs.push(XmlAttr {
                    namespace: String::new(),
                    name: "cleartextTrafficPermitted".into(),
                    resource_id: None,
                    value: AttrValue::Bool(b),
                });
            }
            el(
                "network-security-config",
                vec![],
                vec![el("base-config", attrs, vec![])],
            )
        };
        let res = FakeRes::default().with(
            0x7f0e0000,
            &[("", ResValue::File("res/xml/nsc.xml".into()))],
        );
        let run = |target: i64, uses: Option<bool>, cfg: Option<Option<bool>>| {
            let mut app = vec![];
            if let Some(u) = uses {
                app.push(a("usesCleartextTraffic", AttrValue::Bool(u)));
            }
            if cfg.is_some() {
                app.push(a("networkSecurityConfig", AttrValue::Reference(0x7f0e0000)));
            }
            let root = manifest(Some(target), app, vec![]);
            let mut load = |p: &str| {
                assert_eq!(p, "res/xml/nsc.xml");
                cfg.map(nsc)
            };
            let m = read_manifest(
                &root,
                &res,
                PackageFormat::Apk,
                "AndroidManifest.xml",
                &mut load,
            )
            .expect("reads");
            assert!(m.anomalies.is_empty(), "{:?}", m.anomalies);
            (m.app.cleartext_permitted, m.app.uses_cleartext_traffic)
        };
        // Platform default flips at 28.
        assert_eq!(run(27, None, None), (Some(true), None));
        assert_eq!(run(28, None, None), (Some(false), None));
        // Manifest flag decides without a config.
        assert_eq!(run(28, Some(true), None), (Some(true), Some(true)));
        assert_eq!(run(27, Some(false), None), (Some(false), Some(false)));
        // The config's base-config decides when set.
        assert_eq!(
            run(27, Some(true), Some(Some(false))),
            (Some(false), Some(true))
        );
        assert_eq!(run(30, None, Some(Some(true))), (Some(true), None));
        // A config without the attribute: platform default, manifest flag ignored.
        assert_eq!(run(30, Some(true), Some(None)), (Some(false), Some(true)));
        assert_eq!(run(27, Some(false), Some(None)), (Some(true), Some(false)));
    }

    #[test]
    fn network_security_config_is_loaded_and_flattened() {
        let plain = |name: &str, v: AttrValue| XmlAttr {
            namespace: String::new(),
            name: name.into(),
            resource_id: None,
            value: v,
        };
        let cfg = el(
            "network-security-config",
            vec![],
            vec![el(
                "domain-config",
                vec![plain("cleartextTrafficPermitted", AttrValue::Bool(true))],
                vec![
                    XmlElement {
                        text: Some("example.com".into()),
                        ..el("domain", vec![], vec![])
                    },
                    el(
                        "trust-anchors",
                        vec![],
                        vec![el(
                            "certificates",
                            vec![plain("src", AttrValue::Reference(0x7f0f0000))],
                            vec![],
                        )],
                    ),
                    el(
                        "domain-config",
                        vec![],
                        vec![XmlElement {
                            text: Some("api.example.com".into()),
                            ..el("domain", vec![], vec![])
                        }],
                    ),
                ],
            )],
        );
        let res = FakeRes::default()
            .with(
                0x7f0e0000,
                &[("", ResValue::File("res/xml/nsc.xml".into()))],
            )
            .with(0x7f0f0000, &[("", ResValue::File("res/raw/ca.pem".into()))]);
        let root = manifest(
            Some(30),
            vec![a("networkSecurityConfig", AttrValue::Reference(0x7f0e0000))],
            vec![],
        );
        let mut asked = Vec::new();
        let m = read_manifest(
            &root,
            &res,
            PackageFormat::Aab,
            "base/manifest/AndroidManifest.xml",
            &mut |p: &str| {
                asked.push(p.to_string());
                Some(cfg.clone())
            },
        )
        .expect("reads");
        assert_eq!(asked, ["res/xml/nsc.xml"]);
        let n = m.app.network_security_config.expect("nsc");
        assert_eq!(n.source.entry, "base/res/xml/nsc.xml");
        assert_eq!(n.domains.len(), 2);
        assert_eq!(n.domains[0].trust_anchors, ["res/raw/ca.pem"]);
        assert_eq!(n.domains[1].domains, ["api.example.com"]);
        assert_eq!(n.domains[1].cleartext_permitted, Some(true));
        assert_eq!(n.domains[1].trust_anchors, ["res/raw/ca.pem"]);
        assert_eq!(m.package.format, PackageFormat::Aab);
        assert_eq!(
            m.package.location.entry,
            "base/manifest/AndroidManifest.xml"
        );

        // Missing file → anomaly, no config, platform default.
        let m = read_manifest(
            &root,
            &res,
            PackageFormat::Apk,
            "AndroidManifest.xml",
            &mut |_| None,
        )
        .expect("reads");
        assert_eq!(codes(&m), ["manifest.nsc-unreadable"]);
        assert_eq!(m.app.network_security_config, None);
        assert_eq!(m.app.cleartext_permitted, Some(false));
    }

    #[test]
    fn permissions_features_queries() {
        let mut root = manifest(Some(33), vec![], vec![]);
        let top = vec![
            named(
                "uses-permission",
                "android.permission.INTERNET",
                vec![],
                vec![],
            ),
            named(
                "uses-permission",
                "android.permission.BLUETOOTH_SCAN",
                vec![
                    a("usesPermissionFlags", AttrValue::Int(0x10000)),
                    a("maxSdkVersion", AttrValue::Int(32)),
                ],
                vec![],
            ),
            named(
                "uses-permission-sdk-23",
                "android.permission.CAMERA",
                vec![],
                vec![],
            ),
            named(
                "uses-permission",
                "android.permission.INTERNET",
                vec![],
                vec![],
            ),
            el("uses-permission", vec![], vec![]),
            named(
                "permission",
                "com.example.P1",
                vec![a("protectionLevel", AttrValue::Int(0x12))],
                vec![],
            ),
            named(
                "permission",
                "com.example.P2",
                vec![a("protectionLevel", AttrValue::Int(1))],
                vec![],
            ),
            named("permission", "com.example.P3", vec![], vec![]),
            named(
                "uses-feature",
                "android.hardware.camera",
                vec![a("required", AttrValue::Bool(false))],
                vec![],
            ),
            el(
                "uses-feature",
                vec![a("glEsVersion", AttrValue::Int(0x30000))],
                vec![],
            ),
            el(
                "queries",
                vec![],
                vec![
                    named("package", "com.other", vec![], vec![]),
                    el(
                        "intent",
                        vec![],
                        vec![
                            named("action", "android.intent.action.VIEW", vec![], vec![]),
                            el(
                                "data",
                                vec![a("scheme", s("https")), a("pathPattern", s("/a.*"))],
                                vec![],
                            ),
                        ],
                    ),
                    el("provider", vec![a("authorities", s("x.y; z.w"))], vec![]),
                ],
            ),
        ];
        root.children.extend(top);
        let m = read(&root, &FakeRes::default());
        let perms: Vec<(&str, Option<u32>, bool, Option<&str>)> = m
            .permissions
            .iter()
            .map(|p| (p.name.as_str(), p.max_sdk, p.sdk23, p.detail.as_deref()))
            .collect();
        assert_eq!(
            perms,
            [
                ("android.permission.INTERNET", None, false, None),
                (
                    "android.permission.BLUETOOTH_SCAN",
                    Some(32),
                    false,
                    Some("neverForLocation")
                ),
                ("android.permission.CAMERA", None, true, None),
                ("android.permission.INTERNET", None, false, None),
            ]
        );
        assert_eq!(
            codes(&m),
            ["manifest.duplicate-permission", "manifest.missing-name"]
        );
        let levels: Vec<Option<&str>> = m
            .declared_permissions
            .iter()
            .map(|p| p.protection_level.as_deref())
            .collect();
        assert_eq!(
            levels,
            [Some("signature|privileged"), Some("dangerous"), None]
        );
        let feats: Vec<(&str, bool)> = m
            .features
            .iter()
            .map(|f| (f.name.as_str(), f.required))
            .collect();
        assert_eq!(
            feats,
            [
                ("android.hardware.camera", false),
                ("glEsVersion=0x00030000", true)
            ]
        );
        assert_eq!(m.queries.packages, ["com.other"]);
        assert_eq!(m.queries.providers, ["x.y", "z.w"]);
        assert_eq!(m.queries.intents.len(), 1);
        assert_eq!(
            m.queries.intents[0].data[0].path.as_deref(),
            Some("pathPattern:/a.*")
        );
        assert_eq!(
            m.queries.intents[0].data[0].scheme.as_deref(),
            Some("https")
        );
    }

    #[test]
    fn protection_levels_render_like_android() {
        assert_eq!(protection_level(0), "normal");
        assert_eq!(protection_level(2), "signature");
        assert_eq!(protection_level(3), "signatureOrSystem");
        assert_eq!(protection_level(0x12), "signature|privileged");
        assert_eq!(protection_level(0x42), "signature|appop");
        assert_eq!(protection_level(0x8000002), "signature|knownSigner");
        assert_eq!(protection_level(0x3000_0002), "signature|0x30000000");
    }

    #[test]
    fn anomalies_and_errors() {
        // Root and package errors.
        let r = read_manifest(
            &el("application", vec![], vec![]),
            &FakeRes::default(),
            PackageFormat::Apk,
            "AndroidManifest.xml",
            &mut |_| None,
        );
        assert!(r.is_err());
        let mut no_pkg = manifest(Some(30), vec![], vec![]);
        no_pkg.attributes.clear();
        assert!(read_manifest(
            &no_pkg,
            &FakeRes::default(),
            PackageFormat::Apk,
            "AndroidManifest.xml",
            &mut |_| None
        )
        .is_err());

        // Attribute without id, duplicate components, misplaced elements, lines in paths.
        let mut act = named("activity", ".A", vec![], vec![]);
        act.attributes.push(XmlAttr {
            namespace: ANDROID_NS.into(),
            name: "exported".into(),
            resource_id: None,
            value: AttrValue::Bool(true),
        });
        act.line = Some(12);
        let mut root = manifest(
            Some(30),
            vec![],
            vec![
                act,
                named("activity", "com.example.app.A", vec![], vec![]),
                el("activity", vec![], vec![]),
            ],
        );
        root.children
            .push(named("service", ".Stray", vec![], vec![]));
        root.children.push(el("application", vec![], vec![]));
        let m = read(&root, &FakeRes::default());
        assert_eq!(
            codes(&m),
            [
                "manifest.misplaced-element",
                "manifest.duplicate-element",
                "manifest.attribute-without-id",
                "manifest.duplicate-component",
                "manifest.missing-name",
            ]
        );
        assert_eq!(
            m.anomalies[2].location.path.as_deref(),
            Some("manifest/application[0]/activity[0] (line 12)")
        );
        assert!(m.components[0].exported);
        assert_eq!(m.components.len(), 2);
    }

    // ---------------------------------------------------------- real aapt2 output

    const PROTO_MANIFEST: &[u8] =
        include_bytes!("../../axml/tests/data/proto/AndroidManifest.xml.pb");
    const PROTO_RES: &[u8] = include_bytes!("../../axml/tests/data/proto/resources.pb");
    const PROTO_NSC: &[u8] =
        include_bytes!("../../axml/tests/data/proto/network_security_config.xml.pb");

    #[test]
    fn reads_a_real_bundle_manifest() {
        let root = parse_xml(PROTO_MANIFEST).expect("manifest parses");
        let res = ProtoResourceTable::parse(PROTO_RES).expect("table parses");
        let mut loaded = Vec::new();
        let m = read_manifest(
            &root,
            &res,
            PackageFormat::Aab,
            "base/manifest/AndroidManifest.xml",
            &mut |p: &str| {
                loaded.push(p.to_string());
                (p == "res/xml/network_security_config.xml")
                    .then(|| parse_xml(PROTO_NSC).ok())
                    .flatten()
            },
        )
        .expect("reads");
        assert_eq!(loaded, ["res/xml/network_security_config.xml"]);
        assert!(m.anomalies.is_empty(), "{:?}", m.anomalies);

        let p = &m.package;
        assert_eq!(p.id, "org.appvet.demo");
        assert_eq!(
            p.version_code.as_deref(),
            Some(((2u64 << 32) | 7).to_string().as_str())
        );
        assert_eq!(p.version_name.as_deref(), Some("1.2.3-beta"));
        assert_eq!(p.label.as_deref(), Some("Vet Demo"));
        let labels: Vec<(&str, &str)> = p
            .labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                ("", "Vet Demo"),
                ("fr", "Démo"),
                ("sr-Latn", "Demo sr"),
                ("zh-CN", "审查演示")
            ]
        );
        assert_eq!(
            (p.min_sdk, p.target_sdk, p.compile_sdk),
            (Some(21), Some(30), Some(29))
        );
        assert_eq!(p.location.path.as_deref(), Some("manifest (line 2)"));

        let perms: Vec<(&str, Option<u32>, bool)> = m
            .permissions
            .iter()
            .map(|p| (p.name.as_str(), p.max_sdk, p.sdk23))
            .collect();
        assert_eq!(
            perms,
            [
                ("android.permission.INTERNET", None, false),
                ("android.permission.READ_CONTACTS", Some(28), false),
                ("android.permission.CAMERA", None, true),
            ]
        );
        assert_eq!(
            m.permissions[1].location.path.as_deref(),
            Some("manifest/uses-permission[1] (line 9)")
        );
        let declared: Vec<(&str, Option<&str>)> = m
            .declared_permissions
            .iter()
            .map(|d| (d.name.as_str(), d.protection_level.as_deref()))
            .collect();
        assert_eq!(
            declared,
            [
                ("org.appvet.demo.SECRET", Some("signature|privileged")),
                ("org.appvet.demo.DANGER", Some("dangerous"))
            ]
        );
        let feats: Vec<(&str, bool)> = m
            .features
            .iter()
            .map(|f| (f.name.as_str(), f.required))
            .collect();
        assert_eq!(
            feats,
            [
                ("android.hardware.camera", false),
                ("glEsVersion=0x00020000", true)
            ]
        );
        assert_eq!(m.queries.packages, ["com.example.other"]);
        assert_eq!(m.queries.providers, ["com.example.provider"]);
        assert_eq!(m.queries.intents[0].actions, ["android.intent.action.SEND"]);
        assert_eq!(
            m.queries.intents[0].data[0].mime_type.as_deref(),
            Some("text/plain")
        );

        let app = &m.app;
        assert_eq!(app.debuggable, Some(true));
        assert_eq!(app.allow_backup, Some(false));
        assert_eq!(app.uses_cleartext_traffic, Some(true));
        assert_eq!(
            app.application_class.as_deref(),
            Some("org.appvet.demo.DemoApp")
        );
        // The config's base-config (false) overrides the manifest flag (true).
        assert_eq!(app.cleartext_permitted, Some(false));
        let nsc = app.network_security_config.as_ref().expect("nsc");
        assert_eq!(nsc.source.entry, "base/res/xml/network_security_config.xml");
        assert_eq!(nsc.base_cleartext_permitted, Some(false));
        assert_eq!(nsc.base_trust_anchors, ["system"]);
        assert_eq!(nsc.debug_trust_anchors, ["user"]);
        assert_eq!(nsc.domains.len(), 2);
        assert_eq!(nsc.domains[0].domains, ["example.com"]);
        assert!(nsc.domains[0].include_subdomains);
        assert_eq!(nsc.domains[0].cleartext_permitted, Some(true));
        assert_eq!(nsc.domains[1].domains, ["api.example.com"]);
        assert_eq!(nsc.domains[1].cleartext_permitted, Some(true));
        assert_eq!(
            nsc.domains[1].pins,
            ["sha256/7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y="]
        );

        let md: Vec<(&str, Option<&str>, Option<&str>)> = m
            .metadata
            .iter()
            .map(|d| (d.name.as_str(), d.value.as_deref(), d.component.as_deref()))
            .collect();
        assert_eq!(
            md,
            [
                ("com.example.API_KEY", Some("k-123"), None),
                ("com.example.ANSWER", Some("42"), None),
                ("com.example.PLAIN", Some("hello"), None),
                ("svc.meta", Some("3"), Some("org.appvet.demo.Sync")),
            ]
        );

        let comps: Vec<(ComponentKind, &str, bool, ExportedReason, bool)> = m
            .components
            .iter()
            .map(|c| {
                (
                    c.kind,
                    c.name.as_str(),
                    c.exported,
                    c.exported_reason,
                    c.enabled,
                )
            })
            .collect();
        use ComponentKind::*;
        use ExportedReason::*;
        assert_eq!(
            comps,
            [
                (
                    Activity,
                    "org.appvet.demo.MainActivity",
                    true,
                    ImpliedByIntentFilter,
                    true
                ),
                (Activity, "org.appvet.demo.Hidden", false, Explicit, false),
                (ActivityAlias, "org.appvet.demo.Alias", true, Explicit, true),
                (Service, "org.appvet.demo.Sync", false, Default, true),
                (
                    Receiver,
                    "org.appvet.demo.Boot",
                    true,
                    ImpliedByIntentFilter,
                    true
                ),
                (Provider, "org.appvet.demo.Files", false, Default, true),
            ]
        );
        let main = &m.components[0];
        let f = &main.intent_filters[0];
        assert!(f.auto_verify);
        assert_eq!(f.actions, ["android.intent.action.VIEW"]);
        assert_eq!(
            f.categories,
            [
                "android.intent.category.DEFAULT",
                "android.intent.category.BROWSABLE"
            ]
        );
        assert_eq!(f.data[0].scheme.as_deref(), Some("https"));
        assert_eq!(f.data[0].host.as_deref(), Some("example.com"));
        assert_eq!(f.data[0].path.as_deref(), Some("pathPrefix:/app"));
        assert_eq!(
            m.components[2].target_activity.as_deref(),
            Some("org.appvet.demo.MainActivity")
        );
        let svc = &m.components[3];
        assert_eq!(svc.permission.as_deref(), Some("org.appvet.demo.SECRET"));
        assert_eq!(svc.process.as_deref(), Some(":sync"));
        let prov = &m.components[5];
        assert_eq!(
            prov.authorities,
            ["org.appvet.demo.files", "org.appvet.demo.other"]
        );
        assert!(prov.grant_uri_permissions);
        assert_eq!(
            prov.read_permission.as_deref(),
            Some("org.appvet.demo.SECRET")
        );
        assert_eq!(prov.write_permission, None);
        assert_eq!(
            prov.location,
            Location::entry("base/manifest/AndroidManifest.xml")
                .with_path("manifest/application[0]/provider[0] (line 50)")
        );
    }

    /// The binary (APK) link of the same sources, through the AXML and ARSC readers, gives the
    /// same facts as the protobuf (bundle) link.
    #[test]
    fn binary_and_proto_forms_agree() {
        const BIN_MANIFEST: &[u8] =
            include_bytes!("../../axml/tests/data/proto/binary/AndroidManifest.xml");
        const BIN_ARSC: &[u8] = include_bytes!("../../axml/tests/data/proto/binary/resources.arsc");
        const BIN_NSC: &[u8] =
            include_bytes!("../../axml/tests/data/proto/binary/network_security_config.xml");
        let (Ok(doc), Ok(table)) = (
            appvet_axml::axml::parse(BIN_MANIFEST),
            appvet_axml::arsc::ResourceTable::parse(BIN_ARSC),
        ) else {
            panic!("binary forms parse");
        };
        let bin = read_manifest(
            &doc.root,
            &table,
            PackageFormat::Apk,
            "AndroidManifest.xml",
            &mut |_| appvet_axml::axml::parse(BIN_NSC).ok().map(|d| d.root),
        )
        .expect("binary manifest reads");
        let proto = read_manifest(
            &parse_xml(PROTO_MANIFEST).expect("parses"),
            &ProtoResourceTable::parse(PROTO_RES).expect("parses"),
            PackageFormat::Apk,
            "AndroidManifest.xml",
            &mut |_| parse_xml(PROTO_NSC).ok(),
        )
        .expect("proto manifest reads");
        assert_eq!(bin.package, proto.package);
        assert_eq!(bin.permissions, proto.permissions);
        assert_eq!(bin.declared_permissions, proto.declared_permissions);
        assert_eq!(bin.components, proto.components);
        assert_eq!(bin.queries, proto.queries);
        assert_eq!(bin.metadata, proto.metadata);
        assert_eq!(bin.features, proto.features);
        let (bn, pn) = (
            bin.app
                .network_security_config
                .as_ref()
                .expect("binary nsc"),
            proto
                .app
                .network_security_config
                .as_ref()
                .expect("proto nsc"),
        );
        assert_eq!(bn.base_cleartext_permitted, pn.base_cleartext_permitted);
        assert_eq!(bn.base_trust_anchors, pn.base_trust_anchors);
        assert_eq!(bn.debug_trust_anchors, pn.debug_trust_anchors);
        assert_eq!(bin.app.cleartext_permitted, proto.app.cleartext_permitted);
        assert!(proto.anomalies.is_empty(), "{:?}", proto.anomalies);
        // Domain names and pins are element text: equal once the AXML reader keeps text.
        if bn.domains == pn.domains {
            assert!(bin.anomalies.is_empty(), "{:?}", bin.anomalies);
        } else {
            assert!(bin
                .anomalies
                .iter()
                .all(|a| a.code.starts_with("manifest.nsc-")));
        }
    }

    /// Deterministic LCG.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
    }

    #[test]
    fn mutated_real_manifests_never_panic() {
        let start = std::time::Instant::now();
        let res = ProtoResourceTable::parse(PROTO_RES).expect("table parses");
        let mut rng = Lcg(42);
        let mut read_ok = 0;
        for round in 0..4000 {
            let mut d = PROTO_MANIFEST.to_vec();
            if round % 4 == 0 {
                d.truncate((rng.next() as usize) % d.len());
            }
            for _ in 0..1 + rng.next() % 4 {
                let pos = (rng.next() as usize) % d.len().max(1);
                if let Some(b) = d.get_mut(pos) {
                    *b ^= 1 << (rng.next() % 8);
                }
            }
            if let Ok(root) = parse_xml(&d) {
                let mut load = |_: &str| parse_xml(PROTO_NSC).ok();
                if read_manifest(&root, &res, PackageFormat::Aab, "m", &mut load).is_ok() {
                    read_ok += 1;
                }
            }
        }
        assert!(read_ok > 100, "only {read_ok} mutated manifests read");
        assert!(start.elapsed() < std::time::Duration::from_secs(60));
    }
}
