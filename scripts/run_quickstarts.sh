#!/usr/bin/env bash
# Runs the README's Python and JavaScript quickstarts as written: Python against the installed
# wheel, JavaScript in a fresh folder where the packed npm tarball is installed (which also
# proves the tarball installs and its `exports` resolve, for ESM and CommonJS).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

extract() { # language fence → file
  python3 - "$1" "$2" <<'PY'
import re, sys
lang, out = sys.argv[1], sys.argv[2]
blocks = re.findall(r"```" + lang + r"\n(.*?)```", open("README.md", encoding="utf-8").read(), re.S)
if len(blocks) != 1:
    sys.exit(f"expected one ```{lang} block in README.md, found {len(blocks)}")
open(out, "w", encoding="utf-8").write(blocks[0])
PY
}

extract python "$work/quickstart.py"
(cd "$work" && python3 quickstart.py)
echo "ok - README Python quickstart"

tarball=$(cd cnarch-wasm/pkg && npm pack --silent --pack-destination "$work" 2>/dev/null | tail -n 1)
mkdir -p "$work/app"
(cd "$work/app" && npm init -y >/dev/null 2>&1 && npm install --silent --no-audit --no-fund "$work/$tarball" >/dev/null 2>&1)
extract js "$work/app/quickstart.mjs"
(cd "$work/app" && node quickstart.mjs)
echo "ok - README JavaScript quickstart (ESM, from the installed tarball $tarball)"
(cd "$work/app" && node -e 'const c = require("cnarch"); if (new c.Quantity("1024Mi").toString() !== "1Gi") process.exit(1)')
echo "ok - CommonJS require from the installed tarball"
echo "quickstarts: 3 passed, 0 failed"
