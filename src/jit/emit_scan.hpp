// Scans (`while (cell[off] != 0) p += stride`) in machine code: vectorised with SSE2 or
// AVX2, for every stride and cell width, with the scalar loop as the fallback.
//
// A base class of the code generator rather than a helper it calls, so the scan code reads
// like the rest of the emitter (mnemonics, registers by role) while living in a file of its
// own. The instruction set is the emitter's choice (see simd.hpp).
#pragma once

#include <cstddef>
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
    // op). `tape` is the cell pointer register, `ctx` the RunContext* register; rax, rcx,
    // rdx, rsi, r8 and the vector registers are clobbered.
    void emit_guarded_scan(const Xbyak::Reg64& tape, const Xbyak::Reg64& ctx, std::int64_t off,
                           std::int64_t stride);

protected:
    // lea dst, [tape + off*size] (through mov/add when the displacement needs 64 bits).
    void lea_cell(const Xbyak::Reg64& dst, const Xbyak::Reg64& tape, std::int64_t off);

private:
    Xbyak::Address cell_at(const Xbyak::Reg64& tape, std::int64_t off);
    void set_tape_from(const Xbyak::Reg64& tape, const Xbyak::Reg64& addr, std::int64_t off);
    void emit_scalar_steps(const Xbyak::Reg64& tape, std::int64_t off, std::int64_t step,
                           Xbyak::Label& done);
    void emit_steps(const Xbyak::Reg64& tape, std::int64_t off, std::int64_t stride, int count,
                    Xbyak::Label& then, Xbyak::Label& done);
    std::uint32_t cells_per_vector(std::uint32_t distance) const;
    void emit_vector_scan(const Xbyak::Reg64& tape, const Xbyak::Reg64& ctx, std::int64_t off,
                          std::int64_t step, Xbyak::Label& entry, Xbyak::Label& done);
    void compare_vector(const Xbyak::Reg32& mask, const Xbyak::Address& at);
    void shift_pattern(std::uint32_t pattern, bool left);

    std::int64_t cell_size_;
    SimdLevel level_;
};

}  // namespace jitbf::jit
