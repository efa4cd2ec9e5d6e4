#!/usr/bin/env bash
# The raw cost floor of a scan: `unzip -p` of exactly the entries appvet inflates, repeated.
# Usage: benches/unzip_floor.sh PACKAGE.apk [RUNS]
set -euo pipefail
apk=$1; runs=${2:-200}
entries=$(unzip -Z1 "$apk" | grep -E '^(AndroidManifest\.xml|resources\.arsc|classes[0-9]*\.dex|META-INF/[^/]+\.(RSA|DSA|EC))$' | tr '\n' ' ')
start=$(date +%s%N)
for _ in $(seq "$runs"); do
  # shellcheck disable=SC2086
  unzip -p "$apk" $entries > /dev/null
done
end=$(date +%s%N)
echo "unzip -p of: $entries"
echo "mean per run: $(( (end - start) / runs / 1000 )) µs over $runs runs"
