// Scans (`while (cell[off] != 0) p += stride`) in machine code.
//
// Scan code: the first four cells tested one by one, then vectors of cells tested against a
// stride mask, then the scalar loop again for the last cells before an end of the tape.
//
// Each vector starts at the next cell to test (scanning left: ends with it) and holds
// m = (V - cell size) / T + 1 tested cells, T being the stride in bytes: pcmpeq/pmovmskb
// give one bit per byte, set for every byte of a zero cell, and a constant pattern of the
// tested cells' first bytes keeps only those; the lowest (scanning right) or highest (left)
// remaining bit is the cell to stop at, else the next vector starts m*T bytes on. Vectors
// start where the scan is, not on alignment boundaries, so the pattern never changes: an
// aligned layout would need the stride's phase tracked from vector to vector, which
// measured about three times slower per vector for strides that do not divide V. Strides
// that divide V (powers of two) test the same bytes of every aligned vector: after the
// first vector those go on with aligned ones, which measured up to a third faster, never
// straddling cache lines.
//
// The stopping cell within the vector that holds the zero: bsf of the mask gives it without a
// branch, but then the pointer, which the next ops address cells with, waits on the load,
// compare, pmovmskb and bsf (some 16 cycles), and the scans of real programs are mostly short
// and followed at once by work at the cell found. For strides of kBranchStride (9) bytes or
// more that do not divide V (4 cells a vector at most), the first vector and the first
// kNearChunks chunks instead find it by testing the vector's cells in turn: the pointer
// follows predicted branches. The loop after them keeps bsf: a long scan's stopping cell is
// rarely predictable, and its time is in the loop anyway. Measured (user time, medians of 7
// runs interleaved with the bsf-only code): mandelbrot.b, whose 24.5M scans [>>>>>>>>>] and
// [<<<<<<<<<] mostly stop after 16 to 32 steps, 8.5% faster with AVX2 (2-6% with SSE2);
// synthetic stride-9 scans of 4 to 64 steps, random or fixed, 15 to 45% less time per scan,
// and 10 to 50% at strides 10, 12 and 15. Narrower strides, with 5 to 11 cells a vector,
// gained as much when the stopping cell was predictable but lost up to 50% when it was random
// among 4 to 15 steps (a longer chain of tests, mispredicted): they keep bsf. Resolving every
// vector by branches (no bsf at all) gained only 4-7% on mandelbrot and lost 5-8% on the
// generated scan workload (long scans whose stopping cell cycles: a mispredict per scan); 0, 1
// and 2 near chunks gave 4%, 6% and 8.5% (3, no clear further gain). The loop is 32-byte
// aligned: after the near chunks its speed on long scans varied by 5-10% with the code before
// it. collatz.b and dbfi.b, whose strides divide V, run the same code as before. The cost is
// code: 250 bytes more per stride-9 scan, which made compiling mandelbrot.b about 20% slower
// (1.5 to 1.85 ms; the run saves 40 ms).
//
// A branch-free block was tried first and dropped: 9 AVX2 vectors (exactly 32 cells at
// stride 9) compared whole, their masks gathered by pext into one bit per cell, one bsf and
// one branch per block, so no mispredict where the scan ends. It measured 15% slower on
// mandelbrot and 12 to 33% slower per scan on synthetic stride-9 scans of 16 to 32 steps,
// even random ones: its 50-odd instructions and longer path from load to pointer cost more
// than the mispredicts it saves, which the CPU has far fewer of on mandelbrot than a gshare
// model predicts (about one per scan).
//
// Vectors may reach past cells the scan would never touch (unaligned ones past the end of
// the tape), so they are loaded only when they lie wholly on the tape, as checked against a
// bound in a register for the first vector, then once per chunk of kChunk; closer to the end
// the scalar loop finishes the scan. Vector loads therefore never fault: an off-tape touch is
// always a scalar one, in a guard page, reported at this op by the fault handler like any
// other, and no fault leaves the upper halves of the ymm registers dirty (every way out of
// the vector code goes through vzeroupper; the cells tested in turn before it lie in a vector
// already loaded, so on the tape).
//
// Strides too wide for two cells per vector (over V - cell size bytes) use the scalar loop
// unrolled four times instead: one cell per vector is no faster than a scalar test, and
// AVX2 gathers of eight cells measured no faster than the unrolled loop at 33 to 48 bytes
// and twice as slow at 64 (on a Sapphire Rapids; gathers are slower still on CPUs with the
// GDS microcode mitigation). JITBF_SIMD=scalar keeps the plain loop for every stride.
#include "emitter.hpp"

#include <cassert>
#include <cstddef>
#include <vector>

#include <xbyak/xbyak_util.h>

namespace jitbf::jit {

namespace {

// Vectors tested between two checks that the next ones are on the tape.
constexpr std::uint32_t kChunk = 4;
// Cells tested one by one before the vector code, and per iteration of the unrolled loop.
// The vector code's pointer depends on data (the bit found in the mask) where the scalar
// steps' follows predicted branches, and its first load, wider than a cell, cannot take
// its bytes from stores of cells still in the store buffer: it waits until they reach the
// cache. Counter.b's scans run 0, 1, 2... cells with probability 1/2, 1/4, 1/8... over
// cells it has just written; entering vectors after 0 or 1 scalar cells cost it about 7 ns
// per vector entry (1.65 s and 0.96 s instead of 0.62 s; the samples on the instruction after
// the first vector load). 5 or 7 scalar cells made Counter.b and the corpus's collatz.b 5-8%
// faster than 3, but dbfi.b, whose scans run 16 to over 64 cells, 4-8% slower.
constexpr int kFirstSteps = 3;
constexpr int kUnroll = 4;
// Chunks before the loop whose zero is located by branches rather than bsf (see the header
// comment), and the alignment of the loop after them.
constexpr std::uint32_t kNearChunks = 2;
// The narrowest stride, in bytes, whose zero is located by branches near the start.
constexpr std::uint32_t kBranchStride = 9;
constexpr std::size_t kLoopAlign = 32;

std::uint32_t vector_bytes(SimdLevel level) {
    switch (level) {
    case SimdLevel::Scalar: return 0;
    case SimdLevel::Sse2: return 16;
    case SimdLevel::Avx2: return 32;
    }
    return 0;
}

}  // namespace

// tape = addr - off*size: the cell pointer that puts cell[off] at `addr`.
void Emitter::set_tape_from(const Xbyak::Reg64& addr, std::int64_t off) {
    lea_cell(tape, addr, -off);
}

// --- scans --------------------------------------------------------------------------------

void Emitter::emit_scan(const Instr& in) {
    on_tape_ = CellSpan::of(in.off);  // where it stops
    // Vectorised when every touch off the tape hits the guard; a stride wider than the guard
    // could jump over it, and gets explicit checks instead.
    if ((in.arg < 0 ? -in.arg : in.arg) > guard_reach_cells(bits_))
        emit_checked_scan(in);
    else
        emit_guarded_scan(in.off, in.arg, known_.zf_cell == in.off);
}

// Does the code of a scan this many bytes a step align a loop (so depend on its offset)?
bool Emitter::scan_aligns_loop(std::uint32_t distance) const {
    const std::uint32_t v = vector_bytes(simd_);
    return v != 0 && cells_per_vector(distance) >= 2 && v % distance != 0 &&
           distance >= kBranchStride;
}

// What the code of a scan this many bytes a step depends on of where it is emitted: the
// offset modulo the alignment of its loop, if it aligns one, else nothing (0).
std::uint32_t Emitter::scan_phase(std::uint32_t distance) const {
    return scan_aligns_loop(distance) ? static_cast<std::uint32_t>(getSize() % kLoopAlign) : 0;
}

void Emitter::emit_scan_code(std::int64_t off, std::int64_t stride, bool flagged) {
    // [cmp cell[off], 0;] je done   (many scans stop at once: keep that path short; the op
    // before may have left the flags of the cell, a Check's load or an Add's result)
    const std::int64_t step = stride * cell_size_;
    const auto distance = static_cast<std::uint32_t>(step < 0 ? -step : step);
    Label done;
    if (!flagged) cmp(cell(off, rcx), 0);
    je(done);
    const std::uint32_t v = vector_bytes(simd_);
    if (v != 0 && cells_per_vector(distance) >= 2) {
        // The next kFirstSteps cells scalar (see kFirstSteps), then vectors from the last:
        // lea rdx, cell[off + kFirstSteps*stride]   (the vector code's first cell, from the
        // pointer before the steps, so that its loads do not wait on their chain of adds)
        lea_cell(rdx, tape, off + kFirstSteps * stride);
        emit_steps(off, step, kFirstSteps, done);
        emit_vector_scan(off, step, done);
    } else if (v != 0) {
        // again: the next kUnroll cells; again
        Label again;
        L(again);
        emit_unrolled_steps(off, stride, kUnroll, again, done);
    } else {
        emit_scalar_steps(off, step, done);
    }
    L(done);
}

// How many cells T bytes apart a vector holds, the first at its start.
std::uint32_t Emitter::cells_per_vector(std::uint32_t distance) const {
    const std::uint32_t v = vector_bytes(simd_);
    return (v - static_cast<std::uint32_t>(cell_size_)) / distance + 1;
}

// Registers by role in a vector scan.
namespace {
const Xbyak::Reg64 next = Xbyak::util::rdx;    // the next cell to test, or its vector
const Xbyak::Reg64 bound = Xbyak::util::rsi;   // the last `next` whose chunk is on the tape
const Xbyak::Reg32 zeros = Xbyak::util::eax;   // bytes of zero cells (then: zero and tested)
const Xbyak::Reg32 shift = Xbyak::util::ecx;   // aligned: the phase, as a pattern shift
const Xbyak::Reg32 tested = Xbyak::util::r8d;  // aligned: tested bytes of the vector
}  // namespace

// tested = pattern << shift (scanning right) or >> shift (left).
void Emitter::shift_pattern(std::uint32_t pattern, bool left) {
    // mov tested, pattern; avx2: shlx/shrx tested, tested, ecx; sse2: shl/shr tested, cl
    mov(tested, pattern);
    if (simd_ == SimdLevel::Avx2) {
        if (left)
            shrx(tested, tested, shift);
        else
            shlx(tested, tested, shift);
    } else {
        if (left)
            shr(tested, cl);
        else
            shl(tested, cl);
    }
}

// From cell[off], known non-zero and already in rdx (`next`), with a stride of `step` bytes
// that fits two cells or more in a vector. Ends at `done` with the pointer at the zero cell.
void Emitter::emit_vector_scan(std::int64_t off, std::int64_t step, Label& done) {
    const bool left = step < 0;
    const std::uint32_t v = vector_bytes(simd_);
    const auto w = static_cast<std::uint32_t>(cell_size_);
    const auto t = static_cast<std::uint32_t>(left ? -step : step);
    const std::uint32_t m = cells_per_vector(t);
    // A stride dividing V (a power of two) tests the same bytes in every aligned vector:
    // after the first vector, such scans go on with aligned ones, which never straddle cache
    // lines and measured up to a third faster.
    const bool aligned = v % t == 0;
    // Tested bytes of a vector starting at `next` scanning right, or ending with the cell at
    // `next` scanning left (then starting V - w bytes lower): the first vector's, and every
    // vector's unless aligned (then shifted by the phase, in `tested`).
    std::uint32_t pattern = 0;
    for (std::uint32_t i = 0; i < m; ++i) pattern |= 1u << (left ? v - w - i * t : i * t);
    const std::int32_t first_start = left ? -static_cast<std::int32_t>(v - w) : 0;
    const std::int32_t start = aligned ? 0 : first_start;  // of later vectors, from `next`
    const std::uint32_t advance = aligned ? v : m * t;
    const std::uint32_t reach = (kChunk - 1) * advance;  // from a chunk's first vector to last
    Label entry, loop, found_first, found, tail, tail_at_cell;
    // Strides that divide V (collatz.b's 4, dbfi.b's 1 and 2) keep bsf everywhere: their
    // aligned vectors' cells move with the phase, and their code stays as it was measured.
    // Narrow ones too (see the header comment).
    const bool by_branches = !aligned && t >= kBranchStride;
    assert(by_branches == scan_aligns_loop(t) && "the key of emit_guarded_scan's copies");
    Label found_near;
    // Near the start, the zero's cell is found by testing the vector's cells in turn: the
    // pointer then follows predicted branches instead of waiting on the vector's load,
    // compare and bsf (see the header comment). The cells are in the vector, so on the tape.
    // Laid out before the vector code, exits first, so that every jump to it goes back:
    // xbyak keeps a hash table entry for every jump to a label not yet placed, and with
    // forward jumps here compiling mandelbrot.b took 2.05 ms instead of 1.85 (1.5 without).
    // jmp entry
    // exit: [vzeroupper;] jmp done
    // at<k>: lea tape, [next ± k*T - off*size]; jmp exit      (k < m-1)
    // found_near: cmp cell at next, 0; je at0
    // found_first: cmp cell at next ± T, 0; je at1; ... the same up to cell m-2
    // at<m-1>: lea tape, [next ± (m-1)*T - off*size]; jmp exit
    // (The first vector's cell at next is the last one the scalar steps tested: not zero.)
    if (by_branches) {
        auto cell_k = [&](std::uint32_t k) {
            const auto d = static_cast<std::int64_t>(k) * t;
            return left ? -d : d;
        };
        Label exit;
        jmp(entry);
        L(exit);
        if (simd_ == SimdLevel::Avx2) vzeroupper();
        jmp(done);
        auto land = [&](std::uint32_t k) {
            const std::int64_t to_tape = cell_k(k) - off * cell_size_;
            if (fits_int32(to_tape)) {
                lea(tape, ptr[next + static_cast<std::size_t>(to_tape)]);
            } else {
                lea(rax, ptr[next + static_cast<std::size_t>(cell_k(k))]);
                set_tape_from(rax, off);
            }
            jmp(exit);
        };
        std::vector<Label> at(m - 1);
        for (std::uint32_t k = 0; k + 1 < m; ++k) {
            L(at[k]);
            land(k);
        }
        for (std::uint32_t k = 0; k + 1 < m; ++k) {
            if (k == 0) L(found_near);
            if (k == 1) L(found_first);
            cmp(cell_ptr_[next + static_cast<std::size_t>(cell_k(k))], 0);
            je(at[k]);
        }
        if (m == 2) L(found_first);
        land(m - 1);
    }

    L(entry);
    // bound = the last `next` from which `span` bytes of vectors stay on the tape:
    // right: mov bound, [ctx.tape_end]; sub bound, span
    // left: mov bound, [ctx.tape_begin]; add bound, span - V   (for the lowest vector)
    auto load_bound = [&](std::uint32_t span, std::int32_t lowest_start) {
        if (left) {
            mov(bound, qword[ctx + offsetof(RunContext, tape_begin)]);
            add(bound,
                static_cast<std::uint32_t>(static_cast<std::int32_t>(span - v) - lowest_start));
        } else {
            mov(bound, qword[ctx + offsetof(RunContext, tape_end)]);
            sub(bound, span);
        }
    };
    auto exit_if_beyond = [&](Label& to) {
        cmp(next, bound);
        if (left)
            jb(to);
        else
            ja(to);
    };
    auto move_next = [&](std::uint32_t bytes) {
        if (left)
            sub(next, bytes);
        else
            add(next, bytes);
    };

    // The first vector, from the starting cell at next (often the only one: keep it short):
    // zero ymm0/xmm0; bound for one vector; cmp next, bound; ja/jb tail
    // compare [next + first start]; and zeros, pattern; jnz found_first
    if (simd_ == SimdLevel::Avx2)
        vpxor(xmm0, xmm0, xmm0);
    else
        pxor(xmm0, xmm0);
    load_bound(v, first_start);
    exit_if_beyond(tail_at_cell);
    compare_vector(zeros, ptr[next + static_cast<std::size_t>(first_start)]);
    and_(zeros, pattern);
    jnz(found_first);

    if (aligned) {
        // The phase of the cells in aligned vectors (their address modulo T), as a shift of
        // the pattern, then the next aligned vector that is not wholly behind the first:
        // right: mov shift, next32; and shift, T-1; and next, -V; add next, V
        // left: lea shift, [next + w]; neg shift; and shift, T-1; and next, -V; sub next, V
        // tested = pattern shifted
        if (left) {
            lea(shift, ptr[next + w]);
            neg(shift);
        } else {
            mov(shift, next.cvt32());
        }
        and_(shift, t - 1);
        and_(next, static_cast<std::uint32_t>(-static_cast<std::int32_t>(v)));
        shift_pattern(pattern, left);
    }
    move_next(advance);

    // Chunks of kChunk vectors between checks of the bound (a check per vector costs a
    // branch per vector, measured nearly half the loop's time); unaligned strides first run
    // kNearChunks of them out of the loop, their zero found by branches (found_near), then
    // the loop, aligned (see the header comment):
    // bound for a chunk; cmp next, bound; ja/jb tail
    // [kNearChunks times: kChunk times: compare [next + start]; and zeros, pattern
    //                                   jnz found_near; add/sub next, advance
    //                     cmp next, bound; ja/jb tail]
    // loop: kChunk times: compare [next + start]; and zeros, tested bytes; jnz found
    //                     add/sub next, advance
    //   cmp next, bound; jbe/jae loop
    auto chunk = [&](Label& to) {
        for (std::uint32_t i = 0; i < kChunk; ++i) {
            compare_vector(zeros, ptr[next + static_cast<std::size_t>(start)]);
            if (aligned)
                and_(zeros, tested);
            else
                and_(zeros, pattern);
            jnz(to);
            move_next(advance);
        }
    };
    load_bound(reach + v, start);
    exit_if_beyond(tail);
    if (by_branches) {
        for (std::uint32_t c = 0; c < kNearChunks; ++c) {
            chunk(found_near);
            exit_if_beyond(tail);
        }
        align(kLoopAlign);
    }
    // The loop takes one mask per chunk, of its vectors' zero lanes or'ed together (resolve
    // finds the vector): a mask, test and branch per vector measured twice the time per cell
    // of this on long scans (kolakoski.b's stride-16 records, from the L2 cache).
    // loop: kChunk times: zero lanes of [next + start ± i*advance] -> v1..v4
    //   v5 = v1 | v2 | v3 | v4; zeros = mask of v5; and zeros, tested bytes; jnz resolve
    //   add/sub next, kChunk*advance; cmp next, bound; jbe/jae loop
    static_assert(kChunk == 4, "the loop's registers are v1..v6");
    Label resolve;
    L(loop);
    for (std::uint32_t i = 0; i < kChunk; ++i) {
        const std::int64_t at = start + (left ? -1 : 1) * static_cast<std::int64_t>(i * advance);
        zero_lanes(static_cast<int>(i) + 1, ptr[next + static_cast<std::size_t>(at)]);
    }
    if (simd_ == SimdLevel::Avx2) {
        vpor(ymm5, ymm1, ymm2);
        vpor(ymm6, ymm3, ymm4);
        vpor(ymm5, ymm5, ymm6);
    } else {
        movdqa(xmm5, xmm1);
        por(xmm5, xmm2);
        movdqa(xmm6, xmm3);
        por(xmm6, xmm4);
        por(xmm5, xmm6);
    }
    lane_mask(zeros, 5);
    if (aligned)
        and_(zeros, tested);
    else
        and_(zeros, pattern);
    jnz(resolve);
    move_next(kChunk * advance);
    cmp(next, bound);
    if (left)
        jae(loop);
    else
        jbe(loop);

    // tail: [aligned: next = the first tested cell of the vector at next]
    //   right: add next, rcx    left: lea next, [next + V-w]; sub next, rcx
    // tail_at_cell: [vzeroupper;] tape = next - off*size; cmp cell[off], 0; je done; scalar
    L(tail);
    if (aligned && left) {
        lea(next, ptr[next + (v - w)]);
        sub(next, rcx);
    } else if (aligned) {
        add(next, rcx);
    }
    L(tail_at_cell);
    if (simd_ == SimdLevel::Avx2) vzeroupper();
    set_tape_from(next, off);
    cmp(cell(off, rcx), 0);
    je(done);
    emit_scalar_steps(off, step, done);

    // resolve: the chunk's first vector with a zero lane, at next (one of them has one):
    // kChunk-1 times: zeros = mask of v<i>; and zeros, tested bytes; jnz found; add/sub next
    // zeros = mask of v<kChunk>; and zeros, tested bytes; jmp found
    L(resolve);
    for (std::uint32_t i = 0; i < kChunk; ++i) {
        lane_mask(zeros, static_cast<int>(i) + 1);
        if (aligned)
            and_(zeros, tested);
        else
            and_(zeros, pattern);
        if (i + 1 == kChunk) break;
        jnz(found);
        move_next(advance);
    }
    jmp(found);

    // The loop's zero, and every zero of a stride dividing V:
    // found_first: [aligned, left: sub next, V-w  (so found's start, 0, applies)]
    // found: [vzeroupper;] bsf/bsr eax, zeros; lea rax, [rax + next + start]
    //   tape = rax - off*size
    if (!by_branches) {
        L(found_first);
        if (start != first_start) sub(next, static_cast<std::uint32_t>(start - first_start));
    }
    L(found);
    if (simd_ == SimdLevel::Avx2) vzeroupper();
    if (left)
        bsr(zeros, zeros);
    else
        bsf(zeros, zeros);
    lea(rax, ptr[rax + next + static_cast<std::size_t>(start)]);
    set_tape_from(rax, off);
}

}  // namespace jitbf::jit
