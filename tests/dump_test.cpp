// `#` dumps (Options::debug): the line a dump writes, how the parser and the passes treat
// `#`, that without --debug it changes nothing, not even the machine code, and that every
// backend and level dumps exactly what the interpreter at -O0 dumps, on random programs.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dump.hpp"
#include "engine.hpp"
#include "ir.hpp"
#include "jitbf/jitbf.hpp"
#include "parse.hpp"
#include "passes/passes.hpp"
#include "random_program.hpp"
#include "rng.hpp"
#include "sample.hpp"

namespace dump_test {

namespace {

using namespace jitbf;

Program parsed(std::string_view src, bool debug) {
    auto p = parse(src, debug);
    REQUIRE(p);
    return std::move(*p);
}

// The ops as "name [p+off]" lines, without positions.
std::string ops(const Program& prog) {
    std::string s;
    for (const Instr& in : prog.code) s += to_string(in, prog) + "\n";
    return s;
}

struct Ran {
    RunStatus status;
    std::string output;
    std::string dumps;
    std::string log;  // output and dumps as they came: "o:...", "d:..."
};

Ran run(std::string_view src, Options opts, const std::string& input = "") {
    opts.debug = true;
    Ran r{};
    opts.debug_out = [&r](std::string_view line) {
        r.dumps += line;
        r.log += "d:" + std::string(line);
    };
    auto prog = compile(src, opts);
    REQUIRE(prog);
    auto in = Input::memory(input);
    auto out = Output::callback([&r](std::string_view s) {
        r.output += s;
        r.log += "o:" + std::string(s) + "\n";
        return true;
    });
    r.status = prog->run(in, out).status;
    return r;
}

}  // namespace

TEST_CASE("a dump shows position, pointer, the window with the pointer's cell in brackets") {
    const std::uint8_t cells[4] = {72, 0, 10, 255};
    const TapeView tape{cells, 4, 8};
    CHECK(format_dump({3, 14}, 1, tape, 1) ==
          "# at 3:14, pointer at cell 1:  0:72 'H'  [1:0]  2:10\n");
    CHECK(format_dump({1, 1}, 2, tape, 1) == "# at 1:1, pointer at cell 2:  1:0  [2:10]  3:255\n");
    CHECK(format_dump({1, 1}, 0, tape, 0) == "# at 1:1, pointer at cell 0:  [0:72 'H']\n");
}

TEST_CASE("a dump shows the cells off the tape as such, also when the pointer is off it") {
    const std::uint8_t cells[2] = {1, 2};
    const TapeView tape{cells, 2, 8};
    CHECK(format_dump({1, 2}, 0, tape, 2) ==
          "# at 1:2, pointer at cell 0:  (cells -2..-1 off the tape)  [0:1]  1:2  (cell 2 off the "
          "tape)\n");
    CHECK(format_dump({1, 2}, -5, tape, 1) ==
          "# at 1:2, pointer at cell -5:  (cells -6..-4 off the tape)\n");
    CHECK(format_dump({1, 2}, 9, tape, 8) ==
          "# at 1:2, pointer at cell 9:  1:2  (cells 2..17 off the tape)\n");
}

TEST_CASE("a dump reads 16 and 32-bit cells whole and shows characters only for printable ASCII") {
    const std::uint16_t w16[2] = {65, 0x141};
    CHECK(format_dump({1, 1}, 0, {reinterpret_cast<const std::uint8_t*>(w16), 2, 16}, 1) ==
          "# at 1:1, pointer at cell 0:  (cell -1 off the tape)  [0:65 'A']  1:321\n");
    const std::uint32_t w32[1] = {4294967295u};
    CHECK(format_dump({1, 1}, 0, {reinterpret_cast<const std::uint8_t*>(w32), 1, 32}, 0) ==
          "# at 1:1, pointer at cell 0:  [0:4294967295]\n");
}

TEST_CASE("without debug, # is a comment: the IR is that of the source without it") {
    const std::string with = "+#+>#[-#]<#.";
    const std::string without = "++>[-]<.";
    for (int level = 0; level <= 2; ++level) {
        Options o;
        o.opt_level = level;
        CHECK(ops(optimize(parsed(with, false), o)) == ops(optimize(parsed(without, false), o)));
    }
}

TEST_CASE("without debug, # costs nothing: the JIT's machine code is the same byte for byte") {
    const std::string with = "++++[>++#++<-#]>[>+>#+<<-]>>[#.<]#";
    const std::string without = "++++[>++++<-]>[>+>+<<-]>>[.<]";
    for (int bits : {8, 16, 32}) {
        Options o;
        o.cell_bits = bits;
        auto a = compile(with, o);
        auto b = compile(without, o);
        REQUIRE(a);
        REQUIRE(b);
        CHECK(a->code_bytes() == b->code_bytes());
        const Program pa = optimize(parsed(with, false), o);
        const Program pb = optimize(parsed(without, false), o);
        auto ja = JitProgram::compile(pa, o);
        auto jb = JitProgram::compile(pb, o);
        REQUIRE(ja);
        REQUIRE(jb);
        const auto ca = ja->code();
        const auto cb = jb->code();
        CHECK(std::vector<std::uint8_t>(ca.begin(), ca.end()) ==
              std::vector<std::uint8_t>(cb.begin(), cb.end()));
    }
}

TEST_CASE("with debug, # is a dump that ends runs of + and >") {
    CHECK(ops(parsed("+#+>#>", true)) ==
          "add [p] 1\ndump [p]\nadd [p] 1\nmove 1\ndump [p]\nmove 1\n");
    CHECK(parsed("ab#", true).code.at(0).pos == SourcePos{1, 3});
}

TEST_CASE("deferred moves reach a dump as its offset, and no write folds across it") {
    Options o;
    const std::string ir = ops(optimize(parsed(">>+#+<#", true), o));
    CHECK(ir.find("move") == std::string::npos);
    CHECK(ir.find("dump [p+2]") != std::string::npos);
    CHECK(ir.find("dump [p+1]") != std::string::npos);
    CHECK(run(">>+#+<#", o).dumps ==
          "# at 1:4, pointer at cell 2:  (cells -6..-1 off the tape)  0:0  1:0  [2:1]  3:0  4:0  "
          "5:0  6:0  7:0  8:0  9:0  10:0\n"
          "# at 1:7, pointer at cell 1:  (cells -7..-1 off the tape)  0:0  [1:0]  2:2  3:0  4:0  "
          "5:0  6:0  7:0  8:0  9:0\n");
}

TEST_CASE("a loop with # inside is not rewritten, and dumps every iteration") {
    Options o;
    o.debug_window = 1;
    const std::string ir = ops(optimize(parsed("++[-#]", true), o));
    CHECK(ir.find("loop") != std::string::npos);
    CHECK(run("++[-#]", o).dumps ==
          "# at 1:5, pointer at cell 0:  (cell -1 off the tape)  [0:1]  1:0\n"
          "# at 1:5, pointer at cell 0:  (cell -1 off the tape)  [0:0]  1:0\n");
}

TEST_CASE("output is flushed before each dump, so they come in program order") {
    for (Backend b : {Backend::Jit, Backend::Interp}) {
        Options o;
        o.backend = b;
        o.debug_window = 0;
        CHECK(run("++++++++[>++++++++<-]>+.#+.#", o).log ==
              "o:A\nd:# at 1:25, pointer at cell 1:  [1:65 'A']\n"
              "o:B\nd:# at 1:28, pointer at cell 1:  [1:66 'B']\n");
    }
}

TEST_CASE("a dump with the pointer off the tape does not fault, on either backend") {
    for (Backend b : {Backend::Jit, Backend::Interp}) {
        Options o;
        o.backend = b;
        o.tape_cells = 4096;
        o.debug_window = 2;
        const Ran left = run("<<#>>+", o);
        CHECK(left.status == RunStatus::Ok);
        CHECK(left.dumps == "# at 1:3, pointer at cell -2:  (cells -4..-1 off the tape)  0:0\n");
        const Ran right = run("<#", o);
        CHECK(right.dumps ==
              "# at 1:2, pointer at cell -1:  (cells -3..-1 off the tape)  0:0  1:0\n");
    }
}

TEST_CASE("a dump shows cells the JIT keeps in registers as the program has them") {
    // The multiply loop's cells live in registers inside the loop: the dump after each
    // iteration must see them written back.
    for (int level = 0; level <= 2; ++level) {
        Options o;
        o.opt_level = level;
        o.debug_window = 3;
        Options interp = o;
        interp.backend = Backend::Interp;
        interp.opt_level = 0;
        const std::string src = "+++[>++>+++<<-]>[>+<-#]>>+#[<<+>>-]<<#";
        CHECK(run(src, o).dumps == run(src, interp).dumps);
    }
}

TEST_CASE("a library option outside its range is an error") {
    Options o;
    o.debug_window = kMaxDebugWindow + 1;
    auto p = compile("#", o);
    REQUIRE_FALSE(p);
    CHECK(p.errors().front().message.find("debug window") != std::string::npos);
}

// The differential test of dumps: random programs (tests/gen/) with a few `#` inserted,
// dumped by the interpreter at -O0 and by every other backend and level, which must write
// the same dumps, the same output and end the same way.
TEST_CASE("random programs with # dump the same on every backend, level and width") {
    constexpr int kPrograms = 1500;
    constexpr std::uint64_t kSteps = 100'000;
    gen::Rng rng(0x64756d70);  // "dump"
    int compared = 0, tried = 0;
    for (int n = 0; n < kPrograms; ++n) {
        gen::Case c = gen::random_case(gen::case_seed(0x64756d70, static_cast<std::uint64_t>(n)));
        // Insert one to four `#` at random places (anywhere: they split runs, which is the point).
        const auto marks = rng.between(1, 4);
        for (std::int64_t k = 0; k < marks; ++k) {
            const auto at = static_cast<std::size_t>(rng.below(c.source.size() + 1));
            c.source.insert(at, 1, '#');
        }
        if (!test_sample::runs(static_cast<std::uint64_t>(n))) continue;
        ++tried;
        Options oracle = c.opts;
        oracle.backend = Backend::Interp;
        oracle.opt_level = 0;
        oracle.step_limit = kSteps;
        oracle.debug_window = static_cast<std::uint32_t>(rng.below(6));
        const Ran want = run(c.source, oracle, c.input);
        if (want.status == RunStatus::StepLimit || want.dumps.size() > (1u << 20)) continue;
        ++compared;
        for (Backend b : {Backend::Interp, Backend::Jit}) {
            for (int level = 0; level <= 2; ++level) {
                if (b == Backend::Interp && level == 0) continue;
                Options o = oracle;
                o.backend = b;
                o.opt_level = level;
                o.step_limit = 10 * kSteps;
                const Ran got = run(c.source, o, c.input);
                INFO("seed ", c.seed, " ", backend_name(b), " -O", level, " bits ",
                     c.opts.cell_bits, "\n", c.source);
                REQUIRE(got.dumps == want.dumps);
                REQUIRE(got.output == want.output);
                REQUIRE(got.status == want.status);
            }
        }
    }
    CHECK(compared > tried / 2);
    test_sample::report("random programs with # dump the same",
                        static_cast<std::size_t>(kPrograms - tried), kPrograms);
}

}  // namespace dump_test
