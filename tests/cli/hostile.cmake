# CLI tests of hostile input, the rows of README's "Hostile input" table that no other test
# already covers (the table names every row's test, here or elsewhere). Included by
# CMakeLists.txt here, after stop.cmake (jitbf_cli_test and ${jitbf} come from there). Each
# test states the whole outcome: status, the exact message with its place, the output kept;
# run-time rows run on both backends, and those where the passes matter at -O0 and -O2.

set(print_a "++++++++[>++++++++<-]>+.") # prints A
string(REPEAT "+" 65 letter_a)

jitbf_cli_test("binary garbage is comments but for its brackets, shown escaped in the excerpts"
  EXIT 2 NO_STDOUT
  STDERR [==[jitbf: garbage.b:1:163: error: unmatched ']'
  ...\x82\x81\x80\x7f~}|{zyxwvutsrqponmlkjihgfedcba`_^]\[ZYXWVUTSRQPONMLKJIHGFEDCBA@?>=<;:9876543210/.-,+...
                                                      ^
jitbf: garbage.b:1:165: error: unmatched '['
  ...\x81\x80\x7f~}|{zyxwvutsrqponmlkjihgfedcba`_^]\[ZYXWVUTSRQPONMLKJIHGFEDCBA@?>=<;:9876543210/.-,+*)('...
                                                    ^
]==]
  COMMAND ${jitbf} garbage.b)

# A jump of 100000 cells lands in a guard region (256 MiB) from either end of the tape.
string(REPEAT ">" 100000 far_right)
string(REPEAT "<" 100000 far_left)
string(REPEAT ">" 50 shown_right)
string(REPEAT "<" 50 shown_left)
string(REPEAT " " 55 to_caret)
# The right end of a one-page tape: cells 4092 to 4095 are set, so [>] from 4092 runs off.
string(REPEAT ">" 4092 to_end)
foreach(backend jit interp)
  foreach(level 0 2)
    set(on --backend ${backend} -O${level})
    set(where "${backend} -O${level}")
    jitbf_cli_test("a far jump right of a small tape is caught at the touch, output kept (${where})"
      EXIT 1 STDOUT "A"
      STDERR "jitbf: -e:1:100025: runtime error: cell 100001 is off the tape, which ends at cell 4095 (touched here)\n  ...${shown_right}+\n${to_caret}^\n"
      COMMAND ${jitbf} ${on} --tape-cells 4096 -e "${print_a}${far_right}+")
    jitbf_cli_test("a far jump left of cell 0 is caught at the touch, output kept (${where})"
      EXIT 1 STDOUT "A"
      STDERR "jitbf: -e:1:100025: runtime error: cell -99999 is off the tape (touched here)\n  ...${shown_left}+\n${to_caret}^\n"
      COMMAND ${jitbf} ${on} -e "${print_a}${far_left}+")
    jitbf_cli_test("a scan [<] that runs off cell 0 is caught where it tests the cell (${where})"
      EXIT 1 NO_STDOUT
      STDERR "jitbf: -e:1:10: runtime error: cell -1 is off the tape (touched here)\n  +>+>+>+[<]\n           ^\n"
      COMMAND ${jitbf} ${on} -e "+>+>+>+[<]")
    jitbf_cli_test("a scan [>] that runs off the last cell is caught where it tests the cell (${where})"
      EXIT 1 NO_STDOUT
      STDERR "jitbf: -e:3:3: runtime error: cell 4096 is off the tape, which ends at cell 4095 (touched here)\n  [>]\n    ^\n"
      COMMAND ${jitbf} ${on} --tape-cells 4096 -e "${to_end}\n+>+>+>+<<<\n[>]")
  endforeach()

  set(on --backend ${backend})
  jitbf_cli_test("an empty file runs nothing and exits 0 (${backend})"
    EXIT 0 NO_STDOUT NO_STDERR COMMAND ${jitbf} ${on} empty.b)
  jitbf_cli_test("a file of comments only runs nothing and exits 0 (${backend})"
    EXIT 0 NO_STDOUT NO_STDERR COMMAND ${jitbf} ${on} comments.b)
  jitbf_cli_test("control bytes in a runtime error's excerpt are shown escaped (${backend})"
    EXIT 1 NO_STDOUT
    STDERR "jitbf: control_run.b:1:4: runtime error: cell -1 is off the tape (touched here)\n  \\x1bc<+\n        ^\n"
    COMMAND ${jitbf} ${on} control_run.b)
  jitbf_cli_test("--tape-cells 1 is one page of cells (${backend})"
    EXIT 1 NO_STDOUT
    STDERR "jitbf: -e:1:4: runtime error: cell 4096 is off the tape, which ends at cell 4095 (touched here)\n  +[>+]\n     ^\n"
    COMMAND ${jitbf} ${on} --tape-cells 1 -e "+[>+]")
  jitbf_cli_test("a closed standard input is the end of input to the program (${backend})"
    EXIT 0 STDOUT "A" NO_STDERR
    COMMAND bash -c "\"$0\" --backend $1 -e '++++++++[>++++++++<-]>+,.' <&-" ${jitbf} ${backend})
  jitbf_cli_test("a closed standard output is a write error, exit 1 (${backend})"
    EXIT 1 STDERR "jitbf: cannot write output: Bad file descriptor\n"
    COMMAND bash -c "\"$0\" --backend $1 -e '${print_a}' >&-" ${jitbf} ${backend})
  jitbf_cli_test("a program printing forever into head -c 1 ends quietly with status 0 (${backend})"
    EXIT 0 STDOUT "A" NO_STDERR
    COMMAND bash -c "set -o pipefail; timeout -k 2 10 \"$0\" --backend $1 -e '${letter_a}[.]' | head -c 1"
            ${jitbf} ${backend})
  # 255 * 255 * 255 * 128 bytes of "A": all written (--stats counts them), nothing on stderr
  # but the report.
  jitbf_cli_test("2 GB of output to /dev/null are all written, exit 0 (${backend})"
    EXIT 0
    STDERR_RE "^jitbf: --stats\n.*\n  bytes in: 0, bytes out: 2122416000\n"
    COMMAND bash -c "\"$0\" --backend $1 --stats -e '++++++++[>++++++++<-]>+>-[>-[>-[>>++++++++[<++++++++++++++++>-]<[<<<<.>>>>-]<-]<-]<-]' >/dev/null" ${jitbf} ${backend})
  set_tests_properties("cli: 2 GB of output to /dev/null are all written, exit 0 (${backend})"
    PROPERTIES LABELS slow COST 10)

  # A million nested loops, on stdin (too long for one argument): the innermost `-` ends
  # them all, then the program prints A.
  foreach(level 0 2)
    set(name "a million nested loops compile and run (${backend} -O${level})")
    jitbf_cli_test("${name}"
      EXIT 0 STDOUT "A" NO_STDERR
      COMMAND bash -c "n=1000000; { printf +; head -c $n /dev/zero | tr '\\0' '['; printf -; head -c $n /dev/zero | tr '\\0' ']'; printf '${letter_a}.'; } | \"$0\" --backend $1 -O$2 -"
              ${jitbf} ${backend} ${level})
    set_tests_properties("cli: ${name}" PROPERTIES LABELS slow COST 10)
  endforeach()
endforeach()

foreach(what "--help" "--version")
  jitbf_cli_test("${what} to a closed standard output is an error, exit 1"
    EXIT 1 STDERR "jitbf: cannot write output: Bad file descriptor\n"
    COMMAND bash -c "\"$0\" ${what} >&-" ${jitbf})
endforeach()

foreach(absurd 1e30 1099511627776)
  jitbf_cli_test("an absurd --tape-cells is a usage error that says what is accepted (${absurd})"
    EXIT 2 NO_STDOUT
    STDERR "jitbf: --tape-cells must be a whole number from 1 to 4294967296, not '${absurd}'\n"
    COMMAND ${jitbf} --tape-cells ${absurd} -e "+.")
endforeach()

# A program file larger than the memory allowed is reported as such, not silently cut short
# (the file is sparse: 1 GiB of NUL comments and a program after them).
if(NOT JITBF_SANITIZE)
  jitbf_cli_test("a program file larger than the memory allowed is an out-of-memory error, not cut short"
    EXIT 2 NO_STDOUT
    STDERR "jitbf: out of memory: the program is too large to compile within the memory this process may use\n"
    COMMAND bash -c "f=$(mktemp) && trap 'rm -f \"$f\"' EXIT && truncate -s 1G \"$f\" && printf '${print_a}' >> \"$f\" && ulimit -v 700000 && \"$0\" \"$f\"" ${jitbf})
endif()
