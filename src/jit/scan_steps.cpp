// The scalar parts of scans: the loop of a scan whose stride may jump over the guard (every
// cell checked against the tape's ends), and the steps the guarded scans of emit_scan.cpp
// take one cell at a time (their first cells, and the loop of strides too wide for vectors).
// Apart from the vector code, which is most of a scan's emitter and has a file of its own.
#include <vector>

#include "emitter.hpp"

namespace jitbf::jit {

// The scalar loop, every tested cell's address checked explicitly first:
// test = lea rcx, cell[off]; check rcx; cmp [rcx], 0
// test; je done; again: lea tape, [tape+stride*size]; test; jne again; done:
void Emitter::emit_checked_scan(const Instr& in) {
    Label again, done;
    auto test = [&] {
        lea_cell(rcx, tape, in.off);
        check_bounds(rcx);
        cmp(cell_ptr_[rcx], 0);
    };
    test();
    je(done);
    L(again);
    advance_tape(in.arg * cell_size_);
    test();
    jne(again);
    L(done);
}

// The scalar loop after a non-zero cell[off]: step, test, repeat; it ends at `done`.
void Emitter::emit_scalar_steps(std::int64_t off, std::int64_t step, Label& done) {
    // again: add tape, step; cmp cell[off], 0; jne again; jmp done
    Label again;
    L(again);
    add(tape, static_cast<std::uint32_t>(static_cast<std::int32_t>(step)));
    cmp(cell(off, rcx), 0);
    jne(again);
    jmp(done);
}

// The next `count` cells after a non-zero cell[off], each stepped to and tested, a zero
// ending the scan at `done` with the pointer already there: one taken branch wherever the
// scan stops (tests of cells at fixed offsets need a step of its own at each exit, through
// a second jump). Cells are touched in order, as one by one, so a fault is the same cell's.
void Emitter::emit_steps(std::int64_t off, std::int64_t step, int count, Label& done) {
    // count times: lea tape, [tape+step]; cmp cell[off], 0; je done
    for (int i = 0; i < count; ++i) {
        advance_tape(step);
        cmp(cell(off, rcx), 0);
        je(done);
    }
}

// The next `count` cells after a non-zero cell[off], tested with branches taken only at
// a zero (which ends the scan at `done`), then a step over them all to `then`: the loop of
// strides too wide for vectors, whose loads, at fixed offsets, do not wait on one another
// as stepped ones do (long scans), at the cost of a second jump at the exit. Cells are
// touched in order, as one by one, so a fault is the same cell's.
void Emitter::emit_unrolled_steps(std::int64_t off, std::int64_t stride, int count, Label& then,
                                  Label& done) {
    // cmp cell[off+stride], 0; je at1; ... cmp cell[off+count*stride], 0; je at<count>
    // add tape, count*step; jmp then
    // at<i>: add tape, i*step; jmp done
    // (A few steps of a guarded stride stay well within 32 bits.)
    auto step_by = [&](std::int64_t cells) {
        add(tape, static_cast<std::uint32_t>(static_cast<std::int32_t>(cells * cell_size_)));
    };
    std::vector<Label> at(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        cmp(cell(off + (i + 1) * stride, rcx), 0);
        je(at[static_cast<std::size_t>(i)]);
    }
    step_by(count * stride);
    jmp(then);
    for (int i = 0; i < count; ++i) {
        L(at[static_cast<std::size_t>(i)]);
        step_by((i + 1) * stride);
        jmp(done);
    }
}

}  // namespace jitbf::jit
