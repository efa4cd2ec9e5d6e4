//! The HTML report in a real browser: Debian's Chromium, headless, no network. The report of
//! the trackers fixture under `mandated` is rendered by the binary, its DOM dumped and checked
//! for the verdict and the clause statuses, and a screenshot is taken to
//! `<target>/appvet-report.png` and checked to be a non-blank PNG. The hostile-label report
//! must show `<script>alert(1)</script>` as text and contain no script element.
//!
//! Needs `/usr/bin/chromium` (`apt-get install chromium`; `scripts/test.sh` installs it).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium() -> &'static str {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: install Debian's chromium package (`apt-get install chromium`; \
         scripts/test.sh installs it) to run the browser test"
    );
    CHROMIUM
}

fn target_tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("appvet-browser-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The target directory (parent of CARGO_TARGET_TMPDIR, which is `<target>/tmp`).
fn target_dir() -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().map(Path::to_path_buf).unwrap_or(tmp)
}

fn html_report(pkg: &str, ctx: &str, dir: &Path) -> PathBuf {
    let out = dir.join("report.html");
    let status = Command::new(env!("CARGO_BIN_EXE_appvet"))
        .args(["scan", "--scan-date", "2024-07-01", "--format", "html"])
        .args(if ctx.is_empty() {
            vec![]
        } else {
            vec!["--context", ctx]
        })
        .arg("-o")
        .arg(&out)
        .arg(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../fixtures")
                .join(pkg),
        )
        .status()
        .unwrap();
    assert!(status.success());
    out
}

/// Run headless Chromium with the given extra arguments on a local file; stdout.
fn run_chromium(dir: &Path, page: &Path, extra: &[String]) -> String {
    let profile = dir.join(format!("profile-{}", extra.len()));
    std::fs::create_dir_all(&profile).unwrap();
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(&url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read stdout on a thread so a large DOM cannot block the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).unwrap();
        s
    });
    let mut stderr = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = reader.join().unwrap();
    let err = err_reader.join().unwrap();
    assert!(status.success(), "chromium failed ({status}): {err}");
    out
}

#[test]
fn html_report_renders_in_chromium() {
    let dir = target_tmp("trackers");
    let page = html_report("android/trackers.apk", "mandated", &dir);

    let dom = run_chromium(&dir, &page, &["--dump-dom".to_string()]);
    assert!(dom.contains(r#"data-verdict="fail""#), "{dom}");
    assert!(dom.contains("不通过"), "verdict label");
    assert!(dom.contains(r#"data-clause="JJH55-11-ads" data-status="violation""#));
    assert!(dom.contains(r#"data-clause="JJH55-5-ads" data-status="needs-review""#));
    assert!(dom.contains(r#"data-clause="JJS265-3-3" data-status="not-applicable""#));
    assert!(dom.contains(r#"data-clause="JJH55-16" data-status="not-checkable""#));
    assert!(dom.contains(r#"data-clause="JJH55-11-games" data-status="pass""#));
    for label in ["违规", "需人工复核", "未发现问题", "不适用", "无法静态检测"]
    {
        assert!(dom.contains(label), "status label {label}");
    }
    assert!(dom.contains(r#"data-sdk="pangle""#));

    let png_path = target_dir().join("appvet-report.png");
    let _ = std::fs::remove_file(&png_path);
    run_chromium(
        &dir,
        &page,
        &[
            format!("--screenshot={}", png_path.display()),
            "--window-size=1280,2000".to_string(),
        ],
    );
    let bytes = std::fs::read(&png_path).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(
        bytes.len() > 20_000,
        "suspiciously small: {} bytes",
        bytes.len()
    );
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1280, 2000));
    let channels = match info.color_type {
        png::ColorType::Rgba => 4,
        png::ColorType::Rgb => 3,
        other => panic!("unexpected colour type {other:?}"),
    };
    let pixels: Vec<(u8, u8, u8)> = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| (p[0], p[1], p[2]))
        .collect();
    // Not blank: the luminance varies and many pixels are neither background nor white.
    let lum: Vec<f64> = pixels
        .iter()
        .map(|&(r, g, b)| 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b))
        .collect();
    let mean = lum.iter().sum::<f64>() / lum.len() as f64;
    let var = lum.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / lum.len() as f64;
    assert!(
        var > 100.0,
        "blank screenshot (luminance variance {var:.1})"
    );
    let dark = lum.iter().filter(|&&l| l < 100.0).count();
    assert!(dark > 5_000, "too little text: {dark} dark pixels");
    // The fail banner's red verdict badge (#b42318) is painted.
    let red = pixels
        .iter()
        .filter(|&&(r, g, b)| {
            r.abs_diff(0xb4) < 12 && g.abs_diff(0x23) < 12 && b.abs_diff(0x18) < 12
        })
        .count();
    assert!(red > 1_000, "no red verdict banner: {red} red pixels");
    println!("screenshot of the HTML report: {}", png_path.display());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hostile_label_shows_as_text_and_runs_nothing() {
    for (pkg, ctx) in [
        ("android/hostile-label.apk", ""),
        ("ios/hostile.ipa", "mandated"),
    ] {
        let dir = target_tmp(pkg.rsplit('/').next().unwrap());
        let page = html_report(pkg, ctx, &dir);
        let dom = run_chromium(&dir, &page, &["--dump-dom".to_string()]);
        // The serialised DOM escapes text: this is the text `<script>alert(1)</script>`.
        assert!(
            dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{pkg}: label text missing: {dom}"
        );
        let lower = dom.to_ascii_lowercase();
        assert!(
            !lower.contains("<script"),
            "{pkg}: a script element in the DOM"
        );
        assert!(!lower.contains("<img"), "{pkg}: an img element in the DOM");
        assert!(dom.contains(r#"id="app-label""#));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
