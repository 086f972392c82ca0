#!/usr/bin/env bash
# Builds the Alertmanager harness in GOPATH mode against Debian's sources (no module proxy),
# with one file added to package inhibit through an overlay (the sources stay untouched).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "$1")
src=/usr/share/gocode/src/github.com/prometheus/alertmanager
overlay=$(mktemp)
trap 'rm -f "$overlay"' EXIT
printf '{"Replace": {"%s/inhibit/inhibit_cnarch.go": "%s/overlay/inhibit_cnarch.go"}}' "$src" "$here" >"$overlay"
cd "$here"
GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -overlay "$overlay" -o "$out" main.go
