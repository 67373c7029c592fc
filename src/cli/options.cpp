// The jitbf command line with CLI11: option definitions, validation and the help text.
#include "options.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "report.hpp"

extern const char* const jitbf_commit;  // commit.cpp, generated at build time

namespace jitbf::cli {

namespace {

constexpr const char* kFooter = R"(Exit status:
  0  the program ran to its end (or its output was closed by the reader)
  1  runtime error: a cell touched off the tape, or output could not be written
  2  usage error, unreadable program file, or parse error (unmatched bracket)

Semantics: cells wrap modulo 2^bits; the tape starts at cell 0 and is rounded up to whole
pages; a cell touched left of 0 or past the end is a runtime error naming the cell and
the source position of the instruction that touched it, with everything printed before it
flushed.

Environment: JITBF_SIMD=avx2|sse2|scalar lowers the instruction set of the JIT's
scans (default: the best the CPU has; a level the CPU lacks is ignored).)";

// CLI11 would show the flag with a default value as "--dump-ir{final}": say it plainly.
class HelpFormatter : public CLI::Formatter {
public:
    std::string make_option_name(const CLI::Option* opt, bool positional) const override {
        if (opt->get_name() == "--dump-ir") return "--dump-ir[=all]";
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

// Option values CLI11 keeps as text until they are checked.
struct Raw {
    std::string backend = "jit";
    std::string eof = "unchanged";
    bool check = false;
};

void define_options(CLI::App& app, Cli& cli, Raw& raw) {
    app.footer(kFooter);
    app.set_version_flag("--version", version_text());
    app.add_option("FILE", cli.file,
                   "Brainfuck program to run; '-' reads it from standard input up to a '!'\n"
                   "outside any loop, and the rest of standard input is the program's input")
        ->type_name("");
    app.add_option("-e", cli.code, "run CODE instead of a file")->type_name("CODE");
    app.add_option("--backend", raw.backend, "execution backend (default: jit)")
        ->check(CLI::IsMember({"jit", "interp"}).description(""))
        ->type_name("jit|interp");
    app.add_option("--cell-bits", cli.opts.cell_bits, "cell width in bits (default: 8)")
        ->check(CLI::IsMember({8, 16, 32}).description(""))
        ->type_name("8|16|32");
    app.add_option("--eof", raw.eof,
                   "what ',' does at end of input: leave the cell unchanged (default),\n"
                   "store zero, or store minus-one (2^bits - 1)")
        ->check(CLI::IsMember({"unchanged", "zero", "minus-one"}).description(""))
        ->type_name("unchanged|zero|minus-one");
    app.add_option("--tape-cells", cli.opts.tape_cells,
                   "tape size: at least N cells right of and including cell 0\n"
                   "(default: 1048576; rounded up to whole pages)")
        ->check(CLI::Range(std::uint64_t{1}, kMaxTapeCells).description(""))
        ->type_name("N");
    app.add_option("-O", cli.opts.opt_level,
                   "optimization level: 0 run-length folding only, 1, 2 everything (default)")
        ->check(CLI::IsMember({0, 1, 2}).description(""))
        ->type_name("LEVEL");
    app.add_flag("--check", raw.check,
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
}

// The library's Options and the mode, from the checked option values.
void finish(Cli& cli, const Raw& raw) {
    cli.opts.backend = raw.backend == "jit" ? Backend::Jit : Backend::Interp;
    cli.opts.eof = raw.eof == "zero"        ? EofMode::Zero
                   : raw.eof == "minus-one" ? EofMode::MinusOne
                                            : EofMode::Unchanged;
#ifndef NDEBUG
    cli.opts.verify_each_pass = true;
#endif
    // Only the command reads the environment; the library takes the level as an option.
    if (const char* simd = std::getenv("JITBF_SIMD"))
        if (const auto level = simd_level_named(simd)) cli.opts.simd = *level;
    cli.mode = !cli.dump_ir.empty() ? Mode::DumpIr : raw.check ? Mode::Check : Mode::Run;
}

}  // namespace

std::optional<int> parse_command_line(int argc, char** argv, Cli& cli) {
    CLI::App app{"jitbf: a Brainfuck JIT compiler for x86-64", "jitbf"};
    Raw raw;
    define_options(app, cli, raw);
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
    finish(cli, raw);
    return std::nullopt;
}

}  // namespace jitbf::cli
