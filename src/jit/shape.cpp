// The JIT's shape analysis (see shape.hpp).
#include "shape.hpp"

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

}  // namespace jitbf::jit
