// Names for stretches of generated code, from the JIT's code map (observe.hpp): what
// --dump-asm labels and what --perf-map gives perf as symbols.
//
// A symbol is a loop or a block of straight-line code, named by the source position where it
// starts, so a profiler's report reads as places in the Brainfuck source. Loops nest but
// symbols may not overlap, so a loop's symbol covers its first test and its body up to the
// first inner loop or scan (or to its end); what follows an inner loop, up to the next one,
// is a block named by the position of its first op (the `]` of the loop around it, if that
// is all there is). A scan, a loop in the source, has a symbol of its own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ir.hpp"
#include "observe.hpp"

namespace jitbf {

// "prologue", "epilogue", "fault exit", "error stubs", "if stubs"; "ops" for Ops.
std::string_view code_kind_name(CodeKind kind);

struct CodeSymbol {
    std::uint32_t begin = 0;  // code offsets [begin, end), never empty
    std::uint32_t end = 0;
    std::string name;  // "bf:loop@3:5", "bf:scan@4:1", "bf:block@1:1", "bf:prologue"...
};

// The symbols of code whose map is `map` (of `prog`'s code). In code order; together they
// cover every byte of the code once. A name that would repeat (a peeled loop's copies, stubs
// placed in several batches) gets "#2", "#3"... so each is unique.
std::vector<CodeSymbol> code_symbols(const Program& prog, const std::vector<CodeRange>& map);

}  // namespace jitbf
