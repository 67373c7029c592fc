// The x86-64 code generator: one emit_<op> per IR op, each a few instructions.
//
// Register roles are fixed for the whole function (see Emitter's members): the cell
// pointer and the context live in callee-saved registers, so the trampoline calls keep
// them, and nothing else needs to survive a fault, so the fault handler can resume at a
// single exit stub from any op. Within straight-line code the emitter remembers a little
// (which cell the flags describe, which cell ecx holds) to skip redundant loads and tests.
// Loops test at the bottom: one conditional branch per iteration. A loop that stays in
// place keeps its cells in registers for as long as it runs (emit_register_loop). Error paths that
// the code itself detects (explicit bounds checks, the step budget) jump to small stubs emitted
// after the epilogue, out of the hot path.
//
// Code is emitted with xbyak in AutoGrow mode into heap memory that is never executable
// (HeapAllocator turns xbyak's own mprotect calls off); JitProgram copies it into its
// read+execute mapping. AutoGrow forbids absolute addresses of labels, which keeps the code
// position-independent: calls go through a register, jumps are relative.
#include "codegen.hpp"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <xbyak/xbyak.h>

#include "context.hpp"
#include "emit_scan.hpp"
#include "jitbf/runtime.hpp"

namespace jitbf::jit {

namespace {

// xbyak's default allocation (aligned heap memory) without its mprotect calls: the buffer
// is only ever written and read, and executed after the copy into a CodeBuffer.
class HeapAllocator final : public Xbyak::Allocator {
public:
    bool useProtect() const override { return false; }
};

HeapAllocator heap_allocator;

bool fits_int32(std::int64_t v) {
    return v >= std::numeric_limits<std::int32_t>::min() &&
           v <= std::numeric_limits<std::int32_t>::max();
}

class Emitter : public ScanEmitter {
public:
    Emitter(const Program& prog, const Options& opts)
        : ScanEmitter(4096, &heap_allocator, opts.cell_bits / 8, scan_simd_level()),
          prog_(prog),
          bits_(opts.cell_bits),
          cell_size_(opts.cell_bits / 8),
          counting_(opts.step_limit != 0),
          cell_ptr_(opts.cell_bits == 8    ? byte
                    : opts.cell_bits == 16 ? word
                                           : dword) {
        // Forward jumps cross whole loop bodies: always rel32. Backward ones still get
        // rel8 when they fit, as xbyak knows the distance.
        setDefaultJmpNEAR(true);
    }

    GeneratedCode run() {
        out_.ops.reserve(prog_.code.size());
        emit_prologue();
        for (std::size_t i = 0; i < prog_.code.size(); ++i) {
            const Instr& in = prog_.code[i];
            index_ = static_cast<std::uint32_t>(i);
            if (open_.empty() && if_stubs_.size() >= kStubBatch) place_if_stubs();
            if (touches_cell(in.op)) note_touch();
            emit(in);
            if (touches_cell(in.op)) note_touched(in);
            if (resume_at_) i = *std::exchange(resume_at_, std::nullopt) - 1;
        }
        emit_epilogue();
        out_.fault_exit = getSize();
        emit_fault_exit();
        emit_error_stubs();
        emit_if_stubs();
        ready();  // AutoGrow: resolves the jumps; no mprotect (HeapAllocator)
        out_.bytes.assign(getCode(), getCode() + getSize());
        return std::move(out_);
    }

private:
    // Registers by role. All three are callee-saved, so they survive trampoline calls.
    const Xbyak::Reg64 tape = rbx;    // address of cell p (the current cell)
    const Xbyak::Reg64 ctx = r12;     // RunContext*
    const Xbyak::Reg64 budget = r13;  // back-edges left before StepLimit (with a limit only)
    // Scratch: rax, rcx, rdx (and the argument registers around calls). Only what Known
    // records survives from one op to the next; a loop on registers holds its cells in the
    // other caller-saved ones while it runs (see RegisterLoop).

    // The cells known to be on the tape, as a range of offsets from the current p: the tape
    // is contiguous, so every cell between two touched ones is on it. Straight-line only,
    // like Known, but it survives calls (they do not move p).
    struct OnTape {
        std::optional<std::int64_t> lo, hi;
        void add(std::int64_t off) {
            lo = lo ? std::min(*lo, off) : off;
            hi = hi ? std::max(*hi, off) : off;
        }
        bool covers(std::int64_t off) const { return lo && *lo <= off && off <= *hi; }
        void shift(std::int64_t cells) {  // p += cells
            if (lo) *lo -= cells, *hi -= cells;
        }
        static OnTape only(std::int64_t off) {
            OnTape t;
            t.add(off);
            return t;
        }
    };

    // The out-of-line test of a branch-free if whose cells are not all known on the tape.
    struct IfStub {
        Xbyak::Label at;
        Xbyak::Label body, end;  // copies of the if's, once both are defined
        std::int64_t cell;
        std::uint32_t op;
    };
    struct Bracket {
        Xbyak::Label body;       // first op of a loop body; a branch-free if's body
        Xbyak::Label end;        // just after the LoopEnd / at the IfEnd
        OnTape at_test;          // an if's: what is on the tape where its cell was tested
        bool moves = false;      // does p change inside (a Move or Scan, at any depth)?
        IfStub* stub = nullptr;  // a branch-free if's, when it has one
    };
    struct Stub {
        Xbyak::Label at;
        RunStatus status;
        std::uint32_t op;
    };
    // Register contents an op leaves for the next one, by cell offset (p unchanged):
    // straight-line only, as every label or call ends it.
    struct Known {
        std::optional<std::int64_t> zf_cell;   // ZF is set iff this cell is zero
        std::optional<std::int64_t> ecx_cell;  // ecx holds this cell, zero-extended
    };

    // Faults from here on are the op's being emitted.
    void note_touch() { out_.ops.push_back({static_cast<std::uint32_t>(getSize()), index_}); }

    // Its cells are on the tape once an op that touches them has run.
    void note_touched(const Instr& in) {
        on_tape_.add(in.off);
        if (in.op == Op::MulAdd) on_tape_.add(in.src);
    }

    // p changes at run time by an amount the emitter does not follow (a Move is followed).
    void note_moved() {
        if (!open_.empty()) open_.back().moves = true;
    }

    void emit(const Instr& in) {
        // What the previous op left in registers is only good for this op; each emit_
        // that leaves something useful says so again.
        known_ = std::exchange(next_, Known{});
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
        case Op::LoopBegin: emit_loop_begin(in); break;
        case Op::LoopEnd: emit_loop_end(in); break;
        case Op::IfBegin: emit_if_begin(in); break;
        case Op::IfEnd: emit_if_end(in); break;
        }
    }

    // --- operands ---------------------------------------------------------------------

    // [tape + off*size] as an operand of the given size. An offset too large for a 32-bit
    // displacement goes through `scratch` instead (mov scratch, imm64; add scratch, tape).
    Xbyak::Address cell_as(const Xbyak::AddressFrame& size, std::int64_t off,
                           const Xbyak::Reg64& scratch) {
        const std::int64_t disp = off * cell_size_;
        if (fits_int32(disp)) return size[tape + static_cast<std::size_t>(disp)];
        mov(scratch, static_cast<std::uint64_t>(disp));
        add(scratch, tape);
        return size[scratch];
    }

    // The cell as a cell-sized operand.
    Xbyak::Address cell(std::int64_t off, const Xbyak::Reg64& scratch) {
        return cell_as(cell_ptr_, off, scratch);
    }

    // The cell's lowest byte (the whole cell for 8 bits): what `.` writes, and enough to
    // touch the cell.
    Xbyak::Address low_byte(std::int64_t off, const Xbyak::Reg64& scratch) {
        return cell_as(byte, off, scratch);
    }

    // `arg` modulo 2^bits, sign-extended from the cell width: the form xbyak wants for
    // immediates (it picks the short sign-extended encodings itself).
    std::int32_t wrapped(std::int64_t arg) const {
        switch (bits_) {
        case 8: return static_cast<std::int8_t>(arg);
        case 16: return static_cast<std::int16_t>(arg);
        default: return static_cast<std::int32_t>(arg);
        }
    }
    static std::uint32_t imm32(std::int32_t v) { return static_cast<std::uint32_t>(v); }
    static std::uint64_t imm64(std::int64_t v) { return static_cast<std::uint64_t>(v); }

    // eax/ax/al: the accumulator at the cell width.
    Xbyak::Reg acc() const { return eax.changeBit(bits_); }

    // Arithmetic shared by cells in memory and cells in registers (loops on registers):
    // `dst` is a cell-sized operand, `src` a register holding a cell zero-extended.
    // dst += v: inc / dec for +1 / -1, else add (ZF is set by the result either way)
    void add_constant(const Xbyak::Operand& dst, std::int32_t v) {
        if (v == 1)
            inc(dst);
        else if (v == -1)
            dec(dst);
        else
            add(dst, imm32(v));
    }
    // dst += src * v: add / sub for +1 / -1, else imul eax, src, v; add dst, al/ax/eax
    void add_product(const Xbyak::Operand& dst, const Xbyak::Reg32& src, std::int32_t v) {
        if (v == 1) {
            add(dst, src.changeBit(bits_));
        } else if (v == -1) {
            sub(dst, src.changeBit(bits_));
        } else {
            imul(eax, src, v);
            add(dst, acc());
        }
    }
    // movzx dst, cell[off]   (mov at 32 bits)
    void load_cell(const Xbyak::Reg32& dst, std::int64_t off) {
        const Xbyak::Address c = cell(off, rax);
        if (bits_ == 32)
            mov(dst, c);
        else
            movzx(dst, c);
    }

    // Checks that the cells from cells.lo to cells.hi are on the tape, for the ends `known`
    // does not cover (unchecked() says whether there are any), jumping to `off_tape` if not:
    // [lea rax, cell[lowest]; cmp rax, [ctx.tape_begin]; jb off_tape]
    // [lea rax, cell[highest]; cmp rax, [ctx.tape_end]; jae off_tape]
    static bool unchecked(const OnTape& cells, const OnTape& known) {
        return !known.covers(*cells.lo) || !known.covers(*cells.hi);
    }
    void check_on_tape(const OnTape& cells, const OnTape& known, Xbyak::Label& off_tape) {
        if (!known.covers(*cells.lo)) {
            lea_cell(rax, tape, *cells.lo);
            cmp(rax, qword[ctx + offsetof(RunContext, tape_begin)]);
            jb(off_tape);
        }
        if (!known.covers(*cells.hi)) {
            lea_cell(rax, tape, *cells.hi);
            cmp(rax, qword[ctx + offsetof(RunContext, tape_end)]);
            jae(off_tape);
        }
    }

    void call_fn(const void* fn) {
        // call rel32 cannot reach the heap copy's final address: go through a register.
        mov(rax, reinterpret_cast<std::uintptr_t>(fn));
        call(rax);
    }

    // A cold stub that records `status` for the current op and leaves.
    Xbyak::Label& error_stub(RunStatus status) { return error_stub(status, index_); }
    Xbyak::Label& error_stub(RunStatus status, std::uint32_t op) {
        stubs_.push_back({{}, status, op});
        return stubs_.back().at;
    }

    // Explicit bounds check of the address in `addr` (for Check and far-striding scans).
    void check_bounds(const Xbyak::Reg64& addr) {
        // cmp addr, [ctx.tape_begin]; jb left; cmp addr, [ctx.tape_end]; jae right
        cmp(addr, qword[ctx + offsetof(RunContext, tape_begin)]);
        jb(error_stub(RunStatus::LeftOfTape));
        cmp(addr, qword[ctx + offsetof(RunContext, tape_end)]);
        jae(error_stub(RunStatus::RightOfTape));
    }

    // --- frame --------------------------------------------------------------------------

    void emit_prologue() {
        // push rbp; mov rbp, rsp; push rbx; push r12; push r13; sub rsp, 8
        // (entry rsp = 8 mod 16; after 4 pushes and 8 more it is 16-aligned for calls)
        push(rbp);
        mov(rbp, rsp);
        push(rbx);
        push(r12);
        push(r13);
        sub(rsp, 8);
        // mov tape, rdi; mov ctx, rsi [; mov budget, [ctx.step_limit]]
        mov(tape, rdi);
        mov(ctx, rsi);
        if (counting_) mov(budget, qword[ctx + offsetof(RunContext, step_limit)]);
    }

    void emit_epilogue() {
        // exit: lea rsp, [rbp-24]; pop r13; pop r12; pop rbx; pop rbp; ret
        L(exit_);
        lea(rsp, ptr[rbp - 24]);
        pop(r13);
        pop(r12);
        pop(rbx);
        pop(rbp);
        ret();
    }

    void emit_fault_exit() {
        // mov [ctx.status], rdi; mov [ctx.op], rsi; jmp exit   (rdi, rsi set by the handler)
        mov(qword[ctx + offsetof(RunContext, status)], rdi);
        mov(qword[ctx + offsetof(RunContext, op)], rsi);
        jmp(exit_);
    }

    void emit_error_stubs() {
        // stub: mov [ctx.status], status; mov [ctx.op], op; jmp exit
        for (Stub& s : stubs_) {
            L(s.at);
            mov(qword[ctx + offsetof(RunContext, status)], static_cast<std::uint32_t>(s.status));
            mov(qword[ctx + offsetof(RunContext, op)], s.op);
            jmp(exit_);
        }
    }

    // --- ops ----------------------------------------------------------------------------

    void emit_add(const Instr& in) {
        // add cell[off], arg   (inc / dec for +1 / -1; all leave ZF for a loop test)
        add_constant(cell(in.off, rax), wrapped(in.arg));
        next_.zf_cell = in.off;
    }

    void emit_set(const Instr& in) {
        // mov cell[off], arg
        mov(cell(in.off, rax), imm64(wrapped(in.arg)));
    }

    void emit_move(const Instr& in) {
        // add tape, arg*size   (through rax when it does not fit in 32 bits)
        on_tape_.shift(in.arg);
        note_moved();
        const std::int64_t bytes = in.arg * cell_size_;
        if (fits_int32(bytes)) {
            add(tape, imm32(static_cast<std::int32_t>(bytes)));
        } else {
            mov(rax, imm64(bytes));
            add(tape, rax);
        }
    }

    void emit_muladd(const Instr& in) {
        // movzx ecx, cell[src]; imul eax, ecx, arg; add cell[off], al/ax/eax
        // (add/sub cell[off], cl/cx/ecx for a factor of +1/-1)
        // The source is read first: it is the first touch, as in the interpreter. A run of
        // multiplies from one source (a copy loop's body) loads it once.
        if (known_.ecx_cell != in.src) load_cell(ecx, in.src);
        add_product(cell(in.off, rdx), ecx, wrapped(in.arg));
        if (in.off != in.src) next_.ecx_cell = in.src;
        next_.zf_cell = in.off;
    }

    void emit_scan(const Instr& in) {
        // Vectorised when every touch off the tape hits the guard (see emit_scan.cpp).
        // A stride wider than the guard could jump over it: then the scalar loop, every
        // tested cell's address checked explicitly first (test = lea rcx, cell[off];
        // check rcx; cmp [rcx], 0):
        // test; je done; again: add tape, stride*size; test; jne again; done:
        on_tape_ = OnTape::only(in.off);  // where it stops
        note_moved();
        const std::int64_t stride = in.arg * cell_size_;
        const bool explicit_checks = static_cast<std::uint64_t>(stride < 0 ? -stride : stride) >
                                     kGuardBytes - 64 * static_cast<std::uint64_t>(cell_size_);
        if (!explicit_checks) {
            emit_guarded_scan(tape, ctx, in.off, in.arg);
            return;
        }
        Xbyak::Label again, done;
        auto test = [&] {
            lea_cell(rcx, tape, in.off);
            check_bounds(rcx);
            cmp(cell_ptr_[rcx], 0);
        };
        test();
        je(done);
        L(again);
        if (fits_int32(stride)) {
            add(tape, imm32(static_cast<std::int32_t>(stride)));
        } else {
            mov(rax, imm64(stride));
            add(tape, rax);
        }
        test();
        jne(again);
        L(done);
    }

    void emit_in(const Instr& in) {
        // lea rsi, cell[off]; movzx eax, byte [rsi]   (the touch: faults before any I/O)
        // mov rdi, ctx; mov edx, op; call read_byte; test al, al; jz exit
        lea_cell(rsi, tape, in.off);
        movzx(eax, byte[rsi]);
        mov(rdi, ctx);
        mov(edx, index_);
        call_fn(reinterpret_cast<const void*>(&read_byte));
        test(al, al);
        jz(exit_);
    }

    void emit_out(const Instr& in) {
        // movzx esi, byte cell[off]; mov rdi, ctx; mov edx, op; call put_byte
        // test al, al; jz exit
        movzx(esi, low_byte(in.off, rsi));
        mov(rdi, ctx);
        mov(edx, index_);
        call_fn(reinterpret_cast<const void*>(&put_byte));
        test(al, al);
        jz(exit_);
    }

    void emit_outstr(const Instr& in) {
        // mov rdi, ctx; mov esi, index; mov edx, op; call put_string; test al, al; jz exit
        mov(rdi, ctx);
        mov(esi, static_cast<std::uint32_t>(in.arg));
        mov(edx, index_);
        call_fn(reinterpret_cast<const void*>(&put_string));
        test(al, al);
        jz(exit_);
    }

    void emit_check(const Instr& in) {
        // lea rax, cell[off]; cmp rax, [ctx.tape_begin]; jb left; cmp rax, [ctx.tape_end]
        // jae right
        lea_cell(rax, tape, in.off);
        check_bounds(rax);
    }

    // cmp cell[off], 0 -- unless the previous op's flags already tell (then its touch of
    // the same cell stands for this one's).
    void test_cell(std::int64_t off) {
        if (known_.zf_cell != off) cmp(cell(off, rax), 0);
    }

    void emit_loop_begin(const Instr& in) {
        // cmp cell[off], 0; je end; body:
        Bracket& b = open_.emplace_back();
        test_cell(in.off);
        je(b.end);
        if (const std::optional<RegisterLoop> loop = register_loop(in)) {
            emit_register_loop(in, b, *loop);
            if (resume_at_) return;  // no copy in memory needed: the loop is complete
        }
        L(b.body);
        on_tape_ = OnTape::only(in.off);  // tested here and at the back-edge
    }

    void emit_loop_end(const Instr& in) {
        // cmp cell[off], 0; jne body; end:
        // counting: cmp cell[off], 0; je end; dec budget; jnz body; jmp step_stub; end:
        Bracket& b = open_.back();
        test_cell(in.off);
        if (counting_) {
            je(b.end);
            dec(budget);
            jnz(b.body);
            jmp(error_stub(RunStatus::StepLimit));
        } else {
            jne(b.body);
        }
        L(b.end);
        close_bracket();
        on_tape_ = OnTape::only(in.off);
    }

    void emit_if_begin(const Instr& in) {
        Bracket& b = open_.emplace_back();
        b.at_test = on_tape_;
        b.at_test.add(in.off);
        if (const std::optional<OnTape> cells = branch_free_cells(index_)) {
            emit_branch_free_if(in, b, *cells);
        } else {
            // cmp cell[off], 0; je end
            test_cell(in.off);
            je(b.end);
        }
        on_tape_ = b.at_test;
    }

    void emit_if_end(const Instr&) {
        // end:
        Bracket& b = open_.back();
        L(b.end);
        if (b.stub) {
            b.stub->body = b.body;
            b.stub->end = b.end;
        }
        // Both ways in left p where the test was unless the body moves it.
        on_tape_ = b.moves ? OnTape{} : b.at_test;
        close_bracket();
    }

    void close_bracket() {
        const bool moves = open_.back().moves;
        open_.pop_back();
        if (moves) note_moved();
    }

    // If-conversion. A branch on a cell that holds 0 or not at random (a digit of
    // mandelbrot's numbers) mispredicts often; a body that does nothing when the cell is 0
    // can run either way instead: multiplies of the cell into others and clearing it.
    // Running it when the cell is 0 touches cells the program would not, which must not
    // fault: that is checked first, against the tape's ends, for the cells not already
    // known on the tape (a predictable branch), and off the tape an out-of-line stub
    // makes the if's original test.
    // The cells such an if's body touches (the tested one included), or nothing when the
    // body does something else.
    std::optional<OnTape> branch_free_cells(std::size_t at) const {
        const Instr& in = prog_.code[at];
        const auto end = static_cast<std::size_t>(in.arg);
        if (end == at + 1) return std::nullopt;
        OnTape cells = OnTape::only(in.off);
        for (std::size_t i = at + 1; i < end; ++i) {
            const Instr& op = prog_.code[i];
            const bool moves_it = op.op == Op::MulAdd && op.src == in.off && op.off != in.off;
            const bool clears_it = op.op == Op::Set && op.off == in.off && wrapped(op.arg) == 0;
            if (!moves_it && !clears_it) return std::nullopt;
            cells.add(op.off);
        }
        return cells;
    }

    void emit_branch_free_if(const Instr& in, Bracket& b, const OnTape& cells) {
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

    // --- loops in registers ------------------------------------------------------------

    // A loop that stays where it is (no Move, Scan, I/O or inner loop; ifs are fine) runs
    // with its cells in registers: memory would chain every read-modify-write of a cell to
    // the last one through store forwarding (some 5 cycles each), which is what the carry
    // loops of mandelbrot.b's arithmetic wait on. The cells are loaded when the loop is
    // entered and the ones it writes are stored when it leaves, so nothing outside the
    // loop sees a difference, and the loop cannot fault in between: all its cells are
    // first checked to be on the tape (only those not known to be already). When one may
    // not be, the loop runs as usual from memory instead, so a fault happens at the
    // touching op as always. Up to kRegisterCells cells, in the scratch registers (no
    // calls happen inside); rax is the multiplier's.
    static constexpr std::size_t kRegisterCells = 8;

    struct RegisterLoop {
        std::vector<std::int64_t> cells;  // cells[k] lives in register k
        std::vector<bool> written;        // ... and is stored back
        OnTape extent;                    // every cell it touches, and checks
    };

    std::optional<RegisterLoop> register_loop(const Instr& in) const {
        RegisterLoop loop;
        auto note = [&](std::int64_t off, bool writes) {
            loop.extent.add(off);
            const auto it = std::find(loop.cells.begin(), loop.cells.end(), off);
            const auto k = static_cast<std::size_t>(it - loop.cells.begin());
            if (it == loop.cells.end()) {
                loop.cells.push_back(off);
                loop.written.push_back(false);
            }
            if (writes) loop.written[k] = true;
        };
        const auto end = static_cast<std::size_t>(in.arg);
        note(in.off, false);
        note(prog_.code[end].off, false);  // the back-edge's test (the same cell, from the parser)
        for (std::size_t i = index_ + 1; i < end; ++i) {
            const Instr& op = prog_.code[i];
            switch (op.op) {
            case Op::Add:
            case Op::Set: note(op.off, true); break;
            case Op::MulAdd:
                note(op.src, false);
                note(op.off, true);
                break;
            case Op::IfBegin: note(op.off, false); break;
            case Op::IfEnd: break;
            case Op::Check: loop.extent.add(op.off); break;
            case Op::Move:
            case Op::Scan:
            case Op::In:
            case Op::Out:
            case Op::OutStr:
            case Op::LoopBegin:
            case Op::LoopEnd: return std::nullopt;
            }
            if (loop.cells.size() > kRegisterCells) return std::nullopt;
        }
        return loop;
    }

    void emit_register_loop(const Instr& in, Bracket& b, const RegisterLoop& loop) {
        // [lea rax, cell[lowest]; cmp rax, [ctx.tape_begin]; jb body]  (then the loop in
        // [lea rax, cell[highest]; cmp rax, [ctx.tape_end]; jae body]   memory, at body)
        // movzx r_k, cell[k]                        (every cell)
        // again: (the body, on registers); test r_loop, r_loop; jnz again
        //   counting: jz done; dec budget; jnz again; mov cell[k], r_k...; jmp step_stub
        // done: mov cell[k], r_k                    (the cells it writes); jmp end
        static const Xbyak::Reg32 regs[kRegisterCells] = {esi, edi, r8d, r9d, r10d, r11d, edx, ecx};
        auto reg = [&](std::int64_t off) {
            const auto it = std::find(loop.cells.begin(), loop.cells.end(), off);
            assert(it != loop.cells.end());
            return regs[it - loop.cells.begin()];
        };
        auto at_width = [&](std::int64_t off) { return reg(off).changeBit(bits_); };
        auto store_back = [&] {
            for (std::size_t k = 0; k < loop.cells.size(); ++k)
                if (loop.written[k]) mov(cell(loop.cells[k], rax), regs[k].changeBit(bits_));
        };

        OnTape known = on_tape_;
        known.add(in.off);
        const bool in_memory_too = unchecked(loop.extent, known);
        check_on_tape(loop.extent, known, b.body);
        for (std::size_t k = 0; k < loop.cells.size(); ++k) load_cell(regs[k], loop.cells[k]);

        Xbyak::Label again, done;
        std::deque<Xbyak::Label> if_ends;  // of the ifs that branch, innermost last
        std::vector<bool> branches;        // per open if
        ++out_.register_loops;
        L(again);
        const auto end = static_cast<std::size_t>(in.arg);
        for (std::size_t i = index_ + 1; i < end; ++i) {
            const Instr& op = prog_.code[i];
            switch (op.op) {
            case Op::Add:
                // add r, arg   (inc / dec)
                add_constant(at_width(op.off), wrapped(op.arg));
                break;
            case Op::Set:
                // mov r, arg
                mov(reg(op.off), imm32(wrapped(op.arg)));
                break;
            case Op::MulAdd:
                // add/sub r_off, r_src   (factor +1/-1); imul eax, r_src, arg; add r_off, eax
                add_product(at_width(op.off), reg(op.src), wrapped(op.arg));
                break;
            case Op::IfBegin:
                // test r, r; jz end   -- or nothing for a branch-free if: its cells are
                // all on the tape
                branches.push_back(!branch_free_cells(i));
                if (branches.back()) {
                    test(at_width(op.off), at_width(op.off));
                    jz(if_ends.emplace_back());
                }
                break;
            case Op::IfEnd:
                if (branches.back()) {
                    L(if_ends.back());
                    if_ends.pop_back();
                }
                branches.pop_back();
                break;
            case Op::Check:  // within the extent checked above
                break;
            case Op::Move:
            case Op::Scan:
            case Op::In:
            case Op::Out:
            case Op::OutStr:
            case Op::LoopBegin:
            case Op::LoopEnd: assert(false && "not in a register loop"); break;
            }
        }
        const std::int64_t tested = prog_.code[end].off;
        test(at_width(tested), at_width(tested));
        if (counting_) {
            jz(done);
            dec(budget);
            jnz(again);
            store_back();
            jmp(error_stub(RunStatus::StepLimit, static_cast<std::uint32_t>(end)));
        } else {
            jnz(again);
        }
        L(done);
        store_back();
        if (in_memory_too) {
            jmp(b.end);  // past the loop in memory, for when a cell may be off the tape
            return;
        }
        L(b.end);
        close_bracket();
        on_tape_ = OnTape::only(tested);
        resume_at_ = end + 1;
    }

    void emit_if_stubs() {
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
    void place_if_stubs() {
        // jmp over; stubs; over:
        Xbyak::Label over;
        jmp(over);
        emit_if_stubs();
        L(over);
    }
    static constexpr std::size_t kStubBatch = 256;

    const Program& prog_;
    const int bits_;
    const std::int64_t cell_size_;
    const bool counting_;
    const Xbyak::AddressFrame& cell_ptr_;
    std::uint32_t index_ = 0;   // of the op being emitted
    Known known_;               // left by the previous op
    Known next_;                // left by this op
    Xbyak::Label exit_;         // the epilogue
    std::deque<Bracket> open_;  // deques: labels must not move once jumps refer to them
    std::deque<Stub> stubs_;
    std::deque<IfStub> if_stubs_;
    OnTape on_tape_;
    std::optional<std::size_t> resume_at_;  // the next op to emit, when ops were skipped
    GeneratedCode out_;
};

}  // namespace

Result<GeneratedCode> generate(const Program& prog, const Options& opts) {
    if (prog.code.size() > std::numeric_limits<std::uint32_t>::max())
        return Error{{}, "program too large to compile"};
    try {
        Emitter emitter(prog, opts);
        return emitter.run();
    } catch (const Xbyak::Error& e) {
        return Error{{}, std::string("cannot compile: ") + e.what()};
    } catch (const std::bad_alloc&) {
        return Error{{}, "cannot compile: out of memory"};
    }
}

}  // namespace jitbf::jit
