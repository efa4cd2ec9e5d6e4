//! Bounded linear scan of Dalvik bytecode for `invoke-*` instructions.
//!
//! This is not a disassembler: it only knows each opcode's width in 16-bit code units (from the
//! instruction formats of the Dalvik bytecode specification) and where invoke instructions keep
//! their method index.

/// Width in 16-bit code units of each opcode (low byte of the first unit), for ordinary
/// instructions. Unused opcodes count as 1 unit (format 10x), as the verifier-free tools do.
const WIDTH: [u8; 256] = build_widths();

// Evaluated at compile time: an out-of-range index would be a build error, not a panic.
#[allow(clippy::indexing_slicing)]
const fn build_widths() -> [u8; 256] {
    let mut w = [1u8; 256];
    // (first opcode, last opcode, width)
    let ranges: &[(usize, usize, u8)] = &[
        (0x00, 0x01, 1), // nop, move
        (0x02, 0x02, 2), // move/from16
        (0x03, 0x03, 3), // move/16
        (0x04, 0x04, 1), // move-wide
        (0x05, 0x05, 2),
        (0x06, 0x06, 3),
        (0x07, 0x07, 1), // move-object
        (0x08, 0x08, 2),
        (0x09, 0x09, 3),
        (0x0a, 0x12, 1), // move-result.. return-object, const/4
        (0x13, 0x13, 2), // const/16
        (0x14, 0x14, 3), // const
        (0x15, 0x16, 2), // const/high16, const-wide/16
        (0x17, 0x17, 3), // const-wide/32
        (0x18, 0x18, 5), // const-wide (51l)
        (0x19, 0x1a, 2), // const-wide/high16, const-string
        (0x1b, 0x1b, 3), // const-string/jumbo
        (0x1c, 0x1c, 2), // const-class
        (0x1d, 0x1e, 1), // monitor-enter/exit
        (0x1f, 0x20, 2), // check-cast, instance-of
        (0x21, 0x21, 1), // array-length
        (0x22, 0x23, 2), // new-instance, new-array
        (0x24, 0x26, 3), // filled-new-array(/range), fill-array-data
        (0x27, 0x28, 1), // throw, goto
        (0x29, 0x29, 2), // goto/16
        (0x2a, 0x2c, 3), // goto/32, packed-switch, sparse-switch
        (0x2d, 0x3d, 2), // cmpkind, if-test, if-testz
        (0x3e, 0x43, 1), // unused
        (0x44, 0x6d, 2), // arrayop, iinstanceop, sstaticop
        (0x6e, 0x72, 3), // invoke-kind
        (0x73, 0x73, 1), // unused
        (0x74, 0x78, 3), // invoke-kind/range
        (0x79, 0x7a, 1), // unused
        (0x7b, 0x8f, 1), // unop
        (0x90, 0xaf, 2), // binop
        (0xb0, 0xcf, 1), // binop/2addr
        (0xd0, 0xe2, 2), // binop/lit16, binop/lit8
        (0xe3, 0xf9, 1), // unused
        (0xfa, 0xfb, 4), // invoke-polymorphic(/range)
        (0xfc, 0xfd, 3), // invoke-custom(/range)
        (0xfe, 0xff, 2), // const-method-handle, const-method-type
    ];
    let mut r = 0;
    while r < ranges.len() {
        let (lo, hi, width) = ranges[r];
        let mut op = lo;
        while op <= hi {
            w[op] = width;
            op += 1;
        }
        r += 1;
    }
    w
}

/// Width in 16-bit code units of the Dalvik instruction whose first code unit is `unit`.
///
/// `following(k)` returns the code unit `k` units after `unit` (`None` past the end); it is only
/// called for the payload pseudo-instructions (`packed-switch-payload` 0x0100,
/// `sparse-switch-payload` 0x0200, `fill-array-data-payload` 0x0300), whose width depends on
/// their size fields. Returns `None` when those fields cannot be read. Unused opcodes count as
/// 1 unit.
#[inline]
pub fn instruction_width(unit: u16, following: impl Fn(u64) -> Option<u16>) -> Option<u64> {
    match unit {
        // packed-switch-payload: ident, size, first_key (2 units), targets (2 units each)
        0x0100 => Some(4 + u64::from(following(1)?) * 2),
        // sparse-switch-payload: ident, size, keys (2 units each), targets (2 units each)
        0x0200 => Some(2 + u64::from(following(1)?) * 4),
        // fill-array-data-payload: ident, element_width, size (2 units), data (padded to units)
        0x0300 => {
            let elem = u64::from(following(1)?);
            let size = u64::from(following(2)?) | (u64::from(following(3)?) << 16);
            Some(4 + (elem * size).div_ceil(2))
        }
        _ => WIDTH.get(usize::from(unit & 0xff)).map(|&w| u64::from(w)),
    }
}

/// Whether `opcode` is an invoke whose second code unit is a `method_ids` index.
#[inline]
pub(crate) fn is_method_invoke(opcode: u8) -> bool {
    matches!(opcode, 0x6e..=0x72 | 0x74..=0x78 | 0xfa | 0xfb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_of_known_opcodes() {
        let none = |_| None;
        let w = |u: u16| instruction_width(u, none);
        assert_eq!(w(0x0000), Some(1)); // nop
        assert_eq!(w(0x000e), Some(1)); // return-void
        assert_eq!(w(0x0018), Some(5)); // const-wide
        assert_eq!(w(0x0017), Some(3));
        assert_eq!(w(0x001a), Some(2));
        assert_eq!(w(0x001b), Some(3));
        assert_eq!(w(0x0026), Some(3));
        assert_eq!(w(0x002b), Some(3));
        assert_eq!(w(0x006e), Some(3));
        assert_eq!(w(0x0078), Some(3));
        assert_eq!(w(0x00fa), Some(4));
        assert_eq!(w(0x00fd), Some(3));
        assert_eq!(w(0x00ff), Some(2));
        assert_eq!(w(0x00d8), Some(2));
        assert_eq!(w(0x00e2), Some(2));
        assert_eq!(w(0x00e3), Some(1));
        assert_eq!(w(0x00b0), Some(1));
        assert_eq!(w(0x00af), Some(2));
        // payload widths need the following units; unreadable → None
        assert_eq!(w(0x0100), None);
    }

    #[test]
    fn payload_widths() {
        let units = [0x0100u16, 3, 0, 0];
        let at = |i: u64| units.get(i as usize).copied();
        assert_eq!(instruction_width(0x0100, at), Some(4 + 6));
        let units = [0x0200u16, 2];
        let at = |i: u64| units.get(i as usize).copied();
        assert_eq!(instruction_width(0x0200, at), Some(2 + 8));
        // 3 elements of 1 byte → 2 units of data
        let units = [0x0300u16, 1, 3, 0];
        let at = |i: u64| units.get(i as usize).copied();
        assert_eq!(instruction_width(0x0300, at), Some(4 + 2));
        // huge sizes do not overflow
        let units = [0x0300u16, 0xffff, 0xffff, 0xffff];
        let at = |i: u64| units.get(i as usize).copied();
        assert!(instruction_width(0x0300, at).is_some());
    }
}
