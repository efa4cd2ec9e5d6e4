#!/usr/bin/env python3
"""Validate signatures/sdk/*.toml with the detection engine's rules (Python stand-in for
`appvet signatures check`), plus εxodus coverage when the reference data is available.

Usage:  python3 signatures/tools/check.py [--sdk-dir DIR] [--reference DIR]

Checks:
  * schema: only known keys and tables, right types, id matches [a-z0-9][a-z0-9-]* and the file
    stem, region cn|global, categories and collects from the README lists, sources non-empty;
  * package/component prefixes: dotted, at least 2 segments, not a shared namespace
    (sigtoml.ENGINE_DENY is the engine's list, EXTRA_DENY ours);
  * no identifier (package, component, native lib, meta-data key, framework, class, class prefix,
    Swift module, symbol, plist key, SKAdNetwork id, domain) is claimed by two entries;
  * every regex compiles (Python re as a proxy for Rust regex; look-around and back-references,
    which Rust lacks, are rejected); ObjC class prefixes are at least 3 characters;
  * for every package prefix P of entry S, the classes P, P.Synthetic and P$Synthetic are detected
    as exactly S (longest prefix wins, and no other entry's class_regex matches);
  * catalogues (permissions.toml, apis.toml, packers.toml beside the sdk directory): the Chinese
    description of every entry (`what_zh`; `name_zh` for packers and code loaders) is never
    blank (error) and, like the engine, a missing or non-Chinese one is a warning;
  * with --reference: every εxodus code-signature alternative (a synthetic class built from it)
    and every kept network domain resolves to an entry citing that tracker, and all trackers are
    cited.
Exit status 0 when clean, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigtoml as st  # noqa: E402

UNIQUE = [("android", "packages"), ("android", "components"), ("android", "native_libs"),
          ("android", "metadata"), ("ios", "frameworks"), ("ios", "classes"),
          ("ios", "class_prefixes"), ("ios", "swift_modules"), ("ios", "symbols"),
          ("ios", "plist_keys"), ("ios", "skadnetwork_ids"), ("network", "domains"),
          ("wechat", "plugins"), ("wechat", "npm"), ("wechat", "apis"), ("harmonyos", "ohpm")]


def rust_incompatible(rx: str) -> bool:
    return bool(re.search(r"\(\?[=!<]|\\[1-9]", rx))


def check_schema(stem: str, e: dict, errs: list):
    def err(msg):
        errs.append("%s: %s" % (stem, msg))

    for k, v in e.items():
        if k in st.SECTIONS:
            if not isinstance(v, dict):
                err("[%s] must be a table" % k)
                continue
            for kk, vv in v.items():
                if kk not in st.SECTIONS[k]:
                    err("unknown key %s.%s" % (k, kk))
                elif not isinstance(vv, list) or not all(isinstance(x, str) and x for x in vv):
                    err("%s.%s must be a list of non-empty strings" % (k, kk))
                elif len(set(vv)) != len(vv):
                    err("%s.%s has duplicates" % (k, kk))
        elif k in st.STRING_KEYS:
            if not isinstance(v, str):
                err("%s must be a string" % k)
        elif k in st.LIST_KEYS:
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                err("%s must be a list of strings" % k)
        else:
            err("unknown key %s" % k)
    for k in ("id", "name", "vendor", "region", "categories", "sources"):
        if k not in e:
            err("missing %s" % k)
    if e.get("id") != stem:
        err("id %r does not equal the file stem" % e.get("id"))
    if not st.ID_RE.match(str(e.get("id", ""))):
        err("bad id %r" % e.get("id"))
    if e.get("region") not in st.REGIONS:
        err("region must be cn or global")
    cats = e.get("categories") or []
    if not cats:
        err("categories empty")
    for c in cats:
        if c not in st.CATEGORIES:
            err("unknown category %r" % c)
    for c in e.get("collects") or []:
        if c not in st.COLLECTS:
            err("unknown collects value %r" % c)
    if not e.get("sources"):
        err("sources empty")
    if not any(st.get(e, sec, k) for sec, keys in st.SECTIONS.items() for k in keys):
        err("no identifier at all (android, ios or network)")
    for key in ("packages", "components"):
        for p in st.get(e, "android", key):
            if not st.PACKAGE_RE.match(p):
                err("android.%s %r is not a dotted name with >= 2 segments" % (key, p))
            elif p in st.ENGINE_DENY:
                err("android.%s %r claims a whole namespace (engine denylist)" % (key, p))
            elif p in st.EXTRA_DENY:
                err("android.%s %r claims a whole namespace (our denylist)" % (key, p))
    for rx in st.get(e, "android", "class_regex"):
        try:
            re.compile(rx)
        except re.error as x:
            err("class_regex %r: %s" % (rx, x))
        if rust_incompatible(rx):
            err("class_regex %r uses look-around/back-references" % rx)
    for lib in st.get(e, "android", "native_libs"):
        if lib.startswith("re:"):
            try:
                re.compile(lib[3:])
            except re.error as x:
                err("native_libs %r: %s" % (lib, x))
            if rust_incompatible(lib[3:]):
                err("native_libs %r uses look-around/back-references" % lib)
        elif "/" in lib:
            err("native_libs %r must be a file name" % lib)
    for p in st.get(e, "ios", "class_prefixes"):
        if len(p) < 3:
            err("ios.class_prefixes %r shorter than 3" % p)
    for d in st.get(e, "network", "domains"):
        if not st.DOMAIN_RE.match(d):
            err("network.domains %r is not a lower-case domain" % d)
    for s in st.get(e, "ios", "skadnetwork_ids"):
        if not re.match(r"^[a-z0-9]+\.skadnetwork$", s):
            err("skadnetwork id %r malformed" % s)


def check_all(entries: dict, errs: list):
    for stem, e in entries.items():
        check_schema(stem, e, errs)
    seen = {}
    for stem, e in sorted(entries.items()):
        for sec, key in UNIQUE:
            for v in st.get(e, sec, key):
                k = (key, v.lower() if key == "domains" else v)
                if k in seen and seen[k] != stem:
                    errs.append("%s: %s.%s %r also claimed by %s" % (stem, sec, key, v, seen[k]))
                seen.setdefault(k, stem)
    idx = st.Index(entries)
    for stem, e in sorted(entries.items()):
        for p in st.get(e, "android", "packages"):
            for cls in (p, p + ".Synthetic", p + "$Synthetic"):
                got = idx.detect(cls)
                if got != [stem]:
                    errs.append("%s: synthetic class %s detected as %s" % (stem, cls, got))
                    break


CATALOGUE_ZH = [
    ("permissions.toml", ["android", "ios_usage", "ios_entitlement", "wechat", "harmonyos"],
     "what_zh"),
    ("apis.toml", ["android", "ios", "wechat", "harmonyos"], "what_zh"),
    ("packers.toml", ["packer"], "name_zh"),
    ("packers.toml", ["code_loading"], "name_zh"),
]
CJK_RE = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")


def check_catalogues(tree: str, errs: list, warns: list):
    """The Chinese descriptions of the catalogues (mirrors the engine's `zh` check)."""
    import tomllib

    for fn, tables, key in CATALOGUE_ZH:
        path = os.path.join(tree, fn)
        if not os.path.exists(path):
            continue
        with open(path, "rb") as f:
            doc = tomllib.load(f)
        for table in tables:
            for i, e in enumerate(doc.get(table, [])):
                where = "%s: %s[%d].%s" % (fn, table, i, key)
                v = e.get(key)
                if v is None:
                    warns.append("%s: missing: Chinese reports show the English description" % where)
                elif not isinstance(v, str) or not v.strip():
                    errs.append("%s: empty" % where)
                elif not CJK_RE.search(v):
                    warns.append("%s: %r has no Chinese characters" % (where, v))


def synthetic_from_alt(alt: str) -> list[str]:
    """Class names built from an εxodus alternative, regex syntax stripped."""
    s = alt.strip().replace("\\", "")
    core = s.strip(".")
    if not core:
        return []
    if s.startswith("."):
        return [core, core + ".Synthetic", "com.example." + core + ".Synthetic"]
    return [core, core + ".Synthetic"]


def check_exodus(entries: dict, ref: str, errs: list):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from derive import convert_domain  # noqa: E402

    with open(os.path.join(ref, "exodus_trackers.json"), encoding="utf-8") as f:
        trackers = {int(k): v for k, v in json.load(f)["trackers"].items()}
    idx = st.Index(entries)
    cites = {}
    for sid, e in entries.items():
        for n in st.exodus_ids(e):
            cites.setdefault(n, set()).add(sid)
    for tid, tr in sorted(trackers.items()):
        if tid not in cites:
            errs.append("exodus:%d (%s) is cited by no entry" % (tid, tr["name"]))
            continue
        for alt in (tr.get("code_signature") or "").split("|"):
            for cls in synthetic_from_alt(alt):
                got = idx.detect(cls)
                if not set(got) & cites[tid]:
                    errs.append("exodus:%d alternative %r: %s detected as %s" % (tid, alt, cls, got))
                    break
        for alt in (tr.get("network_signature") or "").split("|"):
            d, _ = convert_domain(alt)
            if d and not set(idx.host(d)) & cites[tid]:
                errs.append("exodus:%d domain %s resolves to %s" % (tid, d, idx.host(d)))
    for sid, e in entries.items():
        for n in st.exodus_ids(e):
            if n not in trackers:
                errs.append("%s cites unknown exodus:%d" % (sid, n))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="validate signatures/sdk")
    ap.add_argument("--sdk-dir", default=st.sdk_dir())
    ap.add_argument("--reference", default=os.path.join(st.repo_root(), "..", "shared", "reference"))
    args = ap.parse_args(argv)
    errs: list[str] = []
    try:
        entries = st.load_entries(args.sdk_dir)
    except Exception as x:  # a TOML syntax error names the file
        print("error: %s" % x)
        return 1
    check_all(entries, errs)
    if os.path.exists(os.path.join(args.reference, "exodus_trackers.json")):
        check_exodus(entries, args.reference, errs)
    total = 0
    tree = os.path.dirname(os.path.abspath(args.sdk_dir))
    if os.path.basename(tree) != "signatures":
        tree = args.sdk_dir
    for root, _, files in os.walk(tree):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    if total > 5 * 1024 * 1024:
        errs.append("signatures/ tree is %d bytes (> 5 MB)" % total)
    warns: list[str] = []
    check_catalogues(tree, errs, warns)
    for x in errs:
        print("error:", x)
    for x in warns:
        print("warning:", x)
    print("check: %d entries, %d errors, signatures/ %.0f KB" % (len(entries), len(errs), total / 1024))
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
