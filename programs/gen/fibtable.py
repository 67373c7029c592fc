#!/usr/bin/env python3
"""fibtable.py: generates programs/fibtable.b, a long-running benchmark for jitbf.

The emitted program steps the Fibonacci pair (F(n), F(n-1)) in decimal from
n = 0 to n = A*B*C and, every B*C steps, prints a line with n, the number of
digits of F(n), and its first and last 16 digits.  The numbers live in
8-cell digit records (flag, digit of F(n), digit of F(n-1), sum, scratch),
least significant first, walked with record loops and found again with
`[<<<<<<<<]` scans, the way Brian Raiter's factor.b keeps its numbers.  Each
step leaves a digit sum of 0..19 per record that is reduced by a chain of
ten nested ifs, each counting the sum down by one and the digit up by one
and left as soon as the sum is zero; the tenth level subtracts ten and
carries one into the next record.  So the run is dominated by short chains
of read-modify-writes left at a data-dependent step, which is what
factor.b's digit code compiles to.  Every cell stays within 0..255, so the
output is identical for 8, 16 and 32-bit cells.  Reads no input.

Usage: fibtable.py [--sim] [A B C] > fibtable.b   (defaults A=15 B=250 C=4)
  --sim prints the expected output computed in Python with the same digit
  records and carry chain (and asserts that Python's integers agree).
"""
import sys

from bfasm import BF, wrap

W = 8                                   # record width
FLAG, CUR, PREV, SUM, TMP = range(5)    # record fields; 5..7 stay zero
SHOW = 16                               # leading and trailing digits shown
ND = 5                                  # decimal digits of n and of counts


def line(n, digits):
    """digits: little-endian list of F(n)'s decimal digits."""
    top = "".join(str(d) for d in reversed(digits))
    return "F(%d) has %d digits: %s...%s\n" % (n, len(digits), top[:SHOW], top[-SHOW:])


def simulate(A, B, C):
    """Digit-record model of the program: cur/prev are little-endian lists."""
    cur, prev = [0], [1]                # F(0) and F(-1)
    out, n = [], 0
    for _ in range(A):
        for _ in range(B * C):
            s = [0] * (len(cur) + 1)
            for i in range(len(cur)):
                s[i] += cur[i] + prev[i]
                prev[i] = cur[i]
                v = s[i]
                assert v <= 19
                cur[i] = v - 10 if v >= 10 else v
                s[i + 1] += 1 if v >= 10 else 0
            if s[-1]:                   # carry out of the top: a new record
                cur.append(s[-1])
                prev.append(0)
        n += B * C
        out.append(line(n, cur))
    return "".join(out)


def bigint_model(A, B, C):
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)
    a, b, out = 0, 1, []
    for k in range(1, A + 1):
        for _ in range(B * C):
            a, b = a + b, a
        out.append(line(k * B * C, [int(ch) for ch in reversed(str(a))]))
    return "".join(out)


def generate(A, B, C):
    assert 1 <= min(A, B, C) and max(A, B, C) <= 255
    assert len(str(A * B * C)) <= ND
    assert int(bigint_model(1, B, C).split()[2]) >= SHOW   # F(B*C)'s digits
    bf = BF()
    outer, mid, inner, ch = (bf.alloc() for _ in range(4))
    ncnt = bf.alloc(ND + 4)             # n, decimal, and normalize scratch
    dcnt = bf.alloc(ND + 4)             # digits of F(n)
    land = bf.alloc(2)                  # zero pair where both fork arms end
    pscr = bf.alloc(3)                  # print scratch
    scratch_base = bf.next
    S = scratch_base + 16               # bfasm temps stay below this
    S += (W - S % W) % W
    L = S + W                           # the least significant digit record
    bf.next = scratch_base

    def carry_chain(base):
        """sum -> cur (mod 10), +1 into the next record's sum when >= 10.
        Nested ifs the way factor.b writes them: every `]` sees sum == 0."""
        s, c, nxt = base + SUM, base + CUR, base + W + SUM

        def level(k):
            with bf.loop(s):
                bf.add(s, -1)
                if k < 9:
                    bf.add(c, 1)
                    level(k + 1)
                else:
                    bf.add(c, -9)
                    bf.add(nxt, 1)
                    bf.move(s, c)
        level(0)

    def scan_home(base):
        """From the flag of a record at frame base `base`, scan down to the
        sentinel; the pointer is then statically known again."""
        bf.go(base + FLAG)
        bf.raw("[" + "<" * W + "]")
        bf.pos = S + FLAG

    def step():
        # one Fibonacci step over all records, least significant first
        bf.go(L + FLAG)
        bf.raw("[")
        bf.move(L + PREV, L + TMP)
        bf.move(L + CUR, L + PREV, L + SUM)
        bf.move(L + TMP, L + SUM)
        carry_chain(L)
        bf.go(L + W + FLAG)
        bf.pos = L + FLAG               # the loop moved the frame by W
        bf.raw("]")
        # now at E, the first record past the top; its sum is the carry out.
        # Two-armed fork whose arms both scan home and meet at `land`.
        E = L
        bf.add(E + TMP, 1)
        bf.go(E + SUM)
        bf.raw("[")                     # carry: E becomes a digit record
        bf.add(E + SUM, -1)
        bf.add(E + TMP, -1)
        bf.add(E + CUR, 1)
        bf.add(E + FLAG, 1)
        scan_home(E)
        bf.add(dcnt[0], 1)
        bf.normalize(dcnt[:ND], 10, dcnt[ND:])
        bf.go(land[0])
        bf.raw("]")
        bf.pos = E + SUM                # (no carry: still at E's sum)
        bf.raw(">" * (TMP - SUM))       # at land[1] (0) or at E's tmp (1)
        bf.pos = E + TMP
        bf.raw("[")
        bf.add(E + TMP, -1)
        scan_home(E - W)
        bf.go(land[1])
        bf.raw("]")
        bf.pos = land[1]

    def report():
        bf.print_text("F(")
        bf.print_digits(ncnt[:ND], pscr)
        bf.print_text(") has ")
        bf.print_digits(dcnt[:ND], pscr)
        bf.print_text(" digits: ")
        # find the top record, print SHOW digits down from it, come home
        bf.go(L + FLAG)
        bf.raw("[" + ">" * W + "]")
        bf.pos = L + SHOW * W + FLAG    # call the first empty record that
        for k in range(1, SHOW + 1):    # so the top digits sit at L..
            c = L + (SHOW - k) * W + CUR
            bf.add(c, 48)
            bf.put(c)
            bf.add(c, -48)
        scan_home(L)
        bf.print_text("...")
        for k in reversed(range(SHOW)):
            c = L + k * W + CUR
            bf.add(c, 48)
            bf.put(c)
            bf.add(c, -48)
        bf.print_text("\n")

    bf.add(L + FLAG, 1)                 # F(0) = 0 in the first record
    bf.add(L + PREV, 1)                 # F(-1) = 1
    bf.add(dcnt[0], 1)
    bf.add(outer, A)
    with bf.loop(outer):
        bf.add(outer, -1)
        bf.add(mid, C)
        with bf.loop(mid):
            bf.add(mid, -1)
            bf.add(inner, B)
            with bf.loop(inner):
                bf.add(inner, -1)
                step()
        bf.set_digits(ncnt[:ND], B * C, 10)     # n += B*C, then carry
        bf.normalize(ncnt[:ND], 10, ncnt[ND:])
        report()
    assert bf.next == scratch_base
    return bf.code()


HEADER = """Fibonacci table benchmark for jitbf (generated by gen/fibtable py)
it steps the pair F(n) and F(n minus 1) up to n = %d in decimal digit
records and for every n that is a multiple of %d prints the number of
digits of F(n) and its first and last %d digits; each digit sum is reduced
by a chain of nested ifs like those of factor b; every cell stays within 0
to 255 so the output does not depend on the cell width; no input

"""


def main():
    args = [int(a) for a in sys.argv[1:] if not a.startswith("--")]
    A, B, C = args if args else (15, 250, 4)
    if "--sim" in sys.argv:
        out = simulate(A, B, C)
        assert out == bigint_model(A, B, C)
        sys.stdout.write(out)
        return
    sys.stdout.write(HEADER % (A * B * C, B * C, SHOW))
    sys.stdout.write(wrap(generate(A, B, C)))


if __name__ == "__main__":
    main()
