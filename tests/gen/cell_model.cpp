// The generator's value model (see cell_model.hpp).
#include "cell_model.hpp"

namespace jitbf::gen {

namespace {
constexpr std::uint64_t kCheapLoop = 3000;  // iterations a loop on a known value may take
}

std::int64_t CellModel::wrap(std::int64_t v) const {
    const auto u = static_cast<std::uint64_t>(v);
    switch (bits_) {
    case 8: return static_cast<std::int8_t>(static_cast<std::uint8_t>(u));
    case 16: return static_cast<std::int16_t>(static_cast<std::uint16_t>(u));
    default: return static_cast<std::int32_t>(static_cast<std::uint32_t>(u));
    }
}

std::optional<std::uint64_t> CellModel::iterations(std::int64_t v, std::int64_t step) const {
    const std::uint64_t mask = bits_ == 32 ? 0xffffffffu : (std::uint64_t{1} << bits_) - 1;
    std::uint64_t target = (0 - static_cast<std::uint64_t>(v)) & mask;  // n * step == -v
    auto s = static_cast<std::uint64_t>(step) & mask;
    int shift = 0;
    while ((s & 1) == 0) {  // an even step ends only if v is a multiple of its power of 2
        if (s == 0 || (target & 1) != 0) return std::nullopt;
        s >>= 1;
        target >>= 1;
        ++shift;
    }
    std::uint64_t inv = s;  // Newton's iteration for the inverse of an odd number mod 2^64
    for (int i = 0; i < 6; ++i) inv *= 2 - s * inv;
    return (target * inv) & (mask >> shift);
}

bool CellModel::loop_ends(const Val& c, std::int64_t step) const {
    switch (c.kind) {
    case Kind::Known: {
        auto n = iterations(c.v, step);
        return n && *n <= kCheapLoop;
    }
    case Kind::Small: return careful() ? step == -1 : step % 2 != 0;
    case Kind::Any: return !careful() && step % 2 != 0;
    }
    return false;
}

void CellModel::add(Val& c, std::int64_t n) const {
    if (c.kind == Kind::Known)
        c.v = wrap(c.v + n);
    else if (careful() && (n < 0 || n > 5000))
        c = {Kind::Any, 0};
}

void CellModel::forget() {
    for (const auto& [at, v] : vals_)
        if (v.kind == Kind::Any || (v.kind == Kind::Known && v.v < 0)) default_ = {Kind::Any, 0};
    if (default_.kind == Kind::Known || !careful()) default_ = {Kind::Small, 0};
    vals_.clear();
}

Val CellModel::enter_loop() {
    const Val saved = default_;
    for (auto& [at, v] : vals_) {
        if (v.kind == Kind::Known) v = {v.v >= 0 || !careful() ? Kind::Small : Kind::Any, 0};
    }
    if (default_.kind == Kind::Known) default_ = {Kind::Small, 0};
    return saved;
}

}  // namespace jitbf::gen
