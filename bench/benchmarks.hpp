// The benchmark families of jitbf_bench, registered at startup (their names depend on the
// programs found): see programs_bench.cpp and throughput_bench.cpp.
#pragma once

#include <vector>

#include <benchmark/benchmark.h>

#include "engine.hpp"
#include "workloads.hpp"

namespace jitbf::bench {

inline constexpr int kLevels[] = {0, 2};

// run/NAME/BACKEND/O<level> and compile/NAME/BACKEND/O<level> for every workload.
void register_program_benchmarks(const std::vector<Workload>& workloads);

// profile/NAME/BACKEND/O2: the same runs compiled for --profile (profile_bench.cpp).
void register_profile_benchmarks(const std::vector<Workload>& workloads);

// Times compiled.run() of w on a fresh tape per iteration (making the tape is not timed;
// profile counts, when given, start at 0 each time), then checks the last run's output.
void time_runs(benchmark::State& state, const Workload& w, const Options& opts,
               const Executable& compiled, ProfileCounts* counts = nullptr);

// compile_throughput/10MB/BACKEND/O<level>: parse + passes + backend on a generated program,
// in source MB/s, and the peak memory of one compile in bytes per source byte.
void register_throughput_benchmarks();

}  // namespace jitbf::bench
