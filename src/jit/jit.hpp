// The JIT backend: a Program compiled to x86-64 machine code, run as a plain function.
//
// compile() emits the whole program once (with xbyak), copies it into pages of its own and
// makes them read+execute, never writable and executable at once. run() calls the code with
// the tape and the I/O objects as arguments, so one compiled program can run on any number
// of tapes. Off-tape touches hit the tape's guard pages and come back, through a SIGSEGV
// handler that only claims its own faults, as the same RunResult the interpreter gives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "jitbf/jitbf.hpp"
#include "ir.hpp"
#include "observe.hpp"
#include "runtime.hpp"

namespace jitbf {

namespace jit {
struct OpOffset;  // codegen.hpp
}

class JitProgram {
public:
    // `prog` is optimized already (see optimize()); errors are failures to emit or map code.
    static Result<JitProgram> compile(const Program& prog, const Options& opts,
                                      const Instrumentation& extra = {});

    ~JitProgram();
    JitProgram(JitProgram&&) noexcept;
    JitProgram& operator=(JitProgram&&) noexcept;
    JitProgram(const JitProgram&) = delete;
    JitProgram& operator=(const JitProgram&) = delete;

    // Runs on `tape` from cell `start`, like Interpreter::run; flushes `out` before returning.
    // `counts` (one per op, see observe.hpp) is required when compiled with profiling, and
    // the run adds to it; otherwise it must be null.
    RunResult run(Tape& tape, Input& in, Output& out, ProfileCounts* counts = nullptr,
                  std::uint64_t start = 0) const;

    std::size_t code_size() const;  // bytes of machine code

    // For tools that look at the code (--dump-asm, --perf-map, --stats).
    std::span<const std::uint8_t> code() const;      // as mapped, read+execute
    std::size_t mapped_bytes() const;                // whole pages
    const std::vector<CodeRange>& code_map() const;  // empty unless compiled with code_map
    std::size_t register_regions() const;            // regions that keep their cells in registers
    // Where the code of each op that touches a cell starts, and of every op of a region on
    // registers (the fault handler's table): by code offset. A region's ops appear twice
    // when it also has its copy in memory.
    std::span<const jit::OpOffset> op_starts() const;

    struct Impl;  // the code mapping and what the fault handler needs; see src/jit/

private:
    friend struct JitInternals;  // src/jit/internals.hpp: what tests look into
    explicit JitProgram(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace jitbf
