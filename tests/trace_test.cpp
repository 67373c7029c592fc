// --trace and --watch (src/debug/trace.hpp): the lines they write, and their order with the
// program's own output when both go to one place.
#include <doctest/doctest.h>

#include <string>

#include "debug/stepper.hpp"
#include "debug/trace.hpp"
#include "parse.hpp"

namespace trace_test {

using namespace jitbf;

namespace {

// Runs `src` with a tracer whose lines and program output both land in one string, in the
// order they were written out, program output in <...>.
std::string traced(std::string_view src, debug::TraceWhat what, const std::string& input = {},
                   int bits = 8) {
    auto p = parse(src);
    REQUIRE(p);
    Options o;
    o.cell_bits = bits;
    o.tape_cells = 64;
    auto tape = Tape::create(o.tape_cells, o.cell_bits);
    REQUIRE(tape);
    std::string all;
    auto out = Output::callback([&](std::string_view s) {
        all += '<';
        all += s;
        all += '>';
        return true;
    });
    auto lines = Output::callback([&](std::string_view s) {
        all += s;
        return true;
    });
    auto in = Input::memory(input);
    debug::Tracer tracer(*p, std::move(what), out, lines);
    debug::step_run(*p, o, *tape, in, out, &tracer);
    return all;
}

}  // namespace

TEST_CASE("trace writes a line per op with its position, the pointer and the cell") {
    CHECK(traced("+++>+\n<-", {true, {}}) ==
          "trace 1:1     +3    p=0     cell=3\n"
          "trace 1:4     >1    p=1     cell=0\n"
          "trace 1:5     +1    p=1     cell=1\n"
          "trace 2:1     <1    p=0     cell=3\n"
          "trace 2:2     -1    p=0     cell=2\n");
    // A run is one step, with its net change: `>` and `<` across a newline cancel out.
    CHECK(traced("+>\n<++-", {true, {}}) ==
          "trace 1:1     +1    p=0     cell=1\n"
          "trace 2:2     +1    p=0     cell=2\n");
}

TEST_CASE("trace shows each test of a loop, and a read at the end of input") {
    CHECK(traced("+[-],", {true, {}}) ==
          "trace 1:1     +1    p=0     cell=1\n"
          "trace 1:2     [     p=0     cell=1\n"
          "trace 1:3     -1    p=0     cell=0\n"
          "trace 1:4     ]     p=0     cell=0\n"
          "trace 1:5     ,     p=0     cell=0 (end of input)\n");
}

TEST_CASE("trace says when the pointer is off the tape") {
    CHECK(traced("<", {true, {}}) == "trace 1:1     <1    p=-1    (off the tape)\n");
}

TEST_CASE("a program's output comes out before the trace line of the op that wrote it") {
    CHECK(traced("++++++++[>++++++++<-]>+.+.", {true, {}})
              .find("cell=65\n<A>trace 1:24    .     p=1     cell=65\n"
                    "trace 1:25    +1    p=1     cell=66\n<B>trace 1:26    .") !=
          std::string::npos);
}

TEST_CASE("watch writes each change of a watched cell with the op that made it") {
    CHECK(traced("++>+<[->++<]", {false, {1}}) ==
          "watch cell 1: 0 -> 1 at 1:4 (+1)\n"
          "watch cell 1: 1 -> 3 at 1:9 (+2)\n"
          "watch cell 1: 3 -> 5 at 1:9 (+2)\n");
}

TEST_CASE("watch says nothing of ops that leave the cell as it was") {
    // 256 + wrap back to 0 at 8 bits; `,` at the end of input leaves the cell.
    CHECK(traced(std::string(256, '+') + ",", {false, {0}}) == "");
    CHECK(traced(std::string(256, '+') + ",", {false, {0}}, "", 16) ==
          "watch cell 0: 0 -> 256 at 1:1 (+256)\n");
}

TEST_CASE("watch follows several cells, and reads of input into them") {
    CHECK(traced(",>,.", {false, {1, 0}}, "ab") ==
          "watch cell 0: 0 -> 97 at 1:1 (,)\n"
          "watch cell 1: 0 -> 98 at 1:3 (,)\n<b>");
}

TEST_CASE("trace shows a run as its command and net length, other ops by their IR names") {
    CHECK(debug::op_text(instr(Op::Set, 0, 0)) == "set");
    CHECK(debug::op_text(instr(Op::Add, 0, -5)) == "-5");
    CHECK(debug::op_text(instr(Op::Add, 0, amount_arg(0xffffffff))) ==
          "-1");  // as the parser keeps `-`
    CHECK(debug::op_text(instr(Op::Move, 0, 300)) == ">300");
}

}  // namespace trace_test
