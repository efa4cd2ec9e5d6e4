//! Words the human formats show, in both languages.

use appvet_model::{BiometricSource, ProtectionKind};
use appvet_policy::{Lang, RefKind, Status, Verdict};

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

pub use appvet_policy::labels::{
    caller_label, category_label, component_kind_label, evidence_kind_label, exported_reason_label,
    level_label, modality_label, sdk_category_label,
};

/// The kind of a clause's evidence item (`sdk` / `权限`). English is the JSON word.
pub(crate) fn ref_kind_label(k: RefKind, lang: Lang) -> &'static str {
    let (zh, en) = match k {
        RefKind::Sdk => ("SDK", "sdk"),
        RefKind::Permission => ("权限", "permission"),
        RefKind::Api => ("API", "api"),
        RefKind::Biometric => ("生物识别", "biometric"),
        RefKind::Protection => ("加固与隐藏代码", "protection"),
        RefKind::Completeness => ("分析不完整", "completeness"),
        RefKind::Flag => ("配置项", "flag"),
        RefKind::NetworkConfig => ("网络安全配置", "network-config"),
        RefKind::Component => ("组件", "component"),
        RefKind::Certificate => ("证书", "certificate"),
        RefKind::Signing => ("签名", "signing"),
        RefKind::Package => ("应用", "package"),
        RefKind::Url => ("URL", "url"),
        RefKind::AdNetworkId => ("SKAdNetwork 标识", "ad-network-id"),
        RefKind::BuildTime => ("构建时间", "build-time"),
        RefKind::Blacklist => ("黑名单", "blacklist"),
        RefKind::Registry => ("备案库", "registry"),
        RefKind::Clause => ("条款", "clause"),
        RefKind::Context => ("部署场景", "context"),
    };
    t(lang, zh, en)
}

/// Who calls an API or a biometric, in a language (`app` → `应用自身代码`; SDK ids stay).
pub(crate) fn callers_text(by: &[String], lang: Lang) -> String {
    let words: Vec<String> = by
        .iter()
        .map(|b| caller_label(b).get(lang).to_string())
        .collect();
    words.join(t(lang, "、", ", "))
}

/// Where a biometric finding comes from (`permission` → `权限`).
pub(crate) fn biometric_source_label(s: BiometricSource, lang: Lang) -> &'static str {
    match s {
        BiometricSource::Permission => t(lang, "权限", "permission"),
        BiometricSource::Api => t(lang, "API", "api"),
        BiometricSource::Sdk => t(lang, "SDK", "sdk"),
    }
}

/// The kind of a protection (`packer` → `加固`).
pub(crate) fn protection_kind_label(k: ProtectionKind, lang: Lang) -> &'static str {
    match k {
        ProtectionKind::Packer => t(lang, "加固", "packer"),
        ProtectionKind::RuntimeCodeLoading => t(lang, "运行时加载代码", "runtime code loading"),
        ProtectionKind::EmbeddedCode => t(lang, "内嵌代码", "embedded code"),
        ProtectionKind::EncryptedBinary => t(lang, "加密二进制", "encrypted binary"),
    }
}

/// An incompleteness reason's message in a language (Chinese rebuilt by the policy crate; the
/// English message when it cannot be).
pub(crate) fn incomplete_message(
    r: &appvet_model::IncompleteReason,
    f: &appvet_model::Findings,
    lang: Lang,
) -> String {
    match lang {
        Lang::Zh => {
            appvet_policy::incomplete_zh(r, &f.protections).unwrap_or_else(|| r.message.clone())
        }
        Lang::En => r.message.clone(),
    }
}
