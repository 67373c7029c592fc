// Profiling (observe.hpp, profile.hpp): what each count means, the same counts from both
// backends on every program, runs that profiling leaves as they were, and the summary by
// loop that --profile prints.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "jit_test_util.hpp"
#include "profile.hpp"
#include "random_program.hpp"
#include "sample.hpp"

namespace profile_test {

using namespace jitbf;
using namespace jitbf::jit_test;

namespace {

struct Profiled {
    RunResult result;
    std::string output;
    ProfileCounts counts;
};

Profiled profiled_run(Backend backend, const Program& prog, const Options& opts,
                      const std::string& input = {}) {
    Instrumentation extra;
    extra.profile = true;
    auto exe = Executable::compile(prog, opts, backend, extra);
    REQUIRE(exe);
    auto tape = Tape::create(opts.tape_cells, opts.cell_bits);
    REQUIRE(tape);
    Profiled p;
    auto in = Input::memory(input);
    auto out = Output::memory(&p.output);
    p.counts.assign(prog.code.size(), 0);
    p.result = exe->run(*tape, in, out, &p.counts);
    return p;
}

// The counts, checked to be the same from both backends.
ProfileCounts counted(const Program& prog, const Options& opts, const std::string& input = {}) {
    const Profiled interp = profiled_run(Backend::Interp, prog, opts, input);
    const Profiled jit = profiled_run(Backend::Jit, prog, opts, input);
    CHECK(jit.counts == interp.counts);
    CHECK(jit.output == interp.output);
    CHECK(jit.result.status == interp.result.status);
    return interp.counts;
}

Options at_level(int level, int bits = 8) {
    Options o = small(bits);
    o.opt_level = level;
    return o;
}

// The index of the n-th (0-based) op of kind `op`.
std::size_t nth(const Program& prog, Op op, int n = 0) {
    for (std::size_t i = 0; i < prog.code.size(); ++i)
        if (prog.code[i].op == op && n-- == 0) return i;
    FAIL("no such op");
    return 0;
}

}  // namespace

TEST_CASE("a profiled loop counts the times it was reached and the times its body ran") {
    const Program prog = bf("+++[>++[>+<-]<-]", at_level(0));
    const ProfileCounts c = counted(prog, at_level(0));
    const std::size_t outer = nth(prog, Op::LoopBegin, 0), inner = nth(prog, Op::LoopBegin, 1);
    CHECK(c[outer] == 1);
    CHECK(c[static_cast<std::size_t>(prog.code[outer].arg)] == 3);
    CHECK(c[inner] == 3);
    CHECK(c[static_cast<std::size_t>(prog.code[inner].arg)] == 6);
    // A loop reached on a zero cell counts as reached and never iterated.
    const Program skipped = bf("[+]", at_level(0));
    CHECK(counted(skipped, at_level(0)) == ProfileCounts{1, 0, 0});
}

TEST_CASE("a profiled if counts the times its body ran") {
    // -O1 makes both copy loops ifs; only the second one's cell is not zero.
    const Program prog = bf("[>++<-]+++[>++<-]", at_level(1));
    const ProfileCounts c = counted(prog, at_level(1));
    CHECK(c[nth(prog, Op::IfBegin, 0)] == 0);
    CHECK(c[nth(prog, Op::IfBegin, 1)] == 1);
}

TEST_CASE("a profiled scan counts the cells it stepped over, at every width and stride") {
    for (int bits : kWidths) {
        CAPTURE(bits);
        // Cells 1..6 hold 1. From cell 1 right to cell 7: 6 steps; from cell 6 left by 2
        // over 6, 4 and 2 to cell 0: 3 steps; on cell 0, which is 0: none.
        const Program prog = bf(">+>+>+>+>+>+<<<<<[>]<[<<][>>>]", at_level(1, bits));
        const ProfileCounts c = counted(prog, at_level(1, bits));
        const std::size_t scans[] = {nth(prog, Op::Scan, 0), nth(prog, Op::Scan, 1),
                                     nth(prog, Op::Scan, 2)};
        CHECK(prog.code[scans[0]].arg == 1);
        CHECK(prog.code[scans[1]].arg == -2);
        CHECK(prog.code[scans[2]].arg == 3);
        CHECK(c[scans[0]] == 6);
        CHECK(c[scans[1]] == 3);
        CHECK(c[scans[2]] == 0);
    }
}

TEST_CASE("both backends count the same on every program, at every level") {
    const std::filesystem::path dir = JITBF_PROGRAMS_DIR;
    for (const char* name : {"hello.b", "primes.b", "cellwidth.b", "eof.b", "rot13.b"}) {
        std::ifstream f(dir / name);
        REQUIRE(f);
        std::stringstream text;
        text << f.rdbuf();
        for (int level : {0, 1, 2}) {
            CAPTURE(name);
            CAPTURE(level);
            Options opts = at_level(level);
            opts.eof = EofMode::Zero;
            const Program prog = bf(text.str(), opts);
            counted(prog, opts, "Some input!\n");
        }
    }
}

TEST_CASE("both backends count the same on random programs, also ones that fail") {
    int failed = 0;
    std::size_t left_out = 0;
    for (std::uint64_t i = 0; i < 300; ++i) {
        if (!test_sample::runs(i)) {
            ++left_out;
            continue;
        }
        const gen::Case c = gen::random_case(gen::case_seed(0x9e3779b97f4a7c15, i));
        CAPTURE(c.seed);
        for (int level : {0, 2}) {
            CAPTURE(level);
            Options opts = c.opts;
            opts.opt_level = level;
            opts.step_limit = 1'000'000;
            const Program prog = bf(c.source, opts);
            const Profiled interp = profiled_run(Backend::Interp, prog, opts, c.input);
            const Profiled jit = profiled_run(Backend::Jit, prog, opts, c.input);
            CHECK(jit.counts == interp.counts);
            CHECK(jit.result.status == interp.result.status);
            failed += interp.result.status != RunStatus::Ok;
        }
    }
    CHECK(failed > 0);  // the failing runs were compared too
    test_sample::report("both backends count the same on random programs", left_out, 300);
}

TEST_CASE("a profiled run does what the run without profiling does") {
    const Program prog = bf(",[>+++[>++<-]<-]>>[<]+[>]<.", at_level(2));
    for (Backend b : {Backend::Jit, Backend::Interp}) {
        CAPTURE(backend_name(b));
        const Outcome plain = run_on(b, prog, at_level(2), "\x05");
        const Profiled counted_run = profiled_run(b, prog, at_level(2), "\x05");
        CHECK(counted_run.output == plain.output);
        CHECK(counted_run.result.status == plain.result.status);
    }
}

TEST_CASE("the profile ranks loops by the ops executed in them, inner loops apart") {
    // 0 add; 1 loop { 2 add; 3 loop { 4 add } 5; 6 scan } 7
    Program prog = ir({instr(Op::Add, 0, 1), instr(Op::LoopBegin), instr(Op::Add, 1, 1),
                       instr(Op::LoopBegin, 1), instr(Op::Add, 1, -1), instr(Op::LoopEnd, 1),
                       instr(Op::Scan, 0, 1), instr(Op::LoopEnd)});
    // The outer loop ran 2 times, the inner 10 times in all, the scan stepped 7 cells.
    const ProfileCounts counts{0, 1, 0, 2, 0, 10, 7, 2};
    const ProfileSummary s = summarize_profile(prog, counts);
    // add 1; outer: test 1 + add 2 + back-edge 2; inner: test 2 + add 10 + back-edge 10;
    // scan: 2 runs + 7 steps.
    CHECK(s.ops == 1 + 5 + 22 + 9);
    REQUIRE(s.loops.size() == 3);
    CHECK(s.loops[0].pos == SourcePos{1, 4});  // the inner loop: most work of its own
    CHECK(s.loops[0].entered == 2);
    CHECK(s.loops[0].iterations == 10);
    CHECK(s.loops[0].self == 22);
    CHECK(s.loops[0].total == 22);
    CHECK(s.loops[1].pos == SourcePos{1, 7});
    CHECK(s.loops[1].scan);
    CHECK(s.loops[1].iterations == 7);
    CHECK(s.loops[1].self == 9);
    CHECK(s.loops[2].pos == SourcePos{1, 2});
    CHECK(s.loops[2].self == 5);
    CHECK(s.loops[2].total == 5 + 22 + 9);
}

TEST_CASE("the profile counts an if's body by the times it ran, and merges a loop's copies") {
    // Two copies of one source loop (as peeling makes), one with an if inside.
    Program prog = ir({instr(Op::LoopBegin), instr(Op::IfBegin, 1), instr(Op::Add, 2, 1),
                       instr(Op::Add, 3, 1), instr(Op::IfEnd), instr(Op::LoopEnd),
                       instr(Op::LoopBegin), instr(Op::Add, 1, 1), instr(Op::LoopEnd)});
    prog.code[6].pos = prog.code[0].pos;
    // The first copy iterated 4 times and took its if 3 times; the second iterated 3 times.
    const ProfileCounts counts{1, 3, 0, 0, 0, 4, 1, 0, 3};
    const ProfileSummary s = summarize_profile(prog, counts);
    REQUIRE(s.loops.size() == 1);
    CHECK(s.loops[0].entered == 2);
    CHECK(s.loops[0].iterations == 7);
    // First copy: its test 1, the if's test 4, the if's body 2 x 3, the back-edge 4; the
    // second: 1 + 3 + 3.
    CHECK(s.loops[0].self == (1 + 4 + 6 + 4) + (1 + 3 + 3));
    CHECK(s.ops == s.loops[0].self);
}

}  // namespace profile_test
