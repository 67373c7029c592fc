// Test support shared by the tests that feed a run through a real pipe (waits for input,
// full outputs, closed readers): a pipe(2) whose ends close with the object, or earlier.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

struct Pipe {
    int fd[2] = {-1, -1};  // read end, write end
    Pipe() { REQUIRE(pipe(fd) == 0); }
    ~Pipe() {
        close_read();
        close_write();
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    void close_read() { close_end(0); }
    void close_write() { close_end(1); }

private:
    void close_end(int i) {
        if (fd[i] >= 0) ::close(fd[i]);
        fd[i] = -1;
    }
};
