// --emit-c: the optimized program as C on standard output (see src/emit_c.cpp).
#include "emit_c.hpp"

#include "commands.hpp"
#include "passes/passes.hpp"
#include "report.hpp"

namespace jitbf::cli {

int emit_c(const Cli& cli, const Source& src, Program parsed) {
    const Program prog = optimize(std::move(parsed), cli.opts, {});
    const std::string c = jitbf::emit_c({prog, cli.opts, src.name, src.text});
    // Written like a program's output: a closed pipe is a quiet end, a full disk an error.
    auto out = Output::fd(1);
    out.write(c);
    out.flush();
    return report_write_error(out) ? kExitRuntime : kExitOk;
}

}  // namespace jitbf::cli
