// Regions on registers: the code for a region of regalloc.hpp's plan.
//
// The region's cells are first checked to be on the tape (only the ends beyond those known to
// be); then its ops run with the planned cells in registers, loaded and stored where the plan
// says, and the other cells in memory as usual. Nothing in between can fault, so the tape
// only has to be right where the region ends and where the step limit stops a loop in it:
// there the cells written so far are stored first. When a cell may be off the tape the region
// runs from memory instead, emitted a second time by the ordinary walk, so the first touch
// off the tape faults at its own op as always. A counting chain of ifs (shape.hpp) in a
// region runs without a branch on its cell; region_paths.cpp shortens the paths between ifs.
#include <algorithm>
#include <cassert>
#include <utility>

#include "emitter.hpp"

namespace jitbf::jit {

namespace {

constexpr std::size_t kAll = ~std::size_t{0};  // store_live: every cell held, where a run stops

}  // namespace

std::size_t Emitter::emit_region(const Region& r) {
    // [lea rax, cell[lowest]; cmp rax, [ctx.tape_begin]; jb memory]
    // [lea rax, cell[highest]; cmp rax, [ctx.tape_end]; jae memory]
    // (the region on registers)
    // [jmp done; memory: (the region in memory); done:]
    const CellSpan known = on_tape_;
    Label memory, done;
    const bool may_leave = unchecked(r.extent, known);
    check_on_tape(r.extent, known, memory);
    ++out_.register_regions;
    assert(live_.empty() && lent_.empty() && region_open_.empty());
    zf_cell_.reset();
    PlanAt at;
    for (std::size_t j = r.begin; j < r.end;) {
        region_moves(r, at, j);
        // Nothing here can fault, but a timeout's signal may land here and must name the op.
        out_.ops.push_back({static_cast<std::uint32_t>(getSize()), static_cast<std::uint32_t>(j)});
        j = region_op(r, j);
    }
    region_moves(r, at, r.end);
    assert(live_.empty() && lent_.empty() && region_open_.empty());
    assert(at.slot == r.slots.size() && at.hole == r.holes.size());
    next_ = Known{};
    on_tape_ = known;
    if (!may_leave) {
        on_tape_.join(r.extent);
        return r.end;
    }
    jmp(done);
    L(memory);
    in_memory_ = true;
    emit_ops(r.begin, r.end);
    in_memory_ = false;
    L(done);
    next_ = Known{};
    return r.end;
}

// Before op j: the stores of the homes that end there, the loads of the holes that end, the
// stores of those that begin, then the loads of the homes that start. A hole lends its
// register to the homes inside it, so it ends after they do and begins before they start.
void Emitter::region_moves(const Region& r, PlanAt& at, std::size_t j) {
    // mov cell[k], r_k (the written cells whose home ends); movzx r_h, cell[h] (holes ending);
    // mov cell[h], r_h (the written cells of holes beginning); movzx r_k, cell[k] (starting)
    store_live(j);
    for (const Lent& l : lent_) {
        if (l.end != j || l.end == l.live.store_before) continue;  // (nothing after it)
        load_cell(l.live.reg, l.live.cell);
        live_.push_back(l.live);
    }
    std::erase_if(lent_, [&](const Lent& l) { return l.end == j; });
    for (; at.hole < r.holes.size() && r.holes[at.hole].begin == j; ++at.hole) {
        const Hole& h = r.holes[at.hole];
        const auto l = std::find_if(live_.begin(), live_.end(),
                                    [&](const Live& x) { return x.cell == h.cell; });
        assert(l != live_.end() && h.end <= l->store_before);
        if (l->written) mov(cell(l->cell, rax), l->reg.changeBit(bits_));
        lent_.push_back(Lent{*l, h.end});
        live_.erase(l);
    }
    for (; at.slot < r.slots.size() && r.slots[at.slot].load_before == j; ++at.slot) {
        const Slot& s = r.slots[at.slot];
        assert(!reg_of(s.cell));
        const Xbyak::Reg32 reg = cell_regs[s.reg];
        if (s.load) load_cell(reg, s.cell);
        live_.push_back(Live{s.cell, reg, s.store_before, s.written});
    }
}

// Stores the written cells whose home ends before op `before` (and forgets them); all of
// them, still held, for kAll (where the step limit stops the program).
void Emitter::store_live(std::size_t before) {
    const bool all = before == kAll;
    for (const Live& l : live_)
        if ((all || l.store_before == before) && l.written)
            mov(cell(l.cell, rax), l.reg.changeBit(bits_));
    if (!all) std::erase_if(live_, [&](const Live& l) { return l.store_before == before; });
}

std::optional<Xbyak::Reg32> Emitter::reg_of(std::int64_t off) const {
    for (const Live& l : live_)
        if (l.cell == off) return l.reg;
    return std::nullopt;
}

// test r, r   or   cmp cell[off], 0   -- or nothing when the last op's flags tell
void Emitter::test_in_region(std::int64_t off) {
    if (zf_cell_ == off) return;
    if (const std::optional<Xbyak::Reg32> r = reg_of(off)) {
        const Xbyak::Reg w = r->changeBit(bits_);
        test(w, w);
    } else {
        cmp(cell(off, rax), 0);
    }
}

// Does the plan load, store or lend a cell before any op in (from, to]?
bool Emitter::plan_acts_within(const Region& r, std::size_t from, std::size_t to) {
    auto inside = [&](std::size_t j) { return from < j && j <= to; };
    for (const Slot& s : r.slots)
        if (inside(s.load_before) || inside(s.store_before)) return true;
    for (const Hole& h : r.holes)
        if (inside(h.begin) || inside(h.end)) return true;
    return false;
}

// A counting chain (shape.hpp) without a branch on its cell c, in two cell registers no cell
// holds here (m, t) and rax:
// movzx m, r_c | movzx m, cell[c]; mov eax, depth; cmp m, eax; cmova m, eax
// sub c, m; xor t, t; cmp m, depth; sete t   (t: m = depth)
// per target: add x, m | sub x, m | imul eax, m, each; add x, al   (and so with t and
// last - each); then the tail, if any, as region code. Returns the op after the chain, or
// nothing (and emits nothing) when two registers are not free.
std::optional<std::size_t> Emitter::region_chain(const Region& r, std::size_t at,
                                                 const Chain& chain) {
    std::vector<Xbyak::Reg32> spare;
    for (const Xbyak::Reg32& reg : cell_regs)
        if (std::none_of(live_.begin(), live_.end(),
                         [&](const Live& l) { return l.reg.getIdx() == reg.getIdx(); }))
            spare.push_back(reg);
    if (spare.size() < 2) return std::nullopt;
    const Xbyak::Reg32 m = spare[0], t = spare[1];
    // Only the cell's bits of a register count: a set leaves its constant sign-extended.
    const std::optional<Xbyak::Reg32> held = reg_of(chain.cell);
    if (!held)
        load_cell(m, chain.cell);
    else if (bits_ == 32)
        mov(m, *held);
    else
        movzx(m, held->changeBit(bits_));
    const auto depth = static_cast<std::uint32_t>(chain.depth);
    mov(eax, depth);
    cmp(m, eax);
    cmova(m, eax);
    on_cell(chain.cell, [&](const Xbyak::Operand& c) { sub(c, m.changeBit(bits_)); });
    xor_(t, t);
    cmp(m, depth);
    sete(t.cvt8());
    auto add_times = [&](std::int64_t cell, const Xbyak::Reg32& times, std::int64_t factor) {
        const std::int32_t f = wrapped(factor);
        if (f == 0) return;
        on_cell(cell, [&](const Xbyak::Operand& x) { add_product(x, times, f); });
    };
    for (const ChainTarget& x : chain.targets) {
        add_times(x.cell, m, x.each);
        add_times(x.cell, t, x.last - x.each);
    }
    zf_cell_.reset();
    // The ops without code of their own head nothing (--dump-asm lists them all the same);
    // each op of the tail heads its code.
    auto head = [&](std::size_t from, std::size_t to) {
        for (std::size_t k = from; k < to; ++k)
            out_.ops.push_back(
                {static_cast<std::uint32_t>(getSize()), static_cast<std::uint32_t>(k)});
    };
    std::size_t k = at + 1;
    if (chain.tail) {
        head(k, *chain.tail);
        const auto tail_end = static_cast<std::size_t>(prog_.code[*chain.tail].arg);
        for (k = *chain.tail; k <= tail_end;) {
            head(k, k + 1);
            k = region_op(r, k);
        }
    }
    head(k, chain.end + 1);
    return chain.end + 1;
}

std::size_t Emitter::region_op(const Region& r, std::size_t j) {
    const Instr& in = prog_.code[j];
    if (in.op == Op::IfBegin) {
        if (const std::optional<Chain> chain = counting_chain(prog_, j);
            chain && !plan_acts_within(r, j, chain->end)) {
            if (const std::optional<std::size_t> past = region_chain(r, j, *chain)) return *past;
        }
    }
    if (in.op == Op::Add && region_add_keeping_flags(r, j)) return j + 1;
    if (in.op == Op::IfEnd) region_thread(r, j);
    region_op(j);
    return j + 1;
}

// The test at a region loop's end and the jump back to its body:
// test; jnz body
// counting: test; jz end; dec budget; jnz body; mov cell[k], r_k...; jmp step_stub
void Emitter::region_loop_back(std::size_t j, RegionBracket& loop) {
    test_in_region(prog_.code[j].off);
    if (counting_) {
        jz(loop.end);
        dec(budget);
        jnz(loop.body);
        store_live(kAll);
        jmp(error_stub(RunStatus::StepLimit, static_cast<std::uint32_t>(j)));
    } else {
        jnz(loop.body);
    }
}

void Emitter::region_op(std::size_t j) {
    const Instr& in = prog_.code[j];
    switch (in.op) {
    case Op::Add:
        // add r, arg   or   add cell[off], arg   (inc / dec for +1 / -1)
        on_cell(in.off, [&](const Xbyak::Operand& c) { add_constant(c, wrapped(in.arg)); });
        zf_cell_ = in.off;
        break;
    case Op::Set:
        // mov r, arg   or   mov cell[off], arg
        if (const std::optional<Xbyak::Reg32> r = reg_of(in.off))
            mov(*r, imm32(wrapped(in.arg)));
        else
            mov(cell(in.off, rax), imm64(wrapped(in.arg)));
        if (zf_cell_ == in.off) zf_cell_.reset();
        break;
    case Op::MulAdd: {
        // [movzx eax, cell[src]]   (a source in memory)
        // add/sub dst, r_src   (factor +1/-1)   or   imul eax, r_src, arg; add dst, al/ax/eax
        std::optional<Xbyak::Reg32> src = reg_of(in.src);
        if (!src) {
            load_cell(eax, in.src);
            src = eax;
        }
        on_cell(in.off, [&](const Xbyak::Operand& c) { add_product(c, *src, wrapped(in.arg)); });
        zf_cell_ = in.off;
        break;
    }
    case Op::Check: break;  // within the extent checked at the start
    case Op::LoopBegin: {
        // test; jz end; body:
        RegionBracket& b = region_open_.emplace_back();
        b.branches = true;
        test_in_region(in.off);
        jz(b.end);
        align_loop_body();
        L(b.body);
        zf_cell_.reset();
        break;
    }
    case Op::LoopEnd: {
        // (the back-edge); end:
        RegionBracket& b = region_open_.back();
        region_loop_back(j, b);
        L(b.end);
        region_open_.pop_back();
        zf_cell_.reset();
        break;
    }
    case Op::IfBegin: {
        // test; jz end   -- or nothing for a branch-free if (its cells are in the extent)
        RegionBracket& b = region_open_.emplace_back();
        b.branches = !branch_free_cells(prog_, j, bits_);
        // (region_thread made sure this if branches.)
        assert(!region_thread_ || b.branches);
        b.threaded = std::exchange(region_thread_, std::nullopt);
        if (b.branches) {
            test_in_region(in.off);
            jz(b.end);
            zf_cell_ = in.off;  // what the flags now tell, in the body
        }
        break;
    }
    case Op::IfEnd:
        // end:
        if (region_open_.back().branches) {
            L(region_open_.back().end);
            if (region_open_.back().threaded) L(*region_open_.back().threaded);
            zf_cell_.reset();
        }
        region_open_.pop_back();
        break;
    default: assert(!stays_in_region(in) && "no region holds it"); break;
    }
}

}  // namespace jitbf::jit
