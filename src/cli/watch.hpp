// What --stats, --profile and --perf-map watch of a run, and the reports they make. run.cpp
// calls a RunWatch at each step (passes, compile, run, end); with none of the three asked
// for, every step does nothing and the program compiles and runs exactly as without them.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine.hpp"
#include "ir.hpp"
#include "observe.hpp"
#include "options.hpp"
#include "passes/passes.hpp"
#include "source.hpp"

namespace jitbf::cli {

// Phase times for --stats: one clock, lapped at the end of each phase.
class PhaseTimes {
public:
    using Clock = std::chrono::steady_clock;
    void lap(std::string phase);  // the time since the last lap was `phase`'s
    void skip();                  // ... or no phase's
    const std::vector<std::pair<std::string, double>>& seconds() const { return seconds_; }

private:
    Clock::time_point last_ = Clock::now();
    std::vector<std::pair<std::string, double>> seconds_;
};

// How many ops of each kind a program has.
using OpCounts = std::array<std::uint64_t, kOpCount>;
OpCounts count_ops(const Program& prog);

class RunWatch {
public:
    RunWatch(const Cli& cli, const Source& src, PhaseTimes& times);
    // For optimize(): times each pass and counts the ops before the first (--stats).
    PassObserver passes();
    Instrumentation instrumentation() const;
    // After compiling: the codegen lap; writes the perf map (false when it cannot).
    bool compiled(const Program& prog, const Executable& exe);
    ProfileCounts* counts();  // for Executable::run
    void ran();               // the run lap
    // After the run: --stats and --profile on stderr.
    void report(const Program& prog, const Executable& exe, const Tape& tape, const Input& in,
                const Output& out);

private:
    const Cli& cli_;
    const Source& src_;
    PhaseTimes& times_;
    OpCounts parsed_{};
    ProfileCounts counts_;
};

// The reports, one file each.
struct StatsReport {
    const PhaseTimes& times;
    const OpCounts& parsed;
    const Program& prog;  // optimized
    const Executable& exe;
    const Tape& tape;
    const Input& in;
    const Output& out;
};
void print_stats(const StatsReport& r);  // stats.cpp
void print_profile(const Program& prog, const ProfileCounts& counts,
                   const Source& src);                            // profile_report.cpp
bool write_perf_map(const Program& prog, const JitProgram& jit);  // perf_map.cpp

}  // namespace jitbf::cli
