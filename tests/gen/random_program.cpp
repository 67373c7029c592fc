// The random program generator (see random_program.hpp).
//
// Programs are a sequence of statements, each a small Brainfuck shape. The generator
// follows the pointer (absolutely from cell 0 while it can: moves stay in a window, which
// a program's plan may push past either end of the tape) and, through CellModel, roughly
// what each cell holds, to choose loop steps that end. Loop bodies work on one side of
// their counter, so they never touch it.
#include "random_program.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "cell_model.hpp"
#include "rng.hpp"
#include "stay_shapes.hpp"

namespace jitbf::gen {

namespace {

constexpr std::int64_t kPageBytes = 4096;  // what the tape rounds up to, on x86-64 Linux
constexpr int kMaxDepth = 3;

class Generator {
public:
    Generator(Rng& rng, const Options& opts) : rng_(rng), eof_(opts.eof), model_(opts.cell_bits) {
        const auto size = static_cast<std::int64_t>(opts.cell_bits / 8);
        const auto bytes = static_cast<std::int64_t>(opts.tape_cells) * size;
        cells_ = (bytes + kPageBytes - 1) / kPageBytes * kPageBytes / size;
    }

    std::string program() {
        const auto n = rng_.between(3, 32);
        const auto plan_at = rng_.between(0, n - 1);
        const auto plan = rng_.below(100);
        for (std::int64_t i = 0; i < n; ++i) {
            if (i == plan_at && pos_) {
                if (plan < 14) {  // let moves wander left of cell 0
                    lo_ = -3;
                    hi_ = 8;
                } else if (plan < 28) {  // go to the right end and wander past it
                    move_to(cells_ - rng_.between(1, 6));
                    lo_ = cells_ - 8;
                    hi_ = cells_ + 1;
                } else if (plan < 33) {
                    walk();
                }
            }
            statement();
        }
        if (rng_.percent(50)) out_ += '.';
        return std::move(out_);
    }

private:
    bool careful() const { return model_.careful(); }

    // A step that ends a loop over `c` quickly, mostly +-1; none if no step does.
    std::optional<std::int64_t> choose_step(const Val& c) {
        static constexpr std::int64_t kSteps[] = {-1, 1, -1, 1, -1, 1, -3, 3, -5, 5, -7, 7};
        std::vector<std::int64_t> ok;
        for (std::int64_t s : kSteps)
            if (model_.loop_ends(c, s)) ok.push_back(s);
        if (ok.empty()) return std::nullopt;
        return ok[rng_.below(ok.size())];
    }

    // --- Cells and the pointer ----------------------------------------------------------

    Val here() { return pos_ ? model_.cell(*pos_) : model_.unknown_cell(); }
    void set_here(Val v) {
        if (pos_) model_.cell(*pos_) = v;
    }

    void lose_position() {
        model_.forget();
        pos_.reset();
    }

    void emit_run(char up, char down, std::int64_t n) {
        const char c = n >= 0 ? up : down;
        std::int64_t count = n >= 0 ? n : -n;
        // Comments and newlines inside a run: the parser folds across them.
        if (count > 4 && rng_.percent(8)) {
            const auto cut = rng_.between(1, count - 1);
            out_.append(static_cast<std::size_t>(cut), c);
            out_ += rng_.percent(50) ? "\n" : " x ";
            count -= cut;
        }
        out_.append(static_cast<std::size_t>(count), c);
    }

    void move_to(std::int64_t target) {
        if (pos_) emit_run('>', '<', target - *pos_);
        pos_ = target;
    }
    void move_by(std::int64_t d) {
        emit_run('>', '<', d);
        if (pos_) *pos_ += d;
    }

    void add(std::int64_t n) {
        if (n > 0 && n <= 12 && rng_.percent(12)) {  // a mixed run with cancelling pairs
            auto plus = n, minus = rng_.between(1, 3);
            while (plus + minus > 0) {
                if (minus == 0 || (plus > 0 && rng_.percent(60))) {
                    out_ += '+';
                    --plus;
                } else {
                    out_ += '-';
                    --minus;
                    ++plus;
                }
            }
        } else {
            emit_run('+', '-', n);
        }
        if (pos_) model_.add(model_.cell(*pos_), n);
    }

    // --- Statements -----------------------------------------------------------------------

    void statement() {
        struct Choice {
            int weight;
            bool (Generator::*make)();
        };
        static constexpr Choice kChoices[] = {
            {200, &Generator::add_run},  {180, &Generator::move},
            {80, &Generator::output},    {40, &Generator::input},
            {70, &Generator::clear},     {120, &Generator::mul_loop},
            {60, &Generator::scan},      {80, &Generator::counted_loop},
            {30, &Generator::once_loop}, {30, &Generator::dead_loop},
            {20, &Generator::cat_loop},  {40, &Generator::comment},
            {3, &Generator::hang},       {40, &Generator::stay},
            {30, &Generator::if_else},
        };
        int total = 0;
        for (const Choice& c : kChoices) total += c.weight;
        for (;;) {
            auto r = static_cast<int>(rng_.below(static_cast<std::uint64_t>(total)));
            for (const Choice& c : kChoices) {
                if (r < c.weight) {
                    if ((this->*c.make)()) return;
                    break;
                }
                r -= c.weight;
            }
        }
    }

    bool add_run() {
        std::int64_t n = rng_.between(1, 12);
        const auto r = rng_.below(100);
        if (r >= 85) n = rng_.between(240, 270);  // past 255
        if (r >= 97 && big_runs_ > 0) {           // past 65535
            n = rng_.between(65530, 65545);
            --big_runs_;
        }
        int sign = rng_.sign();
        if (careful() && sign < 0) {
            // Known values are followed exactly; a body must never make a value negative.
            const Val c = here();
            const bool stays_non_negative = c.kind == Kind::Known && c.v >= n;
            if (!stays_non_negative && (depth_ > 0 || (c.kind != Kind::Known && !rng_.percent(5))))
                sign = 1;
        }
        add(sign * n);
        return true;
    }

    bool move() {
        if (!pos_) {
            const auto d = rng_.between(1, 3);
            move_by(rng_.sign() * d);
            return true;
        }
        std::int64_t target = rng_.between(lo_, hi_);
        if (target == *pos_) target = rng_.between(lo_, hi_);
        move_to(target);
        return true;
    }

    bool output() {
        out_ += rng_.percent(85) ? "." : "..";
        return true;
    }

    bool input() {
        const Val before = here();
        Val after{Kind::Small, 0};
        bool plus_one = false;
        if (careful()) {
            if (eof_ == EofMode::MinusOne) plus_one = true;  // -1 + 1: 0 at EOF, else a byte + 1
            if (eof_ == EofMode::Unchanged && before.kind != Kind::Small &&
                !(before.kind == Kind::Known && before.v >= 0))
                after = {Kind::Any, 0};
        }
        if (after.kind == Kind::Any && depth_ > 0) return false;
        out_ += plus_one ? ",+" : ",";
        set_here(after);
        return true;
    }

    void emit_step(std::int64_t step) {
        if (step == -1 && rng_.percent(10)) {
            out_ += "-+-";
            return;
        }
        emit_run('+', '-', step);
    }

    bool clear() {
        auto step = choose_step(here());
        if (!step) return false;
        out_ += '[';
        emit_step(*step);
        out_ += ']';
        set_here({Kind::Known, 0});
        return true;
    }

    // Even steps: ends only if the cell is a multiple of the step's power of 2, or never.
    bool hang() {
        out_ += rng_.percent(50) ? "[--]" : (rng_.percent(50) ? "[++]" : "[-->+<]");
        if (pos_) set_here({Kind::Known, 0});
        return true;
    }

    bool mul_loop() {
        const Val control = here();
        auto step = choose_step(control);
        if (!step) return false;
        const std::int64_t p = pos_.value_or(0);
        // At the top level, targets may leave the window: off the tape near either end, where
        // a loop that does not run must not touch them.
        const bool anywhere = !pos_ || (depth_ == 0 && rng_.percent(25));
        const std::int64_t lo = anywhere ? -4 : std::max(lo_ - p, std::int64_t{-4});
        const std::int64_t hi = anywhere ? 4 : std::min(hi_ - p, std::int64_t{4});
        std::vector<std::int64_t> offs;
        for (std::int64_t o = lo; o <= hi; ++o)
            if (o != 0) offs.push_back(o);
        if (offs.empty()) return false;
        struct Item {
            std::int64_t off, delta;
            bool print = false, clear = false;
        };
        std::vector<Item> items;
        const auto k =
            std::min<std::int64_t>(rng_.between(1, 4), static_cast<std::int64_t>(offs.size()));
        for (std::int64_t i = 0; i < k; ++i) {
            const auto j = rng_.below(offs.size());
            std::int64_t f = rng_.between(1, 5);
            if (rng_.percent(careful() ? 5 : 15)) f = rng_.between(100, 300);
            if (!careful() || (depth_ == 0 && rng_.percent(5))) f *= rng_.sign();
            items.push_back({offs[j], f});
            offs.erase(offs.begin() + static_cast<std::ptrdiff_t>(j));
        }
        const std::int64_t split = rng_.between(-3, 3);
        if (rng_.percent(20) && split != 0 && split != *step) {
            items.push_back({0, split});
            items.push_back({0, *step - split});
        } else {
            items.push_back({0, *step});
        }
        for (std::size_t i = items.size() - 1; i > 0; --i)
            std::swap(items[i], items[rng_.below(i + 1)]);
        if (rng_.percent(8)) items[rng_.below(items.size())].print = true;
        if (rng_.percent(5)) {
            Item& t = items[rng_.below(items.size())];
            const Val tv = pos_ ? model_.cell(p + t.off) : model_.unknown_cell();
            if (t.off != 0 &&
                (!careful() || tv.kind == Kind::Small || (tv.kind == Kind::Known && tv.v >= 0)))
                t.clear = true;
        }
        const std::int64_t end =
            depth_ == 0 && rng_.percent(8) ? rng_.sign() * rng_.between(1, 2) : 0;

        out_ += '[';
        std::int64_t at = 0;
        for (const Item& it : items) {
            emit_run('>', '<', it.off - at);
            at = it.off;
            if (it.clear) out_ += "[-]";
            emit_run('+', '-', it.delta);
            if (it.print) out_ += '.';
        }
        emit_run('>', '<', end - at);
        out_ += ']';

        if (end != 0 || !pos_) {
            lose_position();
            return true;
        }
        // With a known control value the loop's effect on known targets is exact.
        const auto n =
            control.kind == Kind::Known ? model_.iterations(control.v, *step) : std::nullopt;
        const bool exact = n.has_value();
        const auto count = static_cast<std::int64_t>(n.value_or(0));
        for (const Item& it : items) {
            if (it.off == 0) continue;
            Val& t = model_.cell(p + it.off);
            if (it.clear) t = {Kind::Known, 0};
            if (exact && t.kind == Kind::Known)
                t.v = model_.wrap(t.v + it.delta * count);
            else if (!careful() || (it.delta > 0 && t.kind != Kind::Any))
                t = {Kind::Small, 0};
            else
                t = {Kind::Any, 0};
        }
        set_here({Kind::Known, 0});
        return true;
    }

    // A run of non-zero cells, then a scan over it: [>], [<<], [>>>]...
    bool scan() {
        if (!pos_ || (depth_ > 0 && !rng_.percent(10))) return false;
        static constexpr std::int64_t kStrides[] = {1, 1, 1, 1, 2, 2, 3, 4};
        // In a loop body, away from the loop's counter.
        const int side = depth_ > 0 ? dir_ : (rng_.percent(60) ? 1 : -1);
        const std::int64_t stride = kStrides[rng_.below(8)] * side;
        const std::int64_t start = *pos_;
        const auto len = rng_.between(0, 6);
        const bool exact = depth_ > 0 || rng_.percent(40);  // [-]+ each cell, [-] after the run
        for (std::int64_t i = 0; i <= len; ++i) {
            const std::int64_t at = start + i * stride;
            if (exact && careful() && !model_.loop_ends(model_.cell(at), -1)) break;
            move_to(at);
            if (exact) {
                out_ += "[-]";
                set_here({Kind::Known, 0});
            }
            if (i < len) add(rng_.between(1, 3));
        }
        move_to(start);
        out_ += '[';
        emit_run('>', '<', stride);
        out_ += ']';
        // Where it stops, if every cell on the way is known.
        for (std::int64_t at = start, steps = 0; steps < 100000; at += stride, ++steps) {
            if (absolute_ && (at < 0 || at >= cells_)) break;  // faults there
            const Val v = model_.cell(at);
            if (v.kind != Kind::Known) break;
            if (v.v == 0) {
                pos_ = at;
                return true;
            }
        }
        lose_position();
        return true;
    }

    struct Saved {
        std::optional<std::int64_t> pos;
        bool absolute;
        std::int64_t lo, hi;
        int dir;
        Val dflt;
    };

    // Enters a loop body that works on one side of the current cell, with weakened values.
    Saved enter_body() {
        Saved s{pos_, absolute_, lo_, hi_, dir_, model_.enter_loop()};
        if (!pos_) {
            pos_ = 0;
            absolute_ = false;
        }
        if (depth_ == 0) dir_ = rng_.percent(70) ? 1 : -1;
        const std::int64_t p = *pos_;
        const std::int64_t width = rng_.between(2, 6);
        lo_ = dir_ > 0 ? p + 1 : p - width;
        hi_ = dir_ > 0 ? p + width : p - 1;
        if (absolute_ && s.lo >= 0 && lo_ < 0) {  // stay on the tape unless planned otherwise
            lo_ = p + 1;
            hi_ = p + width;
        }
        ++depth_;
        return s;
    }

    // Back to the loop's cell (if the body lost track, the loop walks: nothing is known).
    void leave_body(const Saved& s, std::int64_t counter) {
        --depth_;
        const bool balanced = pos_.has_value();
        if (balanced) move_to(counter);
        lo_ = s.lo;
        hi_ = s.hi;
        dir_ = s.dir;
        if (balanced && s.pos) {
            model_.leave_loop(s.dflt);  // cells the body did not touch are as they were
            set_here({Kind::Known, 0});
            return;
        }
        if (balanced)
            model_.leave_loop(s.dflt);  // the body's frame was relative to an unknown cell
        lose_position();
        absolute_ = s.absolute;
    }

    bool counted_loop() { return body_loop(false); }
    bool once_loop() { return body_loop(true); }

    // [ body - ] with a small counter, or [ body [-] ] that runs at most once.
    bool body_loop(bool once) {
        if (depth_ >= kMaxDepth) return false;
        Val c = here();
        if (!once && c.kind == Kind::Known && c.v == 0) {
            const auto n = rng_.between(1, 4);
            add(n);
            c = here();
        }
        const auto step = once ? choose_step(c)
                               : (model_.loop_ends(c, -1)  ? std::optional<std::int64_t>{-1}
                                  : model_.loop_ends(c, 1) ? std::optional<std::int64_t>{1}
                                                           : std::nullopt);
        if (!step) return false;
        const bool at_start = rng_.percent(50);
        out_ += '[';
        const Saved s = enter_body();
        const std::int64_t counter = *pos_;
        if (at_start) {
            if (once) out_ += "[";
            emit_step(*step);
            if (once) out_ += "]";
        }
        const auto n = rng_.between(1, 4);
        for (std::int64_t i = 0; i < n; ++i) {
            if (i == 0 && pos_) move();
            statement();
        }
        if (pos_) move_to(counter);
        if (!at_start && pos_) {
            if (once) out_ += "[";
            emit_step(*step);
            if (once) out_ += "]";
        }
        leave_body(s, counter);
        out_ += ']';
        return true;
    }

    // Code that keeps the pointer put across loops and ifs (stay_shapes.hpp), on the body's
    // side of a loop's counter.
    bool stay() {
        if (!pos_) return false;
        const int side = depth_ > 0 ? dir_ : (rng_.percent(70) ? 1 : -1);
        for (std::int64_t k = 0; k <= kStayCells; ++k)
            if (!model_.loop_ends(model_.cell(*pos_ + side * k), -1)) return false;
        out_ += stay_shape(rng_, side);
        for (std::int64_t k = 1; k <= kStayCells; ++k)
            model_.cell(*pos_ + side * k) = {Kind::Small, 0};
        set_here({Kind::Known, 0});
        return true;
    }

    // The if/else idiom in a counted loop (stay_shapes.hpp): mostly on cells cleared first,
    // so it ends where it started; in 8 bits sometimes not, and then it may walk anywhere.
    bool if_else() {
        if (!pos_) return false;
        const int side = depth_ > 0 ? dir_ : (rng_.percent(70) ? 1 : -1);
        const bool clean = careful() || !rng_.percent(10);
        for (std::int64_t k = 0; k <= (clean ? 3 : 1); ++k)
            if (!model_.loop_ends(model_.cell(*pos_ + side * k), -1)) return false;
        out_ += if_else_shape(rng_, side, clean);
        if (!clean) {
            lose_position();
            return true;
        }
        // x is whatever the iterations left (in 16 and 32 bits maybe 0 - 1).
        model_.cell(*pos_ + side) = {careful() ? Kind::Any : Kind::Small, 0};
        model_.cell(*pos_ + 2 * side) = {Kind::Known, 0};
        model_.cell(*pos_ + 3 * side) = {Kind::Known, 0};
        set_here({Kind::Known, 0});
        return true;
    }

    // A loop over a cell known to be 0: never runs, so its body can be anything.
    bool dead_loop() {
        if (!pos_ || here().kind != Kind::Known || here().v != 0) return false;
        static constexpr char kOps[] = "+-<>.,";
        out_ += '[';
        int open = 0;
        for (auto n = rng_.between(1, 12); n > 0; --n) {
            const auto r = rng_.below(10);
            if (r == 0 && open < 2) {
                out_ += '[';
                ++open;
            } else if (r == 1 && open > 0) {
                out_ += ']';
                --open;
            } else {
                out_ += kOps[rng_.below(6)];
            }
        }
        out_.append(static_cast<std::size_t>(open), ']');
        out_ += ']';
        return true;
    }

    // Copies input to output until EOF, in the idiom that ends under this EOF mode.
    bool cat_loop() {
        switch (eof_) {
        case EofMode::Zero: out_ += ",[.,]"; break;
        case EofMode::Unchanged:
            if (careful() && !model_.loop_ends(here(), -1)) return false;
            out_ += ",[.[-],]";
            break;
        case EofMode::MinusOne: out_ += ",+[-.,+]"; break;
        }
        set_here({Kind::Known, 0});
        return true;
    }

    // A loop whose body moves the pointer: runs to the end of the tape (or a stopping cell).
    bool walk() {
        if (depth_ > 0) return false;
        const Val c = here();
        if (c.kind != Kind::Known || c.v == 0) add(1);
        static constexpr const char* kWalks[] = {"[>+]", "[<+]", "[>>+]", "[<<<+]", "[>-]", "[<-]"};
        out_ += kWalks[rng_.below(careful() ? 4 : 6)];
        lose_position();
        return true;
    }

    bool comment() {
        static constexpr const char* kComments[] = {"\n", "\n", " ", "\t", " a comment ", "#"};
        out_ += kComments[rng_.below(6)];
        return true;
    }

    Rng& rng_;
    EofMode eof_;
    std::int64_t cells_ = 0;  // the tape's real size, rounded up to pages
    std::string out_;
    std::optional<std::int64_t> pos_ = 0;  // pointer: absolute, or relative to a loop's cell
    bool absolute_ = true;
    CellModel model_;
    std::int64_t lo_ = 0, hi_ = 16;  // where moves go
    int depth_ = 0;
    int dir_ = 1;  // the side of its counter a loop body works on
    int big_runs_ = 1;
};

}  // namespace

std::uint64_t case_seed(std::uint64_t base, std::uint64_t index) {
    return mix64(base + 0x9e3779b97f4a7c15ULL * (index + 1));
}

Case random_case(std::uint64_t seed) {
    Rng rng(seed);
    Case c;
    c.seed = seed;
    static constexpr int kBits[] = {8, 8, 8, 8, 16, 16, 16, 32, 32, 32};
    c.opts.cell_bits = kBits[rng.below(10)];
    static constexpr EofMode kEof[] = {EofMode::Unchanged, EofMode::Zero, EofMode::MinusOne};
    c.opts.eof = kEof[rng.below(3)];
    const auto r = rng.below(100);
    c.opts.tape_cells = static_cast<std::uint64_t>(r < 70   ? rng.between(64, 4096)
                                                   : r < 90 ? rng.between(4097, 40000)
                                                            : rng.between(1, 63));
    if (!rng.percent(30)) {
        for (auto n = rng.between(1, 8); n > 0; --n) c.input += static_cast<char>(rng.below(256));
    }
    c.source = Generator(rng, c.opts).program();
    return c;
}

std::string cli_flags(const Options& opts) {
    const char* eof = opts.eof == EofMode::Zero       ? "zero"
                      : opts.eof == EofMode::MinusOne ? "minus-one"
                                                      : "unchanged";
    return "--cell-bits " + std::to_string(opts.cell_bits) + " --eof " + eof + " --tape-cells " +
           std::to_string(opts.tape_cells) + " -O" + std::to_string(opts.opt_level);
}

}  // namespace jitbf::gen
