//! Words the human formats show, in both languages.

use appvet_policy::{Lang, Status, Text, Verdict};

/// Pick the string for a language.
pub(crate) fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The label of a clause status (`违规` / `Violation`).
pub fn status_label(s: Status, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => s.label_zh(),
        Lang::En => match s {
            Status::Violation => "Violation",
            Status::NeedsReview => "Needs review",
            Status::Pass => "No issue found",
            Status::NotApplicable => "Not applicable",
            Status::NotCheckable => "Not checkable",
        },
    }
}

/// The label of a verdict (`不通过` / `FAIL`).
pub fn verdict_label(v: Verdict, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => v.label_zh(),
        Lang::En => match v {
            Verdict::Fail => "FAIL",
            Verdict::NeedsReview => "NEEDS REVIEW",
            Verdict::Pass => "PASS",
        },
    }
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
        other => return Text::new(other, other),
    };
    Text::new(zh, en)
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
        "customer-support" => ("客服", "Customer support"),
        "ai" => ("人工智能", "AI"),
        "security" => ("安全", "Security"),
        "cloud" => ("云服务", "Cloud"),
        "speech" => ("语音", "Speech"),
        "network" => ("网络", "Network"),
        "ocr" => ("文字识别", "OCR"),
        "ab-testing" => ("A/B 测试", "A/B testing"),
        other => return Text::new(other, other),
    };
    Text::new(zh, en)
}
