// lower_clear_loops: which loops become `Set 0`, and how a Set merges with its neighbours.
#include "pass_test_util.hpp"

namespace pass_lower_clear_loops_test {

using namespace jitbf;
using passtest::after;
using passtest::ops;
using passtest::opts_for;

TEST_CASE("clear loop [-] becomes set 0") {
    CHECK(ops(after("[-]", opts_for(8), lower_clear_loops)) == "set [p] 0");
}

TEST_CASE("clear loop [+] becomes set 0") {
    CHECK(ops(after("[+]", opts_for(8), lower_clear_loops)) == "set [p] 0");
}

TEST_CASE("a clear loop's set keeps the position of its opening bracket") {
    Program p = after(">\n [-]", opts_for(8), lower_clear_loops);
    REQUIRE(p.code.size() == 2);
    CHECK(passtest::line_col(p.code[1].pos) == "2:2");
}

TEST_CASE("single-add loop with an odd step becomes set 0 at every width") {
    for (int bits : {8, 16, 32}) {
        CHECK(ops(after("[---]", opts_for(bits), lower_clear_loops)) == "set [p] 0");
        CHECK(ops(after("[+++++]", opts_for(bits), lower_clear_loops)) == "set [p] 0");
    }
}

TEST_CASE("even step loop [--] is kept") {
    CHECK(ops(after("[--]", opts_for(8), lower_clear_loops)) ==
          "loop [p] -> 2; add [p] -2; end [p] -> 0");
    CHECK(ops(after("[++++]", opts_for(32), lower_clear_loops)) ==
          "loop [p] -> 2; add [p] 4; end [p] -> 0");
}

TEST_CASE("a step that is even modulo 2^bits is kept: 257 is odd but 256+1 wraps to 1") {
    // 258 `+` fold to +258, which is +2 on 8-bit cells but +258 on wider ones: even either way.
    const std::string src = "[" + std::string(258, '+') + "]";
    CHECK(after(src, opts_for(8), lower_clear_loops).code.size() == 3);
    CHECK(after(src, opts_for(16), lower_clear_loops).code.size() == 3);
}

TEST_CASE("loops that move or do anything else are not clear loops") {
    CHECK(after("[->]", opts_for(8), lower_clear_loops).code.size() == 4);
    CHECK(after("[-.]", opts_for(8), lower_clear_loops).code.size() == 4);
    CHECK(after("[]", opts_for(8), lower_clear_loops).code.size() == 2);
}

TEST_CASE("nested clear loops [[-]] become one set at the outer bracket") {
    Program p = after("+[[-]]", opts_for(8), lower_clear_loops);
    CHECK(ops(p) == "set [p] 0");
    CHECK(passtest::line_col(p.code[0].pos) == "1:1");  // merged into the `+`'s place
}

TEST_CASE("set absorbs the adds before and after it, keeping the first one's position") {
    Program p = after("+++[-]--", opts_for(8), lower_clear_loops);
    CHECK(ops(p) == "set [p] 254");
    CHECK(passtest::line_col(p.code[0].pos) == "1:1");
    CHECK(ops(after("+++[-]--", opts_for(16), lower_clear_loops)) == "set [p] 65534");
}

TEST_CASE("set does not merge with a write of another cell") {
    CHECK(ops(after("+>[-]<+", opts_for(8), lower_clear_loops)) ==
          "add [p] 1; move 1; set [p] 0; move -1; add [p] 1");
}

TEST_CASE("set does not merge across an opening bracket") {
    // The body's first op is reached from the `]` too, not only from what precedes the `[`.
    CHECK(ops(after("+[[-]+>]", opts_for(8), lower_clear_loops)) ==
          "add [p] 1; loop [p] -> 4; set [p] 1; move 1; end [p] -> 1");
    CHECK(ops(after("[-[-]]", opts_for(8), lower_clear_loops)) == "set [p] 0");
}

TEST_CASE("clear loops run like -O0: wrapping, odd steps, faults at the opening bracket") {
    passtest::same_as_O0("+[---]>+++++[+++]>--[-].>[-]<<<[-]", {}, 1, {8, 16});
    passtest::same_as_O0("++++++[---]>---[+]>++[--]<[-]", {}, 1);
    passtest::same_as_O0("+++.<[-]", {}, 1);   // faults left at the `[`
    passtest::same_as_O0("+++.<+[-]", {}, 1);  // faults at the `+` merged into the set
}

}  // namespace pass_lower_clear_loops_test
