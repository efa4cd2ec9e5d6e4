//! Android network security config (`res/xml/...`, referenced by the manifest's
//! `android:networkSecurityConfig`) to [`NetworkSecurityConfig`].
//!
//! The file's attributes are not framework attributes (no resource ids), so they are matched by
//! plain name. Element text (`<domain>`, `<pin>`) is read from [`XmlElement::text`].
//!
//! Nested `<domain-config>`s inherit unset values (cleartext, trust anchors, pins) from their
//! parent, as Android applies them; the result is flattened to one [`DomainConfig`] per
//! `(domain-config, includeSubdomains)` group, in document order.
//!
//! Certificate sources are rendered as written (`system`, `user`, `@raw/ca` when uncompiled) or,
//! when the compiler turned them into resource references, as `@0x7f0b0000`; the manifest reader
//! resolves those through the resource table.

use appvet_axml::{AttrValue, XmlElement};
use appvet_model::{Anomaly, DomainConfig, Location, NetworkSecurityConfig};

/// Deepest `<domain-config>` nesting followed.
const MAX_NESTING: usize = 32;
/// Most flattened domain configs / trust anchors / pins kept per file.
const MAX_ITEMS: usize = 10_000;

/// Reads a network security config document. Never fails: anything Android would reject is
/// reported as an anomaly (`manifest.nsc-*`) and skipped.
pub fn read_network_security_config(
    root: &XmlElement,
    source: Location,
) -> (NetworkSecurityConfig, Vec<Anomaly>) {
    let mut r = Reader {
        source: source.clone(),
        anomalies: Vec::new(),
        items: 0,
    };
    let mut out = NetworkSecurityConfig {
        source,
        ..NetworkSecurityConfig::default()
    };
    let root_path = root.name.clone();
    if root.name != "network-security-config" {
        r.anomaly(
            "manifest.nsc-bad-root",
            format!(
                "root element is <{}>, not <network-security-config>",
                root.name
            ),
            &root_path,
            root,
        );
        return (out, r.anomalies);
    }

    let mut base_seen = false;
    let mut debug_seen = false;
    for (idx, child) in root.indexed_children() {
        let path = format!("{root_path}/{}[{idx}]", child.name);
        match child.name.as_str() {
            "base-config" => {
                if base_seen {
                    r.anomaly(
                        "manifest.nsc-duplicate-base-config",
                        "more than one <base-config> (Android rejects the file)",
                        &path,
                        child,
                    );
                    continue;
                }
                base_seen = true;
                out.base_cleartext_permitted =
                    r.bool_attr(child, "cleartextTrafficPermitted", &path);
                out.base_trust_anchors = r.trust_anchors(child, &path).unwrap_or_default();
            }
            "debug-overrides" => {
                if debug_seen {
                    r.anomaly(
                        "manifest.nsc-duplicate-debug-overrides",
                        "more than one <debug-overrides> (Android rejects the file)",
                        &path,
                        child,
                    );
                    continue;
                }
                debug_seen = true;
                out.debug_trust_anchors = r.trust_anchors(child, &path).unwrap_or_default();
            }
            "domain-config" => {
                let inherited = Inherited::default();
                r.domain_config(child, &path, &inherited, 0, &mut out.domains);
            }
            _ => r.anomaly(
                "manifest.nsc-unknown-element",
                format!("unknown element <{}> ignored", child.name),
                &path,
                child,
            ),
        }
    }
    (out, r.anomalies)
}

/// The text content of an element, trimmed.
pub(crate) fn text_of(el: &XmlElement) -> Option<String> {
    el.text
        .as_deref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

#[derive(Debug, Clone, Default)]
struct Inherited {
    cleartext: Option<bool>,
    trust_anchors: Option<Vec<String>>,
    pins: Option<Vec<String>>,
}

struct Reader {
    source: Location,
    anomalies: Vec<Anomaly>,
    items: usize,
}

impl Reader {
    fn anomaly(&mut self, code: &str, msg: impl Into<String>, path: &str, el: &XmlElement) {
        let p = match el.line {
            Some(l) => format!("{path} (line {l})"),
            None => path.to_string(),
        };
        self.anomalies
            .push(Anomaly::new(code, msg, self.source.clone().with_path(p)));
    }

    fn budget(&mut self, path: &str, el: &XmlElement) -> bool {
        self.items += 1;
        if self.items == MAX_ITEMS + 1 {
            self.anomaly(
                "manifest.nsc-too-large",
                format!("more than {MAX_ITEMS} items; the rest are ignored"),
                path,
                el,
            );
        }
        self.items <= MAX_ITEMS
    }

    fn bool_attr(&mut self, el: &XmlElement, name: &str, path: &str) -> Option<bool> {
        match el.plain_attr(name)? {
            AttrValue::Bool(b) => Some(*b),
            AttrValue::String(s) if s.trim().eq_ignore_ascii_case("true") => Some(true),
            AttrValue::String(s) if s.trim().eq_ignore_ascii_case("false") => Some(false),
            AttrValue::Int(i) => Some(*i != 0),
            other => {
                let shown = other.display();
                self.anomaly(
                    "manifest.nsc-bad-value",
                    format!("{name}=\"{shown}\" is not a boolean (Android rejects the file)"),
                    path,
                    el,
                );
                None
            }
        }
    }

    /// The `<trust-anchors>` of a config element, or `None` when it has none.
    fn trust_anchors(&mut self, el: &XmlElement, path: &str) -> Option<Vec<String>> {
        let mut found = None;
        for (i, ta) in el.indexed_children() {
            if ta.name != "trust-anchors" {
                continue;
            }
            let ta_path = format!("{path}/trust-anchors[{i}]");
            if found.is_some() {
                self.anomaly(
                    "manifest.nsc-duplicate-trust-anchors",
                    "more than one <trust-anchors> in one config (Android rejects the file)",
                    &ta_path,
                    ta,
                );
                continue;
            }
            let mut anchors = Vec::new();
            for (j, cert) in ta.indexed_children() {
                if cert.name != "certificates" {
                    continue;
                }
                let cert_path = format!("{ta_path}/certificates[{j}]");
                if !self.budget(&cert_path, cert) {
                    break;
                }
                let src = match cert.plain_attr("src") {
                    Some(AttrValue::String(s)) => s.trim().to_string(),
                    Some(other) => other.display(),
                    None => {
                        self.anomaly(
                            "manifest.nsc-missing-src",
                            "<certificates> without src (Android rejects the file)",
                            &cert_path,
                            cert,
                        );
                        continue;
                    }
                };
                let overrides = self.bool_attr(cert, "overridePins", &cert_path);
                let src = if overrides == Some(true) {
                    format!("{src} (overridePins)")
                } else {
                    src
                };
                if !anchors.contains(&src) {
                    anchors.push(src);
                }
            }
            found = Some(anchors);
        }
        found
    }

    fn pins(&mut self, el: &XmlElement, path: &str) -> Option<Vec<String>> {
        let mut found = None;
        for (i, set) in el.indexed_children() {
            if set.name != "pin-set" {
                continue;
            }
            let set_path = format!("{path}/pin-set[{i}]");
            if found.is_some() {
                self.anomaly(
                    "manifest.nsc-duplicate-pin-set",
                    "more than one <pin-set> in one domain-config (Android rejects the file)",
                    &set_path,
                    set,
                );
                continue;
            }
            let mut pins = Vec::new();
            for (j, pin) in set.indexed_children() {
                if pin.name != "pin" {
                    continue;
                }
                let pin_path = format!("{set_path}/pin[{j}]");
                if !self.budget(&pin_path, pin) {
                    break;
                }
                let digest = match pin.plain_attr("digest") {
                    Some(v) => match v {
                        AttrValue::String(s) => s.trim().to_string(),
                        other => other.display(),
                    },
                    None => String::new(),
                };
                let alg = digest.to_ascii_lowercase().replace('-', "");
                if alg != "sha256" {
                    self.anomaly(
                        "manifest.nsc-bad-pin",
                        format!(
                            "pin digest \"{digest}\" is not SHA-256 (Android rejects the file)"
                        ),
                        &pin_path,
                        pin,
                    );
                }
                match text_of(pin) {
                    Some(v) => pins.push(format!(
                        "{}/{v}",
                        if alg.is_empty() { "unknown" } else { &alg }
                    )),
                    None => self.anomaly(
                        "manifest.nsc-bad-pin",
                        "<pin> without a digest value",
                        &pin_path,
                        pin,
                    ),
                }
            }
            found = Some(pins);
        }
        found
    }

    fn domain_config(
        &mut self,
        el: &XmlElement,
        path: &str,
        parent: &Inherited,
        depth: usize,
        out: &mut Vec<DomainConfig>,
    ) {
        if depth >= MAX_NESTING {
            self.anomaly(
                "manifest.nsc-too-deep",
                format!("<domain-config> nested deeper than {MAX_NESTING}; ignored"),
                path,
                el,
            );
            return;
        }
        let own = Inherited {
            cleartext: self
                .bool_attr(el, "cleartextTrafficPermitted", path)
                .or(parent.cleartext),
            trust_anchors: self
                .trust_anchors(el, path)
                .or_else(|| parent.trust_anchors.clone()),
            pins: self.pins(el, path).or_else(|| parent.pins.clone()),
        };

        // Domains grouped by their includeSubdomains flag, in order of first appearance.
        let mut groups: Vec<(bool, Vec<String>)> = Vec::new();
        for (i, d) in el.indexed_children() {
            if d.name != "domain" {
                continue;
            }
            let d_path = format!("{path}/domain[{i}]");
            if !self.budget(&d_path, d) {
                break;
            }
            let Some(name) = text_of(d) else {
                self.anomaly(
                    "manifest.nsc-empty-domain",
                    "<domain> without a name (Android rejects the file)",
                    &d_path,
                    d,
                );
                continue;
            };
            let sub = self
                .bool_attr(d, "includeSubdomains", &d_path)
                .unwrap_or(false);
            let name = name.to_ascii_lowercase();
            match groups.iter_mut().find(|(s, _)| *s == sub) {
                Some((_, v)) => {
                    if !v.contains(&name) {
                        v.push(name)
                    }
                }
                None => groups.push((sub, vec![name])),
            }
        }
        if groups.is_empty() {
            self.anomaly(
                "manifest.nsc-no-domain",
                "<domain-config> without <domain> (Android rejects the file)",
                path,
                el,
            );
        }
        for (sub, domains) in groups {
            out.push(DomainConfig {
                domains,
                include_subdomains: sub,
                cleartext_permitted: own.cleartext,
                trust_anchors: own.trust_anchors.clone().unwrap_or_default(),
                pins: own.pins.clone().unwrap_or_default(),
            });
        }
        for (i, child) in el.indexed_children() {
            if child.name == "domain-config" {
                let p = format!("{path}/domain-config[{i}]");
                self.domain_config(child, &p, &own, depth + 1, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use appvet_axml::XmlAttr;

    fn el(name: &str, attrs: &[(&str, AttrValue)], children: Vec<XmlElement>) -> XmlElement {
        XmlElement {
            name: name.into(),
            attributes: attrs
                .iter()
                .map(|(n, v)| XmlAttr {
                    namespace: String::new(),
                    name: (*n).into(),
                    resource_id: None,
                    value: v.clone(),
                })
                .collect(),
            children,
            ..XmlElement::default()
        }
    }
    fn s(v: &str) -> AttrValue {
        AttrValue::String(v.into())
    }
    fn domain(name: &str, sub: Option<bool>) -> XmlElement {
        let mut attrs = vec![];
        if let Some(b) = sub {
            attrs.push(("includeSubdomains", AttrValue::Bool(b)));
        }
        texted(el("domain", &attrs, vec![]), name)
    }
    fn texted(mut e: XmlElement, text: &str) -> XmlElement {
        e.text = Some(text.to_string());
        e
    }
    fn anchors(srcs: &[AttrValue]) -> XmlElement {
        el(
            "trust-anchors",
            &[],
            srcs.iter()
                .map(|v| el("certificates", &[("src", v.clone())], vec![]))
                .collect(),
        )
    }

    #[test]
    fn flattens_nested_domain_configs_with_inheritance() {
        let root = el(
            "network-security-config",
            &[],
            vec![
                el(
                    "base-config",
                    &[("cleartextTrafficPermitted", s("false"))],
                    vec![anchors(&[s("system")])],
                ),
                el(
                    "domain-config",
                    &[("cleartextTrafficPermitted", AttrValue::Bool(true))],
                    vec![
                        domain("Example.com", Some(true)),
                        domain("example.org", None),
                        anchors(&[s("user"), AttrValue::Reference(0x7f0b0000)]),
                        el(
                            "pin-set",
                            &[("expiration", s("2030-01-01"))],
                            vec![texted(
                                el("pin", &[("digest", s("SHA-256"))], vec![]),
                                " AAAA= ",
                            )],
                        ),
                        el(
                            "domain-config",
                            &[],
                            vec![
                                domain("api.example.com", None),
                                el(
                                    "domain-config",
                                    &[("cleartextTrafficPermitted", AttrValue::Bool(false))],
                                    vec![domain("deep.example.com", None), anchors(&[s("system")])],
                                ),
                            ],
                        ),
                    ],
                ),
                el("debug-overrides", &[], vec![anchors(&[s("user")])]),
            ],
        );
        let (cfg, anomalies) =
            read_network_security_config(&root, Location::entry("res/xml/nsc.xml"));
        assert!(anomalies.is_empty(), "{anomalies:?}");
        assert_eq!(cfg.source.entry, "res/xml/nsc.xml");
        assert_eq!(cfg.base_cleartext_permitted, Some(false));
        assert_eq!(cfg.base_trust_anchors, ["system"]);
        assert_eq!(cfg.debug_trust_anchors, ["user"]);
        assert_eq!(cfg.domains.len(), 4);
        let d0 = &cfg.domains[0];
        assert_eq!(d0.domains, ["example.com"]);
        assert!(d0.include_subdomains);
        assert_eq!(d0.cleartext_permitted, Some(true));
        assert_eq!(d0.trust_anchors, ["user", "@0x7f0b0000"]);
        assert_eq!(d0.pins, ["sha256/AAAA="]);
        let d1 = &cfg.domains[1];
        assert_eq!(d1.domains, ["example.org"]);
        assert!(!d1.include_subdomains);
        // Nested config inherits everything.
        let d2 = &cfg.domains[2];
        assert_eq!(d2.domains, ["api.example.com"]);
        assert_eq!(d2.cleartext_permitted, Some(true));
        assert_eq!(d2.trust_anchors, ["user", "@0x7f0b0000"]);
        assert_eq!(d2.pins, ["sha256/AAAA="]);
        // Doubly nested overrides cleartext and anchors, inherits pins.
        let d3 = &cfg.domains[3];
        assert_eq!(d3.domains, ["deep.example.com"]);
        assert_eq!(d3.cleartext_permitted, Some(false));
        assert_eq!(d3.trust_anchors, ["system"]);
        assert_eq!(d3.pins, ["sha256/AAAA="]);
    }

    #[test]
    fn reports_what_android_rejects() {
        let root = el(
            "network-security-config",
            &[],
            vec![
                el("base-config", &[], vec![]),
                el("base-config", &[], vec![]),
                el(
                    "domain-config",
                    &[("cleartextTrafficPermitted", s("maybe"))],
                    vec![],
                ),
                el(
                    "domain-config",
                    &[],
                    vec![
                        domain("a.example", None),
                        el(
                            "pin-set",
                            &[],
                            vec![texted(el("pin", &[("digest", s("SHA-1"))], vec![]), "x")],
                        ),
                    ],
                ),
                el("bogus", &[], vec![]),
            ],
        );
        let (cfg, anomalies) = read_network_security_config(&root, Location::entry("x.xml"));
        let codes: Vec<&str> = anomalies.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "manifest.nsc-duplicate-base-config",
                "manifest.nsc-bad-value",
                "manifest.nsc-no-domain",
                "manifest.nsc-bad-pin",
                "manifest.nsc-unknown-element"
            ]
        );
        assert_eq!(
            anomalies[0].location.path.as_deref(),
            Some("network-security-config/base-config[1]")
        );
        assert_eq!(cfg.domains.len(), 1);
        assert_eq!(cfg.domains[0].pins, ["sha1/x"]);
        assert_eq!(cfg.base_cleartext_permitted, None);

        let (_, anomalies) =
            read_network_security_config(&el("manifest", &[], vec![]), Location::entry("x"));
        assert_eq!(anomalies[0].code, "manifest.nsc-bad-root");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut node = el("domain-config", &[], vec![domain("x.example", None)]);
        for _ in 0..100 {
            node = el("domain-config", &[], vec![domain("x.example", None), node]);
        }
        let root = el("network-security-config", &[], vec![node]);
        let (cfg, anomalies) = read_network_security_config(&root, Location::entry("x"));
        assert_eq!(cfg.domains.len(), MAX_NESTING);
        assert!(anomalies.iter().any(|a| a.code == "manifest.nsc-too-deep"));
    }
}
