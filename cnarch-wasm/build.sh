#!/usr/bin/env bash
# Builds cnarch-wasm/pkg/: the complete `cnarch` npm package (Node CommonJS build, browser and
# bundler ESM build, TypeScript declarations), with the .wasm optimised by wasm-opt from the
# pinned npm `binaryen`.
#
# Needs: the wasm32-unknown-unknown target, wasm-bindgen-cli at the wasm-bindgen version in
# Cargo.lock, and `npm ci` run in this folder (for wasm-opt). `.ci/run` installs all three.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
pkg="$here/pkg"

want=$(grep -A1 '^name = "wasm-bindgen"$' "$root/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')
if [ "$want" != "$have" ]; then
  echo "build.sh: wasm-bindgen-cli $want is needed (found ${have:-none}); run: cargo install wasm-bindgen-cli --version $want" >&2
  exit 1
fi
wasm_opt="$here/node_modules/.bin/wasm-opt"
if [ ! -x "$wasm_opt" ]; then
  echo "build.sh: wasm-opt not found; run: (cd cnarch-wasm && npm ci)" >&2
  exit 1
fi

cargo build --quiet --manifest-path "$root/Cargo.toml" -p cnarch-wasm --target wasm32-unknown-unknown --profile wasm-release
wasm="${CARGO_TARGET_DIR:-$root/target}/wasm32-unknown-unknown/wasm-release/cnarch_wasm.wasm"

rm -rf "$pkg"
mkdir -p "$pkg/node" "$pkg/web"
wasm-bindgen "$wasm" --out-dir "$pkg/node" --out-name cnarch --target nodejs --no-typescript
wasm-bindgen "$wasm" --out-dir "$pkg/web" --out-name cnarch --target web --no-typescript
optimize() {
  "$wasm_opt" -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue "$1" -o "$1"
}
# wasm-bindgen writes the same module for both targets; wasm-opt (minutes) then runs once.
if cmp -s "$pkg/node/cnarch_bg.wasm" "$pkg/web/cnarch_bg.wasm"; then
  optimize "$pkg/node/cnarch_bg.wasm"
  cp "$pkg/node/cnarch_bg.wasm" "$pkg/web/cnarch_bg.wasm"
else
  optimize "$pkg/node/cnarch_bg.wasm"
  optimize "$pkg/web/cnarch_bg.wasm"
fi

# The second module, cnarch/eventsourcing: the same crate with only its `eventsourcing`
# feature, so the event store does not weigh on the main module.
cargo build --quiet --manifest-path "$root/Cargo.toml" -p cnarch-wasm --target wasm32-unknown-unknown --profile wasm-release --no-default-features --features eventsourcing
wasm-bindgen "$wasm" --out-dir "$pkg/node" --out-name eventsourcing --target nodejs --no-typescript
wasm-bindgen "$wasm" --out-dir "$pkg/web" --out-name eventsourcing --target web --no-typescript
if cmp -s "$pkg/node/eventsourcing_bg.wasm" "$pkg/web/eventsourcing_bg.wasm"; then
  optimize "$pkg/node/eventsourcing_bg.wasm"
  cp "$pkg/node/eventsourcing_bg.wasm" "$pkg/web/eventsourcing_bg.wasm"
else
  optimize "$pkg/node/eventsourcing_bg.wasm"
  optimize "$pkg/web/eventsourcing_bg.wasm"
fi
sed -e 's/cnarch\.js/eventsourcing.js/g' -e 's/cnarch_bg\.wasm/eventsourcing_bg.wasm/g' "$here/npm/web-index.js" > "$pkg/web/eventsourcing-index.js"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
sed "s/@VERSION@/$version/" "$here/npm/package.json" > "$pkg/package.json"
cp "$here/npm/index.d.ts" "$here/npm/generated.d.ts" "$here/npm/eventsourcing.d.ts" "$here/npm/README.md" "$pkg/"
cp "$here/npm/web-index.js" "$pkg/web/index.js"
printf '{ "type": "module" }\n' > "$pkg/web/package.json"

# Each module's budget: 1 MB (10^6 bytes) gzipped.
for m in cnarch eventsourcing; do
  size=$(wc -c < "$pkg/web/${m}_bg.wasm")
  gz=$(gzip -9 -c "$pkg/web/${m}_bg.wasm" | wc -c)
  echo "built $pkg (${m}_bg.wasm: $size bytes, $gz gzipped)"
  if [ "$gz" -ge 1000000 ]; then
    echo "build.sh: ${m}_bg.wasm is $gz bytes gzipped, over the 1 MB budget" >&2
    exit 1
  fi
done
