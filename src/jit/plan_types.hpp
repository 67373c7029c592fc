// The register plan's own records (regalloc.cpp): the scopes of a region, the uses of its
// cells, and the ways to hold a cell in a register that the linear scan weighs. Apart from
// regalloc.cpp only to keep that file short; nothing else includes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis.hpp"
#include "regalloc.hpp"

namespace jitbf::jit::plan_detail {

enum class Kind : std::uint8_t { Root, If, Loop };

struct Scope {
    Kind kind;
    std::size_t parent;  // kNoIndex for the root
    std::size_t open, close;
    std::size_t level;  // in the tree: the root is 0
    std::size_t loops;  // loop scopes from the root to this one, itself included
    std::size_t loop;   // the innermost loop scope, itself included (kNoIndex: none)
};

struct Use {
    std::int64_t cell;
    std::size_t index;  // of the cell, in cells_
    std::size_t op;
    std::size_t scope;
    Access access;
};

struct Cell {
    std::size_t first;  // index of its first use
    std::size_t last;   // and of its last
    std::size_t home;
    std::int64_t cost = 0;  // of its uses in memory: loads and stores, a loop's eight times
    bool written = false;
    std::vector<std::size_t> ops = {};  // of its uses, in order
};

// A way to hold one cell in one register: over its home, or over one loop inside it.
struct Candidate {
    Slot slot;
    std::size_t cell;   // in cells_
    std::int64_t gain;  // memory accesses saved, net of its own loads and stores
    std::int64_t edge;  // what one load or store where it starts or ends costs
    std::vector<Hole> holes = {};
    // Its store may sink, over its home's items, up to this op (kNoIndex: it stays put).
    std::size_t sink_limit = kNoIndex;
};

}  // namespace jitbf::jit::plan_detail
