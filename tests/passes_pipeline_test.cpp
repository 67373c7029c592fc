// The whole pass pipeline: -O0 and -O2 agree on tricky programs at every cell width and EOF
// mode (output, faults and their source positions, final tape), and big programs compile;
// and the in-place rewriting the passes share.
#include "pass_test_util.hpp"
#include "passes/pass_util.hpp"
#include "sample.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

namespace passes_pipeline_test {

using namespace jitbf;

TEST_CASE("-O0 faults where these programs say, so the comparisons below compare faults") {
    Options o = passtest::opts_for(8);
    o.opt_level = 0;
    o.tape_cells = 64;
    CHECK(passtest::run("+[<+]", o).fault_at == "1:4");
    CHECK(passtest::run("-[>-]", o).fault_at == "1:4");
    CHECK(passtest::run("+>+>+[<]", o).fault_at == "1:8");
    CHECK(passtest::run("<,", o).fault_at == "1:2");
}

TEST_CASE("faults off either end are reported where -O0 reports them") {
    for (const char* src : {"+[<+]", "-[>-]", "+>+>+[<]", "<[>]", "<,", "<.", "+.<+.", ",<[-]",
                            ",[->+<<+>]", "+[->>+<<<+>]", "-[>-]<[-]", "-[>->+<]",
                            "+++++[>+++++<-]>[<<+>>-]", ">+[-<<<[-]>>>]", ">+[>>[<]<-]"}) {
        passtest::same_as_O0(src, "\x03", 1);
        passtest::same_as_O0(src, "\x03", 2);
    }
}

TEST_CASE("a multiply loop's far target is touched only if the loop runs") {
    // Like Skiploop.b: a copy 4096 cells away from an empty cell never leaves the tape.
    const std::string far(4096, '<'), back(4096, '>');
    passtest::same_as_O0(">>[-" + far + "+" + back + "]<<+.", {}, 2, {8, 16, 32}, 64);
    passtest::same_as_O0(">>+[-" + far + "+" + back + "]<<+.", {}, 2, {8, 16, 32}, 64);
}

TEST_CASE("input at end of file follows each EOF mode through the optimizer") {
    passtest::same_as_O0(",.,.,+.>,-.[+]+.", "a");
    // These count a cell of -1 down to 0 at -O0: 2^32 steps at 32 bits, minutes, not a test.
    // The differential test covers 32-bit cells in every EOF mode.
    passtest::same_as_O0(",[.[-]],[.[-]],[.[-]]+.", "xy", 2, {8, 16});
    passtest::same_as_O0(">,<,[->+<]>.", "\x02", 2, {8, 16});
}

TEST_CASE("hello world variants run like -O0") {
    passtest::same_as_O0(
        "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------."
        "--------.>>+.>++.");
    passtest::same_as_O0(
        ">++++++++[-<+++++++++>]<.>>+>-[+]++>++>+++[>[->+++<<+++>]<<]>-----.>->+++..+++.>-.<<+[>["
        "+>+]>>]<--------------.>>.+++.------.--------.>+.>+.");
}

namespace {

// A program of about `bytes` bytes mixing every pattern the passes rewrite, plus deep nests.
std::string big_program(std::size_t bytes) {
    const std::string chunk =
        "+++[->++<]>[-<+>]<[-]>>,[.[-]]<<++++++[->+++++++<]>.[>]<[<]>>[-]+[>+<-]"
        "[comment]>>>+<<<[->>+<<]<<<[--->+<]>>>>[[-]>[-]<]+[>>]<<.>\n";
    std::string s;
    s.reserve(bytes + chunk.size());
    while (s.size() < bytes / 2) s += chunk;
    const std::size_t depth = (bytes - s.size()) / 4;
    s += std::string(depth, '[') + "+>-<" + std::string(depth, ']');
    return s;
}

}  // namespace

TEST_CASE("a 10 MB program of mixed patterns optimizes at every level") {
    // Sampled (sample.hpp), a third of that: the passes' code is the same at any size.
    const std::string src = big_program(static_cast<std::size_t>(test_sample::scaled(10u << 20)));
    if (src.size() < (10u << 20))
        std::cout << "a 10 MB program: sampled, " << src.size() << " bytes\n";
    const auto brackets = static_cast<std::size_t>(std::count(src.begin(), src.end(), '['));
    const auto count = [](const Program& p, Op op) {
        return static_cast<std::size_t>(std::count_if(
            p.code.begin(), p.code.end(), [op](const Instr& in) { return in.op == op; }));
    };
    for (int level : {0, 1, 2}) {
        CAPTURE(level);
        Options o = passtest::opts_for(8);
        o.opt_level = level;
        o.verify_each_pass = false;
        // No touch in this program is more than a few cells from the one before, so the last
        // pass, check_far_touches, must add no check to what the passes before it left.
        std::size_t checks_before = 0, checks_after = 0;
        Program p =
            optimize(passtest::parsed(src), o, [&](std::string_view pass, const Program& q) {
                (pass == "check_far_touches" ? checks_after : checks_before) = count(q, Op::Check);
            });
        CHECK(verify(p) == "");
        CHECK(checks_after == checks_before);
        if (level == 0) {
            // -O0 only folds runs: every bracket pair stays a loop, and there is no check.
            CHECK(count(p, Op::LoopBegin) == brackets);
            CHECK(checks_after == 0);
        } else {
            // Each chunk's clear, multiply and scan loops are lowered to other ops.
            CHECK(count(p, Op::LoopBegin) < brackets);
            CHECK(count(p, Op::Scan) > 0);
            CHECK(count(p, Op::MulAdd) > 0);
        }
    }
}

TEST_CASE("a pass rewriting in place that writes more ops than it read keeps every op in order") {
    // The Rewriter the in-place passes share: writing two ops for the first one read must
    // not overwrite the second before it is read.
    std::vector<Instr> code = {instr(Op::Add, 0, 1), instr(Op::Add, 1, 2), instr(Op::Add, 2, 3)};
    passes::Rewriter rw(code);
    const Instr first = rw.next();
    rw.push_back(instr(Op::Check, 7));
    rw.push_back(first);
    while (!rw.done()) rw.push_back(rw.next());
    rw.finish();
    REQUIRE(code.size() == 4);
    CHECK(code[0] == instr(Op::Check, 7));
    CHECK(code[1] == instr(Op::Add, 0, 1));
    CHECK(code[2] == instr(Op::Add, 1, 2));
    CHECK(code[3] == instr(Op::Add, 2, 3));
}

TEST_CASE("a pass rewriting in place can skip past a bracket's partner and drop the rest") {
    std::vector<Instr> code = {instr(Op::Add, 0, 1), instr(Op::Out), instr(Op::Add, 0, 2),
                               instr(Op::Out)};
    passes::Rewriter rw(code);
    rw.push_back(rw.next());
    rw.skip_past(2);  // index 2 of the code as it was: go on with the last Out
    rw.push_back(rw.next());
    CHECK(rw.done());
    rw.finish();
    REQUIRE(code.size() == 2);
    CHECK(code[0] == instr(Op::Add, 0, 1));
    CHECK(code[1] == instr(Op::Out));
}

}  // namespace passes_pipeline_test
