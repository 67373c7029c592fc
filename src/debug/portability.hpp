// --portability: runs a program under every cell width and every EOF mode, on the same
// input, and says which of them change what it prints or how it ends; at 8 bits it also
// watches for the facts behind a difference (cells that wrap, reads past the end of input,
// the cells touched), and sums it all up as what the program needs.
//
// Every run is the -O0 IR on the stepping interpreter (stepper.hpp), so steps count alike in
// all nine and the positions are the source's. Which result is the intended one cannot be
// known; the summary guesses from which runs agree (see needs() in portability.cpp), and the
// table under it shows the evidence.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "ir.hpp"
#include "jitbf/jitbf.hpp"
#include "runtime.hpp"

namespace jitbf::debug {

// Loop iterations each run may take unless --max-steps says otherwise (README, --help).
inline constexpr std::uint64_t kPortabilitySteps = 10'000'000;

struct PortabilityRun {
    int cell_bits = 8;
    EofMode eof = EofMode::Unchanged;
    RunResult result;
    std::string output;
};

struct PortabilityReport {
    // The nine runs, cell widths 8, 16, 32 in turn, each with EOF unchanged, zero, minus-one:
    // runs[0] is the default (8 bits, unchanged), the one the others are compared with.
    std::array<PortabilityRun, 9> runs;
    std::uint64_t input_bytes = 0;
    std::uint64_t step_limit = 0;
    // Seen in the default run (8 bits, EOF unchanged; the others agree up to the first
    // read past the end of input).
    struct Wrap {
        std::uint64_t count = 0;  // how many ops wrapped a cell
        SourcePos pos;            // the first one's
        std::int64_t cell = 0;
        bool below = false;  // below 0, else above 255
    } wrap;
    struct PastEnd {
        std::uint64_t count = 0;  // reads that found the end of input
        SourcePos pos;            // the first one's
    } past_end;
    bool touched = false;  // any cell at all
    std::int64_t lowest = 0, highest = 0;
};

// Runs `prog` (the -O0 IR) nine times; errors are setup failures (a tape that cannot be
// mapped). opts: tape_cells, step_limit (0: kPortabilitySteps) and timeout (per run).
Result<PortabilityReport> check_portability(const Program& prog, const std::string& input,
                                            const Options& opts);

// The report as the jitbf command prints it: the table, the 8-bit facts, the summary line.
std::string to_string(const PortabilityReport& report, const Program& prog);

// The one-line summary alone: "needs 8-bit wrapping cells; EOF behaviour does not matter;
// uses 312 cells".
std::string needs(const PortabilityReport& report);

}  // namespace jitbf::debug
