// Stopping a run from outside it: Options::timeout and stop_current_run().
//
// A run in progress publishes its RunControl through a thread-local pointer, for its whole
// length on either backend (the final flush included). Whatever wants it to stop sets the
// control's `stop`: the timeout's signal handler, or stop_current_run() from an
// application's own handler. When the signal interrupted the JIT's code, the handler also
// sends that code to its exit (jit/fault.cpp's redirect_to_exit), so a loop with no calls in
// it stops at once without a single instruction of its own spent on checking. C++ code
// checks the flag only where a run could otherwise wait or go on for long, none of it per
// loop iteration: the blocking reads and writes of Input and Output (the signals are
// installed without SA_RESTART, so they return EINTR), every 64 KiB of input or output, the
// interpreter every 65536 loop back-edges, and the I/O trampolines when I/O fails.
//
// A timeout is a POSIX timer of the run's own, which signals the running thread (never the
// process) at the deadline and every 10 ms after it until the run is over: a signal that
// lands in C++ code just after its last check is followed by another one. Without a timeout
// no timer exists and a run costs two thread-local stores.
#pragma once

#include <atomic>
#include <chrono>
#include <ctime>

#include "jitbf/jitbf.hpp"

namespace jitbf {

// What a signal handler may change about the run in progress on its thread.
struct RunControl {
    std::atomic<int> stop{0};  // a RunStatus: Ok, or why the run must stop (the first wins)
};
static_assert(std::atomic<int>::is_always_lock_free, "signal handlers store to it");

// For the length of a run on this thread: publishes `control` and arms its timeout (none
// when `timeout` is zero or less). Restores the control it found when it ends, so a run
// nested in a callback of another hands the thread back to it.
class RunControlScope {
public:
    RunControlScope(RunControl& control, std::chrono::nanoseconds timeout);
    ~RunControlScope();
    RunControlScope(const RunControlScope&) = delete;
    RunControlScope& operator=(const RunControlScope&) = delete;
    // The errno of a timer that could not be armed (the run must not start), or 0.
    int error() const { return error_; }

private:
    RunControl* previous_;
    timer_t timer_{};
    bool armed_ = false;
    int error_ = 0;
};

// Why the run in progress on this thread must stop, or RunStatus::Ok. Cheap (one
// thread-local load), but called only off the hot paths.
RunStatus stop_requested() noexcept;

// The signal the timeout's timers send (SIGRTMIN+4).
int timeout_signal() noexcept;

}  // namespace jitbf
