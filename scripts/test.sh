#!/usr/bin/env bash
# Runs appvet's whole test suite on a fresh machine: installs the real tools the tests
# cross-check against (Debian packages), then `cargo test --workspace`.
# Extra arguments are passed to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."

# Tools the tests call: aapt/aapt2 (manifest and resource cross-checks), dexdump (class lists),
# apksigner (certificates), llvm-objdump >= 15 (Mach-O chained fixups; Debian's llvm-19),
# llvm-nm (llvm) and plistutil (libplist-utils) for the iOS cross-checks; chromium (headless,
# for the HTML report's browser test, crates/cli/tests/browser.rs) with a CJK font
# (fonts-wqy-microhei) so the Chinese report renders. Fixture *building* needs more: see
# fixtures/android/README.md and fixtures/ios/README.md.
need=()
command -v aapt >/dev/null || need+=(aapt)
command -v aapt2 >/dev/null || need+=(aapt)  # aapt2 ships in the aapt package
command -v dexdump >/dev/null || need+=(dexdump)
command -v apksigner >/dev/null || need+=(apksigner)
command -v llvm-nm >/dev/null || need+=(llvm)
command -v llvm-objdump-19 >/dev/null || need+=(llvm-19)
command -v plistutil >/dev/null || need+=(libplist-utils)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
# PostgreSQL for the shared registry's worker tests (crates/cli/tests/registry_pg.rs).
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test tools: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# A throwaway PostgreSQL on loopback: its own data directory and port, trust auth, stopped
# and deleted when this script exits. Tests find it in APPVET_TEST_POSTGRES.
pg_bin="$(compgen -G "/usr/lib/postgresql/*/bin" | sort -V | tail -n 1)"
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/appvet-pg.XXXXXX")"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: the cluster belongs to Debian's postgres user.
  chown postgres "$pg_dir"
  as_pg=(runuser -u postgres --)
fi
pg_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
stop_pg() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_pg EXIT
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >"$pg_dir/initdb.log" 2>&1 ||
  { cat "$pg_dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off" start >/dev/null ||
  { cat "$pg_dir/server.log" >&2; exit 1; }
export APPVET_TEST_POSTGRES="postgres://postgres@127.0.0.1:$pg_port/postgres"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (data in $pg_dir)"

cargo test --workspace "$@"
