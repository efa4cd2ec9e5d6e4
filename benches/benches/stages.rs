//! Criterion benches per stage on the generated large inputs (see benches/README.md):
//!
//! - `zip/directory/big.apk`: central directory of the 100k-class APK;
//! - `zip/inflate-dex/big.apk`: inflating its eight `classesN.dex` (the in-process floor);
//! - `manifest/axml+arsc/trackers.apk`: binary XML, resource table and manifest mapping;
//! - `dex/tables/classes.dex`, `dex/invokes/classes.dex`: one 12,500-class DEX's id tables
//!   resolved (types, methods, strings) and its code scanned for invokes;
//! - `android/scan/big.apk`: the whole Android scan of the 100k-class APK;
//! - `document/big.apk`: scan + detection + SHA-256 (what `appvet scan` does before output),
//!   and `sha256/big.apk` alone (its share);
//! - `ios/scan/big.ipa`: the whole IPA scan (56 MiB Mach-O, 40 frameworks).

use appvet_benches::{apkgen, fixtures_dir, ipagen};
use appvet_model::{Limits, PackageFormat};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sha2::{Digest, Sha256};
use std::time::Duration;

fn bench_apk(c: &mut Criterion) {
    let opts = apkgen::ApkOptions::default();
    let apk = apkgen::apk(&opts, &fixtures_dir().join("android"));
    let limits = Limits::default();
    let archive = appvet_zip::Archive::parse(&apk, &limits).expect("generated zip");
    let dex_entries: Vec<_> = archive
        .entries()
        .iter()
        .filter(|e| e.name.starts_with("classes") && e.name.ends_with(".dex"))
        .collect();
    let dex_bytes: u64 = dex_entries.iter().map(|e| e.uncompressed_size).sum();

    let mut g = c.benchmark_group("zip");
    g.throughput(Throughput::Elements(archive.entries().len() as u64));
    g.bench_function("directory/big.apk", |b| {
        b.iter(|| appvet_zip::Archive::parse(&apk, &limits).expect("zip"))
    });
    g.throughput(Throughput::Bytes(dex_bytes));
    g.sample_size(10);
    g.bench_function("inflate-dex/big.apk", |b| {
        b.iter(|| {
            let a = appvet_zip::Archive::parse(&apk, &limits).expect("zip");
            dex_entries
                .iter()
                .map(|e| a.read(e).expect("inflate").len())
                .sum::<usize>()
        })
    });
    g.finish();

    let dex = archive
        .read(archive.by_name("classes.dex").expect("classes.dex"))
        .expect("inflate")
        .into_owned();
    let d = appvet_dex::Dex::parse(&dex).expect("dex");
    let mut g = c.benchmark_group("dex");
    g.throughput(Throughput::Elements(u64::from(d.class_def_count())));
    g.bench_function("tables/classes.dex", |b| {
        b.iter(|| {
            let d = appvet_dex::Dex::parse(&dex).expect("dex");
            let mut n = 0usize;
            for t in 0..d.type_count() {
                n += d
                    .type_descriptor(t)
                    .ok()
                    .and_then(|s| appvet_dex::descriptor_to_dotted(&s))
                    .map_or(0, |s| s.len());
            }
            for m in 0..d.method_count() {
                n += d.method(m).map_or(0, |m| m.1.len());
            }
            for (_, s) in d.strings() {
                n += s.map_or(0, |s| s.len());
            }
            n
        })
    });
    g.bench_function("invokes/classes.dex", |b| {
        b.iter(|| {
            d.class_defs()
                .flatten()
                .map(|cd| d.scan_invokes(&cd).map_or(0, |s| s.invoked.len()))
                .sum::<usize>()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("android");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Elements(opts.classes as u64));
    g.bench_function("scan/big.apk", |b| {
        b.iter(|| appvet_android::scan(&archive, &limits).expect("scan"))
    });
    g.throughput(Throughput::Bytes(apk.len() as u64));
    g.bench_function("document/big.apk", |b| {
        b.iter(|| appvet_scan::scan_bytes(&apk, "big.apk", &limits).expect("scan"))
    });
    g.bench_function("sha256/big.apk", |b| b.iter(|| Sha256::digest(&apk)));
    g.finish();
}

fn bench_manifest(c: &mut Criterion) {
    let data = std::fs::read(fixtures_dir().join("android/trackers.apk")).expect("fixture");
    let limits = Limits::default();
    let archive = appvet_zip::Archive::parse(&data, &limits).expect("zip");
    let read = |n: &str| {
        archive
            .read(archive.by_name(n).expect(n))
            .expect(n)
            .into_owned()
    };
    let (xml, arsc) = (read("AndroidManifest.xml"), read("resources.arsc"));
    let mut g = c.benchmark_group("manifest");
    g.throughput(Throughput::Bytes((xml.len() + arsc.len()) as u64));
    g.bench_function("axml+arsc/trackers.apk", |b| {
        b.iter(|| {
            let res = appvet_axml::arsc::ResourceTable::parse(&arsc).expect("arsc");
            let doc = appvet_axml::axml::parse(&xml).expect("axml");
            appvet_android::manifest::read_manifest(
                &doc.root,
                &res,
                PackageFormat::Apk,
                "AndroidManifest.xml",
                &mut |_| None,
            )
            .expect("manifest")
        })
    });
    g.finish();
}

fn bench_ipa(c: &mut Criterion) {
    let opts = ipagen::IpaOptions::default();
    let ipa = ipagen::ipa(&opts, &fixtures_dir().join("ios"));
    let limits = Limits::default();
    let mut g = c.benchmark_group("ios");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Bytes(ipa.len() as u64));
    g.bench_function("scan/big.ipa", |b| {
        b.iter(|| appvet_scan::scan_package(&ipa, &limits).expect("scan"))
    });
    g.finish();
}

criterion_group!(benches, bench_manifest, bench_apk, bench_ipa);
criterion_main!(benches);
