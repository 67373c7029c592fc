// --emit-c: a program's IR as a standalone C program, the yardstick the JIT is judged by
// ("as fast as a C compiler on the same IR"). The design is in emit_c.cpp's header.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ir.hpp"
#include "jitbf/jitbf.hpp"

namespace jitbf {

// One optimized program and what its C needs to behave like `jitbf` run on it: the options
// it was optimized with (cell width, EOF mode, tape size; the level is only reported), and
// its name and text for runtime error messages.
struct CUnit {
    const Program& prog;
    const Options& opts;
    std::string_view name;    // as jitbf names it in messages: file, "-e" or "<stdin>"
    std::string_view source;  // the Brainfuck text the positions point into
};

// A whole C program: runs the unit on its standard input and output, exactly as
// `jitbf [options] NAME` would (output, messages, exit status).
std::string emit_c(const CUnit& unit);

// Several units in one C program, for tests that cannot afford one C compiler run per
// program: `./a.out K [TAPE]` runs unit K like emit_c's program would, then, when it ended
// normally, writes its final tape (every cell, native byte order) to the file TAPE.
std::string emit_c_batch(const std::vector<CUnit>& units);

// The runtime every emitted program starts with (emit_c_runtime.cpp).
extern const std::string_view kCRuntime;

}  // namespace jitbf
