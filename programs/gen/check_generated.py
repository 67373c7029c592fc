#!/usr/bin/env python3
"""check_generated.py: checks that the generators in this folder still make the bundled
programs byte for byte, as README's "Regenerating" section says they do; a generator
changed without regenerating its program (or the other way round) fails here.

Usage: check_generated.py     (exit 0: all the same; 1: which differ, on stderr)
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (generator arguments, the program they make), as in README's "Regenerating".
GENERATED = [
    (["fractal.py"], "fractal.b"),
    (["collatz.py"], "collatz.b"),
    (["fibtable.py"], "fibtable.b"),
    (["edigits.py"], "edigits.b"),
    (["kolakoski.py"], "kolakoski.b"),
    (["small.py", "rot13"], "rot13.b"),
    (["small.py", "cellwidth"], "cellwidth.b"),
    (["small.py", "eof"], "eof.b"),
    (["small.py", "primes"], "primes.b"),
]


def main():
    differ = []
    for args, program in GENERATED:
        made = subprocess.run([sys.executable] + args, cwd=HERE, check=True,
                              stdout=subprocess.PIPE).stdout
        with open(os.path.join(HERE, "..", program), "rb") as f:
            bundled = f.read()
        if made != bundled:
            differ.append("%s (from %s)" % (program, " ".join(args)))
    for d in differ:
        print("check_generated.py: programs/%s is not what its generator makes" % d,
              file=sys.stderr)
    print("%d of %d generated programs as bundled" % (len(GENERATED) - len(differ),
                                                      len(GENERATED)))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
