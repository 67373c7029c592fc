// Signals and early stops of the jitbf command (see stopping.hpp).
//
// The handlers only do what is async-signal-safe: record the signal, ask the library to stop
// the run on this thread, write(2) a fixed message, reset and re-raise. A stop request that
// finds the JIT's code inside an I/O call cannot stop it there, and the code may then loop
// with no more I/O: a one-second alarm repeats the request until the run is over.
#include "stopping.hpp"

#include <csignal>
#include <cstring>
#include <string>
#include <unistd.h>

#include "ir.hpp"
#include "report.hpp"

namespace jitbf::cli {

namespace {

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};

volatile std::sig_atomic_t g_signal = 0;  // the first stop signal received, or 0

const char* signal_name(int sig) {
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "SIGHUP";
    }
}

// Ends the process as `sig` would have, after saying so: async-signal-safe.
[[noreturn]] void die_of(int sig) {
    char msg[64] = "jitbf: interrupted by ";
    std::strcat(msg, signal_name(sig));
    std::strcat(msg, "\n");
    [[maybe_unused]] const ssize_t n = ::write(2, msg, std::strlen(msg));
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, nullptr);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, nullptr);
    raise(sig);
    _exit(128 + sig);  // not reached: the default action of all three ends the process
}

void on_stop_signal(int sig, siginfo_t*, void* context) {
    if (g_signal == 0) g_signal = sig;
    if (jitbf::stop_current_run(context)) {
        alarm(1);  // see the file comment
        return;
    }
    die_of(g_signal);
}

void on_alarm(int, siginfo_t*, void* context) {
    if (g_signal != 0 && jitbf::stop_current_run(context)) alarm(1);
}

// Blocked while any of our handlers runs, so that they never interleave.
sigset_t handled_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kStopSignals) sigaddset(&set, sig);
    sigaddset(&set, SIGALRM);
    return set;
}

void install(int sig, void (*handler)(int, siginfo_t*, void*)) {
    struct sigaction sa {};
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;  // no SA_RESTART: a program waiting for input must wake up
    sa.sa_mask = handled_signals();
    sigaction(sig, &sa, nullptr);
}

}  // namespace

void install_signal_handlers() {
    for (int sig : kStopSignals) {
        struct sigaction current {};
        if (sigaction(sig, nullptr, &current) == 0 && (current.sa_flags & SA_SIGINFO) == 0 &&
            current.sa_handler == SIG_IGN)
            continue;
        install(sig, on_stop_signal);
    }
    install(SIGALRM, on_alarm);
}

void exit_if_interrupted() {
    const sigset_t set = handled_signals();
    sigset_t previous;
    sigprocmask(SIG_BLOCK, &set, &previous);
    alarm(0);
    if (g_signal != 0) die_of(g_signal);
    sigprocmask(SIG_SETMASK, &previous, nullptr);
}

bool take_interrupt() {
    const sigset_t set = handled_signals();
    sigset_t previous;
    sigprocmask(SIG_BLOCK, &set, &previous);
    alarm(0);
    const bool interrupted = g_signal == SIGINT;
    if (interrupted) g_signal = 0;
    if (g_signal != 0) die_of(g_signal);
    sigprocmask(SIG_SETMASK, &previous, nullptr);
    return interrupted;
}

void report_stop(const Cli& cli, const Source& src, RunStatus status, SourcePos pos) {
    std::string what;
    if (status == RunStatus::Timeout) {
        what = "time limit of " + cli.timeout_text + " s reached (--timeout)";
    } else {
        what = "step limit of " + std::to_string(cli.opts.step_limit) + " reached (--max-steps)";
    }
    fail(src.name + ":" + to_string(pos) + ": stopped: " + what);
}

}  // namespace jitbf::cli
