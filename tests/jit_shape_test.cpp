// The JIT's shape analysis (src/jit/shape.cpp), asked directly on hand-written IR: which ifs
// run without a branch and which cells their bodies touch. Which cells live in registers is
// regalloc's question (jit_regalloc_test.cpp).
#include <doctest/doctest.h>

#include "jit/shape.hpp"
#include "jit_test_util.hpp"

namespace jit_shape_test {

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

}  // namespace jit_shape_test
