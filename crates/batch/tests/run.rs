//! The batch pipeline as a library: discovery, ordered parallel results, stopping on a
//! consumer error, and resume identity (path, size, mtime, hash).

use appvet_batch::{discover, run, Options, Outcome, ResumeIndex, Summary};
use appvet_model::Limits;
use appvet_policy::{ContextSet, Date, Inputs};
use std::io;
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn work_dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Write `bytes` to `path`, then set its modification time back to `mtime`.
fn rewrite_keeping_mtime(path: &std::path::Path, bytes: &[u8], mtime: std::time::SystemTime) {
    std::fs::write(path, bytes).unwrap();
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
}

fn inputs() -> Inputs<'static> {
    Inputs::new(ContextSet::empty(), Date::new(2024, 7, 1).unwrap())
}

#[test]
fn discover_walks_directories_for_package_extensions_only() {
    let d = work_dir("discover");
    std::fs::create_dir_all(d.join("a/b")).unwrap();
    for name in [
        "x.apk",
        "a/y.IPA",
        "a/b/z.xapk",
        "a/b/w.aab",
        "a/c.apks",
        "a/n.txt",
        "a/apk",
    ] {
        std::fs::write(d.join(name), b"").unwrap();
    }
    // A symlinked directory is not walked (no loops); a file named directly is kept whatever
    // its name, and a missing one too (so its error names it). The order of the command line
    // is kept (a directory's packages sorted where it is named), and a file named twice or also
    // found in a walked directory comes once, where it first appears.
    #[cfg(unix)]
    std::os::unix::fs::symlink(&d, d.join("a/loop")).unwrap();
    let (files, errors) = discover(&[
        d.join("missing.apk"),
        d.join("a/c.apks"),
        d.clone(),
        d.join("a/n.txt"),
        d.join("missing.apk"),
    ]);
    assert!(errors.is_empty(), "{errors:?}");
    let rel: Vec<String> = files
        .iter()
        .map(|p| {
            p.strip_prefix(&d)
                .map(|r| r.display().to_string())
                .unwrap_or_else(|_| p.display().to_string())
        })
        .collect();
    assert_eq!(
        rel,
        [
            "missing.apk",
            "a/c.apks",
            "a/b/w.aab",
            "a/b/z.xapk",
            "a/y.IPA",
            "x.apk",
            "a/n.txt",
        ]
    );
}

#[test]
fn results_come_in_input_order_whatever_the_jobs() {
    let mut files: Vec<PathBuf> = Vec::new();
    for _ in 0..5 {
        for e in std::fs::read_dir(fixtures().join("android")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|e| e == "apk") {
                files.push(p);
            }
        }
    }
    files.push(PathBuf::from("/nonexistent/x.apk"));
    let inputs = inputs();
    let mut seen = Vec::new();
    for jobs in [1, 2, 3] {
        let opts = Options {
            jobs,
            limits: Limits::default(),
            db: None,
            inputs: &inputs,
            keep_inventory: false,
            resume: None,
        };
        let mut order = Vec::new();
        let mut summary = Summary::new();
        run(&files, &opts, |o| {
            match o {
                Outcome::Report(r) => {
                    assert!(r.inventory.is_none());
                    summary.add_report(&r);
                    order.push(r.file.path.clone());
                }
                Outcome::Error { path, message } => {
                    assert!(!message.is_empty());
                    summary.add_error();
                    order.push(path.display().to_string());
                }
                Outcome::Skipped { .. } => panic!("nothing to skip"),
            }
            Ok(())
        })
        .unwrap();
        let expected: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(order, expected, "jobs {jobs}");
        assert_eq!(summary.errors, 1);
        assert_eq!(summary.scanned as usize, files.len() - 1);
        seen.push(summary.render_csv(10));
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn a_consumer_error_stops_the_batch() {
    let files: Vec<PathBuf> = (0..200)
        .map(|_| fixtures().join("android/clean.apk"))
        .collect();
    let inputs = inputs();
    let opts = Options {
        jobs: 2,
        limits: Limits::default(),
        db: None,
        inputs: &inputs,
        keep_inventory: false,
        resume: None,
    };
    let mut calls = 0;
    let r = run(&files, &opts, |_| {
        calls += 1;
        if calls == 3 {
            Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
        } else {
            Ok(())
        }
    });
    assert_eq!(r.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
    assert_eq!(calls, 3);
}

#[test]
fn resume_identity_is_path_size_mtime_and_content() {
    let d = work_dir("resume-identity");
    let pkg = d.join("app.apk");
    std::fs::copy(fixtures().join("android/clean.apk"), &pkg).unwrap();
    let out = d.join("out.jsonl");
    let inputs = inputs();
    let opts = Options {
        jobs: 1,
        limits: Limits::default(),
        db: None,
        inputs: &inputs,
        keep_inventory: false,
        resume: None,
    };
    let mut text = String::new();
    run(std::slice::from_ref(&pkg), &opts, |o| {
        if let Outcome::Report(r) = o {
            text.push_str(&serde_json::to_string(&r).unwrap());
            text.push('\n');
        }
        Ok(())
    })
    .unwrap();
    // An interrupted last line (here cut inside the UTF-8 of 审) and an error record do not
    // count as results.
    text.push_str("{\"error\":{\"path\":\"other.apk\",\"message\":\"x\"}}\n{\"file\":{\"pa");
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(&"审".as_bytes()[..2]);
    std::fs::write(&out, &bytes).unwrap();

    let index = ResumeIndex::load(&out).unwrap();
    assert_eq!(index.len(), 1);
    let brief = index
        .lookup(&pkg)
        .expect("same file is done")
        .expect("brief read back");
    assert_eq!(brief.package.platform, appvet_model::Platform::Android);
    assert!(!index.contains(&d.join("other.apk")));

    // Same size and mtime, different content: the hash tells.
    let meta = std::fs::metadata(&pkg).unwrap();
    let mut bytes = std::fs::read(&pkg).unwrap();
    bytes[10] ^= 1;
    rewrite_keeping_mtime(&pkg, &bytes, meta.modified().unwrap());
    assert_eq!(std::fs::metadata(&pkg).unwrap().len(), meta.len());
    assert!(!index.contains(&pkg));
    // Restored content with the original mtime is the same file again.
    bytes[10] ^= 1;
    rewrite_keeping_mtime(&pkg, &bytes, meta.modified().unwrap());
    assert!(index.contains(&pkg));
    // A missing output file is an empty index.
    assert!(ResumeIndex::load(&d.join("none.jsonl")).unwrap().is_empty());
}
