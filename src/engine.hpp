// One call from a parsed program to a finished run, on either backend.
//
// This is what the CLI, --check and the end-to-end tests share: pick a backend, make the
// tape, compile, run, and hand back how the run ended together with the final tape.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "jitbf/jitbf.hpp"
#include "interp.hpp"
#include "ir.hpp"
#include "jit/jit.hpp"
#include "observe.hpp"
#include "runtime.hpp"

namespace jitbf {

// An optimized program made ready to run on one backend (machine code for the JIT, the
// decoded form for the interpreter), which then runs any number of times.
class Executable {
public:
    // `extra`: what tools want recorded beyond the program (observe.hpp).
    static Result<Executable> compile(const Program& prog, const Options& opts, Backend backend,
                                      const Instrumentation& extra = {});

    // Runs on `tape` from cell `start` (see Interpreter::run); flushes `out` before returning. The
    // run can be stopped from outside for as long as this takes (Options::timeout,
    // stop_current_run()). A program compiled with Instrumentation::profile needs `counts` (one per
    // op; the run adds to them), any other must get none.
    RunResult run(Tape& tape, Input& in, Output& out, ProfileCounts* counts = nullptr,
                  std::uint64_t start = 0) const;
    Backend backend() const;
    std::size_t code_bytes() const;  // bytes of machine code; 0 for the interpreter
    const JitProgram* jit() const;   // the JIT's program, to look at its code; or null

private:
    template <class B>
    Executable(B&& b, std::chrono::nanoseconds timeout)
        : impl_(std::forward<B>(b)), timeout_(timeout) {}
    std::variant<JitProgram, Interpreter> impl_;
    std::chrono::nanoseconds timeout_;
};

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
