// What --profile costs: profile/NAME/BACKEND/O2 runs each program compiled for profiling
// (counters in the JIT's code, the interpreter's counting handlers), to set against
// run/NAME/BACKEND/O2, the same program as it normally runs. The code a run without
// profiling gets is the code it got before profiling existed (tests/jit_code_map_test.cpp
// checks the code is the same with and without the code map; the interpreter's normal
// handlers are a separate instantiation), so run/ is the baseline to compare with.
#include <benchmark/benchmark.h>

#include <optional>
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
    std::string output;
    std::optional<Tape> tape;
    std::optional<Input> in;
    std::optional<Output> out;
    ProfileCounts counts;
    RunResult result;
    for (auto _ : state) {
        state.PauseTiming();
        tape.reset();
        tape.emplace(std::move(*Tape::create(opts.tape_cells, opts.cell_bits)));
        output.clear();
        in = Input::memory(w->input);
        out = Output::memory(&output);
        counts.assign(prog.code.size(), 0);
        state.ResumeTiming();
        result = compiled->run(*tape, *in, *out, &counts);
    }
    if (result.status != RunStatus::Ok)
        state.SkipWithError("the run stopped with an error");
    else if (output != w->expected)
        state.SkipWithError("wrong output");
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
