// Loops that stay where they are (no Move, Scan, I/O or inner loop; ifs are fine) run with
// their cells in registers: memory would chain every read-modify-write of a cell to the last
// one through store forwarding (some 5 cycles each), which is what the carry loops of
// mandelbrot.b's arithmetic wait on. The cells are loaded when the loop is entered and the
// ones it writes are stored when it leaves, so nothing outside the loop sees a difference,
// and the loop cannot fault in between: all its cells are first checked to be on the tape
// (only those not known to be already). When one may not be, the loop runs as usual from
// memory instead, so a fault happens at the touching op as always. Up to kRegisterCells
// cells, in the scratch registers (no calls happen inside); rax is the multiplier's.
#include <algorithm>
#include <cassert>

#include "emitter.hpp"

namespace jitbf::jit {

std::optional<std::size_t> Emitter::emit_register_loop(std::size_t i, Bracket& b,
                                                       const RegisterLoop& loop) {
    // [lea rax, cell[lowest]; cmp rax, [ctx.tape_begin]; jb body]  (then the loop in
    // [lea rax, cell[highest]; cmp rax, [ctx.tape_end]; jae body]   memory, at body)
    // movzx r_k, cell[k]                        (every cell)
    // again: (the body, on registers); test r_loop, r_loop; jnz again
    //   counting: jz done; dec budget; jnz again; mov cell[k], r_k...; jmp step_stub
    // done: mov cell[k], r_k                    (the cells it writes); jmp end
    static const Xbyak::Reg32 regs[kRegisterCells] = {esi, edi, r8d, r9d, r10d, r11d, edx, ecx};
    auto reg = [&](std::int64_t off) {
        const auto it = std::find(loop.cells.begin(), loop.cells.end(), off);
        assert(it != loop.cells.end());
        return regs[it - loop.cells.begin()];
    };
    auto at_width = [&](std::int64_t off) { return reg(off).changeBit(bits_); };
    auto store_back = [&] {
        for (std::size_t k = 0; k < loop.cells.size(); ++k)
            if (loop.written[k]) mov(cell(loop.cells[k], rax), regs[k].changeBit(bits_));
    };

    const Instr& in = prog_.code[i];
    CellSpan known = on_tape_;
    known.add(in.off);
    const bool in_memory_too = unchecked(loop.extent, known);
    check_on_tape(loop.extent, known, b.body);
    for (std::size_t k = 0; k < loop.cells.size(); ++k) load_cell(regs[k], loop.cells[k]);

    Xbyak::Label again, done;
    std::deque<Xbyak::Label> if_ends;  // of the ifs that branch, innermost last
    std::vector<bool> branches;        // per open if
    ++out_.register_loops;
    L(again);
    const auto end = static_cast<std::size_t>(in.arg);
    for (std::size_t j = i + 1; j < end; ++j) {
        const Instr& op = prog_.code[j];
        // Only the ops register_loop() admits (shape.cpp) reach here.
        if (op.op == Op::Add) {
            // add r, arg   (inc / dec)
            add_constant(at_width(op.off), wrapped(op.arg));
        } else if (op.op == Op::Set) {
            // mov r, arg
            mov(reg(op.off), imm32(wrapped(op.arg)));
        } else if (op.op == Op::MulAdd) {
            // add/sub r_off, r_src   (factor +1/-1); imul eax, r_src, arg; add r_off, eax
            add_product(at_width(op.off), reg(op.src), wrapped(op.arg));
        } else if (op.op == Op::IfBegin) {
            // test r, r; jz end   -- or nothing for a branch-free if: its cells are all on
            // the tape
            branches.push_back(!branch_free_cells(prog_, j, bits_));
            if (branches.back()) {
                test(at_width(op.off), at_width(op.off));
                jz(if_ends.emplace_back());
            }
        } else if (op.op == Op::IfEnd) {
            if (branches.back()) {
                L(if_ends.back());
                if_ends.pop_back();
            }
            branches.pop_back();
        } else {
            assert(op.op == Op::Check && "not in a register loop");  // within the extent
        }
    }
    const std::int64_t tested = prog_.code[end].off;
    test(at_width(tested), at_width(tested));
    if (counting_) {
        jz(done);
        dec(budget);
        jnz(again);
        store_back();
        jmp(error_stub(RunStatus::StepLimit, static_cast<std::uint32_t>(end)));
    } else {
        jnz(again);
    }
    L(done);
    store_back();
    if (in_memory_too) {
        jmp(b.end);  // past the loop in memory, for when a cell may be off the tape
        return std::nullopt;
    }
    L(b.end);
    close_bracket();
    on_tape_ = CellSpan::of(tested);
    return end + 1;
}

}  // namespace jitbf::jit
