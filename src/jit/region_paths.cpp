// Shorter paths through region code (emit_region.cpp), for the digit loops of generated
// Brainfuck (collatz.b's and fractal.b's `x--; m--; t++; if m {t = 0}; if t {t = 0; m += K;
// y++}`, a loop on x): an if whose body leaves the next if's cell 0 jumps from its end past
// that if, as the memory code's thread_skip (emit_control.cpp) does from a skip, and an add
// between a cell's arithmetic and its test is made with lea, which leaves the flags, so the
// test needs no instruction of its own. Both only change which instructions run, never what
// the cells hold where the tape is looked at (a region cannot fault, and stops at its loop
// ends only); the plan's loads and stores are movs, which leave the flags too.
#include <cassert>

#include "emitter.hpp"

namespace jitbf::jit {

// At the IfEnd `end` of an if that branches, when the next op is an if and the ops at the
// end of this body set its cell to 0: jump from here past that if, which would not run. Its
// test is then made only on the way that skipped this if's body. Only where the plan moves
// no cell between here and there: the registers hold the same cells both ways. When a loop's
// end comes right after that if (the digit loop's back-edge), the jump is the back-edge
// itself, a copy of it: one jump fewer on the way through the body. Not into an if emitted
// without its branch (branch-free, a counting chain), nor when profiling (each op's count is
// taken where it runs).
void Emitter::region_thread(const Region& r, std::size_t end) {
    const std::size_t at = end + 1;  // the next if
    if (profiling_ || at >= r.end || !region_open_.back().branches) return;
    const Instr& second = prog_.code[at];
    if (second.op != Op::IfBegin || !zero_before(end, second.off)) return;
    if (branch_free_cells(prog_, at, bits_) || counting_chain(prog_, at)) return;
    const auto past = static_cast<std::size_t>(second.arg);
    if (plan_acts_within(r, end, past)) return;
    ++out_.threaded_ifs;
    const std::size_t after = past + 1;
    if (after < r.end && prog_.code[after].op == Op::LoopEnd && !plan_acts_within(r, past, after)) {
        // (the loop's back-edge); [jmp loop's end]
        assert(region_open_.size() >= 2);
        RegionBracket& loop = region_open_[region_open_.size() - 2];
        // A stop here names the loop's end, whose code this is.
        out_.ops.push_back(
            {static_cast<std::uint32_t>(getSize()), static_cast<std::uint32_t>(after)});
        region_loop_back(after, loop);
        if (!counting_) jmp(loop.end);
        return;
    }
    // jmp (the next if's end)
    region_thread_ = Label{};
    jmp(*region_thread_);
}

// Will the flags of zf_cell_'s cell be tested after op j, an add to another cell held in a
// register, with only ops between that can leave them as they are (sets, checks, such adds)?
bool Emitter::keeps_flags(const Region& r, std::size_t j) const {
    constexpr std::size_t kLookAhead = 8;  // bounds the walk: a compile stays linear
    for (std::size_t k = j + 1; k < r.end && k - j <= kLookAhead; ++k) {
        const Instr& in = prog_.code[k];
        switch (in.op) {
        case Op::Check: break;
        case Op::Set:
            if (in.off == *zf_cell_) return false;
            break;
        case Op::Add:
            if (in.off == *zf_cell_ || !reg_of(in.off)) return false;
            break;
        case Op::IfBegin:
        case Op::LoopBegin:
        case Op::LoopEnd: return in.off == *zf_cell_;
        default: return false;
        }
    }
    return false;
}

// Op j, an add: lea r, [r + arg] when the flags it would set are not wanted and those of
// the cell tested next are (keeps_flags). The register's bits above the cell's change, which
// nothing reads (a cell's register counts by its cell's bits only). Returns whether it did.
bool Emitter::region_add_keeping_flags(const Region& r, std::size_t j) {
    const Instr& in = prog_.code[j];
    if (!zf_cell_ || *zf_cell_ == in.off) return false;
    const std::optional<Xbyak::Reg32> reg = reg_of(in.off);
    if (!reg || !keeps_flags(r, j)) return false;
    const auto v = static_cast<std::int64_t>(wrapped(in.arg));
    lea(*reg, ptr[reg->cvt64() + static_cast<std::size_t>(v)]);
    return true;
}

}  // namespace jitbf::jit
