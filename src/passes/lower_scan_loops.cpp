// lower_scan_loops: a loop whose body is only a move (`[>]`, `[<<]`, `[>>>]`...) becomes one
// Scan with the move as its stride.
//
// Fault positions stay those of -O0: the loop's first test is its `[`, every later test
// its `]`. So the Scan carries the `]`'s position, and a Check at the `[`'s position comes
// first unless the op right before already touched the cell (a later pass drops Checks of
// cells it can prove are on the tape). Replacement happens when the `]` arrives, by
// looking at the tail of the output, in one linear pass like the other loop lowerings, in
// place (a Check and a Scan replace three ops).
#include "passes/passes.hpp"
#include "pass_util.hpp"

namespace jitbf {

Program lower_scan_loops(Program prog, const Options& /*opts*/) {
    passes::Rewriter code(prog.code);
    while (!code.done()) {
        const Instr in = code.next();
        const std::size_t n = code.size();
        const bool scan = in.op == Op::LoopEnd && n >= 2 && code[n - 2].op == Op::LoopBegin &&
                          code[n - 2].off == in.off && code[n - 1].op == Op::Move;
        if (!scan) {
            code.push_back(in);
            continue;
        }
        const Instr begin = code[n - 2];
        const std::int32_t stride = code[n - 1].arg;
        code.resize(n - 2);
        // (Not after a `[`: its body is also entered from its `]`, which may test another
        // cell.)
        if (code.empty() || code.back().op == Op::LoopBegin ||
            !passes::touches_offset(code.back(), begin.off))
            code.push_back(instr(Op::Check, begin.off).at(begin.pos));
        code.push_back(instr(Op::Scan, begin.off, stride).at(in.pos));
    }
    code.finish();
    relink(prog);
    return prog;
}

}  // namespace jitbf
