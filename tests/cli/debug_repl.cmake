# CLI tests of --debug, --newline and --repl (on a pseudo-terminal and on plain lines).
# Included by CMakeLists.txt here (jitbf_cli_test and ${jitbf} come from there).

foreach(backend jit interp)
  jitbf_cli_test("--debug makes # print the pointer and the cells around it to stderr (${backend})"
    EXIT 0 NO_STDOUT
    STDERR "# at 1:7, pointer at cell 1:  (cells -7..-1 off the tape)  0:3  [1:2]  2:0  3:0  4:0  5:0  6:0  7:0  8:0  9:0\n"
    COMMAND ${jitbf} --backend ${backend} --debug -e "+++>++#")
endforeach()
jitbf_cli_test("without --debug, # is a comment"
  EXIT 0 STDOUT "A" NO_STDERR
  COMMAND ${jitbf} -e "++++++++[>++++++++<-]>+#.#")
jitbf_cli_test("--debug-window sets the cells shown on each side of the pointer"
  EXIT 0 NO_STDOUT STDERR "# at 1:61, pointer at cell 1:  0:3  [1:200]  2:0\n"
  COMMAND ${jitbf} --debug --debug-window=1 -e "+++>--------------------------------------------------------#")
jitbf_cli_test("--debug-window rejects what is not a number of cells"
  EXIT 2 NO_STDOUT
  STDERR "jitbf: --debug-window must be a whole number of cells from 0 to 65536, not '-1'\n"
  COMMAND ${jitbf} --debug --debug-window=-1 -e "#")
jitbf_cli_test("--debug does not go with --emit-c"
  EXIT 2 NO_STDOUT
  STDERR "jitbf: --debug does not go with --emit-c: the C program has no tape dumps\n"
  COMMAND ${jitbf} --debug --emit-c -e "#")
jitbf_cli_test("--check --debug compares the dumps and writes them once"
  EXIT 0 STDOUT "backends agree (0 bytes of output; ok)\n"
  STDERR "# at 1:2, pointer at cell 0:  [0:1]\n"
  COMMAND ${jitbf} --check --debug --debug-window=0 -e "+#")
jitbf_script_test("--debug dumps the same, in order with the output, on every backend, level and width"
  ${cli_dir}/debug_same_everywhere.sh ${jitbf} ${programs}/hello.b ${programs}/cellwidth.b)

foreach(backend jit interp)
  jitbf_cli_test("--newline=lf reads CR LF and a lone CR as LF (${backend})"
    EXIT 0 STDIN crlf.txt STDOUT "a\nb\nc\n" NO_STDERR
    COMMAND ${jitbf} --backend ${backend} --newline=lf --eof zero -e ",[.,]")
  jitbf_cli_test("line ends are read as they are by default (${backend})"
    EXIT 0 STDIN crlf.txt STDOUT_FILE crlf.txt NO_STDERR
    COMMAND ${jitbf} --backend ${backend} --eof zero -e ",[.,]")
endforeach()
jitbf_cli_test("--newline accepts keep or lf"
  EXIT 2 NO_STDOUT STDERR "jitbf: --newline must be keep or lf, not 'crlf'\n"
  COMMAND ${jitbf} --newline=crlf -e ",")
jitbf_cli_test("--help describes --debug, --debug-window and --newline"
  EXIT 0 NO_STDERR
  STDOUT_RE "--debug +make '#' print.*--debug-window N +cells a '#' dump.*--newline keep\\|lf +what ',' reads"
  COMMAND ${jitbf} --help)

# --- --repl ------------------------------------------------------------------------------
# On a terminal: repl_pty.py runs jitbf --repl on a pseudo-terminal, one scenario a test.
function(jitbf_repl_test name scenario)
  add_test(NAME "cli: --repl: ${name}"
    COMMAND Python3::Interpreter ${cli_dir}/repl_pty.py ${jitbf} ${scenario} ${ARGN})
endfunction()
foreach(backend interp jit)
  foreach(level 0 2)
    jitbf_repl_test("a line prints the cells an earlier line set (${backend} -O${level})"
      persist --backend ${backend} -O${level})
    jitbf_repl_test("an error ends the line and keeps the session and its tape (${backend} -O${level})"
      errors --backend ${backend} -O${level})
  endforeach()
endforeach()
jitbf_repl_test("a line with an open [ waits for the lines that close it" multiline)
jitbf_repl_test(":reset zeroes the tape and the pointer" reset)
jitbf_repl_test(":tape N makes a new tape of N cells, rounded up to pages" tape)
jitbf_repl_test(":help describes the commands, and an unknown command is an error" help)
jitbf_repl_test(":quit ends the session with status 0" quit)
jitbf_repl_test("Ctrl-D at the prompt ends the session with status 0" ctrl-d)
jitbf_repl_test("Ctrl-C stops a running line or drops a typed one, and the session goes on"
  ctrl-c)
jitbf_repl_test(", reads the terminal a line at a time, Ctrl-D ending a line's input"
  input --eof zero)

# Not a terminal: the same session, plain lines, for scripts.
jitbf_cli_test("--repl runs the lines of a script on one tape, , reading the lines after"
  EXIT 1 STDIN repl_script.txt STDOUT "Aqrr"
  STDERR_RE "^p=1 +0:0 \\[1:65 'A'\\] 2:0.*p=1 +0:0 \\[1:114 'r'\\].*jitbf: repl:1:3: runtime error: cell -1 is off the tape \\(touched here\\)\n  <<\\+\n    \\^\np=0 +\\[0:0\\] 1:114 'r' 2:0 3:0 4:0 5:0 \\.\\.\\.\np=1 +0:0 \\[1:114 'r'\\] 2:0 3:0 4:0 5:0 6:0 \\.\\.\\.\n$"
  COMMAND ${jitbf} --repl)
jitbf_cli_test("--repl reading a script exits 0 when every line ran well"
  EXIT 0 STDIN repl_ok.txt STDOUT "A"
  STDERR_RE "^p=1 +0:0 \\[1:65 'A'\\]"
  COMMAND ${jitbf} --repl --backend interp)
jitbf_cli_test("--repl --debug dumps the tape at each # of a line"
  EXIT 0 STDIN repl_debug.txt NO_STDOUT
  STDERR "# at 1:4, pointer at cell 0:  (cell -1 off the tape)  [0:3]  1:0\np=0  [0:3] 1:0 2:0 3:0 4:0 5:0 ...\n# at 1:4, pointer at cell 1:  0:3  [1:2]  2:0\np=1  0:3 [1:2] 2:0 3:0 4:0 5:0 6:0 ...\n"
  COMMAND ${jitbf} --repl --debug --debug-window=1)
jitbf_cli_test("--repl takes no program"
  EXIT 2 NO_STDOUT
  STDERR "jitbf: --repl reads its lines from standard input: give no FILE or -e\n"
  COMMAND ${jitbf} --repl -e "+")
jitbf_cli_test("--repl does not go with the modes that do not run the program"
  EXIT 2 NO_STDOUT
  STDERR "jitbf: --check and --repl do not go together\n"
  COMMAND ${jitbf} --repl --check)
jitbf_cli_test("--help describes --repl"
  EXIT 0 NO_STDERR
  STDOUT_RE "--repl +read Brainfuck from standard input a line at a time"
  COMMAND ${jitbf} --help)
