// One call from a parsed program to a finished run, on either backend.
//
// This is what the CLI, --check and the end-to-end tests share: pick a backend, make the
// tape, compile, run, and hand back how the run ended together with the final tape.
#pragma once

#include <cstdint>
#include <string_view>

#include "jitbf/error.hpp"
#include "jitbf/ir.hpp"
#include "jitbf/options.hpp"
#include "jitbf/runtime.hpp"

namespace jitbf {

enum class Backend : std::uint8_t {
    Jit,     // x86-64 machine code
    Interp,  // the direct-threaded interpreter
};

std::string_view backend_name(Backend b);

struct Execution {
    RunResult result;
    Tape tape;  // as the program left it
};

// Runs an optimized program (see optimize()). Errors here are setup failures (the tape
// cannot be mapped, the code cannot be compiled), not the program's own runtime errors,
// which are in Execution::result. Output is flushed before this returns.
Result<Execution> execute(const Program& prog, const Options& opts, Backend backend, Input& in,
                          Output& out);

}  // namespace jitbf
