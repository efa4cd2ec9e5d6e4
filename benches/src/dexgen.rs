//! A small DEX writer for benchmark inputs: header (adler32 checksum, SHA-1 signature), sorted
//! string/type/proto/method id tables, class defs with `class_data_item`s and code items holding
//! `invoke-static` instructions, and a `map_list`. Written from the DEX format specification;
//! only what the generator needs (no fields, annotations, debug info or try blocks).

use std::collections::{BTreeSet, HashMap};

use sha1::{Digest, Sha1};

/// One method a class defines: its name, proto, and the methods its code invokes.
#[derive(Debug, Clone)]
pub struct MethodSpec {
    pub name: String,
    /// Proto index into [`DexSpec::protos`].
    pub proto: usize,
    /// Invoked methods: (class descriptor, name, proto index).
    pub invokes: Vec<(String, String, usize)>,
}

/// One class the DEX defines (superclass `java.lang.Object`).
#[derive(Debug, Clone)]
pub struct ClassSpec {
    /// Type descriptor, `Lcom/a/B;`.
    pub descriptor: String,
    pub methods: Vec<MethodSpec>,
}

/// A prototype: (return type descriptor, parameter type descriptors).
pub type Proto = (String, Vec<String>);

#[derive(Debug, Clone, Default)]
pub struct DexSpec {
    pub classes: Vec<ClassSpec>,
    pub protos: Vec<Proto>,
    /// Extra string constants (URLs, class names used by reflection).
    pub strings: Vec<String>,
}

const OBJECT: &str = "Ljava/lang/Object;";
const NO_INDEX: u32 = 0xffff_ffff;
const ACC_PUBLIC: u32 = 0x1;
const ACC_STATIC: u32 = 0x8;
const ACC_CONSTRUCTOR: u32 = 0x1_0000;

fn shorty_char(desc: &str) -> char {
    match desc.as_bytes().first() {
        Some(b'L') | Some(b'[') => 'L',
        Some(&c) => c as char,
        None => 'V',
    }
}

fn shorty(p: &Proto) -> String {
    std::iter::once(shorty_char(&p.0))
        .chain(p.1.iter().map(|d| shorty_char(d)))
        .collect()
}

fn uleb(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn align4(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

fn put32(out: &mut [u8], at: usize, v: u32) {
    out[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// Serialise a DEX file (version 035). Strings are expected to be ASCII (their byte order is
/// then the UTF-16 order the format requires). Panics if a table exceeds the format's 16-bit
/// indices (more than 65,536 types, protos or methods), which is a generator bug.
pub fn write_dex(spec: &DexSpec) -> Vec<u8> {
    // ---- strings
    let mut strings: BTreeSet<&str> = BTreeSet::new();
    let mut types: BTreeSet<&str> = BTreeSet::new();
    types.insert(OBJECT);
    let shorties: Vec<String> = spec.protos.iter().map(shorty).collect();
    for (p, s) in spec.protos.iter().zip(&shorties) {
        types.insert(&p.0);
        for t in &p.1 {
            types.insert(t);
        }
        strings.insert(s);
    }
    for c in &spec.classes {
        types.insert(&c.descriptor);
        for m in &c.methods {
            strings.insert(&m.name);
            for (cls, name, _) in &m.invokes {
                types.insert(cls);
                strings.insert(name);
            }
        }
    }
    for t in &types {
        strings.insert(t);
    }
    for s in &spec.strings {
        strings.insert(s);
    }
    let strings: Vec<&str> = strings.into_iter().collect();
    let sidx: HashMap<&str, u32> = strings
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i as u32))
        .collect();
    // type_ids sorted by string index == sorted by descriptor.
    let types: Vec<&str> = types.into_iter().collect();
    assert!(types.len() <= 65_536, "too many types for one DEX");
    let tidx: HashMap<&str, u32> = types
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i as u32))
        .collect();

    // ---- protos, sorted by (return type, parameter type lists)
    let mut proto_keys: Vec<(u32, Vec<u32>, u32, usize)> = spec
        .protos
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                tidx[p.0.as_str()],
                p.1.iter().map(|t| tidx[t.as_str()]).collect(),
                sidx[shorties[i].as_str()],
                i,
            )
        })
        .collect();
    proto_keys.sort();
    let mut pidx = vec![0u32; spec.protos.len()];
    for (new, k) in proto_keys.iter().enumerate() {
        pidx[k.3] = new as u32;
    }

    // ---- methods, sorted by (class, name, proto)
    let mut method_keys: BTreeSet<(u32, u32, u32)> = BTreeSet::new();
    let key = |cls: &str, name: &str, proto: usize| (tidx[cls], sidx[name], pidx[proto]);
    for c in &spec.classes {
        for m in &c.methods {
            method_keys.insert(key(&c.descriptor, &m.name, m.proto));
            for (cls, name, proto) in &m.invokes {
                method_keys.insert(key(cls, name, *proto));
            }
        }
    }
    let methods: Vec<(u32, u32, u32)> = method_keys.into_iter().collect();
    assert!(methods.len() <= 65_536, "too many methods for one DEX");
    let midx: HashMap<(u32, u32, u32), u32> = methods
        .iter()
        .enumerate()
        .map(|(i, k)| (*k, i as u32))
        .collect();

    // ---- layout: header, ids, class defs, then data
    let header_size = 0x70usize;
    let string_ids_off = header_size;
    let type_ids_off = string_ids_off + 4 * strings.len();
    let proto_ids_off = type_ids_off + 4 * types.len();
    let method_ids_off = proto_ids_off + 12 * spec.protos.len();
    let class_defs_off = method_ids_off + 8 * methods.len();
    let data_off = class_defs_off + 32 * spec.classes.len();

    let mut out = vec![0u8; data_off];
    let mut map: Vec<(u16, u32, u32)> = vec![(0x0000, 1, 0)];
    if !strings.is_empty() {
        map.push((0x0001, strings.len() as u32, string_ids_off as u32));
    }
    if !types.is_empty() {
        map.push((0x0002, types.len() as u32, type_ids_off as u32));
    }
    if !spec.protos.is_empty() {
        map.push((0x0003, spec.protos.len() as u32, proto_ids_off as u32));
    }
    if !methods.is_empty() {
        map.push((0x0005, methods.len() as u32, method_ids_off as u32));
    }
    if !spec.classes.is_empty() {
        map.push((0x0006, spec.classes.len() as u32, class_defs_off as u32));
    }

    // code items (4-aligned), one per method, in class then method order
    let mut code_offs: Vec<Vec<u32>> = Vec::with_capacity(spec.classes.len());
    let code_start = out.len();
    let mut code_count = 0u32;
    for c in &spec.classes {
        let mut offs = Vec::with_capacity(c.methods.len());
        for m in &c.methods {
            align4(&mut out);
            offs.push(out.len() as u32);
            code_count += 1;
            let is_init = m.name == "<init>";
            let ins = u16::from(is_init);
            let insns_size = (m.invokes.len() * 3 + 1) as u32;
            out.extend_from_slice(&1u16.to_le_bytes()); // registers_size
            out.extend_from_slice(&ins.to_le_bytes()); // ins_size
            out.extend_from_slice(&0u16.to_le_bytes()); // outs_size
            out.extend_from_slice(&0u16.to_le_bytes()); // tries_size
            out.extend_from_slice(&0u32.to_le_bytes()); // debug_info_off
            out.extend_from_slice(&insns_size.to_le_bytes());
            for (cls, name, proto) in &m.invokes {
                let target = midx[&key(cls, name, *proto)];
                // invoke-static {} (format 35c, no arguments), method@target
                out.extend_from_slice(&0x0071u16.to_le_bytes());
                out.extend_from_slice(&(target as u16).to_le_bytes());
                out.extend_from_slice(&0u16.to_le_bytes());
            }
            out.extend_from_slice(&0x000eu16.to_le_bytes()); // return-void
        }
        code_offs.push(offs);
    }
    if code_count > 0 {
        map.push((0x2001, code_count, code_start as u32));
    }

    // type lists for proto parameters (4-aligned), deduplicated
    align4(&mut out);
    let tl_start = out.len();
    let mut type_lists: HashMap<Vec<u32>, u32> = HashMap::new();
    for k in &proto_keys {
        if k.1.is_empty() || type_lists.contains_key(&k.1) {
            continue;
        }
        align4(&mut out);
        type_lists.insert(k.1.clone(), out.len() as u32);
        out.extend_from_slice(&(k.1.len() as u32).to_le_bytes());
        for t in &k.1 {
            out.extend_from_slice(&(*t as u16).to_le_bytes());
        }
    }
    if !type_lists.is_empty() {
        map.push((0x1001, type_lists.len() as u32, tl_start as u32));
    }

    // string data
    let sd_start = out.len();
    let mut string_offs = Vec::with_capacity(strings.len());
    for s in &strings {
        string_offs.push(out.len() as u32);
        uleb(&mut out, s.len() as u32);
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    }
    if !strings.is_empty() {
        map.push((0x2002, strings.len() as u32, sd_start as u32));
    }

    // class data
    let cd_start = out.len();
    let mut class_data_offs = Vec::with_capacity(spec.classes.len());
    for (c, offs) in spec.classes.iter().zip(&code_offs) {
        class_data_offs.push(out.len() as u32);
        let mut ms: Vec<(u32, &MethodSpec, u32)> = c
            .methods
            .iter()
            .zip(offs)
            .map(|(m, off)| (midx[&key(&c.descriptor, &m.name, m.proto)], m, *off))
            .collect();
        ms.sort_by_key(|m| m.0);
        ms.dedup_by_key(|m| m.0);
        uleb(&mut out, 0); // static fields
        uleb(&mut out, 0); // instance fields
        uleb(&mut out, ms.len() as u32); // direct methods
        uleb(&mut out, 0); // virtual methods
        let mut prev = 0u32;
        for (i, (idx, m, off)) in ms.iter().enumerate() {
            uleb(&mut out, if i == 0 { *idx } else { idx - prev });
            prev = *idx;
            let flags = if m.name == "<init>" {
                ACC_PUBLIC | ACC_CONSTRUCTOR
            } else {
                ACC_PUBLIC | ACC_STATIC
            };
            uleb(&mut out, flags);
            uleb(&mut out, *off);
        }
    }
    if !spec.classes.is_empty() {
        map.push((0x2000, spec.classes.len() as u32, cd_start as u32));
    }

    // map list
    align4(&mut out);
    let map_off = out.len();
    map.push((0x1000, 1, map_off as u32));
    out.extend_from_slice(&(map.len() as u32).to_le_bytes());
    for (ty, size, off) in &map {
        out.extend_from_slice(&ty.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&off.to_le_bytes());
    }

    // ---- id tables
    for (i, off) in string_offs.iter().enumerate() {
        put32(&mut out, string_ids_off + 4 * i, *off);
    }
    for (i, t) in types.iter().enumerate() {
        put32(&mut out, type_ids_off + 4 * i, sidx[t]);
    }
    for (i, k) in proto_keys.iter().enumerate() {
        let at = proto_ids_off + 12 * i;
        put32(&mut out, at, k.2);
        put32(&mut out, at + 4, k.0);
        put32(&mut out, at + 8, type_lists.get(&k.1).copied().unwrap_or(0));
    }
    for (i, (c, n, p)) in methods.iter().enumerate() {
        let at = method_ids_off + 8 * i;
        out[at..at + 2].copy_from_slice(&(*c as u16).to_le_bytes());
        out[at + 2..at + 4].copy_from_slice(&(*p as u16).to_le_bytes());
        put32(&mut out, at + 4, *n);
    }
    for (i, c) in spec.classes.iter().enumerate() {
        let at = class_defs_off + 32 * i;
        put32(&mut out, at, tidx[c.descriptor.as_str()]);
        put32(&mut out, at + 4, ACC_PUBLIC);
        put32(&mut out, at + 8, tidx[OBJECT]);
        put32(&mut out, at + 12, 0); // interfaces
        put32(&mut out, at + 16, NO_INDEX); // source file
        put32(&mut out, at + 20, 0); // annotations
        put32(
            &mut out,
            at + 24,
            if c.methods.is_empty() {
                0
            } else {
                class_data_offs[i]
            },
        );
        put32(&mut out, at + 28, 0); // static values
    }

    // ---- header
    let file_size = out.len();
    out[0..8].copy_from_slice(b"dex\n035\0");
    put32(&mut out, 0x20, file_size as u32);
    put32(&mut out, 0x24, header_size as u32);
    put32(&mut out, 0x28, 0x1234_5678);
    put32(&mut out, 0x34, map_off as u32);
    let tables = [
        (strings.len(), string_ids_off),
        (types.len(), type_ids_off),
        (spec.protos.len(), proto_ids_off),
        (0, 0),
        (methods.len(), method_ids_off),
        (spec.classes.len(), class_defs_off),
    ];
    for (i, (n, off)) in tables.iter().enumerate() {
        put32(&mut out, 0x38 + 8 * i, *n as u32);
        put32(
            &mut out,
            0x3c + 8 * i,
            if *n == 0 { 0 } else { *off as u32 },
        );
    }
    put32(&mut out, 0x68, (file_size - data_off) as u32);
    put32(&mut out, 0x6c, data_off as u32);
    let sig = Sha1::digest(&out[32..]);
    out[12..32].copy_from_slice(&sig);
    let sum = appvet_dex::adler32(&out[12..]);
    put32(&mut out, 8, sum);
    out
}
