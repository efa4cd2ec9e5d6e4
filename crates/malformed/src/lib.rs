//! Malformed and hostile packages, generated from the project's own fixtures (built by
//! `fixtures/*/build.sh`) and from scratch: nothing here is taken from elsewhere, and nothing
//! generated is committed. Test helper for `appvet-scan`'s corpus tests and `appvet`'s batch
//! test; each [`Case`] says what a correct scanner does with it ([`Expect`]).
//!
//! Families (the name's prefix): `zip.` truncated archives, bad central directories and EOCDs,
//! overlapping and duplicate entries, huge declared sizes, deflate bombs (high ratio, lying
//! sizes, nested in a split bundle); `axml.` chunk-size, string-pool and namespace tricks,
//! unknown chunks Android skips, attributes without names, deep nesting; `dex.` bad offsets and
//! huge counts (checksums recomputed, so the trick itself is what the reader meets); `macho.`
//! bad load-command sizes and counts, symbol tables out of range, fat files with overlapping or
//! out-of-range slices; `plist.` self-referencing and huge binary plists, deep and wide XML
//! plists; `cms.` garbage, truncated and deeply nested DER in JAR signatures, provisioning
//! profiles and code signatures, broken APK Signing Blocks.

pub mod zipw;

use std::path::{Path, PathBuf};
use zipw::{get32, put16, put32, ZEntry};

/// What a correct scanner gives for a [`Case`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// An error whose message contains this text.
    Error(&'static str),
    /// A (partial) scan with an anomaly whose code starts with this.
    Anomaly(&'static str),
    /// A scan, anomalies or not (a trick Android itself accepts).
    Scans,
    /// A scan with an anomaly, or an error: both are right, never a panic or a hang.
    Handled,
}

#[derive(Clone, Debug)]
pub struct Case {
    /// `family.what` (also a file name: no `/`).
    pub name: String,
    /// The package's file extension (`apk`, `apks`, `ipa`).
    pub ext: &'static str,
    pub bytes: Vec<u8>,
    pub expect: Expect,
}

/// The repository's `fixtures/` directory.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn fixture(rel: &str) -> Vec<u8> {
    let p = fixtures_dir().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A fixture's entries, in order (directories included).
fn entries(data: &[u8]) -> Vec<ZEntry> {
    let limits = appvet_model::Limits::default();
    let archive = appvet_zip::Archive::parse(data, &limits).expect("fixture is a zip");
    archive
        .entries()
        .iter()
        .map(|e| {
            let bytes = archive.read(e).expect("fixture entry").into_owned();
            let mut z = ZEntry::new(&e.name, bytes);
            z.deflate = e.method == 8;
            z
        })
        .collect()
}

fn replace(mut es: Vec<ZEntry>, name: &str, data: Vec<u8>) -> Vec<ZEntry> {
    let e = es
        .iter_mut()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no {name}"));
    e.data = data;
    es
}

fn entry(es: &[ZEntry], name: &str) -> Vec<u8> {
    es.iter()
        .find(|e| e.name == name)
        .map(|e| e.data.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

/// A small deterministic generator (Knuth's MMIX LCG, high bits), also for the parser
/// crates' mutation tests: `Lcg(seed)`.
pub struct Lcg(pub u64);
impl Lcg {
    /// The next 31-bit value.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    /// `n` pseudo-random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

struct Corpus(Vec<Case>);
impl Corpus {
    fn add(&mut self, name: &str, ext: &'static str, bytes: Vec<u8>, expect: Expect) {
        self.0.push(Case {
            name: name.to_string(),
            ext,
            bytes,
            expect,
        });
    }
}

/// Every malformed package, in a fixed order (the same bytes on every call).
pub fn corpus() -> Vec<Case> {
    let mut c = Corpus(Vec::new());
    zips(&mut c);
    bombs(&mut c);
    axml(&mut c);
    dex(&mut c);
    macho(&mut c);
    plists(&mut c);
    cms(&mut c);
    wxapkg(&mut c);
    harmony(&mut c);
    c.0
}

// ------------------------------------------------------------------ zip

fn zips(c: &mut Corpus) {
    use Expect::*;
    let es = entries(&fixture("android/clean.apk"));
    let (base, lay) = zipw::write(&es, &[]);
    c.add("zip.rewritten", "apk", base.clone(), Scans);
    for (what, n) in [
        ("empty", 0),
        ("magic-only", 4),
        ("half", base.len() / 2),
        ("no-eocd", lay.eocd),
        ("cd-half", lay.cd_offset + (lay.eocd - lay.cd_offset) / 2),
        ("last-byte", base.len() - 1),
    ] {
        let e = if n < 4 {
            Error("neither a zip archive")
        } else {
            Error("")
        };
        c.add(
            &format!("zip.truncated-{what}"),
            "apk",
            base[..n].to_vec(),
            e,
        );
    }
    let eocd = lay.eocd;
    let mut b = base.clone();
    put32(&mut b, eocd + 16, base.len() as u32 + 100);
    c.add(
        "zip.cd-offset-past-end",
        "apk",
        b,
        Error("central directory"),
    );
    let mut b = base.clone();
    put32(&mut b, eocd + 12, 0xffff_fff0);
    c.add("zip.cd-size-huge", "apk", b, Error(""));
    let mut b = base.clone();
    put32(&mut b, eocd + 16, 0);
    c.add("zip.cd-offset-zero", "apk", b, Handled);
    let mut b = base.clone();
    put16(&mut b, eocd + 8, 0xffff);
    put16(&mut b, eocd + 10, 0xffff);
    c.add(
        "zip.entry-count-lies",
        "apk",
        b,
        Anomaly("zip.entry-count-mismatch"),
    );
    let mut b = base.clone();
    put16(&mut b, eocd + 20, 500);
    c.add("zip.eocd-comment-past-end", "apk", b, Anomaly("zip."));
    let mut b = base.clone();
    b.extend_from_slice(&base[eocd..]);
    c.add("zip.two-eocds", "apk", b, Anomaly("zip."));
    let mut b = base.clone();
    put32(&mut b, lay.central[0], 0xdead_beef);
    c.add("zip.cd-record-bad-signature", "apk", b, Handled);
    let mut b = base.clone();
    put16(&mut b, lay.central[0] + 28, 0xffff);
    c.add("zip.cd-name-length-huge", "apk", b, Handled);
    let mut b = base.clone();
    put32(&mut b, lay.central[0] + 42, 0x7fff_ffff);
    c.add("zip.local-offset-past-end", "apk", b, Handled);
    let mut b = base.clone();
    put32(&mut b, lay.central[2] + 42, lay.cd_offset as u32);
    c.add("zip.local-offset-at-cd", "apk", b, Anomaly("zip."));
    let mut b = base.clone();
    put32(&mut b, lay.local[0], 0);
    c.add("zip.local-header-bad-signature", "apk", b, Handled);
    // Overlapping entries: a second name for the manifest's bytes (a zip's "overlapping files").
    let mut b = base.clone();
    let first = base[lay.central[0]..lay.central[1]].to_vec();
    let mut extra = first.clone();
    let other = format!("assets/{}", "o".repeat(first.len() - 46 - 7));
    extra[46..].copy_from_slice(other.as_bytes());
    let cd_size = get32(&b, eocd + 12) + extra.len() as u32;
    b.splice(eocd..eocd, extra);
    let eocd2 = eocd + first.len();
    let n = (es.len() + 1) as u16;
    put16(&mut b, eocd2 + 8, n);
    put16(&mut b, eocd2 + 10, n);
    put32(&mut b, eocd2 + 12, cd_size);
    c.add("zip.overlapping-entries", "apk", b, Anomaly("zip."));
    // Duplicate names: a second, garbage manifest after the real one.
    let mut dup = es.clone();
    dup.push(ZEntry::new(
        "AndroidManifest.xml",
        b"not binary xml".to_vec(),
    ));
    c.add(
        "zip.duplicate-manifest",
        "apk",
        zipw::write(&dup, &[]).0,
        Anomaly("zip.duplicate-entry"),
    );
    let mut dup = es.clone();
    dup.insert(
        0,
        ZEntry::new("AndroidManifest.xml", b"\x03\x00\x08\x00garbage".to_vec()),
    );
    c.add(
        "zip.duplicate-manifest-bad-first",
        "apk",
        zipw::write(&dup, &[]).0,
        Handled,
    );
    // Names Android would refuse to extract.
    let mut odd = es.clone();
    for n in [
        "../../evil.so",
        "/abs/path",
        "lib\\x86\\a.so",
        "a\u{0}b",
        "ctl\u{1b}[2J",
        "",
    ] {
        odd.push(ZEntry::new(n, b"x".to_vec()));
    }
    c.add(
        "zip.suspicious-names",
        "apk",
        zipw::write(&odd, &[]).0,
        Anomaly("zip.suspicious-name"),
    );
    // Methods and flags.
    let mut b = base.clone();
    put16(&mut b, lay.central[0] + 10, 99);
    put16(&mut b, lay.local[0] + 8, 99);
    c.add("zip.unknown-method", "apk", b, Handled);
    let mut b = base.clone();
    put16(&mut b, lay.central[0] + 8, 0x0801);
    c.add(
        "zip.encrypted-flag",
        "apk",
        b,
        Anomaly("zip.encryption-flag"),
    );
    // Huge declared sizes.
    let mut b = base.clone();
    put32(&mut b, lay.central[2] + 24, 0xffff_ffff);
    c.add("zip.dex-declared-4g", "apk", b, Anomaly("dex.unreadable"));
    let mut b = base.clone();
    put32(&mut b, lay.central[0] + 24, 0xffff_ffff);
    c.add(
        "zip.manifest-declared-4g",
        "apk",
        b,
        Error("limit exceeded"),
    );
    let mut b = base.clone();
    put32(&mut b, lay.central[0] + 20, 0xffff_ffff);
    c.add("zip.manifest-compressed-4g", "apk", b, Handled);
    // Prefix data (a polyglot).
    let mut b = b"#!/bin/sh\necho polyglot\n".to_vec();
    let pre = b.len() as u32;
    let (shifted, _) = zipw::write(&es, &[]);
    b.extend_from_slice(&shifted);
    c.add("zip.prefix-data-uncorrected", "apk", b, Handled);
    let _ = pre;
}

fn bombs(c: &mut Corpus) {
    use Expect::*;
    let es = entries(&fixture("android/clean.apk"));
    // 32 MiB of zeros deflate ~1030:1, over the 1000:1 ratio limit.
    let zeros = vec![0u8; 32 << 20];
    let packed = zipw::deflate(&zeros);
    let mut bomb = ZEntry::new("classes2.dex", Vec::new());
    bomb.raw = Some(packed.clone());
    bomb.declared_size = Some(zeros.len() as u32);
    // CRC of the real content, so only the ratio is wrong.
    let mut with_bomb = es.clone();
    with_bomb.push(ZEntry {
        data: zeros.clone(),
        ..bomb.clone()
    });
    let (apk, _) = zipw::write(&with_bomb, &[]);
    c.add(
        "zip.bomb-ratio-dex",
        "apk",
        apk.clone(),
        Anomaly("dex.unreadable"),
    );
    // The manifest itself a bomb: the package cannot be read.
    let mut m = es.clone();
    m[0] = ZEntry {
        name: "AndroidManifest.xml".into(),
        data: zeros.clone(),
        ..bomb.clone()
    };
    c.add(
        "zip.bomb-ratio-manifest",
        "apk",
        zipw::write(&m, &[]).0,
        Error("compression ratio"),
    );
    // Lying sizes: declared 64 KiB, inflates to 32 MiB.
    let mut liar = with_bomb.clone();
    if let Some(l) = liar.last_mut() {
        l.declared_size = Some(64 << 10);
    }
    c.add(
        "zip.bomb-declared-small",
        "apk",
        zipw::write(&liar, &[]).0,
        Anomaly("dex.unreadable"),
    );
    // Nested: the bomb APK as a split of a split bundle.
    let mut outer = vec![ZEntry::new("base.apk", apk)];
    outer[0].deflate = true;
    c.add(
        "zip.bomb-nested-in-apks",
        "apks",
        zipw::write(&outer, &[]).0,
        Handled,
    );
    // Containers nested deeper than the limit: apks in apks in apks.
    let (inner, _) = zipw::write(&es, &[]);
    let mut level = inner;
    for _ in 0..4 {
        let mut z = ZEntry::new("base.apk", level);
        z.deflate = true;
        let mut l = vec![z];
        l.push(ZEntry::new("nested.apks", l[0].data.clone()));
        level = zipw::write(&l, &[]).0;
    }
    c.add("zip.nested-splits", "apks", level, Handled);
    // Many tiny DEX files.
    let mut many = es.clone();
    let dex = entry(&es, "classes.dex");
    for i in 2..400 {
        many.push(ZEntry::new(&format!("classes{i}.dex"), dex.clone()));
    }
    c.add("zip.many-dex", "apk", zipw::write(&many, &[]).0, Scans);
    // Many entries.
    let mut wide = es.clone();
    for i in 0..20_000 {
        wide.push(ZEntry::new(&format!("assets/{i}"), Vec::new()));
    }
    c.add(
        "zip.twenty-thousand-entries",
        "apk",
        zipw::write(&wide, &[]).0,
        Scans,
    );
}

// ------------------------------------------------------------------ AXML

/// Offsets of the chunks after the file header, with their types.
fn chunks(x: &[u8]) -> Vec<(usize, u16)> {
    let mut out = Vec::new();
    let mut p = 8;
    while p + 8 <= x.len() {
        let ty = u16::from_le_bytes([x[p], x[p + 1]]);
        let size = get32(x, p + 4) as usize;
        out.push((p, ty));
        if size < 8 {
            break;
        }
        p += size;
    }
    out
}

fn first(x: &[u8], ty: u16) -> usize {
    chunks(x)
        .into_iter()
        .find(|&(_, t)| t == ty)
        .map(|(p, _)| p)
        .unwrap_or_else(|| panic!("no chunk {ty:#x}"))
}

fn axml(c: &mut Corpus) {
    use Expect::*;
    let es = entries(&fixture("android/clean.apk"));
    let man = entry(&es, "AndroidManifest.xml");
    let mut add = |name: &str, m: Vec<u8>, e: Expect| {
        let b = zipw::write(&replace(es.clone(), "AndroidManifest.xml", m), &[]).0;
        c.add(name, "apk", b, e);
    };
    let pool = first(&man, 0x0001);
    let ns = first(&man, 0x0100);
    let el = first(&man, 0x0102);
    let mut m = man.clone();
    put32(&mut m, 4, 0xffff_ffff);
    add("axml.file-size-huge", m, Handled);
    let mut m = man.clone();
    put32(&mut m, 4, 8);
    add("axml.file-size-header-only", m, Handled);
    let mut m = man.clone();
    put32(&mut m, pool + 4, 0x7fff_fff0);
    add("axml.pool-size-huge", m, Handled);
    let mut m = man.clone();
    put32(&mut m, pool + 8, 0x7fff_ffff);
    add("axml.pool-count-huge", m, Handled);
    let mut m = man.clone();
    put32(&mut m, pool + 20, 0xffff_0000);
    add("axml.pool-strings-start-past-end", m, Handled);
    let mut m = man.clone();
    put32(&mut m, pool + 28, 0xffff_ff00);
    add("axml.pool-first-offset-past-end", m, Handled);
    let mut m = man.clone();
    let strings_start = pool + get32(&man, pool + 20) as usize;
    // The first string's length says 0x7fff characters (UTF-16: two bytes at its start).
    put16(&mut m, strings_start, 0x7fff);
    add("axml.string-length-lies", m, Handled);
    // An unknown chunk between the pool and the rest: Android skips it.
    let mut m = man.clone();
    let after_pool = pool + get32(&man, pool + 4) as usize;
    let mut unk = Vec::new();
    unk.extend_from_slice(&0x0777u16.to_le_bytes());
    unk.extend_from_slice(&8u16.to_le_bytes());
    unk.extend_from_slice(&24u32.to_le_bytes());
    unk.extend_from_slice(&[0xAA; 16]);
    m.splice(after_pool..after_pool, unk);
    let total = m.len() as u32;
    put32(&mut m, 4, total);
    add("axml.unknown-chunk-skipped", m, Scans);
    // A chunk whose size is 0 (a naive reader loops forever) or not a multiple of 4.
    let mut m = man.clone();
    put32(&mut m, el + 4, 0);
    add("axml.element-size-zero", m, Handled);
    let mut m = man.clone();
    put32(&mut m, el + 4, 3);
    add("axml.element-size-three", m, Handled);
    let mut m = man.clone();
    put32(&mut m, el + 4, 0xffff_fff0);
    add("axml.element-size-huge", m, Handled);
    // Namespace games: a start namespace turned into an end namespace.
    let mut m = man.clone();
    put16(&mut m, ns, 0x0101);
    add("axml.namespace-end-without-start", m, Scans);
    let mut m = man.clone();
    put32(&mut m, ns + 20, 0xffff_fffe);
    add("axml.namespace-uri-out-of-range", m, Scans);
    // Attributes: without a name, a count past the chunk, a start past the chunk.
    let attr0 = el + 16 + 20;
    let mut m = man.clone();
    put32(&mut m, attr0 + 4, 0xffff_ffff);
    add("axml.attribute-without-name", m, Scans);
    let mut m = man.clone();
    put32(&mut m, attr0 + 4, 0x00ff_ffff);
    add("axml.attribute-name-out-of-range", m, Handled);
    let mut m = man.clone();
    put16(&mut m, el + 16 + 12, 0xffff);
    add("axml.attribute-count-huge", m, Handled);
    let mut m = man.clone();
    put16(&mut m, el + 16 + 8, 0xfff0);
    add("axml.attribute-start-huge", m, Handled);
    let mut m = man.clone();
    put16(&mut m, el + 16 + 10, 2);
    add("axml.attribute-size-tiny", m, Handled);
    // Typed values that lie: a string reference out of the pool, an unknown type.
    let mut m = man.clone();
    m[attr0 + 15] = 0x03;
    put32(&mut m, attr0 + 16, 0xffff_ff00);
    add("axml.attribute-string-out-of-range", m, Handled);
    let mut m = man.clone();
    m[attr0 + 15] = 0xee;
    add("axml.attribute-unknown-type", m, Handled);
    // Deep nesting: the manifest element's start chunk repeated 50 000 times, never closed.
    let el_size = get32(&man, el + 4) as usize;
    let mut m = man[..el + el_size].to_vec();
    for _ in 0..50_000 {
        m.extend_from_slice(&man[el..el + el_size]);
    }
    let total = m.len() as u32;
    put32(&mut m, 4, total);
    add("axml.deep-unclosed-elements", m, Handled);
    // Not AXML at all.
    add("axml.empty", Vec::new(), Error(""));
    add(
        "axml.text-xml",
        b"<?xml version=\"1.0\"?><manifest package=\"a.b\"/>".to_vec(),
        Handled,
    );
    add("axml.random", Lcg(1).bytes(4096), Error(""));
    add(
        "axml.truncated-half",
        man[..man.len() / 2].to_vec(),
        Handled,
    );
    // resources.arsc garbage: the label cannot be resolved, the rest is read.
    let b = zipw::write(
        &replace(es.clone(), "resources.arsc", Lcg(2).bytes(2048)),
        &[],
    )
    .0;
    c.add("axml.arsc-random", "apk", b, Handled);
    let arsc = entry(&es, "resources.arsc");
    let mut a = arsc.clone();
    put32(&mut a, 8, 0xffff);
    let b = zipw::write(&replace(es.clone(), "resources.arsc", a), &[]).0;
    c.add("axml.arsc-package-count-huge", "apk", b, Handled);
    let mut a = arsc;
    put32(&mut a, 4, 0x10);
    let b = zipw::write(&replace(es, "resources.arsc", a), &[]).0;
    c.add("axml.arsc-size-short", "apk", b, Handled);
}

// ------------------------------------------------------------------ DEX

fn fix_dex_checksum(d: &mut [u8]) {
    if d.len() > 12 {
        let sum = adler32(&d[12..]);
        put32(d, 8, sum);
    }
}

fn adler32(b: &[u8]) -> u32 {
    let (mut a, mut s) = (1u32, 0u32);
    for &x in b {
        a = (a + u32::from(x)) % 65521;
        s = (s + a) % 65521;
    }
    (s << 16) | a
}

fn dex(c: &mut Corpus) {
    use Expect::*;
    let es = entries(&fixture("android/clean.apk"));
    let dex = entry(&es, "classes.dex");
    let mut add = |name: &str, mut d: Vec<u8>, e: Expect| {
        fix_dex_checksum(&mut d);
        let b = zipw::write(&replace(es.clone(), "classes.dex", d), &[]).0;
        c.add(name, "apk", b, e);
    };
    let len = dex.len() as u32;
    for (name, at, v, e) in [
        (
            "dex.string-ids-count-huge",
            56,
            0xffff_ffff,
            Anomaly("dex.unreadable"),
        ),
        (
            "dex.string-ids-count-past-limit",
            56,
            5_000_000,
            Anomaly("dex.unreadable"),
        ),
        (
            "dex.string-ids-off-past-end",
            60,
            len + 16,
            Anomaly("dex.unreadable"),
        ),
        (
            "dex.type-ids-count-huge",
            64,
            0x0fff_ffff,
            Anomaly("dex.unreadable"),
        ),
        (
            "dex.type-ids-off-past-end",
            68,
            0xffff_fff0,
            Anomaly("dex.unreadable"),
        ),
        (
            "dex.proto-ids-count-huge",
            72,
            0x00ff_ffff,
            Anomaly("dex.unreadable"),
        ),
        ("dex.field-ids-off-past-end", 84, len, Scans),
        (
            "dex.method-ids-count-huge",
            88,
            0x00ff_ffff,
            Anomaly("dex.unreadable"),
        ),
        ("dex.method-ids-off-odd", 92, 3, Handled),
        (
            "dex.class-defs-count-huge",
            96,
            0x7fff_ffff,
            Anomaly("dex.unreadable"),
        ),
        ("dex.class-defs-at-header", 100, 0, Handled),
        ("dex.map-off-past-end", 52, 0xffff_fff0, Scans),
        ("dex.file-size-lies", 32, 0x7fff_ffff, Handled),
        ("dex.header-size-zero", 36, 0, Handled),
        ("dex.endian-reversed", 40, 0x7856_3412, Handled),
        ("dex.data-off-past-end", 108, 0xffff_0000, Scans),
    ] {
        let mut d = dex.clone();
        put32(&mut d, at, v);
        add(name, d, e);
    }
    // The first string's data offset, the first class's data offset past the end.
    let sid = get32(&dex, 60) as usize;
    let mut d = dex.clone();
    put32(&mut d, sid, 0xffff_fff0);
    add("dex.string-data-off-past-end", d, Handled);
    let cdefs = get32(&dex, 100) as usize;
    let mut d = dex.clone();
    put32(&mut d, cdefs + 24, 0xffff_fff0);
    add("dex.class-data-off-past-end", d, Handled);
    let mut d = dex.clone();
    put32(&mut d, cdefs, 0xffff_ff00);
    add("dex.class-type-out-of-range", d, Handled);
    let mut d = dex.clone();
    put32(&mut d, cdefs + 4 * 3, 0xffff_fff0);
    add("dex.interfaces-off-past-end", d, Scans);
    // A string whose MUTF-8 data never ends: 0xff to the end of the file.
    let mut d = dex.clone();
    let sdata = get32(&dex, sid) as usize;
    for b in d.iter_mut().skip(sdata) {
        *b = 0xff;
    }
    add("dex.string-data-unterminated", d, Handled);
    add("dex.header-only", dex[..0x70].to_vec(), Handled);
    add(
        "dex.magic-only",
        dex[..8].to_vec(),
        Anomaly("dex.unreadable"),
    );
    add("dex.truncated-half", dex[..dex.len() / 2].to_vec(), Handled);
    add("dex.random", Lcg(3).bytes(4096), Anomaly("dex.unreadable"));
}

// ------------------------------------------------------------------ Mach-O

fn macho(c: &mut Corpus) {
    use Expect::*;
    let es = entries(&fixture("ios/clean.ipa"));
    let exe = "Payload/Clean.app/Clean";
    let bin = entry(&es, exe);
    assert_eq!(get32(&bin, 0), 0xfeed_facf, "thin 64-bit executable");
    let mut add = |name: &str, m: Vec<u8>, e: Expect| {
        let b = zipw::write(&replace(es.clone(), exe, m), &[]).0;
        c.add(name, "ipa", b, e);
    };
    // Load commands, by type: offsets of the first of each.
    let ncmds = get32(&bin, 16) as usize;
    let mut cmds = Vec::new();
    let mut p = 32;
    for _ in 0..ncmds {
        cmds.push((p, get32(&bin, p)));
        p += get32(&bin, p + 4) as usize;
    }
    let cmd = |t: u32| cmds.iter().find(|&&(_, c)| c == t).map(|&(p, _)| p);
    for (name, at, v) in [
        ("macho.ncmds-huge", 16, 0xffff_ffff),
        ("macho.sizeofcmds-huge", 20, 0xffff_fff0),
        ("macho.sizeofcmds-zero", 20, 0),
        ("macho.first-cmdsize-zero", 36, 0),
        ("macho.first-cmdsize-three", 36, 3),
        ("macho.first-cmdsize-huge", 36, 0xffff_fff0),
    ] {
        let mut m = bin.clone();
        put32(&mut m, at, v);
        add(name, m, Anomaly("ios."));
    }
    let mut m = bin.clone();
    put32(&mut m, 4, 0x0100_0099);
    add("macho.unknown-cpu", m, Scans);
    if let Some(s) = cmd(0x2) {
        for (name, off, v) in [
            ("macho.symtab-nsyms-huge", 12, 0xffff_ffff),
            ("macho.symtab-symoff-past-end", 8, 0xffff_fff0),
            ("macho.symtab-stroff-past-end", 16, 0xffff_fff0),
            ("macho.symtab-strsize-huge", 20, 0xffff_ffff),
        ] {
            let mut m = bin.clone();
            put32(&mut m, s + off, v);
            add(name, m, Handled);
        }
    }
    if let Some(s) = cmd(0x19) {
        let mut m = bin.clone();
        put32(&mut m, s + 64, 0xffff_ffff);
        add("macho.segment-nsects-huge", m, Handled);
        let mut m = bin.clone();
        put32(&mut m, s + 44, 0xffff_fff0);
        add("macho.segment-fileoff-huge", m, Scans);
    }
    if let Some(s) = cmd(0x1d) {
        let mut m = bin.clone();
        put32(&mut m, s + 8, 0xffff_fff0);
        add("macho.codesig-off-past-end", m, Handled);
        let mut m = bin.clone();
        put32(&mut m, s + 12, 0xffff_fff0);
        add("macho.codesig-size-huge", m, Handled);
        // The SuperBlob's blob count (big-endian) and the first blob's offset.
        let sb = get32(&bin, s + 8) as usize;
        let mut m = bin.clone();
        if let Some(x) = m.get_mut(sb + 8..sb + 12) {
            x.copy_from_slice(&0xffff_ffffu32.to_be_bytes());
        }
        add("macho.codesig-blob-count-huge", m, Handled);
        let mut m = bin.clone();
        if let Some(x) = m.get_mut(sb + 16..sb + 20) {
            x.copy_from_slice(&0xffff_fff0u32.to_be_bytes());
        }
        add("macho.codesig-blob-offset-huge", m, Handled);
    }
    if let Some(s) = cmd(0x8000_0022).or(cmd(0x22)) {
        let mut m = bin.clone();
        put32(&mut m, s + 40, 0xffff_ffff);
        add("macho.dyld-export-size-huge", m, Handled);
    }
    // Fat files: overlapping slices, slices past the end, a slice that is the fat header.
    let fat = |archs: &[(u32, u32, u32)], body: &[u8]| {
        let mut f = Vec::new();
        f.extend_from_slice(&0xcafe_babeu32.to_be_bytes());
        f.extend_from_slice(&(archs.len() as u32).to_be_bytes());
        for &(cpu, off, size) in archs {
            for v in [cpu, 0, off, size, 12] {
                f.extend_from_slice(&v.to_be_bytes());
            }
        }
        f.resize(4096, 0);
        f.extend_from_slice(body);
        f
    };
    let n = bin.len() as u32;
    add(
        "macho.fat-overlapping-slices",
        fat(&[(0x0100_000c, 4096, n), (0x0100_0007, 4096, n)], &bin),
        Handled,
    );
    add(
        "macho.fat-overlapping-shifted",
        fat(
            &[(0x0100_000c, 4096, n), (0x0100_0007, 4200, n - 200)],
            &bin,
        ),
        Handled,
    );
    add(
        "macho.fat-slice-past-end",
        fat(
            &[(0x0100_000c, 4096, n), (0x0100_0007, 0xffff_0000, n)],
            &bin,
        ),
        Handled,
    );
    add(
        "macho.fat-slice-size-huge",
        fat(&[(0x0100_000c, 4096, 0xffff_fff0)], &bin),
        Handled,
    );
    add(
        "macho.fat-slice-is-header",
        fat(&[(0x0100_000c, 0, n)], &bin),
        Handled,
    );
    let mut f = fat(&[(0x0100_000c, 4096, n)], &bin);
    f[4..8].copy_from_slice(&0xffff_ffffu32.to_be_bytes());
    add("macho.fat-count-huge", f, Handled);
    add(
        "macho.truncated-header",
        bin[..20].to_vec(),
        Anomaly("ios."),
    );
    add(
        "macho.truncated-half",
        bin[..bin.len() / 2].to_vec(),
        Handled,
    );
    add("macho.random", Lcg(4).bytes(8192), Handled);
}

// ------------------------------------------------------------------ plists

/// A binary plist from its objects (already encoded, one-byte refs) and the top object.
fn bplist(objects: &[Vec<u8>], top: u64, count_override: Option<u64>) -> Vec<u8> {
    let mut b = b"bplist00".to_vec();
    let mut offs = Vec::new();
    for o in objects {
        offs.push(b.len() as u16);
        b.extend_from_slice(o);
    }
    let table = b.len() as u64;
    for o in offs {
        b.extend_from_slice(&o.to_be_bytes());
    }
    b.extend_from_slice(&[0; 6]);
    b.push(2);
    b.push(1);
    b.extend_from_slice(&count_override.unwrap_or(objects.len() as u64).to_be_bytes());
    b.extend_from_slice(&top.to_be_bytes());
    b.extend_from_slice(&table.to_be_bytes());
    b
}

fn ascii(s: &str) -> Vec<u8> {
    let mut o = Vec::new();
    if s.len() < 15 {
        o.push(0x50 | s.len() as u8);
    } else {
        o.extend_from_slice(&[0x5f, 0x10, s.len() as u8]);
    }
    o.extend_from_slice(s.as_bytes());
    o
}

fn plists(c: &mut Corpus) {
    use Expect::*;
    let es = entries(&fixture("ios/clean.ipa"));
    let info = "Payload/Clean.app/Info.plist";
    let mut add = |name: &str, p: Vec<u8>, e: Expect| {
        let b = zipw::write(&replace(es.clone(), info, p), &[]).0;
        c.add(name, "ipa", b, e);
    };
    // An array containing itself; a dictionary whose value is itself.
    add(
        "plist.self-array",
        bplist(&[vec![0xa1, 0x00]], 0, None),
        Handled,
    );
    add(
        "plist.self-dict",
        bplist(
            &[vec![0xd1, 0x01, 0x00], ascii("CFBundleIdentifier")],
            0,
            None,
        ),
        Handled,
    );
    // Two arrays referring to each other.
    add(
        "plist.mutual-arrays",
        bplist(&[vec![0xa1, 0x01], vec![0xa1, 0x00]], 0, None),
        Handled,
    );
    add(
        "plist.object-count-huge",
        bplist(&[vec![0xa1, 0x00]], 0, Some(1 << 62)),
        Handled,
    );
    add(
        "plist.top-out-of-range",
        bplist(&[vec![0xa0]], 0xffff, None),
        Handled,
    );
    let mut p = bplist(&[vec![0xd0]], 0, None);
    let l = p.len();
    p[l - 8..].copy_from_slice(&u64::MAX.to_be_bytes());
    add("plist.offset-table-past-end", p, Handled);
    // An array claiming 2^31 members.
    add(
        "plist.array-count-huge",
        bplist(&[vec![0xaf, 0x12, 0x7f, 0xff, 0xff, 0xff]], 0, None),
        Handled,
    );
    // Deep XML: 100 000 nested arrays; wide XML: 400 000 strings (8 MB).
    let mut deep = String::from("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>CFBundleIdentifier</key><string>a.b</string><key>Deep</key>");
    deep.push_str(&"<array>".repeat(100_000));
    deep.push_str(&"</array>".repeat(100_000));
    deep.push_str("</dict></plist>");
    add("plist.deep-xml", deep.into_bytes(), Handled);
    let mut wide = String::from("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>CFBundleIdentifier</key><string>a.b</string><key>Wide</key><array>");
    for i in 0..400_000 {
        wide.push_str(&format!("<string>{i}</string>"));
    }
    wide.push_str("</array></dict></plist>");
    add("plist.wide-xml", wide.into_bytes(), Scans);
    add(
        "plist.top-level-array",
        b"<?xml version=\"1.0\"?><plist version=\"1.0\"><array/></plist>".to_vec(),
        Handled,
    );
    add("plist.entity-expansion", b"<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><plist version=\"1.0\"><dict><key>CFBundleIdentifier</key><string>&c;</string></dict></plist>".to_vec(), Scans);
    add("plist.empty", Vec::new(), Handled);
    add("plist.random", Lcg(5).bytes(2048), Handled);
    // The .strings file and the privacy manifest broken, the Info.plist fine.
    let strings = "Payload/Clean.app/en.lproj/InfoPlist.strings";
    let b = zipw::write(
        &replace(es.clone(), strings, bplist(&[vec![0xa1, 0x00]], 0, None)),
        &[],
    )
    .0;
    c.add("plist.strings-self-array", "ipa", b, Scans);
    let privacy = "Payload/Clean.app/PrivacyInfo.xcprivacy";
    let b = zipw::write(&replace(es, privacy, Lcg(6).bytes(512)), &[]).0;
    c.add("plist.privacy-random", "ipa", b, Anomaly("ios."));
}

// ------------------------------------------------------------------ CMS, X.509, signing blocks

/// DER nested `depth` SEQUENCEs deep (long-form lengths).
fn nested_der(depth: usize) -> Vec<u8> {
    let mut inner: Vec<u8> = vec![0x05, 0x00];
    for _ in 0..depth {
        let n = inner.len() as u32;
        let mut o = vec![0x30, 0x84];
        o.extend_from_slice(&n.to_be_bytes());
        o.extend_from_slice(&inner);
        inner = o;
    }
    inner
}

fn cms(c: &mut Corpus) {
    use Expect::*;
    let es = entries(&fixture("android/v1only.apk"));
    let rsa = entry(&es, "META-INF/CERT.RSA");
    let mut add = |name: &str, d: Vec<u8>, e: Expect| {
        let b = zipw::write(&replace(es.clone(), "META-INF/CERT.RSA", d), &[]).0;
        c.add(name, "apk", b, e);
    };
    add("cms.v1-random", Lcg(7).bytes(1200), Anomaly("apksig."));
    add(
        "cms.v1-truncated",
        rsa[..rsa.len() / 2].to_vec(),
        Anomaly("apksig."),
    );
    add("cms.v1-empty", Vec::new(), Anomaly("apksig."));
    let mut d = rsa.clone();
    d[1] = 0x84;
    d.splice(2..2, [0xff, 0xff, 0xff]);
    add("cms.v1-length-huge", d, Anomaly("apksig."));
    add(
        "cms.v1-nested-10000",
        nested_der(10_000),
        Anomaly("apksig."),
    );
    add(
        "cms.v1-indefinite-lengths",
        [0x30, 0x80].repeat(5000),
        Anomaly("apksig."),
    );
    // The certificate inside garbled: flip every byte of its middle third.
    let mut d = rsa.clone();
    let (a, b) = (rsa.len() / 3, 2 * rsa.len() / 3);
    for x in &mut d[a..b] {
        *x ^= 0x5a;
    }
    add("cms.v1-cert-garbled", d, Anomaly("apksig."));

    // The APK Signing Block of a v2-signed fixture, broken in place (the central directory
    // offset is unchanged, so the block still ends where the directory starts).
    let apk = fixture("android/clean.apk");
    let magic = apk
        .windows(16)
        .rposition(|w| w == b"APK Sig Block 42")
        .expect("signing block");
    let size_at_end = magic - 8;
    let size = u64::from_le_bytes(apk[size_at_end..magic].try_into().unwrap_or([0; 8])) as usize;
    let start = magic + 16 - size - 8;
    let mut put = |name: &str, f: &dyn Fn(&mut Vec<u8>), e: Expect| {
        let mut b = apk.clone();
        f(&mut b);
        c.add(name, "apk", b, e);
    };
    put(
        "cms.block-sizes-differ",
        &|b| b[start] ^= 0x10,
        Anomaly("apksig."),
    );
    put("cms.block-magic-broken", &|b| b[magic] = b'X', Scans);
    put(
        "cms.block-pair-length-huge",
        &|b| b[start + 8..start + 16].copy_from_slice(&(1u64 << 62).to_le_bytes()),
        Anomaly("apksig."),
    );
    put(
        "cms.block-pair-length-short",
        &|b| b[start + 8..start + 16].copy_from_slice(&3u64.to_le_bytes()),
        Anomaly("apksig."),
    );
    put(
        "cms.block-v2-signers-garbage",
        &|b| {
            for x in &mut b[start + 20..start + 20 + (size / 2).min(800)] {
                *x = 0xff;
            }
        },
        Anomaly("apksig."),
    );
    put(
        "cms.block-size-huge",
        &|b| b[size_at_end..magic].copy_from_slice(&u64::MAX.to_le_bytes()),
        Handled,
    );

    // iOS: the provisioning profile and the code signature's CMS blob.
    let es = entries(&fixture("ios/biometric.ipa"));
    if let Some(p) = es
        .iter()
        .find(|e| e.name.ends_with("embedded.mobileprovision"))
    {
        let name = p.name.clone();
        let prof = p.data.clone();
        for (what, d) in [
            ("random", Lcg(8).bytes(3000)),
            ("truncated", prof[..prof.len() / 2].to_vec()),
            ("nested-10000", nested_der(10_000)),
        ] {
            let b = zipw::write(&replace(es.clone(), &name, d), &[]).0;
            c.add(&format!("cms.profile-{what}"), "ipa", b, Anomaly("ios."));
        }
    }
    let exe = es
        .iter()
        .find(|e| e.name.matches('/').count() == 2 && e.data.starts_with(&[0xcf, 0xfa, 0xed, 0xfe]))
        .map(|e| e.name.clone())
        .expect("main executable");
    let bin = entry(&es, &exe);
    // The CMS blob (magic 0xfade0b01) filled with garbage, its length kept.
    if let Some(at) = bin.windows(4).rposition(|w| w == [0xfa, 0xde, 0x0b, 0x01]) {
        let len = u32::from_be_bytes(bin[at + 4..at + 8].try_into().unwrap_or([0; 4])) as usize;
        let mut m = bin.clone();
        let end = (at + len).min(m.len());
        let garbage = Lcg(9).bytes(end - (at + 8));
        m[at + 8..end].copy_from_slice(&garbage);
        let b = zipw::write(&replace(es.clone(), &exe, m), &[]).0;
        c.add("cms.codesign-cms-random", "ipa", b, Handled);
        let mut m = bin.clone();
        let nest = nested_der(4000);
        let n = nest.len().min(end - (at + 8));
        m[at + 8..at + 8 + n].copy_from_slice(&nest[..n]);
        let b = zipw::write(&replace(es.clone(), &exe, m), &[]).0;
        c.add("cms.codesign-cms-nested", "ipa", b, Handled);
    }
    // The entitlements blob (0xfade7171) with a plist that contains itself.
    if let Some(at) = bin.windows(4).position(|w| w == [0xfa, 0xde, 0x71, 0x71]) {
        let len = u32::from_be_bytes(bin[at + 4..at + 8].try_into().unwrap_or([0; 4])) as usize;
        let mut m = bin.clone();
        let p = bplist(&[vec![0xd1, 0x01, 0x00], ascii("get-task-allow")], 0, None);
        let end = (at + len).min(m.len());
        let n = p.len().min(end - (at + 8));
        m[at + 8..at + 8 + n].copy_from_slice(&p[..n]);
        let b = zipw::write(&replace(es, &exe, m), &[]).0;
        c.add("cms.codesign-entitlements-self-dict", "ipa", b, Handled);
    }
}

// ------------------------------------------------------------------ wxapkg

/// (name offset, name, offset field position, size field position) of each index record.
fn wx_index(d: &[u8]) -> Vec<(String, usize, usize)> {
    let be = |at: usize| u32::from_be_bytes(d[at..at + 4].try_into().unwrap()) as usize;
    let n = be(14);
    let mut at = 18;
    let mut out = Vec::new();
    for _ in 0..n {
        let len = be(at);
        let name = String::from_utf8_lossy(&d[at + 4..at + 4 + len]).into_owned();
        out.push((name, at + 4 + len, at + 8 + len));
        at += 12 + len;
    }
    out
}

fn wxapkg(c: &mut Corpus) {
    use Expect::*;
    let base = fixture("wechat/edu-tracking.wxapkg");
    let idx = wx_index(&base);
    let be = |d: &[u8], at: usize| u32::from_be_bytes(d[at..at + 4].try_into().unwrap());
    c.add(
        "wxapkg.truncated-header",
        "wxapkg",
        base[..10].to_vec(),
        Error("not a supported package"),
    );
    c.add(
        "wxapkg.truncated-index",
        "wxapkg",
        base[..40].to_vec(),
        Handled,
    );
    c.add(
        "wxapkg.truncated-body",
        "wxapkg",
        base[..base.len() / 2].to_vec(),
        Handled,
    );
    let mut b = base.clone();
    b[14..18].copy_from_slice(&u32::MAX.to_be_bytes());
    c.add(
        "wxapkg.count-huge",
        "wxapkg",
        b,
        Error("limit exceeded: zip entries"),
    );
    let mut b = base.clone();
    b[18..22].copy_from_slice(&u32::MAX.to_be_bytes());
    c.add("wxapkg.name-length-huge", "wxapkg", b, Handled);
    let mut b = base.clone();
    b[idx[0].1..idx[0].1 + 4].copy_from_slice(&0xffff_ff00u32.to_be_bytes());
    c.add("wxapkg.offset-past-end", "wxapkg", b, Anomaly("wxapkg."));
    let mut b = base.clone();
    let first = be(&base, idx[0].1);
    b[idx[1].1..idx[1].1 + 4].copy_from_slice(&first.to_be_bytes());
    c.add(
        "wxapkg.overlapping-entries",
        "wxapkg",
        b,
        Anomaly("wxapkg."),
    );
    if let Some((_, o, sz)) = idx.iter().find(|(n, _, _)| n == "/app-config.json") {
        let (start, len) = (be(&base, *o) as usize, be(&base, *sz) as usize);
        let mut b = base.clone();
        let mut rng = Lcg(77);
        b[start..start + len].copy_from_slice(&rng.bytes(len));
        c.add(
            "wxapkg.config-garbage",
            "wxapkg",
            b,
            Anomaly("wxapkg.config-unreadable"),
        );
    }
    let mut b = b"V1MMWX".to_vec();
    b.extend(Lcg(5).bytes(2048));
    c.add(
        "wxapkg.encrypted-pc",
        "wxapkg",
        b,
        Error("encrypted PC WeChat"),
    );
    let mut b = base.clone();
    b[0] = 0xbf;
    c.add(
        "wxapkg.bad-first-mark",
        "wxapkg",
        b,
        Error("not a supported package"),
    );
}

// ------------------------------------------------------------------ HarmonyOS

fn harmony(c: &mut Corpus) {
    use Expect::*;
    let es = entries(&fixture("harmony/edu-tracking.hap"));
    let abc = entry(&es, "ets/modules.abc");
    let mut rng = Lcg(91);
    c.add(
        "hap.module-json-garbage",
        "hap",
        zipw::write(&replace(es.clone(), "module.json", rng.bytes(600)), &[]).0,
        Anomaly("harmony.module-json-unreadable"),
    );
    let mut a = abc.clone();
    a[..8].copy_from_slice(b"ZANDA\0\0\0");
    c.add(
        "hap.abc-bad-magic",
        "hap",
        zipw::write(&replace(es.clone(), "ets/modules.abc", a), &[]).0,
        Anomaly("harmony.abc-unreadable"),
    );
    let mut a = abc.clone();
    put32(&mut a, 28, u32::MAX);
    c.add(
        "hap.abc-classes-huge",
        "hap",
        zipw::write(&replace(es.clone(), "ets/modules.abc", a), &[]).0,
        Error("limit exceeded: Ark table items"),
    );
    let mut a = abc.clone();
    let (n, idx) = (get32(&a, 28) as usize, get32(&a, 32) as usize);
    for k in 0..n {
        put32(&mut a, idx + 4 * k, 0xffff_fff0);
    }
    c.add(
        "hap.abc-class-offsets-past-end",
        "hap",
        zipw::write(&replace(es.clone(), "ets/modules.abc", a), &[]).0,
        Anomaly("harmony.abc-recovered"),
    );
    let mut a = abc.clone();
    put32(&mut a, 32, 0xffff_ff00);
    c.add(
        "hap.abc-index-past-end",
        "hap",
        zipw::write(&replace(es.clone(), "ets/modules.abc", a), &[]).0,
        Anomaly("harmony.abc-unreadable"),
    );
    let mut a = abc.clone();
    let len = a.len();
    for b in &mut a[60..len] {
        if *b == 0 {
            *b = b'A';
        }
    }
    c.add(
        "hap.abc-no-terminators",
        "hap",
        zipw::write(&replace(es.clone(), "ets/modules.abc", a), &[]).0,
        Handled,
    );
    // The signing block of the signed fixture: head at cd - 32.
    let signed = fixture("harmony/edu-tracking.hap");
    let eocd = signed.len() - 22;
    let cd = get32(&signed, eocd + 16) as usize;
    let mut b = signed.clone();
    b[cd - 28..cd - 20].copy_from_slice(&u64::MAX.to_le_bytes());
    c.add(
        "hap.sign-block-size-huge",
        "hap",
        b,
        Anomaly("harmony.signing-unreadable"),
    );
    let size = u64::from_le_bytes(signed[cd - 28..cd - 20].try_into().unwrap()) as usize;
    let start = cd - size;
    let mut b = signed.clone();
    put32(&mut b, start + 4, u32::MAX);
    c.add(
        "hap.sign-subblock-past-end",
        "hap",
        b,
        Anomaly("harmony.signing-unreadable"),
    );
    let mut b = signed.clone();
    let sig_off = start + get32(&signed, start + 8) as usize;
    let mut r = Lcg(3);
    for i in 0..64 {
        b[sig_off + i] = r.next() as u8;
    }
    c.add(
        "hap.sign-pkcs7-garbage",
        "hap",
        b,
        Anomaly("harmony.signing-unreadable"),
    );
    let mut b = signed.clone();
    put32(&mut b, cd - 32, u32::MAX);
    c.add("hap.sign-subblocks-many", "hap", b, Handled);
    // An App Pack whose entry module is garbage: the feature module is still read.
    let app = entries(&fixture("harmony/edu-suite.app"));
    c.add(
        "hap.app-inner-garbage",
        "app",
        zipw::write(
            &replace(app.clone(), "entry-default.hap", Lcg(8).bytes(4000)),
            &[],
        )
        .0,
        Anomaly("harmony.hap-unreadable"),
    );
    let mut all_garbage = app.clone();
    for e in &mut all_garbage {
        if e.name.ends_with(".hap") {
            e.data = Lcg(9).bytes(300);
        }
    }
    c.add(
        "hap.app-all-inner-garbage",
        "app",
        zipw::write(&all_garbage, &[]).0,
        Error("malformed HarmonyOS App Pack"),
    );
}
