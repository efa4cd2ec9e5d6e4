//! Validation of signature data: every problem names the file and key; strict parsing; the
//! over-generic and conflict rules; εxodus coverage of the real database.

use appvet_detect::{exodus, Database, Problem, Severity};

const GOOD: &str = r#"
id = "good-sdk"
name = "Good SDK"
vendor = "Good Inc."
region = "global"
categories = ["analytics"]
sources = ["test"]
[android]
packages = ["com.goodsdk"]
"#;

fn files(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f = vec![("VERSION".to_string(), "2026.01.01\n".to_string())];
    f.extend(extra.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    f
}

fn errors(extra: &[(&str, &str)]) -> Vec<Problem> {
    Database::check(&files(extra))
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect()
}

fn has(ps: &[Problem], file: &str, key: &str, needle: &str) -> bool {
    ps.iter()
        .any(|p| p.file == file && p.key == key && p.message.contains(needle))
}

#[test]
fn good_file_loads() {
    let db = Database::from_files(&files(&[("sdk/good-sdk.toml", GOOD)]), "t").unwrap();
    assert_eq!(db.sdks.len(), 1);
    assert_eq!(db.version, "2026.01.01");
    assert_eq!(
        db.sdk_for_class("com.goodsdk.x.Y").map(|s| s.id.as_str()),
        Some("good-sdk")
    );
    assert!(db.sdk_for_class("com.goodsdkx.Y").is_none());
}

#[test]
fn unknown_keys_and_bad_syntax_are_errors_with_location() {
    let e = errors(&[("sdk/good-sdk.toml", &format!("{GOOD}\nextra = 1\n"))]);
    assert!(
        e.iter()
            .any(|p| p.file == "sdk/good-sdk.toml" && p.message.contains("unknown field")),
        "{e:?}"
    );
    let e = errors(&[(
        "sdk/good-sdk.toml",
        &GOOD.replace("[android]", "[android]\npackage = [\"x.y\"]"),
    )]);
    assert!(
        e.iter()
            .any(|p| p.message.contains("unknown field `package`")),
        "{e:?}"
    );
    let e = errors(&[("sdk/good-sdk.toml", "id = ")]);
    assert!(
        e.iter()
            .any(|p| p.file == "sdk/good-sdk.toml" && p.key.starts_with("line")),
        "{e:?}"
    );
    let e = errors(&[("permissions.toml", "android = [{ name = \"x\" }]")]);
    assert!(
        e.iter()
            .any(|p| p.file == "permissions.toml" && p.message.contains("missing field")),
        "{e:?}"
    );
}

#[test]
fn identity_rules() {
    let e = errors(&[("sdk/other.toml", GOOD)]);
    assert!(
        has(&e, "sdk/other.toml", "id", "differs from the file name"),
        "{e:?}"
    );
    let bad = GOOD.replace("good-sdk", "Good_SDK");
    let e = errors(&[("sdk/Good_SDK.toml", &bad)]);
    assert!(has(&e, "sdk/Good_SDK.toml", "id", "must match"), "{e:?}");
    let e = errors(&[(
        "sdk/good-sdk.toml",
        &GOOD.replace("\"analytics\"", "\"spyware\""),
    )]);
    assert!(
        has(&e, "sdk/good-sdk.toml", "categories[0]", "unknown category"),
        "{e:?}"
    );
    let e = errors(&[("sdk/good-sdk.toml", &GOOD.replace("\"global\"", "\"eu\""))]);
    assert!(has(&e, "sdk/good-sdk.toml", "region", "cn"), "{e:?}");
    let e = errors(&[(
        "sdk/good-sdk.toml",
        &GOOD.replace("sources = [\"test\"]", "collects = [\"souls\"]"),
    )]);
    assert!(
        has(&e, "sdk/good-sdk.toml", "collects[0]", "unknown category"),
        "{e:?}"
    );
    let e = Database::check(&[("sdk/good-sdk.toml".to_string(), GOOD.to_string())]);
    assert!(has(&e, "VERSION", "", "missing"), "{e:?}");
}

#[test]
fn over_generic_patterns_are_rejected() {
    for (prefix, needle) in [
        ("com", "fewer than 2"),
        ("com.google", "shared namespace"),
        ("com.tencent", "shared namespace"),
        ("androidx.work", "platform namespace"),
        ("kotlin.io", "platform namespace"),
        ("com.goodsdk.", "trailing"),
        ("com..x", "empty segment"),
        ("com.good.*", "not a dotted name"),
    ] {
        let t = GOOD.replace("\"com.goodsdk\"", &format!("{prefix:?}"));
        let e = errors(&[("sdk/good-sdk.toml", &t)]);
        assert!(
            has(&e, "sdk/good-sdk.toml", "android.packages[0]", needle),
            "{prefix}: {e:?}"
        );
    }
    let t = GOOD.replace(
        "packages = [\"com.goodsdk\"]",
        "class_regex = [\".*\\\\.Activity\", \"com\\\\.good\\\\.(\"]",
    );
    let e = errors(&[("sdk/good-sdk.toml", &t)]);
    assert!(
        has(
            &e,
            "sdk/good-sdk.toml",
            "android.class_regex[0]",
            "over-generic"
        ),
        "{e:?}"
    );
    assert!(
        has(
            &e,
            "sdk/good-sdk.toml",
            "android.class_regex[1]",
            "does not compile"
        ),
        "{e:?}"
    );
    let t = GOOD.replace(
        "packages = [\"com.goodsdk\"]",
        "native_libs = [\"re:lib.*\\\\.so\"]",
    );
    let e = errors(&[("sdk/good-sdk.toml", &t)]);
    assert!(
        has(
            &e,
            "sdk/good-sdk.toml",
            "android.native_libs[0]",
            "over-generic"
        ),
        "{e:?}"
    );
    let t = format!("{GOOD}[network]\ndomains = [\"com.cn\", \"Bad Host\"]\n");
    let e = errors(&[("sdk/good-sdk.toml", &t)]);
    assert!(
        has(
            &e,
            "sdk/good-sdk.toml",
            "network.domains[0]",
            "over-generic"
        ),
        "{e:?}"
    );
    assert!(
        has(
            &e,
            "sdk/good-sdk.toml",
            "network.domains[1]",
            "lower-case host"
        ),
        "{e:?}"
    );
    let t = format!("{GOOD}[ios]\nclass_prefixes = [\"UI\"]\n");
    let e = errors(&[("sdk/good-sdk.toml", &t)]);
    assert!(
        has(
            &e,
            "sdk/good-sdk.toml",
            "ios.class_prefixes[0]",
            "over-generic"
        ),
        "{e:?}"
    );
}

#[test]
fn conflicts_between_sdks_are_rejected() {
    let other = GOOD.replace("good-sdk", "other-sdk");
    let e = errors(&[("sdk/good-sdk.toml", GOOD), ("sdk/other-sdk.toml", &other)]);
    assert!(
        e.iter()
            .any(|p| p.key == "android.packages[0]" && p.message.contains("also claimed by")),
        "{e:?}"
    );
    // A regex of one SDK that swallows another's prefix.
    let greedy = GOOD.replace("good-sdk", "greedy").replace(
        "packages = [\"com.goodsdk\"]",
        "class_regex = [\"com\\\\.good.*\"]",
    );
    let e = errors(&[("sdk/good-sdk.toml", GOOD), ("sdk/greedy.toml", &greedy)]);
    assert!(
        has(
            &e,
            "sdk/good-sdk.toml",
            "android.packages[0]",
            "class_regex of greedy"
        ),
        "{e:?}"
    );
    // Nested prefixes of different SDKs are fine: the more specific one wins.
    let nested = GOOD
        .replace("good-sdk", "nested")
        .replace("\"com.goodsdk\"", "\"com.goodsdk.ads\"");
    let db = Database::from_files(
        &files(&[("sdk/good-sdk.toml", GOOD), ("sdk/nested.toml", &nested)]),
        "t",
    )
    .unwrap();
    assert_eq!(db.sdk_for_class("com.goodsdk.ads.X").unwrap().id, "nested");
    assert_eq!(
        db.sdk_for_class("com.goodsdk.adsx.X").unwrap().id,
        "good-sdk"
    );
}

#[test]
fn catalogue_rules() {
    let e = errors(&[(
        "permissions.toml",
        "android = [{ name = \"a.B\", category = \"x\", level = \"weird\", what = \"w\", biometric = \"iris\" }, { name = \"a.B\", category = \"camera\", level = \"normal\", what = \"w\" }]",
    )]);
    assert!(
        has(
            &e,
            "permissions.toml",
            "android[0].category",
            "unknown category"
        ),
        "{e:?}"
    );
    assert!(
        has(&e, "permissions.toml", "android[0].level", "unknown level"),
        "{e:?}"
    );
    assert!(
        has(
            &e,
            "permissions.toml",
            "android[0].biometric",
            "unknown modality"
        ),
        "{e:?}"
    );
    assert!(
        has(&e, "permissions.toml", "android[1]", "duplicate"),
        "{e:?}"
    );
    let e = errors(&[(
        "apis.toml",
        "[[android]]\nid = \"x\"\nwhat = \"w\"\ncategory = \"camera\"\nclass = \"a.B\"\n[[ios]]\nid = \"x\"\nwhat = \"w\"\ncategory = \"location\"\n",
    )]);
    assert!(
        has(&e, "apis.toml", "ios[0].category", "has category"),
        "{e:?}"
    );
    assert!(has(&e, "apis.toml", "ios[0]", "needs classes"), "{e:?}");
    let e = errors(&[(
        "packers.toml",
        "[[packer]]\nid = \"p\"\nname = \"P\"\nvendor = \"V\"\nnative_libs = [\"re:(\"]\n",
    )]);
    assert!(
        has(
            &e,
            "packers.toml",
            "packer[0].native_libs[0]",
            "does not compile"
        ),
        "{e:?}"
    );
}

#[test]
fn load_and_check_a_directory() {
    let dir = std::env::temp_dir().join(format!("appvet-detect-sig-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sdk")).unwrap();
    std::fs::write(dir.join("VERSION"), "2026.02.02\n").unwrap();
    std::fs::write(dir.join("sdk/good-sdk.toml"), GOOD).unwrap();
    let db = Database::load_dir(&dir).unwrap();
    assert_eq!(db.info().sdks, 1);
    assert_eq!(db.info().version, "2026.02.02");
    assert_eq!(db.source, dir.display().to_string());
    std::fs::write(dir.join("sdk/bad.toml"), GOOD).unwrap();
    let e = Database::load_dir(&dir).unwrap_err();
    assert!(
        has(&e.problems, "sdk/bad.toml", "id", "differs"),
        "{:?}",
        e.problems
    );
    assert!(Database::check_dir(&dir.join("missing"))
        .iter()
        .any(|p| p.severity == Severity::Error));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hostile signature files (a user's `--signatures DIR`): mutated text never panics.
#[test]
fn mutated_signature_files_never_panic() {
    let base: Vec<(String, String)> = Database::embedded_files()
        .iter()
        .filter(|(p, _)| !p.starts_with("sdk/") || p.starts_with("sdk/u"))
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let mut seed: u64 = 0x5eed;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let alphabet = b"[]{}=\".,$\\*+()|^a-z09 \n#_";
    let start = std::time::Instant::now();
    for round in 0..200 {
        let mut files = base.clone();
        let k = next() % files.len();
        let (_, text) = &mut files[k];
        let mut bytes = text.clone().into_bytes();
        if bytes.is_empty() {
            continue;
        }
        if round % 3 == 0 {
            bytes.truncate(next() % bytes.len());
        } else {
            for _ in 0..4 {
                let i = next() % bytes.len();
                if bytes[i].is_ascii() {
                    bytes[i] = alphabet[next() % alphabet.len()];
                }
            }
        }
        *text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = Database::check(&files);
    }
    assert!(start.elapsed().as_secs() < 60);
}

/// Every εxodus code signature alternative is matched by an SDK that cites that tracker.
#[test]
fn exodus_coverage() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/reference/exodus_trackers.json"
    );
    let json = std::fs::read_to_string(path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let db = Database::embedded().unwrap();
    let mut missing = Vec::new();
    let mut checked = 0;
    for (id, t) in v["trackers"].as_object().unwrap() {
        let sig = t["code_signature"].as_str().unwrap_or("");
        for alt in sig.split('|') {
            let Some(name) = exodus::synthetic_for_signature(alt) else {
                continue;
            };
            checked += 1;
            let source = format!("exodus:{id}");
            match db.sdk_for_class(&name) {
                Some(s) if s.sources.contains(&source) => {}
                got => missing.push(format!(
                    "{source} {} {alt:?} ({name}) -> {:?}",
                    t["name"],
                    got.map(|s| (&s.id, &s.sources))
                )),
            }
        }
    }
    assert!(checked > 500, "{checked}");
    assert!(
        missing.is_empty(),
        "{} of {checked} not covered:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn chinese_descriptions_are_optional_but_never_blank() {
    let perms = "android = [\
        { name = \"a.A\", category = \"camera\", level = \"dangerous\", what = \"w\" },\
        { name = \"a.B\", category = \"camera\", level = \"dangerous\", what = \"w\", what_zh = \" \" },\
        { name = \"a.C\", category = \"camera\", level = \"dangerous\", what = \"w\", what_zh = \"camera\" },\
        { name = \"a.D\", category = \"camera\", level = \"dangerous\", what = \"w\", what_zh = \"使用相机\" }]";
    let apis = "[[android]]\nid = \"x\"\nwhat = \"w\"\ncategory = \"camera\"\nclass = \"a.B\"\n\
        [[ios]]\nid = \"y\"\nwhat = \"w\"\nwhat_zh = \"\"\ncategory = \"camera\"\nclasses = [\"C\"]\n";
    let packers =
        "[[packer]]\nid = \"p\"\nname = \"P\"\nvendor = \"V\"\nnative_libs = [\"libp.so\"]\n\
        [[code_loading]]\nid = \"l\"\nname = \"L\"\nname_zh = \"加载器\"\nclass = \"a.L\"\n";
    let all = Database::check(&files(&[
        ("permissions.toml", perms),
        ("apis.toml", apis),
        ("packers.toml", packers),
    ]));
    let warn = |file: &str, key: &str, needle: &str| {
        all.iter().any(|p| {
            p.severity == Severity::Warning
                && p.file == file
                && p.key == key
                && p.message.contains(needle)
        })
    };
    let e: Vec<Problem> = all
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .cloned()
        .collect();
    // Absent: a warning only, the directory still loads.
    assert!(
        warn("permissions.toml", "android[0].what_zh", "missing"),
        "{all:?}"
    );
    assert!(
        warn("apis.toml", "android[0].what_zh", "missing"),
        "{all:?}"
    );
    assert!(
        warn("packers.toml", "packer[0].name_zh", "missing"),
        "{all:?}"
    );
    // Blank: an error; not Chinese: a warning.
    assert!(
        has(&e, "permissions.toml", "android[1].what_zh", "empty"),
        "{e:?}"
    );
    assert!(has(&e, "apis.toml", "ios[0].what_zh", "empty"), "{e:?}");
    assert!(
        warn("permissions.toml", "android[2].what_zh", "no Chinese"),
        "{all:?}"
    );
    assert!(
        !all.iter().any(|p| p.key == "android[3].what_zh"),
        "{all:?}"
    );
    assert!(
        !all.iter().any(|p| p.key == "code_loading[0].name_zh"),
        "{all:?}"
    );
    assert_eq!(e.len(), 2, "{e:?}");
    // A directory without any Chinese loads.
    let ok = "android = [{ name = \"a.A\", category = \"camera\", level = \"dangerous\", what = \"w\" }]";
    let db = Database::from_files(&files(&[("permissions.toml", ok)]), "t").unwrap();
    assert_eq!(db.permissions.android[0].what_zh, None);
}

/// The data files are what `signatures/tools/derive.py` leaves them as: a hand-written entry
/// without "curated" in its sources would be deleted or rewritten by the next derivation, and
/// COVERAGE.md must count what is there.
#[test]
fn derived_files_are_up_to_date() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = std::process::Command::new("python3")
        .arg(format!("{root}/signatures/tools/derive.py"))
        .arg("--check")
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "derive.py --check: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
