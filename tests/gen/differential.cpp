// One generated program in every configuration (see differential.hpp). A pass that breaks
// the IR is caught by verify() after each pass through the pipeline's observer, and is
// reported like any other mismatch instead of aborting, so the seed is never lost.
#include "differential.hpp"

#include <csignal>
#include <cstdio>
#include <unistd.h>

#include "check.hpp"
#include "parse.hpp"
#include "passes/passes.hpp"

namespace jitbf::gen {

namespace {

// Longer programs are described by their seed alone (jitbf_fuzz_diff --replay prints them).
constexpr std::size_t kMaxPrintedSource = 16 * 1024;

struct Ran {
    Program prog;
    Execution ex;
    std::string output;
};

// Optimizes and runs one configuration; an error is a setup failure or a broken pass.
Result<Ran> run_config(const Program& parsed, const Case& c, const Config& cfg,
                       std::uint64_t steps) {
    Options opts = c.opts;
    opts.opt_level = cfg.opt_level;
    opts.step_limit = steps;
    std::string broken;
    Program prog = optimize(parsed, opts, [&](std::string_view pass, const Program& p) {
        if (!broken.empty()) return;
        if (std::string err = verify(p); !err.empty())
            broken = "pass " + std::string(pass) + " broke the IR: " + err;
    });
    if (!broken.empty()) return Error{{}, broken};
    Ran ran{std::move(prog), {}, {}};
    auto in = Input::memory(c.input);
    auto out = Output::memory(&ran.output);
    auto ex = execute(ran.prog, opts, cfg.backend, in, out);
    if (!ex) return ex.errors();
    ran.ex = std::move(*ex);
    return ran;
}

std::string escaped(std::string_view s) {
    std::string r;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"' && c != '\'' && c != '%') {
            r += ch;
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\%03o", c);  // octal: what printf(1) understands
            r += buf;
        }
    }
    return r;
}

std::string seed_hex(std::uint64_t seed) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(seed));
    return buf;
}

std::string report(const Case& c, const Config& cfg, const std::string& what) {
    Options shown = c.opts;
    shown.opt_level = cfg.opt_level;
    std::string r = "differential mismatch: " + label(cfg) + " vs " + label(kOracle) +
                    " (the oracle): " + what + "\n";
    r += "  seed " + seed_hex(c.seed) + "; replay: jitbf_fuzz_diff --replay " + seed_hex(c.seed) +
         "\n";
    r += "  options: " + cli_flags(shown) + "\n";
    r += "  input (" + std::to_string(c.input.size()) + " bytes): \"" + escaped(c.input) + "\"\n";
    if (c.source.size() <= kMaxPrintedSource) {
        r += "  program (" + std::to_string(c.source.size()) + " bytes):\n" + c.source + "\n";
        r += "  same backend pair from the shell: printf '" + escaped(c.input) +
             "' | jitbf --check " + cli_flags(shown) + " -e '" + c.source + "'\n";
    } else {
        r += "  program: " + std::to_string(c.source.size()) + " bytes, too long to print here\n";
    }
    return r;
}

// A crash (a backend's bug can be one) must still name the program: a handler notes the
// seed of the program being run, then hands the signal to whatever handled it before us
// (doctest's crash report, the JIT's fault handler chains to us, or the default action).
constexpr int kCrashSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
struct sigaction g_before[NSIG];
volatile sig_atomic_t g_running = 0;
volatile std::uint64_t g_running_seed = 0;
volatile sig_atomic_t g_noted = 0;

void note_crash(int sig, siginfo_t* info, void*) {
    if (g_noted) {  // called again through a handler that chained back to us: give up
        signal(sig, SIG_DFL);
        if (info->si_code <= 0) raise(sig);
        return;
    }
    g_noted = 1;
    if (g_running) {  // only write(2) here: async-signal-safe
        char hex[16];
        const std::uint64_t seed = g_running_seed;
        for (int i = 0; i < 16; ++i) hex[i] = "0123456789abcdef"[(seed >> (60 - 4 * i)) & 0xf];
        auto put = [](const char* text, std::size_t n) {
            [[maybe_unused]] auto w = write(2, text, n);
        };
        constexpr char kWhat[] = "\ndifferential test crashed running the program with seed 0x";
        constexpr char kReplay[] = "; replay: jitbf_fuzz_diff --print --replay 0x";
        put(kWhat, sizeof kWhat - 1);
        put(hex, sizeof hex);
        put(kReplay, sizeof kReplay - 1);
        put(hex, sizeof hex);
        put("\n", 1);
    }
    sigaction(sig, &g_before[sig], nullptr);
    if (info->si_code <= 0) raise(sig);  // sent, not a fault: it would not come back
}

void install_crash_note() {
    static bool installed = false;
    if (installed) return;
    installed = true;
    struct sigaction sa {};
    sa.sa_sigaction = note_crash;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (int sig : kCrashSignals) sigaction(sig, &sa, &g_before[sig]);
}

// Marks a program as running, for the crash note.
class Running {
public:
    explicit Running(std::uint64_t seed) {
        g_running_seed = seed;
        g_running = 1;
    }
    ~Running() { g_running = 0; }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;
};

}  // namespace

std::string label(const Config& c) {
    return std::string(backend_name(c.backend)) + " -O" + std::to_string(c.opt_level);
}

DiffRunner::DiffRunner() {
    install_crash_note();
    auto parsed = parse("+[-]");
    Options opts;
    opts.tape_cells = 16;
    std::string sink;
    auto in = Input::none();
    auto out = Output::memory(&sink);
    jit_ = static_cast<bool>(execute(*parsed, opts, Backend::Jit, in, out));
}

Verdict DiffRunner::run(const Case& c) const {
    const Running running(c.seed);
    Verdict v;
    auto parsed = parse(c.source);
    if (!parsed) {
        v.kind = Verdict::Kind::Mismatch;
        v.report = report(
            c, kOracle, "the generated program does not parse: " + parsed.errors().front().message);
        return v;
    }
    auto oracle = run_config(*parsed, c, kOracle, kOracleSteps);
    if (!oracle) {
        v.kind = Verdict::Kind::Mismatch;
        v.report = report(c, kOracle, oracle.errors().front().message);
        return v;
    }
    v.oracle = oracle->ex.result.status;
    if (v.oracle == RunStatus::StepLimit) {
        v.kind = Verdict::Kind::Skipped;
        return v;
    }
    const std::string oracle_name = label(kOracle);  // RunRecord only borrows it
    const RunRecord expected{oracle_name, oracle->prog, oracle->ex, oracle->output};
    for (const Config& cfg : kCandidates) {
        if (cfg.backend == Backend::Jit && !jit_) continue;
        auto got = run_config(*parsed, c, cfg, kCandidateSteps);
        std::string diff;
        if (!got) {
            diff = "it did not run: " + got.errors().front().message;
        } else {
            const std::string name = label(cfg);
            diff = first_difference({name, got->prog, got->ex, got->output}, expected);
        }
        if (!diff.empty()) {
            v.kind = Verdict::Kind::Mismatch;
            v.report = report(c, cfg, diff);
            return v;
        }
    }
    return v;
}

void Tally::add(const Verdict& v) {
    ++programs;
    switch (v.kind) {
    case Verdict::Kind::Skipped: ++skipped; return;
    case Verdict::Kind::Mismatch: ++mismatches; return;
    case Verdict::Kind::Agree: break;
    }
    switch (v.oracle) {
    case RunStatus::LeftOfTape: ++left; break;
    case RunStatus::RightOfTape: ++right; break;
    case RunStatus::Ok:
    case RunStatus::OutputClosed:
    case RunStatus::StepLimit:
    case RunStatus::Timeout:
    case RunStatus::Stopped:
    case RunStatus::NotStarted: ++ok; break;
    }
}

std::string Tally::summary() const {
    return std::to_string(programs) +
           " programs: " + std::to_string(programs - skipped - mismatches) + " agree (" +
           std::to_string(ok) + " ended normally, " + std::to_string(left) +
           " ran off the left end, " + std::to_string(right) + " off the right end), " +
           std::to_string(mismatches) + " mismatched, " + std::to_string(skipped) +
           " skipped (the oracle ran out of steps)";
}

}  // namespace jitbf::gen
