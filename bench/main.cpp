// jitbf_bench: google-benchmark over jitbf's programs and the standard corpus.
//
//   jitbf_bench                                   everything (several minutes: the -O0
//                                                 interpreter runs of the corpus are slow)
//   jitbf_bench --benchmark_filter='run/.*/O2'    a subset, by regular expression
//   jitbf_bench --benchmark_filter='(run|profile)/.*/O2'
//                                                 what --profile costs (profile/ against run/)
//   jitbf_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
//                                                 medians, for a noisy machine
//
// Times are CPU time of the benchmark thread (the runs are single-threaded), so other load
// on the machine disturbs them less than wall time. bench/compare.py times whole processes.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "benchmarks.hpp"
#include "workloads.hpp"

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    // Registered benchmarks keep pointers into the list: it lives until the end of main.
    const auto workloads = jitbf::bench::load_workloads(JITBF_PROGRAMS_DIR, JITBF_CORPUS_DIR);
    std::string notes;
    for (const std::string& note : workloads.notes) {
        std::fprintf(stderr, "jitbf_bench: %s\n", note.c_str());
        notes += (notes.empty() ? "" : "; ") + note;
    }
    benchmark::AddCustomContext("workloads", std::to_string(workloads.list.size()) + " programs" +
                                                 (notes.empty() ? "" : " (" + notes + ")"));
    jitbf::bench::register_program_benchmarks(workloads.list);
    jitbf::bench::register_profile_benchmarks(workloads.list);
    jitbf::bench::register_throughput_benchmarks();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
