#!/usr/bin/env bash
# The whole test suite, as README's second command and CI run it: install what is missing,
# build the release preset (warnings are errors) and run every test, then the same under
# AddressSanitizer + UndefinedBehaviorSanitizer (clang; the long sweeps sampled, see
# README's Testing section; `ctest --preset asan-full` runs every case), then
# the libFuzzer targets side by side for 30 seconds (scripts/fuzz.sh; about a minute in all).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each phase says when it ended, in seconds since the start, and the CPU seconds spent so
# far by everything this script ran (on a shared machine the wall clock says little; the
# CPU time, over the two cores, is what a quiet machine would take).
phase() {
  local cpu
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($16 + $17) / hz }' /proc/$$/stat)
  echo "=== ${SECONDS}s: $* (${cpu} CPU-s so far)"
}

bash scripts/setup.sh
phase "setup done"

for preset in release asan; do
  cmake --preset "$preset"
  cmake --build --preset "$preset"
  phase "$preset built"
  ctest --preset "$preset"
  phase "$preset tested"
done

bash scripts/fuzz.sh 30
phase "fuzzing done"
