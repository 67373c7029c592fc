// The JIT's shape analyses (src/jit/shape.cpp), asked directly on hand-written IR: which ifs
// run without a branch and which cells their bodies touch; which loops keep their cells in
// registers, which cells those are, which ones are written back, and what is checked.
#include <doctest/doctest.h>

#include "jit/shape.hpp"
#include "jit_test_util.hpp"

using namespace jitbf;
using namespace jitbf::jit_test;

TEST_CASE("an if that only multiplies its cell into others and clears it is branch-free") {
    // if [p] { [p+2] += [p]*3; [p-4] += [p]*-1; [p] = 0 }
    const Program prog = ir({instr(Op::IfBegin, 0), instr(Op::MulAdd, 2, 3, 0),
                             instr(Op::MulAdd, -4, -1, 0), instr(Op::Set, 0, 0), instr(Op::IfEnd)});
    const auto cells = jit::branch_free_cells(prog, 0, 8);
    REQUIRE(cells);
    CHECK(*cells == CellSpan::of(-4, 2));
}

TEST_CASE("a clear counts modulo the cell width when deciding an if is branch-free") {
    // set [p] 256 is a clear at 8 bits, not at 16.
    const Program prog = ir({instr(Op::IfBegin, 0), instr(Op::MulAdd, 1, 1, 0),
                             instr(Op::Set, 0, 256), instr(Op::IfEnd)});
    CHECK(jit::branch_free_cells(prog, 0, 8));
    CHECK_FALSE(jit::branch_free_cells(prog, 0, 16));
}

TEST_CASE("an if whose body does anything else keeps its branch") {
    const std::vector<std::vector<Instr>> bodies = {
        {},                                                   // empty: nothing to save
        {instr(Op::Add, 1, 1)},                               // an add
        {instr(Op::MulAdd, 1, 1, 2), instr(Op::Set, 0, 0)},   // a multiply from another cell
        {instr(Op::MulAdd, 0, 2, 0), instr(Op::Set, 0, 0)},   // the cell into itself
        {instr(Op::MulAdd, 1, 1, 0), instr(Op::Set, 0, 1)},   // a set to non-zero
        {instr(Op::MulAdd, 1, 1, 0), instr(Op::Out, 1)},      // output
        {instr(Op::MulAdd, 1, 1, 0), instr(Op::Move, 0, 1)},  // a move
    };
    for (const std::vector<Instr>& body : bodies) {
        std::vector<Instr> code = {instr(Op::IfBegin, 0)};
        code.insert(code.end(), body.begin(), body.end());
        code.push_back(instr(Op::IfEnd));
        const Program prog = ir(code);
        CAPTURE(to_string(prog));
        CHECK_FALSE(jit::branch_free_cells(prog, 0, 8));
    }
}

TEST_CASE("a loop that stays in place gets its cells in registers, the written ones stored") {
    // loop [p] { add [p] -1; muladd [p+3] [p-1] * 2; if [p+5] { add [p+1] 1 }; check [p+9] }
    const Program prog =
        ir({instr(Op::LoopBegin, 0), instr(Op::Add, 0, -1), instr(Op::MulAdd, 3, 2, -1),
            instr(Op::IfBegin, 5), instr(Op::Add, 1, 1), instr(Op::IfEnd), instr(Op::Check, 9),
            instr(Op::LoopEnd, 0)});
    const auto loop = jit::register_loop(prog, 0);
    REQUIRE(loop);
    // In first-touch order: the test cell, the multiply's source, then its target, ...
    CHECK(loop->cells == std::vector<std::int64_t>{0, -1, 3, 5, 1});
    CHECK(loop->written == std::vector<bool>{true, false, true, false, true});
    // A Check adds to what is checked on the tape, not to the registers.
    CHECK(loop->extent == CellSpan::of(-1, 9));
}

TEST_CASE("loops that move, scan, do I/O, nest or need too many cells stay in memory") {
    const std::vector<std::vector<Instr>> bodies = {
        {instr(Op::Add, 0, -1), instr(Op::Move, 0, 1)},
        {instr(Op::Add, 0, -1), instr(Op::Scan, 1, 1)},
        {instr(Op::Add, 0, -1), instr(Op::Out, 0)},
        {instr(Op::Add, 0, -1), instr(Op::In, 1)},
        {instr(Op::Add, 0, -1), instr(Op::OutStr)},
        {instr(Op::Add, 0, -1), instr(Op::LoopBegin, 1), instr(Op::Add, 1, -1),
         instr(Op::LoopEnd, 1)},
    };
    for (const std::vector<Instr>& body : bodies) {
        std::vector<Instr> code = {instr(Op::LoopBegin, 0)};
        code.insert(code.end(), body.begin(), body.end());
        code.push_back(instr(Op::LoopEnd, 0));
        const Program prog = ir(code, {"s"});
        CAPTURE(to_string(prog));
        CHECK_FALSE(jit::register_loop(prog, 0));
    }
    for (std::size_t cells : {jit::kRegisterCells, jit::kRegisterCells + 1}) {
        std::vector<Instr> code = {instr(Op::LoopBegin, 0), instr(Op::Add, 0, -1)};
        for (std::size_t c = 1; c < cells; ++c)
            code.push_back(instr(Op::Add, static_cast<std::int32_t>(c), 1));
        code.push_back(instr(Op::LoopEnd, 0));
        CAPTURE(cells);
        CHECK(jit::register_loop(ir(code), 0).has_value() == (cells <= jit::kRegisterCells));
    }
}
