// The jitbf command line: option definitions (CLI11), their checks and the help text.
//
// CLI11 splits the command line and writes the help; every message about a bad command line
// is ours, so that they all read alike ("jitbf: --cell-bits must be 8, 16 or 32, not 'abc'")
// and each names the option, the value and what is accepted. So options that take a value
// are read as text and checked here, and CLI11's own errors are reworded. A new option is a
// field in Cli, a definition in define_options() and, if it takes a value, a check in
// finish(), with the value readers it uses in option_values.cpp.
#include "options.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <limits>
#include <utility>
#include <vector>

#include "option_values.hpp"
#include "report.hpp"
#include "text.hpp"

extern const char* const jitbf_commit;  // commit.cpp, generated at build time

namespace jitbf::cli {

namespace {

constexpr const char* kFooter =
    R"(A value follows its option (--eof zero) or is attached to it (--eof=zero); the
-O level is always attached. Given twice, an option takes its last value.

Exit status:
  0      the program ran to its end (or its output was closed by the reader)
  1      runtime error: a cell touched off the tape, or output could not be written;
         or the program was stopped by --timeout or --max-steps
  2      usage error, unreadable program file, parse error (unmatched bracket), or a
         program too large to compile (over 2^29 commands, or the memory allowed)
  128+n  ended by signal n: SIGHUP (129), SIGINT (130) or SIGTERM (143), with the
         program's output so far written out

Semantics: cells wrap modulo 2^bits; the tape starts at cell 0 and is rounded up to whole
pages; a cell touched left of 0 or past the end is a runtime error naming the cell and
the source position of the instruction that touched it, with everything printed before it
flushed.

Environment: JITBF_SIMD=avx2|sse2|scalar lowers the instruction set of the JIT's
scans (default: the best the CPU has; a level the CPU lacks is ignored).)";

// CLI11 would show "--dump-ir{final}" and "-O LEVEL": say what is typed.
class HelpFormatter : public CLI::Formatter {
public:
    std::string make_option_name(const CLI::Option* opt, bool positional) const override {
        if (opt->get_name() == "--dump-ir") return "--dump-ir[=final|all]";
        if (opt->get_name() == "-O") return "-O0, -O1, -O2";
        return CLI::Formatter::make_option_name(opt, positional);
    }
};

// "jitbf 0.1.0 (commit ...)", then the SIMD level this CPU gets and the licence.
std::string version_text() {
    std::string text = std::string("jitbf ") + JITBF_VERSION + " (commit " + jitbf_commit + ")\n";
    text += "scans: " + std::string(simd_level_name(cpu_simd_level())) +
            " (the best this CPU has; JITBF_SIMD may lower it)\n";
    text += "licence: MIT (see LICENSE)";
    return text;
}

// Option values as typed, until finish() checks them.
struct Raw {
    std::string backend, cell_bits, eof, tape_cells, opt_level, timeout, max_steps;
    std::string debug_window, newline;  // define_debug_options()
    bool check = false;
    bool emit_c = false;
    bool dump_asm = false;
    std::vector<std::string> watch;  // --watch, each as typed
    bool portability = false;
    bool repl = false;
};

// The options that look inside the JIT and the run (README: "Looking inside").
void define_observing_options(CLI::App& app, Cli& cli, Raw& raw) {
    app.add_flag("--dump-asm", raw.dump_asm,
                 "print the JIT's machine code, each op's under the IR op and\n"
                 "source line it came from, and exit (jit backend only)");
    app.add_flag("--stats", cli.stats,
                 "after the run, print to stderr: time per phase (read, parse,\n"
                 "each pass, codegen, run), IR ops before and after the passes,\n"
                 "code size, cells touched, bytes in and out, and jitbf's\n"
                 "memory map (code, tape and its guards) from /proc/self/maps");
    app.add_flag("--profile", cli.profile,
                 "after the run, print to stderr the loops that did the most\n"
                 "work (ops executed), with entries and iterations; the same\n"
                 "counts on both backends (the JIT keeps loops in memory then)");
    app.add_flag("--perf-map", cli.perf_map,
                 "write /tmp/perf-PID.map naming the JIT's code by source\n"
                 "position (bf:loop@LINE:COL...), for perf report");
}

// The options that step through a run on the stepping interpreter (README: "Debugging").
void define_debugging_options(CLI::App& app, Cli& cli, Raw& raw) {
    app.add_flag("--trace", cli.trace,
                 "print each op run to stderr: its line:col, the op, the pointer\n"
                 "and the pointer's cell after it; a step is one op of the -O0\n"
                 "IR, a run such as +++ or >> being one (on the interpreter at\n"
                 "-O0 whatever --backend and -O say; --max-steps still counts\n"
                 "loop iterations)");
    app.add_option("--watch", raw.watch,
                   "print to stderr each change of cell CELL: old value, new\n"
                   "value, and the line:col of the op that made it (repeatable;\n"
                   "runs as --trace does)")
        ->type_name("CELL")
        ->expected(1)  // one cell each time: `--watch 3 prog.b` keeps prog.b
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_flag("--portability", raw.portability,
                 "read all of standard input, run the program on it with every\n"
                 "cell width and EOF mode (each stopped at loop iteration\n"
                 "10000000, or --max-steps), print which of them change its\n"
                 "output or ending, what wraps or reads past the end at 8 bits,\n"
                 "and one line of what it needs");
}

// `#` dumps and input line ends (README: "Debugging").
void define_debug_options(CLI::App& app, Cli& cli, Raw& raw) {
    app.add_flag("--debug", cli.opts.debug,
                 "make '#' print to stderr its line:col, the pointer's cell and the cells\n"
                 "around it (value, and character if printable), after flushing stdout;\n"
                 "the same on both backends and every -O (not with --emit-c; --check\n"
                 "compares the dumps too). Without --debug, '#' is a comment");
    app.add_option("--debug-window", raw.debug_window,
                   "cells a '#' dump shows on each side of the pointer (default: 8)")
        ->type_name("N");
    app.add_option("--newline", raw.newline,
                   "what ',' reads for line ends: bytes as they are (keep, the default),\n"
                   "or CR LF and a lone CR as one LF, 10 (lf)")
        ->type_name("keep|lf");
}

void define_options(CLI::App& app, Cli& cli, Raw& raw) {
    app.footer(kFooter);
    app.set_version_flag("--version", version_text());
    // Later options win (`-O0 ... -O2` is -O2), as in most Unix commands.
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.allow_extras();  // reported by finish(), with a suggestion
    app.add_option("FILE", cli.file,
                   "Brainfuck program to run; '-' reads it from standard input up to a '!'\n"
                   "outside any loop, and the rest of standard input is the program's input")
        ->type_name("");
    app.add_option("-e", cli.code, "run CODE instead of a file")->type_name("CODE");
    app.add_option("--backend", raw.backend, "execution backend (default: jit)")
        ->type_name("jit|interp");
    app.add_option("--cell-bits", raw.cell_bits, "cell width in bits (default: 8)")
        ->type_name("8|16|32");
    app.add_option("--eof", raw.eof,
                   "what ',' does at end of input: leave the cell unchanged (default),\n"
                   "store zero, or store minus-one (2^bits - 1)")
        ->type_name("unchanged|zero|minus-one");
    app.add_option("--tape-cells", raw.tape_cells,
                   "tape size: at least N cells right of and including cell 0, N from 1\n"
                   "to 4294967296 (default: 1048576; rounded up to whole pages)")
        ->type_name("N");
    // The level is attached (-O2); a bare -O is -O2 (see split_bare_O).
    app.add_option("-O", raw.opt_level,
                   "optimization level: 0 run-length folding only, 1 loop rewrites and\n"
                   "offsets, 2 everything (the default; -O alone means -O2)")
        ->type_name("");
    app.add_option("--timeout", raw.timeout,
                   "stop the program after SECONDS of wall-clock time, even while it waits\n"
                   "for input, with its output flushed and status 1 (fractions allowed;\n"
                   "default 0: no limit)")
        ->type_name("SECONDS");
    app.add_option("--max-steps", raw.max_steps,
                   "stop the program at its Nth loop iteration (a ']' jumping back; N-1 are\n"
                   "taken), with its output flushed and status 1 (default 0: no limit); loops\n"
                   "the optimizer rewrote (clears, multiplications, scans) count no steps, so\n"
                   "the count depends on -O")
        ->type_name("N");
    app.add_flag("--check", raw.check,
                 "run the program on both backends (jit and interp) with the same options\n"
                 "and all of standard input (read first), then print 'backends agree' (exit 0)\n"
                 "or their first difference: output byte, how the runs ended, or final tape\n"
                 "cell (exit 1); --backend is ignored");
    app.add_flag("--emit-c", raw.emit_c,
                 "print the program as a standalone C program and exit (cc -O2 prog.c);\n"
                 "it runs like jitbf with these options: same output, errors and status");
    // A flag, not an option with an optional value, so `--dump-ir prog.b` keeps prog.b.
    app.add_flag("--dump-ir{final}", cli.dump_ir,
                 "print the IR after the last pass (final, the default) or after parsing\n"
                 "and after every pass (all), and exit")
        ->type_name("");
    define_observing_options(app, cli, raw);
    define_debugging_options(app, cli, raw);
    define_debug_options(app, cli, raw);
    // --repl (README: "Interactive use"); its checks are in check_repl().
    app.add_flag("--repl", raw.repl,
                 "read Brainfuck from standard input a line at a time and run each line on\n"
                 "one tape that stays between lines, showing the pointer and the cells\n"
                 "around it after each (:help inside says more); line editing and\n"
                 "history on a terminal, plain lines otherwise (status 1 then if a line\n"
                 "failed); --cell-bits, --eof, --backend (here interp by default), -O,\n"
                 "--tape-cells and the limits apply to each line; no FILE or -e");
    app.formatter(std::make_shared<HelpFormatter>());
}

// --- before CLI11 -------------------------------------------------------------------------

// The option `name` names ("--eof"), if it is one of ours.
const CLI::Option* known_option(const CLI::App& app, const std::string& name) {
    if (name.size() < 2 || name[0] != '-' || name == "--") return nullptr;
    return app.get_option_no_throw(name);
}

// Checks what CLI11 would take the wrong way, and rewrites a bare `-O`. CLI11 would read
// `-O prog.b` as level "prog.b", `--check=3` as true and a trailing `--eof` as a message
// of its own. Stops at `--`, after which everything is FILE.
std::vector<std::string> prepare(int argc, char** argv, const CLI::App& app) {
    std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size() && args[i] != "--"; ++i) {
        const std::string& a = args[i];
        const bool last = i + 1 == args.size();
        if (a == "-O") {
            // As in cc: the level is attached, and -O alone optimizes (fully, here).
            const std::string next = last ? "" : args[i + 1];
            if (next == "0" || next == "1" || next == "2")
                throw UsageError{"-O takes its level attached: -O" + next + ", not -O " + next};
            args[i] = "-O2";
            continue;
        }
        const std::string name = a.substr(0, a.find('='));
        const CLI::Option* opt = known_option(app, name);
        if (opt == nullptr) continue;
        // --dump-ir is a flag that may have a value, but only attached.
        const bool flag = opt->get_expected_min() == 0;
        if (flag && name != "--dump-ir" && a.size() > name.size())
            throw UsageError{name + " takes no value, not " + in_quotes(a.substr(name.size() + 1))};
        if (!flag && a.size() == name.size()) {
            // The value is the next argument, unless it is an option (the value is missing).
            if (last || known_option(app, args[i + 1].substr(0, args[i + 1].find('='))))
                throw UsageError{name + " needs a value: " + accepted(name)};
            ++i;
        }
    }
    return args;
}

// --- after CLI11 --------------------------------------------------------------------------

// The known option closest to `name`: one it begins, or one a few edits away (ignoring
// case), at most one edit in three letters: "--cellbits" is --cell-bits, "-x" is nothing.
std::string closest_option(const CLI::App& app, std::string name) {
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::size_t letters = name.size() - std::min(name.find_first_not_of('-'), name.size());
    if (letters < 3) return {};
    std::string best;
    std::size_t best_distance = letters / 3 + 1;
    for (const CLI::Option* opt : app.get_options()) {
        std::vector<std::string> names;
        for (const std::string& l : opt->get_lnames()) names.push_back("--" + l);
        for (const std::string& s : opt->get_snames()) names.push_back("-" + s);
        for (const std::string& n : names) {
            const std::size_t d = n.rfind(name, 0) == 0 ? 1 : edit_distance(name, n);
            if (d < best_distance) {
                best = n;
                best_distance = d;
            }
        }
    }
    return best;
}

// --debug-window, --newline, and what --emit-c cannot do (its C has no dumps and reads
// bytes as they are).
void finish_debug(const CLI::App& app, Cli& cli, const Raw& raw) {
    Options& o = cli.opts;
    if (app.count("--debug-window")) {
        o.debug_window = static_cast<std::uint32_t>(
            whole_number("--debug-window", raw.debug_window, 0, kMaxDebugWindow));
    }
    if (app.count("--newline"))
        o.newline = choose<Newline>("--newline", raw.newline,
                                    {{"keep", Newline::Keep}, {"lf", Newline::Lf}});
    if (app.count("--emit-c") && o.debug)
        throw UsageError{"--debug does not go with --emit-c: the C program has no tape dumps"};
    if (app.count("--emit-c") && o.newline == Newline::Lf)
        throw UsageError{
            "--newline=lf does not go with --emit-c: the C program reads bytes as "
            "they are"};
}

// Options that cannot go together (checked here, not with CLI11's excludes(), which would
// list them all in --help).
void check_combinations(const CLI::App& app, const Cli& cli) {
    const char* mode = nullptr;  // one that does not run the program as usual
    for (const char* m : {"--check", "--dump-ir", "--emit-c", "--dump-asm"}) {
        if (!app.count(m)) continue;
        if (mode && std::string_view(m) == "--dump-asm")
            throw UsageError{std::string(mode) + " and --dump-asm do not go together"};
        if (!mode) mode = m;
    }
    for (const char* w : {"--stats", "--profile", "--perf-map"})
        if (mode && app.count(w))
            throw UsageError{std::string(w) + " watches a run, and " + mode +
                             " does not run the program"};
    for (const char* jit_only : {"--dump-asm", "--perf-map"})
        if (app.count(jit_only) && cli.opts.backend != Backend::Jit)
            throw UsageError{std::string(jit_only) +
                             " looks at machine code: it needs --backend jit"};
}

// --watch's cells, and the options that do not go with the debugging modes.
void finish_debugging(const CLI::App& app, Cli& cli, const Raw& raw) {
    for (const std::string& value : raw.watch)
        cli.watch.push_back(whole_number("--watch", value, 0, kMaxTapeCells - 1));
    const char* mode = raw.portability        ? "--portability"
                       : cli.trace            ? "--trace"
                       : app.count("--watch") ? "--watch"
                                              : nullptr;
    if (!mode) return;
    for (const char* other : {"--check", "--dump-ir", "--emit-c", "--dump-asm", "--stats",
                              "--profile", "--perf-map", "--trace", "--watch"}) {
        const std::string_view o = other;
        const bool stepping = o == "--trace" || o == "--watch";  // together is fine
        if (app.count(other) && o != mode && (!stepping || raw.portability))
            throw UsageError{std::string(mode) + " and " + other + " do not go together"};
    }
    for (const char* fixed : {"--cell-bits", "--eof"})
        if (raw.portability && app.count(fixed))
            throw UsageError{std::string("--portability runs every cell width and EOF mode: ") +
                             fixed + " does not go with it"};
    cli.mode = raw.portability ? Mode::Portability : Mode::Step;
}

// --repl reads its program from standard input, and runs it as usual otherwise.
void check_repl(const CLI::App& app, const Cli& cli) {
    if (app.count("-e") || !cli.file.empty())
        throw UsageError{"--repl reads its lines from standard input: give no FILE or -e"};
    for (const char* m : {"--check", "--dump-ir", "--emit-c", "--dump-asm", "--stats", "--profile",
                          "--perf-map", "--trace", "--watch", "--portability"})
        if (app.count(m)) throw UsageError{std::string(m) + " and --repl do not go together"};
}

// Checks what CLI11 left, turns the values into the library's Options and picks the mode.
void finish(const CLI::App& app, Cli& cli, const Raw& raw) {
    bool options_ended = false;  // after `--`, everything is an argument
    for (const std::string& extra : app.remaining()) {
        if (extra == "--" && !options_ended) {
            options_ended = true;
            continue;
        }
        if (!options_ended && extra.size() > 1 && extra[0] == '-') {
            const std::string name = extra.substr(0, extra.find('='));
            const std::string near = closest_option(app, name);
            throw UsageError{"unknown option " + text::shown(name) +
                             (near.empty() ? "" : " (did you mean " + near + "?)") + kSeeHelp};
        }
        throw UsageError{"unexpected argument " + in_quotes(extra) +
                         ": give one program, as FILE, '-' or -e CODE" + kSeeHelp};
    }
    if (app.count("-e") > 1) throw UsageError{"-e given twice: give the program as one CODE"};
    if (app.count("-e") && !cli.file.empty())
        throw UsageError{"give either FILE or -e CODE, not both"};
    if (raw.repl) check_repl(app, cli);
    if (!app.count("-e") && cli.file.empty() && !raw.repl)
        throw UsageError{std::string("no program: give FILE, '-' or -e CODE") + kSeeHelp};

    Options& o = cli.opts;
    if (app.count("--backend"))
        o.backend = choose<Backend>("--backend", raw.backend,
                                    {{"jit", Backend::Jit}, {"interp", Backend::Interp}});
    if (app.count("--cell-bits"))
        o.cell_bits = choose<int>("--cell-bits", raw.cell_bits, {{"8", 8}, {"16", 16}, {"32", 32}});
    if (app.count("--eof"))
        o.eof = choose<EofMode>("--eof", raw.eof,
                                {{"unchanged", EofMode::Unchanged},
                                 {"zero", EofMode::Zero},
                                 {"minus-one", EofMode::MinusOne}});
    if (app.count("--tape-cells"))
        o.tape_cells = whole_number("--tape-cells", raw.tape_cells, 1, kMaxTapeCells);
    if (app.count("--timeout")) {
        o.timeout = timeout(raw.timeout);
        cli.timeout_text = raw.timeout;
    }
    if (app.count("--max-steps"))
        o.step_limit = whole_number("--max-steps", raw.max_steps, 0,
                                    std::numeric_limits<std::uint64_t>::max());
    if (app.count("-O")) {
        const std::string level = raw.opt_level;
        if (level != "0" && level != "1" && level != "2")
            throw UsageError{"the optimization level must be -O0, -O1 or -O2, not " +
                             in_quotes("-O" + level)};
        o.opt_level = level[0] - '0';
    }
    if (!cli.dump_ir.empty() && cli.dump_ir != "final" && cli.dump_ir != "all")
        throw UsageError{"--dump-ir must be final or all (--dump-ir=all), not " +
                         in_quotes(cli.dump_ir)};
#ifndef NDEBUG
    o.verify_each_pass = true;
#endif
    // Only the command reads the environment; the library takes the level as an option.
    if (const char* simd = std::getenv("JITBF_SIMD"))
        if (const auto level = simd_level_named(simd)) o.simd = *level;
    check_combinations(app, cli);
    finish_debug(app, cli, raw);
    cli.mode = !cli.dump_ir.empty() ? Mode::DumpIr
               : raw.emit_c         ? Mode::EmitC
               : raw.dump_asm       ? Mode::DumpAsm
               : raw.check          ? Mode::Check
                                    : Mode::Run;
    finish_debugging(app, cli, raw);
    if (raw.repl) {
        cli.mode = Mode::Repl;  // alone: check_repl() refused the others
        // Exact after every stop (the JIT's cells in registers are not written back when a
        // signal stops it), and a line is small: the JIT only when asked for.
        if (!app.count("--backend")) o.backend = Backend::Interp;
    }
}

}  // namespace

std::optional<int> parse_command_line(int argc, char** argv, Cli& cli) {
    CLI::App app{"jitbf: a Brainfuck JIT compiler for x86-64", "jitbf"};
    Raw raw;
    define_options(app, cli, raw);
    try {
        std::vector<std::string> args = prepare(argc, argv, app);
        std::reverse(args.begin(), args.end());  // CLI11 takes them last first
        app.parse(args);
        finish(app, cli, raw);
    } catch (const UsageError& e) {
        fail(e.message);
        return kExitUsage;
    } catch (const CLI::CallForHelp&) {
        return write_stdout(app.help());
    } catch (const CLI::CallForVersion&) {
        return write_stdout(app.version() + "\n");
    } catch (const CLI::ParseError& e) {
        // Whatever prepare() did not foresee, in our style: one line, lower case.
        std::string what = e.what();
        std::replace(what.begin(), what.end(), '\n', ' ');
        if (!what.empty()) what[0] = static_cast<char>(std::tolower(what[0]));
        fail(text::shown(what) + kSeeHelp);
        return kExitUsage;
    }
    return std::nullopt;
}

}  // namespace jitbf::cli
