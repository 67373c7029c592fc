// The tape dump of `#` (Options::debug): one line of text, made here for both backends, so
// that they cannot differ in what a dump shows, only in the values they hand it.
//
// A dump never touches the tape as a program does: it reads only the cells of its window
// that are on the tape, and shows the others as off it, so a dump cannot fault.
#pragma once

#include <cstdint>
#include <string>

#include "jitbf/jitbf.hpp"
#include "runtime.hpp"  // TapeView

namespace jitbf {

// "# at 3:14, pointer at cell 2:  0:1  1:0  [2:72 'H']  3:0\n": the cells from
// pointer - window to pointer + window, each as index:value, the pointer's in brackets,
// printable ASCII values followed by their character, runs of cells off the tape as
// "(cells -8..-1 off the tape)".
std::string format_dump(SourcePos pos, std::int64_t pointer, const TapeView& tape,
                        std::uint32_t window);

// What a backend does at a Dump: flushes `out` first (so the dump follows the output before
// it), then sends the dump to opts.debug_out, or to standard error. False, having written no
// dump, when `out` is closed or the run must stop: the run then ends as at a failed `.`.
bool write_dump(const Options& opts, Output& out, SourcePos pos, std::int64_t pointer,
                const TapeView& tape);

}  // namespace jitbf
