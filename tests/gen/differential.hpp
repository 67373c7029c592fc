// Differential testing: one generated program, run in every configuration, each compared
// with the oracle (the interpreter at -O0, which runs the IR the parser built).
//
// Shared by the fixed-seed doctest (tests/differential_test.cpp) and the long-running
// jitbf_fuzz_diff executable, so both report a mismatch the same, replayable way.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine.hpp"
#include "random_program.hpp"

namespace jitbf::gen {

struct Config {
    Backend backend;
    int opt_level;
};
std::string label(const Config& c);  // "jit -O2"

inline constexpr Config kOracle{Backend::Interp, 0};
inline constexpr std::array<Config, 5> kCandidates{{
    {Backend::Interp, 1},
    {Backend::Interp, 2},
    {Backend::Jit, 0},
    {Backend::Jit, 1},
    {Backend::Jit, 2},
}};

// Loop back-edges the oracle may take; programs that need more are skipped. The others get
// ten times as many, so a wrong program cannot hang them but a right one never runs out.
inline constexpr std::uint64_t kOracleSteps = 100'000;
inline constexpr std::uint64_t kCandidateSteps = 10 * kOracleSteps;

struct Verdict {
    enum class Kind : std::uint8_t { Agree, Skipped, Mismatch };
    Kind kind = Kind::Agree;
    RunStatus oracle = RunStatus::Ok;  // how the oracle's run ended
    std::string report;                // for a mismatch: the difference and how to replay it
};

class DiffRunner {
public:
    // Finds out once whether the JIT backend can run anything; if not, only the
    // interpreter's levels are compared, until the day execute() succeeds.
    DiffRunner();
    bool jit_available() const { return jit_; }
    Verdict run(const Case& c) const;

private:
    bool jit_ = false;
};

// Tallies of many verdicts, for the summary line both drivers print.
struct Tally {
    std::uint64_t programs = 0, skipped = 0, mismatches = 0;
    std::uint64_t ok = 0, left = 0, right = 0;  // how the compared programs ended
    void add(const Verdict& v);
    std::string summary() const;
};

}  // namespace jitbf::gen
