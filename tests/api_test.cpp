// The public API (include/jitbf/jitbf.hpp) as an embedder uses it: compile once, run many
// times on either backend, I/O from memory, file descriptors and callbacks, errors as values
// with positions (running out of memory included), separate programs on separate threads, and
// runs stopped from outside (a timeout, stop_current_run()).
#include <doctest/doctest.h>

#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "jitbf/jitbf.hpp"
#include "pipe.hpp"

namespace api_test {

namespace {

constexpr const char* kEcho = ",[.,]";  // copies input to output (needs eof zero)

jitbf::Options on(jitbf::Backend b) {
    jitbf::Options o;
    o.backend = b;
    o.eof = jitbf::EofMode::Zero;
    return o;
}

}  // namespace

TEST_CASE("a compiled program runs many times, on either backend") {
    for (jitbf::Backend b : {jitbf::Backend::Jit, jitbf::Backend::Interp}) {
        CAPTURE(jitbf::backend_name(b));
        auto prog = jitbf::compile(kEcho, on(b));
        REQUIRE(prog);
        CHECK(prog->options().backend == b);
        CHECK((prog->code_bytes() > 0) == (b == jitbf::Backend::Jit));
        for (const std::string input : {"hello", "", "again"}) {
            std::string text;
            auto in = jitbf::Input::memory(input);
            auto out = jitbf::Output::memory(&text);
            const jitbf::RunOutcome r = prog->run(in, out);
            CHECK(r.ok());
            CHECK(r.error.message.empty());
            CHECK(text == input);
        }
    }
}

TEST_CASE("input and output can be callbacks") {
    auto prog = jitbf::compile(kEcho, on(jitbf::Backend::Jit));
    REQUIRE(prog);
    std::string source = "abcdef", got;
    std::size_t at = 0, calls = 0;
    auto in = jitbf::Input::callback([&](char* buf, std::size_t size) {
        const std::size_t n = std::min<std::size_t>({size, 2, source.size() - at});
        source.copy(buf, n, at);
        at += n;
        return n;
    });
    auto out = jitbf::Output::callback([&](std::string_view s) {
        got += s;
        ++calls;
        return true;
    });
    CHECK(prog->run(in, out).ok());
    CHECK(got == "abcdef");
    CHECK(calls >= 1);
}

TEST_CASE("input and output count the bytes a run read and wrote") {
    for (jitbf::Backend b : {jitbf::Backend::Jit, jitbf::Backend::Interp}) {
        CAPTURE(jitbf::backend_name(b));
        auto prog = jitbf::compile(",.,.,.,", on(b));  // four reads, three writes
        REQUIRE(prog);
        std::string text;
        auto in = jitbf::Input::memory("abcdef");  // more than the program reads
        auto out = jitbf::Output::memory(&text);
        CHECK(prog->run(in, out).ok());
        CHECK(in.bytes_read() == 4);
        CHECK(out.bytes_written() == 3);
        // A prefix, then a callback's bytes, then the end (which reads nothing).
        std::string rest = "yz";
        auto parts = jitbf::Input::callback(
            [&](char* buf, std::size_t) {
                if (rest.empty()) return std::size_t{0};
                buf[0] = rest[0];
                rest.erase(0, 1);
                return std::size_t{1};
            },
            "x");
        auto more = jitbf::Output::memory(&text);
        CHECK(prog->run(parts, more).ok());
        CHECK(parts.bytes_read() == 3);
        CHECK(more.bytes_written() == 3);
    }
}

TEST_CASE("an output callback that refuses bytes stops the run as a closed output") {
    auto prog = jitbf::compile("+[.]", on(jitbf::Backend::Jit));  // writes forever
    REQUIRE(prog);
    auto in = jitbf::Input::none();
    auto out = jitbf::Output::callback([](std::string_view) { return false; });
    const jitbf::RunOutcome r = prog->run(in, out);
    CHECK(r.status == jitbf::RunStatus::OutputClosed);
    CHECK(out.closed());
}

TEST_CASE("parse errors and runtime errors come back as values with positions") {
    auto bad = jitbf::compile("]\n+[[-]");
    REQUIRE_FALSE(bad);
    REQUIRE(bad.errors().size() == 2);
    CHECK(bad.errors()[0].pos == jitbf::SourcePos{1, 1});
    CHECK(bad.errors()[0].message == "unmatched ']'");
    CHECK(bad.errors()[1].pos == jitbf::SourcePos{2, 2});
    CHECK(bad.errors()[1].message == "unmatched '['");

    for (jitbf::Backend b : {jitbf::Backend::Jit, jitbf::Backend::Interp}) {
        jitbf::Options o = on(b);
        auto prog = jitbf::compile("++.\n<+", o);
        REQUIRE(prog);
        std::string text;
        auto in = jitbf::Input::none();
        auto out = jitbf::Output::memory(&text);
        const jitbf::RunOutcome r = prog->run(in, out);
        CHECK(r.status == jitbf::RunStatus::LeftOfTape);
        CHECK(r.error.pos == jitbf::SourcePos{2, 2});
        CHECK(text == "\x02");  // what it printed before the fault
    }
}

TEST_CASE("bad options are errors, not crashes") {
    jitbf::Options o;
    o.cell_bits = 12;
    CHECK_FALSE(jitbf::compile("+", o));
    o = {};
    o.tape_cells = 0;
    CHECK_FALSE(jitbf::compile("+", o));
    o = {};
    o.opt_level = 7;
    CHECK_FALSE(jitbf::compile("+", o));
}

#if defined(__SANITIZE_ADDRESS__)  // gcc
#define JITBF_TEST_ASAN 1
#elif defined(__has_feature)  // clang
#if __has_feature(address_sanitizer)
#define JITBF_TEST_ASAN 1
#endif
#endif

TEST_CASE("running out of memory while compiling is an error value, not an exception") {
#ifdef JITBF_TEST_ASAN
    MESSAGE(
        "skipped under AddressSanitizer: its shadow memory needs more address space than "
        "the limit this test sets");
#else
    // In a child, so the address-space limit cannot starve the other tests: 10 million ops
    // take 320 MB of IR, more than the 200 MB it may use.
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        const rlimit limit{200u << 20, 200u << 20};
        if (setrlimit(RLIMIT_AS, &limit) != 0) _exit(3);
        std::string big;
        for (int i = 0; i < 5'000'000; ++i) big += "+>";
        auto prog = jitbf::compile(big);
        if (prog) _exit(2);
        _exit(prog.errors().at(0).message.find("out of memory") != std::string::npos ? 0 : 1);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));  // not killed by an exception escaping compile()
    CHECK(WEXITSTATUS(status) == 0);
#endif
}

TEST_CASE("separate programs run on separate threads at once") {
    // Each thread compiles and runs its own program many times; every output must be its own.
    std::vector<std::thread> threads;
    std::vector<int> wrong(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([t, &wrong] {
            const jitbf::Backend b = t % 2 ? jitbf::Backend::Interp : jitbf::Backend::Jit;
            // Prints 'A' + t, after a loop long enough for the runs to overlap, and touches
            // a cell off the tape every other run (the fault handler must not mix runs up).
            const std::string code =
                std::string(65 + static_cast<std::size_t>(t), '+') + ">++++++++[>++++++++[-]<-]<.";
            auto ok = jitbf::compile(code, on(b));
            auto faults = jitbf::compile(code + "<+", on(b));
            if (!ok || !faults) {
                wrong[static_cast<std::size_t>(t)] = 1000;
                return;
            }
            for (int i = 0; i < 200; ++i) {
                std::string text;
                auto in = jitbf::Input::none();
                auto out = jitbf::Output::memory(&text);
                const bool fault = i % 2 == 1;
                const jitbf::RunOutcome r = (fault ? *faults : *ok).run(in, out);
                const bool right =
                    text == std::string(1, static_cast<char>('A' + t)) &&
                    r.status == (fault ? jitbf::RunStatus::LeftOfTape : jitbf::RunStatus::Ok);
                if (!right) ++wrong[static_cast<std::size_t>(t)];
            }
        });
    }
    for (std::thread& th : threads) th.join();
    CHECK(wrong == std::vector<int>(4, 0));
}

// --- stopping runs from outside -------------------------------------------------------------

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr jitbf::Backend kBackends[] = {jitbf::Backend::Jit, jitbf::Backend::Interp};

jitbf::Options timed(jitbf::Backend b, std::chrono::milliseconds timeout) {
    jitbf::Options o = on(b);
    o.timeout = timeout;
    return o;
}

}  // namespace

TEST_CASE("a timeout stops a spinning program in its loop, keeping the output before it") {
    for (jitbf::Backend b : kBackends) {
        CAPTURE(jitbf::backend_name(b));
        auto prog = jitbf::compile("++++++++[>++++++++<-]>+.\n+[]", timed(b, 300ms));
        REQUIRE(prog);
        std::string text;
        auto in = jitbf::Input::none();
        auto out = jitbf::Output::memory(&text);
        const auto start = Clock::now();
        const jitbf::RunOutcome r = prog->run(in, out);
        const auto took = Clock::now() - start;
        CHECK(r.status == jitbf::RunStatus::Timeout);
        CHECK(r.error.message == "time limit reached");
        CHECK(r.error.pos.line == 2);  // in `+[]`
        CHECK(r.error.pos.col >= 1);
        CHECK(r.error.pos.col <= 3);
        CHECK(text == "A");
        CHECK(took >= 300ms);
        CHECK(took < 3s);
    }
}

TEST_CASE("a timeout stops a program waiting for input, and the input stays for the next run") {
    for (jitbf::Backend b : kBackends) {
        CAPTURE(jitbf::backend_name(b));
        Pipe p;  // nobody writes, but the write end stays open: reads wait
        auto in = jitbf::Input::fd(p.fd[0]);
        std::string text;
        auto out = jitbf::Output::memory(&text);
        auto waits = jitbf::compile("+.,.", timed(b, 200ms));
        REQUIRE(waits);
        const jitbf::RunOutcome r = waits->run(in, out);
        CHECK(r.status == jitbf::RunStatus::Timeout);
        CHECK(r.error.pos == jitbf::SourcePos{1, 3});
        CHECK(text == "\x01");
        REQUIRE(::write(p.fd[1], "x", 1) == 1);
        auto echo = jitbf::compile(",.", on(b));
        REQUIRE(echo);
        text.clear();
        CHECK(echo->run(in, out).ok());
        CHECK(text == "x");
    }
}

TEST_CASE("a timeout stops a program whose output nobody reads, leaving the output open") {
    for (jitbf::Backend b : kBackends) {
        CAPTURE(jitbf::backend_name(b));
        Pipe p;  // nobody reads: once the pipe is full, writes wait
        auto in = jitbf::Input::none();
        auto out = jitbf::Output::fd(p.fd[1]);
        auto prog = jitbf::compile("+[.]", timed(b, 200ms));
        REQUIRE(prog);
        const jitbf::RunOutcome r = prog->run(in, out);
        CHECK(r.status == jitbf::RunStatus::Timeout);
        CHECK(r.error.pos.line == 1);
        CHECK_FALSE(out.closed());
    }
}

TEST_CASE("a run that ends before its timeout is not stopped, nor are the runs after it") {
    for (jitbf::Backend b : kBackends) {
        CAPTURE(jitbf::backend_name(b));
        auto prog = jitbf::compile(kEcho, timed(b, 200ms));
        REQUIRE(prog);
        for (int round = 0; round < 2; ++round) {
            std::string text;
            auto in = jitbf::Input::memory("hello");
            auto out = jitbf::Output::memory(&text);
            CHECK(prog->run(in, out).ok());
            CHECK(text == "hello");
            std::this_thread::sleep_for(300ms);  // past the first run's deadline
        }
    }
}

namespace {
void stop_on_signal(int, siginfo_t*, void* context) { jitbf::stop_current_run(context); }
}  // namespace

TEST_CASE("stop_current_run in a signal handler stops the run on the thread it interrupted") {
    CHECK_FALSE(jitbf::stop_current_run());  // no run on this thread
    struct sigaction sa {
    }, old{};
    sa.sa_sigaction = stop_on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    REQUIRE(sigaction(SIGUSR1, &sa, &old) == 0);
    for (jitbf::Backend b : kBackends) {
        CAPTURE(jitbf::backend_name(b));
        auto prog = jitbf::compile("+.+[]", on(b));  // no timeout: only the signal stops it
        REQUIRE(prog);
        std::string text;
        jitbf::RunOutcome r;
        std::atomic<bool> done{false};
        std::thread runner([&] {
            auto in = jitbf::Input::none();
            auto out = jitbf::Output::memory(&text);
            r = prog->run(in, out);
            done = true;
        });
        // Until it stops: a signal before the run starts finds nothing to stop.
        for (int i = 0; i < 200 && !done; ++i) {
            std::this_thread::sleep_for(50ms);
            if (!done) pthread_kill(runner.native_handle(), SIGUSR1);
        }
        runner.join();
        CHECK(r.status == jitbf::RunStatus::Stopped);
        CHECK(r.error.message == "stopped on request");
        CHECK(r.error.pos.col >= 3);  // in `+[]`
        CHECK(text == "\x01");
    }
    sigaction(SIGUSR1, &old, nullptr);
}

TEST_CASE("separate programs time out on separate threads at once, each at its own time") {
    constexpr int kTimed = 4;
    std::vector<jitbf::RunStatus> status(kTimed + 1, jitbf::RunStatus::Ok);
    std::vector<Clock::duration> took(kTimed);
    std::vector<std::thread> threads;
    for (int t = 0; t < kTimed; ++t) {
        threads.emplace_back([t, &status, &took] {
            const auto i = static_cast<std::size_t>(t);
            auto prog = jitbf::compile("+[]", timed(kBackends[i % 2], 200ms + 100ms * t));
            if (!prog) return;
            auto in = jitbf::Input::none();
            std::string text;
            auto out = jitbf::Output::memory(&text);
            const auto start = Clock::now();
            status[i] = prog->run(in, out).status;
            took[i] = Clock::now() - start;
        });
    }
    // Meanwhile, untimed runs on another thread are not disturbed.
    threads.emplace_back([&status] {
        auto prog = jitbf::compile(kEcho, on(jitbf::Backend::Jit));
        if (!prog) return;
        for (int i = 0; i < 100; ++i) {
            std::string text;
            auto in = jitbf::Input::memory("hello");
            auto out = jitbf::Output::memory(&text);
            if (!prog->run(in, out).ok() || text != "hello")
                status[kTimed] = jitbf::RunStatus::Stopped;
        }
    });
    for (std::thread& th : threads) th.join();
    for (int t = 0; t < kTimed; ++t) {
        CAPTURE(t);
        const auto i = static_cast<std::size_t>(t);
        CHECK(status[i] == jitbf::RunStatus::Timeout);
        CHECK(took[i] >= 200ms + 100ms * t);
        CHECK(took[i] < 3s + 100ms * t);
    }
    CHECK(status[kTimed] == jitbf::RunStatus::Ok);
}

}  // namespace api_test
