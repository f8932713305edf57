#!/usr/bin/env bash
# The whole build from a fresh machine: wasm target, wasm-bindgen CLI (cached by version), two release builds
# and their bindings (web target, loaded by every entry), each through wasm-opt from npm's binaryen:
#   pkg/full/  everything (node and workerd entries: client, gateway, callbacks), built for speed (the `server`
#              profile of Cargo.toml, wasm-opt -O3)
#   pkg/web/   the client only (browser entry: no gateway or callback code, which needs secrets anyway; JSON parsed
#              by the runtime's JSON.parse, feature host-json, so that the wasm carries no parser), built
#              for size (opt-level "z", wasm-opt -Oz)
# pkg/web is built by a pinned nightly (scripts/ensure-wasm-toolchain.sh --web-toolchain) with a standard
# library compiled for size and no panic messages, every function of every crate offered for inlining into the
# one module (-Zcross-crate-inline-threshold=always: 7.5 KB gzip less, measured), the names between its wasm and glue are shortened
# (scripts/minify-wasm-names.mjs) and its JS is minified: the browser payload's budget is
# 60 KiB gzip (scripts/check-size.mjs). pkg/full stays on stable.
# And, for the tests only (never packed), a debug build that can trap on purpose:
#   pkg/trap/  everything plus the `trap-test` feature's exports (tests of the recovery after a trap)
# The glue can re-create the instance after a trap (--experimental-reset-state-function, used by
# js/runtime.js) and is hardened by scripts/guard-glue.mjs; its futures queue schedules with then() rather
# than queueMicrotask (scripts/glue-microtasks.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { # what, how long it usually takes, then the command: says so before it, and how long it took after
  local what=$1 usually=$2 start=$SECONDS
  shift 2
  echo "build: $what ($usually)..." >&2
  "$@"
  echo "build: $what: done in $((SECONDS - start)) s" >&2
}
bin=$(scripts/ensure-wasm-toolchain.sh)
web_toolchain=$(scripts/ensure-wasm-toolchain.sh --web-toolchain)
[ -x node_modules/.bin/wasm-opt ] || npm ci --no-audit --no-fund
rm -rf pkg

bindings() { # name, the .wasm cargo built
  "$bin/wasm-bindgen" --target web --experimental-reset-state-function --out-dir "pkg/$1" --out-name aicc_call "$2"
  node scripts/guard-glue.mjs "pkg/$1/aicc_call.js"
  node scripts/glue-microtasks.mjs "pkg/$1/aicc_call.js"
}

# The wasm features the builds use, which wasm-opt must be told.
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
  --enable-reference-types --enable-multivalue)

flavour() { # name, the .wasm cargo built, wasm-opt's level
  local name=$1
  bindings "$name" "$2"
  node_modules/.bin/wasm-opt "$3" "${features[@]}" "pkg/$name/aicc_call_bg.wasm" -o "pkg/$name/aicc_call_bg.wasm"
  rm -f "pkg/$name/.gitignore" "pkg/$name/package.json" "pkg/$name/README.md"
  echo "built pkg/$name: $(wc -c < "pkg/$name/aicc_call_bg.wasm") bytes of wasm, $(gzip -9 -c "pkg/$name/aicc_call_bg.wasm" | wc -c) gzip" >&2
}

# The bindings crate (bindings/, over the pure core in src/) is what becomes the .wasm.
step "building the server wasm, pkg/full" "1-3 min from scratch, seconds after a small change" \
  cargo build --quiet --profile server --target wasm32-unknown-unknown -p aicc-call-wasm --lib
flavour full target/wasm32-unknown-unknown/server/aicc_call_wasm.wasm -O3

RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Zcross-crate-inline-threshold=always" \
  step "building the browser wasm, pkg/web, with a standard library built for size" "1-3 min from scratch" \
  cargo "+$web_toolchain" build --quiet --release --target wasm32-unknown-unknown -p aicc-call-wasm --lib --no-default-features --features host-json \
  -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size --target-dir target/web
flavour web target/web/wasm32-unknown-unknown/release/aicc_call_wasm.wasm -Oz
# The AiccError class without the wasm, for the browser entry, which exports it before its wasm has loaded: the
# very snippet module the glue imports, re-exported beside it (its folder name carries a hash).
error_snippet=$(cd pkg/web && ls snippets/*/src/aicc-error.js)
echo "export { AiccError } from './$error_snippet';" > pkg/web/aicc-error.js
node scripts/minify-wasm-names.mjs pkg/web
# Once more, flattened and re-looped, after the renaming: 436 B gzip less on the browser payload (the same passes
# before the renaming save nothing).
node_modules/.bin/wasm-opt --flatten --rereloop -Oz -Oz "${features[@]}" pkg/web/aicc_call_bg.wasm -o pkg/web/aicc_call_bg.wasm
node_modules/.bin/esbuild --minify --log-level=warning --log-override:duplicate-object-key=silent --allow-overwrite --outdir=pkg/web --outbase=pkg/web \
  $(find pkg/web -name '*.js')

step "building the test wasm, pkg/trap" "about a minute from scratch" \
  cargo build --quiet --target wasm32-unknown-unknown -p aicc-call-wasm --lib --features trap-test
bindings trap target/wasm32-unknown-unknown/debug/aicc_call_wasm.wasm
rm -f pkg/trap/.gitignore pkg/trap/package.json pkg/trap/README.md
echo "build: pkg/ built in $SECONDS s" >&2
