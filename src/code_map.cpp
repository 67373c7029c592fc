// Symbols for generated code (see code_map.hpp): one walk over the code map, cutting where
// a loop or scan starts (or a range with a loop in it) and where one ends.
#include "code_map.hpp"

#include <cassert>
#include <unordered_map>

namespace jitbf {

std::string_view code_kind_name(CodeKind kind) {
    switch (kind) {
    case CodeKind::Prologue: return "prologue";
    case CodeKind::Ops: return "ops";
    case CodeKind::Epilogue: return "epilogue";
    case CodeKind::FaultExit: return "fault exit";
    case CodeKind::ErrorStubs: return "error stubs";
    case CodeKind::IfStubs: return "if stubs";
    }
    return "?";
}

namespace {

std::string at(std::string_view what, SourcePos pos) {
    std::string s = "bf:";
    s.append(what).append("@").append(std::to_string(pos.line)).append(":");
    s.append(std::to_string(pos.col));
    return s;
}

std::string frame_name(CodeKind kind) {
    std::string s = "bf:";
    for (char c : code_kind_name(kind)) s += c == ' ' ? '_' : c;
    return s;
}

}  // namespace

std::vector<CodeSymbol> code_symbols(const Program& prog, const std::vector<CodeRange>& map) {
    std::vector<CodeSymbol> symbols;
    bool cut = true;  // the next range of ops starts a symbol
    for (const CodeRange& r : map) {
        if (r.begin == r.end) continue;  // an op that needed no code
        if (r.kind != CodeKind::Ops) {
            symbols.push_back({r.begin, r.end, frame_name(r.kind)});
            cut = true;
            continue;
        }
        const Instr& first = prog.code[r.first_op];
        // A region on registers is one range for several ops: named by the first loop in it.
        const Instr* loop = nullptr;
        for (std::uint32_t i = r.first_op; i < r.end_op && !loop; ++i)
            if (prog.code[i].op == Op::LoopBegin) loop = &prog.code[i];
        if (loop)
            symbols.push_back({r.begin, r.end, at("loop", loop->pos)});
        else if (first.op == Op::LoopBegin)
            symbols.push_back({r.begin, r.end, at("loop", first.pos)});
        else if (first.op == Op::Scan)
            symbols.push_back({r.begin, r.end, at("scan", first.pos)});
        else if (cut)
            symbols.push_back({r.begin, r.end, at("block", first.pos)});
        else
            symbols.back().end = r.end;
        const Op last = prog.code[r.end_op - 1].op;
        cut = last == Op::LoopEnd || last == Op::Scan;
    }
    std::unordered_map<std::string, int> uses;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        assert(i == 0 || symbols[i - 1].end == symbols[i].begin);
        CodeSymbol& s = symbols[i];
        if (const int n = ++uses[s.name]; n > 1) s.name.append("#").append(std::to_string(n));
    }
    return symbols;
}

}  // namespace jitbf
