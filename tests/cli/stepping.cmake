# CLI tests of the debugging modes on the stepping interpreter: --trace, --watch and
# --portability. Included by CMakeLists.txt here (jitbf_cli_test and ${jitbf} come from
# there). The programs in data/needs_*.b each rely on one assumption.

# --- --trace -------------------------------------------------------------------------------

jitbf_cli_test("--trace prints each op, the pointer and its cell to stderr, output to stdout"
  EXIT 0 STDIN abcdef.txt STDOUT "a"
  STDERR "trace 1:1     ,     p=0     cell=97\ntrace 1:2     .     p=0     cell=97\ntrace 1:3     >1    p=1     cell=0\n"
  COMMAND ${jitbf} --backend interp --trace -e ",.>")

# The program's output comes before the trace line of the op that printed it.
add_test(NAME "cli: --trace and the program's output interleave in order"
  COMMAND sh -c "\"$1\" --backend interp --trace -e '++++++++[>++++++++<-]>+.+.' 2>&1 | tail -n 3 | tr '\\n' '|' | grep -qxF 'Atrace 1:24    .     p=1     cell=65|trace 1:25    +1    p=1     cell=66|Btrace 1:26    .     p=1     cell=66|'"
  sh ${jitbf})

jitbf_cli_test("a jit run given --trace says once that it switches to the interpreter"
  EXIT 0 STDIN abcdef.txt STDOUT "a"
  STDERR "jitbf: --trace runs on the interpreter (at -O0): switching from the jit\ntrace 1:1     ,     p=0     cell=97\ntrace 1:2     .     p=0     cell=97\n"
  COMMAND ${jitbf} --trace -O2 -e ",.")

jitbf_cli_test("--trace stops at --max-steps, counting loop iterations"
  EXIT 1 NO_STDOUT
  STDERR "trace 1:1     +1    p=0     cell=1\ntrace 1:2     [     p=0     cell=1\ntrace 1:3     ]     p=0     cell=1\ntrace 1:3     ]     p=0     cell=1\njitbf: -e:1:3: stopped: step limit of 3 reached (--max-steps)\n"
  COMMAND ${jitbf} --backend interp --trace --max-steps=3 -e "+[]")

jitbf_cli_test("--trace fails at the op that touches a cell off the tape"
  EXIT 1 NO_STDOUT
  STDERR_RE "^trace 1:1     <1    p=-1    \\(off the tape\\)\njitbf: -e:1:2: runtime error: cell -1 is off the tape \\(touched here\\)\n"
  COMMAND ${jitbf} --backend interp --trace -e "<+")

jitbf_cli_test("--trace does not go with --check"
  EXIT 2 NO_STDOUT STDERR "jitbf: --trace and --check do not go together\n"
  COMMAND ${jitbf} --trace --check -e "+")

# --- --watch -------------------------------------------------------------------------------

jitbf_cli_test("--watch prints each change of each watched cell and the op that made it"
  EXIT 0 NO_STDOUT
  STDERR "watch cell 0: 0 -> 1 at 1:1 (+1)\nwatch cell 1: 0 -> 2 at 1:3 (+2)\nwatch cell 0: 1 -> 0 at 1:6 (-1)\n"
  COMMAND ${jitbf} --backend interp --watch=1 --watch 0 -e "+>++<->>+")

jitbf_cli_test("a jit run given --watch says once that it switches to the interpreter"
  EXIT 0 NO_STDOUT
  STDERR "jitbf: --watch runs on the interpreter (at -O0): switching from the jit\nwatch cell 2: 0 -> 255 at 1:3 (-1)\n"
  COMMAND ${jitbf} --backend jit --watch=2 -e ">>-")

jitbf_cli_test("--watch takes a cell number"
  EXIT 2 NO_STDOUT STDERR "jitbf: --watch must be a cell number from 0 to 4294967295, not '-1'\n"
  COMMAND ${jitbf} --watch=-1 -e "+")

# --- --portability -------------------------------------------------------------------------

jitbf_cli_test("--portability finds nothing hello.b depends on"
  EXIT 0 STDIN abcdef.txt NO_STDERR
  STDOUT_RE "^portability: 9 runs on 6 bytes of input, each stopped at loop iteration 10000000\n.*\ncell width does not matter[^\n]*; EOF behaviour does not matter \\(it never reads past the end\\); uses [0-9]+ cells\n$"
  COMMAND ${jitbf} --portability ${programs}/hello.b)

jitbf_cli_test("--portability says a program needs 8-bit wrapping, and where it wraps"
  EXIT 0 STDIN abcdef.txt NO_STDERR
  STDOUT_RE "\n  wrapping: cell 0 first wrapped below 0 at 2:1 \\([0-9]+ wraps in all\\)\n.*\nneeds 8-bit wrapping cells; EOF behaviour does not matter \\(it never reads past the end\\); uses 2 cells\n$"
  COMMAND ${jitbf} --portability needs_wrap.b)

jitbf_cli_test("--portability says a program needs cells wider than 8 bits"
  EXIT 0 STDIN abcdef.txt NO_STDERR
  STDOUT_RE "\n  wrapping: cell 1 first wrapped above 255 at 2:13 \\(1 wrap in all\\)\n.*\nneeds cells wider than 8 bits; EOF behaviour does not matter \\(it never reads past the end\\); uses 3 cells\n$"
  COMMAND ${jitbf} --portability needs_wide.b)

jitbf_cli_test("--portability says which EOF mode a program needs, and where it reads past the end"
  EXIT 0 STDIN abcdef.txt NO_STDERR
  STDOUT_RE "\n  8     zero       ok                           6 bytes, differs from byte 6\n.*\n  end of input: first read past at 2:4 \\([0-9]+ reads past it\\)\n.*\ncell width does not matter; needs --eof=zero; uses 1 cell; does not end within 1000 loop iterations\n$"
  COMMAND ${jitbf} --portability --max-steps=1000 needs_eof_zero.b)

jitbf_cli_test("--portability on the EOF probe says its output depends on the EOF mode"
  EXIT 0 STDIN ${programs}/eof.in NO_STDERR
  STDOUT_RE "; its output depends on the EOF mode; "
  COMMAND ${jitbf} --portability ${programs}/eof.b)

jitbf_cli_test("--portability does not take --cell-bits"
  EXIT 2 NO_STDOUT
  STDERR "jitbf: --portability runs every cell width and EOF mode: --cell-bits does not go with it\n"
  COMMAND ${jitbf} --portability --cell-bits=16 -e "+")

jitbf_cli_test("--help describes --trace, --watch and --portability"
  EXIT 0 NO_STDERR
  STDOUT_RE "\n  --trace [^\n]*\n.*a step is one op of the -O0\n[^\n]*IR, a run such as [+][+][+] or >> being one.*\n  --watch CELL [^\n]*\n.*\n  --portability [^\n]*\n"
  COMMAND ${jitbf} --help)

jitbf_cli_test("--portability does not go with --trace"
  EXIT 2 NO_STDOUT STDERR "jitbf: --portability and --trace do not go together\n"
  COMMAND ${jitbf} --trace --portability -e "+")

jitbf_cli_test("--trace and --watch go together, each line in its turn"
  EXIT 0 NO_STDOUT
  STDERR "trace 1:1     +1    p=0     cell=1\nwatch cell 0: 0 -> 1 at 1:1 (+1)\n"
  COMMAND ${jitbf} --backend interp --trace --watch=0 -e "+")

jitbf_cli_test("--watch takes one cell each time, and the program file after it stays the program"
  EXIT 0 STDIN abcdef.txt STDOUT "a"
  STDERR "watch cell 0: 0 -> 97 at 1:1 (,)\nwatch cell 1: 0 -> 1 at 1:4 (+1)\n"
  COMMAND ${jitbf} --backend interp --watch 1 --watch=0 echo_one.b)
