// The fuzz targets' checks (see checks.hpp). Each builds everything from the bytes it is
// given and keeps no state between calls, so a failure replays from its file alone.
#include "checks.hpp"

#include <array>

#include "check.hpp"
#include "engine.hpp"
#include "parse.hpp"
#include "passes/passes.hpp"

namespace jitbf::fuzz {

namespace {

// Loop back-edges the oracle may take; a program that needs more is not compared. The
// others get ten times as many, so a wrong program cannot hang them but a right one never
// runs out (as in tests/gen/differential.hpp).
constexpr std::uint64_t kOracleSteps = 100'000;
constexpr std::uint64_t kCandidateSteps = 10 * kOracleSteps;

// Small tapes, so that programs reach both ends and comparing tapes costs little; the
// backends round them up to whole pages.
constexpr std::array<std::uint64_t, 4> kTapeCells{1, 3000, 20'000, 65'536};

struct Config {
    Backend backend;
    int opt_level;
};
constexpr Config kOracle{Backend::Interp, 0};
constexpr std::array<Config, 5> kCandidates{{
    {Backend::Interp, 1},
    {Backend::Interp, 2},
    {Backend::Jit, 0},
    {Backend::Jit, 1},
    {Backend::Jit, 2},
}};
// Hook: when the C emitter (--emit-c) lands, compile and run its output here as one more
// candidate, compared with first_difference() like the others.

std::string label(const Config& cfg) {
    return std::string(backend_name(cfg.backend)) + " -O" + std::to_string(cfg.opt_level);
}

// Optimizes at opts.opt_level, verifying after every pass; what broke, or empty.
std::string optimize_verified(const Program& parsed, const Options& opts, Program& out) {
    std::string broken;
    out = optimize(parsed, opts, [&](std::string_view pass, const Program& p) {
        if (!broken.empty()) return;
        if (std::string err = verify(p); !err.empty())
            broken = "pass " + std::string(pass) + " at -O" + std::to_string(opts.opt_level) +
                     " broke the IR: " + err;
    });
    return broken;
}

struct Ran {
    Program prog;
    Execution ex;
    std::string output;
};

// One configuration from the parsed program to a finished run; an error is a broken pass
// or a setup failure (both bugs: these tapes are small).
std::string run(const Program& parsed, const Case& c, const Config& cfg, std::uint64_t steps,
                Ran& ran) {
    Options opts = c.opts;
    opts.opt_level = cfg.opt_level;
    opts.step_limit = steps;
    if (std::string broken = optimize_verified(parsed, opts, ran.prog); !broken.empty())
        return broken;
    auto in = Input::memory(c.input);
    auto out = Output::memory(&ran.output);
    auto ex = execute(ran.prog, opts, cfg.backend, in, out);
    if (!ex) return label(cfg) + " did not run: " + ex.errors().front().message;
    ran.ex = std::move(*ex);
    return {};
}

}  // namespace

Case decode(const std::uint8_t* data, std::size_t size) {
    Case c;
    if (size == 0) return c;
    const unsigned bits = data[0];
    constexpr int kWidths[] = {8, 8, 16, 32};
    constexpr EofMode kEofs[] = {EofMode::Unchanged, EofMode::Zero, EofMode::MinusOne,
                                 EofMode::Unchanged};
    constexpr SimdLevel kSimd[] = {SimdLevel::Scalar, SimdLevel::Sse2, SimdLevel::Avx2,
                                   SimdLevel::Avx2};
    c.opts.cell_bits = kWidths[bits & 3];
    c.opts.eof = kEofs[(bits >> 2) & 3];
    c.opts.tape_cells = kTapeCells[(bits >> 4) & 3];
    c.opts.simd = kSimd[(bits >> 6) & 3];
    const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::size_t bang = rest.find('!');
    c.source = rest.substr(0, bang);
    if (bang != std::string_view::npos) c.input = std::string(rest.substr(bang + 1));
    return c;
}

std::string check_passes(const Case& c) {
    auto parsed = parse(c.source);
    if (!parsed) {
        const auto& errs = parsed.errors();
        if (errs.empty() || errs.size() > kMaxReportedErrors + 1)
            return "a failed parse reported " + std::to_string(errs.size()) + " errors";
        for (std::size_t i = 0; i < errs.size(); ++i) {
            const bool summary = i == kMaxReportedErrors;  // "... and N more": no position
            if (errs[i].message.empty() || (!summary && errs[i].pos.line == 0))
                return "parse error " + std::to_string(i) + " has no message or no position";
        }
        return {};
    }
    if (std::string err = verify(*parsed); !err.empty()) return "the parser's IR is broken: " + err;
    for (int level = 0; level <= 2; ++level) {
        Options opts = c.opts;
        opts.opt_level = level;
        Program first, second;
        if (std::string broken = optimize_verified(*parsed, opts, first); !broken.empty())
            return broken;
        if (std::string broken = optimize_verified(*parsed, opts, second); !broken.empty())
            return broken;
        if (first.code != second.code || first.strings != second.strings)
            return "optimizing twice at -O" + std::to_string(level) + " gave different programs";
    }
    return {};
}

std::string check_differential(const Case& c) {
    auto parsed = parse(c.source);
    if (!parsed) return {};  // check_passes covers parse errors
    Ran oracle;
    if (std::string err = run(*parsed, c, kOracle, kOracleSteps, oracle); !err.empty()) return err;
    if (oracle.ex.result.status == RunStatus::StepLimit) return {};
    const std::string oracle_name = label(kOracle);
    const RunRecord expected{oracle_name, oracle.prog, oracle.ex, oracle.output};
    for (const Config& cfg : kCandidates) {
        Ran got;
        if (std::string err = run(*parsed, c, cfg, kCandidateSteps, got); !err.empty()) return err;
        const std::string name = label(cfg);
        if (std::string diff = first_difference({name, got.prog, got.ex, got.output}, expected);
            !diff.empty())
            return "differential mismatch: " + diff;
    }
    return {};
}

std::string check_dump(const Case& c) {
    auto parsed = parse(c.source);
    if (!parsed) return {};
    for (int level = 0; level <= 2; ++level) {
        Options opts = c.opts;
        opts.opt_level = level;
        std::string failure;
        // What --dump-ir=all prints (src/cli/dump_ir.cpp) is this text after a "; after PASS"
        // line. --dump-asm, when it lands, belongs here too: the final program's machine code.
        (void)optimize(*parsed, opts, [&](std::string_view pass, const Program& prog) {
            if (!failure.empty()) return;
            const std::string text = to_string(prog);
            // One line per op, each starting with the op's index (right-aligned).
            std::size_t line = 0, start = 0;
            for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos;
                 start = nl + 1, ++line) {
                const std::string index = std::to_string(line) + "  ";
                const std::size_t at = text.find_first_not_of(' ', start);
                if (at >= nl || text.compare(at, index.size(), index) != 0) {
                    failure = "line " + std::to_string(line) + " of the dump after " +
                              std::string(pass) + " does not start with its index";
                    return;
                }
            }
            if (start != text.size() || line != prog.code.size())
                failure = "the dump after " + std::string(pass) + " has " + std::to_string(line) +
                          " lines for " + std::to_string(prog.code.size()) + " ops";
        });
        if (!failure.empty()) return failure + " at -O" + std::to_string(level);
    }
    return {};
}

Check check_named(std::string_view target) {
    if (target == "passes") return check_passes;
    if (target == "differential") return check_differential;
    if (target == "dump") return check_dump;
    return nullptr;
}

}  // namespace jitbf::fuzz
