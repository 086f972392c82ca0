#!/usr/bin/env bash
# Side by side in one run: loading the 1,000-microservice spec from Rust (criterion), Python
# (the installed wheel) and Node (cnarch-wasm/pkg). Needs the wheel installed and the package
# built (scripts/test.sh does both).
set -euo pipefail
cd "$(dirname "$0")/../.."
spec=$(mktemp --suffix=.yaml)
trap 'rm -f "$spec"' EXIT
cargo run --quiet --release -p cnarch-benches --example gen_yaml -- 1000 > "$spec"
echo "input: $(wc -c < "$spec") bytes"
rust=$(cargo bench --quiet -p cnarch-benches --bench load_validate -- cnarch_load_str 2>&1)
echo "$rust" | grep -E "time:" | head -n 1 | sed 's/^ */rust load_str (criterion): /'
python3 benches/bindings/bench_load.py "$spec" 20
node benches/bindings/bench_load.mjs "$spec" 20
wasm=cnarch-wasm/pkg/web/cnarch_bg.wasm
echo "wasm: $(wc -c < "$wasm") bytes, $(gzip -9 -c "$wasm" | wc -c) gzipped"
