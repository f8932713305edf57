#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it. Stages print a heading each.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== Rust core: cargo test"
cargo test --quiet
echo "== Simulator: node --test tests/sim/"
node --test tests/sim/
