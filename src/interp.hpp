// The interpreter backend: runs the IR directly, as fast as portable C++ allows.
//
// The IR is first decoded into a dense array of handler addresses and operands (direct
// threading with computed goto, one indirect jump per op). It checks every cell it touches
// against the tape's bounds itself, so it is independent of the guard pages the JIT relies
// on: that independence is what makes it a trustworthy oracle for differential tests.
#pragma once

#include <cstdint>
#include <memory>

#include "ir.hpp"
#include "jitbf/jitbf.hpp"
#include "observe.hpp"
#include "runtime.hpp"

namespace jitbf {

class Interpreter {
public:
    // `profile`: count per op as observe.hpp says (with handlers of their own).
    Interpreter(const Program& prog, const Options& opts, bool profile = false);
    ~Interpreter();
    Interpreter(Interpreter&&) noexcept;
    Interpreter& operator=(Interpreter&&) noexcept;

    // Runs on `tape` from cell `start` (on the tape), leaving the cells as they are. A
    // program run anywhere but on a fresh tape from cell 0 must be optimized as one that is
    // not standalone (Program::standalone). A non-zero Options::step_limit bounds the number
    // of loop iterations (back-edges taken) and stops the run with RunStatus::StepLimit.
    // `counts` is required when profiling (the run adds to it), and must be null otherwise.
    RunResult run(Tape& tape, Input& in, Output& out, ProfileCounts* counts = nullptr,
                  std::uint64_t start = 0) const;

    struct Impl;  // the decoded program; opaque

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace jitbf
