// The stepping interpreter (src/debug/stepper.hpp): the same semantics as the main
// interpreter, op by op (tape bounds, EOF modes, cell widths, the step limit), what it tells
// its observer, and a differential test against the main interpreter on random programs.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "debug/stepper.hpp"
#include "differential.hpp"
#include "interp_test_util.hpp"
#include "parse.hpp"
#include "passes/passes.hpp"
#include "random_program.hpp"
#include "opts_for.hpp"
#include "sample.hpp"

namespace stepper_test {

using namespace jitbf;
using namespace jitbf::interp_test_util;

namespace {

// Runs `p` on the stepper; interp_test_util::run runs it on the main interpreter.
Ran stepped(const Program& p, const Options& o, const std::string& input = {},
            debug::StepObserver* obs = nullptr) {
    auto tape = Tape::create(o.tape_cells, o.cell_bits);
    REQUIRE(tape);
    Ran ran{{}, {}, std::move(*tape)};
    auto in = Input::memory(input);
    auto out = Output::memory(&ran.out);
    ran.r = debug::step_run(p, o, ran.tape, in, out, obs);
    return ran;
}

struct Recorder : debug::StepObserver {
    std::vector<debug::Step> steps;
    std::vector<std::size_t> io;
    bool ended = false;
    void before_io(std::size_t op) override { io.push_back(op); }
    void after(const debug::Step& s) override { steps.push_back(s); }
    void ending() override { ended = true; }
};

}  // namespace

TEST_CASE("the stepper prints what the program prints") {
    const Ran r = stepped(bf("++++++++[>++++++++<-]>+.+."), opts_for(8));
    CHECK(r.r.status == RunStatus::Ok);
    CHECK(r.out == "AB");
}

TEST_CASE("the stepper fails at the op that touches a cell left of the tape") {
    const Program p = bf("+.<<>+");
    const Ran r = stepped(p, opts_for(8));
    CHECK(r.r.status == RunStatus::LeftOfTape);
    CHECK(r.r.cell == -1);
    CHECK(p.code[r.r.op].op == Op::Add);
    CHECK(p.code[r.r.op].pos == SourcePos{1, 6});
    CHECK(r.out == "\x01");  // what it printed before is flushed
}

TEST_CASE("the stepper fails at the op that touches a cell right of the tape") {
    Options o = opts_for(8, EofMode::Unchanged, 1);
    const std::uint64_t cells = Tape::rounded_cells(1, 8);
    const Program p = bf(std::string(cells, '>') + ",");
    const Ran r = stepped(p, o);
    CHECK(r.r.status == RunStatus::RightOfTape);
    CHECK(r.r.cell == static_cast<std::int64_t>(cells));
    CHECK(p.code[r.r.op].op == Op::In);
}

TEST_CASE("the stepper wraps cells at their width") {
    CHECK(stepped(bf("-"), opts_for(8)).tape.cell(0) == 255);
    CHECK(stepped(bf("-"), opts_for(16)).tape.cell(0) == 65535);
    CHECK(stepped(bf("-"), opts_for(32)).tape.cell(0) == 4294967295u);
    CHECK(stepped(bf(std::string(257, '+')), opts_for(8)).tape.cell(0) == 1);
}

TEST_CASE("the stepper follows each EOF mode at the end of input") {
    const Program p = bf("+++,>,");
    CHECK(stepped(p, opts_for(16, EofMode::Unchanged), "a").tape.cell(1) == 0);
    CHECK(stepped(p, opts_for(16, EofMode::Unchanged), "").tape.cell(0) == 3);
    CHECK(stepped(p, opts_for(16, EofMode::Zero), "").tape.cell(0) == 0);
    CHECK(stepped(p, opts_for(16, EofMode::MinusOne), "").tape.cell(0) == 65535);
    CHECK(stepped(p, opts_for(16, EofMode::MinusOne), "a").tape.cell(0) == 'a');
}

TEST_CASE("the stepper stops at the Nth loop back-edge, as the main interpreter does") {
    const Program p = bf("++++[-]+.");
    for (std::uint64_t limit = 1; limit <= 4; ++limit) {
        Options o = opts_for(8);
        o.step_limit = limit;
        const Ran s = stepped(p, o);
        const Ran m = interp_test_util::run(p, o);
        CAPTURE(limit);
        CHECK(s.r.status == (limit <= 3 ? RunStatus::StepLimit : RunStatus::Ok));
        CHECK(s.r.status == m.r.status);
        CHECK(s.r.op == m.r.op);
        CHECK(s.tape.cell(0) == m.tape.cell(0));
    }
}

TEST_CASE("the observer sees each completed op with the cell it changed") {
    Recorder rec;
    const Program p = bf(">++<-,.");
    stepped(p, opts_for(8), "", &rec);
    REQUIRE(rec.steps.size() == p.code.size());
    const debug::Step& add = rec.steps[1];  // ++ at 1:2
    CHECK(add.p == 1);
    CHECK(add.value == 2);
    CHECK(add.wrote);
    CHECK(add.cell == 1);
    CHECK(add.old_value == 0);
    CHECK(add.new_value == 2);
    CHECK(add.exact == 2);
    const debug::Step& sub = rec.steps[3];  // - on cell 0 wraps below 0
    CHECK(sub.new_value == 255);
    CHECK(sub.exact == -1);
    CHECK(rec.steps[4].at_eof);       // , at the end of input
    CHECK_FALSE(rec.steps[4].wrote);  // ... leaves the cell as it was
    CHECK(rec.steps[0].on_tape);
    CHECK_FALSE(rec.steps[0].touched);  // a move touches no cell
    CHECK(rec.io == std::vector<std::size_t>{4, 5});
    CHECK(rec.ended);
}

TEST_CASE("the observer is not told of the op a run fails at") {
    Recorder rec;
    const Ran r = stepped(bf("+<+"), opts_for(8), "", &rec);
    CHECK(r.r.status == RunStatus::LeftOfTape);
    CHECK(rec.steps.size() == 2);  // + and <, not the + off the tape
    CHECK_FALSE(rec.steps[1].on_tape);
    CHECK(rec.ended);
}

TEST_CASE("a scan tells the observer every cell it touched") {
    Program p;
    p.code = {instr(Op::Set, 3, 0), instr(Op::Scan, 0, 1)};
    Recorder rec;
    const Options o = opts_for(8);
    auto tape = Tape::create(o.tape_cells, o.cell_bits);
    REQUIRE(tape);
    std::memset(tape->data(), 1, 3);
    auto in = Input::none();
    std::string text;
    auto out = Output::memory(&text);
    debug::step_run(p, o, *tape, in, out, &rec);
    REQUIRE(rec.steps.size() == 2);
    CHECK(rec.steps[1].lo == 0);
    CHECK(rec.steps[1].hi == 3);
    CHECK(rec.steps[1].p == 3);
}

// Every random program, at -O0 and at -O2, on the stepper and on the main interpreter: the
// same output, ending (status, op and cell) and final tape.
TEST_CASE("the stepper agrees with the main interpreter on random programs") {
    constexpr std::uint64_t kPrograms = 3000;
    int compared = 0, left_out = 0;
    for (std::uint64_t i = 0; i < kPrograms; ++i) {
        if (!test_sample::runs(i)) {
            ++left_out;
            continue;
        }
        const gen::Case c = gen::random_case(gen::case_seed(0x57e99e4, i));
        auto parsed = parse(c.source);
        REQUIRE(parsed);
        for (int level : {0, 2}) {
            Options o = c.opts;
            o.opt_level = level;
            o.step_limit = gen::kOracleSteps;
            const Program p = optimize(*parsed, o);
            const Ran m = interp_test_util::run(p, o, c.input);
            const Ran s = stepped(p, o, c.input);
            CAPTURE(c.seed);
            CAPTURE(level);
            CHECK(s.r.status == m.r.status);
            CHECK(s.r.op == m.r.op);
            CHECK(s.r.cell == m.r.cell);
            CHECK(s.out == m.out);
            REQUIRE(s.tape.bytes() == m.tape.bytes());
            CHECK(std::memcmp(s.tape.data(), m.tape.data(), s.tape.bytes()) == 0);
            ++compared;
        }
    }
    CHECK(compared == 2 * (static_cast<int>(kPrograms) - left_out));
    test_sample::report("the stepper agrees on random programs", static_cast<std::size_t>(left_out),
                        kPrograms);
}

}  // namespace stepper_test
