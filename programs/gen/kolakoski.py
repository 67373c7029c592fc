#!/usr/bin/env python3
"""kolakoski.py: generates programs/kolakoski.b, a scan-heavy benchmark for jitbf.

The emitted program builds three Kolakoski sequences: K(1,2) = 1 2 2 1 1 2
1 2 2 1 ..., K(1,3) and K(2,3), each the sequence over its two symbols that
is its own run-length encoding.  A read head walks the sequence; the term
it reads is the length of the next run, appended at the end, the runs
alternating between the two symbols.  Each term is a 16-cell record
(present flag, not-the-read-head flag, value, and in the last record the
running count of terms and of the first symbol in base 100, plus scratch).
The end grows 1.5 to 2.5 times as fast as the read head, so the two drift
apart, and every term appended costs a `[>>>>>>>>>>>>>>>>]` scan over the
present flags from the read head to the end and a `[<<<<<<<<<<<<<<<<]`
scan over the not-the-read-head flags back: runs of thousands of records.
For each sequence the program prints its first and last 60 terms and how
many terms and first symbols it made, then clears its records.  Every cell
stays within 0..255, so the output is identical for 8, 16 and 32-bit
cells.  Reads no input.

Usage: kolakoski.py [--sim] [TERMS] > kolakoski.b      (default 55000)
  each sequence is read until it has at least TERMS terms.
  --sim prints the expected output computed in Python with the same
  records and base-100 counters (and asserts that a direct construction of
  the sequences agrees).
"""
import sys

from bfasm import BF, wrap

W = 16
P, U, V = 0, 1, 2               # present, not-the-read-head, value
ONES = [3, 4, 5]                # count of the first symbol, base-100 countdown
IDX = [6, 7, 8]                 # count of terms, same coding
F, G, H, K, T = 9, 10, 11, 12, 13   # scratch; T+1 and T+2 too
RHI, RLO, GO = F, G, H          # in the read head's record: reads left
RBASE = 200                     # reads left = RHI*RBASE + RLO
PAIRS = [(1, 2), (1, 3), (2, 3)]
SHOW = 60
TAPE = 1 << 20


def kolakoski(a, b, n):
    """The first runs of K(a,b) until it has n terms, and the runs done."""
    s, runs = [], 0
    while len(s) < n:
        v = a if runs % 2 == 0 else b
        s += [v] * (s[runs] if runs < len(s) else v)
        runs += 1
    return s, runs


def seed(a, b):
    """The shortest prefix made of whole runs that the read head (the index
    of the next run's length) has not caught up with."""
    n = 1
    while True:
        s, runs = kolakoski(a, b, n)
        if len(s) > runs + 1:
            return s, runs
        n = len(s) + 1


def reads_for(a, b, terms):
    s, runs = kolakoski(a, b, terms)
    return runs - seed(a, b)[1]


def report(a, b, s):
    return ("K(%d,%d) first %d: %s\nK(%d,%d) last %d: %s\n"
            "K(%d,%d) %d terms, %d times %d\n" %
            (a, b, SHOW, "".join(map(str, s[:SHOW])),
             a, b, SHOW, "".join(map(str, s[-SHOW:])),
             a, b, len(s), s.count(a), a))


def simulate(terms):
    """Model of the program: one term appended per round trip, counters
    as base-100 countdowns."""
    def incr(c):
        for k in range(len(c)):
            if c[k] == 0:
                c[k] = 99
            else:
                c[k] -= 1
                return
        raise AssertionError("counter overflow")

    def value(c):
        return sum((99 - d) * 100 ** k for k, d in enumerate(c))

    out = []
    for a, b in PAIRS:
        s, head = seed(a, b)
        s = list(s)
        ones = [99 - s.count(a), 99, 99]
        idx = [99 - len(s), 99, 99]
        left = reads_for(a, b, terms)
        while left:
            left -= 1
            first = True
            for _ in range(s[head]):
                v = a + b - s[-1] if first else s[-1]
                first = False
                s.append(v)
                incr(idx)
                if v == a:
                    incr(ones)
            head += 1
        assert value(idx) == len(s) and value(ones) == s.count(a)
        out.append(report(a, b, s))
    return "".join(out)


def incr(bf, rec, cells):
    """If rec+F is 1: add one to the base-100 countdown number in cells.
    Uses F, G, H, K, T, T+1, T+2 of rec; leaves them zero."""
    f, g, h, k, t = rec + F, rec + G, rec + H, rec + K, rec + T
    for c in cells:
        with bf.loop(f):                # runs at most once
            bf.add(f, -1)
            bf.copy(rec + c, t, tmp=k)
            bf.zero_branch(t, lambda: bf.add(g, 1))
            bf.clear(t)
            bf.add(t, 1)                # t: "c was not zero"
            with bf.loop(g):            # c was 0: wrap to 99, carry
                bf.add(g, -1)
                bf.add(rec + c, 99)
                bf.add(h, 1)
                bf.add(t, -1)
            with bf.loop(t):
                bf.add(t, -1)
                bf.add(rec + c, -1)
        bf.move(h, f)
    bf.clear(f)                         # no carry out of the top (asserted)


def append(bf, x, a, b, first):
    """Append the record x after x-W: value a+b - (x-W).V when it starts a
    run, else (x-W).V; move the counters up from x-W and count the term."""
    prev = x - W
    bf.add(x + P, 1)
    bf.add(x + U, 1)
    if first:
        bf.add(x + V, a + b)
        bf.copy(prev + V, (x + V, -1), tmp=prev + K)
    else:
        bf.copy(prev + V, x + V, tmp=prev + K)
    for c in ONES + IDX:
        bf.move(prev + c, x + c)
    bf.add(x + F, 1)
    incr(bf, x, IDX)
    # F = 1 exactly when the value is a (the values are a < b)
    t = x + T
    bf.copy(x + V, t, tmp=x + K)
    bf.add(t, -a)
    bf.zero_branch(t, lambda: bf.add(x + F, 1))
    bf.clear(t)
    incr(bf, x, ONES)


def sequence(bf, a, b, terms, S):
    """Build K(a,b) right of the sentinel record S, report, clear."""
    s, head = seed(a, b)
    reads = reads_for(a, b, terms)
    R1 = S + W                          # the first term's record
    M = R1 + head * W                   # the read head's frame
    X = M + 64 * W                      # the end's frame (any number > M)
    length = len(kolakoski(a, b, terms)[0])
    assert S + (length + 3) * W < TAPE and len(s) > 2 and reads < RBASE * 255
    assert length > SHOW and length < 100 ** 3

    for k, v in enumerate(s):
        r = R1 + k * W
        bf.add(r + P, 1)
        bf.add(r + U, 0 if k == head else 1)
        bf.add(r + V, v)
    last = R1 + (len(s) - 1) * W
    for c, d in zip(ONES + IDX, [s.count(a), 0, 0, len(s), 0, 0]):
        bf.add(last + c, 99 - d)
    bf.add(M + RHI, reads // RBASE)
    bf.add(M + RLO, reads % RBASE)
    bf.add(M + GO, 1)
    assert reads > 0

    def round_trip(is_first):
        """Scan to the end, append one term, scan back to the read head."""
        bf.go(M + P)
        bf.raw("[" + ">" * W + "]")
        bf.pos = X + P
        append(bf, X, a, b, is_first)
        bf.go(X + U)
        bf.raw("[" + "<" * W + "]")
        bf.pos = M + U

    bf.go(M + GO)
    bf.raw("[")
    bf.add(M + GO, -1)
    # one round trip per unit of the term read; the first starts the run
    units, first, other = M + T, M + T + 1, M + T + 2
    bf.copy(M + V, units, tmp=M + K)
    bf.add(first, 1)
    with bf.loop(units):
        bf.add(units, -1)
        bf.add(other, 1)
        with bf.loop(first):
            bf.add(first, -1)
            bf.add(other, -1)
            round_trip(True)
        with bf.loop(other):
            bf.add(other, -1)
            round_trip(False)
    # move the read head on, carrying the count of reads left
    N = M + W
    bf.add(M + U, 1)
    bf.add(N + U, -1)
    bf.move(M + RHI, N + RHI)
    bf.move(M + RLO, N + RLO)
    # reads left -= 1, borrowing from RHI when RLO is 0
    t, g = N + T, N + K                 # K is first the copy's scratch
    bf.copy(N + RLO, t, tmp=g)
    bf.zero_branch(t, lambda: bf.add(g, 1))
    bf.clear(t)
    with bf.loop(g):
        bf.add(g, -1)
        bf.add(N + RLO, RBASE)
        bf.add(N + RHI, -1)
    bf.add(N + RLO, -1)
    # go = reads left != 0
    for c in (N + RHI, N + RLO):
        bf.copy(c, t, tmp=g)
        with bf.if_nz(t):
            bf.clear(N + GO)
            bf.add(N + GO, 1)
    bf.go(N + GO)
    bf.pos = M + GO
    bf.raw("]")

    # the report: first terms from the sentinel, then the last terms and
    # the end's counters, printed from scratch records past the end
    name = "K(%d,%d) " % (a, b)
    bf.go(M + P)
    bf.raw("[" + "<" * W + "]")
    bf.pos = S + P
    bf.next = S + 2                     # bfasm temps: the sentinel's cells
    bf.print_text(name + "first %d: " % SHOW)
    for k in range(SHOW):
        c = R1 + k * W + V
        bf.add(c, 48)
        bf.put(c)
        bf.add(c, -48)
    bf.go(R1 + P)
    bf.raw("[" + ">" * W + "]")
    bf.pos = X + P
    bf.next = X + 2 * W                 # bfasm temps: past the end
    bf.print_text("\n" + name + "last %d: " % SHOW)
    for k in range(SHOW, 0, -1):
        c = X - k * W + V
        bf.add(c, 48)
        bf.put(c)
        bf.add(c, -48)
    bf.print_text("\n" + name)
    last = X - W
    pd, sc = X + W, X + W + 8           # 6 decimal digits, scratch
    for cells, text in ((IDX, " terms, "), (ONES, " times %d\n" % a)):
        for k, c in enumerate(cells):   # base-100 countdown -> decimal
            bf.add(pd + 2 * k, 99)
            bf.move(last + c, (pd + 2 * k, -1))
            bf.divmod_const(pd + 2 * k, 10, pd + 2 * k + 1, [sc, sc + 1, sc + 2])
        bf.print_digits([pd + j for j in range(6)], [sc, sc + 1, sc + 2])
        bf.clear(*[pd + j for j in range(6)])
        bf.print_text(text)
    # clear every record from the last one down (the counters are gone
    # already); the loop stops at the sentinel
    bf.go(last + P)
    bf.raw("[")
    bf.clear(*[last + c for c in range(W) if c != P])
    bf.clear(last + P)
    bf.go(last - W + P)
    bf.pos = last + P
    bf.raw("]")
    bf.pos = S + P


def generate(terms):
    bf = BF()
    S = W                               # the sentinel record; cell 0 unused
    for a, b in PAIRS:
        sequence(bf, a, b, terms, S)
    return bf.code()


HEADER = """Kolakoski sequences benchmark for jitbf (generated by gen/kolakoski py)
it builds K(1 2) and K(1 3) and K(2 3) to at least %d terms each; each is
the sequence over its two symbols that is its own run length encoding and
is made with a read head and an end that drift apart; each term is a
record of 16 cells and every term appended costs a scan over records to
the end and one back; for each it prints the first and last %d terms and
how many terms and first symbols there are; every cell stays within 0 to
255 so the output does not depend on the cell width; no input

"""


def main():
    args = [int(a) for a in sys.argv[1:] if not a.startswith("--")]
    terms = args[0] if args else 55000
    if "--sim" in sys.argv:
        out = simulate(terms)
        direct = "".join(report(a, b, kolakoski(a, b, terms)[0]) for a, b in PAIRS)
        assert out == direct
        sys.stdout.write(out)
        return
    sys.stdout.write(HEADER % (terms, SHOW))
    sys.stdout.write(wrap(generate(terms)))


if __name__ == "__main__":
    main()
