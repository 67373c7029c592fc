// The random program generator (see random_program.hpp): the driver, the pointer and cell
// bookkeeping, and the statements that open no loop. The class and how it works:
// generator.hpp; the statements that open loops: loop_shapes.cpp.
#include "random_program.hpp"

#include <utility>
#include <vector>

#include "generator.hpp"

namespace jitbf::gen {

namespace detail {

Generator::Generator(Rng& rng, const Options& opts)
    : rng_(rng), eof_(opts.eof), model_(opts.cell_bits) {
    const auto size = static_cast<std::int64_t>(opts.cell_bits / 8);
    const auto bytes = static_cast<std::int64_t>(opts.tape_cells) * size;
    cells_ = (bytes + kPageBytes - 1) / kPageBytes * kPageBytes / size;
}

std::string Generator::program() {
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

// A step that ends a loop over `c` quickly, mostly +-1; none if no step does.
std::optional<std::int64_t> Generator::choose_step(const Val& c) {
    static constexpr std::int64_t kSteps[] = {-1, 1, -1, 1, -1, 1, -3, 3, -5, 5, -7, 7};
    std::vector<std::int64_t> ok;
    for (std::int64_t s : kSteps)
        if (model_.loop_ends(c, s)) ok.push_back(s);
    if (ok.empty()) return std::nullopt;
    return ok[rng_.below(ok.size())];
}

void Generator::set_here(Val v) {
    if (pos_) model_.cell(*pos_) = v;
}

void Generator::lose_position() {
    model_.forget();
    pos_.reset();
}

void Generator::emit_run(char up, char down, std::int64_t n) {
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

void Generator::move_to(std::int64_t target) {
    if (pos_) emit_run('>', '<', target - *pos_);
    pos_ = target;
}

void Generator::move_by(std::int64_t d) {
    emit_run('>', '<', d);
    if (pos_) *pos_ += d;
}

void Generator::add(std::int64_t n) {
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

void Generator::statement() {
    struct Choice {
        int weight;
        bool (Generator::*make)();
    };
    static constexpr Choice kChoices[] = {
        {200, &Generator::add_run},  {180, &Generator::move},        {80, &Generator::output},
        {40, &Generator::input},     {70, &Generator::clear},        {120, &Generator::mul_loop},
        {60, &Generator::scan},      {80, &Generator::counted_loop}, {30, &Generator::once_loop},
        {30, &Generator::dead_loop}, {20, &Generator::cat_loop},     {40, &Generator::comment},
        {3, &Generator::hang},       {40, &Generator::stay},         {30, &Generator::if_else},
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

bool Generator::add_run() {
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

bool Generator::move() {
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

bool Generator::output() {
    out_ += rng_.percent(85) ? "." : "..";
    return true;
}

bool Generator::input() {
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

void Generator::emit_step(std::int64_t step) {
    if (step == -1 && rng_.percent(10)) {
        out_ += "-+-";
        return;
    }
    emit_run('+', '-', step);
}

bool Generator::clear() {
    auto step = choose_step(here());
    if (!step) return false;
    out_ += '[';
    emit_step(*step);
    out_ += ']';
    set_here({Kind::Known, 0});
    return true;
}

// Even steps: ends only if the cell is a multiple of the step's power of 2, or never.
bool Generator::hang() {
    out_ += rng_.percent(50) ? "[--]" : (rng_.percent(50) ? "[++]" : "[-->+<]");
    if (pos_) set_here({Kind::Known, 0});
    return true;
}

bool Generator::comment() {
    static constexpr const char* kComments[] = {"\n", "\n", " ", "\t", " a comment ", "#"};
    out_ += kComments[rng_.below(6)];
    return true;
}
}  // namespace detail

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
    c.source = detail::Generator(rng, c.opts).program();
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
