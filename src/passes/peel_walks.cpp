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

}  // namespace

Program peel_walks(Program prog, const Options& /*opts*/) {
    // Later iterations: the body as it is.
    return passes::peel_first_iterations(
        std::move(prog), continues_value,
        [](const std::vector<Instr>& code, std::size_t b, std::size_t e, std::vector<Instr>& out) {
            out.insert(out.end(), code.begin() + static_cast<std::ptrdiff_t>(b + 1),
                       code.begin() + static_cast<std::ptrdiff_t>(e));
        });
}

}  // namespace jitbf
