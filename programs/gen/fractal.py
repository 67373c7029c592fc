#!/usr/bin/env python3
"""fractal.py: generates programs/fractal.b, jitbf's showcase program.

The emitted Brainfuck renders the Mandelbrot set as ASCII art (78x33 by
default) using fixed-point arithmetic on base-8 digits:
  * a number is stored as U = v*512 + 4096 (bias K = 4096) in 5 octal digits,
    so add/subtract are digit-wise sums plus carry propagation (subtraction
    adds the 7s-complement plus one and drops the top carry);
  * |x| is taken from U by testing the top digit and complementing;
  * products are schoolbook column sums of 4x4 octal digits (each column
    stays below 256), then normalised; dropping 3 digits divides by 512;
  * a point escapes when x*x + y*y >= 4.
Every cell stays within 0..255, so the program behaves the same for 8, 16
and 32-bit cells and does not read input.

Usage: fractal.py [--small] [--sim] > fractal.b
  --sim    print the picture computed by an equivalent Python model instead
           (an independent check of the generator; must equal the BF output)
  --small  a tiny 24x9 rendering, quick enough for refbf.py
"""
import bisect
import sys

from bfasm import BF, wrap

S = 512          # fixed-point scale: 3 octal fraction digits
K = 4096         # bias, 0o10000
ND = 5           # octal digits of a biased value
M8 = 8 ** ND

PALETTE_THRESHOLDS = [2, 3, 4, 5, 6, 8, 10, 13, 18, 25]
PALETTE_CHARS = " .:-=+*o%#"
INSIDE = "@"


def params(small):
    if small:
        return dict(W=24, H=9, MAXIT=12, DX=64, DY=128, X0=-1126)
    return dict(W=78, H=33, MAXIT=64, DX=20, DY=40, X0=-1126)


def glyph(n, maxit):
    if n >= maxit:
        return INSIDE
    return (" " + PALETTE_CHARS)[bisect.bisect_right(PALETTE_THRESHOLDS, n)]


def simulate(W, H, MAXIT, DX, DY, X0):
    Y0 = -(H // 2) * DY
    out = []
    for r in range(H):
        line = ""
        for c in range(W):
            ucx = K + X0 + c * DX
            ucy = K + Y0 + r * DY
            ux, uy, n = ucx, ucy, 0
            for _ in range(MAXIT):
                ax, ay = abs(ux - K), abs(uy - K)
                sx, sy = ux < K, uy < K
                assert ax < 4096 and ay < 4096
                xs, ys, p = ax * ax // S, ay * ay // S, ax * ay // S
                if (xs + ys) % M8 >= 4 * S:
                    break
                ux = (xs + ucx - ys) % M8
                uy = (ucy + (2 * p if sx == sy else -2 * p)) % M8
                n += 1
            line += glyph(n, MAXIT)
        out.append(line + "\n")
    return "".join(out)


def generate(W, H, MAXIT, DX, DY, X0):
    Y0 = -(H // 2) * DY
    bf = BF()

    def num(nd):
        """nd digit cells followed by 4 scratch cells (kept zero)."""
        cells = bf.alloc(nd + 4)
        return cells[:nd], cells[nd:]

    row, col, left, go, n, esc, ch = (bf.alloc() for _ in range(7))
    gl = bf.alloc(3)                      # glyph selection triple
    ucx, ucx_s = num(ND)
    ucy, ucy_s = num(ND)
    ux, ux_s = num(ND)
    uy, uy_s = num(ND)
    sx, sy = bf.alloc(), bf.alloc()
    xr = bf.alloc(4)                      # sign xor: value + scratch triple
    sumd, sum_s = num(ND)
    Xs, Ys, Ps = bf.alloc(ND), bf.alloc(ND), bf.alloc(ND)
    # multiplier block: [t1][A0..A3][B0..B3][t2][C0..C7][scratch x4]
    mt1 = bf.alloc()
    MA, MB = bf.alloc(4), bf.alloc(4)
    mt2 = bf.alloc()
    MC, mc_s = num(8)

    def complement(digits, tmp):
        for d in digits:
            bf.add(tmp, 7)
            bf.move(d, (tmp, -1))
            bf.move(tmp, d)

    def absval(u, us, s):
        """u (biased, 5 digits, top digit 0 or 1) -> |v| in u[0:4], s = v<0."""
        def neg():
            complement(u[:4], us[3])
            bf.add(u[0], 1)
            bf.normalize(u[:4], 8, us)
            bf.add(s, 1)
        bf.if_else(u[4], lambda: None, neg)

    def mul(a, b, dest):
        """dest (5 digits, zero) = (a * b) // 512 for 4-digit a, b (kept)."""
        for i in range(4):
            bf.copy(a[i], MA[i], tmp=mt1)
            bf.copy(b[i], MB[i], tmp=mt2)
        for i in range(4):
            with bf.loop(MA[i]):
                bf.add(MA[i], -1)
                bf.add(mt1, 1)
                for j in range(4):
                    bf.copy(MB[j], MC[i + j], tmp=mt2)
            bf.clear(mt1)
        bf.clear(*MB)
        bf.normalize(MC, 8, mc_s)
        bf.clear(*MC[:3])
        for i in range(ND):
            bf.move(MC[3 + i], dest[i])

    ax, ay = ux[:4], uy[:4]

    bf.set_digits(ucy, K + Y0, 8)
    bf.add(row, H)
    with bf.loop(row):
        bf.add(row, -1)
        bf.set_digits(ucx, K + X0, 8)
        bf.add(col, W)
        with bf.loop(col):
            bf.add(col, -1)
            for i in range(ND):
                bf.copy(ucx[i], ux[i], tmp=ux_s[3])
                bf.copy(ucy[i], uy[i], tmp=uy_s[3])
            bf.add(left, MAXIT)
            bf.add(go, 1)
            with bf.loop(go):
                bf.add(go, -1)
                absval(ux, ux_s, sx)
                absval(uy, uy_s, sy)
                # P = |x||y|, X = x*x, Y = y*y (each shifted right 3 digits)
                mul(ax, ay, Ps)
                mul(ax, ax, Xs)
                mul(ay, ay, Ys)
                bf.clear(*ax, *ay)
                # escape test: x*x + y*y >= 4 (2048 = 0o4000)
                for i in range(ND):
                    bf.copy(Xs[i], sumd[i], tmp=sum_s[3])
                    bf.copy(Ys[i], sumd[i], tmp=sum_s[3])
                bf.normalize(sumd, 8, sum_s)
                bf.divmod_const(sumd[3], 4, esc, sum_s)
                bf.move(sumd[4], esc)
                bf.clear(*sumd[:4])
                # new x = x*x + cx - y*y
                for i in range(ND):
                    bf.add(ux[i], 7)
                    bf.move(Ys[i], (ux[i], -1))
                    bf.move(Xs[i], ux[i])
                    bf.copy(ucx[i], ux[i], tmp=ux_s[3])
                bf.add(ux[0], 1)
                bf.normalize(ux, 8, ux_s)
                # new y = cy +- 2|x||y|
                for i in range(ND):
                    bf.move(Ps[i], (uy[i], 2))
                bf.normalize(uy, 8, uy_s)
                bf.move(sx, xr[0])
                bf.move(sy, xr[0])
                bf.divmod_const(xr[0], 2, uy_s[3], xr[1:])
                bf.clear(uy_s[3])
                with bf.if_nz(xr[0]):
                    complement(uy, uy_s[3])
                    bf.add(uy[0], 1)
                for i in range(ND):
                    bf.copy(ucy[i], uy[i], tmp=uy_s[3])
                bf.normalize(uy, 8, uy_s)

                def not_escaped():
                    bf.add(n, 1)
                    bf.add(left, -1)
                    bf.copy(left, gl[0], tmp=gl[1])
                    with bf.if_nz(gl[0]):
                        bf.add(go, 1)
                bf.if_else(esc, lambda: None, not_escaped)
            bf.clear(*ux, *uy, left)
            # glyph for the iteration count n
            bf.add(ch, ord(glyph(0, MAXIT)))
            bf.move(n, gl[0])
            for k in range(1, MAXIT + 1):
                d = ord(glyph(k, MAXIT)) - ord(glyph(k - 1, MAXIT))
                bf.dec_if_nz(gl[0], (lambda d=d: bf.add(ch, d)) if d else None)
            bf.put(ch)
            bf.clear(ch)
            bf.set_digits(ucx, DX, 8)
            bf.normalize(ucx, 8, ucx_s)
        bf.clear(*ucx)
        bf.print_text("\n")
        bf.set_digits(ucy, DY, 8)
        bf.normalize(ucy, 8, ucy_s)
    return bf.code()


HEADER = """Mandelbrot set in ASCII art (%dx%d characters)
written for jitbf as its showcase program; generated by gen/fractal py
fixed point arithmetic on octal digits; every cell stays within 0 to 255
so the output is the same for 8 and 16 and 32 bit cells; reads no input

"""


def main():
    small = "--small" in sys.argv
    p = params(small)
    if "--sim" in sys.argv:
        sys.stdout.write(simulate(**p))
        return
    sys.stdout.write(HEADER % (p["W"], p["H"]))
    sys.stdout.write(wrap(generate(**p)))


if __name__ == "__main__":
    main()
