#!/usr/bin/env python3
"""Fails when a doctest test name would break CTest discovery of the whole suite.

doctest_discover_tests writes every test case name into a CMake script, where a lone `[` or
`]` opens or closes a bracket argument and breaks the script, so CTest loses every test of
jitbf_tests at once. Names containing `;` or `\\` are mangled the same way. Run by CTest:

    check_test_names.py path/to/jitbf_tests
"""
import subprocess
import sys


def problem(name):
    depth = 0
    for ch in name:
        depth += {"[": 1, "]": -1}.get(ch, 0)
        if depth < 0:
            return "a ']' closes no '['"
    if depth:
        return "a '[' is never closed"
    if ";" in name or "\\" in name:
        return "';' and '\\' do not survive CMake lists"
    return None


def main():
    listing = subprocess.run([sys.argv[1], "--list-test-cases", "--no-version"],
                             capture_output=True, text=True, check=True).stdout
    names = [line for line in listing.splitlines()
             if line and not line.startswith(("[doctest]", "====="))]
    bad = [(name, why) for name in names if (why := problem(name))]
    for name, why in bad:
        print(f"test name breaks CTest discovery ({why}): {name}")
    print(f"{len(names)} test names checked, {len(bad)} bad")
    return 1 if bad or not names else 0


if __name__ == "__main__":
    sys.exit(main())
