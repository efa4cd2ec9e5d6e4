#!/usr/bin/env bash
# Installs the peers the comparison runs against (nothing of theirs is committed):
#  - Debian's dexdump and aapt (apt),
#  - εxodus-core and androguard from PyPI, in a venv under target/bench-venv.
# Usage: benches/compare/setup.sh   (from anywhere; needs root for apt)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv="$root/target/bench-venv"
if ! command -v dexdump >/dev/null || ! command -v aapt >/dev/null || ! command -v hyperfine >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dexdump aapt hyperfine time unzip
fi
[ -x /usr/bin/time ] || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time; }
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q exodus-core androguard
"$venv/bin/python" - <<'PY'
import importlib.metadata as m
for p in ("exodus-core", "androguard"):
    print(p, m.version(p))
PY
