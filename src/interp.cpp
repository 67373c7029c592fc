// The interpreter backend: direct-threaded code with computed goto.
//
// run() decodes the IR once into a dense array of {handler address, operands}, with jump
// targets turned into array indices, then dispatches with one indirect jump per op. Every
// touched cell is bounds-checked against the tape here: the interpreter never relies on
// guard pages or signals, so it checks the JIT's fault handling rather than sharing it.
#include "jitbf/interp.hpp"

#include <cassert>
#include <cstring>
#include <limits>

namespace jitbf {

namespace {

struct Decoded {
    const void* handler;
    std::int64_t arg;  // amount, move, factor, stride, string index, or jump target index
    std::int32_t off;
    std::int32_t src;
};

// Jumps land on the op after their partner, and a sentinel ends the code.
template <class Cell>
void decode(const Program& prog, const void* const* handlers, const void* halt,
            std::vector<Decoded>& code) {
    code.resize(prog.code.size() + 1);
    for (std::size_t i = 0; i < prog.code.size(); ++i) {
        const Instr& ins = prog.code[i];
        Decoded& d = code[i];
        d = {handlers[static_cast<int>(ins.op)], ins.arg, ins.off, ins.src};
        switch (ins.op) {
        case Op::Add:
        case Op::Set:
        case Op::MulAdd:
        case Op::Move:
        case Op::Scan:
        case Op::In:
        case Op::Out:
        case Op::OutStr:
        case Op::Check:
        case Op::IfEnd:
            break;
        case Op::LoopBegin:
        case Op::LoopEnd:
        case Op::IfBegin:
            d.arg = ins.arg + 1;
            break;
        }
    }
    code.back() = {halt, 0, 0, 0};
}

// Labels are local to the function that holds them, so execute() has two modes: with
// `decoded` null it only fills in `prog`'s decoded form; otherwise it runs that form.
template <class Cell>
RunResult execute(const Program& prog, std::vector<Decoded>* decode_into,
                  const Decoded* decoded, EofMode eof, Tape* tape, Input* in, Output* out,
                  std::uint64_t step_limit) {
    static const void* const kHandlers[kOpCount] = {
        &&op_add, &&op_set, &&op_move, &&op_muladd, &&op_scan, &&op_in, &&op_out,
        &&op_outstr, &&op_check, &&op_loop_begin, &&op_loop_end, &&op_if_begin, &&op_if_end,
    };
    static_assert(static_cast<int>(Op::IfEnd) == 12, "kHandlers follows the order of Op");

    if (decode_into) {
        decode<Cell>(prog, kHandlers, &&op_halt, *decode_into);
        return {};
    }

    Cell* const cells = reinterpret_cast<Cell*>(tape->data());
    const auto ncells = static_cast<std::int64_t>(tape->cells());
    const Cell eof_value = eof == EofMode::MinusOne ? static_cast<Cell>(~Cell{0}) : Cell{0};
    std::uint64_t budget = step_limit ? step_limit : std::numeric_limits<std::uint64_t>::max();
    const Decoded* const base = decoded;
    const Decoded* ip = base;
    std::int64_t p = 0;
    RunResult result;

// The cell an op touches, after checking it is on the tape.
#define CELL(o)                                                              \
    (*({                                                                     \
        std::int64_t at_ = p + (o);                                          \
        if (static_cast<std::uint64_t>(at_) >= static_cast<std::uint64_t>(ncells)) { \
            result.status = at_ < 0 ? RunStatus::LeftOfTape : RunStatus::RightOfTape; \
            goto fail;                                                       \
        }                                                                    \
        &cells[at_];                                                         \
    }))
#define NEXT goto* (++ip)->handler
#define JUMP(to) goto*(ip = base + (to))->handler

    goto* ip->handler;

op_add:
    CELL(ip->off) = static_cast<Cell>(CELL(ip->off) + static_cast<Cell>(ip->arg));
    NEXT;
op_set:
    CELL(ip->off) = static_cast<Cell>(ip->arg);
    NEXT;
op_move:
    p += ip->arg;
    NEXT;
op_muladd: {
    Cell v = CELL(ip->src);
    Cell& dst = CELL(ip->off);
    // In 32 bits, so a 16-bit product cannot overflow int after promotion.
    dst = static_cast<Cell>(dst + static_cast<std::uint32_t>(v) * static_cast<std::uint32_t>(ip->arg));
    NEXT;
}
op_scan:
    while (CELL(ip->off) != 0) p += ip->arg;
    NEXT;
op_in: {
    Cell& c = CELL(ip->off);
    if (!out->flush()) {
        result.status = RunStatus::OutputClosed;
        goto fail;
    }
    int ch = in->get();
    if (ch >= 0)
        c = static_cast<Cell>(ch);
    else if (eof != EofMode::Unchanged)
        c = eof_value;
    NEXT;
}
op_out:
    if (!out->put(static_cast<std::uint8_t>(CELL(ip->off)))) {
        result.status = RunStatus::OutputClosed;
        goto fail;
    }
    NEXT;
op_outstr:
    if (!out->write(prog.strings[static_cast<std::size_t>(ip->arg)])) {
        result.status = RunStatus::OutputClosed;
        goto fail;
    }
    NEXT;
op_check:
    (void)CELL(ip->off);
    NEXT;
op_loop_begin:
op_if_begin:
    if (CELL(ip->off) == 0) JUMP(ip->arg);
    NEXT;
op_loop_end:
    if (CELL(ip->off) != 0) {
        if (--budget == 0) {
            result.status = RunStatus::StepLimit;
            goto fail;
        }
        JUMP(ip->arg);
    }
    NEXT;
op_if_end:
    NEXT;
op_halt:
    out->flush();
    return result;
fail:
    result.op = static_cast<std::size_t>(ip - base);
    out->flush();
    return result;
#undef CELL
#undef NEXT
#undef JUMP
}

}  // namespace

struct Interpreter::Impl {
    Program prog;
    Options opts;
    std::vector<Decoded> code;
};

template <class Cell>
RunResult run_as(const Interpreter::Impl& impl, std::vector<Decoded>* decode_into, Tape* tape,
                 Input* in, Output* out, std::uint64_t step_limit) {
    return execute<Cell>(impl.prog, decode_into, impl.code.data(), impl.opts.eof, tape, in, out,
                         step_limit);
}

Interpreter::Interpreter(const Program& prog, const Options& opts)
    : impl_(std::make_unique<Impl>(Impl{prog, opts, {}})) {
    switch (opts.cell_bits) {
    case 8: run_as<std::uint8_t>(*impl_, &impl_->code, nullptr, nullptr, nullptr, 0); break;
    case 16: run_as<std::uint16_t>(*impl_, &impl_->code, nullptr, nullptr, nullptr, 0); break;
    default: run_as<std::uint32_t>(*impl_, &impl_->code, nullptr, nullptr, nullptr, 0); break;
    }
}
Interpreter::~Interpreter() = default;
Interpreter::Interpreter(Interpreter&&) noexcept = default;
Interpreter& Interpreter::operator=(Interpreter&&) noexcept = default;

RunResult Interpreter::run(Tape& tape, Input& in, Output& out) const {
    const std::uint64_t step_limit = impl_->opts.step_limit;
    assert(tape.cell_bits() == impl_->opts.cell_bits);
    switch (impl_->opts.cell_bits) {
    case 8: return run_as<std::uint8_t>(*impl_, nullptr, &tape, &in, &out, step_limit);
    case 16: return run_as<std::uint16_t>(*impl_, nullptr, &tape, &in, &out, step_limit);
    default: return run_as<std::uint32_t>(*impl_, nullptr, &tape, &in, &out, step_limit);
    }
}

}  // namespace jitbf
