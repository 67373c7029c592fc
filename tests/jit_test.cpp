// JIT backend: the interpreter's results for every op, width and EOF mode; off-tape faults
// turned into the same RunResult; faults that are not ours left alone; W^X code memory;
// the calling convention; big programs; and a corpus smoke test.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../src/jit/fault.hpp"
#include "../src/jit/internals.hpp"
#include "jitbf/engine.hpp"
#include "jitbf/jit.hpp"
#include "jitbf/parse.hpp"
#include "jitbf/passes.hpp"

using namespace jitbf;

namespace {

// --- building and running programs ----------------------------------------------------

Instr ins(Op op, std::int32_t off = 0, std::int64_t arg = 0, std::int32_t src = 0) {
    Instr i;
    i.op = op;
    i.off = off;
    i.arg = arg;
    i.src = src;
    return i;
}

// A hand-written IR program (ops the parser never makes), with partners linked and every
// op at its own column so positions are distinguishable.
Program ir(std::vector<Instr> code, std::vector<std::string> strings = {}) {
    Program p;
    p.code = std::move(code);
    p.strings = std::move(strings);
    for (std::size_t i = 0; i < p.code.size(); ++i)
        p.code[i].pos = {1, static_cast<std::uint32_t>(i + 1)};
    relink(p);
    return p;
}

Program bf(std::string_view source, const Options& opts) {
    auto parsed = parse(source);
    REQUIRE(parsed);
    return optimize(std::move(*parsed), opts);
}

Options small(int bits = 8, EofMode eof = EofMode::Unchanged) {
    Options o;
    o.cell_bits = bits;
    o.eof = eof;
    o.tape_cells = 4096;  // a whole number of pages at every width
    return o;
}

struct Outcome {
    RunResult result;
    std::string output;
    std::vector<std::uint8_t> tape;
};

Outcome run_on(Backend backend, const Program& prog, const Options& opts,
               const std::string& input) {
    std::string captured;
    Input in(-1, input);
    Output out(&captured);
    auto ex = execute(prog, opts, backend, in, out);
    REQUIRE(ex);
    Outcome o{ex->result, captured, {}};
    o.tape.assign(ex->tape.data(), ex->tape.data() + ex->tape.bytes());
    return o;
}

// Runs `prog` on both backends and checks that the JIT did exactly what the interpreter
// did; returns the JIT's outcome for further checks.
Outcome same_as_interp(const Program& prog, const Options& opts, const std::string& input = {}) {
    REQUIRE(verify(prog).empty());
    const Outcome want = run_on(Backend::Interp, prog, opts, input);
    Outcome got = run_on(Backend::Jit, prog, opts, input);
    CHECK(got.output == want.output);
    CHECK(got.result.status == want.result.status);
    CHECK(got.result.op == want.result.op);
    CHECK(got.tape == want.tape);
    return got;
}

constexpr int kWidths[] = {8, 16, 32};
constexpr EofMode kEofModes[] = {EofMode::Unchanged, EofMode::Zero, EofMode::MinusOne};

// --- /proc/self/maps ------------------------------------------------------------------

struct Mapping {
    std::uintptr_t begin = 0, end = 0;
    std::string perms;
};

std::vector<Mapping> parse_maps(const std::string& text) {
    std::vector<Mapping> maps;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream f(line);
        std::string range;
        Mapping m;
        f >> range >> m.perms;
        const auto dash = range.find('-');
        m.begin = std::stoull(range.substr(0, dash), nullptr, 16);
        m.end = std::stoull(range.substr(dash + 1), nullptr, 16);
        maps.push_back(m);
    }
    return maps;
}

std::string read_maps() {
    std::ifstream f("/proc/self/maps");
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

const Mapping* mapping_of(const std::vector<Mapping>& maps, const void* addr) {
    const auto a = reinterpret_cast<std::uintptr_t>(addr);
    for (const Mapping& m : maps)
        if (a >= m.begin && a < m.end) return &m;
    return nullptr;
}

bool writable_and_executable(const Mapping& m) {
    return m.perms.size() >= 3 && m.perms[1] == 'w' && m.perms[2] == 'x';
}

}  // namespace

// --- every op, against the interpreter --------------------------------------------------

TEST_CASE("every op at every cell width and EOF mode gives the interpreter's results") {
    const std::int64_t values[] = {1, -1, 2, 127, 128, 200, 255, 256, 300, -129, 65535,
                                   65536 + 3, -70000, 0x7fffffff, -0x7fffffffLL - 1,
                                   (std::int64_t{1} << 33) + 7};
    std::vector<std::pair<const char*, Program>> programs;
    {
        std::vector<Instr> code;
        for (int i = 0; i < 16; ++i) code.push_back(ins(Op::Add, i, values[i]));
        for (int i = 0; i < 16; ++i) code.push_back(ins(Op::Add, i, values[15 - i]));
        for (int i = 0; i < 16; ++i) code.push_back(ins(Op::Out, i));
        programs.emplace_back("add", ir(code));
    }
    {
        std::vector<Instr> code;
        for (int i = 0; i < 16; ++i) code.push_back(ins(Op::Set, i + 3, values[i]));
        for (int i = 0; i < 16; ++i) code.push_back(ins(Op::Out, i + 3));
        programs.emplace_back("set", ir(code));
    }
    programs.emplace_back("move", ir({ins(Op::Move, 0, 5), ins(Op::Add, 0, 1), ins(Op::Move, 0, -3),
                                      ins(Op::Add, 0, 2), ins(Op::Move, 0, 100),
                                      ins(Op::Add, -50, 3), ins(Op::Add, 7, 4), ins(Op::Out, -50)}));
    {
        std::vector<Instr> code = {ins(Op::Set, 0, 7), ins(Op::Set, 1, -3)};
        for (int i = 0; i < 16; ++i) code.push_back(ins(Op::MulAdd, 2 + i, values[i], i % 2));
        code.push_back(ins(Op::MulAdd, 1, 3, 1));  // source and destination the same cell
        code.push_back(ins(Op::MulAdd, 0, -1, 0));
        for (int i = 0; i < 18; ++i) code.push_back(ins(Op::Out, i));
        programs.emplace_back("muladd", ir(code));
    }
    {
        std::vector<Instr> code = {ins(Op::Move, 0, 40)};
        for (int i = -20; i <= 20; ++i)
            if (i != -9 && i != 13) code.push_back(ins(Op::Set, i, i + 100));
        code.push_back(ins(Op::Scan, 0, 1));
        code.push_back(ins(Op::Add, 0, 1));  // marks where it stopped
        code.push_back(ins(Op::Scan, 0, -1));
        code.push_back(ins(Op::Add, 0, 2));
        code.push_back(ins(Op::Scan, 1, 3));
        code.push_back(ins(Op::Add, 0, 3));
        code.push_back(ins(Op::Scan, -1, -2));
        code.push_back(ins(Op::Add, 0, 4));
        code.push_back(ins(Op::Scan, 2, 1));
        code.push_back(ins(Op::Scan, 0, 1));
        code.push_back(ins(Op::Add, 0, 5));
        programs.emplace_back("scan", ir(code));
    }
    programs.emplace_back("in", ir({ins(Op::Set, 0, 9), ins(Op::Set, 1, 0x1234), ins(Op::Set, 2, 77),
                                    ins(Op::Set, 3, -1), ins(Op::In, 0), ins(Op::In, 1),
                                    ins(Op::In, 2), ins(Op::In, 3), ins(Op::Out, 0), ins(Op::Out, 1),
                                    ins(Op::Out, 2), ins(Op::Out, 3)}));
    programs.emplace_back("out", ir({ins(Op::Set, 0, 0x141), ins(Op::Out, 0), ins(Op::OutStr, 0, 0),
                                     ins(Op::OutStr, 0, 1), ins(Op::OutStr, 0, 2),
                                     ins(Op::Set, 0, -2), ins(Op::Out, 0)},
                                    {"hello", "", std::string("x\0y", 3)}));
    programs.emplace_back("check", ir({ins(Op::Check, 5), ins(Op::Move, 0, 4095), ins(Op::Check, -4095),
                                       ins(Op::Add, 0, 1), ins(Op::Check, 0)}));
    programs.emplace_back("loops", ir({ins(Op::Set, 0, 5), ins(Op::LoopBegin, 0), ins(Op::Add, 1, 3),
                                       ins(Op::LoopBegin, 2), ins(Op::Add, 3, 1), ins(Op::LoopEnd, 2),
                                       ins(Op::Add, 0, -1), ins(Op::LoopEnd, 0),
                                       ins(Op::LoopBegin, 4), ins(Op::Add, 5, 1), ins(Op::LoopEnd, 4),
                                       ins(Op::Set, 6, 3), ins(Op::Move, 0, 6),
                                       ins(Op::LoopBegin, 0), ins(Op::Move, 0, 1), ins(Op::Add, 0, 1),
                                       ins(Op::Add, -1, -1), ins(Op::LoopEnd, -1), ins(Op::Out, 0)}));
    programs.emplace_back("ifs", ir({ins(Op::Set, 0, 1), ins(Op::IfBegin, 0), ins(Op::Add, 1, 5),
                                     ins(Op::IfBegin, 2), ins(Op::Add, 3, 9), ins(Op::IfEnd),
                                     ins(Op::IfEnd), ins(Op::IfBegin, 1), ins(Op::Out, 1),
                                     ins(Op::IfEnd)}));
    for (auto& [name, prog] : programs) {
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
        "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------."
        "--------.>>+.>++.",
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
    const std::string alphabet = "+-<>[].,>>++";
    for (int n = 0; n < 300; ++n) {
        std::string source;
        int depth = 0;
        const int length = static_cast<int>(rng() % 60) + 1;
        for (int i = 0; i < length; ++i) {
            char c = alphabet[rng() % alphabet.size()];
            if (c == ']' && depth == 0) c = '[';
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            source += c;
        }
        source.append(static_cast<std::size_t>(depth), ']');
        Options opts = small(kWidths[n % 3], kEofModes[(n / 3) % 3]);
        opts.step_limit = 5000;
        CAPTURE(source);
        same_as_interp(bf(source, opts), opts, "q\x01\xff");
    }
}

TEST_CASE("random IR programs give the interpreter's results, faults included") {
    std::mt19937 rng(777);
    auto pick = [&](int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1)); };
    for (int n = 0; n < 300; ++n) {
        std::vector<Instr> code = {ins(Op::Move, 0, pick(1, 12))};
        std::vector<Op> open;
        const int length = pick(1, 40);
        for (int i = 0; i < length; ++i) {
            const int off = pick(-3, 3);
            switch (pick(0, 11)) {
            case 0: code.push_back(ins(Op::Add, off, pick(-300, 300))); break;
            case 1: code.push_back(ins(Op::Set, off, pick(-2, 3))); break;
            case 2: code.push_back(ins(Op::Move, 0, pick(-3, 3) | 1)); break;
            case 3: code.push_back(ins(Op::MulAdd, off, pick(-5, 5), pick(-3, 3))); break;
            case 4: code.push_back(ins(Op::Scan, off, pick(0, 1) ? pick(1, 3) : -pick(1, 3))); break;
            case 5: code.push_back(ins(Op::In, off)); break;
            case 6: code.push_back(ins(Op::Out, off)); break;
            case 7: code.push_back(ins(Op::OutStr, 0, pick(0, 1))); break;
            case 8: code.push_back(ins(Op::Check, off)); break;
            case 9:
                code.push_back(ins(Op::LoopBegin, off));
                open.push_back(Op::LoopEnd);
                break;
            case 10:
                code.push_back(ins(Op::IfBegin, off));
                open.push_back(Op::IfEnd);
                break;
            case 11:
                if (!open.empty()) {
                    code.push_back(ins(open.back(), open.back() == Op::LoopEnd ? off : 0));
                    open.pop_back();
                }
                break;
            }
        }
        while (!open.empty()) {
            code.push_back(ins(open.back(), 0));
            open.pop_back();
        }
        const Program prog = ir(code, {"s", "tt"});
        Options opts = small(kWidths[n % 3], kEofModes[(n / 3) % 3]);
        opts.step_limit = 3000;
        CAPTURE(to_string(prog));
        same_as_interp(prog, opts, "in");
    }
}

// --- off the tape -------------------------------------------------------------------------

namespace {

// Checks the interpreter's verdict too, so a shared mistake cannot pass.
void faults_like_interp(const Program& prog, RunStatus status, std::size_t op,
                        const std::string& printed = "ab") {
    for (int bits : kWidths) {
        CAPTURE(bits);
        const Outcome o = same_as_interp(prog, small(bits), "");
        CHECK(o.result.status == status);
        CHECK(o.result.op == op);
        CHECK(o.output == printed);
    }
}

const std::vector<std::string> kAb = {"ab"};

}  // namespace

TEST_CASE("touching left of cell 0 stops at the touching op with the output kept") {
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Add, -1, 1)}, kAb), RunStatus::LeftOfTape, 1);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Set, -3, 1)}, kAb), RunStatus::LeftOfTape, 1);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Move, 0, -1), ins(Op::Out)}, kAb),
                       RunStatus::LeftOfTape, 2);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::In, -1)}, kAb), RunStatus::LeftOfTape, 1);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::LoopBegin, -1), ins(Op::LoopEnd)}, kAb),
                       RunStatus::LeftOfTape, 1);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Set, 0, 1), ins(Op::LoopBegin),
                           ins(Op::Move, 0, -1), ins(Op::LoopEnd)},
                          kAb),
                       RunStatus::LeftOfTape, 4);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::IfBegin, -2), ins(Op::IfEnd)}, kAb),
                       RunStatus::LeftOfTape, 1);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::MulAdd, 1, 2, -1)}, kAb),
                       RunStatus::LeftOfTape, 1);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::MulAdd, -1, 2, 1)}, kAb),
                       RunStatus::LeftOfTape, 1);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Set, 0, 1), ins(Op::Set, 1, 1),
                           ins(Op::Move, 0, 1), ins(Op::Scan, 0, -1)},
                          kAb),
                       RunStatus::LeftOfTape, 4);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Check, -1000000)}, kAb), RunStatus::LeftOfTape,
                       1);
}

TEST_CASE("touching past the last cell stops at the touching op with the output kept") {
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Move, 0, 4095), ins(Op::Add, 1, 1)}, kAb),
                       RunStatus::RightOfTape, 2);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Move, 0, 4096), ins(Op::Out)}, kAb),
                       RunStatus::RightOfTape, 2);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::In, 4096)}, kAb), RunStatus::RightOfTape, 1);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Set, 4095, 1), ins(Op::MulAdd, 4096, 3, 4095)},
                          kAb),
                       RunStatus::RightOfTape, 2);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Set, 4090, 1), ins(Op::Set, 4093, 1),
                           ins(Op::Move, 0, 4090), ins(Op::Scan, 0, 3)},
                          kAb),
                       RunStatus::RightOfTape, 4);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Move, 0, 5000), ins(Op::LoopBegin),
                           ins(Op::LoopEnd)},
                          kAb),
                       RunStatus::RightOfTape, 2);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Check, 1 << 30)}, kAb), RunStatus::RightOfTape, 1);
}

TEST_CASE("a scan striding further than the guard checks every cell explicitly") {
    const std::int64_t stride = std::int64_t{1} << 29;
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Set, 0, 1), ins(Op::Scan, 0, stride)}, kAb),
                       RunStatus::RightOfTape, 2);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Set, 0, 1), ins(Op::Scan, 0, -stride)}, kAb),
                       RunStatus::LeftOfTape, 2);
    // ...and stops like any scan when it meets a zero cell on the tape.
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Scan, 0, stride), ins(Op::Add, 0, 1)}, kAb),
                       RunStatus::Ok, 0);
}

TEST_CASE("offsets and moves beyond a 32-bit displacement still address the right cell") {
    const std::int32_t far = 1 << 30;  // x4 bytes at 32 bits: not a 32-bit displacement
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Check, far), ins(Op::Add, far, 1)}, kAb),
                       RunStatus::RightOfTape, 1);
    faults_like_interp(ir({ins(Op::OutStr), ins(Op::Move, 0, std::int64_t{3} << 30),
                           ins(Op::Move, 0, -(std::int64_t{3} << 30) + 7), ins(Op::Add, 0, 1),
                           ins(Op::Move, 0, far), ins(Op::Check, -far + 1), ins(Op::Add, -far + 1, 2),
                           ins(Op::MulAdd, -far, 3, -far + 1), ins(Op::Out, -far), ins(Op::In, -far + 2)},
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

// --- faults that are not ours ---------------------------------------------------------------

TEST_CASE("the fault handler claims only guard touches from the running code") {
    auto tape = Tape::create(4096, 8);
    REQUIRE(tape);
    auto jit = JitProgram::compile(ir({ins(Op::Add, 0, 1), ins(Op::Out)}), small());
    REQUIRE(jit);
    const std::uint8_t* code = JitInternals::code(*jit);
    const jit::OpOffset ops[] = {{0, 0}, {8, 1}};
    const jit::ActiveRun run{&*tape, code, jit->code_size(), ops, 0};
    const auto in_code = reinterpret_cast<std::uintptr_t>(code) + 10;
    const std::uint8_t* left_guard = tape->data() - 1;
    const std::uint8_t* right_guard = tape->data() + tape->bytes();

    CHECK(jit::claims_fault(run, left_guard, in_code));
    CHECK(jit::claims_fault(run, right_guard, in_code));
    CHECK(jit::op_at(run, in_code) == 1);
    CHECK(jit::op_at(run, reinterpret_cast<std::uintptr_t>(code) + 3) == 0);
    // A cell on the tape, memory elsewhere, a null pointer: not a guard.
    CHECK_FALSE(jit::claims_fault(run, tape->data(), in_code));
    CHECK_FALSE(jit::claims_fault(run, &tape, in_code));
    CHECK_FALSE(jit::claims_fault(run, nullptr, in_code));
    CHECK_FALSE(jit::claims_fault(run, tape->data() - kGuardBytes - 1, in_code));
    // The right address from code that is not the running program's.
    CHECK_FALSE(jit::claims_fault(run, left_guard, reinterpret_cast<std::uintptr_t>(&read_maps)));
    CHECK_FALSE(jit::claims_fault(run, left_guard, reinterpret_cast<std::uintptr_t>(code) - 1));
    CHECK_FALSE(jit::claims_fault(run, left_guard,
                                  reinterpret_cast<std::uintptr_t>(code) + jit->code_size()));
    // No run at all.
    const jit::ActiveRun none{};
    CHECK_FALSE(jit::claims_fault(none, left_guard, in_code));
}

namespace {

// In a forked child: installs `previous` as the SIGSEGV handler (the one ours will find and
// chain to), then runs jitted code that touches memory just beyond one of the tape's
// guards (no Check: hand-written IR), memory we make PROT_NONE ourselves so that it is
// known to fault. Returns the child's wait status; exit status 11 means both candidate
// addresses were taken and nothing was tested.
int fault_beyond_guard_in_child(void (*previous)(int, siginfo_t*, void*)) {
    std::fflush(nullptr);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        struct sigaction sa {};
        sigemptyset(&sa.sa_mask);
        if (previous) {
            sa.sa_sigaction = previous;
            sa.sa_flags = SA_SIGINFO;
        } else {
            sa.sa_handler = SIG_DFL;  // also keeps the test framework's report out
        }
        sigaction(SIGSEGV, &sa, nullptr);
        const Options opts = small();
        auto tape = Tape::create(opts.tape_cells, 8);
        if (!tape) _exit(10);
        // Mappings usually grow downwards: the page below the left guard is the free one.
        std::uint8_t* beyond = tape->data() - kGuardBytes - 4096;
        void* m = mmap(beyond, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                       -1, 0);
        if (m != beyond) {
            beyond = tape->data() + tape->bytes() + kGuardBytes;
            m = mmap(beyond, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                     -1, 0);
        }
        if (m != beyond) _exit(11);
        const auto off = static_cast<std::int32_t>(beyond - tape->data());
        auto jit = JitProgram::compile(ir({ins(Op::Add, off, 1)}), opts);
        if (!jit) _exit(12);
        std::string captured;
        Input in;
        Output out(&captured);
        jit->run(*tape, in, out);
        _exit(13);  // swallowed: the run came back as if nothing happened
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    return status;
}

void exit_42(int, siginfo_t*, void*) { _exit(42); }

}  // namespace

TEST_CASE("a fault beyond the guard from jitted code still crashes the process") {
    const int status = fault_beyond_guard_in_child(nullptr);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 11) {
        MESSAGE("skipped: the addresses beyond both guards are mapped");
        return;
    }
    // Killed by SIGSEGV, or, under AddressSanitizer (which may keep its own handler in
    // front of SIG_DFL), its report and exit status 1.
    const bool segv = WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
    const bool asan_report = WIFEXITED(status) && WEXITSTATUS(status) == 1;
    CHECK((segv || asan_report));
}

TEST_CASE("a fault that is not ours goes to the handler installed before ours") {
    const int status = fault_beyond_guard_in_child(exit_42);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 11) {
        MESSAGE("skipped: the addresses beyond both guards are mapped");
        return;
    }
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 42);
}

// --- memory -------------------------------------------------------------------------------

TEST_CASE("compiled code is mapped read+execute and nothing is writable and executable") {
    auto jit = JitProgram::compile(bf("+[>+<-]>.", small()), small());
    REQUIRE(jit);
    const auto maps = parse_maps(read_maps());
    const Mapping* m = mapping_of(maps, JitInternals::code(*jit));
    REQUIRE(m != nullptr);
    CHECK(m->perms.substr(0, 3) == "r-x");
    for (const Mapping& each : maps) CHECK_FALSE(writable_and_executable(each));
}

TEST_CASE("no mapping is writable and executable while jitted code runs") {
    // The program prints, then reads: the read flushes the output into a pipe, which tells
    // a second thread that the code is running (blocked in its input read), and only after
    // looking at the mappings does that thread provide the input.
    int to_us[2], from_us[2];
    REQUIRE(pipe(to_us) == 0);
    REQUIRE(pipe(from_us) == 0);
    auto jit = JitProgram::compile(bf("+.,.", small()), small());
    REQUIRE(jit);
    std::string maps_during;
    std::thread watcher([&] {
        char c = 0;
        if (read(from_us[0], &c, 1) == 1) maps_during = read_maps();
        (void)!write(to_us[1], "z", 1);
    });
    auto tape = Tape::create(4096, 8);
    REQUIRE(tape);
    RunResult r;
    {
        Input in(to_us[0]);
        Output out(from_us[1]);
        r = jit->run(*tape, in, out);
    }
    watcher.join();
    char echoed = 0;
    CHECK(read(from_us[0], &echoed, 1) == 1);
    for (int fd : {to_us[0], to_us[1], from_us[0], from_us[1]}) close(fd);

    CHECK(r.status == RunStatus::Ok);
    CHECK(echoed == 'z');
    REQUIRE_FALSE(maps_during.empty());
    const auto maps = parse_maps(maps_during);
    const Mapping* m = mapping_of(maps, JitInternals::code(*jit));
    REQUIRE(m != nullptr);
    CHECK(m->perms.substr(0, 3) == "r-x");
    for (const Mapping& each : maps) CHECK_FALSE(writable_and_executable(each));
}

TEST_CASE("destroying a compiled program unmaps its code") {
    // Read the maps without allocating after the unmap, so nothing can reuse the pages.
    std::string buf(std::size_t{1} << 20, '\0');
    auto read_into = [&] {
        const int fd = open("/proc/self/maps", O_RDONLY);
        REQUIRE(fd >= 0);
        std::size_t len = 0;
        for (ssize_t n; (n = read(fd, buf.data() + len, buf.size() - len)) > 0;)
            len += static_cast<std::size_t>(n);
        close(fd);
        return len;
    };
    const void* code = nullptr;
    std::size_t bytes = 0;
    {
        auto jit = JitProgram::compile(bf("+++.", small()), small());
        REQUIRE(jit);
        code = JitInternals::code(*jit);
        bytes = JitInternals::mapped_bytes(*jit);
        const auto before = parse_maps(buf.substr(0, read_into()));
        const Mapping* m = mapping_of(before, code);
        REQUIRE(m != nullptr);
        CHECK(m->perms.substr(0, 3) == "r-x");
    }
    const std::size_t len = read_into();
    const auto after = parse_maps(buf.substr(0, len));
    const Mapping* m = mapping_of(after, code);
    // Gone, or (if the allocator has reused the range since) no longer our code.
    if (m != nullptr) CHECK(m->perms.substr(0, 3) != "r-x");
    CHECK(bytes > 0);
}

TEST_CASE("a moved-from program is empty and the moved-to one runs") {
    auto jit = JitProgram::compile(bf("++++++++[>++++++++<-]>+.", small()), small());
    REQUIRE(jit);
    const std::size_t size = jit->code_size();
    JitProgram moved = std::move(*jit);
    CHECK(jit->code_size() == 0);
    CHECK(moved.code_size() == size);
    auto tape = Tape::create(4096, 8);
    REQUIRE(tape);
    std::string captured;
    Input in;
    Output out(&captured);
    CHECK(moved.run(*tape, in, out).status == RunStatus::Ok);
    CHECK(captured == "A");
}

TEST_CASE("a 2 MB program compiles and runs like on the interpreter") {
    std::string source;
    const std::string block = "+>++<[->+<]>[-<+>]<.>>+++[-<<+>>]<<-";
    while (source.size() < (std::size_t{2} << 20)) source += block;
    const Options opts = small();
    const Program prog = bf(source, opts);
    auto jit = JitProgram::compile(prog, opts);
    REQUIRE(jit);
    CHECK(jit->code_size() > source.size());
    same_as_interp(prog, opts);
}

// --- the calling convention ---------------------------------------------------------------

// Calls the code with known values in every callee-saved register and records whether any
// of them (or rsp) differs afterwards.
extern "C" void jitbf_test_call_with_sentinels(jit::EntryFn, std::uint8_t*, jit::RunContext*);
extern "C" {
std::uint64_t jitbf_test_clobbered = ~std::uint64_t{0};
std::uint64_t jitbf_test_saved_rsp = 0;
}
asm(R"(
    .text
    .intel_syntax noprefix
    .globl jitbf_test_call_with_sentinels
    .type jitbf_test_call_with_sentinels, @function
jitbf_test_call_with_sentinels:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    sub rsp, 8
    mov rax, rdi
    mov rdi, rsi
    mov rsi, rdx
    movabs rbx, 0x1111111111111111
    movabs rbp, 0x2222222222222222
    movabs r12, 0x3333333333333333
    movabs r13, 0x4444444444444444
    movabs r14, 0x5555555555555555
    movabs r15, 0x6666666666666666
    mov [rip + jitbf_test_saved_rsp], rsp
    call rax
    movabs rax, 0x1111111111111111
    xor rbx, rax
    movabs rax, 0x2222222222222222
    xor rbp, rax
    movabs rax, 0x3333333333333333
    xor r12, rax
    movabs rax, 0x4444444444444444
    xor r13, rax
    movabs rax, 0x5555555555555555
    xor r14, rax
    movabs rax, 0x6666666666666666
    xor r15, rax
    or rbx, rbp
    or rbx, r12
    or rbx, r13
    or rbx, r14
    or rbx, r15
    mov rax, rsp
    xor rax, [rip + jitbf_test_saved_rsp]
    or rbx, rax
    mov [rip + jitbf_test_clobbered], rbx
    add rsp, 8
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret
    .size jitbf_test_call_with_sentinels, .-jitbf_test_call_with_sentinels
    .att_syntax prefix
)");

TEST_CASE("jitted code preserves callee-saved registers on every way out") {
    struct Case {
        const char* name;
        Program prog;
        std::uint64_t step_limit;
        RunStatus status;
    };
    const Case cases[] = {
        {"normal end, with I/O", ir({ins(Op::Add, 0, 65), ins(Op::Out), ins(Op::In, 1), ins(Op::OutStr)}, {"s"}), 0,
         RunStatus::Ok},
        {"fault", ir({ins(Op::Out), ins(Op::Add, -1, 1)}), 0, RunStatus::LeftOfTape},
        {"explicit check", ir({ins(Op::Check, 1 << 30)}), 0, RunStatus::RightOfTape},
        {"step limit", bf("+[]", small()), 10, RunStatus::StepLimit},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        Options opts = small();
        opts.step_limit = c.step_limit;
        auto jit = JitProgram::compile(c.prog, opts);
        REQUIRE(jit);
        auto tape = Tape::create(opts.tape_cells, 8);
        REQUIRE(tape);
        std::string captured;
        Input in(-1, "i");
        Output out(&captured);
        jitbf_test_clobbered = ~std::uint64_t{0};
        const RunResult r =
            JitInternals::run(*jit, *tape, in, out, &jitbf_test_call_with_sentinels);
        CHECK(r.status == c.status);
        CHECK(jitbf_test_clobbered == 0);
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
        Input in(-1, row.input ? slurp(dir / row.input) : std::string());
        Output out(&captured);
        auto ex = execute(prog, opts, Backend::Jit, in, out);
        REQUIRE(ex);
        CHECK(ex->result.status == RunStatus::Ok);
        CHECK(captured == slurp(dir / row.expected));
    }
}
