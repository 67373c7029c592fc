// Scans (`while (cell[off] != 0) p += stride`) in machine code: vectorised with SSE2 or
// AVX2, for every stride and cell width, with the scalar loop as the fallback.
//
// A base class of the code generator rather than a helper it calls, so the scan code reads
// like the rest of the emitter (mnemonics, registers by role) while living in a file of its
// own. The instruction set is the emitter's choice (see simd.hpp).
#pragma once

#include <cstdint>

#include <xbyak/xbyak.h>

#include "simd.hpp"

namespace jitbf::jit {

class ScanEmitter : public Xbyak::CodeGenerator {
protected:
    ScanEmitter(std::size_t initial_size, Xbyak::Allocator* allocator, std::int64_t cell_size,
                SimdLevel level);

    // while (cell[off] != 0) tape += stride cells, for a stride small enough that every
    // touch off the tape lands in a guard page (so the fault handler reports it at this
    // op). `tape` is the cell pointer register; rax, rcx, rdx, rsi, rdi, r8, r9 and the
    // vector registers are clobbered.
    void emit_guarded_scan(const Xbyak::Reg64& tape, std::int64_t off, std::int64_t stride);

    // Has any scan left the upper halves of the ymm registers dirty on a path that can end
    // in a fault? Then the fault exit must vzeroupper before going back to C++.
    bool uses_ymm() const { return uses_ymm_; }

private:
    Xbyak::Address cell_at(const Xbyak::Reg64& tape, std::int64_t off);
    void lea_cell(const Xbyak::Reg64& dst, const Xbyak::Reg64& tape, std::int64_t off);
    void set_tape_from(const Xbyak::Reg64& tape, const Xbyak::Reg64& addr, std::int64_t off);
    void emit_scalar_steps(const Xbyak::Reg64& tape, std::int64_t off, std::int64_t step,
                           Xbyak::Label& done);
    void emit_vector_scan(const Xbyak::Reg64& tape, std::int64_t off, std::int64_t step);
    void compare_vector(const Xbyak::Reg32& mask, const Xbyak::Reg64& addr);
    void shift_pattern(const Xbyak::Reg32& dst, const Xbyak::Reg32& pattern, bool left_scan);

    std::int64_t cell_size_;
    SimdLevel level_;
    bool uses_ymm_ = false;
};

}  // namespace jitbf::jit
