// Random shapes during which the pointer stays put across control flow: chains of nested
// loops that each run at most once (factor.b's digit code), a division with remainder whose
// loop holds only ifs, the same with the zero test that moves the pointer and only comes back
// by what the cells hold (fractal.b's digits), and balanced loops nested three deep. The JIT keeps
// the cells of such code in registers (src/jit/regalloc.hpp), so these are what can catch a cell
// stored back late, never, or in the wrong place.
//
// A shape works on the current cell (a counter it leaves at 0) and the kStayCells cells
// beyond it on one side, which it clears first: the caller makes sure those clears end.
#pragma once

#include <cstdint>
#include <string>

#include "rng.hpp"

namespace jitbf::gen {

inline constexpr std::int64_t kStayCells = 4;

// The Brainfuck text of one shape; `side` is +1 or -1. The pointer ends where it started.
std::string stay_shape(Rng& rng, int side);

}  // namespace jitbf::gen
