//! `embedded.mobileprovision`: a CMS SignedData wrapping an XML plist.

use crate::plist_read::{self, get_bool, get_str};
use appvet_model::{Certificate, Location, ProvisioningProfile};
use plist::Value;

/// What a provisioning profile says, plus the developer certificates it embeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Provisioning {
    pub profile: ProvisioningProfile,
    /// `DeveloperCertificates`, summarised, `schemes: ["provisioning"]`.
    pub certificates: Vec<Certificate>,
    /// Certificates that could not be parsed (index, message).
    pub bad_certificates: Vec<(usize, String)>,
    /// The profile's own `Entitlements` dictionary has `get-task-allow` true.
    pub get_task_allow: bool,
}

/// Most developer certificates summarised from one profile.
const MAX_CERTS: usize = 256;

/// Parse an `embedded.mobileprovision` (`entry` names it for locations).
pub fn parse_mobileprovision(der: &[u8], entry: &str) -> Result<Provisioning, String> {
    let content = appvet_apksig::signed_data_content(der).map_err(|e| e.to_string())?;
    let value = plist_read::parse(&content)?;
    let d = value
        .as_dictionary()
        .ok_or("profile content is not a dictionary")?;
    let date = |k: &str| match d.get(k) {
        Some(Value::Date(t)) => Some(t.to_xml_format()),
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let devices = d
        .get("ProvisionedDevices")
        .and_then(Value::as_array)
        .map_or(0, |a| u32::try_from(a.len()).unwrap_or(u32::MAX));
    let all_devices = get_bool(d, "ProvisionsAllDevices").unwrap_or(false);
    let get_task_allow = d
        .get("Entitlements")
        .and_then(Value::as_dictionary)
        .and_then(|e| get_bool(e, "get-task-allow"))
        .unwrap_or(false);
    let distribution = if all_devices {
        "enterprise"
    } else if get_task_allow {
        "development"
    } else if devices > 0 {
        "ad-hoc"
    } else {
        "app-store"
    };
    let team_id = get_str(d, "TeamIdentifier")
        .map(str::to_string)
        .or_else(|| {
            d.get("TeamIdentifier")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(Value::as_string)
                .map(str::to_string)
        });
    let mut certificates = Vec::new();
    let mut bad_certificates = Vec::new();
    if let Some(certs) = d.get("DeveloperCertificates").and_then(Value::as_array) {
        for (i, c) in certs.iter().enumerate().take(MAX_CERTS) {
            let Some(bytes) = c.as_data() else { continue };
            let loc = Location::entry(entry)
                .with_path(format!("DeveloperCertificates[{i}]"))
                .with_index(u32::try_from(i).unwrap_or(u32::MAX));
            match appvet_apksig::summarize_certificate(bytes, "provisioning", loc) {
                Ok(cert) => certificates.push(cert),
                Err(e) => bad_certificates.push((i, e.to_string())),
            }
        }
    }
    Ok(Provisioning {
        profile: ProvisioningProfile {
            name: get_str(d, "Name").map(str::to_string),
            team_id,
            team_name: get_str(d, "TeamName").map(str::to_string),
            app_id_name: get_str(d, "AppIDName").map(str::to_string),
            creation_date: date("CreationDate"),
            expiration_date: date("ExpirationDate"),
            distribution: distribution.to_string(),
            provisioned_devices: devices,
            location: Location::entry(entry),
        },
        certificates,
        bad_certificates,
        get_task_allow,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        let n = content.len();
        if n < 0x80 {
            v.push(n as u8);
        } else {
            v.extend([0x82, (n >> 8) as u8, n as u8]);
        }
        v.extend_from_slice(content);
        v
    }

    /// CMS SignedData (no signers) wrapping `content`.
    fn cms(content: &[u8]) -> Vec<u8> {
        let data_oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
        let sd_oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
        let mut encap = tlv(0x06, &data_oid);
        encap.extend(tlv(0xa0, &tlv(0x04, content)));
        let mut sd = tlv(0x02, &[1]);
        sd.extend(tlv(0x31, &[]));
        sd.extend(tlv(0x30, &encap));
        sd.extend(tlv(0x31, &[]));
        let mut ci = tlv(0x06, &sd_oid);
        ci.extend(tlv(0xa0, &tlv(0x30, &sd)));
        tlv(0x30, &ci)
    }

    fn profile(extra: &str) -> Provisioning {
        let xml = format!(
            "<plist version=\"1.0\"><dict><key>Name</key><string>P</string>\
             <key>TeamIdentifier</key><array><string>T1</string></array>\
             <key>CreationDate</key><date>2024-06-01T12:00:00Z</date>\
             <key>DeveloperCertificates</key><array><data>AAEC</data></array>{extra}</dict></plist>"
        );
        parse_mobileprovision(&cms(xml.as_bytes()), "e.mobileprovision").unwrap()
    }

    #[test]
    fn distribution_kinds() {
        let p = profile("");
        assert_eq!(p.profile.distribution, "app-store");
        assert_eq!(p.profile.name.as_deref(), Some("P"));
        assert_eq!(p.profile.team_id.as_deref(), Some("T1"));
        assert_eq!(
            p.profile.creation_date.as_deref(),
            Some("2024-06-01T12:00:00Z")
        );
        assert_eq!(p.bad_certificates.len(), 1, "AAEC is not a certificate");
        let devices =
            "<key>ProvisionedDevices</key><array><string>a</string><string>b</string></array>";
        let p = profile(devices);
        assert_eq!(
            (
                p.profile.distribution.as_str(),
                p.profile.provisioned_devices
            ),
            ("ad-hoc", 2)
        );
        let dev = format!(
            "{devices}<key>Entitlements</key><dict><key>get-task-allow</key><true/></dict>"
        );
        let p = profile(&dev);
        assert_eq!(p.profile.distribution, "development");
        assert!(p.get_task_allow);
        let p = profile("<key>ProvisionsAllDevices</key><true/>");
        assert_eq!(p.profile.distribution, "enterprise");
        assert!(parse_mobileprovision(&cms(b"<plist><array/></plist>"), "e").is_err());
        assert!(parse_mobileprovision(b"not der", "e").is_err());
    }
}
