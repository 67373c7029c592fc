// peel_loops: record walks run their first iteration apart, and later iterations lose
// the guards of multiplication ifs whose cells the previous iteration proved on the tape.
#include "pass_test_util.hpp"

namespace pass_peel_loops_test {

using namespace jitbf;
using passtest::ops;
using passtest::opts_for;

namespace {
Program peeled(std::string_view src) {
    return passtest::after(src, opts_for(8), lower_clear_loops, lower_mul_loops, defer_moves,
                           peel_loops);
}
}  // namespace

TEST_CASE("a record walk's multiply if loses its guard after the first iteration") {
    // Walking left by 3, the target [p+4] is the previous iteration's tested [p+1].
    CHECK(ops(peeled("[>[->>>+<<<]<<<<]")) ==
          "if [p] -> 11; if [p+1] -> 4; muladd [p+4] [p+1] * 1; set [p+1] 0; endif; move -3; "
          "loop [p] -> 10; muladd [p+4] [p+1] * 1; set [p+1] 0; move -3; end [p] -> 6; endif");
}

TEST_CASE("the peeled loop's tests keep the source positions of the brackets they test") {
    Program p = peeled("[>[->>>+<<<]<<<<]");
    REQUIRE(p.code.size() == 12);
    CHECK(passtest::line_col(p.code[0].pos) == "1:1");   // the first test is the `[`
    CHECK(passtest::line_col(p.code[6].pos) == "1:17");  // every later one the `]`
    CHECK(passtest::line_col(p.code[10].pos) == "1:17");
}

TEST_CASE("an if reaching past what the previous iteration touched keeps its guard") {
    CHECK(ops(peeled("[>[->>>>>+<<<<<]<<<<]")) ==
          "loop [p] -> 6; if [p+1] -> 4; muladd [p+6] [p+1] * 1; set [p+1] 0; endif; move -3; "
          "end [p] -> 0");
}

TEST_CASE("an if whose cell lies ahead is unwrapped if its first muladd reads it first") {
    // Walking right by 4: [p+3] is new each time, but the muladd into [p-1] (the previous
    // iteration's [p+3]) reads it first, so it stands in for the if's test, position too.
    Program p = peeled("[>+>>[-<<<<+>>>>]>]");
    CHECK(ops(p) ==
          "if [p] -> 13; add [p+1] 1; if [p+3] -> 5; muladd [p-1] [p+3] * 1; set [p+3] 0; "
          "endif; move 4; loop [p] -> 12; add [p+1] 1; muladd [p-1] [p+3] * 1; "
          "set [p+3] 0; move 4; end [p] -> 7; endif");
    REQUIRE(p.code.size() == 14);
    CHECK(passtest::line_col(p.code[3].pos) == "1:12");  // the first iteration's own `+`
    CHECK(passtest::line_col(p.code[9].pos) == "1:6");   // later: the if's `[`
}

TEST_CASE("an if that sets another cell keeps its guard: that set depends on the cell") {
    CHECK(peeled("[>[->>>[-]+<<<]<<<<]").code.size() == 7);
}

TEST_CASE("loops that do not move, nest loops or scan are not peeled") {
    CHECK(peeled("[>[->+<]<-]").code.size() == 7);
    CHECK(peeled("[>[->>>+<<<][.>]<<<<]").code[0].op == Op::LoopBegin);
    CHECK(peeled("[>[->>>+<<<]<<<<[<]]").code[0].op == Op::LoopBegin);
}

TEST_CASE("peeled record walks run like -O0, also faulting in their first iteration") {
    passtest::same_as_O0("+>++>+++>>+>+++>>+>++>+>++++>+>+[>[->>>+<<<]<<<<]>>>>>>.");
    passtest::same_as_O0("+>+[<[-<<<+>>>]>>>>]");  // the first iteration's target is left of 0
    passtest::same_as_O0(std::string(4093, '>') + "+>+<[>[->>>+<<<]<<<<]", {}, 2, {8});
    passtest::same_as_O0(std::string(4093, '>') + "+<[>[->>>+<<<]<<<<]", {}, 2, {8});
    // Walking right, a later iteration's if tests a cell past the end, or its `]` does.
    const std::string walk = "+>>>>+>>>>+>>>>+" + std::string(12, '<') + "[>+>>[-<<<<+>>>>]>]";
    passtest::same_as_O0(std::string(4081, '>') + walk, {}, 2, {8});
    passtest::same_as_O0(std::string(4080, '>') + walk, {}, 2, {8});
    passtest::same_as_O0(std::string(4082, '>') + "+" + walk, {}, 2, {8});
    passtest::same_as_O0("+>>>+>>>>+>>>>+>>+<<<<<<<<<<<<<<<[>+>>[-<<<<+>>>>]>]");
}

}  // namespace pass_peel_loops_test
