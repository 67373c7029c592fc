// What the jitbf command does with a parsed program: one function per mode (options.hpp's
// Mode), each in its own file, each returning the exit status. Each mode optimizes the
// program itself, since some watch the passes as they go.
#pragma once

#include "ir.hpp"
#include "runtime.hpp"
#include "options.hpp"
#include "source.hpp"
#include "watch.hpp"

namespace jitbf::cli {

// Runs the program on cli.opts.backend with standard input and output (run.cpp); `times`
// holds the phases so far (read, parse), for --stats.
int run_program(const Cli& cli, const Source& src, Program parsed, PhaseTimes& times);

// --check: runs it on both backends and compares the runs (check_backends.cpp).
int check_backends(const Cli& cli, const Source& src, Program parsed);

// --dump-ir: prints the IR, after the last pass or after every pass (dump_ir.cpp).
int dump_ir(const Cli& cli, const Source& src, Program parsed);

// --emit-c: prints the program as a standalone C program (emit_c.cpp).
int emit_c(const Cli& cli, const Source& src, Program parsed);

// --dump-asm: prints the JIT's code under the ops it came from (dump_asm.cpp).
int dump_asm(const Cli& cli, const Source& src, Program parsed);

// --trace, --watch: runs the -O0 IR on the stepping interpreter with standard input and
// output, the lines on stderr (stepping.cpp).
int step_program(const Cli& cli, const Source& src, Program parsed);

// --portability: runs it under every cell width and EOF mode and prints the report
// (stepping.cpp).
int portability(const Cli& cli, const Source& src, Program parsed);

// The exit status of a run that ended as `r`, after saying why it failed, if it did
// (run.cpp).
int conclude_run(const Cli& cli, const Program& prog, const RunResult& r, const Tape& tape,
                 const Output& out, const Source& src);

// --repl: reads lines of Brainfuck from standard input and runs each on one tape (repl.cpp).
int repl(const Cli& cli);

}  // namespace jitbf::cli
