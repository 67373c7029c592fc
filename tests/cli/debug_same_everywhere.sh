#!/usr/bin/env bash
# --debug: the program's output and its `#` dumps, interleaved on one stream (2>&1), are the
# same on both backends at every level and width, for programs with `#` inserted after
# every `]` and `.`; and without --debug the same files run as they do without the `#`.
#   debug_same_everywhere.sh JITBF PROGRAM...
set -euo pipefail
jitbf=$1
shift
# JITBF_TEST_SAMPLE=k (the asan test preset; tests/sample.hpp): only the combinations whose
# indices add up to a multiple of k run, so every value of each loop still runs.
k=${JITBF_TEST_SAMPLE:-1}
[ "$k" -gt 1 ] 2>/dev/null || k=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
for prog in "$@"; do
  i=$((i + 1))
  sed -e 's/\]/]#/g' -e 's/\./.#/g' "$prog" >"$tmp/marked.b"
  plain=$("$jitbf" "$prog" </dev/null)
  [ "$("$jitbf" "$tmp/marked.b" </dev/null 2>&1)" = "$plain" ] ||
    { echo "$prog: # changed a run without --debug"; exit 1; }
  for b in 0 1 2; do
    bits=$((8 << b))
    want=$("$jitbf" --debug --debug-window=4 --backend interp -O0 --cell-bits "$bits" \
      "$tmp/marked.b" </dev/null 2>&1)
    grep -q '^# at [0-9]*:[0-9]*, pointer at cell' <<<"$want" || { echo "$prog: no dump"; exit 1; }
    for bi in 0 1; do
      backends=(jit interp)
      backend=${backends[bi]}
      for level in 0 1 2; do
        (( bi == 1 && level == 0 )) && continue  # the reference itself
        (( (i + b + bi + level) % k == 0 )) || continue
        got=$("$jitbf" --debug --debug-window=4 --backend "$backend" -O"$level" \
          --cell-bits "$bits" "$tmp/marked.b" </dev/null 2>&1)
        [ "$got" = "$want" ] ||
          { echo "$prog: $backend -O$level --cell-bits $bits differs from interp -O0"; exit 1; }
      done
    done
  done
done
