//! Signatures: JAR (v1) signature block files and the APK Signing Block (v2, v3, v3.1).

use appvet_model::{Anomaly, Inventory, Location};
use appvet_zip::Archive;

/// Is this a top-level `META-INF/*.RSA|DSA|EC` signature block file?
fn is_v1_block(name: &str) -> bool {
    let Some(file) = name.strip_prefix("META-INF/") else {
        return false;
    };
    let upper = file.to_ascii_uppercase();
    !file.contains('/') && [".RSA", ".DSA", ".EC"].iter().any(|x| upper.ends_with(x))
}

pub(crate) fn collect(archive: &Archive<'_>, inv: &mut Inventory) {
    let mut v1_found = false;
    for e in archive.entries().iter().filter(|e| is_v1_block(&e.name)) {
        let parsed = archive
            .read(e)
            .map_err(|err| err.to_string())
            .and_then(|der| {
                appvet_apksig::parse_v1_block(&e.name, &der).map_err(|err| err.to_string())
            });
        match parsed {
            Ok(sig) => {
                v1_found = true;
                if inv.signing.signing_time.is_none() {
                    inv.signing.signing_time = sig.signing_time;
                }
                for c in sig.certificates {
                    inv.signing.add_certificate(c);
                }
                // A certificate that could not be read, a list cut short: recovered, but said.
                inv.anomalies.extend(sig.anomalies);
            }
            Err(err) => inv.anomalies.push(Anomaly::new(
                "apksig.v1-unreadable",
                format!("JAR signature block could not be parsed: {err}"),
                Location::entry(e.name.clone()),
            )),
        }
    }
    if v1_found {
        inv.signing.add_scheme("v1");
    }
    match appvet_apksig::parse_signing_block(archive.data(), archive.central_directory_offset()) {
        Ok(Some(block)) => {
            for (scheme, signers) in [("v2", &block.v2), ("v3", &block.v3), ("v3.1", &block.v31)] {
                if !signers.is_empty() {
                    inv.signing.add_scheme(scheme);
                }
                for s in signers {
                    for c in &s.certificates {
                        inv.signing.add_certificate(c.clone());
                    }
                }
            }
            for pair in &block.pairs {
                inv.signing
                    .block_entries
                    .push(appvet_model::SigningBlockEntry {
                        id: format!("0x{:08x}", pair.id),
                        name: pair.name.map(str::to_string),
                        size: pair.len,
                        text: pair.text.clone(),
                        location: Location::entry(appvet_apksig::SIGNING_BLOCK_ENTRY)
                            .with_offset(pair.offset),
                    });
            }
            inv.anomalies.extend(block.anomalies);
        }
        Ok(None) => {}
        Err(err) => inv.anomalies.push(Anomaly::new(
            "apksig.block-unreadable",
            format!("APK Signing Block could not be parsed: {err}"),
            Location::entry("").with_offset(archive.central_directory_offset()),
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn v1_block_names() {
        assert!(super::is_v1_block("META-INF/CERT.RSA"));
        assert!(super::is_v1_block("META-INF/release.ec"));
        assert!(!super::is_v1_block("META-INF/sub/CERT.RSA"));
        assert!(!super::is_v1_block("CERT.RSA"));
        assert!(!super::is_v1_block("META-INF/CERT.SF"));
    }
}
