// Jump threading of ifs in the JIT (emit_control.cpp, thread_skip): where an if is skipped,
// the if right after it on a cell known to be 0 then is skipped too, its test never made on
// that path. These tests hold it to the interpreter wherever that could go wrong: bodies
// that move p, cells off the tape, the step limit, and what is known on the tape after.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "jit/codegen.hpp"
#include "jit_test_util.hpp"

namespace jit_threading_test {

using namespace jitbf;
using namespace jitbf::jit_test;

namespace {

std::size_t code_size(const Program& prog) {
    auto gen = jit::generate(prog, small());
    REQUIRE(gen);
    return gen->code.size();
}

// flag = `flag_value`; if [p+1] { flag++ }; if [flag] { [p+3] += 7 }   (flag: [p+2])
Program flag_then_test(std::int32_t flag_value) {
    return ir({instr(Op::Move, 0, 5), instr(Op::Set, 1, 4), instr(Op::Set, 2, flag_value),
               instr(Op::IfBegin, 1), instr(Op::Add, 2, 1), instr(Op::IfEnd), instr(Op::IfBegin, 2),
               instr(Op::Add, 3, 7), instr(Op::Set, 2), instr(Op::IfEnd), instr(Op::Out, 3)});
}

}  // namespace

TEST_CASE("an if skipped past the next if on a cleared cell hands it the body's flags") {
    // With the flag cleared before the first if, its skip jumps past the second if, and the
    // second if's test reuses the flags of the add just before it: one compare fewer than
    // with the flag set to 1 (the same code otherwise).
    CHECK(code_size(flag_then_test(0)) < code_size(flag_then_test(1)));
    for (std::int32_t flag : {0, 1}) {
        CAPTURE(flag);
        for (int bits : kWidths) same_as_interp(flag_then_test(flag), small(bits));
    }
}

TEST_CASE("two ifs on one cell: the first one's skip passes the second") {
    // if [p+1] { [p+1] -= 2; [p+4] += 1 }; if [p+1] { [p+5] += 1 }, for [p+1] from 0 to 3.
    for (std::int32_t v : {0, 1, 2, 3}) {
        CAPTURE(v);
        const Program prog =
            ir({instr(Op::Set, 1, v), instr(Op::IfBegin, 1), instr(Op::Add, 1, -2),
                instr(Op::Add, 4, 1), instr(Op::IfEnd), instr(Op::IfBegin, 1), instr(Op::Add, 5, 1),
                instr(Op::IfEnd), instr(Op::Out, 4), instr(Op::Out, 5)});
        for (int bits : kWidths) same_as_interp(prog, small(bits));
    }
}

TEST_CASE("after threaded ifs only what both ways know is known on the tape") {
    // When [p+1] is not 0 the first if's body moves p 3 cells left and touches [p+8], cell
    // 4095; skipped, p stays at 4090, where [p+8] is past the end. So after the second if
    // [p+8] is not known on the tape, and a branch-free if on a zero cell with it as target
    // must check it, not touch it.
    for (std::int32_t v : {0, 1}) {
        CAPTURE(v);
        std::vector<Instr> code = {
            instr(Op::OutStr),      instr(Op::Move, 0, 4090), instr(Op::Set, 5),
            instr(Op::Set, 1, v),   instr(Op::Set, 2),        instr(Op::IfBegin, 1),
            instr(Op::Move, 0, -3), instr(Op::Set, 8),        instr(Op::Add, 2, 1),
            instr(Op::IfEnd),       instr(Op::IfBegin, 2),    instr(Op::Add, 3, 1),
            instr(Op::Set, 2),      instr(Op::IfEnd)};
        for (const Instr& in : transfer_if(0, {8})) code.push_back(in);
        faults_like_interp(ir(code, kAb), RunStatus::Ok, 0);
    }
}

TEST_CASE("random pairs of ifs give the interpreter's results near the tape's ends") {
    // A cell cleared (or not), an if on a random cell whose body may move p, touch cells on
    // either side or change the cleared cell, then an if on the cleared cell or on the first
    // if's, a random body, and a zero-cell if that relies on what is known on the tape.
    std::mt19937 rng(5151);
    auto pick = [&](int lo, int hi) {
        return lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1));
    };
    auto body = [&](std::vector<Instr>& code) {
        for (int i = pick(0, 4); i > 0; --i) {
            const int off = pick(-5, 5);
            switch (pick(0, 5)) {
            case 0: code.push_back(instr(Op::Add, off, pick(-2, 2))); break;
            case 1: code.push_back(instr(Op::Set, off, pick(0, 2))); break;
            case 2:
                code.push_back(instr(Op::Move, 0, pick(0, 1) ? pick(1, 2) : -pick(1, 2)));
                break;
            case 3: code.push_back(instr(Op::MulAdd, off, pick(-3, 3), pick(-5, 5))); break;
            case 4: code.push_back(instr(Op::Out, off)); break;
            case 5: code.push_back(instr(Op::Scan, off, pick(0, 1) ? 1 : -1)); break;
            }
        }
    };
    for (int n = 0; n < 3000; ++n) {
        const bool right = n % 2 == 1;
        std::vector<Instr> code = {instr(Op::Move, 0, right ? 4095 - pick(0, 6) : pick(1, 6))};
        for (int i = pick(0, 3); i > 0; --i)
            code.push_back(instr(Op::Set, pick(-5, 5), pick(0, 3)));
        const int a = pick(-5, 5), flag = pick(-5, 5);
        code.push_back(instr(Op::Set, flag, pick(0, 3) == 0 ? 1 : 0));
        if (pick(0, 1)) code.push_back(instr(Op::Add, pick(-5, 5), 1));  // maybe the flag
        code.push_back(instr(Op::IfBegin, a));
        body(code);
        if (pick(0, 1)) code.push_back(instr(Op::Add, flag, pick(-1, 1)));
        code.push_back(instr(Op::IfEnd));
        code.push_back(instr(Op::IfBegin, pick(0, 3) == 0 ? a : flag));
        body(code);
        code.push_back(instr(Op::IfEnd));
        for (const Instr& in : random_transfer_if(pick(-5, 5), pick)) code.push_back(in);
        code.push_back(instr(Op::Out, pick(-5, 5)));
        const Program prog = ir(code);
        Options opts = small(kWidths[n % 3]);
        opts.step_limit = 1000;
        CAPTURE(to_string(prog));
        same_as_interp(prog, opts);
    }
}

}  // namespace jit_threading_test
