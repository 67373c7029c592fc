// The programs the benchmarks run, read from the manifests: the `core` rows of our own
// programs/MANIFEST.tsv and, when the standard corpus is present, its benchmark set (its
// `core` rows plus hanoi and long). Each comes with its input and expected output, so a
// benchmark that computes the wrong thing says so instead of reporting a fast time.
#pragma once

#include <string>
#include <vector>

#include "jitbf/jitbf.hpp"

namespace jitbf::bench {

struct Workload {
    std::string name;  // "programs/collatz.b", "corpus/factor.b<factor.b.hard.in"
    std::string source;
    std::string input;
    std::string expected;
    Options opts;  // cell_bits and eof from the manifest
};

struct Workloads {
    std::vector<Workload> list;
    std::vector<std::string> notes;  // what was left out and why ("corpus not found at ...")
};

Workloads load_workloads(const std::string& programs_dir, const std::string& corpus_dir);

// Options::simd for every benchmark: JITBF_SIMD=avx2|sse2|scalar when set, else the default.
SimdLevel simd_from_environment();

// generated/scans: nearly all scans, at strides 1, 3 and 9 (see scan_workload.cpp).
Workload scan_workload();

}  // namespace jitbf::bench
