// The shapes of stay_shapes.hpp, as text: each tracks where the pointer is among the cells
// it uses (0 the counter, 1..kStayCells beyond it) and comes back to 0 at the end.
#include "stay_shapes.hpp"

#include <optional>

namespace jitbf::gen {

namespace {

class Shape {
public:
    Shape(Rng& rng, int side) : rng_(rng), side_(side) {}

    // `which`: the shape (0 to kShapes - 1), drawn when not given.
    static constexpr std::uint64_t kShapes = 6;
    std::string text(std::optional<std::uint64_t> which = std::nullopt) {
        for (std::int64_t k = 1; k <= kStayCells; ++k) {
            to(k);
            out_ += "[-]";
        }
        to(0);
        switch (which ? *which : rng_.below(kShapes)) {
        case 0: digit_chain(); break;
        case 1: divmod(); break;
        case 2: zero_test_divmod(); break;
        case 3: decrement_if_not_zero(); break;
        case 4: if_chain(); break;
        default: nested(); break;
        }
        to(0);
        return std::move(out_);
    }

private:
    // Moves to cell k of the shape.
    void to(std::int64_t k) {
        const std::int64_t d = (k - at_) * side_;
        out_.append(static_cast<std::size_t>(d < 0 ? -d : d), d < 0 ? '<' : '>');
        at_ = k;
    }
    void add(std::int64_t k, std::int64_t n) {
        to(k);
        out_.append(static_cast<std::size_t>(n < 0 ? -n : n), n < 0 ? '-' : '+');
    }

    // [- c1+ [- c1+ [- ... c2+ [-] ] ] ]: each level runs once if the counter is not
    // yet 0; the innermost clears it, so every level above ends after one iteration. Half
    // the chains add the same to c3 at every level but the one above the innermost (the
    // counting chains the JIT runs without a branch, shape.hpp), the others at random.
    void digit_chain() {
        const auto depth = rng_.between(2, 8);
        const bool even = rng_.percent(50);
        const auto extra = rng_.between(0, 3), last = rng_.between(0, 3);
        for (std::int64_t d = 0; d < depth; ++d) {
            out_ += '[';
            add(0, -1);
            add(1, 1);
            if (even)
                add(3, d + 2 == depth ? last : extra);
            else if (rng_.percent(30))
                add(3, rng_.between(1, 3));
            to(0);
        }
        add(2, 1);
        to(0);
        out_ += "[-]";
        out_.append(static_cast<std::size_t>(depth), ']');
    }

    // The start both divmods share: c1 = a random divisor, then a loop on c0 whose step
    // counts c0 and c1 down by one. Returns the divisor.
    auto countdown_step() {
        const auto divisor = rng_.between(2, 10);
        add(1, divisor);
        to(0);
        out_ += '[';
        add(0, -1);
        add(1, -1);
        return divisor;
    }

    // Counts c0 down into a quotient (c4) and a countdown (c1, from the divisor): each step
    // tests c1 for 0 with c2 as the flag and c3 as the copy, all in ifs and copy loops.
    void divmod() {
        const auto divisor = countdown_step();
        add(2, 1);  // flag: c1 is 0
        to(1);
        out_ += '[';  // c3 = c1, c1 = 0
        add(3, 1);
        add(1, -1);
        out_ += ']';
        to(3);
        out_ += '[';  // c1 = c3, flag = 0
        add(1, 1);
        to(2);
        out_ += "[-]";
        add(3, -1);
        out_ += ']';
        to(2);
        out_ += '[';  // c1 was 0: one more in the quotient, the countdown restarts
        add(4, 1);
        add(1, divisor);
        add(2, -1);
        out_ += ']';
        to(0);
        out_ += ']';
    }

    // divmod with the zero test that moves the pointer: c1 [>-]>[- ... >] (c2 = 1 and
    // c3 = 0 before it), which leaves p one cell on however c1 was; static_zero_tests makes
    // ifs of it.
    void zero_test_divmod() {
        const auto divisor = countdown_step();
        add(2, 1);
        to(1);
        out_ += '[';  // c1 is not 0: c2 = 0, onto it
        to(2);
        out_ += "-]";
        to(3);        // onto c3 (0), or onto c2 (1) if c1 was 0
        at_ = 2;      // the body runs only from c2
        out_ += '[';  // c1 was 0: the countdown restarts, one more in the quotient
        add(2, -1);
        add(1, divisor);
        if (rng_.percent(70)) add(4, 1);
        to(3);
        out_ += ']';
        to(0);
        out_ += ']';
    }

    // [- c1 [- c4+ c2-] c2 [->] ]: each step, if c1 is not 0 it goes to c4, in the other
    // moving zero test (c2 = 1 and c3 = 0 before it).
    void decrement_if_not_zero() {
        add(1, rng_.between(0, 6));
        to(0);
        out_ += '[';
        add(0, -1);
        add(2, 1);
        to(1);
        out_ += '[';
        add(1, -1);
        if (rng_.percent(70)) add(4, 1);
        add(2, -1);
        out_ += ']';  // on c2 if c1 was not 0, else on c1
        to(3);
        at_ = 2;
        out_ += "[-";
        to(3);
        out_ += ']';
        to(0);
        out_ += ']';
    }

    // [- c[ ... c[-]] c'[ ... c'[-]] ... ]: ifs in a row (loops that clear their cell last,
    // which static_zero_tests makes ifs), each body adding to other cells and often clearing
    // the cell the next if tests first: then that if cannot run after the body, and the JIT
    // jumps from the body's end past it (src/jit/region_paths.cpp).
    void if_chain() {
        out_ += '[';
        add(0, -1);
        std::int64_t cell = rng_.between(1, kStayCells);
        for (auto n = rng_.between(2, 4); n > 0; --n) {
            const std::int64_t next = rng_.between(1, kStayCells);
            if (rng_.percent(50)) add(cell, rng_.between(1, 2));
            to(cell);
            out_ += '[';
            for (auto k = rng_.between(0, 2); k > 0; --k) {
                const std::int64_t target = rng_.between(1, kStayCells);
                if (target != cell) add(target, rng_.between(1, 3));
            }
            if (next != cell && rng_.percent(70)) {
                to(next);
                out_ += "[-]";
            }
            to(cell);
            out_ += "[-]]";
            cell = next;
        }
        if (rng_.percent(30)) add(rng_.between(1, kStayCells), 1);
        to(0);
        out_ += ']';
    }

    // [- c1 = n [- c2+ c3 = m [- c4+ ] ] ]: loops three deep, each on its own counter.
    void nested() {
        out_ += '[';
        add(0, -1);
        to(1);
        out_ += "[-]";
        add(1, rng_.between(1, 4));
        out_ += '[';
        add(1, -1);
        add(2, rng_.between(1, 3));
        to(3);
        out_ += "[-]";
        add(3, rng_.between(1, 4));
        out_ += '[';
        add(3, -1);
        add(4, 1);
        to(3);
        out_ += ']';
        to(1);
        out_ += ']';
        to(0);
        out_ += ']';
    }

    Rng& rng_;
    int side_;
    std::int64_t at_ = 0;
    std::string out_;
};

}  // namespace

std::string stay_shape(Rng& rng, int side) { return Shape(rng, side).text(); }

std::string if_chain_shape(Rng& rng, int side) { return Shape(rng, side).text(4); }

std::string if_else_shape(Rng& rng, int side, bool clean) {
    const char r = side > 0 ? '>' : '<';  // towards x, f, z
    const char l = side > 0 ? '<' : '>';
    const auto n = [](std::int64_t count, char c) {
        return std::string(static_cast<std::size_t>(count), c);
    };
    std::string s;
    s += r + std::string("[-]");  // x
    if (clean) s += r + std::string("[-]") + r + "[-]" + l + l;
    s += l + std::string("[-]") + n(rng.between(1, 9), '+');  // c: the iterations
    s += r + n(rng.between(0, 4), '+') + l;
    const std::string x_plus_k = l + n(rng.between(1, 5), '+') + r + r;  // from f to z
    s += "[-" + std::string(1, r);
    if (rng.percent(50))  // x-1; if it is not 0, f back to 0 from f, else x+k; from z
        s += std::string("-") + r + "+" + l + "[" + r + "-]" + r + "[-" + x_plus_k + "]" + l + l;
    else  // if x is not 0 then x-1; else x+k
        s += std::string(1, r) + "+" + l + "[-" + r + "-]" + r + "[-" + x_plus_k + "]" + l + l;
    s += l + std::string("]");
    return s;
}

}  // namespace jitbf::gen
