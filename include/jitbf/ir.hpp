// The intermediate representation shared by the parser, the passes and both backends.
//
// A program is a flat vector of fixed-size instructions. Every op addresses the tape
// relative to the current pointer (`cell[off]` means tape[p + off]), so passes can defer
// pointer moves without new op kinds. Loops and ifs are bracket pairs whose `arg` holds the
// index of their partner, resolved once by the parser and kept valid by every pass.
// Every instruction remembers the source position it came from, for error messages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jitbf {

enum class Op : std::uint8_t {
    Add,        // cell[off] += arg                       (arg is taken modulo 2^bits)
    Set,        // cell[off] = arg                        (arg is taken modulo 2^bits)
    Move,       // p += arg
    MulAdd,     // cell[off] += cell[src] * arg           (a multiply/copy loop's body)
    Scan,       // while (cell[off] != 0) p += arg        (arg is the stride, never 0)
    In,         // cell[off] = next input byte, or the EOF rule
    Out,        // write the low byte of cell[off]
    OutStr,     // write strings[arg]                     (output of known values)
    Check,      // runtime error unless cell[off] is on the tape (a touch too far for the guard)
    LoopBegin,  // if (cell[off] == 0) jump past LoopEnd  (arg = index of the LoopEnd)
    LoopEnd,    // if (cell[off] != 0) jump past LoopBegin (arg = index of the LoopBegin)
    IfBegin,    // if (cell[off] == 0) jump past IfEnd     (arg = index of the IfEnd)
    IfEnd,      // join point of an IfBegin                (arg = index of the IfBegin)
};
inline constexpr int kOpCount = static_cast<int>(Op::IfEnd) + 1;

std::string_view op_name(Op op);

struct SourcePos {
    std::uint32_t line = 0;  // 1-based; 0 means "no position"
    std::uint32_t col = 0;   // 1-based, in bytes
    friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

struct Instr {
    Op op = Op::Add;
    std::int32_t off = 0;  // tape offset of the cell the op touches
    std::int32_t src = 0;  // MulAdd only: tape offset of the cell it reads
    std::int64_t arg = 0;  // amount, value, move, factor, stride, string or partner index
    SourcePos pos;         // where in the source this op came from
    friend bool operator==(const Instr&, const Instr&) = default;
};

struct Program {
    std::vector<Instr> code;
    std::vector<std::string> strings;  // constant output for OutStr
};

// Recomputes every bracket's partner index from the nesting. Passes that insert or remove
// ops build the new code in order and call this once, instead of patching indices.
void relink(Program& prog);

// Does `op` read or write cell[off] (so that a cell off the tape faults there)?
bool touches_cell(Op op);

// One op per line: "index  line:col  op operands". Deterministic, for --dump-ir and tests.
std::string to_string(const Instr& in);
std::string to_string(const Program& prog);

// Checks the structural invariants every pass must keep (matched, properly nested
// brackets with partner indices, non-zero strides, string indices in range...).
// Returns an empty string when the program is well formed, else what is wrong.
std::string verify(const Program& prog);

}  // namespace jitbf
