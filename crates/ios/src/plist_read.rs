//! Bounded property-list reading (binary, XML, old-style ASCII) and rendering.
//!
//! The `plist` crate's stream reader is driven event by event here so that nesting depth and the
//! number of events are capped before a [`plist::Value`] is built: a binary plist can reference
//! one collection from many places (a small file expanding exponentially), and a deeply nested
//! value would overflow the stack when dropped.

use plist::stream::{Event, Reader};
use plist::Value;
use std::io::Cursor;

/// Deepest nesting of arrays and dictionaries accepted.
pub const MAX_DEPTH: usize = 64;

/// Parse a plist of any encoding (binary `bplist00`, XML, old-style ASCII).
pub fn parse(bytes: &[u8]) -> Result<Value, String> {
    let max_events = bytes.len().saturating_mul(2).saturating_add(64);
    let mut events = Vec::new();
    let mut depth = 0usize;
    let mut reader = Reader::new(Cursor::new(bytes));
    for ev in reader.by_ref() {
        let ev = ev.map_err(|e| e.to_string())?;
        match ev {
            Event::StartArray(_) | Event::StartDictionary(_) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!("nested deeper than {MAX_DEPTH} levels"));
                }
            }
            Event::EndCollection => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        if events.len() >= max_events {
            return Err(format!(
                "more than {max_events} values in {} bytes (shared references expand too far)",
                bytes.len()
            ));
        }
        let top_done = depth == 0;
        events.push(Ok(ev));
        if top_done {
            break;
        }
    }
    if events.is_empty() {
        return Err("empty property list".into());
    }
    Value::from_events(events).map_err(|e| e.to_string())
}

/// Bytes as text: UTF-8 (BOM skipped) or UTF-16 with a BOM (either byte order); UTF-16 without
/// a BOM is recognised by NUL bytes in the first characters.
pub fn decode_text(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8(rest.to_vec()).ok();
    }
    let utf16 = |rest: &[u8], le: bool| -> Option<String> {
        let units = rest.chunks_exact(2).map(|c| match c {
            [a, b] if le => u16::from_le_bytes([*a, *b]),
            [a, b] => u16::from_be_bytes([*a, *b]),
            _ => 0,
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .ok()
    };
    if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        return utf16(rest, false);
    }
    match bytes {
        [a, 0, ..] if *a != 0 => utf16(bytes, true),
        [0, b, ..] if *b != 0 => utf16(bytes, false),
        _ => String::from_utf8(bytes.to_vec()).ok(),
    }
}

/// A `.strings` file: a binary or XML plist dictionary, or old-style `"key" = "value";` text
/// (UTF-8 or UTF-16), as key-value pairs in file order.
pub fn parse_strings(bytes: &[u8]) -> Result<Vec<(String, String)>, String> {
    let value = if bytes.starts_with(b"bplist00") {
        parse(bytes)?
    } else {
        let text = decode_text(bytes).ok_or("neither UTF-8 nor UTF-16 text")?;
        let trimmed = text.trim_start();
        if trimmed.starts_with("<?xml") || trimmed.starts_with("<plist") || trimmed.starts_with('{')
        {
            parse(trimmed.as_bytes())?
        } else {
            // Old-style strings files are a dictionary body without braces.
            parse(format!("{{\n{text}\n}}").as_bytes())?
        }
    };
    let dict = value.into_dictionary().ok_or("not a dictionary")?;
    Ok(dict
        .into_iter()
        .filter_map(|(k, v)| Some((k, text_of(&v)?)))
        .collect())
}

/// A scalar as text (strings, numbers, booleans, dates); None for collections and data.
pub fn text_of(v: &Value) -> Option<String> {
    Some(match v {
        Value::String(s) => s.clone(),
        Value::Boolean(b) => b.to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Date(d) => d.to_xml_format(),
        _ => return None,
    })
}

/// A value as JSON (data as lowercase hex, dates as RFC 3339 text, UIDs as numbers).
pub fn to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Array(a) => J::Array(a.iter().map(to_json).collect()),
        Value::Dictionary(d) => J::Object(d.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
        Value::Boolean(b) => J::Bool(*b),
        Value::Data(d) => J::String(d.iter().map(|b| format!("{b:02x}")).collect()),
        Value::Date(d) => J::String(d.to_xml_format()),
        Value::Real(r) => serde_json::Number::from_f64(*r).map_or(J::Null, J::Number),
        Value::Integer(i) => match (i.as_signed(), i.as_unsigned()) {
            (Some(s), _) => J::from(s),
            (None, Some(u)) => J::from(u),
            _ => J::Null,
        },
        Value::String(s) => J::String(s.clone()),
        Value::Uid(u) => J::from(u.get()),
        _ => J::Null,
    }
}

/// A value rendered as compact JSON text, cut at `max` bytes (on a character boundary).
pub fn json_text(v: &Value, max: usize) -> String {
    let mut s = to_json(v).to_string();
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

/// Dictionary lookups.
pub fn get_str<'v>(d: &'v plist::Dictionary, key: &str) -> Option<&'v str> {
    d.get(key).and_then(Value::as_string)
}

pub fn get_bool(d: &plist::Dictionary, key: &str) -> Option<bool> {
    match d.get(key)? {
        Value::Boolean(b) => Some(*b),
        // Some tools write YES/NO or 1/0 as strings or integers.
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "yes" | "true" | "1" => Some(true),
            "no" | "false" | "0" => Some(false),
            _ => None,
        },
        Value::Integer(i) => i.as_signed().map(|n| n != 0),
        _ => None,
    }
}

/// Strings of an array value (non-strings skipped).
pub fn get_strings(d: &plist::Dictionary, key: &str) -> Vec<String> {
    d.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_string)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        let mut d = plist::Dictionary::new();
        d.insert("CFBundleIdentifier".into(), Value::String("edu.x".into()));
        d.insert("Flag".into(), Value::Boolean(true));
        d.insert(
            "List".into(),
            Value::Array(vec![Value::Integer(3.into()), Value::String("a".into())]),
        );
        Value::Dictionary(d)
    }

    #[test]
    fn binary_xml_and_ascii_plists() {
        let v = sample();
        let mut bin = Vec::new();
        v.to_writer_binary(&mut bin).unwrap();
        let mut xml = Vec::new();
        v.to_writer_xml(&mut xml).unwrap();
        assert_eq!(parse(&bin).unwrap(), v);
        assert_eq!(parse(&xml).unwrap(), v);
        let ascii = parse(b"{ a = b; c = (d, e); }").unwrap();
        let d = ascii.as_dictionary().unwrap();
        assert_eq!(get_str(d, "a"), Some("b"));
        assert_eq!(get_strings(d, "c"), vec!["d", "e"]);
        assert_eq!(
            json_text(&v, 1000),
            r#"{"CFBundleIdentifier":"edu.x","Flag":true,"List":[3,"a"]}"#
        );
        assert_eq!(json_text(&v, 10), "{\"CFBundle…");
    }

    #[test]
    fn deep_nesting_and_expansion_are_refused() {
        let deep = format!(
            "<plist><array>{}{}</array></plist>",
            "<array>".repeat(100),
            "</array>".repeat(100)
        );
        assert!(parse(deep.as_bytes()).unwrap_err().contains("deeper"));
        // A binary plist whose arrays each reference the next one twice: 2^20 values.
        let levels = 20u8;
        let mut objects: Vec<Vec<u8>> = Vec::new();
        for i in 0..levels {
            objects.push(vec![0xa2, i + 1, i + 1]);
        }
        objects.push(vec![0x10, 7]);
        let mut file = b"bplist00".to_vec();
        let mut offsets = Vec::new();
        for o in &objects {
            offsets.push(file.len() as u8);
            file.extend(o);
        }
        let table = file.len() as u64;
        file.extend(&offsets);
        let mut trailer = [0u8; 32];
        trailer[6] = 1; // offset size
        trailer[7] = 1; // ref size
        trailer[8..16].copy_from_slice(&(objects.len() as u64).to_be_bytes());
        trailer[24..32].copy_from_slice(&table.to_be_bytes());
        file.extend(trailer);
        let err = parse(&file).unwrap_err();
        assert!(err.contains("expand") || err.contains("deeper"), "{err}");
    }

    #[test]
    fn strings_files_in_every_encoding() {
        let text =
            "/* comment */\n\"CFBundleDisplayName\" = \"我的应用\";\nCFBundleName = \"App\";\n";
        let want = vec![
            ("CFBundleDisplayName".to_string(), "我的应用".to_string()),
            ("CFBundleName".to_string(), "App".to_string()),
        ];
        assert_eq!(parse_strings(text.as_bytes()).unwrap(), want);
        let mut le = vec![0xff, 0xfe];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(parse_strings(&le).unwrap(), want);
        let mut be = vec![0xfe, 0xff];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(parse_strings(&be).unwrap(), want);
        let mut d = plist::Dictionary::new();
        for (k, v) in &want {
            d.insert(k.clone(), Value::String(v.clone()));
        }
        let mut bin = Vec::new();
        Value::Dictionary(d.clone())
            .to_writer_binary(&mut bin)
            .unwrap();
        assert_eq!(parse_strings(&bin).unwrap(), want);
        let mut xml = Vec::new();
        Value::Dictionary(d).to_writer_xml(&mut xml).unwrap();
        assert_eq!(parse_strings(&xml).unwrap(), want);
        assert!(parse_strings(&[0xff, 0xfe, 0x00, 0xd8]).is_err());
    }
}
