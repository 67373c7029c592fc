# CLI tests of looking inside: --dump-asm, --stats, --profile and --perf-map, on both
# backends where they apply. Included by CMakeLists.txt here (jitbf_cli_test, ${jitbf} and
# the data directory come from there).

set(cli_dir ${CMAKE_CURRENT_SOURCE_DIR})
function(jitbf_script_test name)
  add_test(NAME "cli: ${name}" COMMAND bash ${ARGN} WORKING_DIRECTORY ${cli_dir}/data)
endfunction()

jitbf_script_test("--dump-asm lists every op's code at every level, width and EOF mode"
  ${cli_dir}/dump_asm_everywhere.sh ${jitbf} shapes.b)

jitbf_cli_test("--dump-asm shows offsets, bytes and instructions under each op and its source"
  EXIT 0 NO_STDERR
  STDOUT_RE "^; [0-9]+ bytes of x86-64 code for -O0, 8-bit cells, eof unchanged[^\n]*\n\n; prologue: [^\n]+\n +0:  55 +push +rbp\n.*\n; 1:4  end \\[p\\] -> 1\n;   \\+\\[>\\]\\.\n;      \\^\n +[0-9a-f]+:  80 3b 00 +cmp +byte ptr \\[rbx\\], 0x00\n +[0-9a-f]+:  75 [0-9a-f][0-9a-f] +jnz +0x[0-9a-f]+  <1:3>\n.*\n; epilogue: [^\n]+\n.*ret\n\n; fault exit: "
  COMMAND ${jitbf} -O0 --dump-asm -e "+[>].")

# A loop on registers is one stretch of the code map; still, each op heads its own code
# (the set's register load comes right under it), and a jump inside names its target op.
jitbf_cli_test("--dump-asm heads each op of a region on registers at its own code"
  EXIT 0 NO_STDERR
  STDOUT_RE "\n; 1:1  set \\[p\\] 3\n;[^\n]*\n;[^\n]*\n +[0-9a-f]+:  .*\n; 1:4  loop \\[p\\] -> 8\n.*\n; 1:6  add \\[p\\+1\\] 2\n;[^\n]*\n;[^\n]*\n +[0-9a-f]+:  .*jnz +0x[0-9a-f]+  <1:6>\n"
  COMMAND ${jitbf} -O2 --dump-asm -e "+++[>++[>+<-]<-]>>.")

# The if/else idiom's walk `+[>-]`: its first iteration, peeled (peel_walks), takes the
# value the add before it left in r8 (no load under its heading, just the decrement).
jitbf_cli_test("--dump-asm shows the first step of +[>-] using the value the add before left"
  EXIT 0 NO_STDERR
  STDOUT_RE "\n; 1:4  add \\[p\\+1\\] 1\n;[^\n]*\n;[^\n]*\n[^;]*movzx +r8d, word ptr \\[rbx\\+0x02\\]\n[^;]*inc +r8w\n[^;]*mov +word ptr \\[rbx\\+0x02\\], r8w\n\n; 1:6  if \\[p\\] -> 10\n.*\n; 1:8  add \\[p\\+1\\] -1\n;[^\n]*\n;[^\n]*\n +[0-9a-f]+:  [0-9a-f ]+dec +r8w\n"
  COMMAND ${jitbf} --cell-bits 16 -O2 --dump-asm -e ",>,+<[>-]")

# The program would echo its input and then fail off the tape, if it ran.
jitbf_cli_test("--dump-asm runs nothing and names the jump targets and runtime calls"
  EXIT 0 NO_STDERR STDIN ${programs}/rot13.in
  STDOUT_RE "<read_byte>\n +[0-9a-f]+:  ff d0 +call +rax\n.*jz +0x[0-9a-f]+  <epilogue>\n.*<put_byte>\n.*jnz +0x[0-9a-f]+  <1:3>\n"
  COMMAND ${jitbf} -O0 --dump-asm -e ",[.,]<+")

# control.b is ESC c (a terminal resets), a tab, + and BEL (it beeps). As in error messages,
# the tab is kept, and repeated in the caret line so the caret stays under its column.
jitbf_cli_test("--dump-asm escapes control bytes in the source lines it shows"
  EXIT 0 NO_STDERR
  STDOUT_RE "\n; 1:4  add \\[p\\] 1\n;   \\\\x1bc\t\\+\\\\x07\n;        \t\\^\n"
  COMMAND ${jitbf} -O0 --dump-asm control.b)
# Columns count characters, as the parser counts them: the + after "é" is column 2.
jitbf_cli_test("--dump-asm names columns in characters and puts the caret under them"
  EXIT 0 NO_STDERR
  STDOUT_RE "\n; 1:2  add \\[p\\] 1\n;   é\\+\\.\n;    \\^\n"
  COMMAND ${jitbf} -O0 --dump-asm -e "é+.")

foreach(bad "--backend;interp;--dump-asm" "--backend;interp;--perf-map" "--dump-asm;--dump-ir"
            "--check;--dump-asm" "--stats;--check" "--profile;--dump-ir" "--perf-map;--dump-asm"
            "--emit-c;--dump-asm" "--stats;--emit-c" "--profile;--emit-c" "--perf-map;--emit-c")
  string(REPLACE ";" " " shown "${bad}")
  jitbf_cli_test("options that do not go together are a one-line usage error (${shown})"
    EXIT 2 NO_STDOUT STDERR_RE "^jitbf: [^\n]+\n$"
    COMMAND ${jitbf} ${bad} -e "+.")
endforeach()

# The phases, the op counts, the code and the kernel's view of jitbf's mappings: the code
# read+execute, the tape's guards inaccessible.
set(stats_head "^jitbf: --stats\n  time \\(ms\\)\n    read +[0-9.]+\n    parse +[0-9.]+\n    lower_clear_loops +[0-9.]+\n.*    check_far_touches +[0-9.]+\n")
set(stats_ops "  IR ops +parsed +final\n    add +[0-9]+ +[0-9]+\n.*    all +[0-9]+ +[0-9]+\n")
set(stats_guards "\n +[0-9a-f]+-[0-9a-f]+  ---p +256 MiB  tape guard, left of cell 0\n +[0-9a-f]+-[0-9a-f]+  rw-p +1 MiB  tape cells\n +[0-9a-f]+-[0-9a-f]+  ---p +256 MiB  tape guard, right of the last cell")
set(stats_code "\n +[0-9a-f]+-[0-9a-f]+  r-xp +[0-9]+ KiB  code")
jitbf_cli_test("--stats shows the phases, the ops, an r-x code mapping and --- tape guards (jit)"
  EXIT 0 STDOUT "A"
  STDERR_RE "${stats_head}    codegen +[0-9.]+\n    run +[0-9.]+\n    total +[0-9.]+\n${stats_ops}  code: [0-9]+ bytes, [0-9]+ regions on registers\n.*(${stats_guards}.*${stats_code}|${stats_code}.*${stats_guards})\n"
  COMMAND ${jitbf} --stats -e "++++++++[>++++++++<-]>+.")
jitbf_cli_test("--stats shows the tape's --- guards on the interpreter too, and no code"
  EXIT 0 STDOUT "A"
  STDERR_RE "${stats_head}    decode +[0-9.]+\n    run +[0-9.]+\n.*  code: none \\(interpreter\\)\n.*${stats_guards}\n$"
  COMMAND ${jitbf} --backend interp --stats -e "++++++++[>++++++++<-]>+.")
foreach(backend jit interp)
  jitbf_cli_test("--stats counts the cells touched, those left non-zero, and bytes in and out (${backend})"
    EXIT 0 STDIN abcdef.txt STDOUT "abc"
    STDERR_RE "\n  tape: 4096 cells of 16 bits\n  cells touched: 0\\.\\.2047 \\(to the page: the tape's resident 4 KiB pages\\)\n  cells not zero at the end: 3\\.\\.5 \\(exact\\)\n  bytes in: 3, bytes out: 3\n"
    COMMAND ${jitbf} --backend ${backend} --cell-bits 16 --tape-cells 4096 --stats -e ">>>,.>,.>,.")
endforeach()

# The loop on line 7 of hot.b does most of the work, at every level and on both backends.
foreach(backend jit interp)
  foreach(level 0 2)
    jitbf_cli_test("--profile puts the hottest loop first (${backend} -O${level})"
      EXIT 0 NO_STDOUT
      STDERR_RE "^jitbf: --profile: [0-9]+ ops executed; loops by the work done in them\n +self +total +entered +iterations +where +loop\n +[0-9.]+% +[0-9.]+% +64 +1280  7:3 +\\[-->\\+<\\]\n"
      COMMAND ${jitbf} --backend ${backend} -O${level} --profile hot.b)
  endforeach()
endforeach()
jitbf_script_test("--profile gives the same report on both backends"
  ${cli_dir}/profile_same_on_both.sh ${jitbf} hot.b shapes.b ${programs}/primes.b
  ${programs}/rot13.b)

jitbf_script_test("--perf-map's symbols cover the code exactly, named by source position"
  ${cli_dir}/perf_map_covers_code.sh ${jitbf} ${programs}/fractal.b)
jitbf_script_test("perf report names the generated code by source position with --perf-map"
  ${cli_dir}/perf_report_names_code.sh ${jitbf} ${programs}/fractal.b)
set_tests_properties("cli: perf report names the generated code by source position with --perf-map"
  PROPERTIES SKIP_RETURN_CODE 77)

jitbf_cli_test("--help describes --dump-asm, --stats, --profile and --perf-map"
  EXIT 0 NO_STDERR
  STDOUT_RE "--dump-asm +print the JIT's machine code.*--stats +after the run.*--profile +after the run.*--perf-map +write /tmp/perf-PID.map"
  COMMAND ${jitbf} --help)
