// The contract between generated code and C++: the run context the code gets as its
// second argument, and the I/O trampolines it calls.
//
// The code keeps nothing but the cell pointer in registers; everything else about a run
// (I/O objects, tape bounds for explicit checks, the step budget, how the run ended) lives
// here and is reached through the context register, so no data address is baked into code.
// Plain standard-layout struct: the emitter addresses its fields with offsetof.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "jitbf/jitbf.hpp"
#include "runtime.hpp"

namespace jitbf::jit {

struct RunContext {
    Input* in = nullptr;
    Output* out = nullptr;
    const std::vector<std::string>* strings = nullptr;  // OutStr's constants
    const std::uint8_t* tape_begin = nullptr;           // cell 0, for explicit checks
    const std::uint8_t* tape_end = nullptr;             // one past the last cell
    std::uint64_t step_limit = 0;                       // loaded once by the prologue
    std::uint64_t status = 0;                           // RunStatus, set by the error exits
    std::uint64_t op = 0;                               // op index that stopped the run
    std::uintptr_t touched = 0;                         // tape errors: the address touched
    std::uintptr_t pointer = 0;                         // the cell pointer, stored at the exit
    EofMode eof = EofMode::Unchanged;
    Newline newline = Newline::Keep;
    int cell_bits = 8;
    // Dumps (Options::debug) only: the options, and every op's source position.
    const Options* opts = nullptr;
    const SourcePos* positions = nullptr;
    // Profiled code only (Instrumentation::profile): its counters, one per op, and where
    // the scan being counted started.
    std::uint64_t* counts = nullptr;
    const std::uint8_t* scan_start = nullptr;
};

// The generated function: System V ABI, returns when the program ends or fails.
// `start` is the cell the run starts at (cell 0 for a whole program).
using EntryFn = void (*)(std::uint8_t* start, RunContext* ctx);

// Trampolines the code calls. Each returns false when the run must stop, having recorded
// OutputClosed and `op` in the context; the code then leaves through its epilogue.
bool put_byte(RunContext* ctx, std::uint32_t byte, std::uint32_t op);     // Out
bool put_string(RunContext* ctx, std::uint32_t index, std::uint32_t op);  // OutStr
bool read_byte(RunContext* ctx, std::uint8_t* cell, std::uint32_t op);    // In
// Dump: `cell` is the address of the pointer's cell, which it does not touch.
bool dump_tape(RunContext* ctx, const std::uint8_t* cell, std::uint32_t op);

}  // namespace jitbf::jit
