// Facts about IR that several passes and the JIT need, computed in one place.
//
// CellSpan is how everything that reasons about "which cells are certainly on the tape"
// writes it down: the tape is contiguous, so once two cells have been touched every cell
// between them is on it too, and one interval [lo, hi] of offsets from p says all there is
// to say. moving_bodies() answers "can p change inside this loop or if" for every bracket
// in one linear walk.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <vector>

#include "ir.hpp"

namespace jitbf {

// A range of cells [lo, hi] as offsets from p, or no cell at all.
class CellSpan {
public:
    CellSpan() = default;  // no cell
    static CellSpan of(std::int64_t off) { return CellSpan(off, off); }
    static CellSpan of(std::int64_t lo, std::int64_t hi) { return CellSpan(lo, hi); }

    bool empty() const { return empty_; }
    std::int64_t lo() const {
        assert(!empty_);
        return lo_;
    }
    std::int64_t hi() const {
        assert(!empty_);
        return hi_;
    }
    bool contains(std::int64_t off) const { return !empty_ && lo_ <= off && off <= hi_; }

    // Widens the span to take in `off` (or all of `other`): their hull.
    void add(std::int64_t off) { join(of(off)); }
    void join(const CellSpan& other) {
        if (other.empty_) return;
        if (empty_) {
            *this = other;
            return;
        }
        lo_ = std::min(lo_, other.lo_);
        hi_ = std::max(hi_, other.hi_);
    }

    // p moved by `cells`: the same cells are now that much closer to the left. Offsets
    // saturate far beyond any offset an op can hold (32 bits), so sums never overflow.
    void shift(std::int64_t cells) {
        if (empty_) return;
        lo_ = std::clamp(lo_ - cells, -kFar, kFar);
        hi_ = std::clamp(hi_ - cells, -kFar, kFar);
    }

    // The distance from `off` to the farthest cell of the span (0 when empty).
    std::int64_t farthest(std::int64_t off) const {
        if (empty_) return 0;
        return std::max(off > lo_ ? off - lo_ : lo_ - off, off > hi_ ? off - hi_ : hi_ - off);
    }

    // The distance from `off` to the nearest cell of a span that has cells (0 inside it).
    std::int64_t nearest(std::int64_t off) const {
        assert(!empty_);
        return off < lo_ ? lo_ - off : off > hi_ ? off - hi_ : 0;
    }

    friend bool operator==(const CellSpan&, const CellSpan&) = default;

private:
    static constexpr std::int64_t kFar = std::int64_t{1} << 40;
    CellSpan(std::int64_t lo, std::int64_t hi) : lo_(lo), hi_(hi), empty_(false) {}
    std::int64_t lo_ = 0, hi_ = 0;
    bool empty_ = true;
};

// For each op: 1 at an opening bracket whose body can change p (a Move or a Scan at any
// depth), 0 everywhere else.
std::vector<char> moving_bodies(const std::vector<Instr>& code);

}  // namespace jitbf
