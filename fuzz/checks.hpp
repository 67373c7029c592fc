// What the fuzz targets check, as plain functions of the input bytes.
//
// The libFuzzer executables (entry.cpp) and the regression replayer (replay.cpp) call the
// same functions, so an input a fuzzer once failed on is replayed through exactly the code
// it failed in, in every build, without libFuzzer. A check returns what went wrong (empty
// when all is well) instead of aborting, so the replayer can report every failing file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "jitbf/jitbf.hpp"

namespace jitbf::fuzz {

// An input as the targets read it. Byte 0 picks the options (bits 0-1 the cell width,
// 2-3 the EOF rule, 4-5 a small tape, 6-7 the JIT's SIMD level); the rest, up to the first
// '!', is the program, and what follows the '!' is its input. An empty input is the empty
// program with the default options.
struct Case {
    Options opts;
    std::string_view source;
    std::string input;
};
Case decode(const std::uint8_t* data, std::size_t size);

// Parsing, then every pass at every -O level with verify() after each, twice (the
// pipeline must be deterministic); a failed parse must report positioned errors.
std::string check_passes(const Case& c);

// The interpreter at -O0 with a step budget is the oracle; when it finishes, the
// interpreter at -O1 and -O2 and the JIT at -O0, -O1 and -O2 must write the same bytes,
// end the same way (the same source position and cell for an off-tape error) and, when
// they end normally, leave the same tape.
std::string check_differential(const Case& c);

// The IR dump after parsing and every pass at every level (what --dump-ir=all prints):
// one numbered line per op.
std::string check_dump(const Case& c);

// The check a target's name (passes, differential, dump) stands for; null if none.
using Check = std::string (*)(const Case&);
Check check_named(std::string_view target);

}  // namespace jitbf::fuzz
