// remove_dead_loops: a loop (or if) that certainly never runs is removed with its body.
//
// Its test cell must be known to be 0 and on the tape, from the code right before it:
// nothing has run yet on a fresh tape and the cell is in [0, tape_cells) (every cell starts
// at 0); or the op just before is a `]` or a Scan that stopped on that same cell, so it is 0
// and was just touched. A `]` testing another cell proves nothing about this one. This is the
// cheap syntactic version of what propagate_constants does with its cell values; it runs
// first so the bigger pass does not spend time on comment loops.
#include <algorithm>

#include "passes/passes.hpp"
#include "pass_util.hpp"

namespace jitbf {

namespace {

// Does the op just before `off`'s test leave that cell 0 (and on the tape)?
bool leaves_zero(const Instr& prev, std::int32_t off) {
    return (prev.op == Op::LoopEnd || prev.op == Op::Scan) && prev.off == off;
}

}  // namespace

Program remove_dead_loops(Program prog, const Options& opts) {
    passes::Rewriter out(prog.code);  // only ever drops ops
    bool at_start = prog.standalone;  // only moves so far: every cell still holds 0
    std::int64_t position = 0;        // the pointer, while at_start
    const auto cells = static_cast<std::int64_t>(std::min(opts.tape_cells, kMaxTapeCells));
    while (!out.done()) {
        const Instr in = out.next();
        if (opens(in.op)) {
            const std::int64_t cell = position + in.off;
            const bool dead = at_start ? cell >= 0 && cell < cells
                                       : !out.empty() && leaves_zero(out.back(), in.off);
            if (dead) {
                out.skip_past(static_cast<std::size_t>(in.arg));  // resume after the partner
                continue;
            }
        }
        if (in.op == Op::Move)
            position += in.arg;
        else
            at_start = false;
        out.push_back(in);
    }
    out.finish();
    relink(prog);
    return prog;
}

}  // namespace jitbf
