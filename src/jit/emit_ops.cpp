// The straight-line ops, each a few instructions on the cell in memory or a runtime call for
// I/O, and the dispatch over all ops. Comments give the code each one emits.
//
// Each straight-line op is emitted by its specialization of emit_op (emitter.hpp says why):
// a new one needs that and its case in emit(), both here. The dispatch comes last because a
// specialization must be defined before the switch uses it.
#include <cstring>
#include <utility>

#include "emitter.hpp"

namespace jitbf::jit {

template <>
void Emitter::emit_op<Op::Add>(const Instr& in) {
    // add cell[off], arg   (inc / dec for +1 / -1; all leave ZF for a loop test)
    if (!add_cell_constant(in.off, wrapped(in.arg)))
        add_constant(cell(in.off, rax), wrapped(in.arg));
    next_.zf_cell = in.off;
}

template <>
void Emitter::emit_op<Op::Set>(const Instr& in) {
    // mov cell[off], arg
    if (!set_cell(in.off, wrapped(in.arg))) mov(cell(in.off, rax), imm64(wrapped(in.arg)));
}

template <>
void Emitter::emit_op<Op::Move>(const Instr& in) {
    on_tape_.shift(in.arg);
    advance_tape(in.arg * cell_size_);
}

void Emitter::advance_tape(std::int64_t bytes) {
    // add tape, bytes   (through rax when it does not fit in 32 bits)
    if (fits_int32(bytes)) {
        // 48 83 /0 ib or 48 81 /0 id, as xbyak encodes it
        const auto v = static_cast<std::int32_t>(bytes);
        const bool short_imm = v >= -128 && v <= 127;
        std::uint8_t* at = reserve(7);
        *at++ = 0x48;
        *at++ = short_imm ? 0x83 : 0x81;
        *at++ = static_cast<std::uint8_t>(0xC0 | tape.getIdx());
        std::memcpy(at, &v, short_imm ? 1 : 4);
        size_ += short_imm ? 4 : 7;
    } else {
        mov(rax, imm64(bytes));
        add(tape, rax);
    }
}

template <>
void Emitter::emit_op<Op::MulAdd>(const Instr& in) {
    // movzx ecx, cell[src]; imul eax, ecx, arg; add cell[off], al/ax/eax
    // (add/sub cell[off], cl/cx/ecx for a factor of +1/-1)
    // The source is read first: it is the first touch, as in the interpreter. A run of
    // multiplies from one source (a copy loop's body) loads it once.
    if (known_.ecx_cell != in.src) load_cell(ecx, in.src);
    add_product(cell(in.off, rdx), ecx, wrapped(in.arg));
    if (in.off != in.src) next_.ecx_cell = in.src;
    next_.zf_cell = in.off;
}

template <>
void Emitter::emit_op<Op::In>(const Instr& in) {
    // lea rsi, cell[off]; movzx eax, byte [rsi]   (the touch: faults before any I/O)
    // call_runtime(read_byte)
    lea_cell(rsi, tape, in.off);
    movzx(eax, byte[rsi]);
    call_runtime(reinterpret_cast<const void*>(&read_byte));
}

template <>
void Emitter::emit_op<Op::Out>(const Instr& in) {
    // movzx esi, byte cell[off]; call_runtime(put_byte)
    movzx(esi, cell(in.off, rsi, byte, tape));
    call_runtime(reinterpret_cast<const void*>(&put_byte));
}

template <>
void Emitter::emit_op<Op::OutStr>(const Instr& in) {
    // mov esi, index; call_runtime(put_string)
    mov(esi, static_cast<std::uint32_t>(in.arg));
    call_runtime(reinterpret_cast<const void*>(&put_string));
}

template <>
void Emitter::emit_op<Op::Check>(const Instr& in) {
    // Most Checks stand in for a loop test that a pass removed, to keep the position where
    // a fault is reported, and their cell lies near cells known on the tape: then a touch
    // is the check, as the guard catches it, and it costs a load instead of two compares
    // of the context and two branches. Only a cell that may lie beyond the guard needs them.
    // The load leaves the cell's flags for a loop test or scan right after (which then need
    // not load it again); no code leaves what the op before left.
    if (on_tape_.contains(in.off)) {
        next_ = known_;
        return;
    }
    if (!on_tape_.empty() && on_tape_.nearest(in.off) <= guard_reach_cells(bits_)) {
        // cmp cell[off], 0   (faults in the guard as this op when off the tape)
        cmp(cell(in.off, rax), 0);
        next_.zf_cell = in.off;
        return;
    }
    // lea rax, cell[off]; cmp rax, [ctx.tape_begin]; jb left; cmp rax, [ctx.tape_end]
    // jae right
    lea_cell(rax, tape, in.off);
    check_bounds(rax);
}

template <>
void Emitter::emit_op<Op::Dump>(const Instr& in) {
    // lea rsi, cell[off]; call_runtime(dump_tape)   (an address only: nothing is touched)
    lea_cell(rsi, tape, in.off);
    call_runtime(reinterpret_cast<const void*>(&dump_tape));
}

std::size_t Emitter::emit(std::size_t i) {
    const Instr& in = prog_.code[i];
    // What the previous op left in registers is only good for this op; each emit_ that
    // leaves something useful says so again.
    known_ = std::exchange(next_, Known{});
    if (!in_memory_ && region_ && region_->begin == i) {
        const std::size_t after = emit_region(*region_);
        region_ = plan_.next();
        return after;
    }
    switch (in.op) {
    case Op::Add: emit_op<Op::Add>(in); break;
    case Op::Set: emit_op<Op::Set>(in); break;
    case Op::Move: emit_op<Op::Move>(in); break;
    case Op::MulAdd: emit_op<Op::MulAdd>(in); break;
    case Op::Scan: emit_scan(in); break;
    case Op::In: emit_op<Op::In>(in); break;
    case Op::Out: emit_op<Op::Out>(in); break;
    case Op::OutStr: emit_op<Op::OutStr>(in); break;
    case Op::Check: emit_op<Op::Check>(in); break;
    case Op::LoopBegin: return emit_loop_begin(i);
    case Op::LoopEnd: emit_loop_end(in); break;
    case Op::IfBegin: emit_if_begin(i); break;
    case Op::IfEnd: emit_if_end(in); break;
    case Op::Dump: emit_op<Op::Dump>(in); break;
    }
    return i + 1;
}

}  // namespace jitbf::jit
