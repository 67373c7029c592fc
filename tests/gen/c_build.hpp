// Compiling emitted C (src/emit_c.hpp) with the system's C compiler and running it as a
// process, for the tests that compare --emit-c's programs with the interpreter.
//
// One batch of programs is one C file and one compiler run (a compiler run costs far more
// than a program), in a temporary directory that lives as long as the CBuild. What jitbf
// itself would print and return for a run (expected_process) is built here too, so every
// test compares a C process with the same thing: stdout, stderr and exit status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine.hpp"
#include "ir.hpp"

namespace jitbf::gen {

// The C compiler: $CC if set, else `cc`; empty when it cannot compile a trivial program
// (the tests then say so and skip).
const std::string& c_compiler();

// The flags every test compiles with: the yardstick's -O2, and no warning allowed.
inline const std::vector<std::string> kCFlags = {"-O2", "-Wall", "-Wextra", "-Werror"};

struct Process {
    int status = -1;       // exit status; 128 + N when killed by signal N
    std::string out, err;  // everything it wrote
    std::string tape;      // batch programs that ended normally: the final tape's bytes
    bool timed_out = false;
};

class CBuild {
public:
    // Compiles `c_source`; nothing (and the compiler's messages in `errors`) on failure.
    static std::optional<CBuild> compile(const std::string& c_source, std::string& errors,
                                         const std::vector<std::string>& flags = kCFlags);
    CBuild(CBuild&& other) noexcept;
    CBuild& operator=(CBuild&&) = delete;
    CBuild(const CBuild&) = delete;
    ~CBuild();

    // Runs the executable with `args` and `input` on its standard input, killed after
    // `timeout_s` seconds. With `tape`, passes a file for emit_c_batch's tape and reads it.
    Process run(const std::vector<std::string>& args, const std::string& input, unsigned timeout_s,
                bool tape = false) const;

    const std::string& dir() const { return dir_; }

private:
    explicit CBuild(std::string dir) : dir_(std::move(dir)) {}
    std::string dir_;
};

// What `jitbf` prints and returns when it runs `prog` (already optimized with `opts`) on
// `input`: the reference a C process is compared with. `ran` is the interpreter's run,
// for the final tape and to know whether it hit opts.step_limit.
struct Expected {
    Process process;
    Execution ran;
};
Expected expected_process(const Program& prog, const Options& opts, std::string_view name,
                          std::string_view source, const std::string& input);

// The first difference between a C process and the expected one, in one line ("" when
// they agree). The tape is compared when both ended normally and `got` has one.
std::string process_difference(const Process& got, const Process& want);

}  // namespace jitbf::gen
