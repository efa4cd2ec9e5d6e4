//! The plain-text summary of one scan. Every string that comes from the package is passed
//! through [`clean`], so no terminal escape sequence or control character reaches the terminal.

use appvet_detect::Database;
use appvet_model::{Findings, ProtectionKind};
use appvet_scan::ScanDocument;
use std::io::{self, Write};

/// Make a package-controlled string safe to print on a terminal: control characters (C0, DEL,
/// C1, and the bidi overrides that can reorder a line) are shown as `\u{..}` escapes.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}');
        if c.is_control() || bidi {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn opt(v: &Option<String>) -> String {
    v.as_deref().map(clean).unwrap_or_else(|| "-".into())
}

fn flag(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "true",
        Some(false) => "false",
        None => "unset",
    }
}

pub fn write(out: &mut dyn Write, doc: &ScanDocument) -> io::Result<()> {
    let p = &doc.package;
    let inv = &doc.inventory;
    writeln!(out, "{}", clean(&doc.file.path))?;
    writeln!(
        out,
        "  package     {} ({:?}, {:?})",
        clean(&p.id),
        p.platform,
        p.format
    )?;
    writeln!(
        out,
        "  version     {} (code {})",
        opt(&p.version_name),
        opt(&p.version_code)
    )?;
    writeln!(out, "  label       {}", opt(&p.label))?;
    for (locale, label) in p.labels.iter().filter(|(l, _)| !l.is_empty()) {
        writeln!(out, "    [{}] {}", clean(locale), clean(label))?;
    }
    let sdk = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
    writeln!(
        out,
        "  sdk         min {} target {} compile {}",
        sdk(p.min_sdk),
        sdk(p.target_sdk),
        sdk(p.compile_sdk)
    )?;
    writeln!(
        out,
        "  sha256      {} ({} bytes)",
        doc.file.sha256, doc.file.size
    )?;

    writeln!(
        out,
        "signing: {}",
        if inv.signing.schemes.is_empty() {
            "unsigned".into()
        } else {
            inv.signing.schemes.join(", ")
        }
    )?;
    for c in &inv.signing.certificates {
        writeln!(
            out,
            "  {}{}",
            clean(&c.subject),
            if c.debug { "  [DEBUG CERTIFICATE]" } else { "" }
        )?;
        writeln!(
            out,
            "    sha256 {}  {} {} bits, valid {} .. {}",
            c.sha256,
            c.key_algorithm,
            c.key_bits.unwrap_or(0),
            c.not_before,
            c.not_after
        )?;
    }

    let a = &inv.app;
    writeln!(out, "application flags:")?;
    writeln!(
        out,
        "  debuggable {}  allowBackup {}  usesCleartextTraffic {}  cleartext permitted {}",
        flag(a.debuggable),
        flag(a.allow_backup),
        flag(a.uses_cleartext_traffic),
        flag(a.cleartext_permitted)
    )?;
    if let Some(nsc) = &a.network_security_config {
        writeln!(
            out,
            "  network security config {} (base cleartext {}, trust anchors {})",
            clean(&nsc.source.entry),
            flag(nsc.base_cleartext_permitted),
            clean(&nsc.base_trust_anchors.join(","))
        )?;
        for d in &nsc.domains {
            writeln!(
                out,
                "    {} cleartext {} anchors [{}]",
                clean(&d.domains.join(",")),
                flag(d.cleartext_permitted),
                clean(&d.trust_anchors.join(","))
            )?;
        }
    }

    writeln!(out, "permissions requested: {}", inv.permissions.len())?;
    for perm in &inv.permissions {
        let mut extra = String::new();
        if let Some(m) = perm.max_sdk {
            extra.push_str(&format!(" (maxSdk {m})"));
        }
        if perm.sdk23 {
            extra.push_str(" (sdk-23)");
        }
        writeln!(out, "  {}{}", clean(&perm.name), extra)?;
    }
    if !inv.declared_permissions.is_empty() {
        writeln!(
            out,
            "permissions declared: {}",
            inv.declared_permissions.len()
        )?;
        for d in &inv.declared_permissions {
            writeln!(out, "  {} [{}]", clean(&d.name), opt(&d.protection_level))?;
        }
    }

    let exported = inv.components.iter().filter(|c| c.exported).count();
    writeln!(
        out,
        "components: {} ({} exported)",
        inv.components.len(),
        exported
    )?;
    for c in inv.components.iter().filter(|c| c.exported) {
        writeln!(
            out,
            "  exported {:?} {} ({:?}){}",
            c.kind,
            clean(&c.name),
            c.exported_reason,
            c.permission
                .as_deref()
                .map(|p| format!(" guarded by {}", clean(p)))
                .unwrap_or_default()
        )?;
    }
    if !inv.metadata.is_empty() {
        writeln!(out, "meta-data: {}", inv.metadata.len())?;
        for m in &inv.metadata {
            writeln!(out, "  {} = {}", clean(&m.name), opt(&m.value))?;
        }
    }
    let classes: usize = inv.code.iter().map(|c| c.classes_defined.len()).sum();
    let methods: usize = inv.code.iter().map(|c| c.methods.len()).sum();
    writeln!(
        out,
        "code: {} files, {} classes defined, {} method references",
        inv.code.len(),
        classes,
        methods
    )?;
    writeln!(out, "urls and hosts: {}", inv.urls.len())?;
    for u in inv.urls.iter().take(20) {
        writeln!(
            out,
            "  {}  ({})",
            clean(&u.value),
            clean(&u.location.to_string())
        )?;
    }
    if inv.urls.len() > 20 {
        writeln!(
            out,
            "  ... {} more (see --format json)",
            inv.urls.len() - 20
        )?;
    }
    if !inv.native_libs.is_empty() {
        writeln!(out, "native libraries: {}", inv.native_libs.len())?;
        for n in &inv.native_libs {
            writeln!(out, "  {}/{}", clean(&n.abi), clean(&n.name))?;
        }
    }
    writeln!(
        out,
        "build time: newest entry {}{}, signing time {}",
        opt(&inv.build_time.newest_entry),
        if inv.build_time.entry_times_constant {
            " (all entries share one time)"
        } else {
            ""
        },
        opt(&inv.build_time.signing_time)
    )?;
    write_findings(out, &doc.findings)?;
    if !inv.anomalies.is_empty() {
        writeln!(out, "anomalies: {}", inv.anomalies.len())?;
        for an in &inv.anomalies {
            writeln!(
                out,
                "  {} {} ({})",
                clean(&an.code),
                clean(&an.message),
                clean(&an.location.to_string())
            )?;
        }
    }
    writeln!(out)
}

/// "Umeng Analytics (umeng-analytics)" for an attribution target.
fn who(by: &str, by_name: Option<&str>) -> String {
    match by_name {
        Some(n) => format!("{} ({})", clean(n), clean(by)),
        None => clean(by),
    }
}

fn write_findings(out: &mut dyn Write, f: &Findings) -> io::Result<()> {
    let c = &f.completeness;
    if c.complete {
        writeln!(out, "analysis: complete")?;
    } else {
        writeln!(out, "analysis: RESULTS INCOMPLETE")?;
        for r in &c.reasons {
            writeln!(out, "  [{}] {}", clean(&r.code), clean(&r.message))?;
        }
    }
    writeln!(
        out,
        "sdks: {} (signatures {}, {})",
        f.sdks.len(),
        clean(&f.database.version),
        clean(&f.database.source)
    )?;
    for s in &f.sdks {
        let counts: Vec<String> = s
            .evidence_counts
            .iter()
            .map(|(k, n)| format!("{} {n}", k.as_str()))
            .collect();
        writeln!(
            out,
            "  {:<28} {}{} - {} [{}] {:?}: {}",
            clean(&s.id),
            clean(&s.name),
            s.name_zh
                .as_deref()
                .map(|z| format!(" / {}", clean(z)))
                .unwrap_or_default(),
            clean(&s.vendor),
            clean(&s.categories.join(", ")),
            s.strength,
            counts.join(", ")
        )?;
        if let Some(e) = s.evidence.first() {
            writeln!(
                out,
                "      e.g. {} {} ({})",
                e.kind.as_str(),
                clean(&e.value),
                clean(&e.location.to_string())
            )?;
        }
    }
    if !f.probes.is_empty() {
        writeln!(
            out,
            "sdk probes (class names in strings only, not embedded): {}",
            f.probes.len()
        )?;
        for p in &f.probes {
            writeln!(
                out,
                "  {} -> {} ({})",
                clean(&p.class),
                clean(&p.sdk_name),
                clean(&p.location.to_string())
            )?;
        }
    }
    let perms: Vec<_> = f
        .permissions
        .iter()
        .filter(|p| p.level != "normal" || p.category != "network")
        .collect();
    if !perms.is_empty() {
        writeln!(out, "permissions by category:")?;
        let mut by_cat: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        for p in &perms {
            let short = p.name.rsplit('.').next().unwrap_or(&p.name);
            by_cat.entry(p.category.as_str()).or_default().push(format!(
                "{} ({})",
                clean(short),
                clean(&p.level)
            ));
        }
        for (cat, names) in by_cat {
            writeln!(out, "  {:<16} {}", clean(cat), names.join(", "))?;
        }
    }
    if !f.apis.is_empty() {
        writeln!(out, "sensitive apis: {}", f.apis.len())?;
        for a in &f.apis {
            writeln!(
                out,
                "  {} [{}]: {}",
                clean(&a.id),
                clean(&a.category),
                clean(&a.what)
            )?;
            for c in a.callers.iter().take(8) {
                let api = c.api.rsplit('.').take(2).collect::<Vec<_>>();
                let api: Vec<&str> = api.into_iter().rev().collect();
                writeln!(
                    out,
                    "      {} called by {} in {}",
                    clean(&api.join(".")),
                    who(&c.by, c.by_name.as_deref()),
                    clean(&c.caller)
                )?;
            }
            if a.callers_total > 8 {
                writeln!(out, "      ... {} more callers", a.callers_total - 8)?;
            }
        }
    }
    if !f.biometrics.is_empty() {
        writeln!(out, "biometrics: {}", f.biometrics.len())?;
        for b in &f.biometrics {
            writeln!(
                out,
                "  {:?} {} ({}): {}{}",
                b.source,
                clean(&b.id),
                clean(&b.modality),
                clean(&b.what),
                if b.by.is_empty() {
                    String::new()
                } else {
                    format!(" - by {}", clean(&b.by.join(", ")))
                }
            )?;
        }
    }
    if !f.protections.is_empty() {
        writeln!(out, "protections and hidden code: {}", f.protections.len())?;
        for p in &f.protections {
            let kind = match p.kind {
                ProtectionKind::Packer => "packer",
                ProtectionKind::RuntimeCodeLoading => "runtime code loading",
                ProtectionKind::EmbeddedCode => "embedded code",
                ProtectionKind::EncryptedBinary => "encrypted binary",
            };
            let ev: Vec<String> = p.evidence.iter().map(|e| clean(&e.value)).collect();
            writeln!(out, "  {kind}: {} - {}", clean(&p.name), ev.join(", "))?;
            for c in p.callers.iter().take(5) {
                writeln!(
                    out,
                    "      called by {} in {}",
                    who(&c.by, c.by_name.as_deref()),
                    clean(&c.caller)
                )?;
            }
        }
    }
    Ok(())
}

/// `appvet signatures list`.
pub fn write_catalogue(out: &mut dyn Write, db: &Database) -> io::Result<()> {
    let info = db.info();
    writeln!(
        out,
        "signatures {} ({}): {} SDKs, {} permissions, {} APIs, {} packers",
        clean(&info.version),
        clean(&info.source),
        info.sdks,
        info.permissions,
        info.apis,
        info.packers
    )?;
    for s in &db.sdks {
        writeln!(
            out,
            "{:<32} {:<6} {:<40} {}",
            clean(&s.id),
            clean(&s.region),
            clean(&s.name),
            clean(&s.categories.join(","))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(clean("a\x1b[31mred"), "a\\u{1b}[31mred");
        assert_eq!(clean("x\u{202e}y\n"), "x\\u{202e}y\\u{a}");
        assert_eq!(clean("清洁阅读"), "清洁阅读");
    }
}
