// The JIT's shape analysis (see shape.hpp).
#include "shape.hpp"

#include <algorithm>

namespace jitbf::jit {

std::optional<CellSpan> branch_free_cells(const Program& prog, std::size_t at, int bits) {
    const Instr& in = prog.code[at];
    const auto end = static_cast<std::size_t>(in.arg);
    if (end == at + 1) return std::nullopt;
    const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
    CellSpan cells = CellSpan::of(in.off);
    for (std::size_t i = at + 1; i < end; ++i) {
        const Instr& op = prog.code[i];
        const bool moves_it = op.op == Op::MulAdd && op.src == in.off && op.off != in.off;
        const bool clears_it = op.op == Op::Set && op.off == in.off &&
                               (static_cast<std::uint64_t>(op.arg) & mask) == 0;
        if (!moves_it && !clears_it) return std::nullopt;
        cells.add(op.off);
    }
    return cells;
}

std::optional<Chain> counting_chain(const Program& prog, std::size_t at) {
    const Instr& first = prog.code[at];
    if (first.op != Op::IfBegin) return std::nullopt;
    Chain chain;
    chain.cell = first.off;
    std::vector<std::vector<ChainTarget>> levels;  // each level's adds to other cells
    std::size_t level = at;                        // the IfBegin of the level looked at
    while (levels.size() < kMaxChainDepth) {
        const auto end = static_cast<std::size_t>(prog.code[level].arg);
        std::vector<ChainTarget> adds;
        std::int64_t down = 0;  // what the level adds to c
        std::size_t i = level + 1;
        for (; i < end && prog.code[i].op == Op::Add; ++i) {
            const Instr& op = prog.code[i];
            if (op.off == chain.cell) {
                down += op.arg;
                continue;
            }
            auto t = std::find_if(adds.begin(), adds.end(),
                                  [&](const ChainTarget& x) { return x.cell == op.off; });
            if (t == adds.end()) t = adds.insert(adds.end(), ChainTarget{op.off, 0, 0});
            t->each += op.arg;
        }
        // The level's body: adds, then nothing or one if on c that ends with it.
        const bool nested = i < end && prog.code[i].op == Op::IfBegin &&
                            prog.code[i].off == chain.cell &&
                            static_cast<std::size_t>(prog.code[i].arg) == end - 1;
        if (down != -1 || (i < end && !nested)) break;
        levels.push_back(std::move(adds));
        chain.end = end;
        chain.tail = nested ? std::optional<std::size_t>(i) : std::nullopt;
        if (!nested) break;
        level = i;
    }
    if (levels.size() < kMinChainDepth) return std::nullopt;
    chain.depth = levels.size();
    chain.end = static_cast<std::size_t>(first.arg);
    // A tail that is a level of its own was cut off by kMaxChainDepth: no chain, as the
    // emitter would take it for the tail (correct, but what a tail is for is a last if).
    if (chain.tail && levels.size() == kMaxChainDepth) return std::nullopt;
    // each: the same at every level but the last; last: the last level's.
    auto add_of = [](const std::vector<ChainTarget>& adds, std::int64_t cell) {
        for (const ChainTarget& t : adds)
            if (t.cell == cell) return t.each;
        return std::int64_t{0};
    };
    for (std::size_t l = 0; l < levels.size(); ++l) {
        for (const ChainTarget& t : levels[l]) {
            if (std::any_of(chain.targets.begin(), chain.targets.end(),
                            [&](const ChainTarget& x) { return x.cell == t.cell; }))
                continue;
            ChainTarget target{t.cell, add_of(levels[0], t.cell), add_of(levels.back(), t.cell)};
            for (std::size_t k = 0; k + 1 < levels.size(); ++k)
                if (add_of(levels[k], t.cell) != target.each) return std::nullopt;
            chain.targets.push_back(target);
        }
    }
    return chain;
}

}  // namespace jitbf::jit
