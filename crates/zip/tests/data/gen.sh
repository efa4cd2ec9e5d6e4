#!/bin/sh
# Regenerates the small reference archives in this directory with real tools.
# Needs python3, Info-ZIP zip, zipalign, keytool and apksigner. Tests never run this script.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# python.zip: stored, deflated, a directory and a non-ASCII name, fixed timestamps.
python3 - <<'PY'
import zipfile
def info(name, method):
    i = zipfile.ZipInfo(name, date_time=(2020, 2, 29, 23, 59, 58))
    i.compress_type = method
    return i
with zipfile.ZipFile("python.zip", "w") as z:
    z.writestr(info("dir/", zipfile.ZIP_STORED), b"")
    z.writestr(info("dir/stored.txt", zipfile.ZIP_STORED), b"hello stored\n")
    z.writestr(info("dir/deflated.txt", zipfile.ZIP_DEFLATED), b"hello deflated\n" * 200)
    z.writestr(info("caf\u00e9.txt", zipfile.ZIP_DEFLATED), b"unicode name\n")
    z.comment = b"python zipfile"
# python-zip64.zip: local headers with ZIP64 extra fields (sizes 0xFFFFFFFF locally).
with zipfile.ZipFile("python-zip64.zip", "w", compression=zipfile.ZIP_DEFLATED) as z:
    for n in range(3):
        with z.open(zipfile.ZipInfo(f"f{n}.bin", date_time=(2022, 1, 1, 0, 0, 0)), "w", force_zip64=True) as f:
            f.write(bytes(range(256)) * (n + 1))
PY

# zip-cli.zip: Info-ZIP with an archive comment and forced ZIP64 (-fz), data from stdin-free files.
mkdir -p "$tmp/in/sub"
printf 'alpha\n' > "$tmp/in/a.txt"
seq 1 2000 > "$tmp/in/sub/numbers.txt"
touch -d '2019-05-04 03:02:01' "$tmp/in/a.txt" "$tmp/in/sub/numbers.txt" "$tmp/in/sub"
rm -f zip-cli.zip zip-cli-zip64.zip
(cd "$tmp/in" && zip -X -q -r "$OLDPWD/zip-cli.zip" a.txt sub && echo "a comment" | zip -q -z "$OLDPWD/zip-cli.zip")
(cd "$tmp/in" && zip -X -q -fz -r "$OLDPWD/zip-cli-zip64.zip" a.txt sub)

# signed.apk: zipaligned and signed (v1+v2+v3), so an APK Signing Block sits before the CD.
(cd "$tmp/in" && zip -X -q -r "$tmp/unsigned.apk" a.txt sub)
zipalign -f 4 "$tmp/unsigned.apk" "$tmp/aligned.apk"
keytool -genkeypair -keystore "$tmp/ks.jks" -storepass password -keypass password \
    -alias test -keyalg RSA -keysize 2048 -validity 10000 -dname CN=appvet-test >/dev/null 2>&1
apksigner sign --ks "$tmp/ks.jks" --ks-pass pass:password --min-sdk-version 24 \
    --v1-signing-enabled true --v2-signing-enabled true --v3-signing-enabled true \
    --out signed.apk "$tmp/aligned.apk"
rm -f signed.apk.idsig
ls -l
