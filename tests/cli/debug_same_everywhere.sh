#!/usr/bin/env bash
# --debug: the program's output and its `#` dumps, interleaved on one stream (2>&1), are the
# same on both backends at every level and width, for programs with `#` inserted after
# every `]` and `.`; and without --debug the same files run as they do without the `#`.
#   debug_same_everywhere.sh JITBF PROGRAM...
set -euo pipefail
jitbf=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for prog in "$@"; do
  sed -e 's/\]/]#/g' -e 's/\./.#/g' "$prog" >"$tmp/marked.b"
  plain=$("$jitbf" "$prog" </dev/null)
  [ "$("$jitbf" "$tmp/marked.b" </dev/null 2>&1)" = "$plain" ] ||
    { echo "$prog: # changed a run without --debug"; exit 1; }
  for bits in 8 16 32; do
    want=$("$jitbf" --debug --debug-window=4 --backend interp -O0 --cell-bits "$bits" \
      "$tmp/marked.b" </dev/null 2>&1)
    grep -q '^# at [0-9]*:[0-9]*, pointer at cell' <<<"$want" || { echo "$prog: no dump"; exit 1; }
    for backend in jit interp; do
      for level in 0 1 2; do
        got=$("$jitbf" --debug --debug-window=4 --backend "$backend" -O"$level" \
          --cell-bits "$bits" "$tmp/marked.b" </dev/null 2>&1)
        [ "$got" = "$want" ] ||
          { echo "$prog: $backend -O$level --cell-bits $bits differs from interp -O0"; exit 1; }
      done
    done
  done
done
