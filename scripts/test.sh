#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it. Each stage prints a heading; the first failure stops the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false
[ -d node_modules ] || npm ci --no-audit --no-fund

echo "== Rust: the core's cargo test and clippy (with and without the server feature), the bindings' clippy (wasm32)"
rustup component add clippy 2>/dev/null || true
rustup target add wasm32-unknown-unknown 2>/dev/null || true
cargo test --quiet
cargo test --quiet --no-default-features
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --all-targets --no-default-features -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown -p aicc-call-wasm --all-targets --features trap-test -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown -p aicc-call-wasm --all-targets --no-default-features --features host-json -- -D warnings

echo "== Layers: the core crate depends on no wasm crate, on any target (cargo tree)"
if cargo tree -p aicc-call --target all -e normal --all-features --prefix none | grep -E '^(wasm-bindgen|js-sys|web-sys|gloo)'; then
  echo "the core crate (aicc-call) must not depend on wasm-bindgen, js-sys, web-sys or gloo: they belong in bindings/" >&2
  exit 1
fi

echo "== Fuzzing smoke: every cargo-fuzz target of fuzz/ for 20 s, past findings replayed first"
bash scripts/fuzz-smoke.sh

echo "== Simulator: node --test tests/sim/"
node --test tests/sim/

echo "== Build the package (wasm32, wasm-bindgen, wasm-opt)"
bash scripts/build.sh

echo "== Size: the browser payload against its 60 KiB budget (scripts/check-size.mjs)"
node scripts/check-size.mjs

echo "== Node: the package against the simulator"
node --test tests/js/node/

echo "== Types: tsc --noEmit on an example using the whole surface"
node_modules/.bin/tsc -p tests/types --noEmit
node_modules/.bin/tsc -p tests/types/browser --noEmit

echo "== API reference: TypeDoc builds docs/api/ from the .d.ts files; a public symbol without a doc comment fails"
node scripts/api-docs.mjs

echo "== workerd (Miniflare): the example gateway worker and the client inside a worker"
node --test tests/js/workerd/

echo "== wasm-bindgen-test: the wasm layer in Node and headless Chrome"
bash scripts/test-wasm.sh

echo "== Chromium: the click-to-call widget through the gateway, as a person uses it"
node --test tests/js/browser/

echo "== Packaging: the tarball packed from a clean copy, installed into Node, Deno, Bun, workerd, Vite, webpack, esbuild, Rollup and import-map projects; the widget on an import-map page, in React 19 and Vue 3"
packaging_start=$SECONDS
node tests/packaging/pack.mjs
node --test tests/packaging/
echo "== Packaging: passed in $((SECONDS - packaging_start)) s"
