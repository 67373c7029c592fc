// peel_loops: a small loop that walks the tape with a fixed stride (`[>[->>>>+<<<<]<<<<<]`,
// a record walk) runs its first iteration on its own, so that the loop left behind can
// drop the guards of its multiplication ifs.
//
// A multiplication if (`IfBegin x; MulAdd ... from x; Set x 0; IfEnd`) does nothing but
// touch cells when x is 0; the guard exists only so those touches cannot fault when the
// original loop would not have run. From the second iteration on, every cell the
// previous iteration touched unconditionally is known to be on the tape, at its offset
// minus the stride, and so is every cell between two such cells (the tape is
// contiguous). An if whose cells all lie in that span cannot fault, so without its guard
// it does exactly what it did, minus an unpredictable branch per iteration:
//     loop t { body; Move m }   becomes   if t { body; Move m; loop t { body'; Move m } }
// where body' is body with such ifs unwrapped. Fault positions stay those of -O0: the
// first iteration is unchanged, and later ones lose only touches that cannot fault. The
// if's own cell need not be in that span when the if starts with a MulAdd from it into a
// cell that is: that MulAdd reads the cell first, so the only fault it can meet is the one
// the if's test would have met, and it takes the test's source position.
//
// Only innermost loops of at most kMaxPeeledBody ops whose only move is the final one qualify,
// so the copies cost at most a constant factor and the pass stays linear.
#include <algorithm>

#include "analysis.hpp"
#include "passes/passes.hpp"
#include "pass_util.hpp"

namespace jitbf {

namespace {

constexpr std::size_t kMaxPeeledBody = 64;

// Is code[b..e) (an IfBegin to its IfEnd) a multiplication if: only MulAdds from its cell,
// Checks and clearing its cell? Then it has no effect but touches when the cell is 0.
bool is_mul_if(const std::vector<Instr>& code, std::size_t b, std::size_t e) {
    const std::int32_t x = code[b].off;
    for (std::size_t i = b + 1; i < e; ++i) {
        const Instr& in = code[i];
        const bool ok = (in.op == Op::MulAdd && in.src == x) || in.op == Op::Check ||
                        (in.op == Op::Set && in.off == x && in.arg == 0);
        if (!ok) return false;
    }
    return true;
}

struct Unguard {
    std::size_t at;   // index of the IfBegin
    bool takes_test;  // its first MulAdd stands in for the test's touch
};

// For the loop code[b..e]: if it qualifies, which of its ifs lose their guard after the
// first iteration. Empty: leave the loop alone.
std::vector<Unguard> unguardable_ifs(const std::vector<Instr>& code, std::size_t b, std::size_t e) {
    if (e - b - 1 > kMaxPeeledBody || e - b < 3) return {};
    const Instr& move = code[e - 1];
    if (move.op != Op::Move || code[e].off != code[b].off) return {};
    const std::int64_t stride = move.arg;
    // The body: straight-line ops and ifs without brackets or moves inside.
    std::vector<std::int64_t> always;  // offsets every iteration touches
    for (std::size_t i = b + 1; i + 1 < e; ++i) {
        const Instr& in = code[i];
        const OpInfo& op = info(in.op);
        if (op.moves || in.op == Op::LoopBegin || in.op == Op::LoopEnd) return {};
        if (in.op == Op::IfBegin) {
            always.push_back(in.off);
            for (std::size_t j = i + 1; j < static_cast<std::size_t>(in.arg); ++j) {
                const Op inner = code[j].op;
                if (info(inner).moves || opens(inner)) return {};
            }
            i = static_cast<std::size_t>(in.arg);
            continue;
        }
        if (op.reads_src) always.push_back(in.src);
        if (op.cell != Access::None) always.push_back(in.off);
    }
    // On the tape at the start of an iteration after the first: the test cell, and what
    // the previous iteration touched, now `stride` further away; then what this one has
    // touched so far.
    CellSpan span = CellSpan::of(code[b].off);
    for (std::int64_t k : always) span.add(k - stride);
    std::vector<Unguard> ifs;
    for (std::size_t i = b + 1; i + 1 < e; ++i) {
        const Instr& in = code[i];
        if (in.op == Op::IfBegin) {
            const auto end = static_cast<std::size_t>(in.arg);
            const bool known = span.contains(in.off);
            const Instr& first = code[i + 1];
            bool ok = is_mul_if(code, i, end) &&
                      (known || (first.op == Op::MulAdd && span.contains(first.off)));
            span.add(in.off);
            for (std::size_t j = i + 1; ok && j < end; ++j) ok = span.contains(code[j].off);
            if (ok) ifs.push_back({i, !known});
            i = end;
        } else if (touches_cell(in.op)) {
            span.add(in.off);
            if (info(in.op).reads_src) span.add(in.src);
        }
    }
    return ifs;
}

}  // namespace

Program peel_loops(Program prog, const Options& /*opts*/) {
    auto peels = [](const std::vector<Instr>& code, std::size_t b, std::size_t e) {
        return !unguardable_ifs(code, b, e).empty();
    };
    // Later iterations: the body with those ifs unwrapped.
    auto later = [](const std::vector<Instr>& code, std::size_t b, std::size_t e,
                    std::vector<Instr>& out) {
        const std::vector<Unguard> ifs = unguardable_ifs(code, b, e);
        std::size_t next = 0;  // of `ifs`
        for (std::size_t j = b + 1; j < e; ++j) {
            if (next < ifs.size() && ifs[next].at == j) {
                const auto end = static_cast<std::size_t>(code[j].arg);
                const std::size_t from = out.size();
                out.insert(out.end(), code.begin() + static_cast<std::ptrdiff_t>(j + 1),
                           code.begin() + static_cast<std::ptrdiff_t>(end));
                if (ifs[next].takes_test) out[from].pos = code[j].pos;
                j = end;
                ++next;
                continue;
            }
            out.push_back(code[j]);
        }
    };
    return passes::peel_first_iterations(std::move(prog), peels, later);
}

}  // namespace jitbf
