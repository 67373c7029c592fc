// Random shapes during which the pointer stays put across control flow: chains of nested
// loops that each run at most once (factor.b's digit code), a division with remainder whose
// loop holds only ifs, the same with the zero test that moves the pointer and only comes back
// by what the cells hold (fractal.b's digits), ifs in a row whose bodies clear the next one's
// cell, and balanced loops nested three deep. The JIT keeps
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
// The stay shape of ifs in a row, in a loop on the counter.
std::string if_chain_shape(Rng& rng, int side);

// A counted loop around the if/else idiom of generated code (programs/collatz.b), on the
// counter c and the cells x, f, z beyond it on `side` (here +1):
//     c[- >->+<[>-]>[-<+++>>]<<< ]      or      c[- >>+<[->-]>[-<+++>>]<<< ]
// (if x-1 is not 0 / if x is not 0 then x-1; else x+k). Each inner loop runs at most
// once and moves the pointer, and the two ways meet on one cell only because f and z hold 0,
// which nothing in the program proves: code that assumes it (a static pointer after the
// idiom, cells kept in registers across it) must still do right when it is not so.
// `clean`: f and z are cleared first; otherwise they hold whatever they held, and the
// pointer may end anywhere (or walk off the tape).
std::string if_else_shape(Rng& rng, int side, bool clean);

}  // namespace jitbf::gen
