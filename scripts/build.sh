#!/usr/bin/env bash
# The whole build from a fresh machine: wasm target, wasm-bindgen CLI (cached by version), release build,
# bindings (web target, used by every entry), and wasm-opt -Oz from npm's binaryen.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(scripts/ensure-wasm-toolchain.sh)
cargo build --quiet --release --target wasm32-unknown-unknown --lib
rm -rf pkg
"$bin/wasm-bindgen" --target web --out-dir pkg --out-name aicc_call target/wasm32-unknown-unknown/release/aicc_call.wasm
[ -x node_modules/.bin/wasm-opt ] || npm install --no-audit --no-fund
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/aicc_call_bg.wasm -o pkg/aicc_call_bg.wasm
rm -f pkg/.gitignore pkg/package.json pkg/README.md
echo "built pkg/: $(wc -c < pkg/aicc_call_bg.wasm) bytes of wasm, $(gzip -9 -c pkg/aicc_call_bg.wasm | wc -c) gzip" >&2
