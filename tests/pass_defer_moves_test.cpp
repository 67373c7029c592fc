// defer_moves: moves become offsets; loops carry the pending move and restore it.
#include "pass_test_util.hpp"

namespace pass_defer_moves_test {

using namespace jitbf;
using passtest::after;
using passtest::ops;
using passtest::opts_for;

TEST_CASE("moves inside a block become offsets") {
    CHECK(ops(after(">+>+<<-", opts_for(8), defer_moves)) ==
          "add [p+1] 1; add [p+2] 1; add [p] -1");
}

TEST_CASE("the move left at the end of the program is dropped") {
    CHECK(ops(after("+>>>", opts_for(8), defer_moves)) == "add [p] 1");
}

TEST_CASE("a loop that moves on balance tests an offset and needs no move") {
    CHECK(ops(after(">>[.-]", opts_for(8), defer_moves)) ==
          "loop [p+2] -> 3; out [p+2]; add [p+2] -1; end [p+2] -> 0");
}

TEST_CASE("a loop with a net move keeps a move before its closing bracket") {
    CHECK(ops(after(">[>.]<+", opts_for(8), defer_moves)) ==
          "loop [p+1] -> 3; out [p+2]; move 1; end [p+1] -> 0; add [p] 1");
}

TEST_CASE("ifs and scans carry the pending move") {
    Program p =
        after(">>[->+<]<[<]>-", opts_for(8), lower_scan_loops, lower_mul_loops, defer_moves);
    CHECK(ops(p) ==
          "if [p+2] -> 3; muladd [p+3] [p+2] * 1; set [p+2] 0; endif; "
          "check [p+1]; scan [p+1] step -1; add [p+2] -1");
}

TEST_CASE("a huge move is flushed instead of making a huge offset") {
    const std::string src = std::string(std::size_t{1} << 25, '>') + "+<+";
    CHECK(ops(after(src, opts_for(8), defer_moves)) == "move 33554432; add [p] 1; add [p-1] 1");
}

TEST_CASE("a pending move beyond what one Move holds comes out as several") {
    // 2^24 cells still fit an offset; the next move takes the sum past 2^31 - 1.
    Program prog;
    prog.code = {
        instr(Op::Move, 0, 1 << 24),   instr(Op::Move, 0, kMaxMove),       instr(Op::Add, 0, 1),
        instr(Op::Move, 0, -kMaxMove), instr(Op::Move, 0, -(1 << 24) - 5), instr(Op::Add, 0, 2)};
    prog = defer_moves(std::move(prog), opts_for(8));
    CHECK(ops(prog) ==
          "move 2147483647; move 16777216; add [p] 1; move -2147483647; move -16777221; "
          "add [p] 2");
}

TEST_CASE("deferred moves run like -O0, through loops, ifs and faults") {
    passtest::same_as_O0(">+>++<<[->>[->+<]<<]>>>[<+>-]<.>>>+[<]>.", {}, 1);
    passtest::same_as_O0("+[>+>+<<<+]");                   // runs off the left, in a loop
    passtest::same_as_O0(">>>,.[<+++.>[-]]<<<<.", "abc");  // faults after the output
    passtest::same_as_O0("+[>>>+<<-]", {}, 1);
}

}  // namespace pass_defer_moves_test
