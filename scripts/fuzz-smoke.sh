#!/usr/bin/env bash
# Fuzz smoke test: installs the pinned cargo-fuzz if missing (scripts/ensure-cargo-fuzz.sh), builds every
# target of fuzz/ once, runs each for FUZZ_SECONDS (default 20) from its committed seeds (fuzz/seeds/<target>/)
# and fails on any finding; past findings (fuzz/regressions/<target>/) are replayed first. Prints each target's
# executions. One fuzzer at a time, at normal priority: at the lowest, a machine whose cores are busy with other
# work starves it and CI never ends (seen: 25 min in its build alone).
#
#   scripts/fuzz-smoke.sh [target...]      # default: every target
#
# Stable Rust is enough: RUSTC_BOOTSTRAP=1 lets it take cargo-fuzz's instrumentation flags, and the sanitizer
# is off (--sanitizer none), so findings are panics (failed assertions) and aborts. A finding is kept under
# fuzz/artifacts/<target>/ (not committed); reproduce it with fuzz/target/<triple>/release/<target> FILE.
# AICC_FUZZ_KNOWN=name[,name] skips properties of findings already reported (see fuzz/RUNS.md). FUZZ_SEED
# (default 1) fixes libFuzzer's random seed, so a run on the same machine explores the same way.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export RUSTC_BOOTSTRAP=1
seconds=${FUZZ_SECONDS:-20}
started=$(date +%s)

bin=$("$root/scripts/ensure-cargo-fuzz.sh")
export PATH="$bin:$PATH"
cd "$root"

if ! cargo metadata --locked --format-version 1 --manifest-path fuzz/Cargo.toml >/dev/null 2>"${TMPDIR:-/tmp}/fuzz-lock.$$"; then
  cat "${TMPDIR:-/tmp}/fuzz-lock.$$" >&2
  rm -f "${TMPDIR:-/tmp}/fuzz-lock.$$"
  echo "fuzz/Cargo.lock does not match fuzz/Cargo.toml or ../Cargo.toml: run 'cargo update --manifest-path fuzz/Cargo.toml --workspace' and commit it" >&2
  exit 1
fi
rm -f "${TMPDIR:-/tmp}/fuzz-lock.$$"

if [ "$#" -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(cargo fuzz list --fuzz-dir fuzz); fi
echo "building ${#targets[@]} fuzz targets (sanitizer none)" >&2
cargo fuzz build --fuzz-dir fuzz --sanitizer none >&2
triple=$(rustc -vV | sed -n 's/^host: //p')
bindir="fuzz/target/$triple/release"
built=$(date +%s)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
printf '%-12s %12s %8s  %s\n' target executions seconds result
for t in "${targets[@]}"; do
  [ -d "fuzz/seeds/$t" ] || { echo "no seeds in fuzz/seeds/$t" >&2; exit 1; }
  mkdir -p "$work/corpus/$t" "fuzz/artifacts/$t"
  log="$work/$t.log"
  t0=$(date +%s)
  status=0
  # The first folder collects new inputs (thrown away); the seeds and past findings are only read.
  corpora=("$work/corpus/$t" "fuzz/seeds/$t")
  [ -d "fuzz/regressions/$t" ] && corpora+=("fuzz/regressions/$t")
  "$bindir/$t" -dict=fuzz/aicc.dict -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="fuzz/artifacts/$t/" "${corpora[@]}" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  if [ "$status" -eq 0 ] && grep -q '^Done ' "$log"; then
    result=ok
  else
    result="FINDING (exit $status)"
    failed+=("$t")
    {
      echo "---- $t: last lines of the libFuzzer log"
      grep -v '^#' "$log" | tail -n 40
      ls -t "fuzz/artifacts/$t/" 2>/dev/null | head -n 1 | sed "s|^|input: fuzz/artifacts/$t/|"
    } >&2
  fi
  printf '%-12s %12s %8s  %s\n' "$t" "${execs:-?}" "$(( $(date +%s) - t0 ))" "$result"
done
echo "build $(( built - started )) s, total $(( $(date +%s) - started )) s" >&2
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz findings in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz smoke: ${#targets[@]} targets, no findings"
