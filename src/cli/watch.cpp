// RunWatch and PhaseTimes (see watch.hpp): the steps of a watched run, and its clock.
#include "watch.hpp"

namespace jitbf::cli {

void PhaseTimes::lap(std::string phase) {
    const Clock::time_point now = Clock::now();
    seconds_.emplace_back(std::move(phase), std::chrono::duration<double>(now - last_).count());
    last_ = now;
}

void PhaseTimes::skip() { last_ = Clock::now(); }

OpCounts count_ops(const Program& prog) {
    OpCounts n{};
    for (const Instr& in : prog.code) ++n[static_cast<std::size_t>(in.op)];
    return n;
}

RunWatch::RunWatch(const Cli& cli, const Source& src, PhaseTimes& times)
    : cli_(cli), src_(src), times_(times) {}

PassObserver RunWatch::passes() {
    if (!cli_.stats) return {};
    return [this](std::string_view pass, const Program& prog) {
        if (pass == "parse") {  // called before the first pass, with the parsed program
            parsed_ = count_ops(prog);
            times_.skip();
        } else {
            times_.lap(std::string(pass));
        }
    };
}

Instrumentation RunWatch::instrumentation() const {
    Instrumentation extra;
    extra.code_map = cli_.perf_map;
    extra.profile = cli_.profile;
    return extra;
}

bool RunWatch::compiled(const Program& prog, const Executable& exe) {
    times_.lap(exe.backend() == Backend::Jit ? "codegen" : "decode");
    if (cli_.profile) counts_.assign(prog.code.size(), 0);
    if (cli_.perf_map && exe.jit()) return write_perf_map(prog, *exe.jit());
    return true;
}

ProfileCounts* RunWatch::counts() { return cli_.profile ? &counts_ : nullptr; }

void RunWatch::ran() { times_.lap("run"); }

void RunWatch::report(const Program& prog, const Executable& exe, const Tape& tape, const Input& in,
                      const Output& out) {
    if (cli_.stats) print_stats({times_, parsed_, prog, exe, tape, in, out});
    if (cli_.profile) print_profile(prog, counts_, src_);
}

}  // namespace jitbf::cli
