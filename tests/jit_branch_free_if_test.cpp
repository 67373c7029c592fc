// The JIT's branch-free ifs: an if whose body only multiplies its cell into others and
// clears it runs its body whatever the cell holds, so these tests hold it to the
// interpreter where that matters, at the tape's ends: what it touches, where it faults, and
// the checks it makes again once p may have moved.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "jit/codegen.hpp"
#include "jit_test_util.hpp"

namespace jit_branch_free_if_test {

using namespace jitbf;
using namespace jitbf::jit_test;

// An if whose body only multiplies its cell into others and clears it does nothing when the
// cell is 0, so the JIT runs the body either way; it must still touch no cell the
// interpreter would not (the program at the tape's ends), and fault where it does.

TEST_CASE("a branch-free if on a zero cell touches nothing off the tape") {
    // p = 1: target 4 cells left of cell 0; p = 4094: target past the last cell.
    faults_like_interp(
        with_prefix({instr(Op::OutStr), instr(Op::Move, 0, 1)}, transfer_if(0, {-5})),
        RunStatus::Ok, 0);
    faults_like_interp(
        with_prefix({instr(Op::OutStr), instr(Op::Move, 0, 4094)}, transfer_if(0, {2, -1})),
        RunStatus::Ok, 0);
    // The tested cell itself off the tape is the if's fault, as its test touches it first.
    faults_like_interp(with_prefix({instr(Op::OutStr)}, transfer_if(-1, {1})),
                       RunStatus::LeftOfTape, 1);
    faults_like_interp(
        with_prefix({instr(Op::OutStr), instr(Op::Move, 0, 4095)}, transfer_if(1, {0})),
        RunStatus::RightOfTape, 2);
}

TEST_CASE("a branch-free if on a non-zero cell faults at the multiply that leaves the tape") {
    faults_like_interp(with_prefix({instr(Op::OutStr), instr(Op::Move, 0, 1), instr(Op::Set, 0, 2)},
                                   transfer_if(0, {1, -5})),
                       RunStatus::LeftOfTape, 5);
    faults_like_interp(
        with_prefix({instr(Op::OutStr), instr(Op::Move, 0, 4094), instr(Op::Set, 0, 2)},
                    transfer_if(0, {-1, 2})),
        RunStatus::RightOfTape, 5);
    // ...and on the tape it multiplies (3 * 2 into each target) and clears the cell.
    const Outcome o = same_as_interp(
        with_prefix(
            {instr(Op::Move, 0, 1), instr(Op::Set, 0, 2)},
            [] {
                auto code = transfer_if(0, {-1, 2});
                code.insert(code.end(), {instr(Op::Out, -1), instr(Op::Out), instr(Op::Out, 2)});
                return code;
            }()),
        small());
    CHECK(o.output == std::string("\x06\x00\x06", 3));
}

TEST_CASE("a branch-free if checks only the ends beyond the cells known on the tape") {
    // A cell touched left of the if's cells vouches for every cell up to the right end, which
    // alone is checked: here past the last cell (p = 4093), or, mirrored, left of cell 0.
    const std::vector<Instr> right = {instr(Op::OutStr), instr(Op::Move, 0, 4093),
                                      instr(Op::Set, -3, 1)};
    const std::vector<Instr> left = {instr(Op::OutStr), instr(Op::Move, 0, 2),
                                     instr(Op::Set, 3, 1)};
    faults_like_interp(with_prefix(right, transfer_if(0, {-1, 3})), RunStatus::Ok, 0);
    faults_like_interp(with_prefix(left, transfer_if(0, {-3, 1})), RunStatus::Ok, 0);
    auto nonzero = [](std::vector<Instr> prefix) {
        prefix.push_back(instr(Op::Set, 0, 1));
        return prefix;
    };
    faults_like_interp(with_prefix(nonzero(right), transfer_if(0, {-1, 3})), RunStatus::RightOfTape,
                       6);
    faults_like_interp(with_prefix(nonzero(left), transfer_if(0, {-3, 1})), RunStatus::LeftOfTape,
                       5);
    // One check instead of the two a cell known inside the span leaves: shorter code.
    auto code_size = [](std::vector<Instr> prefix) {
        auto gen = jit::generate(with_prefix(std::move(prefix), transfer_if(0, {-1, 3})), small());
        REQUIRE(gen);
        return gen->code.size();
    };
    CHECK(code_size({instr(Op::Move, 0, 9), instr(Op::Set, -3, 1)}) <
          code_size({instr(Op::Move, 0, 9), instr(Op::Set, 1, 1)}));
}

TEST_CASE("hundreds of branch-free ifs keep their stubs and faults in order") {
    // The JIT places the out-of-line tests of closed ifs between top-level ops in batches;
    // a fault in any of them must still report its own if.
    for (int count : {10, 300, 700}) {
        CAPTURE(count);
        std::vector<Instr> code = {instr(Op::OutStr), instr(Op::Move, 0, 1), instr(Op::Set, 1, 2)};
        for (int i = 0; i < count; ++i) {
            // [p] is 0 and its target left of cell 0: a stub; [p+1] moves into [p+2] and back.
            for (const Instr& in : transfer_if(0, {-5})) code.push_back(in);
            for (const Instr& in : transfer_if(i % 2 ? 2 : 1, {i % 2 ? 1 : 2})) code.push_back(in);
        }
        const auto faulting = static_cast<std::size_t>(code.size());
        for (const Instr& in : transfer_if(-2, {0})) code.push_back(in);
        const Outcome o = same_as_interp(ir(code, kAb), small());
        CHECK(o.result.status == RunStatus::LeftOfTape);
        CHECK(o.result.op == faulting);
        CHECK(o.output == "ab");
        std::uint8_t moved = 2;  // multiplied by 3 at each move (see transfer_if)
        for (int i = 0; i < count; ++i) moved = static_cast<std::uint8_t>(moved * 3);
        CHECK(o.tape[count % 2 ? 3 : 2] == moved);
    }
}

TEST_CASE("a branch-free if checks the ends again once p may have moved") {
    // Each program touches cell 4095 at [p+5] first, then moves p by 3 in a way the JIT
    // cannot follow, so [p+5] is past the end when the zero-cell if runs.
    const std::vector<Instr> touch = {instr(Op::Move, 0, 4090), instr(Op::Set, 5),
                                      instr(Op::Set, 0, 1)};
    const std::vector<std::vector<Instr>> moves = {
        {instr(Op::IfBegin), instr(Op::Move, 0, 3), instr(Op::IfEnd)},  // an if that moves
        {instr(Op::IfBegin), instr(Op::IfBegin, 1), instr(Op::Scan, 1, 1), instr(Op::IfEnd),
         instr(Op::Move, 0, 3), instr(Op::IfEnd)},                          // ...inside another if
        {instr(Op::LoopBegin), instr(Op::Move, 0, 3), instr(Op::LoopEnd)},  // a loop that moves
        {instr(Op::Scan, 0, 3)},                                            // a scan
    };
    for (const auto& move : moves) {
        std::vector<Instr> code = touch;
        code.insert(code.end(), move.begin(), move.end());
        const auto zero_if = transfer_if(0, {5});
        code.insert(code.end(), zero_if.begin(), zero_if.end());
        const Program prog = ir(code);
        CAPTURE(to_string(prog));
        CHECK(same_as_interp(prog, small()).result.status == RunStatus::Ok);
    }
    // Inside a loop body only the loop's cell is known, whichever way the body was entered:
    // here [p+14] is cell 4095 in the first iteration and past the end in the second.
    std::vector<Instr> code = {instr(Op::Move, 0, 4081), instr(Op::Set, 14), instr(Op::Set, -1, 1),
                               instr(Op::Set, 6, 1), instr(Op::LoopBegin, -1)};
    for (const Instr& in : transfer_if(0, {14})) code.push_back(in);
    code.insert(code.end(), {instr(Op::Move, 0, 7), instr(Op::LoopEnd, -1)});
    const Program loop = ir(code);
    CHECK(same_as_interp(loop, small()).result.status == RunStatus::Ok);
}

TEST_CASE("after a loop whose two tests name different cells only the first one is known") {
    // Hand-written IR may test one cell at the top and another at the back-edge. When the
    // loop does not run, only the first was touched: here [p+6] is past the end, so the
    // zero-cell if on [p+5] must not take it for on the tape and touch it.
    const std::vector<std::vector<Instr>> bodies = {{}, {instr(Op::Move, 0, 1)}};
    for (const auto& body : bodies) {
        std::vector<Instr> code = {instr(Op::Move, 0, 4090), instr(Op::LoopBegin, -4)};
        code.insert(code.end(), body.begin(), body.end());
        code.push_back(instr(Op::LoopEnd, 6));
        const auto zero_if = transfer_if(5, {6});
        code.insert(code.end(), zero_if.begin(), zero_if.end());
        const Program prog = ir(code);
        CAPTURE(to_string(prog));
        for (int bits : kWidths) {
            CAPTURE(bits);
            CHECK(same_as_interp(prog, small(bits)).result.status == RunStatus::Ok);
        }
    }
}

TEST_CASE("random branch-free ifs near the tape's ends give the interpreter's results") {
    // What the JIT knows to be on the tape (cells touched since p last changed) decides
    // which ends it checks: moves, scans, loops and other ifs in between must all keep
    // that knowledge true.
    std::mt19937 rng(4242);
    auto pick = [&](int lo, int hi) {
        return lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1));
    };
    for (int n = 0; n < 2000; ++n) {
        const bool right = n % 2 == 1;
        std::vector<Instr> code = {instr(Op::Move, 0, right ? 4095 - pick(0, 6) : pick(1, 6))};
        OpenBrackets open;
        const int length = pick(1, 25);
        for (int i = 0; i < length; ++i) {
            const int off = pick(-6, 6);
            switch (pick(0, 9)) {
            case 0: code.push_back(instr(Op::Set, off, pick(0, 2))); break;
            case 1: code.push_back(instr(Op::Add, off, pick(-2, 2))); break;
            case 2:
                code.push_back(instr(Op::Move, 0, pick(0, 1) ? pick(1, 3) : -pick(1, 3)));
                break;
            case 3: code.push_back(instr(Op::Scan, off, pick(0, 1) ? 1 : -1)); break;
            case 4:
            case 5:
            case 6: {
                for (const Instr& in : random_transfer_if(off, pick)) code.push_back(in);
                break;
            }
            case 7: open.open(code, Op::IfBegin, off); break;
            case 8: open.open(code, Op::LoopBegin, off); break;
            case 9: open.close(code, off); break;
            }
        }
        open.close_all(code);
        const Program prog = ir(code);
        Options opts = small(kWidths[n % 3]);
        opts.step_limit = 2000;
        CAPTURE(to_string(prog));
        same_as_interp(prog, opts);
    }
}

}  // namespace jit_branch_free_if_test
