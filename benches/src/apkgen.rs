//! A large multidex APK: the binary manifest and resource table of a committed fixture, several
//! generated `classesN.dex` files with SDK-like and app classes whose code invokes one another
//! and a few sensitive Android APIs, URL and class-name string constants, the v1 signature files
//! of another fixture (they do not match this content: the APK is effectively unsigned), native
//! libraries and resource files appvet does not inflate.

use std::collections::HashSet;
use std::path::Path;

use crate::dexgen::{write_dex, ClassSpec, DexSpec, MethodSpec, Proto};
use crate::zipgen::{Method, ZipWriter};
use crate::Rng;

/// What to generate.
#[derive(Debug, Clone)]
pub struct ApkOptions {
    pub classes: usize,
    pub dex_files: usize,
    /// Methods each class defines (besides `<init>`).
    pub methods_per_class: usize,
    /// Resource entries (`res/...`) not read by appvet.
    pub res_files: usize,
    pub seed: u64,
}

impl Default for ApkOptions {
    fn default() -> Self {
        ApkOptions {
            classes: 100_000,
            dex_files: 8,
            methods_per_class: 3,
            res_files: 2_000,
            seed: 1,
        }
    }
}

/// Package prefixes of SDK code, with a weight (share of SDK classes).
const SDK_PACKAGES: &[(&str, u32)] = &[
    ("androidx/appcompat/widget", 6),
    ("androidx/core/app", 5),
    ("androidx/recyclerview/widget", 4),
    ("androidx/lifecycle", 4),
    ("androidx/fragment/app", 4),
    ("kotlin/collections", 6),
    ("kotlinx/coroutines/internal", 4),
    ("okhttp3/internal/http2", 3),
    ("retrofit2/converter", 2),
    ("com/google/gson/internal", 3),
    ("com/google/android/gms/ads/internal", 4),
    ("com/google/firebase/analytics", 2),
    ("com/umeng/analytics/pro", 3),
    ("com/umeng/commonsdk/statistics", 2),
    ("com/tencent/bugly/crashreport", 2),
    ("com/tencent/mm/opensdk/modelmsg", 2),
    ("com/baidu/location/c", 2),
    ("com/amap/api/location", 2),
    ("com/bytedance/sdk/openadsdk/core", 3),
    ("cn/jpush/android/service", 2),
    ("com/alipay/sdk/app", 1),
    ("com/facebook/ads/internal", 2),
    ("io/reactivex/internal/operators", 3),
    ("com/squareup/picasso", 1),
    ("com/bumptech/glide/load/engine", 3),
];

const APP_FEATURES: &[&str] = &[
    "homework",
    "timetable",
    "grades",
    "attendance",
    "messages",
    "login",
    "profile",
    "library",
    "exam",
    "video",
    "notice",
    "payment",
    "settings",
    "course",
    "quiz",
];

const WORDS: &[&str] = &[
    "Manager",
    "Helper",
    "Adapter",
    "Fragment",
    "Activity",
    "Service",
    "Provider",
    "Factory",
    "Builder",
    "Handler",
    "Listener",
    "Callback",
    "Controller",
    "Repository",
    "Model",
    "View",
    "Presenter",
    "Util",
    "Cache",
    "Config",
    "Client",
    "Request",
    "Response",
    "Parser",
    "Loader",
    "Engine",
    "Task",
    "Worker",
    "Receiver",
    "Binder",
    "Session",
    "Store",
    "Tracker",
    "Reporter",
];

const VERBS: &[&str] = &[
    "init", "start", "stop", "load", "parse", "report", "track", "send", "handle", "update",
    "create", "build", "get", "set", "reset", "flush", "open", "close", "bind", "run",
];

/// External (framework) methods the generated code calls, with their proto index.
const EXTERNAL: &[(&str, &str, usize)] = &[
    ("Ljava/lang/StringBuilder;", "append", 2),
    ("Landroid/util/Log;", "d", 3),
    ("Landroid/telephony/TelephonyManager;", "getDeviceId", 1),
    ("Landroid/provider/Settings$Secure;", "getString", 4),
    (
        "Landroid/location/LocationManager;",
        "getLastKnownLocation",
        5,
    ),
    ("Landroid/net/wifi/WifiInfo;", "getMacAddress", 1),
    (
        "Landroid/content/pm/PackageManager;",
        "getInstalledPackages",
        6,
    ),
];

fn protos() -> Vec<Proto> {
    let s = |x: &str| x.to_string();
    vec![
        (s("V"), vec![]),
        (s("Ljava/lang/String;"), vec![]),
        (
            s("Ljava/lang/StringBuilder;"),
            vec![s("Ljava/lang/String;")],
        ),
        (
            s("I"),
            vec![s("Ljava/lang/String;"), s("Ljava/lang/String;")],
        ),
        (
            s("Ljava/lang/String;"),
            vec![
                s("Landroid/content/ContentResolver;"),
                s("Ljava/lang/String;"),
            ],
        ),
        (
            s("Landroid/location/Location;"),
            vec![s("Ljava/lang/String;")],
        ),
        (s("Ljava/util/List;"), vec![s("I")]),
        (s("V"), vec![s("I")]),
        (s("Z"), vec![s("Ljava/lang/Object;")]),
    ]
}

/// The class descriptors of the generated APK (unique, deterministic).
pub fn class_names(rng: &mut Rng, n: usize) -> Vec<String> {
    let total_w: u32 = SDK_PACKAGES.iter().map(|p| p.1).sum();
    let mut seen = HashSet::with_capacity(n);
    let mut out = Vec::with_capacity(n);
    let mut i = 0usize;
    while out.len() < n {
        i += 1;
        let pkg = if rng.below(100) < 70 {
            let mut pick = rng.below(u64::from(total_w)) as u32;
            let mut chosen = SDK_PACKAGES[0].0.to_string();
            for (p, w) in SDK_PACKAGES {
                if pick < *w {
                    chosen = p.to_string();
                    break;
                }
                pick -= w;
            }
            // Obfuscated sub-packages, as R8 leaves them.
            format!("{chosen}/{}", (b'a' + rng.below(26) as u8) as char)
        } else {
            let f = APP_FEATURES[rng.below(APP_FEATURES.len() as u64) as usize];
            format!("com/example/school/{f}")
        };
        let w1 = WORDS[rng.below(WORDS.len() as u64) as usize];
        let w2 = WORDS[rng.below(WORDS.len() as u64) as usize];
        let mut name = format!("L{pkg}/{w1}{w2}{};", i % 1000);
        if rng.below(4) == 0 {
            name = format!("L{pkg}/{w1}{w2}{}${};", i % 1000, rng.below(9) + 1);
        }
        if seen.insert(name.clone()) {
            out.push(name);
        }
    }
    out
}

/// One DEX's spec: `classes` (descriptors), each with `<init>` and `methods_per_class` methods
/// whose code invokes methods of other classes (mostly of the same DEX), `Object.<init>` and now
/// and then a sensitive framework API.
fn dex_spec(rng: &mut Rng, classes: &[String], all: &[String], opts: &ApkOptions) -> DexSpec {
    let protos = protos();
    let method_name = |k: usize| -> String {
        // Distinct per class; a few shared names, as real code has.
        format!("{}{}", VERBS[k % VERBS.len()], k / VERBS.len())
    };
    let mut specs = Vec::with_capacity(classes.len());
    for desc in classes {
        let mut methods = vec![MethodSpec {
            name: "<init>".into(),
            proto: 0,
            invokes: vec![("Ljava/lang/Object;".into(), "<init>".into(), 0)],
        }];
        for k in 0..opts.methods_per_class {
            let mut invokes = Vec::new();
            for _ in 0..2 {
                // Another class's method: 95% in this DEX, else anywhere.
                let other = if rng.below(20) == 0 {
                    &all[rng.below(all.len() as u64) as usize]
                } else {
                    &classes[rng.below(classes.len() as u64) as usize]
                };
                let m = rng.below(opts.methods_per_class as u64) as usize;
                invokes.push((other.clone(), method_name(m), proto_of(m)));
            }
            let roll = rng.below(100);
            let ext = if roll < 3 {
                // sensitive APIs
                EXTERNAL[2 + rng.below((EXTERNAL.len() - 2) as u64) as usize]
            } else {
                EXTERNAL[(roll % 2) as usize]
            };
            invokes.push((ext.0.into(), ext.1.into(), ext.2));
            methods.push(MethodSpec {
                name: method_name(k),
                proto: proto_of(k),
                invokes,
            });
        }
        specs.push(ClassSpec {
            descriptor: desc.clone(),
            methods,
        });
    }
    // String constants: URLs of SDK and app hosts, reflection class names.
    let hosts = [
        "alog.umeng.com",
        "ulogs.umeng.com",
        "android.bugly.qq.com",
        "api.weixin.qq.com",
        "loc.map.baidu.com",
        "restapi.amap.com",
        "pangolin.snssdk.com",
        "googleads.g.doubleclick.net",
        "graph.facebook.com",
        "api.example-school.cn",
        "cdn.example-school.cn",
    ];
    let mut strings = Vec::new();
    for i in 0..classes.len() / 8 {
        let h = hosts[rng.below(hosts.len() as u64) as usize];
        let scheme = if rng.below(5) == 0 { "http" } else { "https" };
        strings.push(format!("{scheme}://{h}/v{}/api/{i}", rng.below(4)));
    }
    for c in classes.iter().step_by(50) {
        let dotted = c
            .trim_start_matches('L')
            .trim_end_matches(';')
            .replace('/', ".");
        strings.push(dotted);
    }
    strings.push("com.umeng.commonsdk.UMConfigure".into());
    strings.push("com.tencent.bugly.crashreport.CrashReport".into());
    DexSpec {
        classes: specs,
        protos,
        strings,
    }
}

/// Proto index of the `k`-th generated method (`()V`, `(I)V` or `(Ljava/lang/Object;)Z`).
fn proto_of(k: usize) -> usize {
    [0, 7, 8][k % 3]
}

/// Generate the DEX files of the APK.
pub fn dex_files(opts: &ApkOptions) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(opts.seed);
    let names = class_names(&mut rng, opts.classes);
    let per = names.len().div_ceil(opts.dex_files.max(1)).max(1);
    names
        .chunks(per)
        .map(|chunk| write_dex(&dex_spec(&mut rng, chunk, &names, opts)))
        .collect()
}

fn fixture_entry(fixture: &Path, name: &str) -> Vec<u8> {
    let data = std::fs::read(fixture).unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
    let limits = appvet_model::Limits::default();
    let archive = appvet_zip::Archive::parse(&data, &limits).expect("fixture is a zip");
    let entry = archive
        .by_name(name)
        .unwrap_or_else(|| panic!("{} has no {name}", fixture.display()));
    archive.read(entry).expect("fixture entry").into_owned()
}

/// Build the APK. `fixtures` is the `fixtures/android` directory (the manifest and resource
/// table come from `trackers.apk`, the v1 signature files from `v1only.apk`).
pub fn apk(opts: &ApkOptions, fixtures: &Path) -> Vec<u8> {
    let trackers = fixtures.join("trackers.apk");
    let v1 = fixtures.join("v1only.apk");
    let mut rng = Rng::new(opts.seed ^ 0x5eed);
    let mut z = ZipWriter::new(6);
    z.add(
        "AndroidManifest.xml",
        &fixture_entry(&trackers, "AndroidManifest.xml"),
        Method::Deflated,
    );
    z.add(
        "resources.arsc",
        &fixture_entry(&trackers, "resources.arsc"),
        Method::Stored,
    );
    for (i, dex) in dex_files(opts).iter().enumerate() {
        let name = if i == 0 {
            "classes.dex".to_string()
        } else {
            format!("classes{}.dex", i + 1)
        };
        z.add(&name, dex, Method::Deflated);
    }
    for abi in ["arm64-v8a", "armeabi-v7a"] {
        for lib in ["libBugly.so", "libumeng-spy.so", "libapp.so"] {
            let mut b = vec![0u8; 256 << 10];
            rng.fill(&mut b);
            b[..4].copy_from_slice(b"\x7fELF");
            z.add(&format!("lib/{abi}/{lib}"), &b, Method::Deflated);
        }
    }
    for i in 0..opts.res_files {
        let mut b = vec![0u8; 512 + rng.below(4096) as usize];
        rng.fill(&mut b[..64]);
        z.add(
            &format!("res/drawable-xxhdpi-v4/ic_{i}.png"),
            &b,
            Method::Deflated,
        );
    }
    z.add(
        "assets/config.json",
        br#"{"channel":"school","endpoint":"https://api.example-school.cn/"}"#,
        Method::Deflated,
    );
    for f in [
        "META-INF/MANIFEST.MF",
        "META-INF/CERT.SF",
        "META-INF/CERT.RSA",
    ] {
        z.add(f, &fixture_entry(&v1, f), Method::Deflated);
    }
    z.finish()
}
