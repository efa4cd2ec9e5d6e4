//! Entry names that would be dangerous or ambiguous if extracted. appvet never extracts, so
//! these are only reported (`zip.suspicious-name`).

/// Why a raw central-directory name is suspicious, or `None` for an ordinary name.
pub(crate) fn suspicious(raw: &[u8]) -> Option<String> {
    let mut reasons: Vec<&str> = Vec::new();
    if raw.is_empty() {
        return Some("empty name".to_string());
    }
    if std::str::from_utf8(raw).is_err() {
        reasons.push("not valid UTF-8");
    }
    if raw.contains(&0) {
        reasons.push("contains a NUL byte");
    }
    if raw.iter().any(|&b| (b < 0x20 && b != 0) || b == 0x7f) {
        reasons.push("contains a control character");
    }
    if raw.contains(&b'\\') {
        reasons.push("contains a backslash");
    }
    if raw.first() == Some(&b'/') || raw.first() == Some(&b'\\') {
        reasons.push("absolute path");
    } else if raw.get(1) == Some(&b':') && raw.first().is_some_and(u8::is_ascii_alphabetic) {
        reasons.push("drive-letter path");
    }
    if raw.split(|&b| b == b'/' || b == b'\\').any(|c| c == b"..") {
        reasons.push("'..' path component");
    }
    if reasons.is_empty() {
        None
    } else {
        Some(reasons.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::suspicious;

    #[test]
    fn ordinary_names_pass() {
        for n in [
            &b"AndroidManifest.xml"[..],
            b"res/layout/main.xml",
            b"lib/arm64-v8a/libfoo.so",
            b"assets/..hidden",
            b"a/b../c",
            "res/\u{e9}t\u{e9}.png".as_bytes(),
        ] {
            assert_eq!(suspicious(n), None, "{n:?}");
        }
    }

    #[test]
    fn odd_names_flagged() {
        let cases: [(&[u8], &str); 9] = [
            (b"", "empty"),
            (b"../evil.so", "'..'"),
            (b"a/../../b", "'..'"),
            (b"/etc/passwd", "absolute"),
            (b"C:\\x", "drive-letter"),
            (b"a\\b", "backslash"),
            (b"a\0b", "NUL"),
            (b"a\x07b", "control"),
            (b"caf\xe9", "UTF-8"),
        ];
        for (n, want) in cases {
            let got = suspicious(n).unwrap_or_default();
            assert!(got.contains(want), "{n:?}: {got}");
        }
    }
}
