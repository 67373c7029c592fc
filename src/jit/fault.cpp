// The SIGSEGV handler behind the JIT's off-tape errors, and the per-run state it reads.
//
// Everything here runs in a signal handler: no allocation, no locks, no C++ exceptions;
// only reads of the active run (set before the code runs) and edits of the ucontext.
#include "fault.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <mutex>
#include <sys/mman.h>
#include <ucontext.h>

namespace jitbf::jit {

namespace {

thread_local const ActiveRun* t_active = nullptr;
thread_local bool t_passing_on = false;  // inside pass_on on this thread
struct sigaction g_previous {};          // the handler ours replaced, for faults that are not ours
std::mutex g_install_mutex;

constexpr std::size_t kAltStackBytes = std::size_t{256} << 10;

void on_fault(int sig, siginfo_t* info, void* raw);

void pass_on(int sig, siginfo_t* info, void* uc) {
    // A handler that saved ours as its own previous one and chains back to us would loop
    // forever (ours -> it -> ours...): the second time round, take the default action.
    if (!t_passing_on) {
        t_passing_on = true;
        bool passed = true;
        if ((g_previous.sa_flags & SA_SIGINFO) != 0 && g_previous.sa_sigaction != nullptr &&
            g_previous.sa_sigaction != on_fault)
            g_previous.sa_sigaction(sig, info, uc);
        else if ((g_previous.sa_flags & SA_SIGINFO) == 0 && g_previous.sa_handler != SIG_DFL &&
                 g_previous.sa_handler != SIG_IGN)
            g_previous.sa_handler(sig);
        else
            passed = false;
        t_passing_on = false;
        if (passed) return;
    }
    // Nobody else wants it: back to the default action. A real fault re-executes its
    // instruction on return and now kills the process as the crash it is; a signal that
    // was sent (si_code <= 0) would not come back, so send it again.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGSEGV, &dfl, nullptr);
    if (info->si_code <= 0) raise(sig);
}

void on_fault(int sig, siginfo_t* info, void* raw) {
    auto* uc = static_cast<ucontext_t*>(raw);
    greg_t* regs = uc->uc_mcontext.gregs;
    const ActiveRun* run = t_active;
    const auto rip = static_cast<std::uintptr_t>(regs[REG_RIP]);
    if (run != nullptr && claims_fault(*run, info->si_addr, rip)) {
        const RunStatus status =
            run->tape->left_of_tape(info->si_addr) ? RunStatus::LeftOfTape : RunStatus::RightOfTape;
        // The stub's inputs (see GeneratedCode::fault_exit), then resume there. Vector loads
        // never reach the guard (emit_scan.cpp), so the address is the touched cell's.
        regs[REG_RDI] = static_cast<greg_t>(status);
        regs[REG_RSI] = static_cast<greg_t>(op_at(*run, rip));
        regs[REG_RDX] = static_cast<greg_t>(reinterpret_cast<std::uintptr_t>(info->si_addr));
        regs[REG_RIP] =
            static_cast<greg_t>(reinterpret_cast<std::uintptr_t>(run->code) + run->fault_exit);
        return;
    }
    pass_on(sig, info, raw);
}

}  // namespace

bool claims_fault(const ActiveRun& run, const void* addr, std::uintptr_t rip) {
    if (run.tape == nullptr || !run.tape->in_guard(addr)) return false;
    const auto begin = reinterpret_cast<std::uintptr_t>(run.code);
    if (rip < begin || rip - begin >= run.code_size) return false;
    // Only the code of ops that touch cells can touch the guard.
    return !run.ops.empty() && run.ops.front().code <= rip - begin;
}

std::size_t op_at(const ActiveRun& run, std::uintptr_t rip) {
    const auto offset = rip - reinterpret_cast<std::uintptr_t>(run.code);
    // The last op starting at or before the instruction (ops that emit nothing share an
    // offset with the op after them, which is then the later entry).
    auto it = std::upper_bound(run.ops.begin(), run.ops.end(), offset,
                               [](std::uintptr_t off, const OpOffset& o) { return off < o.code; });
    return it == run.ops.begin() ? 0 : std::prev(it)->op;
}

bool redirect_to_exit(void* signal_context, RunStatus status) {
    const ActiveRun* run = t_active;
    if (run == nullptr) return false;
    greg_t* regs = static_cast<ucontext_t*>(signal_context)->uc_mcontext.gregs;
    const auto rip = static_cast<std::uintptr_t>(regs[REG_RIP]);
    const auto begin = reinterpret_cast<std::uintptr_t>(run->code);
    // Between prologue and epilogue the frame is complete and the context register set: the
    // exit stub can take over from any instruction there, as it does after a fault.
    if (rip < begin + run->body_begin || rip >= begin + run->body_end) return false;
    regs[REG_RDI] = static_cast<greg_t>(status);
    regs[REG_RSI] = static_cast<greg_t>(op_at(*run, rip));
    regs[REG_RDX] = 0;  // no cell was touched
    regs[REG_RIP] = static_cast<greg_t>(begin + run->fault_exit);
    return true;
}

bool fault_handler_installed() {
    struct sigaction current {};
    return sigaction(SIGSEGV, nullptr, &current) == 0 && (current.sa_flags & SA_SIGINFO) != 0 &&
           current.sa_sigaction == on_fault;
}

void install_fault_handler() {
    // Normally this installs once. But a handler installed after ours may later "restore"
    // what it found before it, dropping ours (doctest does that around every test case),
    // so every run checks and installs again on top of whatever is there now.
    if (fault_handler_installed()) return;
    const std::lock_guard<std::mutex> lock(g_install_mutex);
    if (fault_handler_installed()) return;
    struct sigaction sa {};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    struct sigaction previous {};
    if (sigaction(SIGSEGV, &sa, &previous) == 0) g_previous = previous;
}

ActiveRunScope::ActiveRunScope(const ActiveRun& run) : previous_(t_active) {
    install_fault_handler();
    // SA_ONSTACK needs a stack to switch to; a thread without one gets ours for the run.
    // (Without any, the handler would still run on the thread's stack, which is fine for
    // a guard-page touch; the alternate stack matters for faults we pass on.)
    stack_t current{};
    if (sigaltstack(nullptr, &current) == 0 && (current.ss_flags & SS_DISABLE) != 0) {
        void* mem = mmap(nullptr, kAltStackBytes, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
        if (mem != MAP_FAILED) {
            stack_t ss{};
            ss.ss_sp = mem;
            ss.ss_size = kAltStackBytes;
            if (sigaltstack(&ss, nullptr) == 0) {
                alt_stack_ = mem;
                alt_stack_bytes_ = kAltStackBytes;
            } else {
                munmap(mem, kAltStackBytes);
            }
        }
    }
    t_active = &run;
    // The handler reads t_active on this thread: keep the store before the call.
    std::atomic_signal_fence(std::memory_order_seq_cst);
}

ActiveRunScope::~ActiveRunScope() {
    std::atomic_signal_fence(std::memory_order_seq_cst);
    t_active = previous_;
    if (alt_stack_ != nullptr) {
        stack_t off{};
        off.ss_flags = SS_DISABLE;
        sigaltstack(&off, nullptr);
        munmap(alt_stack_, alt_stack_bytes_);
    }
}

}  // namespace jitbf::jit
