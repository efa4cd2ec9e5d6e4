//! Our words for the values the rules and reports show, in both languages: personal-information
//! and SDK categories, evidence kinds and strengths, permission levels, biometric modalities,
//! callers, incompleteness codes, component kinds and why a component is exported. Unknown
//! values keep their id in both languages (values from the package or a user's signature
//! directory are never translated).

use crate::Text;
use appvet_model::{ComponentKind, EvidenceKind, ExportedReason, Strength};

fn pair(zh: &str, en: &str) -> Text {
    Text::new(zh, en)
}

/// The label of a permission / personal-information category; unknown categories keep their
/// id in both languages.
pub fn category_label(category: &str) -> Text {
    let (zh, en) = match category {
        "location" => ("位置", "Location"),
        "contacts" => ("通讯录", "Contacts"),
        "device-id" => ("设备标识", "Device identifiers"),
        "advertising-id" => ("广告标识符", "Advertising identifier"),
        "phone-number" => ("电话号码与本机信息", "Phone number and phone state"),
        "sms" => ("短信", "SMS"),
        "call-log" => ("通话记录", "Call log"),
        "calendar" => ("日历", "Calendar"),
        "camera" => ("相机", "Camera"),
        "microphone" => ("麦克风", "Microphone"),
        "photos-storage" => ("相册与存储", "Photos and storage"),
        "sensors" => ("传感器", "Sensors"),
        "biometrics" => ("生物识别", "Biometrics"),
        "face" => ("人脸信息", "Face data"),
        "installed-apps" => ("已安装应用列表", "Installed apps"),
        "accounts" => ("账户", "Accounts"),
        "clipboard" => ("剪贴板", "Clipboard"),
        "network-info" => ("网络信息", "Network information"),
        "bluetooth" => ("蓝牙", "Bluetooth"),
        "health" => ("健康数据", "Health data"),
        "usage-data" => ("使用情况数据", "Usage data"),
        "identity-document" => ("身份证件", "Identity documents"),
        "payment-info" => ("支付信息", "Payment information"),
        "user-content" => ("用户内容", "User content"),
        "network" => ("网络访问", "Network access"),
        "device-control" => ("设备控制", "Device control"),
        "notifications" => ("通知", "Notifications"),
        "system" => ("系统", "System"),
        "storage" => ("存储", "Storage"),
        "payment" => ("支付", "Payment"),
        "background" => ("后台运行", "Background execution"),
        "install-packages" => ("安装应用", "Installing apps"),
        "overlay" => ("悬浮窗", "Overlay windows"),
        "accessibility" => ("无障碍服务", "Accessibility"),
        "fingerprinting" => ("设备指纹", "Device fingerprinting"),
        "nfc" => ("NFC", "NFC"),
        "wifi" => ("Wi-Fi", "Wi-Fi"),
        other => return pair(other, other),
    };
    pair(zh, en)
}

/// The label of an SDK category (`advertising` → `广告` / `Advertising`); unknown categories
/// keep their id.
pub fn sdk_category_label(category: &str) -> Text {
    let (zh, en) = match category {
        "analytics" => ("统计分析", "Analytics"),
        "advertising" => ("广告", "Advertising"),
        "location" => ("定位", "Location"),
        "payment" => ("支付", "Payment"),
        "push" => ("推送", "Push"),
        "device-fingerprint" => ("设备指纹", "Device fingerprint"),
        "crash-reporting" => ("崩溃上报", "Crash reporting"),
        "media" => ("多媒体", "Media"),
        "social" => ("社交分享", "Social"),
        "development" => ("开发工具", "Development"),
        "identity-verification" => ("实名认证", "Identity verification"),
        "utility" => ("工具", "Utility"),
        "attribution" => ("归因", "Attribution"),
        "face-recognition" => ("人脸识别", "Face recognition"),
        "game-services" => ("游戏服务", "Game services"),
        "game-engine" => ("游戏引擎", "Game engine"),
        "im" => ("即时通讯", "Instant messaging"),
        "maps" => ("地图", "Maps"),
        "anti-fraud" => ("反欺诈", "Anti-fraud"),
        "live-streaming" => ("直播", "Live streaming"),
        "community" => ("社区", "Community"),
        "customer-support" => ("客服", "Customer support"),
        "ai" => ("人工智能", "AI"),
        "security" => ("安全", "Security"),
        "cloud" => ("云服务", "Cloud"),
        "speech" => ("语音", "Speech"),
        "network" => ("网络", "Network"),
        "ocr" => ("文字识别", "OCR"),
        "ab-testing" => ("A/B 测试", "A/B testing"),
        other => return pair(other, other),
    };
    pair(zh, en)
}

/// The kind of an SDK's evidence (`class-defined` → `类定义`). English is the JSON word.
pub fn evidence_kind_label(k: EvidenceKind) -> Text {
    let zh = match k {
        EvidenceKind::ClassDefined => "类定义",
        EvidenceKind::TypeReferenced => "类引用",
        EvidenceKind::Component => "清单组件",
        EvidenceKind::Metadata => "meta-data",
        EvidenceKind::NativeLib => "原生库",
        EvidenceKind::Framework => "框架",
        EvidenceKind::ObjcClass => "Objective-C 类",
        EvidenceKind::SwiftModule => "Swift 模块",
        EvidenceKind::Symbol => "符号",
        EvidenceKind::PlistKey => "Info.plist 键",
        EvidenceKind::SkadnetworkId => "SKAdNetwork 标识",
        EvidenceKind::Domain => "域名",
        EvidenceKind::MethodRef => "方法引用",
        EvidenceKind::File => "文件",
        EvidenceKind::ApplicationClass => "Application 类",
        EvidenceKind::Binary => "二进制文件",
        EvidenceKind::Plugin => "小程序插件",
        EvidenceKind::Package => "第三方包",
        EvidenceKind::ApiCall => "接口调用",
    };
    pair(zh, k.as_str())
}

/// How strong the evidence is, as a phrase (`强证据` / `strong evidence`).
pub fn strength_label(s: Strength) -> Text {
    match s {
        Strength::Strong => pair("强证据", "strong evidence"),
        Strength::Medium => pair("中证据", "medium evidence"),
        Strength::Weak => pair("弱证据", "weak evidence"),
    }
}

/// A permission's protection level (`dangerous` → `危险权限`); iOS `usage` and `entitlement`.
pub fn level_label(level: &str) -> Text {
    let zh = match level {
        "dangerous" => "危险权限",
        "special" => "特殊权限",
        "signature" => "签名权限",
        "privileged" => "特权权限",
        "normal" => "普通权限",
        "usage" => "使用说明键",
        "entitlement" => "授权（entitlement）",
        "scope" => "小程序授权范围（scope）",
        "private-info" => "小程序隐私接口声明",
        "user-grant" => "用户授权权限（user_grant）",
        "system-grant" => "系统授权权限（system_grant）",
        other => return pair(other, other),
    };
    pair(zh, level)
}

/// A biometric modality (`face` → `人脸`).
pub fn modality_label(m: &str) -> Text {
    let zh = match m {
        "fingerprint" => "指纹",
        "face" => "人脸",
        "any" => "生物识别（不限方式）",
        other => return pair(other, other),
    };
    pair(zh, m)
}

/// Who calls an API: `app` and `unknown` are our words; SDK ids stay.
pub fn caller_label(by: &str) -> Text {
    match by {
        "app" => pair("应用自身代码", "app"),
        "unknown" => pair("未知", "unknown"),
        other => pair(other, other),
    }
}

/// An incompleteness reason code (`packed` → `加固`).
pub fn completeness_label(code: &str) -> Text {
    let zh = match code {
        "packed" => "加固",
        "runtime-code-loading" => "运行时加载代码",
        "embedded-code" => "内嵌代码",
        "encrypted-binary" => "加密二进制",
        "code-unreadable" => "代码无法读取",
        "attribution-incomplete" => "调用归属不完整",
        "list-truncated" => "列表被截断",
        other => return pair(other, other),
    };
    pair(zh, code)
}

/// A component kind (`receiver` → `广播接收器`). English is the JSON word.
pub fn component_kind_label(k: ComponentKind) -> Text {
    match k {
        ComponentKind::Activity => pair("Activity", "activity"),
        ComponentKind::ActivityAlias => pair("Activity 别名", "activity-alias"),
        ComponentKind::Service => pair("服务", "service"),
        ComponentKind::Receiver => pair("广播接收器", "receiver"),
        ComponentKind::Provider => pair("内容提供器", "provider"),
        ComponentKind::Extension => pair("扩展", "extension"),
        ComponentKind::Ability => pair("Ability（界面组件）", "ability"),
        ComponentKind::Page => pair("页面", "page"),
    }
}

/// Why a component is exported.
pub fn exported_reason_label(r: ExportedReason) -> Text {
    match r {
        ExportedReason::Explicit => pair("显式声明", "explicit"),
        ExportedReason::ImpliedByIntentFilter => {
            pair("因 intent-filter 隐式导出", "implied by intent filter")
        }
        ExportedReason::ImpliedProviderDefault => pair("provider 默认导出", "provider default"),
        ExportedReason::Default => pair("默认", "default"),
    }
}

/// Join labels of a list in one language (`、` in Chinese, `, ` in English).
pub fn join_labels<'a>(
    items: impl IntoIterator<Item = &'a str>,
    label: impl Fn(&str) -> Text,
) -> Text {
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    for i in items {
        let t = label(i);
        zh.push(t.zh);
        en.push(t.en);
    }
    Text::new(zh.join("、"), en.join(", "))
}

/// `1 permission` / `2 permissions`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
