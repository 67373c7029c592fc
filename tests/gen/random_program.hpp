// Random Brainfuck programs for differential testing, shaped like what the passes and the
// backends rewrite: long +/- runs (past 255 and 65535), pointer runs, clear loops (also
// odd-step ones that only end by wrapping, and even-step ones that may never end), copy and
// multiply loops with odd and negative steps and factors, scans over prepared runs of
// non-zero cells, nested counted loops, loops that run at most once, loops that never run,
// loops whose body moves the pointer, walks off either end of a small tape, I/O with and
// without end of input, and code that keeps the pointer put across loops and ifs
// (stay_shapes.hpp).
//
// A program is fully determined by its 64-bit seed, on every platform (see rng.hpp), so a
// failure replays from the seed alone. Brackets are generated structurally: always
// balanced. The generator tracks the values of cells roughly, so that in 16 and 32 bits it
// rarely loops over a negative cell (2^32 iterations): most programs end well within a
// step budget, and the ones that do not are skipped by the runner.
#pragma once

#include <cstdint>
#include <string>

#include "jitbf/jitbf.hpp"

namespace jitbf::gen {

struct Case {
    std::uint64_t seed = 0;
    std::string source;  // the Brainfuck text, with a few comments and newlines
    std::string input;   // what `,` reads; often shorter than the reads, to reach EOF
    Options opts;        // cell_bits, eof and tape_cells; the runner sets the rest
};

// The program for one seed.
Case random_case(std::uint64_t seed);

// The seed of the index-th program of a run that started from `base`.
std::uint64_t case_seed(std::uint64_t base, std::uint64_t index);

// The options as jitbf's command-line flags ("--cell-bits 16 --eof zero --tape-cells 100").
std::string cli_flags(const Options& opts);

}  // namespace jitbf::gen
