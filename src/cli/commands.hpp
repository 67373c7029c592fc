// What the jitbf command does with a parsed program: one function per mode (options.hpp's
// Mode), each in its own file, each returning the exit status. Each mode optimizes the
// program itself, since some watch the passes as they go.
#pragma once

#include "ir.hpp"
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

// --repl: reads lines of Brainfuck from standard input and runs each on one tape (repl.cpp).
int repl(const Cli& cli);

}  // namespace jitbf::cli
