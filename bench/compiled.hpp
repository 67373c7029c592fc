// A program made ready to run on one backend, so benchmarks can time compiling and running
// separately: the front end (parse + passes), then the backend's own preparation (machine
// code for the JIT, the decoded form for the interpreter), then runs.
#pragma once

#include <memory>
#include <string_view>

#include "jitbf/engine.hpp"
#include "jitbf/interp.hpp"
#include "jitbf/jit.hpp"
#include "jitbf/parse.hpp"
#include "jitbf/passes.hpp"

namespace jitbf::bench {

// Parse + passes; the programs benchmarked are known to parse.
inline Program front_end(std::string_view source, const Options& opts) {
    auto parsed = parse(source);
    return optimize(std::move(*parsed), opts);
}

class Compiled {
public:
    static Result<Compiled> make(const Program& prog, const Options& opts, Backend backend) {
        Compiled c;
        switch (backend) {
        case Backend::Jit: {
            auto jit = JitProgram::compile(prog, opts);
            if (!jit) return jit.errors();
            c.jit_ = std::make_unique<JitProgram>(std::move(*jit));
            break;
        }
        case Backend::Interp: c.interp_ = std::make_unique<Interpreter>(prog, opts); break;
        }
        return c;
    }

    RunResult run(Tape& tape, Input& in, Output& out) const {
        return jit_ ? jit_->run(tape, in, out) : interp_->run(tape, in, out);
    }
    std::size_t code_bytes() const { return jit_ ? jit_->code_size() : 0; }

private:
    std::unique_ptr<JitProgram> jit_;
    std::unique_ptr<Interpreter> interp_;
};

}  // namespace jitbf::bench
