#!/usr/bin/env bash
# The whole test suite, as README's second command and CI run it: install what is missing,
# build the release preset (warnings are errors) and run every test, then the same under
# AddressSanitizer + UndefinedBehaviorSanitizer (clang; the long sweeps sampled, see
# README's Testing section; `ctest --preset asan-full` runs every case), then
# the libFuzzer targets side by side for 30 seconds (scripts/fuzz.sh; about a minute in all).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

for preset in release asan; do
  echo "=== $preset: configure, build, test ==="
  cmake --preset "$preset"
  cmake --build --preset "$preset"
  ctest --preset "$preset"
done

bash scripts/fuzz.sh 30
