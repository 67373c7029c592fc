// --emit-c: the IR as C, for a C compiler to optimize. The JIT is judged against this.
//
// The C keeps jitbf's semantics to the byte (emit_c_runtime.cpp has the I/O and the error
// reports, emit_c_sites.hpp the source excerpts they show), so it must check every touch
// of a cell against the tape. Checking each op would hide the program behind its checks, so checks
// are made per *span*: a stretch of code where the pointer is a known distance from where the span
// began at every op. Such a stretch is a run of straight ops (moves included) and of loops and ifs
// whose bodies bring p back to where they found it (no scan, net move 0, inner brackets alike). One
// unsigned compare at its start, `(uint64_t)(p + lo) <= cells - width`, proves every cell
// it can touch is on the tape; then it runs with no check at all. The compare may also
// cover the test right after the span (a moving loop's `]`, the `[` of a moving loop, a
// scan's first cell), so a walking loop pays one compare per iteration.
//
// When the compare fails, a second copy of the span runs instead, checking each touch in
// order: the same output, the same fault at the same op, as the interpreter. A straight
// span whose compare failed is certain to fault (it touches all its cells), so its copy
// ends in jbf_bug(), noreturn: the C compiler sees that the slow path never rejoins. The
// copies are cold (`__builtin_expect`), so the compiler moves them out of the hot code.
//
// What the C compiler then sees in a hot loop is plain C: p and the tape's base in locals,
// cells as t[p + k] with p fixed across the loop, and a tape that nothing else points into
// (jbf_tape is `malloc`-like), so it keeps cells in registers across a loop whose span
// check it hoisted. Scans are loops testing one end of the tape per step (memchr/memrchr
// for stride 1 on bytes). Guard pages would spare even the span compares, but a fault in
// C code cannot be traced back to its op without state kept up to date at run time.
// -DJBF_UNCHECKED drops every compare, to measure what they cost.
//
// The emitter walks the IR once with no recursion (a million nested loops stay a loop here;
// the C compiler may refuse such nesting, which is its limit, not ours).
#include "emit_c.hpp"

#include <cassert>
#include <cstdio>
#include <type_traits>

#include "analysis.hpp"
#include "emit_c_sites.hpp"
#include "runtime.hpp"
#include "text.hpp"

namespace jitbf {

namespace {

// For each op: 1 at an opening bracket whose body leaves p where it found it on every path
// (no scan, moves adding up to 0, every inner bracket alike); 0 everywhere else.
std::vector<char> fixed_bodies(const std::vector<Instr>& code) {
    struct OpenBody {
        std::size_t at;
        std::int64_t net;  // moves so far in the body, inner brackets aside
        bool fixed;
    };
    std::vector<char> fixed(code.size(), 0);
    std::vector<OpenBody> open;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const Instr& in = code[i];
        if (opens(in.op)) {
            open.push_back({i, 0, true});
        } else if (closes(in.op)) {
            const OpenBody o = open.back();
            open.pop_back();
            fixed[o.at] = o.fixed && o.net == 0;
            if (!fixed[o.at] && !open.empty()) open.back().fixed = false;
        } else if (!open.empty() && in.op == Op::Move) {
            open.back().net += in.arg;
        } else if (!open.empty() && in.op == Op::Scan) {
            open.back().fixed = false;
        }
    }
    return fixed;
}

// Concatenates text and integers. (Not `"literal" + std::string`: g++ 12 at -O2 reports a
// false -Wrestrict there, GCC bug 105651.)
template <class... Parts>
std::string cat(const Parts&... parts) {
    std::string s;
    auto add = [&s](const auto& part) {
        if constexpr (std::is_integral_v<std::decay_t<decltype(part)>>)
            s += std::to_string(part);
        else
            s += std::string_view(part);
    };
    (add(parts), ...);
    return s;
}

// `p + 3`, `p - 3`, `p`.
std::string at_p(std::int64_t off) {
    if (off == 0) return "p";
    return off > 0 ? cat("p + ", off) : cat("p - ", -off);
}

class CEmitter {
public:
    explicit CEmitter(const CUnit& unit)
        : prog_(unit.prog),
          opts_(unit.opts),
          sites_(unit.name, unit.source),
          fixed_(fixed_bodies(unit.prog.code)) {
        mask_ = opts_.cell_bits == 32 ? 0xffffffffu : (std::uint64_t{1} << opts_.cell_bits) - 1;
        type_ = cat("uint", opts_.cell_bits, "_t");
        cells_ = Tape::rounded_cells(opts_.tape_cells, opts_.cell_bits);
    }

    // `static void NAME(void)` running the whole program, after the unit's descriptor.
    void function(const CUnit& unit, const std::string& name, bool keep_tape, std::string& out) {
        touches_name_ = name + "_touches";
        body();
        out += cat("\n#define JBF_CELLS UINT64_C(", cells_, ")\n");
        out += sites_.tables(name);
        out += cat("static const struct jbf_unit ", name, "_unit = {",
                   c_string(text::shown(unit.name)), ", JBF_CELLS, ",
                   sites_.empty() ? "NULL" : name + "_sites", "};\n");
        if (touches_ > 0)
            out += cat("static const struct jbf_touch ", touches_name_, "[] = {\n", table_, "};\n");
        out += cat("static void ", name, "(void) {\n    jbf_u = &", name, "_unit;\n");
        out += cat("    ", type_, " *const t = jbf_tape(JBF_CELLS, sizeof *t);\n");
        out += "    int64_t p = 0;\n    (void)p; /* when no op addresses a cell */\n";
        out += out_;
        if (keep_tape)
            out += "    jbf_final_tape = t;\n    jbf_final_bytes = sizeof *t * JBF_CELLS;\n";
        out += "}\n#undef JBF_CELLS\n";
    }

private:
    const Program& prog_;
    const Options& opts_;
    std::string out_;                   // the function's body
    CSites sites_;                      // where its ops may fault
    std::string table_, touches_name_;  // the rows of NAME_touches[] (jbf_span_fault)
    std::size_t touches_ = 0;
    std::vector<char> fixed_;
    std::uint64_t mask_ = 0xff, cells_ = 0;
    std::string type_;
    int depth_ = 1;
    std::size_t covered_ = kNoIndex;  // the op whose touch the last span check included

    void line(const std::string& s) {
        out_.append(static_cast<std::size_t>(std::min(depth_, kMaxIndent)) * 4, ' ');
        out_ += s;
        out_ += '\n';
    }

    static bool straight(Op op) { return info(op).bracket == Bracket::None && op != Op::Scan; }

    std::string value(std::int64_t arg) const {
        const std::uint64_t v = static_cast<std::uint64_t>(arg) & mask_;
        return cat(v, v > 0x7fffffff ? "u" : "");
    }
    // The index of the op's error report in the unit's table of sites.
    std::size_t site(const Instr& in) { return sites_.at(in.pos); }

    // The cell at `off`, as an lvalue: checked against the tape for `in`, or not.
    std::string cell(std::int64_t off, const Instr& in, bool checked) {
        return checked ? cat("JBF_AT(", off, ", ", site(in), ")") : cat("t[", at_p(off), "]");
    }

    // The top level and the bodies of brackets that move p: spans, each behind one check,
    // and between them the scans and moving brackets, checked unless a span covered them.
    void body() {
        const std::vector<Instr>& code = prog_.code;
        for (std::size_t i = 0; i < code.size();) {
            if (straight(code[i].op) || (opens(code[i].op) && fixed_[i])) {
                i = span(i);
            } else {
                op(code[i], covered_ != i);
                ++i;
            }
        }
    }

    // Emits the span that starts at `from`; returns where it ends.
    std::size_t span(std::size_t from) {
        const std::vector<Instr>& code = prog_.code;
        std::size_t to = from;
        while (to < code.size() && (straight(code[to].op) || (opens(code[to].op) && fixed_[to])))
            to = opens(code[to].op) ? static_cast<std::size_t>(code[to].arg) + 1 : to + 1;
        CellSpan cells;
        std::string rows;  // the touches in order, for jbf_span_fault
        std::size_t n = 0;
        auto touch = [&](std::int64_t off, const Instr& by) {
            cells.add(off);
            rows += cat("    {", off, ", ", site(by), "},\n");
            ++n;
        };
        std::int64_t d = 0;  // p, from where the span began
        bool branches = false, io = false;
        for (std::size_t k = from; k < to; ++k) {
            const Instr& in = code[k];
            if (in.op == Op::Move) d += in.arg;
            if (info(in.op).reads_src) touch(d + in.src, in);
            if (touches_cell(in.op)) touch(d + in.off, in);
            branches = branches || opens(in.op);
            io = io || info(in.op).io;
        }
        covered_ = kNoIndex;
        if (to < code.size() && touches_cell(code[to].op)) {
            covered_ = to;  // a bracket's test or a scan's first cell
            touch(d + code[to].off, code[to]);
        }
        if (cells.empty()) {
            copy(from, to, false);
            return to;
        }
        const auto width = static_cast<std::uint64_t>(cells.hi() - cells.lo()) + 1;
        const bool fast = width <= cells_;  // else the span can never be all on the tape
        if (fast) {
            line(cat("if (JBF_SPAN(", cells.lo(), ", ", width, ")) {  /* ", code[from].pos.line,
                     ":", code[from].pos.col, " */"));
            ++depth_;
            copy(from, to, false);
            --depth_;
            line("} else {");
            ++depth_;
        }
        if (!branches && !io) {
            // Certain to fault, and at nothing the program could see before: find where.
            line(cat("jbf_span_fault(p, ", touches_name_, " + ", touches_, ", ", n, ");"));
            table_ += rows;
            touches_ += n;
        } else {
            copy(from, to, true);
            if (covered_ != kNoIndex) line(cat("(void)", cell(code[to].off, code[to], true), ";"));
            if (fast && !branches) line("jbf_bug();");
        }
        if (fast) {
            --depth_;
            line("}");
        }
        return to;
    }

    void copy(std::size_t from, std::size_t to, bool checked) {
        for (std::size_t k = from; k < to; ++k) op(prog_.code[k], checked);
    }

    // One op. `checked`: its touch is checked (for a scan: its first cell; the others always
    // are). Spans hold no scan; brackets that move are only ever emitted checked or covered.
    void op(const Instr& in, bool checked) {
        const std::string c = info(in.op).cell == Access::None ? "" : cell(in.off, in, checked);
        switch (in.op) {
        case Op::Add: {  // c += v;  (c -= v for v past half the range: reads as the source)
            const std::uint64_t v = static_cast<std::uint64_t>(in.arg) & mask_;
            if (v > mask_ / 2)
                line(cat(c, " -= ", value(static_cast<std::int64_t>(mask_ - v + 1)), ";"));
            else
                line(cat(c, " += ", value(in.arg), ";"));
            break;
        }
        case Op::Set: line(cat(c, " = ", value(in.arg), ";")); break;  // c = v;
        case Op::Move:                                                 // p += k;
            line(in.arg > 0 ? cat("p += ", in.arg, ";") : cat("p -= ", -in.arg, ";"));
            break;
        case Op::MulAdd: {  // c += (uint32_t)s * f;  the source is touched first
            const std::uint64_t f = static_cast<std::uint64_t>(in.arg) & mask_;
            const std::string by = f == 1 ? "" : cat(" * ", value(in.arg));
            if (!checked) {
                const std::string s = cell(in.src, in, false);
                line(f == mask_ ? cat(c, " -= ", s, ";")
                                : cat(c, " += ", f == 1 ? s : cat("(uint32_t)", s, by), ";"));
            } else {
                line(cat("{ uint32_t jbf_s = ", cell(in.src, in, true), "; ", c, " += jbf_s", by,
                         "; }"));
            }
            break;
        }
        case Op::Scan: scan(in, checked, c); break;
        case Op::In: {  // { int ch = jbf_in(); if (ch >= 0) c = ch; }  (or the EOF value)
            const std::string ch = cat("(", type_, ")jbf_ch");
            const std::string store =
                opts_.eof == EofMode::Zero ? cat("*jbf_c = jbf_ch >= 0 ? ", ch, " : 0;")
                : opts_.eof == EofMode::MinusOne
                    ? cat("*jbf_c = jbf_ch >= 0 ? ", ch, " : ", value(-1), ";")
                    : cat("if (jbf_ch >= 0) *jbf_c = ", ch, ";");
            line(cat("{ ", type_, " *jbf_c = &", c, "; int jbf_ch = jbf_in(); ", store, " }"));
            break;
        }
        case Op::Out: line(cat("JBF_PUT(", c, ");")); break;  // JBF_PUT(c);
        case Op::OutStr: {                                    // jbf_write("...", n);
            const std::string& s = prog_.strings[static_cast<std::size_t>(in.arg)];
            line(cat("jbf_write(", c_string(s), ", ", s.size(), ");"));
            break;
        }
        case Op::Check:  // (void)c;  nothing when a span check covered it
            if (checked) line(cat("(void)", c, ";"));
            break;
        case Op::LoopBegin:  // if (c) do {
            line(cat("if (", c, ") do {"));
            ++depth_;
            break;
        case Op::LoopEnd:  // } while (c);
            --depth_;
            line(cat("} while (", c, ");"));
            break;
        case Op::IfBegin:  // if (c) {
            line(cat("if (", c, ") {"));
            ++depth_;
            break;
        case Op::IfEnd:  // }
            --depth_;
            line("}");
            break;
        case Op::Dump:  // the command refuses --debug with --emit-c: C has no dump to call
            assert(false && "a Dump in C");
            line("/* # (a tape dump: not in C) */");
            break;
        }
    }

    // while (c) p += k;  each new cell checked against the end it moves towards. Bytes with
    // stride 1 use memchr / memrchr: the C library's vector loops.
    void scan(const Instr& in, bool checked, const std::string& c) {
        if (checked) line(cat("(void)", c, ";"));
        const std::string here = at_p(in.off), pos = std::to_string(site(in));
        if (opts_.cell_bits == 8 && in.arg == 1) {
            line(cat("{ uint8_t *jbf_z = memchr(&t[", here, "], 0, JBF_CELLS - (uint64_t)(", here,
                     ")); if (!jbf_z) jbf_fault((int64_t)JBF_CELLS, ", pos, "); p = jbf_z - t - (",
                     in.off, "); }"));
        } else if (opts_.cell_bits == 8 && in.arg == -1) {
            line(cat("{ uint8_t *jbf_z = memrchr(t, 0, (uint64_t)(", here,
                     ") + 1); if (!jbf_z) jbf_fault(-1, ", pos, "); p = jbf_z - t - (", in.off,
                     "); }"));
        } else {
            const std::string step = in.arg > 0 ? cat("p += ", in.arg) : cat("p -= ", -in.arg);
            line(cat("while (t[", here, "]) { ", step, "; ", in.arg > 0 ? "JBF_RIGHT" : "JBF_LEFT",
                     "(", here, ", ", pos, "); }"));
        }
    }
};

std::string header(const CUnit& u) {
    const char* eof = u.opts.eof == EofMode::Zero       ? "zero"
                      : u.opts.eof == EofMode::MinusOne ? "minus-one"
                                                        : "unchanged";
    std::string name(u.name);
    for (std::size_t at = 0; (at = name.find("*/", at)) != std::string::npos;) name[at + 1] = '_';
    return cat("/* ", name, " at -O", u.opts.opt_level, ": ", u.opts.cell_bits, "-bit cells, eof ",
               eof, ", ", Tape::rounded_cells(u.opts.tape_cells, u.opts.cell_bits), " cells */");
}

}  // namespace

std::string emit_c(const CUnit& unit) {
    std::string out = "/* Generated by jitbf --emit-c; build with cc -O2. */\n";
    out += cat(header(unit), "\n");
    out += kCRuntime;
    CEmitter(unit).function(unit, "jbf_run", false, out);
    out += "\nint main(void) {\n    signal(SIGPIPE, SIG_IGN);\n    jbf_run();\n";
    out += "    jbf_flush();\n    return jbf_output_status(0);\n}\n";
    return out;
}

std::string emit_c_batch(const std::vector<CUnit>& units) {
    std::string out = cat("/* Generated by jitbf's tests: ", units.size(),
                          " programs, run as ./a.out INDEX [TAPE_FILE]. */\n");
    out += kCRuntime;
    out += "static const void *jbf_final_tape;\nstatic size_t jbf_final_bytes;\n";
    for (std::size_t k = 0; k < units.size(); ++k) {
        out += cat("\n", header(units[k]), "\n");
        CEmitter(units[k]).function(units[k], cat("jbf_run_", k), true, out);
    }
    out += "\nint main(int argc, char **argv) {\n    int status;\n    FILE *f;\n";
    out += "    signal(SIGPIPE, SIG_IGN);\n    switch (argc > 1 ? atoi(argv[1]) : -1) {\n";
    for (std::size_t k = 0; k < units.size(); ++k)
        out += cat("    case ", k, ": jbf_run_", k, "(); break;\n");
    out += "    default: fputs(\"usage: a.out INDEX [TAPE_FILE]\\n\", stderr); return 2;\n    }\n";
    out += "    jbf_flush();\n    status = jbf_output_status(0);\n";
    out += "    if (status == 0 && argc > 2 && (f = fopen(argv[2], \"wb\")) != NULL) {\n";
    out += "        fwrite(jbf_final_tape, 1, jbf_final_bytes, f);\n        fclose(f);\n    }\n";
    out += "    return status;\n}\n";
    return out;
}

}  // namespace jitbf
