// Compile throughput on a generated 10 MB program of the shapes real programs are made of
// (clear, copy and multiply loops, scans, nested counted loops, I/O, comments), so every
// pass has work. Reported as source_MB per second, with each phase's time.
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "benchmarks.hpp"
#include "front_end.hpp"

namespace jitbf::bench {

namespace {

constexpr std::size_t kProgramBytes = std::size_t{10} << 20;

const std::string& big_program() {
    static const std::string program = [] {
        static constexpr const char* kPieces[] = {
            "++++++++[>++++++++<-]>+.",
            "[-]",
            "[>]",
            "[<<]",
            ">>+++[<+++++>-]<",
            "[->+>+<<]",
            ">[-<+>]<",
            "+++[>+++[>++<-]<-]",
            "-[--->+<]>-.",
            ">>>>",
            "<<<",
            " a comment\n",
            "+[->,[>+<-]<]",
            "[>>>]",
            "----[---->+<]>++.",
            "[[-]>]",
        };
        std::string s;
        s.reserve(kProgramBytes + 64);
        std::uint32_t x = 12345;  // a fixed LCG: the same program every run
        while (s.size() < kProgramBytes) {
            x = x * 1664525u + 1013904223u;
            s += kPieces[(x >> 16) % (sizeof kPieces / sizeof *kPieces)];
        }
        return s;
    }();
    return program;
}

void compile_throughput(benchmark::State& state, Backend backend, int level) {
    const std::string& source = big_program();
    Options opts;
    opts.simd = simd_from_environment();
    opts.opt_level = level;
    using Clock = std::chrono::steady_clock;
    double parse_s = 0, passes_s = 0, backend_s = 0;
    for (auto _ : state) {
        const auto t0 = Clock::now();
        auto parsed = parse(source);
        const auto t1 = Clock::now();
        const Program prog = optimize(std::move(*parsed), opts);
        const auto t2 = Clock::now();
        auto compiled = Executable::compile(prog, opts, backend);
        const auto t3 = Clock::now();
        if (!compiled) {
            state.SkipWithError(compiled.errors().front().message.c_str());
            return;
        }
        benchmark::DoNotOptimize(compiled);
        parse_s += std::chrono::duration<double>(t1 - t0).count();
        passes_s += std::chrono::duration<double>(t2 - t1).count();
        backend_s += std::chrono::duration<double>(t3 - t2).count();
    }
    const auto mb = static_cast<double>(source.size()) / 1e6;
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(source.size()));
    state.counters["source_MB"] =
        benchmark::Counter(mb, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["parse_ms"] =
        benchmark::Counter(parse_s * 1e3, benchmark::Counter::kAvgIterations);
    state.counters["passes_ms"] =
        benchmark::Counter(passes_s * 1e3, benchmark::Counter::kAvgIterations);
    state.counters["backend_ms"] =
        benchmark::Counter(backend_s * 1e3, benchmark::Counter::kAvgIterations);
}

}  // namespace

void register_throughput_benchmarks() {
    for (int level : kLevels) {
        for (Backend b : {Backend::Jit, Backend::Interp}) {
            const std::string name = "compile_throughput/10MB/" + std::string(backend_name(b)) +
                                     "/O" + std::to_string(level);
            benchmark::RegisterBenchmark(name.c_str(), compile_throughput, b, level)
                ->Unit(benchmark::kMillisecond);
        }
    }
}

}  // namespace jitbf::bench
