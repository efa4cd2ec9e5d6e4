//! Privacy manifests (`PrivacyInfo.xcprivacy`): tracking, tracking domains, collected data types
//! and required-reason API use, as the bundle declares them.

use crate::plist_read::{self, get_bool, get_str, get_strings};
use appvet_model::{AccessedApiType, CollectedDataType, Location, PrivacyManifest};

/// Parse one privacy manifest (any plist encoding). Entries of the wrong type are skipped.
pub fn parse_privacy_manifest(
    bytes: &[u8],
    bundle: &str,
    location: Location,
) -> Result<PrivacyManifest, String> {
    let value = plist_read::parse(bytes)?;
    let d = value.as_dictionary().ok_or("not a dictionary")?;
    let dicts = |key: &str| -> Vec<&plist::Dictionary> {
        d.get(key)
            .and_then(plist::Value::as_array)
            .map(|a| a.iter().filter_map(plist::Value::as_dictionary).collect())
            .unwrap_or_default()
    };
    let collected_data_types = dicts("NSPrivacyCollectedDataTypes")
        .into_iter()
        .map(|c| CollectedDataType {
            data_type: get_str(c, "NSPrivacyCollectedDataType")
                .unwrap_or_default()
                .to_string(),
            linked: get_bool(c, "NSPrivacyCollectedDataTypeLinked"),
            tracking: get_bool(c, "NSPrivacyCollectedDataTypeTracking"),
            purposes: get_strings(c, "NSPrivacyCollectedDataTypePurposes"),
        })
        .collect();
    let accessed_api_types = dicts("NSPrivacyAccessedAPITypes")
        .into_iter()
        .map(|a| AccessedApiType {
            category: get_str(a, "NSPrivacyAccessedAPIType")
                .unwrap_or_default()
                .to_string(),
            reasons: get_strings(a, "NSPrivacyAccessedAPITypeReasons"),
        })
        .collect();
    Ok(PrivacyManifest {
        bundle: bundle.to_string(),
        tracking: get_bool(d, "NSPrivacyTracking"),
        tracking_domains: get_strings(d, "NSPrivacyTrackingDomains"),
        collected_data_types,
        accessed_api_types,
        location,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (file, tracking, tracking domains, collected types, purposes in all, API categories,
    /// reasons in all), counted with Python's plistlib.
    type Counts = (
        &'static str,
        Option<bool>,
        usize,
        usize,
        usize,
        usize,
        usize,
    );
    const CORPUS: &[Counts] = &[
        (
            "AppsFlyerSDK__AppsFlyerFramework__PrivacyInfo.xcprivacy",
            Some(true),
            16,
            2,
            2,
            2,
            2,
        ),
        (
            "CleverTap__clevertap-ios-sdk__CleverTapLocation__PrivacyInfo.xcprivacy",
            Some(false),
            0,
            1,
            1,
            0,
            0,
        ),
        (
            "CleverTap__clevertap-ios-sdk__CleverTapSDK__PrivacyInfo.xcprivacy",
            Some(false),
            0,
            3,
            6,
            1,
            1,
        ),
        (
            "CleverTap__clevertap-ios-sdk__SDWebImage__PrivacyInfo.xcprivacy",
            Some(false),
            0,
            0,
            0,
            1,
            1,
        ),
        (
            "Countly__countly-sdk-ios__PrivacyInfo.xcprivacy",
            Some(false),
            0,
            3,
            3,
            2,
            2,
        ),
        (
            "adjust__ios_sdk__AdjustSigSdk__PrivacyInfo.xcprivacy",
            Some(false),
            0,
            2,
            2,
            0,
            0,
        ),
        (
            "adjust__ios_sdk__Adjust__PrivacyInfo.xcprivacy",
            Some(true),
            8,
            2,
            3,
            2,
            2,
        ),
        (
            "facebook__facebook-ios-sdk__FBAEMKit__PrivacyInfo.xcprivacy",
            Some(false),
            0,
            0,
            0,
            1,
            1,
        ),
        (
            "facebook__facebook-ios-sdk__FBSDKCoreKit_Basics__PrivacyInfo.xcprivacy",
            Some(false),
            0,
            1,
            1,
            1,
            1,
        ),
        (
            "facebook__facebook-ios-sdk__FBSDKCoreKit__PrivacyInfo.xcprivacy",
            Some(true),
            1,
            3,
            5,
            1,
            1,
        ),
        (
            "facebook__facebook-ios-sdk__FBSDKLoginKit__PrivacyInfo.xcprivacy",
            Some(true),
            1,
            5,
            12,
            0,
            0,
        ),
        (
            "facebook__facebook-ios-sdk__FBSDKShareKit__PrivacyInfo.xcprivacy",
            Some(true),
            1,
            3,
            5,
            0,
            0,
        ),
        (
            "mixpanel__mixpanel-swift__PrivacyInfo.xcprivacy",
            Some(false),
            0,
            0,
            0,
            1,
            1,
        ),
    ];

    #[test]
    fn every_corpus_manifest_parses_with_expected_counts() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/corpus/xcprivacy"
        );
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".xcprivacy"))
            .collect();
        files.sort();
        let mut expected: Vec<&str> = CORPUS.iter().map(|c| c.0).collect();
        expected.sort();
        assert_eq!(files, expected, "corpus changed: update CORPUS");
        for &(file, tracking, domains, collected, purposes, apis, reasons) in CORPUS {
            let bytes = std::fs::read(format!("{dir}/{file}")).unwrap();
            let m = parse_privacy_manifest(&bytes, "Payload/A.app", Location::entry(file))
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(m.tracking, tracking, "{file}");
            assert_eq!(m.tracking_domains.len(), domains, "{file}");
            assert_eq!(m.collected_data_types.len(), collected, "{file}");
            let p: usize = m
                .collected_data_types
                .iter()
                .map(|c| c.purposes.len())
                .sum();
            assert_eq!(p, purposes, "{file}");
            assert_eq!(m.accessed_api_types.len(), apis, "{file}");
            let r: usize = m.accessed_api_types.iter().map(|a| a.reasons.len()).sum();
            assert_eq!(r, reasons, "{file}");
            for c in &m.collected_data_types {
                assert!(
                    c.data_type.starts_with("NSPrivacyCollectedDataType"),
                    "{file}"
                );
                assert!(c.linked.is_some() && c.tracking.is_some(), "{file}");
            }
            for a in &m.accessed_api_types {
                assert!(
                    a.category.starts_with("NSPrivacyAccessedAPICategory"),
                    "{file}"
                );
            }
        }
    }

    #[test]
    fn adjust_manifest_field_by_field() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/corpus/xcprivacy"
        );
        let bytes = std::fs::read(format!(
            "{dir}/adjust__ios_sdk__Adjust__PrivacyInfo.xcprivacy"
        ))
        .unwrap();
        let m = parse_privacy_manifest(&bytes, "B", Location::entry("x")).unwrap();
        assert_eq!(m.bundle, "B");
        assert!(
            m.tracking_domains.iter().all(|d| d.contains("adjust")),
            "{:?}",
            m.tracking_domains
        );
        assert!(
            parse_privacy_manifest(b"<plist><array/></plist>", "B", Location::default()).is_err()
        );
    }
}
