# CLI tests of usage errors: unknown options, bad values, options that do not go together;
# each is one line on stderr, lower case and prefixed jitbf:, with exit status 2. Included
# by CMakeLists.txt here (jitbf_cli_test and ${jitbf} come from there).

jitbf_cli_test("an unknown option suggests the closest one and points at --help"
  EXIT 2 NO_STDOUT
  STDERR "jitbf: unknown option --cellbits (did you mean --cell-bits?); see jitbf --help\n"
  COMMAND ${jitbf} --cellbits=16 -e "+")

jitbf_cli_test("an unknown option like no other is named, with a pointer to --help"
  EXIT 2 NO_STDOUT STDERR "jitbf: unknown option --frobnicate; see jitbf --help\n"
  COMMAND ${jitbf} --frobnicate -e "+")

# Each bad value: the option, the value, and what is accepted.
foreach(case
    "--cell-bits=abc|--cell-bits must be 8, 16 or 32, not 'abc'"
    "--cell-bits;12|--cell-bits must be 8, 16 or 32, not '12'"
    "--tape-cells=1e3|--tape-cells must be a whole number from 1 to 4294967296, not '1e3'"
    "--tape-cells;0|--tape-cells must be a whole number from 1 to 4294967296, not '0'"
    "--tape-cells=4294967297|--tape-cells must be a whole number from 1 to 4294967296, not '4294967297'"
    "--eof;never|--eof must be unchanged, zero or minus-one, not 'never'"
    "--backend=gpu|--backend must be jit or interp, not 'gpu'"
    "-O3|the optimization level must be -O0, -O1 or -O2, not '-O3'"
    "--dump-ir=some|--dump-ir must be final or all (--dump-ir=all), not 'some'")
  # ARGS|MESSAGE, ARGS a list (";" between separate arguments).
  string(FIND "${case}" "|" bar)
  string(SUBSTRING "${case}" 0 ${bar} args)
  math(EXPR from "${bar} + 1")
  string(SUBSTRING "${case}" ${from} -1 message)
  string(REPLACE ";" " " shown "${args}")
  jitbf_cli_test("a bad option value names the option, the value and what is accepted (${shown})"
    EXIT 2 NO_STDOUT STDERR "jitbf: ${message}\n"
    COMMAND ${jitbf} ${args} -e "+.")
endforeach()

jitbf_cli_test("an option without its value says what it needs"
  EXIT 2 NO_STDOUT STDERR "jitbf: --eof needs a value: unchanged, zero or minus-one\n"
  COMMAND ${jitbf} -e "+." --eof)

jitbf_cli_test("an option followed by another option instead of its value says what it needs"
  EXIT 2 NO_STDOUT STDERR "jitbf: --cell-bits needs a value: 8, 16 or 32\n"
  COMMAND ${jitbf} --cell-bits --eof zero -e "+.")

jitbf_cli_test("a flag given a value is a usage error"
  EXIT 2 NO_STDOUT STDERR "jitbf: --check takes no value, not '3'\n"
  COMMAND ${jitbf} --check=3 -e "+.")

jitbf_cli_test("-O takes its level attached, and says so when it is not"
  EXIT 2 NO_STDOUT STDERR "jitbf: -O takes its level attached: -O1, not -O 1\n"
  COMMAND ${jitbf} -O 1 left.b)

jitbf_cli_test("a bare -O means -O2 and leaves the file that follows it alone"
  EXIT 1 STDOUT "A" STDERR_RE "^jitbf: left.b:2:3: runtime error: "
  COMMAND ${jitbf} -O left.b)

jitbf_cli_test("an option given twice takes its last value"
  EXIT 0 STDOUT_FILE ${programs}/cellwidth.8.out NO_STDERR
  COMMAND ${jitbf} --cell-bits=32 --cell-bits 8 ${programs}/cellwidth.b)

jitbf_cli_test("-e given twice is a usage error"
  EXIT 2 NO_STDOUT STDERR "jitbf: -e given twice: give the program as one CODE\n"
  COMMAND ${jitbf} -e "+" -e ".")

jitbf_cli_test("a second program file is a usage error"
  EXIT 2 NO_STDOUT
  STDERR "jitbf: unexpected argument 'b.b': give one program, as FILE, '-' or -e CODE; see jitbf --help\n"
  COMMAND ${jitbf} left.b b.b)

jitbf_cli_test("-- ends the options, so a file name may start with a dash"
  EXIT 2 NO_STDOUT STDERR "jitbf: cannot open '-e': No such file or directory\n"
  COMMAND ${jitbf} -- -e)

jitbf_cli_test("--help names every value --dump-ir accepts"
  EXIT 0 NO_STDERR STDOUT_RE "\n  --dump-ir\\[=final\\|all\\] [^\n]*\\(final, the default\\)[^\n]*\n[^\n]*\\(all\\)"
  COMMAND ${jitbf} --help)

jitbf_cli_test("--dump-ir=final is the same as --dump-ir"
  EXIT 0 NO_STDERR STDOUT_RE "^ +0 +1:1 +add \\[p\\] 1\n +1 +1:2 +out \\[p\\]\n$"
  COMMAND ${jitbf} -O0 --dump-ir=final -e "+.")

jitbf_cli_test("a missing program file is a one-line error"
  EXIT 2 NO_STDOUT
  STDERR "jitbf: cannot open 'no-such-file.b': No such file or directory\n"
  COMMAND ${jitbf} no-such-file.b)

jitbf_cli_test("a directory given as the program is a one-line error"
  EXIT 2 NO_STDOUT
  STDERR "jitbf: cannot run '.': it is a directory\n"
  COMMAND ${jitbf} .)

jitbf_cli_test("no program at all is a one-line usage error"
  EXIT 2 NO_STDOUT STDERR "jitbf: no program: give FILE, '-' or -e CODE; see jitbf --help\n"
  COMMAND ${jitbf})

jitbf_cli_test("a file and -e together are a one-line usage error"
  EXIT 2 NO_STDOUT STDERR_RE "^jitbf: [^\n]+\n$"
  COMMAND ${jitbf} -e "+." left.b)

jitbf_cli_test("an empty -e CODE and a file together are a one-line usage error"
  EXIT 2 NO_STDOUT STDERR_RE "^jitbf: [^\n]+\n$"
  COMMAND ${jitbf} -e "" left.b)

jitbf_cli_test("an IR dump that cannot be written is an error, exit 1"
  EXIT 1
  STDERR "jitbf: cannot write output: No space left on device\n"
  COMMAND bash -c "\"$0\" --dump-ir -e '+.' > /dev/full" ${jitbf})

jitbf_cli_test("an IR dump to a closed pipe ends quietly with status 0"
  EXIT 0 NO_STDERR STDOUT_RE "^ +0 "
  COMMAND bash -c "set -o pipefail; \"$0\" -O0 --dump-ir -e \"$(printf '+>%.0s' $(seq 50000))\" | head -c 10" ${jitbf})

foreach(what "--help" "--version" "--check -e +.")
  jitbf_cli_test("${what} output that cannot be written is an error, exit 1"
    EXIT 1
    STDERR "jitbf: cannot write output: No space left on device\n"
    COMMAND bash -c "\"$0\" ${what} > /dev/full" ${jitbf})
endforeach()

jitbf_cli_test("--check to a closed standard output is an error, exit 1"
  EXIT 1
  STDERR "jitbf: cannot write output: Bad file descriptor\n"
  COMMAND bash -c "\"$0\" --check -e '+.' >&-" ${jitbf})

jitbf_cli_test("a program from an unreadable stdin is a one-line error"
  EXIT 2 NO_STDOUT
  STDERR "jitbf: cannot read standard input: Bad file descriptor\n"
  COMMAND bash -c "\"$0\" - <&-" ${jitbf})
