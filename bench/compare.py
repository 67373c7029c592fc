#!/usr/bin/env python3
"""Whole-process benchmark of the release jitbf binary, as a Markdown table for README.

Runs every benchmark program (the `core` rows of programs/MANIFEST.tsv and, when present,
of the standard corpus, plus its hanoi and long) in every configuration (jit and interp,
-O0 and -O2), checks each configuration's output against the manifest, and prints medians
and ratios. On a small shared machine single times mean little: only medians and ratios.

    bench/compare.py [--jitbf build/release/jitbf] [--runs 3] [--only REGEX]

Uses hyperfine when it is installed (scripts/setup.sh installs it), else times the runs
itself. Progress goes to stderr, the table to stdout.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = [("jit", 2), ("jit", 0), ("interp", 2), ("interp", 0)]
ALSO_FROM_CORPUS = {"hanoi.b", "long.b"}


def manifest_rows(folder, prefix, wanted):
    """The runs of folder/MANIFEST.tsv that `wanted` accepts and that are expected to succeed."""
    rows = []
    manifest = folder / "MANIFEST.tsv"
    for line in manifest.read_text().splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 7 or cols[5] != "0" or not wanted(cols):
            continue
        name = f"{prefix}/{cols[0]}" + ("" if cols[1] == "-" else f" < {cols[1]}")
        rows.append({
            "name": name,
            "program": folder / cols[0],
            "input": None if cols[1] == "-" else folder / cols[1],
            "expected": (folder / cols[2]).read_bytes(),
            "flags": ["--cell-bits", cols[3], "--eof", cols[4]],
        })
    return rows


def workloads(corpus, notes):
    rows = manifest_rows(ROOT / "programs", "programs", lambda c: c[6] == "core")
    if (corpus / "MANIFEST.tsv").is_file():
        rows += manifest_rows(corpus, "corpus",
                              lambda c: c[6] == "core" or (c[0] in ALSO_FROM_CORPUS and c[1] == "-"))
    else:
        notes.append(f"corpus not found at {corpus}: only programs/ was measured")
    return rows


def command(jitbf, row, backend, level):
    args = [str(jitbf), f"--backend={backend}", f"-O{level}", *row["flags"], str(row["program"])]
    stdin = str(row["input"]) if row["input"] else "/dev/null"
    return " ".join(shlex.quote(a) for a in args) + " < " + shlex.quote(stdin)


def time_with_hyperfine(cmd, runs, expected):
    """Median seconds, or an error string. The last run's output is checked."""
    with tempfile.TemporaryDirectory() as tmp:
        out, js = os.path.join(tmp, "out"), os.path.join(tmp, "times.json")
        subprocess.run(["hyperfine", "--runs", str(runs), "--style", "basic", "--ignore-failure",
                        "--output", out, "--export-json", js, cmd],
                       check=True, stdout=sys.stderr)
        result = json.load(open(js))["results"][0]
        if any(code != 0 for code in result["exit_codes"]):
            return "failed"
        if Path(out).read_bytes() != expected:
            return "wrong output"
        return result["median"]


def time_ourselves(cmd, runs, expected):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if run.returncode != 0:
            return "failed"
        if run.stdout != expected:
            return "wrong output"
    return statistics.median(times)


def seconds(t):
    return t if isinstance(t, str) else f"{t:.3g} s"


def ratio(slow, fast):
    if isinstance(slow, str) or isinstance(fast, str) or fast <= 0:
        return "-"
    return f"{slow / fast:.2f}x"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jitbf", type=Path, default=ROOT / "build" / "release" / "jitbf",
                        help="the jitbf binary (default: the release preset's)")
    parser.add_argument("--runs", type=int, default=3, help="runs per configuration (default 3)")
    parser.add_argument("--only", default="", help="only programs whose name matches this regex")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    if not os.access(args.jitbf, os.X_OK):
        sys.exit(f"compare.py: no jitbf at {args.jitbf} (cmake --preset release && "
                 "cmake --build --preset release)")

    notes = []
    rows = [r for r in workloads(args.corpus, notes) if re.search(args.only, r["name"])]
    timer = time_with_hyperfine if shutil.which("hyperfine") else time_ourselves
    tool = subprocess.run(["hyperfine", "--version"], capture_output=True, text=True).stdout.strip() \
        if timer is time_with_hyperfine else "compare.py's own timer"
    load = os.getloadavg()[0]

    table = []
    for row in rows:
        medians = {}
        for backend, level in CONFIGS:
            print(f"compare.py: {row['name']}: {backend} -O{level}", file=sys.stderr)
            medians[(backend, level)] = timer(command(args.jitbf, row, backend, level), args.runs,
                                              row["expected"])
        table.append((row["name"], medians))

    print("| program | jit -O2 | jit -O0 | interp -O2 | interp -O0 "
          "| interp -O2 / jit -O2 | jit -O0 / jit -O2 | interp -O0 / interp -O2 |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    for name, m in table:
        cells = [seconds(m[c]) for c in CONFIGS]
        ratios = [ratio(m[("interp", 2)], m[("jit", 2)]), ratio(m[("jit", 0)], m[("jit", 2)]),
                  ratio(m[("interp", 0)], m[("interp", 2)])]
        print(f"| {name} | " + " | ".join(cells + ratios) + " |")
    print()
    print(f"Medians of {args.runs} runs of the whole process ({tool}). A ratio divides the first "
          f"configuration's median by the second's: 3.00x means the second is 3 times faster. "
          f"{os.cpu_count()} CPUs, load average {load:.1f} at the start.")
    for note in notes:
        print(f"Note: {note}.")


if __name__ == "__main__":
    main()
