//! dyld's linking data: imported symbol names from `LC_DYLD_CHAINED_FIXUPS` imports and from
//! `LC_DYLD_INFO` bind opcodes, exported names from the export trie. Stripped App Store binaries
//! keep few symbols in `LC_SYMTAB`; these tables are what dyld itself uses, so they are always
//! there.
//!
//! Written here rather than taken from goblin: goblin does not read chained-fixup imports, and
//! its export-trie walk recurses without cycle detection (a trie node pointing at itself
//! overflows the stack). Every walk below is linear in the input or visits each node once.

/// Why a table could not be read.
pub type Problem = String;

fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(s.try_into().ok()?))
}

fn le64(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(s.try_into().ok()?))
}

fn cstr(b: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let rest = b.get(at..)?;
    let end = rest.iter().position(|&c| c == 0)?;
    Some((rest.get(..end)?, end + 1))
}

/// ULEB128 at `*pos` (advancing it); None when truncated or longer than 10 bytes.
fn uleb(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..70).step_by(7) {
        let byte = *b.get(*pos)?;
        *pos += 1;
        if shift < 64 {
            v |= u64::from(byte & 0x7f) << shift;
        }
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// Symbol names of the chained-fixups imports table (the `LC_DYLD_CHAINED_FIXUPS` payload).
pub fn chained_imports(data: &[u8], max: usize) -> Result<Vec<String>, Problem> {
    let hdr = |at| le32(data, at).ok_or("chained fixups header truncated");
    let imports_offset = hdr(8)? as usize;
    let symbols_offset = hdr(12)? as usize;
    let count = hdr(16)? as usize;
    let format = hdr(20)?;
    let symbols_format = hdr(24)?;
    if symbols_format != 0 {
        return Err(format!(
            "compressed chained-fixup symbol names (format {symbols_format}) are not read"
        ));
    }
    let width = match format {
        1 => 4,
        2 => 8,
        3 => 16,
        f => return Err(format!("unknown chained-fixups imports format {f}")),
    };
    let available = data.len().saturating_sub(imports_offset) / width;
    if count > available {
        return Err(format!(
            "{count} imports declared but only {available} fit in the {}-byte table",
            data.len()
        ));
    }
    let symbols = data.get(symbols_offset..).unwrap_or_default();
    let mut out = Vec::new();
    for i in 0..count.min(max) {
        let at = imports_offset + i * width;
        let name_offset = if format == 3 {
            le64(data, at).map(|v| (v >> 32) as usize)
        } else {
            le32(data, at).map(|v| (v >> 9) as usize)
        };
        let Some((name, _)) = name_offset.and_then(|o| cstr(symbols, o)) else {
            return Err(format!("import {i} names a string outside the symbol pool"));
        };
        out.push(String::from_utf8_lossy(name).into_owned());
    }
    Ok(out)
}

/// Symbol names bound by a bind or lazy-bind opcode stream (`LC_DYLD_INFO`).
pub fn bind_symbols(ops: &[u8], max: usize) -> Result<Vec<String>, Problem> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let bad = |pos: usize| format!("bind opcodes truncated at offset {pos}");
    while let Some(&byte) = ops.get(pos) {
        pos += 1;
        let (op, imm) = (byte & 0xf0, byte & 0x0f);
        match op {
            0x00 | 0x10 | 0x30 | 0x50 | 0x90 | 0xb0 => {}
            0x20 | 0x60 | 0x70 | 0x80 | 0xa0 => {
                uleb(ops, &mut pos).ok_or_else(|| bad(pos))?;
            }
            0xc0 => {
                uleb(ops, &mut pos).ok_or_else(|| bad(pos))?;
                uleb(ops, &mut pos).ok_or_else(|| bad(pos))?;
            }
            0x40 => {
                let (name, used) = cstr(ops, pos).ok_or_else(|| bad(pos))?;
                pos += used;
                if out.len() < max {
                    out.push(String::from_utf8_lossy(name).into_owned());
                }
            }
            0xd0 => {
                if imm == 0 {
                    uleb(ops, &mut pos).ok_or_else(|| bad(pos))?;
                }
            }
            _ => {
                return Err(format!(
                    "unknown bind opcode 0x{byte:02x} at offset {}",
                    pos - 1
                ))
            }
        }
    }
    Ok(out)
}

/// Names exported by an export trie. Each node is visited once (cycles are cut and reported).
pub fn export_trie(trie: &[u8], max: usize) -> (Vec<String>, Option<Problem>) {
    let mut out = Vec::new();
    let mut visited = std::collections::HashSet::new();
    let mut stack: Vec<(usize, Vec<u8>)> = vec![(0, Vec::new())];
    let mut problem = None;
    while let Some((node, prefix)) = stack.pop() {
        if out.len() >= max {
            problem = Some(format!("more than {max} exports; the rest are not read"));
            break;
        }
        if !visited.insert(node) {
            problem = Some(format!("export trie node {node} is reached twice (cycle)"));
            continue;
        }
        let mut pos = node;
        let Some(terminal) = uleb(trie, &mut pos) else {
            problem = Some(format!("export trie node {node} is outside the trie"));
            continue;
        };
        if terminal > 0 {
            out.push(String::from_utf8_lossy(&prefix).into_owned());
        }
        let Some(children_at) = usize::try_from(terminal)
            .ok()
            .and_then(|t| pos.checked_add(t))
        else {
            continue;
        };
        let Some(&count) = trie.get(children_at) else {
            problem = Some(format!("export trie node {node} is truncated"));
            continue;
        };
        let mut at = children_at + 1;
        for _ in 0..count {
            let Some((edge, used)) = cstr(trie, at) else {
                problem = Some(format!("export trie edge at {at} is truncated"));
                break;
            };
            at += used;
            let Some(child) = uleb(trie, &mut at) else {
                problem = Some(format!("export trie edge at {at} is truncated"));
                break;
            };
            if prefix.len() + edge.len() > 4096 {
                problem = Some("export trie name longer than 4096 bytes".into());
                continue;
            }
            let mut name = prefix.clone();
            name.extend_from_slice(edge);
            if let Ok(c) = usize::try_from(child) {
                stack.push((c, name));
            }
        }
    }
    out.sort();
    (out, problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chained_imports_all_formats() {
        let pool = b"\0_objc_release\0_OBJC_CLASS_$_X\0";
        for format in [1u32, 2, 3] {
            let width = [4, 8, 16][format as usize - 1];
            let mut d = vec![0u8; 28];
            let imports_offset = 28u32;
            let symbols_offset = imports_offset + 2 * width as u32;
            for (i, v) in [0u32, 8, imports_offset, symbols_offset, 2, format, 0]
                .iter()
                .enumerate()
            {
                d[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
            }
            for name_off in [1u64, 15] {
                let mut rec = vec![0u8; width];
                if format == 3 {
                    rec[..8].copy_from_slice(&((name_off << 32) | 1).to_le_bytes());
                } else {
                    rec[..4].copy_from_slice(&(((name_off as u32) << 9) | 1).to_le_bytes());
                }
                d.extend(rec);
            }
            d.extend(pool);
            assert_eq!(
                chained_imports(&d, 100).unwrap(),
                vec!["_objc_release", "_OBJC_CLASS_$_X"],
                "format {format}"
            );
            assert!(chained_imports(&d[..d.len() - pool.len() - 1], 100).is_err());
        }
    }

    #[test]
    fn bind_opcode_names() {
        // SET_DYLIB_ORDINAL_IMM 1, SET_SYMBOL "_a", SET_TYPE 1, SET_SEGMENT_AND_OFFSET 2 0x10,
        // DO_BIND, SET_SYMBOL "_b", DO_BIND_ULEB_TIMES_SKIPPING_ULEB 3 8, DONE
        let ops = b"\x11\x40_a\0\x51\x72\x10\x90\x40_b\0\xc0\x03\x08\x00";
        assert_eq!(bind_symbols(ops, 10).unwrap(), vec!["_a", "_b"]);
        assert!(bind_symbols(b"\x40_a", 10).is_err());
        assert!(bind_symbols(b"\xe0", 10).is_err());
    }

    #[test]
    fn export_trie_names_and_cycles() {
        // root: not terminal, 2 children "_a" -> 8, "_b" -> 12
        let mut t = vec![0u8, 2];
        t.extend(b"_a\0\x0b_b\0\x0f");
        t.resize(11, 0);
        t.extend([2, 0, 0x10, 0]); // node at 11: terminal size 2 (flags 0, addr 0x10), 0 children
        t.extend([2, 0, 0x20, 1]); // node at 15: terminal, 1 child
        t.extend(b"x\0\x00"); // child edge "x" back to root: a cycle
        let (names, problem) = export_trie(&t, 100);
        assert_eq!(names, vec!["_a", "_b"]);
        assert!(problem.unwrap().contains("cycle"));
    }
}
