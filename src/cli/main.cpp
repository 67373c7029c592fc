// The jitbf command: read the options, load and parse the program, hand it to the mode
// asked for. Each step lives in its own file here (options, source, commands, report);
// everything else is in the library.
#include <csignal>
#include <new>

#include "commands.hpp"
#include "options.hpp"
#include "parse.hpp"
#include "report.hpp"
#include "source.hpp"
#include "stopping.hpp"

namespace {

int run_command(const jitbf::cli::Cli& cli) {
    using namespace jitbf::cli;
    if (cli.mode == Mode::Repl) return repl(cli);  // its program comes a line at a time
    PhaseTimes times;                              // for --stats
    Source src;
    if (!load_source(cli, src)) return kExitUsage;
    times.lap("read");
    auto parsed = jitbf::parse(src.text, cli.opts.debug);
    times.lap("parse");
    if (!parsed) {
        print_errors(parsed.errors(), src, "error");
        return kExitUsage;
    }
    switch (cli.mode) {
    case Mode::Run: return run_program(cli, src, std::move(*parsed), times);
    case Mode::Check: return check_backends(cli, src, std::move(*parsed));
    case Mode::DumpIr: return dump_ir(cli, src, std::move(*parsed));
    case Mode::EmitC: return emit_c(cli, src, std::move(*parsed));
    case Mode::DumpAsm: return dump_asm(cli, src, std::move(*parsed));
    case Mode::Step: return step_program(cli, src, std::move(*parsed));
    case Mode::Portability: return portability(cli, src, std::move(*parsed));
    case Mode::Repl: break;  // handled above
    }
    return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace jitbf::cli;
    // A closed output pipe must surface as EPIPE from write(), not kill the process.
    std::signal(SIGPIPE, SIG_IGN);
    install_signal_handlers();

    Cli cli;
    if (const auto status = parse_command_line(argc, argv, cli)) return *status;
    // Reading, parsing, optimizing and compiling allocate in proportion to the program; a
    // run allocates nothing. So memory running out is always about the program's size.
    try {
        return run_command(cli);
    } catch (const std::bad_alloc&) {
        fail(
            "out of memory: the program is too large to compile within the memory this "
            "process may use");
        return kExitUsage;
    }
}
