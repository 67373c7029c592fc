// The function around the program's code: prologue and epilogue, calls into the runtime,
// and the out-of-line stubs (error exits, the fault exit, branch-free ifs' tests).
#include "emitter.hpp"

namespace jitbf::jit {

void Emitter::emit_prologue() {
    // push rbp; mov rbp, rsp; push rbx; push r12; push r13; push r14; push r15; sub rsp, 8
    // (entry rsp = 8 mod 16; after 6 pushes and 8 more it is 16-aligned for calls)
    push(rbp);
    mov(rbp, rsp);
    push(rbx);
    push(r12);
    push(r13);
    push(r14);
    push(r15);
    sub(rsp, 8);
    // mov tape, rdi; mov ctx, rsi [; mov budget, [ctx.step_limit]]
    mov(tape, rdi);
    mov(ctx, rsi);
    if (counting_) mov(budget, qword[ctx + offsetof(RunContext, step_limit)]);
}

void Emitter::emit_epilogue() {
    // exit: mov [ctx.pointer], tape; lea rsp, [rbp-40]; pop r15; ...; pop rbx; pop rbp; ret
    L(exit_);
    mov(qword[ctx + offsetof(RunContext, pointer)], tape);
    lea(rsp, ptr[rbp - 40]);
    pop(r15);
    pop(r14);
    pop(r13);
    pop(r12);
    pop(rbx);
    pop(rbp);
    ret();
}

void Emitter::emit_fault_exit() {
    // mov [ctx.status], rdi; mov [ctx.op], rsi; mov [ctx.touched], rdx; jmp exit
    // (rdi, rsi, rdx set by the handler)
    mov(qword[ctx + offsetof(RunContext, status)], rdi);
    mov(qword[ctx + offsetof(RunContext, op)], rsi);
    mov(qword[ctx + offsetof(RunContext, touched)], rdx);
    jmp(exit_);
}

void Emitter::call_runtime(const void* fn) {
    // mov rdi, ctx; mov edx, op; mov rax, fn; call rax; test al, al; jz exit
    // (call rel32 cannot reach the heap copy's final address: the call goes through rax.)
    mov(rdi, ctx);
    mov(edx, index_);
    mov(rax, reinterpret_cast<std::uintptr_t>(fn));
    call(rax);
    test(al, al);
    jz(exit_);
}

Emitter::Label& Emitter::error_stub(RunStatus status, std::uint32_t op) {
    stubs_.push_back({{}, status, op, -1});
    return stubs_.back().at;
}

Emitter::Label& Emitter::tape_error_stub(RunStatus status, const Xbyak::Reg64& touched) {
    stubs_.push_back({{}, status, index_, touched.getIdx()});
    return stubs_.back().at;
}

void Emitter::emit_error_stubs() {
    // stub: mov [ctx.status], status; mov [ctx.op], op; [mov [ctx.touched], reg;] jmp exit
    for (Stub& s : stubs_) {
        L(s.at);
        mov(qword[ctx + offsetof(RunContext, status)], static_cast<std::uint32_t>(s.status));
        mov(qword[ctx + offsetof(RunContext, op)], s.op);
        if (s.touched >= 0)
            mov(qword[ctx + offsetof(RunContext, touched)], Xbyak::Reg64(s.touched));
        jmp(exit_);
    }
}

void Emitter::emit_if_stubs() {
    // stub: cmp cell[off], 0; jne body; jmp end
    for (IfStub& s : if_stubs_) {
        L(s.at);
        out_.ops.push_back({static_cast<std::uint32_t>(getSize()), s.op});
        cmp(cell(s.cell, rax), 0);
        jne(s.body);
        jmp(s.end);
    }
    if_stubs_.clear();
}

// xbyak keeps every jump to a label not yet placed in a hash table until the label is
// placed: with all stubs at the end, a 10 MB program had millions pending and compiled
// superlinearly (1.7x slower than before stubs). So the stubs of closed ifs are also
// placed, jumped over, between two ops outside every loop and if (code that runs once)
// once there are kStubBatch of them.
void Emitter::place_if_stubs() {
    // jmp over; stubs; over:
    Label over;
    jmp(over);
    emit_if_stubs();
    L(over);
}

}  // namespace jitbf::jit
