#!/bin/sh
# Regenerates the signed test APKs in this directory.
# Needs Debian's `apksigner`, `aapt`, `zipalign`, `keytool` (OpenJDK) and
# /usr/share/android-framework-res/framework-res.apk.
# Keys are fresh on every run (random serials), so the expected values in
# tests/signatures.rs must be updated after running this script (jarsigner-RELEASE.RSA also
# carries the signing time of the run).
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pw=appvet-test

gen() { # alias keyalg keysize dname
  rm -f "$1.jks"
  keytool -genkeypair -keystore "$1.jks" -storetype PKCS12 -storepass $pw -keypass $pw \
    -alias "$1" -keyalg "$2" -keysize "$3" -dname "$4" \
    -startdate "2020/01/02 03:04:05" -validity 10000 >/dev/null 2>&1
}
gen release RSA 2048 "CN=测试 Edu, O=Example Edu, C=CN"
gen ec EC 256 "CN=EC Signer, O=Example Edu, C=CN"
gen debug RSA 2048 "CN=Android Debug, O=Android, C=US"
gen rotated RSA 2048 "CN=Rotated Signer, O=Example Edu, C=CN"
# Certificates only (DER), for summarize_certificate: the AOSP test-key subject (a fresh key with
# the same subject as AOSP's public testkey/platform/shared/media), a near miss, DSA and Ed25519.
gen aosp RSA 2048 "EMAILADDRESS=android@android.com, CN=Android, OU=Android, O=Android, L=Mountain View, ST=California, C=US"
gen nearmiss RSA 2048 "EMAILADDRESS=android@android.com, CN=Android, OU=Android, O=Android, L=Mountain View, ST=California, C=CN"
gen dsa DSA 2048 "CN=DSA Signer, OU=R\\+D, O=Example\\, Inc., C=US"
gen ed25519 Ed25519 255 "CN=Ed Signer"
for k in aosp nearmiss dsa ed25519; do
  keytool -exportcert -keystore $k.jks -storepass $pw -alias $k -file cert-$k.der >/dev/null 2>&1
  rm -f $k.jks
done

cat >"$work/AndroidManifest.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="org.example.apksig" android:versionCode="1" android:versionName="1.0">
  <uses-sdk android:minSdkVersion="16" android:targetSdkVersion="29"/>
  <application android:label="apksig test"/>
</manifest>
XML
aapt package -f -M "$work/AndroidManifest.xml" \
  -I /usr/share/android-framework-res/framework-res.apk -F "$work/raw.apk"
zipalign -f 4 "$work/raw.apk" "$work/base.apk"

sign() { # out key min-sdk [apksigner options...]
  out=$1; key=$2; min=$3; shift 3
  cp "$work/base.apk" "$out"
  apksigner sign --ks "$key.jks" --ks-pass pass:$pw --ks-key-alias "$key" \
    --min-sdk-version "$min" "$@" "$out"
  rm -f "$out.idsig"
}
sign v1-only.apk release 16 --v1-signing-enabled true --v2-signing-enabled false --v3-signing-enabled false
sign v2v3.apk release 16 --v1-signing-enabled false --v2-signing-enabled true --v3-signing-enabled true
sign v1v2v3.apk release 16 --v1-signing-enabled true --v2-signing-enabled true --v3-signing-enabled true
sign ec-v1v2v3.apk ec 18 --v1-signing-enabled true --v2-signing-enabled true --v3-signing-enabled true
sign debug-v1v2.apk debug 16 --v1-signing-enabled true --v2-signing-enabled true --v3-signing-enabled false

# Key rotation: v3 carries the new key plus a lineage, v1/v2 the old one.
apksigner rotate --out "$work/lineage" \
  --old-signer --ks release.jks --ks-pass pass:$pw --ks-key-alias release \
  --new-signer --ks rotated.jks --ks-pass pass:$pw --ks-key-alias rotated
cp "$work/base.apk" rotated.apk
apksigner sign --min-sdk-version 16 --lineage "$work/lineage" \
  --ks release.jks --ks-pass pass:$pw --ks-key-alias release \
  --next-signer --ks rotated.jks --ks-pass pass:$pw --ks-key-alias rotated \
  rotated.apk
rm -f rotated.apk.idsig

# A v1 block from jarsigner (which adds signed attributes, including signingTime).
cp "$work/base.apk" "$work/jar.apk"
jarsigner -keystore release.jks -storepass $pw -sigalg SHA256withRSA -digestalg SHA-256 \
  "$work/jar.apk" release >/dev/null
mkdir -p "$work/x"
(cd "$work/x" && unzip -q -o ../jar.apk 'META-INF/*')
cp "$work/x/META-INF/RELEASE.RSA" jarsigner-RELEASE.RSA

# The v1 signature block files, extracted so tests need no zip reader.
for apk in v1-only v1v2v3 ec-v1v2v3 debug-v1v2; do
  for f in $(unzip -Z1 $apk.apk | grep -E '^META-INF/[^/]+\.(RSA|EC|DSA)$'); do
    unzip -p $apk.apk "$f" > "$apk-$(basename "$f")"
  done
done

rm -f release.jks ec.jks debug.jks rotated.jks
ls -l
