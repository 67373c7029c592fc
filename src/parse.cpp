// Brainfuck source to IR: one linear pass, folding runs as it goes. The stack of open `[`
// lives in the IR itself (each open LoopBegin's `arg` holds the index of the one around it,
// until its `]` sets it to its partner): no recursion and no memory of its own, so a million
// nested `[` cost only their ops. Columns count
// characters, as text.hpp splits them, so that they match what format_error shows. `#` is
// an op (Dump) only when asked for: otherwise it is a comment, and the IR is what it would
// be without it.
#include "parse.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "huge_pages.hpp"
#include "text.hpp"

namespace jitbf {

namespace {

class Parser {
public:
    explicit Parser(bool debug) : debug_(debug) {}

    Result<Program> run(std::string_view src) {
        // Room for an op per command character, the most there can be: the IR is most of
        // the memory a compile takes, and a vector that doubles as it grows moves it all
        // and holds the old copy too for a moment. Room never filled is never touched.
        std::size_t commands = 0;
        for (const char c : src)
            if (is_command(c)) ++commands;
        if (commands > kMaxOps)
            return std::vector<Error>{
                {{}, "program too large: more than " + std::to_string(kMaxOps) + " commands"}};
        reserve_huge(prog_.code, commands);
        for (std::size_t i = 0; i < src.size(); ++i) {
            const char c = src[i];
            if (static_cast<unsigned char>(c) >= 0x80) {
                // A comment character of several bytes: one column (see text.hpp).
                i += text::char_bytes(src, i) - 1;
            } else if (c == '\n') {
                ++pos_.line;
                pos_.col = 1;
                continue;
            } else {
                step(c);
            }
            ++pos_.col;
        }
        flush();
        if (closes_ != 0 || open_ != kNoIndex) return report();
        return std::move(prog_);
    }

private:
    static bool is_command(char c) {
        switch (c) {
        case '+':
        case '-':
        case '>':
        case '<':
        case '.':
        case ',':
        case '[':
        case ']': return true;
        default: return false;
        }
    }

    void step(char c) {
        switch (c) {
        case '+':
        case '-':
            if (run_ != Op::Add) start_run(Op::Add);
            add_ += c == '+' ? 1u : ~0u;  // modulo 2^32: exact for every cell width
            break;
        case '>':
        case '<':
            if (run_ != Op::Move) start_run(Op::Move);
            move_ += c == '>' ? 1 : -1;
            break;
        case '.':
            flush();
            emit(Op::Out, 0);
            break;
        case ',':
            flush();
            emit(Op::In, 0);
            break;
        case '[':
            flush();
            emit(Op::LoopBegin, open_ == kNoIndex ? -1 : index_arg(open_));
            open_ = prog_.code.size() - 1;
            ++open_count_;
            break;
        case ']':
            flush();
            if (open_ == kNoIndex) {
                // Only the first few are kept: a million of them cost no memory.
                if (closes_++ < kMaxReportedErrors) errors_.push_back({pos_, "unmatched ']'"});
                break;
            }
            {
                const std::size_t begin = open_;
                Instr& open = prog_.code[begin];
                open_ = open.arg < 0 ? kNoIndex : static_cast<std::size_t>(open.arg);
                --open_count_;
                open.arg = index_arg(prog_.code.size());
                emit(Op::LoopEnd, index_arg(begin));
            }
            break;
        case '#':
            if (!debug_) break;  // a comment, as any other character
            flush();
            emit(Op::Dump, 0);
            break;
        default: break;  // a comment
        }
    }

    void start_run(Op op) {
        flush();
        run_ = op;
        run_pos_ = pos_;
    }

    // Ends the current run of `+-` or `<>`; a run that cancels out emits nothing.
    void flush() {
        if (run_ == Op::Add && add_ != 0) emit_at(Op::Add, amount_arg(add_), run_pos_);
        // A run of more than 2^31 - 1 `>` is several Moves (see Instr).
        for (std::int64_t left = move_; left != 0;) {
            const std::int64_t step = std::clamp(left, -kMaxMove, kMaxMove);
            emit_at(Op::Move, static_cast<std::int32_t>(step), run_pos_);
            left -= step;
        }
        run_ = Op::Out;  // "no run"
        add_ = 0;
        move_ = 0;
    }

    void emit(Op op, std::int32_t arg) { emit_at(op, arg, pos_); }
    void emit_at(Op op, std::int32_t arg, SourcePos at) {
        Instr in;
        in.op = op;
        in.arg = arg;
        in.pos = at;
        prog_.code.push_back(in);
    }

    // The first kMaxReportedErrors unmatched brackets by position, then how many more.
    // Every unmatched `]` comes before every unmatched `[` (a `[` before it would have
    // matched it), and each kind was found in source order.
    std::vector<Error> report() {
        std::vector<Error> shown = std::move(errors_);
        // The chain of open `[` runs from the last to the first: the first to show are the
        // last `room` of it.
        const std::size_t room = kMaxReportedErrors - std::min(shown.size(), kMaxReportedErrors);
        std::vector<SourcePos> first;
        std::size_t n = 0;
        for (std::size_t o = open_; o != kNoIndex; ++n) {
            if (n + room >= open_count_) first.push_back(prog_.code[o].pos);
            const std::int32_t outer = prog_.code[o].arg;
            o = outer < 0 ? kNoIndex : static_cast<std::size_t>(outer);
        }
        for (auto p = first.rbegin(); p != first.rend(); ++p)
            shown.push_back({*p, "unmatched '['"});
        const std::size_t total = closes_ + open_count_;
        if (total > shown.size())
            shown.push_back(
                {{},
                 "... and " + std::to_string(total - shown.size()) + " more unmatched brackets"});
        return shown;
    }

    const bool debug_;
    Program prog_;
    std::size_t open_ = kNoIndex;  // the innermost open `[` (see the top of the file)
    std::size_t open_count_ = 0;   // open `[`s in all
    std::vector<Error> errors_;    // the first unmatched `]`s
    std::size_t closes_ = 0;       // unmatched `]`s in all
    SourcePos pos_{1, 1};
    Op run_ = Op::Out;
    SourcePos run_pos_;
    std::uint32_t add_ = 0;
    std::int64_t move_ = 0;
};

}  // namespace

Result<Program> parse(std::string_view source, bool debug) { return Parser(debug).run(source); }

}  // namespace jitbf
