// Comparing two runs (see check.hpp). Output first, because it is what a user sees and the
// earliest symptom in time; then how the runs ended; then the final tape, found by memcmp
// over large chunks so a 1M-cell tape costs almost nothing when it agrees.
#include "check.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace jitbf {

namespace {

std::string show_byte(unsigned char c) {
    char buf[16];
    if (c >= 0x20 && c < 0x7f && c != '\'')
        std::snprintf(buf, sizeof buf, "0x%02x '%c'", c, c);
    else
        std::snprintf(buf, sizeof buf, "0x%02x", c);
    return buf;
}

SourcePos stop_pos(const Program& prog, const RunResult& r) {
    return r.op < prog.code.size() ? prog.code[r.op].pos : SourcePos{};
}

// Errors whose place is part of the semantics: a fault names the touching instruction and
// the cell it touched.
bool is_tape_error(RunStatus s) {
    return s == RunStatus::LeftOfTape || s == RunStatus::RightOfTape;
}

std::string compare_output(const RunRecord& a, const RunRecord& b) {
    const std::size_t n = std::min(a.output.size(), b.output.size());
    const auto at = static_cast<std::size_t>(
        std::mismatch(a.output.begin(), a.output.begin() + static_cast<std::ptrdiff_t>(n),
                      b.output.begin())
            .first -
        a.output.begin());
    if (at == n && a.output.size() == b.output.size()) return {};
    auto wrote = [at](const RunRecord& r) {
        if (at < r.output.size())
            return std::string(r.label) + " wrote " +
                   show_byte(static_cast<unsigned char>(r.output[at]));
        return std::string(r.label) + "'s output ended (" + std::to_string(r.output.size()) +
               " bytes)";
    };
    return "output differs at byte " + std::to_string(at) + ": " + wrote(a) + ", " + wrote(b);
}

std::string compare_end(const RunRecord& a, const RunRecord& b) {
    const RunResult& ra = a.ex.result;
    const RunResult& rb = b.ex.result;
    const bool same = ra.status == rb.status &&
                      (!is_tape_error(ra.status) ||
                       (stop_pos(a.prog, ra) == stop_pos(b.prog, rb) && ra.cell == rb.cell));
    if (same) return {};
    return "runs ended differently: " + std::string(a.label) + ": " + describe_end(a.prog, a.ex) +
           "; " + std::string(b.label) + ": " + describe_end(b.prog, b.ex);
}

std::string compare_tape(const RunRecord& a, const RunRecord& b) {
    const Tape& ta = a.ex.tape;
    const Tape& tb = b.ex.tape;
    if (ta.cell_bits() != tb.cell_bits() || ta.cells() != tb.cells())
        return "tapes differ in shape: " + std::string(a.label) + " " + std::to_string(ta.cells()) +
               " cells of " + std::to_string(ta.cell_bits()) + " bits, " + std::string(b.label) +
               " " + std::to_string(tb.cells()) + " cells of " + std::to_string(tb.cell_bits()) +
               " bits";
    constexpr std::size_t kChunk = std::size_t{1} << 16;  // a multiple of every cell size
    const std::size_t bytes = ta.bytes();
    for (std::size_t start = 0; start < bytes; start += kChunk) {
        const std::size_t len = std::min(kChunk, bytes - start);
        if (std::memcmp(ta.data() + start, tb.data() + start, len) == 0) continue;
        for (std::uint64_t i = start / ta.cell_bytes(); i < ta.cells(); ++i) {
            if (ta.cell(i) != tb.cell(i))
                return "final tape differs at cell " + std::to_string(i) + ": " +
                       std::string(a.label) + " " + std::to_string(ta.cell(i)) + ", " +
                       std::string(b.label) + " " + std::to_string(tb.cell(i));
        }
    }
    return {};
}

}  // namespace

std::string describe_end(const Program& prog, const Execution& ex) {
    const RunResult& r = ex.result;
    switch (r.status) {
    case RunStatus::Ok: return "ok";
    case RunStatus::OutputClosed: return "output closed";
    case RunStatus::NotStarted: return "not started";
    case RunStatus::StepLimit: return "step limit reached at " + to_string(stop_pos(prog, r));
    case RunStatus::Timeout: return "time limit reached at " + to_string(stop_pos(prog, r));
    case RunStatus::Stopped: return "stopped at " + to_string(stop_pos(prog, r));
    case RunStatus::LeftOfTape:
    case RunStatus::RightOfTape:
        return "runtime error at " + to_string(stop_pos(prog, r)) + ": " +
               runtime_error(prog, r, ex.tape).message;
    }
    return "?";
}

std::string first_difference(const RunRecord& a, const RunRecord& b) {
    if (std::string d = compare_output(a, b); !d.empty()) return d;
    if (std::string d = compare_end(a, b); !d.empty()) return d;
    if (a.ex.result.status == RunStatus::Ok) return compare_tape(a, b);
    return {};
}

}  // namespace jitbf
