#!/usr/bin/env python3
"""Whole-process benchmark of the release jitbf binary, as a Markdown table for README.

Runs every benchmark program (the `core` rows of programs/MANIFEST.tsv and, when present,
of the standard corpus, plus its hanoi and long, and factor with the input 179424691) in
every configuration (jit and interp, -O0 and -O2), checks each configuration's output, and
prints medians and ratios. On a small shared machine single times mean little: only medians
and ratios.

    bench/compare.py [--jitbf build/release/jitbf] [--runs 3] [--only REGEX] [--timer cpu|wall]

The default timer measures each run's CPU time (user + system, from the kernel's rusage)
and interleaves the configurations round by round, so a burst of load from elsewhere hits
all of them alike; `--timer wall` uses hyperfine (scripts/setup.sh installs it) for
wall-clock medians instead. Progress goes to stderr, the table to stdout.
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


def factor_line(n):
    """What factor.b prints for n: "n: p1 p2 ...", by trial division."""
    factors, m, d = [], n, 2
    while d * d <= m:
        while m % d == 0:
            factors.append(d)
            m //= d
        d += 1
    if m > 1:
        factors.append(m)
    return f"{n}: {' '.join(map(str, factors))}\n"


def workloads(corpus, notes, tmp):
    rows = manifest_rows(ROOT / "programs", "programs", lambda c: c[6] == "core")
    if (corpus / "MANIFEST.tsv").is_file():
        rows += manifest_rows(corpus, "corpus",
                              lambda c: c[6] == "core" or (c[0] in ALSO_FROM_CORPUS and c[1] == "-"))
        # The input the optimization targets are stated for (a prime: one long trial division).
        number = 179424691
        given = Path(tmp) / "factor.in"
        given.write_text(f"{number}\n")
        rows.append({"name": f"corpus/factor.b < {number}", "program": corpus / "factor.b",
                     "input": given, "expected": factor_line(number).encode(),
                     "flags": ["--cell-bits", "8", "--eof", "unchanged"]})
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


def cpu_seconds(cmd, expected):
    """One run's CPU time (user + system of the shell and jitbf), or an error string."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, shell=True, stdout=out)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            return "failed"
        out.seek(0)
        if out.read() != expected:
            return "wrong output"
    return usage.ru_utime + usage.ru_stime


def time_interleaved(commands, runs, expected):
    """Medians of CPU seconds per command, the commands taking turns in every round."""
    times = {key: [] for key in commands}
    for _ in range(runs):
        for key, cmd in commands.items():
            t = cpu_seconds(cmd, expected)
            if isinstance(t, str):
                times[key] = t
            elif not isinstance(times[key], str):
                times[key].append(t)
    return {k: v if isinstance(v, str) else statistics.median(v) for k, v in times.items()}


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
    parser.add_argument("--timer", choices=["cpu", "wall"], default="cpu",
                        help="cpu: CPU time, configurations interleaved (default); "
                             "wall: hyperfine's wall-clock medians")
    args = parser.parse_args()
    if not os.access(args.jitbf, os.X_OK):
        sys.exit(f"compare.py: no jitbf at {args.jitbf} (cmake --preset release && "
                 "cmake --build --preset release)")

    if args.timer == "wall" and not shutil.which("hyperfine"):
        sys.exit("compare.py: --timer wall needs hyperfine (scripts/setup.sh installs it)")
    notes = []
    tmp = tempfile.TemporaryDirectory()
    rows = [r for r in workloads(args.corpus, notes, tmp.name) if re.search(args.only, r["name"])]
    load = os.getloadavg()[0]

    table = []
    for row in rows:
        commands = {c: command(args.jitbf, row, *c) for c in CONFIGS}
        print(f"compare.py: {row['name']}", file=sys.stderr)
        if args.timer == "cpu":
            medians = time_interleaved(commands, args.runs, row["expected"])
        else:
            medians = {c: time_with_hyperfine(cmd, args.runs, row["expected"])
                       for c, cmd in commands.items()}
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
    what = ("CPU time (user + system), configurations interleaved" if args.timer == "cpu" else
            "wall-clock time, " + subprocess.run(["hyperfine", "--version"], capture_output=True,
                                                  text=True).stdout.strip())
    print(f"Medians of {args.runs} runs of the whole process ({what}). A ratio divides the "
          f"first configuration's median by the second's: 3.00x means the second is 3 times "
          f"faster. {os.cpu_count()} CPUs, load average {load:.1f} at the start.")
    for note in notes:
        print(f"Note: {note}.")


if __name__ == "__main__":
    main()
