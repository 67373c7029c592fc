#!/usr/bin/env python3
"""bf2c.py: faster second reference for jitbf's bundled programs.

Translates a Brainfuck program to plain C (the only optimisation is folding
runs of + - < > into one statement), compiles it with cc -O2 in a temporary
directory and runs it.  Semantics match refbf.py exactly (1,048,576 cells,
wrapping cells of --cell-bits, --eof mode, exit status 1 on an off-tape
access).  Used for the long-running programs where refbf.py is too slow.

Usage: bf2c.py [--cell-bits 8|16|32] [--eof unchanged|zero|minus-one]
               [--input FILE] [--emit-c] [--check-range [--range-max N]]
               [--count] PROGRAM.b

--check-range is a self-test aid: cells become wide ints and the run aborts
with exit status 3 if any cell ever leaves 0..255, proving the program never
wraps and so behaves identically for 8, 16 and 32-bit cells.  --range-max
moves the upper bound (65535: the program never wraps with 16-bit cells).
--count prints the number of executed commands to stderr, counted as
refbf.py --count does (a `[` once per entry, a `]` once per iteration).
"""
import argparse
import os
import subprocess
import sys
import tempfile

HEADER = r"""
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
typedef %(ctype)s cell;
#define N (1L << 20)
static cell tape[N];
static long p = 0;
static unsigned long long steps = 0;
static void off(void) { fflush(stdout); fprintf(stderr, "off tape at %%ld\n", p); exit(1); }
#define C (*((unsigned long)p < (unsigned long)N ? &tape[p] : (off(), &tape[0])))
int main(void) {
  int ch;
"""

FOOTER = r"""
  fflush(stdout);
  if (%(count)d) fprintf(stderr, "bf2c: %%llu commands executed\n", steps);
  return 0;
}
"""


def translate(src, cell_bits, eof, check_range=False, range_max=255, count=False):
    code = [c for c in src if c in "+-<>[].,"]
    ctype = {8: "uint8_t", 16: "uint16_t", 32: "uint32_t"}[cell_bits]
    if check_range:
        ctype = "int64_t"
    out = [HEADER % {"ctype": ctype}]
    depth = 0
    i = 0
    n = len(code)

    def counted(k):
        if count:
            out.append("  steps += %d;\n" % k)
    while i < n:
        c = code[i]
        if c in "+-":
            k = 0
            start = i
            while i < n and code[i] in "+-":
                k += 1 if code[i] == "+" else -1
                i += 1
            counted(i - start)
            out.append("  C = (cell)(C + (%d));\n" % k)
            if check_range:
                out.append("  if (C < 0 || C > %d) { fflush(stdout); fprintf(stderr, \"range at %%ld\\n\", p); exit(3); }\n" % range_max)
            continue
        if c in "<>":
            k = 0
            start = i
            while i < n and code[i] in "<>":
                k += 1 if code[i] == ">" else -1
                i += 1
            counted(i - start)
            out.append("  p += %d;\n" % k)
            continue
        counted(1)
        if c == "[":
            depth += 1
            out.append("  while (C) {\n")
        elif c == "]":
            depth -= 1
            if depth < 0:
                raise SystemExit("unmatched ]")
            out.append("  }\n")
        elif c == ".":
            out.append("  putchar(C & 0xFF);\n")
        elif c == ",":
            if eof == "unchanged":
                out.append("  { cell *q = &C; if ((ch = getchar()) != EOF) *q = (cell)ch; }\n")
            elif eof == "zero":
                out.append("  { cell *q = &C; ch = getchar(); *q = (cell)(ch == EOF ? 0 : ch); }\n")
            else:
                out.append("  { cell *q = &C; ch = getchar(); *q = (cell)(ch == EOF ? (cell)~(cell)0 : ch); }\n")
        i += 1
    if depth != 0:
        raise SystemExit("unmatched [")
    out.append(FOOTER % {"count": int(count)})
    return "".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cell-bits", type=int, choices=(8, 16, 32), default=8)
    ap.add_argument("--eof", choices=("unchanged", "zero", "minus-one"),
                    default="unchanged")
    ap.add_argument("--input")
    ap.add_argument("--emit-c", action="store_true")
    ap.add_argument("--check-range", action="store_true")
    ap.add_argument("--range-max", type=int, default=255)
    ap.add_argument("--count", action="store_true")
    ap.add_argument("program")
    a = ap.parse_args()
    with open(a.program, "rb") as f:
        src = f.read().decode("latin-1")
    csrc = translate(src, a.cell_bits, a.eof, a.check_range, a.range_max, a.count)
    if a.emit_c:
        sys.stdout.write(csrc)
        return 0
    with tempfile.TemporaryDirectory() as d:
        cfile = os.path.join(d, "prog.c")
        exe = os.path.join(d, "prog")
        with open(cfile, "w") as f:
            f.write(csrc)
        subprocess.check_call(["cc", "-O2", "-o", exe, cfile])
        stdin = open(a.input, "rb") if a.input and a.input != "-" else subprocess.DEVNULL
        r = subprocess.run([exe], stdin=stdin)
        return r.returncode


if __name__ == "__main__":
    sys.exit(main())
