// Backend selection: the only place that knows both backends.
#include "engine.hpp"

#include <utility>

#include "stop.hpp"

namespace jitbf {

std::string_view backend_name(Backend b) {
    switch (b) {
    case Backend::Jit: return "jit";
    case Backend::Interp: return "interp";
    }
    return "?";
}

Result<Executable> Executable::compile(const Program& prog, const Options& opts, Backend backend,
                                       const Instrumentation& extra) {
    switch (backend) {
    case Backend::Jit: {
        auto jit = JitProgram::compile(prog, opts, extra);
        if (!jit) return jit.errors();
        return Executable(std::move(*jit), opts.timeout);
    }
    case Backend::Interp: return Executable(Interpreter(prog, opts, extra.profile), opts.timeout);
    }
    return Error{{}, "no such backend"};
}

RunResult Executable::run(Tape& tape, Input& in, Output& out, ProfileCounts* counts,
                          std::uint64_t start) const {
    RunControl control;
    const RunControlScope scope(control, timeout_);
    if (scope.error() != 0) {
        RunResult r;
        r.status = RunStatus::NotStarted;
        r.error_number = scope.error();
        return r;
    }
    return std::visit([&](const auto& b) { return b.run(tape, in, out, counts, start); }, impl_);
}

const JitProgram* Executable::jit() const { return std::get_if<JitProgram>(&impl_); }

Backend Executable::backend() const {
    return std::holds_alternative<JitProgram>(impl_) ? Backend::Jit : Backend::Interp;
}

std::size_t Executable::code_bytes() const {
    const JitProgram* jit = std::get_if<JitProgram>(&impl_);
    return jit ? jit->code_size() : 0;
}

Result<Execution> execute(const Program& prog, const Options& opts, Backend backend, Input& in,
                          Output& out) {
    auto tape = Tape::create(opts.tape_cells, opts.cell_bits);
    if (!tape) return tape.errors();
    auto exe = Executable::compile(prog, opts, backend);
    if (!exe) return exe.errors();
    Execution ex{{}, std::move(*tape)};
    ex.result = exe->run(ex.tape, in, out);
    return ex;
}

}  // namespace jitbf
