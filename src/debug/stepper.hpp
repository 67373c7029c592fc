// The stepping interpreter: runs a program one IR op at a time and tells an observer what
// each op did. --trace, --watch and --portability are observers of it.
//
// It is a second interpreter on purpose. The main one (interp.cpp) is the benchmark
// baseline and the JIT's oracle, shaped for speed (decoded handlers, fused ops); a hook per
// op would slow it for everyone. This one is a plain switch over the IR, with the same
// semantics: a cell touched off the tape is an error at the op that touched it, `,` at the
// end of input follows Options::eof, cells wrap at Options::cell_bits, Options::step_limit
// counts loop back-edges exactly as the main interpreter does, and Options::timeout and
// stop_current_run() stop it. A differential test holds the two to the same output, ending
// and final tape.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ir.hpp"
#include "jitbf/jitbf.hpp"
#include "runtime.hpp"

namespace jitbf::debug {

// What one op did. The fields that do not apply keep their defaults.
struct Step {
    std::size_t op = 0;       // index into Program::code
    std::int64_t p = 0;       // the pointer after the op
    bool on_tape = false;     // is cell p on the tape (a move may leave the pointer off it)?
    std::uint32_t value = 0;  // cell p's value after the op, if it is on the tape
    // The cell the op stored into (Add, Set, MulAdd, In unless it left the cell at EOF).
    bool wrote = false;
    std::int64_t cell = 0;
    std::uint32_t old_value = 0, new_value = 0;
    // Add, MulAdd: the stored value before it wrapped modulo 2^bits (old + amount), so the
    // cell wrapped below 0 when it is negative and above the top when it is past it.
    std::int64_t exact = 0;
    // The cells the op touched, lowest and highest (a scan touches every cell it visits).
    bool touched = false;
    std::int64_t lo = 0, hi = 0;
    bool at_eof = false;  // an In that found the end of input
};

class StepObserver {
public:
    virtual ~StepObserver() = default;
    // Before an op that reads input or writes output, once its cell is known to be on the
    // tape: where an observer that writes elsewhere puts its own lines in order with the
    // program's I/O.
    virtual void before_io(std::size_t /*op*/) {}
    // After each op that completed (not the one a run stopped or failed at).
    virtual void after(const Step& step) = 0;
    // When the run ends, however it ends, before the program's output is flushed a last time.
    virtual void ending() {}
};

// Runs `prog` on `tape` (its cell width is the run's) from cell 0 with opts.eof,
// opts.step_limit and opts.timeout; flushes `out` before returning. `observer` may be null.
RunResult step_run(const Program& prog, const Options& opts, Tape& tape, Input& in, Output& out,
                   StepObserver* observer);

}  // namespace jitbf::debug
