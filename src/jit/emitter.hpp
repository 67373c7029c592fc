// The x86-64 code generator: a few instructions per IR op.
//
// Register roles are fixed for the whole function: the cell pointer and the context live in
// callee-saved registers, so the runtime calls keep them, and nothing else needs to survive
// a fault, so the fault handler can resume at a single exit stub from any op. Within
// straight-line code the emitter remembers a little (which cell the flags describe, which
// cell ecx holds) to skip redundant loads and tests, and which cells are certainly on the
// tape. Loops test at the bottom: one conditional branch per iteration. Error paths the code
// detects itself (explicit bounds checks, the step budget) jump to small stubs placed after
// the epilogue, out of the hot path.
//
// Code is emitted with xbyak in AutoGrow mode into pages of our own that are not executable
// while it is written, then made read+execute in place. AutoGrow forbids absolute addresses
// of labels, which keeps the code position-independent: calls go through a register, jumps
// are relative.
//
// The class is declared here and defined by concern, one file each:
//   emitter.cpp             the walk over the ops, operands, shared arithmetic
//   emit_ops.cpp            the dispatch over ops; the straight-line ops (add, set, move,
//                           muladd, I/O, check, dump), each a specialization of emit_op
//   emit_control.cpp        loops and ifs, branch-free ifs
//   emit_scan.cpp           scans, vectorised
//   scan_copy.cpp           later scans of a stride copied from the first
//   scan_steps.cpp          the scalar parts of scans: checked scans, steps one cell at a time
//   emit_region.cpp         regions that keep their cells in registers (regalloc.hpp)
//   region_paths.cpp        shorter paths through them: jump threading, flags kept for tests
//   emit_frame.cpp          prologue, epilogue, runtime calls and the out-of-line stubs
//   emit_observe.cpp        what tools ask for: the code map, the counters of --profile
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <unordered_map>
#include <vector>

#include <xbyak/xbyak.h>

#include "analysis.hpp"
#include "codegen.hpp"
#include "context.hpp"
#include "ir.hpp"
#include "jitbf/jitbf.hpp"
#include "regalloc.hpp"
#include "runtime.hpp"
#include "shape.hpp"

namespace jitbf::jit {

inline bool fits_int32(std::int64_t v) {
    return v >= std::numeric_limits<std::int32_t>::min() &&
           v <= std::numeric_limits<std::int32_t>::max();
}
// Immediates in the unsigned types xbyak's parameters take.
inline std::uint32_t imm32(std::int32_t v) { return static_cast<std::uint32_t>(v); }
inline std::uint64_t imm64(std::int64_t v) { return static_cast<std::uint64_t>(v); }

class Emitter : public Xbyak::CodeGenerator {
public:
    // `pages` holds the code as it grows, from `code_bytes` (see generate()).
    Emitter(const Program& prog, const Options& opts, SimdLevel simd, const Instrumentation& extra,
            Xbyak::Allocator* pages, std::size_t code_bytes);
    GeneratedCode run();

private:
    // Registers by role. All three are callee-saved, so they survive runtime calls.
    const Xbyak::Reg64 tape = rbx;    // address of cell p (the current cell)
    const Xbyak::Reg64 ctx = r12;     // RunContext*
    const Xbyak::Reg64 budget = r13;  // back-edges left before StepLimit (with a limit only)
    // Scratch: rax, rcx, rdx (and the argument registers around calls). Only what Known
    // records survives from one op to the next. A region on registers holds its cells in
    // cell_regs (regalloc.hpp): the other caller-saved registers and r14, r15, which the
    // prologue saves.
    // Memory code keeps the value an add wrote in `value` when an add to the same cell
    // follows (Known::val_cell; stores still go to the tape at once): the next add
    // then needs no load of what was just stored. Regions use it as a cell register.
    const Xbyak::Reg32 value = r8d;
    const Xbyak::Reg32 cell_regs[kCellRegisters] = {esi,  edi, r8d, r9d,  r10d,
                                                    r11d, edx, ecx, r14d, r15d};

    // A place in the code that jumps go to. Ours, not xbyak's: xbyak's labels cost a hash
    // table entry per label and per pending jump, and a list node per jump until the code
    // is finished (in AutoGrow mode), most of a large program's compile time. A label is
    // its offset once placed; until then the jumps to it form a chain through their own
    // rel32 fields (each holds the end of the one before), walked and patched when it is
    // placed. The bytes are those xbyak emitted: forward jumps near, backward ones short
    // when they fit. A label is copied only once placed.
    class Label {
        friend class Emitter;
        static constexpr std::uint32_t kNone = ~std::uint32_t{0};
        std::uint32_t at_ = kNone;       // its code offset, once placed
        std::uint32_t pending_ = kNone;  // the end of the last jump to it, while not placed
    };
    void L(Label& label);
    // A jump to `label`: `cc` is the condition's code (the low nibble of jcc's opcode),
    // kAlways for jmp.
    static constexpr int kAlways = -1;
    void jump(Label& label, int cc);
    void jmp(Label& label) { jump(label, kAlways); }
    void jb(Label& label) { jump(label, 0x2); }
    void jae(Label& label) { jump(label, 0x3); }
    void je(Label& label) { jump(label, 0x4); }
    void jz(Label& label) { jump(label, 0x4); }
    void jne(Label& label) { jump(label, 0x5); }
    void jnz(Label& label) { jump(label, 0x5); }
    void jbe(Label& label) { jump(label, 0x6); }
    void ja(Label& label) { jump(label, 0x7); }

    // Register contents an op leaves for the next one, by cell offset (p unchanged):
    // straight-line only, as every label or call ends it.
    struct Known {
        std::optional<std::int64_t> zf_cell;   // ZF is set iff this cell is zero
        std::optional<std::int64_t> ecx_cell;  // ecx holds this cell, zero-extended
        std::optional<std::int64_t> val_cell;  // `value`'s low cell bits hold this cell
    };
    // The out-of-line test of a branch-free if whose cells are not all known on the tape.
    struct IfStub {
        Label at;
        Label body, end;  // copies of the if's, once both are defined
        std::int64_t cell;
        std::uint32_t op;
    };
    // An if whose skip (its cell 0) jumps past the if after it, which it knows would not
    // run: its end label, placed at that if's end, and what is known there on that path.
    struct Skipped {
        Label end;
        CellSpan at_test;  // what was on the tape at its test
        bool moves;        // does p change in its body?
    };
    // An open if.
    struct Bracket {
        Label body;              // a branch-free if's body
        Label end;               // at its IfEnd
        CellSpan at_test;        // what is on the tape where its cell was tested
        bool moves = false;      // does p change inside (a Move or Scan, at any depth)?
        bool branches = false;   // its test jumps to `end` (a plain if)
        bool skipped = false;    // the if before skips past it too (skips_.back() then)
        IfStub* stub = nullptr;  // a branch-free if's, when it has one
    };
    // An open loop: 12 bytes, as a million nested loops keep a million open.
    struct OpenLoop {
        std::uint32_t body = 0;  // the code offset of its body
        std::uint32_t exit = 0;  // the end of the forward jump to its end
        bool moves = false;      // does p change inside (a Move or Scan, at any depth)?
    };
    // A cold exit that records how the run ended and leaves.
    struct Stub {
        Label at;
        RunStatus status;
        std::uint32_t op;
        int touched;  // tape errors: the register holding the address touched, else -1
    };

    // --- emitter.cpp: the walk ----------------------------------------------------------
    // Emits ops [from, to) (bracket-balanced), one emit() at a time.
    void emit_ops(std::size_t from, std::size_t to);
    void note_touch();                   // faults from here on are op index_'s
    void note_touched(const Instr& in);  // its cells are on the tape once it ran

    // --- emitter.cpp: operands and arithmetic ------------------------------------------
    // [base + off*cell size] as an operand of `size` (the cell's own when not given). An
    // offset too large for a 32-bit displacement goes through `scratch`
    // (mov scratch, disp; add scratch, base).
    Xbyak::Address cell(std::int64_t off, const Xbyak::Reg64& scratch);
    Xbyak::Address cell(std::int64_t off, const Xbyak::Reg64& scratch,
                        const Xbyak::AddressFrame& size, const Xbyak::Reg64& base);
    // lea dst, [base + off*cell size] (through mov/add when the displacement needs 64 bits).
    void lea_cell(const Xbyak::Reg64& dst, const Xbyak::Reg64& base, std::int64_t off);
    // `arg` modulo 2^bits, sign-extended from the cell width: the form xbyak wants for
    // immediates (it picks the short sign-extended encodings itself).
    std::int32_t wrapped(std::int64_t arg) const;
    Xbyak::Reg acc() const { return eax.changeBit(bits_); }  // eax/ax/al at the cell width
    // Shared by cells in memory and cells in registers: `dst` is a cell-sized operand, `src`
    // a register holding a cell zero-extended.
    void add_constant(const Xbyak::Operand& dst, std::int32_t v);
    void add_product(const Xbyak::Operand& dst, const Xbyak::Reg32& src, std::int32_t v);
    void load_cell(const Xbyak::Reg32& dst, std::int64_t off);
    // The commonest instructions on a cell in memory, encoded here as xbyak would, byte for
    // byte, without its generic operand handling (most of a -O0 compile's time): add cell,
    // v (inc/dec for 1/-1), mov cell, v and cmp cell, 0. False, with nothing emitted, when
    // the cell's displacement needs 64 bits (the caller goes through xbyak then).
    bool add_cell_constant(std::int64_t off, std::int32_t v);
    bool set_cell(std::int64_t off, std::int32_t v);
    bool compare_cell_zero(std::int64_t off);
    // Room for `bytes` more bytes of code written directly (xbyak's buffer grown if need
    // be); where they go, at the end of the code. The writer then advances size_.
    std::uint8_t* reserve(std::size_t bytes);
    // [66] opcode modrm(ext, [tape + disp]) disp8/32, then an immediate of imm_bytes.
    void cell_instr(std::uint8_t opcode, int ext, std::int32_t disp, int imm_bytes,
                    std::int32_t imm);
    // Checks that the cells of `cells` are on the tape, for the ends `known` does not
    // contain (unchecked() says whether there are any), jumping to `off_tape` if not.
    static bool unchecked(const CellSpan& cells, const CellSpan& known);
    void check_on_tape(const CellSpan& cells, const CellSpan& known, Label& off_tape);
    // Explicit bounds check of the address in `addr` (Check, far-striding scans).
    void check_bounds(const Xbyak::Reg64& addr);

    // --- emit_ops.cpp -------------------------------------------------------------------
    // Emits op i (and, for some, the ops after it); returns the index of the next op.
    std::size_t emit(std::size_t i);
    // Emits a straight-line op (add, set, move, muladd, I/O, check, dump): one explicit
    // specialization per op, defined in emit_ops.cpp before the switch in emit() that calls
    // it. One declaration for all of them, so that a new op is written in emit_ops.cpp alone;
    // deleted, so that calling it for an op without one does not compile. The ops emitted by
    // other files (scans, loops, ifs) have named members below.
    template <Op op>
    void emit_op(const Instr& in) = delete;
    // lea tape, [tape+bytes]: a move's, and a scan's; false if it had to change the flags
    bool advance_tape(std::int64_t bytes);
    bool value_reused(std::size_t i, std::int64_t off) const;  // see emit_op<Op::Add>

    // --- emit_control.cpp ---------------------------------------------------------------
    std::size_t emit_loop_begin(std::size_t i);
    void emit_loop_end(const Instr& in);
    void emit_if_begin(std::size_t i);
    void emit_if_end(const Instr& in);
    void test_cell(std::int64_t off);
    void align_loop_body();
    std::size_t je_forward();
    void patch_forward(std::size_t jump_end);
    void jne_back(std::size_t to);
    static CellSpan tested_both_ways(const Instr& begin, const Instr& end, bool moves);
    Bracket& open_bracket(std::size_t i);
    void close_bracket();
    void emit_branch_free_if(const Instr& in, Bracket& b, const CellSpan& cells);
    bool thread_skip(std::size_t end) const;
    bool zero_before(std::size_t at, std::int64_t cell) const;

    // --- emit_scan.cpp ------------------------------------------------------------------
    void emit_scan(const Instr& in);
    void emit_scan_code(std::int64_t off, std::int64_t stride, bool flagged);
    bool scan_aligns_loop(std::uint32_t distance) const;
    std::uint32_t scan_phase(std::uint32_t distance) const;
    // --- scan_steps.cpp -----------------------------------------------------------------
    void emit_checked_scan(const Instr& in);
    void emit_scalar_steps(std::int64_t off, std::int64_t step, Label& done);
    void emit_steps(std::int64_t off, std::int64_t step, int count, Label& done);
    void emit_unrolled_steps(std::int64_t off, std::int64_t stride, int count, Label& then,
                             Label& done);
    // --- scan_copy.cpp ------------------------------------------------------------------
    void emit_guarded_scan(std::int64_t off, std::int64_t stride, bool flagged);
    struct ScanCode;
    ScanCode scan_template(std::int64_t stride, std::int64_t reach, bool flagged);
    void copy_scan(const ScanCode& code, std::int64_t off);
    // --- emit_scan.cpp, the vector code -------------------------------------------------
    void set_tape_from(const Xbyak::Reg64& addr, std::int64_t off);
    std::uint32_t cells_per_vector(std::uint32_t distance) const;
    void emit_vector_scan(std::int64_t off, std::int64_t step, Label& done);
    void zero_lanes(int dst, const Xbyak::Address& at);
    void lane_mask(const Xbyak::Reg32& mask, int src);
    void compare_vector(const Xbyak::Reg32& mask, const Xbyak::Address& at);
    void shift_pattern(std::uint32_t pattern, bool left);

    // --- emit_region.cpp ----------------------------------------------------------------
    // A cell a region holds in a register now.
    struct Live {
        std::int64_t cell;
        Xbyak::Reg32 reg;
        std::size_t store_before;
        bool written;
    };
    // An open loop or if of region code.
    struct RegionBracket {
        Label body, end;
        bool branches;  // false: a branch-free if, run whatever its cell holds
        // An if's: the jump from the end of the if before's body, past this if
        // (region_thread), placed with `end`.
        std::optional<Label> threaded;
    };
    // Emits region r, on registers and, when a cell may be off the tape, in memory too;
    // returns the op after it.
    std::size_t emit_region(const Region& r);
    // A cell of a hole (regalloc.hpp): in memory until op `end`.
    struct Lent {
        Live live;
        std::size_t end;
    };
    // Where the walk over a region's plan is: the next slot and hole to begin.
    struct PlanAt {
        std::size_t slot = 0, hole = 0;
    };
    void region_moves(const Region& r, PlanAt& at, std::size_t j);
    // Emits op j, or the counting chain (shape.hpp) it starts; returns the op after it.
    std::size_t region_op(const Region& r, std::size_t j);
    std::optional<std::size_t> region_chain(const Region& r, std::size_t at, const Chain& chain);
    void region_op(std::size_t j);
    void region_loop_back(std::size_t j, RegionBracket& loop);
    static bool plan_acts_within(const Region& r, std::size_t from, std::size_t to);
    void store_live(std::size_t before);
    void test_in_region(std::int64_t off);
    // The register that holds the cell now, if one does.
    std::optional<Xbyak::Reg32> reg_of(std::int64_t off) const;
    // Calls f with the cell as an operand at the cell width: its register, or its memory.
    template <class F>
    void on_cell(std::int64_t off, F f) {
        if (const std::optional<Xbyak::Reg32> r = reg_of(off))
            f(r->changeBit(bits_));
        else
            f(cell(off, rax));
    }

    // --- region_paths.cpp ---------------------------------------------------------------
    void region_thread(const Region& r, std::size_t end);
    bool keeps_flags(const Region& r, std::size_t j) const;
    bool region_add_keeping_flags(const Region& r, std::size_t j);

    // --- emit_frame.cpp -----------------------------------------------------------------
    void emit_prologue();
    void emit_epilogue();
    void emit_fault_exit();
    // mov rdi, ctx; mov edx, op; call fn; test al, al; jz exit  (fn's second argument, in
    // esi or rsi, is set by the caller first). `fn` returns false when the run must stop.
    void call_runtime(const void* fn);
    Label& error_stub(RunStatus status) { return error_stub(status, index_); }
    Label& error_stub(RunStatus status, std::uint32_t op);
    // A tape error of the current op, found by an explicit check of the address in `touched`.
    Label& tape_error_stub(RunStatus status, const Xbyak::Reg64& touched);
    void emit_error_stubs();
    void emit_if_stubs();
    void place_if_stubs();
    // Stubs of closed branch-free ifs wait for a batch this big before they are placed
    // (emit_frame.cpp says why).
    static constexpr std::size_t kStubBatch = 256;

    // --- emit_observe.cpp ---------------------------------------------------------------
    // Ends the code map's current range here as a range of `kind` (ops [first, end)).
    // Inline, so that compiling without a map pays a predicted branch per op, not a call.
    void map_range(CodeKind kind, std::size_t first = 0, std::size_t end = 0) {
        if (mapping_) add_range(kind, first, end);
    }
    void add_range(CodeKind kind, std::size_t first, std::size_t end);
    // Profiling: the counting code around op i; the walk calls these only when profiling_.
    void count_before(std::size_t i);
    void count_after(std::size_t i);
    Xbyak::Address counter(std::size_t op);  // op's counter (through rax, and rcx if far)

    const Program& prog_;
    const int bits_;
    const std::int64_t cell_size_;
    const bool counting_;
    const bool mapping_;    // record the code map (out_.map)
    const bool profiling_;  // count per op; keeps every loop and if a branch in memory
    const SimdLevel simd_;
    const Xbyak::AddressFrame& cell_ptr_;  // byte, word or dword: the cell's operand size
    const std::vector<char> moving_;       // moving_bodies(prog_.code)
    std::uint32_t index_ = 0;              // of the op being emitted
    Known known_;                          // left by the previous op
    Known next_;                           // left by this op
    Label exit_;                           // the epilogue
    std::size_t unplaced_ = 0;             // labels with jumps pending: none at the end
    std::vector<OpenLoop> loops_;          // open loops (no labels: they may move)
    std::deque<Bracket> open_;  // open ifs; deques: labels must not move once jumps refer to them
    std::deque<Stub> stubs_;
    std::deque<IfStub> if_stubs_;
    // The code of guarded scans, for copies (emit_scan.cpp): by cell (kFarScan for every cell
    // whose displacements all take 32 bits), stride, whether the op before left the flags of
    // its cell (`flagged`: no load of it first) and, for scans whose loop is aligned, code
    // offset modulo the alignment.
    struct ScanKey {
        std::int64_t off, stride;
        std::uint32_t phase;
        bool flagged;
        friend bool operator==(const ScanKey&, const ScanKey&) = default;
    };
    struct ScanKeyHash {
        std::size_t operator()(const ScanKey& k) const {
            const auto mix = static_cast<std::uint64_t>(k.off) * 1000003u +
                             static_cast<std::uint64_t>(k.stride) * 31u + k.phase * 2u + k.flagged;
            return std::hash<std::uint64_t>{}(mix);
        }
    };
    // A scan's bytes as emitted for cell `off`, and where they hold off*size (or -off*size,
    // `negated`) plus a constant: the 32-bit displacements another cell's copy changes.
    struct ScanField {
        std::uint32_t at;
        bool negated;
    };
    struct ScanCode {
        std::vector<std::uint8_t> bytes;
        std::int64_t off = 0;
        std::vector<ScanField> fields;
    };
    std::unordered_map<ScanKey, ScanCode, ScanKeyHash> scan_code_;
    static constexpr std::int64_t kFarScan = std::numeric_limits<std::int64_t>::min();
    CellSpan on_tape_;  // cells known on the tape here: straight-line, survives calls
    std::optional<Skipped> skipping_;        // from an IfEnd to the IfBegin after it (thread_skip)
    std::vector<Skipped> skips_;             // of the open ifs that are skipped past, inner last
    RegisterPlan plan_;                      // of prog_
    const Region* region_;                   // the next region to emit (plan_'s), if any
    bool in_memory_ = false;                 // emitting a region's memory version
    std::vector<Live> live_;                 // region code: cells in registers here
    std::vector<Lent> lent_;                 // region code: cells in a hole here
    std::deque<RegionBracket> region_open_;  // region code: open brackets
    std::optional<std::int64_t> zf_cell_;    // region code: ZF is set iff this cell is 0
    std::optional<Label> region_thread_;     // region code: to the next if's end (region_thread)
    std::uint32_t mapped_to_ = 0;            // the code map covers the code up to here
    GeneratedCode out_;
};

}  // namespace jitbf::jit
