//! The malformed corpus (`appvet-malformed`): every input gives exactly the outcome recorded
//! below — a clear error, or a (partial) scan with the anomalies that say what was wrong — and
//! agrees with its case's coarse expectation. Never a panic or a hang: every loop in the readers
//! is bounded by the input's size and `Limits`, so this test ends (no timing assertions).

use appvet_malformed::{corpus, Case, Expect};
use appvet_model::{Limits, PackageScan, Result};

/// The scan's outcome: `Ok("code code")` (the distinct anomaly codes, sorted) or `Err(text)`
/// (the start of the error message).
#[derive(Debug, PartialEq)]
enum Outcome {
    Ok(String),
    Err(String),
}

fn outcome(r: &Result<PackageScan>) -> Outcome {
    match r {
        Ok(s) => {
            let mut codes: Vec<&str> = s
                .inventory
                .anomalies
                .iter()
                .map(|a| a.code.as_str())
                .collect();
            codes.sort_unstable();
            codes.dedup();
            Outcome::Ok(codes.join(" "))
        }
        Err(e) => Outcome::Err(e.to_string()),
    }
}

fn agrees(case: &Case, o: &Outcome) -> bool {
    match (&case.expect, o) {
        (Expect::Error(t), Outcome::Err(e)) => e.contains(t),
        (Expect::Anomaly(p), Outcome::Ok(codes)) => codes.split(' ').any(|c| c.starts_with(p)),
        (Expect::Scans, Outcome::Ok(_)) => true,
        (Expect::Handled, Outcome::Err(_)) => true,
        (Expect::Handled, Outcome::Ok(codes)) => !codes.is_empty(),
        _ => false,
    }
}

const OK: fn(&'static str) -> (bool, &'static str) = |s| (true, s);
const ERR: fn(&'static str) -> (bool, &'static str) = |s| (false, s);

/// name → (scans?, anomaly codes | error text prefix).
fn expected() -> Vec<(&'static str, (bool, &'static str))> {
    vec![
        ("zip.rewritten", OK("")),
        (
            "zip.truncated-empty",
            ERR("not a supported package: neither a zip archive (APK, AAB, APKS,"),
        ),
        (
            "zip.truncated-magic-only",
            ERR("invalid archive: no end of central directory record found"),
        ),
        (
            "zip.truncated-half",
            ERR("invalid archive: no end of central directory record found"),
        ),
        (
            "zip.truncated-no-eocd",
            ERR("invalid archive: no end of central directory record found"),
        ),
        (
            "zip.truncated-cd-half",
            ERR("invalid archive: no end of central directory record found"),
        ),
        (
            "zip.truncated-last-byte",
            ERR("invalid archive: no end of central directory record found"),
        ),
        (
            "zip.cd-offset-past-end",
            ERR("invalid archive: central directory at offset 2882 of size"),
        ),
        (
            "zip.cd-size-huge",
            ERR("invalid archive: central directory at offset 2578 of size"),
        ),
        (
            "zip.cd-offset-zero",
            ERR("invalid archive: no central directory record at offset 0"),
        ),
        ("zip.entry-count-lies", OK("zip.entry-count-mismatch")),
        ("zip.eocd-comment-past-end", OK("zip.eocd-comment-mismatch")),
        ("zip.two-eocds", OK("zip.multiple-eocd")),
        (
            "zip.cd-record-bad-signature",
            ERR("invalid archive: no central directory record at offset 2578"),
        ),
        (
            "zip.cd-name-length-huge",
            ERR("not a supported package: a zip archive, but not an Android package"),
        ),
        (
            "zip.local-offset-past-end",
            ERR("invalid archive: entry #0 \"AndroidManifest.xml\": local"),
        ),
        (
            "zip.local-offset-at-cd",
            OK("dex.unreadable zip.bad-local-header"),
        ),
        (
            "zip.local-header-bad-signature",
            ERR("not a supported package: neither a zip archive (APK, AAB, APKS,"),
        ),
        (
            "zip.overlapping-entries",
            OK("zip.local-name-mismatch zip.overlapping-entries"),
        ),
        ("zip.duplicate-manifest", OK("zip.duplicate-entry")),
        (
            "zip.duplicate-manifest-bad-first",
            ERR("malformed AndroidManifest.xml: malformed: binary XML: no"),
        ),
        ("zip.suspicious-names", OK("zip.suspicious-name")),
        ("zip.unknown-method", OK("zip.unknown-method")),
        ("zip.encrypted-flag", OK("zip.encryption-flag")),
        (
            "zip.dex-declared-4g",
            OK("dex.unreadable zip.bad-zip64 zip.local-size-mismatch"),
        ),
        (
            "zip.manifest-declared-4g",
            ERR("limit exceeded: zip entry size (4294967295 > 1073741824);"),
        ),
        (
            "zip.manifest-compressed-4g",
            ERR("invalid archive: entry #0 \"AndroidManifest.xml\": data at"),
        ),
        (
            "zip.prefix-data-uncorrected",
            ERR("not a supported package: neither a zip archive (APK, AAB, APKS,"),
        ),
        ("zip.bomb-ratio-dex", OK("dex.unreadable")),
        (
            "zip.bomb-ratio-manifest",
            ERR("limit exceeded: zip compression ratio (1028 > 1000); raise"),
        ),
        ("zip.bomb-declared-small", OK("dex.unreadable")),
        ("zip.bomb-nested-in-apks", OK("dex.unreadable")),
        (
            "zip.nested-splits",
            ERR("not a supported package: split bundle without a base APK"),
        ),
        ("zip.many-dex", OK("")),
        ("zip.twenty-thousand-entries", OK("")),
        ("axml.file-size-huge", OK("axml.recovered")),
        (
            "axml.file-size-header-only",
            ERR("malformed AndroidManifest.xml: malformed: binary XML: no"),
        ),
        (
            "axml.pool-size-huge",
            ERR("malformed AndroidManifest.xml: malformed: binary XML: no"),
        ),
        ("axml.pool-count-huge", OK("axml.recovered")),
        (
            "axml.pool-strings-start-past-end",
            ERR("malformed AndroidManifest.xml: root element is <>, not"),
        ),
        ("axml.pool-first-offset-past-end", OK("axml.recovered")),
        ("axml.string-length-lies", OK("axml.recovered")),
        ("axml.unknown-chunk-skipped", OK("axml.recovered")),
        (
            "axml.element-size-zero",
            ERR("malformed AndroidManifest.xml: malformed: binary XML: no"),
        ),
        (
            "axml.element-size-three",
            ERR("malformed AndroidManifest.xml: malformed: binary XML: no"),
        ),
        ("axml.element-size-huge", OK("axml.recovered")),
        ("axml.namespace-end-without-start", OK("")),
        ("axml.namespace-uri-out-of-range", OK("")),
        ("axml.attribute-without-name", OK("")),
        ("axml.attribute-name-out-of-range", OK("axml.recovered")),
        ("axml.attribute-count-huge", OK("axml.recovered")),
        (
            "axml.attribute-start-huge",
            ERR("malformed AndroidManifest.xml: <manifest> has no package"),
        ),
        (
            "axml.attribute-size-tiny",
            ERR("malformed AndroidManifest.xml: <manifest> has no package"),
        ),
        (
            "axml.attribute-string-out-of-range",
            OK("axml.recovered manifest.bad-value"),
        ),
        ("axml.attribute-unknown-type", OK("manifest.bad-value")),
        ("axml.deep-unclosed-elements", OK("axml.recovered")),
        (
            "axml.empty",
            ERR("malformed AndroidManifest.xml: truncated: binary XML:"),
        ),
        (
            "axml.text-xml",
            ERR("malformed AndroidManifest.xml: malformed: not binary XML:"),
        ),
        (
            "axml.random",
            ERR("malformed AndroidManifest.xml: malformed: not binary XML:"),
        ),
        (
            "axml.truncated-half",
            ERR("malformed AndroidManifest.xml: malformed: binary XML: no"),
        ),
        (
            "axml.arsc-random",
            OK("android.resources-unreadable manifest.unresolved-reference"),
        ),
        ("axml.arsc-package-count-huge", OK("arsc.recovered")),
        (
            "axml.arsc-size-short",
            OK("arsc.recovered manifest.unresolved-reference"),
        ),
        ("dex.string-ids-count-huge", OK("dex.unreadable")),
        ("dex.string-ids-count-past-limit", OK("dex.unreadable")),
        ("dex.string-ids-off-past-end", OK("dex.unreadable")),
        ("dex.type-ids-count-huge", OK("dex.unreadable")),
        ("dex.type-ids-off-past-end", OK("dex.unreadable")),
        ("dex.proto-ids-count-huge", OK("dex.unreadable")),
        ("dex.field-ids-off-past-end", OK("")),
        ("dex.method-ids-count-huge", OK("dex.unreadable")),
        ("dex.method-ids-off-odd", OK("dex.bad-items")),
        ("dex.class-defs-count-huge", OK("dex.unreadable")),
        ("dex.class-defs-at-header", OK("dex.bad-items")),
        ("dex.map-off-past-end", OK("")),
        ("dex.file-size-lies", OK("dex.bad-checksum")),
        ("dex.header-size-zero", OK("dex.unreadable")),
        ("dex.endian-reversed", OK("dex.unreadable")),
        ("dex.data-off-past-end", OK("")),
        ("dex.string-data-off-past-end", OK("dex.bad-items")),
        ("dex.class-data-off-past-end", OK("dex.unscanned-code")),
        ("dex.class-type-out-of-range", OK("dex.bad-items")),
        ("dex.interfaces-off-past-end", OK("")),
        (
            "dex.string-data-unterminated",
            OK("dex.bad-items dex.unscanned-code"),
        ),
        ("dex.header-only", OK("dex.unreadable")),
        ("dex.magic-only", OK("dex.unreadable")),
        (
            "dex.truncated-half",
            OK("dex.bad-checksum dex.bad-items dex.unscanned-code"),
        ),
        ("dex.random", OK("dex.unreadable")),
        ("macho.ncmds-huge", OK("ios.macho-recovered")),
        ("macho.sizeofcmds-huge", OK("ios.macho-unreadable")),
        ("macho.sizeofcmds-zero", OK("ios.macho-recovered")),
        ("macho.first-cmdsize-zero", OK("ios.macho-recovered")),
        ("macho.first-cmdsize-three", OK("ios.macho-recovered")),
        ("macho.first-cmdsize-huge", OK("ios.macho-recovered")),
        ("macho.unknown-cpu", OK("")),
        ("macho.symtab-nsyms-huge", OK("ios.macho-recovered")),
        ("macho.symtab-symoff-past-end", OK("ios.macho-recovered")),
        ("macho.symtab-stroff-past-end", OK("ios.macho-recovered")),
        ("macho.symtab-strsize-huge", OK("ios.macho-recovered")),
        ("macho.segment-nsects-huge", OK("ios.macho-recovered")),
        ("macho.segment-fileoff-huge", OK("")),
        ("macho.codesig-off-past-end", OK("ios.codesign-unreadable")),
        ("macho.codesig-size-huge", OK("ios.codesign-unreadable")),
        (
            "macho.codesig-blob-count-huge",
            OK("ios.codesign-unreadable"),
        ),
        (
            "macho.codesig-blob-offset-huge",
            OK("ios.codesign-unreadable"),
        ),
        (
            "macho.fat-overlapping-slices",
            OK("ios.macho-overlapping-slices"),
        ),
        (
            "macho.fat-overlapping-shifted",
            OK("ios.macho-overlapping-slices ios.macho-unreadable"),
        ),
        ("macho.fat-slice-past-end", OK("ios.macho-bad-slice")),
        ("macho.fat-slice-size-huge", OK("ios.macho-bad-slice")),
        (
            "macho.fat-slice-is-header",
            OK("ios.macho-overlapping-slices ios.macho-unreadable"),
        ),
        (
            "macho.fat-count-huge",
            OK("ios.macho-bad-slice ios.macho-unreadable"),
        ),
        ("macho.truncated-header", OK("ios.macho-unreadable")),
        (
            "macho.truncated-half",
            OK("ios.codesign-unreadable ios.macho-recovered"),
        ),
        ("macho.random", OK("ios.macho-unreadable")),
        (
            "plist.self-array",
            ERR("malformed Payload/Clean.app/Info.plist: RecursiveObject"),
        ),
        (
            "plist.self-dict",
            ERR("malformed Payload/Clean.app/Info.plist: RecursiveObject"),
        ),
        (
            "plist.mutual-arrays",
            ERR("malformed Payload/Clean.app/Info.plist: RecursiveObject"),
        ),
        (
            "plist.object-count-huge",
            ERR("malformed Payload/Clean.app/Info.plist:"),
        ),
        (
            "plist.top-out-of-range",
            ERR("malformed Payload/Clean.app/Info.plist:"),
        ),
        (
            "plist.offset-table-past-end",
            ERR("malformed Payload/Clean.app/Info.plist:"),
        ),
        (
            "plist.array-count-huge",
            ERR("malformed Payload/Clean.app/Info.plist:"),
        ),
        (
            "plist.deep-xml",
            ERR("malformed Payload/Clean.app/Info.plist: nested deeper than"),
        ),
        ("plist.wide-xml", OK("")),
        (
            "plist.top-level-array",
            ERR("malformed Payload/Clean.app/Info.plist: the top-level value"),
        ),
        ("plist.entity-expansion", OK("")),
        (
            "plist.empty",
            ERR("malformed Payload/Clean.app/Info.plist: Io(Error { kind:"),
        ),
        (
            "plist.random",
            ERR("malformed Payload/Clean.app/Info.plist:"),
        ),
        ("plist.strings-self-array", OK("ios.strings-unreadable")),
        (
            "plist.privacy-random",
            OK("ios.privacy-manifest-unreadable"),
        ),
        ("cms.v1-random", OK("apksig.v1-unreadable")),
        ("cms.v1-truncated", OK("apksig.v1-unreadable")),
        ("cms.v1-empty", OK("apksig.v1-unreadable")),
        ("cms.v1-length-huge", OK("apksig.v1-unreadable")),
        ("cms.v1-nested-10000", OK("apksig.v1-unreadable")),
        ("cms.v1-indefinite-lengths", OK("apksig.v1-unreadable")),
        ("cms.v1-cert-garbled", OK("apksig.bad-certificate")),
        ("cms.block-sizes-differ", OK("apksig.size-mismatch")),
        ("cms.block-magic-broken", OK("")),
        ("cms.block-pair-length-huge", OK("apksig.bad-pair")),
        ("cms.block-pair-length-short", OK("apksig.bad-pair")),
        ("cms.block-v2-signers-garbage", OK("apksig.bad-signer")),
        ("cms.block-size-huge", OK("apksig.block-unreadable")),
        ("cms.codesign-cms-random", OK("ios.codesign-unreadable")),
        ("cms.codesign-cms-nested", OK("ios.codesign-unreadable")),
        (
            "cms.codesign-entitlements-self-dict",
            OK("ios.entitlements-unreadable"),
        ),
        (
            "wxapkg.truncated-header",
            ERR("not a supported package: neither a zip archive"),
        ),
        (
            "wxapkg.truncated-index",
            OK("wxapkg.body-length-mismatch wxapkg.config-missing wxapkg.index-length-mismatch wxapkg.index-truncated"),
        ),
        (
            "wxapkg.truncated-body",
            OK("wxapkg.body-length-mismatch wxapkg.entry-out-of-bounds"),
        ),
        ("wxapkg.count-huge", ERR("limit exceeded: zip entries")),
        (
            "wxapkg.name-length-huge",
            OK("wxapkg.bad-name-length wxapkg.config-missing wxapkg.index-length-mismatch"),
        ),
        (
            "wxapkg.offset-past-end",
            OK("wxapkg.config-missing wxapkg.entry-out-of-bounds"),
        ),
        ("wxapkg.overlapping-entries", OK("wxapkg.overlapping-entries")),
        ("wxapkg.config-garbage", OK("wxapkg.config-unreadable")),
        (
            "wxapkg.encrypted-pc",
            ERR("not a supported package: an encrypted PC WeChat cache package (V1MMWX)"),
        ),
        (
            "wxapkg.bad-first-mark",
            ERR("not a supported package: neither a zip archive"),
        ),
        ("hap.module-json-garbage", OK("harmony.module-json-unreadable")),
        ("hap.abc-bad-magic", OK("harmony.abc-unreadable")),
        ("hap.abc-classes-huge", ERR("limit exceeded: Ark table items")),
        ("hap.abc-class-offsets-past-end", OK("harmony.abc-recovered")),
        ("hap.abc-index-past-end", OK("harmony.abc-unreadable")),
        ("hap.abc-no-terminators", OK("harmony.abc-recovered")),
        ("hap.sign-block-size-huge", OK("harmony.signing-unreadable")),
        ("hap.sign-subblock-past-end", OK("harmony.signing-unreadable")),
        ("hap.sign-pkcs7-garbage", OK("harmony.signing-unreadable")),
        ("hap.sign-subblocks-many", OK("harmony.signing-unreadable")),
        ("hap.app-inner-garbage", OK("harmony.hap-unreadable")),
        (
            "hap.app-all-inner-garbage",
            ERR("malformed HarmonyOS App Pack: no readable .hap inside"),
        ),
    ]
}

#[test]
fn every_malformed_input_gives_its_recorded_outcome() {
    let limits = Limits::default();
    let cases = corpus();
    let table = expected();
    assert!(cases.len() >= 167, "{} cases", cases.len());
    assert_eq!(
        cases.len(),
        table.len(),
        "every case has a recorded outcome"
    );
    let mut wrong = Vec::new();
    for (case, (name, (scans, text))) in cases.iter().zip(&table) {
        assert_eq!(&case.name, name, "case order");
        let got = outcome(&appvet_scan::scan_package(&case.bytes, &limits));
        let ok = match &got {
            Outcome::Ok(codes) => *scans && codes == text,
            Outcome::Err(e) => !*scans && e.starts_with(text),
        };
        if !ok || !agrees(case, &got) {
            wrong.push(format!("{name} ({:?}): {got:?}", case.expect));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The corpus is the same bytes on every call (failures reproduce; batch tests compare).
#[test]
fn the_corpus_is_deterministic() {
    let a = corpus();
    let b = corpus();
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert!(x.name == y.name && x.bytes == y.bytes, "{}", x.name);
    }
    let mut names: Vec<&str> = a.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), a.len(), "names are unique");
}

/// With tight limits (16 MiB per entry, 24 MiB in all, ratio 100) every bomb stops at a named
/// limit (or, one that lies about its size, at its declared size).
#[test]
fn tight_limits_stop_every_bomb_by_name() {
    let limits = Limits {
        max_entry_size: 16 << 20,
        max_total_inflated: 24 << 20,
        max_compression_ratio: 100,
        ..Limits::default()
    };
    for case in corpus().iter().filter(|c| c.name.starts_with("zip.bomb")) {
        let r = appvet_scan::scan_package(&case.bytes, &limits);
        let said = match &r {
            Err(e) => e.to_string(),
            Ok(s) => s
                .inventory
                .anomalies
                .iter()
                .map(|a| a.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
        };
        assert!(
            (said.contains("limit exceeded") && said.contains("raise it with --max-"))
                || said.contains("inflates to more than the declared"),
            "{}: {said}",
            case.name
        );
    }
}
