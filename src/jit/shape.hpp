// The analyses that decide the shape of the code the JIT emits for a loop or an if: pure
// functions over the IR, so tests can ask them directly what the emitter will do.
//
// Both look at one bracket's body only, and never further than its first op that rules the
// shape out, so the emitter stays linear however it asks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "analysis.hpp"
#include "ir.hpp"

namespace jitbf::jit {

// An if whose body only multiplies its tested cell into others and clears it (what a copy
// loop becomes) does nothing when the cell is 0, so it can run without a branch on it.
// The cells such an if's body touches, its tested cell included; nothing when the IfBegin
// at `at` is not such an if. `bits` is the cell width (a clear is a Set of 0 modulo 2^bits).
std::optional<CellSpan> branch_free_cells(const Program& prog, std::size_t at, int bits);

// A loop that stays in place and can keep its cells in registers while it runs.
struct RegisterLoop {
    std::vector<std::int64_t> cells;  // cells[k] lives in register k
    std::vector<bool> written;        // ... and is stored back when the loop leaves
    CellSpan extent;                  // every cell it touches, and checks
};

// Registers a loop on registers may use for its cells.
inline constexpr std::size_t kRegisterCells = 8;

// The plan for the LoopBegin at `at`: no Move, Scan, I/O or inner loop in its body (ifs
// are fine) and at most kRegisterCells cells. Nothing when the loop does not qualify.
std::optional<RegisterLoop> register_loop(const Program& prog, std::size_t at);

}  // namespace jitbf::jit
