//! Recognising URLs and hostnames among string constants (DEX strings, Mach-O C strings).
//!
//! A shared helper rather than a parser's: both platforms' parsers call it, so the same string
//! is classified the same way whatever package it came from.

use crate::UrlKind;

const SCHEMES: &[&str] = &[
    "https://", "http://", "wss://", "ws://", "ftp://", "rtmp://", "rtsp://",
];

/// Top-level domains accepted for a bare hostname. Deliberately short: common generic TLDs and
/// the country codes seen in Chinese and international app traffic, minus those that collide
/// with file extensions or code (`.so`, `.py`, `.pl`, `.sh`, `.md`, `.rs`, `.js`, `.app`).
const TLDS: &[&str] = &[
    "com", "net", "org", "cn", "io", "me", "tv", "info", "co", "uk", "de", "jp", "kr", "ru", "fr",
    "us", "edu", "gov", "mobi", "biz", "xyz", "top", "site", "online", "vip", "club", "hk", "tw",
    "sg", "in", "br", "au", "ca", "it", "es", "nl", "eu", "ai", "cloud", "link", "tech", "cc",
    "la", "ly", "gl", "im", "ws", "mo",
];

/// First labels that mark a Java/Kotlin package name rather than a host (`com.umeng.analytics`
/// is a package; `umeng.com` is a host).
const CODE_ROOTS: &[&str] = &[
    "com", "org", "net", "cn", "android", "androidx", "java", "javax", "kotlin", "kotlinx", "io",
    "dalvik", "sun", "me",
];

/// Every URL or bare hostname found in `s`, as `(kind, value, host)`.
///
/// URLs are found anywhere in the string (`"see https://x.cn/a"`); a bare hostname must be the
/// whole string.
pub fn find_urls(s: &str) -> Vec<(UrlKind, String, String)> {
    let mut out = Vec::new();
    if s.len() < 4 || s.len() > 4096 {
        return out;
    }
    if s.contains("://") {
        let lower = s.to_ascii_lowercase();
        let mut from = 0;
        while let Some((pos, scheme)) = SCHEMES
            .iter()
            .filter_map(|sc| lower.get(from..)?.find(sc).map(|p| (p + from, *sc)))
            .min_by_key(|(p, _)| *p)
        {
            let rest = s.get(pos + scheme.len()..).unwrap_or("");
            let end = rest
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')
                })
                .unwrap_or(rest.len());
            let url_rest = rest.get(..end).unwrap_or("");
            if let Some(host) = url_host(url_rest) {
                let value = s
                    .get(pos..pos + scheme.len() + end)
                    .unwrap_or("")
                    .to_string();
                out.push((UrlKind::Url, value, host));
            }
            from = pos + scheme.len() + end.max(1);
            if from >= s.len() {
                break;
            }
        }
        return out;
    }
    if let Some(host) = bare_host(s) {
        out.push((UrlKind::Host, s.to_string(), host));
    }
    out
}

/// The host of the part of a URL after `scheme://`.
fn url_host(rest: &str) -> Option<String> {
    let authority = rest.split(['/', '?', '#']).next()?;
    let hostport = authority.rsplit('@').next()?;
    let host = if let Some(v6) = hostport.strip_prefix('[') {
        return v6.split(']').next().map(|h| h.to_ascii_lowercase());
    } else {
        hostport.split(':').next()?
    };
    let host = host.to_ascii_lowercase();
    if is_ipv4(&host) || host == "localhost" || valid_domain(&host) {
        Some(host)
    } else {
        None
    }
}

fn bare_host(s: &str) -> Option<String> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        // Hostnames in code are lower-case; mixed case is almost always a class or key name.
        return None;
    }
    if !valid_domain(s) {
        return None;
    }
    let labels: Vec<&str> = s.split('.').collect();
    let tld = labels.last()?;
    if !TLDS.contains(tld) {
        return None;
    }
    if labels.len() >= 3 && CODE_ROOTS.contains(labels.first()?) {
        return None;
    }
    Some(s.to_string())
}

fn valid_domain(h: &str) -> bool {
    if h.len() > 253 || !h.contains('.') {
        return false;
    }
    let mut labels = 0;
    for label in h.split('.') {
        labels += 1;
        if label.is_empty()
            || label.len() > 63
            || label.starts_with('-')
            || label.ends_with('-')
            || !label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return false;
        }
    }
    // The last label of a domain is alphabetic (rules out version numbers like 1.2.3).
    labels >= 2
        && h.rsplit('.')
            .next()
            .is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()))
}

fn is_ipv4(h: &str) -> bool {
    let parts: Vec<&str> = h.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(s: &str) -> Vec<(UrlKind, String)> {
        find_urls(s).into_iter().map(|(k, _, h)| (k, h)).collect()
    }

    #[test]
    fn urls_anywhere_in_a_string() {
        assert_eq!(
            find_urls("see https://ulogs.umeng.com/unify_logs?x=1 now"),
            vec![(
                UrlKind::Url,
                "https://ulogs.umeng.com/unify_logs?x=1".to_string(),
                "ulogs.umeng.com".to_string()
            )]
        );
        assert_eq!(
            hosts("http://user@10.0.0.1:8080/x and ws://Push.Example.cn"),
            vec![
                (UrlKind::Url, "10.0.0.1".to_string()),
                (UrlKind::Url, "push.example.cn".to_string())
            ]
        );
        assert!(find_urls("https://").is_empty());
        assert!(find_urls("https://not a host/").is_empty());
    }

    #[test]
    fn bare_hosts_but_not_packages_files_or_versions() {
        assert_eq!(
            hosts("api.appvet-fixture.org"),
            vec![(UrlKind::Host, "api.appvet-fixture.org".into())]
        );
        assert_eq!(
            hosts("umeng.com"),
            vec![(UrlKind::Host, "umeng.com".into())]
        );
        for not_host in [
            "com.umeng.analytics",
            "com.tencent.mm.opensdk.openapi.WXAPIFactory",
            "libfoo.so",
            "index.html",
            "1.2.3",
            "config.json",
            "android.app",
            "Foo.com",
            "a..com",
        ] {
            assert!(find_urls(not_host).is_empty(), "{not_host}");
        }
    }
}
