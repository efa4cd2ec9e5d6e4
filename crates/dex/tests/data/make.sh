#!/bin/sh
# Rebuilds the committed test DEX files from the smali sources under src/.
# Needs Debian's `smali` (package smali). Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build() { # out.dex api srcdir
    rm -f "$here/$1"
    # smali exits 0 even on assembly errors, so treat any output as failure.
    errs=$(smali assemble --api "$2" -o "$here/$1" "$here/src/$3" 2>&1) || true
    if [ -n "$errs" ] || [ ! -s "$here/$1" ]; then
        echo "$errs" >&2
        echo "failed to assemble $1" >&2
        rm -f "$here/$1"
        exit 1
    fi
}
# basic.dex: API 15 → DEX 035
build basic.dex 15 basic
# modern.dex: API 28 → DEX 039 (invoke-polymorphic, invoke-custom, const-method-handle/type)
build modern.dex 28 modern
ls -l "$here"/*.dex
