// The JIT backend: a Program compiled to x86-64 machine code, run as a plain function.
//
// compile() emits the whole program once (with xbyak), copies it into pages of its own and
// makes them read+execute, never writable and executable at once. run() calls the code with
// the tape and the I/O objects as arguments, so one compiled program can run on any number
// of tapes. Off-tape touches hit the tape's guard pages and come back, through a SIGSEGV
// handler that only claims its own faults, as the same RunResult the interpreter gives.
#pragma once

#include <cstddef>
#include <memory>

#include "jitbf/jitbf.hpp"
#include "ir.hpp"
#include "runtime.hpp"

namespace jitbf {

class JitProgram {
public:
    // `prog` is optimized already (see optimize()); errors are failures to emit or map code.
    static Result<JitProgram> compile(const Program& prog, const Options& opts);

    ~JitProgram();
    JitProgram(JitProgram&&) noexcept;
    JitProgram& operator=(JitProgram&&) noexcept;
    JitProgram(const JitProgram&) = delete;
    JitProgram& operator=(const JitProgram&) = delete;

    // Runs on `tape` from cell 0, like Interpreter::run; flushes `out` before returning.
    RunResult run(Tape& tape, Input& in, Output& out) const;

    std::size_t code_size() const;  // bytes of machine code

    struct Impl;  // the code mapping and what the fault handler needs; see src/jit/

private:
    friend struct JitInternals;  // src/jit/internals.hpp: what tests look into
    explicit JitProgram(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace jitbf
