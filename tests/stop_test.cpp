// Stopping a run from outside (src/stop.cpp) without a program: the published control, the
// timeout's timer, stop_current_run(), and what Input and Output do while a run must stop
// (waits cut short, nothing closed, nothing lost that could be written).
#include <doctest/doctest.h>

#include <chrono>
#include <fcntl.h>
#include <string>
#include <thread>
#include <unistd.h>

#include "stop.hpp"
#include "pipe.hpp"

namespace stop_test {

using namespace jitbf;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

void set_nonblocking(int fd) { REQUIRE(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0); }

}  // namespace

TEST_CASE("stop_current_run finds no run to stop outside a run") {
    CHECK_FALSE(stop_current_run());
    CHECK(stop_requested() == RunStatus::Ok);
}

TEST_CASE("a run publishes its control for its length, and a nested run hands it back") {
    RunControl outer;
    {
        const RunControlScope scope(outer, 0ns);
        REQUIRE(scope.error() == 0);
        CHECK(stop_requested() == RunStatus::Ok);
        CHECK(stop_current_run());
        CHECK(stop_requested() == RunStatus::Stopped);
        {
            RunControl inner;
            const RunControlScope nested(inner, 0ns);
            CHECK(stop_requested() == RunStatus::Ok);
        }
        CHECK(stop_requested() == RunStatus::Stopped);
    }
    CHECK(stop_requested() == RunStatus::Ok);
    CHECK(outer.stop.load() == static_cast<int>(RunStatus::Stopped));
}

TEST_CASE("a timeout asks the run to stop once its time has passed, not before") {
    RunControl control;
    const auto start = Clock::now();
    const RunControlScope scope(control, 100ms);
    REQUIRE(scope.error() == 0);
    CHECK(stop_requested() == RunStatus::Ok);
    while (stop_requested() == RunStatus::Ok && Clock::now() - start < 10s) {}
    const auto waited = Clock::now() - start;
    CHECK(stop_requested() == RunStatus::Timeout);
    CHECK(waited >= 100ms);
    CHECK(waited < 5s);
}

TEST_CASE("the first reason to stop is the one a run reports") {
    RunControl control;
    const RunControlScope scope(control, 20ms);
    CHECK(stop_current_run());
    std::this_thread::sleep_for(100ms);  // the timer's signals arrive meanwhile
    CHECK(stop_requested() == RunStatus::Stopped);
}

TEST_CASE("the timer of a run that is over sends nothing to the runs after it") {
    {
        RunControl control;
        const RunControlScope scope(control, 30ms);
        while (stop_requested() == RunStatus::Ok) {  // past the deadline: it repeats every 10 ms
        }
    }
    // A late signal would end the test binary (its default action) or stop this run.
    RunControl next;
    const RunControlScope scope(next, 0ns);
    std::this_thread::sleep_for(100ms);
    CHECK(stop_requested() == RunStatus::Ok);
}

TEST_CASE("a read waiting on a pipe ends when the run must stop, and the input goes on after") {
    Pipe p;
    auto in = Input::fd(p.fd[0]);
    int got = 0;
    {
        RunControl control;
        const RunControlScope scope(control, 100ms);
        got = in.get();  // nobody writes: this waits until the timeout
        CHECK(stop_requested() == RunStatus::Timeout);
    }
    CHECK(got == -1);
    REQUIRE(::write(p.fd[1], "x", 1) == 1);
    CHECK(in.get() == 'x');
}

TEST_CASE("a wait on a non-blocking descriptor ends when the run must stop") {
    Pipe p;
    set_nonblocking(p.fd[0]);
    auto in = Input::fd(p.fd[0]);
    RunControl control;
    const RunControlScope scope(control, 100ms);
    CHECK(in.get() == -1);
    CHECK(stop_requested() == RunStatus::Timeout);
}

TEST_CASE("a write waiting on a full pipe gives up when the run must stop, and stays open") {
    Pipe p;
    auto out = Output::fd(p.fd[1]);
    bool wrote = true;
    {
        RunControl control;
        const RunControlScope scope(control, 100ms);
        wrote = out.write(std::string(std::size_t{1} << 20, 'a'));  // more than a pipe holds
    }
    CHECK_FALSE(wrote);
    CHECK_FALSE(out.closed());
    CHECK(out.error() == 0);
    // Drain the pipe; the output still works.
    set_nonblocking(p.fd[0]);
    char buf[4096];
    while (::read(p.fd[0], buf, sizeof buf) > 0) {}
    CHECK(out.put('z'));
    CHECK(out.flush());
    REQUIRE(::read(p.fd[0], buf, sizeof buf) == 1);
    CHECK(buf[0] == 'z');
}

TEST_CASE("a flush while the run must stop writes everything, then says to stop") {
    std::string text;
    auto out = Output::memory(&text);
    RunControl control;
    const RunControlScope scope(control, 0ns);
    CHECK(out.write("abc"));  // buffered
    CHECK(stop_current_run());
    CHECK_FALSE(out.flush());
    CHECK(text == "abc");
    CHECK_FALSE(out.closed());
}

}  // namespace stop_test
