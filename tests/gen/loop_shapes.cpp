// The random program generator's statements that open loops: copy and multiply loops,
// scans, counted loops and loops that run at most once, the stay and if/else shapes of
// stay_shapes.hpp, loops that never run, cat loops and walks (see generator.hpp).
#include <algorithm>
#include <vector>

#include "generator.hpp"
#include "stay_shapes.hpp"

namespace jitbf::gen::detail {

bool Generator::mul_loop() {
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
    const std::int64_t end = depth_ == 0 && rng_.percent(8) ? rng_.sign() * rng_.between(1, 2) : 0;

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
    const auto n = control.kind == Kind::Known ? model_.iterations(control.v, *step) : std::nullopt;
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
bool Generator::scan() {
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

// Enters a loop body that works on one side of the current cell, with weakened values.
Generator::Saved Generator::enter_body() {
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
void Generator::leave_body(const Saved& s, std::int64_t counter) {
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
    if (balanced) model_.leave_loop(s.dflt);  // the body's frame was relative to an unknown cell
    lose_position();
    absolute_ = s.absolute;
}

// [ body - ] with a small counter, or [ body [-] ] that runs at most once.
bool Generator::body_loop(bool once) {
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
bool Generator::stay() {
    if (!pos_) return false;
    const int side = depth_ > 0 ? dir_ : (rng_.percent(70) ? 1 : -1);
    for (std::int64_t k = 0; k <= kStayCells; ++k)
        if (!model_.loop_ends(model_.cell(*pos_ + side * k), -1)) return false;
    out_ += stay_shape(rng_, side);
    for (std::int64_t k = 1; k <= kStayCells; ++k) model_.cell(*pos_ + side * k) = {Kind::Small, 0};
    set_here({Kind::Known, 0});
    return true;
}

// The if/else idiom in a counted loop (stay_shapes.hpp): mostly on cells cleared first,
// so it ends where it started; in 8 bits sometimes not, and then it may walk anywhere.
bool Generator::if_else() {
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
bool Generator::dead_loop() {
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
bool Generator::cat_loop() {
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
bool Generator::walk() {
    if (depth_ > 0) return false;
    const Val c = here();
    if (c.kind != Kind::Known || c.v == 0) add(1);
    static constexpr const char* kWalks[] = {"[>+]", "[<+]", "[>>+]", "[<<<+]", "[>-]", "[<-]"};
    out_ += kWalks[rng_.below(careful() ? 4 : 6)];
    lose_position();
    return true;
}
}  // namespace jitbf::gen::detail
