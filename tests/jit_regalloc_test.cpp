// The JIT's register plan on IR: which runs of ops become regions, which cells get registers
// in them, and where each is loaded and stored (regalloc.hpp). What running the plan does is
// jit_region_test.cpp's.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "jit/regalloc.hpp"
#include "jit_test_util.hpp"

namespace jit_regalloc_test {

using namespace jitbf;
using namespace jitbf::jit;
using namespace jitbf::jit_test;

namespace {

std::vector<Region> plan(const std::vector<Instr>& code, std::size_t registers = kCellRegisters) {
    return plan_registers(ir(code), 8, registers);
}

// The slot of `cell` in region r (which must have one).
const Slot& slot(const Region& r, std::int64_t cell) {
    for (const Slot& s : r.slots)
        if (s.cell == cell) return s;
    FAIL("no slot for cell " << cell);
    return r.slots.front();
}

bool has_slot(const Region& r, std::int64_t cell) {
    for (const Slot& s : r.slots)
        if (s.cell == cell) return true;
    return false;
}

// At every op of region r of `code`: at most `registers` registers in use and none held by
// two cells; each hole within its cell's slot, begun after the slot is loaded, over no use of
// its cell, and apart from its cell's other holes (one begun inside another would store the
// cell from a register that no longer holds it).
void check_registers(const std::vector<Instr>& code, const Region& r, std::size_t registers) {
    auto uses = [&](std::size_t j, std::int64_t cell) {
        const Instr& in = code[j];
        return (in.op == Op::MulAdd && in.src == cell) ||
               (in.off == cell && in.op != Op::IfEnd && in.op != Op::Check);
    };
    for (const Hole& h : r.holes) {
        CAPTURE(h.cell);
        CAPTURE(h.begin);
        // The slot it lends: a cell may have several, over disjoint stretches.
        const Slot* lends = nullptr;
        for (const Slot& x : r.slots)
            if (x.cell == h.cell && x.load_before < h.begin && h.begin < x.store_before) lends = &x;
        REQUIRE(lends != nullptr);
        const Slot& s = *lends;
        CHECK(s.load_before < h.begin);
        CHECK(h.begin < h.end);
        CHECK(h.end <= s.store_before);
        for (std::size_t j = h.begin; j < h.end; ++j) CHECK_FALSE(uses(j, h.cell));
        for (const Hole& g : r.holes)
            if (&g != &h && g.cell == h.cell) CHECK((g.end <= h.begin || h.end <= g.begin));
    }
    for (std::size_t j = r.begin; j < r.end; ++j) {
        std::set<std::size_t> held;
        std::size_t count = 0;
        for (const Slot& s : r.slots) {
            if (j < s.load_before || j >= s.store_before) continue;
            bool lent = false;
            for (const Hole& h : r.holes)
                lent = lent || (h.cell == s.cell && h.begin <= j && j < h.end);
            if (lent) continue;
            CHECK(s.reg < registers);
            held.insert(s.reg);
            ++count;
        }
        CAPTURE(j);
        CHECK(held.size() == count);
    }
}

// factor.b's digit code: each if counts [p+8] down and [p+9] up; the innermost one carries
// into [p+18]. `depth` ifs, starting at index `at`.
std::vector<Instr> digit_chain(int depth) {
    std::vector<Instr> code;
    for (int d = 0; d < depth; ++d) {
        code.push_back(instr(Op::IfBegin, 8));
        code.push_back(instr(Op::Add, 8, -1));
        code.push_back(instr(Op::Add, 9, 1));
    }
    code.push_back(instr(Op::Add, 18, 1));
    for (int d = 0; d < depth; ++d) code.push_back(instr(Op::IfEnd));
    return code;
}

}  // namespace

TEST_CASE("a cell used again in straight-line code lives in a register until the region ends") {
    // 0 move, 1 add [1], 2 add [2], 3 add [1], 4 out [2]
    const auto regions = plan({instr(Op::Move, 0, 10), instr(Op::Add, 1, 1), instr(Op::Add, 2, 1),
                               instr(Op::Add, 1, 2), instr(Op::Out, 2)});
    REQUIRE(regions.size() == 1);
    const Region& r = regions[0];
    CHECK(r.begin == 1);
    CHECK(r.end == 4);  // the output ends it
    CHECK(r.extent == CellSpan::of(1, 2));
    REQUIRE(r.slots.size() == 1);  // [p+2], used once, stays in memory
    CHECK(r.slots[0] == Slot{1, 0, 1, true, 4, true});
}

TEST_CASE("code that uses no cell twice makes no region") {
    CHECK(plan({instr(Op::Add, 1, 1), instr(Op::Add, 2, 1), instr(Op::Set, 3, 0)}).empty());
    // A copy's source read and then cleared: a register would load and store it all the same.
    CHECK(plan({instr(Op::MulAdd, 2, 1, 1), instr(Op::Set, 1, 0)}).empty());
}

TEST_CASE("a lone multiply of a cell by itself still gets a register") {
    // The one op that names its cell twice: read as the source, then read and written.
    const auto regions =
        plan({instr(Op::Move, 0, 1), instr(Op::MulAdd, 0, 3, 0), instr(Op::Out, 0)});
    REQUIRE(regions.size() == 1);
    CHECK(regions[0].begin == 1);
    CHECK(regions[0].end == 2);
    CHECK(has_slot(regions[0], 0));
}

TEST_CASE("the plan one region at a time gives plan_registers' regions, then none for good") {
    const std::vector<Instr> code = {
        instr(Op::Add, 0, 1),  instr(Op::Add, 0, 2), instr(Op::Move, 0, 1), instr(Op::Add, 1, 1),
        instr(Op::Move, 0, 1), instr(Op::Set, 2, 3), instr(Op::Add, 2, 1),  instr(Op::Out, 2),
        instr(Op::Add, 5, 1),  instr(Op::Add, 5, 1)};
    const Program prog = ir(code);
    const std::vector<Region> all = plan_registers(prog, 8);
    REQUIRE(all.size() == 3);
    RegisterPlan lazy(prog, 8);
    for (const Region& r : all) {
        const Region* got = lazy.next();
        REQUIRE(got != nullptr);
        CHECK(got->begin == r.begin);
        CHECK(got->end == r.end);
        CHECK(got->slots == r.slots);
    }
    CHECK(lazy.next() == nullptr);
    CHECK(lazy.next() == nullptr);
}

TEST_CASE("moves, scans, I/O and brackets around them end regions, which form inside those") {
    const std::vector<Instr> reuse = {instr(Op::Add, 1, 1), instr(Op::Add, 1, 1)};
    for (const Instr& stop : {instr(Op::Move, 0, 1), instr(Op::Scan, 0, 1), instr(Op::In, 0),
                              instr(Op::Out, 0), instr(Op::OutStr, 0, 0)}) {
        CAPTURE(to_string(stop));
        std::vector<Instr> code = reuse;
        code.push_back(stop);
        code.insert(code.end(), reuse.begin(), reuse.end());
        const auto regions = plan(code);
        REQUIRE(regions.size() == 2);
        CHECK(regions[0].begin == 0);
        CHECK(regions[0].end == 2);
        CHECK(regions[1].begin == 3);
        CHECK(regions[1].end == 5);
    }
    // A loop whose body moves is no part of one, but the code between its moves is.
    const auto inside = plan({instr(Op::LoopBegin), instr(Op::Add, 1, 1), instr(Op::Add, 1, 1),
                              instr(Op::Move, 0, 1), instr(Op::LoopEnd)});
    REQUIRE(inside.size() == 1);
    CHECK(inside[0].begin == 1);
    CHECK(inside[0].end == 3);
}

TEST_CASE("a loop that stays in place is loaded before it and stored after it") {
    // 0 set [3] 5, 1 loop [3], 2 add [3] -1, 3 add [4] 2, 4 end [3], 5 add [5] 1
    const auto regions = plan({instr(Op::Set, 3, 5), instr(Op::LoopBegin, 3), instr(Op::Add, 3, -1),
                               instr(Op::Add, 4, 2), instr(Op::LoopEnd, 3), instr(Op::Add, 5, 1)});
    REQUIRE(regions.size() == 1);
    const Region& r = regions[0];
    CHECK(r.begin == 0);
    CHECK(r.end == 6);
    // [p+3] is used before the loop too: its home is the region, from the set, which writes
    // it, so it is not loaded; its store sinks from after its last use, the loop, to the end,
    // as no other cell wants its register. [p+4] lives in the loop, loaded even if the loop
    // never runs.
    CHECK(slot(r, 3) == Slot{3, slot(r, 3).reg, 0, false, 6, true});
    CHECK(slot(r, 4) == Slot{4, slot(r, 4).reg, 1, true, 5, true});
    CHECK(slot(r, 3).reg != slot(r, 4).reg);
    CHECK_FALSE(has_slot(r, 5));
}

TEST_CASE("an if chain keeps each cell where it is used: the deeper ifs load nothing new") {
    // 0 move, 1 if [8], 2 add [8] -1, 3 add [9] 1, 4 if [8], 5 add, 6 add, 7 if, 8, 9,
    // 10 add [18] 1, 11 endif, 12 endif, 13 endif, 14 move
    std::vector<Instr> code = {instr(Op::Move, 0, 10)};
    for (const Instr& in : digit_chain(3)) code.push_back(in);
    code.push_back(instr(Op::Move, 0, 10));
    const auto regions = plan(code);
    REQUIRE(regions.size() == 1);
    const Region& r = regions[0];
    CHECK(r.begin == 1);
    CHECK(r.end == 14);
    CHECK(r.extent == CellSpan::of(8, 18));
    // [p+8] is tested by the outer if: loaded before it, stored at the region's end. [p+9]
    // is only used in the outer if's body: loaded there, stored at its end (the IfEnd, 13),
    // so the path that skips the if neither loads nor stores it. [p+18] is used once.
    CHECK(slot(r, 8) == Slot{8, slot(r, 8).reg, 1, true, 14, true});
    CHECK(slot(r, 9) == Slot{9, slot(r, 9).reg, 3, true, 13, true});
    CHECK_FALSE(has_slot(r, 18));
}

TEST_CASE("an if inside a loop keeps its cells for the whole loop") {
    // 0 loop [0], 1 add [0] -1, 2 if [1], 3 add [2] 1, 4 endif, 5 end [0]
    const auto regions = plan({instr(Op::LoopBegin), instr(Op::Add, 0, -1), instr(Op::IfBegin, 1),
                               instr(Op::Add, 2, 1), instr(Op::IfEnd), instr(Op::LoopEnd)});
    REQUIRE(regions.size() == 1);
    for (std::int64_t cell : {0, 1, 2}) {
        CAPTURE(cell);
        CHECK(slot(regions[0], cell).load_before == 0);
        CHECK(slot(regions[0], cell).store_before == 6);
    }
    CHECK_FALSE(slot(regions[0], 1).written);
}

TEST_CASE("a branch-free if is straight-line code: its cells live in the scope around it") {
    // 0 add [1] 1, 1 if [1], 2 muladd [2] [1] * 3, 3 set [1] 0, 4 endif, 5 add [2] 1
    const auto regions =
        plan({instr(Op::Add, 1, 1), instr(Op::IfBegin, 1), instr(Op::MulAdd, 2, 3, 1),
              instr(Op::Set, 1), instr(Op::IfEnd), instr(Op::Add, 2, 1)});
    REQUIRE(regions.size() == 1);
    // [p+1] is last used by its clear in the if's body, which runs either way; its store
    // sinks from there, over the if's end, to the region's.
    CHECK(slot(regions[0], 1) == Slot{1, slot(regions[0], 1).reg, 0, true, 6, true});
    CHECK(slot(regions[0], 2) == Slot{2, slot(regions[0], 2).reg, 2, true, 6, true});
}

TEST_CASE("a cell is stored after the last op of its home that uses it, freeing its register") {
    // 0-2 add [1], 3-5 add [2], 6 out: one register, held by each cell in turn, with no hole.
    std::vector<Instr> code;
    for (std::int32_t c : {1, 2})
        for (int k = 0; k < 3; ++k) code.push_back(instr(Op::Add, c, 1));
    code.push_back(instr(Op::Out, 0));
    const auto regions = plan(code, 1);
    REQUIRE(regions.size() == 1);
    CHECK(slot(regions[0], 1) == Slot{1, 0, 0, true, 3, true});
    CHECK(slot(regions[0], 2) == Slot{2, 0, 3, true, 6, true});
    CHECK(regions[0].holes.empty());
    // An if's test is its first op: a cell last used there is stored after the whole if (or
    // later, where its store sinks to).
    // 0 add [1], 1 if [1], 2 add [2], 3 add [2], 4 endif, 5 add [3]...
    const auto tested = plan({instr(Op::Add, 1, 1), instr(Op::IfBegin, 1), instr(Op::Add, 2, 1),
                              instr(Op::Add, 2, 1), instr(Op::IfEnd), instr(Op::Add, 3, 1),
                              instr(Op::Add, 3, 1), instr(Op::Out, 0)});
    REQUIRE(tested.size() == 1);
    CHECK(slot(tested[0], 1).store_before >= 5);  // not in the body, which may not run
}

TEST_CASE("a store sinks to where its register is taken, and free registers go in turn") {
    // 0-1 add [1], 2-3 add [2], 4 out: with two registers [p+2] takes the one never used, and
    // [p+1], whose register nobody takes, is stored where the region ends.
    std::vector<Instr> code;
    for (std::int32_t c : {1, 2})
        for (int k = 0; k < 2; ++k) code.push_back(instr(Op::Add, c, 1));
    code.push_back(instr(Op::Out, 0));
    const auto two = plan(code, 2);
    REQUIRE(two.size() == 1);
    CHECK(slot(two[0], 1) == Slot{1, 0, 0, true, 4, true});
    CHECK(slot(two[0], 2) == Slot{2, 1, 2, true, 4, true});
    // With one register, [p+2] takes it where [p+1] is stored, after its last use.
    const auto one = plan(code, 1);
    REQUIRE(one.size() == 1);
    CHECK(slot(one[0], 1) == Slot{1, 0, 0, true, 2, true});
    CHECK(slot(one[0], 2) == Slot{2, 0, 2, true, 4, true});
}

TEST_CASE(
    "cells whose homes do not overlap share registers, and the ones that gain least "
    "stay in memory when they run out") {
    // Two ifs in a row, each reusing two cells of its own by turns: two registers are enough.
    std::vector<Instr> code;
    for (std::int32_t base : {10, 20}) {
        code.push_back(instr(Op::IfBegin, 0));
        for (int k = 0; k < 2; ++k)
            for (std::int32_t c = base; c < base + 2; ++c) code.push_back(instr(Op::Add, c, 1));
        code.push_back(instr(Op::IfEnd));
    }
    const auto two = plan(code, 2);
    REQUIRE(two.size() == 1);
    CHECK(two[0].slots.size() == 4);
    const auto regs = [&](std::int64_t a, std::int64_t b) {
        return std::set<std::size_t>{slot(two[0], a).reg, slot(two[0], b).reg};
    };
    CHECK(regs(10, 11).size() == 2);
    CHECK(regs(10, 11) == regs(20, 21));
    // One register per if: the cell used three times wins it in each.
    code.insert(code.begin() + 1, instr(Op::Add, 11, 1));
    const auto one = plan(code, 1);
    REQUIRE(one.size() == 1);
    CHECK(one[0].slots.size() == 2);
    CHECK(has_slot(one[0], 11));
    CHECK_FALSE(has_slot(one[0], 10));
    CHECK(plan(code, 0).empty());
}

TEST_CASE("no two cells share a register at any op, however many cells a region uses") {
    std::vector<Instr> code = {instr(Op::LoopBegin)};
    for (std::int32_t c = 1; c <= 30; ++c) {
        code.push_back(instr(Op::IfBegin, c));
        for (std::int32_t k = 0; k < c % 4; ++k) code.push_back(instr(Op::Add, c + 1, k + 1));
        code.push_back(instr(Op::IfEnd));
    }
    code.push_back(instr(Op::LoopEnd));
    const auto regions = plan(code);
    REQUIRE(regions.size() == 1);
    // More cells than registers have one: each for the stretch of the loop's body that uses it.
    CHECK(regions[0].slots.size() > kCellRegisters);
    check_registers(code, regions[0], kCellRegisters);
}

TEST_CASE("a cell that loses its register over a loop has one for a stretch of the body using it") {
    // 0 loop [0], 1 add [2], 2-5 add [1] (the stretch), 6-25 twenty other cells once each,
    // 26 add [1], 27-33 add [2], 34 end [0]; one register, which [2] wins over the loop.
    std::vector<Instr> code = {instr(Op::LoopBegin), instr(Op::Add, 2, 1)};
    for (int k = 0; k < 4; ++k) code.push_back(instr(Op::Add, 1, 1));
    for (std::int32_t c = 10; c < 30; ++c) code.push_back(instr(Op::Add, c, 1));
    code.push_back(instr(Op::Add, 1, 1));
    for (int k = 0; k < 7; ++k) code.push_back(instr(Op::Add, 2, 1));
    code.push_back(instr(Op::LoopEnd));
    const auto regions = plan(code, 1);
    REQUIRE(regions.size() == 1);
    const Region& r = regions[0];
    CHECK(slot(r, 2) == Slot{2, 0, 0, true, 35, true});
    // Not over its lone use at 26, nor (sinking) past where [2] takes the register back.
    CHECK(slot(r, 1) == Slot{1, 0, 2, true, 6, true});
    REQUIRE(r.holes.size() == 1);
    CHECK(r.holes[0] == Hole{2, 2, 6});
    check_registers(code, r, 1);
    // With the other cells gone, its last use is close enough to join the stretch.
    code.erase(code.begin() + 6, code.begin() + 26);
    const auto joined = plan(code, 1);
    REQUIRE(joined.size() == 1);
    CHECK(slot(joined[0], 1) == Slot{1, 0, 2, true, 7, true});
}

TEST_CASE("an inner loop borrows the registers of the cells around it that it does not use") {
    // 0 loop [0], 1 add [0] -1, 2 add [1] 1, 3 add [1] 1, 4 loop [2], 5 add [2] -1,
    // 6 add [3] 1, 7 end [2], 8 add [1] 1, 9 end [0]
    const std::vector<Instr> code = {
        instr(Op::LoopBegin, 0), instr(Op::Add, 0, -1), instr(Op::Add, 1, 1), instr(Op::Add, 1, 1),
        instr(Op::LoopBegin, 2), instr(Op::Add, 2, -1), instr(Op::Add, 3, 1), instr(Op::LoopEnd, 2),
        instr(Op::Add, 1, 1),    instr(Op::LoopEnd, 0)};
    const auto regions = plan(code, 2);
    REQUIRE(regions.size() == 1);
    const Region& r = regions[0];
    // [p+0] and [p+1] hold both registers for the outer loop; the inner loop's cells run
    // hotter, so the outer ones are stored before it and loaded again after it, rather than
    // one of them staying in memory all along.
    CHECK(slot(r, 0) == Slot{0, slot(r, 0).reg, 0, true, 10, true});
    CHECK(slot(r, 1) == Slot{1, slot(r, 1).reg, 0, true, 10, true});
    CHECK(slot(r, 2) == Slot{2, slot(r, 2).reg, 4, true, 8, true});
    CHECK(slot(r, 3) == Slot{3, slot(r, 3).reg, 4, true, 8, true});
    CHECK(r.holes == std::vector<Hole>{{0, 4, 8}, {1, 4, 8}});
    check_registers(code, r, 2);
    // With a register for each, nobody has to make room.
    CHECK(plan(code, 4)[0].holes.empty());
}

TEST_CASE("a cell that loses the outer loop's register still gets one in a loop that uses it") {
    // 0 loop [0], 1 add [0] -1, 2 loop [3], 3 add [3] -1, 4..7 add [0] 1, 8 end [3],
    // 9 loop [3], 10 add [3] -1, 11 add [4] 1, 12 end [3], 13 end [0]
    std::vector<Instr> code = {instr(Op::LoopBegin, 0), instr(Op::Add, 0, -1),
                               instr(Op::LoopBegin, 3), instr(Op::Add, 3, -1)};
    for (int k = 0; k < 4; ++k) code.push_back(instr(Op::Add, 0, 1));
    for (const Instr& in : {instr(Op::LoopEnd, 3), instr(Op::LoopBegin, 3), instr(Op::Add, 3, -1),
                            instr(Op::Add, 4, 1), instr(Op::LoopEnd, 3), instr(Op::LoopEnd, 0)})
        code.push_back(in);
    const auto regions = plan(code, 1);
    REQUIRE(regions.size() == 1);
    const Region& r = regions[0];
    // [p+0] gains most over the outer loop and keeps the register through the first inner
    // loop, which uses it. [p+3], the counter of both inner loops, gets it in the second.
    CHECK(slot(r, 0) == Slot{0, 0, 0, true, 14, true});
    CHECK(slot(r, 3) == Slot{3, 0, 9, true, 13, true});
    CHECK(r.holes == std::vector<Hole>{{0, 9, 13}});
    CHECK_FALSE(has_slot(r, 4));
    check_registers(code, r, 1);
}

TEST_CASE("random nested loops: registers never clash, holes cover no use of their cell") {
    std::mt19937 rng(4242);
    auto pick = [&](int lo, int hi) {
        return lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1));
    };
    std::size_t holes = 0;
    for (int n = 0; n < 2000; ++n) {
        std::vector<Instr> code;
        std::vector<std::int32_t> open;
        for (int i = pick(4, 40); i > 0; --i) {
            const std::int32_t off = pick(0, 12);
            switch (pick(0, 6)) {
            case 0:
            case 1: code.push_back(instr(Op::Add, off, pick(-2, 2))); break;
            case 2: code.push_back(instr(Op::MulAdd, off, pick(-2, 2), pick(0, 12))); break;
            case 3:
                code.push_back(instr(open.size() % 2 ? Op::IfBegin : Op::LoopBegin, off));
                open.push_back(off);
                break;
            case 4: code.push_back(instr(Op::Set, off, pick(0, 3))); break;
            default:
                if (open.empty()) break;
                code.push_back(instr(open.size() % 2 ? Op::LoopEnd : Op::IfEnd, open.back()));
                open.pop_back();
                break;
            }
        }
        while (!open.empty()) {
            code.push_back(instr(open.size() % 2 ? Op::LoopEnd : Op::IfEnd, open.back()));
            open.pop_back();
        }
        const std::size_t registers = static_cast<std::size_t>(pick(1, 4));
        CAPTURE(to_string(ir(code)));
        for (const Region& r : plan(code, registers)) {
            check_registers(code, r, registers);
            holes += r.holes.size();
        }
    }
    CHECK(holes > 500);  // the generator does make them
}

TEST_CASE("a region spans at most kMaxRegionOps ops") {
    std::vector<Instr> code;
    for (std::size_t i = 0; i < kMaxRegionOps + 10; ++i) code.push_back(instr(Op::Add, 1, 1));
    const auto regions = plan(code);
    REQUIRE(regions.size() == 2);
    CHECK(regions[0].end - regions[0].begin == kMaxRegionOps);
    CHECK(regions[1].begin == regions[0].end);
    // A loop too long for one region is looked into instead.
    std::vector<Instr> loop = {instr(Op::LoopBegin, 1)};
    for (const Instr& in : code) loop.push_back(in);
    loop.push_back(instr(Op::LoopEnd, 1));
    const auto inner = plan(loop);
    REQUIRE(inner.size() == 2);
    CHECK(inner[0].begin == 1);
}

}  // namespace jit_regalloc_test
