#!/usr/bin/env bash
# The whole build from a fresh machine: wasm target, wasm-bindgen CLI (cached by version), two release builds
# and their bindings (web target, loaded by every entry), each through wasm-opt -Oz from npm's binaryen:
#   pkg/full/  everything (node and workerd entries: client, gateway, callbacks)
#   pkg/web/   the client only (browser entry: no gateway or callback code, which needs secrets anyway)
# and, for the tests only (never packed), a debug build that can trap on purpose:
#   pkg/trap/  everything plus the `trap-test` feature's exports (tests of the recovery after a trap)
# The glue can re-create the instance after a trap (--experimental-reset-state-function, used by
# js/runtime.js) and is hardened by scripts/guard-glue.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(scripts/ensure-wasm-toolchain.sh)
[ -x node_modules/.bin/wasm-opt ] || npm ci --no-audit --no-fund
rm -rf pkg

bindings() { # name, cargo profile folder
  "$bin/wasm-bindgen" --target web --experimental-reset-state-function --out-dir "pkg/$1" --out-name aicc_call \
    "target/wasm32-unknown-unknown/$2/aicc_call.wasm"
  node scripts/guard-glue.mjs "pkg/$1/aicc_call.js"
}

flavour() { # name, cargo feature flags...
  local name=$1; shift
  cargo build --quiet --release --target wasm32-unknown-unknown --lib "$@"
  bindings "$name" release
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "pkg/$name/aicc_call_bg.wasm" -o "pkg/$name/aicc_call_bg.wasm"
  rm -f "pkg/$name/.gitignore" "pkg/$name/package.json" "pkg/$name/README.md"
  echo "built pkg/$name: $(wc -c < "pkg/$name/aicc_call_bg.wasm") bytes of wasm, $(gzip -9 -c "pkg/$name/aicc_call_bg.wasm" | wc -c) gzip" >&2
}

flavour full
flavour web --no-default-features
cargo build --quiet --target wasm32-unknown-unknown --lib --features trap-test
bindings trap debug
rm -f pkg/trap/.gitignore pkg/trap/package.json pkg/trap/README.md
