//! A large IPA: the committed `fixtures/ios/ads.ipa` with its main executable replaced by a
//! generated 64-bit Mach-O of `binary_mb` MiB (a `__TEXT` segment with `__text`, `__cstring` and
//! `__objc_methname`, a `__LINKEDIT` symbol table with ObjC class and Swift symbols, dylib loads,
//! build version, encryption info with cryptid 0, no code signature), plus `frameworks` generated
//! frameworks (a dylib and an XML Info.plist each).

use std::path::Path;

use crate::zipgen::{Method, ZipWriter};
use crate::Rng;

#[derive(Debug, Clone)]
pub struct IpaOptions {
    /// Size of the main executable in MiB (approximately, at least this).
    pub binary_mb: usize,
    pub frameworks: usize,
    pub seed: u64,
}

impl Default for IpaOptions {
    fn default() -> Self {
        IpaOptions {
            binary_mb: 56,
            frameworks: 40,
            seed: 1,
        }
    }
}

const MH_MAGIC_64: u32 = 0xfeed_facf;
const CPU_ARM64: u32 = 0x0100_000c;
const LC_SEGMENT_64: u32 = 0x19;
const LC_SYMTAB: u32 = 0x2;
const LC_LOAD_DYLIB: u32 = 0xc;
const LC_ID_DYLIB: u32 = 0xd;
const LC_BUILD_VERSION: u32 = 0x32;
const LC_ENCRYPTION_INFO_64: u32 = 0x2c;
const LC_MAIN: u32 = 0x8000_0028;
const PAGE: usize = 0x4000;

const SDK_FRAMEWORKS: &[&str] = &[
    "UMCommon",
    "UMAPM",
    "Bugly",
    "GoogleMobileAds",
    "FBAudienceNetwork",
    "AMapFoundationKit",
    "AMapLocationKit",
    "BaiduMapAPI_Base",
    "WechatOpenSDK",
    "JPush",
    "BUAdSDK",
    "GDTMobSDK",
    "AlipaySDK",
    "Alamofire",
    "SDWebImage",
    "Kingfisher",
    "SnapKit",
    "RxSwift",
    "FirebaseCore",
    "FirebaseAnalytics",
];

fn u32s(out: &mut Vec<u8>, vs: &[u32]) {
    for v in vs {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

fn name16(out: &mut Vec<u8>, s: &str) {
    let mut b = [0u8; 16];
    b[..s.len()].copy_from_slice(s.as_bytes());
    out.extend_from_slice(&b);
}

fn dylib_cmd(cmd: u32, name: &str) -> Vec<u8> {
    let mut n = name.as_bytes().to_vec();
    n.push(0);
    while !(24 + n.len()).is_multiple_of(8) {
        n.push(0);
    }
    let mut c = Vec::new();
    u32s(
        &mut c,
        &[cmd, (24 + n.len()) as u32, 24, 2, 0x10000, 0x10000],
    );
    c.extend(n);
    c
}

struct Section {
    name: &'static str,
    data: Vec<u8>,
    flags: u32,
}

/// A Mach-O (executable or dylib) with the given `__TEXT` sections, symbols (name, defined),
/// and dylib loads.
fn macho(
    dylib_id: Option<&str>,
    sections: Vec<Section>,
    symbols: &[(String, bool)],
    loads: &[String],
) -> Vec<u8> {
    // Load commands other than the segments, whose offsets are known up front.
    let mut other: Vec<Vec<u8>> = Vec::new();
    if let Some(id) = dylib_id {
        other.push(dylib_cmd(LC_ID_DYLIB, id));
    }
    for l in loads {
        other.push(dylib_cmd(LC_LOAD_DYLIB, l));
    }
    let mut bv = Vec::new();
    u32s(
        &mut bv,
        &[LC_BUILD_VERSION, 24, 2, 0x000c_0000, 0x0011_0000, 0],
    );
    other.push(bv);
    let nsects = sections.len();
    let seg_text = 72 + 80 * nsects;
    let seg_plain = 72;
    let fixed = seg_plain /* __PAGEZERO */ + seg_text + seg_plain /* __LINKEDIT */ + 24 /* symtab */
        + 24 /* encryption */ + if dylib_id.is_none() { 24 } else { 0 } /* main */;
    let sizeofcmds = fixed + other.iter().map(Vec::len).sum::<usize>();
    // Section file offsets inside __TEXT.
    let mut off = (32 + sizeofcmds).div_ceil(PAGE) * PAGE;
    let mut placed = Vec::new();
    for s in &sections {
        off = off.div_ceil(16) * 16;
        placed.push(off);
        off += s.data.len();
    }
    let text_size = off.div_ceil(PAGE) * PAGE;
    // __LINKEDIT: nlist_64 entries then the string table.
    let symoff = text_size;
    let mut strtab = vec![b' ', 0];
    let mut nlists = Vec::with_capacity(symbols.len() * 16);
    for (i, (name, defined)) in symbols.iter().enumerate() {
        let strx = strtab.len() as u32;
        strtab.extend_from_slice(name.as_bytes());
        strtab.push(0);
        nlists.extend_from_slice(&strx.to_le_bytes());
        if *defined {
            nlists.extend_from_slice(&[0x0f, 1, 0, 0]);
            nlists
                .extend_from_slice(&(0x1_0000_0000u64 + (placed[0] + i * 4) as u64).to_le_bytes());
        } else {
            nlists.extend_from_slice(&[0x01, 0, 0, 0]);
            nlists.extend_from_slice(&0u64.to_le_bytes());
        }
    }
    let stroff = symoff + nlists.len();
    let link_size = nlists.len() + strtab.len();
    let base = if dylib_id.is_some() {
        0
    } else {
        0x1_0000_0000u64
    };

    let mut cmds = Vec::with_capacity(sizeofcmds);
    let seg = |cmds: &mut Vec<u8>,
               name,
               vmaddr: u64,
               vmsize: u64,
               fileoff: u64,
               filesize: u64,
               n: usize,
               prot: u32| {
        u32s(cmds, &[LC_SEGMENT_64, (72 + 80 * n) as u32]);
        name16(cmds, name);
        for v in [vmaddr, vmsize, fileoff, filesize] {
            cmds.extend_from_slice(&v.to_le_bytes());
        }
        u32s(cmds, &[prot, prot, n as u32, 0]);
    };
    if dylib_id.is_none() {
        seg(&mut cmds, "__PAGEZERO", 0, 0x1_0000_0000, 0, 0, 0, 0);
    } else {
        // Keep the fixed size: an empty placeholder segment.
        seg(&mut cmds, "__PAGEZERO", 0, 0, 0, 0, 0, 0);
    }
    seg(
        &mut cmds,
        "__TEXT",
        base,
        text_size as u64,
        0,
        text_size as u64,
        nsects,
        5,
    );
    for (s, at) in sections.iter().zip(&placed) {
        name16(&mut cmds, s.name);
        name16(&mut cmds, "__TEXT");
        for v in [base + *at as u64, s.data.len() as u64] {
            cmds.extend_from_slice(&v.to_le_bytes());
        }
        u32s(&mut cmds, &[*at as u32, 4, 0, 0, s.flags, 0, 0, 0]);
    }
    seg(
        &mut cmds,
        "__LINKEDIT",
        base + text_size as u64,
        link_size.div_ceil(PAGE) as u64 * PAGE as u64,
        symoff as u64,
        link_size as u64,
        0,
        1,
    );
    u32s(
        &mut cmds,
        &[
            LC_SYMTAB,
            24,
            symoff as u32,
            symbols.len() as u32,
            stroff as u32,
            strtab.len() as u32,
        ],
    );
    u32s(
        &mut cmds,
        &[
            LC_ENCRYPTION_INFO_64,
            24,
            PAGE as u32,
            (text_size - PAGE) as u32,
            0,
            0,
        ],
    );
    if dylib_id.is_none() {
        u32s(&mut cmds, &[LC_MAIN, 24]);
        cmds.extend_from_slice(&(placed[0] as u64).to_le_bytes());
        cmds.extend_from_slice(&0u64.to_le_bytes());
    }
    for c in &other {
        cmds.extend_from_slice(c);
    }
    debug_assert_eq!(cmds.len(), sizeofcmds);
    let ncmds = 5 + u32::from(dylib_id.is_none()) + other.len() as u32;
    let filetype = if dylib_id.is_some() { 6 } else { 2 };
    let mut out = Vec::with_capacity(stroff + strtab.len());
    u32s(
        &mut out,
        &[
            MH_MAGIC_64,
            CPU_ARM64,
            0,
            filetype,
            ncmds,
            sizeofcmds as u32,
            0x0020_0085,
            0,
        ],
    );
    out.extend_from_slice(&cmds);
    for (s, at) in sections.iter().zip(&placed) {
        out.resize(*at, 0);
        out.extend_from_slice(&s.data);
    }
    out.resize(text_size, 0);
    out.extend_from_slice(&nlists);
    out.extend_from_slice(&strtab);
    out
}

fn cstrings(rng: &mut Rng, bytes: usize, hosts: &[&str]) -> Vec<u8> {
    let words = [
        "request", "session", "token", "device", "idfa", "config", "upload", "report",
    ];
    let mut out = Vec::with_capacity(bytes + 128);
    let mut i = 0u64;
    while out.len() < bytes {
        i += 1;
        let s = if rng.below(8) == 0 {
            format!(
                "https://{}/{}/{i}",
                hosts[rng.below(hosts.len() as u64) as usize],
                words[rng.below(words.len() as u64) as usize]
            )
        } else {
            format!(
                "%@ {} failed with code %ld ({i})",
                words[rng.below(words.len() as u64) as usize]
            )
        };
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    }
    out
}

/// The main executable: about `mb` MiB.
pub fn main_binary(opts: &IpaOptions) -> Vec<u8> {
    let mut rng = Rng::new(opts.seed);
    let total = opts.binary_mb << 20;
    let mut text = vec![0u8; total * 60 / 100];
    rng.fill(&mut text);
    let hosts = [
        "ulogs.umeng.com",
        "ios.bugly.qq.com",
        "googleads.g.doubleclick.net",
        "graph.facebook.com",
        "api.example-school.cn",
    ];
    let cstr = cstrings(&mut rng, total * 25 / 100, &hosts);
    let mut methname = Vec::new();
    for i in 0..20_000 {
        methname.extend_from_slice(format!("handle{i}:withObject:").as_bytes());
        methname.push(0);
    }
    // ~15% of the size in symbols (16-byte nlist + ~40-byte name each).
    let nsyms = total * 15 / 100 / 56;
    let mut symbols = Vec::with_capacity(nsyms);
    for i in 0..nsyms {
        let s = match i % 4 {
            0 => (
                format!("_OBJC_CLASS_$_SCH{}ViewController{i}", i % 97),
                true,
            ),
            1 => (
                format!("_$s9SchoolApp{}C{i}ViewModel{}Vs", 6 + (i % 10), i % 7),
                true,
            ),
            2 => (format!("_school_internal_function_number_{i}"), true),
            _ => (
                format!(
                    "_OBJC_CLASS_$_{}Class{}",
                    SDK_FRAMEWORKS[i % SDK_FRAMEWORKS.len()],
                    i % 50
                ),
                false,
            ),
        };
        symbols.push(s);
    }
    let mut loads: Vec<String> = [
        "/usr/lib/libobjc.A.dylib",
        "/usr/lib/libSystem.B.dylib",
        "/System/Library/Frameworks/Foundation.framework/Foundation",
        "/System/Library/Frameworks/UIKit.framework/UIKit",
        "/System/Library/Frameworks/AdSupport.framework/AdSupport",
        "/System/Library/Frameworks/CoreLocation.framework/CoreLocation",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for f in framework_names(opts.frameworks) {
        loads.push(format!("@rpath/{f}.framework/{f}"));
    }
    macho(
        None,
        code_sections(text, cstr)
            .into_iter()
            .chain([Section {
                name: "__objc_methname",
                data: methname,
                flags: 0x2,
            }])
            .collect(),
        &symbols,
        &loads,
    )
}

/// `__text` and `__cstring`, as every generated binary has them.
fn code_sections(text: Vec<u8>, cstr: Vec<u8>) -> Vec<Section> {
    vec![
        Section {
            name: "__text",
            data: text,
            flags: 0x8000_0400,
        },
        Section {
            name: "__cstring",
            data: cstr,
            flags: 0x2,
        },
    ]
}

fn framework_names(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| match SDK_FRAMEWORKS.get(i) {
            Some(f) => f.to_string(),
            None => format!("SchoolKit{i}"),
        })
        .collect()
}

fn framework_binary(rng: &mut Rng, name: &str) -> Vec<u8> {
    let mut text = vec![0u8; 192 << 10];
    rng.fill(&mut text);
    let hosts = ["sdk.example-vendor.com", "api.example-school.cn"];
    let cstr = cstrings(rng, 32 << 10, &hosts);
    let symbols: Vec<(String, bool)> = (0..400)
        .map(|i| (format!("_OBJC_CLASS_$_{name}Object{i}"), true))
        .chain(std::iter::once(("_objc_msgSend".to_string(), false)))
        .collect();
    macho(
        Some(&format!("@rpath/{name}.framework/{name}")),
        code_sections(text, cstr),
        &symbols,
        &["/usr/lib/libSystem.B.dylib".to_string()],
    )
}

fn framework_plist(name: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CFBundleExecutable</key><string>{name}</string>
	<key>CFBundleIdentifier</key><string>com.example.vendor.{name}</string>
	<key>CFBundleName</key><string>{name}</string>
	<key>CFBundlePackageType</key><string>FMWK</string>
	<key>CFBundleShortVersionString</key><string>1.0.0</string>
	<key>CFBundleVersion</key><string>1</string>
	<key>MinimumOSVersion</key><string>12.0</string>
</dict>
</plist>
"#
    )
}

/// Build the IPA from `fixtures` (the `fixtures/ios` directory; `ads.ipa` is the base).
pub fn ipa(opts: &IpaOptions, fixtures: &Path) -> Vec<u8> {
    let base_path = fixtures.join("ads.ipa");
    let base = std::fs::read(&base_path).unwrap_or_else(|e| panic!("{}: {e}", base_path.display()));
    let limits = appvet_model::Limits::default();
    let archive = appvet_zip::Archive::parse(&base, &limits).expect("ads.ipa is a zip");
    let mut rng = Rng::new(opts.seed ^ 0x1ba);
    let mut z = ZipWriter::new(6);
    for e in archive.entries() {
        if e.is_dir() {
            z.add_dir(&e.name);
        } else if e.name == "Payload/Ads.app/Ads" {
            z.add(&e.name, &main_binary(opts), Method::Deflated);
        } else {
            let data = archive.read(e).expect("fixture entry");
            z.add(&e.name, &data, Method::Deflated);
        }
    }
    for f in framework_names(opts.frameworks) {
        let dir = format!("Payload/Ads.app/Frameworks/{f}.framework/");
        if archive.by_name(&dir).is_some() {
            continue; // the fixture's own framework stays
        }
        z.add_dir(&dir);
        z.add(
            &format!("{dir}{f}"),
            &framework_binary(&mut rng, &f),
            Method::Deflated,
        );
        z.add(
            &format!("{dir}Info.plist"),
            framework_plist(&f).as_bytes(),
            Method::Deflated,
        );
    }
    z.finish()
}
