// From the per-op counts of a profiled run (observe.hpp) to where the work went, by loop.
//
// The counts say how often each block ran (a loop body: its iterations; an if body: times
// taken), so every op's executions follow exactly, and the work of a loop is the ops it
// executed: one per op run, plus one per cell a scan stepped over. That is a measure both
// backends give identically, unlike time, and it is what --profile ranks loops by.
#pragma once

#include <cstdint>
#include <vector>

#include "ir.hpp"
#include "jitbf/jitbf.hpp"
#include "observe.hpp"

namespace jitbf {

// One loop of the source: the IR loops and scans with the same source position, summed
// (a peeled loop's copies are one loop of the source).
struct LoopProfile {
    SourcePos pos;                 // of the loop's op: where its `[` was
    bool scan = false;             // the passes made it a Scan
    std::uint64_t entered = 0;     // times reached: the loop's first test ran
    std::uint64_t iterations = 0;  // a loop: times its body ran; a scan: cells stepped over
    std::uint64_t self = 0;        // ops executed in it, not counting inner loops
    std::uint64_t total = 0;       // ... and counting them
};

struct ProfileSummary {
    std::uint64_t ops = 0;           // ops executed in the whole run (the work)
    std::vector<LoopProfile> loops;  // most self work first; then by position
};

// `counts` has one entry per op of `prog`, from a run of `prog` compiled with profiling.
ProfileSummary summarize_profile(const Program& prog, const ProfileCounts& counts);

}  // namespace jitbf
