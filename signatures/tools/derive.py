#!/usr/bin/env python3
"""Derive SDK signature entries from the public reference lists in ../shared/reference.

Usage:  python3 signatures/tools/derive.py [--reference DIR] [--check]

Facts carry over (package prefixes, library and component names, domains, SKAdNetwork ids,
εxodus ids); names and descriptions are ours. Output is stable: sorted lists, canonical TOML,
files only rewritten when their content changes, so running it twice changes nothing.

MERGE RULE (who owns which file)
--------------------------------
* A file whose `sources` contains "curated" is hand-owned. derive.py never removes or rewrites
  anything a human wrote in it (names, categories, collects, descriptions, identifiers). It only
  ADDS missing facts, and only these:
    1. εxodus: for every `exodus:<n>` the curated file cites, each code-signature alternative and
       each network domain of tracker n must resolve (longest prefix / longest domain suffix, the
       engine's rule) to an entry citing exodus:<n>. If one does not, and the file is the ONLY
       curated entry citing n, the alternative/domain is added to it. If several curated entries
       cite n (a tracker we split, e.g. HMS Core), nothing is added and derive.py fails listing
       the alternative: a human places it.
    2. LibChecker: native libraries, manifest components and exact dex packages of the LibChecker
       rule labels that LIBCHECKER_LABELS (below) maps to the entry's id; plus any exact LibChecker
       component whose class name falls under a package prefix the entry owns (longest prefix).
    3. SKAdNetwork: ids from skadnetwork.json whose entity SKAN_OWNERS maps to the entry's id.
  A curated file is rewritten (canonical form) only when something was added.
* Every other file is derived: derive.py owns it completely. One derived file is produced per
  εxodus tracker that no curated file cites (id kept stable across runs: an existing derived file
  citing exodus:<n> keeps its id), with the same LibChecker/SKAdNetwork enrichment. Derived files
  whose tracker became curated are deleted.
* An identifier already claimed by another entry is never added a second time; such conflicts are
  reported as errors.

It also writes signatures/tools/COVERAGE.md and signatures/tools/EXODUS_DECISIONS.md, then runs
check.py. --check computes everything but writes nothing and exits 1 if files would change.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigtoml as st  # noqa: E402

# --- εxodus conversion tables -------------------------------------------------------------

EXODUS_CATEGORY = {
    "Advertisement": "advertising",
    "Analytics": "analytics",
    "Crash reporting": "crash-reporting",
    "Identification": "device-fingerprint",
    "Location": "location",
    "Profiling": "analytics",
}
# Our category for derived trackers (overrides εxodus's, or fills in when εxodus has none).
CATEGORY_OVERRIDE = {
    7: ["advertising"], 8: ["media", "analytics"], 11: ["advertising"], 12: ["attribution"],
    13: ["advertising"], 14: ["advertising"], 15: ["advertising"], 30: ["advertising"],
    33: ["advertising"], 34: ["advertising"], 36: ["advertising"], 38: ["attribution"],
    39: ["push"], 41: ["advertising"], 46: ["analytics"], 52: ["attribution"],
    53: ["advertising"], 58: ["customer-support"], 60: ["maps"], 73: ["advertising"],
    74: ["advertising"], 83: ["advertising"], 85: ["location"], 87: ["analytics"],
    89: ["advertising"], 92: ["advertising"], 93: ["advertising"], 107: ["advertising"],
    109: ["advertising"], 110: ["advertising"], 123: ["push", "analytics"],
    127: ["attribution", "analytics"], 136: ["advertising"], 143: ["location"],
    147: ["advertising"], 150: ["attribution"], 155: ["crash-reporting", "analytics"],
    156: ["advertising"], 157: ["advertising"], 160: ["location", "analytics"],
    161: ["advertising"], 162: ["advertising"], 163: ["advertising"], 164: ["payment", "analytics"],
    165: ["advertising"], 166: ["advertising"], 167: ["attribution"], 168: ["advertising"],
    170: ["advertising"], 171: ["analytics"], 173: ["advertising"], 175: ["attribution", "analytics"],
    176: ["advertising"], 177: ["advertising"], 178: ["media", "analytics"], 180: ["location", "advertising"],
    182: ["push", "analytics"], 184: ["advertising"], 186: ["advertising"], 188: ["advertising"],
    191: ["advertising"], 193: ["push"], 197: ["analytics"], 199: ["advertising"],
    201: ["location"], 202: ["analytics"], 203: ["advertising"], 218: ["advertising"],
    219: ["location"], 220: ["push", "analytics"], 221: ["analytics"], 223: ["push"],
    226: ["advertising"], 227: ["analytics"], 228: ["advertising"], 229: ["analytics"],
    231: ["location", "advertising"], 249: ["attribution"], 250: ["attribution"],
    251: ["attribution"], 260: ["attribution", "analytics"], 264: ["analytics"],
    265: ["advertising"], 266: ["analytics"], 271: ["advertising"], 278: ["advertising"],
    282: ["advertising"], 286: ["push", "analytics"], 288: ["location"], 290: ["location", "analytics"],
    292: ["location"], 294: ["advertising"], 296: ["analytics"], 297: ["advertising"],
    306: ["analytics"], 314: ["location"], 318: ["analytics"], 319: ["analytics"],
    322: ["advertising"], 336: ["advertising", "analytics"], 356: ["push"], 399: ["game-services"],
    412: ["analytics"], 418: ["location"], 440: ["media"],
}
# εxodus network alternatives we drop (over-generic: they would attribute half the internet).
DROP_DOMAINS = {"google.com", "google.cn", "amazonaws.com", "googleapis.com", "akamaihd.net"}
REGION_CN = {75, 76, 96, 97, 99, 100, 101, 103, 112, 113, 114, 116, 117, 119, 120, 168, 190, 191,
             293, 343, 361, 363, 381, 440, 448}

# Judgement calls, written to EXODUS_DECISIONS.md next to the mechanical ones.
MANUAL_DECISIONS = [
    (363, "com.bytedance", "kept in `bytedance-other` (citing exodus:363), not in `pangle`",
     "`com.bytedance` is ByteDance's whole namespace (GroMore, AppLog, bytehook, BoostMultiDex, "
     "Douyin OpenSDK...). Known modules get their own longer prefixes; whatever is left is "
     "reported as an unidentified ByteDance module instead of as the Pangle ad SDK."),
    (363, "com.pgl|com.pangle.global", "kept in `pangle` with com.bytedance.sdk.openadsdk etc.",
     "Pangle's own packages."),
    (168, "com.cmcm.", "kept in `cheetah-ads`; `com.cmcm.cmgame` carved out to `cmgame`",
     "Cheetah Mobile's namespace is mostly its ad SDK; its mini-game SDK gets a longer prefix."),
    (333, "(8 alternatives)", "split over huawei-hms-core/-analytics/-location/-push/-ads, "
     "huawei-agconnect, huawei-updatesdk, all citing exodus:333",
     "HMS Core is a family of kits with different purposes; one entry would call a map user a "
     "push/ads user."),
    (116, "com.tencent.stat|com.tencent.wxop.stat", "merged with 114 (com.tencent.mta) into "
     "`tencent-mta`", "Tencent MTA and 'Tencent Stats' are the same product (腾讯移动分析)."),
    (5, "(no code signature)", "merged into `google-admob` with 71 and 312",
     "DoubleClick/Google Ads have no code signature; their domains are AdMob's ad-serving hosts."),
    (71, r"\.google\.com", "dropped (over-generic); tracker merged into `google-admob`",
     "every app that links to google.com would be flagged."),
    (10, "(no signature at all)", "merged into `atinternet` (AT Internet, exodus:31) with domain "
     "xiti.com", "Xiti is AT Internet's former brand; εxodus lists no identifier."),
    (47, r"\.facebook\.com (shared by 47, 65-70)", "domain kept once, in `facebook-core`, which "
     "cites all seven ids", "one domain, one owner; Facebook's separate SDK modules keep their "
     "own package prefixes."),
    (124, "yandex domains shared with 140", "all shared hosts kept once, in `yandex-ads` (lowest "
     "tracker id, automatic rule), which also cites exodus:140", "the hosts are listed under both "
     "trackers; one host, one owner."),
    (119, "umeng domains shared with 120", "kept in `umeng-common`, which cites 119 and 120",
     "the hosts belong to Umeng's common transport, used by every Umeng module."),
    (312, "com.google.android.gms.ads.*", "kept εxodus's class-level prefixes; "
     "com.google.android.gms.ads.identifier is its own entry (`google-ads-identifier`)",
     "the advertising-id client ships in every analytics SDK, not only AdMob."),
    (361, r"mt[0-9]*\.google\.cn", "dropped", "Google's map tile host, not AutoNavi's."),
    (76, "com.tencent.map.geolocation", "kept in `tencent-location` (citing exodus:76 and 112)",
     "it is the Tencent location SDK itself; WeChat's plugin prefixes stay with it."),
]

# LibChecker rule labels whose facts (native libs, components, exact dex packages) belong to an
# entry (only labels that name the same SDK): libchecker_labels.json, {entry id: [labels]}.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "libchecker_labels.json"),
          encoding="utf-8") as _f:
    LIBCHECKER_LABELS: dict[str, list[str]] = json.load(_f)

# Ids for derived trackers whose εxodus name makes a poor id (applied once; ids are then stable).
ID_OVERRIDE = {
    424: "adx", 92: "amazon-ads", 124: "yandex-ads", 322: "maio", 243: "appcenter-analytics",
    238: "appcenter-crashes", 155: "apteligent", 181: "foursquare-pilgrim", 382: "vk-sdk",
    36: "addapptr", 401: "npaw-youbora", 431: "playtestcloud", 3: "salesforce-krux",
    148: "sap-cdc-gigya", 166: "persona-ly", 168: "cheetah-ads", 448: "alibaba-yueying",
}

# skadnetwork.json entity_name -> our entry id (the ad network owns the id).
SKAN_OWNERS = {
    "Aarki Inc": "aarki", "PubMatic, Inc": "pubmatic", "A9.com, Inc": "amazon-ads",
    "Amazon Advertising LLC": "amazon-ads", "YouAppi Inc.": "youappi", "AdColony, Inc.": "adcolony",
    "BidMachine, Inc": "bidmachine", "Chartboost, Inc": "chartboost",
    "Cheetah Medialink HK Limited": "cheetah-ads", "Criteo SAS": "criteo", "Fyber": "fyber",
    "Inmobi": "inmobi", "LoopMe Ltd.": "loopme", "Mintegral International Limited": "mintegral",
    "O.P VIsion LTD dba persona.ly": "persona-ly", "PubNative GmbH": "pubnative",
    "StartApp Inc": "startapp", "Yandex Europe AG": "yandex-ads", "Bytedance Pte. Ltd": "pangle",
    "Ironsource": "ironsource", "IQzone": "iqzone", "Unity Technologies": "unity-ads",
    "Verizon": "verizon-ads", "Conversant": "conversant", "Quantcast": "quantcast",
    "Display & Video 360": "google-admob", "Applovin": "applovin", "BIGO TECHNOLOGY": "bigo-ads",
    "Moloco, Inc": "moloco", "Singular Labs, Inc.": "singular",
}


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reference", default=os.path.join(st.repo_root(), "..", "shared", "reference"))
    ap.add_argument("--sdk-dir", default=st.sdk_dir())
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if out of date")
    return ap.parse_args()


# --- εxodus ---------------------------------------------------------------------------------

PLAIN_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*(\.[A-Za-z0-9_$-]+)*\.?$")
CONTAINS_RE = re.compile(r"^\.([A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*)\.?$")


def esc(name: str) -> str:
    return name.replace(".", r"\.").replace("$", r"\$")


def convert_code(alt: str):
    """One εxodus code alternative -> ("packages", prefix) | ("class_regex", regex) | None."""
    alt = alt.strip()
    if not alt:
        return None
    if PLAIN_RE.match(alt) and "." in alt.rstrip("."):
        return ("packages", alt.rstrip("."))
    m = CONTAINS_RE.match(alt)
    if m:
        # εxodus matches with re.search, so ".sizmek." means "a package segment named sizmek"
        # anywhere in the class name: full-match form, any outer packages, any inner suffix.
        return ("class_regex", r"(?:.*\.)?" + esc(m.group(1)) + r"(?:[.$].*)?")
    raise ValueError("unhandled εxodus code signature alternative: %r" % alt)


def convert_domain(alt: str):
    """One εxodus network alternative -> (domain or None, note)."""
    s = alt.strip()
    if not s:
        return None, None
    s = re.sub(r"^\.\*", "", s).replace("\\", "").lstrip(".")
    labels = s.split(".")
    if labels and re.search(r"[\[\]*+?()^$]", labels[0]):
        labels = labels[1:]
        s = ".".join(labels)
    s = s.lower()
    if not st.DOMAIN_RE.match(s):
        return None, "not domain-like"
    if s in DROP_DOMAINS:
        return None, "over-generic"
    return s, None


def slug(name: str) -> str:
    name = re.sub(r"\(.*?\)", "", name)
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return s or "tracker"


def exodus_facts(tr: dict):
    packages, regexes, domains, dropped = [], [], [], []
    for alt in (tr.get("code_signature") or "").split("|"):
        c = convert_code(alt)
        if c:
            (packages if c[0] == "packages" else regexes).append(c[1])
    for alt in (tr.get("network_signature") or "").split("|"):
        d, note = convert_domain(alt)
        if d:
            domains.append(d)
        elif note:
            dropped.append((alt, note))
    return sorted(set(packages)), sorted(set(regexes)), sorted(set(domains)), dropped


def derived_entry(tid: int, tr: dict, sid: str) -> dict:
    packages, regexes, domains, _ = exodus_facts(tr)
    cats = CATEGORY_OVERRIDE.get(tid)
    if not cats:
        cats = []
        for c in tr.get("categories") or []:
            m = EXODUS_CATEGORY.get(c)
            if m and m not in cats:
                cats.append(m)
    if not cats:
        cats = ["analytics"]
    collects = []
    for c in cats:
        for x in {"advertising": ["advertising-id"], "location": ["location"],
                  "device-fingerprint": ["device-id"], "analytics": ["usage-data"],
                  "attribution": ["advertising-id", "usage-data"]}.get(c, []):
            if x not in collects:
                collects.append(x)
    name = re.sub(r"\s+", " ", tr["name"]).strip()
    vendor = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
    e = {
        "id": sid,
        "name": name,
        "vendor": vendor,
        "region": "cn" if tid in REGION_CN else "global",
        "categories": cats,
        "collects": collects,
        "description": "%s SDK listed by the εxodus tracker database; identifiers derived from "
                       "its signatures." % cats[0].replace("-", " ").capitalize(),
        "sources": ["exodus:%d" % tid],
        "android": {"packages": packages, "class_regex": regexes},
        "network": {"domains": domains},
    }
    w = (tr.get("website") or "").strip()
    if w.startswith("http"):
        e["website"] = w
    return e


# --- LibChecker / SKAdNetwork ------------------------------------------------------------------

def load_libchecker(ref: str):
    with open(os.path.join(ref, "libchecker-rules.tsv"), encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


COMPONENT_KINDS = {"activity", "service", "receiver", "provider"}


def libchecker_facts(rows, labels):
    """facts for the given labels: {'native_libs': [...], 'components': [...], 'packages': [...]}"""
    out = {"native_libs": set(), "components": set(), "packages": set()}
    want = set(labels)
    for r in rows:
        if r["label"].strip() not in want:
            continue
        pat, rx = r["pattern"].strip(), r["regex"] == "1"
        if r["kind"] == "native_lib":
            out["native_libs"].add(("re:" + pat) if rx else pat)
        elif r["kind"] in COMPONENT_KINDS and not rx and PLAIN_RE.match(pat):
            out["components"].add(pat)
        elif r["kind"] == "dex_package" and not rx and PLAIN_RE.match(pat):
            out["packages"].add(pat.rstrip("."))
    return out


# --- main ---------------------------------------------------------------------------------------

class Plan:
    def __init__(self):
        self.errors: list[str] = []
        self.auto_decisions: list[tuple] = []


def add_unique(entry, sec, key, value, owners, plan, why):
    """Add value to entry[sec][key] unless another entry already owns it."""
    cur = entry.setdefault(sec, {}).setdefault(key, [])
    if value in cur:
        return False
    other = owners.get((key, value))
    if other and other != entry["id"]:
        plan.errors.append("%s: %s %r already claimed by %s (%s)" % (entry["id"], key, value, other, why))
        return False
    cur.append(value)
    owners[(key, value)] = entry["id"]
    return True


def build(ref: str, existing: dict[str, dict]):
    plan = Plan()
    with open(os.path.join(ref, "exodus_trackers.json"), encoding="utf-8") as f:
        trackers = {int(k): v for k, v in json.load(f)["trackers"].items()}
    lc_rows = load_libchecker(ref)
    with open(os.path.join(ref, "skadnetwork", "skadnetwork.json"), encoding="utf-8") as f:
        skan = json.load(f)["skadnetwork_ids"]

    curated = {sid: e for sid, e in existing.items() if st.is_curated(e)}
    old_derived = {sid: e for sid, e in existing.items() if not st.is_curated(e)}
    cited = {}
    for sid, e in curated.items():
        for n in st.exodus_ids(e):
            cited.setdefault(n, []).append(sid)

    # stable ids for derived trackers
    old_id_for = {}
    for sid, e in old_derived.items():
        ids = st.exodus_ids(e)
        if ids:
            old_id_for[min(ids)] = sid
    used = set(curated)
    entries = {sid: json.loads(json.dumps(e)) for sid, e in curated.items()}
    for tid in sorted(trackers):
        if tid in cited:
            continue
        sid = ID_OVERRIDE.get(tid) or old_id_for.get(tid)
        if not sid or sid in used:
            sid = slug(trackers[tid]["name"])
            if sid in used:
                sid = "%s-exodus-%d" % (sid, tid)
        used.add(sid)
        entries[sid] = derived_entry(tid, trackers[tid], sid)

    # derived trackers sharing a domain: lowest tracker id owns it and cites the others
    dom_owner = {}
    for tid in sorted(trackers):
        if tid in cited:
            continue
        sid = next(s for s, e in entries.items() if not st.is_curated(e) and tid in st.exodus_ids(e))
        for d in list(st.get(entries[sid], "network", "domains")):
            if d in dom_owner and dom_owner[d] != sid:
                entries[sid]["network"]["domains"].remove(d)
                o = entries[dom_owner[d]]
                o["sources"] = st.sort_sources(o["sources"] + ["exodus:%d" % tid])
                plan.auto_decisions.append((tid, d, "domain kept once, in `%s`, which cites "
                                            "exodus:%d too" % (dom_owner[d], tid), "shared domain"))
            else:
                dom_owner.setdefault(d, sid)

    owners = {}
    for sid, e in sorted(entries.items()):
        for sec, keys in st.SECTIONS.items():
            for k in keys:
                for v in st.get(e, sec, k):
                    owners.setdefault((k, v), sid)

    # εxodus facts for trackers cited by curated entries
    for tid in sorted(cited):
        if tid not in trackers:
            plan.errors.append("exodus:%d cited by %s does not exist" % (tid, cited[tid]))
            continue
        packages, regexes, domains, _ = exodus_facts(trackers[tid])
        idx = st.Index(entries)
        citing = lambda ids: any(tid in st.exodus_ids(entries[s]) for s in ids)  # noqa: E731
        for p in packages:
            if citing(idx.detect(p + ".Synthetic")):
                continue
            if len(cited[tid]) == 1:
                add_unique(entries[cited[tid][0]], "android", "packages", p, owners, plan, "exodus:%d" % tid)
            else:
                plan.errors.append("exodus:%d alternative %s: not covered and cited by several "
                                   "curated entries %s; place it by hand" % (tid, p, cited[tid]))
        for r in regexes:
            if any(r in st.get(entries[s], "android", "class_regex") for s in cited[tid]):
                continue
            if len(cited[tid]) == 1:
                add_unique(entries[cited[tid][0]], "android", "class_regex", r, owners, plan, "exodus:%d" % tid)
            else:
                plan.errors.append("exodus:%d regex %s: place it by hand" % (tid, r))
        for d in domains:
            if citing(idx.host(d)):
                continue
            if len(cited[tid]) == 1 and (("domains", d) not in owners):
                add_unique(entries[cited[tid][0]], "network", "domains", d, owners, plan, "exodus:%d" % tid)
            else:
                plan.errors.append("exodus:%d domain %s: not covered by an entry citing it "
                                   "(owner %s); add the citation or place it by hand"
                                   % (tid, d, owners.get(("domains", d))))

    # LibChecker by label
    labels_seen = {r["label"].strip() for r in lc_rows}
    for sid, labels in sorted(LIBCHECKER_LABELS.items()):
        if sid not in entries:
            plan.errors.append("LIBCHECKER_LABELS: no entry %s" % sid)
            continue
        for lb in labels:
            if lb not in labels_seen:
                plan.errors.append("LIBCHECKER_LABELS[%s]: unknown label %r" % (sid, lb))
        facts = libchecker_facts(lc_rows, labels)
        for k, sec in (("native_libs", "android"), ("components", "android"), ("packages", "android")):
            for v in sorted(facts[k]):
                if k == "packages" and (v in st.DENY_NAMESPACES or owners.get((k, v), sid) != sid):
                    continue  # a dex-package rule naming another entry's prefix: that entry keeps it
                if k == "components" and (k, v) in owners and owners[(k, v)] != sid:
                    continue
                if add_unique(entries[sid], sec, k, v, owners, plan, "libchecker"):
                    if "libchecker" not in entries[sid]["sources"]:
                        entries[sid]["sources"].append("libchecker")
    # LibChecker components under an owned package prefix
    idx = st.Index(entries)
    for r in lc_rows:
        if r["kind"] not in COMPONENT_KINDS or r["regex"] == "1":
            continue
        pat = r["pattern"].strip()
        if not PLAIN_RE.match(pat) or ("components", pat) in owners:
            continue
        best, ids = idx.best_prefix(pat)
        if len(ids) == 1 and best and best != pat:
            e = entries[ids[0]]
            if add_unique(e, "android", "components", pat, owners, plan, "libchecker"):
                if "libchecker" not in e["sources"]:
                    e["sources"].append("libchecker")
    # SKAdNetwork ownership
    for item in skan:
        sid = SKAN_OWNERS.get(item.get("entity_name", ""))
        if not sid:
            continue
        if sid not in entries:
            plan.errors.append("SKAN_OWNERS: no entry %s" % sid)
            continue
        if add_unique(entries[sid], "ios", "skadnetwork_ids", item["skadnetwork_id"], owners, plan, "skadnetwork"):
            if "skadnetwork" not in entries[sid]["sources"]:
                entries[sid]["sources"].append("skadnetwork")

    # mechanical decisions for the decisions table
    for tid in sorted(trackers):
        tr = trackers[tid]
        for alt in (tr.get("code_signature") or "").split("|"):
            c = convert_code(alt)
            if c and c[0] == "class_regex":
                plan.auto_decisions.append((tid, alt, "class_regex `%s`" % c[1],
                                            "leading dot: εxodus matches it anywhere in a class name"))
        _, _, _, dropped = exodus_facts(tr)
        for alt, note in dropped:
            plan.auto_decisions.append((tid, alt, "network alternative dropped", note))
    return entries, plan, trackers


def coverage_md(entries: dict, trackers: dict) -> str:
    covered = set()
    for e in entries.values():
        covered.update(st.exodus_ids(e))
    total = len(entries)
    curated = [e for e in entries.values() if st.is_curated(e)]
    derived = total - len(curated)
    cn = [e for e in entries.values() if e.get("region") == "cn"]
    cn_no_exodus = [e for e in cn if not st.exodus_ids(e)]
    ios = [e for e in entries.values() if e.get("ios")]
    native = [e for e in entries.values() if st.get(e, "android", "native_libs")]
    comps = [e for e in entries.values() if st.get(e, "android", "components")]
    meta = [e for e in entries.values() if st.get(e, "android", "metadata")]
    skan = sum(len(st.get(e, "ios", "skadnetwork_ids")) for e in entries.values())
    lines = [
        "# Signature coverage",
        "",
        "Generated by `signatures/tools/derive.py`; do not edit.",
        "",
        "| what | count |",
        "|---|---|",
        "| SDK entries | %d |" % total,
        "| hand-curated entries (sources include \"curated\") | %d |" % len(curated),
        "| derived-only entries (εxodus) | %d |" % derived,
        "| εxodus trackers covered (of %d) | %d |" % (len(trackers), len(covered & set(trackers))),
        "| Chinese SDKs (region cn) | %d |" % len(cn),
        "| Chinese SDKs beyond εxodus (curated, region cn) | %d |" % len([e for e in cn if st.is_curated(e)]),
        "| Chinese SDKs citing no εxodus tracker | %d |" % len(cn_no_exodus),
        "| entries not derived solely from εxodus | %d |" % len(curated),
        "| entries with iOS identifiers | %d |" % len(ios),
        "| entries with native library names | %d |" % len(native),
        "| entries with manifest components | %d |" % len(comps),
        "| entries with manifest meta-data keys | %d |" % len(meta),
        "| SKAdNetwork ids attributed | %d |" % skan,
        "",
        "## Entries per category (an entry may have several)",
        "",
        "| category | entries | of which cn |",
        "|---|---|---|",
    ]
    for c in st.CATEGORIES:
        n = [e for e in entries.values() if c in e.get("categories", [])]
        lines.append("| %s | %d | %d |" % (c, len(n), len([e for e in n if e.get("region") == "cn"])))
    missing = sorted(set(trackers) - covered)
    lines += ["", "εxodus trackers not cited by any entry: %s" % (", ".join(map(str, missing)) or "none"), ""]
    return "\n".join(lines)


def decisions_md(plan: Plan, trackers: dict) -> str:
    lines = [
        "# εxodus signature decisions",
        "",
        "Generated by `signatures/tools/derive.py` (manual rows come from MANUAL_DECISIONS in that "
        "script); do not edit by hand.",
        "",
        "Conversion rules: a code-signature alternative that is a plain dotted name becomes an "
        "`android.packages` prefix (trailing `.` stripped; prefix semantics, the engine matches "
        "`prefix`, `prefix.*`, `prefix$*`). An alternative starting with `.` (εxodus searches it "
        "anywhere in a class name) becomes a full-match `class_regex` "
        r"`(?:.*\.)?NAME(?:[.$].*)?`. Network alternatives lose their regex escapes, a leading "
        "`.*\\.` or `\\.`, and a leftmost label that is a pattern (`mst[0-9]*`); what is not "
        "then a domain is dropped. Every tracker's remaining alternatives resolve to an entry "
        "citing its id (checked by check.py).",
        "",
        "## Judgement calls",
        "",
        "| tracker | name | original pattern | what we did | why |",
        "|---|---|---|---|---|",
    ]

    def cell(s):
        return str(s).replace("|", "\\|").replace("\n", " ")

    for tid, pat, did, why in MANUAL_DECISIONS:
        lines.append("| %d | %s | `%s` | %s | %s |" % (tid, cell(trackers.get(tid, {}).get("name", "?")),
                                                     cell(pat), cell(did), cell(why)))
    lines += ["", "## Mechanical conversions", "",
              "| tracker | name | original pattern | what we did | why |", "|---|---|---|---|---|"]
    for tid, pat, did, why in sorted(set(plan.auto_decisions), key=lambda x: (x[0], x[1])):
        lines.append("| %d | %s | `%s` | %s | %s |" % (tid, cell(trackers[tid]["name"]), cell(pat), cell(did), cell(why)))
    return "\n".join(lines) + "\n"


def main() -> int:
    args = parse_args()
    ref = os.path.abspath(args.reference)
    existing = st.load_entries(args.sdk_dir)
    entries, plan, trackers = build(ref, existing)
    changed = []
    for sid, e in sorted(entries.items()):
        before = existing.get(sid)
        if before is not None and st.is_curated(before) and st.normalize(before) == st.normalize(e):
            continue  # curated file already holds every fact: leave its bytes alone
        path = os.path.join(args.sdk_dir, sid + ".toml")
        text = st.render(e)
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old != text:
            changed.append(sid)
            if not args.check:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
    stale = [sid for sid, e in existing.items() if not st.is_curated(e) and sid not in entries]
    for sid in stale:
        changed.append(sid + " (deleted)")
        if not args.check:
            os.remove(os.path.join(args.sdk_dir, sid + ".toml"))
    tools = os.path.dirname(os.path.abspath(__file__))
    for fn, text in (("COVERAGE.md", coverage_md(entries, trackers)),
                     ("EXODUS_DECISIONS.md", decisions_md(plan, trackers))):
        path = os.path.join(tools, fn)
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old != text:
            changed.append(fn)
            if not args.check:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
    for err in plan.errors:
        print("error:", err, file=sys.stderr)
    print("%d entries; %s" % (len(entries), ("changed: " + ", ".join(changed[:20]) +
                                             (" ..." if len(changed) > 20 else "")) if changed else "no changes"))
    if plan.errors:
        return 2
    if args.check and changed:
        return 1
    if not args.check:
        import check
        return check.main(["--sdk-dir", args.sdk_dir, "--reference", ref])
    return 0


if __name__ == "__main__":
    sys.exit(main())
