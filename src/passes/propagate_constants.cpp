// propagate_constants: follows the values of cells through the program and uses them.
//
// What it knows at each op, from one forward walk:
//  - facts about cells (a constant, or "not zero"), keyed by the cell's offset from the
//    pointer where the current frame began, so a Move costs nothing;
//  - which cells are certainly on the tape: an interval of touched cells (the tape is
//    contiguous), or every cell in [0, tape_cells) while the pointer's absolute position
//    is known (from the start of the program until a loop or scan moves it unpredictably);
//  - at the start every cell on the tape is 0.
// The last two hold only for a whole program, which starts on a fresh tape (Program::standalone);
// on any other, the pass starts from nothing known, relative to the start pointer.
// A fact is only ever recorded for a cell on the tape, so a known cell is a cell whose
// touch cannot fault, and dropping that touch is safe.
//
// What it does with them:
//  - Add to a known cell becomes Set; Set of a cell to the value it has disappears; MulAdd
//    from a known cell becomes Add; Check of a cell on the tape disappears.
//  - A write of a cell nobody read since the last write of it (same straight-line stretch)
//    is folded into that earlier op, which keeps its place and position: it touched the
//    cell first, so the fault order is unchanged.
//  - `.` of a known cell joins a string written by one OutStr, as long as nothing between
//    could fault, read input or branch: output never moves across any of those.
//  - A loop or if whose test cell is known 0 is dropped; an if on a cell known not to be
//    0 is inlined; a loop whose body ends with its test cell known 0 runs at most once: an
//    if, or inlined if it was known to be entered.
// Joins are cheap so the pass stays linear: entering a loop forgets every value (and, if
// the body moves, everything); after an if, only the cells its body wrote are forgotten,
// from a log of writes that each if truncates when it ends.
#include <algorithm>
#include <cassert>
#include <unordered_map>

#include "analysis.hpp"
#include "huge_pages.hpp"
#include "passes/passes.hpp"
#include "pass_util.hpp"

namespace jitbf {

namespace {

using passes::cell_mask;
using passes::cell_value;

enum class Kind : std::uint8_t { Unknown, NonZero, Const };

struct Fact {
    Kind kind = Kind::Unknown;
    std::uint64_t value = 0;  // for Const
};

struct CellInfo {
    std::uint64_t epoch = 0;  // `fact` holds only while this is the current epoch
    Fact fact;
    std::uint64_t region = 0;           // `last_write` holds only in this straight-line region
    std::size_t last_write = kNoIndex;  // output index of an Add/Set/Check nobody read since
};

// An open loop or if, as it was entered.
struct Open {
    Op op;
    bool emitted;           // false: an if inlined because its cell was known non-zero
    std::size_t out_index;  // of the emitted LoopBegin/IfBegin
    bool entered;           // the test cell was known non-zero at entry
    bool body_moves;        // (loops) the body moves the pointer somewhere
    CellSpan proven;        // cells on the tape at entry
    std::int64_t shift;     // (ifs) where the pointer was
    std::uint64_t frame;    // (ifs) in which frame
    std::size_t log_mark;   // (ifs) start of the body's writes in the log
    std::int64_t test_key;  // (ifs) the tested cell
};

class Propagator {
public:
    Propagator(Program& prog, const Options& opts)
        : in_(prog),
          bits_(opts.cell_bits),
          tape_cells_(
              static_cast<std::int64_t>(std::min<std::uint64_t>(opts.tape_cells, kMaxTapeCells))) {
        reserve_huge(out_, in_.code.size());
        dead_.reserve(in_.code.size());
        absolute_ = start_zero_ = prog.standalone;
    }

    Program run() {
        const std::vector<char> moves = moving_bodies(in_.code);
        for (std::size_t i = 0; i < in_.code.size(); ++i) i = step(i, moves[i] != 0);
        return finish();
    }

private:
    // Handles op i; returns the index of the last op it consumed.
    std::size_t step(std::size_t i, bool body_moves) {
        const Instr& in = in_.code[i];
        const std::int64_t k = key(in.off);
        switch (in.op) {
        case Op::Add: add(in, k, cell_value(in.arg, bits_), in.pos); break;
        case Op::Set: set(in, k, cell_value(in.arg, bits_)); break;
        case Op::MulAdd: muladd(in, k, key(in.src)); break;
        case Op::Move:
            shift_ += in.arg;
            emit(in);
            break;
        case Op::Scan:
            barrier();
            emit(in);
            new_frame();
            learn(key(in.off), {Kind::Const, 0});
            break;
        case Op::In:
            open_str_ = kNoIndex;  // output never moves across input
            touch(k);
            emit(in);
            learn(k, {});
            info(k).last_write = kNoIndex;  // nothing folds into an In
            break;
        case Op::Out:
            if (Fact f = fact(k); f.kind == Kind::Const) {
                output(std::string(1, static_cast<char>(f.value & 0xff)), in.pos);
            } else {
                touch(k);
                info(k).last_write = kNoIndex;  // read
                emit(in);
                open_str_ = kNoIndex;
            }
            break;
        case Op::OutStr: output(in_.strings[static_cast<std::size_t>(in.arg)], in.pos); break;
        case Op::Check:
            if (!on_tape(k)) {
                touch(k);
                emit(in);
            }
            break;
        case Op::LoopBegin: return loop_begin(i, k, body_moves);
        case Op::LoopEnd: loop_end(in, k); break;
        case Op::IfBegin: return if_begin(i, k);
        case Op::IfEnd: if_end(in); break;
        default: other(in, k); break;  // an op this pass does not fold (see other())
        }
        return i;
    }

    // An op the pass knows nothing more about than the op table says: it stays, what it
    // reads stops earlier writes from folding into later ones, what it writes is forgotten,
    // output does not move across it if it can fault or does I/O, and p is unknown after it
    // if it moves. This is what lets a new op work here before anyone teaches the pass
    // what it could fold.
    void other(const Instr& in, std::int64_t k) {
        const OpInfo& op = jitbf::info(in.op);
        assert(op.bracket == Bracket::None && "brackets need their own handling");
        if (op.io || op.moves) barrier();
        if (op.reads_src) {
            touch(key(in.src));
            info(key(in.src)).last_write = kNoIndex;
        }
        if (op.cell != Access::None) {
            touch(k);
            info(k).last_write = kNoIndex;
        }
        emit(in);
        if (op.moves) {
            new_frame();
        } else if (op.cell == Access::ReadWrite || op.cell == Access::Write) {
            learn(k, {});
            info(k).last_write = kNoIndex;
        }
    }

    // --- cells ----------------------------------------------------------------------

    std::int64_t key(std::int32_t off) const { return shift_ + off; }

    bool absolute_in_range(std::int64_t k) const { return absolute_ && k >= 0 && k < tape_cells_; }
    bool on_tape(std::int64_t k) const { return proven_.contains(k) || absolute_in_range(k); }

    CellInfo& info(std::int64_t k) { return cells_[k]; }

    Fact fact(std::int64_t k) {
        auto it = cells_.find(k);
        if (it != cells_.end() && it->second.epoch == epoch_) return it->second.fact;
        if (start_zero_ && absolute_in_range(k)) return {Kind::Const, 0};
        return {};
    }

    // Records what cell k holds now (it was just touched, so it is on the tape).
    void learn(std::int64_t k, Fact f) {
        CellInfo& c = info(k);
        c.epoch = epoch_;
        c.fact = f;
        if (if_depth_ > 0) log_.push_back(k);
        proven_.add(k);
    }

    // An emitted op touches cell k: output cannot move across it unless it is on the tape.
    void touch(std::int64_t k) {
        if (!on_tape(k)) open_str_ = kNoIndex;
        proven_.add(k);
    }

    // The earlier write of k this one may fold into, or kNoIndex.
    std::size_t foldable_write(std::int64_t k) {
        auto it = cells_.find(k);
        if (it == cells_.end() || it->second.region != region_) return kNoIndex;
        return it->second.last_write;
    }

    void remember_write(std::int64_t k, std::size_t at) {
        CellInfo& c = info(k);
        c.region = region_;
        c.last_write = at;
    }

    // --- ops --------------------------------------------------------------------------

    void add(const Instr& in, std::int64_t k, std::uint64_t amount, SourcePos pos) {
        if (amount == 0 && on_tape(k)) return;
        const Fact f = fact(k);
        if (f.kind == Kind::Const) {
            set_value(in, k, (f.value + amount) & cell_mask(bits_), pos);
            return;
        }
        if (std::size_t j = foldable_write(k); j != kNoIndex) {
            Instr& w = out_[j];
            if (w.op == Op::Set) {  // a Set whose value was forgotten (not in this region)
                w.arg = amount_arg((cell_value(w.arg, bits_) + amount) & cell_mask(bits_));
                learn(k, {Kind::Const, cell_value(w.arg, bits_)});
                return;
            }
            const std::uint64_t sum =
                ((w.op == Op::Add ? cell_value(w.arg, bits_) : 0) + amount) & cell_mask(bits_);
            w.op = sum == 0 ? Op::Check : Op::Add;
            w.arg = sum == 0 ? 0 : passes::signed_amount(sum, bits_);
            learn(k, {});
            return;
        }
        touch(k);
        Instr a = instr(Op::Add, in.off, passes::signed_amount(amount, bits_)).at(pos);
        if (amount == 0) a.op = Op::Check, a.arg = 0;
        emit(a);
        learn(k, {});
        remember_write(k, out_.size() - 1);
    }

    void set(const Instr& in, std::int64_t k, std::uint64_t value) {
        set_value(in, k, value, in.pos);
    }

    void set_value(const Instr& in, std::int64_t k, std::uint64_t value, SourcePos pos) {
        const Fact f = fact(k);
        if (f.kind == Kind::Const && f.value == value) return;  // known, so on the tape
        if (std::size_t j = foldable_write(k); j != kNoIndex) {
            out_[j].op = Op::Set;
            out_[j].arg = amount_arg(value);
            learn(k, {Kind::Const, value});
            return;
        }
        touch(k);
        emit(instr(Op::Set, in.off, amount_arg(value)).at(pos));
        learn(k, {Kind::Const, value});
        remember_write(k, out_.size() - 1);
    }

    void muladd(const Instr& in, std::int64_t target, std::int64_t src) {
        if (Fact f = fact(src); f.kind == Kind::Const) {
            // The source is known, so on the tape: only the target's touch is left.
            const std::uint64_t amount = (f.value * cell_value(in.arg, bits_)) & cell_mask(bits_);
            add(in, target, amount, in.pos);
            return;
        }
        touch(src);
        touch(target);
        info(src).last_write = kNoIndex;  // read
        emit(in);
        learn(target, {});
        info(target).last_write = kNoIndex;  // a MulAdd cannot absorb a later write
    }

    void output(std::string s, SourcePos pos) {
        if (open_str_ != kNoIndex) {
            in_.strings[static_cast<std::size_t>(out_[open_str_].arg)] += s;
            return;
        }
        in_.strings.push_back(s);
        emit(instr(Op::OutStr, 0, index_arg(in_.strings.size() - 1)).at(pos));
        open_str_ = out_.size() - 1;
    }

    // --- control flow -----------------------------------------------------------------

    std::size_t loop_begin(std::size_t i, std::int64_t k, bool body_moves) {
        const Instr& in = in_.code[i];
        const auto end = static_cast<std::size_t>(in.arg);
        const Fact f = fact(k);
        if (f.kind == Kind::Const && f.value == 0) return end;  // never runs
        barrier();
        touch(k);
        emit(in);
        opens_.push_back({Op::LoopBegin, true, out_.size() - 1, f.kind != Kind::Unknown, body_moves,
                          proven_, 0, 0, 0, 0});
        // The body starts from here or from the `]`: only what holds at both is known.
        if (body_moves)
            new_frame();
        else
            forget_values();
        if (in_.code[end].off == in.off) learn(key(in.off), {Kind::NonZero, 0});
        return i;
    }

    void loop_end(const Instr& in, std::int64_t k) {
        const Open o = opens_.back();
        opens_.pop_back();
        const Fact f = fact(k);
        const bool at_most_once = f.kind == Kind::Const && f.value == 0;
        barrier();
        if (at_most_once && o.entered) {  // ran exactly once: what the body knows holds
            dead_[o.out_index] = 1;
            return;
        }
        if (at_most_once) {
            out_[o.out_index].op = Op::IfBegin;
            emit(instr(Op::IfEnd).at(in.pos));
        } else {
            touch(k);
            emit(in);
        }
        if (o.body_moves) {
            new_frame();
        } else {
            forget_values();
            proven_ = o.proven;  // the body's own touches may not have happened
        }
        learn(key(in.off), {Kind::Const, 0});
    }

    std::size_t if_begin(std::size_t i, std::int64_t k) {
        const Instr& in = in_.code[i];
        const Fact f = fact(k);
        if (f.kind == Kind::Const && f.value == 0) return static_cast<std::size_t>(in.arg);
        if (f.kind != Kind::Unknown) {  // certainly entered: the body just follows
            opens_.push_back({Op::IfBegin, false, 0, true, false, {}, 0, 0, 0, 0});
            return i;
        }
        barrier();
        touch(k);
        emit(in);
        opens_.push_back({Op::IfBegin, true, out_.size() - 1, false, false, proven_, shift_, frame_,
                          log_.size(), k});
        ++if_depth_;
        learn(k, {Kind::NonZero, 0});
        return i;
    }

    void if_end(const Instr& in) {
        const Open o = opens_.back();
        opens_.pop_back();
        if (!o.emitted) return;
        barrier();
        emit(in);
        --if_depth_;
        if (frame_ != o.frame || shift_ != o.shift) {  // the pointer may differ per path
            log_.resize(o.log_mark);
            new_frame();
            return;
        }
        // Skipped, the tested cell is 0: it stays known only if the body leaves it 0.
        const Fact test = fact(o.test_key);
        for (std::size_t j = o.log_mark; j < log_.size(); ++j) {
            CellInfo& c = info(log_[j]);
            c.epoch = epoch_;
            c.fact = {};
        }
        log_.resize(o.log_mark);
        proven_ = o.proven;
        if (test.kind == Kind::Const && test.value == 0) learn(o.test_key, test);
    }

    // --- state ------------------------------------------------------------------------

    // Control flow joins or splits here: no write folds across it, no output joins across.
    void barrier() {
        ++region_;
        open_str_ = kNoIndex;
    }

    void forget_values() {
        ++epoch_;
        start_zero_ = false;
    }

    // The pointer is somewhere else, unknown: nothing is known relative to it.
    void new_frame() {
        forget_values();
        ++frame_;
        shift_ = 0;
        absolute_ = false;
        proven_ = {};
    }

    void emit(const Instr& in) {
        out_.push_back(in);
        dead_.push_back(0);
    }

    // Drops the ops marked dead, joining the moves they separated, and relinks: in place,
    // in the output, which then replaces the input.
    Program finish() {
        std::size_t n = 0;  // ops kept, at the front of out_
        for (std::size_t i = 0; i < out_.size(); ++i) {
            if (dead_[i]) continue;
            const Instr in = out_[i];
            if (in.op == Op::Move && n > 0 && out_[n - 1].op == Op::Move) {
                out_[n - 1].arg += in.arg;
                if (out_[n - 1].arg == 0) --n;
                continue;
            }
            out_[n++] = in;
        }
        out_.resize(n);
        Program prog;
        prog.strings = std::move(in_.strings);
        prog.code = std::move(out_);
        relink(prog);
        return prog;
    }

    Program& in_;
    const int bits_;
    const std::int64_t tape_cells_;
    std::vector<Instr> out_;
    std::vector<char> dead_;  // out_[i] turned out to be unneeded (an inlined loop's `[`)
    std::vector<Open> opens_;

    std::unordered_map<std::int64_t, CellInfo> cells_;
    std::uint64_t epoch_ = 1;
    std::uint64_t region_ = 1;
    std::uint64_t frame_ = 0;
    std::int64_t shift_ = 0;           // moves since the frame began: cell[off] is key shift + off
    bool absolute_ = true;             // keys are absolute cell indices (the first frame)
    bool start_zero_ = true;           // cells not written yet hold 0 (until the first loop)
    CellSpan proven_;                  // keys of cells certainly on the tape
    std::size_t open_str_ = kNoIndex;  // an OutStr later constant output may join
    std::vector<std::int64_t> log_;    // keys written inside the open emitted ifs
    int if_depth_ = 0;
};

}  // namespace

Program propagate_constants(Program prog, const Options& opts) {
    return Propagator(prog, opts).run();
}

}  // namespace jitbf
