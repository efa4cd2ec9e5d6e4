//! The layout of `--format json`: indented like `serde_json`'s pretty printer down to
//! [`INLINE_DEPTH`] levels of nesting, and every object or array opened deeper written on one
//! line.
//!
//! The report's structure (verdict, reasons, clauses, SDKs and their evidence lists, inventory
//! lists) reads as usual, while each record of a long list — an evidence item, a class, a method
//! reference with its callers — takes one line instead of one line per field and per number. A
//! 100k-class APK's document is 64 MB instead of 125 MB, and is written in about half the time.
//! Only whitespace differs from the pretty printer's output.

use serde_json::ser::Formatter;
use std::io::{self, Write};

/// Objects and arrays opened at this depth or deeper (the document is depth 1) are written on
/// one line: the items of `findings.sdks[].evidence`, `inventory.code[].classes_defined` and
/// `inventory.code[].methods`, among others.
pub const INLINE_DEPTH: usize = 6;

/// A [`Formatter`] that indents by two spaces, as `serde_json`'s pretty printer does, above
/// [`INLINE_DEPTH`], and writes containers opened from there down on one line (with a space
/// after `:` and `,`, for legibility).
#[derive(Default)]
pub struct ReportFormatter {
    /// Containers currently open.
    depth: usize,
    /// The innermost indented container has a member.
    has_value: bool,
}

impl ReportFormatter {
    /// A formatter for a value nested `depth` containers deep (its first container opens at
    /// `depth + 1`), so that a part rendered apart lines up with the rest.
    pub fn nested(depth: usize) -> ReportFormatter {
        ReportFormatter {
            depth,
            has_value: false,
        }
    }

    /// Inside a container written on one line (it was opened at `INLINE_DEPTH` or deeper).
    fn inline(&self) -> bool {
        self.depth >= INLINE_DEPTH
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        let inline = self.inline();
        self.depth = self.depth.saturating_sub(1);
        if !inline && self.has_value {
            newline(w, self.depth)?;
        }
        self.has_value = true;
        w.write_all(bracket)
    }

    /// Before a member (array value or object key).
    fn member<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if self.inline() {
            return if first { Ok(()) } else { w.write_all(b", ") };
        }
        if !first {
            w.write_all(b",")?;
        }
        newline(w, self.depth)
    }
}

/// A newline and the indentation of `level` (two spaces each).
pub(crate) fn newline<W: ?Sized + Write>(w: &mut W, level: usize) -> io::Result<()> {
    const SPACES: &[u8] = &[b' '; 64];
    w.write_all(b"\n")?;
    let mut n = level * 2;
    while n > 0 {
        let k = n.min(SPACES.len());
        w.write_all(SPACES.get(..k).unwrap_or(SPACES))?;
        n -= k;
    }
    Ok(())
}

impl Formatter for ReportFormatter {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.member(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.member(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Write `value` in the report layout.
pub fn to_writer<W: Write, T: ?Sized + serde::Serialize>(
    w: W,
    value: &T,
) -> serde_json::Result<()> {
    to_writer_nested(w, value, 0)
}

/// Write `value` as the report layout writes it `depth` containers deep.
pub fn to_writer_nested<W: Write, T: ?Sized + serde::Serialize>(
    w: W,
    value: &T,
    depth: usize,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, ReportFormatter::nested(depth));
    value.serialize(&mut ser)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn layout(v: &serde_json::Value) -> String {
        let mut out = Vec::new();
        to_writer(&mut out, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn shallow_documents_are_laid_out_as_the_pretty_printer_does() {
        let v = json!({"a": [1, {"b": "c", "d": []}], "e": {}, "f": [[2, 3]]});
        assert_eq!(layout(&v), serde_json::to_string_pretty(&v).unwrap());
    }

    #[test]
    fn containers_opened_at_the_inline_depth_take_one_line() {
        let v =
            json!({"l1": {"l2": {"l3": [{"l5": {"x": 1, "y": [1, 2, {"z": null}]}, "w": []}]}}});
        let text = layout(&v);
        assert_eq!(
            text,
            "{\n  \"l1\": {\n    \"l2\": {\n      \"l3\": [\n        {\n          \"l5\": \
             {\"x\": 1, \"y\": [1, 2, {\"z\": null}]},\n          \"w\": []\n        }\n      ]\n    \
             }\n  }\n}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
