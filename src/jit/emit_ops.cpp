// The straight-line ops, each a few instructions on the cell in memory or a runtime call for
// I/O, and the dispatch over all ops. Comments give the code each one emits.
//
// Each straight-line op is emitted by its specialization of emit_op (emitter.hpp says why):
// a new one needs that and its case in emit(), both here. The dispatch comes last because a
// specialization must be defined before the switch uses it.
#include <cassert>
#include <cstring>
#include <utility>

#include "emitter.hpp"

namespace jitbf::jit {

template <>
void Emitter::emit_op<Op::Add>(const Instr& in) {
    // add cell[off], arg   (inc / dec for +1 / -1; all leave ZF for a loop test)
    // or, when `value` holds the cell or an add to it follows soon (value_reused):
    // [movzx value, cell[off]]; add value.cell_bits, arg; mov cell[off], value.cell_bits
    const std::int32_t v = wrapped(in.arg);
    // (16-bit immediates beyond a byte would stall decoding on a length-changing prefix.)
    const bool small = bits_ != 16 || (v >= -128 && v <= 127);
    if (small && (known_.val_cell == in.off || value_reused(index_ + 1, in.off))) {
        if (known_.val_cell != in.off) load_cell(value, in.off);
        const Xbyak::Reg r = value.changeBit(bits_);
        if (v == 1) {
            inc(r);
        } else if (v == -1) {
            dec(r);
        } else {
            add(r, imm32(v));
        }
        mov(cell(in.off, rax), r);
        next_.val_cell = in.off;
    } else {
        if (!add_cell_constant(in.off, v)) add_constant(cell(in.off, rax), v);
        // (An add to another cell leaves `value` holding its cell.)
        if (known_.val_cell != in.off) next_.val_cell = known_.val_cell;
    }
    next_.zf_cell = in.off;
}

// Does an add to `off` (as seen from op i on) come within a few ops from op i, reached
// only through ops that keep `value` (moves, the test of a plain if)? Not past an add to
// another cell, which might want `value` too: where two cells take turns (a counting chain
// in memory, `c--; d+=2; if c {c--; d+=2; ...}`), each add would load and store instead of
// one read-modify-write, for no gain.
bool Emitter::value_reused(std::size_t i, std::int64_t off) const {
    constexpr std::size_t kLookAhead = 6;
    for (std::size_t k = i; k < prog_.code.size() && k - i < kLookAhead; ++k) {
        if (!in_memory_ && region_ && region_->begin == k) return false;
        const Instr& in = prog_.code[k];
        if (in.op == Op::Add) return in.off == off;
        if (in.op == Op::Move) {
            off -= in.arg;
        } else if (in.op != Op::IfBegin || profiling_ || branch_free_cells(prog_, k, bits_)) {
            return false;
        }
    }
    return false;
}

template <>
void Emitter::emit_op<Op::Set>(const Instr& in) {
    // mov cell[off], arg
    if (!set_cell(in.off, wrapped(in.arg))) mov(cell(in.off, rax), imm64(wrapped(in.arg)));
}

template <>
void Emitter::emit_op<Op::Move>(const Instr& in) {
    on_tape_.shift(in.arg);
    // A move leaves the flags as they were, and what they tell moves with p: in
    // `[->]` (`dec cell[1]; lea tape, [tape+1]; jnz body`) the loop tests the cell the
    // decrement just wrote without reading it back, a store-to-load round trip on the
    // loop's branch that some CPUs forward without delay and others do not.
    if (advance_tape(in.arg * cell_size_)) {
        if (known_.zf_cell) next_.zf_cell = *known_.zf_cell - in.arg;
        if (known_.ecx_cell) next_.ecx_cell = *known_.ecx_cell - in.arg;
        if (known_.val_cell) next_.val_cell = *known_.val_cell - in.arg;
    }
}

bool Emitter::advance_tape(std::int64_t bytes) {
    // lea tape, [tape + bytes]   (flags kept; mov rax, bytes; add tape, rax when it does
    // not fit in 32 bits)
    if (fits_int32(bytes)) {
        // REX.W 8D /r with disp8 or disp32, as xbyak encodes it (tape needs no SIB)
        assert(tape.getIdx() < 8 && tape.getIdx() != 4);
        const auto v = static_cast<std::int32_t>(bytes);
        const bool short_disp = v >= -128 && v <= 127;
        const auto reg = static_cast<std::uint8_t>(tape.getIdx());
        std::uint8_t* at = reserve(7);
        *at++ = 0x48;
        *at++ = 0x8D;
        *at++ = static_cast<std::uint8_t>((short_disp ? 0x40 : 0x80) | reg << 3 | reg);
        std::memcpy(at, &v, short_disp ? 1 : 4);
        size_ += short_disp ? 4 : 7;
        return true;
    }
    mov(rax, imm64(bytes));
    add(tape, rax);
    return false;
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
