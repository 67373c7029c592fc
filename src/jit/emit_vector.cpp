// The vector compares of the scans (emit_scan.cpp), at each SIMD level: AVX2 on ymm registers
// with VEX forms, SSE2 on xmm with the two-operand ones. Apart from the scans' control flow so
// that each stays short.
#include "emitter.hpp"

namespace jitbf::jit {

// Vector register `dst` (ymm with AVX2, else xmm) = all ones in the cells of the vector at
// `at` that are zero.
void Emitter::zero_lanes(int dst, const Xbyak::Address& at) {
    // avx2: vpcmpeq{b,w,d} ymm<dst>, ymm0, [at]   (ymm0 = 0)
    // sse2: movdqu xmm<dst>, [at]; pcmpeq{b,w,d} xmm<dst>, xmm0
    if (simd_ == SimdLevel::Avx2) {
        const Xbyak::Ymm y(dst);
        if (cell_size_ == 1)
            vpcmpeqb(y, ymm0, at);
        else if (cell_size_ == 2)
            vpcmpeqw(y, ymm0, at);
        else
            vpcmpeqd(y, ymm0, at);
    } else {
        const Xbyak::Xmm x(dst);
        movdqu(x, at);
        if (cell_size_ == 1)
            pcmpeqb(x, xmm0);
        else if (cell_size_ == 2)
            pcmpeqw(x, xmm0);
        else
            pcmpeqd(x, xmm0);
    }
}

// mask = one bit per byte of vector register `src`'s top bits.
void Emitter::lane_mask(const Xbyak::Reg32& mask, int src) {
    if (simd_ == SimdLevel::Avx2)
        vpmovmskb(mask, Xbyak::Ymm(src));
    else
        pmovmskb(mask, Xbyak::Xmm(src));
}

// zeros = one bit per byte of the vector at `at`, set where the cell is zero.
void Emitter::compare_vector(const Xbyak::Reg32& mask, const Xbyak::Address& at) {
    zero_lanes(1, at);
    lane_mask(mask, 1);
}

}  // namespace jitbf::jit
