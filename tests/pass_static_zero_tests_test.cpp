// static_zero_tests: the zero tests `[>-]>[- ... >]` and `[- ... >-]>[->]`, whose pointer
// only looks data-dependent, become ifs that keep p put where the cells they rely on are
// proven to hold 1 and 0; anywhere else they stay loops.
#include "pass_test_util.hpp"

namespace pass_static_zero_tests_test {

using namespace jitbf;
using passtest::ops;
using passtest::opts_for;

namespace {
Program rewritten(std::string_view src, int bits = 8) {
    return passtest::after(src, opts_for(bits), lower_clear_loops, lower_mul_loops, defer_moves,
                           static_zero_tests);
}
bool moves(const Program& p) {
    return std::any_of(p.code.begin(), p.code.end(),
                       [](const Instr& in) { return in.op == Op::Move; });
}
}  // namespace

TEST_CASE("the zero test on a fresh tape becomes two ifs and p stays put") {
    // x = input; if x == 0, x += 3; t (1) and u (0) are the two cells after x.
    for (int bits : {8, 16, 32}) {
        CHECK(ops(rewritten(",>+<[>-]>[-<+++>>]<<.", bits)) ==
              "in [p]; add [p+1] 1; if [p] -> 5; set [p+1] 0; check [p+2]; endif; "
              "if [p+1] -> 10; set [p+1] 0; add [p] 3; check [p+2]; endif; out [p]");
    }
}

TEST_CASE("the rewritten ifs keep the positions of the brackets whose touches they make") {
    const Program p = rewritten(",>+<[>-]>[-<+++>>]<<.");
    REQUIRE(p.code.size() == 12);
    CHECK(passtest::line_col(p.code[2].pos) == "1:5");   // if [x]: the first `[`
    CHECK(passtest::line_col(p.code[3].pos) == "1:7");   // its `-`
    CHECK(passtest::line_col(p.code[4].pos) == "1:10");  // u, as the second `[` tests it
    CHECK(passtest::line_col(p.code[5].pos) == "1:8");   // the first `]`
    CHECK(passtest::line_col(p.code[6].pos) == "1:10");  // if [t]: the second `[`
    CHECK(passtest::line_col(p.code[9].pos) == "1:18");  // u, as the second `]` tests it
}

TEST_CASE("the test leftwards and the decrement-if-not-zero form are rewritten too") {
    CHECK(ops(rewritten(",<+>[<-]<[->+++<<]>>.")) ==
          "in [p]; add [p-1] 1; if [p] -> 5; set [p-1] 0; check [p-2]; endif; "
          "if [p-1] -> 10; set [p-1] 0; add [p] 3; check [p-2]; endif; out [p]");
    // if x != 0: x -= 1, and [p+3] += 1
    CHECK(ops(rewritten(",>+<[->>>+<<-]>[->]<<.")) ==
          "in [p]; add [p+1] 1; if [p] -> 7; add [p] -1; add [p+3] 1; set [p+1] 0; "
          "check [p+2]; endif; if [p+1] -> 11; set [p+1] 0; check [p+2]; endif; out [p]");
}

TEST_CASE("a test inside a loop is rewritten when its cells are back to 0 every iteration") {
    const Program p = rewritten("++++[->,>+<[>-]>[->>+<]<<<]>>>>.");
    CHECK(!moves(p));
    CHECK(p.code[1].op == Op::LoopBegin);
}

TEST_CASE("a test whose cells are not known to hold 1 and 0 keeps its loops") {
    CHECK(moves(rewritten(",>,<[>-]>[-<+++>>]<<.")));     // t from the input
    CHECK(moves(rewritten(",>+>,<<[>-]>[-<+++>>]<<.")));  // u from the input
    CHECK(moves(rewritten(",[>-]>[-<+++>>]<<.")));        // t is 0, not 1
    // In a loop that leaves t at 1 for the next iteration.
    CHECK(moves(rewritten("++++[->,>+<[>-]>[->]<<<>>+<<]>.")));
}

TEST_CASE("a test in an inner loop that learns late that u is unknown keeps its loops") {
    // u ([p+4]) gains [p+5] each outer iteration; [p+5] is input read after that: the walk
    // sees [p+5] unknown at the outer loop's start once, and u only once more, when the inner
    // loop has already settled on u = 0.
    CHECK(moves(rewritten("++++[->+[->,>+<[>-]>[->]<<<]>>>>[<+>-],<<<<<]")));
    CHECK(!moves(rewritten("++++[->+[->,>+<[>-]>[->]<<<]>>>>[<+>-]>,<<<<<<]")));  // input elsewhere
}

TEST_CASE("ops the walk knows by the op table alone keep what they do not write") {
    CHECK(!moves(rewritten(",>+<.>.<[>-]>[-<+++>>]<<.")));  // output leaves t and u known
    CHECK(moves(rewritten(",>+,<[>-]>[-<+++>>]<<.")));      // input over t = 1 forgets it
}

TEST_CASE("a body that names u, or moves p, or clears t twice is not the idiom") {
    CHECK(moves(rewritten(",>+<[>-]>[-<+++>>+]<<.")));
    CHECK(moves(rewritten(",>+<[>-]>[-<+++>[>]>]<<.")));
    CHECK(moves(rewritten(",>+<[>-]>[--<+++>>]<<.")));
    CHECK(moves(rewritten(",>+<[>-]>[-<[>+<-]+++>>]<<.")));
}

TEST_CASE("a piece of a longer run is left as it is: its tape does not start at 0") {
    Program p = passtest::parsed(",>+<[>-]>[-<+++>>]<<.");
    p.standalone = false;
    p = lower_mul_loops(lower_clear_loops(std::move(p), opts_for(8)), opts_for(8));
    p = defer_moves(std::move(p), opts_for(8));
    CHECK(moves(static_zero_tests(std::move(p), opts_for(8))));
}

TEST_CASE("rewritten zero tests run like -O0, with every input and cell width") {
    for (const std::string& input :
         std::vector<std::string>{"", std::string(1, '\0'), "\x01", "A"}) {
        passtest::same_as_O0(",>+<[>-]>[-<+++>>]<<.", input);
        passtest::same_as_O0(",>>+<[>-]>[-<+++<+>>>]<<.<.", input);
        passtest::same_as_O0(",>+<[->>>+<<-]>[->]<<.>>>.", input);
        passtest::same_as_O0(">>,<+>[<-]<[->+++<<]>>.", input);
        passtest::same_as_O0("++++[->,>+<[>-]>[->>+<]<<<]>>>>.", input + input + input + input);
    }
}

TEST_CASE("a rewritten test faults where the loops did, at either of their tests of u") {
    // u is the first cell past the end of the tape: the second loop's `[` touches it when x
    // is not 0, its `]` when x is 0.
    const std::string near_end(4094, '>');
    for (const std::string& input : std::vector<std::string>{std::string(1, '\0'), "\x01"}) {
        passtest::same_as_O0(near_end + ",>+<[>-]>[-<+++>>]<<.", input, 2, {8});
        passtest::same_as_O0(near_end + ",>+<[-<+>>-]>[->]<<.", input, 2, {8});
        passtest::same_as_O0(">,<+>[<-]<[->+++<<]>>.", input, 2, {8});
        passtest::same_as_O0(std::string(4093, '>') + ",>+<[>-]>[-<+++>>]<<.", input, 2, {8});
    }
}

}  // namespace pass_static_zero_tests_test
