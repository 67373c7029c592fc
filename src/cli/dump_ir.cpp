// --dump-ir: the IR as text, after the last pass or (=all) after parsing and every pass.
#include <string>

#include "commands.hpp"
#include "passes/passes.hpp"
#include "report.hpp"

namespace jitbf::cli {

int dump_ir(const Cli& cli, const Source&, Program parsed) {
    std::string dump;
    PassObserver observe;
    if (cli.dump_ir == "all") {
        observe = [&dump](std::string_view pass, const Program& prog) {
            dump.append("; after ").append(pass).append("\n");
            dump.append(to_string(prog)).append("\n");
        };
    }
    const Program prog = optimize(std::move(parsed), cli.opts, observe);
    if (cli.dump_ir != "all") dump = to_string(prog);
    // Written like a program's output: a closed pipe is a quiet end, a full disk an error.
    auto out = Output::fd(1);
    out.write(dump);
    out.flush();
    return report_write_error(out) ? kExitRuntime : kExitOk;
}

}  // namespace jitbf::cli
