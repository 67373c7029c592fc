// The public API of jitbf.hpp on top of the pipeline: compile() is parse + optimize +
// Executable::compile, a run makes a tape and turns the backend's RunResult into an error
// with a source position.
#include <new>

#include "engine.hpp"
#include "jitbf/jitbf.hpp"
#include "parse.hpp"
#include "passes/passes.hpp"

namespace jitbf {

struct Compiled::Impl {
    Options opts;
    Program prog;  // optimized: places the op that stops a run
    Executable exe;
};

Compiled::Compiled(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Compiled::Compiled(Compiled&&) noexcept = default;
Compiled& Compiled::operator=(Compiled&&) noexcept = default;
Compiled::~Compiled() = default;

const Options& Compiled::options() const { return impl_->opts; }
std::size_t Compiled::code_bytes() const { return impl_->exe.code_bytes(); }

RunOutcome Compiled::run(Input& in, Output& out) const {
    RunOutcome outcome;
    auto tape = Tape::create(impl_->opts.tape_cells, impl_->opts.cell_bits);
    if (!tape) {
        outcome.status = RunStatus::NotStarted;
        outcome.error = tape.errors().front();
        return outcome;
    }
    const RunResult r = impl_->exe.run(*tape, in, out);
    outcome.status = r.status;
    if (r.status != RunStatus::Ok) outcome.error = runtime_error(impl_->prog, r, *tape);
    return outcome;
}

Result<Compiled> compile(std::string_view source, const Options& options) {
    if (options.cell_bits != 8 && options.cell_bits != 16 && options.cell_bits != 32)
        return Error{{}, "cell width must be 8, 16 or 32 bits"};
    if (options.tape_cells == 0 || options.tape_cells > kMaxTapeCells)
        return Error{{},
                     "tape size must be between 1 and " + std::to_string(kMaxTapeCells) + " cells"};
    if (options.opt_level < 0 || options.opt_level > 2)
        return Error{{}, "optimization level must be 0, 1 or 2"};
    if (options.debug_window > kMaxDebugWindow)
        return Error{{},
                     "the debug window must be at most " + std::to_string(kMaxDebugWindow) +
                         " cells on each side"};
    // Memory in proportion to the program is allocated only here, never during a run: an
    // embedder gets running out of it as an error like any other, not an exception.
    try {
        auto parsed = parse(source, options.debug);
        if (!parsed) return parsed.errors();
        Program prog = optimize(std::move(*parsed), options);
        auto exe = Executable::compile(prog, options, options.backend);
        if (!exe) return exe.errors();
        return Compiled(std::make_unique<Compiled::Impl>(
            Compiled::Impl{options, std::move(prog), std::move(*exe)}));
    } catch (const std::bad_alloc&) {
        return Error{{}, "out of memory: the program is too large to compile"};
    }
}

}  // namespace jitbf
