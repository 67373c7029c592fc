// What the JIT's memory code keeps from one op to the next (emitter.hpp, Known): the cell
// the flags describe, the cell ecx holds, the value an add left in r8; each only while it is
// still true, across the moves, adds and if tests that keep it, and at every cell width.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "jit_test_util.hpp"

namespace jit_known_test {

using namespace jitbf;
using namespace jitbf::jit_test;

TEST_CASE("what one op leaves in registers is reused only while it is still true") {
    for (int bits : kWidths) {
        CAPTURE(bits);
        // A test right after an add uses its flags, at the cell's width: 0xff + 1 is zero
        // only in 8 bits.
        Outcome o =
            same_as_interp(ir({instr(Op::Set, 0, 0xff), instr(Op::Add, 0, 1), instr(Op::IfBegin),
                               instr(Op::OutStr), instr(Op::IfEnd), instr(Op::Set, 1, 3),
                               instr(Op::LoopBegin, 1), instr(Op::Add, 2, 2), instr(Op::Add, 1, -1),
                               instr(Op::LoopEnd, 1), instr(Op::Out, 2)},
                              {"nz"}),
                           small(bits));
        CHECK(o.output == (bits == 8 ? "\x06" : "nz\x06"));
        // A run of multiplies from one source loads it once, but again once it changed.
        o = same_as_interp(
            ir({instr(Op::Set, 1, 3), instr(Op::MulAdd, 2, 1, 1), instr(Op::MulAdd, 1, 2, 1),
                instr(Op::MulAdd, 3, 1, 1), instr(Op::MulAdd, 4, -1, 1), instr(Op::Out, 2),
                instr(Op::Out, 3), instr(Op::Out, 4)}),
            small(bits));
        CHECK(o.output == std::string("\x03\x09\xf7", 3));
    }
}

TEST_CASE("a move keeps what the flags and ecx tell, for the cells they name after it") {
    for (int bits : kWidths) {
        CAPTURE(bits);
        // `[->]` decrements the cell it tests next: no `cmp` at the loop's end (3 bytes or
        // more). Testing another cell needs one.
        auto walk = [&](std::int32_t dec) {
            return code_size({instr(Op::LoopBegin, 5), instr(Op::Add, dec, -1),
                              instr(Op::Move, 0, 1), instr(Op::LoopEnd, 5)},
                             bits);
        };
        CHECK(walk(7) >= walk(6) + 3);
        // A multiply from the cell ecx held before the move does not load it again.
        auto muls = [&](std::int32_t src) {
            return code_size({instr(Op::MulAdd, 7, 2, 6), instr(Op::Move, 0, 1),
                              instr(Op::MulAdd, 8, 3, src), instr(Op::Out, 8)},
                             bits);
        };
        CHECK(muls(4) >= muls(5) + 3);
        // And the values are right: the walk stops where a decrement reaches 0 at the cell's
        // width (0x100 is 0 in 8 bits only), the multiplies use the moved cell.
        const Outcome o = same_as_interp(
            ir({instr(Op::Set, 1, 3), instr(Op::Set, 2, 0x101), instr(Op::Set, 3, 2),
                instr(Op::Set, 4, 1), instr(Op::Set, 0, 1), instr(Op::LoopBegin, 0),
                instr(Op::Add, 1, -1), instr(Op::Move, 0, 1), instr(Op::LoopEnd, 0),
                instr(Op::Out, 0), instr(Op::MulAdd, 2, 2, 1), instr(Op::Move, 0, 1),
                instr(Op::MulAdd, 3, 3, 0), instr(Op::Out, 3)}),
            small(bits));
        CHECK(o.result.status == RunStatus::Ok);
        // The flags name cell 1 before the move, cell 0 after it, never cell 2.
        CHECK(same_as_interp(ir({instr(Op::Set, 1, 1), instr(Op::Set, 2, 1), instr(Op::Set, 3, 1),
                                 instr(Op::LoopBegin, 2), instr(Op::Add, 1, -1),
                                 instr(Op::Move, 0, 1), instr(Op::LoopEnd, 2), instr(Op::Out, 0)}),
                             small(bits))
                  .result.status == RunStatus::Ok);
    }
}

TEST_CASE("an add's value in r8 serves the next add to its cell only while it is the cell's") {
    // Each stretch between the ifs, whose bodies move p, touches a cell once: nothing for
    // a region on registers to gain, so these run as memory code, as walks do.
    const Instr walk_if = instr(Op::IfBegin, 0);
    for (int bits : kWidths) {
        CAPTURE(bits);
        // Across an if's test and a move (then the cell at its new offset, not the one at
        // the old); at each width the adds wrap as the cell does.
        same_as_interp(ir({instr(Op::Set, 1, 0xff), instr(Op::Set, 0, 1), instr(Op::Add, 1, 1),
                           walk_if, instr(Op::Add, 1, 1), instr(Op::Move, 0, 1),
                           instr(Op::Add, 0, 1), instr(Op::Add, 1, 5), instr(Op::Move, 0, 1),
                           instr(Op::IfEnd), instr(Op::Out, 0), instr(Op::Out, 1),
                           instr(Op::Out, 2)}),
                       small(bits));
        // A 16-bit add too large for a byte goes to memory; the add after it reloads.
        same_as_interp(ir({instr(Op::Set, 0, 1), instr(Op::Add, 1, 1), walk_if,
                           instr(Op::Add, 1, 300), walk_if, instr(Op::Add, 1, 1),
                           instr(Op::Move, 0, 1), instr(Op::IfEnd), instr(Op::IfEnd),
                           instr(Op::Out, 1), instr(Op::Out, 0)}),
                       small(bits));
        // An if's body that changes the cell otherwise: after the if, the cell is reloaded.
        same_as_interp(ir({instr(Op::Set, 0, 3), instr(Op::Add, 1, 1), walk_if,
                           instr(Op::MulAdd, 1, 2, 0), instr(Op::Move, 0, 1), instr(Op::Move, 0, -1),
                           instr(Op::IfEnd), instr(Op::Add, 1, 1), instr(Op::Out, 1)}),
                       small(bits));
        // A walk's loop test takes the flags of the add in r8, at the cell's width.
        same_as_interp(ir({instr(Op::Set, 1, 0x100), instr(Op::Set, 0, 1), instr(Op::Add, 1, 1),
                           walk_if, instr(Op::Add, 1, -1), instr(Op::Move, 0, 1),
                           instr(Op::LoopBegin, 0), instr(Op::Add, 1, -1), instr(Op::Move, 0, 1),
                           instr(Op::LoopEnd, 0), instr(Op::IfEnd), instr(Op::Out, 0)}),
                       small(bits));
    }
}

TEST_CASE("an add whose value r8 keeps faults off the tape like the interpreter") {
    // The first add of the pair touches the cell: left of cell 0, right of the last.
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::Add, -1, 1), instr(Op::Add, -1, 1)}, kAb),
                       RunStatus::LeftOfTape, 1);
    const auto last = static_cast<std::int32_t>(small().tape_cells);
    faults_like_interp(
        ir({instr(Op::OutStr), instr(Op::Add, last, 1), instr(Op::Add, last, 1)}, kAb),
        RunStatus::RightOfTape, 1);
}

}  // namespace jit_known_test
