//! `Info.plist` → identity and Inventory facts.
//!
//! Mapping (main app bundle; see also lib.rs):
//!
//! - `CFBundleIdentifier` / `CFBundleVersion` / `CFBundleShortVersionString` /
//!   `MinimumOSVersion` → [`PackageInfo`]; label = `CFBundleDisplayName`, else `CFBundleName`,
//!   and per locale from `<locale>.lproj/InfoPlist.strings` (read by lib.rs).
//! - every key ending in `UsageDescription` (`NS*UsageDescription`, `NFCReaderUsageDescription`)
//!   → `permissions`, `detail` = the default (unlocalised) text.
//! - `UIBackgroundModes` → `background_modes`; `LSApplicationQueriesSchemes` → `queries.schemes`;
//!   `SKAdNetworkItems` → `ad_network_ids`.
//! - `NSAppTransportSecurity` → `app.network_security_config`: `base_cleartext_permitted` =
//!   `NSAllowsArbitraryLoads` as written; each `NSExceptionDomains` entry is a [`DomainConfig`]
//!   (`cleartext_permitted` = `NSExceptionAllowsInsecureHTTPLoads` or
//!   `NSThirdPartyExceptionAllowsInsecureHTTPLoads`, `include_subdomains` =
//!   `NSIncludesSubdomains`); `NSPinnedDomains` entries add domains with `pins`
//!   (`sha256/<base64>` of `SPKI-SHA256-BASE64`, CA and leaf identities alike). The other
//!   top-level ATS flags (`NSAllowsArbitraryLoadsInWebContent`, `NSAllowsArbitraryLoadsForMedia`,
//!   `NSAllowsLocalNetworking`) become `metadata` entries named `NSAppTransportSecurity/<key>`.
//!   `app.cleartext_permitted` = `NSAllowsArbitraryLoads`, except that iOS 10+ ignores it when
//!   any of those three flags is present (then false); without ATS keys it is false (ATS default).
//! - `CFBundleURLTypes` → one [`Component`] of kind `activity` named after the bundle id,
//!   `exported: true` (`explicit`), one intent filter per URL type with action `url-scheme`, the
//!   type's `CFBundleURLName` (if any) as its only category and one `data` per scheme. lib.rs
//!   adds universal links (`applinks:` associated domains) to the same component as filters with
//!   action `universal-link`, `auto_verify: true` and `https` data with the host.
//! - every other top-level key that is not Apple-reserved (prefixes `CF`, `NS`, `UI`, `LS`, `DT`,
//!   `MK`, `WK`, `Minimum`, `BuildMachine`, `Apple`, `ITS`, `SK`, `CA`, `GK`, `BG`, `IN`, `NFC`,
//!   `UN`, `AV`, `com.apple.`) → `metadata` (SDK keys: `GADApplicationIdentifier`,
//!   `FacebookAppID`, `AppLovinSdkKey`, ...); scalars as text, arrays and dictionaries as JSON.

use crate::plist_read::{self, get_bool, get_str, get_strings, json_text, text_of};
use appvet_model::{
    AdNetworkId, Component, ComponentKind, DomainConfig, ExportedReason, IntentData, IntentFilter,
    Inventory, Location, MetaData, NetworkSecurityConfig, PackageFormat, PackageInfo,
    PermissionRequest, Platform,
};
use plist::{Dictionary, Value};

/// Parse an Info.plist (binary or XML) into its top-level dictionary.
pub fn read_info_plist(bytes: &[u8]) -> Result<Dictionary, String> {
    plist_read::parse(bytes)?
        .into_dictionary()
        .ok_or_else(|| "the top-level value is not a dictionary".to_string())
}

/// Identity of the main app.
pub fn package_info(d: &Dictionary, entry: &str) -> PackageInfo {
    let s = |k: &str| d.get(k).and_then(text_of).filter(|v| !v.is_empty());
    PackageInfo {
        platform: Platform::Ios,
        format: PackageFormat::Ipa,
        id: s("CFBundleIdentifier").unwrap_or_default(),
        version_code: s("CFBundleVersion"),
        version_name: s("CFBundleShortVersionString"),
        label: label_of(d.iter().map(|(k, v)| (k.as_str(), text_of(v)))),
        labels: Default::default(),
        min_sdk: None,
        target_sdk: None,
        compile_sdk: None,
        min_os_version: s("MinimumOSVersion"),
        location: Location::entry(entry),
    }
}

/// `CFBundleDisplayName`, else `CFBundleName`, among key-value pairs.
pub fn label_of<'k>(pairs: impl Iterator<Item = (&'k str, Option<String>)>) -> Option<String> {
    let mut display = None;
    let mut name = None;
    for (k, v) in pairs {
        match k {
            "CFBundleDisplayName" => display = v.filter(|s| !s.is_empty()),
            "CFBundleName" => name = v.filter(|s| !s.is_empty()),
            _ => {}
        }
    }
    display.or(name)
}

/// Locale of an `.lproj` directory name, normalised to BCP 47 case (`zh_CN` → `zh-CN`,
/// `zh-hans` → `zh-Hans`, `English` → `en`); None for `Base`.
pub fn normalize_locale(lproj: &str) -> Option<String> {
    let name = lproj.strip_suffix(".lproj").unwrap_or(lproj);
    let legacy = match name {
        "Base" | "" => return None,
        "English" => "en",
        "French" => "fr",
        "German" => "de",
        "Japanese" => "ja",
        "Spanish" => "es",
        "Italian" => "it",
        "Dutch" => "nl",
        _ => name,
    };
    let parts: Vec<String> = legacy
        .split(['-', '_'])
        .enumerate()
        .map(|(i, p)| {
            if i == 0 {
                p.to_ascii_lowercase()
            } else if p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()) {
                let mut c = p.to_ascii_lowercase();
                if let Some(f) = c.get_mut(..1) {
                    f.make_ascii_uppercase();
                }
                c
            } else if p.len() == 2 || p.len() == 3 {
                p.to_ascii_uppercase()
            } else {
                p.to_string()
            }
        })
        .collect();
    Some(parts.join("-"))
}

const RESERVED_PREFIXES: &[&str] = &[
    "CF",
    "NS",
    "UI",
    "LS",
    "DT",
    "MK",
    "WK",
    "Minimum",
    "BuildMachine",
    "Apple",
    "ITS",
    "SK",
    "CA",
    "GK",
    "BG",
    "IN",
    "NFC",
    "UN",
    "AV",
    "com.apple.",
];

fn is_reserved(key: &str) -> bool {
    RESERVED_PREFIXES.iter().any(|p| {
        // `AVOCADO_KEY` is not Apple's: a reserved prefix is followed by an upper-case letter
        // and then a lower-case one (`AVInitialRoute...`, `CADisable...`), or is a domain.
        key.strip_prefix(p).is_some_and(|rest| {
            p.ends_with('.')
                || (rest.starts_with(|c: char| c.is_ascii_uppercase())
                    && rest.bytes().any(|b| b.is_ascii_lowercase()))
        })
    })
}

/// Facts of the main app's Info.plist (`entry` is its path, `id` the bundle id).
pub fn app_facts(d: &Dictionary, entry: &str, id: &str, inv: &mut Inventory) {
    let at = |path: &str| Location::entry(entry).with_path(path);
    for (k, v) in d {
        if k.ends_with("UsageDescription") {
            inv.permissions.push(PermissionRequest {
                name: k.clone(),
                max_sdk: None,
                sdk23: false,
                detail: text_of(v),
                location: at(k),
            });
        }
    }
    inv.background_modes
        .extend(get_strings(d, "UIBackgroundModes"));
    inv.queries
        .schemes
        .extend(get_strings(d, "LSApplicationQueriesSchemes"));
    if let Some(items) = d.get("SKAdNetworkItems").and_then(Value::as_array) {
        for (i, item) in items.iter().enumerate() {
            if let Some(idv) = item
                .as_dictionary()
                .and_then(|x| get_str(x, "SKAdNetworkIdentifier"))
            {
                inv.ad_network_ids.push(AdNetworkId {
                    id: idv.to_string(),
                    location: at(&format!("SKAdNetworkItems[{i}]")),
                });
            }
        }
    }
    ats(d, entry, inv);
    url_types(d, entry, id, inv);
    for (k, v) in d {
        if is_reserved(k) {
            continue;
        }
        inv.metadata.push(MetaData {
            name: k.clone(),
            value: Some(text_of(v).unwrap_or_else(|| json_text(v, 4096))),
            component: None,
            location: at(k),
        });
    }
}

fn ats(d: &Dictionary, entry: &str, inv: &mut Inventory) {
    let loc = Location::entry(entry).with_path("NSAppTransportSecurity");
    let Some(a) = d
        .get("NSAppTransportSecurity")
        .and_then(Value::as_dictionary)
    else {
        inv.app.cleartext_permitted = Some(false);
        return;
    };
    let arbitrary = get_bool(a, "NSAllowsArbitraryLoads");
    let mut overriding = false;
    for k in [
        "NSAllowsArbitraryLoadsInWebContent",
        "NSAllowsArbitraryLoadsForMedia",
        "NSAllowsLocalNetworking",
    ] {
        if let Some(v) = a.get(k) {
            overriding = true;
            inv.metadata.push(MetaData {
                name: format!("NSAppTransportSecurity/{k}"),
                value: Some(text_of(v).unwrap_or_else(|| json_text(v, 256))),
                component: None,
                location: loc.clone().with_path(format!("NSAppTransportSecurity/{k}")),
            });
        }
    }
    let mut nsc = NetworkSecurityConfig {
        source: loc.clone(),
        base_cleartext_permitted: arbitrary,
        ..NetworkSecurityConfig::default()
    };
    if let Some(domains) = a.get("NSExceptionDomains").and_then(Value::as_dictionary) {
        for (name, cfg) in domains {
            let c = cfg.as_dictionary();
            let flag = |k: &str| c.and_then(|c| get_bool(c, k));
            let cleartext = match (
                flag("NSExceptionAllowsInsecureHTTPLoads"),
                flag("NSThirdPartyExceptionAllowsInsecureHTTPLoads"),
            ) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(false) || b.unwrap_or(false)),
            };
            nsc.domains.push(DomainConfig {
                domains: vec![name.clone()],
                include_subdomains: flag("NSIncludesSubdomains").unwrap_or(false),
                cleartext_permitted: cleartext,
                trust_anchors: Vec::new(),
                pins: Vec::new(),
            });
        }
    }
    if let Some(pinned) = a.get("NSPinnedDomains").and_then(Value::as_dictionary) {
        for (name, cfg) in pinned {
            let c = cfg.as_dictionary();
            let mut pins = Vec::new();
            for k in ["NSPinnedCAIdentities", "NSPinnedLeafIdentities"] {
                for id in c
                    .and_then(|c| c.get(k))
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(p) = id
                        .as_dictionary()
                        .and_then(|x| get_str(x, "SPKI-SHA256-BASE64"))
                    {
                        pins.push(format!("sha256/{p}"));
                    }
                }
            }
            nsc.domains.push(DomainConfig {
                domains: vec![name.clone()],
                include_subdomains: c
                    .and_then(|c| get_bool(c, "NSIncludesSubdomains"))
                    .unwrap_or(false),
                cleartext_permitted: None,
                trust_anchors: Vec::new(),
                pins,
            });
        }
    }
    inv.app.cleartext_permitted = Some(arbitrary.unwrap_or(false) && !overriding);
    inv.app.network_security_config = Some(nsc);
}

fn url_types(d: &Dictionary, entry: &str, id: &str, inv: &mut Inventory) {
    let Some(types) = d.get("CFBundleURLTypes").and_then(Value::as_array) else {
        return;
    };
    let mut filters = Vec::new();
    for t in types.iter().filter_map(Value::as_dictionary) {
        let schemes = get_strings(t, "CFBundleURLSchemes");
        if schemes.is_empty() {
            continue;
        }
        filters.push(IntentFilter {
            actions: vec!["url-scheme".into()],
            categories: get_str(t, "CFBundleURLName")
                .map(|n| vec![n.to_string()])
                .unwrap_or_default(),
            data: schemes
                .into_iter()
                .map(|s| IntentData {
                    scheme: Some(s),
                    ..IntentData::default()
                })
                .collect(),
            auto_verify: false,
        });
    }
    if !filters.is_empty() {
        add_app_filters(inv, entry, id, filters);
    }
}

/// Add intent filters to the pseudo-component standing for the app itself (created on first
/// use: kind `activity`, named after the bundle id, exported).
pub fn add_app_filters(inv: &mut Inventory, entry: &str, id: &str, filters: Vec<IntentFilter>) {
    let pos = match inv
        .components
        .iter()
        .position(|c| c.kind == ComponentKind::Activity && c.name == id)
    {
        Some(p) => p,
        None => {
            inv.components.push(Component {
                exported: true,
                exported_reason: ExportedReason::Explicit,
                ..Component::new(
                    ComponentKind::Activity,
                    id,
                    Location::entry(entry).with_path("CFBundleURLTypes"),
                )
            });
            inv.components.len() - 1
        }
    };
    if let Some(c) = inv.components.get_mut(pos) {
        c.intent_filters.extend(filters);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(xml: &str) -> Dictionary {
        read_info_plist(format!("<plist version=\"1.0\"><dict>{xml}</dict></plist>").as_bytes())
            .unwrap()
    }

    #[test]
    fn identity_and_labels() {
        let d = dict(
            "<key>CFBundleIdentifier</key><string>edu.x.app</string>\
             <key>CFBundleVersion</key><string>42</string>\
             <key>CFBundleShortVersionString</key><string>1.2</string>\
             <key>CFBundleName</key><string>X</string>\
             <key>MinimumOSVersion</key><string>13.0</string>",
        );
        let p = package_info(&d, "Payload/X.app/Info.plist");
        assert_eq!(p.id, "edu.x.app");
        assert_eq!(p.version_code.as_deref(), Some("42"));
        assert_eq!(p.version_name.as_deref(), Some("1.2"));
        assert_eq!(p.label.as_deref(), Some("X"));
        assert_eq!(p.min_os_version.as_deref(), Some("13.0"));
        assert_eq!(p.platform, Platform::Ios);
        assert_eq!(normalize_locale("zh_CN.lproj").as_deref(), Some("zh-CN"));
        assert_eq!(
            normalize_locale("zh-hans.lproj").as_deref(),
            Some("zh-Hans")
        );
        assert_eq!(
            normalize_locale("zh-Hant-TW").as_deref(),
            Some("zh-Hant-TW")
        );
        assert_eq!(normalize_locale("English.lproj").as_deref(), Some("en"));
        assert_eq!(normalize_locale("Base.lproj"), None);
    }

    #[test]
    fn permissions_ats_schemes_and_sdk_keys() {
        let d = dict(
            "<key>NSCameraUsageDescription</key><string>scan</string>\
             <key>NFCReaderUsageDescription</key><string>tap</string>\
             <key>UIBackgroundModes</key><array><string>audio</string></array>\
             <key>LSApplicationQueriesSchemes</key><array><string>weixin</string></array>\
             <key>SKAdNetworkItems</key><array><dict><key>SKAdNetworkIdentifier</key><string>cstr6suwn9.skadnetwork</string></dict></array>\
             <key>NSAppTransportSecurity</key><dict>\
               <key>NSAllowsArbitraryLoads</key><true/>\
               <key>NSExceptionDomains</key><dict><key>a.cn</key><dict>\
                 <key>NSExceptionAllowsInsecureHTTPLoads</key><true/><key>NSIncludesSubdomains</key><true/></dict></dict>\
               <key>NSPinnedDomains</key><dict><key>b.cn</key><dict><key>NSPinnedLeafIdentities</key>\
                 <array><dict><key>SPKI-SHA256-BASE64</key><string>AAA=</string></dict></array></dict></dict>\
             </dict>\
             <key>CFBundleURLTypes</key><array><dict><key>CFBundleURLName</key><string>wx</string>\
               <key>CFBundleURLSchemes</key><array><string>wx123</string><string>x</string></array></dict></array>\
             <key>GADApplicationIdentifier</key><string>ca-app-pub-1~2</string>\
             <key>UMENG_APPKEY</key><string>k</string>\
             <key>FacebookAutoLogAppEventsEnabled</key><false/>\
             <key>UIRequiredDeviceCapabilities</key><array/>\
             <key>ITSAppUsesNonExemptEncryption</key><false/>\
             <key>Custom</key><dict><key>a</key><integer>1</integer></dict>",
        );
        let mut inv = Inventory::default();
        app_facts(&d, "I", "edu.x", &mut inv);
        let perms: Vec<_> = inv
            .permissions
            .iter()
            .map(|p| (p.name.as_str(), p.detail.as_deref()))
            .collect();
        assert_eq!(
            perms,
            vec![
                ("NSCameraUsageDescription", Some("scan")),
                ("NFCReaderUsageDescription", Some("tap"))
            ]
        );
        assert_eq!(inv.background_modes, vec!["audio"]);
        assert_eq!(inv.queries.schemes, vec!["weixin"]);
        assert_eq!(inv.ad_network_ids[0].id, "cstr6suwn9.skadnetwork");
        let nsc = inv.app.network_security_config.as_ref().unwrap();
        assert_eq!(nsc.base_cleartext_permitted, Some(true));
        assert_eq!(inv.app.cleartext_permitted, Some(true));
        assert_eq!(nsc.domains.len(), 2);
        assert!(nsc.domains[0].include_subdomains);
        assert_eq!(nsc.domains[0].cleartext_permitted, Some(true));
        assert_eq!(nsc.domains[1].pins, vec!["sha256/AAA="]);
        let c = &inv.components[0];
        assert_eq!(
            (c.kind, c.name.as_str(), c.exported),
            (ComponentKind::Activity, "edu.x", true)
        );
        assert_eq!(c.intent_filters[0].categories, vec!["wx"]);
        let schemes: Vec<_> = c.intent_filters[0]
            .data
            .iter()
            .map(|d| d.scheme.clone().unwrap())
            .collect();
        assert_eq!(schemes, vec!["wx123", "x"]);
        let meta: Vec<_> = inv
            .metadata
            .iter()
            .map(|m| (m.name.as_str(), m.value.as_deref().unwrap()))
            .collect();
        assert_eq!(
            meta,
            vec![
                ("GADApplicationIdentifier", "ca-app-pub-1~2"),
                ("UMENG_APPKEY", "k"),
                ("FacebookAutoLogAppEventsEnabled", "false"),
                ("Custom", "{\"a\":1}"),
            ]
        );
    }

    #[test]
    fn ats_overrides_and_default() {
        let d = dict(
            "<key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/>\
             <key>NSAllowsArbitraryLoadsInWebContent</key><true/></dict>",
        );
        let mut inv = Inventory::default();
        app_facts(&d, "I", "x", &mut inv);
        assert_eq!(inv.app.cleartext_permitted, Some(false));
        assert_eq!(
            inv.metadata[0].name,
            "NSAppTransportSecurity/NSAllowsArbitraryLoadsInWebContent"
        );
        let mut inv = Inventory::default();
        app_facts(&dict(""), "I", "x", &mut inv);
        assert_eq!(inv.app.cleartext_permitted, Some(false));
        assert!(inv.app.network_security_config.is_none());
    }
}
