// The intermediate representation shared by the parser, the passes and both backends.
//
// A program is a flat vector of fixed-size instructions. Every op addresses the tape
// relative to the current pointer (`cell[off]` means tape[p + off]), so passes can defer
// pointer moves without new op kinds. Loops and ifs are bracket pairs whose `arg` holds the
// index of their partner, resolved once by the parser and kept valid by every pass.
// Every instruction remembers the source position it came from, for error messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jitbf/jitbf.hpp"

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
    Dump,       // write the tape around cell[off], p's cell (`#` with Options::debug)
};
inline constexpr int kOpCount = static_cast<int>(Op::Dump) + 1;

// --- The op table -------------------------------------------------------------------------
// What passes and backends may ask about an op without listing cases. Code where every op
// really does something of its own (the backends, propagate_constants) keeps an exhaustive
// switch instead; everything that treats most ops alike asks here.

// What an op does to the cell it names (cell[off]). Any access but None touches the cell,
// so it faults there when the cell is off the tape.
enum class Access : std::uint8_t {
    None,       // names no cell
    Touch,      // only touches it (Check): its value is not used
    Read,       // reads it (a test, an output)
    ReadWrite,  // reads and writes it, or may leave it as it was (`,` at EOF can)
    Write,      // overwrites it whatever it held
};

enum class Bracket : std::uint8_t { None, Open, Close };

// What `arg` holds, which is also how it prints.
enum class Arg : std::uint8_t {
    None,     // nothing
    Amount,   // a cell value modulo 2^bits (prints signed: -1, not 255)
    Cells,    // a distance in cells, never 0
    Stride,   // a scan's stride in cells, never 0
    String,   // an index into Program::strings
    Partner,  // the index of the bracket at the other end
};

struct OpInfo {
    std::string_view name;  // as --dump-ir prints it
    Access cell;            // what it does to cell[off]
    bool reads_src;         // reads cell[src] too (MulAdd)
    bool moves;             // changes p
    bool io;                // reads input or writes output: never reordered with a fault
    Bracket bracket;
    Op partner;  // for brackets: the op at the other end
    Arg arg;
    char typed;  // the source character it comes from at -O0, if one (traces print it)
};

// clang-format off
inline constexpr OpInfo kOpInfo[kOpCount] = {
    // name     cell               src    moves  io     bracket          partner        arg              typed
    {"add",    Access::ReadWrite, false, false, false, Bracket::None,  Op::Add,       Arg::Amount,       '+'},
    {"set",    Access::Write,     false, false, false, Bracket::None,  Op::Set,       Arg::Amount,       0},
    {"move",   Access::None,      false, true,  false, Bracket::None,  Op::Move,      Arg::Cells,        '>'},
    {"muladd", Access::ReadWrite, true,  false, false, Bracket::None,  Op::MulAdd,    Arg::Amount,       0},
    {"scan",   Access::Read,      false, true,  false, Bracket::None,  Op::Scan,      Arg::Stride,       0},
    {"in",     Access::ReadWrite, false, false, true,  Bracket::None,  Op::In,        Arg::None,         ','},
    {"out",    Access::Read,      false, false, true,  Bracket::None,  Op::Out,       Arg::None,         '.'},
    {"outstr", Access::None,      false, false, true,  Bracket::None,  Op::OutStr,    Arg::String,       0},
    {"check",  Access::Touch,     false, false, false, Bracket::None,  Op::Check,     Arg::None,         0},
    {"loop",   Access::Read,      false, false, false, Bracket::Open,  Op::LoopEnd,   Arg::Partner,      '['},
    {"end",    Access::Read,      false, false, false, Bracket::Close, Op::LoopBegin, Arg::Partner,      ']'},
    {"if",     Access::Read,      false, false, false, Bracket::Open,  Op::IfEnd,     Arg::Partner,      0},
    {"endif",  Access::None,      false, false, false, Bracket::Close, Op::IfBegin,   Arg::Partner,      0},
    {"dump",   Access::None,      false, false, true,  Bracket::None,  Op::Dump,      Arg::None,         '#'},
};
// clang-format on

constexpr const OpInfo& info(Op op) {
    // Every Op is one of kOpCount values: code that switches over all of them and falls
    // back to the table in a default case must not be warned about the impossible rest.
    if (static_cast<int>(op) >= kOpCount) __builtin_unreachable();
    return kOpInfo[static_cast<int>(op)];
}
constexpr std::string_view op_name(Op op) { return info(op).name; }
// Does `op` read or write cell[off] (so that a cell off the tape faults there)?
constexpr bool touches_cell(Op op) { return info(op).cell != Access::None; }
// Does `op`'s `off` name a cell: one it touches, or (Dump) the pointer's cell, which a dump
// only locates and never touches, so that a dump off the tape does not fault?
constexpr bool names_cell(Op op) { return touches_cell(op) || op == Op::Dump; }
constexpr bool opens(Op op) { return info(op).bracket == Bracket::Open; }
constexpr bool closes(Op op) { return info(op).bracket == Bracket::Close; }

// 24 bytes: the IR is most of the memory a compile takes, and writing fresh memory most of
// its time. So `arg` has 32 bits: amounts are kept modulo 2^bits (at most 32), indices are
// bounded by kMaxOps, and a move farther than 2^31 - 1 cells is several Moves.
struct Instr {
    Op op = Op::Add;
    std::int32_t off = 0;  // tape offset of the cell the op touches
    std::int32_t arg = 0;  // amount, value, move, factor, stride, string or partner index
    std::int32_t src = 0;  // MulAdd only: tape offset of the cell it reads
    SourcePos pos;         // where in the source this op came from

    // The same op at another source position: `instr(Op::Set, 3, 0).at(pos)`.
    constexpr Instr at(SourcePos p) const {
        Instr copy = *this;
        copy.pos = p;
        return copy;
    }
    friend bool operator==(const Instr&, const Instr&) = default;
};

// The one way to build an op by hand, in the order of the fields: its cell, its argument,
// then (MulAdd only) the cell it reads. Passes and tests alike.
constexpr Instr instr(Op op, std::int32_t off = 0, std::int32_t arg = 0, std::int32_t src = 0) {
    Instr in;
    in.op = op;
    in.off = off;
    in.arg = arg;
    in.src = src;
    return in;
}

static_assert(sizeof(Instr) == 24);

// The most ops a program may have, so that a partner index fits `arg` even after the
// passes add a few (a pass never more than doubles the code).
inline constexpr std::size_t kMaxOps = std::size_t{1} << 29;

// The longest move one Move op makes; a farther one is several.
inline constexpr std::int64_t kMaxMove = (std::int64_t{1} << 31) - 1;

// An amount as `arg` holds it: modulo 2^32, which is exact for every cell width.
constexpr std::int32_t amount_arg(std::uint64_t v) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
}
// An index (a partner, a string) as `arg` holds it.
constexpr std::int32_t index_arg(std::size_t i) {
    if (i > kMaxOps * 2) __builtin_trap();  // only a bug gets here: kMaxOps bounds the code
    return static_cast<std::int32_t>(i);
}

// An index into Program::code that names no op (no partner found, no home, none yet).
inline constexpr std::size_t kNoIndex = ~std::size_t{0};

struct Program {
    std::vector<Instr> code;
    std::vector<std::string> strings;  // constant output for OutStr
    // A whole program: it starts on a fresh tape (every cell 0, the pointer on cell 0), and
    // nothing looks at the tape or the pointer after it ends. The passes that use the start
    // values or drop the last move look here. False for a piece that runs on the tape that
    // earlier ones left, and leaves it to later ones (--repl's lines). optimize() keeps it.
    bool standalone = true;
};

// Recomputes every bracket's partner index from the nesting. Passes that insert or remove
// ops build the new code in order and call this once, instead of patching indices.
void relink(Program& prog);

// Indentation stops growing at this depth in printed IR and in emitted C: past it, the
// partner indices (or the braces) still show the nesting, and a million nested loops print
// in linear rather than quadratic space.
inline constexpr int kMaxIndent = 40;

// One op per line: "index  line:col  op operands". Deterministic, for --dump-ir and tests.
std::string to_string(SourcePos pos);  // "line:col"
std::string to_string(const Instr& in);
std::string to_string(const Instr& in, const Program& prog);  // with OutStr's text
std::string to_string(const Program& prog);

// Checks the structural invariants every pass must keep (matched, properly nested
// brackets with partner indices, non-zero strides, string indices in range...).
// Returns an empty string when the program is well formed, else what is wrong.
std::string verify(const Program& prog);

}  // namespace jitbf
