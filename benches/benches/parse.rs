//! Parsing benchmarks on the committed fixtures: the whole scan of the largest APK fixture, and
//! its zip directory alone (the floor every scan pays).

use appvet_model::Limits;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/android")
}

/// The largest `.apk` fixture (by size).
fn largest_apk() -> PathBuf {
    let mut apks: Vec<(u64, PathBuf)> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures/android exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "apk"))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.len(), p)))
        .collect();
    apks.sort();
    apks.pop().expect("at least one fixture apk").1
}

fn bench_parse(c: &mut Criterion) {
    let path = largest_apk();
    let data = std::fs::read(&path).expect("read fixture");
    let limits = Limits::default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut g = c.benchmark_group("android");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function(format!("zip-directory/{name}"), |b| {
        b.iter(|| appvet_zip::Archive::parse(&data, &limits).expect("zip"))
    });
    g.bench_function(format!("scan/{name}"), |b| {
        b.iter(|| appvet_scan::scan_package(&data, &limits).expect("scan"))
    });
    g.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
