#!/usr/bin/env bash
# The whole build from a fresh machine: wasm target, wasm-bindgen CLI (cached by version), two release builds
# and their bindings (web target, loaded by every entry), each through wasm-opt -Oz from npm's binaryen:
#   pkg/full/  everything (node and workerd entries: client, gateway, callbacks)
#   pkg/web/   the client only (browser entry: no gateway or callback code, which needs secrets anyway)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(scripts/ensure-wasm-toolchain.sh)
[ -x node_modules/.bin/wasm-opt ] || npm ci --no-audit --no-fund
rm -rf pkg

flavour() { # name, cargo feature flags...
  local name=$1; shift
  cargo build --quiet --release --target wasm32-unknown-unknown --lib "$@"
  "$bin/wasm-bindgen" --target web --out-dir "pkg/$name" --out-name aicc_call \
    target/wasm32-unknown-unknown/release/aicc_call.wasm
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "pkg/$name/aicc_call_bg.wasm" -o "pkg/$name/aicc_call_bg.wasm"
  rm -f "pkg/$name/.gitignore" "pkg/$name/package.json" "pkg/$name/README.md"
  echo "built pkg/$name: $(wc -c < "pkg/$name/aicc_call_bg.wasm") bytes of wasm, $(gzip -9 -c "pkg/$name/aicc_call_bg.wasm" | wc -c) gzip" >&2
}

flavour full
flavour web --no-default-features
