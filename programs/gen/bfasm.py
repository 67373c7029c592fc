"""bfasm.py: tiny macro assembler that emits Brainfuck, written for jitbf.

Cells are named by absolute tape positions chosen by the generator; the
assembler tracks the pointer statically, so every macro leaves the pointer
at a known cell.  All macros keep cells inside 0..255 (no wrapping) as long
as the generator respects the documented bounds, so the emitted programs
behave the same for 8, 16 and 32-bit cells.  Used by the generators in this
folder (fractal.py, collatz.py, fibtable.py, edigits.py, kolakoski.py and
small.py).
"""
from contextlib import contextmanager


def wrap(code, width=76):
    """The program in lines of `width` characters, as the generators write it."""
    return "\n".join(code[i:i + width] for i in range(0, len(code), width)) + "\n"


class BF:
    def __init__(self, first_cell=1):
        self.out = []
        self.pos = 0
        self.next = first_cell      # cell 0 is left unused
        self.free_stack = []

    # ---- allocation ------------------------------------------------------
    def alloc(self, n=1):
        """Allocate n consecutive cells; returns a list (or one int if n==1)."""
        base = self.next
        self.next += n
        return base if n == 1 else list(range(base, base + n))

    @contextmanager
    def temps(self, n=1):
        """Scoped temporaries: must be zero again when the block ends."""
        save = self.next
        cells = self.alloc(n)
        yield cells
        self.next = save

    # ---- raw emission ----------------------------------------------------
    def go(self, c):
        d = c - self.pos
        self.out.append(">" * d if d > 0 else "<" * (-d))
        self.pos = c

    def raw(self, s):
        self.out.append(s)

    def add(self, c, k):
        self.go(c)
        self.out.append("+" * k if k > 0 else "-" * (-k))

    def clear(self, *cells):
        for c in cells:
            self.go(c)
            self.out.append("[-]")

    def put(self, c):
        self.go(c)
        self.out.append(".")

    def get(self, c):
        self.go(c)
        self.out.append(",")

    @contextmanager
    def loop(self, c):
        self.go(c)
        self.out.append("[")
        yield
        self.go(c)
        self.out.append("]")

    def code(self):
        return "".join(self.out)

    # ---- data movement ---------------------------------------------------
    def move(self, src, *dsts):
        """src is added to each dst (a cell or (cell, factor)); src becomes 0."""
        with self.loop(src):
            self.add(src, -1)
            for d in dsts:
                if isinstance(d, tuple):
                    self.add(d[0], d[1])
                else:
                    self.add(d, 1)

    def copy(self, src, *dsts, tmp=None):
        """dst += src for each dst, src preserved (tmp: a zero scratch cell)."""
        if tmp is not None:
            self.move(src, *dsts, tmp)
            self.move(tmp, src)
            return
        with self.temps() as t:
            self.move(src, *dsts, t)
            self.move(t, src)

    @contextmanager
    def if_nz(self, flag):
        """Run the body once if flag != 0; flag is cleared (consumed)."""
        with self.loop(flag):
            yield
            self.clear(flag)

    def if_else(self, flag, yes, no):
        """If flag != 0 run yes() else no(); flag is consumed."""
        with self.temps() as e:
            self.add(e, 1)
            with self.loop(flag):
                self.add(e, -1)
                yes()
                self.clear(flag)
            with self.loop(e):
                self.add(e, -1)
                no()

    # ---- the zero test idiom ---------------------------------------------
    def zero_branch(self, x, body):
        """If cell x == 0 run body().  Needs x+1 and x+2 zero (and unused by
        body).  Pointer-neutral overall; x is preserved."""
        t, u = x + 1, x + 2
        self.go(x)
        self.raw(">+<[>-]>")    # x!=0: pointer ends at u ; x==0: at t (t=1)
        self.raw("[-")          # entered only when x == 0, pointer at t
        self.pos = t
        body()
        self.go(u)
        self.raw("]")
        self.pos = u            # both paths are now at u, t == 0

    def dec_if_nz(self, x, body=None):
        """If cell x != 0: x -= 1 and run body().  Needs x+1, x+2 zero."""
        f, u = x + 1, x + 2
        self.go(x)
        self.raw(">+<[-")       # x != 0: decrement, run body, clear f
        self.pos = x
        if body:
            body()
        self.go(f)
        self.raw("-]")          # x!=0: pointer at f ; x==0: pointer at x
        self.raw(">[->]")       # x==0: at f (1) -> clear, step to u
        self.pos = u

    # ---- arithmetic --------------------------------------------------------
    def divmod_const(self, n, d, q, scratch=None):
        """n -> n % d, q += n // d (q may be any other cell).  O(n) steps.
        scratch: three consecutive zero cells (allocated if not given)."""
        if scratch is None:
            with self.temps(3) as sc:
                self.divmod_const(n, d, q, sc)
            return
        c, t, u = scratch[:3]
        assert t == c + 1 and u == c + 2
        self.add(c, d)
        with self.loop(n):
            self.add(n, -1)
            self.add(c, -1)

            def reset():
                self.add(c, d)
                self.add(q, 1)
            self.zero_branch(c, reset)
        # remainder = d - c, with 1 <= c <= d
        self.add(n, d)
        self.move(c, (n, -1))

    def normalize(self, digits, base, scratch=None, overflow=None):
        """Carry-propagate a little-endian digit list; the carry out of the top
        digit goes to overflow (a cell) or is discarded when overflow is None.
        scratch: four zero cells, the first three consecutive."""
        if scratch is None:
            with self.temps(4) as sc:
                self.normalize(digits, base, sc, overflow)
            return
        for i, dcell in enumerate(digits):
            if i + 1 < len(digits):
                self.divmod_const(dcell, base, digits[i + 1], scratch)
            elif overflow is not None:
                self.divmod_const(dcell, base, overflow, scratch)
            else:
                self.divmod_const(dcell, base, scratch[3], scratch)
                self.clear(scratch[3])

    def set_digits(self, digits, value, base):
        for dcell in digits:
            self.add(dcell, value % base)
            value //= base
        assert value == 0

    def print_text(self, text, cell=None):
        """Print a constant string using one scratch cell (left at 0)."""
        with self.temps() as c:
            cur = 0
            for ch in text.encode("latin-1"):
                self.add(c, ch - cur)
                cur = ch
                self.put(c)
            self.add(c, -cur)

    def print_digits(self, digits, scratch):
        """Print a little-endian decimal digit array without leading zeros;
        scratch: 3 zero cells."""
        started, t, tmp = scratch[:3]
        for i in reversed(range(len(digits))):
            if i > 0:
                self.copy(digits[i], t, tmp=tmp)
                with self.if_nz(t):
                    self.clear(started)
                    self.add(started, 1)
            else:
                self.clear(started)
                self.add(started, 1)
            self.copy(started, t, tmp=tmp)
            with self.if_nz(t):
                self.add(digits[i], 48)
                self.put(digits[i])
                self.add(digits[i], -48)
        self.clear(started)
