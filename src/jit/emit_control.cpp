// Loops and ifs: a test at the top that skips the body, a test at the bottom that repeats
// it, and ifs that run without a branch when their body allows it.
#include "emitter.hpp"

#include <cassert>
#include <cstring>
#include <limits>
#include <utility>

namespace jitbf::jit {

Emitter::Bracket& Emitter::open_bracket(std::size_t i) {
    Bracket& b = open_.emplace_back();
    b.moves = moving_[i] != 0;
    return b;
}

void Emitter::close_bracket() { open_.pop_back(); }

// A loop body starts on a 32-byte boundary (nops, run once per entry), as compilers place
// hot loops: how a loop sits across the front end's fetch blocks otherwise changes with any
// code before it (edigits.b ran 1.3x slower when an unrelated change moved its loop, on
// Zen 5; Impeccable.b 1.04x when one moved its hot code by 0x50 bytes, on an Intel Xeon).
// 32 rather than 16 bytes, on that Xeon: Counter.b 0.91x, mandelbrot 0.93x-0.97x,
// Impeccable 0.97x, dbfi 0.96x, the rest of the set within noise (7 interleaved runs).
void Emitter::align_loop_body() {
    constexpr std::size_t kLoopBodyAlign = 32;
    align(kLoopBodyAlign);
}

// cmp cell[off], 0 -- unless the previous op's flags already tell (then its touch of the
// same cell stands for this one's).
void Emitter::test_cell(std::int64_t off) {
    if (known_.zf_cell != off && !compare_cell_zero(off)) cmp(cell(off, rax), 0);
}

// Loops jump without xbyak labels. In the AutoGrow mode the emitter needs, xbyak keeps a
// list node for every forward jump to a label until the code is finished, and a table
// entry for every label that is open: about 100 bytes a loop, more than the IR costs. A
// loop's jumps are known places instead, patched when its end is reached; the bytes are
// those xbyak would emit (near forward jumps, backward ones short when they fit).

// je rel32 to a place not known yet; returns the offset just past it, for patch_forward().
std::size_t Emitter::je_forward() {
    db(0x0F);
    db(0x84);
    dd(0);
    return getSize();
}

// Points the forward jump that ends at `jump_end` here.
void Emitter::patch_forward(std::size_t jump_end) {
    const std::size_t disp = getSize() - jump_end;
    if (disp > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        throw Xbyak::Error(Xbyak::ERR_OFFSET_IS_TOO_BIG);
    rewrite(jump_end - 4, disp, 4);
}

// jne to the code offset `to`, before here: rel8 when it fits, else rel32.
void Emitter::jne_back(std::size_t to) {
    const std::int64_t disp = static_cast<std::int64_t>(to) - static_cast<std::int64_t>(getSize());
    if (disp - 2 >= std::numeric_limits<std::int8_t>::min()) {
        db(0x75);
        db(static_cast<int>(static_cast<std::uint8_t>(disp - 2)));
        return;
    }
    if (disp - 6 < std::numeric_limits<std::int32_t>::min())
        throw Xbyak::Error(Xbyak::ERR_OFFSET_IS_TOO_BIG);
    db(0x0F);
    db(0x85);
    dd(static_cast<std::uint32_t>(disp - 6));
}

void Emitter::L(Label& label) {
    // Code offsets are 32 bits in labels; rel32 limits jumps to 2 GB anyway.
    if (getSize() > std::numeric_limits<std::uint32_t>::max() - 16)
        throw Xbyak::Error(Xbyak::ERR_CODE_IS_TOO_BIG);
    assert(label.at_ == Label::kNone && "a label is placed once");
    label.at_ = static_cast<std::uint32_t>(getSize());
    if (label.pending_ == Label::kNone) return;
    for (std::uint32_t end = label.pending_; end != Label::kNone;) {
        std::uint32_t before;
        std::memcpy(&before, getCode() + end - 4, 4);
        patch_forward(end);
        end = before;
    }
    label.pending_ = Label::kNone;
    --unplaced_;
}

void Emitter::jump(Label& label, int cc) {
    if (label.at_ != Label::kNone) {
        // Backward: rel8 when it fits, else rel32 (jmp: EB/E9; jcc: 7x/0F 8x).
        const std::int64_t disp =
            static_cast<std::int64_t>(label.at_) - static_cast<std::int64_t>(getSize());
        if (disp - 2 >= std::numeric_limits<std::int8_t>::min()) {
            db(cc == kAlways ? 0xEB : 0x70 | cc);
            db(static_cast<int>(static_cast<std::uint8_t>(disp - 2)));
            return;
        }
        const std::int64_t size = cc == kAlways ? 5 : 6;
        if (disp - size < std::numeric_limits<std::int32_t>::min())
            throw Xbyak::Error(Xbyak::ERR_OFFSET_IS_TOO_BIG);
        if (cc != kAlways) db(0x0F);
        db(cc == kAlways ? 0xE9 : 0x80 | cc);
        dd(static_cast<std::uint32_t>(disp - size));
        return;
    }
    // Forward: rel32, its field holding the previous pending jump's end until L().
    if (getSize() > std::numeric_limits<std::uint32_t>::max() - 16)
        throw Xbyak::Error(Xbyak::ERR_CODE_IS_TOO_BIG);
    if (cc != kAlways) db(0x0F);
    db(cc == kAlways ? 0xE9 : 0x80 | cc);
    dd(label.pending_);
    if (label.pending_ == Label::kNone) ++unplaced_;
    label.pending_ = static_cast<std::uint32_t>(getSize());
}

std::size_t Emitter::emit_loop_begin(std::size_t i) {
    // cmp cell[off], 0; je end; body:
    const Instr& in = prog_.code[i];
    OpenLoop& b = loops_.emplace_back();
    b.moves = moving_[i] != 0;
    test_cell(in.off);
    b.exit = static_cast<std::uint32_t>(je_forward());
    align_loop_body();
    b.body = static_cast<std::uint32_t>(getSize());
    // (The LoopEnd's cell matters only if p moves: reading it is a cache miss a loop when
    // loops nest deep, 10% of compiling a million nested loops.)
    on_tape_ = b.moves ? tested_both_ways(in, prog_.code[static_cast<std::size_t>(in.arg)], true)
                       : CellSpan::of(in.off);
    return i + 1;
}

// What is on the tape where a loop's two tests meet (the body's start, the loop's end): the
// cell both test, or (hand-written IR may test two) the first test's if p stays put.
CellSpan Emitter::tested_both_ways(const Instr& begin, const Instr& end, bool moves) {
    if (begin.off == end.off) return CellSpan::of(begin.off);
    return moves ? CellSpan{} : CellSpan::of(begin.off);
}

void Emitter::emit_loop_end(const Instr& in) {
    // cmp cell[off], 0; jne body; end:
    // counting: cmp cell[off], 0; je end; dec budget; jnz body; jmp step_stub; end:
    const OpenLoop b = loops_.back();
    loops_.pop_back();
    test_cell(in.off);
    if (counting_) {
        const std::size_t step_exit = je_forward();
        dec(budget);
        jne_back(b.body);  // (jnz)
        jmp(error_stub(RunStatus::StepLimit));
        patch_forward(step_exit);
    } else {
        jne_back(b.body);
    }
    patch_forward(b.exit);
    on_tape_ = tested_both_ways(prog_.code[static_cast<std::size_t>(in.arg)], in, b.moves);
}

void Emitter::emit_if_begin(std::size_t i) {
    const Instr& in = prog_.code[i];
    Bracket& b = open_bracket(i);
    b.at_test = on_tape_;
    b.at_test.add(in.off);
    // (Not when profiling: the body's counter must run only when the body does.)
    if (const std::optional<CellSpan> cells =
            profiling_ ? std::nullopt : branch_free_cells(prog_, i, bits_)) {
        emit_branch_free_if(in, b, *cells);
    } else {
        // cmp cell[off], 0; je end   (the body, reached only from here, keeps `value`)
        test_cell(in.off);
        je(b.end);
        b.branches = true;
        next_.val_cell = known_.val_cell;
    }
    on_tape_ = b.at_test;
    // (thread_skip made sure this if branches, so it takes the skip it was promised.)
    assert(!skipping_ || b.branches);
    if (skipping_) {
        skips_.push_back(*skipping_);
        skipping_.reset();
        b.skipped = true;
    }
}

void Emitter::emit_if_end(const Instr&) {
    // end:   (or nothing: see thread_skip)
    Bracket& b = open_.back();
    if (b.branches && !b.skipped && thread_skip(index_)) {
        // Only the body's end reaches the next op: what it leaves stays known. (The label
        // moves to the next if, unplaced: the bracket that held it goes.)
        skipping_ = Skipped{b.end, b.at_test, b.moves};
        next_ = known_;
        close_bracket();
        return;
    }
    L(b.end);
    if (b.stub) {
        b.stub->body = b.body;
        b.stub->end = b.end;
    }
    // Both ways in left p where the test was unless the body moves it.
    on_tape_ = b.moves ? CellSpan{} : b.at_test;
    if (b.skipped) {
        // end of the if before: its skip, p where its test was
        Skipped& before = skips_.back();
        L(before.end);
        on_tape_ = b.moves || before.moves ? CellSpan{} : before.at_test;
        skips_.pop_back();
    }
    close_bracket();
}

// Jump threading. `if [a] {...}; if [b] {...}`: where the first if is skipped, b is 0 if it
// is a itself or was set to 0 just before the first if, and then the second if would not
// run either: the first one's skip jumps past it, so that path makes one test instead of
// two (the corpus's collatz.b, `[-]<[+[->>>>]>+<]>[...]`: a flag cleared, a digit tested,
// the flag tested), and the body's end, now the only way into the second test, hands it its
// flags (an `add` of b just before needs no `cmp`). Not when profiling (each op's count is
// taken where it runs) nor into an if that branch-free code or a region emits otherwise.
bool Emitter::thread_skip(std::size_t end) const {
    const std::size_t next = end + 1;
    if (profiling_ || next >= prog_.code.size()) return false;
    const Instr& second = prog_.code[next];
    if (second.op != Op::IfBegin) return false;
    if (!in_memory_ && region_ && region_->begin == next) return false;
    if (branch_free_cells(prog_, next, bits_)) return false;
    const auto begin = static_cast<std::size_t>(prog_.code[end].arg);
    return prog_.code[begin].off == second.off || zero_before(begin, second.off);
}

// Is `cell` set to 0 by the straight-line ops just before op `at` (and not changed after)?
bool Emitter::zero_before(std::size_t at, std::int64_t cell) const {
    constexpr std::size_t kLookBack = 16;  // bounds the walk: a compile stays linear
    for (std::size_t k = at; k-- > 0 && at - k <= kLookBack;) {
        const Instr& in = prog_.code[k];
        if (in.op == Op::Check) continue;
        if (in.op != Op::Add && in.op != Op::Set && in.op != Op::MulAdd) return false;
        if (in.off == cell) return in.op == Op::Set && wrapped(in.arg) == 0;
    }
    return false;
}

// If-conversion. A branch on a cell that holds 0 or not at random (a digit of mandelbrot's
// numbers) mispredicts often; a body that does nothing when the cell is 0 can run either way
// instead (see branch_free_cells). Running it when the cell is 0 touches cells the program
// would not, which must not fault: that is checked first, against the tape's ends, for the
// cells not already known on the tape (a predictable branch), and off the tape an
// out-of-line stub makes the if's original test.
void Emitter::emit_branch_free_if(const Instr& in, Bracket& b, const CellSpan& cells) {
    // [lea rax, cell[lowest]; cmp rax, [ctx.tape_begin]; jb stub]
    // [lea rax, cell[highest]; cmp rax, [ctx.tape_end]; jae stub]
    // body: (the ops of the body follow)
    // stub: cmp cell[off], 0; jne body; jmp end      (out of line)
    // Known before the test, not counting the tested cell: the body may touch it first.
    if (unchecked(cells, on_tape_)) {
        b.stub = &if_stubs_.emplace_back(IfStub{{}, {}, {}, in.off, index_});
        check_on_tape(cells, on_tape_, b.stub->at);
    }
    L(b.body);
}

}  // namespace jitbf::jit
