// Which cells the JIT keeps in registers, and where: a pure function over the IR, so tests
// can ask it directly what the emitter will do (emit_region.cpp follows the plan).
//
// A region is a run of ops, within one bracket body (or the top level), during which p stays
// put and nothing calls into the runtime: straight-line adds, sets, multiplies and checks, and
// whole loops and ifs whose bodies, at every depth, are made of the same. Inside a region a
// cell is a register, not a byte of memory: on this CPU a chain of read-modify-writes of one
// byte that a data-dependent branch leaves early (factor.b's digit code) costs several times
// what the same chain costs in registers, and on every CPU a store-to-load round trip costs
// more than a register.
//
// Each cell used in a region has one home: the innermost scope (the region, an if's body or a
// whole loop) that holds all its uses, lifted to the innermost loop around it, if any, so a
// loop loads it once rather than on every iteration. The cell is loaded where its home first
// uses it (before the loop, for a loop), unless that first use overwrites it, and stored back,
// if anything wrote it, after the loop, or after the item of the if's body or the region
// (an op, or a whole if or loop in it) that uses it last, freeing the register for the
// cells used after it. So an if whose body may not run loads and stores its own cells
// only on the path that runs it (loading every cell where the region starts would make the
// digit chains above load cells most runs never reach); for the region's own cells first use
// and start are the same work, as every op of the region's top level runs.
//
// A register must pay for its load and store: a cell gets one when its uses in memory would
// cost more loads and stores than that (a use in a loop counting eight times per loop), so a
// cell used once stays in memory, and so does a copy's source, read then cleared. Registers
// go by linear scan over the homes' intervals, which nest, outer ones first. A big region
// (a whole program's main loop, after static_zero_tests) has more cells than registers, and
// its inner loops, where the time goes, each use a few of them: so a cell may also be held
// over just one loop inside its home that uses it, when it lost its home's register, or over
// a stretch of its home's items that use it with short gaps between them (a temporary cell
// of a copy, used all over a big loop's body but densely in places), and a
// cell held around a loop it does not use lends its register to the loop's cells (a hole:
// stored before the loop, loaded after it), when that costs less than what they gain. When
// the registers still run out, the cells that gain least stay in memory for their whole home.
//
// Every cell a region touches is checked to be on the tape before it starts (emit_region.cpp),
// so nothing faults while a register holds a cell the tape has not seen yet; the ifs that
// run without a branch (branch_free_cells) run so here too, their cells being in that check.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "analysis.hpp"
#include "ir.hpp"

namespace jitbf::jit {

// Registers for cells: rsi, rdi, r8-r11, rdx, rcx, r14, r15 (the emitter's table). rax is the
// multiplier's and the address checks' scratch.
inline constexpr std::size_t kCellRegisters = 10;

// A region spans at most this many ops: keeps the plan's cost linear and the code the
// emitter duplicates (the region in memory, for a cell off the tape) bounded. A clean loop or
// if longer than this is not one item but a body to look into.
inline constexpr std::size_t kMaxRegionOps = 4096;

// One cell in one register over one home.
struct Slot {
    std::int64_t cell = 0;         // offset from p
    std::size_t reg = 0;           // index into the emitter's table, < the registers given
    std::size_t load_before = 0;   // loaded just before this op...
    bool load = true;              // ...unless its first use there overwrites it
    std::size_t store_before = 0;  // stored just before this op (a region's end: its `end`)
    bool written = false;          // only a written cell is stored back
    friend bool operator==(const Slot&, const Slot&) = default;
};

// Where a slot's cell lives in memory for a while (around a loop or if that does not use it),
// lending its register to the cells used there: stored before op `begin` (if the slot is
// written) and loaded again before op `end` (unless its home ends there).
struct Hole {
    std::int64_t cell = 0;
    std::size_t begin = 0, end = 0;
    friend bool operator==(const Hole&, const Hole&) = default;
};

struct Region {
    std::size_t begin = 0, end = 0;  // ops [begin, end)
    CellSpan extent;                 // every cell an op in it touches
    std::vector<Slot> slots;         // by load_before, outer homes first
    std::vector<Hole> holes;         // by begin
};

// May op `in` be part of a region (as itself, or inside a clean bracket)? The ops region_op
// (emit_region.cpp) knows how to run on registers; any other (a move, a scan, I/O, or an op
// added later) ends the region, so the switches over a region's ops need no case for it.
bool stays_in_region(const Instr& in);

// The runs of ops [begin, end) that may be regions (a cell named twice in them, or a loop),
// one at a time in program order
// (regions.cpp): walked as the plan asks, so no list of them is held.
struct OpSpan {
    std::size_t begin = 0, end = 0;
};
class RegionSpans {
public:
    explicit RegionSpans(const Program& prog);
    std::optional<OpSpan> next();  // none once past the last

private:
    std::optional<OpSpan> gather();  // the next span, whether or not it can gain a register
    const std::vector<Instr>& code_;
    std::vector<char> clean_;       // for each opening bracket: 1 when every op in it stays
    std::size_t i_ = 0;             // the next op to look at
    std::size_t start_ = kNoIndex;  // where the span being gathered starts, if one is
};

// The regions of `prog` that keep at least one cell in registers, in program order, with at
// most `registers` cells in registers at any op. `bits` is the cell width (for
// branch_free_cells).
std::vector<Region> plan_registers(const Program& prog, int bits,
                                   std::size_t registers = kCellRegisters);

// The same regions one at a time, planned as they are asked for: the emitter takes each
// where it reaches it, so a compile never holds the plan of the whole program (at -O1 that
// was a third of its memory: a Region and its slots for every few ops).
class RegisterPlan {
public:
    RegisterPlan(const Program& prog, int bits, std::size_t registers = kCellRegisters);
    ~RegisterPlan();
    RegisterPlan(const RegisterPlan&) = delete;
    RegisterPlan& operator=(const RegisterPlan&) = delete;
    // The next region, valid until the next call; null when there are no more.
    const Region* next();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace jitbf::jit
