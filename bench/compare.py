#!/usr/bin/python3
"""Whole-process benchmark: the JIT against the interpreter and against C from --emit-c.

For each benchmark program (the `core` rows of the shared corpus's MANIFEST.tsv and of
programs/MANIFEST.tsv), five configurations run in turn, round after round:

    JIT -O2, JIT -O0, interpreter -O2,
    C -O0 and C -O2: `jitbf --emit-c -O0|-O2` built with `cc -O2`

so a burst of load from elsewhere hits all of them alike. Each run's output is checked
against the manifest. The table gives medians of CPU time (user + system of the child,
from os.wait4's rusage; compiling the C is not counted, the JIT's compile is) and of peak
RSS, and the ratios JIT-O2 / C-O0 (a "static" compile of the program) and JIT-O2 / C-O2
(a C compiler given the same IR). With matplotlib (`apt-get install python3-matplotlib`)
it also draws a bar chart; without it, it says so and prints the table only.

    bench/compare.py [--jitbf build/release/jitbf] [--rounds 5] [--only REGEX]
                     [--png docs/bench.png] [--quick] [PROGRAM.b ...]

PROGRAM.b arguments replace the default programs (8-bit cells, no input; all
configurations must then print the same). --quick is one round of collatz.b, a smoke run.
Progress goes to stderr, the table to stdout.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CONFIGS = ["JIT -O2", "JIT -O0", "interp -O2", "C -O0", "C -O2"]


def manifest_core(folder, prefix):
    """The `core` runs of folder/MANIFEST.tsv that end with status 0."""
    rows = []
    if not (folder / "MANIFEST.tsv").exists():
        return rows
    for line in (folder / "MANIFEST.tsv").read_text().splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 7 or cols[5] != "0" or cols[6] != "core":
            continue
        rows.append({
            "name": f"{prefix}/{cols[0]}" + ("" if cols[1] == "-" else f" < {cols[1]}"),
            "program": folder / cols[0],
            "input": None if cols[1] == "-" else folder / cols[1],
            "expected": (folder / cols[2]).read_bytes(),
            "flags": ["--cell-bits", cols[3], "--eof", cols[4]],
        })
    return rows


def explicit(paths):
    return [{"name": p, "program": Path(p), "input": None, "expected": None,
             "flags": ["--cell-bits", "8"]} for p in paths]


# A child of Python starts with Python's memory, and Linux counts it in the child's peak RSS
# even after exec (about 15 MiB, more than a C run needs). GNU time forks the program from
# a small process and reports its own child's peak: used for RSS when installed.
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


def run(cmd, stdin_path):
    """CPU seconds (user + sys), peak RSS in KiB, exit status and output of one run."""
    with tempfile.TemporaryFile() as out, open(stdin_path or os.devnull, "rb") as inp, \
            tempfile.NamedTemporaryFile("r") as rss_file:
        wrap = [GNU_TIME, "-q", "-f", "%M", "-o", rss_file.name] if GNU_TIME else []
        proc = subprocess.Popen(wrap + cmd, stdin=inp, stdout=out, stderr=subprocess.DEVNULL)
        # The child's rusage includes the children it waited for (the program under time).
        _, status, usage = os.wait4(proc.pid, 0)
        rss = int(rss_file.read().split()[-1]) if GNU_TIME else usage.ru_maxrss
        out.seek(0)
        return (usage.ru_utime + usage.ru_stime, rss, os.waitstatus_to_exitcode(status),
                out.read())


def build_c(jitbf, cc, row, level, tmp, index):
    """`jitbf --emit-c -OLEVEL` of the row's program, compiled with cc -O2: the executable."""
    base = Path(tmp) / f"p{index}_O{level}"
    with open(f"{base}.c", "wb") as c:
        subprocess.run([jitbf, "--emit-c", f"-O{level}", *row["flags"], str(row["program"])],
                       stdout=c, check=True)
    subprocess.run([cc, "-O2", "-o", str(base), f"{base}.c"], check=True)
    return str(base)


def commands(jitbf, cc, row, tmp, index):
    prog = [*row["flags"], str(row["program"])]
    return {
        "JIT -O2": [jitbf, "-O2", *prog],
        "JIT -O0": [jitbf, "-O0", *prog],
        "interp -O2": [jitbf, "--backend=interp", "-O2", *prog],
        "C -O0": [build_c(jitbf, cc, row, 0, tmp, index)],
        "C -O2": [build_c(jitbf, cc, row, 2, tmp, index)],
    }


def cpu_model():
    """"AMD EPYC (family 26, model 2)": the model name alone may not say which generation."""
    info = {}
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        key, _, value = line.partition(":")
        info.setdefault(key.strip(), value.strip())
    name = info.get("model name", "unknown CPU")
    if "cpu family" in info:
        name += f" (family {info['cpu family']}, model {info.get('model', '?')})"
    return name


def ratio(a, b):
    return f"{a / b:.2f}" if b > 0 else "-"


def table(rows, results, rounds):
    print(f"CPU: {cpu_model()}; {os.cpu_count()} cores; medians of {rounds} round(s); "
          "CPU time = user + sys of the child, in seconds")
    print()
    print("| program | " + " | ".join(CONFIGS) + " | JIT-O2 / C-O0 (static) | JIT-O2 / C-O2 |")
    print("| --- |" + " ---: |" * (len(CONFIGS) + 2))
    med = {}
    for row in rows:
        m = {c: statistics.median(t for t, _ in results[row["name"]][c]) for c in CONFIGS}
        med[row["name"]] = m
        cells = [f"{m[c]:.3f}" for c in CONFIGS]
        print(f"| {row['name']} | " + " | ".join(cells) +
              f" | {ratio(m['JIT -O2'], m['C -O0'])} | {ratio(m['JIT -O2'], m['C -O2'])} |")
    print()
    print("Peak RSS (MiB, median" + ("" if GNU_TIME else
          "; without /usr/bin/time each includes about 15 MiB of Python's") + "):")
    print()
    print("| program | " + " | ".join(CONFIGS) + " |")
    print("| --- |" + " ---: |" * len(CONFIGS))
    for row in rows:
        rss = [statistics.median(k for _, k in results[row["name"]][c]) / 1024 for c in CONFIGS]
        print(f"| {row['name']} | " + " | ".join(f"{r:.1f}" for r in rss) + " |")
    return med


def chart(med, path, rounds):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is missing (apt-get install python3-matplotlib): no chart drawn",
              file=sys.stderr)
        return
    names = list(med)
    fig, ax = plt.subplots(figsize=(max(8, 1.6 * len(names)), 4.5))
    width = 0.8 / len(CONFIGS)
    for k, c in enumerate(CONFIGS):
        xs = [i + (k - (len(CONFIGS) - 1) / 2) * width for i in range(len(names))]
        ax.bar(xs, [med[n][c] for n in names], width, label=c)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels([n.split("/", 1)[-1] for n in names], rotation=20, ha="right")
    ax.set_yscale("log")
    ax.set_ylabel("CPU seconds (median, log scale)")
    ax.set_title(f"jitbf: JIT, interpreter and emitted C; {cpu_model()}; {rounds} round(s)",
                 fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"chart written to {path}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("programs", nargs="*", help="programs to run instead of the default set")
    ap.add_argument("--jitbf", default=str(ROOT / "build/release/jitbf"))
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--only", help="only the programs whose name matches this regex")
    ap.add_argument("--png", default=str(ROOT / "docs/bench.png"))
    ap.add_argument("--no-png", action="store_true")
    ap.add_argument("--quick", action="store_true", help="one round of collatz.b")
    args = ap.parse_args()
    if not shutil.which(args.cc):
        sys.exit(f"compare.py: no C compiler '{args.cc}' (set --cc or CC)")
    if args.programs:
        rows = explicit(args.programs)
    else:
        rows = manifest_core(CORPUS, "corpus") + manifest_core(ROOT / "programs", "programs")
        if not (CORPUS / "MANIFEST.tsv").exists():
            print(f"corpus not found at {CORPUS}: its programs are left out", file=sys.stderr)
    if args.quick:
        args.rounds = 1
        rows = [r for r in rows if r["name"] == "programs/collatz.b"] or rows[:1]
    if args.only:
        rows = [r for r in rows if re.search(args.only, r["name"])]
    if not rows:
        sys.exit("compare.py: no programs to run")
    results = {r["name"]: {c: [] for c in CONFIGS} for r in rows}
    with tempfile.TemporaryDirectory() as tmp:
        cmds = {r["name"]: commands(args.jitbf, args.cc, r, tmp, i) for i, r in enumerate(rows)}
        for rnd in range(args.rounds):
            for row in rows:
                outputs = {}
                for c in CONFIGS:
                    t, rss, status, out = run(cmds[row["name"]][c], row["input"])
                    if status != 0 or (row["expected"] is not None and out != row["expected"]):
                        sys.exit(f"compare.py: {row['name']} on {c}: exit {status}, "
                                 f"{len(out)} bytes of output: not what was expected")
                    outputs[c] = out
                    results[row["name"]][c].append((t, rss))
                if len(set(outputs.values())) != 1:
                    sys.exit(f"compare.py: {row['name']}: the configurations print differently")
                print(f"round {rnd + 1}/{args.rounds}: {row['name']} done", file=sys.stderr)
    med = table(rows, results, args.rounds)
    if not args.no_png:
        chart(med, args.png, args.rounds)


if __name__ == "__main__":
    main()
