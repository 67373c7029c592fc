// --portability (portability.hpp): the nine runs, the facts of the default one, and the
// report. The guesses about what a program needs are all in needs(), one rule per clause.
#include "debug/portability.hpp"

#include <algorithm>
#include <cstddef>

#include "debug/stepper.hpp"

namespace jitbf::debug {

namespace {

constexpr int kWidths[3] = {8, 16, 32};
constexpr EofMode kEofModes[3] = {EofMode::Unchanged, EofMode::Zero, EofMode::MinusOne};

const char* eof_name(EofMode e) {
    switch (e) {
    case EofMode::Unchanged: return "unchanged";
    case EofMode::Zero: return "zero";
    case EofMode::MinusOne: return "minus-one";
    }
    return "?";
}

// The facts of the default run (PortabilityReport::wrap, past_end, lowest, highest).
class Facts : public StepObserver {
public:
    Facts(const Program& prog, PortabilityReport& r) : prog_(prog), r_(r) {}
    void after(const Step& s) override {
        if (s.touched) {
            r_.lowest = r_.touched ? std::min(r_.lowest, s.lo) : s.lo;
            r_.highest = r_.touched ? std::max(r_.highest, s.hi) : s.hi;
            r_.touched = true;
        }
        if (s.wrote && (s.exact < 0 || s.exact > 255)) {
            if (r_.wrap.count++ == 0) {
                r_.wrap.pos = prog_.code[s.op].pos;
                r_.wrap.cell = s.cell;
                r_.wrap.below = s.exact < 0;
            }
        }
        if (s.at_eof && r_.past_end.count++ == 0) r_.past_end.pos = prog_.code[s.op].pos;
    }

private:
    const Program& prog_;
    PortabilityReport& r_;
};

// Do two runs print the same and end the same way, at the same op?
bool same(const PortabilityRun& a, const PortabilityRun& b) {
    return a.output == b.output && a.result.status == b.result.status &&
           (a.result.status == RunStatus::Ok || a.result.op == b.result.op);
}

const PortabilityRun& run_of(const PortabilityReport& r, int width_index, int eof_index) {
    return r.runs[static_cast<std::size_t>(width_index * 3 + eof_index)];
}

std::string ending(const PortabilityRun& run, const Program& prog) {
    const RunResult& r = run.result;
    const std::string at =
        r.op < prog.code.size() ? " at " + to_string(prog.code[r.op].pos) : std::string();
    switch (r.status) {
    case RunStatus::Ok: return "ok";
    case RunStatus::LeftOfTape:
    case RunStatus::RightOfTape: return "cell " + std::to_string(r.cell) + " off the tape" + at;
    case RunStatus::StepLimit: return "step limit" + at;
    case RunStatus::Timeout: return "time limit" + at;
    case RunStatus::Stopped: return "stopped" + at;
    case RunStatus::OutputClosed: return "output closed" + at;
    case RunStatus::NotStarted: return "not started";
    }
    return "?";
}

// How run's output compares with the default run's.
std::string output_text(const PortabilityRun& run, const PortabilityRun& base) {
    const std::string bytes =
        std::to_string(run.output.size()) + (run.output.size() == 1 ? " byte" : " bytes");
    if (&run == &base) return bytes;
    if (run.output == base.output) return "same";
    const auto diff =
        std::mismatch(run.output.begin(), run.output.end(), base.output.begin(), base.output.end());
    return bytes + ", differs from byte " +
           std::to_string(static_cast<std::size_t>(diff.first - run.output.begin()));
}

// The cell-width clause: which widths agree, for the first EOF mode where any differ.
std::string width_clause(const PortabilityReport& r) {
    for (int e = 0; e < 3; ++e) {
        const PortabilityRun &r8 = run_of(r, 0, e), &r16 = run_of(r, 1, e), &r32 = run_of(r, 2, e);
        if (same(r8, r16) && same(r16, r32)) continue;
        // The wider cells agree: nothing wraps there, and the 8-bit run overflowed. Unless
        // they agree on running into a limit, where the 8-bit run's wrap ended a loop.
        const bool ok8 = r8.result.status == RunStatus::Ok;
        const bool ok16 = r16.result.status == RunStatus::Ok;
        if (same(r16, r32) && ok16) return "needs cells wider than 8 bits";
        if (same(r16, r32) && ok8) return "needs 8-bit wrapping cells";
        if (same(r8, r16)) return "needs wrapping cells of 8 or 16 bits";
        // Every width gives its own result: the program counts on where cells wrap.
        if (!same(r8, r32)) return "needs 8-bit wrapping cells";
        return "its output depends on the cell width";
    }
    if (r.wrap.count > 0) return "cell width does not matter (its 8-bit wraps change nothing)";
    return "cell width does not matter";
}

// The EOF clause, at 8 bits: the modes whose runs end well, if they agree and others fail.
std::string eof_clause(const PortabilityReport& r) {
    const PortabilityRun& base = run_of(r, 0, 0);
    if (same(base, run_of(r, 0, 1)) && same(base, run_of(r, 0, 2)))
        return r.past_end.count ? "EOF behaviour does not matter"
                                : "EOF behaviour does not matter (it never reads past the end)";
    std::string modes;
    const PortabilityRun* first_ok = nullptr;
    bool agree = true, all_ok = true;
    for (int e = 0; e < 3; ++e) {
        const PortabilityRun& run = run_of(r, 0, e);
        if (run.result.status != RunStatus::Ok) {
            all_ok = false;
            continue;
        }
        if (first_ok && !same(*first_ok, run)) agree = false;
        if (!first_ok) first_ok = &run;
        modes += std::string(modes.empty() ? "--eof=" : " or --eof=") + eof_name(run.eof);
    }
    if (first_ok && agree && !all_ok) return "needs " + modes;
    return "its output depends on the EOF mode";
}

}  // namespace

Result<PortabilityReport> check_portability(const Program& prog, const std::string& input,
                                            const Options& opts) {
    PortabilityReport report;
    report.input_bytes = input.size();
    report.step_limit = opts.step_limit ? opts.step_limit : kPortabilitySteps;
    Options o = opts;
    o.step_limit = report.step_limit;
    for (int w = 0; w < 3; ++w) {
        for (int e = 0; e < 3; ++e) {
            PortabilityRun& run = report.runs[static_cast<std::size_t>(w * 3 + e)];
            run.cell_bits = o.cell_bits = kWidths[w];
            run.eof = o.eof = kEofModes[e];
            auto tape = Tape::create(o.tape_cells, o.cell_bits);
            if (!tape) return tape.errors();
            auto in = Input::memory(input);
            auto out = Output::memory(&run.output);
            Facts facts(prog, report);
            run.result = step_run(prog, o, *tape, in, out, w == 0 && e == 0 ? &facts : nullptr);
            if (run.result.status == RunStatus::NotStarted)
                return Error{{}, "the run could not start: no timer for --timeout"};
        }
    }
    return report;
}

std::string needs(const PortabilityReport& r) {
    std::string line = width_clause(r) + "; " + eof_clause(r) + "; ";
    if (!r.touched)
        line += "touches no cell";
    else
        line += "uses " + std::to_string(r.highest + 1) + (r.highest == 0 ? " cell" : " cells");
    const RunStatus status = r.runs[0].result.status;
    if (status == RunStatus::StepLimit)
        line += "; does not end within " + std::to_string(r.step_limit) + " loop iterations";
    else if (status == RunStatus::LeftOfTape || status == RunStatus::RightOfTape)
        line += "; runs off the tape";
    return line;
}

std::string to_string(const PortabilityReport& r, const Program& prog) {
    std::string s = "portability: 9 runs on " + std::to_string(r.input_bytes) +
                    " bytes of input, each stopped at loop iteration " +
                    std::to_string(r.step_limit) + "\n";
    s += "  bits  eof        ending                       output\n";
    for (const PortabilityRun& run : r.runs) {
        std::string row = "  " + std::to_string(run.cell_bits);
        row.resize(8, ' ');
        row += eof_name(run.eof);
        row.resize(19, ' ');
        row += ending(run, prog);
        row.resize(std::max<std::size_t>(row.size() + 1, 48), ' ');
        s += row + output_text(run, r.runs[0]) + "\n";
    }
    s += "at 8 bits, eof unchanged:\n  wrapping: ";
    if (r.wrap.count == 0) {
        s += "no cell wrapped\n";
    } else {
        s += "cell " + std::to_string(r.wrap.cell) + " first wrapped " +
             (r.wrap.below ? "below 0" : "above 255") + " at " + to_string(r.wrap.pos) + " (" +
             std::to_string(r.wrap.count) + (r.wrap.count == 1 ? " wrap" : " wraps") + " in all)\n";
    }
    s += "  end of input: ";
    if (r.past_end.count == 0) {
        s += "never read past\n";
    } else {
        s += "first read past at " + to_string(r.past_end.pos) + " (" +
             std::to_string(r.past_end.count) + (r.past_end.count == 1 ? " read" : " reads") +
             " past it)\n";
    }
    s += "  cells touched: ";
    s +=
        r.touched ? std::to_string(r.lowest) + " to " + std::to_string(r.highest) + "\n" : "none\n";
    return s + needs(r) + "\n";
}

}  // namespace jitbf::debug
