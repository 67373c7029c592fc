// remove_dead_loops: loops that certainly never run, from the code right before them.
#include "pass_test_util.hpp"

namespace pass_remove_dead_loops_test {

using namespace jitbf;
using passtest::after;
using passtest::ops;
using passtest::opts_for;

namespace {
Program dead(std::string_view src, Options o = opts_for(8)) {
    return after(src, o, defer_moves, remove_dead_loops);
}
}  // namespace

TEST_CASE("a comment loop at program start is removed") {
    CHECK(ops(dead("[a comment, with. code]+")) == "add [p] 1");
    CHECK(ops(dead("[one][two]>[three]+")) == "add [p+1] 1");
}

TEST_CASE("a loop at program start on a cell off the tape is kept: its test faults") {
    CHECK(ops(dead("<[.]")) == "loop [p-1] -> 2; out [p-1]; end [p-1] -> 0");
    Options small = opts_for(8);
    small.tape_cells = 4;
    CHECK(ops(dead(">>>[.]", small)) == "");  // cell 3 is on a 4-cell tape
    CHECK(ops(dead(">>>>[.]", small)) == "loop [p+4] -> 2; out [p+4]; end [p+4] -> 0");
}

TEST_CASE("a loop right after a loop on the same cell is removed") {
    CHECK(ops(dead(",[.][+.]")) == "in [p]; loop [p] -> 3; out [p]; end [p] -> 1");
}

TEST_CASE("a loop right after a loop testing another cell is kept") {
    CHECK(ops(dead(",[.>]>[.]")) ==
          "in [p]; loop [p] -> 4; out [p]; move 1; end [p] -> 1; "
          "loop [p+1] -> 7; out [p+1]; end [p+1] -> 5");
}

TEST_CASE("a loop right after a scan that stopped on its cell is removed") {
    CHECK(ops(after(",[>][.]", opts_for(8), lower_scan_loops, defer_moves, remove_dead_loops)) ==
          "in [p]; scan [p] step 1");
}

TEST_CASE("an if after a loop on its cell is removed too") {
    CHECK(ops(after(",[.][->+<]", opts_for(8), lower_mul_loops, defer_moves, remove_dead_loops)) ==
          "in [p]; loop [p] -> 3; out [p]; end [p] -> 1");
}

TEST_CASE("programs with dead loops run like -O0") {
    passtest::same_as_O0("[.<]+[.-]<[[-]>]", {}, 2);
    passtest::same_as_O0("<[.]", {}, 2);  // faults at the `[`
}

}  // namespace pass_remove_dead_loops_test
