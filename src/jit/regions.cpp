// Where the regions of regalloc.hpp may be: the runs of ops, and of clean brackets, that keep
// p in place and call nothing; regalloc.cpp plans the registers of each. Apart from the plan
// because it needs none of its state: one walk over the IR, linear in its length, taken a
// span at a time as the plan asks for them.
#include <optional>
#include <utility>
#include <vector>

#include "regalloc.hpp"

namespace jitbf::jit {

namespace {

// Offsets whose displacement fits an instruction at every cell width, far beyond real ones.
constexpr std::int64_t kNearCells = std::int64_t{1} << 24;

bool near(const Instr& in) {
    auto ok = [](std::int64_t off) { return off > -kNearCells && off < kNearCells; };
    return ok(in.off) && ok(in.src);
}

// For each opening bracket: 1 when its body is clean (every op in it stays).
std::vector<char> clean_bodies(const std::vector<Instr>& code) {
    std::vector<char> clean(code.size(), 0);
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const Instr& in = code[i];
        if (opens(in.op)) {
            clean[i] = stays_in_region(in);
            open.push_back(i);
        } else if (closes(in.op)) {
            const std::size_t b = open.back();
            open.pop_back();
            if (!stays_in_region(in)) clean[b] = 0;
            if (!clean[b] && !open.empty()) clean[open.back()] = 0;
        } else if (!stays_in_region(in) && !open.empty()) {
            clean[open.back()] = 0;
        }
    }
    return clean;
}

// Can a region of straight-line code have no slot at all? When no cell is named twice in
// it: a cell's one use then costs what its load and store would (an add reads and writes,
// a set only writes and so needs no load, a multiply's source is only read), so no register
// gains, and there are no loops to hold one over. Most regions at -O0 are a lone add between
// two moves: planning each of them the long way was a tenth of the compile.
bool needs_no_plan(const std::vector<Instr>& code, std::size_t begin, std::size_t end) {
    constexpr std::size_t kMaxCells = 8;  // beyond this, the planner's own walk is as cheap
    if (end - begin > kMaxCells / 2) return false;
    std::int32_t cells[kMaxCells];
    std::size_t n = 0;
    for (std::size_t i = begin; i < end; ++i) {
        const Instr& in = code[i];
        if (in.op == Op::Check) continue;  // names a cell, never uses it
        if (in.op != Op::Add && in.op != Op::Set && in.op != Op::MulAdd) return false;
        if (in.op == Op::MulAdd) cells[n++] = in.src;
        cells[n++] = in.off;
    }
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = a + 1; b < n; ++b)
            if (cells[a] == cells[b]) return false;
    return true;
}

}  // namespace

bool stays_in_region(const Instr& in) {
    const bool known = in.op == Op::Add || in.op == Op::Set || in.op == Op::MulAdd ||
                       in.op == Op::Check || opens(in.op) || closes(in.op);
    return known && near(in);
}

RegionSpans::RegionSpans(const Program& prog) : code_(prog.code), clean_(clean_bodies(prog.code)) {}

std::optional<OpSpan> RegionSpans::next() {
    for (;;) {
        const std::optional<OpSpan> span = gather();
        if (!span || !needs_no_plan(code_, span->begin, span->end)) return span;
    }
}

std::optional<OpSpan> RegionSpans::gather() {
    while (i_ < code_.size()) {
        const std::size_t i = i_;
        const Instr& in = code_[i];
        bool item = false;
        std::size_t after = i + 1;  // the op after this item
        if (opens(in.op)) {
            const auto partner = static_cast<std::size_t>(in.arg);
            item = clean_[i] && partner - i < kMaxRegionOps;
            if (item) after = partner + 1;
        } else if (!closes(in.op)) {
            item = stays_in_region(in);
        }
        i_ = after;
        const std::size_t begin = start_;
        if (item && begin != kNoIndex && after - begin > kMaxRegionOps) {
            start_ = i;  // too long: the span ends here and the next one starts
            return OpSpan{begin, i};
        }
        if (item && begin == kNoIndex) start_ = i;
        if (!item) {
            start_ = kNoIndex;
            if (begin != kNoIndex) return OpSpan{begin, i};
        }
    }
    if (start_ != kNoIndex) return OpSpan{std::exchange(start_, kNoIndex), code_.size()};
    return std::nullopt;
}

}  // namespace jitbf::jit
