// The C compiler and the processes of c_build.hpp: fork and exec with files for the
// standard streams (no pipes to drain, no deadlock on a large output), and alarm() in the
// child as the time limit, since a wrong program may never end.
#include "c_build.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace jitbf::gen {

namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return std::move(ss).str();
}

bool write_file(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    f << text;
    return static_cast<bool>(f);
}

// Runs argv with the three standard streams on files; the exit status, 128 + N for signal N.
int spawn(const std::vector<std::string>& argv, const std::string& in, const std::string& out,
          const std::string& err, unsigned timeout_s) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        const int fds[3] = {open(in.c_str(), O_RDONLY),
                            open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644),
                            open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644)};
        for (int i = 0; i < 3; ++i)
            if (fds[i] < 0 || dup2(fds[i], i) < 0) _exit(127);
        // The test process may ignore SIGPIPE or block signals; the child starts clean.
        signal(SIGPIPE, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        alarm(timeout_s);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

const std::string& c_compiler() {
    static const std::string cc = [] {
        const char* env = std::getenv("CC");
        std::string name = env && *env ? env : "cc";
        std::string errors;
        if (!CBuild::compile("int main(void) { return 0; }\n", errors, {"-O0"}))
            return std::string();
        return name;
    }();
    return cc;
}

std::optional<CBuild> CBuild::compile(const std::string& c_source, std::string& errors,
                                      const std::vector<std::string>& flags) {
    char templ[] = "/tmp/jitbf-c-XXXXXX";
    if (!mkdtemp(templ)) {
        errors = "cannot make a temporary directory";
        return std::nullopt;
    }
    CBuild build{std::string(templ)};
    const std::string c = build.dir_ + "/prog.c";
    if (!write_file(c, c_source)) {
        errors = "cannot write " + c;
        return std::nullopt;
    }
    const char* env = std::getenv("CC");
    std::vector<std::string> argv = {env && *env ? env : "cc"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), {"-o", build.dir_ + "/prog", c});
    const int status =
        spawn(argv, "/dev/null", build.dir_ + "/cc.out", build.dir_ + "/cc.err", 600);
    if (status != 0) {
        errors = "C compiler exited with " + std::to_string(status) + ":\n" +
                 read_file(build.dir_ + "/cc.out") + read_file(build.dir_ + "/cc.err");
        return std::nullopt;
    }
    return build;
}

CBuild::CBuild(CBuild&& other) noexcept : dir_(std::move(other.dir_)) { other.dir_.clear(); }

CBuild::~CBuild() {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
}

Process CBuild::run(const std::vector<std::string>& args, const std::string& input,
                    unsigned timeout_s, bool tape) const {
    Process p;
    const std::string in = dir_ + "/in", out = dir_ + "/out", err = dir_ + "/err",
                      tape_file = dir_ + "/tape";
    write_file(in, input);
    std::vector<std::string> argv = {dir_ + "/prog"};
    argv.insert(argv.end(), args.begin(), args.end());
    if (tape) {
        fs::remove(tape_file);
        argv.push_back(tape_file);
    }
    p.status = spawn(argv, in, out, err, timeout_s);
    p.timed_out = p.status == 128 + SIGALRM;
    p.out = read_file(out);
    p.err = read_file(err);
    if (tape && p.status == 0) p.tape = read_file(tape_file);
    return p;
}

Expected expected_process(const Program& prog, const Options& opts, std::string_view name,
                          std::string_view source, const std::string& input) {
    Expected e;
    auto in = Input::memory(input);
    auto out = Output::memory(&e.process.out);
    auto ran = execute(prog, opts, Backend::Interp, in, out);
    if (!ran) {  // the tape could not be mapped: what jitbf prints then
        e.process.status = 1;
        e.process.err = "jitbf: " + format_error(ran.errors().front(), name, "error", source);
        return e;
    }
    e.ran = std::move(*ran);
    const RunResult& r = e.ran.result;
    switch (r.status) {
    case RunStatus::Ok: e.process.status = 0; break;
    case RunStatus::LeftOfTape:
    case RunStatus::RightOfTape:
    case RunStatus::StepLimit:
    case RunStatus::NotStarted:
    case RunStatus::Timeout:  // the reference runs with neither a timeout nor a stop
    case RunStatus::Stopped:
        e.process.status = 1;
        e.process.err = "jitbf: " + format_error(runtime_error(prog, r, e.ran.tape), name,
                                                 "runtime error", source);
        break;
    case RunStatus::OutputClosed: e.process.status = 0; break;
    }
    e.process.tape.assign(reinterpret_cast<const char*>(e.ran.tape.data()), e.ran.tape.bytes());
    return e;
}

std::string process_difference(const Process& got, const Process& want) {
    if (got.timed_out) return "the C program ran out of time";
    if (got.out != want.out) {
        std::size_t i = 0;
        while (i < got.out.size() && i < want.out.size() && got.out[i] == want.out[i]) ++i;
        return "output differs at byte " + std::to_string(i) + " (C wrote " +
               std::to_string(got.out.size()) + " bytes, jitbf " + std::to_string(want.out.size()) +
               ")";
    }
    if (got.status != want.status)
        return "exit status " + std::to_string(got.status) + ", jitbf's is " +
               std::to_string(want.status) + "; C's stderr: " + got.err;
    if (got.err != want.err) return "stderr differs:\nC:     " + got.err + "\njitbf: " + want.err;
    if (got.status == 0 && !got.tape.empty() && got.tape != want.tape) {
        std::size_t i = 0;
        while (i < got.tape.size() && i < want.tape.size() && got.tape[i] == want.tape[i]) ++i;
        return "final tape differs at byte " + std::to_string(i);
    }
    return {};
}

}  // namespace jitbf::gen
