#!/usr/bin/env bash
# Runs the libFuzzer targets (fuzz/): builds them in the asan preset's tree, then runs them
# all at once, each for SECONDS (default 20) of wall-clock time from its own corpus in
# build/fuzz/corpus/TARGET, which grows from run to run, seeded with the programs of
# programs/MANIFEST.tsv and, when it exists, ../shared/corpus/MANIFEST.tsv (linked from
# build/fuzz/seeds, never copied into the repo).
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]     TARGET: passes, differential, dump
#
# An input that fails is saved as build/fuzz/crashes/TARGET/crash-*; the script then exits 1
# and says how to make it a regression test. CI runs this for 30 seconds: three targets on
# two cores, about a minute of fuzzing in all.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(passes differential dump)
case $seconds in '' | *[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;; esac

# The asan preset builds the fuzz targets beside the tests (one build tree for both, the fuzz
# targets with their own coverage-instrumented copy of the library);
# the fuzz build preset builds only them.
echo "=== fuzz: configure, build ==="
cmake --preset asan
cmake --build --preset fuzz

# Seeds: the .b files a MANIFEST.tsv names (its first column), as links.
seeds=build/fuzz/seeds
rm -rf "$seeds" && mkdir -p "$seeds"
link_manifest() {  # DIR PREFIX
    local dir=$1 prefix=$2
    if [ ! -f "$dir/MANIFEST.tsv" ]; then
        echo "fuzz.sh: no $dir/MANIFEST.tsv, seeding without it" >&2
        return
    fi
    tail -n +2 "$dir/MANIFEST.tsv" | cut -f1 | sort -u | while read -r prog; do
        [ -f "$dir/$prog" ] && ln -sf "$(realpath "$dir/$prog")" "$seeds/$prefix$prog"
    done
}
link_manifest programs programs-
link_manifest ../shared/corpus corpus-
echo "fuzz: $(ls "$seeds" | wc -l) seed programs; ${seconds}s for each of: ${targets[*]}"

# Every run is bounded by a step budget (fuzz/checks.cpp), so the timeout only catches a
# budget that fails to stop a run; it is generous because it counts wall-clock time, and on
# a loaded machine a large seed once took 11 s for 0.3 s of CPU.
# The targets run side by side (one process each, so both cores fuzz): SECONDS is each one's
# wall-clock time.
for t in "${targets[@]}"; do
    [ -x "build/asan/fuzz/jitbf_fuzz_$t" ] || { echo "fuzz.sh: no fuzz target '$t'" >&2; exit 2; }
    mkdir -p "build/fuzz/corpus/$t" "build/fuzz/crashes/$t" build/fuzz/logs
done
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT  # a killed script leaves no fuzzer behind
for t in "${targets[@]}"; do
    "build/asan/fuzz/jitbf_fuzz_$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
        -artifact_prefix="build/fuzz/crashes/$t/" "build/fuzz/corpus/$t" "$seeds" \
        >"build/fuzz/logs/$t.log" 2>&1 &
    pids+=($!)
done
failed=()
for i in "${!targets[@]}"; do
    t=${targets[i]}
    log=build/fuzz/logs/$t.log
    if wait "${pids[i]}"; then
        echo "fuzz $t: $(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)"
    else
        echo "fuzz $t: FAILED (log: $log)"
        grep -v '^"' "$log" | tail -40 || true
        failed+=("$t")
    fi
done

if [ ${#failed[@]} -ne 0 ]; then
    cat >&2 <<MSG
fuzz.sh: ${failed[*]} failed. Replay an input with build/asan/fuzz/jitbf_fuzz_TARGET FILE;
minimize it with -minimize_crash=1 -runs=10000; then add it to fuzz/regressions/TARGET/
with a name that says what it caught, next to the fix (README, Testing).
MSG
    exit 1
fi
