// The JIT's shape analysis (src/jit/shape.cpp), asked directly on hand-written IR: which ifs
// run without a branch and which cells their bodies touch, and which nested ifs are counting
// chains. Which cells live in registers is regalloc's question (jit_regalloc_test.cpp).
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

namespace {

// `depth` ifs on [p+1], each counting it down and [p+2] up, the last adding `last2` to [p+2]
// and 1 to [p+5], then `tail` (ops inside the last level, after its adds).
std::vector<Instr> chain(int depth, std::int32_t last2, const std::vector<Instr>& tail = {}) {
    std::vector<Instr> code;
    for (int d = 0; d < depth; ++d) {
        code.insert(code.end(), {instr(Op::IfBegin, 1), instr(Op::Add, 1, -1)});
        code.push_back(instr(Op::Add, 2, d + 1 == depth ? last2 : 1));
    }
    code.push_back(instr(Op::Add, 5, 1));
    code.insert(code.end(), tail.begin(), tail.end());
    for (int d = 0; d < depth; ++d) code.push_back(instr(Op::IfEnd));
    return code;
}

}  // namespace

TEST_CASE("nested ifs counting one cell down are a counting chain") {
    // fibtable.b's digit: nine levels add 1, the tenth -9 and a carry, then a transfer if.
    const std::vector<Instr> tail = {instr(Op::IfBegin, 1), instr(Op::MulAdd, 2, 1, 1),
                                     instr(Op::Set, 1, 0), instr(Op::IfEnd)};
    const Program prog = ir(chain(10, -9, tail));
    const auto c = jit::counting_chain(prog, 0);
    REQUIRE(c);
    CHECK(c->cell == 1);
    CHECK(c->depth == 10);
    CHECK(c->end == prog.code.size() - 1);
    REQUIRE(c->tail);
    CHECK(*c->tail == 31);
    CHECK(c->targets ==
          std::vector<jit::ChainTarget>{jit::ChainTarget{2, 1, -9}, jit::ChainTarget{5, 0, 1}});
    // Without a tail; and asked at an inner level, the chain from there.
    const Program plain = ir(chain(5, 1));
    const auto p = jit::counting_chain(plain, 0);
    REQUIRE(p);
    CHECK(p->depth == 5);
    CHECK_FALSE(p->tail);
    const auto inner = jit::counting_chain(plain, 3);
    REQUIRE(inner);
    CHECK(inner->depth == 4);
}

TEST_CASE("ifs that count otherwise, or add unevenly, are no counting chain") {
    CHECK_FALSE(jit::counting_chain(ir(chain(2, 1)), 0));  // too shallow to pay
    std::vector<Instr> code = chain(4, 1);
    code[4].arg = -2;  // the second level counts down by 2
    CHECK_FALSE(jit::counting_chain(ir(code), 0));
    code = chain(4, 1);
    code[5].arg = 3;  // the second level adds 3 where the others add 1
    CHECK_FALSE(jit::counting_chain(ir(code), 0));
    code = chain(4, 1);
    code[5] = instr(Op::Set, 2, 1);  // a set
    CHECK_FALSE(jit::counting_chain(ir(code), 0));
    code = chain(4, 1);
    code.insert(code.begin() + 3, instr(Op::Out, 2));  // output before the next level
    CHECK_FALSE(jit::counting_chain(ir(code), 0));
    code = chain(4, 1);
    code[3].off = 2;  // the second level tests another cell
    CHECK_FALSE(jit::counting_chain(ir(code), 0));
}

}  // namespace jit_shape_test
