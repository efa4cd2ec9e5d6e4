#!/usr/bin/env bash
# appvet against its peers on the same packages, in one run (see benches/README.md).
# Usage: benches/compare/run.sh [measure.py options] [PACKAGE.apk...]
# Default packages: fixtures/android/*.apk and the generated 100k-class, 8-dex APK
# (target/bench-data/big.apk); IPAs (appvet and floor only): fixtures/ios/*.ipa and the generated
# 56 MiB-binary IPA (target/bench-data/big.ipa); the batch also takes the AAB/APKS/XAPK fixtures.
# Generated inputs are made on first use. Run setup.sh once before.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
[ -x target/bench-venv/bin/python ] || { echo "run benches/compare/setup.sh first" >&2; exit 2; }
cargo build --release -q -p appvet-benches --bin gen
# appvet as deployed: statically linked on Linux/glibc (scripts/build-release.sh).
APPVET=$(scripts/build-release.sh)
export APPVET
mkdir -p target/bench-data
[ -f target/bench-data/big.apk ] || target/release/gen apk target/bench-data/big.apk
[ -f target/bench-data/big.ipa ] || target/release/gen ipa target/bench-data/big.ipa
opts=(); pkgs=()
while [ $# -gt 0 ]; do
  case $1 in
    --no-peers) opts+=("$1"); shift ;;
    --*) opts+=("$1" "$2"); shift 2 ;;
    *) pkgs+=("$1"); shift ;;
  esac
done
if [ ${#pkgs[@]} -eq 0 ]; then
  pkgs=(fixtures/android/*.apk target/bench-data/big.apk
        --ipa fixtures/ios/*.ipa target/bench-data/big.ipa
        --batch-extra fixtures/android/*.aab fixtures/android/*.apks fixtures/android/*.xapk)
fi
echo "# $(date -u +%Y-%m-%d) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); appvet $(git rev-parse --short HEAD 2>/dev/null || echo '?')+worktree ($APPVET)"
exec python3 benches/compare/measure.py "${opts[@]}" "${pkgs[@]}"
