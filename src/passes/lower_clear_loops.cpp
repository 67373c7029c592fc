// lower_clear_loops: `[-]`, `[+]` and any loop that only adds an odd amount to its own test
// cell become `Set 0`; a Set then absorbs the write of the same cell right before it and
// the Add right after it (`+++[-]--` is one `Set -2`).
//
// An odd step reaches 0 from every value by wrapping (odd numbers are invertible modulo
// 2^bits); an even one does not (`[--]` on an odd cell never ends), so such loops stay.
// The code is rewritten in order, in place, and a loop is replaced when its `]` arrives, by
// looking at the tail of the output: nested cases (`[[-]]`) fold inside out, all in one
// linear pass.
//
// Merging keeps the first write's place and source position: it touched the cell first,
// so a cell off the tape still faults there, and nothing between two adjacent ops can
// read the cell.
#include "passes/passes.hpp"
#include "pass_util.hpp"

namespace jitbf {

namespace {

using passes::cell_mask;
using passes::cell_value;
using passes::Rewriter;

// Appends a write of a cell, merged with an adjacent write of the same cell when that is
// exact: Set after Set or Add replaces it, Add after Set adds to it.
void push_write(Rewriter& code, const Instr& in, int bits) {
    if (!code.empty()) {
        Instr& prev = code.back();
        const bool same = prev.off == in.off && (prev.op == Op::Set || prev.op == Op::Add);
        if (same && in.op == Op::Set) {
            prev.op = Op::Set;
            prev.arg = amount_arg(cell_value(in.arg, bits));
            return;
        }
        if (same && prev.op == Op::Set && in.op == Op::Add) {
            prev.arg = amount_arg((cell_value(prev.arg, bits) + cell_value(in.arg, bits)) &
                                  cell_mask(bits));
            return;
        }
    }
    code.push_back(in);
}

// Is the loop whose `]` is `end`, with the output ending in `[ body`, a clear loop?
bool is_clear_loop(Rewriter& code, const Instr& end, int bits) {
    if (code.size() < 2) return false;
    const Instr& begin = code[code.size() - 2];
    const Instr& body = code.back();
    if (begin.op != Op::LoopBegin || begin.off != end.off || body.off != end.off) return false;
    if (body.op == Op::Add) return (cell_value(body.arg, bits) & 1) != 0;
    if (body.op == Op::Set) return cell_value(body.arg, bits) == 0;  // `[[-]]`
    return false;
}

}  // namespace

Program lower_clear_loops(Program prog, const Options& opts) {
    const int bits = opts.cell_bits;
    Rewriter out(prog.code);
    while (!out.done()) {
        const Instr in = out.next();
        if (in.op == Op::Add || in.op == Op::Set) {
            push_write(out, in, bits);
        } else if (in.op == Op::LoopEnd && is_clear_loop(out, in, bits)) {
            // The `[` tested the cell first: the Set keeps its position.
            const Instr begin = out[out.size() - 2];
            out.resize(out.size() - 2);
            push_write(out, instr(Op::Set, begin.off, 0).at(begin.pos), bits);
        } else {
            out.push_back(in);
        }
    }
    out.finish();
    relink(prog);
    return prog;
}

}  // namespace jitbf
