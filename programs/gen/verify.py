#!/usr/bin/env python3
"""verify.py: checks every row of programs/MANIFEST.tsv against the references.

For each row the program is run with refbf.py (tier conformance) or with
bf2c.py (tier core; pass --slow to use refbf.py for those too, which takes
many minutes) and its stdout and exit status are compared with the row.
It also checks that the comment header of every .b file (the lines before
the first empty line) contains no Brainfuck command characters.

Usage: python3 gen/verify.py [--slow]      (run from anywhere)
"""
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROG = os.path.dirname(HERE)


def main():
    slow = "--slow" in sys.argv
    bad = 0
    with open(os.path.join(PROG, "MANIFEST.tsv")) as f:
        lines = f.read().splitlines()
    assert lines[0] == "program\tinput\texpected\tcell_bits\teof\texit\ttier\tnotes"
    for name in sorted(os.listdir(PROG)):
        if name.endswith(".b"):
            with open(os.path.join(PROG, name), "rb") as f:
                header = f.read().decode("latin-1").split("\n\n", 1)[0]
            cmds = [c for c in header if c in "+-<>[].,"]
            if cmds:
                print("HEADER HAS COMMANDS %s: %r" % (name, "".join(cmds)))
                bad += 1
    for line in lines[1:]:
        prog, inp, exp, bits, eof, status, tier, _notes = line.split("\t")
        ref = "refbf.py" if (tier == "conformance" or slow) else "bf2c.py"
        cmd = [sys.executable, os.path.join(HERE, ref), "--cell-bits", bits,
               "--eof", eof, "--input", os.path.join(PROG, inp) if inp != "-" else "-",
               os.path.join(PROG, prog)]
        t0 = time.time()
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True)
        dt = time.time() - t0
        with open(os.path.join(PROG, exp), "rb") as f:
            want = f.read()
        ok = r.stdout == want and r.returncode == int(status)
        bad += not ok
        print("%-4s %-12s %-10s bits=%-2s eof=%-9s %-8s %6.2fs" %
              ("ok" if ok else "FAIL", prog, inp, bits, eof, ref, dt))
    print("all rows ok" if not bad else "%d problems" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
