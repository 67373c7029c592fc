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
#include <algorithm>
#include <optional>

#include "passes/passes.hpp"
#include "pass_util.hpp"

namespace jitbf {

namespace {

class Deferrer {
public:
    explicit Deferrer(std::vector<Instr>& code) : code_(code) {}

    // Rewrites the code in place: moves only ever come out where moves went in, so the
    // output outgrows the input only if some body moves by more than an offset may hold.
    void run_all(std::optional<SourcePos> final_move) {
        while (!code_.done()) run(code_.next());
        if (final_move) flush(*final_move);
        code_.finish();
    }

private:
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
            push_move(pending_ - k, in.pos);
            pending_ = k;
        } else if (names_cell(in.op)) {
            const bool fits = passes::offset_fits(pending_ + in.off) &&
                              (!op.reads_src || passes::offset_fits(pending_ + in.src));
            if (!fits) flush(in.pos);
        }
        if (names_cell(in.op)) out.off = shifted(in.off);
        if (op.reads_src) out.src = shifted(in.src);
        if (op.bracket == Bracket::Open) entry_.push_back(pending_);
        code_.push_back(out);
    }

    std::int32_t shifted(std::int32_t off) const {
        return static_cast<std::int32_t>(pending_ + off);
    }
    // Emits the pending move. The enclosing brackets' entry values stay as they are: a
    // body's closing Move is then the difference, and still restores p + pending.
    void flush(SourcePos pos) {
        push_move(pending_, pos);
        pending_ = 0;
    }
    // A move as Moves: pending_ may have just gone past what one Move holds.
    void push_move(std::int64_t cells, SourcePos pos) {
        while (cells != 0) {
            const std::int64_t step = std::clamp(cells, -kMaxMove, kMaxMove);
            code_.push_back(instr(Op::Move, 0, static_cast<std::int32_t>(step)).at(pos));
            cells -= step;
        }
    }

    passes::Rewriter code_;
    std::int64_t pending_ = 0;
    std::vector<std::int64_t> entry_;  // pending at each enclosing `[` or if
};

}  // namespace

Program defer_moves(Program prog, const Options& /*opts*/) {
    // A program that is a part of a longer run (a --repl line) ends with p where it is.
    std::optional<SourcePos> final_move;
    if (!prog.standalone && !prog.code.empty()) final_move = prog.code.back().pos;
    Deferrer d(prog.code);
    d.run_all(final_move);
    relink(prog);
    return prog;
}

}  // namespace jitbf
