// The I/O trampolines generated code calls: thin wrappers over the same buffered Input and
// Output the interpreter uses, so both backends buffer, flush and hit EOF identically. A
// stop (stop.hpp) surfaces here as failed I/O: Output refuses bytes, Input gives EOF.
#include <cassert>
#include <cstdint>
#include <cstring>

#include "context.hpp"
#include "dump.hpp"
#include "stop.hpp"

// The code must keep the stack 16-byte aligned at its calls (System V). Then, once this
// function has pushed its frame pointer, the frame address is on a 16-byte boundary too.
// Checked in debug builds, so every test run with I/O checks the alignment.
#define JITBF_ASSERT_CALLED_ALIGNED() \
    assert(reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0)) % 16 == 0)

namespace jitbf::jit {

namespace {

// Failed I/O: the run was asked to stop, or else its output is closed.
bool closed(RunContext* ctx, std::uint32_t op) {
    const RunStatus stop = stop_requested();
    ctx->status =
        static_cast<std::uint64_t>(stop != RunStatus::Ok ? stop : RunStatus::OutputClosed);
    ctx->op = op;
    return false;
}

bool stopped(RunContext* ctx, std::uint32_t op, RunStatus why) {
    ctx->status = static_cast<std::uint64_t>(why);
    ctx->op = op;
    return false;
}

}  // namespace

bool put_byte(RunContext* ctx, std::uint32_t byte, std::uint32_t op) {
    JITBF_ASSERT_CALLED_ALIGNED();
    return ctx->out->put(static_cast<std::uint8_t>(byte)) || closed(ctx, op);
}

bool put_string(RunContext* ctx, std::uint32_t index, std::uint32_t op) {
    JITBF_ASSERT_CALLED_ALIGNED();
    return ctx->out->write((*ctx->strings)[index]) || closed(ctx, op);
}

// The code has touched `cell` already (an off-tape `,` faults before any I/O happens).
bool read_byte(RunContext* ctx, std::uint8_t* cell, std::uint32_t op) {
    JITBF_ASSERT_CALLED_ALIGNED();
    if (!ctx->out->flush()) return closed(ctx, op);
    const int ch = ctx->newline == Newline::Lf ? ctx->in->get_lf() : ctx->in->get();
    std::uint32_t value = 0;
    if (ch >= 0) {
        value = static_cast<std::uint32_t>(ch);
    } else if (const RunStatus stop = stop_requested(); stop != RunStatus::Ok) {
        return stopped(ctx, op, stop);
    } else {
        switch (ctx->eof) {
        case EofMode::Unchanged: return true;
        case EofMode::Zero: value = 0; break;
        case EofMode::MinusOne: value = ~std::uint32_t{0}; break;
        }
    }
    // Cells are aligned and the tape is little-endian memory: store the low bytes.
    std::memcpy(cell, &value, static_cast<std::size_t>(ctx->cell_bits / 8));
    return true;
}

bool dump_tape(RunContext* ctx, const std::uint8_t* cell, std::uint32_t op) {
    JITBF_ASSERT_CALLED_ALIGNED();
    // The cell's index from its address, rounding down: the pointer may be off the tape.
    const auto size = static_cast<std::int64_t>(ctx->cell_bits / 8);
    const auto bytes = static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(cell) -
                                                 reinterpret_cast<std::uintptr_t>(ctx->tape_begin));
    const std::int64_t pointer = bytes >= 0 ? bytes / size : -((-bytes + size - 1) / size);
    const TapeView view{ctx->tape_begin,
                        static_cast<std::uint64_t>(ctx->tape_end - ctx->tape_begin) /
                            static_cast<std::uint64_t>(size),
                        ctx->cell_bits};
    return write_dump(*ctx->opts, *ctx->out, ctx->positions[op], pointer, view) || closed(ctx, op);
}

}  // namespace jitbf::jit
