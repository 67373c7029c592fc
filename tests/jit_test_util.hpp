// Helpers shared by the JIT tests: hand-written IR, and running a program on both backends
// to compare everything the interpreter decides (output, RunResult, final tape).
#pragma once

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "engine.hpp"
#include "ir.hpp"
#include "jit/codegen.hpp"
#include "parse.hpp"
#include "passes/passes.hpp"

namespace jitbf::jit_test {

// A hand-written IR program (ops the parser never makes), with partners linked and every
// op at its own column so positions are distinguishable.
inline Program ir(std::vector<Instr> code, std::vector<std::string> strings = {}) {
    Program p;
    p.code = std::move(code);
    p.strings = std::move(strings);
    for (std::size_t i = 0; i < p.code.size(); ++i)
        p.code[i].pos = {1, static_cast<std::uint32_t>(i + 1)};
    relink(p);
    return p;
}

inline Program bf(std::string_view source, const Options& opts) {
    auto parsed = parse(source);
    REQUIRE(parsed);
    return optimize(std::move(*parsed), opts);
}

inline Options small(int bits = 8, EofMode eof = EofMode::Unchanged) {
    Options o;
    o.cell_bits = bits;
    o.eof = eof;
    o.tape_cells = 4096;  // a whole number of pages at every width
    return o;
}

struct Outcome {
    RunResult result;
    std::string output;
    std::vector<std::uint8_t> tape;
};

inline Outcome run_on(Backend backend, const Program& prog, const Options& opts,
                      const std::string& input) {
    std::string captured;
    auto in = Input::memory(input);
    auto out = Output::memory(&captured);
    auto ex = execute(prog, opts, backend, in, out);
    REQUIRE(ex);
    Outcome o{ex->result, captured, {}};
    o.tape.assign(ex->tape.data(), ex->tape.data() + ex->tape.bytes());
    return o;
}

// Runs `prog` on both backends and checks that the JIT did exactly what the interpreter
// did; returns the JIT's outcome for further checks.
inline Outcome same_as_interp(const Program& prog, const Options& opts,
                              const std::string& input = {}) {
    REQUIRE(verify(prog).empty());
    const Outcome want = run_on(Backend::Interp, prog, opts, input);
    Outcome got = run_on(Backend::Jit, prog, opts, input);
    CHECK(got.output == want.output);
    CHECK(got.result.status == want.result.status);
    CHECK(got.result.op == want.result.op);
    if (want.result.status == RunStatus::LeftOfTape || want.result.status == RunStatus::RightOfTape)
        CHECK(got.result.cell == want.result.cell);
    CHECK(got.tape == want.tape);
    return got;
}

// The size of the machine code the JIT makes of `code` (small tape, `bits`-bit cells).
inline std::size_t code_size(const std::vector<Instr>& code, int bits) {
    auto gen = jit::generate(ir(code), small(bits));
    REQUIRE(gen);
    return gen->code.size();
}

inline constexpr int kWidths[] = {8, 16, 32};
inline constexpr EofMode kEofModes[] = {EofMode::Unchanged, EofMode::Zero, EofMode::MinusOne};

// same_as_interp at every cell width, run to the end (limit 0) and stopped by each step
// limit of `limits`.
inline void same_as_interp_at_limits(const Program& prog,
                                     std::initializer_list<std::uint64_t> limits) {
    for (int bits : kWidths) {
        CAPTURE(bits);
        for (std::uint64_t limit : limits) {
            CAPTURE(limit);
            Options opts = small(bits);
            opts.step_limit = limit;
            same_as_interp(prog, opts);
        }
    }
}

// The brackets a random IR program has open, closed innermost first (a LoopEnd tests the
// cell it is given, an IfEnd none).
struct OpenBrackets {
    std::vector<Op> ends;
    void open(std::vector<Instr>& code, Op begin, std::int32_t off) {
        code.push_back(instr(begin, off));
        ends.push_back(begin == Op::LoopBegin ? Op::LoopEnd : Op::IfEnd);
    }
    void close(std::vector<Instr>& code, std::int32_t off) {
        if (ends.empty()) return;
        code.push_back(instr(ends.back(), ends.back() == Op::LoopEnd ? off : 0));
        ends.pop_back();
    }
    void close_all(std::vector<Instr>& code) {
        while (!ends.empty()) close(code, 0);
    }
};

// Checks the interpreter's verdict too, so a shared mistake cannot pass.
inline void faults_like_interp(const Program& prog, RunStatus status, std::size_t op,
                               const std::string& printed = "ab") {
    for (int bits : kWidths) {
        CAPTURE(bits);
        const Outcome o = same_as_interp(prog, small(bits), "");
        CHECK(o.result.status == status);
        CHECK(o.result.op == op);
        CHECK(o.output == printed);
    }
}

inline const std::vector<std::string> kAb = {"ab"};

// An if whose body only multiplies its cell into the targets (by 3) and clears it: the JIT
// runs such a body without a branch.
inline std::vector<Instr> transfer_if(std::int32_t cell, std::vector<std::int32_t> targets) {
    std::vector<Instr> code = {instr(Op::IfBegin, cell)};
    for (std::int32_t t : targets) code.push_back(instr(Op::MulAdd, t, 3, cell));
    code.push_back(instr(Op::Set, cell));
    code.push_back(instr(Op::IfEnd));
    return code;
}

// A transfer if on `cell` into 1 to 3 cells drawn from -8..8 (the cell itself dropped);
// pick(lo, hi) draws an int in [lo, hi].
template <class Pick>
std::vector<Instr> random_transfer_if(std::int32_t cell, Pick& pick) {
    std::vector<std::int32_t> targets;
    for (int t = pick(1, 3); t > 0; --t) targets.push_back(pick(-8, 8));
    std::erase(targets, cell);
    return transfer_if(cell, targets);
}

inline Program with_prefix(std::vector<Instr> prefix, const std::vector<Instr>& rest) {
    prefix.insert(prefix.end(), rest.begin(), rest.end());
    return ir(prefix, kAb);
}

}  // namespace jitbf::jit_test
