#!/usr/bin/env python3
"""refbf.py: small, deliberately plain reference Brainfuck interpreter for jitbf.

It is used to produce and check the expected outputs in programs/MANIFEST.tsv.
It is independent of jitbf and meant to be obviously correct rather than fast.

Semantics:
  * tape of 1,048,576 cells, pointer starts at cell 0, all cells start at 0;
  * cells are unsigned and wrap modulo 2**cell_bits (8, 16 or 32);
  * '.' writes the low 8 bits of the current cell as one byte;
  * ',' reads one byte (0..255); at end of input the --eof mode decides:
      unchanged  the cell keeps its value
      zero       the cell becomes 0
      minus-one  the cell becomes 2**cell_bits - 1 (255 for 8-bit cells)
  * moving the pointer off the tape is allowed, but reading, writing or
    loop-testing a cell outside 0..1048575 is an error: exit status 1;
  * unmatched brackets are a syntax error: exit status 2;
  * every byte other than the eight commands is a comment.

Usage: refbf.py [--cell-bits 8|16|32] [--eof unchanged|zero|minus-one]
                [--input FILE] [--count] PROGRAM.b
Without --input, standard input is read.  --count prints the number of
executed commands to stderr.
"""
import argparse
import sys

TAPE_CELLS = 1 << 20


class OffTape(Exception):
    pass


def parse(src):
    """Return the list of command characters and the matching-bracket table."""
    code = [c for c in src if c in "+-<>[].,"]
    match = [0] * len(code)
    stack = []
    for i, c in enumerate(code):
        if c == "[":
            stack.append(i)
        elif c == "]":
            if not stack:
                raise SyntaxError("unmatched ']' (command %d)" % i)
            j = stack.pop()
            match[i] = j
            match[j] = i
    if stack:
        raise SyntaxError("unmatched '[' (command %d)" % stack[-1])
    return code, match


def run(code, match, data, cell_bits, eof, out, count=False):
    mask = (1 << cell_bits) - 1
    tape = [0] * TAPE_CELLS
    ptr = 0
    pc = 0
    inpos = 0
    steps = 0
    n = len(code)

    def check(p):
        if p < 0 or p >= TAPE_CELLS:
            raise OffTape("access to cell %d (command %d)" % (p, pc))

    while pc < n:
        c = code[pc]
        steps += 1
        if c == "+":
            check(ptr)
            tape[ptr] = (tape[ptr] + 1) & mask
        elif c == "-":
            check(ptr)
            tape[ptr] = (tape[ptr] - 1) & mask
        elif c == ">":
            ptr += 1
        elif c == "<":
            ptr -= 1
        elif c == "[":
            check(ptr)
            if tape[ptr] == 0:
                pc = match[pc]
        elif c == "]":
            check(ptr)
            if tape[ptr] != 0:
                pc = match[pc]
        elif c == ".":
            check(ptr)
            out.append(tape[ptr] & 0xFF)
        elif c == ",":
            check(ptr)
            if inpos < len(data):
                tape[ptr] = data[inpos]
                inpos += 1
            elif eof == "zero":
                tape[ptr] = 0
            elif eof == "minus-one":
                tape[ptr] = mask
            # eof == "unchanged": leave the cell alone
        pc += 1
    return steps


def main():
    ap = argparse.ArgumentParser(description="reference Brainfuck interpreter")
    ap.add_argument("--cell-bits", type=int, choices=(8, 16, 32), default=8)
    ap.add_argument("--eof", choices=("unchanged", "zero", "minus-one"),
                    default="unchanged")
    ap.add_argument("--input", help="input file (default: standard input)")
    ap.add_argument("--count", action="store_true",
                    help="print the number of executed commands to stderr")
    ap.add_argument("program")
    a = ap.parse_args()

    with open(a.program, "rb") as f:
        src = f.read().decode("latin-1")
    if a.input is not None and a.input != "-":
        with open(a.input, "rb") as f:
            data = f.read()
    else:
        data = sys.stdin.buffer.read()

    try:
        code, match = parse(src)
    except SyntaxError as e:
        sys.stderr.write("refbf: syntax error: %s\n" % e)
        return 2

    out = bytearray()
    status = 0
    steps = 0
    try:
        steps = run(code, match, data, a.cell_bits, a.eof, out, a.count)
    except OffTape as e:
        sys.stderr.write("refbf: runtime error: %s\n" % e)
        status = 1
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()
    if a.count and status == 0:
        sys.stderr.write("refbf: %d commands executed\n" % steps)
    return status


if __name__ == "__main__":
    sys.exit(main())
