// The interpreter backend: direct-threaded code with computed goto.
//
// The constructor decodes the IR once into a dense array of {handler address, operands},
// with jump targets turned into array indices (and a few superinstructions formed); run()
// then dispatches with one indirect jump per entry. Every
// touched cell is bounds-checked against the tape here: the interpreter never relies on
// guard pages or signals, so it checks the JIT's fault handling rather than sharing it.
//
// Loop back-edges count down a budget in chunks of kStopCheckEvery: the step limit needs the
// count anyway, and the end of each chunk is where a stop (stop.hpp) is noticed, at no cost
// per iteration.
#include "interp.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <limits>

#include "dump.hpp"
#include "huge_pages.hpp"
#include "stop.hpp"

namespace jitbf {

// The decoded form's types have a name, not the anonymous namespace's: Interpreter::Impl
// holds one, and a member of a type without linkage would be an ODR hazard wherever this
// file were #included (the unity build does).
namespace interp {

struct Decoded {
    const void* handler;
    std::int64_t arg;  // amount, move, factor, stride, string index, or jump target index
    std::int32_t off;
    std::int32_t src;
};

// Handlers beyond one per op: superinstructions the decoder forms.
struct Fused {
    const void* move_loop_end;  // Move then LoopEnd: the step of a loop that walks the tape
    const void* muladd_clear;   // MulAdd then Set of its source to 0: a copy loop's ending
};

// The decoded program: what runs, and for each entry the IR op it reports errors as (op
// indices fit 32 bits: the IR of 2^32 ops would not fit in memory). With the strings it is
// all the interpreter keeps: no copy of the IR.
struct DecodedProgram {
    std::vector<Decoded> code;
    std::vector<std::uint32_t> origin;
    std::vector<std::string> strings;  // Program::strings, for OutStr
    std::size_t ops = 0;               // in the IR
};

}  // namespace interp

namespace {

using interp::Decoded;
using interp::DecodedProgram;
using interp::Fused;

// Back-edges between two looks at whether the run must stop: a few microseconds' worth.
constexpr std::uint64_t kStopCheckEvery = std::uint64_t{1} << 16;

// Jumps land on the op after their partner, and a sentinel ends the code. IfEnd does
// nothing, so it is not decoded at all: a jump to it lands on whatever follows. A Move
// right before a LoopEnd fuses with it (one dispatch per iteration of a walking loop
// instead of two); the fused entry reports faults as the LoopEnd, which made the touch.
// A MulAdd right before a Set of its source to 0 fuses with it too: the Set's touch is the
// MulAdd's read, so only the MulAdd can fault.
template <class Cell>
void decode(const Program& prog, const void* const* handlers, const Fused& fused, const void* halt,
            DecodedProgram& out) {
    const std::size_t n = prog.code.size();
    auto fuses = [&](std::size_t i) {
        return prog.code[i].op == Op::Move && i + 1 < n && prog.code[i + 1].op == Op::LoopEnd &&
               prog.code[i].arg >= std::numeric_limits<std::int32_t>::min() &&
               prog.code[i].arg <= std::numeric_limits<std::int32_t>::max();
    };
    auto clears_source = [&](std::size_t i) {
        return prog.code[i].op == Op::MulAdd && i + 1 < n && prog.code[i + 1].op == Op::Set &&
               prog.code[i + 1].off == prog.code[i].src &&
               static_cast<Cell>(prog.code[i + 1].arg) == 0;
    };
    // first[i]: the decoded entry that IR op i starts at (or the next one, for an IfEnd).
    std::vector<std::uint32_t> first(n + 1);
    std::uint32_t at = 0;
    for (std::size_t i = 0; i < n; ++i) {
        first[i] = at;
        if (fuses(i) || clears_source(i)) {
            first[++i] = at;
            ++at;
        } else if (prog.code[i].op != Op::IfEnd) {
            ++at;
        }
    }
    first[n] = at;
    auto target = [&](std::int64_t partner) {
        return static_cast<std::int64_t>(first[static_cast<std::size_t>(partner) + 1]);
    };

    out.code.clear();
    out.origin.clear();
    reserve_huge(out.code, std::size_t{at} + 1);  // and the sentinel
    reserve_huge(out.origin, std::size_t{at} + 1);
    for (std::size_t i = 0; i < n; ++i) {
        const Instr& ins = prog.code[i];
        if (fuses(i)) {
            const Instr& end = prog.code[i + 1];
            out.code.push_back({fused.move_loop_end, target(end.arg), end.off,
                                static_cast<std::int32_t>(ins.arg)});
            out.origin.push_back(static_cast<std::uint32_t>(++i));
            continue;
        }
        if (clears_source(i)) {
            out.code.push_back({fused.muladd_clear, ins.arg, ins.off, ins.src});
            out.origin.push_back(static_cast<std::uint32_t>(i++));
            continue;
        }
        if (ins.op == Op::IfEnd) continue;  // a join point: nothing to do
        Decoded d{handlers[static_cast<int>(ins.op)], ins.arg, ins.off, ins.src};
        if (info(ins.op).arg == Arg::Partner) d.arg = target(ins.arg);
        if (ins.op == Op::Dump) {  // its position, for the dump's line: no IR is kept
            d.arg = ins.pos.line;
            d.src = static_cast<std::int32_t>(ins.pos.col);
        }
        out.code.push_back(d);
        out.origin.push_back(static_cast<std::uint32_t>(i));
    }
    out.code.push_back({halt, 0, 0, 0});
    out.origin.push_back(static_cast<std::uint32_t>(n));
    out.strings = prog.strings;
    out.ops = n;
}

// Labels are local to the function that holds them, so execute() has two modes: with
// `decode_into` set it only fills that in with `prog`'s decoded form (and `prog` is null
// otherwise); else it runs `decoded`.
// kProfile makes a second set of handlers that also count into `counts` (observe.hpp says
// what): a profiled program is decoded with those, and a program that is not profiled runs
// handlers without a trace of counting.
template <class Cell, bool kProfile>
RunResult execute(const Program* prog, DecodedProgram* decode_into, const DecodedProgram* decoded,
                  const Options& opts, Tape* tape, Input* in, Output* out, std::uint64_t step_limit,
                  std::uint64_t* counts, std::int64_t start) {
    static const void* const kHandlers[kOpCount] = {
        &&op_add,      &&op_set,      &&op_move,   &&op_muladd, &&op_scan,
        &&op_in,       &&op_out,      &&op_outstr, &&op_check,  &&op_loop_begin,
        &&op_loop_end, &&op_if_begin, &&op_if_end, &&op_dump,
    };
    static_assert(static_cast<int>(Op::Dump) == 13, "kHandlers follows the order of Op");
    static const Fused kFused{&&op_move_loop_end, &&op_muladd_clear};

    if (decode_into) {
        decode<Cell>(*prog, kHandlers, kFused, &&op_halt, *decode_into);
        return {};
    }

    Cell* const cells = reinterpret_cast<Cell*>(tape->data());
    const auto ncells = static_cast<std::int64_t>(tape->cells());
    const EofMode eof = opts.eof;
    const bool lf = opts.newline == Newline::Lf;
    const Cell eof_value = eof == EofMode::MinusOne ? static_cast<Cell>(~Cell{0}) : Cell{0};
    // Back-edges left: `budget` in this chunk, `reserve` after it (without a step limit, more
    // than any run takes).
    std::uint64_t reserve = step_limit ? step_limit : std::numeric_limits<std::uint64_t>::max();
    std::uint64_t budget = std::min(reserve, kStopCheckEvery);
    reserve -= budget;
    const Decoded* const base = decoded->code.data();
    const Decoded* ip = base;
    std::int64_t p = start;
    RunResult result;

// The cell an op touches, after checking it is on the tape.
#define CELL(o)                                                                       \
    (*({                                                                              \
        std::int64_t at_ = p + (o);                                                   \
        if (static_cast<std::uint64_t>(at_) >= static_cast<std::uint64_t>(ncells)) {  \
            result.status = at_ < 0 ? RunStatus::LeftOfTape : RunStatus::RightOfTape; \
            result.cell = at_;                                                        \
            goto fail;                                                                \
        }                                                                             \
        &cells[at_];                                                                  \
    }))
#define NEXT goto*(++ip)->handler
#define JUMP(to) goto*(ip = base + (to))->handler
// The counter of the IR op this entry came from (profiling only).
#define COUNT counts[decoded->origin[static_cast<std::size_t>(ip - base)]]
// A loop's test at its end, counting back-edges against the chunk of the budget. A macro
// rather than a shared label, so the fused move+end handler does not pay a jump to reach it.
#define BACK_EDGE                                 \
    do {                                          \
        if constexpr (kProfile) ++COUNT;          \
        if (CELL(ip->off) != 0) {                 \
            if (--budget == 0) goto end_of_chunk; \
            JUMP(ip->arg);                        \
        }                                         \
        NEXT;                                     \
    } while (false)

    goto * ip->handler;

op_add:
    CELL(ip->off) = static_cast<Cell>(CELL(ip->off) + static_cast<Cell>(ip->arg));
    NEXT;
op_set:
    CELL(ip->off) = static_cast<Cell>(ip->arg);
    NEXT;
op_move:
    p += ip->arg;
    NEXT;
op_muladd : {
    Cell v = CELL(ip->src);
    Cell& dst = CELL(ip->off);
    // In 32 bits, so a 16-bit product cannot overflow int after promotion.
    dst = static_cast<Cell>(dst +
                            static_cast<std::uint32_t>(v) * static_cast<std::uint32_t>(ip->arg));
    NEXT;
}
op_scan:
    if constexpr (kProfile) {
        const std::int64_t from = p;
        while (CELL(ip->off) != 0) p += ip->arg;
        COUNT += static_cast<std::uint64_t>((p - from) / ip->arg);
        NEXT;
    }
    while (CELL(ip->off) != 0) p += ip->arg;
    NEXT;
op_in : {
    Cell& c = CELL(ip->off);
    if (!out->flush()) goto output_failed;
    int ch = lf ? in->get_lf() : in->get();
    if (ch >= 0) {
        c = static_cast<Cell>(ch);
    } else if ((result.status = stop_requested()) != RunStatus::Ok) {
        goto fail;
    } else if (eof != EofMode::Unchanged) {
        c = eof_value;
    }
    NEXT;
}
op_out:
    if (!out->put(static_cast<std::uint8_t>(CELL(ip->off)))) goto output_failed;
    NEXT;
op_outstr:
    if (!out->write(decoded->strings[static_cast<std::size_t>(ip->arg)])) goto output_failed;
    NEXT;
op_check:
    (void)CELL(ip->off);
    NEXT;
op_loop_begin:
    if constexpr (kProfile) {
        ++COUNT;
        if (CELL(ip->off) == 0) JUMP(ip->arg);
        NEXT;
    }
    // (a loop's test and an if's are the same)
op_if_begin:
    if (CELL(ip->off) == 0) JUMP(ip->arg);
    if constexpr (kProfile) ++COUNT;
    NEXT;
op_loop_end:
    BACK_EDGE;
op_if_end:  // never decoded; here so every op has a handler
    NEXT;
op_dump : {
    const TapeView view{tape->data(), tape->cells(), tape->cell_bits()};
    const SourcePos pos{static_cast<std::uint32_t>(ip->arg), static_cast<std::uint32_t>(ip->src)};
    if (!write_dump(opts, *out, pos, p + ip->off, view)) goto output_failed;
    NEXT;
}
op_move_loop_end:
    p += ip->src;
    BACK_EDGE;
op_muladd_clear : {
    Cell& src = CELL(ip->src);
    Cell& dst = CELL(ip->off);
    dst = static_cast<Cell>(dst +
                            static_cast<std::uint32_t>(src) * static_cast<std::uint32_t>(ip->arg));
    src = 0;
    NEXT;
}
op_halt:
    out->flush();
    result.pointer = p;
    return result;
end_of_chunk:  // the back-edge at ip is the last of this chunk
    if ((result.status = stop_requested()) != RunStatus::Ok) goto fail;
    if (reserve == 0) {
        result.status = RunStatus::StepLimit;
        goto fail;
    }
    budget = std::min(reserve, kStopCheckEvery);
    reserve -= budget;
    JUMP(ip->arg);
output_failed:  // closed, or refusing bytes because the run must stop
    result.status = stop_requested();
    if (result.status == RunStatus::Ok) result.status = RunStatus::OutputClosed;
    goto fail;
fail:
    result.op = decoded->origin[static_cast<std::size_t>(ip - base)];
    result.pointer = p;
    out->flush();
    return result;
#undef CELL
#undef NEXT
#undef JUMP
#undef COUNT
#undef BACK_EDGE
}

}  // namespace

struct Interpreter::Impl {
    Options opts;
    interp::DecodedProgram decoded;
    bool profiled = false;
};

template <class Cell>
RunResult run_as(const Interpreter::Impl& impl, const Program* prog, DecodedProgram* decode_into,
                 Tape* tape, Input* in, Output* out, std::uint64_t step_limit,
                 std::uint64_t* counts, std::int64_t start = 0) {
    if (impl.profiled)
        return execute<Cell, true>(prog, decode_into, &impl.decoded, impl.opts, tape, in, out,
                                   step_limit, counts, start);
    return execute<Cell, false>(prog, decode_into, &impl.decoded, impl.opts, tape, in, out,
                                step_limit, nullptr, start);
}

Interpreter::Interpreter(const Program& prog, const Options& opts, bool profile)
    : impl_(std::make_unique<Impl>(Impl{opts, {}, profile})) {
    DecodedProgram* into = &impl_->decoded;
    switch (opts.cell_bits) {
    case 8: run_as<std::uint8_t>(*impl_, &prog, into, nullptr, nullptr, nullptr, 0, nullptr); break;
    case 16:
        run_as<std::uint16_t>(*impl_, &prog, into, nullptr, nullptr, nullptr, 0, nullptr);
        break;
    default:
        run_as<std::uint32_t>(*impl_, &prog, into, nullptr, nullptr, nullptr, 0, nullptr);
        break;
    }
}
Interpreter::~Interpreter() = default;
Interpreter::Interpreter(Interpreter&&) noexcept = default;
Interpreter& Interpreter::operator=(Interpreter&&) noexcept = default;

RunResult Interpreter::run(Tape& tape, Input& in, Output& out, ProfileCounts* counts,
                           std::uint64_t start) const {
    const std::uint64_t step_limit = impl_->opts.step_limit;
    assert(tape.cell_bits() == impl_->opts.cell_bits);
    assert(start < tape.cells());
    const auto p = static_cast<std::int64_t>(start);
    assert((counts != nullptr) == impl_->profiled && "counts go with a profiled program");
    assert(!counts || counts->size() == impl_->decoded.ops);
    std::uint64_t* c = counts ? counts->data() : nullptr;
    switch (impl_->opts.cell_bits) {
    case 8:
        return run_as<std::uint8_t>(*impl_, nullptr, nullptr, &tape, &in, &out, step_limit, c, p);
    case 16:
        return run_as<std::uint16_t>(*impl_, nullptr, nullptr, &tape, &in, &out, step_limit, c, p);
    default:
        return run_as<std::uint32_t>(*impl_, nullptr, nullptr, &tape, &in, &out, step_limit, c, p);
    }
}

}  // namespace jitbf
