// Brainfuck source to IR: one linear pass with an explicit bracket stack (no recursion, so
// a million nested `[` is just a long vector), folding runs as it goes. Columns count
// characters, as text.hpp splits them, so that they match what format_error shows.
#include "parse.hpp"

#include <algorithm>
#include <cstdint>

#include "text.hpp"

namespace jitbf {

namespace {

struct Open {
    std::size_t index;  // of the LoopBegin in the code
    SourcePos pos;
};

class Parser {
public:
    Result<Program> run(std::string_view src) {
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
        for (const Open& o : open_) errors_.push_back({o.pos, "unmatched '['"});
        if (!errors_.empty()) return report();
        return std::move(prog_);
    }

private:
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
            open_.push_back({prog_.code.size(), pos_});
            emit(Op::LoopBegin, 0);
            break;
        case ']':
            flush();
            if (open_.empty()) {
                errors_.push_back({pos_, "unmatched ']'"});
                break;
            }
            {
                std::size_t begin = open_.back().index;
                open_.pop_back();
                prog_.code[begin].arg = static_cast<std::int64_t>(prog_.code.size());
                emit(Op::LoopEnd, static_cast<std::int64_t>(begin));
            }
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
        if (run_ == Op::Add && add_ != 0) emit_at(Op::Add, add_, run_pos_);
        if (run_ == Op::Move && move_ != 0) emit_at(Op::Move, move_, run_pos_);
        run_ = Op::Out;  // "no run"
        add_ = 0;
        move_ = 0;
    }

    void emit(Op op, std::int64_t arg) { emit_at(op, arg, pos_); }
    void emit_at(Op op, std::int64_t arg, SourcePos at) {
        Instr in;
        in.op = op;
        in.arg = arg;
        in.pos = at;
        prog_.code.push_back(in);
    }

    std::vector<Error> report() {
        std::stable_sort(errors_.begin(), errors_.end(), [](const Error& a, const Error& b) {
            return a.pos.line != b.pos.line ? a.pos.line < b.pos.line : a.pos.col < b.pos.col;
        });
        if (errors_.size() > kMaxReportedErrors) {
            std::size_t more = errors_.size() - kMaxReportedErrors;
            errors_.resize(kMaxReportedErrors);
            errors_.push_back({{}, "... and " + std::to_string(more) + " more unmatched brackets"});
        }
        return std::move(errors_);
    }

    Program prog_;
    std::vector<Open> open_;
    std::vector<Error> errors_;
    SourcePos pos_{1, 1};
    Op run_ = Op::Out;
    SourcePos run_pos_;
    std::uint32_t add_ = 0;
    std::int64_t move_ = 0;
};

}  // namespace

Result<Program> parse(std::string_view source) { return Parser().run(source); }

}  // namespace jitbf
