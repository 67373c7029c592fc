// What --profile costs: profile/NAME/BACKEND/O2 runs each program compiled for profiling
// (counters in the JIT's code, the interpreter's counting handlers), to set against
// run/NAME/BACKEND/O2, the same program as it normally runs. The code a run without
// profiling gets is the code it got before profiling existed (tests/jit_code_map_test.cpp
// checks the code is the same with and without the code map; the interpreter's normal
// handlers are a separate instantiation), so run/ is the baseline to compare with.
#include <benchmark/benchmark.h>

#include <string>

#include "benchmarks.hpp"
#include "front_end.hpp"

namespace jitbf::bench {

namespace {

void run_profiled(benchmark::State& state, const Workload* w, Backend backend) {
    Options opts = w->opts;
    opts.simd = simd_from_environment();
    opts.opt_level = 2;
    const Program prog = front_end(w->source, opts);
    Instrumentation extra;
    extra.profile = true;
    auto compiled = Executable::compile(prog, opts, backend, extra);
    if (!compiled) {
        state.SkipWithError(compiled.errors().front().message.c_str());
        return;
    }
    ProfileCounts counts(prog.code.size(), 0);
    time_runs(state, *w, opts, *compiled, &counts);
}

}  // namespace

void register_profile_benchmarks(const std::vector<Workload>& workloads) {
    for (const Workload& w : workloads)
        for (Backend b : {Backend::Jit, Backend::Interp})
            benchmark::RegisterBenchmark(
                ("profile/" + w.name + "/" + std::string(backend_name(b)) + "/O2").c_str(),
                run_profiled, &w, b)
                ->Unit(benchmark::kMillisecond);
}

}  // namespace jitbf::bench
