// The SIMD levels of Options::simd: their names, and what this CPU has.
#include <xbyak/xbyak_util.h>

#include "jitbf/jitbf.hpp"

namespace jitbf {

std::string_view simd_level_name(SimdLevel level) {
    switch (level) {
    case SimdLevel::Scalar: return "scalar";
    case SimdLevel::Sse2: return "sse2";
    case SimdLevel::Avx2: return "avx2";
    }
    return "?";
}

std::optional<SimdLevel> simd_level_named(std::string_view name) {
    for (SimdLevel level : {SimdLevel::Scalar, SimdLevel::Sse2, SimdLevel::Avx2})
        if (simd_level_name(level) == name) return level;
    return std::nullopt;
}

SimdLevel cpu_simd_level() {
    // Xbyak's Cpu checks that the OS saves the ymm state (XGETBV) before reporting AVX.
    static const SimdLevel level = [] {
        const Xbyak::util::Cpu cpu;
        using C = Xbyak::util::Cpu;
        return cpu.has(C::tAVX2) && cpu.has(C::tBMI2) ? SimdLevel::Avx2 : SimdLevel::Sse2;
    }();
    return level;
}

}  // namespace jitbf
