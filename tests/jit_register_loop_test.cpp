// JIT loops on registers: which loops the code generator keeps in registers, and that
// running them so changes nothing the interpreter decides (output, end, final tape), stopped
// by the step limit or near the tape's ends, where they fall back to memory.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "jit/codegen.hpp"
#include "jit_test_util.hpp"

using namespace jitbf;
using namespace jitbf::jit_test;

// A loop that stays in place (no move, scan, I/O or inner loop) runs with its cells in
// registers once they are known to be on the tape, and from memory otherwise.
namespace {

std::size_t register_loops(const Program& prog, int bits = 8) {
    auto gen = jit::generate(prog, small(bits));
    REQUIRE(gen);
    return gen->register_loops;
}

// mandelbrot.b's carry: for each of [p+3]'s counts, toggle the digit [p+1] (with [p] as a
// temporary) and carry into [p-6] when it goes from 1 to 0.
std::vector<Instr> carry_loop() {
    return {instr(Op::LoopBegin, 3),
            instr(Op::Add, 3, -1),
            instr(Op::Add, 0, 1),
            instr(Op::IfBegin, 1),
            instr(Op::MulAdd, 0, -1, 1),
            instr(Op::MulAdd, -6, 1, 1),
            instr(Op::Set, 1),
            instr(Op::IfEnd),
            instr(Op::IfBegin),
            instr(Op::MulAdd, 1, 1),
            instr(Op::Set),
            instr(Op::IfEnd),
            instr(Op::LoopEnd, 3)};
}

std::vector<Instr> concat(std::vector<Instr> a, const std::vector<Instr>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

}  // namespace

TEST_CASE("a loop that stays in place keeps its cells in registers, and no other loop does") {
    const std::vector<Instr> at10 = {instr(Op::Move, 0, 10)};
    CHECK(register_loops(ir(concat(at10, carry_loop()))) == 1);
    // Moving, I/O and an inner loop each keep it in memory; the inner loop itself qualifies.
    CHECK(register_loops(ir(concat(at10, {instr(Op::LoopBegin), instr(Op::Add, 0, -1),
                                          instr(Op::Move, 0, 1), instr(Op::LoopEnd)}))) == 0);
    CHECK(register_loops(ir(concat(at10, {instr(Op::LoopBegin), instr(Op::Add, 0, -1),
                                          instr(Op::Out, 1), instr(Op::LoopEnd)}))) == 0);
    CHECK(register_loops(ir(concat(at10, {instr(Op::LoopBegin), instr(Op::Add, 0, -1),
                                          instr(Op::Scan, 1, 1), instr(Op::LoopEnd)}))) == 0);
    CHECK(register_loops(ir(concat(concat(at10, {instr(Op::LoopBegin, 5), instr(Op::Add, 5, -1)}),
                                   concat(carry_loop(), {instr(Op::LoopEnd, 5)})))) == 1);
    // Eight cells fit in the registers; nine do not.
    for (int cells : {8, 9}) {
        std::vector<Instr> code = concat(at10, {instr(Op::LoopBegin), instr(Op::Add, 0, -1)});
        for (int c = 1; c < cells; ++c) code.push_back(instr(Op::Add, c, c));
        code.push_back(instr(Op::LoopEnd));
        CAPTURE(cells);
        CHECK(register_loops(ir(code)) == (cells <= 8 ? 1u : 0u));
    }
}

TEST_CASE("loops on registers leave the interpreter's tape at every width, stopped or not") {
    // Counting [p+3] from 111 = 3 * 37 reaches zero by steps of -1 or -3 without wrapping,
    // so every loop runs 37 or 111 times at every width: more than the largest step limit
    // below, yet fast (a count that wraps runs up to 2^32 times at 32 bits).
    const std::vector<Instr> start = {instr(Op::Move, 0, 10), instr(Op::Set, 3, 111),
                                      instr(Op::Set, 1, 1), instr(Op::Set, -6, 250)};
    const std::vector<std::vector<Instr>> loops = {
        carry_loop(),
        // An if that branches, factors other than +-1, a set, and a cell multiplied into itself.
        {instr(Op::LoopBegin, 3), instr(Op::Add, 3, -3), instr(Op::IfBegin, 1),
         instr(Op::Add, 2, 5), instr(Op::MulAdd, -6, 7, 2), instr(Op::IfEnd),
         instr(Op::MulAdd, 4, -3, 3), instr(Op::Set, 1), instr(Op::MulAdd, 2, 1, 2),
         instr(Op::Add, 1, 1), instr(Op::LoopEnd, 3)},
        // The back-edge testing another cell than the loop's start (hand-written IR may).
        {instr(Op::LoopBegin, 1), instr(Op::Add, 3, -1), instr(Op::Add, 2, 9),
         instr(Op::LoopEnd, 3)},
    };
    for (const std::vector<Instr>& loop : loops) {
        const Program prog =
            ir(concat(concat(start, loop), {instr(Op::Out, 2), instr(Op::Out, -6)}));
        CAPTURE(to_string(prog));
        CHECK(register_loops(prog) == 1);
        for (int bits : kWidths) {
            CAPTURE(bits);
            for (std::uint64_t limit : {0u, 1u, 2u, 3u, 10u, 29u}) {
                CAPTURE(limit);
                Options opts = small(bits);
                opts.step_limit = limit;
                same_as_interp(prog, opts);
            }
        }
    }
}

TEST_CASE("a loop on registers whose cells may be off the tape runs from memory, faulting there") {
    // p = 1: the carry reaches cell -5, at its multiply (op 9) in the first iteration.
    faults_like_interp(with_prefix({instr(Op::OutStr), instr(Op::Move, 0, 1), instr(Op::Set, 1, 1),
                                    instr(Op::Set, 3, 2)},
                                   carry_loop()),
                       RunStatus::LeftOfTape, 9);
    // Nothing leaves the tape while the digit is 0, so the loop runs to the end in memory.
    faults_like_interp(
        with_prefix({instr(Op::OutStr), instr(Op::Move, 0, 1), instr(Op::Set, 3, 1)}, carry_loop()),
        RunStatus::Ok, 0);
    // Past the last cell: [p+3] is cell 4096 at p = 4093, tested first by the loop.
    faults_like_interp(with_prefix({instr(Op::OutStr), instr(Op::Move, 0, 4093)}, carry_loop()),
                       RunStatus::RightOfTape, 2);
}

TEST_CASE("random loops that stay in place give the interpreter's results near the tape's ends") {
    std::mt19937 rng(9090);
    auto pick = [&](int lo, int hi) {
        return lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1));
    };
    std::size_t in_registers = 0;
    for (int n = 0; n < 2000; ++n) {
        const bool right = n % 2 == 1;
        std::vector<Instr> code = {instr(Op::Move, 0, right ? 4095 - pick(0, 8) : pick(1, 8))};
        for (int i = pick(0, 4); i > 0; --i)
            code.push_back(instr(Op::Set, pick(-4, 4), pick(0, 5)));
        const int control = pick(-3, 3);
        code.push_back(instr(Op::Set, control, pick(1, 9)));
        code.push_back(instr(Op::LoopBegin, control));
        code.push_back(instr(Op::Add, control, pick(0, 1) ? -1 : pick(-5, 5)));
        OpenBrackets open;
        for (int i = pick(1, 12); i > 0; --i) {
            const int off = pick(-8, 8);
            switch (pick(0, 7)) {
            case 0: code.push_back(instr(Op::Add, off, pick(-3, 3))); break;
            case 1: code.push_back(instr(Op::Set, off, pick(0, 2))); break;
            case 2: code.push_back(instr(Op::MulAdd, off, pick(-4, 4), pick(-8, 8))); break;
            case 3: code.push_back(instr(Op::Check, off)); break;
            case 4:
            case 5: {
                for (const Instr& in : random_transfer_if(off, pick)) code.push_back(in);
                break;
            }
            case 6: open.open(code, Op::IfBegin, off); break;
            case 7: open.close(code, off); break;
            }
        }
        open.close_all(code);
        code.push_back(instr(Op::LoopEnd, control));
        const Program prog = ir(code);
        in_registers += register_loops(prog);
        Options opts = small(kWidths[n % 3]);
        opts.step_limit = static_cast<std::uint64_t>(pick(1, 300));
        CAPTURE(to_string(prog));
        same_as_interp(prog, opts);
    }
    CHECK(in_registers > 1000);  // the generator does make them (some have over 8 cells)
}
