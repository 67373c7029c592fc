// Program to x86-64 machine code: what the emitter hands to JitProgram.
//
// The code is position-independent (relative jumps, calls through a register), so it does
// not matter where it was emitted: its pages are made executable where they are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "code_buffer.hpp"
#include "jitbf/jitbf.hpp"
#include "ir.hpp"
#include "observe.hpp"

namespace jitbf::jit {

// Where the code of an op that touches a cell starts. Sorted by code offset: the fault
// handler finds the op of a faulting instruction with a binary search.
struct OpOffset {
    std::uint32_t code = 0;
    std::uint32_t op = 0;
};

struct GeneratedCode {
    CodeBuffer code;  // read+execute; entry point at offset 0, see EntryFn
    std::vector<OpOffset> ops;
    // The fault handler resumes here with rdi = RunStatus, rsi = op index and rdx = the
    // address touched; the stub records them and leaves through the epilogue.
    std::size_t fault_exit = 0;
    // The ops' code, [body_begin, body_end): where a stop may send the code to fault_exit.
    std::size_t body_begin = 0;
    std::size_t body_end = 0;
    // Regions whose cells the code keeps in registers (see regalloc.hpp), for statistics and
    // tests.
    std::size_t register_regions = 0;
    // Ifs in them whose body's end jumps past the next if (region_paths.cpp), for tests.
    std::size_t threaded_ifs = 0;
    // What each stretch of the code is: empty unless Instrumentation::code_map.
    std::vector<CodeRange> map;
};

Result<GeneratedCode> generate(const Program& prog, const Options& opts,
                               const Instrumentation& extra = {});

}  // namespace jitbf::jit
