// The interpreter, the reference semantics, op by op: every op (built by hand as IR where
// the parser never produces it) at every cell width and EOF mode. How a whole run ends (the
// tape's ends, output around input and closed pipes, the step limit) is interp_run_test.cpp.
#include <doctest/doctest.h>

#include <string>

#include "interp_test_util.hpp"
#include "opts_for.hpp"

namespace interp_test {

using namespace jitbf;
using namespace jitbf::interp_test_util;

TEST_CASE("add wraps modulo 2^bits in both directions at every width") {
    for (int bits : {8, 16, 32}) {
        CAPTURE(bits);
        // -1 at offset 1, +1 after it, and 2^bits - 1 + 2 at offset 2.
        Ran a = run(ir({instr(Op::Add, 1, amount_arg(0xffffffff)),
                        instr(Op::Add, 2, amount_arg(max_of(bits))), instr(Op::Add, 2, 2)}),
                    opts_for(bits));
        REQUIRE(a.r.status == RunStatus::Ok);
        CHECK(a.tape.cell(0) == 0);
        CHECK(a.tape.cell(1) == max_of(bits));
        CHECK(a.tape.cell(2) == 1);

        Ran b = run(bf("-+-->+[-]"), opts_for(bits));
        REQUIRE(b.r.status == RunStatus::Ok);
        CHECK(b.tape.cell(0) == max_of(bits) - 1);
        CHECK(b.tape.cell(1) == 0);
    }
}

TEST_CASE("set stores its value modulo 2^bits at its offset") {
    for (int bits : {8, 16, 32}) {
        CAPTURE(bits);
        Ran a = run(ir({instr(Op::Add, 3, 9), instr(Op::Set, 3, 300), instr(Op::Set, 1, -1),
                        instr(Op::Set, 2, amount_arg((std::uint64_t{1} << 32) + 5))}),
                    opts_for(bits));
        REQUIRE(a.r.status == RunStatus::Ok);
        CHECK(a.tape.cell(3) == 300 % (std::uint64_t{max_of(bits)} + 1));
        CHECK(a.tape.cell(1) == max_of(bits));
        CHECK(a.tape.cell(2) == 5);
    }
}

TEST_CASE("move shifts the cell every later offset is relative to") {
    Ran a = run(ir({instr(Op::Move, 0, 3), instr(Op::Add, 0, 1), instr(Op::Add, -2, 2),
                    instr(Op::Move, 0, -1), instr(Op::Add, 2, 4)}),
                opts_for(8));
    REQUIRE(a.r.status == RunStatus::Ok);
    CHECK(a.tape.cell(3) == 1);
    CHECK(a.tape.cell(1) == 2);
    CHECK(a.tape.cell(4) == 4);
    CHECK(a.tape.cell(0) == 0);
}

TEST_CASE("muladd adds the source cell times the factor, wrapping") {
    SUBCASE("8 bits") {
        Ran a = run(ir({instr(Op::Add, 0, 3), instr(Op::Add, 1, 10), instr(Op::MulAdd, 1, 100)}),
                    opts_for(8));
        CHECK(a.tape.cell(1) == (10 + 300) % 256);
        CHECK(a.tape.cell(0) == 3);
    }
    SUBCASE("16 bits, a product that overflows int16") {
        Ran a = run(ir({instr(Op::Add, 2, 300), instr(Op::Move, 0, 2), instr(Op::Add, -1, 10),
                        instr(Op::MulAdd, -1, 40000)}),
                    opts_for(16));
        CHECK(a.tape.cell(1) == (10 + 300u * 40000u) % 65536);
    }
    SUBCASE("32 bits, a negative factor") {
        Ran a = run(ir({instr(Op::Add, 0, 3), instr(Op::Add, 1, 10),
                        instr(Op::MulAdd, 1, amount_arg(0xfffffffe))}),
                    opts_for(32));
        CHECK(a.tape.cell(1) == 4);
    }
    SUBCASE("a zero source leaves the target alone") {
        Ran a = run(ir({instr(Op::Add, 1, 10), instr(Op::MulAdd, 1, 7)}), opts_for(8));
        CHECK(a.tape.cell(1) == 10);
    }
}

TEST_CASE("scan moves by its stride until the cell it tests is zero") {
    SUBCASE("stride 1 from a non-zero cell") {
        Ran a = run(ir({instr(Op::Set, 0, 1), instr(Op::Set, 1, 1), instr(Op::Set, 2, 1),
                        instr(Op::Scan, 0, 1), instr(Op::Set, 0, 9)}),
                    opts_for(8));
        CHECK(a.tape.cell(3) == 9);
    }
    SUBCASE("stride 2 skips the cells between") {
        Ran a = run(ir({instr(Op::Set, 0, 1), instr(Op::Set, 1), instr(Op::Set, 2, 1),
                        instr(Op::Set, 3, 1), instr(Op::Scan, 0, 2), instr(Op::Set, 0, 9)}),
                    opts_for(8));
        CHECK(a.tape.cell(4) == 9);
        CHECK(a.tape.cell(1) == 0);
    }
    SUBCASE("negative stride, testing at an offset") {
        Ran a = run(ir({instr(Op::Set, 5, 1), instr(Op::Set, 4, 1), instr(Op::Move, 0, 6),
                        instr(Op::Scan, -1, -1), instr(Op::Set, -1, 9)}),
                    opts_for(8));
        CHECK(a.tape.cell(3) == 9);
    }
    SUBCASE("a zero cell does not move at all") {
        Ran a = run(ir({instr(Op::Move, 0, 2), instr(Op::Scan, 0, 5), instr(Op::Set, 0, 9)}),
                    opts_for(8));
        CHECK(a.tape.cell(2) == 9);
    }
}

TEST_CASE("in reads bytes 0..255 into the cell at its offset") {
    Ran a = run(ir({instr(Op::In, 1), instr(Op::In, 2), instr(Op::In, 3)}), opts_for(16),
                std::string("A\xff\0", 3));
    REQUIRE(a.r.status == RunStatus::Ok);
    CHECK(a.tape.cell(1) == 65);
    CHECK(a.tape.cell(2) == 255);
    CHECK(a.tape.cell(3) == 0);
}

TEST_CASE("at end of input, in follows the EOF mode at every width") {
    for (int bits : {8, 16, 32}) {
        CAPTURE(bits);
        // Cell 0 reads 'x' then EOF; cell 1 is 7 before reading EOF.
        const Program p = ir({instr(Op::In), instr(Op::In, 1), instr(Op::Set, 2, 7),
                              instr(Op::In, 2), instr(Op::Set, 3, 7), instr(Op::In, 3)});
        Ran unchanged = run(p, opts_for(bits, EofMode::Unchanged), "x");
        CHECK(unchanged.tape.cell(0) == 'x');
        CHECK(unchanged.tape.cell(1) == 0);
        CHECK(unchanged.tape.cell(2) == 7);
        CHECK(unchanged.tape.cell(3) == 7);
        Ran zero = run(p, opts_for(bits, EofMode::Zero), "x");
        CHECK(zero.tape.cell(0) == 'x');
        CHECK(zero.tape.cell(2) == 0);
        CHECK(zero.tape.cell(3) == 0);
        Ran minus = run(p, opts_for(bits, EofMode::MinusOne), "x");
        CHECK(minus.tape.cell(0) == 'x');
        CHECK(minus.tape.cell(1) == max_of(bits));
        CHECK(minus.tape.cell(2) == max_of(bits));
        CHECK(minus.tape.cell(3) == max_of(bits));
    }
}

TEST_CASE("out writes the low byte of the cell at its offset") {
    Ran a16 = run(ir({instr(Op::Set, 1, 0x141), instr(Op::Out, 1), instr(Op::Out)}), opts_for(16));
    CHECK(a16.out == std::string("A\0", 2));
    Ran a32 = run(ir({instr(Op::Set, 0, 0x12345678), instr(Op::Out)}), opts_for(32));
    CHECK(a32.out == "x");
    Ran a8 = run(bf("-.+.+."), opts_for(8));
    CHECK(a8.out == std::string("\xff\0\x01", 3));
}

TEST_CASE("outstr writes its string, NUL bytes included") {
    Ran a =
        run(ir({instr(Op::OutStr, 0, 1), instr(Op::Add, 0, 66), instr(Op::Out), instr(Op::OutStr)},
               {"one\n", std::string("t\0o", 3)}),
            opts_for(8));
    REQUIRE(a.r.status == RunStatus::Ok);
    CHECK(a.out == std::string("t\0oBone\n", 8));
}

TEST_CASE("check does nothing on the tape and fails off it") {
    Ran on = run(ir({instr(Op::Check, 63), instr(Op::Check), instr(Op::Add, 0, 1)}), opts_for(8));
    CHECK(on.r.status == RunStatus::Ok);
    CHECK(on.tape.cell(0) == 1);

    const Options o = opts_for(8, EofMode::Unchanged, 4096);
    Ran right = run(ir({instr(Op::Add, 0, 1), instr(Op::Check, 4096), instr(Op::Add, 0, 1)}), o);
    CHECK(right.r.status == RunStatus::RightOfTape);
    CHECK(right.r.op == 1);
    CHECK(right.tape.cell(0) == 1);

    Ran left = run(ir({instr(Op::Move, 0, 3), instr(Op::Check, -4), instr(Op::Add, 0, 1)}), o);
    CHECK(left.r.status == RunStatus::LeftOfTape);
    CHECK(left.r.op == 1);
}

TEST_CASE("an if runs its body once when the cell is non-zero, and skips it when zero") {
    // cell0 = first; if cell0 { out cell1 ('A'); cell1 += 1 }; cell0 = 0; the same if
    // again (skipped); out cell1.
    auto program = [](std::int32_t first) {
        return ir({instr(Op::Set, 0, first), instr(Op::Set, 1, 65), instr(Op::IfBegin),
                   instr(Op::Out, 1), instr(Op::Add, 1, 1), instr(Op::IfEnd), instr(Op::Set),
                   instr(Op::IfBegin), instr(Op::Out, 1), instr(Op::IfEnd), instr(Op::Out, 1)});
    };
    Ran zero = run(program(0), opts_for(8));
    CHECK(zero.out == "A");
    Ran two = run(program(2), opts_for(8));
    CHECK(two.out == "AB");
    CHECK(two.tape.cell(0) == 0);
}

TEST_CASE("loops test the cell at their offset on entry and on every return") {
    // Count cell 2 down from 3 while p stays put, moving out 'a'+i each time.
    const Program p =
        ir({instr(Op::Set, 2, 3), instr(Op::Set, 1, 'a'), instr(Op::LoopBegin, 2),
            instr(Op::Out, 1), instr(Op::Add, 1, 1), instr(Op::Add, 2, -1), instr(Op::LoopEnd, 2),
            instr(Op::LoopBegin, 2), instr(Op::Out), instr(Op::LoopEnd, 2)});
    Ran a = run(p, opts_for(8));
    REQUIRE(a.r.status == RunStatus::Ok);
    CHECK(a.out == "abc");
}

TEST_CASE("nested loops from source run as in any Brainfuck") {
    // 6 * 7 + 6 = 48 = '0', then print '0'..'9'.
    Ran a = run(bf("++++++[>+++++++<-]>++++++>++++++++++[<.+>-]"), opts_for(8));
    CHECK(a.out == "0123456789");
}

TEST_CASE("an if block's end is no op of its own: jumps past it land on what follows") {
    Program p = ir({instr(Op::IfBegin), instr(Op::Add, 0, 5), instr(Op::IfEnd), instr(Op::IfBegin),
                    instr(Op::IfEnd), instr(Op::Add, 1, 1), instr(Op::Out, 1)});
    Ran a = run(p, opts_for(8));
    CHECK(a.r.status == RunStatus::Ok);
    CHECK(a.out == "\x01");
    CHECK(a.tape.cell(0) == 0);
}

TEST_CASE("a multiply then a clear of its source acts as the two ops, faults included") {
    // The decoder fuses them; the clear can never fault, as the multiply read its cell.
    for (int bits : {8, 16, 32}) {
        CAPTURE(bits);
        Ran a = run(ir({instr(Op::Set, 1, 7), instr(Op::Set, 2, 2), instr(Op::MulAdd, 2, 3, 1),
                        instr(Op::Set, 1), instr(Op::Out, 1), instr(Op::Out, 2)}),
                    opts_for(bits));
        CHECK(a.r.status == RunStatus::Ok);
        CHECK(a.out == std::string("\x00\x17", 2));
        // A multiply into itself, then cleared.
        a = run(ir({instr(Op::Set, 0, 3), instr(Op::MulAdd, 0, 2), instr(Op::Set), instr(Op::Out)}),
                opts_for(bits));
        CHECK(a.out == std::string("\x00", 1));
        // Off the tape on either side: the multiply's fault.
        a = run(ir({instr(Op::OutStr), instr(Op::MulAdd, -1, 3), instr(Op::Set)}, {"x"}),
                opts_for(bits));
        CHECK(a.r.status == RunStatus::LeftOfTape);
        CHECK(a.r.op == 1);
        CHECK(a.out == "x");
        a = run(ir({instr(Op::Set, 0, 1), instr(Op::MulAdd, 100000, 3), instr(Op::Set)}),
                opts_for(bits));
        CHECK(a.r.status == RunStatus::RightOfTape);
        CHECK(a.r.op == 1);
        a = run(ir({instr(Op::MulAdd, 0, 3, -2), instr(Op::Set, -2)}), opts_for(bits));
        CHECK(a.r.status == RunStatus::LeftOfTape);
        CHECK(a.r.op == 0);
    }
}

}  // namespace interp_test
