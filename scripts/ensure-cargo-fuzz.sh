#!/usr/bin/env bash
# Makes sure the pinned cargo-fuzz is installed. It is cached outside the clone, keyed by version; prints the
# bin folder on stdout (logs go to stderr). Needs only stable Rust and gcc/g++.
set -euo pipefail
version=0.13.2
cache="${AICC_CACHE_DIR:-$HOME/.cache/aicc-call}/cargo-fuzz-$version"
if [ ! -x "$cache/bin/cargo-fuzz" ]; then
  echo "toolchain: compiling cargo-fuzz $version once, cached in $cache (a few minutes)..." >&2
  start=$SECONDS
  # Install into a scratch root first and move it in place at the end, so an interrupted install never
  # leaves a half-written cache that would be taken as complete.
  mkdir -p "$(dirname "$cache")"
  work=$(mktemp -d "$(dirname "$cache")/.cargo-fuzz-install.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  cargo install --quiet cargo-fuzz --version "=$version" --locked --root "$work" >&2 \
    || { echo "cargo install --locked failed; trying without --locked" >&2
         cargo install --quiet cargo-fuzz --version "=$version" --root "$work" >&2; }
  rm -rf "$cache"
  mv "$work" "$cache"
  trap - EXIT
  echo "toolchain: cargo-fuzz compiled in $((SECONDS - start)) s" >&2
fi
echo "$cache/bin"
