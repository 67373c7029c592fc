// The knobs that change what a program means or how it is compiled. Both backends take the
// same Options, so a difference between them can only be a bug.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace jitbf {

enum class EofMode : std::uint8_t {
    Unchanged,  // `,` at end of input leaves the cell as it was
    Zero,       // ... stores 0
    MinusOne,   // ... stores 2^bits - 1
};

// Which vector instructions the JIT's scans may use. The JIT uses the lower of this and
// what the CPU has (cpu_simd_level()), so the default means "the best there is".
enum class SimdLevel : std::uint8_t {
    Scalar,  // one cell per step
    Sse2,    // 16-byte vectors (every x86-64 CPU)
    Avx2,    // 32-byte vectors (with BMI2's shifts)
};

std::string_view simd_level_name(SimdLevel level);                 // "scalar", "sse2", "avx2"
std::optional<SimdLevel> simd_level_named(std::string_view name);  // the inverse; or nothing
SimdLevel cpu_simd_level();  // the best this CPU and OS support

struct Options {
    int cell_bits = 8;  // 8, 16 or 32; arithmetic wraps modulo 2^bits
    EofMode eof = EofMode::Unchanged;
    std::uint64_t tape_cells = 1u << 20;  // cells to the right of (and including) cell 0
    int opt_level = 2;                    // 0: run-length folding only, 1, 2: everything
    bool verify_each_pass = false;        // run verify() after every pass (tests, debug)
    SimdLevel simd = SimdLevel::Avx2;     // the widest vectors scans may use (JIT)
    std::uint64_t step_limit = 0;         // 0: never; else a run stops with StepLimit at the
                                          // loop back-edge that would be the Nth (N-1 taken)
};

inline constexpr std::uint64_t kMaxTapeCells = std::uint64_t{1} << 32;

}  // namespace jitbf
