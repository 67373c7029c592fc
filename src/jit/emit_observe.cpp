// What tools ask of the emitter, kept apart from the code it emits for programs: the code map
// (which stretch of code each op became) and, for --profile, the counters.
//
// Both hook into the walk in emitter.cpp, between ops, so no op's emitter knows about them. The
// counters go where an op's count is certain from the walk alone: before a loop's first test
// (reached), before its back-edge test (an iteration), at the top of an if's body (taken),
// and around a scan (the distance it moved, in bytes: JitProgram turns that into steps).
// Counting costs rax, rcx and the flags, so the op after a counter finds nothing Known.
#include "emitter.hpp"

namespace jitbf::jit {

void Emitter::add_range(CodeKind kind, std::size_t first, std::size_t end) {
    const auto at = static_cast<std::uint32_t>(getSize());
    // Stubs and frames that came out empty (no errors to exit by) are left out; an op that
    // needs no code keeps its empty range, so every op is in the map.
    if (at == mapped_to_ && kind != CodeKind::Ops) return;
    out_.map.push_back(
        {mapped_to_, at, kind, static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(end)});
    mapped_to_ = at;
}

Xbyak::Address Emitter::counter(std::size_t op) {
    // mov rax, [ctx.counts]  then  [rax + 8*op]  (mov rcx, 8*op; add rax, rcx when far)
    mov(rax, qword[ctx + offsetof(RunContext, counts)]);
    const auto disp = static_cast<std::int64_t>(op) * 8;
    if (fits_int32(disp)) return qword[rax + static_cast<std::size_t>(disp)];
    mov(rcx, imm64(disp));
    add(rax, rcx);
    return qword[rax];
}

void Emitter::count_before(std::size_t i) {
    switch (prog_.code[i].op) {
    case Op::LoopBegin:
    case Op::LoopEnd:
        // inc counter[i]
        inc(counter(i));
        break;
    case Op::Scan:
        // mov [ctx.scan_start], tape
        mov(qword[ctx + offsetof(RunContext, scan_start)], tape);
        break;
    default: return;
    }
    next_ = Known{};  // the flags and rax are gone
}

void Emitter::count_after(std::size_t i) {
    switch (prog_.code[i].op) {
    case Op::IfBegin:
        // inc counter[i]    (the first code of the body)
        inc(counter(i));
        break;
    case Op::Scan:
        // mov rdx, tape; sub rdx, [ctx.scan_start]; add counter[i], rdx
        mov(rdx, tape);
        sub(rdx, qword[ctx + offsetof(RunContext, scan_start)]);
        add(counter(i), rdx);
        break;
    default: return;
    }
    next_ = Known{};
}

}  // namespace jitbf::jit
