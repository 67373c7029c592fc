// Compile throughput on a generated 10 MB program of the shapes real programs are made of
// (clear, copy and multiply loops, scans, nested counted loops, I/O, comments), so every
// pass has work. Reported as source_MB per second, with each phase's time, and the peak
// memory of one compile in bytes per source byte (the goal is at most 8).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
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

// A field of /proc/self/status in bytes ("VmRSS", "VmHWM"), or -1.
std::int64_t status_bytes(const char* field) {
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long long kb = -1;
    const std::size_t n = std::strlen(field);
    while (std::fgets(line, sizeof line, f))
        if (std::strncmp(line, field, n) == 0 && line[n] == ':')
            std::sscanf(line + n + 1, "%lld", &kb);
    std::fclose(f);
    return kb < 0 ? -1 : kb * 1024;
}

// Resident bytes one compile adds at its peak (what the compiled program keeps included),
// or -1 where Linux cannot tell. Freed heap is given back first and the process's peak is
// reset (clear_refs 5), so the peak over what was resident before is the compile's alone.
std::int64_t compile_peak_bytes(const std::string& source, const Options& opts, Backend backend) {
    malloc_trim(0);
    {
        std::ofstream reset("/proc/self/clear_refs");
        reset << "5";
        if (!reset) return -1;
    }
    const std::int64_t before = status_bytes("VmRSS");
    {
        auto parsed = parse(source);
        const Program prog = optimize(std::move(*parsed), opts);
        auto compiled = Executable::compile(prog, opts, backend);
        benchmark::DoNotOptimize(compiled);
    }
    const std::int64_t peak = status_bytes("VmHWM");
    return before < 0 || peak < 0 ? -1 : peak - before;
}

void compile_throughput(benchmark::State& state, Backend backend, int level) {
    const std::string& source = big_program();
    Options opts;
    opts.simd = simd_from_environment();
    opts.opt_level = level;
    // Counted with the source, which a compile needs in memory all along.
    const std::int64_t peak = compile_peak_bytes(source, opts, backend);
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
    if (peak >= 0)
        state.counters["peak_B_per_source_B"] =
            static_cast<double>(peak + static_cast<std::int64_t>(source.size())) /
            static_cast<double>(source.size());
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
