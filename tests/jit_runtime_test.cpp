// JIT backend machinery: faults that are not ours left alone, W^X code memory and its
// unmapping, big programs, and the calling convention (callee-saved registers).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "jit/fault.hpp"
#include "jit/internals.hpp"
#include "jit_test_util.hpp"
#include "jit/jit.hpp"

namespace jit_runtime_test {

using namespace jitbf;
using namespace jitbf::jit_test;

namespace {

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

// --- faults that are not ours ---------------------------------------------------------------

TEST_CASE("the fault handler claims only guard touches from the running code") {
    auto tape = Tape::create(4096, 8);
    REQUIRE(tape);
    auto jit = JitProgram::compile(ir({instr(Op::Add, 0, 1), instr(Op::Out)}), small());
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
        void* m =
            mmap(beyond, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (m != beyond) {
            beyond = tape->data() + tape->bytes() + kGuardBytes;
            m = mmap(beyond, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
                     0);
        }
        if (m != beyond) _exit(11);
        const auto off = static_cast<std::int32_t>(beyond - tape->data());
        auto jit = JitProgram::compile(ir({instr(Op::Add, off, 1)}), opts);
        if (!jit) _exit(12);
        std::string captured;
        auto in = Input::none();
        auto out = Output::memory(&captured);
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

TEST_CASE("a stop takes the JIT's code to its exit only from between prologue and epilogue") {
    // A run as the signal handlers see it: code at offsets 0..99, ops starting at 10, 20 and
    // 30, the ops' code from 10 to 70, the exit stub at 80.
    static const std::uint8_t code[100] = {};
    const std::vector<jit::OpOffset> ops = {{10, 0}, {20, 1}, {30, 2}};
    const jit::ActiveRun run{nullptr, code, sizeof code, ops, 80, 10, 70};
    auto at = [](std::uintptr_t rip) {
        ucontext_t uc{};
        uc.uc_mcontext.gregs[REG_RIP] = static_cast<greg_t>(rip);
        return uc;
    };
    const auto base = reinterpret_cast<std::uintptr_t>(code);
    ucontext_t outside_any_run = at(base + 25);
    CHECK_FALSE(jit::redirect_to_exit(&outside_any_run, RunStatus::Timeout));

    const jit::ActiveRunScope scope(run);
    for (std::uintptr_t off : {0u, 9u, 70u, 79u, 99u, 4096u}) {
        CAPTURE(off);
        ucontext_t uc = at(base + off);
        CHECK_FALSE(jit::redirect_to_exit(&uc, RunStatus::Timeout));
        CHECK(uc.uc_mcontext.gregs[REG_RIP] == static_cast<greg_t>(base + off));
    }
    for (const auto& at_op : {std::pair{10u, 0}, {19u, 0}, {25u, 1}, {30u, 2}, {69u, 2}}) {
        // Not a structured binding: CAPTURE's lambda cannot capture one in clang 14.
        const unsigned off = at_op.first;
        const int op = at_op.second;
        CAPTURE(off);
        ucontext_t uc = at(base + off);
        CHECK(jit::redirect_to_exit(&uc, RunStatus::Stopped));
        CHECK(uc.uc_mcontext.gregs[REG_RIP] == static_cast<greg_t>(base + 80));
        CHECK(uc.uc_mcontext.gregs[REG_RDI] == static_cast<greg_t>(RunStatus::Stopped));
        CHECK(uc.uc_mcontext.gregs[REG_RSI] == op);
    }
}

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
        auto in = Input::fd(to_us[0]);
        auto out = Output::fd(from_us[1]);
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

TEST_CASE("one program runs on several threads at once, each fault reported to its own run") {
    // Reads a cell count n, prints n stars, then walks left until it falls off the tape: the
    // threads fault at the same op but at different times, on tapes of their own.
    const Options opts = small();
    const Program prog = bf(",[>+.<-]+[<+]", opts);
    auto jit = JitProgram::compile(prog, opts);
    REQUIRE(jit);
    constexpr int kThreads = 4;
    std::vector<std::string> outputs(kThreads);
    std::vector<RunResult> results(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 50; ++round) {
                auto tape = Tape::create(opts.tape_cells, 8);
                if (!tape) return;
                std::string captured;
                auto in = Input::memory(std::string(1, static_cast<char>(10 * t + round % 7)));
                auto out = Output::memory(&captured);
                results[static_cast<std::size_t>(t)] = jit->run(*tape, in, out);
                outputs[static_cast<std::size_t>(t)] = captured;
            }
        });
    }
    for (std::thread& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) {
        CAPTURE(t);
        const Outcome want =
            run_on(Backend::Interp, prog, opts, std::string(1, static_cast<char>(10 * t + 49 % 7)));
        CHECK(want.result.status == RunStatus::LeftOfTape);
        CHECK(results[static_cast<std::size_t>(t)].status == want.result.status);
        CHECK(results[static_cast<std::size_t>(t)].op == want.result.op);
        CHECK(outputs[static_cast<std::size_t>(t)] == want.output);
    }
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
    auto in = Input::none();
    auto out = Output::memory(&captured);
    CHECK(moved.run(*tape, in, out).status == RunStatus::Ok);
    CHECK(captured == "A");
}

TEST_CASE("a 2 MB program compiles and runs like on the interpreter") {
    // Input-dependent, and at -O0, so no optimization can shrink it.
    std::string source;
    const std::string block = ",[->+<]>[-<+>]<.>>+++[-<<+>>]<<-";
    while (source.size() < (std::size_t{2} << 20)) source += block;
    Options opts = small();
    opts.opt_level = 0;
    const Program prog = bf(source, opts);
    REQUIRE(prog.code.size() > source.size() / 2);
    auto jit = JitProgram::compile(prog, opts);
    REQUIRE(jit);
    CHECK(jit->code_size() > source.size());
    same_as_interp(prog, opts, std::string(100000, 'x'));
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
        {"normal end, with I/O",
         ir({instr(Op::Add, 0, 65), instr(Op::Out), instr(Op::In, 1), instr(Op::OutStr)}, {"s"}), 0,
         RunStatus::Ok},
        {"fault", ir({instr(Op::Out), instr(Op::Add, -1, 1)}), 0, RunStatus::LeftOfTape},
        {"explicit check", ir({instr(Op::Check, 1 << 30)}), 0, RunStatus::RightOfTape},
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
        auto in = Input::memory("i");
        auto out = Output::memory(&captured);
        jitbf_test_clobbered = ~std::uint64_t{0};
        const RunResult r =
            JitInternals::run(*jit, *tape, in, out, &jitbf_test_call_with_sentinels);
        CHECK(r.status == c.status);
        CHECK(jitbf_test_clobbered == 0);
    }
}

}  // namespace jit_runtime_test
