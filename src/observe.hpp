// What the backends give tools that look inside a run: a map from generated code back to
// the IR (--dump-asm, --perf-map) and per-op counts of a profiled run (--profile).
//
// Both are asked for at compile time (Instrumentation) and cost nothing otherwise: without
// a code map the emitter records nothing, and without profiling the JIT emits exactly the
// code it always does and the interpreter runs its usual handlers. Profiling does change the
// JIT's code (counters, and loops kept in memory so every iteration can be counted), so a
// profiled run counts work; it does not time the program as it normally runs.
#pragma once

#include <cstdint>
#include <vector>

namespace jitbf {

// What a compile records beyond the program itself.
struct Instrumentation {
    bool code_map = false;  // JIT: which code each op became (Executable::jit()->code_map())
    bool profile = false;   // count per op as below; runs then need a ProfileCounts
};

// Counts a profiled run adds up, one per IR op (the vector has one entry per op):
//   LoopBegin: times the loop was reached (its first test ran)
//   LoopEnd:   times its test at the bottom ran: the loop's iterations
//   IfBegin:   times its body ran
//   Scan:      cells stepped over (a scan that stops on its first cell adds 0)
//   others:    0
// Both backends count exactly the same for the same program and options; a scan cut short
// by an error adds nothing on either.
using ProfileCounts = std::vector<std::uint64_t>;

// What a stretch of generated code is.
enum class CodeKind : std::uint8_t {
    Prologue,    // the function's entry: saves registers, loads the context
    Ops,         // the code of IR ops [first_op, end_op)
    Epilogue,    // the single return path
    FaultExit,   // where the fault handler resumes a run that touched a guard page
    ErrorStubs,  // cold exits for errors the code detects itself (bounds, step limit)
    IfStubs,     // out-of-line tests of branch-free ifs (placed in batches)
};

// A stretch [begin, end) of the code (offsets from its start). The ranges of a code map are
// in code order and cover the code exactly, without gaps or overlaps; an Ops range may be
// empty (an op that needs no code, like the end of an if).
struct CodeRange {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    CodeKind kind = CodeKind::Ops;
    std::uint32_t first_op = 0;  // Ops only: several when one op's code covers more (a loop
    std::uint32_t end_op = 0;    // kept in registers is emitted in one go)
};

}  // namespace jitbf
