// peel_walks: a small walking loop whose body first adds to the cell the op before the loop
// added to runs its first iteration on its own:
//     add c k; loop t { add c j; ...; move m }
//   becomes
//     add c k; if t { add c j; ...; move m; loop t { add c j; ...; move m } }
// That is the `[>-]` of the if/else idiom `>+<[>-]>[...]<`, which most often runs once, and
// of walks like `+[-<]`. Nothing changes for this pass: the point is the backends'. The
// first iteration's add now follows the add before the loop with only the if's test
// between, so the JIT's memory code can take the cell's value from the register the first
// add left it in (emit_ops.cpp, Known::val_cell) instead of reading back what it has just
// stored: a store-to-load round trip on the chain of that cell's values, which is what
// bounds such loops on CPUs that do not forward stores without delay.
//
// It runs after propagate_constants, so that an add folded into a known value (`set c 2`)
// is not mistaken for one; a walk's first iteration whose cell values are known is that
// pass's to simplify, and peeling it there only moved the loop's exit branch.
//
// Fault positions and output stay those of the loop: the first iteration is the loop's,
// its `[` the if's test, and the inner loop's `[` has the position of the `]`, whose test
// it makes. Bodies are at most kMaxWalkBody ops, so the pass stays linear.
#include "huge_pages.hpp"
#include "passes/passes.hpp"
#include "pass_util.hpp"

namespace jitbf {

namespace {

constexpr std::size_t kMaxWalkBody = 4;

// Is code[b..e] (a LoopBegin to its LoopEnd) such a walk: adds, sets and multiplies, then
// one move, testing the same cell at both ends, the first op adding to the cell the op
// before the loop added to?
bool continues_value(const std::vector<Instr>& code, std::size_t b, std::size_t e) {
    if (b == 0 || e - b < 3 || e - b - 1 > kMaxWalkBody) return false;
    const Instr& before = code[b - 1];
    if (before.op != Op::Add || code[e - 1].op != Op::Move || code[e].off != code[b].off)
        return false;
    for (std::size_t i = b + 1; i + 1 < e; ++i) {
        const Op op = code[i].op;
        if (op != Op::Add && op != Op::Set && op != Op::MulAdd) return false;
    }
    return code[b + 1].op == Op::Add && code[b + 1].off == before.off;
}

bool has_walk_to_peel(const std::vector<Instr>& code) {
    for (std::size_t i = 0; i < code.size(); ++i)
        if (code[i].op == Op::LoopBegin &&
            continues_value(code, i, static_cast<std::size_t>(code[i].arg)))
            return true;
    return false;
}

}  // namespace

Program peel_walks(Program prog, const Options& /*opts*/) {
    const std::vector<Instr>& code = prog.code;
    if (!has_walk_to_peel(code)) return prog;
    Program out;
    out.strings = std::move(prog.strings);
    reserve_huge(out.code, code.size());
    for (std::size_t i = 0; i < code.size(); ++i) {
        const Instr& in = code[i];
        const auto e = static_cast<std::size_t>(in.arg);
        if (in.op != Op::LoopBegin || !continues_value(code, i, e)) {
            out.code.push_back(in);
            continue;
        }
        const auto body = [&] {
            out.code.insert(out.code.end(), code.begin() + static_cast<std::ptrdiff_t>(i + 1),
                            code.begin() + static_cast<std::ptrdiff_t>(e));
        };
        Instr first = in;
        first.op = Op::IfBegin;
        out.code.push_back(first);
        body();
        Instr again = in;
        again.pos = code[e].pos;
        out.code.push_back(again);
        body();
        out.code.push_back(code[e]);
        out.code.push_back(instr(Op::IfEnd).at(code[e].pos));
        i = e;
    }
    relink(out);
    return out;
}

}  // namespace jitbf
