// Comparing two finished runs of one program: what --check and the differential tests report.
//
// Two runs agree when they wrote the same bytes, ended the same way and, when both ended
// normally, left the same tape. A runtime error is compared by the *source position* of the
// op that stopped the run and the cell it touched, not by its op index: indices differ
// between -O levels, positions and cells must not. The tape of a run that stopped early is not
// compared: a pass may legally leave a different partial state behind a fault (a store it merged
// into a later one, ...).
#pragma once

#include <string>
#include <string_view>

#include "engine.hpp"
#include "ir.hpp"

namespace jitbf {

// One finished run, as the comparison sees it. Borrows everything; the caller owns it.
struct RunRecord {
    std::string_view label;  // names the run in messages: "jit", "interp -O2"
    const Program& prog;     // the program that ran: places the op that stopped it
    const Execution& ex;
    std::string_view output;  // every byte it wrote
};

// How a run ended, for messages: "ok", "runtime error at 3:7: cell -1 is off the tape
// (touched here)", "step limit reached at 1:4".
std::string describe_end(const Program& prog, const Execution& ex);

// The first difference between two runs, in one line ("output differs at byte 12: jit
// wrote 0x41 'A', interp wrote 0x42 'B'"), checked in this order: output bytes, how the run
// ended, final tape (first differing cell). Empty when the runs agree.
std::string first_difference(const RunRecord& a, const RunRecord& b);

}  // namespace jitbf
