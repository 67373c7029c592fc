#!/usr/bin/env python3
"""collatz.py: generates programs/collatz.b, a long-running benchmark for jitbf.

For every start value n = 1 .. A*B the emitted program follows the Collatz
map (n even: n/2, n odd: 3n+1) down to 1, counting steps, and prints each n
whose step count beats all smaller start values ("n steps" per line).
Trajectory values are held as fixed-width decimal digit arrays; halving and
3n+1 are done digit by digit with constant-divisor divmod loops, so the work
is dominated by data-dependent branches that an optimiser cannot fold away.
Step counts are kept as (hundreds, 100 - units) with a countdown so they
need no wide cells.  Every cell stays within 0..255, so output is identical
for 8, 16 and 32-bit cells.  Reads no input.

Usage: collatz.py [--sim] [A B] > collatz.b      (defaults A=120 B=250)
  --sim prints the expected output computed directly in Python.
"""
import sys

from bfasm import BF, wrap


def trajectory(n):
    steps, peak = 0, n
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        peak = max(peak, n)
        steps += 1
    return steps, peak


def simulate(N):
    best, out = 0, []
    for n in range(1, N + 1):
        s, _ = trajectory(n)
        if s > best:
            best = s
            out.append("%d %d\n" % (n, s))
    return "".join(out)


def generate(A, B):
    N = A * B
    peak = max(trajectory(n)[1] for n in range(1, N + 1))
    maxsteps = max(trajectory(n)[0] for n in range(1, N + 1))
    assert maxsteps < 100 * 200
    D = len(str(peak))
    bf = BF()

    def num(nd):
        cells = bf.alloc(nd + 4)
        return cells[:nd], cells[nd:]

    outer, inner, go, flag, junk = (bf.alloc() for _ in range(5))
    hi, bhi, g1, l1, g2, l2, e = (bf.alloc() for _ in range(7))
    cd = bf.alloc(3)                  # 100 - (steps % 100), plus scratch
    bcd = bf.alloc()
    g3 = bf.alloc(3)                  # comparison / test triples
    h3 = bf.alloc(3)
    ndig, nsc = num(len(str(N)) + 1)  # the start value, decimal digits
    x, xs = num(D)                    # trajectory value
    carry = bf.alloc()
    pd = bf.alloc(6)                  # printing: 3 digits + scratch

    def not_one():
        """go = nonzero iff x != 1 (go must be 0)."""
        for i in range(1, D):
            bf.copy(x[i], go, tmp=xs[3])
        bf.copy(x[0], g3[0], tmp=g3[1])
        bf.zero_branch(g3[0], lambda: bf.add(go, 1))
        bf.dec_if_nz(g3[0])
        bf.move(g3[0], go)

    def halve():
        for i in reversed(range(D)):
            bf.move(carry, (x[i], 10))
            bf.move(x[i], xs[3])
            # xs[3] = v; v//2 -> x[i], v%2 -> carry
            bf.divmod_const(xs[3], 2, x[i], xs)   # remainder stays in xs[3]
            bf.move(xs[3], carry)
        bf.clear(carry)

    def triple_plus_one():
        for i in range(D):
            bf.move(x[i], (xs[3], 3))
            bf.move(xs[3], x[i])
        bf.add(x[0], 1)
        bf.normalize(x, 10, xs)

    def race(a, b, gt, lt):
        """gt += (a > b), lt += (a < b); a and b are kept."""
        bf.copy(a, g3[0], tmp=g3[1])
        bf.copy(b, h3[0], tmp=h3[1])
        with bf.loop(g3[0]):
            bf.add(g3[0], -1)

            def greater():
                bf.add(gt, 1)
                bf.clear(g3[0])
            bf.zero_branch(h3[0], greater)
            bf.dec_if_nz(h3[0])
        with bf.if_nz(h3[0]):
            bf.add(lt, 1)

    bf.add(cd[0], 100)
    bf.add(bcd, 100)
    bf.add(outer, A)
    with bf.loop(outer):
        bf.add(outer, -1)
        bf.add(inner, B)
        with bf.loop(inner):
            bf.add(inner, -1)
            # n += 1
            bf.add(ndig[0], 1)
            bf.normalize(ndig, 10, nsc)
            for i in range(len(ndig)):
                bf.copy(ndig[i], x[i], tmp=xs[3])
            not_one()
            with bf.loop(go):
                bf.clear(go)
                bf.copy(x[0], g3[0], tmp=g3[1])
                bf.divmod_const(g3[0], 2, junk, h3)
                bf.clear(junk)
                bf.if_else(g3[0], triple_plus_one, halve)
                bf.add(cd[0], -1)

                def wrap100():
                    bf.add(cd[0], 100)
                    bf.add(hi, 1)
                bf.zero_branch(cd[0], wrap100)
                not_one()
            bf.clear(*x)
            # record?  flag = steps > best, compared as (hi, -cd)
            race(hi, bhi, g1, l1)
            race(bcd, cd[0], g2, l2)
            bf.clear(l2)
            bf.add(e, 1)
            with bf.if_nz(g1):
                bf.add(e, -1)
                bf.add(flag, 1)
            with bf.if_nz(l1):
                bf.add(e, -1)
            with bf.if_nz(e):
                bf.move(g2, flag)
            bf.clear(g2)

            def record():
                bf.clear(bhi, bcd)
                bf.copy(hi, bhi, tmp=g3[0])
                bf.copy(cd[0], bcd, tmp=g3[0])
                bf.print_digits(ndig, nsc)
                bf.print_text(" ")
                # steps = 100*hi + 100 - cd  ->  3 decimal digits in pd
                bf.copy(hi, pd[2], tmp=g3[0])
                bf.add(pd[0], 100)
                bf.copy(cd[0], (pd[0], -1), tmp=g3[0])
                bf.divmod_const(pd[0], 10, pd[1], pd[3:])
                bf.divmod_const(pd[1], 10, pd[2], pd[3:])
                bf.print_digits(pd[:3], pd[3:])
                bf.clear(*pd[:3])
                bf.print_text("\n")
            with bf.if_nz(flag):
                record()
            bf.clear(hi, cd[0])
            bf.add(cd[0], 100)
    return bf.code()


HEADER = """Collatz records benchmark for jitbf (generated by gen/collatz py)
for every start value n from 1 to %d it follows the Collatz map down to 1
and prints each n that needs more steps than every smaller start value
followed by its step count; decimal digit arithmetic; every cell stays
within 0 to 255 so the output does not depend on the cell width; no input

"""


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    A, B = (int(args[0]), int(args[1])) if args else (120, 250)
    if "--sim" in sys.argv:
        sys.stdout.write(simulate(A * B))
        return
    sys.stdout.write(HEADER % (A * B))
    sys.stdout.write(wrap(generate(A, B)))


if __name__ == "__main__":
    main()
