#!/usr/bin/env bash
# The binary to deploy (app-store gates, batch rescans): a release build, statically linked on
# Linux with glibc, so that starting a process loads no shared library (about 0.5 ms of a 3 ms
# scan of a small package; benches/README.md). Elsewhere a plain release build.
# Prints the path of the binary; scans a fixture with it to check it works.
set -euo pipefail
cd "$(dirname "$0")/.."
host=$(rustc -vV | sed -n 's/^host: //p')
case "$host" in
  *-linux-gnu)
    # crt-static needs --target: it must not apply to build scripts and proc macros.
    RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
      cargo build --release -q -p appvet --target "$host"
    bin="target/$host/release/appvet"
    ;;
  *)
    cargo build --release -q -p appvet
    bin="target/release/appvet"
    ;;
esac
"$bin" scan --format json --scan-date 2026-01-01 fixtures/android/trackers.apk > /dev/null
echo "$bin"
