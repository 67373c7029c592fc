// check_far_touches: adds an explicit Check before any touch of a cell that could lie
// beyond the guard region, so no access can skip over the guard into other memory.
//
// The guard pages catch a touch off the tape only if the touched cell is within
// kGuardBytes of a cell known to be on the tape. Every successful touch proves its cell is
// on the tape, so the pass follows, through straight-line code, the offsets (relative to
// the current pointer) of the cells last touched on each path: an interval [lo, hi], which
// joins widen. A touch further than the guard from any of them gets a Check first. Real
// programs almost never need one: it takes a run of about 2^28 `>` between two touches.
#include <algorithm>
#include <cstdlib>

#include "jitbf/passes.hpp"
#include "jitbf/runtime.hpp"

namespace jitbf {

namespace {

struct Span {
    std::int64_t lo = 0, hi = 0;  // offsets of cells proven on the tape, relative to p
    void join(const Span& o) {
        lo = std::min(lo, o.lo);
        hi = std::max(hi, o.hi);
    }
};

// Offsets that large mean "certainly far"; clamping keeps the sums from overflowing.
constexpr std::int64_t kClamp = std::int64_t{1} << 40;

}  // namespace

Program check_far_touches(Program prog, const Options& opts) {
    // Room for the widest access the JIT makes at a cell (a vector load) beyond the cell.
    const auto reach =
        static_cast<std::int64_t>(kGuardBytes / static_cast<std::size_t>(opts.cell_bits / 8)) - 64;
    Program out;
    out.strings = std::move(prog.strings);
    out.code.reserve(prog.code.size());
    Span known;                 // at the current op
    std::vector<Span> at_join;  // for each open bracket: the span to join at its end

    auto touch = [&](std::int32_t off, const Instr& by) {
        const std::int64_t far = std::max(std::abs(off - known.lo), std::abs(off - known.hi));
        if (far > reach) {
            Instr check;
            check.op = Op::Check;
            check.off = off;
            check.pos = by.pos;
            out.code.push_back(check);
        }
        known = {off, off};
    };

    for (const Instr& in : prog.code) {
        switch (in.op) {
        case Op::Move:
            known.lo = std::clamp(known.lo - in.arg, -kClamp, kClamp);
            known.hi = std::clamp(known.hi - in.arg, -kClamp, kClamp);
            break;
        case Op::MulAdd:
            touch(in.src, in);
            touch(in.off, in);
            break;
        case Op::Add:
        case Op::Set:
        case Op::Scan:  // stops on a cell it tested: that cell, relative to the new p
        case Op::In:
        case Op::Out:
        case Op::Check: touch(in.off, in); break;
        case Op::OutStr: break;
        case Op::LoopBegin: {
            // The body starts after this test or after the LoopEnd's: both cells are known.
            touch(in.off, in);
            const Instr& end = prog.code[static_cast<std::size_t>(in.arg)];
            known.join({end.off, end.off});
            at_join.push_back(known);
            break;
        }
        case Op::LoopEnd:
            touch(in.off, in);
            known.join(at_join.back());
            at_join.pop_back();
            break;
        case Op::IfBegin:
            touch(in.off, in);
            at_join.push_back(known);  // the path that skips the body
            break;
        case Op::IfEnd:
            known.join(at_join.back());
            at_join.pop_back();
            break;
        }
        out.code.push_back(in);
    }
    relink(out);
    return out;
}

}  // namespace jitbf
