//! A bounded linear scan of mini-program JavaScript and WXML: no parser, one pass, no
//! backtracking beyond short look-aheads.
//!
//! JavaScript: the scanner tracks four states (code, `'`/`"` string, `` ` `` template, `//` and
//! `/* */` comments), so calls written inside strings and comments are not counted. Escapes
//! inside strings are skipped; `'`/`"` strings end at a newline as JavaScript requires (which
//! resynchronises after a quote the scanner misread). Regular-expression literals are not
//! recognised (a quote or `/*` inside one can desynchronise the scan until the next newline or
//! `*/`), and `${...}` inside template literals is read as string text. In code it finds:
//!
//! - `define("<path>", ...)` (not preceded by `.`): a module, ending at the `)` that closes
//!   its `(` (parenthesis depth is tracked in code only). Calls inside are attributed to the
//!   innermost open module.
//! - `wx.<ident>` followed by `(` and `wx["<ident>"]` / `wx['<ident>']` (`wx` not preceded by
//!   an identifier character or `.`; whitespace allowed between the tokens): an API use.
//!   Aliases (`var w = wx; w.getLocation()`) are not followed.
//! - every string literal, for URL recognition.
//!
//! WXML: the values of `open-type="..."` attributes and every double- or single-quoted
//! attribute value (for URL recognition).

/// What one JavaScript file contains.
#[derive(Debug, Default)]
pub struct JsFacts {
    /// `define()`d module paths, in order of appearance (with repetitions).
    pub modules: Vec<String>,
    /// `(api, module ordinal in modules or None for file level)`.
    pub calls: Vec<(String, Option<usize>)>,
    /// Offset in the file of each call's `wx`, parallel to `calls`.
    pub call_offsets: Vec<usize>,
    /// `(offset in the file of the literal's first content byte, content)`.
    pub strings: Vec<(usize, String)>,
    pub string_count: u32,
}

/// Longest identifier kept as an API name, longest module path and string literal kept.
const MAX_IDENT: usize = 128;
const MAX_PATH: usize = 1024;
const MAX_STRING: usize = 4096;

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

fn at(d: &[u8], i: usize) -> u8 {
    d.get(i).copied().unwrap_or(0)
}

fn skip_ws(d: &[u8], mut i: usize) -> usize {
    while matches!(at(d, i), b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

fn ident_end(d: &[u8], mut i: usize) -> usize {
    while i < d.len() && is_ident(at(d, i)) {
        i += 1;
    }
    i
}

/// The end (index of the closing quote, or where the literal stops unterminated) of the string
/// literal whose opening quote is at `open`.
fn string_end(d: &[u8], open: usize) -> usize {
    let q = at(d, open);
    let mut j = open + 1;
    while j < d.len() {
        let b = at(d, j);
        if b == b'\\' {
            j += 2;
            continue;
        }
        if b == q || (q != b'`' && b == b'\n') {
            return j;
        }
        j += 1;
    }
    d.len()
}

/// The content of a `'`/`"` string literal at `open`, when it is short and valid UTF-8.
fn literal(d: &[u8], open: usize, max: usize) -> Option<(String, usize)> {
    if !matches!(at(d, open), b'"' | b'\'') {
        return None;
    }
    let end = string_end(d, open);
    if at(d, end) != at(d, open) {
        return None;
    }
    let bytes = d.get(open + 1..end)?;
    if bytes.len() > max {
        return None;
    }
    Some((std::str::from_utf8(bytes).ok()?.to_string(), end + 1))
}

pub fn scan_js(d: &[u8]) -> JsFacts {
    let mut out = JsFacts::default();
    // Open modules: (ordinal, parenthesis depth before the define's `(`).
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut depth: u64 = 0;
    let mut i = 0;
    let n = d.len();
    while i < n {
        let b = at(d, i);
        match b {
            b'/' if at(d, i + 1) == b'/' => {
                while i < n && at(d, i) != b'\n' {
                    i += 1;
                }
            }
            b'/' if at(d, i + 1) == b'*' => {
                i += 2;
                while i < n && !(at(d, i) == b'*' && at(d, i + 1) == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'"' | b'\'' | b'`' => {
                let end = string_end(d, i);
                out.string_count = out.string_count.saturating_add(1);
                if let Some(bytes) = d.get(i + 1..end) {
                    if bytes.len() >= 4 && bytes.len() <= MAX_STRING && bytes.contains(&b'.') {
                        if let Ok(s) = std::str::from_utf8(bytes) {
                            let s = if s.contains("\\/") {
                                s.replace("\\/", "/")
                            } else {
                                s.to_string()
                            };
                            out.strings.push((i + 1, s));
                        }
                    }
                }
                i = end + 1;
            }
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                depth = depth.saturating_sub(1);
                while open.last().is_some_and(|&(_, d0)| d0 >= depth) {
                    open.pop();
                }
                i += 1;
            }
            _ if is_ident_start(b) => {
                let end = ident_end(d, i);
                let prev = if i == 0 { 0 } else { at(d, i - 1) };
                let member = prev == b'.' || is_ident(prev);
                let word = d.get(i..end).unwrap_or(&[]);
                if !member && word == b"define" {
                    let p = skip_ws(d, end);
                    if at(d, p) == b'(' {
                        if let Some((path, _)) = literal(d, skip_ws(d, p + 1), MAX_PATH) {
                            out.modules.push(path);
                            open.push((out.modules.len() - 1, depth));
                        }
                    }
                } else if !member && word == b"wx" {
                    let caller = open.last().map(|&(m, _)| m);
                    let p = skip_ws(d, end);
                    if at(d, p) == b'.' {
                        let s = skip_ws(d, p + 1);
                        let e = ident_end(d, s);
                        let called = e > s
                            && e - s <= MAX_IDENT
                            && is_ident_start(at(d, s))
                            && at(d, skip_ws(d, e)) == b'(';
                        if let Some(name) = d
                            .get(s..e)
                            .filter(|_| called)
                            .and_then(|x| std::str::from_utf8(x).ok())
                        {
                            out.calls.push((name.to_string(), caller));
                            out.call_offsets.push(i);
                        }
                    } else if at(d, p) == b'[' {
                        if let Some((name, after)) = literal(d, skip_ws(d, p + 1), MAX_IDENT) {
                            let ok = name.bytes().next().is_some_and(is_ident_start)
                                && name.bytes().all(is_ident);
                            if ok && at(d, skip_ws(d, after)) == b']' {
                                out.calls.push((name, caller));
                                out.call_offsets.push(i);
                            }
                        }
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// What one WXML file contains.
#[derive(Debug, Default)]
pub struct WxmlFacts {
    /// `open-type` attribute values.
    pub open_types: Vec<String>,
    /// Offset in the file of each `open-type` value, parallel to `open_types`.
    pub open_type_offsets: Vec<usize>,
    /// `(offset in the file of the value's first byte, value)` of every quoted attribute value.
    pub strings: Vec<(usize, String)>,
}

pub fn scan_wxml(d: &[u8]) -> WxmlFacts {
    let mut out = WxmlFacts::default();
    let mut i = 0;
    while i < d.len() {
        if at(d, i) != b'=' {
            i += 1;
            continue;
        }
        // The attribute name before `=`.
        let mut s = i;
        while s > 0 && matches!(at(d, s - 1), b' ' | b'\t' | b'\r' | b'\n') {
            s -= 1;
        }
        let name_end = s;
        while s > 0 && (is_ident(at(d, s - 1)) || matches!(at(d, s - 1), b'-' | b':')) {
            s -= 1;
        }
        let name = d.get(s..name_end).unwrap_or(&[]);
        let v = skip_ws(d, i + 1);
        let q = at(d, v);
        if q != b'"' && q != b'\'' {
            i += 1;
            continue;
        }
        let mut e = v + 1;
        while e < d.len() && at(d, e) != q {
            e += 1;
        }
        if e >= d.len() {
            break;
        }
        if let Some(value) = d
            .get(v + 1..e)
            .filter(|x| x.len() <= MAX_STRING)
            .and_then(|x| std::str::from_utf8(x).ok())
        {
            if name == b"open-type" {
                let ok = value.bytes().next().is_some_and(is_ident_start)
                    && value.len() <= MAX_IDENT
                    && value.bytes().all(is_ident);
                if ok {
                    out.open_types.push(value.to_string());
                    out.open_type_offsets.push(v + 1);
                }
            } else if value.len() >= 4 && value.contains('.') {
                out.strings.push((v + 1, value.to_string()));
            }
        }
        i = e + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_attributed_to_the_enclosing_define() {
        let src =
            br#"wx.a(); define("m/x.js", function(r){ wx . b ( ); (function(){ wx["c"]; })(); });
            wx.d(1); define ( 'n.js' , function(){ /* wx.e() */ "wx.f()"; wx.g }) // wx.h()
            a.wx.i(); xwx.j(); wx.k2 ("https:\/\/a.example.cn/x")"#;
        let f = scan_js(src);
        assert_eq!(f.modules, vec!["m/x.js", "n.js"]);
        assert_eq!(
            f.calls,
            vec![
                ("a".to_string(), None),
                ("b".to_string(), Some(0)),
                ("c".to_string(), Some(0)),
                ("d".to_string(), None),
                ("k2".to_string(), None),
            ]
        );
        assert!(f.strings.iter().any(|(_, s)| s == "https://a.example.cn/x"));
        // Each call's offset is where its `wx` starts.
        assert_eq!(f.call_offsets.len(), f.calls.len());
        for &o in &f.call_offsets {
            assert_eq!(&src[o..o + 2], b"wx");
        }
    }

    #[test]
    fn hostile_text_terminates() {
        for src in [
            &b"define(\""[..],
            b"wx[\"",
            b"/*",
            b"'\\",
            b"`${",
            b"wx.",
            b"))))((((define('a',",
            &[0xff, 0xfe, b'w', b'x', b'.', 0x80, b'('],
        ] {
            let _ = scan_js(src);
            let _ = scan_wxml(src);
        }
        assert!(scan_wxml(b"<a open-type=\"x").open_types.is_empty());
        assert_eq!(
            scan_wxml(b"<b open-type = 'getPhoneNumber'/>").open_types,
            vec!["getPhoneNumber"]
        );
    }
}
