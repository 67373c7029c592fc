#!/usr/bin/env bash
# --profile prints the same report on both backends (the counts are equal), at every level.
#   profile_same_on_both.sh JITBF PROGRAM...
set -euo pipefail
jitbf=$1
shift
# JITBF_TEST_SAMPLE=k (the asan test preset; tests/sample.hpp): only the combinations whose
# indices add up to a multiple of k run, so every value of each loop still runs.
k=${JITBF_TEST_SAMPLE:-1}
[ "$k" -gt 1 ] 2>/dev/null || k=1
i=0
for prog in "$@"; do
  i=$((i + 1))
  for level in 0 1 2; do
    (( (i + level) % k == 0 )) || continue
    jit=$("$jitbf" -O"$level" --backend jit --profile "$prog" 2>&1 >/dev/null </dev/null)
    interp=$("$jitbf" -O"$level" --backend interp --profile "$prog" 2>&1 >/dev/null </dev/null)
    grep -q '^jitbf: --profile: [0-9]* ops executed' <<<"$jit" || { echo "no profile: $jit"; exit 1; }
    [ "$jit" = "$interp" ] || { printf '%s -O%s:\n--- jit\n%s\n--- interp\n%s\n' "$prog" "$level" "$jit" "$interp"; exit 1; }
  done
done
