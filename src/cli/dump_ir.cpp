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
    return write_stdout(dump);
}

}  // namespace jitbf::cli
