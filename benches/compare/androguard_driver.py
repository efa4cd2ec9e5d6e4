"""androguard reading the facts appvet reads from one APK: package identity, manifest,
permissions, components, the classes (and method/string tables) of every dex, certificates.

Usage: androguard_driver.py PACKAGE.apk
"""
import json
import sys

from loguru import logger

logger.remove()  # androguard logs every step at DEBUG through loguru

from androguard.core.apk import APK  # noqa: E402
from androguard.core.dex import DEX  # noqa: E402


def main():
    a = APK(sys.argv[1])
    facts = {
        "package": a.get_package(),
        "version": a.get_androidversion_code(),
        "label": a.get_app_name(),
        "min_sdk": a.get_min_sdk_version(),
        "target_sdk": a.get_target_sdk_version(),
        "permissions": sorted(a.get_permissions()),
        "declared_permissions": sorted(a.get_declared_permissions()),
        "activities": a.get_activities(),
        "services": a.get_services(),
        "receivers": a.get_receivers(),
        "providers": a.get_providers(),
        "manifest_bytes": len(a.get_android_manifest_axml().get_buff()),
    }
    classes = methods = strings = 0
    for raw in a.get_all_dex():
        d = DEX(raw)
        classes += len(d.get_classes_names())
        methods += len(d.get_methods())
        strings += len(d.get_strings())
    facts.update(classes=classes, methods=methods, strings=strings)
    certs = []
    for c in a.get_certificates():
        certs.append(c.sha256_fingerprint)
    facts["certificates"] = certs
    facts["signed_v1"] = a.is_signed_v1()
    facts["signed_v2"] = a.is_signed_v2()
    facts["signed_v3"] = a.is_signed_v3()
    print(json.dumps(facts, default=str))


if __name__ == "__main__":
    main()
