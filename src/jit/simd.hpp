// Which vector instructions the JIT's scans use: detected from the CPU once per process,
// lowered on request with JITBF_SIMD (so tests and benchmarks can run every code path on
// one machine). Kept apart from the emitter so tests can ask without including xbyak.
#pragma once

#include <cstdint>
#include <string_view>

namespace jitbf::jit {

enum class SimdLevel : std::uint8_t {
    Scalar,  // one cell per step
    Sse2,    // 16-byte vectors (every x86-64 CPU)
    Avx2,    // 32-byte vectors (with BMI2's shifts)
};

std::string_view simd_level_name(SimdLevel level);

// The best level this CPU (and OS) supports.
SimdLevel cpu_simd_level();

// The level scans are compiled for: the CPU's, or JITBF_SIMD=avx2|sse2|scalar when that is
// set and the CPU has it (a level the CPU lacks, or an unknown name, is ignored). Read at
// every compile: code always matches the machine that compiles, and so runs, it.
SimdLevel scan_simd_level();

}  // namespace jitbf::jit
