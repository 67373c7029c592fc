// Test support shared by the interpreter tests (the main one and the stepping one): Options
// for a small tape of a given cell width and EOF rule, so tests reach the tape's ends.
#pragma once

#include <cstdint>

#include "jitbf/jitbf.hpp"

inline jitbf::Options opts_for(int bits, jitbf::EofMode eof = jitbf::EofMode::Unchanged,
                               std::uint64_t cells = 64) {
    jitbf::Options o;
    o.cell_bits = bits;
    o.eof = eof;
    o.tape_cells = cells;
    return o;
}
