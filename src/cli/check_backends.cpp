// --check: the same program, input and options on both backends, then the comparison. The
// input is read whole first, since both runs need all of it; outputs are kept in memory, and
// so are the `#` dumps of --debug, compared after the output and written to stderr once.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

#include "check.hpp"
#include "commands.hpp"
#include "engine.hpp"
#include "passes/passes.hpp"
#include "report.hpp"
#include "stopping.hpp"

namespace jitbf::cli {

namespace {

// Appends everything left on a file descriptor; false (errno set) on a read error.
bool read_rest(int fd, std::string& into) {
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0)
            into.append(buf, static_cast<std::size_t>(n));
        else if (n == 0)
            return true;
        else if (errno != EINTR)
            return false;
    }
}

// "debug dump 3 differs: jit: # at ..., interp: # at ..." (the lines without their '\n').
std::string dump_difference(std::string_view a, std::string_view b) {
    for (std::size_t n = 1;; ++n) {
        const std::string_view la = a.substr(0, a.find('\n'));
        const std::string_view lb = b.substr(0, b.find('\n'));
        if (la != lb || a.empty() || b.empty())
            return "debug dump " + std::to_string(n) +
                   " differs: jit: " + (a.empty() ? "(none)" : std::string(la)) +
                   ", interp: " + (b.empty() ? "(none)" : std::string(lb));
        a.remove_prefix(std::min(a.size(), la.size() + 1));
        b.remove_prefix(std::min(b.size(), lb.size() + 1));
    }
}

}  // namespace

int check_backends(const Cli& cli, const Source& src, Program parsed) {
    const Program prog = optimize(std::move(parsed), cli.opts, {});
    std::string input = src.input_prefix;
    if (!read_rest(0, input)) {
        fail(std::string("cannot read standard input: ") + std::strerror(errno));
        return kExitUsage;
    }
    constexpr Backend kBackends[2] = {Backend::Jit, Backend::Interp};
    std::string outputs[2];
    std::string dumps[2];  // --debug: each backend's `#` dumps, compared like the output
    Execution runs[2];
    for (int i = 0; i < 2; ++i) {
        auto in = Input::memory(input);
        auto out = Output::memory(&outputs[i]);
        Options opts = cli.opts;
        opts.debug_out = [&dumps, i](std::string_view line) { dumps[i] += line; };
        auto ran = execute(prog, opts, kBackends[i], in, out);
        if (!ran) {
            print_setup_errors(ran.errors());
            return kExitRuntime;
        }
        exit_if_interrupted();
        // How far a program gets in a given time differs between backends: nothing to compare.
        if (ran->result.status == RunStatus::Timeout) {
            report_stop(cli, src, RunStatus::Timeout,
                        runtime_error(prog, ran->result, ran->tape).pos);
            return kExitRuntime;
        }
        runs[i] = std::move(*ran);
    }
    const std::string diff =
        first_difference({"jit", prog, runs[0], outputs[0]}, {"interp", prog, runs[1], outputs[1]});
    if (!diff.empty()) {
        write_stdout("backends differ: " + diff + "\n");
        return kExitRuntime;
    }
    if (dumps[0] != dumps[1]) {
        write_stdout("backends differ: " + dump_difference(dumps[0], dumps[1]) + "\n");
        return kExitRuntime;
    }
    std::fwrite(dumps[0].data(), 1, dumps[0].size(), stderr);
    return write_stdout("backends agree (" + std::to_string(outputs[0].size()) +
                        " bytes of output; " + describe_end(prog, runs[0]) + ")\n");
}

}  // namespace jitbf::cli
