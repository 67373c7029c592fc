// peel_loops: record walks run their first iteration apart, and later iterations lose
// the guards of multiplication ifs whose cells the previous iteration proved on the tape.
#include "pass_test_util.hpp"

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
}
