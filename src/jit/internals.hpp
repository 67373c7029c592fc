// What tests may look into: the raw entry point and the code mapping of a JitProgram.
//
// Not part of the public API. JitProgram::run is internals' run() with a direct call; tests
// pass their own invoker (e.g. an assembly harness that checks callee-saved registers).
#pragma once

#include <cstddef>
#include <cstdint>

#include "context.hpp"
#include "jit/jit.hpp"

namespace jitbf {

struct JitInternals {
    using Invoker = void (*)(jit::EntryFn entry, std::uint8_t* start, jit::RunContext* ctx);
    // Runs like JitProgram::run, calling the code through `invoke` (null: directly).
    static RunResult run(const JitProgram& jp, Tape& tape, Input& in, Output& out, Invoker invoke,
                         ProfileCounts* counts = nullptr, std::uint64_t start = 0);
    static const std::uint8_t* code(const JitProgram& jp);
    static std::size_t mapped_bytes(const JitProgram& jp);
};

}  // namespace jitbf
