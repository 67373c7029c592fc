// The dispatch over the ops, and the straight-line ops: each a few instructions on the cell in
// memory, and the runtime calls for I/O. Comments give the code each one emits. A new op
// gets its emit_<op> here, declared in emitter.hpp, and its case in emit().
#include <utility>

#include "emitter.hpp"

namespace jitbf::jit {

std::size_t Emitter::emit(std::size_t i) {
    const Instr& in = prog_.code[i];
    // What the previous op left in registers is only good for this op; each emit_ that
    // leaves something useful says so again.
    known_ = std::exchange(next_, Known{});
    if (!in_memory_ && next_region_ < regions_.size() && regions_[next_region_].begin == i)
        return emit_region(regions_[next_region_++]);
    switch (in.op) {
    case Op::Add: emit_add(in); break;
    case Op::Set: emit_set(in); break;
    case Op::Move: emit_move(in); break;
    case Op::MulAdd: emit_muladd(in); break;
    case Op::Scan: emit_scan(in); break;
    case Op::In: emit_in(in); break;
    case Op::Out: emit_out(in); break;
    case Op::OutStr: emit_outstr(in); break;
    case Op::Check: emit_check(in); break;
    case Op::LoopBegin: return emit_loop_begin(i);
    case Op::LoopEnd: emit_loop_end(in); break;
    case Op::IfBegin: emit_if_begin(i); break;
    case Op::IfEnd: emit_if_end(in); break;
    case Op::Dump: emit_dump(in); break;
    }
    return i + 1;
}

void Emitter::emit_add(const Instr& in) {
    // add cell[off], arg   (inc / dec for +1 / -1; all leave ZF for a loop test)
    add_constant(cell(in.off, rax), wrapped(in.arg));
    next_.zf_cell = in.off;
}

void Emitter::emit_set(const Instr& in) {
    // mov cell[off], arg
    mov(cell(in.off, rax), imm64(wrapped(in.arg)));
}

void Emitter::emit_move(const Instr& in) {
    on_tape_.shift(in.arg);
    advance_tape(in.arg * cell_size_);
}

void Emitter::advance_tape(std::int64_t bytes) {
    // add tape, bytes   (through rax when it does not fit in 32 bits)
    if (fits_int32(bytes)) {
        add(tape, imm32(static_cast<std::int32_t>(bytes)));
    } else {
        mov(rax, imm64(bytes));
        add(tape, rax);
    }
}

void Emitter::emit_muladd(const Instr& in) {
    // movzx ecx, cell[src]; imul eax, ecx, arg; add cell[off], al/ax/eax
    // (add/sub cell[off], cl/cx/ecx for a factor of +1/-1)
    // The source is read first: it is the first touch, as in the interpreter. A run of
    // multiplies from one source (a copy loop's body) loads it once.
    if (known_.ecx_cell != in.src) load_cell(ecx, in.src);
    add_product(cell(in.off, rdx), ecx, wrapped(in.arg));
    if (in.off != in.src) next_.ecx_cell = in.src;
    next_.zf_cell = in.off;
}

void Emitter::emit_in(const Instr& in) {
    // lea rsi, cell[off]; movzx eax, byte [rsi]   (the touch: faults before any I/O)
    // call_runtime(read_byte)
    lea_cell(rsi, tape, in.off);
    movzx(eax, byte[rsi]);
    call_runtime(reinterpret_cast<const void*>(&read_byte));
}

void Emitter::emit_out(const Instr& in) {
    // movzx esi, byte cell[off]; call_runtime(put_byte)
    movzx(esi, cell(in.off, rsi, byte, tape));
    call_runtime(reinterpret_cast<const void*>(&put_byte));
}

void Emitter::emit_outstr(const Instr& in) {
    // mov esi, index; call_runtime(put_string)
    mov(esi, static_cast<std::uint32_t>(in.arg));
    call_runtime(reinterpret_cast<const void*>(&put_string));
}

void Emitter::emit_check(const Instr& in) {
    // lea rax, cell[off]; cmp rax, [ctx.tape_begin]; jb left; cmp rax, [ctx.tape_end]
    // jae right
    lea_cell(rax, tape, in.off);
    check_bounds(rax);
}

void Emitter::emit_dump(const Instr& in) {
    // lea rsi, cell[off]; call_runtime(dump_tape)   (an address only: nothing is touched)
    lea_cell(rsi, tape, in.off);
    call_runtime(reinterpret_cast<const void*>(&dump_tape));
}

}  // namespace jitbf::jit
