// Backend selection: the only place that knows both backends.
#include "jitbf/engine.hpp"

#include "jitbf/interp.hpp"
#include "jitbf/jit.hpp"

namespace jitbf {

std::string_view backend_name(Backend b) {
    switch (b) {
    case Backend::Jit: return "jit";
    case Backend::Interp: return "interp";
    }
    return "?";
}

Result<Execution> execute(const Program& prog, const Options& opts, Backend backend, Input& in,
                          Output& out) {
    auto tape = Tape::create(opts.tape_cells, opts.cell_bits);
    if (!tape) return tape.errors();
    Execution ex{{}, std::move(*tape)};
    switch (backend) {
    case Backend::Jit: {
        auto jit = JitProgram::compile(prog, opts);
        if (!jit) return jit.errors();
        ex.result = jit->run(ex.tape, in, out);
        break;
    }
    case Backend::Interp: ex.result = Interpreter(prog, opts).run(ex.tape, in, out); break;
    }
    return ex;
}

}  // namespace jitbf
