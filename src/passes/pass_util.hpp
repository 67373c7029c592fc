// Small helpers the optimization passes share: cell arithmetic modulo 2^bits, the bound on the
// tape offsets a pass may create, and the peeling of loops' first iterations.
//
// Every pass that computes with cell values does it here, in 64 bits and then masked, so no
// pass can get the width wrong on its own (8, 16 and 32-bit cells all wrap differently).
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "huge_pages.hpp"
#include "ir.hpp"

namespace jitbf::passes {

// Offsets passes create stay within this bound (the IR allows +-2^30): even with 4-byte
// cells every displacement then fits a signed 32-bit immediate with room to spare.
inline constexpr std::int64_t kMaxOffset = std::int64_t{1} << 24;

inline bool offset_fits(std::int64_t off) { return off >= -kMaxOffset && off <= kMaxOffset; }

inline std::uint64_t cell_mask(int bits) { return (std::uint64_t{1} << bits) - 1; }

// The value of an Add/Set/MulAdd operand modulo 2^bits, in [0, 2^bits).
inline std::uint64_t cell_value(std::int64_t arg, int bits) {
    return static_cast<std::uint64_t>(arg) & cell_mask(bits);
}

// The operand to store for an amount: the representative in [-2^(bits-1), 2^(bits-1)), so
// dumps show `add [p] -1` rather than 255 or 4294967295.
inline std::int32_t signed_amount(std::uint64_t v, int bits) {
    v &= cell_mask(bits);
    const std::uint64_t half = std::uint64_t{1} << (bits - 1);
    return static_cast<std::int32_t>(v >= half ? static_cast<std::int64_t>(v) -
                                                     static_cast<std::int64_t>(half << 1)
                                               : static_cast<std::int64_t>(v));
}

// The inverse of an odd number modulo 2^bits: Newton's iteration x <- x(2 - sx) doubles the
// number of correct low bits each step, and x = s is already right to 3 bits.
inline std::uint64_t odd_inverse(std::uint64_t s, int bits) {
    std::uint64_t x = s;
    for (int i = 0; i < 5; ++i) x *= 2 - s * x;
    return x & cell_mask(bits);
}

// Does `in` touch cell[off] (so that cell is on the tape once `in` has run)?
inline bool touches_offset(const Instr& in, std::int32_t off) {
    if (!touches_cell(in.op)) return false;
    return in.off == off || (info(in.op).reads_src && in.src == off);
}

// Rewrites a program's code in place: ops are read from the front and the output is
// written over the ops already read, so a pass needs no second copy of the IR (the IR is
// most of the memory a compile takes). Passes that write no more ops than they have read
// (every loop lowering) never do more than that. Should the output catch up with the
// input, an op is inserted before the unread ones instead: slower, but correct for any
// pass. Partner indices of unread ops count from the code as it was (see skip_past).
class Rewriter {
public:
    explicit Rewriter(std::vector<Instr>& code) : code_(code) {}
    Rewriter(const Rewriter&) = delete;
    Rewriter& operator=(const Rewriter&) = delete;

    bool done() const { return read_ == code_.size(); }
    // The next op, by value: writing the output may overwrite its slot.
    Instr next() { return code_[read_++]; }
    // Goes on after the op at index `i` of the code as it was, skipping what lies before.
    void skip_past(std::size_t i) { read_ = i + 1 + inserted_; }

    void push_back(const Instr& in) {
        if (size_ == read_) {
            code_.insert(code_.begin() + static_cast<std::ptrdiff_t>(size_), in);
            ++read_;
            ++inserted_;
        } else {
            code_[size_] = in;
        }
        ++size_;
    }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    Instr& operator[](std::size_t i) { return code_[i]; }
    Instr& back() { return code_[size_ - 1]; }
    void resize(std::size_t n) {  // shrinks only
        assert(n <= size_);
        size_ = n;
    }
    // Drops the ops left unread (the output is complete).
    void finish() { code_.resize(size_); }

private:
    std::vector<Instr>& code_;
    std::size_t read_ = 0;      // the next op to read
    std::size_t size_ = 0;      // ops written, at the front
    std::size_t inserted_ = 0;  // ops inserted before the unread ones
};

// Gives every loop code[b..e] that `peels(code, b, e)` accepts its first iteration on its own:
//     loop t { body }   becomes   if t { body; loop t { later } }
// the `[` the if's test, the `]`'s the inner loop's `[` (at the `]`'s position, as the test it
// makes), where `later(code, b, e, out)` appends the body of the later iterations. Returns
// the program as it is when no loop qualifies.
template <class Peels, class Later>
Program peel_first_iterations(Program prog, Peels peels, Later later) {
    const std::vector<Instr>& code = prog.code;
    auto qualifies = [&](std::size_t i) {
        return code[i].op == Op::LoopBegin && peels(code, i, static_cast<std::size_t>(code[i].arg));
    };
    std::size_t first = 0;
    while (first < code.size() && !qualifies(first)) ++first;
    if (first == code.size()) return prog;
    Program out;
    out.strings = std::move(prog.strings);
    reserve_huge(out.code, code.size());
    out.code.insert(out.code.end(), code.begin(), code.begin() + static_cast<std::ptrdiff_t>(first));
    for (std::size_t i = first; i < code.size(); ++i) {
        if (!qualifies(i)) {
            out.code.push_back(code[i]);
            continue;
        }
        const auto e = static_cast<std::size_t>(code[i].arg);
        Instr test = code[i];
        test.op = Op::IfBegin;
        out.code.push_back(test);
        out.code.insert(out.code.end(), code.begin() + static_cast<std::ptrdiff_t>(i + 1),
                        code.begin() + static_cast<std::ptrdiff_t>(e));
        Instr again = code[i];
        again.pos = code[e].pos;
        out.code.push_back(again);
        later(code, i, e, out.code);
        out.code.push_back(code[e]);
        out.code.push_back(instr(Op::IfEnd).at(code[e].pos));
        i = e;
    }
    relink(out);
    return out;
}

}  // namespace jitbf::passes
