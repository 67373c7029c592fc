// Per program: run time (the compiled program on a fresh tape; making the tape is not timed)
// and compile time (parse + passes + the backend's preparation), on both backends at -O0
// and -O2. Every run's output is checked against the manifest's expected output.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <optional>
#include <string>

#include "benchmarks.hpp"
#include "front_end.hpp"

namespace jitbf::bench {

namespace {

Options options_for(const Workload& w, int level) {
    Options opts = w.opts;
    opts.simd = simd_from_environment();
    opts.opt_level = level;
    return opts;
}

void run_program(benchmark::State& state, const Workload* w, Backend backend, int level) {
    const Options opts = options_for(*w, level);
    const Program prog = front_end(w->source, opts);
    auto compiled = Executable::compile(prog, opts, backend);
    if (!compiled) {
        state.SkipWithError(compiled.errors().front().message.c_str());
        return;
    }
    time_runs(state, *w, opts, *compiled);
}

void compile_program(benchmark::State& state, const Workload* w, Backend backend, int level) {
    const Options opts = options_for(*w, level);
    std::size_t code = 0;
    for (auto _ : state) {
        const Program prog = front_end(w->source, opts);
        auto compiled = Executable::compile(prog, opts, backend);
        if (!compiled) {
            state.SkipWithError(compiled.errors().front().message.c_str());
            return;
        }
        code = compiled->code_bytes();
        benchmark::DoNotOptimize(compiled);
    }
    state.counters["source_bytes"] = static_cast<double>(w->source.size());
    if (backend == Backend::Jit) state.counters["code_bytes"] = static_cast<double>(code);
}

}  // namespace

void time_runs(benchmark::State& state, const Workload& w, const Options& opts,
               const Executable& compiled, ProfileCounts* counts) {
    std::string output;
    std::optional<Tape> tape;
    std::optional<Input> in;
    std::optional<Output> out;
    RunResult result;
    for (auto _ : state) {
        state.PauseTiming();
        tape.reset();  // unmapping the last tape is not the program's time either
        tape.emplace(std::move(*Tape::create(opts.tape_cells, opts.cell_bits)));
        output.clear();
        in = Input::memory(w.input);
        out = Output::memory(&output);
        if (counts) std::fill(counts->begin(), counts->end(), 0);
        state.ResumeTiming();
        result = compiled.run(*tape, *in, *out, counts);
    }
    if (result.status != RunStatus::Ok)
        state.SkipWithError("the run stopped with an error");
    else if (output != w.expected)
        state.SkipWithError("wrong output");
}

void register_program_benchmarks(const std::vector<Workload>& workloads) {
    for (const Workload& w : workloads) {
        for (int level : kLevels) {
            for (Backend b : {Backend::Jit, Backend::Interp}) {
                const std::string suffix =
                    w.name + "/" + std::string(backend_name(b)) + "/O" + std::to_string(level);
                benchmark::RegisterBenchmark(("run/" + suffix).c_str(), run_program, &w, b, level)
                    ->Unit(benchmark::kMillisecond);
                benchmark::RegisterBenchmark(("compile/" + suffix).c_str(), compile_program, &w, b,
                                             level)
                    ->Unit(benchmark::kMicrosecond);
            }
        }
    }
}

}  // namespace jitbf::bench
