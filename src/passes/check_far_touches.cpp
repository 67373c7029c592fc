// check_far_touches: adds an explicit Check before any touch of a cell that could lie
// beyond the guard region, so no access can skip over the guard into other memory.
//
// The guard pages catch a touch off the tape only if the touched cell is within
// kGuardBytes of a cell known to be on the tape. Every successful touch proves its cell is
// on the tape, so the pass follows, through straight-line code, the offsets (relative to
// the current pointer) of the cells last touched on each path: an interval [lo, hi], which
// joins widen. A touch further than the guard from any of them gets a Check first. Real
// programs almost never need one (it takes a run of about 2^28 `>` between two touches),
// so the pass finds them before it copies anything: most programs pass through untouched.
#include <algorithm>

#include "analysis.hpp"
#include "huge_pages.hpp"
#include "passes/passes.hpp"
#include "runtime.hpp"

namespace jitbf {

Program check_far_touches(Program prog, const Options& opts) {
    // How far from a cell on the tape a touch may land and still hit the guard, leaving room
    // for the widest access the JIT makes beyond a cell it addresses.
    const std::int64_t reach = guard_reach_cells(opts.cell_bits);
    // The Checks to insert, each before the op at `at`. Found first, so that the usual
    // program, which needs none, is returned as it is instead of copied.
    struct Needed {
        std::size_t at;
        std::int32_t off;
    };
    std::vector<Needed> needed;
    // The cells last touched on the paths that reach the current op (cell 0 at the start).
    CellSpan known = CellSpan::of(0);
    std::vector<CellSpan> at_join;  // for each open bracket: the span to join at its end

    for (std::size_t i = 0; i < prog.code.size(); ++i) {
        const Instr& in = prog.code[i];
        const OpInfo& op = info(in.op);
        auto touch = [&](std::int32_t off) {
            if (known.farthest(off) > reach) needed.push_back({i, off});
            known = CellSpan::of(off);
        };
        if (in.op == Op::Move) known.shift(in.arg);
        // A MulAdd reads its source first. A Scan stops on a cell it tested: that cell,
        // relative to the new p.
        if (op.reads_src) touch(in.src);
        if (op.cell != Access::None) touch(in.off);
        if (in.op == Op::LoopBegin) {
            // The body starts after this test or after the LoopEnd's: both cells are known.
            known.add(prog.code[static_cast<std::size_t>(in.arg)].off);
            at_join.push_back(known);
        } else if (in.op == Op::IfBegin) {
            at_join.push_back(known);  // the path that skips the body
        } else if (closes(in.op)) {
            known.join(at_join.back());
            at_join.pop_back();
        }
    }
    if (needed.empty()) return prog;

    std::vector<Instr> code;
    reserve_huge(code, prog.code.size() + needed.size());
    std::size_t next = 0;  // of `needed`
    for (std::size_t i = 0; i < prog.code.size(); ++i) {
        for (; next < needed.size() && needed[next].at == i; ++next)
            code.push_back(instr(Op::Check, needed[next].off).at(prog.code[i].pos));
        code.push_back(prog.code[i]);
    }
    prog.code = std::move(code);
    relink(prog);
    return prog;
}

}  // namespace jitbf
