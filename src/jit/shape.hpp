// The analysis that decides the shape of the code the JIT emits for an if: a pure function
// over the IR, so tests can ask it directly what the emitter will do (regalloc.hpp is the
// other such analysis).
//
// It looks at one bracket's body only, and never further than its first op that rules the
// shape out, so the emitter stays linear however it asks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "analysis.hpp"
#include "ir.hpp"

namespace jitbf::jit {

// An if whose body only multiplies its tested cell into others and clears it (what a copy
// loop becomes) does nothing when the cell is 0, so it can run without a branch on it.
// The cells such an if's body touches, its tested cell included; nothing when the IfBegin
// at `at` is not such an if. `bits` is the cell width (a clear is a Set of 0 modulo 2^bits).
std::optional<CellSpan> branch_free_cells(const Program& prog, std::size_t at, int bits);

}  // namespace jitbf::jit
