#!/usr/bin/env bash
# Interleaved A/B of two jitbf binaries (two commits' builds, or one binary with and without
# an option through a wrapper): each round runs every case on A then B, so both see the same
# machine load; prints the median CPU time (user + sys) of each and the ratio B/A. On a noisy
# machine only the ratio means something.
#
#   bench/ab.sh OLD/jitbf NEW/jitbf 5 'mandelbrot|../shared/corpus/mandelbrot.b|' \
#       'factor|../shared/corpus/factor.b|../shared/corpus/factor.b.in'
#
# A case is LABEL|ARGUMENTS|INPUT FILE (empty: /dev/null); the output is discarded.
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
a=$1 b=$2 rounds=$3
shift 3

median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
cpu_seconds() {  # binary, arguments (word-split on purpose), input file
    # shellcheck disable=SC2086
    /usr/bin/time -o "$tmp" -f '%U %S' "$1" $2 <"$3" >/dev/null 2>&1 || true
    tail -n 1 "$tmp" | awk '{print $1 + $2}'
}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

printf '# %s; %s rounds; A=%s B=%s\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)" \
    "$rounds" "$a" "$b"
for case in "$@"; do
    IFS='|' read -r label args input <<<"$case"
    input=${input:-/dev/null}
    ta=() tb=()
    for ((i = 0; i < rounds; i++)); do
        ta+=("$(cpu_seconds "$a" "$args" "$input")")
        tb+=("$(cpu_seconds "$b" "$args" "$input")")
    done
    ma=$(printf '%s\n' "${ta[@]}" | median)
    mb=$(printf '%s\n' "${tb[@]}" | median)
    awk -v l="$label" -v a="$ma" -v b="$mb" \
        'BEGIN {printf "%-28s A %7.2f s  B %7.2f s  B/A %.3f\n", l, a, b, (a > 0 ? b / a : 0)}'
done
