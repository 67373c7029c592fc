// The JIT's shape analyses (see shape.hpp).
#include "shape.hpp"

#include <algorithm>

namespace jitbf::jit {

std::optional<CellSpan> branch_free_cells(const Program& prog, std::size_t at, int bits) {
    const Instr& in = prog.code[at];
    const auto end = static_cast<std::size_t>(in.arg);
    if (end == at + 1) return std::nullopt;
    const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
    CellSpan cells = CellSpan::of(in.off);
    for (std::size_t i = at + 1; i < end; ++i) {
        const Instr& op = prog.code[i];
        const bool moves_it = op.op == Op::MulAdd && op.src == in.off && op.off != in.off;
        const bool clears_it = op.op == Op::Set && op.off == in.off &&
                               (static_cast<std::uint64_t>(op.arg) & mask) == 0;
        if (!moves_it && !clears_it) return std::nullopt;
        cells.add(op.off);
    }
    return cells;
}

std::optional<RegisterLoop> register_loop(const Program& prog, std::size_t at) {
    RegisterLoop loop;
    auto note = [&](std::int64_t off, bool writes) {
        loop.extent.add(off);
        const auto it = std::find(loop.cells.begin(), loop.cells.end(), off);
        const auto k = static_cast<std::size_t>(it - loop.cells.begin());
        if (it == loop.cells.end()) {
            loop.cells.push_back(off);
            loop.written.push_back(false);
        }
        if (writes) loop.written[k] = true;
    };
    const Instr& begin = prog.code[at];
    const auto end = static_cast<std::size_t>(begin.arg);
    note(begin.off, false);
    note(prog.code[end].off, false);  // the back-edge's test (the same cell, from the parser)
    for (std::size_t i = at + 1; i < end; ++i) {
        const Instr& in = prog.code[i];
        // The ops emit_register_loop knows how to run on registers; any other op (a move, a
        // scan, I/O, an inner loop, or an op added later) keeps the loop in memory.
        const bool known = in.op == Op::Add || in.op == Op::Set || in.op == Op::MulAdd ||
                           in.op == Op::IfBegin || in.op == Op::IfEnd || in.op == Op::Check;
        if (!known) return std::nullopt;
        const OpInfo& op = info(in.op);
        if (op.reads_src) note(in.src, false);
        switch (op.cell) {
        case Access::None: break;
        case Access::Touch: loop.extent.add(in.off); break;  // a Check: in the extent only
        case Access::Read: note(in.off, false); break;
        case Access::ReadWrite:
        case Access::Write: note(in.off, true); break;
        }
        if (loop.cells.size() > kRegisterCells) return std::nullopt;
    }
    return loop;
}

}  // namespace jitbf::jit
