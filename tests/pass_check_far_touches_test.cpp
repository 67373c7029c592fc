// check_far_touches: which touches get an explicit `check` first. The guard regions catch a
// touch off the tape only within kGuardBytes of a cell known to be on it, so the pass
// follows the cells last touched and checks any touch further away than that.
//
// Such distances take hundreds of megabytes of `>` in source, so the programs here are IR
// built by hand, every op at its own column so positions show where a check went.
#include "pass_test_util.hpp"

#include "runtime.hpp"

namespace pass_check_far_touches_test {

using namespace jitbf;
using passtest::line_col;
using passtest::ops;
using passtest::opts_for;

namespace {

Program ir(std::vector<Instr> code) {
    Program p;
    p.code = std::move(code);
    for (std::size_t i = 0; i < p.code.size(); ++i)
        p.code[i].pos = {1, static_cast<std::uint32_t>(i + 1)};
    relink(p);
    REQUIRE(verify(p) == "");
    return p;
}

Program checked(std::vector<Instr> code, int bits = 8) {
    Program p = check_far_touches(ir(std::move(code)), opts_for(bits));
    INFO(to_string(p));
    REQUIRE(verify(p) == "");
    return p;
}

// How far from a known cell a touch may be without a check: the guard in cells, less 64
// cells of room for the widest access the JIT makes at a cell (a vector load).
std::int32_t reach(int bits) {
    const std::size_t cells = kGuardBytes / static_cast<std::size_t>(bits / 8) - kGuardMarginCells;
    return static_cast<std::int32_t>(cells);
}

constexpr std::int32_t kFar = 1 << 29;  // beyond the guard at every width

std::size_t checks(const Program& p) {
    std::size_t n = 0;
    for (const Instr& in : p.code) n += in.op == Op::Check;
    return n;
}

}  // namespace

TEST_CASE("a touch within the guard of the last touched cell gets no check, at every width") {
    for (int bits : {8, 16, 32}) {
        CAPTURE(bits);
        const std::int32_t r = reach(bits);
        CHECK(checks(checked({instr(Op::Add, 0, 1), instr(Op::Out, r)}, bits)) == 0);
        CHECK(checks(checked({instr(Op::Add, 0, 1), instr(Op::Out, -r)}, bits)) == 0);
        // Cell 0 is on every tape: the program's first touch counts from it.
        CHECK(checks(checked({instr(Op::Set, r, 1)}, bits)) == 0);
    }
}

TEST_CASE("a touch one cell beyond the guard gets a check of its cell, right before it") {
    for (int bits : {8, 16, 32}) {
        CAPTURE(bits);
        const std::int32_t r = reach(bits);
        const Program p =
            checked({instr(Op::Add, 0, 1), instr(Op::Out, r + 1), instr(Op::Out, -1)}, bits);
        CHECK(ops(p) == "add [p] 1; check [p+" + std::to_string(r + 1) + "]; out [p+" +
                            std::to_string(r + 1) + "]; check [p-1]; out [p-1]");
        // Each check carries the position of the touch it guards, for the fault's message.
        REQUIRE(p.code.size() == 5);
        CHECK(line_col(p.code[1].pos) == "1:2");
        CHECK(line_col(p.code[3].pos) == "1:3");
        CHECK(ops(checked({instr(Op::Set, -r - 1, 1)}, bits)) ==
              "check [p-" + std::to_string(r + 1) + "]; set [p-" + std::to_string(r + 1) + "] 1");
    }
}

TEST_CASE("distance counts from the last touch, so a walk in steps within the guard has no check") {
    const std::int32_t r = reach(8);
    CHECK(checks(checked(
              {instr(Op::Add, r, 1), instr(Op::Add, 2 * r, 1), instr(Op::Out, 3 * r)})) == 0);
    CHECK(checks(checked({instr(Op::Add, r, 1), instr(Op::Add, 2 * r, 1), instr(Op::Out, 0)})) ==
          1);
}

TEST_CASE("a far cell is checked once: later touches near it need no check") {
    CHECK(ops(checked(
              {instr(Op::Add, kFar, 1), instr(Op::Out, kFar), instr(Op::Set, kFar + 5, 0)})) ==
          "check [p+536870912]; add [p+536870912] 1; out [p+536870912]; set [p+536870917] 0");
}

TEST_CASE("a multiply checks its source, then its target from the source") {
    // The source is near, the target far: one check, of the target.
    CHECK(ops(checked({instr(Op::MulAdd, kFar, 3, 0)})) ==
          "check [p+536870912]; muladd [p+536870912] [p] * 3");
    // Both far but near each other: the source's check covers the target.
    CHECK(ops(checked({instr(Op::MulAdd, kFar + 1, 3, kFar)})) ==
          "check [p+536870912]; muladd [p+536870913] [p+536870912] * 3");
    // The source far, the target back at cell 0: each needs one.
    CHECK(ops(checked({instr(Op::MulAdd, 0, 3, kFar)})) ==
          "check [p+536870912]; check [p]; muladd [p] [p+536870912] * 3");
}

TEST_CASE("a move shifts what is known instead of forgetting it") {
    // Back at the cell touched before the move: known, no check.
    CHECK(checks(checked(
              {instr(Op::Add, 0, 1), instr(Op::Move, 0, kFar), instr(Op::Add, -kFar, 1)})) == 0);
    // At the new pointer: as far from the last touch as the move went.
    CHECK(ops(checked({instr(Op::Add, 0, 1), instr(Op::Move, 0, kFar), instr(Op::Add, 0, 1)})) ==
          "add [p] 1; move 536870912; check [p]; add [p] 1");
    // Many moves that add up to a far one count the same, even past what offsets can hold.
    std::vector<Instr> walk = {instr(Op::Add, 0, 1)};
    for (int i = 0; i < 8; ++i) walk.push_back(instr(Op::Move, 0, kMaxMove));
    walk.push_back(instr(Op::Out, 0));
    CHECK(checks(checked(walk)) == 1);
}

TEST_CASE("after an if, a cell touched only inside it is not known") {
    // The path that skips the body touched only the if's cell.
    CHECK(ops(checked({instr(Op::IfBegin, 0), instr(Op::Add, kFar, 1), instr(Op::IfEnd),
                       instr(Op::Out, kFar)})) ==
          "if [p] -> 3; check [p+536870912]; add [p+536870912] 1; endif; check [p+536870912]; "
          "out [p+536870912]");
    // A cell touched before the if is still known after it.
    CHECK(checks(checked({instr(Op::Add, kFar, 1), instr(Op::IfBegin, kFar),
                          instr(Op::Add, kFar + 1, 1), instr(Op::IfEnd), instr(Op::Out, kFar)})) ==
          1);
}

TEST_CASE("after a loop, a cell touched only inside it is not known") {
    // The end's test is back at [p], far from the body's last touch, so it is checked too.
    CHECK(ops(checked({instr(Op::LoopBegin, 0), instr(Op::Add, kFar, 1), instr(Op::LoopEnd, 0),
                       instr(Op::Out, kFar)})) ==
          "loop [p] -> 4; check [p+536870912]; add [p+536870912] 1; check [p]; end [p] -> 0; "
          "check [p+536870912]; out [p+536870912]");
    CHECK(checks(checked({instr(Op::LoopBegin, 0), instr(Op::Add, kFar, 1), instr(Op::LoopEnd, 0),
                          instr(Op::Out, 1)})) == 2);
}

TEST_CASE("a loop's body is entered from both brackets, so it must be near both their cells") {
    // The end tests a cell `reach` away from the start's: the body may touch up to it.
    const std::int32_t r = reach(8);
    CHECK(checks(checked({instr(Op::LoopBegin, 0), instr(Op::Out, r), instr(Op::LoopEnd, r)})) ==
          0);
    // [p-1] is next to the start's cell but too far from the end's (as is then the end's).
    CHECK(ops(checked({instr(Op::LoopBegin, 0), instr(Op::Out, -1), instr(Op::LoopEnd, r)})) ==
          "loop [p] -> 4; check [p-1]; out [p-1]; check [p+" + std::to_string(r) + "]; end [p+" +
              std::to_string(r) + "] -> 0");
}

TEST_CASE("after a loop, a touch must be near both brackets' cells: the loop may not have run") {
    const std::int32_t r = reach(8);
    CHECK(checks(checked(
              {instr(Op::LoopBegin, 0), instr(Op::LoopEnd, r), instr(Op::Out, r / 2)})) == 0);
    CHECK(ops(checked({instr(Op::LoopBegin, 0), instr(Op::LoopEnd, r), instr(Op::Out, r + 1)})) ==
          "loop [p] -> 1; end [p+" + std::to_string(r) + "] -> 0; check [p+" +
              std::to_string(r + 1) + "]; out [p+" + std::to_string(r + 1) + "]");
}

TEST_CASE(
    "a scan's own steps get no check whatever its stride, and the cell it stops on is known") {
    // Each step of a scan is checked by the backends themselves (see jit_scan_test.cpp).
    for (std::int32_t stride : {kFar, -kFar, std::int32_t{1} << 30}) {
        CAPTURE(stride);
        CHECK(checks(checked(
                  {instr(Op::Add, 0, 1), instr(Op::Scan, 0, stride), instr(Op::Out, 1)})) == 0);
    }
    // A scan that starts far from the last touch is checked at its first cell.
    CHECK(ops(checked({instr(Op::Add, 0, 1), instr(Op::Scan, kFar, kFar)})) ==
          "add [p] 1; check [p+536870912]; scan [p+536870912] step 536870912");
}

TEST_CASE("a far touch behind the checks faults on both backends instead of skipping the guard") {
    // Without the check the JIT would touch memory 512 MiB past the tape's last cell.
    Options o = opts_for(8);
    o.tape_cells = 4096;
    const Program p = check_far_touches(ir({instr(Op::Add, 0, 1), instr(Op::Out, 0),
                                            instr(Op::Move, 0, kFar), instr(Op::Add, 0, 1)}),
                                        o);
    for (Backend b : {Backend::Interp, Backend::Jit}) {
        CAPTURE(backend_name(b));
        std::string printed;
        auto in = Input::none();
        auto out = Output::memory(&printed);
        auto ran = execute(p, o, b, in, out);
        REQUIRE(ran);
        CHECK(ran->result.status == RunStatus::RightOfTape);
        CHECK(line_col(p.code[ran->result.op].pos) == "1:4");
        CHECK(printed == "\x01");
    }
}

}  // namespace pass_check_far_touches_test
