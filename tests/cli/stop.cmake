# CLI tests of stopping programs early: --timeout, --max-steps and the signals SIGINT,
# SIGTERM and SIGHUP, on both backends. Included by CMakeLists.txt here (jitbf_cli_test and
# ${jitbf} come from there). The timing and signal tests are stop.sh, which says what each
# case does; each takes about a second. Every jitbf here that could run forever if its stop
# failed runs under `timeout -k 2 10` (stop.sh does the same): a failing test must not leave
# a runaway process behind. The tests of stop.sh have a CTest timeout as well.

set(stop_sh ${CMAKE_CURRENT_SOURCE_DIR}/stop.sh)
set(bounded timeout -k 2 10)
set(stop_sh_tests "")
# A program printing "AAA": 65 '+' (the letter), then a loop printing it forever.
string(REPEAT "+" 65 letter_a)

foreach(backend jit interp)
  foreach(case spin read wait write)
    set(does_spin "spins without I/O")
    set(does_read "reads /dev/zero forever")
    set(does_wait "waits for input that never comes")
    set(does_write "writes to /dev/null forever")
    set(name "cli: --timeout stops a program that ${does_${case}} within 1.5x the limit (${backend})")
    add_test(NAME ${name} COMMAND sh ${stop_sh} $<TARGET_FILE:jitbf> timeout ${case} ${backend})
    list(APPEND stop_sh_tests ${name})
  endforeach()

  foreach(sig INT TERM HUP)
    set(name "cli: SIG${sig} during a loop without I/O keeps the output and ends by the signal (${backend})")
    add_test(NAME ${name} COMMAND sh ${stop_sh} $<TARGET_FILE:jitbf> signal ${sig} spin ${backend})
    list(APPEND stop_sh_tests ${name})
  endforeach()
  foreach(sig INT TERM HUP)
    set(name "cli: SIG${sig} while the program waits for input keeps the output and ends by the signal (${backend})")
    add_test(NAME ${name} COMMAND sh ${stop_sh} $<TARGET_FILE:jitbf> signal ${sig} wait ${backend})
    list(APPEND stop_sh_tests ${name})
  endforeach()
  set(name "cli: SIGINT while the program writes endlessly ends it by the signal (${backend})")
  add_test(NAME ${name} COMMAND sh ${stop_sh} $<TARGET_FILE:jitbf> signal INT write ${backend})
  list(APPEND stop_sh_tests ${name})
  set(name "cli: timeout -s INT 0.5 jitbf keeps the 'A' printed before a loop without I/O (${backend})")
  add_test(NAME ${name} COMMAND sh ${stop_sh} $<TARGET_FILE:jitbf> timeout-command ${backend})
  list(APPEND stop_sh_tests ${name})

  jitbf_cli_test("--max-steps stops the program at its Nth loop iteration, with one line (${backend})"
    EXIT 1 STDOUT "AAA"
    STDERR "jitbf: -e:1:68: stopped: step limit of 3 reached (--max-steps)\n"
    COMMAND ${bounded} ${jitbf} --backend ${backend} --max-steps 3 -e "${letter_a}[.]")

  # The scan [<] takes 11 steps as a loop at -O0; at -O2 it is a scan op, which takes none.
  set(scan ">+>+>+>+>+>+>+>+>+>+>+>+[<]++++++[>++++++++<-]>.")
  jitbf_cli_test("--max-steps counts a scan's steps at -O0 (${backend})"
    EXIT 1 NO_STDOUT
    STDERR "jitbf: -e:1:27: stopped: step limit of 10 reached (--max-steps)\n"
    COMMAND ${bounded} ${jitbf} --backend ${backend} -O0 --max-steps 10 -e "${scan}")
  jitbf_cli_test("--max-steps counts no steps for a loop -O2 made a scan (${backend})"
    EXIT 0 STDOUT "1" NO_STDERR
    COMMAND ${bounded} ${jitbf} --backend ${backend} -O2 --max-steps 10 -e "${scan}")

  jitbf_cli_test("a program that ends before its --timeout runs to its end (${backend})"
    EXIT 0 STDOUT_FILE ${programs}/hello.out NO_STDERR
    COMMAND ${jitbf} --backend ${backend} --timeout 60 ${programs}/hello.b)

  jitbf_cli_test("a reader that closes the pipe still ends the run quietly with status 0 (${backend})"
    EXIT 0 STDOUT "AAAAAAAAAA" NO_STDERR
    COMMAND bash -c "set -o pipefail; timeout -k 2 10 \"$0\" --backend $1 -e '${letter_a}[.]' | head -c 10"
            ${jitbf} ${backend})
endforeach()

foreach(sig INT TERM HUP)
  set(name "cli: SIG${sig} while no program runs ends jitbf at once by the signal")
  add_test(NAME ${name} COMMAND sh ${stop_sh} $<TARGET_FILE:jitbf> signal-idle ${sig})
  list(APPEND stop_sh_tests ${name})
endforeach()

jitbf_cli_test("--timeout 0 and --max-steps 0 mean no limit"
  EXIT 0 STDOUT_FILE ${programs}/hello.out NO_STDERR
  COMMAND ${jitbf} --timeout 0 --max-steps 0 ${programs}/hello.b)

foreach(bad -1 abc 1e10 nan inf 1s)
  jitbf_cli_test("--timeout '${bad}' is a one-line usage error"
    EXIT 2 NO_STDOUT
    STDERR "jitbf: --timeout must be a number of seconds from 0 (no limit) to 1e9, not '${bad}'\n"
    COMMAND ${jitbf} --timeout=${bad} -e "+")
endforeach()

foreach(bad -1 +5 x 1.5 18446744073709551616)
  jitbf_cli_test("--max-steps '${bad}' is a one-line usage error"
    EXIT 2 NO_STDOUT
    STDERR "jitbf: --max-steps must be a whole number of loop iterations, 0 for no limit, not '${bad}'\n"
    COMMAND ${jitbf} --max-steps=${bad} -e "+")
endforeach()

jitbf_cli_test("--timeout takes fractions and keeps them in its message"
  EXIT 1 NO_STDOUT
  STDERR_RE "^jitbf: -e:1:[23]: stopped: time limit of 0.25 s reached \\(--timeout\\)\n$"
  COMMAND ${bounded} ${jitbf} --timeout 0.25 -e "+[]")

jitbf_cli_test("--check compares runs that --max-steps stops"
  EXIT 0 NO_STDERR STDOUT "backends agree (3 bytes of output; step limit reached at 1:68)\n"
  COMMAND ${bounded} ${jitbf} --check --max-steps 3 -e "${letter_a}[.]")

jitbf_cli_test("--check reports a --timeout that runs out instead of comparing"
  EXIT 1 NO_STDOUT
  STDERR_RE "^jitbf: -e:1:[23]: stopped: time limit of 0.2 s reached \\(--timeout\\)\n$"
  COMMAND ${bounded} ${jitbf} --check --timeout 0.2 -e "+[]")

jitbf_cli_test("--help describes --timeout and --max-steps"
  EXIT 0 NO_STDERR
  STDOUT_RE "--timeout SECONDS +stop the program after SECONDS of wall-clock time.*--max-steps N +stop the program at its Nth loop iteration"
  COMMAND ${jitbf} --help)

set_tests_properties(${stop_sh_tests} PROPERTIES TIMEOUT 60)
