// A small seeded random number generator whose output is the same on every platform.
//
// std::mt19937_64 would be portable, but the std distributions are not (their algorithms
// are implementation-defined), so a seed printed by a failing test on one machine could
// replay as a different program on another. SplitMix64 is tiny, fast, passes BigCrush, and
// the range reduction here is our own: rejection of the biased top values, then modulo.
#pragma once

#include <cstdint>

namespace jitbf::gen {

// SplitMix64's output function: also a good way to derive independent seeds.
constexpr std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        state_ += 0x9e3779b97f4a7c15ULL;
        return mix64(state_);
    }

    // Uniform in [0, n), n > 0. The values at or above the last multiple of n would make
    // small residues more likely; they are drawn again (rarely: fewer than n in 2^64).
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t biased = (0 - n) % n;  // 2^64 mod n
        for (;;) {
            const std::uint64_t x = next();
            if (x >= biased) return x % n;
        }
    }

    // Uniform in [lo, hi], lo <= hi.
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
        return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + below(span + 1));
    }

    bool percent(std::uint64_t p) { return below(100) < p; }
    int sign() { return percent(50) ? 1 : -1; }

private:
    std::uint64_t state_;
};

}  // namespace jitbf::gen
