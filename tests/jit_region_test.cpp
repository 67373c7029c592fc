// JIT regions on registers (regalloc.hpp, emit_region.cpp): running code with its cells in
// registers changes nothing the interpreter decides (output, end, final tape), whether the
// step limit stops it inside, or a cell near the tape's ends sends it to its memory version.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "jit/codegen.hpp"
#include "jit/regalloc.hpp"
#include "jit_test_util.hpp"

namespace jit_region_test {

using namespace jitbf;
using namespace jitbf::jit_test;

namespace {

std::size_t register_regions(const Program& prog, int bits = 8) {
    auto gen = jit::generate(prog, small(bits));
    REQUIRE(gen);
    return gen->register_regions;
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

// factor.b's digit code: `depth` nested ifs each counting [p+1] down and [p+2] up, the
// innermost carrying into [p+5].
std::vector<Instr> digit_chain(int depth) {
    std::vector<Instr> code;
    for (int d = 0; d < depth; ++d)
        code.insert(code.end(),
                    {instr(Op::IfBegin, 1), instr(Op::Add, 1, -1), instr(Op::Add, 2, 1)});
    code.push_back(instr(Op::Add, 5, 1));
    for (int d = 0; d < depth; ++d) code.push_back(instr(Op::IfEnd));
    return code;
}

// Nested loops in place: [p+3] times, count [p+4] down from 3 into [p+5].
std::vector<Instr> nested_loops() {
    return {instr(Op::LoopBegin, 3), instr(Op::Add, 3, -1), instr(Op::Set, 4, 3),
            instr(Op::LoopBegin, 4), instr(Op::Add, 4, -1), instr(Op::Add, 5, 1),
            instr(Op::LoopEnd, 4),   instr(Op::Add, 2, 1),  instr(Op::LoopEnd, 3)};
}

std::vector<Instr> concat(std::vector<Instr> a, const std::vector<Instr>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// A counting chain (shape.hpp) on [p+1] of `depth` levels: each adds `each` to [p+2], the
// last `last` instead and 1 to [p+5] (in memory: used once), then `tail`.
std::vector<Instr> counting_chain(int depth, std::int32_t each, std::int32_t last,
                                  const std::vector<Instr>& tail) {
    std::vector<Instr> code;
    for (int d = 0; d < depth; ++d)
        code.insert(code.end(), {instr(Op::IfBegin, 1), instr(Op::Add, 1, -1),
                                 instr(Op::Add, 2, d + 1 == depth ? last : each)});
    code.push_back(instr(Op::Add, 5, 1));
    code.insert(code.end(), tail.begin(), tail.end());
    for (int d = 0; d < depth; ++d) code.push_back(instr(Op::IfEnd));
    return code;
}

std::size_t code_bytes(const Program& prog) {
    auto gen = jit::generate(prog, small(8));
    REQUIRE(gen);
    return gen->code.size();
}

}  // namespace

TEST_CASE("the code keeps a region in registers wherever the plan makes one") {
    const std::vector<Instr> at10 = {instr(Op::Move, 0, 10)};
    for (const auto& body : {carry_loop(), digit_chain(9), nested_loops()}) {
        const Program prog = ir(concat(at10, body));
        CAPTURE(to_string(prog));
        CHECK(jit::plan_registers(prog, 8).size() == 1);
        CHECK(register_regions(prog) == 1);
    }
    // A loop that moves is in memory, but the code in place inside it is a region.
    const Program walk =
        ir(concat(concat(at10, {instr(Op::LoopBegin, 0)}),
                  concat(digit_chain(3), {instr(Op::Move, 0, 10), instr(Op::LoopEnd, 0)})));
    CHECK(register_regions(walk) == 1);
    CHECK(register_regions(ir(concat(at10, {instr(Op::Add, 1, 1), instr(Op::Out, 1)}))) == 0);
}

TEST_CASE("regions leave the interpreter's tape at every width, stopped or not") {
    // Counting [p+3] from 111 = 3 * 37 reaches zero by steps of -1 or -3 without wrapping,
    // so those loops run 37 or 111 times at every width: more than the largest step limit
    // below, yet fast (a count that wraps runs up to 2^32 times at 32 bits).
    const std::vector<Instr> start = {instr(Op::Move, 0, 10), instr(Op::Set, 3, 111),
                                      instr(Op::Set, 1, 1),   instr(Op::Set, -6, 250),
                                      instr(Op::Set, 2, 7),   instr(Op::Set, 5, 2)};
    const std::vector<std::vector<Instr>> regions = {
        carry_loop(),
        // An if that branches, factors other than +-1, a set, and a cell multiplied into itself.
        {instr(Op::LoopBegin, 3), instr(Op::Add, 3, -3), instr(Op::IfBegin, 1),
         instr(Op::Add, 2, 5), instr(Op::MulAdd, -6, 7, 2), instr(Op::IfEnd),
         instr(Op::MulAdd, 4, -3, 3), instr(Op::Set, 1), instr(Op::MulAdd, 2, 1, 2),
         instr(Op::Add, 1, 1), instr(Op::LoopEnd, 3)},
        // The back-edge testing another cell than the loop's start (hand-written IR may).
        {instr(Op::LoopBegin, 1), instr(Op::Add, 3, -1), instr(Op::Add, 2, 9),
         instr(Op::LoopEnd, 3)},
        // Straight code, then an if chain, then loops nested in place, all one region.
        concat(concat({instr(Op::Add, 1, 4), instr(Op::Add, 2, 1), instr(Op::Add, 1, 3)},
                      digit_chain(9)),
               nested_loops()),
    };
    for (const std::vector<Instr>& region : regions) {
        const Program prog = ir(concat(concat(start, region),
                                       {instr(Op::Out, 2), instr(Op::Out, -6), instr(Op::Out, 5)}));
        CAPTURE(to_string(prog));
        CHECK(register_regions(prog) >= 1);
        same_as_interp_at_limits(prog, {0, 1, 2, 3, 10, 29, 100});
    }
}

TEST_CASE("counting chains give the interpreter's results for every count, at every width") {
    const std::vector<std::vector<Instr>> tails = {
        {},
        // a transfer if on the counted cell (branch-free), as fibtable.b's digits end
        {instr(Op::IfBegin, 1), instr(Op::MulAdd, 2, 1, 1), instr(Op::Set, 1), instr(Op::IfEnd)},
        // an if that branches, with a chain of its own inside
        concat({instr(Op::IfBegin, 1), instr(Op::Add, 6, 5)},
               concat(counting_chain(3, 2, 1, {}), {instr(Op::Set, 1), instr(Op::IfEnd)})),
    };
    const std::int32_t counts[] = {0, 1, 2, 3, 4, 5, 9, 10, 11, 12, 127, 128, 255, 256, 65535, -1};
    for (int bits : kWidths) {
        for (int depth : {3, 4, 10}) {
            for (const auto& [each, last] : {std::pair{1, 1}, {1, -9}, {-1, 0}, {3, -7}}) {
                for (const std::vector<Instr>& tail : tails) {
                    for (std::int32_t count : counts) {
                        // [p+2] used before the chain, so it is held in a register; [p+1]
                        // once in memory (set only), once in a register (added to first),
                        // set with the top bit of its width and added back to the count: a
                        // register holds such a set sign-extended, and the chain must look
                        // at the cell's bits only.
                        for (bool held : {false, true}) {
                            const std::int32_t top = bits < 32 ? std::int32_t{1} << (bits - 1) : 0;
                            std::vector<Instr> code = {
                                instr(Op::Move, 0, 10),
                                instr(Op::Set, 1, held ? count + top : count),
                                instr(Op::Set, 2, 200), instr(Op::Add, 2, 1)};
                            if (held) code.push_back(instr(Op::Add, 1, -top));
                            code = concat(code, counting_chain(depth, each, last, tail));
                            code = concat(code, {instr(Op::Out, 1), instr(Op::Out, 2),
                                                 instr(Op::Out, 5), instr(Op::Out, 6)});
                            const Program prog = ir(code);
                            CAPTURE(bits);
                            CAPTURE(count);
                            CAPTURE(to_string(prog));
                            same_as_interp(prog, small(bits));
                        }
                    }
                }
            }
        }
    }
}

TEST_CASE("a counting chain's code does not grow with its depth") {
    // Run as nested branches, each level would add a test and a jump. (The outputs first
    // put cells 0 to 6 on the tape, so the region needs no copy in memory.)
    auto prog = [](int depth) {
        return ir(concat(
            {instr(Op::Out, 0), instr(Op::Out, 6), instr(Op::Set, 1, 7), instr(Op::Add, 2, 1)},
            concat(counting_chain(depth, 1, -9, {}), {instr(Op::Out, 2)})));
    };
    CHECK(code_bytes(prog(4)) == code_bytes(prog(40)));
    CHECK(code_bytes(prog(2)) < code_bytes(prog(3)));  // two levels keep their branches
}

TEST_CASE("an if right inside an if tests its own cell, not the flags of an add before") {
    // [p+1] += 1 (255 + 1: 0); if [p+2] { if [p+1] { [p+4] += 1 } }: the outer test leaves
    // the flags of [p+2], not of the add, so the inner if must test [p+1] itself.
    const Program prog =
        ir({instr(Op::Move, 0, 10), instr(Op::Out, 0), instr(Op::Out, 6), instr(Op::Set, 1, -1),
            instr(Op::Set, 2, 1), instr(Op::Set, 3, 5), instr(Op::LoopBegin, 3),
            instr(Op::Add, 3, -1), instr(Op::Add, 1, 1), instr(Op::IfBegin, 2),
            instr(Op::IfBegin, 1), instr(Op::Add, 4, 1), instr(Op::IfEnd), instr(Op::IfEnd),
            instr(Op::Set, 1, -1), instr(Op::LoopEnd, 3), instr(Op::Out, 4)});
    CHECK(register_regions(prog) == 1);
    for (int bits : kWidths) {
        CAPTURE(bits);
        same_as_interp(prog, small(bits));
    }
}

TEST_CASE("a region whose cells may be off the tape runs from memory, faulting there") {
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
    // The if chain reaches its carry [p+5] (op 33, cell 4096) only when [p+1] lasts all 10
    // steps; below that the chain leaves early and nothing faults.
    for (int count : {3, 9, 10}) {
        CAPTURE(count);
        faults_like_interp(
            with_prefix({instr(Op::OutStr), instr(Op::Move, 0, 4091), instr(Op::Set, 1, count)},
                        digit_chain(10)),
            count >= 10 ? RunStatus::RightOfTape : RunStatus::Ok, count >= 10 ? 33 : 0);
    }
}

TEST_CASE("a register lent on from a cell still in memory gives the interpreter's results") {
    // The differential fuzzer's program (planner-hole-without-live-cell), minimized: after
    // ,[>,] the optimizer knows no cell, so the empty loops stay, and ten cells live across
    // the region take every register. At -O2, [p+6] lends its register to [p+2] over ops
    // 24-31; the empty loop on [p+0] (25) takes it from [p+2], whose own loop (27) may gain
    // it back; then [p+3], over 27-35, borrows it while [p+6] is in memory still. A second
    // hole, begun inside the first, stored [p+6] from a register no longer holding it (an
    // assertion in the emitter; heap corruption without assertions).
    const std::string source =
        ",[>,]>>>>>>[]>[]>[]>[]>[]>[]>[]<<<<<<<<<<<+>>>>[]<[]<<[-]<<[]>>[>[>>>>+<<<<]<]"
        "<+>>>>>>>+<<<<<[]>>>[]>>>+>+>+<<<<<<[]>>>>>>>+<<<<<<<<[]";
    for (int bits : kWidths) {
        for (int level : {1, 2}) {
            CAPTURE(bits);
            CAPTURE(level);
            Options opts = small(bits);
            opts.opt_level = level;
            const Program prog = bf(source, opts);
            CHECK(register_regions(prog, bits) == 1);
            same_as_interp(prog, opts);
        }
    }
}

TEST_CASE("random regions give the interpreter's results near the tape's ends") {
    std::mt19937 rng(9090);
    auto pick = [&](int lo, int hi) {
        return lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1));
    };
    std::size_t in_registers = 0, holes = 0;
    for (int n = 0; n < 3000; ++n) {
        const bool right = n % 2 == 1;
        std::vector<Instr> code = {instr(Op::Move, 0, right ? 4095 - pick(0, 8) : pick(1, 8))};
        for (int i = pick(0, 4); i > 0; --i)
            code.push_back(instr(Op::Set, pick(-4, 4), pick(0, 5)));
        const int control = pick(-3, 3);
        code.push_back(instr(Op::Set, control, pick(1, 9)));
        code.push_back(instr(Op::LoopBegin, control));
        code.push_back(instr(Op::Add, control, pick(0, 1) ? -1 : pick(-5, 5)));
        OpenBrackets open;
        // Closes the innermost bracket; a loop ends on the cell it started on.
        auto close = [&] {
            if (open.ends.empty()) return;
            std::int32_t cell = 0;
            std::size_t depth = 0;
            for (std::size_t k = code.size(); k-- > 0;) {
                if (closes(code[k].op)) ++depth;
                if (opens(code[k].op) && depth-- == 0) {
                    cell = code[k].off;
                    break;
                }
            }
            open.close(code, cell);
        };
        for (int i = pick(1, 16); i > 0; --i) {
            const int off = pick(-8, 8);
            switch (pick(0, 9)) {
            case 0: code.push_back(instr(Op::Add, off, pick(-3, 3))); break;
            case 1: code.push_back(instr(Op::Set, off, pick(0, 2))); break;
            case 2: code.push_back(instr(Op::MulAdd, off, pick(-4, 4), pick(-8, 8))); break;
            case 3: code.push_back(instr(Op::Check, off)); break;
            case 4: {
                for (const Instr& in : random_transfer_if(off, pick)) code.push_back(in);
                break;
            }
            case 5:  // a chain step: count one cell down, another up, if the first is not 0
                open.open(code, Op::IfBegin, off);
                code.push_back(instr(Op::Add, off, -1));
                code.push_back(instr(Op::Add, pick(-8, 8), 1));
                break;
            case 6: open.open(code, Op::IfBegin, off); break;
            case 7:  // a counted inner loop, on a cell set just before
                code.push_back(instr(Op::Set, off, pick(0, 4)));
                open.open(code, Op::LoopBegin, off);
                code.push_back(instr(Op::Add, off, -1));
                break;
            case 8:
            case 9: close(); break;
            }
        }
        while (!open.ends.empty()) close();
        code.push_back(instr(Op::LoopEnd, control));
        const Program prog = ir(code);
        in_registers += register_regions(prog);
        for (const jit::Region& r : jit::plan_registers(prog, kWidths[n % 3]))
            holes += r.holes.size();
        Options opts = small(kWidths[n % 3]);
        opts.step_limit = static_cast<std::uint64_t>(pick(1, 300));
        CAPTURE(to_string(prog));
        same_as_interp(prog, opts);
    }
    CHECK(in_registers > 2000);  // the generator does make them
    CHECK(holes > 40);           // and cells lent to inner code
}

}  // namespace jit_region_test
