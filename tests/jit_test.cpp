// JIT backend semantics: the interpreter's results for every op, cell width and EOF mode,
// off-tape faults turned into the same RunResult, the step limit, and a corpus smoke test.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "jit/codegen.hpp"
#include "jit_test_util.hpp"
#include "short_program.hpp"

namespace jit_test {

using namespace jitbf;
using namespace jitbf::jit_test;

// --- every op, against the interpreter --------------------------------------------------

TEST_CASE("every op at every cell width and EOF mode gives the interpreter's results") {
    // The IR keeps amounts modulo 2^32, which every cell width wraps the same.
    auto amount = [](std::int64_t v) { return amount_arg(static_cast<std::uint64_t>(v)); };
    const std::int64_t values[] = {1,
                                   -1,
                                   2,
                                   127,
                                   128,
                                   200,
                                   255,
                                   256,
                                   300,
                                   -129,
                                   65535,
                                   65536 + 3,
                                   -70000,
                                   0x7fffffff,
                                   -0x7fffffffLL - 1,
                                   (std::int64_t{1} << 33) + 7};
    std::vector<std::pair<const char*, Program>> programs;
    {
        std::vector<Instr> code;
        for (int i = 0; i < 16; ++i) code.push_back(instr(Op::Add, i, amount(values[i])));
        for (int i = 0; i < 16; ++i) code.push_back(instr(Op::Add, i, amount(values[15 - i])));
        for (int i = 0; i < 16; ++i) code.push_back(instr(Op::Out, i));
        programs.emplace_back("add", ir(code));
    }
    {
        std::vector<Instr> code;
        for (int i = 0; i < 16; ++i) code.push_back(instr(Op::Set, i + 3, amount(values[i])));
        for (int i = 0; i < 16; ++i) code.push_back(instr(Op::Out, i + 3));
        programs.emplace_back("set", ir(code));
    }
    programs.emplace_back("move",
                          ir({instr(Op::Move, 0, 5), instr(Op::Add, 0, 1), instr(Op::Move, 0, -3),
                              instr(Op::Add, 0, 2), instr(Op::Move, 0, 100), instr(Op::Add, -50, 3),
                              instr(Op::Add, 7, 4), instr(Op::Out, -50)}));
    {
        std::vector<Instr> code = {instr(Op::Set, 0, 7), instr(Op::Set, 1, -3)};
        for (int i = 0; i < 16; ++i)
            code.push_back(instr(Op::MulAdd, 2 + i, amount(values[i]), i % 2));
        code.push_back(instr(Op::MulAdd, 1, 3, 1));  // source and destination the same cell
        code.push_back(instr(Op::MulAdd, 0, -1));
        for (int i = 0; i < 18; ++i) code.push_back(instr(Op::Out, i));
        programs.emplace_back("muladd", ir(code));
    }
    {
        std::vector<Instr> code = {instr(Op::Move, 0, 40)};
        for (int i = -20; i <= 20; ++i)
            if (i != -9 && i != 13) code.push_back(instr(Op::Set, i, i + 100));
        code.push_back(instr(Op::Scan, 0, 1));
        code.push_back(instr(Op::Add, 0, 1));  // marks where it stopped
        code.push_back(instr(Op::Scan, 0, -1));
        code.push_back(instr(Op::Add, 0, 2));
        code.push_back(instr(Op::Scan, 1, 3));
        code.push_back(instr(Op::Add, 0, 3));
        code.push_back(instr(Op::Scan, -1, -2));
        code.push_back(instr(Op::Add, 0, 4));
        code.push_back(instr(Op::Scan, 2, 1));
        code.push_back(instr(Op::Scan, 0, 1));
        code.push_back(instr(Op::Add, 0, 5));
        programs.emplace_back("scan", ir(code));
    }
    programs.emplace_back(
        "in", ir({instr(Op::Set, 0, 9), instr(Op::Set, 1, 0x1234), instr(Op::Set, 2, 77),
                  instr(Op::Set, 3, -1), instr(Op::In), instr(Op::In, 1), instr(Op::In, 2),
                  instr(Op::In, 3), instr(Op::Out), instr(Op::Out, 1), instr(Op::Out, 2),
                  instr(Op::Out, 3)}));
    programs.emplace_back("out", ir({instr(Op::Set, 0, 0x141), instr(Op::Out), instr(Op::OutStr),
                                     instr(Op::OutStr, 0, 1), instr(Op::OutStr, 0, 2),
                                     instr(Op::Set, 0, -2), instr(Op::Out)},
                                    {"hello", "", std::string("x\0y", 3)}));
    programs.emplace_back(
        "check", ir({instr(Op::Check, 5), instr(Op::Move, 0, 4095), instr(Op::Check, -4095),
                     instr(Op::Add, 0, 1), instr(Op::Check)}));
    programs.emplace_back(
        "loops",
        ir({instr(Op::Set, 0, 5), instr(Op::LoopBegin), instr(Op::Add, 1, 3),
            instr(Op::LoopBegin, 2), instr(Op::Add, 3, 1), instr(Op::LoopEnd, 2),
            instr(Op::Add, 0, -1), instr(Op::LoopEnd), instr(Op::LoopBegin, 4),
            instr(Op::Add, 5, 1), instr(Op::LoopEnd, 4), instr(Op::Set, 6, 3),
            instr(Op::Move, 0, 6), instr(Op::LoopBegin), instr(Op::Move, 0, 1),
            instr(Op::Add, 0, 1), instr(Op::Add, -1, -1), instr(Op::LoopEnd, -1), instr(Op::Out)}));
    programs.emplace_back(
        "ifs", ir({instr(Op::Set, 0, 1), instr(Op::IfBegin), instr(Op::Add, 1, 5),
                   instr(Op::IfBegin, 2), instr(Op::Add, 3, 9), instr(Op::IfEnd), instr(Op::IfEnd),
                   instr(Op::IfBegin, 1), instr(Op::Out, 1), instr(Op::IfEnd)}));
    for (const auto& named : programs) {
        // Not a structured binding: CAPTURE's lambda cannot capture one in clang 14.
        const char* name = named.first;
        const Program& prog = named.second;
        for (int bits : kWidths) {
            for (EofMode eof : kEofModes) {
                CAPTURE(name);
                CAPTURE(bits);
                CAPTURE(static_cast<int>(eof));
                const Outcome o = same_as_interp(prog, small(bits, eof), "ab");
                CHECK(o.result.status == RunStatus::Ok);
            }
        }
    }
}

TEST_CASE("brainfuck programs through the pipeline give the interpreter's results") {
    const char* sources[] = {
        ("++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------."
         "--------.>>+.>++."),
        ",[.,]",
        "-.[-]+.>,.,.,.<[->+>+<<]>>.",
        ">>>++[<+++[<++>-]>-]<<[>+>+<<-]>>.",
        "+[>+]",  // walks right until the tape ends
    };
    for (const char* source : sources) {
        for (int bits : kWidths) {
            for (EofMode eof : kEofModes) {
                CAPTURE(source);
                CAPTURE(bits);
                Options opts = small(bits, eof);
                opts.step_limit = 100000;
                same_as_interp(bf(source, opts), opts, "xyz");
            }
        }
    }
}

TEST_CASE("random brainfuck programs give the interpreter's results, faults included") {
    std::mt19937 rng(12345);
    for (int n = 0; n < 300; ++n) {
        const std::string source = gen::short_random_program(rng, 60);
        Options opts = small(kWidths[n % 3], kEofModes[(n / 3) % 3]);
        opts.step_limit = 5000;
        CAPTURE(source);
        same_as_interp(bf(source, opts), opts, "q\x01\xff");
    }
}

TEST_CASE("random IR programs give the interpreter's results, faults included") {
    std::mt19937 rng(777);
    auto pick = [&](int lo, int hi) {
        return lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1));
    };
    for (int n = 0; n < 300; ++n) {
        std::vector<Instr> code = {instr(Op::Move, 0, pick(1, 12))};
        OpenBrackets open;
        const int length = pick(1, 40);
        for (int i = 0; i < length; ++i) {
            const int off = pick(-3, 3);
            switch (pick(0, 11)) {
            case 0: code.push_back(instr(Op::Add, off, pick(-300, 300))); break;
            case 1: code.push_back(instr(Op::Set, off, pick(-2, 3))); break;
            case 2: code.push_back(instr(Op::Move, 0, pick(-3, 3) | 1)); break;
            case 3: code.push_back(instr(Op::MulAdd, off, pick(-5, 5), pick(-3, 3))); break;
            case 4:
                code.push_back(instr(Op::Scan, off, pick(0, 1) ? pick(1, 3) : -pick(1, 3)));
                break;
            case 5: code.push_back(instr(Op::In, off)); break;
            case 6: code.push_back(instr(Op::Out, off)); break;
            case 7: code.push_back(instr(Op::OutStr, 0, pick(0, 1))); break;
            case 8: code.push_back(instr(Op::Check, off)); break;
            case 9: open.open(code, Op::LoopBegin, off); break;
            case 10: open.open(code, Op::IfBegin, off); break;
            case 11: open.close(code, off); break;
            }
        }
        open.close_all(code);
        const Program prog = ir(code, {"s", "tt"});
        Options opts = small(kWidths[n % 3], kEofModes[(n / 3) % 3]);
        opts.step_limit = 3000;
        CAPTURE(to_string(prog));
        same_as_interp(prog, opts, "in");
    }
}

// --- off the tape -------------------------------------------------------------------------

TEST_CASE("touching left of cell 0 stops at the touching op with the output kept") {
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::Add, -1, 1)}, kAb), RunStatus::LeftOfTape,
                       1);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::Set, -3, 1)}, kAb), RunStatus::LeftOfTape,
                       1);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::Move, 0, -1), instr(Op::Out)}, kAb),
                       RunStatus::LeftOfTape, 2);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::In, -1)}, kAb), RunStatus::LeftOfTape, 1);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::LoopBegin, -1), instr(Op::LoopEnd)}, kAb),
                       RunStatus::LeftOfTape, 1);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::Set, 0, 1), instr(Op::LoopBegin),
                           instr(Op::Move, 0, -1), instr(Op::LoopEnd)},
                          kAb),
                       RunStatus::LeftOfTape, 4);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::IfBegin, -2), instr(Op::IfEnd)}, kAb),
                       RunStatus::LeftOfTape, 1);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::MulAdd, 1, 2, -1)}, kAb),
                       RunStatus::LeftOfTape, 1);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::MulAdd, -1, 2, 1)}, kAb),
                       RunStatus::LeftOfTape, 1);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::Set, 0, 1), instr(Op::Set, 1, 1),
                           instr(Op::Move, 0, 1), instr(Op::Scan, 0, -1)},
                          kAb),
                       RunStatus::LeftOfTape, 4);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::Check, -1000000)}, kAb),
                       RunStatus::LeftOfTape, 1);
}

TEST_CASE("touching past the last cell stops at the touching op with the output kept") {
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::Move, 0, 4095), instr(Op::Add, 1, 1)}, kAb),
                       RunStatus::RightOfTape, 2);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::Move, 0, 4096), instr(Op::Out)}, kAb),
                       RunStatus::RightOfTape, 2);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::In, 4096)}, kAb), RunStatus::RightOfTape,
                       1);
    faults_like_interp(
        ir({instr(Op::OutStr), instr(Op::Set, 4095, 1), instr(Op::MulAdd, 4096, 3, 4095)}, kAb),
        RunStatus::RightOfTape, 2);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::Set, 4090, 1), instr(Op::Set, 4093, 1),
                           instr(Op::Move, 0, 4090), instr(Op::Scan, 0, 3)},
                          kAb),
                       RunStatus::RightOfTape, 4);
    faults_like_interp(
        ir({instr(Op::OutStr), instr(Op::Move, 0, 5000), instr(Op::LoopBegin), instr(Op::LoopEnd)},
           kAb),
        RunStatus::RightOfTape, 2);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::Check, 1 << 30)}, kAb),
                       RunStatus::RightOfTape, 1);
}

// The cell an off-tape error names, checked on both backends at every width: from the
// faulting address on the JIT (a guard page) or from the checked address (an explicit check).
TEST_CASE("an off-tape error names the cell that was touched") {
    auto touches = [](const Program& prog, RunStatus status, std::int64_t cell) {
        for (int bits : kWidths) {
            CAPTURE(bits);
            const Outcome o = same_as_interp(prog, small(bits), "");
            CHECK(o.result.status == status);
            CHECK(o.result.cell == cell);
        }
    };
    touches(ir({instr(Op::Add, -1, 1)}), RunStatus::LeftOfTape, -1);
    touches(ir({instr(Op::Set, -3, 1)}), RunStatus::LeftOfTape, -3);
    touches(ir({instr(Op::MulAdd, 1, 2, -5)}), RunStatus::LeftOfTape, -5);  // its source
    touches(ir({instr(Op::Set, 0, 1), instr(Op::MulAdd, -7, 2, 0)}), RunStatus::LeftOfTape, -7);
    touches(ir({instr(Op::Set, 0, 1), instr(Op::Set, 1, 1), instr(Op::Move, 0, 1),
                instr(Op::Scan, 0, -1)}),
            RunStatus::LeftOfTape, -1);
    touches(ir({instr(Op::Check, -1000000)}), RunStatus::LeftOfTape, -1000000);
    touches(ir({instr(Op::Move, 0, 4000), instr(Op::In, 96)}), RunStatus::RightOfTape, 4096);
    touches(ir({instr(Op::Set, 4090, 1), instr(Op::Set, 4093, 1), instr(Op::Move, 0, 4090),
                instr(Op::Scan, 0, 3)}),
            RunStatus::RightOfTape, 4096);
    touches(ir({instr(Op::Check, 1 << 30)}), RunStatus::RightOfTape, std::int64_t{1} << 30);
}

// A Check near a cell known on the tape is a touch of its cell, which the guard catches:
// the fault is still the Check's, at its position, naming the cell.
TEST_CASE("a check near cells known on the tape faults as the check, naming its cell") {
    faults_like_interp(
        ir({instr(Op::OutStr), instr(Op::Add, 0, 1), instr(Op::Check, -3), instr(Op::Add, -3, 1)},
           kAb),
        RunStatus::LeftOfTape, 2);
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::Move, 0, 4090), instr(Op::Add, 5, 1),
                           instr(Op::Check, 9), instr(Op::Scan, 9, 1)},
                          kAb),
                       RunStatus::RightOfTape, 3);
    for (int bits : kWidths) {
        CAPTURE(bits);
        const Outcome o = same_as_interp(
            ir({instr(Op::Move, 0, 4093), instr(Op::Add, 0, 1), instr(Op::Check, 60)}), small(bits),
            "");
        CHECK(o.result.status == RunStatus::RightOfTape);
        CHECK(o.result.op == 2);
        CHECK(o.result.cell == 4093 + 60);
    }
}

TEST_CASE("a check near cells known on the tape costs one touch, and none on a known cell") {
    for (int bits : kWidths) {
        CAPTURE(bits);
        const std::size_t base =
            code_size({instr(Op::Add, 0, 1), instr(Op::Add, 5, 1), instr(Op::Out, 3)}, bits);
        // Cell 8 is 3 cells past the known ones: `cmp cell[8], 0` and nothing else.
        const std::size_t near = code_size(
            {instr(Op::Add, 0, 1), instr(Op::Add, 5, 1), instr(Op::Check, 8), instr(Op::Out, 3)},
            bits);
        CHECK(near > base);
        CHECK(near - base <= 5);
        // Cell 2 lies between cells already touched: it is on the tape.
        CHECK(code_size({instr(Op::Add, 0, 1), instr(Op::Add, 5, 1), instr(Op::Check, 2),
                         instr(Op::Out, 3)},
                        bits) == base);
        // With nothing known on the tape, the check compares against both ends.
        CHECK(code_size({instr(Op::Check, 8), instr(Op::Out, 3)}, bits) >
              code_size({instr(Op::Out, 3)}, bits) + 5);
    }
}

TEST_CASE("a scan striding further than the guard checks every cell explicitly") {
    const std::int64_t stride = std::int64_t{1} << 29;
    faults_like_interp(
        ir({instr(Op::OutStr), instr(Op::Set, 0, 1), instr(Op::Scan, 0, stride)}, kAb),
        RunStatus::RightOfTape, 2);
    faults_like_interp(
        ir({instr(Op::OutStr), instr(Op::Set, 0, 1), instr(Op::Scan, 0, -stride)}, kAb),
        RunStatus::LeftOfTape, 2);
    // ...and stops like any scan when it meets a zero cell on the tape.
    faults_like_interp(
        ir({instr(Op::OutStr), instr(Op::Scan, 0, stride), instr(Op::Add, 0, 1)}, kAb),
        RunStatus::Ok, 0);
}

TEST_CASE("offsets and moves beyond a 32-bit displacement still address the right cell") {
    const std::int32_t far = 1 << 30;  // x4 bytes at 32 bits: not a 32-bit displacement
    faults_like_interp(ir({instr(Op::OutStr), instr(Op::Check, far), instr(Op::Add, far, 1)}, kAb),
                       RunStatus::RightOfTape, 1);
    faults_like_interp(
        ir({instr(Op::OutStr), instr(Op::Move, 0, 3 << 29), instr(Op::Move, 0, 3 << 29),
            instr(Op::Move, 0, -(3 << 29)), instr(Op::Move, 0, -(3 << 29) + 7),
            instr(Op::Add, 0, 1), instr(Op::Move, 0, far), instr(Op::Check, -far + 1),
            instr(Op::Add, -far + 1, 2), instr(Op::MulAdd, -far, 3, -far + 1), instr(Op::Out, -far),
            instr(Op::In, -far + 2)},
           kAb),
        RunStatus::Ok, 0, std::string("ab\x07", 3));
}

TEST_CASE("the step limit stops at the same back-edge as the interpreter") {
    const Outcome o = same_as_interp(bf("+[]", small()), [] {
        Options opts = small();
        opts.step_limit = 1000;
        return opts;
    }());
    CHECK(o.result.status == RunStatus::StepLimit);
    CHECK(o.result.op == 2);
    for (std::uint64_t limit = 1; limit < 40; ++limit) {
        Options opts = small();
        opts.step_limit = limit;
        CAPTURE(limit);
        same_as_interp(bf("++[>+++[>+.<-]<-]", opts), opts);
    }
}

TEST_CASE("the if/else idiom and walks stop and fault at every step limit as on the interpreter") {
    // The if/else idiom of generated code, whose inner loops run at most once and move p,
    // also with its flag or the cell after it not 0, so they run on; walks off either end of
    // the tape, in their first iteration or a later one.
    const char* programs[] = {
        "+++++>++<[->->+<[>-]>[-<+++>>]<<<]",
        "+++++>++>>+<<<[->->+<[>-]>[-<+++>>]<<<]",
        "+++++>>+<<[->>+<[->-]>[-<++>>]<<<]",
        "[<+]",
        "+[<+]",
        ">>>+<<[>-]",
        "-[>-]",
        "+[>>+<-]",
    };
    for (const char* source : programs) {
        for (int bits : kWidths) {
            for (std::uint64_t limit = 0; limit < 24; ++limit) {
                Options opts = small(bits);
                opts.step_limit = limit;
                CAPTURE(source);
                CAPTURE(bits);
                CAPTURE(limit);
                same_as_interp(bf(source, opts), opts);
            }
        }
    }
}

// --- the corpus -----------------------------------------------------------------------------

TEST_CASE("corpus programs give their expected output on the JIT") {
    const std::filesystem::path dir = JITBF_CORPUS_DIR;
    if (!std::filesystem::exists(dir / "MANIFEST.tsv")) {
        MESSAGE("skipped: no corpus at " << dir);
        return;
    }
    auto slurp = [](const std::filesystem::path& p) {
        std::ifstream f(p, std::ios::binary);
        std::ostringstream ss;
        ss << f.rdbuf();
        return ss.str();
    };
    const struct {
        const char* program;
        const char* input;
        const char* expected;
    } rows[] = {
        {"mandelbrot.b", nullptr, "mandelbrot.b.out"},
        {"hanoi.b", nullptr, "hanoi.b.out"},
        {"long.b", nullptr, "long.b.out"},
        {"factor.b", "factor.b.in", "factor.b.out"},
        {"dbfi.b", "dbfi.b.in", "dbfi.b.out"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.program);
        const Options opts;  // the corpus's: 8 bits, EOF unchanged, default tape
        const Program prog = bf(slurp(dir / row.program), opts);
        std::string captured;
        auto in = Input::memory(row.input ? slurp(dir / row.input) : std::string());
        auto out = Output::memory(&captured);
        auto ex = execute(prog, opts, Backend::Jit, in, out);
        REQUIRE(ex);
        CHECK(ex->result.status == RunStatus::Ok);
        CHECK(captured == slurp(dir / row.expected));
    }
}

}  // namespace jit_test
