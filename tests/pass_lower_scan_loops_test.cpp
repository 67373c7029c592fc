// lower_scan_loops: move-only loops become Scan, and keep -O0's fault positions.
#include "pass_test_util.hpp"

namespace pass_lower_scan_loops_test {

using namespace jitbf;
using passtest::after;
using passtest::line_col;
using passtest::ops;
using passtest::opts_for;

TEST_CASE("scan loop [>] becomes a scan with stride 1, checked at its opening bracket") {
    Program p = after("[>]", opts_for(8), lower_scan_loops);
    CHECK(ops(p) == "check [p]; scan [p] step 1");
    CHECK(line_col(p.code[0].pos) == "1:1");  // the first test is the `[`'s
    CHECK(line_col(p.code[1].pos) == "1:3");  // every later one the `]`'s
}

TEST_CASE("scan loops of any stride and direction become scans") {
    CHECK(ops(after("+[<<]", opts_for(8), lower_scan_loops)) == "add [p] 1; scan [p] step -2");
    CHECK(ops(after("+[>>>]", opts_for(8), lower_scan_loops)) == "add [p] 1; scan [p] step 3");
    CHECK(ops(after("+[<>>]", opts_for(8), lower_scan_loops)) == "add [p] 1; scan [p] step 1");
}

TEST_CASE("no check before a scan when the op before touched its cell") {
    CHECK(ops(after(",[>]", opts_for(8), lower_scan_loops)) == "in [p]; scan [p] step 1");
    CHECK(ops(after(">,<[>]", opts_for(8), lower_scan_loops)) ==
          "move 1; in [p]; move -1; check [p]; scan [p] step 1");
}

TEST_CASE("the first op of a loop body does not count as touching the scanned cell") {
    CHECK(ops(after("[[<]+]", opts_for(8), lower_scan_loops)) ==
          "loop [p] -> 4; check [p]; scan [p] step -1; add [p] 1; end [p] -> 0");
}

TEST_CASE("loops with anything besides one move are not scans") {
    CHECK(after("[>+]", opts_for(8), lower_scan_loops).code.size() == 4);
    CHECK(after("[>.]", opts_for(8), lower_scan_loops).code.size() == 4);
}

TEST_CASE("scans run like -O0, including off the tape at either bracket") {
    passtest::same_as_O0("+>+>+>>+[<]+[>]<[>>]+[<<]", {}, 1);
    passtest::same_as_O0("+>+>+[<]", {}, 1);  // runs off the left: the `]` faults
    passtest::same_as_O0("<[>]", {}, 1);      // the `[` itself faults
    passtest::same_as_O0("+[>+]", {}, 1);     // not a scan; runs off the right
    passtest::same_as_O0("-[>-]<[<<<]", {}, 1, {8, 16, 32}, 64);
}

}  // namespace pass_lower_scan_loops_test
