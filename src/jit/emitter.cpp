// The emitter's walk over the ops, its operands and the arithmetic that cells in memory and
// cells in registers share; the entry point generate().
#include "emitter.hpp"

#include "huge_pages.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstring>
#include <vector>
#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace jitbf::jit {

namespace {

// Pages for xbyak's buffer, mapped here rather than taken from the heap: a buffer that fills
// up is copied into one twice its size, so the first is sized from the program, generously,
// as only the pages written to are ever resident; and the one the code ends in is handed
// over to the CodeBuffer as it is, not copied. Never executable while written (no mprotect
// from xbyak).
class PageAllocator final : public Xbyak::Allocator {
public:
    PageAllocator() = default;
    PageAllocator(const PageAllocator&) = delete;
    PageAllocator& operator=(const PageAllocator&) = delete;
    ~PageAllocator() override {
        for (const Mapping& m : maps_) munmap(m.at, m.bytes);
    }

    std::uint8_t* alloc(std::size_t size) override {
        const std::size_t bytes = CodeBuffer::whole_pages(size);
        void* at = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (at == MAP_FAILED) return nullptr;  // xbyak throws ERR_CANT_ALLOC
        advise_huge_pages(at, bytes);
        maps_.push_back({static_cast<std::uint8_t*>(at), bytes});
        return static_cast<std::uint8_t*>(at);
    }
    void free(std::uint8_t* p) override {
        // (Nothing for a mapping given away by release().)
        if (const std::optional<Mapping> m = take(p)) munmap(m->at, m->bytes);
    }
    bool useProtect() const override { return false; }

    struct Mapping {
        std::uint8_t* at;
        std::size_t bytes;
    };
    // Gives up the mapping at `p` to its new owner.
    Mapping release(const std::uint8_t* p) {
        const std::optional<Mapping> m = take(p);
        assert(m && "release() of a mapping not ours");
        return *m;
    }

private:
    // Forgets the mapping at `p`, if it is ours.
    std::optional<Mapping> take(const std::uint8_t* p) {
        const auto it =
            std::find_if(maps_.begin(), maps_.end(), [&](const Mapping& m) { return m.at == p; });
        if (it == maps_.end()) return std::nullopt;
        const Mapping m = *it;
        maps_.erase(it);
        return m;
    }

    std::vector<Mapping> maps_;  // at most two: while xbyak copies into a larger one
};

// The first buffer's size: more than the code of nearly every program (the 10 MB mix of
// jitbf_bench takes 34 bytes an op at -O1, 5 at -O0), and only address space until written.
std::size_t code_estimate(const Program& prog) { return 64 * 1024 + 48 * prog.code.size(); }

}  // namespace

Emitter::Emitter(const Program& prog, const Options& opts, SimdLevel simd,
                 const Instrumentation& extra, Xbyak::Allocator* pages, std::size_t code_bytes)
    : Xbyak::CodeGenerator(code_bytes, Xbyak::AutoGrow, pages),
      prog_(prog),
      bits_(opts.cell_bits),
      cell_size_(opts.cell_bits / 8),
      counting_(opts.step_limit != 0),
      mapping_(extra.code_map),
      profiling_(extra.profile),
      simd_(simd),
      cell_ptr_(opts.cell_bits == 8    ? byte
                : opts.cell_bits == 16 ? word
                                       : dword),
      moving_(moving_bodies(prog.code)),
      // (None when profiling: code on registers has no place for the counters.)
      plan_(prog, opts.cell_bits),
      region_(extra.profile ? nullptr : plan_.next()) {
    // Forward jumps cross whole loop bodies: always rel32. Backward ones still get rel8
    // when they fit, as xbyak knows the distance.
    setDefaultJmpNEAR(true);
}

GeneratedCode Emitter::run() {
    out_.ops.reserve(prog_.code.size());
    emit_prologue();
    map_range(CodeKind::Prologue);
    out_.body_begin = getSize();
    emit_ops(0, prog_.code.size());
    out_.body_end = getSize();
    emit_epilogue();
    map_range(CodeKind::Epilogue);
    out_.fault_exit = getSize();
    emit_fault_exit();
    map_range(CodeKind::FaultExit);
    emit_error_stubs();
    map_range(CodeKind::ErrorStubs);
    emit_if_stubs();
    map_range(CodeKind::IfStubs);
    assert(unplaced_ == 0 && "every label jumped to is placed");
    ready();  // AutoGrow: nothing left for it to resolve; no mprotect (PageAllocator)
    return std::move(out_);
}

void Emitter::emit_ops(std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to;) {
        const Instr& in = prog_.code[i];
        index_ = static_cast<std::uint32_t>(i);
        if (loops_.empty() && open_.empty() && if_stubs_.size() >= kStubBatch) {
            place_if_stubs();
            if (!in_memory_) map_range(CodeKind::IfStubs);
        }
        if (profiling_) count_before(i);
        const bool touches = touches_cell(in.op);
        if (touches) note_touch();
        const std::size_t next = emit(i);
        // Brackets and regions say what is on the tape after them themselves.
        if (touches && next == i + 1 && info(in.op).bracket == jitbf::Bracket::None)
            note_touched(in);
        if (profiling_) count_after(i);
        // A region's memory version is part of the region's range, mapped by the outer walk.
        if (!in_memory_) map_range(CodeKind::Ops, i, next);
        i = next;
    }
}

void Emitter::note_touch() { out_.ops.push_back({static_cast<std::uint32_t>(getSize()), index_}); }

void Emitter::note_touched(const Instr& in) {
    on_tape_.add(in.off);
    if (info(in.op).reads_src) on_tape_.add(in.src);
}

// --- operands ---------------------------------------------------------------------------

Xbyak::Address Emitter::cell(std::int64_t off, const Xbyak::Reg64& scratch) {
    return cell(off, scratch, cell_ptr_, tape);
}

Xbyak::Address Emitter::cell(std::int64_t off, const Xbyak::Reg64& scratch,
                             const Xbyak::AddressFrame& size, const Xbyak::Reg64& base) {
    const std::int64_t disp = off * cell_size_;
    if (fits_int32(disp)) return size[base + static_cast<std::size_t>(disp)];
    mov(scratch, static_cast<std::uint64_t>(disp));
    add(scratch, base);
    return size[scratch];
}

void Emitter::lea_cell(const Xbyak::Reg64& dst, const Xbyak::Reg64& base, std::int64_t off) {
    const std::int64_t disp = off * cell_size_;
    if (fits_int32(disp)) {
        lea(dst, ptr[base + static_cast<std::size_t>(disp)]);
    } else {
        mov(dst, static_cast<std::uint64_t>(disp));
        add(dst, base);
    }
}

std::int32_t Emitter::wrapped(std::int64_t arg) const {
    switch (bits_) {
    case 8: return static_cast<std::int8_t>(arg);
    case 16: return static_cast<std::int16_t>(arg);
    default: return static_cast<std::int32_t>(arg);
    }
}

// --- arithmetic ---------------------------------------------------------------------------

void Emitter::add_constant(const Xbyak::Operand& dst, std::int32_t v) {
    // dst += v: inc / dec for +1 / -1, else add (ZF is set by the result either way)
    if (v == 1)
        inc(dst);
    else if (v == -1)
        dec(dst);
    else
        add(dst, imm32(v));
}

void Emitter::add_product(const Xbyak::Operand& dst, const Xbyak::Reg32& src, std::int32_t v) {
    // dst += src * v: add / sub for +1 / -1, else imul eax, src, v; add dst, al/ax/eax
    if (v == 1) {
        add(dst, src.changeBit(bits_));
    } else if (v == -1) {
        sub(dst, src.changeBit(bits_));
    } else {
        imul(eax, src, v);
        add(dst, acc());
    }
}

void Emitter::load_cell(const Xbyak::Reg32& dst, std::int64_t off) {
    // movzx dst, cell[off]   (mov at 32 bits)
    const Xbyak::Address c = cell(off, rax);
    if (bits_ == 32)
        mov(dst, c);
    else
        movzx(dst, c);
}

// --- direct encodings ----------------------------------------------------------------------
// xbyak takes some 300 instructions to encode `add byte [rbx+8], 3` (operand objects, REX
// and ModRM logic, a call per byte); these write the bytes it would. tape is rbx: no REX, and
// [rbx] needs no SIB and has a disp-0 form.

std::uint8_t* Emitter::reserve(std::size_t bytes) {
    while (size_ + bytes > maxSize_) growMemory();
    return top_ + size_;
}

void Emitter::cell_instr(std::uint8_t opcode, int ext, std::int32_t disp, int imm_bytes,
                         std::int32_t imm) {
    constexpr int kMaxBytes = 11;  // 66 op modrm disp32 imm32
    std::uint8_t* at = reserve(kMaxBytes);
    if (bits_ == 16) *at++ = 0x66;
    *at++ = opcode;
    const int base = tape.getIdx();
    const bool disp8 = disp >= -128 && disp <= 127;
    const int mod = disp == 0 ? 0 : disp8 ? 1 : 2;
    *at++ = static_cast<std::uint8_t>(mod << 6 | ext << 3 | base);
    if (mod == 1) {
        *at++ = static_cast<std::uint8_t>(disp);
    } else if (mod == 2) {
        std::memcpy(at, &disp, 4);
        at += 4;
    }
    std::memcpy(at, &imm, static_cast<std::size_t>(imm_bytes));  // little-endian: low bytes
    at += imm_bytes;
    size_ = static_cast<std::size_t>(at - top_);
}

bool Emitter::add_cell_constant(std::int64_t off, std::int32_t v) {
    // inc/dec: FE /0, /1 (byte), FF /0, /1; add: 80 /0 ib (byte), 83 /0 ib, 81 /0 iw/id
    const std::int64_t disp = off * cell_size_;
    if (!fits_int32(disp)) return false;
    const auto d = static_cast<std::int32_t>(disp);
    const std::uint8_t wide = bits_ == 8 ? 0 : 1;
    if (v == 1 || v == -1) {
        cell_instr(static_cast<std::uint8_t>(0xFE | wide), v == 1 ? 0 : 1, d, 0, 0);
    } else if (bits_ == 8) {
        cell_instr(0x80, 0, d, 1, v);
    } else if (v >= -128 && v <= 127) {
        cell_instr(0x83, 0, d, 1, v);
    } else {
        cell_instr(0x81, 0, d, bits_ / 8, v);
    }
    return true;
}

bool Emitter::set_cell(std::int64_t off, std::int32_t v) {
    // mov: C6 /0 ib (byte), C7 /0 iw/id
    const std::int64_t disp = off * cell_size_;
    if (!fits_int32(disp)) return false;
    cell_instr(bits_ == 8 ? 0xC6 : 0xC7, 0, static_cast<std::int32_t>(disp), bits_ / 8, v);
    return true;
}

bool Emitter::compare_cell_zero(std::int64_t off) {
    // cmp: 80 /7 00 (byte), 83 /7 00
    const std::int64_t disp = off * cell_size_;
    if (!fits_int32(disp)) return false;
    cell_instr(bits_ == 8 ? 0x80 : 0x83, 7, static_cast<std::int32_t>(disp), 1, 0);
    return true;
}

// The tape is contiguous: once the highest cell is on it, so is every cell from the lowest
// known one up, and likewise to the left. Only an end beyond the known cells needs a check.
static bool low_unchecked(const CellSpan& cells, const CellSpan& known) {
    return known.empty() || cells.lo() < known.lo();
}
static bool high_unchecked(const CellSpan& cells, const CellSpan& known) {
    return known.empty() || cells.hi() > known.hi();
}

bool Emitter::unchecked(const CellSpan& cells, const CellSpan& known) {
    return low_unchecked(cells, known) || high_unchecked(cells, known);
}

void Emitter::check_on_tape(const CellSpan& cells, const CellSpan& known, Label& off_tape) {
    // [lea rax, cell[lowest]; cmp rax, [ctx.tape_begin]; jb off_tape]
    // [lea rax, cell[highest]; cmp rax, [ctx.tape_end]; jae off_tape]
    if (low_unchecked(cells, known)) {
        lea_cell(rax, tape, cells.lo());
        cmp(rax, qword[ctx + offsetof(RunContext, tape_begin)]);
        jb(off_tape);
    }
    if (high_unchecked(cells, known)) {
        lea_cell(rax, tape, cells.hi());
        cmp(rax, qword[ctx + offsetof(RunContext, tape_end)]);
        jae(off_tape);
    }
}

void Emitter::check_bounds(const Xbyak::Reg64& addr) {
    // cmp addr, [ctx.tape_begin]; jb left; cmp addr, [ctx.tape_end]; jae right
    cmp(addr, qword[ctx + offsetof(RunContext, tape_begin)]);
    jb(tape_error_stub(RunStatus::LeftOfTape, addr));
    cmp(addr, qword[ctx + offsetof(RunContext, tape_end)]);
    jae(tape_error_stub(RunStatus::RightOfTape, addr));
}

// --- entry point --------------------------------------------------------------------------

Result<GeneratedCode> generate(const Program& prog, const Options& opts,
                               const Instrumentation& extra) {
    if (prog.code.size() > std::numeric_limits<std::uint32_t>::max())
        return Error{{}, "program too large to compile"};
    try {
        PageAllocator pages;  // outlives the emitter, which frees its buffer through it
        const SimdLevel simd = std::min(opts.simd, cpu_simd_level());
        std::optional<Emitter> emitter;
        try {
            emitter.emplace(prog, opts, simd, extra, &pages, code_estimate(prog));
        } catch (const Xbyak::Error& e) {
            // More address space than a limit allows (ulimit -v): start small, grow instead.
            if (e != Xbyak::ERR_CANT_ALLOC) throw;
            emitter.emplace(prog, opts, simd, extra, &pages, 4096);
        }
        GeneratedCode gen = emitter->run();
        const PageAllocator::Mapping m = pages.release(emitter->getCode());
        auto code = CodeBuffer::adopt(m.at, m.bytes, emitter->getSize());
        if (!code) return code.errors();
        gen.code = std::move(*code);
        return gen;
    } catch (const Xbyak::Error& e) {
        return Error{{}, std::string("cannot compile: ") + e.what()};
    } catch (const std::bad_alloc&) {
        return Error{{}, "cannot compile: out of memory"};
    }
}

}  // namespace jitbf::jit
