// The jitbf command: read the options, load and parse the program, hand it to the mode
// asked for. Each step lives in its own file here (options, source, commands, report);
// everything else is in the library.
#include <csignal>

#include "commands.hpp"
#include "options.hpp"
#include "parse.hpp"
#include "report.hpp"
#include "source.hpp"

int main(int argc, char** argv) {
    using namespace jitbf::cli;
    // A closed output pipe must surface as EPIPE from write(), not kill the process.
    std::signal(SIGPIPE, SIG_IGN);

    Cli cli;
    if (const auto status = parse_command_line(argc, argv, cli)) return *status;
    Source src;
    if (!load_source(cli, src)) return kExitUsage;
    auto parsed = jitbf::parse(src.text);
    if (!parsed) {
        print_errors(parsed.errors(), src, "error");
        return kExitUsage;
    }
    switch (cli.mode) {
    case Mode::Run: return run_program(cli, src, std::move(*parsed));
    case Mode::Check: return check_backends(cli, src, std::move(*parsed));
    case Mode::DumpIr: return dump_ir(cli, src, std::move(*parsed));
    }
    return kExitUsage;
}
