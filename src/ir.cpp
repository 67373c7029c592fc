// Printing and verifying the IR. Printing is for humans (--dump-ir) and for tests, so it
// is stable: one op per line, its index, its source position, then its operands.
#include "ir.hpp"

#include <algorithm>
#include <cassert>
#include <cstdio>

namespace jitbf {

namespace {

// Strings are built by appending: g++ 12 at -O2 reports a false -Wrestrict for
// `"literal" + std::string` (GCC bug 105651), which -Werror turns into a broken build.
std::string cell_ref(std::int32_t off) {
    if (off == 0) return "[p]";
    std::string s = off > 0 ? "[p+" : "[p";
    s += std::to_string(off);
    s += ']';
    return s;
}

// Adds and sets are stored modulo 2^32; show small negative amounts as such.
std::string amount(std::int64_t arg) {
    auto v = static_cast<std::int32_t>(static_cast<std::uint32_t>(arg));
    return std::to_string(v);
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        }
    }
    return out + "\"";
}

std::string operands(const Instr& in, const Program* prog) {
    const OpInfo& op = info(in.op);
    std::string s;
    auto then = [&s](const std::string& part) {
        if (!s.empty()) s += ' ';
        s += part;
    };
    if (names_cell(in.op)) then(cell_ref(in.off));
    if (op.reads_src) then(cell_ref(in.src) + " *");
    switch (op.arg) {
    case Arg::None: break;
    case Arg::Amount: then(amount(in.arg)); break;
    case Arg::Cells: then(std::to_string(in.arg)); break;
    case Arg::Stride: then("step " + std::to_string(in.arg)); break;
    case Arg::String:
        if (prog && in.arg >= 0 && static_cast<std::size_t>(in.arg) < prog->strings.size())
            then(quoted(prog->strings[static_cast<std::size_t>(in.arg)]));
        else
            then(std::string(1, '#').append(std::to_string(in.arg)));
        break;
    case Arg::Partner:
        // Shown after the tested cell; an endif tests nothing and shows nothing.
        if (op.cell != Access::None) then("-> " + std::to_string(in.arg));
        break;
    }
    return s;
}

std::string body(const Instr& in, const Program* prog) {
    std::string s(op_name(in.op));
    std::string ops = operands(in, prog);
    if (!ops.empty()) s += ' ' + ops;
    return s;
}

}  // namespace

std::string to_string(SourcePos pos) {
    return std::to_string(pos.line) + ":" + std::to_string(pos.col);
}
std::string to_string(const Instr& in) { return body(in, nullptr); }
std::string to_string(const Instr& in, const Program& prog) { return body(in, &prog); }

std::string to_string(const Program& prog) {
    std::string out;
    int depth = 0;
    for (std::size_t i = 0; i < prog.code.size(); ++i) {
        const Instr& in = prog.code[i];
        if (closes(in.op)) --depth;
        char head[48];
        std::snprintf(head, sizeof head, "%6zu  %5u:%-4u ", i, in.pos.line, in.pos.col);
        out += head;
        out.append(static_cast<std::size_t>(std::clamp(depth, 0, kMaxIndent)) * 2, ' ');
        out += body(in, &prog);
        out += '\n';
        if (opens(in.op)) ++depth;
    }
    return out;
}

void relink(Program& prog) {
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < prog.code.size(); ++i) {
        Instr& in = prog.code[i];
        if (opens(in.op)) {
            open.push_back(i);
        } else if (closes(in.op)) {
            assert(!open.empty() && "relink: unbalanced brackets");
            std::size_t b = open.back();
            open.pop_back();
            prog.code[b].arg = index_arg(i);
            in.arg = index_arg(b);
        }
    }
    assert(open.empty() && "relink: unbalanced brackets");
}

std::string verify(const Program& prog) {
    const auto n = prog.code.size();
    std::vector<std::size_t> open;  // indices of unclosed LoopBegin / IfBegin
    auto fail = [](std::size_t i, const std::string& what) {
        return "op " + std::to_string(i) + ": " + what;
    };
    for (std::size_t i = 0; i < n; ++i) {
        const Instr& in = prog.code[i];
        if (static_cast<int>(in.op) >= kOpCount) return fail(i, "no such op");
        const OpInfo& op = info(in.op);
        if (op.arg == Arg::Cells && in.arg == 0) return fail(i, "move by 0");
        if (op.arg == Arg::Stride && in.arg == 0) return fail(i, "scan with stride 0");
        if (op.arg == Arg::String &&
            (in.arg < 0 || static_cast<std::size_t>(in.arg) >= prog.strings.size()))
            return fail(i, "string index out of range");
        if (op.bracket == Bracket::Open) open.push_back(i);
        if (op.bracket == Bracket::Close) {
            if (open.empty()) return fail(i, "closes nothing");
            std::size_t b = open.back();
            open.pop_back();
            if (prog.code[b].op != op.partner) return fail(i, "closes a bracket of another kind");
            if (static_cast<std::size_t>(prog.code[b].arg) != i ||
                static_cast<std::size_t>(in.arg) != b)
                return fail(i, "partner indices disagree with nesting");
        }
    }
    if (!open.empty()) return fail(open.back(), "never closed");
    return {};
}

}  // namespace jitbf
