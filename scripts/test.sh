#!/usr/bin/env bash
# Runs every check and test of cnarch: formatting, lints, Rust unit/integration/doc tests,
# the API docs with warnings denied, the Python binding's suite, the npm package's Node,
# TypeScript and browser suites, and the README quickstarts. It first installs what is missing
# (scripts/setup.sh), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "install missing tools (scripts/setup.sh)"
./scripts/setup.sh

step "docs/model.md is current"
python3 scripts/gen_model_doc.py --check

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (warnings denied)"
cargo clippy --workspace --all-targets --quiet -- -D warnings
# the wasm crate's second module (cnarch/eventsourcing) is a feature of the same crate
cargo clippy -p cnarch-wasm --all-features --all-targets --quiet -- -D warnings

step "cargo test --workspace"
cargo test --workspace --quiet

step "TypeScript declarations of the ffi's wire types are current (cnarch-wasm/npm/generated.d.ts)"
cargo clippy -p cnarch-core --features ts --all-targets --quiet -- -D warnings
cargo test -p cnarch-core --features ts --test typescript --quiet

step "promtool check rules on the generated SLO rules (the golden file the Rust test compares with)"
promtool check rules testdata/slo/sloth_rules.golden.yaml

step "differential suite against the real reference code (conformance/run.sh)"
./conformance/run.sh

step "fuzz targets compile (run them with: cd fuzz && cargo +nightly fuzz run <target>)"
cargo check --quiet --manifest-path fuzz/Cargo.toml --bins

step "cargo doc (warnings denied)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "Python: build and install the cnarch wheel, then pytest (vectors, API, stubs)"
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore ./cnarch-py
python3 -m pytest -q cnarch-py/tests

step "JavaScript: build the npm package (cnarch-wasm/build.sh)"
./cnarch-wasm/build.sh

step "JavaScript: node --test (vectors, API)"
node --test cnarch-wasm/tests/

step "JavaScript: TypeScript declarations compile a sample using every export (tsc --strict)"
cnarch-wasm/node_modules/.bin/tsc -p cnarch-wasm/tests/tsconfig.json

step "JavaScript: the demo page in headless Chromium (playwright-core)"
node cnarch-wasm/tests/browser.mjs

step "README quickstarts (Python wheel, npm tarball)"
./scripts/run_quickstarts.sh

step "all checks passed"
