//! Facts of the fixtures in `fixtures/wechat/` (sources in `fixtures/wechat/src/`).

use appvet_model::{CodeUnit, ComponentKind, FileKind, Limits, ModuleKind, PackageScan, UrlKind};

fn dir() -> String {
    format!("{}/../../fixtures/wechat", env!("CARGO_MANIFEST_DIR"))
}

fn bytes(name: &str) -> Vec<u8> {
    let p = format!("{}/{name}.wxapkg", dir());
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e} (run fixtures/wechat/build.sh)"))
}

fn scan(name: &str) -> PackageScan {
    let d = bytes(name);
    assert!(appvet_wxapkg::is_wxapkg(&d));
    assert!(!appvet_wxapkg::is_encrypted_pc_wxapkg(&d));
    appvet_wxapkg::scan(&d, &Limits::default().started()).unwrap()
}

fn unit<'a>(s: &'a PackageScan, entry: &str) -> &'a CodeUnit {
    s.inventory
        .code
        .iter()
        .find(|u| u.location.entry == entry)
        .unwrap_or_else(|| panic!("no code unit {entry}"))
}

/// `(api, [caller names])` of a unit.
fn calls(u: &CodeUnit) -> Vec<(String, Vec<String>)> {
    u.methods
        .iter()
        .map(|m| {
            let callers = m
                .callers
                .iter()
                .map(|&c| {
                    let n = u.classes_defined.iter().find(|n| n.index == c).unwrap();
                    n.name.to_string()
                })
                .collect();
            (format!("{}.{}", m.class, m.name), callers)
        })
        .collect()
}

fn owned(v: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    v.iter()
        .map(|(a, c)| (a.to_string(), c.iter().map(|s| s.to_string()).collect()))
        .collect()
}

/// Offset of `needle` in the package bytes (first occurrence at or after `from`).
fn find(hay: &[u8], needle: &str, from: usize) -> u64 {
    let n = needle.as_bytes();
    (from..hay.len() - n.len())
        .find(|&i| &hay[i..i + n.len()] == n)
        .unwrap() as u64
}

#[test]
fn edu_clean() {
    let s = scan("edu-clean");
    assert_eq!(s.package.id, "wx0a1b2c3d4e5f6071");
    assert_eq!(s.package.label.as_deref(), Some("智慧课堂"));
    assert_eq!(s.package.location.entry, "/app-config.json");
    let inv = &s.inventory;
    assert!(inv.anomalies.is_empty(), "{:?}", inv.anomalies);
    assert!(inv.permissions.is_empty());
    assert!(inv.modules.is_empty());
    assert!(inv.background_modes.is_empty());
    let pages: Vec<_> = inv
        .components
        .iter()
        .map(|c| (c.kind, c.name.as_str(), c.exported))
        .collect();
    assert_eq!(
        pages,
        vec![
            (ComponentKind::Page, "pages/index/index", false),
            (ComponentKind::Page, "pages/lesson/lesson", false)
        ]
    );
    let meta: Vec<_> = inv
        .metadata
        .iter()
        .map(|m| (m.name.as_str(), m.value.as_deref().unwrap_or("")))
        .collect();
    assert!(meta.contains(&("entryPagePath", "pages/index/index")));
    assert!(meta.contains(&("networkTimeout.request", "10000")));
    // The commented-out wx.getLocation() and the wx.getUserProfile( inside a string are not calls.
    assert_eq!(
        calls(unit(&s, "/app-service.js")),
        owned(&[
            ("wx.navigateTo", &["pages/index/index.js"]),
            ("wx.request", &["pages/lesson/lesson.js"]),
            ("wx.setNavigationBarTitle", &["pages/lesson/lesson.js"]),
        ])
    );
    let data = bytes("edu-clean");
    let urls: Vec<_> = inv
        .urls
        .iter()
        .map(|u| (u.value.as_str(), u.host.as_str(), u.location.offset))
        .collect();
    assert_eq!(
        urls,
        vec![(
            "https://api.example-school.cn/v1/lessons",
            "api.example-school.cn",
            Some(find(&data, "https://api.example-school.cn", 0))
        )]
    );
    // WXML: only open-type="share".
    assert_eq!(
        calls(unit(&s, "/pages/lesson/lesson.wxml")),
        owned(&[("wx-open-type.share", &["pages/lesson/lesson.wxml"])])
    );
    assert_eq!(inv.files.len(), 1);
    assert_eq!(inv.files[0].kind, FileKind::Other);
}

#[test]
fn edu_tracking() {
    let s = scan("edu-tracking");
    let data = bytes("edu-tracking");
    let inv = &s.inventory;
    assert!(inv.anomalies.is_empty(), "{:?}", inv.anomalies);
    assert_eq!(s.package.id, "wx9f8e7d6c5b4a3921");
    assert_eq!(s.package.label.as_deref(), Some("成长记录"));
    let config_offset = find(&data, "{\n  \"appid\"", 0);

    let pages: Vec<_> = inv.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        pages,
        vec![
            "pages/index/index",
            "pages/media/media",
            "packageA/pages/detail/detail"
        ]
    );

    let perms: Vec<_> = inv
        .permissions
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.detail.as_deref().unwrap_or(""),
                p.location.path.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        perms,
        vec![
            (
                "chooseAddress",
                "requiredPrivateInfos",
                "requiredPrivateInfos[1]"
            ),
            (
                "getLocation",
                "requiredPrivateInfos",
                "requiredPrivateInfos[0]"
            ),
            (
                "scope.userLocation",
                "你的位置信息将用于推荐附近的学习中心",
                "permission.scope.userLocation"
            ),
        ]
    );
    for p in &inv.permissions {
        assert_eq!(p.location.entry, "/app-config.json");
        assert_eq!(p.location.offset, Some(config_offset));
    }
    assert_eq!(inv.background_modes, vec!["audio", "location"]);

    let modules: Vec<_> = inv
        .modules
        .iter()
        .map(|m| {
            (
                m.kind,
                m.id.as_str(),
                m.alias.as_deref(),
                m.version.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        modules,
        vec![
            (
                ModuleKind::WechatPlugin,
                "wx2b03c6e691cd7370",
                Some("live-player-plugin"),
                Some("1.3.5")
            ),
            (
                ModuleKind::WechatPlugin,
                "wx6a7b8c9d0e1f2a3b",
                Some("myReport"),
                Some("1.0.2")
            ),
            (ModuleKind::Npm, "umtrack-wx", None, None),
        ]
    );
    assert_eq!(
        inv.modules[0].location.path.as_deref(),
        Some("plugins.live-player-plugin")
    );
    assert_eq!(
        inv.modules[1].location.path.as_deref(),
        Some("subPackages[0].plugins.myReport")
    );

    assert_eq!(
        calls(unit(&s, "/app-service.js")),
        owned(&[
            ("wx.chooseImage", &["pages/index/index.js"]),
            ("wx.createInterstitialAd", &["utils/ads.js"]),
            ("wx.createRewardedVideoAd", &["utils/ads.js"]),
            (
                "wx.getLocation",
                &["packageA/pages/detail/detail.js", "pages/index/index.js"]
            ),
            (
                "wx.getSystemInfoSync",
                &["miniprogram_npm/umtrack-wx/index.js"]
            ),
            ("wx.getUserProfile", &["pages/index/index.js"]),
            ("wx.getWeRunData", &["pages/media/media.js"]),
            ("wx.login", &["app.js"]),
            (
                "wx.request",
                &["miniprogram_npm/umtrack-wx/index.js", "utils/ads.js"]
            ),
            ("wx.requestPayment", &["utils/ads.js"]),
            ("wx.startFacialRecognitionVerify", &["pages/media/media.js"]),
            ("wx.startRecord", &["pages/media/media.js"]),
        ])
    );
    let app = unit(&s, "/app-service.js");
    let defined: Vec<_> = app
        .classes_defined
        .iter()
        .map(|n| (n.name.as_ref(), n.index))
        .collect();
    assert_eq!(
        defined,
        vec![
            ("app.js", 0),
            ("miniprogram_npm/umtrack-wx/index.js", 1),
            ("packageA/pages/detail/detail.js", 2),
            ("pages/index/index.js", 3),
            ("pages/media/media.js", 4),
            ("utils/ads.js", 5),
        ]
    );
    // A plain file: calls at file level have the file as caller.
    assert_eq!(
        calls(unit(&s, "/miniprogram_npm/umtrack-wx/index.js")),
        owned(&[("wx.request", &["miniprogram_npm/umtrack-wx/index.js"])])
    );
    assert_eq!(
        calls(unit(&s, "/pages/index/index.wxml")),
        owned(&[
            ("wx-open-type.chooseAvatar", &["pages/index/index.wxml"]),
            ("wx-open-type.getPhoneNumber", &["pages/index/index.wxml"]),
        ])
    );

    let service = find(&data, "var __wxAppCode__", 0) as usize;
    let npm_file = find(&data, "\"use strict\";\nvar HOST", 0) as usize;
    let urls: Vec<_> = inv
        .urls
        .iter()
        .map(|u| {
            (
                u.value.as_str(),
                u.kind,
                u.location.entry.as_str(),
                u.location.offset,
            )
        })
        .collect();
    assert_eq!(
        urls,
        vec![
            (
                "http://log.aldwx.com/d.html",
                UrlKind::Url,
                "/app-service.js",
                Some(find(&data, "http://log.aldwx.com", service))
            ),
            (
                "https://umini.shujupie.com",
                UrlKind::Url,
                "/app-service.js",
                Some(find(&data, "https://umini", service))
            ),
            (
                "https://umini.shujupie.com",
                UrlKind::Url,
                "/miniprogram_npm/umtrack-wx/index.js",
                Some(find(&data, "https://umini", npm_file))
            ),
            (
                "rtmp://live.example-school.cn/room1",
                UrlKind::Url,
                "/pages/media/media.wxml",
                Some(find(&data, "rtmp://", 0))
            ),
        ]
    );
    // The URL in the block comment is skipped.
    assert!(!inv.urls.iter().any(|u| u.host.contains("not-a-real-url")));
}

#[test]
fn output_is_deterministic() {
    for name in ["edu-clean", "edu-tracking"] {
        let a = serde_json::to_string(&scan(name)).unwrap();
        let b = serde_json::to_string(&scan(name)).unwrap();
        assert_eq!(a, b);
    }
}

#[test]
fn committed_fixtures_equal_a_rebuild() {
    let out = std::env::temp_dir().join(format!("appvet-wxapkg-rebuild-{}", std::process::id()));
    let status = match std::process::Command::new("bash")
        .arg(format!("{}/build.sh", dir()))
        .arg(&out)
        .status()
    {
        Ok(s) => s,
        Err(e) => {
            println!("skipped: bash not runnable ({e})");
            return;
        }
    };
    if !status.success()
        && std::process::Command::new("python3")
            .arg("-V")
            .output()
            .is_err()
    {
        println!("skipped: python3 missing");
        return;
    }
    assert!(status.success());
    for name in ["edu-clean", "edu-tracking"] {
        let rebuilt = std::fs::read(out.join(format!("{name}.wxapkg"))).unwrap();
        assert!(
            rebuilt == bytes(name),
            "{name}.wxapkg differs from a rebuild: run fixtures/wechat/build.sh"
        );
    }
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn every_reference_points_at_its_first_use_in_the_package() {
    for name in ["edu-clean", "edu-tracking"] {
        let d = bytes(name);
        let s = scan(name);
        let mut checked = 0;
        for u in &s.inventory.code {
            for m in u.methods.iter() {
                let at = m.index as usize;
                let want: &[u8] = if m.class == "wx" {
                    b"wx"
                } else {
                    m.name.as_bytes()
                };
                assert_eq!(
                    &d[at..at + want.len()],
                    want,
                    "{name}: {}.{} at {at}",
                    m.class,
                    m.name
                );
                checked += 1;
            }
        }
        assert!(checked > 0, "{name}: no references");
    }
}
