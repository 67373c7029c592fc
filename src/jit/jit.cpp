// JitProgram: compile = emit + map; run = set up the context and the fault scope, call.
#include "jit/jit.hpp"

#include <cassert>
#include <string>
#include <utility>
#include <vector>

#include "code_buffer.hpp"
#include "codegen.hpp"
#include "context.hpp"
#include "fault.hpp"
#include "internals.hpp"

namespace jitbf {

struct JitProgram::Impl {
    // A profiled scan's counter holds the bytes it moved; this many make a step.
    struct ScanStep {
        std::size_t op;
        std::int64_t bytes;
    };

    jit::CodeBuffer code;
    std::vector<jit::OpOffset> ops;
    std::size_t fault_exit = 0;
    std::size_t body_begin = 0, body_end = 0;
    std::vector<std::string> strings;
    Options opts;
    std::size_t register_regions = 0;
    std::vector<CodeRange> map;
    bool profiled = false;
    std::size_t op_count = 0;
    std::vector<ScanStep> scans;       // profiled only
    std::vector<SourcePos> positions;  // of every op, for dumps (Options::debug only)
};

Result<JitProgram> JitProgram::compile(const Program& prog, const Options& opts,
                                       const Instrumentation& extra) {
    auto gen = jit::generate(prog, opts, extra);
    if (!gen) return gen.errors();
    jit::install_fault_handler();
    auto impl = std::make_unique<Impl>(Impl{std::move(gen->code),
                                            std::move(gen->ops),
                                            gen->fault_exit,
                                            gen->body_begin,
                                            gen->body_end,
                                            prog.strings,
                                            opts,
                                            gen->register_regions,
                                            std::move(gen->map),
                                            extra.profile,
                                            prog.code.size(),
                                            {},
                                            {}});
    if (opts.debug)
        for (const Instr& in : prog.code) impl->positions.push_back(in.pos);
    if (extra.profile)
        for (std::size_t i = 0; i < prog.code.size(); ++i)
            if (prog.code[i].op == Op::Scan)
                impl->scans.push_back({i, prog.code[i].arg * (opts.cell_bits / 8)});
    return JitProgram(std::move(impl));
}

JitProgram::JitProgram(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JitProgram::~JitProgram() = default;
JitProgram::JitProgram(JitProgram&&) noexcept = default;
JitProgram& JitProgram::operator=(JitProgram&&) noexcept = default;

std::size_t JitProgram::code_size() const { return impl_ ? impl_->code.size() : 0; }

std::span<const std::uint8_t> JitProgram::code() const {
    return {impl_->code.data(), impl_->code.size()};
}
std::size_t JitProgram::mapped_bytes() const { return impl_->code.mapped_bytes(); }
const std::vector<CodeRange>& JitProgram::code_map() const { return impl_->map; }
std::size_t JitProgram::register_regions() const { return impl_->register_regions; }
std::span<const jit::OpOffset> JitProgram::op_starts() const { return impl_->ops; }

RunResult JitProgram::run(Tape& tape, Input& in, Output& out, ProfileCounts* counts,
                          std::uint64_t start) const {
    return JitInternals::run(*this, tape, in, out, nullptr, counts, start);
}

RunResult JitInternals::run(const JitProgram& jp, Tape& tape, Input& in, Output& out,
                            Invoker invoke, ProfileCounts* counts, std::uint64_t start) {
    const JitProgram::Impl& impl = *jp.impl_;
    assert(tape.cell_bits() == impl.opts.cell_bits);
    assert(start < tape.cells());
    assert((counts != nullptr) == impl.profiled && "counts go with a profiled program");
    // The code's counters start from 0 (a scan's count is in bytes until the run is over).
    ProfileCounts raw;
    if (counts) raw.assign(impl.op_count, 0);
    jit::RunContext ctx;
    ctx.in = &in;
    ctx.out = &out;
    ctx.strings = &impl.strings;
    ctx.tape_begin = tape.data();
    ctx.tape_end = tape.data() + tape.bytes();
    ctx.step_limit = impl.opts.step_limit;
    ctx.eof = impl.opts.eof;
    ctx.newline = impl.opts.newline;
    ctx.opts = &impl.opts;
    ctx.positions = impl.positions.data();
    ctx.cell_bits = impl.opts.cell_bits;
    ctx.counts = counts ? raw.data() : nullptr;

    const jit::ActiveRun active{.tape = &tape,
                                .code = impl.code.data(),
                                .code_size = impl.code.size(),
                                .ops = impl.ops,
                                .fault_exit = impl.fault_exit,
                                .body_begin = impl.body_begin,
                                .body_end = impl.body_end};
    const auto entry =
        reinterpret_cast<jit::EntryFn>(reinterpret_cast<std::uintptr_t>(impl.code.data()));
    {
        jit::ActiveRunScope scope(active);
        std::uint8_t* const from = tape.data() + start * tape.cell_bytes();
        if (invoke)
            invoke(entry, from, &ctx);
        else
            entry(from, &ctx);
    }
    out.flush();
    if (counts) {
        assert(counts->size() == impl.op_count);
        for (const JitProgram::Impl::ScanStep& s : impl.scans)
            raw[s.op] = static_cast<std::uint64_t>(static_cast<std::int64_t>(raw[s.op]) / s.bytes);
        for (std::size_t i = 0; i < raw.size(); ++i) (*counts)[i] += raw[i];
    }
    RunResult r;
    r.status = static_cast<RunStatus>(ctx.status);
    r.pointer =
        static_cast<std::int64_t>(ctx.pointer - reinterpret_cast<std::uintptr_t>(tape.data())) /
        static_cast<std::int64_t>(tape.cell_bytes());
    if (r.status != RunStatus::Ok) r.op = static_cast<std::size_t>(ctx.op);
    if (r.status == RunStatus::LeftOfTape || r.status == RunStatus::RightOfTape) {
        // The cell from its address, rounding down (cells are aligned to their size).
        const auto bytes =
            static_cast<std::int64_t>(ctx.touched - reinterpret_cast<std::uintptr_t>(tape.data()));
        const auto size = static_cast<std::int64_t>(tape.cell_bytes());
        r.cell = bytes >= 0 ? bytes / size : -((-bytes + size - 1) / size);
    }
    return r;
}

const std::uint8_t* JitInternals::code(const JitProgram& jp) { return jp.impl_->code.data(); }

std::size_t JitInternals::mapped_bytes(const JitProgram& jp) {
    return jp.impl_->code.mapped_bytes();
}

}  // namespace jitbf
