// The default mode: run the program on one backend, on the process's stdin and stdout, with
// whatever --stats, --profile and --perf-map watch of it (watch.hpp) reported at the end.
#include "commands.hpp"
#include "engine.hpp"
#include "passes/passes.hpp"
#include "report.hpp"
#include "stopping.hpp"
#include "watch.hpp"

namespace jitbf::cli {

int conclude_run(const Cli& cli, const Program& prog, const RunResult& r, const Tape& tape,
                 const Output& out, const Source& src) {
    if (report_write_error(out)) return kExitRuntime;
    switch (r.status) {
    case RunStatus::Ok:
    case RunStatus::OutputClosed:  // the reader went away: a quiet end
        return kExitOk;
    case RunStatus::LeftOfTape:
    case RunStatus::RightOfTape:
    case RunStatus::NotStarted:
        print_errors({runtime_error(prog, r, tape)}, src, "runtime error");
        return kExitRuntime;
    case RunStatus::StepLimit:
    case RunStatus::Timeout:
    case RunStatus::Stopped:  // only signals stop runs, and exit_if_interrupted() took those
        report_stop(cli, src, r.status, runtime_error(prog, r, tape).pos);
        return kExitRuntime;
    }
    return kExitRuntime;
}

int run_program(const Cli& cli, const Source& src, Program parsed, PhaseTimes& times) {
    RunWatch watch(cli, src, times);
    const Program prog = optimize(std::move(parsed), cli.opts, watch.passes());
    auto tape = Tape::create(cli.opts.tape_cells, cli.opts.cell_bits);
    if (!tape) {
        print_setup_errors(tape.errors());
        return kExitRuntime;
    }
    auto exe = Executable::compile(prog, cli.opts, cli.opts.backend, watch.instrumentation());
    if (!exe) {
        print_setup_errors(exe.errors());
        return kExitRuntime;
    }
    watch.compiled(prog, *exe);  // a perf map that cannot be written is said, and not fatal
    auto in = Input::fd(0, src.input_prefix);
    auto out = Output::fd(1);
    const RunResult r = exe->run(*tape, in, out, watch.counts());
    exit_if_interrupted();
    watch.ran();
    const int status = conclude_run(cli, prog, r, *tape, out, src);
    watch.report(prog, *exe, *tape, in, out);
    return status;
}

}  // namespace jitbf::cli
