#!/usr/bin/env bash
# Runs every check and test of cnarch: formatting, lints, Rust unit/integration/doc tests,
# and the API docs with warnings denied. (Python and JavaScript binding tests join here when
# the bindings land.)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "docs/model.md is current"
python3 scripts/gen_model_doc.py --check

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (warnings denied)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo test --workspace"
cargo test --workspace --quiet

step "fuzz targets compile (run them with: cd fuzz && cargo +nightly fuzz run <target>)"
cargo check --quiet --manifest-path fuzz/Cargo.toml --bins

step "cargo doc (warnings denied)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "all checks passed"
