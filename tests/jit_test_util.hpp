// Helpers shared by the JIT tests: hand-written IR, and running a program on both backends
// to compare everything the interpreter decides (output, RunResult, final tape).
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jitbf/engine.hpp"
#include "jitbf/ir.hpp"
#include "jitbf/parse.hpp"
#include "jitbf/passes.hpp"

namespace jitbf::jit_test {

inline Instr ins(Op op, std::int32_t off = 0, std::int64_t arg = 0, std::int32_t src = 0) {
    Instr i;
    i.op = op;
    i.off = off;
    i.arg = arg;
    i.src = src;
    return i;
}

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
    Input in(-1, input);
    Output out(&captured);
    auto ex = execute(prog, opts, backend, in, out);
    REQUIRE(ex);
    Outcome o{ex->result, captured, {}};
    o.tape.assign(ex->tape.data(), ex->tape.data() + ex->tape.bytes());
    return o;
}

// Runs `prog` on both backends and checks that the JIT did exactly what the interpreter
// did; returns the JIT's outcome for further checks.
inline Outcome same_as_interp(const Program& prog, const Options& opts, const std::string& input = {}) {
    REQUIRE(verify(prog).empty());
    const Outcome want = run_on(Backend::Interp, prog, opts, input);
    Outcome got = run_on(Backend::Jit, prog, opts, input);
    CHECK(got.output == want.output);
    CHECK(got.result.status == want.result.status);
    CHECK(got.result.op == want.result.op);
    CHECK(got.tape == want.tape);
    return got;
}

inline constexpr int kWidths[] = {8, 16, 32};
inline constexpr EofMode kEofModes[] = {EofMode::Unchanged, EofMode::Zero, EofMode::MinusOne};

}  // namespace jitbf::jit_test
