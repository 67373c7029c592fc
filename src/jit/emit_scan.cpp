// Scan code: a scalar first test, then whole aligned vectors tested against a stride mask.
//
// Why aligned vectors are safe: the tape starts on a page boundary and ends on one, and the
// guard regions are whole pages, so an aligned V-byte load is either entirely on the tape or
// entirely in a guard page. Every vector the loop loads holds the next cell the scan would
// test (the stride is at most V bytes, and the loop only moves on when every tested cell so
// far was non-zero), so a load faults exactly when the scalar loop would have touched a cell
// off the tape, and the fault, being inside this op's code, is reported at this op.
//
// The stride mask: pcmpeq/pmovmskb give one bit per byte, set for every byte of a zero cell.
// The cells the scan tests in a vector are every T-th byte (T = |stride| * cell size) from
// a phase; a 32-bit pattern of those bit positions, shifted by the phase, keeps only them,
// and the lowest (scanning right) or highest (left) remaining bit is the cell to stop at.
// From one vector to the next the phase moves by V mod T, so it stays put for strides that
// divide V (all the powers of two) and otherwise costs a subtract and a conditional add.
// Scanning left, phases count from the vector's last byte and the pattern is mirrored, so
// both directions share the phase arithmetic. A stride wider than a vector leaves at most
// one tested cell per vector: those scans keep the scalar loop.
#include "emit_scan.hpp"

#include <cstdlib>
#include <limits>

#include <xbyak/xbyak_util.h>

namespace jitbf::jit {

namespace {

bool fits_int32(std::int64_t v) {
    return v >= std::numeric_limits<std::int32_t>::min() &&
           v <= std::numeric_limits<std::int32_t>::max();
}

std::uint32_t vector_bytes(SimdLevel level) {
    switch (level) {
    case SimdLevel::Scalar: return 0;
    case SimdLevel::Sse2: return 16;
    case SimdLevel::Avx2: return 32;
    }
    return 0;
}

// Bits 0, step, 2*step... below `width`.
std::uint64_t every(std::uint32_t step, std::uint32_t width) {
    std::uint64_t bits = 0;
    for (std::uint32_t i = 0; i < width; i += step) bits |= std::uint64_t{1} << i;
    return bits;
}

// Bits width-1, width-1-step... down to 0: `every` mirrored within `width` bits.
std::uint64_t every_from_top(std::uint32_t step, std::uint32_t width) {
    std::uint64_t bits = 0;
    for (std::uint32_t i = 0; i < width; i += step) bits |= std::uint64_t{1} << (width - 1 - i);
    return bits;
}

}  // namespace

std::string_view simd_level_name(SimdLevel level) {
    switch (level) {
    case SimdLevel::Scalar: return "scalar";
    case SimdLevel::Sse2: return "sse2";
    case SimdLevel::Avx2: return "avx2";
    }
    return "?";
}

SimdLevel cpu_simd_level() {
    // Xbyak's Cpu checks that the OS saves the ymm state (XGETBV) before reporting AVX.
    static const SimdLevel level = [] {
        const Xbyak::util::Cpu cpu;
        using C = Xbyak::util::Cpu;
        return cpu.has(C::tAVX2) && cpu.has(C::tBMI2) ? SimdLevel::Avx2 : SimdLevel::Sse2;
    }();
    return level;
}

SimdLevel scan_simd_level() {
    const SimdLevel cpu = cpu_simd_level();
    const char* forced = std::getenv("JITBF_SIMD");
    if (forced == nullptr) return cpu;
    for (SimdLevel level : {SimdLevel::Scalar, SimdLevel::Sse2, SimdLevel::Avx2})
        if (simd_level_name(level) == forced && level <= cpu) return level;
    return cpu;
}

ScanEmitter::ScanEmitter(std::size_t initial_size, Xbyak::Allocator* allocator,
                         std::int64_t cell_size, SimdLevel level)
    : Xbyak::CodeGenerator(initial_size, Xbyak::AutoGrow, allocator),
      cell_size_(cell_size),
      level_(level) {}

// --- operands ---------------------------------------------------------------------------

// [tape + off*size] at the cell width; rcx is the scratch for a displacement over 32 bits.
Xbyak::Address ScanEmitter::cell_at(const Xbyak::Reg64& tape, std::int64_t off) {
    const Xbyak::AddressFrame& size =
        cell_size_ == 1 ? byte : cell_size_ == 2 ? word : dword;
    const std::int64_t disp = off * cell_size_;
    if (fits_int32(disp)) return size[tape + static_cast<std::size_t>(disp)];
    mov(rcx, static_cast<std::uint64_t>(disp));
    add(rcx, tape);
    return size[rcx];
}

void ScanEmitter::lea_cell(const Xbyak::Reg64& dst, const Xbyak::Reg64& tape, std::int64_t off) {
    const std::int64_t disp = off * cell_size_;
    if (fits_int32(disp)) {
        lea(dst, ptr[tape + static_cast<std::size_t>(disp)]);
    } else {
        mov(dst, static_cast<std::uint64_t>(disp));
        add(dst, tape);
    }
}

// tape = addr - off*size: the cell pointer that puts cell[off] at `addr` (clobbers addr).
void ScanEmitter::set_tape_from(const Xbyak::Reg64& tape, const Xbyak::Reg64& addr,
                                std::int64_t off) {
    const std::int64_t disp = -off * cell_size_;
    if (fits_int32(disp)) {
        lea(tape, ptr[addr + static_cast<std::size_t>(disp)]);
    } else {
        mov(tape, static_cast<std::uint64_t>(disp));
        add(tape, addr);
    }
}

// --- scans --------------------------------------------------------------------------------

void ScanEmitter::emit_guarded_scan(const Xbyak::Reg64& tape, std::int64_t off,
                                    std::int64_t stride) {
    // cmp cell[off], 0; je done   (many scans stop at once: keep that path short)
    const std::int64_t step = stride * cell_size_;
    const std::uint64_t distance = static_cast<std::uint64_t>(step < 0 ? -step : step);
    Xbyak::Label done;
    cmp(cell_at(tape, off), 0);
    je(done);
    if (distance <= vector_bytes(level_))
        emit_vector_scan(tape, off, step);
    else
        emit_scalar_steps(tape, off, step, done);
    L(done);
}

// The scalar loop, from a cell known to be non-zero: it ends at `done`.
void ScanEmitter::emit_scalar_steps(const Xbyak::Reg64& tape, std::int64_t off,
                                    std::int64_t step, Xbyak::Label& done) {
    // again: add tape, step; cmp cell[off], 0; jne again; jmp done
    Xbyak::Label again;
    L(again);
    add(tape, static_cast<std::uint32_t>(static_cast<std::int32_t>(step)));
    cmp(cell_at(tape, off), 0);
    jne(again);
    jmp(done);
}

// Registers by role in a vector scan.
namespace {
const Xbyak::Reg64 base = Xbyak::util::rdx;     // address of the aligned vector under test
const Xbyak::Reg32 phase = Xbyak::util::ecx;    // its first tested byte, from the leading edge
const Xbyak::Reg32 pattern = Xbyak::util::r8d;  // tested bytes of a vector at phase 0
const Xbyak::Reg32 tested = Xbyak::util::r9d;   // tested bytes of this vector
const Xbyak::Reg32 zeros = Xbyak::util::eax;    // bytes of zero cells (then: zero and tested)
}  // namespace

// zeros = one bit per byte of `addr`'s vector, set where the cell is zero.
void ScanEmitter::compare_vector(const Xbyak::Reg32& mask, const Xbyak::Reg64& addr) {
    // avx2: vpcmpeq{b,w,d} ymm1, ymm0, [addr]; vpmovmskb mask, ymm1   (ymm0 = 0)
    // sse2: movdqa xmm1, [addr]; pcmpeq{b,w,d} xmm1, xmm0; pmovmskb mask, xmm1
    if (level_ == SimdLevel::Avx2) {
        const Xbyak::Address v = yword[addr];
        if (cell_size_ == 1) vpcmpeqb(ymm1, ymm0, v);
        else if (cell_size_ == 2) vpcmpeqw(ymm1, ymm0, v);
        else vpcmpeqd(ymm1, ymm0, v);
        vpmovmskb(mask, ymm1);
    } else {
        movdqa(xmm1, xword[addr]);
        if (cell_size_ == 1) pcmpeqb(xmm1, xmm0);
        else if (cell_size_ == 2) pcmpeqw(xmm1, xmm0);
        else pcmpeqd(xmm1, xmm0);
        pmovmskb(mask, xmm1);
    }
}

// dst = pattern << phase (scanning right) or >> phase (left).
void ScanEmitter::shift_pattern(const Xbyak::Reg32& dst, const Xbyak::Reg32& pat, bool left_scan) {
    // avx2: shlx/shrx dst, pat, ecx     sse2: mov dst, pat; shl/shr dst, cl
    if (level_ == SimdLevel::Avx2) {
        if (left_scan) shrx(dst, pat, phase);
        else shlx(dst, pat, phase);
    } else {
        mov(dst, pat);
        if (left_scan) shr(dst, cl);
        else shl(dst, cl);
    }
}

// From a non-zero cell[off], whose address is a multiple of the cell size, with a stride of
// 1..V bytes. Falls through with the pointer at the zero cell.
void ScanEmitter::emit_vector_scan(const Xbyak::Reg64& tape, std::int64_t off, std::int64_t step) {
    const bool left = step < 0;
    const std::uint32_t v = vector_bytes(level_);
    const auto t = static_cast<std::uint32_t>(left ? -step : step);
    const std::uint32_t drift = v % t;  // how far the phase moves back per vector
    if (level_ == SimdLevel::Avx2) uses_ymm_ = true;
    Xbyak::Label loop, found;

    // The first vector is the aligned one holding cell[off]; its phase is that cell's
    // distance from the leading edge, which may exceed T (cells before it are not tested).
    // lea base, cell[off]; mov phase, base32; [not phase;] and phase, V-1; and base, -V
    lea_cell(base, tape, off);
    mov(phase, base.cvt32());
    if (left) not_(phase);
    and_(phase, v - 1);
    and_(base, static_cast<std::uint32_t>(-static_cast<std::int32_t>(v)));
    // mov pattern, P; tested = pattern shifted by phase; zero the vector register
    mov(pattern, static_cast<std::uint32_t>(left ? every_from_top(t, v) : every(t, v)));
    shift_pattern(tested, pattern, left);
    if (level_ == SimdLevel::Avx2) vpxor(xmm0, xmm0, xmm0);
    else pxor(xmm0, xmm0);
    // compare [base]; and zeros, tested; jnz found
    compare_vector(zeros, base);
    and_(zeros, tested);
    jnz(found);

    // The next vector's phase: the first tested byte past this vector, found as the lowest
    // bit of (every T-th bit from the phase, over 64 bits) >> V. Below 64 as T <= V <= 32.
    // mov rsi, every_T_64; shl rsi, cl; shr rsi, V; bsf phase, rsi
    mov(rsi, every(t, 64));
    shl(rsi, cl);
    shr(rsi, static_cast<int>(v));
    bsf(rcx, rsi);
    if (drift == 0) shift_pattern(tested, pattern, left);  // the same for every vector

    // loop: add/sub base, V
    //   [tested = pattern shifted by phase; sub phase, drift; lea edi, [phase+T];
    //    cmovs phase, edi]   (only when the phase moves)
    //   compare [base]; and zeros, tested; jz loop
    L(loop);
    if (left) sub(base, v);
    else add(base, v);
    if (drift != 0) {
        shift_pattern(tested, pattern, left);
        sub(phase, drift);
        lea(edi, ptr[rcx + t]);
        cmovs(phase, edi);
    }
    compare_vector(zeros, base);
    and_(zeros, tested);
    jz(loop);

    // found: bsf/bsr eax, zeros; add rax, base; lea tape, [rax - off*size] [; vzeroupper]
    L(found);
    if (left) bsr(zeros, zeros);
    else bsf(zeros, zeros);
    add(rax, base);
    set_tape_from(tape, rax, off);
    if (level_ == SimdLevel::Avx2) vzeroupper();
}

}  // namespace jitbf::jit
