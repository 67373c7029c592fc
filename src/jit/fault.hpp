// Turning a touch of the tape's guard pages into a RunResult, without longjmp.
//
// One SIGSEGV handler per process, installed once (again if someone removed it). A fault is ours
// only when the faulting address is in the guard regions of the tape of the run active on this
// thread AND the instruction is in that run's code; the handler then finds the op by its code
// offset and edits the signal context so the code resumes at its fault-exit stub (which records the
// status, op and address and returns normally through the epilogue). Any other fault goes to the
// handler that was installed before ours, or crashes as it would have without us. The same
// exit stops a run from outside (stop.cpp): redirect_to_exit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "codegen.hpp"
#include "runtime.hpp"

namespace jitbf::jit {

// What the handler needs about the run executing on this thread.
struct ActiveRun {
    const Tape* tape = nullptr;
    const std::uint8_t* code = nullptr;
    std::size_t code_size = 0;
    std::span<const OpOffset> ops;  // sorted by code offset
    std::size_t fault_exit = 0;     // code offset of the stub to resume at
    std::size_t body_begin = 0;     // the ops' code: from the end of the prologue
    std::size_t body_end = 0;       // to the epilogue
};

// Is a fault at data address `addr`, instruction `rip`, ours to handle?
bool claims_fault(const ActiveRun& run, const void* addr, std::uintptr_t rip);

// The index of the op whose code contains `rip` (which claims_fault accepted).
std::size_t op_at(const ActiveRun& run, std::uintptr_t rip);

// From a signal handler on the thread of a JIT run: when the interrupted instruction
// (`signal_context` is the handler's ucontext_t*) is in the ops' code of that run, resumes it
// at the exit stub to end the run with `status` at the op found from the instruction, and
// returns true. Anywhere else (the prologue, the epilogue, the error stubs, C++ code) it
// changes nothing: the run is not in a loop of generated code there.
bool redirect_to_exit(void* signal_context, RunStatus status);

// Installs the process-wide handler unless it is the current one (thread-safe).
void install_fault_handler();
bool fault_handler_installed();

// For the duration of a run on this thread: makes sure the handler is installed, publishes
// `run` to it and makes sure an alternate signal stack exists; the last two are put back
// as they were on destruction.
class ActiveRunScope {
public:
    explicit ActiveRunScope(const ActiveRun& run);
    ~ActiveRunScope();
    ActiveRunScope(const ActiveRunScope&) = delete;
    ActiveRunScope& operator=(const ActiveRunScope&) = delete;

private:
    const ActiveRun* previous_;
    void* alt_stack_ = nullptr;  // ours, if the thread had none
    std::size_t alt_stack_bytes_ = 0;
};

}  // namespace jitbf::jit
