//! The layout of `--format json`: indented like `serde_json`'s pretty printer down to
//! [`INLINE_DEPTH`] levels of nesting, and every object or array opened deeper written on one
//! line.
//!
//! The report's structure (verdict, reasons, clauses, SDKs and their evidence lists, inventory
//! lists) reads as usual, while each record of a long list — an evidence item, a class, a method
//! reference with its callers — takes one line instead of one line per field and per number. A
//! 100k-class APK's document is 64 MB instead of 125 MB, and is written in about half the time.
//! Only whitespace differs from the pretty printer's output.

use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};
use std::io::{self, Write};

/// Objects and arrays opened at this depth or deeper (the document is depth 1) are written on
/// one line: the items of `findings.sdks[].evidence`, `inventory.code[].classes_defined` and
/// `inventory.code[].methods`, among others.
pub const INLINE_DEPTH: usize = 6;

/// A [`Formatter`] that is pretty above [`INLINE_DEPTH`] and compact (with a space after `:` and
/// `,`, for legibility) from there down.
pub struct ReportFormatter {
    pretty: PrettyFormatter<'static>,
    /// Containers currently open.
    depth: usize,
}

impl Default for ReportFormatter {
    fn default() -> Self {
        ReportFormatter {
            pretty: PrettyFormatter::new(),
            depth: 0,
        }
    }
}

impl ReportFormatter {
    /// Inside a container written on one line (it was opened at `INLINE_DEPTH` or deeper).
    fn inline(&self) -> bool {
        self.depth >= INLINE_DEPTH
    }
}

impl Formatter for ReportFormatter {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        if self.inline() {
            CompactFormatter.begin_array(w)
        } else {
            self.pretty.begin_array(w)
        }
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        let inline = self.inline();
        self.depth = self.depth.saturating_sub(1);
        if inline {
            CompactFormatter.end_array(w)
        } else {
            self.pretty.end_array(w)
        }
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if self.inline() {
            if first {
                Ok(())
            } else {
                w.write_all(b", ")
            }
        } else {
            self.pretty.begin_array_value(w, first)
        }
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.inline() {
            Ok(())
        } else {
            self.pretty.end_array_value(w)
        }
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        if self.inline() {
            CompactFormatter.begin_object(w)
        } else {
            self.pretty.begin_object(w)
        }
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        let inline = self.inline();
        self.depth = self.depth.saturating_sub(1);
        if inline {
            CompactFormatter.end_object(w)
        } else {
            self.pretty.end_object(w)
        }
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if self.inline() {
            if first {
                Ok(())
            } else {
                w.write_all(b", ")
            }
        } else {
            self.pretty.begin_object_key(w, first)
        }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.inline() {
            w.write_all(b": ")
        } else {
            self.pretty.begin_object_value(w)
        }
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.inline() {
            Ok(())
        } else {
            self.pretty.end_object_value(w)
        }
    }
}

/// Write `value` in the report layout.
pub fn to_writer<W: Write, T: ?Sized + serde::Serialize>(
    w: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, ReportFormatter::default());
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
