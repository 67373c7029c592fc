// Running a program on a tape that earlier runs left, from a given cell (what --repl does
// with each line): the passes drop what they assume about a fresh tape, and both backends
// start at the cell given and report the cell the pointer ended on.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine.hpp"
#include "parse.hpp"
#include "passes/passes.hpp"
#include "short_program.hpp"

namespace resume_test {

using namespace jitbf;

namespace {

Program optimized(std::string_view src, const Options& opts, bool standalone) {
    auto parsed = parse(src);
    REQUIRE(parsed);
    parsed->standalone = standalone;
    return optimize(std::move(*parsed), opts);
}

struct Ran {
    RunResult r;
    std::string out;
    std::vector<std::uint32_t> cells;
};

// Runs `prog` on a tape whose cell i holds (i * 7 + 3) masked, from cell `start`.
Ran run_used(const Program& prog, const Options& opts, Backend backend, std::uint64_t start,
             const std::string& input = "ab") {
    auto tape = Tape::create(opts.tape_cells, opts.cell_bits);
    REQUIRE(tape);
    for (std::uint64_t i = 0; i < 64; ++i) {
        const std::uint32_t v = static_cast<std::uint32_t>(i * 7 + 3);
        switch (opts.cell_bits) {
        case 8: tape->data()[i] = static_cast<std::uint8_t>(v); break;
        case 16:
            reinterpret_cast<std::uint16_t*>(tape->data())[i] = static_cast<std::uint16_t>(v);
            break;
        default: reinterpret_cast<std::uint32_t*>(tape->data())[i] = v; break;
        }
    }
    auto exe = Executable::compile(prog, opts, backend);
    REQUIRE(exe);
    Ran ran;
    auto in = Input::memory(input);
    auto out = Output::memory(&ran.out);
    ran.r = exe->run(*tape, in, out, nullptr, start);
    for (std::uint64_t i = 0; i < tape->cells(); ++i) ran.cells.push_back(tape->cell(i));
    return ran;
}

Options small(int bits, int level) {
    Options o;
    o.cell_bits = bits;
    o.opt_level = level;
    o.tape_cells = 4096;
    o.step_limit = 5000;
    o.verify_each_pass = true;
    return o;
}

}  // namespace

TEST_CASE("a program that does not start on a fresh tape keeps its first loop") {
    const Options o = small(8, 2);
    const Program used = optimized("[.-]", o, false);
    CHECK(used.code.size() > 1);
    CHECK(optimized("[.-]", o, true).code.empty());
}

TEST_CASE("a program that does not start on a fresh tape knows no cell's value") {
    const Options o = small(8, 2);
    auto has = [](const Program& p, Op op) {
        return std::any_of(p.code.begin(), p.code.end(),
                           [&](const Instr& in) { return in.op == op; });
    };
    const Program used = optimized("+.", o, false);
    CHECK(has(used, Op::Add));
    CHECK(has(used, Op::Out));
    CHECK_FALSE(has(used, Op::OutStr));
    CHECK(has(optimized("+.", o, true), Op::OutStr));  // "\x01", known on a fresh tape
}

TEST_CASE("a run from a start cell works on the cells as they are and ends where the pointer is") {
    for (Backend backend : {Backend::Interp, Backend::Jit}) {
        CAPTURE(backend_name(backend));
        const Options o = small(8, 2);
        // cell 10 holds 73, cell 11 holds 80
        const Ran ran = run_used(optimized(".+>.[>]", o, false), o, backend, 10);
        CHECK(ran.r.status == RunStatus::Ok);
        CHECK(ran.out == "IP");
        CHECK(ran.cells[10] == 74);
        CHECK(ran.r.pointer == 64);  // the first cell still 0
    }
}

TEST_CASE("a run that leaves the tape from a start cell names the cell it touched") {
    for (Backend backend : {Backend::Interp, Backend::Jit}) {
        CAPTURE(backend_name(backend));
        const Options o = small(8, 0);
        const Ran ran = run_used(optimized("<<<+", o, false), o, backend, 2);
        CHECK(ran.r.status == RunStatus::LeftOfTape);
        CHECK(ran.r.cell == -1);
    }
}

// The optimized program on a used tape must do what -O0 does there: if a pass still
// assumed zero cells, a pointer at cell 0 or a pointer nobody looks at after the end, the
// comparison would find it. The tape is compared after runs that end well: at a fault, -O2
// may have combined writes across the faulting touch (as in a whole program), so there the
// JIT is compared with the interpreter at the same level instead.
TEST_CASE("random programs from a start cell on a used tape run as at -O0, on both backends") {
    std::mt19937 rng(4242);
    for (int n = 0; n < 300; ++n) {
        const std::string source = gen::short_random_program(rng, 40);
        const int bits = 8 << (n % 3);
        const std::uint64_t start = rng() % 50;
        CAPTURE(source);
        CAPTURE(bits);
        CAPTURE(start);
        const Ran want = run_used(optimized(source, small(bits, 0), false), small(bits, 0),
                                  Backend::Interp, start);
        if (want.r.status == RunStatus::StepLimit) continue;  // -O2 counts fewer steps
        const Options o = small(bits, 2);
        const Program prog = optimized(source, o, false);
        const Ran interp = run_used(prog, o, Backend::Interp, start);
        const Ran jit = run_used(prog, o, Backend::Jit, start);
        for (const Ran* got : {&interp, &jit}) {
            CHECK(got->r.status == want.r.status);
            CHECK(got->out == want.out);
            if (want.r.status == RunStatus::Ok) {
                CHECK(got->cells == want.cells);
                CHECK(got->r.pointer == want.r.pointer);
            } else if (want.r.status != RunStatus::OutputClosed) {
                CHECK(got->r.cell == want.r.cell);
            }
        }
        CHECK(jit.cells == interp.cells);
    }
}
TEST_CASE("a program that is not standalone keeps its last move") {
    const Program piece = optimized("+>+>", small(8, 1), false);
    REQUIRE(!piece.code.empty());
    CHECK(piece.code.back().op == Op::Move);
    CHECK(piece.code.back().arg == 2);
    const Program whole = optimized("+>+>", small(8, 1), true);
    REQUIRE(!whole.code.empty());
    CHECK(whole.code.back().op != Op::Move);
}

}  // namespace resume_test
