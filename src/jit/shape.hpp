// The analyses that decide the shape of the code the JIT emits for an if: pure functions over
// the IR, so tests can ask them directly what the emitter will do (regalloc.hpp is the other
// such analysis).
//
// It looks at one bracket's body only, and never further than its first op that rules the
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

// A counting chain: ifs nested `depth` deep on one cell c, each counting c down by one and
// adding constants to other cells, the innermost maybe ending in one more if on c (the
// tail, any body): how Brainfuck divides by a constant or reduces a digit (factor.b's and
// fibtable.b's carries, `if c {c--; d++; if c {c--; d++; ... if c {c--; d-=9; e++; if c
// {d+=c; c=0}}}}`). Where it stops depends on c, so each run mispredicts about once. Run from
// c = v, the levels that run are the first m = min(v, depth) (v unsigned), so it is, without
// a branch: c -= m, and each target cell += its add at every level but the last times m, plus
// its last level's difference from that when m = depth; then the tail, which finds c = 0
// unless m = depth. Only targets added the same at every level but the last qualify.
struct ChainTarget {
    std::int64_t cell = 0;
    std::int64_t each = 0;  // added by every level but the last
    std::int64_t last = 0;  // added by the last level
    friend bool operator==(const ChainTarget&, const ChainTarget&) = default;
};
struct Chain {
    std::int64_t cell = 0;
    std::size_t depth = 0;
    std::size_t end = 0;               // the outermost IfEnd
    std::optional<std::size_t> tail;   // the tail's IfBegin (its IfEnd is end - depth)
    std::vector<ChainTarget> targets;  // in order of first appearance
};

// Chains shorter than this keep their branches; deeper ones are not looked into further (so
// asking at every if of a long chain stays linear).
inline constexpr std::size_t kMinChainDepth = 3, kMaxChainDepth = 64;

// The chain the IfBegin at `at` starts, if it starts one of kMinChainDepth levels or more.
std::optional<Chain> counting_chain(const Program& prog, std::size_t at);

}  // namespace jitbf::jit
