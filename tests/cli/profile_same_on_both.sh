#!/usr/bin/env bash
# --profile prints the same report on both backends (the counts are equal), at every level.
#   profile_same_on_both.sh JITBF PROGRAM...
set -euo pipefail
jitbf=$1
shift
for prog in "$@"; do
  for level in 0 1 2; do
    jit=$("$jitbf" -O"$level" --backend jit --profile "$prog" 2>&1 >/dev/null </dev/null)
    interp=$("$jitbf" -O"$level" --backend interp --profile "$prog" 2>&1 >/dev/null </dev/null)
    grep -q '^jitbf: --profile: [0-9]* ops executed' <<<"$jit" || { echo "no profile: $jit"; exit 1; }
    [ "$jit" = "$interp" ] || { printf '%s -O%s:\n--- jit\n%s\n--- interp\n%s\n' "$prog" "$level" "$jit" "$interp"; exit 1; }
  done
done
