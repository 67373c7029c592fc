// defer_moves: pointer moves become offsets. The pass carries the pending move `pending`
// (the program's pointer is p + pending) and adds it to the offset of every op, so a
// straight run like `>+>+<<-` is three ops on [p+1], [p+2] and [p] with no move at all.
//
// Brackets do not flush it: a loop or if entered with pending = k tests [p+k], and its
// body starts with the same k. At its end the body's pending must be k again, for the
// next iteration and for the join after an if, so only a body that moves on balance
// ends with a Move (its net move) before the `]`. Scans carry it too (a scan moves p by a
// multiple of its stride, which the offsets don't care about). The move left at the end
// of a whole program is dropped: moves never fault (a piece of one keeps it: see
// Program::standalone). An offset that would leave the bound of pass_util.hpp flushes the
// pending move first.
#include "passes/passes.hpp"
#include "pass_util.hpp"

namespace jitbf {

namespace {

class Deferrer {
public:
    explicit Deferrer(std::size_t size) { code_.reserve(size); }

    void run(const Instr& in) {
        Instr out = in;
        const OpInfo& op = info(in.op);
        if (in.op == Op::Move) {
            pending_ += in.arg;
            if (!passes::offset_fits(pending_)) flush(in.pos);
            return;
        }
        if (op.bracket == Bracket::Close) {
            const std::int64_t k = entry_.back();
            entry_.pop_back();
            if (pending_ != k) code_.push_back(instr(Op::Move, 0, pending_ - k).at(in.pos));
            pending_ = k;
        } else if (op.cell != Access::None) {
            const bool fits = passes::offset_fits(pending_ + in.off) &&
                              (!op.reads_src || passes::offset_fits(pending_ + in.src));
            if (!fits) flush(in.pos);
        }
        if (op.cell != Access::None) out.off = shifted(in.off);
        if (op.reads_src) out.src = shifted(in.src);
        if (op.bracket == Bracket::Open) entry_.push_back(pending_);
        code_.push_back(out);
    }

    std::vector<Instr> take() { return std::move(code_); }
    // Emits the pending move. The enclosing brackets' entry values stay as they are: a
    // body's closing Move is then the difference, and still restores p + pending.
    void flush(SourcePos pos) {
        if (pending_ != 0) code_.push_back(instr(Op::Move, 0, pending_).at(pos));
        pending_ = 0;
    }

private:
    std::int32_t shifted(std::int32_t off) const {
        return static_cast<std::int32_t>(pending_ + off);
    }
    std::vector<Instr> code_;
    std::int64_t pending_ = 0;
    std::vector<std::int64_t> entry_;  // pending at each enclosing `[` or if
};

}  // namespace

Program defer_moves(Program prog, const Options& /*opts*/) {
    Deferrer d(prog.code.size());
    for (const Instr& in : prog.code) d.run(in);
    if (!prog.standalone && !prog.code.empty()) d.flush(prog.code.back().pos);
    prog.code = d.take();
    relink(prog);
    return prog;
}

}  // namespace jitbf
