// lower_mul_loops: a loop that only adds to and sets cells, moves back to where it started,
// and changes its test cell by an odd step s each time is a multiplication: it runs
// n = -c * inv(s) times (mod 2^bits) for a test cell value c, so a cell that gains d per
// iteration gains c * (d * -inv(s)) in all. It becomes
//     IfBegin ctl; MulAdd/Set/Check per touched cell; Set ctl 0; IfEnd
// The If is there because the loop touches nothing when c == 0 (and a MulAdd always
// touches its cells): a later pass drops it when c is known to be non-zero.
//
// Fault order: the lowered ops follow the body's first-touch order and keep the source
// position of each cell's first touch, so a target off the tape faults at the same place
// as the loop's first iteration did. A cell whose adds cancel out is still touched (Check).
// A cell the body sets ends at (its last Set plus the adds after it) whatever n >= 1 is.
//
// Like the other loop lowerings this rewrites the code in place and a loop when its `]`
// arrives; a body is examined only if it holds no bracket, so every op is examined once.
#include <unordered_map>

#include "passes/passes.hpp"
#include "pass_util.hpp"

namespace jitbf {

namespace {

using passes::cell_mask;
using passes::cell_value;
using passes::Rewriter;

struct Touched {
    std::int64_t key;     // offset relative to the pointer at the loop's `[`
    std::uint64_t value;  // total add per iteration, or the final value if `set`
    bool set;
    SourcePos first;  // position of the first touch in the body
};

// The cells a body touches, in first-touch order. A map only for long bodies.
class TouchTable {
public:
    Touched& at(std::int64_t key, SourcePos pos) {
        if (index_.empty() && cells_.size() < kLinear) {
            for (Touched& t : cells_)
                if (t.key == key) return t;
        } else {
            if (index_.empty())
                for (std::size_t i = 0; i < cells_.size(); ++i) index_.emplace(cells_[i].key, i);
            if (auto it = index_.find(key); it != index_.end()) return cells_[it->second];
            index_.emplace(key, cells_.size());
        }
        cells_.push_back({key, 0, false, pos});
        return cells_.back();
    }
    const std::vector<Touched>& cells() const { return cells_; }

private:
    static constexpr std::size_t kLinear = 16;
    std::vector<Touched> cells_;
    std::unordered_map<std::int64_t, std::size_t> index_;
};

// Rewrites code[begin..] (a `[` and a body of only Add, Set and Move) ended by `end`, if it
// is a multiplication loop. Returns false, leaving the code alone, if it is not.
bool lower(Rewriter& code, std::size_t begin, const Instr& end, int bits) {
    const Instr open = code[begin];
    if (open.off != end.off) return false;
    TouchTable table;
    std::int64_t at = 0;  // pointer move so far
    for (std::size_t i = begin + 1; i < code.size(); ++i) {
        const Instr& in = code[i];
        if (in.op == Op::Move) {
            at += in.arg;
            if (!passes::offset_fits(at)) return false;
            continue;
        }
        const std::int64_t key = at + in.off;
        if (!passes::offset_fits(key)) return false;
        Touched& t = table.at(key, in.pos);
        if (in.op == Op::Set) {
            t.set = true;
            t.value = cell_value(in.arg, bits);
        } else {
            t.value = (t.value + cell_value(in.arg, bits)) & cell_mask(bits);
        }
    }
    if (at != 0) return false;
    const Touched* ctl = nullptr;
    for (const Touched& t : table.cells())
        if (t.key == open.off) ctl = &t;
    if (!ctl || ctl->set || (ctl->value & 1) == 0) return false;

    // n = c * -inv(s): a cell gaining d per iteration gains c * (d * -inv(s)).
    const std::uint64_t per_unit = (0 - passes::odd_inverse(ctl->value, bits)) & cell_mask(bits);
    // At most as many ops as the loop had (one per touched cell, and the brackets): the
    // table keeps all the loop's information, so the ops are overwritten from `begin`.
    std::vector<Instr> lowered;
    lowered.reserve(table.cells().size() + 2);
    lowered.push_back(instr(Op::IfBegin, open.off).at(open.pos));
    for (const Touched& t : table.cells()) {
        if (&t == ctl) continue;
        const auto off = static_cast<std::int32_t>(t.key);
        if (t.set) {
            lowered.push_back(instr(Op::Set, off, amount_arg(t.value)).at(t.first));
        } else if (t.value == 0) {
            lowered.push_back(instr(Op::Check, off).at(t.first));
        } else {
            const std::int32_t factor = passes::signed_amount(t.value * per_unit, bits);
            lowered.push_back(instr(Op::MulAdd, off, factor, open.off).at(t.first));
        }
    }
    lowered.push_back(instr(Op::Set, open.off, 0).at(ctl->first));
    lowered.push_back(instr(Op::IfEnd).at(end.pos));
    code.resize(begin);
    for (const Instr& in : lowered) code.push_back(in);
    return true;
}

}  // namespace

Program lower_mul_loops(Program prog, const Options& opts) {
    Rewriter out(prog.code);
    std::vector<std::size_t> open;  // output indices of the enclosing `[`s
    // Index of the last output op other than Add, Set and Move: a body after it is simple.
    std::size_t last_other = 0;
    while (!out.done()) {
        const Instr in = out.next();
        if (in.op == Op::LoopBegin) {
            open.push_back(out.size());
        } else if (in.op == Op::LoopEnd) {
            const std::size_t begin = open.back();
            open.pop_back();
            if (last_other == begin && lower(out, begin, in, opts.cell_bits)) {
                last_other = out.size() - 1;
                continue;
            }
        }
        out.push_back(in);
        if (in.op != Op::Add && in.op != Op::Set && in.op != Op::Move) last_other = out.size() - 1;
    }
    out.finish();
    relink(prog);
    return prog;
}

}  // namespace jitbf
