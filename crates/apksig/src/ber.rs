//! A minimal, bounded BER TLV reader (X.690): enough to walk PKCS#7 SignedData, which `jarsigner`,
//! `apksigner` and older tools write in DER but some tools write with BER indefinite lengths.
//!
//! It keeps the raw bytes of every element, so certificates are hashed exactly as stored.

use crate::Error;

/// Deepest nesting of constructed elements accepted.
pub(crate) const MAX_DEPTH: u32 = 32;

pub(crate) const CLASS_UNIVERSAL: u8 = 0;
pub(crate) const CLASS_CONTEXT: u8 = 2;

pub(crate) const TAG_INTEGER: u32 = 2;
pub(crate) const TAG_OID: u32 = 6;
pub(crate) const TAG_SEQUENCE: u32 = 16;
pub(crate) const TAG_SET: u32 = 17;
pub(crate) const TAG_UTC_TIME: u32 = 23;
pub(crate) const TAG_GENERALIZED_TIME: u32 = 24;

/// One element: identifier, content and the raw encoding (header, content and, for indefinite
/// lengths, the end-of-contents octets).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    pub class: u8,
    pub constructed: bool,
    pub tag: u32,
    /// Content octets (without end-of-contents octets).
    pub content: &'a [u8],
    /// The whole element.
    pub raw: &'a [u8],
    /// Absolute offset of the element in the outermost input.
    pub offset: usize,
    /// Absolute offset of the content.
    pub content_offset: usize,
}

impl<'a> Tlv<'a> {
    pub fn is(&self, class: u8, tag: u32) -> bool {
        self.class == class && self.tag == tag
    }

    pub fn is_universal(&self, tag: u32) -> bool {
        self.is(CLASS_UNIVERSAL, tag)
    }

    /// Children of a constructed element.
    pub fn children(&self) -> Children<'a> {
        Children {
            rest: self.content,
            offset: self.content_offset,
            depth: 1,
        }
    }

    /// Children, failing unless the element is constructed with the given universal tag.
    pub fn expect_children(&self, tag: u32, what: &'static str) -> Result<Children<'a>, Error> {
        if !self.constructed || !self.is_universal(tag) {
            return Err(malformed(
                what,
                self.offset,
                format!(
                    "expected universal tag {tag}, found class {} tag {}",
                    self.class, self.tag
                ),
            ));
        }
        Ok(self.children())
    }
}

pub(crate) fn malformed(what: &'static str, offset: usize, message: impl Into<String>) -> Error {
    Error::Malformed {
        what,
        offset: offset as u64,
        message: message.into(),
    }
}

/// Iterator over consecutive elements of a slice.
pub(crate) struct Children<'a> {
    rest: &'a [u8],
    offset: usize,
    depth: u32,
}

impl<'a> Children<'a> {
    /// Elements of a whole buffer at absolute offset `offset`.
    pub fn new(input: &'a [u8], offset: usize) -> Self {
        Children {
            rest: input,
            offset,
            depth: 0,
        }
    }

    /// The next element, or an error naming `what` when there is none.
    pub fn expect(&mut self, what: &'static str) -> Result<Tlv<'a>, Error> {
        match self.next() {
            Some(r) => r,
            None => Err(malformed(what, self.offset, "missing element")),
        }
    }
}

impl<'a> Iterator for Children<'a> {
    type Item = Result<Tlv<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match read_tlv(self.rest, self.offset, self.depth) {
            Ok((tlv, used)) => {
                self.rest = self.rest.get(used..).unwrap_or_default();
                self.offset = self.offset.saturating_add(used);
                Some(Ok(tlv))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

/// Read one element at the start of `input` (found at absolute `offset`). Returns it and the
/// number of bytes it occupies.
pub(crate) fn read_tlv(input: &[u8], offset: usize, depth: u32) -> Result<(Tlv<'_>, usize), Error> {
    if depth > MAX_DEPTH {
        return Err(malformed(
            "BER element",
            offset,
            format!("nested deeper than {MAX_DEPTH} levels"),
        ));
    }
    let trunc = || malformed("BER element", offset, "truncated header");
    let first = *input.first().ok_or_else(trunc)?;
    let class = first >> 6;
    let constructed = first & 0x20 != 0;
    let mut pos = 1usize;
    let mut tag = u32::from(first & 0x1f);
    if tag == 0x1f {
        tag = 0;
        loop {
            let b = *input.get(pos).ok_or_else(trunc)?;
            pos += 1;
            if pos > 5 {
                return Err(malformed("BER element", offset, "tag number too large"));
            }
            tag = (tag << 7) | u32::from(b & 0x7f);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let len_byte = *input.get(pos).ok_or_else(trunc)?;
    pos += 1;
    let header_len;
    let content_len;
    let total;
    if len_byte == 0x80 {
        // Indefinite length: content runs to the end-of-contents octets (00 00) at this level.
        if !constructed {
            return Err(malformed(
                "BER element",
                offset,
                "indefinite length on a primitive element",
            ));
        }
        header_len = pos;
        let mut cursor = pos;
        loop {
            let rest = input.get(cursor..).unwrap_or_default();
            if rest.len() < 2 {
                return Err(malformed(
                    "BER element",
                    offset,
                    "indefinite length without end-of-contents",
                ));
            }
            if rest.first() == Some(&0) && rest.get(1) == Some(&0) {
                content_len = cursor - pos;
                total = cursor + 2;
                break;
            }
            let (_, used) = read_tlv(rest, offset.saturating_add(cursor), depth + 1)?;
            cursor = cursor.checked_add(used).ok_or_else(trunc)?;
        }
    } else {
        let len = if len_byte & 0x80 == 0 {
            usize::from(len_byte)
        } else {
            let n = usize::from(len_byte & 0x7f);
            if n > 8 {
                return Err(malformed(
                    "BER element",
                    offset,
                    "length of length too large",
                ));
            }
            let mut len: u64 = 0;
            for _ in 0..n {
                let b = *input.get(pos).ok_or_else(trunc)?;
                pos += 1;
                len = (len << 8) | u64::from(b);
            }
            usize::try_from(len)
                .map_err(|_| malformed("BER element", offset, "length too large"))?
        };
        header_len = pos;
        content_len = len;
        total = pos.checked_add(len).ok_or_else(trunc)?;
        if total > input.len() {
            return Err(malformed(
                "BER element",
                offset,
                format!(
                    "content of {len} bytes overruns the {} bytes available",
                    input.len().saturating_sub(pos)
                ),
            ));
        }
    }
    let content = input
        .get(header_len..header_len.saturating_add(content_len))
        .ok_or_else(trunc)?;
    let raw = input.get(..total).ok_or_else(trunc)?;
    let tlv = Tlv {
        class,
        constructed,
        tag,
        content,
        raw,
        offset,
        content_offset: offset.saturating_add(header_len),
    };
    Ok((tlv, total))
}

/// Dotted form of OBJECT IDENTIFIER content octets.
pub(crate) fn oid_to_string(content: &[u8]) -> Option<String> {
    if content.is_empty() || content.len() > 64 {
        return None;
    }
    let mut arcs: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for (i, &b) in content.iter().enumerate() {
        if value > (u64::MAX >> 7) {
            return None;
        }
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let (a, b) = if value < 40 {
                    (0, value)
                } else if value < 80 {
                    (1, value - 40)
                } else {
                    (2, value - 80)
                };
                arcs.push(a);
                arcs.push(b);
            } else {
                arcs.push(value);
            }
            value = 0;
        } else if i + 1 == content.len() {
            return None;
        }
    }
    Some(
        arcs.iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join("."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_decoding() {
        assert_eq!(
            oid_to_string(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]).as_deref(),
            Some("1.2.840.113549.1.7.2")
        );
        assert_eq!(
            oid_to_string(&[0x2b, 0x65, 0x70]).as_deref(),
            Some("1.3.101.112")
        );
        assert_eq!(oid_to_string(&[0x2a, 0x86]), None);
        assert_eq!(oid_to_string(&[]), None);
    }

    #[test]
    fn definite_and_indefinite() {
        // SEQUENCE (indefinite) { INTEGER 5, SEQUENCE (indefinite) { } } 00 00
        let ber = [
            0x30, 0x80, 0x02, 0x01, 0x05, 0x30, 0x80, 0x00, 0x00, 0x00, 0x00, 0xff,
        ];
        let (tlv, used) = read_tlv(&ber, 0, 0).unwrap();
        assert_eq!(used, 11);
        assert_eq!(tlv.content.len(), 7);
        let kids: Vec<_> = tlv.children().collect::<Result<_, _>>().unwrap();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[0].content, &[5]);
        assert_eq!(kids[1].offset, 5);
        assert!(kids[1].content.is_empty());
        // Definite length overrunning the input.
        assert!(read_tlv(&[0x30, 0x05, 0x01], 0, 0).is_err());
        // Long form.
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend(std::iter::repeat_n(7u8, 0x80));
        let (tlv, used) = read_tlv(&long, 0, 0).unwrap();
        assert_eq!((tlv.content.len(), used), (0x80, 0x83));
        // Primitive with indefinite length, missing end-of-contents.
        assert!(read_tlv(&[0x04, 0x80, 0x00, 0x00], 0, 0).is_err());
        assert!(read_tlv(&[0x30, 0x80, 0x02, 0x01, 0x05], 0, 0).is_err());
    }

    #[test]
    fn depth_is_bounded() {
        let mut ber = Vec::new();
        for _ in 0..200 {
            ber.extend([0x30, 0x80]);
        }
        for _ in 0..200 {
            ber.extend([0x00, 0x00]);
        }
        assert!(read_tlv(&ber, 0, 0).is_err());
    }
}
