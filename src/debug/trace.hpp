// --trace and --watch: a StepObserver that writes one line per op executed, and one per
// change of a watched cell, to an Output of their own (stderr in the jitbf command).
//
// The lines must come in order with the program's own output when both go to a terminal,
// so the tracer keeps one rule: when it adds a line, none of the program's output waits in
// its buffer (it flushes its lines and then the program's output first). Both buffers stay
// buffered the rest of the time, so a trace costs a formatted line per op, not a write.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "debug/stepper.hpp"
#include "ir.hpp"

namespace jitbf::debug {

struct TraceWhat {
    bool trace = false;                // a line per op
    std::vector<std::uint64_t> watch;  // cells whose changes get a line each
};

class Tracer : public StepObserver {
public:
    // Both Outputs must outlive the tracer; `program_out` is the run's own output.
    Tracer(const Program& prog, TraceWhat what, Output& program_out, Output& lines);
    void before_io(std::size_t op) override;
    void after(const Step& step) override;
    void ending() override;

private:
    void emit(const std::string& line);
    const Program& prog_;
    TraceWhat what_;
    Output& program_out_;
    Output& lines_;
    bool out_pending_ = false;  // the program wrote since the last line
};

// How an op reads in a trace: the Brainfuck it stands for at -O0 ("+3" for `+++`, "<2",
// "[", ","), or the IR op for the others ("set 0").
std::string op_text(const Instr& in);

}  // namespace jitbf::debug
