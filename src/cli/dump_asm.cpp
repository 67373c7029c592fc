// --dump-asm: the JIT's machine code, disassembled with Zydis, under the IR op and source line
// each stretch came from (the JIT's code map), in the spirit of `objdump -S`. Nothing runs.
//
// Zydis is x86-64 only, which is all jitbf emits, and decodes every extension the scans
// use (AVX2, BMI2); only the command links it, so the library stays free of it. Offsets are
// from the start of the code, so the listing is the same from one run to the next except for
// the addresses of the runtime functions the code calls, which are named.
#include <Zydis/Zydis.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <span>
#include <string>

#include "code_map.hpp"
#include "commands.hpp"
#include "excerpt.hpp"
#include "jit/codegen.hpp"
#include "jit/context.hpp"
#include "jit/jit.hpp"
#include "observe.hpp"
#include "passes/passes.hpp"
#include "report.hpp"

namespace jitbf::cli {

namespace {

// What a stub region is for, under its label.
std::string_view stub_note(CodeKind kind) {
    switch (kind) {
    case CodeKind::Prologue: return "save registers, load the tape pointer and the context";
    case CodeKind::Ops: return "";
    case CodeKind::Epilogue: return "restore registers and return";
    case CodeKind::FaultExit: return "a touch of a guard page resumes here, to leave";
    case CodeKind::ErrorStubs:
        return "record how the run ended (off the tape, step limit) and leave";
    case CodeKind::IfStubs:
        return "branch-free ifs' own tests, for when a cell may be off the tape";
    }
    return "";
}

// "<what>". (Built by appending: g++ 12 reports a false -Wrestrict for `"<" + string`,
// GCC bug 105651.)
std::string angled(std::string_view what) {
    std::string s = "<";
    s.append(what).append(">");
    return s;
}

class Lister {
public:
    Lister(const Program& prog, const JitProgram& jit, const Source& src, Output& out)
        : prog_(prog), jit_(jit), lines_(src.text), out_(out) {
        ZydisDecoderInit(&decoder_, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
        ZydisFormatterInit(&formatter_, ZYDIS_FORMATTER_STYLE_INTEL);
        ZydisFormatterSetProperty(&formatter_, ZYDIS_FORMATTER_PROP_HEX_UPPERCASE, ZYAN_FALSE);
        // "inc byte ptr [rbx]", not "inc [rbx]": the width of a cell matters here.
        ZydisFormatterSetProperty(&formatter_, ZYDIS_FORMATTER_PROP_FORCE_SIZE, ZYAN_TRUE);
        ZydisFormatterSetProperty(&formatter_, ZYDIS_FORMATTER_PROP_ADDR_PADDING_ABSOLUTE,
                                  ZYDIS_PADDING_DISABLED);
    }

    void run(const Cli& cli) {
        char head[160];
        std::snprintf(head, sizeof head,
                      "; %zu bytes of x86-64 code for -O%d, %d-bit cells, eof %s; offsets from "
                      "its start\n",
                      jit_.code_size(), cli.opts.opt_level, cli.opts.cell_bits,
                      cli.opts.eof == EofMode::Zero       ? "zero"
                      : cli.opts.eof == EofMode::MinusOne ? "minus-one"
                                                          : "unchanged");
        out_.write(head);
        for (const CodeRange& r : jit_.code_map()) {
            if (out_.closed()) return;  // the reader went away
            if (r.kind == CodeKind::Ops) {
                ops(r);
            } else {
                out_.write("\n; ");
                out_.write(code_kind_name(r.kind));
                out_.write(": ");
                out_.write(stub_note(r.kind));
                out_.write("\n");
                instructions(r.begin, r.end);
            }
        }
    }

private:
    // The code of ops [r.first_op, r.end_op). Most ranges are one op. A region on registers
    // is one range, whose ops each start where the fault handler's table says: each op's
    // header goes there, with the headers of ops that have no code of their own (moves)
    // before the next one that has. A region's copy in memory names its ops again.
    void ops(const CodeRange& r) {
        std::uint32_t headed = r.first_op;  // ops before it have their header
        std::uint32_t last = r.end_op;      // the op whose header came last
        std::uint32_t at = r.begin;
        for (const jit::OpOffset& s : starts_in(r)) {
            // More of the same op's code (its touch, then its start), or not one of r's ops.
            if (s.op == last || s.op < r.first_op || s.op >= r.end_op) continue;
            instructions(at, s.code);
            at = s.code;
            if (s.op < headed) {
                op_header(s.op);  // the memory copy
            } else {
                for (; headed <= s.op; ++headed) op_header(headed);
            }
            last = s.op;
        }
        for (; headed < r.end_op; ++headed) op_header(headed);
        instructions(at, r.end);
    }

    // The fault handler's op starts inside range r, in code order (the table is sorted by
    // code offset, so this is two binary searches, not a scan).
    std::span<const jit::OpOffset> starts_in(const CodeRange& r) const {
        const std::span<const jit::OpOffset> all = jit_.op_starts();
        const auto by_code = [](const jit::OpOffset& s, std::uint32_t c) { return s.code < c; };
        const auto b = std::lower_bound(all.begin(), all.end(), r.begin, by_code);
        const auto e = std::lower_bound(b, all.end(), r.end, by_code);
        return {b, e};
    }

    void op_header(std::uint32_t op) {
        const Instr& in = prog_.code[op];
        const std::string where = to_string(in.pos);
        const Excerpt e = excerpt(lines_, in.pos);
        const std::string s = "\n; " + where + "  " + to_string(in, prog_) + "\n;   " + e.text +
                              "\n;   " + e.caret + "\n";
        out_.write(s);
    }

    void instructions(std::uint32_t begin, std::uint32_t end) {
        const std::span<const std::uint8_t> code = jit_.code();
        ZydisDecodedInstruction insn;
        ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
        for (std::uint32_t at = begin; at < end;) {
            std::uint32_t size = 1;
            char text[256] = "(bad)";
            std::string note;
            if (ZYAN_SUCCESS(
                    ZydisDecoderDecodeFull(&decoder_, code.data() + at, end - at, &insn, ops))) {
                size = insn.length;
                ZydisFormatterFormatInstruction(&formatter_, &insn, ops, insn.operand_count_visible,
                                                text, sizeof text, at, nullptr);
                note = annotation(insn, ops, at);
            }
            line(at, code.subspan(at, size), text, note);
            at += size;
        }
    }

    // "<3:5>" for a jump into op code, "<epilogue>" into a stub; the runtime function an
    // immediate address names.
    std::string annotation(const ZydisDecodedInstruction& insn, const ZydisDecodedOperand* ops,
                           std::uint32_t at) const {
        const bool branch = insn.meta.category == ZYDIS_CATEGORY_COND_BR ||
                            insn.meta.category == ZYDIS_CATEGORY_UNCOND_BR;
        for (std::uint8_t k = 0; k < insn.operand_count_visible; ++k) {
            if (ops[k].type != ZYDIS_OPERAND_TYPE_IMMEDIATE) continue;
            ZyanU64 target = 0;
            if (branch && ops[k].imm.is_relative &&
                ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(&insn, &ops[k], at, &target)))
                return angled(place(target));
            if (const char* fn = runtime_function(ops[k].imm.value.u)) return angled(fn);
        }
        return "";
    }

    static const char* runtime_function(std::uint64_t addr) {
        if (addr == reinterpret_cast<std::uintptr_t>(&jit::put_byte)) return "put_byte";
        if (addr == reinterpret_cast<std::uintptr_t>(&jit::put_string)) return "put_string";
        if (addr == reinterpret_cast<std::uintptr_t>(&jit::read_byte)) return "read_byte";
        return nullptr;
    }

    // The op (line:col) or stub at a code offset.
    std::string place(std::uint64_t offset) const {
        const std::vector<CodeRange>& map = jit_.code_map();
        // The ranges are contiguous: the one holding it is the last non-empty one that
        // starts at or before it.
        auto it = std::upper_bound(map.begin(), map.end(), offset,
                                   [](std::uint64_t o, const CodeRange& r) { return o < r.begin; });
        while (it != map.begin()) {
            --it;
            if (offset >= it->end) continue;  // an op without code
            if (it->kind != CodeKind::Ops) return std::string(code_kind_name(it->kind));
            // In a range of several ops, the last of them that starts at or before it.
            const std::span<const jit::OpOffset> starts = starts_in(*it);
            auto s = std::upper_bound(
                starts.begin(), starts.end(), offset,
                [](std::uint64_t o, const jit::OpOffset& start) { return o < start.code; });
            while (s != starts.begin() &&
                   (std::prev(s)->op < it->first_op || std::prev(s)->op >= it->end_op))
                --s;
            const std::uint32_t op = s == starts.begin() ? it->first_op : std::prev(s)->op;
            return to_string(prog_.code[op].pos);
        }
        return "?";
    }

    void line(std::uint32_t at, std::span<const std::uint8_t> bytes, const char* text,
              const std::string& note) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%8" PRIx32 ":  ", at);
        std::string s = buf;
        std::string hex;
        for (std::uint8_t b : bytes) {
            std::snprintf(buf, sizeof buf, "%02x ", b);
            hex += buf;
        }
        hex.resize(std::max<std::size_t>(hex.size(), 33), ' ');
        s += hex;
        // Mnemonic, then operands aligned in their own column.
        const std::string_view t = text;
        const std::size_t space = t.find(' ');
        std::string mnemonic(t.substr(0, space));
        mnemonic.resize(std::max<std::size_t>(mnemonic.size() + 1, 8), ' ');
        s += mnemonic;
        if (space != std::string_view::npos) s.append(t.substr(space + 1));
        if (!note.empty()) s.append("  ").append(note);
        while (!s.empty() && s.back() == ' ') s.pop_back();
        s += '\n';
        out_.write(s);
    }

    const Program& prog_;
    const JitProgram& jit_;
    SourceLines lines_;
    Output& out_;
    ZydisDecoder decoder_;
    ZydisFormatter formatter_;
};

}  // namespace

int dump_asm(const Cli& cli, const Source& src, Program parsed) {
    const Program prog = optimize(std::move(parsed), cli.opts);
    Instrumentation extra;
    extra.code_map = true;
    auto jit = JitProgram::compile(prog, cli.opts, extra);
    if (!jit) {
        print_errors(jit.errors(), src, "error");
        return kExitRuntime;
    }
    // Written like a program's output: a closed pipe is a quiet end, a full disk an error.
    auto out = Output::fd(1);
    Lister(prog, *jit, src, out).run(cli);
    out.flush();
    return report_write_error(out) ? kExitRuntime : kExitOk;
}

}  // namespace jitbf::cli
