// The jitbf command: options, loading the program, and turning results into messages and
// exit statuses. Everything else is in the library; this file only talks to the user.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "check.hpp"
#include "engine.hpp"
#include "parse.hpp"
#include "passes/passes.hpp"

namespace {

// Exit statuses, as documented in --help and README.
constexpr int kExitOk = 0;
constexpr int kExitRuntime = 1;  // the program failed at run time (off the tape, write error)
constexpr int kExitUsage = 2;    // bad options, unreadable file, parse error

constexpr const char* kFooter = R"(Exit status:
  0  the program ran to its end (or its output was closed by the reader)
  1  runtime error: a cell touched off the tape, or output could not be written
  2  usage error, unreadable program file, or parse error (unmatched bracket)

Semantics: cells wrap modulo 2^bits; the tape starts at cell 0 and is rounded up to whole
pages; a cell touched left of 0 or past the end is a runtime error naming the source
position of the instruction, with everything printed before it flushed.

Environment: JITBF_SIMD=avx2|sse2|scalar lowers the instruction set of the JIT's
scans (default: the best the CPU has; a level the CPU lacks is ignored).)";

struct Cli {
    std::string file;
    std::string code;  // -e
    std::string backend = "jit";
    std::string eof = "unchanged";
    std::string dump_ir;  // "", "final" or "all"
    bool check = false;   // --check: run on both backends and compare
    jitbf::Options opts;
};

void fail(const std::string& message) { std::fprintf(stderr, "jitbf: %s\n", message.c_str()); }

// Reads a whole file; errors are one line, as for every usage problem.
bool read_file(const std::string& path, std::string& out) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) {
        fail("cannot open '" + path + "': " + std::strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        fail("cannot run '" + path + "': it is a directory");
        return false;
    }
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        fail("cannot open '" + path + "': " + std::strerror(errno));
        return false;
    }
    std::ostringstream ss;
    ss << f.rdbuf();
    if (f.bad()) {
        fail("cannot read '" + path + "'");
        return false;
    }
    out = std::move(ss).str();
    return true;
}

// The program from standard input: everything up to a `!` outside any loop. What follows
// the `!` (in the same read) is the start of the program's input.
// False (with the message printed) when standard input cannot be read.
bool read_program_from_stdin(std::string& source, std::string& input_prefix) {
    char buf[1 << 16];
    long depth = 0;
    for (;;) {
        ssize_t n = ::read(0, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            fail(std::string("cannot read standard input: ") + std::strerror(errno));
            return false;
        }
        if (n == 0) return true;
        for (ssize_t i = 0; i < n; ++i) {
            char c = buf[i];
            if (c == '!' && depth <= 0) {
                input_prefix.assign(buf + i + 1, static_cast<std::size_t>(n - i - 1));
                return true;
            }
            if (c == '[') ++depth;
            if (c == ']') --depth;
            source += c;
        }
    }
}

void print_errors(const std::vector<jitbf::Error>& errors, const std::string& name,
                  const char* kind, const std::string& source) {
    std::string all;
    for (const jitbf::Error& e : errors)
        all += "jitbf: " + jitbf::format_error(e, name, kind, source);
    std::fputs(all.c_str(), stderr);
}

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

// --check: the same program, input and options on both backends, then the comparison. The
// input is read whole first, since both runs need all of it; outputs are kept in memory.
int check_backends(const jitbf::Program& prog, const jitbf::Options& opts, std::string input,
                   const std::string& name, const std::string& source) {
    if (!read_rest(0, input)) {
        fail(std::string("cannot read standard input: ") + std::strerror(errno));
        return kExitUsage;
    }
    constexpr jitbf::Backend kBackends[2] = {jitbf::Backend::Jit, jitbf::Backend::Interp};
    std::string outputs[2];
    jitbf::Execution runs[2];
    for (int i = 0; i < 2; ++i) {
        auto in = jitbf::Input::memory(input);
        auto out = jitbf::Output::memory(&outputs[i]);
        auto ran = jitbf::execute(prog, opts, kBackends[i], in, out);
        if (!ran) {
            print_errors(ran.errors(), name, "error", source);
            return kExitRuntime;
        }
        runs[i] = std::move(*ran);
    }
    const std::string diff = jitbf::first_difference({"jit", prog, runs[0], outputs[0]},
                                                     {"interp", prog, runs[1], outputs[1]});
    if (!diff.empty()) {
        std::printf("backends differ: %s\n", diff.c_str());
        return kExitRuntime;
    }
    std::printf("backends agree (%zu bytes of output; %s)\n", outputs[0].size(),
                jitbf::describe_end(prog, runs[0]).c_str());
    return kExitOk;
}

int run(const Cli& cli) {
    jitbf::Options opts = cli.opts;
    opts.eof = cli.eof == "zero"        ? jitbf::EofMode::Zero
               : cli.eof == "minus-one" ? jitbf::EofMode::MinusOne
                                        : jitbf::EofMode::Unchanged;
#ifndef NDEBUG
    opts.verify_each_pass = true;
#endif
    // Only the command reads the environment; the library takes the level as an option.
    if (const char* simd = std::getenv("JITBF_SIMD"))
        if (const auto level = jitbf::simd_level_named(simd)) opts.simd = *level;

    std::string source, input_prefix, name;
    if (!cli.code.empty() || cli.file.empty()) {
        source = cli.code;
        name = "-e";
    } else if (cli.file == "-") {
        if (!read_program_from_stdin(source, input_prefix)) return kExitUsage;
        name = "<stdin>";
    } else {
        if (!read_file(cli.file, source)) return kExitUsage;
        name = cli.file;
    }

    auto parsed = jitbf::parse(source);
    if (!parsed) {
        print_errors(parsed.errors(), name, "error", source);
        return kExitUsage;
    }

    std::string dump;
    jitbf::PassObserver observe;
    if (cli.dump_ir == "all") {
        observe = [&dump](std::string_view pass, const jitbf::Program& prog) {
            dump.append("; after ").append(pass).append("\n");
            dump.append(jitbf::to_string(prog)).append("\n");
        };
    }
    jitbf::Program prog = jitbf::optimize(std::move(*parsed), opts, observe);
    if (!cli.dump_ir.empty()) {
        if (cli.dump_ir != "all") dump = jitbf::to_string(prog);
        // Written like a program's output: a closed pipe is a quiet end, a full disk an error.
        auto out = jitbf::Output::fd(1);
        out.write(dump);
        out.flush();
        if (out.error() != 0 && out.error() != EPIPE) {
            fail(std::string("cannot write output: ") + std::strerror(out.error()));
            return kExitRuntime;
        }
        return kExitOk;
    }
    if (cli.check) return check_backends(prog, opts, std::move(input_prefix), name, source);

    const jitbf::Backend backend =
        cli.backend == "jit" ? jitbf::Backend::Jit : jitbf::Backend::Interp;
    auto in = jitbf::Input::fd(0, std::move(input_prefix));
    auto out = jitbf::Output::fd(1);
    auto ran = jitbf::execute(prog, opts, backend, in, out);
    if (!ran) {
        print_errors(ran.errors(), name, "error", source);
        return kExitRuntime;
    }
    const jitbf::RunResult& r = ran->result;
    if (out.error() != 0 && out.error() != EPIPE) {
        fail(std::string("cannot write output: ") + std::strerror(out.error()));
        return kExitRuntime;
    }
    switch (r.status) {
    case jitbf::RunStatus::Ok:
    case jitbf::RunStatus::OutputClosed:  // the reader went away: a quiet end
        return kExitOk;
    case jitbf::RunStatus::LeftOfTape:
    case jitbf::RunStatus::RightOfTape:
    case jitbf::RunStatus::StepLimit:
    case jitbf::RunStatus::NotStarted:
        print_errors({jitbf::runtime_error(prog, r, ran->tape)}, name, "runtime error", source);
        return kExitRuntime;
    }
    return kExitRuntime;
}

// CLI11 would show the flag with a default value as "--dump-ir{final}": say it plainly.
class HelpFormatter : public CLI::Formatter {
public:
    std::string make_option_name(const CLI::Option* opt, bool positional) const override {
        if (opt->get_name() == "--dump-ir") return "--dump-ir[=all]";
        return CLI::Formatter::make_option_name(opt, positional);
    }
};

}  // namespace

int main(int argc, char** argv) {
    // A closed output pipe must surface as EPIPE from write(), not kill the process.
    std::signal(SIGPIPE, SIG_IGN);

    Cli cli;
    CLI::App app{"jitbf: a Brainfuck JIT compiler for x86-64", "jitbf"};
    app.footer(kFooter);
    app.set_version_flag("--version", std::string("jitbf ") + JITBF_VERSION);
    app.add_option("FILE", cli.file,
                   "Brainfuck program to run; '-' reads it from standard input up to a '!'\n"
                   "outside any loop, and the rest of standard input is the program's input")
        ->type_name("");
    app.add_option("-e", cli.code, "run CODE instead of a file")->type_name("CODE");
    app.add_option("--backend", cli.backend, "execution backend (default: jit)")
        ->check(CLI::IsMember({"jit", "interp"}).description(""))
        ->type_name("jit|interp");
    app.add_option("--cell-bits", cli.opts.cell_bits, "cell width in bits (default: 8)")
        ->check(CLI::IsMember({8, 16, 32}).description(""))
        ->type_name("8|16|32");
    app.add_option("--eof", cli.eof,
                   "what ',' does at end of input: leave the cell unchanged (default),\n"
                   "store zero, or store minus-one (2^bits - 1)")
        ->check(CLI::IsMember({"unchanged", "zero", "minus-one"}).description(""))
        ->type_name("unchanged|zero|minus-one");
    app.add_option("--tape-cells", cli.opts.tape_cells,
                   "tape size: at least N cells right of and including cell 0\n"
                   "(default: 1048576; rounded up to whole pages)")
        ->check(CLI::Range(std::uint64_t{1}, jitbf::kMaxTapeCells).description(""))
        ->type_name("N");
    app.add_option("-O", cli.opts.opt_level,
                   "optimization level: 0 run-length folding only, 1, 2 everything (default)")
        ->check(CLI::IsMember({0, 1, 2}).description(""))
        ->type_name("LEVEL");
    app.add_flag("--check", cli.check,
                 "run the program on both backends (jit and interp) with the same options\n"
                 "and all of standard input (read first), then print 'backends agree' (exit 0)\n"
                 "or their first difference: output byte, how the runs ended, or final tape\n"
                 "cell (exit 1); --backend is ignored");
    // A flag, not an option with an optional value, so `--dump-ir prog.b` keeps prog.b.
    app.add_flag("--dump-ir{final}", cli.dump_ir,
                 "print the final IR and exit; --dump-ir=all prints it after every pass")
        ->check(CLI::IsMember({"final", "all"}).description(""))
        ->type_name("");
    app.formatter(std::make_shared<HelpFormatter>());

    try {
        app.parse(argc, argv);
        if (app.count("-e") && !cli.file.empty())
            throw CLI::ValidationError("give either FILE or -e CODE, not both");
        if (cli.code.empty() && cli.file.empty() && !app.count("-e"))
            throw CLI::ValidationError("no program: give FILE, '-' or -e CODE (see --help)");
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return kExitOk;
    } catch (const CLI::CallForVersion&) {
        std::cout << app.version() << "\n";
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        std::string what = e.what();
        std::replace(what.begin(), what.end(), '\n', ' ');
        fail(what);
        return kExitUsage;
    }
    return run(cli);
}
