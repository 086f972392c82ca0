#!/usr/bin/env bash
# The differential suite: builds each reference harness (conformance/go/*) from Debian's packaged
# Go sources, then runs cnarch side by side with it on seeded generated cases. A disagreement
# that is not a documented deliberate difference fails the run, shrunk to a minimal case.
#
#   CNARCH_CONFORMANCE_CASES  cases per reference (default 10000)
#   CNARCH_CONFORMANCE_SEED   the generators' seed (default fixed, so CI runs are repeatable)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
cases=${CNARCH_CONFORMANCE_CASES:-10000}
seed=${CNARCH_CONFORMANCE_SEED:-12}
target=${CARGO_TARGET_DIR:-$root/target}
bin="$target/conformance-go"
mkdir -p "$bin"

# No module proxy is reachable: every module comes from a local `replace` to Debian's sources.
export GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local GOTELEMETRY=off
for harness in conformance/go/*/; do
  name=$(basename "$harness")
  if [ -x "$harness/build.sh" ]; then
    "$harness/build.sh" "$bin/$name"
  else
    (cd "$harness" && go build -o "$bin/$name" .)
  fi
done

# Optimized, with overflow checks on: an arithmetic overflow is a finding, not a wrap.
cargo build --quiet --profile conformance -p cnarch-conformance
differential="$target/conformance/differential"
"$differential" cron --bin "$bin/cron" --cases "$cases" --seed "$seed"
for reference in am-matchers am-routes am-inhibit am-timeintervals; do
  "$differential" "$reference" --bin "$bin/alertmanager" --cases "$cases" --seed "$seed"
done
