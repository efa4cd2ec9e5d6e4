"""Run appvet and its peers on the same packages; print median wall time and peak memory.

Usage: measure.py [options] PACKAGE.apk... [--ipa PACKAGE.ipa...] [--batch-extra PACKAGE...]

Per APK, in one run and in turn (never two tools at once):
  appvet          `appvet scan --format json` (scan, detection, policy, report; default jobs)
  appvet-no-inv   the same with `--no-inventory` (the report without the inventory dump)
  unzip-floor     `unzip -p` of exactly the entries appvet inflates, to /dev/null
  aapt            `aapt dump badging` (manifest and resources only, no code)
  exodus          εxodus-core's StaticAnalysis: tracker detection over dexdump's class lists
  androguard      androguard reading what appvet reads (exodus's and androguard's drivers here)
IPAs (--ipa) get appvet and an unzip floor only (the peers are Android tools).

Batch: one directory of copies (hard links) of every package, `--batch-copies` times, scanned by
`appvet scan DIR --format jsonl -o FILE --quiet` with `--jobs 1` and with `--jobs 2`.

Peak memory is `/usr/bin/time -f %M` of one more run (the child's ru_maxrss; it covers the
child's own children, e.g. εxodus's dexdump). Wall time is measured around
fork/exec/wait, so interpreter start-up counts for the Python peers (a user pays it per package).
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VENV_PY = os.path.join(ROOT, "target", "bench-venv", "bin", "python")
# The deployment binary (scripts/build-release.sh; run.sh passes it), else the cargo release build.
APPVET = os.path.abspath(os.environ.get("APPVET") or os.path.join(ROOT, "target", "release", "appvet"))
TRACKERS = os.path.join(ROOT, "..", "shared", "reference", "exodus_trackers.json")
HERE = os.path.dirname(os.path.abspath(__file__))
SCAN_DATE = ["--scan-date", "2026-01-01"]  # reproducible reports

# The entries appvet's Android scan inflates (crates/android: manifest, resource table, every
# classesN.dex, v1 signature blocks).
APK_READ = re.compile(
    r"^(AndroidManifest\.xml|resources\.arsc|classes[0-9]*\.dex|META-INF/[^/]+\.(RSA|DSA|EC))$")


def apk_entries(path):
    with zipfile.ZipFile(path) as z:
        return [i.filename for i in z.infolist() if APK_READ.match(i.filename)]


def ipa_entries(path):
    """The entries appvet's iOS scan inflates (crates/ios): Info.plist and InfoPlist.strings,
    every bundle's executable and dylibs, provisioning profiles, privacy manifests."""
    out = []
    with zipfile.ZipFile(path) as z:
        for i in z.infolist():
            n = i.filename
            if n.endswith("/"):
                continue
            parent, _, base = n.rpartition("/")
            bundle_stem = parent.rpartition("/")[2].rpartition(".")[0]
            if (base in ("Info.plist", "InfoPlist.strings", "embedded.mobileprovision",
                         "PrivacyInfo.xcprivacy")
                    or base.endswith(".dylib")
                    or (base == bundle_stem and n.startswith("Payload/"))):
                out.append(n)
    return out


def largest_entry(path):
    with zipfile.ZipFile(path) as z:
        return max((i.file_size for i in z.infolist()), default=0)


def run_once(argv):
    """(wall seconds, exit code) of one run; stdout and stderr discarded."""
    with open(os.devnull, "wb") as null:
        t0 = time.perf_counter()
        p = subprocess.run(argv, stdout=null, stderr=null, check=False)
        t1 = time.perf_counter()
    return t1 - t0, p.returncode


def peak_kib(argv):
    """Peak RSS (KiB) of one run, from `/usr/bin/time -f %M`, timed apart from the wall-time
    runs (the wrapper costs a few ms). Not this process's wait4(): Linux starts a child's
    ru_maxrss at the RSS of the process that forked it (a ~15 MiB Python here), which would hide
    the peak of small runs; /usr/bin/time's own RSS is ~2 MiB."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss, open(os.devnull, "wb") as null:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *argv],
                       stdout=null, stderr=null, check=False)
        text = rss.read().strip().splitlines()
    # A killed child makes time print "Command terminated by signal N" first.
    return int(text[-1]) if text else 0


def apk_tools(apk):
    return {
        "appvet": [APPVET, "scan", "--format", "json", *SCAN_DATE, apk],
        "appvet-no-inv": [APPVET, "scan", "--format", "json", "--no-inventory", *SCAN_DATE, apk],
        "unzip-floor": ["unzip", "-p", apk, *apk_entries(apk)],
        "aapt": ["aapt", "dump", "badging", apk],
        "exodus": [VENV_PY, os.path.join(HERE, "exodus_driver.py"), apk, TRACKERS],
        "androguard": [VENV_PY, os.path.join(HERE, "androguard_driver.py"), apk],
    }


def ipa_tools(ipa):
    return {
        "appvet": [APPVET, "scan", "--format", "json", *SCAN_DATE, ipa],
        "appvet-no-inv": [APPVET, "scan", "--format", "json", "--no-inventory", *SCAN_DATE, ipa],
        "unzip-floor": ["unzip", "-p", ipa, *ipa_entries(ipa)],
    }


PEERS = ("exodus", "androguard")


def measure(path, tools, runs, peer_runs):
    out = {}
    for name, argv in tools.items():
        n = peer_runs if name in PEERS else runs
        peak = peak_kib(argv)  # also warms the page cache (and Python's bytecode cache)
        samples = [run_once(argv) for _ in range(n)]
        out[name] = {
            "wall_ms": statistics.median(s[0] for s in samples) * 1000,
            "peak_kib": peak,
            "rc": max(s[1] for s in samples),
            "runs": n,
        }
        print(f"  {os.path.basename(path)} {name}: {out[name]['wall_ms']:.1f} ms, "
              f"{out[name]['peak_kib'] / 1024:.1f} MiB (rc {out[name]['rc']}, {n} runs)",
              file=sys.stderr, flush=True)
    return out


def has_jobs():
    help_text = subprocess.run([APPVET, "scan", "--help"], capture_output=True, text=True).stdout
    return "--jobs" in help_text


def batch(pkgs, copies, runs):
    """appvet over one directory of `copies` copies of every package: --jobs 1 vs --jobs 2."""
    tmp = tempfile.mkdtemp(dir=os.path.join(ROOT, "target"), prefix="bench-batch-")
    try:
        d = os.path.join(tmp, "pkgs")
        os.mkdir(d)
        n = 0
        for c in range(copies):
            for p in pkgs:
                dst = os.path.join(d, f"{c}-{os.path.basename(p)}")
                try:
                    os.link(p, dst)
                except OSError:
                    shutil.copyfile(p, dst)
                n += 1
        total = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
        res = {"packages": n, "bytes": total}
        for jobs in (1, 2):
            out = os.path.join(tmp, f"jobs{jobs}.jsonl")
            argv = [APPVET, "scan", d, "--jobs", str(jobs), "--format", "jsonl", "--no-inventory",
                    "-o", out, "--quiet", *SCAN_DATE]
            samples = []
            for _ in range(runs):
                if os.path.exists(out):
                    os.remove(out)
                samples.append(run_once(argv))
            os.remove(out)
            peak = peak_kib(argv)
            with open(out, encoding="utf-8") as f:
                lines = [json.loads(line) for line in f if line.strip()]
            errors = sum(1 for r in lines if "error" in r)
            wall = statistics.median(s[0] for s in samples)
            res[f"jobs{jobs}"] = {"wall_s": wall, "pps": n / wall,
                                  "peak_kib": peak,
                                  "rc": max(s[1] for s in samples), "reports": len(lines),
                                  "errors": errors}
            print(f"  batch --jobs {jobs}: {n / wall:.1f} pkg/s ({wall:.2f} s, {len(lines)} lines, "
                  f"{errors} errors, rc {res[f'jobs{jobs}']['rc']})", file=sys.stderr, flush=True)
        res["speedup"] = res["jobs1"]["wall_s"] / res["jobs2"]["wall_s"]
        return res
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def fmt_ms(v):
    return f"{v:,.1f}" if v < 100 else f"{v:,.0f}"


def mib(kib):
    return f"{kib / 1024:.0f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11, help="runs of appvet/unzip/aapt per package")
    ap.add_argument("--peer-runs", type=int, default=5, help="runs of εxodus/androguard")
    ap.add_argument("--big-runs", type=int, default=3,
                    help="runs of every tool on packages over 1 MiB (peers: at most this)")
    ap.add_argument("--batch-copies", type=int, default=4)
    ap.add_argument("--batch-runs", type=int, default=3)
    ap.add_argument("--ipa", nargs="*", default=[], help="IPAs (appvet and floor only)")
    ap.add_argument("--batch-extra", nargs="*", default=[],
                    help="more packages for the batch only (AAB, APKS, XAPK, IPA fixtures)")
    ap.add_argument("--no-peers", action="store_true", help="skip εxodus and androguard")
    ap.add_argument("--json", default=os.path.join(ROOT, "target", "bench-compare.json"))
    ap.add_argument("packages", nargs="+")
    a = ap.parse_args()

    results = {}
    for apk in a.packages:
        big = os.path.getsize(apk) > (1 << 20)
        tools = apk_tools(apk)
        if a.no_peers:
            for p in PEERS:
                tools.pop(p)
        results[apk] = {"kind": "apk", "size": os.path.getsize(apk),
                        "largest_entry": largest_entry(apk),
                        "tools": measure(apk, tools, a.big_runs if big else a.runs,
                                         min(a.peer_runs, a.big_runs) if big else a.peer_runs)}
    for ipa in a.ipa:
        big = os.path.getsize(ipa) > (1 << 20)
        results[ipa] = {"kind": "ipa", "size": os.path.getsize(ipa),
                        "largest_entry": largest_entry(ipa),
                        "tools": measure(ipa, ipa_tools(ipa), a.big_runs if big else a.runs, 0)}

    batch_res = None
    if has_jobs():
        batch_res = batch(a.packages + a.ipa + a.batch_extra, a.batch_copies, a.batch_runs)
    else:
        print("  batch: this appvet has no --jobs yet; skipped", file=sys.stderr)

    with open(a.json, "w") as f:
        json.dump({"packages": results, "batch": batch_res}, f, indent=1)

    # ---- table
    print("| package | size | appvet ms (peak MiB) | --no-inventory ms | unzip floor ms | aapt ms "
          "| εxodus ms (MiB) | androguard ms (MiB) | appvet/floor | εxodus/appvet "
          "| androguard/appvet | mem limit MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    misses = []
    for path, r in results.items():
        t = r["tools"]
        name = os.path.basename(path)
        av = t["appvet"]["wall_ms"]
        floor = t["unzip-floor"]["wall_ms"]
        limit_kib = 64 * 1024 + r["largest_entry"] / 1024
        cell = lambda k, m=False: "–" if k not in t else (  # noqa: E731
            fmt_ms(t[k]["wall_ms"]) + (f" ({mib(t[k]['peak_kib'])})" if m else ""))
        ratio = lambda k: "–" if k not in t else f"{t[k]['wall_ms'] / av:.0f}×"  # noqa: E731
        print(f"| {name} | {r['size'] / 1024:,.0f} KiB | {cell('appvet', True)} "
              f"| {cell('appvet-no-inv')} | {cell('unzip-floor')} | {cell('aapt')} "
              f"| {cell('exodus', True)} | {cell('androguard', True)} | {av / floor:.2f} "
              f"| {ratio('exodus')} | {ratio('androguard')} | {limit_kib / 1024:.0f} |")
        if av > 1.5 * floor:
            misses.append(f"{name}: appvet {av / floor:.2f}× the unzip floor (target ≤ 1.5×)")
        if "exodus" in t and t["exodus"]["wall_ms"] < 50 * av:
            misses.append(f"{name}: only {t['exodus']['wall_ms'] / av:.0f}× faster than εxodus "
                          "(target ≥ 50×)")
        if "androguard" in t and t["androguard"]["wall_ms"] < 30 * av:
            misses.append(f"{name}: only {t['androguard']['wall_ms'] / av:.0f}× faster than "
                          "androguard (target ≥ 30×)")
        if t["appvet"]["peak_kib"] > limit_kib:
            misses.append(f"{name}: peak {mib(t['appvet']['peak_kib'])} MiB over "
                          f"{limit_kib / 1024:.0f} MiB")
        for k, v in t.items():
            if v["rc"] != 0:
                misses.append(f"{name}: {k} exited {v['rc']}")
    print()
    if batch_res:
        b1, b2 = batch_res["jobs1"], batch_res["jobs2"]
        print(f"Batch of {batch_res['packages']} packages ({batch_res['bytes'] / (1 << 20):.0f} MiB, "
              f"one directory): --jobs 1 {b1['pps']:.1f} pkg/s ({b1['wall_s']:.2f} s, "
              f"{mib(b1['peak_kib'])} MiB), --jobs 2 {b2['pps']:.1f} pkg/s ({b2['wall_s']:.2f} s, "
              f"{mib(b2['peak_kib'])} MiB): ×{batch_res['speedup']:.2f}")
        if batch_res["speedup"] < 1.8:
            misses.append(f"batch: --jobs 2 only ×{batch_res['speedup']:.2f} of --jobs 1 "
                          "(target ≥ 1.8)")
        for k in ("jobs1", "jobs2"):
            if batch_res[k]["reports"] != batch_res["packages"] or batch_res[k]["errors"]:
                misses.append(f"batch {k}: {batch_res[k]['reports']} lines, "
                              f"{batch_res[k]['errors']} errors for {batch_res['packages']} packages")
    print("Targets: all met." if not misses else "Targets missed:\n- " + "\n- ".join(misses))


if __name__ == "__main__":
    main()
