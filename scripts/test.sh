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
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test tools: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

cargo test --workspace "$@"
