// peel_walks: a small walk whose body first adds to the cell the op before it added to runs
// its first iteration apart; nothing else does.
#include "pass_test_util.hpp"

namespace pass_peel_walks_test {

using namespace jitbf;
using passtest::ops;
using passtest::opts_for;

namespace {
Program peeled(std::string_view src) {
    return passtest::after(src, opts_for(8), lower_clear_loops, lower_scan_loops,
                           lower_mul_loops, defer_moves, peel_walks);
}
}  // namespace

TEST_CASE("the walk of the if/else idiom +[>-] runs its first iteration apart") {
    CHECK(ops(peeled(",>+<[>-]")) ==
          "in [p]; add [p+1] 1; if [p] -> 9; add [p+1] -1; move 1; loop [p] -> 8; "
          "add [p+1] -1; move 1; end [p] -> 5; endif");
}

TEST_CASE("the peeled walk's tests keep the positions of the brackets they make") {
    const Program p = peeled(",>+<[>-]");
    REQUIRE(p.code.size() == 10);
    CHECK(passtest::line_col(p.code[2].pos) == "1:5");  // the first test is the `[`
    CHECK(passtest::line_col(p.code[5].pos) == "1:8");  // later ones the `]`
    CHECK(passtest::line_col(p.code[8].pos) == "1:8");
    CHECK(passtest::line_col(p.code[9].pos) == "1:8");  // the if's end
}

TEST_CASE("walks that do not continue the add before them are left alone") {
    CHECK(peeled(",>+<[>>-]").code[2].op == Op::LoopBegin);   // the body adds to another cell
    CHECK(peeled(",>+<.[>-]").code[3].op == Op::LoopBegin);   // output between
    CHECK(peeled(",>+<[>.-]").code[2].op == Op::LoopBegin);   // output in the body
    CHECK(peeled(",>+<[>-<--]").code[2].op == Op::LoopBegin);  // a body that does not move
    CHECK(peeled(",>+<[>-[<]]").code[2].op == Op::LoopBegin);  // a loop in the body
    CHECK(peeled(",>+<[>-+>+>+>+]").code[2].op == Op::LoopBegin);  // past kMaxWalkBody ops
}

TEST_CASE("peeled walks run like -O0, faulting and stopping in their first iteration too") {
    passtest::same_as_O0(",>+<[>-]>.", "\x03");
    passtest::same_as_O0(",>+<[>-]>.", std::string(1, '\0'));
    passtest::same_as_O0("+>+>+>+<<<+[-<]>.");
    passtest::same_as_O0(",<+>[<-]", "\x01");  // the first iteration's add is left of cell 0
    passtest::same_as_O0(std::string(62, '>') + ",>+<[>-]", "\x01");  // its cell past the end
    passtest::same_as_O0(std::string(61, '>') + "+>+<[>-]", "");  // the `]` tests past the end
}

}  // namespace pass_peel_walks_test
