#!/bin/sh
# Rebuilds the committed AXML / resources.arsc fixtures from fixture/ with the real toolchain.
# Needs: aapt, aapt2, unzip (Debian packages aapt, aapt2, unzip).
# Usage: sh crates/axml/tests/data/make.sh   (from anywhere)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fw=/usr/share/android-framework-res/framework-res.apk
src="$here/fixture"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# aapt2: UTF-8 pools in resources.arsc and res/xml/*, a UTF-16 pool in AndroidManifest.xml.
aapt2 compile --dir "$src/res" -o "$tmp/res.zip"
aapt2 link -I "$fw" --manifest "$src/AndroidManifest.xml" -o "$here/aapt2.apk" "$tmp/res.zip"
# aapt2 with sparse entry encoding (FLAG_SPARSE type chunks).
# Sparse encoding is only used when minSdkVersion >= 26 (O), so raise it in a copy.
sed 's/android:minSdkVersion="21"/android:minSdkVersion="29"/' "$src/AndroidManifest.xml" > "$tmp/AndroidManifest.xml"
aapt2 link -I "$fw" --manifest "$tmp/AndroidManifest.xml" --enable-sparse-encoding \
    -o "$tmp/sparse.apk" "$tmp/res.zip"

# aapt (v1): UTF-16 string pools with --utf16.
aapt package -f -I "$fw" -M "$src/AndroidManifest.xml" -S "$src/res" --utf16 -F "$here/aapt_utf16.apk"
aapt package -f -I "$fw" -M "$src/AndroidManifest.xml" -S "$src/res" -F "$tmp/aapt.apk"

# The tests read these extracted entries; aapt_crosscheck.rs runs `aapt dump` on the APKs.
extract() { # apk entry out
    unzip -p "$1" "$2" > "$3"
}
extract "$here/aapt2.apk" AndroidManifest.xml "$here/aapt2_manifest.axml"
extract "$here/aapt2.apk" resources.arsc "$here/aapt2_resources.arsc"
extract "$here/aapt2.apk" res/xml/network_security_config.xml "$here/aapt2_nsc.axml"
extract "$tmp/sparse.apk" resources.arsc "$here/aapt2_sparse_resources.arsc"
extract "$here/aapt_utf16.apk" AndroidManifest.xml "$here/aapt_utf16_manifest.axml"
extract "$here/aapt_utf16.apk" resources.arsc "$here/aapt_utf16_resources.arsc"
extract "$here/aapt_utf16.apk" res/xml/network_security_config.xml "$here/aapt_utf16_nsc.axml"
extract "$tmp/aapt.apk" resources.arsc "$here/aapt_resources.arsc"
