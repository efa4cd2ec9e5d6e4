"""εxodus-core's static analysis of one APK: its tracker detection over dexdump's class list.

Usage: exodus_driver.py PACKAGE.apk TRACKERS.json

Calls exodus_core's documented API (StaticAnalysis(apk).detect_trackers()). Its
load_trackers_signatures() downloads the tracker list from reports.exodus-privacy.eu.org on every
call; to keep runs offline, reproducible and free of a network round trip, the same list is loaded
from TRACKERS.json (the εxodus API's JSON, ../shared/reference/exodus_trackers.json) exactly the
way load_trackers_signatures() builds it.
"""
import json
import sys
from collections import namedtuple

from exodus_core.analysis.static_analysis import StaticAnalysis


def main():
    apk, trackers_json = sys.argv[1], sys.argv[2]
    sa = StaticAnalysis(apk)
    with open(trackers_json, encoding="utf-8") as f:
        data = json.load(f)
    sa.signatures = [
        namedtuple("tracker", data["trackers"][e].keys())(*data["trackers"][e].values())
        for e in data["trackers"]
    ]
    sa._compile_signatures()
    trackers = sa.detect_trackers()
    print(json.dumps({"classes": len(sa.get_embedded_classes()),
                      "trackers": sorted(t.name for t in trackers)}))


if __name__ == "__main__":
    main()
