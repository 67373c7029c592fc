// Where the regions of regalloc.hpp may be: the runs of ops, and of clean brackets, that keep
// p in place and call nothing; regalloc.cpp plans the registers of each. Apart from the plan
// because it needs none of its state: one walk over the IR, linear in its length.
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

}  // namespace

bool stays_in_region(const Instr& in) {
    const bool known = in.op == Op::Add || in.op == Op::Set || in.op == Op::MulAdd ||
                       in.op == Op::Check || opens(in.op) || closes(in.op);
    return known && near(in);
}

std::vector<OpSpan> region_spans(const Program& prog) {
    const std::vector<Instr>& code = prog.code;
    const std::vector<char> clean = clean_bodies(code);
    std::vector<OpSpan> spans;
    auto flush = [&](std::size_t begin, std::size_t end) {
        if (begin != kNoIndex) spans.push_back(OpSpan{begin, end});
    };
    std::size_t start = kNoIndex;
    for (std::size_t i = 0; i < code.size();) {
        const Instr& in = code[i];
        bool item = false;
        std::size_t after = i + 1;  // the op after this item
        if (opens(in.op)) {
            const auto partner = static_cast<std::size_t>(in.arg);
            item = clean[i] && partner - i < kMaxRegionOps;
            if (item) after = partner + 1;
        } else if (!closes(in.op)) {
            item = stays_in_region(in);
        }
        if (item && start != kNoIndex && after - start > kMaxRegionOps) {
            flush(start, i);
            start = kNoIndex;
        }
        if (item && start == kNoIndex) start = i;
        if (!item) {
            flush(start, i);
            start = kNoIndex;
        }
        i = after;
    }
    flush(start, code.size());
    return spans;
}

}  // namespace jitbf::jit
