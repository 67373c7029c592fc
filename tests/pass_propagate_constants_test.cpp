// propagate_constants: known cell values folded into adds, loops, ifs and output, and the
// limits that keep it sound (cells off the tape, unknown pointers, reads between writes).
#include "pass_test_util.hpp"

namespace pass_propagate_constants_test {

using namespace jitbf;
using passtest::line_col;
using passtest::ops;
using passtest::opts_for;

namespace {
// The -O2 pipeline up to and including propagate_constants (not check_far_touches).
Program known(std::string_view src, Options o = opts_for(8)) {
    return passtest::after(src, o, lower_clear_loops, lower_scan_loops, lower_mul_loops,
                           defer_moves, propagate_constants);
}
}  // namespace

TEST_CASE("add on a cell known at program start becomes set") {
    CHECK(ops(known("+++>--")) == "set [p] 3; set [p+1] 254");
    CHECK(ops(known("+++>--", opts_for(16))) == "set [p] 3; set [p+1] 65534");
}

TEST_CASE("a cell left of cell 0 is not known at program start") {
    CHECK(ops(known("<+")) == "add [p-1] 1");
}

TEST_CASE("a cell past the tape is not known at program start") {
    Options o = opts_for(8);
    o.tape_cells = 3;
    CHECK(ops(known(">>+>+", o)) == "set [p+2] 1; add [p+3] 1");
}

TEST_CASE("constant arithmetic wraps modulo 2^bits") {
    const std::string src = std::string(256, '+') + "[>+<[-]]";
    CHECK(ops(known(src, opts_for(8))) == "");
    CHECK(ops(known(src, opts_for(16))) == "set [p] 256; add [p+1] 1; set [p] 0");
}

TEST_CASE("loops that never run disappear") {
    CHECK(ops(known("+[-][.]")) == "");
    CHECK(ops(known(",[-][.]")) == "in [p]; set [p] 0");
}

TEST_CASE("a loop on an unknown cell stays") {
    CHECK(ops(known(",[.]")) == "in [p]; loop [p] -> 3; out [p]; end [p] -> 1");
}

TEST_CASE("a loop whose body ends with its cell known 0 becomes an if") {
    CHECK(ops(known(",[.[-]]")) == "in [p]; if [p] -> 4; out [p]; set [p] 0; endif");
}

TEST_CASE("a loop known to be entered and run once is inlined") {
    CHECK(ops(known(",>+[<.>[-]]")) == "in [p]; set [p+1] 1; out [p]; set [p+1] 0");
}

TEST_CASE("a multiply loop on a known control cell is folded into sets and output") {
    Program p = known("+++++[->++<]>.");
    CHECK(ops(p) == "set [p] 0; set [p+1] 10; outstr \"\\n\"");
    CHECK(line_col(p.code[0].pos) == "1:1");  // the first write of the cell keeps its place
}

TEST_CASE("muladd from an unknown cell makes its target unknown") {
    CHECK(ops(known(",[->+<]>+")) ==
          "in [p]; if [p] -> 4; muladd [p+1] [p] * 1; set [p] 0; endif; add [p+1] 1");
}

TEST_CASE("an if forgets only the cells its body writes") {
    CHECK(ops(known(",>++<[->+<]>>+")) ==
          "in [p]; set [p+1] 2; if [p] -> 5; muladd [p+1] [p] * 1; "
          "set [p] 0; endif; set [p+2] 1");
}

TEST_CASE("an if's test cell is known 0 after it when its body clears it") {
    CHECK(ops(known(",[->+<][.]")) ==
          "in [p]; if [p] -> 4; muladd [p+1] [p] * 1; set [p] 0; endif");
}

TEST_CASE("a loop that moves and runs at most once becomes an if, then nothing is known") {
    CHECK(ops(known(",>+<[>[-]]>+")) ==
          "in [p]; set [p+1] 1; if [p] -> 5; set [p+1] 0; move 1; "
          "endif; add [p+1] 1");
}

TEST_CASE("after a scan only the cell it stopped on is known") {
    CHECK(ops(known(",[>]+>+")) == "in [p]; scan [p] step 1; set [p] 1; add [p+1] 1");
}

TEST_CASE("writes nobody reads fold into the first one, which keeps its position") {
    Program p = known(",[>]>+<.>[-]+");  // the `.` prints the 0 the scan stopped on
    CHECK(ops(p) == "in [p]; scan [p] step 1; set [p+1] 1; outstr \"\\x00\"");
    CHECK(line_col(p.code[2].pos) == "1:6");
}

TEST_CASE("a read between two writes stops them from folding") {
    CHECK(ops(known(",[>]>+.[-]")) ==
          "in [p]; scan [p] step 1; add [p+1] 1; out [p+1]; set [p+1] 0");
    CHECK(ops(known(",[>]>+<[->+<]>[-]")) ==
          "in [p]; scan [p] step 1; set [p+1] 0");  // the if was dead: [p] is 0, no read
    CHECK(ops(known(",[>]>+<,[->+<]>[-]")) ==
          "in [p]; scan [p] step 1; add [p+1] 1; in [p]; if [p] -> 7; muladd [p+1] [p] * 1; "
          "set [p] 0; endif; set [p+1] 0");
}

TEST_CASE("a write after input of the same cell does not fold into an earlier one") {
    CHECK(ops(known(",[>]>+,[-]")) ==
          "in [p]; scan [p] step 1; add [p+1] 1; in [p+1]; set [p+1] 0");
}

TEST_CASE("output of known values becomes one outstr") {
    Program p = known(std::string(65, '+') + ".+.>++++++++++.");
    CHECK(ops(p) == "set [p] 66; outstr \"AB\\n\"; set [p+1] 10");
    CHECK(line_col(p.code[1].pos) == "1:66");
}

TEST_CASE("output is not joined across an op that could fault") {
    CHECK(ops(known(",[>]" + std::string(65, '+') + ".<+>.")) ==
          "in [p]; scan [p] step 1; set [p] 65; outstr \"A\"; add [p-1] 1; outstr \"A\"");
}

TEST_CASE("output is not joined across input or unknown output") {
    CHECK(ops(known("+.,>+.")) ==
          "set [p] 1; outstr \"\\x01\"; in [p]; set [p+1] 1; outstr \"\\x01\"");
    CHECK(ops(known("+.>,.<.")) ==
          "set [p] 1; outstr \"\\x01\"; in [p+1]; out [p+1]; outstr \"\\x01\"");
}

TEST_CASE("input makes a cell unknown, whatever the EOF mode") {
    for (auto eof : {EofMode::Unchanged, EofMode::Zero, EofMode::MinusOne})
        CHECK(ops(known("+,+.", opts_for(8, eof))) == "set [p] 1; in [p]; add [p] 1; out [p]");
}

TEST_CASE("a check of a cell known to be on the tape disappears") {
    CHECK(ops(known(",>[<]")) == "in [p]; scan [p+1] step -1");
    CHECK(ops(known(",<[>]")) == "in [p]; check [p-1]; scan [p-1] step 1");
    CHECK(ops(known(",[>]<<.>[<]")) == "in [p]; scan [p] step 1; out [p-2]; scan [p-1] step -1");
}

TEST_CASE("a loop forgets values but not where the tape is, if its body does not move") {
    CHECK(ops(known(">>+<<,[-->+<]<+>>>[<]")) ==
          "set [p+2] 1; in [p]; loop [p] -> 5; add [p] -2; add [p+1] 1; end [p] -> 2; "
          "add [p-1] 1; scan [p+2] step -1");
}

TEST_CASE("constant folding runs like -O0 at every width and EOF mode") {
    passtest::same_as_O0("++++++++[>++++++++<-]>+.+.<++++[->>+++<<]>>.[-]++++++++++.");
    passtest::same_as_O0(",>,<[->+<]>.>+++[<+++>-]<.,.", "ab");
    passtest::same_as_O0("+.<+>.", {});                       // the second `.` is after the fault
    passtest::same_as_O0("++++++++[>++++++++<-]>+.<<.", {});  // prints A, then faults
    passtest::same_as_O0(">+<<+>>[-]+.", {});                 // a folded write, then a fault
    passtest::same_as_O0(",[>+<-]>[<+>-]<[.[-]]+[[-].>]", "\x07");
    passtest::same_as_O0(std::string(300, '+') + "[>+<-]>.[>]<[-<+>]<.");
}

}  // namespace pass_propagate_constants_test
