// The timeout's timer and signal handler, and stop_current_run() (see stop.hpp).
//
// Everything reached from a signal handler here is async-signal-safe: loads and stores of
// the thread's control, an atomic compare-exchange, and edits of the interrupted context.
#include "stop.hpp"

#include <cerrno>
#include <csignal>
#include <mutex>
#include <unistd.h>

#include "jit/fault.hpp"

// glibc before 2.41 names the target thread of SIGEV_THREAD_ID only through the union.
#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

namespace jitbf {

namespace {

thread_local RunControl* t_control = nullptr;
struct sigaction g_previous {};  // the handler ours replaced, for signals that are not ours
std::mutex g_install_mutex;

constexpr long kRetryNanoseconds = 10'000'000;

// Records why the run must stop (unless it already must, for another reason) and, when
// `signal_context` shows the JIT's code running, resumes that code at its exit.
void request(RunControl& control, RunStatus why, void* signal_context) {
    int none = static_cast<int>(RunStatus::Ok);
    control.stop.compare_exchange_strong(none, static_cast<int>(why));
    if (signal_context != nullptr)
        jit::redirect_to_exit(signal_context, static_cast<RunStatus>(control.stop.load()));
}

void on_timeout_signal(int sig, siginfo_t* info, void* uc) {
    const int saved_errno = errno;  // the interrupted code may be about to read it
    RunControl* control = t_control;
    if (info->si_code == SI_TIMER && control != nullptr && info->si_value.sival_ptr == control) {
        request(*control, RunStatus::Timeout, uc);
    } else if ((g_previous.sa_flags & SA_SIGINFO) != 0 && g_previous.sa_sigaction != nullptr &&
               g_previous.sa_sigaction != on_timeout_signal) {
        g_previous.sa_sigaction(sig, info, uc);
    } else if ((g_previous.sa_flags & SA_SIGINFO) == 0 && g_previous.sa_handler != SIG_DFL &&
               g_previous.sa_handler != SIG_IGN) {
        g_previous.sa_handler(sig);
    }
    // Otherwise it is a late signal of a run that is over, or a stray one: dropped, where the
    // default action would have ended the process.
    errno = saved_errno;
}

bool handler_installed() {
    struct sigaction current {};
    return sigaction(timeout_signal(), nullptr, &current) == 0 &&
           (current.sa_flags & SA_SIGINFO) != 0 && current.sa_sigaction == on_timeout_signal;
}

// Once per process, and again whenever someone has replaced ours (as with the SIGSEGV
// handler, see jit/fault.cpp). No SA_RESTART: a read or write that waits must return.
void install_handler() {
    if (handler_installed()) return;
    const std::lock_guard<std::mutex> lock(g_install_mutex);
    if (handler_installed()) return;
    struct sigaction sa {};
    sa.sa_sigaction = on_timeout_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    struct sigaction previous {};
    if (sigaction(timeout_signal(), &sa, &previous) == 0) g_previous = previous;
}

timespec to_timespec(std::chrono::nanoseconds d) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(d);
    return {static_cast<time_t>(secs.count()), static_cast<long>((d - secs).count())};
}

}  // namespace

int timeout_signal() noexcept { return SIGRTMIN + 4; }

RunControlScope::RunControlScope(RunControl& control, std::chrono::nanoseconds timeout)
    : previous_(t_control) {
    t_control = &control;
    // The handlers read t_control on this thread: keep the store before the run.
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (timeout <= std::chrono::nanoseconds::zero()) return;
    install_handler();
    sigevent ev{};
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = timeout_signal();
    ev.sigev_value.sival_ptr = &control;  // tells our signals from others', and stale ones
    ev.sigev_notify_thread_id = gettid();
    if (timer_create(CLOCK_MONOTONIC, &ev, &timer_) != 0) {
        error_ = errno;
        return;
    }
    itimerspec when{};
    when.it_value = to_timespec(timeout);
    when.it_interval.tv_nsec = kRetryNanoseconds;
    if (timer_settime(timer_, 0, &when, nullptr) != 0) {
        error_ = errno;
        timer_delete(timer_);
        return;
    }
    armed_ = true;
}

RunControlScope::~RunControlScope() {
    // Deleted while the control is still published: a signal already sent arrives (at the
    // latest when timer_delete returns) to a run that is over, and changes nothing.
    if (armed_) timer_delete(timer_);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    t_control = previous_;
}

RunStatus stop_requested() noexcept {
    const RunControl* control = t_control;
    return control ? static_cast<RunStatus>(control->stop.load(std::memory_order_relaxed))
                   : RunStatus::Ok;
}

bool stop_current_run(void* signal_context) noexcept {
    const int saved_errno = errno;
    RunControl* control = t_control;
    if (control != nullptr) request(*control, RunStatus::Stopped, signal_context);
    errno = saved_errno;
    return control != nullptr;
}

}  // namespace jitbf
