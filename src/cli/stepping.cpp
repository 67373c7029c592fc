// The debugging modes of the jitbf command: --trace and --watch (one run, lines on stderr)
// and --portability (nine runs, a report on stdout). Both take the parsed program as it is,
// the -O0 IR, and run it on the stepping interpreter (src/debug/).
#include <string>

#include "commands.hpp"
#include "debug/portability.hpp"
#include "debug/stepper.hpp"
#include "debug/trace.hpp"
#include "report.hpp"
#include "stopping.hpp"

namespace jitbf::cli {

int step_program(const Cli& cli, const Source& src, Program parsed) {
    const char* what = cli.trace ? "--trace" : "--watch";
    if (cli.opts.backend == Backend::Jit)
        fail(std::string(what) + " runs on the interpreter (at -O0): switching from the jit");
    auto tape = Tape::create(cli.opts.tape_cells, cli.opts.cell_bits);
    if (!tape) {
        print_setup_errors(tape.errors());
        return kExitRuntime;
    }
    auto in = Input::fd(0, src.input_prefix);
    auto out = Output::fd(1);
    auto lines = Output::fd(2);
    debug::Tracer tracer(parsed, {cli.trace, cli.watch}, out, lines);
    const RunResult r = debug::step_run(parsed, cli.opts, *tape, in, out, &tracer);
    exit_if_interrupted();
    return conclude_run(cli, parsed, r, *tape, out, src);
}

int portability(const Cli& cli, const Source& src, Program parsed) {
    // Every run gets the same input, so all of it is read first.
    auto stdin_input = Input::fd(0, src.input_prefix);
    std::string input;
    for (int c = stdin_input.get(); c >= 0; c = stdin_input.get())
        input.push_back(static_cast<char>(c));
    auto report = debug::check_portability(parsed, input, cli.opts);
    exit_if_interrupted();
    if (!report) {
        print_setup_errors(report.errors());
        return kExitRuntime;
    }
    return write_stdout(debug::to_string(*report, parsed));
}

}  // namespace jitbf::cli
