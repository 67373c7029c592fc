// Sampling of the long sweeps, for the sanitizer run. JITBF_TEST_SAMPLE=k (the asan test
// preset sets 3) makes a sweep run case i only in phase i mod k, where the phase is
// something the sweep also varies (a level, a cell width): with the level as phase, each
// case still runs once, at one level, and each level still runs a third of the cases.
// Unset, 0 or 1: every case in every phase. The release run always covers every case; the
// sanitizers find what they find in the C++ code on fewer cases just as well, and the
// generated code and `cc`'s are not instrumented at all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string_view>

namespace test_sample {

inline std::uint64_t every() {
    // Anything but a whole number from 2 to 1000 means every case.
    static const std::uint64_t k = [] {
        const char* env = std::getenv("JITBF_TEST_SAMPLE");
        if (!env || *env < '0' || *env > '9') return std::uint64_t{1};
        char* end = nullptr;
        const std::uint64_t v = std::strtoull(env, &end, 10);
        return *end == '\0' && v >= 2 && v <= 1000 ? v : std::uint64_t{1};
    }();
    return k;
}

// Does case `i` run in phase `phase`?
inline bool runs(std::uint64_t i, std::uint64_t phase = 0) {
    const std::uint64_t k = every();
    return k <= 1 || i % k == phase % k;
}

// `n` (a size or a count) divided by k: for the tests whose cost is one big input.
inline std::uint64_t scaled(std::uint64_t n) { return every() > 1 ? n / every() : n; }

// Says on stdout (a passing test's MESSAGE would not show) how many cases a test left out.
inline void report(std::string_view test, std::size_t left_out, std::size_t of) {
    if (left_out == 0) return;
    std::cout << test << ": JITBF_TEST_SAMPLE=" << every() << " left out " << left_out << " of "
              << of << " cases" << std::endl;
}

}  // namespace test_sample
