// Shorter paths through region code (src/jit/region_paths.cpp): an if whose body clears the
// next if's cell jumps from its end past that if (taking the loop's back-edge itself when
// the loop ends there), and an add between a cell's arithmetic and its test leaves the flags
// to the test. The shapes are checked on the machine code (decoded with Zydis); what the
// code does is held to the interpreter, on hand-written IR and on Brainfuck from the random
// generator, at every width, stopped by the step limit or not, near the tape's ends.
#include <doctest/doctest.h>

#include <Zydis/Zydis.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "jit/codegen.hpp"
#include "jit_test_util.hpp"
#include "stay_shapes.hpp"

namespace jit_region_paths_test {

using namespace jitbf;
using namespace jitbf::jit_test;

namespace {

constexpr int kNoCell = 100;  // a cell the random programs never draw

// What the ops' code holds: the instructions of each kind, and the backward jumps.
struct Shape {
    std::size_t tests = 0, leas = 0, jmps = 0, back_edges = 0, threaded = 0, regions = 0;
};

Shape shape_of(const Program& prog, const Options& opts) {
    auto gen = jit::generate(prog, opts);
    REQUIRE(gen);
    ZydisDecoder decoder;
    ZydisDecoderInit(&decoder, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
    Shape s{.threaded = gen->threaded_ifs, .regions = gen->register_regions};
    const std::uint8_t* code = gen->code.data();
    for (std::size_t at = gen->body_begin; at < gen->body_end;) {
        ZydisDecodedInstruction insn;
        ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
        REQUIRE(ZYAN_SUCCESS(
            ZydisDecoderDecodeFull(&decoder, code + at, gen->body_end - at, &insn, ops)));
        if (insn.mnemonic == ZYDIS_MNEMONIC_TEST) ++s.tests;
        if (insn.mnemonic == ZYDIS_MNEMONIC_LEA) ++s.leas;
        if (insn.mnemonic == ZYDIS_MNEMONIC_JMP) ++s.jmps;
        if (insn.meta.category == ZYDIS_CATEGORY_COND_BR && insn.raw.imm[0].is_relative &&
            insn.raw.imm[0].value.s < 0)
            ++s.back_edges;
        at += insn.length;
    }
    return s;
}

// collatz.b's digit loop, on [p+1] (x, 7 times), [p+2] (m, from 3), [p+3] (t) and [p+4]
// (y): x--; m--; t++; if m { t = `flag` }; if t { t = 0; m += 10; y++ }; then `more`.
// With `flag` 0, t is 0 after the first if's body and the second if cannot run there.
// (The outputs first put cells 0 to 6 on the tape, so the region has no copy in memory.)
Program digit_loop(std::int32_t flag, const std::vector<Instr>& more = {}) {
    std::vector<Instr> code = {
        instr(Op::Move, 0, 10),  instr(Op::Out, 0),     instr(Op::Out, 6),
        instr(Op::Set, 1, 7),    instr(Op::Set, 2, 3),  instr(Op::Set, 3, 0),
        instr(Op::LoopBegin, 1), instr(Op::Add, 1, -1), instr(Op::Add, 2, -1),
        instr(Op::Add, 3, 1),    instr(Op::IfBegin, 2), instr(Op::Set, 3, flag),
        instr(Op::IfEnd),        instr(Op::IfBegin, 3), instr(Op::Set, 3, 0),
        instr(Op::Add, 2, 10),   instr(Op::Add, 4, 1),  instr(Op::IfEnd)};
    code.insert(code.end(), more.begin(), more.end());
    code.push_back(instr(Op::LoopEnd, 1));
    code.push_back(instr(Op::Out, 4));
    code.push_back(instr(Op::Out, 2));
    return ir(code);
}

void agrees_stopped_or_not(const Program& prog) {
    CAPTURE(to_string(prog));
    same_as_interp_at_limits(prog, {0, 1, 2, 3, 5, 6, 7});
}

}  // namespace

TEST_CASE("a region's if whose body clears the next if's cell takes the loop's back-edge there") {
    for (int bits : kWidths) {
        CAPTURE(bits);
        const Shape cleared = shape_of(digit_loop(0), small(bits));
        const Shape set = shape_of(digit_loop(1), small(bits));
        CHECK(cleared.regions == 1);
        CHECK(cleared.threaded == 1);
        CHECK(set.threaded == 0);
        // The body's end tests x and jumps back itself: two back-edges where there was one.
        CHECK(set.back_edges == 1);
        CHECK(cleared.back_edges == 2);
        // So with the step limit, each copy counting the step.
        Options limited = small(bits);
        limited.step_limit = 100;
        CHECK(shape_of(digit_loop(0), limited).back_edges == 2);
        CHECK(shape_of(digit_loop(1), limited).back_edges == 1);
    }
    agrees_stopped_or_not(digit_loop(0));
    agrees_stopped_or_not(digit_loop(1));
}

TEST_CASE("a region's if whose body clears the next if's cell jumps past that if") {
    // With an op between the second if and the loop's end, the body's end jumps to that op.
    const std::vector<Instr> more = {instr(Op::Add, 5, 1)};
    for (int bits : kWidths) {
        CAPTURE(bits);
        const Shape cleared = shape_of(digit_loop(0, more), small(bits));
        const Shape set = shape_of(digit_loop(1, more), small(bits));
        CHECK(cleared.threaded == 1);
        CHECK(cleared.back_edges == 1);
        CHECK(cleared.jmps == set.jmps + 1);
    }
    agrees_stopped_or_not(digit_loop(0, more));
}

TEST_CASE("an add between a cell's arithmetic and its test leaves the test to the flags") {
    // x--; m--; t++; if m { y++ } tests m on the flags of m-- (t++ made with lea), as
    // x--; t++; m--; if m { y++ } does with no add between.
    auto loop = [](bool between) {
        const Instr m = instr(Op::Add, 2, -1), t = instr(Op::Add, 3, 1);
        return ir({instr(Op::Move, 0, 10), instr(Op::Out, 0), instr(Op::Out, 6),
                   instr(Op::Set, 1, 9), instr(Op::Set, 2, 4), instr(Op::LoopBegin, 1),
                   instr(Op::Add, 1, -1), between ? m : t, between ? t : m, instr(Op::IfBegin, 2),
                   instr(Op::Add, 4, 1), instr(Op::IfEnd), instr(Op::LoopEnd, 1), instr(Op::Out, 2),
                   instr(Op::Out, 3), instr(Op::Out, 4)});
    };
    for (int bits : kWidths) {
        CAPTURE(bits);
        const Shape between = shape_of(loop(true), small(bits));
        const Shape after = shape_of(loop(false), small(bits));
        CHECK(between.regions == 1);
        CHECK(between.tests == after.tests);
        CHECK(between.leas == after.leas + 1);
    }
    agrees_stopped_or_not(loop(true));
    // a += 1; if b { c += 1; if a { d += 1 } }: the add to c is between the outer test and
    // the inner one, which must not take the flags of the outer test for a's.
    for (std::int32_t a : {-1, 0}) {
        agrees_stopped_or_not(ir(
            {instr(Op::Move, 0, 10), instr(Op::Set, 1, a), instr(Op::Set, 2, 1),
             instr(Op::Set, 5, 4), instr(Op::LoopBegin, 5), instr(Op::Add, 5, -1),
             instr(Op::Add, 1, 1), instr(Op::IfBegin, 2), instr(Op::Add, 3, 1),
             instr(Op::IfBegin, 1), instr(Op::Add, 4, 1), instr(Op::IfEnd), instr(Op::IfEnd),
             instr(Op::Set, 1, a), instr(Op::LoopEnd, 5), instr(Op::Out, 3), instr(Op::Out, 4)}));
    }
    // t's register wraps past the cell's width (255 + 1 at 8 bits): only its bits count.
    agrees_stopped_or_not(ir({instr(Op::Move, 0, 10),  instr(Op::Set, 1, 3),  instr(Op::Set, 3, -1),
                              instr(Op::LoopBegin, 1), instr(Op::Add, 1, -1), instr(Op::Add, 3, 1),
                              instr(Op::LoopBegin, 3), instr(Op::Add, 3, 1),  instr(Op::Add, 5, 1),
                              instr(Op::Add, 2, 1),    instr(Op::Add, 4, 1),  instr(Op::IfBegin, 2),
                              instr(Op::Add, 4, 2),    instr(Op::IfEnd),      instr(Op::Set, 3, 0),
                              instr(Op::LoopEnd, 3),   instr(Op::LoopEnd, 1), instr(Op::Out, 2),
                              instr(Op::Out, 3),       instr(Op::Out, 4),     instr(Op::Out, 5)}));
}

TEST_CASE("random if chains in regions give the interpreter's results near the tape's ends") {
    // Ifs in a row whose bodies often clear the cell the next if tests (then maybe touch
    // other cells), adds between a cell's arithmetic and its test, nested ifs and loops,
    // mostly in a loop on a counter, stopped by the step limit or not.
    std::mt19937 rng(4242);
    auto pick = [&](int lo, int hi) {
        return lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1));
    };
    std::size_t threaded = 0;
    for (int n = 0; n < 3000; ++n) {
        const bool right = n % 2 == 1;
        std::vector<Instr> code = {instr(Op::Move, 0, right ? 4095 - pick(0, 6) : pick(1, 6))};
        for (int i = pick(0, 4); i > 0; --i)
            code.push_back(instr(Op::Set, pick(-4, 4), pick(0, 3)));
        // The chain in a loop, or the region's own ops: then the plan loads a cell where
        // its first use is, which may be an if the chain jumps past.
        const bool looped = pick(0, 2) != 0;
        const int control = 5;  // beyond the cells the body draws: the loop ends
        if (looped) {
            code.push_back(instr(Op::Set, control, pick(1, 9)));
            code.push_back(instr(Op::LoopBegin, control));
            code.push_back(instr(Op::Add, control, -1));
        }
        auto cell = [&] { return pick(-4, 4); };
        // `count` straight ops on cells other than `avoid` (a check of it instead).
        auto straight = [&](int count, int avoid) {
            for (int i = count; i > 0; --i) {
                const int off = cell();
                if (off == avoid) {
                    code.push_back(instr(Op::Check, off));
                    continue;
                }
                switch (pick(0, 4)) {
                case 0:
                case 1: code.push_back(instr(Op::Add, off, pick(-2, 2))); break;
                case 2: code.push_back(instr(Op::Set, off, pick(0, 2))); break;
                case 3: code.push_back(instr(Op::MulAdd, off, pick(-3, 3), cell())); break;
                case 4: code.push_back(instr(Op::Check, off)); break;
                }
            }
        };
        int at = cell();
        for (int i = pick(1, 5); i > 0; --i) {
            const int next = cell();
            if (pick(0, 1)) {  // an add to `at`, maybe others after it (at times to `at`)
                code.push_back(instr(Op::Add, at, pick(0, 1) ? -1 : 1));
                straight(pick(0, 2), pick(0, 3) == 0 ? kNoCell : at);
            }
            code.push_back(instr(Op::IfBegin, at));
            straight(pick(0, 2), kNoCell);
            if (pick(0, 4) == 0) {  // a nested if or a counted loop
                const int inner = cell();
                if (pick(0, 1)) {
                    code.push_back(instr(Op::IfBegin, inner));
                    straight(pick(0, 2), kNoCell);
                    code.push_back(instr(Op::IfEnd));
                } else if (inner != next) {
                    code.push_back(instr(Op::Set, inner, pick(0, 3)));
                    code.push_back(instr(Op::LoopBegin, inner));
                    code.push_back(instr(Op::Add, inner, -1));
                    straight(pick(0, 2), inner);
                    code.push_back(instr(Op::LoopEnd, inner));
                }
            }
            if (pick(0, 3) != 0) {  // clear the next if's cell, maybe touch others after
                code.push_back(instr(Op::Set, next, 0));
                straight(pick(0, 2), next);
                if (pick(0, 9) == 0) code.push_back(instr(Op::Add, next, 1));
            }
            code.push_back(instr(Op::IfEnd));
            at = next;
        }
        if (pick(0, 1)) straight(pick(1, 2), kNoCell);
        if (looped) code.push_back(instr(Op::LoopEnd, control));
        for (int k = -4; k <= 4; ++k) code.push_back(instr(Op::Out, k));
        const Program prog = ir(code);
        Options opts = small(kWidths[n % 3]);
        opts.step_limit = pick(0, 1) ? 0 : static_cast<std::uint64_t>(pick(1, 30));
        threaded += shape_of(prog, opts).threaded;
        CAPTURE(to_string(prog));
        same_as_interp(prog, opts);
    }
    CHECK(threaded > 1500);  // the generator does make them
}

TEST_CASE("random if chains in Brainfuck give the interpreter's results at every width") {
    gen::Rng rng(777);
    std::size_t threaded = 0;
    for (int n = 0; n < 600; ++n) {
        const int side = n % 2 == 0 ? 1 : -1;
        // The counter, away from the tape's start on the shape's side or not.
        std::string source = side > 0 ? ">" : std::string(6, '>');
        source += std::string(static_cast<std::size_t>(rng.between(1, 9)), '+');
        source += gen::if_chain_shape(rng, side);
        source += side > 0 ? ">.>.>.>." : "<.<.<.<.";
        for (int bits : kWidths) {
            Options opts = small(bits);
            const Program prog = bf(source, opts);
            threaded += shape_of(prog, opts).threaded;
            CAPTURE(source);
            CAPTURE(bits);
            same_as_interp(prog, opts);
        }
    }
    CHECK(threaded > 600);
}

}  // namespace jit_region_paths_test
