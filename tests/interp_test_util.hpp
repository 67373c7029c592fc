// What the interpreter's tests share: hand-written IR (verified), parsed source, and a run
// on a fresh tape with memory input and output, keeping the tape to look at.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "interp.hpp"
#include "parse.hpp"

namespace jitbf::interp_test_util {

inline Program ir(std::vector<Instr> code, std::vector<std::string> strings = {}) {
    Program p;
    p.code = std::move(code);
    p.strings = std::move(strings);
    relink(p);
    REQUIRE(verify(p) == "");
    return p;
}

inline Program bf(std::string_view src) {
    auto p = parse(src);
    REQUIRE(p);
    return std::move(*p);
}

struct Ran {
    RunResult r;
    std::string out;
    Tape tape;
};

inline Ran run(const Program& p, const Options& o, const std::string& input = {}) {
    auto tape = Tape::create(o.tape_cells, o.cell_bits);
    REQUIRE(tape);
    Ran ran{{}, {}, std::move(*tape)};
    auto in = Input::memory(input);
    auto out = Output::memory(&ran.out);
    ran.r = Interpreter(p, o).run(ran.tape, in, out);
    return ran;
}

inline std::uint32_t max_of(int bits) { return bits == 32 ? 0xffffffffu : (1u << bits) - 1; }

}  // namespace jitbf::interp_test_util
