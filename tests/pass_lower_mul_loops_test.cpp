// lower_mul_loops: multiplication loops, their factors modulo 2^bits, and fault order.
#include "pass_test_util.hpp"

namespace pass_lower_mul_loops_test {

using namespace jitbf;
using passtest::after;
using passtest::line_col;
using passtest::ops;
using passtest::opts_for;

namespace {
Program mul(std::string_view src, int bits = 8) {
    return after(src, opts_for(bits), lower_clear_loops, lower_mul_loops);
}
}  // namespace

TEST_CASE("copy loop [->+<] becomes a muladd inside an if on the control cell") {
    CHECK(ops(mul("[->+<]")) == "if [p] -> 3; muladd [p+1] [p] * 1; set [p] 0; endif");
}

TEST_CASE("multiply loop adds the per-iteration amount times the control value") {
    CHECK(ops(mul("[->+++>--<<]")) ==
          "if [p] -> 4; muladd [p+1] [p] * 3; muladd [p+2] [p] * -2; set [p] 0; endif");
}

TEST_CASE("multiply loop counting up negates the factors") {
    CHECK(ops(mul("[+>++<]")) == "if [p] -> 3; muladd [p+1] [p] * -2; set [p] 0; endif");
}

TEST_CASE("multiply loop with step -3 uses the inverse of 3 modulo 2^bits") {
    // c iterations of -3 reach 0 after c * inv(3) steps, so +1 per step is c * inv(3).
    CHECK(ops(mul("[--->+<]", 8)) == "if [p] -> 3; muladd [p+1] [p] * -85; set [p] 0; endif");
    for (int bits : {8, 16, 32}) {
        Program p = mul("[--->+<]", bits);
        REQUIRE(p.code.size() == 4);
        const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
        CHECK(((static_cast<std::uint64_t>(p.code[1].arg) * 3) & mask) == 1);
    }
    CHECK(ops(mul("[--->+<]", 16)) == "if [p] -> 3; muladd [p+1] [p] * -21845; set [p] 0; endif");
}

TEST_CASE("even step multiply loop is kept") { CHECK(mul("[-->+<]").code.size() == 6); }

TEST_CASE("loops that do not return to their cell or do I/O are not multiplications") {
    CHECK(mul("[->+]").code.size() == 5);
    CHECK(mul("[->.<]").code.size() == 6);
    CHECK(mul("[->[>]<]").code.size() > 4);
    CHECK(mul("[>+<]").code.size() == 5);  // the control cell never changes
}

TEST_CASE("lowered ops follow the body's first touches, with their positions") {
    Program p = mul("[>+<-<<++>>]");
    CHECK(ops(p) == "if [p] -> 4; muladd [p+1] [p] * 1; muladd [p-2] [p] * 2; set [p] 0; endif");
    CHECK(line_col(p.code[0].pos) == "1:1");
    CHECK(line_col(p.code[1].pos) == "1:3");
    CHECK(line_col(p.code[2].pos) == "1:8");
    CHECK(line_col(p.code[3].pos) == "1:5");
}

TEST_CASE("a target whose adds cancel out is still touched") {
    CHECK(ops(mul("[->+<>-<]")) == "if [p] -> 3; check [p+1]; set [p] 0; endif");
}

TEST_CASE("a target the body sets ends at its last set plus later adds") {
    CHECK(ops(mul("[->[-]++<]")) == "if [p] -> 3; set [p+1] 2; set [p] 0; endif");
}

TEST_CASE("the control cell may be at an offset written with moves around it") {
    CHECK(ops(mul(">[<+>-]")) == "move 1; if [p] -> 4; muladd [p-1] [p] * 1; set [p] 0; endif");
}

TEST_CASE("multiply loops run like -O0, and touch nothing when the control cell is 0") {
    passtest::same_as_O0("+++++[->+++>--<<]>>[+<+>]");
    passtest::same_as_O0("+++[--->+<]>>+++++++[+++++>++<]", {}, 2, {8, 16});
    passtest::same_as_O0(",[->+<<+>]", "\x05");  // faults left at the first iteration's `<`
    passtest::same_as_O0("[-<+>]+");             // control 0: the far target is never touched
    passtest::same_as_O0(">>[-<<<<+>>>>]<<.");   // likewise, at an offset
    passtest::same_as_O0(">+[-<<+>>]");          // the target faults
    passtest::same_as_O0("+[->+<<<+>>]");        // the first target is fine, the second faults
    passtest::same_as_O0("++[->.<]");            // not lowered: output in the body
}

}  // namespace pass_lower_mul_loops_test
