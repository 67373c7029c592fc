// Helpers for the optimization passes' tests: parse, run one pass, show the IR compactly,
// and run a program on the interpreter to compare what -O0 and -O2 do.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "engine.hpp"
#include "parse.hpp"
#include "passes/passes.hpp"

namespace passtest {

inline jitbf::Program parsed(std::string_view src) {
    auto r = jitbf::parse(src);
    REQUIRE(r);
    return std::move(*r);
}

inline jitbf::Options opts_for(int bits, jitbf::EofMode eof = jitbf::EofMode::Unchanged) {
    jitbf::Options o;
    o.cell_bits = bits;
    o.eof = eof;
    o.verify_each_pass = true;
    return o;
}

// The ops without positions, one per `; `: "set [p] 0; move 1".
inline std::string ops(const jitbf::Program& prog) {
    std::string s;
    for (const jitbf::Instr& in : prog.code) {
        if (!s.empty()) s += "; ";
        if (in.op == jitbf::Op::OutStr) {  // only the program's dump shows the string
            jitbf::Program one{{in}, prog.strings};
            one.code[0].pos = {};
            std::string line = jitbf::to_string(one);
            s += line.substr(line.find("outstr"), line.size() - line.find("outstr") - 1);
        } else {
            s += jitbf::to_string(in);
        }
    }
    return s;
}

// Parses `src`, then runs `passes` in order, checking the IR after each.
template <class... Pass>
jitbf::Program after(std::string_view src, const jitbf::Options& opts, Pass... passes) {
    jitbf::Program prog = parsed(src);
    auto step = [&](auto pass) {
        prog = pass(std::move(prog), opts);
        INFO(jitbf::to_string(prog));
        REQUIRE(jitbf::verify(prog) == "");
    };
    (step(passes), ...);
    return prog;
}

inline std::string line_col(jitbf::SourcePos p) {
    return std::to_string(p.line) + ":" + std::to_string(p.col);
}

// How a run ended, in terms that do not depend on the IR's shape.
struct Outcome {
    jitbf::RunStatus status = jitbf::RunStatus::Ok;
    std::string fault_at;   // "line:col" of the op that faulted, if it did
    std::int64_t cell = 0;  // the cell it touched off the tape
    std::string output;
    std::vector<std::uint32_t> tape;  // cells of a run that ended well
};

inline Outcome run(std::string_view src, const jitbf::Options& opts, std::string input = {}) {
    jitbf::Program prog = jitbf::optimize(parsed(src), opts);
    Outcome o;
    auto in = jitbf::Input::memory(std::move(input));
    auto out = jitbf::Output::memory(&o.output);
    auto ran = jitbf::execute(prog, opts, jitbf::Backend::Interp, in, out);
    REQUIRE(ran);
    o.status = ran->result.status;
    if (o.status == jitbf::RunStatus::LeftOfTape || o.status == jitbf::RunStatus::RightOfTape) {
        o.fault_at = line_col(prog.code[ran->result.op].pos);
        o.cell = ran->result.cell;
    }
    if (o.status == jitbf::RunStatus::Ok)
        for (std::uint64_t i = 0; i < ran->tape.cells(); ++i) o.tape.push_back(ran->tape.cell(i));
    return o;
}

// Runs `src` at -O0 and at `level` with each cell width and every EOF mode, and checks that
// both end the same way: status, faulting source position, output, and final tape.
inline void same_as_O0(std::string_view src, std::string input = {}, int level = 2,
                       std::vector<int> widths = {8, 16, 32}, std::uint64_t tape_cells = 64) {
    for (int bits : widths) {
        for (auto eof :
             {jitbf::EofMode::Unchanged, jitbf::EofMode::Zero, jitbf::EofMode::MinusOne}) {
            jitbf::Options o = opts_for(bits, eof);
            o.tape_cells = tape_cells;
            o.opt_level = 0;
            const Outcome want = run(src, o, input);
            o.opt_level = level;
            const Outcome got = run(src, o, input);
            INFO("program: " << src << "  bits " << bits << "  eof " << static_cast<int>(eof));
            CHECK(static_cast<int>(got.status) == static_cast<int>(want.status));
            CHECK(got.fault_at == want.fault_at);
            CHECK(got.cell == want.cell);
            CHECK(got.output == want.output);
            CHECK(got.tape == want.tape);
        }
    }
}

}  // namespace passtest
