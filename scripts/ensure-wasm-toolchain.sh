#!/usr/bin/env bash
# Makes sure the wasm32 target and the wasm-bindgen CLI matching Cargo.lock are present.
# The CLI is cached outside the clone, keyed by version; prints the bin folder on stdout.
# With --web-toolchain: makes sure the pinned nightly that builds pkg/web is present instead (rustup's own
# folder is its cache) and prints its name. The browser build needs nightly for -Zbuild-std with
# -Cpanic=immediate-abort and std's optimize_for_size: a standard library compiled for size, without panic
# messages or locations. The date is pinned: these flags were renamed before and may be again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
WEB_TOOLCHAIN=nightly-2026-05-20
if [ "${1:-}" = --web-toolchain ]; then
  sysroot=$(rustup run "$WEB_TOOLCHAIN" rustc --print sysroot 2>/dev/null || true)
  if [ -z "$sysroot" ] || [ ! -d "$sysroot/lib/rustlib/src/rust/library/std" ] \
    || [ ! -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]; then
    echo "toolchain: installing $WEB_TOOLCHAIN with rust-src and wasm32-unknown-unknown, once (about a minute)..." >&2
    start=$SECONDS
    rustup toolchain install "$WEB_TOOLCHAIN" --profile minimal --component rust-src \
      --target wasm32-unknown-unknown --no-self-update >&2
    echo "toolchain: $WEB_TOOLCHAIN installed in $((SECONDS - start)) s" >&2
  fi
  echo "$WEB_TOOLCHAIN"
  exit 0
fi
rustup target add wasm32-unknown-unknown >&2
version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")
[ -n "$version" ] || { echo "wasm-bindgen not found in Cargo.lock" >&2; exit 1; }
cache="${AICC_CACHE_DIR:-$HOME/.cache/aicc-call}/wasm-bindgen-$version"
if [ ! -x "$cache/bin/wasm-bindgen" ] || [ ! -x "$cache/bin/wasm-bindgen-test-runner" ]; then
  echo "toolchain: compiling the wasm-bindgen CLI $version once, cached in $cache (about 5 min on 2 cores)..." >&2
  start=$SECONDS
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # `cargo install --locked` fails: its lockfile wants a webpki-roots the registry copy lacks.
  # Unpack the crate, pin webpki-roots to a version the registry has, then install from the path.
  (cd "$work" && cargo new --quiet fetcher && cd fetcher \
    && cargo add --quiet "wasm-bindgen-cli@=$version" >&2 && cargo fetch --quiet >&2)
  src=$(find "${CARGO_HOME:-$HOME/.cargo}/registry/src" -maxdepth 2 -type d -name "wasm-bindgen-cli-$version" | head -n 1)
  [ -n "$src" ] || { echo "wasm-bindgen-cli $version source not found" >&2; exit 1; }
  cp -r "$src" "$work/cli"
  (cd "$work/cli" && { cargo update --quiet -p webpki-roots --precise 1.0.10 >&2 || true; } \
    && cargo install --quiet --path . --locked --root "$cache" >&2) \
  || cargo install --quiet wasm-bindgen-cli --version "$version" --root "$cache" >&2
  echo "toolchain: the wasm-bindgen CLI compiled in $((SECONDS - start)) s" >&2
fi
echo "$cache/bin"
