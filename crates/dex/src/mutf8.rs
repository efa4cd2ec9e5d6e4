//! Modified UTF-8 (MUTF-8) as used by DEX `string_data_item`s.
//!
//! Differences from UTF-8: U+0000 is written as `C0 80`, and supplementary characters are
//! written as two 3-byte encoded UTF-16 surrogates. Decoding here never fails: anything that
//! is not valid MUTF-8 (bad lead byte, missing continuation, lone surrogate) becomes U+FFFD.

use std::borrow::Cow;

/// Decode `bytes` (without the terminating NUL). Pure ASCII is borrowed, with no allocation.
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if bytes.is_ascii() {
        // ASCII is valid UTF-8; from_utf8 cannot fail here, but stay total anyway.
        if let Ok(s) = std::str::from_utf8(bytes) {
            return Cow::Borrowed(s);
        }
    }
    Cow::Owned(decode_slow(bytes))
}

/// Read one UTF-16 code unit from `bytes` at `*i`, advancing `*i`. `None` marks an invalid
/// sequence (one byte consumed).
fn next_unit(bytes: &[u8], i: &mut usize) -> Option<u16> {
    let b0 = *bytes.get(*i)?;
    *i += 1;
    if b0 < 0x80 {
        return Some(u16::from(b0));
    }
    let cont = |b: Option<&u8>| b.copied().filter(|b| b & 0xC0 == 0x80);
    if b0 & 0xE0 == 0xC0 {
        let b1 = cont(bytes.get(*i))?;
        *i += 1;
        return Some((u16::from(b0 & 0x1F) << 6) | u16::from(b1 & 0x3F));
    }
    if b0 & 0xF0 == 0xE0 {
        let b1 = cont(bytes.get(*i))?;
        let b2 = cont(bytes.get(*i + 1))?;
        *i += 2;
        return Some(
            (u16::from(b0 & 0x0F) << 12) | (u16::from(b1 & 0x3F) << 6) | u16::from(b2 & 0x3F),
        );
    }
    None
}

fn decode_slow(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0usize;
    // A decoded high surrogate waiting for its low half.
    let mut pending_high: Option<u16> = None;
    while i < bytes.len() {
        let unit = next_unit(bytes, &mut i);
        let Some(u) = unit else {
            if pending_high.take().is_some() {
                out.push(char::REPLACEMENT_CHARACTER);
            }
            out.push(char::REPLACEMENT_CHARACTER);
            continue;
        };
        match u {
            0xD800..=0xDBFF => {
                if pending_high.replace(u).is_some() {
                    out.push(char::REPLACEMENT_CHARACTER);
                }
            }
            0xDC00..=0xDFFF => match pending_high.take() {
                Some(hi) => {
                    let c = 0x10000 + ((u32::from(hi) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                    out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                }
                None => out.push(char::REPLACEMENT_CHARACTER),
            },
            _ => {
                if pending_high.take().is_some() {
                    out.push(char::REPLACEMENT_CHARACTER);
                }
                out.push(char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
        }
    }
    if pending_high.is_some() {
        out.push(char::REPLACEMENT_CHARACTER);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_borrowed() {
        assert!(matches!(decode(b"Lcom/a/B;"), Cow::Borrowed("Lcom/a/B;")));
    }

    #[test]
    fn two_and_three_byte_forms() {
        assert_eq!(decode(&[0xC0, 0x80]), "\u{0}");
        assert_eq!(decode("é中".as_bytes()), "é中");
    }

    #[test]
    fn surrogate_pair_becomes_one_char() {
        // U+1F600 = D83D DE00 → ED A0 BD ED B8 80
        assert_eq!(decode(&[0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80]), "😀");
    }

    #[test]
    fn invalid_becomes_replacement() {
        assert_eq!(decode(&[0xFF, b'a']), "\u{FFFD}a");
        assert_eq!(decode(&[0xE4, 0xB8]), "\u{FFFD}\u{FFFD}");
        // lone high surrogate followed by ASCII, lone low surrogate
        assert_eq!(decode(&[0xED, 0xA0, 0xBD, b'x']), "\u{FFFD}x");
        assert_eq!(decode(&[0xED, 0xB8, 0x80]), "\u{FFFD}");
        // two highs in a row, then end
        assert_eq!(
            decode(&[0xED, 0xA0, 0xBD, 0xED, 0xA0, 0xBD]),
            "\u{FFFD}\u{FFFD}"
        );
        // 4-byte UTF-8 is not MUTF-8: each byte is invalid or a bad lead
        assert_eq!(
            decode("😀".as_bytes())
                .chars()
                .filter(|&c| c == '\u{FFFD}')
                .count(),
            4
        );
    }
}
