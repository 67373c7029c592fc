// The default mode: run the program on one backend, on the process's stdin and stdout.
#include "commands.hpp"
#include "engine.hpp"
#include "passes/passes.hpp"
#include "report.hpp"
#include "stopping.hpp"

namespace jitbf::cli {

int run_program(const Cli& cli, const Source& src, Program parsed) {
    const Program prog = optimize(std::move(parsed), cli.opts, {});
    auto in = Input::fd(0, src.input_prefix);
    auto out = Output::fd(1);
    auto ran = execute(prog, cli.opts, cli.opts.backend, in, out);
    if (!ran) {
        print_setup_errors(ran.errors());
        return kExitRuntime;
    }
    exit_if_interrupted();
    const RunResult& r = ran->result;
    if (report_write_error(out)) return kExitRuntime;
    switch (r.status) {
    case RunStatus::Ok:
    case RunStatus::OutputClosed:  // the reader went away: a quiet end
        return kExitOk;
    case RunStatus::LeftOfTape:
    case RunStatus::RightOfTape:
    case RunStatus::NotStarted:
        print_errors({runtime_error(prog, r, ran->tape)}, src, "runtime error");
        return kExitRuntime;
    case RunStatus::StepLimit:
    case RunStatus::Timeout:
    case RunStatus::Stopped:  // only signals stop runs, and exit_if_interrupted() took those
        report_stop(cli, src, r.status, runtime_error(prog, r, ran->tape).pos);
        return kExitRuntime;
    }
    return kExitRuntime;
}

}  // namespace jitbf::cli
