"""Shared helpers for the signature tools: schema constants, loading and canonical writing
of `signatures/sdk/<id>.toml` files, and the class-name / host resolution rules the detection
engine uses (longest package prefix wins; longest domain suffix wins).

Python 3.11+ standard library only.
"""

from __future__ import annotations

import os
import re
import tomllib

TOP_KEYS = [
    "id", "name", "name_zh", "vendor", "region", "categories", "collects", "website",
    "description", "sources",
]
SECTIONS = {
    "android": ["packages", "class_regex", "native_libs", "components", "metadata"],
    "ios": ["frameworks", "classes", "class_prefixes", "swift_modules", "symbols", "plist_keys",
            "skadnetwork_ids"],
    "network": ["domains"],
    "wechat": ["plugins", "npm", "apis"],
    "harmonyos": ["ohpm"],
}
STRING_KEYS = {"id", "name", "name_zh", "vendor", "region", "website", "description"}
LIST_KEYS = {"categories", "collects", "sources"}

CATEGORIES = [
    "advertising", "analytics", "attribution", "crash-reporting", "push", "location", "maps",
    "social", "payment", "im", "live-streaming", "community", "face-recognition",
    "identity-verification", "ocr", "game-engine", "game-services", "anti-fraud",
    "device-fingerprint", "ab-testing", "customer-support", "security", "network", "utility",
    "development", "cloud", "media", "speech", "ai",
]
COLLECTS = [
    "location", "contacts", "device-id", "advertising-id", "phone-number", "sms", "call-log",
    "calendar", "camera", "microphone", "photos-storage", "sensors", "biometrics", "face",
    "installed-apps", "accounts", "clipboard", "network-info", "bluetooth", "health",
    "usage-data", "identity-document", "payment-info", "user-content",
]
REGIONS = ["cn", "global"]

# Namespaces no single SDK may claim as a whole. The first group is the detection engine's list;
# the second is stricter (vendor/platform namespaces that host many unrelated SDKs).
ENGINE_DENY = {
    "com.google", "com.tencent", "com.alibaba", "com.baidu", "com.facebook", "android",
    "androidx", "java", "javax", "kotlin", "dalvik", "org.apache", "com.android",
}
EXTRA_DENY = {
    "com.huawei", "com.huawei.hms", "com.xiaomi", "com.heytap", "com.oppo", "com.vivo",
    "com.meizu", "com.qq", "com.sina", "com.netease", "com.amazon", "com.microsoft",
    "com.samsung", "com.ss.android", "com.kuaishou", "com.alibaba.android", "com.taobao",
    "com.tencent.mm", "com.google.android", "com.google.android.gms", "com.google.firebase",
    "com.squareup", "io.flutter", "org.json", "com.apple", "com.jd", "com.alipay",
    "com.alipay.mobile", "com.ximalaya", "com.sohu", "com.iqiyi", "com.youku",
}
DENY_NAMESPACES = ENGINE_DENY | EXTRA_DENY

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PACKAGE_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*(\.[A-Za-z0-9_$-]+)+$")
DOMAIN_RE = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


def repo_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def sdk_dir() -> str:
    return os.path.join(repo_root(), "signatures", "sdk")


def load_entries(directory: str) -> dict[str, dict]:
    """Load every `<stem>.toml` in directory; returns {stem: parsed dict}."""
    out = {}
    for fn in sorted(os.listdir(directory)):
        if not fn.endswith(".toml"):
            continue
        with open(os.path.join(directory, fn), "rb") as f:
            out[fn[:-5]] = tomllib.load(f)
    return out


def is_curated(entry: dict) -> bool:
    return "curated" in entry.get("sources", [])


def exodus_ids(entry: dict) -> list[int]:
    ids = []
    for s in entry.get("sources", []):
        if s.startswith("exodus:") and s[7:].isdigit():
            ids.append(int(s[7:]))
    return ids


def _source_key(s: str):
    if s.startswith("exodus:") and s[7:].isdigit():
        return (1, int(s[7:]), s)
    return (0, 0, s)


def sort_sources(sources) -> list[str]:
    return sorted(set(sources), key=_source_key)


def _dedupe(seq) -> list:
    seen, out = set(), []
    for x in seq:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def normalize(entry: dict) -> dict:
    """Canonical form: identifier lists sorted and de-duplicated, categories/collects keep their
    order (first category is the primary one) but are de-duplicated, empty lists and tables
    dropped."""
    out = {}
    for k in TOP_KEYS:
        if k not in entry:
            continue
        v = entry[k]
        if k == "sources":
            v = sort_sources(v)
        elif k in ("categories", "collects"):
            v = _dedupe(v)
        if isinstance(v, list) and not v and k not in ("categories", "sources"):
            continue
        if isinstance(v, str) and v == "" and k not in ("id", "name"):
            continue
        out[k] = v
    for sec, keys in SECTIONS.items():
        table = entry.get(sec) or {}
        t = {}
        for k in keys:
            v = table.get(k) or []
            if v:
                t[k] = sorted(set(v))
        if t:
            out[sec] = t
    return out


def _toml_str(s: str) -> str:
    if "'" not in s and "\n" not in s and not any(ord(c) < 0x20 for c in s):
        if "\\" in s:
            return "'" + s + "'"
    out = ['"']
    for c in s:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append("\\u%04x" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _toml_list(key: str, items: list) -> str:
    parts = [_toml_str(x) for x in items]
    one = key + " = [" + ", ".join(parts) + "]"
    if len(one) <= 100:
        return one
    return key + " = [\n" + "".join("  " + p + ",\n" for p in parts) + "]"


def render(entry: dict) -> str:
    e = normalize(entry)
    lines = []
    for k in TOP_KEYS:
        if k not in e:
            continue
        v = e[k]
        lines.append(_toml_list(k, v) if isinstance(v, list) else k + " = " + _toml_str(v))
    for sec, keys in SECTIONS.items():
        if sec not in e:
            continue
        lines.append("")
        lines.append("[" + sec + "]")
        for k in keys:
            if k in e[sec]:
                lines.append(_toml_list(k, e[sec][k]))
    return "\n".join(lines) + "\n"


def write_entry(directory: str, entry: dict) -> bool:
    """Write entry canonically; returns True when the file changed."""
    path = os.path.join(directory, entry["id"] + ".toml")
    text = render(entry)
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return False
    except FileNotFoundError:
        pass
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return True


def get(entry: dict, sec: str, key: str) -> list:
    return list((entry.get(sec) or {}).get(key) or [])


class Index:
    """The engine's resolution rules over a set of entries: a class name matches a package
    prefix when it equals it or continues with '.' or '$' (longest prefix wins); class_regex is a
    full match; a host matches a domain when equal or ending with '.' + domain (longest wins)."""

    def __init__(self, entries: dict[str, dict]):
        self.prefix: dict[str, list[str]] = {}
        self.regex: list[tuple[re.Pattern, str]] = []
        self.domain: dict[str, list[str]] = {}
        for sid, e in entries.items():
            for p in get(e, "android", "packages"):
                self.prefix.setdefault(p, []).append(sid)
            for r in get(e, "android", "class_regex"):
                try:
                    self.regex.append((re.compile(r), sid))
                except re.error:
                    pass
            for d in get(e, "network", "domains"):
                self.domain.setdefault(d.lower(), []).append(sid)

    def best_prefix(self, cls: str):
        """(prefix, [sdk ids]) of the longest matching package prefix, or (None, [])."""
        cut = len(cls)
        while True:
            cand = cls[:cut]
            if cand in self.prefix:
                return cand, self.prefix[cand]
            i = max(cls.rfind(".", 0, cut), cls.rfind("$", 0, cut))
            if i <= 0:
                return None, []
            cut = i

    def regex_hits(self, cls: str) -> list[str]:
        return sorted({sid for rx, sid in self.regex if rx.fullmatch(cls)})

    def detect(self, cls: str) -> list[str]:
        _, ids = self.best_prefix(cls)
        return sorted(set(ids) | set(self.regex_hits(cls)))

    def host(self, host: str) -> list[str]:
        h = host.lower()
        while True:
            if h in self.domain:
                return self.domain[h]
            i = h.find(".")
            if i < 0:
                return []
            h = h[i + 1:]
