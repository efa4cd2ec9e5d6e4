//! Detection benchmark: the embedded signature database over a synthetic inventory of 200,000
//! class names (defined and referenced, 5% from real SDK prefixes), 50,000 URL/host strings and
//! 50,000 class-name string constants (probe candidates), plus method references with callers.

use appvet_detect::{detect_with_strings, Database};
use appvet_model::{
    ClassNameString, CodeUnit, Location, MethodRef, MethodRefs, Named, PackageFormat, PackageInfo,
    PackageScan, Platform, UrlKind, UrlString,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const CLASSES: usize = 200_000;
const STRINGS: usize = 50_000;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

fn inventory(db: &Database) -> (PackageScan, Vec<ClassNameString>) {
    let prefixes: Vec<&str> = db
        .sdks
        .iter()
        .flat_map(|s| s.android.packages.iter().map(String::as_str))
        .collect();
    let domains: Vec<&str> = db
        .sdks
        .iter()
        .flat_map(|s| s.network.domains.iter().map(String::as_str))
        .collect();
    let mut r = Lcg(42);
    let name = |r: &mut Lcg, i: usize| -> String {
        let roll = r.next() % 20;
        if roll == 0 && !prefixes.is_empty() {
            format!("{}.c{}.K{i}", prefixes[r.next() % prefixes.len()], i % 97)
        } else if i % 3 < 1 {
            format!("com.example.school.feature{}.Screen{i}", i % 211)
        } else {
            format!("a.b{}.c{}", i % 977, i)
        }
    };
    let units = 20;
    let per = CLASSES / units;
    let mut code = Vec::new();
    for u in 0..units {
        let defined: Vec<Named> = (0..per * 3 / 4)
            .map(|i| Named {
                name: name(&mut r, u * per + i).into(),
                index: i as u32,
            })
            .collect();
        let referenced: Vec<Named> = (per * 3 / 4..per)
            .map(|i| Named {
                name: name(&mut r, u * per + i).into(),
                index: i as u32,
            })
            .collect();
        let mut calls = Vec::new();
        for i in 0..2_000u32 {
            let (class, meth) = match i % 50 {
                0 => ("android.telephony.TelephonyManager", "getDeviceId"),
                1 => ("android.provider.Settings$Secure", "getString"),
                2 => ("dalvik.system.DexClassLoader", "<init>"),
                _ => ("java.lang.StringBuilder", "append"),
            };
            let callers: Vec<u32> = (0..4).map(|_| (r.next() % defined.len()) as u32).collect();
            calls.push((class, meth, i, callers));
        }
        let methods =
            MethodRefs::from_refs(calls.iter().map(|(class, meth, i, callers)| MethodRef {
                class,
                name: meth,
                proto: "()V",
                index: *i,
                callers,
            }));
        code.push(CodeUnit {
            location: Location::entry(format!("classes{}.dex", u + 1)),
            version: "035".into(),
            classes_defined: defined,
            types_referenced: referenced,
            methods,
            ..CodeUnit::default()
        });
    }
    let urls: Vec<UrlString> = (0..STRINGS)
        .map(|i| {
            let host = if i % 10 < 1 && !domains.is_empty() {
                format!("api{}.{}", i % 7, domains[r.next() % domains.len()])
            } else {
                format!("cdn{}.example{}.com", i % 13, i % 1000)
            };
            UrlString {
                value: format!("https://{host}/p/{i}"),
                kind: UrlKind::Url,
                host,
                location: Location::entry("classes1.dex").with_index(i as u32),
            }
        })
        .collect();
    let strings: Vec<ClassNameString> = (0..STRINGS)
        .map(|i| ClassNameString {
            value: name(&mut r, CLASSES + i),
            location: Location::entry("classes1.dex").with_index(i as u32),
        })
        .collect();
    let mut scan = PackageScan {
        package: PackageInfo {
            platform: Platform::Android,
            format: PackageFormat::Apk,
            id: "com.example.school".into(),
            version_code: None,
            version_name: None,
            label: None,
            labels: Default::default(),
            min_sdk: None,
            target_sdk: None,
            compile_sdk: None,
            min_os_version: None,
            location: Location::entry("AndroidManifest.xml"),
        },
        inventory: Default::default(),
    };
    scan.inventory.code = code;
    scan.inventory.urls = urls;
    (scan, strings)
}

fn bench_detect(c: &mut Criterion) {
    let db = Database::embedded().expect("embedded signature database");
    let (scan, strings) = inventory(db);
    let mut g = c.benchmark_group("detect");
    g.sample_size(20);
    g.throughput(Throughput::Elements((CLASSES + 2 * STRINGS) as u64));
    g.bench_function("200k-classes-50k-urls-50k-strings", |b| {
        b.iter(|| detect_with_strings(&scan, db, &strings))
    });
    g.finish();
    c.bench_function("detect/database-load", |b| {
        let files: Vec<(String, String)> = Database::embedded_files()
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        b.iter(|| Database::from_files(&files, "bench").expect("valid"))
    });
}

criterion_group!(benches, bench_detect);
criterion_main!(benches);
