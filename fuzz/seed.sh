#!/bin/sh
# Seed corpora from the fixtures (ours, built by fixtures/*/build.sh): whole packages for zip
# and package, and the entries each parser reads for the others. Writes seeds/<target>/.
set -eu
cd "$(dirname "$0")"
python3 - <<'PY'
import glob, hashlib, os, struct, zipfile

def put(target, data):
    d = os.path.join("seeds", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)

def walk(path, data, depth=0):
    try:
        z = zipfile.ZipFile(__import__("io").BytesIO(data))
    except zipfile.BadZipFile:
        return
    # The bytes before the central directory end with the APK Signing Block, if any.
    eocd = data.rfind(b"PK\x05\x06")
    if eocd >= 0:
        cd = struct.unpack_from("<I", data, eocd + 16)[0]
        if data[cd - 16:cd] == b"APK Sig Block 42":
            size = struct.unpack_from("<Q", data, cd - 24)[0]
            put("signing_block", data[max(0, cd - size - 8):cd])
    for info in z.infolist():
        n = info.filename
        try:
            b = z.read(info)
        except Exception:
            continue
        if n.endswith(".apk") and depth == 0:
            put("zip", b); walk(n, b, 1)
        elif n.endswith(".xml") and b[:2] in (b"\x03\x00", b"\x0a"):
            put("axml", b)
        elif n.endswith(".pb") or n.endswith("AndroidManifest.xml"):
            put("axml", b)
        elif n.endswith(".arsc"):
            put("arsc", b)
        elif n.endswith(".dex"):
            put("dex", b)
        elif n.upper().endswith((".RSA", ".DSA", ".EC")):
            put("signing_block", b)
        elif n.endswith((".plist", ".strings", ".xcprivacy", ".mobileprovision")):
            put("plist", b)
        elif b[:4] in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe"):
            put("macho", b)
            i = b.find(b"\xfa\xde\x0c\xc0")
            while i >= 0:
                put("codesign", b[i:i + 200000])
                i = b.find(b"\xfa\xde\x0c\xc0", i + 4)

for p in sorted(glob.glob("../fixtures/android/*.ap*") + glob.glob("../fixtures/android/*.xapk")
                + glob.glob("../fixtures/android/*.aab") + glob.glob("../fixtures/ios/*.ipa")):
    data = open(p, "rb").read()
    if len(data) < 4 << 20:
        put("package", data)
    put("zip", data)
    walk(p, data)
for p in sorted(glob.glob("../fixtures/wechat/*.wxapkg")):
    data = open(p, "rb").read()
    put("wxapkg", data)
    put("package", data)
for p in sorted(glob.glob("../fixtures/harmony/*.hap") + glob.glob("../fixtures/harmony/*.app")):
    data = open(p, "rb").read()
    put("hap", data)
    put("package", data)
    with zipfile.ZipFile(p) as z:
        for n in z.namelist():
            b = z.read(n)
            if n.endswith(".abc"):
                put("abc", b)
            elif n.endswith(".hap"):
                put("hap", b)
                with zipfile.ZipFile(__import__("io").BytesIO(b)) as inner:
                    for m in inner.namelist():
                        if m.endswith(".abc"):
                            put("abc", inner.read(m))
for t in sorted(os.listdir("seeds")):
    print(t, len(os.listdir(os.path.join("seeds", t))))
PY
