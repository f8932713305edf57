#!/usr/bin/env bash
# The long fuzz runs recorded in fuzz/RUNS.md: each target given (default: every one) for 10 million executions
# or FUZZ_MAX_SECONDS (default 900), whichever comes first, from its seeds, past findings and the corpus it grew
# before (fuzz/corpus/<target>/, not committed). Prints one table row a target for fuzz/RUNS.md; a finding is
# kept under fuzz/artifacts/<target>/ and the script goes on with the next target, then exits 1.
#
#   scripts/fuzz-long.sh [target...]
#
# Unlike scripts/fuzz-smoke.sh it runs at normal priority: two of these at once keep two cores busy (the way
# the contributing docs test the CI on a busy machine).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export RUSTC_BOOTSTRAP=1
bin=$("$root/scripts/ensure-cargo-fuzz.sh")
export PATH="$bin:$PATH"
cd "$root"
if [ "$#" -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(cargo fuzz list --fuzz-dir fuzz); fi
cargo fuzz build --fuzz-dir fuzz --sanitizer none >&2
triple=$(rustc -vV | sed -n 's/^host: //p')
commit=$(git rev-parse --short HEAD)
failed=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  corpora=("fuzz/corpus/$t" "fuzz/seeds/$t")
  [ -d "fuzz/regressions/$t" ] && corpora+=("fuzz/regressions/$t")
  log=$(mktemp)
  t0=$(date +%s)
  status=0
  "fuzz/target/$triple/release/$t" -dict=fuzz/aicc.dict -runs=10000000 -max_total_time="${FUZZ_MAX_SECONDS:-900}" \
    -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" "${corpora[@]}" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  result=none
  if [ "$status" -ne 0 ]; then
    result="finding: $(ls -t "fuzz/artifacts/$t/" | head -n 1)"
    failed=1
    grep -v '^#' "$log" | tail -n 30 >&2
  fi
  printf '| %s | %s | %s | %s | %s |\n' "$t" "$commit" "${execs:-?}" "$(( $(date +%s) - t0 ))" "$result"
  rm -f "$log"
done
exit "$failed"
