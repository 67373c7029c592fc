#!/usr/bin/env bash
# --perf-map writes /tmp/perf-PID.map: "START SIZE NAME" lines in hex whose ranges cover the
# code (as --stats shows its mapping and size) exactly, without gaps or overlaps, named
# bf:loop@LINE:COL and the like, each name once.
#   perf_map_covers_code.sh JITBF PROGRAM
set -euo pipefail
jitbf=$1 prog=$2
stats=$(mktemp)
trap 'rm -f "$stats" "${map:-}"' EXIT
"$jitbf" --perf-map --stats "$prog" >/dev/null 2>"$stats" &
pid=$!
wait "$pid"
map=/tmp/perf-$pid.map
[ -s "$map" ] || { echo "no $map"; exit 1; }
code_start=$(sed -nE 's/^ +([0-9a-f]+)-[0-9a-f]+  r-xp .*code$/\1/p' "$stats")
code_bytes=$(sed -nE 's/^  code: ([0-9]+) bytes.*/\1/p' "$stats")
[ -n "$code_start" ] && [ -n "$code_bytes" ] || { echo "no code mapping in --stats"; exit 1; }
grep -vqE '^[0-9a-f]+ [0-9a-f]+ bf:[a-z_]+(@[0-9]+:[0-9]+)?(#[0-9]+)?$' "$map" &&
  { echo "a malformed line in $map:"; grep -vE '^[0-9a-f]+ [0-9a-f]+ bf:' "$map"; exit 1; }
grep -qE ' bf:loop@[0-9]+:[0-9]+$' "$map" || { echo "no loop symbol"; exit 1; }
dup=$(cut -d' ' -f3 "$map" | sort | uniq -d)
[ -z "$dup" ] || { echo "names used twice: $dup"; exit 1; }
at=$((16#$code_start))
while read -r start size name; do
  [ $((16#$start)) -eq "$at" ] || { echo "$name starts at $start, not $(printf %x $at)"; exit 1; }
  [ $((16#$size)) -gt 0 ] || { echo "$name is empty"; exit 1; }
  at=$((at + 16#$size))
done <"$map"
[ "$at" -eq $((16#$code_start + code_bytes)) ] ||
  { echo "the symbols end at $(printf %x $at), the code at $code_bytes bytes in"; exit 1; }
