// The stepping interpreter (stepper.hpp): one exhaustive switch per op, each op filling in a
// Step for the observer. Kept as plain as the semantics allow, since its worth is in being
// obviously the same as the main interpreter, not in speed.
#include "debug/stepper.hpp"

#include <algorithm>
#include <cassert>

#include "dump.hpp"
#include "stop.hpp"

namespace jitbf::debug {

namespace {

// Back-edges between two looks at whether the run must stop, as in the main interpreter.
constexpr std::uint64_t kStopCheckEvery = std::uint64_t{1} << 16;

template <class Cell>
class Stepper {
public:
    Stepper(const Program& prog, const Options& opts, Tape& tape, Input& in, Output& out,
            StepObserver* observer)
        : prog_(prog),
          opts_(opts),
          cells_(reinterpret_cast<Cell*>(tape.data())),
          ncells_(static_cast<std::int64_t>(tape.cells())),
          in_(in),
          out_(out),
          obs_(observer) {}

    RunResult run() {
        const std::size_t n = prog_.code.size();
        std::size_t i = 0;
        while (i < n && result_.status == RunStatus::Ok) i = execute(i);
        if (obs_) obs_->ending();
        out_.flush();
        return result_;
    }

private:
    // Runs op i and returns the index of the next one (anything when the run failed).
    std::size_t execute(std::size_t i) {
        const Instr& ins = prog_.code[i];
        Step s;
        s.op = i;
        std::size_t next = i + 1;
        switch (ins.op) {
        case Op::Add:
            if (Cell* c = touch(i, ins.off, s)) {
                store(s, *c, static_cast<Cell>(*c + static_cast<Cell>(ins.arg)));
                s.exact = static_cast<std::int64_t>(s.old_value) + amount(ins.arg);
            }
            break;
        case Op::Set:
            if (Cell* c = touch(i, ins.off, s)) store(s, *c, static_cast<Cell>(ins.arg));
            s.exact = s.new_value;
            break;
        case Op::Move: p_ += ins.arg; break;
        case Op::MulAdd: {
            Cell* src = touch(i, ins.src, s);
            Cell* dst = src ? touch(i, ins.off, s) : nullptr;
            if (!dst) break;
            const Cell v = *src;  // read before the store: src may be dst
            store(s, *dst,
                  static_cast<Cell>(*dst + static_cast<std::uint32_t>(v) *
                                               static_cast<std::uint32_t>(ins.arg)));
            s.exact = static_cast<std::int64_t>(s.old_value) +
                      static_cast<std::int64_t>(v) * amount(ins.arg);
            break;
        }
        case Op::Scan:
            for (Cell* c = touch(i, ins.off, s); c && *c != 0; c = touch(i, ins.off, s))
                p_ += ins.arg;
            break;
        case Op::In: {
            Cell* c = touch(i, ins.off, s);
            if (!c) break;
            if (obs_) obs_->before_io(i);
            if (!out_.flush()) return output_failed(i);
            const int ch = in_.get();
            if (ch >= 0) {
                store(s, *c, static_cast<Cell>(ch));
            } else if ((result_.status = stop_requested()) != RunStatus::Ok) {
                result_.op = i;
            } else {
                s.at_eof = true;
                if (opts_.eof == EofMode::Zero) store(s, *c, Cell{0});
                if (opts_.eof == EofMode::MinusOne) store(s, *c, static_cast<Cell>(~Cell{0}));
            }
            s.exact = s.new_value;
            break;
        }
        case Op::Out:
            if (Cell* c = touch(i, ins.off, s)) {
                if (obs_) obs_->before_io(i);
                if (!out_.put(static_cast<std::uint8_t>(*c))) return output_failed(i);
            }
            break;
        case Op::OutStr:
            if (obs_) obs_->before_io(i);
            if (!out_.write(prog_.strings[static_cast<std::size_t>(ins.arg)]))
                return output_failed(i);
            break;
        case Op::Check: (void)touch(i, ins.off, s); break;
        case Op::LoopBegin:
        case Op::IfBegin:
            if (Cell* c = touch(i, ins.off, s); c && *c == 0)
                next = static_cast<std::size_t>(ins.arg) + 1;
            break;
        case Op::LoopEnd:
            if (Cell* c = touch(i, ins.off, s); c && *c != 0) {
                if (!back_edge(i)) return i;
                next = static_cast<std::size_t>(ins.arg) + 1;
            }
            break;
        case Op::IfEnd: break;
        case Op::Dump: {
            if (obs_) obs_->before_io(i);
            const TapeView view{reinterpret_cast<const std::uint8_t*>(cells_),
                                static_cast<std::uint64_t>(ncells_), opts_.cell_bits};
            if (!write_dump(opts_, out_, ins.pos, p_ + ins.off, view)) return output_failed(i);
            break;
        }
        }
        if (result_.status != RunStatus::Ok) return i;
        if (obs_) {
            s.p = p_;
            s.on_tape = p_ >= 0 && p_ < ncells_;
            if (s.on_tape) s.value = cells_[p_];
            obs_->after(s);
        }
        return next;
    }

    // The cell at p + off, or null (and the run failed at op i) when it is off the tape.
    Cell* touch(std::size_t i, std::int32_t off, Step& s) {
        const std::int64_t at = p_ + off;
        if (static_cast<std::uint64_t>(at) >= static_cast<std::uint64_t>(ncells_)) {
            result_.status = at < 0 ? RunStatus::LeftOfTape : RunStatus::RightOfTape;
            result_.op = i;
            result_.cell = at;
            return nullptr;
        }
        s.lo = s.touched ? std::min(s.lo, at) : at;
        s.hi = s.touched ? std::max(s.hi, at) : at;
        s.touched = true;
        return &cells_[at];
    }

    void store(Step& s, Cell& c, Cell v) {
        s.wrote = true;
        s.cell = &c - cells_;
        s.old_value = c;
        s.new_value = v;
        c = v;
    }

    // An amount as the net change it stands for. The parser keeps a run's net change modulo
    // 2^32 (`-` is 2^32 - 1), exact as a signed 32-bit number for any run shorter than 2^31.
    static std::int64_t amount(std::int64_t arg) {
        return static_cast<std::int32_t>(static_cast<std::uint32_t>(arg));
    }

    // Counts a back-edge at op i; false when the run must stop there.
    bool back_edge(std::size_t i) {
        ++edges_;
        RunStatus why = RunStatus::Ok;
        if (edges_ % kStopCheckEvery == 0) why = stop_requested();
        if (why == RunStatus::Ok && opts_.step_limit != 0 && edges_ == opts_.step_limit)
            why = RunStatus::StepLimit;
        if (why == RunStatus::Ok) return true;
        result_.status = why;
        result_.op = i;
        return false;
    }

    std::size_t output_failed(std::size_t i) {
        result_.status = stop_requested();
        if (result_.status == RunStatus::Ok) result_.status = RunStatus::OutputClosed;
        result_.op = i;
        return i;
    }

    const Program& prog_;
    const Options& opts_;
    Cell* const cells_;
    const std::int64_t ncells_;
    Input& in_;
    Output& out_;
    StepObserver* const obs_;
    std::int64_t p_ = 0;
    std::uint64_t edges_ = 0;
    RunResult result_;
};

}  // namespace

RunResult step_run(const Program& prog, const Options& opts, Tape& tape, Input& in, Output& out,
                   StepObserver* observer) {
    RunControl control;
    const RunControlScope scope(control, opts.timeout);
    if (scope.error() != 0) {
        RunResult r;
        r.status = RunStatus::NotStarted;
        r.error_number = scope.error();
        return r;
    }
    switch (tape.cell_bits()) {
    case 8: return Stepper<std::uint8_t>(prog, opts, tape, in, out, observer).run();
    case 16: return Stepper<std::uint16_t>(prog, opts, tape, in, out, observer).run();
    default:
        assert(tape.cell_bits() == 32);
        return Stepper<std::uint32_t>(prog, opts, tape, in, out, observer).run();
    }
}

}  // namespace jitbf::debug
