#!/usr/bin/env bash
# With --perf-map, `perf report` names the generated code by source position. Skipped
# (status 77) where perf is missing or cannot sample (a VM without access to counters still
# has the cpu-clock software event, which is what this uses).
#   perf_report_names_code.sh JITBF PROGRAM
set -uo pipefail
jitbf=$1 prog=$2
command -v perf >/dev/null || { echo "perf is not installed"; exit 77; }
data=$(mktemp) pidfile=$(mktemp)
trap 'rm -f "$data" "$pidfile" /tmp/perf-"$(cat "$pidfile")".map' EXIT
# jitbf runs as the shell that exec's it, so the shell's pid names the map.
perf record -q -e cpu-clock -o "$data" -- \
  sh -c 'echo $$ >"$0"; exec "$1" --perf-map "$2" >/dev/null' "$pidfile" "$jitbf" "$prog" \
  2>/dev/null || { echo "perf record cannot run here"; exit 77; }
# The map is named after jitbf's own pid, which perf knows.
report=$(perf report -i "$data" --stdio --sort sym 2>/dev/null) || { echo "perf report failed"; exit 77; }
if ! grep -qE '\[\.\] bf:(loop|block|scan)@[0-9]+:[0-9]+' <<<"$report"; then
  echo "no bf: symbol in the report:"
  head -30 <<<"$report"
  exit 1
fi
