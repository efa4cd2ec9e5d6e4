//! Index reading: the fixtures against an independent reader, and hand-made hostile packages.

use super::*;

fn fixture(name: &str) -> Vec<u8> {
    let p = format!(
        "{}/../../fixtures/wechat/{name}.wxapkg",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e} (run fixtures/wechat/build.sh)"))
}

/// A package from (name, data), laid out as pack.py does.
fn pkg(files: &[(&str, &[u8])]) -> Vec<u8> {
    let index_len: usize = 4 + files.iter().map(|(n, _)| 12 + n.len()).sum::<usize>();
    let body_len: usize = files.iter().map(|(_, d)| d.len()).sum();
    let mut out = vec![0xBE];
    out.extend(0u32.to_be_bytes());
    out.extend((index_len as u32).to_be_bytes());
    out.extend((body_len as u32).to_be_bytes());
    out.push(0xED);
    out.extend((files.len() as u32).to_be_bytes());
    let mut off = 14 + index_len;
    for (n, d) in files {
        out.extend((n.len() as u32).to_be_bytes());
        out.extend(n.as_bytes());
        out.extend((off as u32).to_be_bytes());
        out.extend((d.len() as u32).to_be_bytes());
        off += d.len();
    }
    for (_, d) in files {
        out.extend(*d);
    }
    out
}

fn codes(a: &[Anomaly]) -> Vec<&str> {
    a.iter().map(|a| a.code.as_str()).collect()
}

#[test]
fn entries_equal_an_independent_reader() {
    for name in ["edu-clean", "edu-tracking"] {
        let path = format!(
            "{}/../../fixtures/wechat/{name}.wxapkg",
            env!("CARGO_MANIFEST_DIR")
        );
        let script = format!(
            "{}/../../fixtures/wechat/unpack.py",
            env!("CARGO_MANIFEST_DIR")
        );
        let out = match std::process::Command::new("python3")
            .arg(&script)
            .arg(&path)
            .output()
        {
            Ok(o) => o,
            Err(e) => {
                println!("skipped: python3 not runnable ({e})");
                return;
            }
        };
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        let data = fixture(name);
        let (ours, anomalies) = read_index(&data, &Limits::default()).unwrap();
        assert!(anomalies.is_empty(), "{anomalies:?}");
        let ours: Vec<serde_json::Value> = ours
            .iter()
            .map(|e| serde_json::json!({"name": e.name, "offset": e.offset, "size": e.size}))
            .collect();
        assert_eq!(ours, theirs, "{name}");
        assert!(ours.len() >= 4);
    }
}

#[test]
fn sniffing() {
    let good = pkg(&[("/a.js", b"x")]);
    assert!(is_wxapkg(&good));
    assert!(!is_wxapkg(&[]));
    assert!(!is_wxapkg(&[0xBE; 13]));
    assert!(is_encrypted_pc_wxapkg(b"V1MMWX\x01\x02"));
    assert!(!is_encrypted_pc_wxapkg(&good));
}

#[test]
fn not_packages_are_unsupported() {
    let l = Limits::default();
    for data in [
        &b""[..],
        b"PK\x03\x04",
        &[0xBE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xEE],
    ] {
        let e = scan(data, &l).unwrap_err();
        assert!(matches!(e, Error::UnsupportedPackage(_)), "{e}");
    }
    let e = scan(b"V1MMWX0123456789abcdef", &l).unwrap_err().to_string();
    assert!(
        e.contains("encrypted PC WeChat cache package (V1MMWX)"),
        "{e}"
    );
    assert!(e.contains("app id"), "{e}");
    // Header only, no count.
    let mut h = pkg(&[]);
    h.truncate(14);
    assert!(matches!(scan(&h, &l).unwrap_err(), Error::Malformed { .. }));
}

#[test]
fn huge_file_count_is_the_entry_limit() {
    let mut d = pkg(&[("/a.js", b"x")]);
    d.splice(14..18, 0xFFFF_FFFFu32.to_be_bytes());
    let e = scan(&d, &Limits::default()).unwrap_err();
    match e {
        Error::Limit { what, value, .. } => {
            assert_eq!((what, value), ("zip entries", 0xFFFF_FFFF));
        }
        other => panic!("{other}"),
    }
    // Below the limit but more records than bytes: an anomaly and the records that fit.
    d.splice(14..18, 1000u32.to_be_bytes());
    let s = scan(&d, &Limits::default()).unwrap();
    let c = codes(&s.inventory.anomalies);
    assert!(c.contains(&"wxapkg.index-truncated"), "{c:?}");
}

#[test]
fn huge_name_length_stops_the_index() {
    let mut d = pkg(&[("/a.js", b"wx.login()"), ("/b.js", b"")]);
    d.splice(18..22, 0x7FFF_FFFFu32.to_be_bytes());
    let (entries, a) = read_index(&d, &Limits::default()).unwrap();
    assert!(entries.is_empty());
    assert!(codes(&a).contains(&"wxapkg.bad-name-length"), "{a:?}");
}

#[test]
fn out_of_bounds_duplicates_and_overlaps_are_anomalies() {
    let mut d = pkg(&[("/a.js", b"wx.login()"), ("/b.js", b"wx.scanCode()")]);
    // /b.js: point its offset past the end.
    let b_off_at = 18 + 4 + 5 + 8 + 4 + 5;
    d.splice(b_off_at..b_off_at + 4, 0xFFFF_FF00u32.to_be_bytes());
    let (entries, a) = read_index(&d, &Limits::default()).unwrap();
    assert_eq!(entries.len(), 1);
    assert!(codes(&a).contains(&"wxapkg.entry-out-of-bounds"), "{a:?}");

    // Duplicate name and overlapping data (/c.js points into /a.js's bytes and the index).
    let mut d = pkg(&[
        ("/a.js", b"wx.login()"),
        ("/a.js", b"wx.scanCode()"),
        ("/c.js", b"x"),
    ]);
    let c_off_at = 18 + 2 * (4 + 5 + 8) + 4 + 5;
    d.splice(c_off_at..c_off_at + 4, 20u32.to_be_bytes());
    let (entries, a) = read_index(&d, &Limits::default()).unwrap();
    assert_eq!(entries.len(), 2);
    let c = codes(&a);
    assert!(c.contains(&"wxapkg.duplicate-entry"), "{c:?}");
    assert!(c.contains(&"wxapkg.overlapping-entries"), "{c:?}");
    let s = scan(&d, &Limits::default()).unwrap();
    assert!(s
        .inventory
        .code
        .iter()
        .any(|u| u.methods.iter().any(|m| m.name == "login")));
}

#[test]
fn header_lengths_that_disagree_are_anomalies() {
    let mut d = pkg(&[("/a.js", b"x")]);
    d.splice(5..9, 7u32.to_be_bytes());
    d.extend(b"trailing");
    let (_, a) = read_index(&d, &Limits::default()).unwrap();
    let c = codes(&a);
    assert!(c.contains(&"wxapkg.index-length-mismatch"), "{c:?}");
    assert!(c.contains(&"wxapkg.body-length-mismatch"), "{c:?}");
}

#[test]
fn non_utf8_names_missing_and_bad_configs() {
    let mut d = pkg(&[("/\u{e9}.js", b"wx.login()")]);
    // Replace the 2-byte é with 0xff 0xfe.
    d.splice(23..25, [0xff, 0xfe]);
    let s = scan(&d, &Limits::default()).unwrap();
    let c = codes(&s.inventory.anomalies);
    assert!(c.contains(&"wxapkg.name-not-utf8"), "{c:?}");
    assert!(c.contains(&"wxapkg.config-missing"), "{c:?}");
    assert_eq!(s.package.id, "");

    let d = pkg(&[("/app-config.json", b"{\"pages\": [")]);
    let s = scan(&d, &Limits::default()).unwrap();
    assert_eq!(
        codes(&s.inventory.anomalies),
        vec!["wxapkg.config-unreadable"]
    );
    assert_eq!(s.inventory.files.len(), 1);
}

#[test]
fn source_layout_app_json_and_limits() {
    let d = pkg(&[
        (
            "/app.json",
            br#"{"pages":["p/a"],"subpackages":[{"root":"sub","pages":["x"]}]}"#,
        ),
        ("/miniprogram_npm/@vant/weapp/button/index.js", b""),
        ("/miniprogram_npm/x.js", b""),
        ("/inner/pkg.wxapkg", b"\xbe"),
    ]);
    let s = scan(&d, &Limits::default()).unwrap();
    let pages: Vec<&str> = s
        .inventory
        .components
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(pages, vec!["p/a", "sub/x"]);
    let npm: Vec<&str> = s.inventory.modules.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(npm, vec!["@vant/weapp"]);
    assert!(s
        .inventory
        .files
        .iter()
        .any(|f| f.kind == FileKind::EmbeddedArchive && f.path == "/inner/pkg.wxapkg"));

    let small = Limits {
        max_entry_size: 10,
        ..Limits::default()
    };
    assert!(matches!(
        scan(&d, &small).unwrap_err(),
        Error::Limit {
            what: "zip entry size",
            ..
        }
    ));
    let few = Limits {
        max_zip_entries: 3,
        ..Limits::default()
    };
    assert!(matches!(
        scan(&d, &few).unwrap_err(),
        Error::Limit {
            what: "zip entries",
            ..
        }
    ));
    let one = Limits {
        max_list_items: 1,
        ..Limits::default()
    };
    let s = scan(&d, &one).unwrap();
    assert_eq!(s.inventory.components.len(), 1);
    assert_eq!(s.inventory.truncated.get("components"), Some(&1));
}
