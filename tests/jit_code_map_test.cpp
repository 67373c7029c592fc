// The JIT's code map (observe.hpp) and the symbols made from it (code_map.hpp): they cover
// the code exactly, place every op, and asking for them leaves the code as it is.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "code_map.hpp"
#include "jit_test_util.hpp"

namespace jit_code_map_test {

using namespace jitbf;
using namespace jitbf::jit_test;

namespace {

JitProgram compiled(const Program& prog, const Options& opts, bool map, bool profile = false) {
    Instrumentation extra;
    extra.code_map = map;
    extra.profile = profile;
    auto jit = JitProgram::compile(prog, opts, extra);
    REQUIRE(jit);
    return std::move(*jit);
}

std::vector<std::uint8_t> bytes(const JitProgram& jit) {
    return {jit.code().begin(), jit.code().end()};
}

std::string program_text(const char* name) {
    std::ifstream f(std::filesystem::path(JITBF_PROGRAMS_DIR) / name);
    REQUIRE(f);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

// Sources with every shape the emitter has: loops in registers and in memory, branch-free
// ifs with their stubs, scans, I/O, far offsets with explicit checks.
const char* const kShapes[] = {
    "+++[>++[>+<-]<-]>>.",
    ",[>+++<-]>[>+>++<<-]+>[>]<[<]++++[>++++<-]>[<+>>+<-],.",
    ">>>>,[-<+>]<[->+<]<<<.",
    "+[->>>>>>>>>>>>>>>>+<<<<<<<<<<<<<<<<]>>>>>>>>>>>>>>>>[[-]>>>>>>>>>>>>>>>>+]",
};

}  // namespace

TEST_CASE("the code map covers the code in order and places every op once") {
    std::vector<std::string> sources(std::begin(kShapes), std::end(kShapes));
    sources.push_back(program_text("fractal.b"));
    sources.push_back(program_text("rot13.b"));
    for (const std::string& src : sources) {
        for (int level : {0, 1, 2}) {
            for (int bits : kWidths) {
                CAPTURE(src.substr(0, 40));
                CAPTURE(level);
                CAPTURE(bits);
                Options opts = small(bits);
                opts.opt_level = level;
                const Program prog = bf(src, opts);
                const JitProgram jit = compiled(prog, opts, true);
                const std::vector<CodeRange>& map = jit.code_map();
                REQUIRE(!map.empty());
                CHECK(map.front().begin == 0);
                CHECK(map.front().kind == CodeKind::Prologue);
                CHECK(map.back().end == jit.code_size());
                std::uint32_t next_op = 0;
                for (std::size_t i = 0; i < map.size(); ++i) {
                    CHECK(map[i].begin <= map[i].end);
                    if (i > 0) CHECK(map[i].begin == map[i - 1].end);
                    if (map[i].kind != CodeKind::Ops) continue;
                    CHECK(map[i].first_op == next_op);
                    CHECK(map[i].end_op > map[i].first_op);
                    next_op = map[i].end_op;
                }
                CHECK(next_op == prog.code.size());
                // Asking for the map changes nothing in the code.
                CHECK(bytes(jit) == bytes(compiled(prog, opts, false)));
            }
        }
    }
}

TEST_CASE("the code map labels the frame and the stubs, each once where they exist") {
    Options opts = small();
    // A branch-free if whose cell may be off the tape gets a stub.
    const Program prog = bf(",[>+<-]", opts);
    const JitProgram jit = compiled(prog, opts, true);
    std::multiset<CodeKind> kinds;
    for (const CodeRange& r : jit.code_map()) kinds.insert(r.kind);
    CHECK(kinds.count(CodeKind::Prologue) == 1);
    CHECK(kinds.count(CodeKind::Epilogue) == 1);
    CHECK(kinds.count(CodeKind::FaultExit) == 1);
    CHECK(kinds.count(CodeKind::IfStubs) == 1);
    CHECK(kinds.count(CodeKind::ErrorStubs) == 0);  // no error the code checks for itself
    CHECK(kinds.count(CodeKind::Ops) == prog.code.size());
    // A step limit makes the back-edge exit through a stub.
    opts.step_limit = 100;
    kinds.clear();
    // Held in a variable: a range-for over a temporary's member would outlive the program.
    const JitProgram limited = compiled(bf("+[>+[-]<]", opts), opts, true);
    for (const CodeRange& r : limited.code_map()) kinds.insert(r.kind);
    CHECK(kinds.count(CodeKind::ErrorStubs) == 1);
}

TEST_CASE("only code compiled for profiling counts") {
    for (const char* src : kShapes) {
        CAPTURE(src);
        const Program prog = bf(src, small());
        const JitProgram plain = compiled(prog, small(), false);
        const JitProgram counting = compiled(prog, small(), false, true);
        CHECK(bytes(counting) != bytes(plain));
        CHECK(counting.register_regions() == 0);  // every iteration is counted in memory
        // A run without profiling has no counters to count in (RunContext::counts is null):
        // code that touched one would crash here rather than agree.
        same_as_interp(prog, small(), "\x03");
    }
}

TEST_CASE("symbols cover the code once, named by loop and block positions") {
    Options opts = small();
    opts.opt_level = 0;
    const Program prog = bf("+\n+[>+[-]<-]>[>]+", opts);
    const JitProgram jit = compiled(prog, opts, true);
    const std::vector<CodeSymbol> symbols = code_symbols(prog, jit.code_map());
    std::vector<std::string> names;
    std::uint32_t at = 0;
    for (const CodeSymbol& s : symbols) {
        CHECK(s.begin == at);
        CHECK(s.end > s.begin);
        at = s.end;
        names.push_back(s.name);
    }
    CHECK(at == jit.code_size());
    // The outer loop's `<-]` after its inner loop is a block; so is the `>` after it.
    const std::vector<std::string> want = {
        "bf:prologue",   "bf:block@1:1", "bf:loop@2:2",   "bf:loop@2:5", "bf:block@2:8",
        "bf:block@2:11", "bf:loop@2:12", "bf:block@2:15", "bf:epilogue", "bf:fault_exit"};
    CHECK_MESSAGE(names == want, [&] {
        std::string all;
        for (const std::string& n : names) all += n + " ";
        return all;
    }());
}

TEST_CASE("symbols that would share a name are numbered") {
    // (The move keeps the two loops out of one region on registers, which is one symbol.)
    Program prog =
        ir({instr(Op::LoopBegin), instr(Op::Add, 0, -1), instr(Op::LoopEnd), instr(Op::Move, 0, 1),
            instr(Op::LoopBegin), instr(Op::Add, 0, -1), instr(Op::LoopEnd)});
    prog.code[4].pos = prog.code[0].pos;  // a peeled copy
    const JitProgram jit = compiled(prog, small(), true);
    std::set<std::string> names;
    for (const CodeSymbol& s : code_symbols(prog, jit.code_map()))
        CHECK(names.insert(s.name).second);
    CHECK(names.count("bf:loop@1:1") == 1);
    CHECK(names.count("bf:loop@1:1#2") == 1);
}

}  // namespace jit_code_map_test
