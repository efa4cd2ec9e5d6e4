#!/bin/sh
# Regenerates the aapt2 protobuf test inputs under proto/ (App Bundle formats) and the
# aapt2 dumps of the same link used as the cross-check reference.
#
# Needs: aapt2, unzip, /usr/share/android-framework-res/framework-res.apk
# Usage: sh make_proto.sh   (run from this directory)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
FW=/usr/share/android-framework-res/framework-res.apk
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
OUT="$HERE/proto"
mkdir -p "$OUT"

mkdir -p "$WORK/res/values" "$WORK/res/values-zh-rCN" "$WORK/res/values-fr" \
         "$WORK/res/values-b+sr+Latn" "$WORK/res/values-night" "$WORK/res/xml"

cat > "$WORK/res/values/strings.xml" <<'X'
<resources>
    <string name="app_name">Vet Demo</string>
    <string name="alias_name">@string/app_name</string>
    <string name="version">1.2.3-beta</string>
    <string name="api_key">k-123</string>
    <bool name="is_debug">true</bool>
    <integer name="answer">42</integer>
    <integer name="negative">-7</integer>
    <color name="accent">#ff112233</color>
</resources>
X
cat > "$WORK/res/values-zh-rCN/strings.xml" <<'X'
<resources><string name="app_name">审查演示</string></resources>
X
cat > "$WORK/res/values-fr/strings.xml" <<'X'
<resources><string name="app_name">Démo</string></resources>
X
cat > "$WORK/res/values-b+sr+Latn/strings.xml" <<'X'
<resources><string name="app_name">Demo sr</string></resources>
X
cat > "$WORK/res/values-night/strings.xml" <<'X'
<resources><bool name="is_debug">false</bool></resources>
X
cat > "$WORK/res/xml/network_security_config.xml" <<'X'
<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <base-config cleartextTrafficPermitted="false">
        <trust-anchors>
            <certificates src="system" />
        </trust-anchors>
    </base-config>
    <domain-config cleartextTrafficPermitted="true">
        <domain includeSubdomains="true">example.com</domain>
        <domain-config>
            <domain>api.example.com</domain>
            <pin-set expiration="2030-01-01">
                <pin digest="SHA-256">7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=</pin>
            </pin-set>
        </domain-config>
    </domain-config>
    <debug-overrides>
        <trust-anchors>
            <certificates src="user" />
        </trust-anchors>
    </debug-overrides>
</network-security-config>
X

cat > "$WORK/AndroidManifest.xml" <<'X'
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="org.appvet.demo"
    android:versionCode="7"
    android:versionCodeMajor="2"
    android:versionName="@string/version">
    <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="30" />
    <uses-permission android:name="android.permission.INTERNET" />
    <uses-permission android:name="android.permission.READ_CONTACTS" android:maxSdkVersion="28" />
    <uses-permission-sdk-23 android:name="android.permission.CAMERA" />
    <permission android:name="org.appvet.demo.SECRET" android:protectionLevel="signature|privileged" />
    <permission android:name="org.appvet.demo.DANGER" android:protectionLevel="dangerous" />
    <uses-feature android:name="android.hardware.camera" android:required="false" />
    <uses-feature android:glEsVersion="0x00020000" />
    <queries>
        <package android:name="com.example.other" />
        <intent>
            <action android:name="android.intent.action.SEND" />
            <data android:mimeType="text/plain" />
        </intent>
        <provider android:authorities="com.example.provider" />
    </queries>
    <application android:label="@string/app_name"
        android:name=".DemoApp"
        android:debuggable="true"
        android:allowBackup="false"
        android:usesCleartextTraffic="true"
        android:networkSecurityConfig="@xml/network_security_config">
        <meta-data android:name="com.example.API_KEY" android:value="@string/api_key" />
        <meta-data android:name="com.example.ANSWER" android:resource="@integer/answer" />
        <meta-data android:name="com.example.PLAIN" android:value="hello" />
        <activity android:name=".MainActivity">
            <intent-filter android:autoVerify="true">
                <action android:name="android.intent.action.VIEW" />
                <category android:name="android.intent.category.DEFAULT" />
                <category android:name="android.intent.category.BROWSABLE" />
                <data android:scheme="https" android:host="example.com" android:pathPrefix="/app" />
            </intent-filter>
        </activity>
        <activity android:name="org.appvet.demo.Hidden" android:exported="false" android:enabled="false" />
        <activity-alias android:name=".Alias" android:targetActivity=".MainActivity" android:exported="true" />
        <service android:name="Sync" android:permission="org.appvet.demo.SECRET" android:process=":sync">
            <meta-data android:name="svc.meta" android:value="3" />
        </service>
        <receiver android:name=".Boot">
            <intent-filter>
                <action android:name="android.intent.action.BOOT_COMPLETED" />
            </intent-filter>
        </receiver>
        <provider android:name=".Files" android:authorities="org.appvet.demo.files;org.appvet.demo.other"
            android:grantUriPermissions="true" android:readPermission="org.appvet.demo.SECRET" />
    </application>
</manifest>
X

cd "$WORK"
aapt2 compile --dir res -o compiled.zip
aapt2 link --warn-manifest-validation --compile-sdk-version-code 29 --compile-sdk-version-name 10 --proto-format -I "$FW" --manifest AndroidManifest.xml -o proto.apk compiled.zip
aapt2 link --warn-manifest-validation --compile-sdk-version-code 29 --compile-sdk-version-name 10 -I "$FW" --manifest AndroidManifest.xml -o binary.apk compiled.zip
mkdir x && (cd x && unzip -q ../proto.apk)
cp x/AndroidManifest.xml "$OUT/AndroidManifest.xml.pb"
cp x/resources.pb "$OUT/resources.pb"
cp x/res/xml/network_security_config.xml "$OUT/network_security_config.xml.pb"
# Reference dumps of the binary link of the same inputs.
aapt2 dump xmltree --file AndroidManifest.xml binary.apk > "$OUT/manifest.xmltree.txt"
aapt2 dump xmltree --file res/xml/network_security_config.xml binary.apk > "$OUT/nsc.xmltree.txt"
aapt2 dump resources binary.apk > "$OUT/resources.txt"
# Also keep the binary forms of the same link (cross-checks the AXML/ARSC readers and lets the
# manifest reader compare both forms).
mkdir -p y "$OUT/binary" && (cd y && unzip -q ../binary.apk)
cp y/AndroidManifest.xml "$OUT/binary/AndroidManifest.xml"
cp y/resources.arsc "$OUT/binary/resources.arsc"
cp y/res/xml/network_security_config.xml "$OUT/binary/network_security_config.xml"
ls -l "$OUT"
