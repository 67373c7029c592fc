// Test support shared by the runtime and interpreter tests: ignore SIGPIPE for a scope, as
// the CLI does for the whole process, so a write to a closed pipe fails with EPIPE instead
// of killing the test binary.
#pragma once

#include <csignal>

struct IgnoreSigpipe {
    struct sigaction old {};
    IgnoreSigpipe() {
        struct sigaction ign {};
        ign.sa_handler = SIG_IGN;
        sigaction(SIGPIPE, &ign, &old);
    }
    ~IgnoreSigpipe() { sigaction(SIGPIPE, &old, nullptr); }
    IgnoreSigpipe(const IgnoreSigpipe&) = delete;
    IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;
};
