// The jitbf command line: what the user asked for, parsed, checked and turned into the
// library's Options. A new option is a field here and a definition in options.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jitbf/jitbf.hpp"

namespace jitbf::cli {

// What the command does with the program once it is loaded and parsed.
enum class Mode {
    Run,      // run it on the chosen backend (the default)
    Check,    // --check: run it on both backends and compare
    DumpIr,   // --dump-ir: print the IR and exit
    EmitC,    // --emit-c: print the program as C and exit
    DumpAsm,  // --dump-asm: print the JIT's machine code and exit
    // Debugging (src/debug/): the -O0 IR on the stepping interpreter.
    Step,         // --trace, --watch: run it with a line per op or per change of a cell
    Portability,  // --portability: run it under every cell width and EOF mode, and compare
    Repl,     // --repl: read and run a line at a time on one tape (no FILE)
};

struct Cli {
    Mode mode = Mode::Run;
    std::string file;          // FILE, or "-" for standard input
    std::string code;          // -e CODE
    std::string dump_ir;       // --dump-ir: "final" or "all"
    bool stats = false;        // --stats: phases, op counts, code, tape and memory map on stderr
    bool profile = false;      // --profile: the loops that did the most work, on stderr
    bool perf_map = false;     // --perf-map: symbols for the JIT's code in /tmp/perf-PID.map
    Options opts;              // everything the library needs, complete after parse_command_line
    std::string timeout_text;  // --timeout as typed, for the message when it stops a run
    bool trace = false;        // --trace: a line per op executed, on stderr
    std::vector<std::uint64_t> watch;  // --watch=CELL: a line per change of these cells
};

// Parses argv into `cli`. Returns an exit status when the command is already done: after
// --help or --version, or after printing a usage error.
std::optional<int> parse_command_line(int argc, char** argv, Cli& cli);

}  // namespace jitbf::cli
