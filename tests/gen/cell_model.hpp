// The generator's rough idea of what each cell holds, so it can choose loops that end.
//
// A cell is Known exactly, Small (unknown, but non-negative and small: a loop counting it
// down ends soon) or Any. This is only a guide: a wrong guess costs a program the runner
// skips for running out of steps, never a wrong test. In 8 bits every loop with an odd step
// ends within 256 iterations, so only 16 and 32 bits need care ("careful").
#pragma once

#include <cstdint>
#include <map>
#include <optional>

namespace jitbf::gen {

enum class Kind : std::uint8_t { Known, Small, Any };
struct Val {
    Kind kind = Kind::Known;
    std::int64_t v = 0;  // when Known: the value, wrapped to the signed range of the cell
};

class CellModel {
public:
    explicit CellModel(int bits) : bits_(bits) {}

    bool careful() const { return bits_ != 8; }
    std::int64_t wrap(std::int64_t v) const;  // to the signed range of a cell

    // Iterations of a loop adding `step` to a cell holding v until it is 0; none if never.
    std::optional<std::uint64_t> iterations(std::int64_t v, std::int64_t step) const;
    // Would a loop adding `step` to a cell like `c` end soon?
    bool loop_ends(const Val& c, std::int64_t step) const;

    // The cell at `at` (in the generator's pointer coordinates).
    Val& cell(std::int64_t at) { return vals_.try_emplace(at, default_).first->second; }
    const Val& unknown_cell() const { return default_; }
    void add(Val& c, std::int64_t n) const;

    // The pointer is lost: forget every cell. A negative value somewhere on the tape makes
    // every cell Any from then on (in careful mode).
    void forget();
    // A loop body starts: it runs many times, so what is Known at its first iteration is
    // only Small (or Any, if negative) at the next ones. Returns what to restore after.
    Val enter_loop();
    // After a loop that kept the pointer: cells it did not touch are as before.
    void leave_loop(const Val& saved) { default_ = saved; }

private:
    int bits_;
    std::map<std::int64_t, Val> vals_;
    Val default_{Kind::Known, 0};  // of every cell not in vals_: the tape starts all 0
};

}  // namespace jitbf::gen
