// --repl: Brainfuck a line at a time, on one tape that stays between lines.
//
// Each entry (a line, or several when a `[` is still open) is parsed, optimized as a
// piece of a longer run, not a whole program (Program::standalone), compiled for the
// backend asked for and run from the cell the last entry left the pointer on. Everything
// the session says (the tape after each entry, errors, help) goes to stderr, so that
// standard output carries the programs' output alone, as in an ordinary run.
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>

#include "commands.hpp"
#include "engine.hpp"
#include "parse.hpp"
#include "passes/passes.hpp"
#include "repl_io.hpp"
#include "report.hpp"
#include "stop.hpp"
#include "stopping.hpp"

namespace jitbf::cli {

namespace {

constexpr const char* kHelp =
    R"(Each line of Brainfuck runs on the same tape, from the cell the last line left the
pointer on; the pointer and the cells around it are shown after it ([cell:value]).
A line with a '[' still open waits for more lines (prompt '...'); a stray ']' is an
error and the line is dropped. The program's output goes to standard output.
Commands, alone on a line:
  :reset     set every cell to 0 and the pointer to cell 0
  :tape N    a new tape of N cells (rounded up to whole pages), all 0, pointer on 0
  :help      this text
  :quit      end the session (so does Ctrl-D at the prompt)
An error (a cell touched off the tape, --max-steps, --timeout) ends the line, not the
session: the cells stay as the line left them when it failed, and the pointer where
it was then; a line that touches a cell off the tape, or ends with the pointer off it,
leaves the pointer on cell 0 or the last cell. Ctrl-C stops a running line the same
way; at the prompt it drops the line being typed. (With --backend jit, a line stopped
by Ctrl-C or --timeout may not have stored cells the JIT kept in registers.)
',' reads the terminal: type a line and Enter; its bytes, newline included, are read
one at a time, and those a line does not read stay for the next ','. Ctrl-D there ends
the input of that line only (--eof says what ',' stores then).
)";

constexpr std::int64_t kViewSide = 5;  // cells shown on each side of the pointer

// "p=2  0:72 'H'  1:105 'i'  [2:0]  3:0 ...": the pointer, then the cells around it with
// the pointer's in brackets, as numbers and, where printable, characters.
std::string view(const Tape& tape, std::uint64_t pointer) {
    const auto p = static_cast<std::int64_t>(pointer);
    const auto last = static_cast<std::int64_t>(tape.cells()) - 1;
    const std::int64_t from = std::max<std::int64_t>(0, p - kViewSide);
    const std::int64_t to = std::min(last, p + kViewSide);
    std::string s = "p=" + std::to_string(p) + " ";
    if (from > 0) s += " ...";
    for (std::int64_t i = from; i <= to; ++i) {
        const std::uint32_t v = tape.cell(static_cast<std::uint64_t>(i));
        std::string cell = std::to_string(i) + ":" + std::to_string(v);
        if (v >= 32 && v < 127) cell += " '" + std::string(1, static_cast<char>(v)) + "'";
        s += i == p ? " [" + cell + "]" : " " + cell;
    }
    if (to < last) s += " ...";
    return s + "\n";
}

std::string trimmed(const std::string& s) {
    const std::size_t first = s.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \t\r") + 1 - first);
}

// The cell the source's pointer was on when the run ended. A run that stopped early reports
// the pointer of the optimized code, which has merged moves into the ops' offsets: the op
// it stopped at (a `]`, `,` or `.`) has the source's pointer at its offset.
std::int64_t pointer_after(const Program& prog, const RunResult& r) {
    if (r.status == RunStatus::LeftOfTape || r.status == RunStatus::RightOfTape) return r.cell;
    if (r.status == RunStatus::Ok || r.op >= prog.code.size()) return r.pointer;
    const Instr& in = prog.code[r.op];
    return r.pointer + (info(in.op).cell != Access::None ? in.off : 0);
}

void say(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stderr); }

class Session {
public:
    Session(const Cli& cli, bool editing) : cli_(cli), reader_(editing) {}

    int run() {
        if (!new_tape(cli_.opts.tape_cells)) return kExitRuntime;
        if (reader_.editing())
            say("jitbf --repl: a line of Brainfuck at a time on a tape of " +
                std::to_string(tape_.cells()) + " cells; :help for help, Ctrl-D to quit\n");
        std::string pending;  // the lines of an entry with a `[` still open
        for (;;) {
            bool interrupted = false;
            const auto line = reader_.line(pending.empty() ? "bf> " : "... ", interrupted);
            if (interrupted) {  // drops what was typed, as a shell does
                say("\n");
                pending.clear();
                continue;
            }
            if (!line) break;
            if (pending.empty() && trimmed(*line).starts_with(':')) {
                if (!command(trimmed(*line))) break;
                continue;
            }
            pending += *line + "\n";
            if (!entry(pending)) continue;  // waits for the brackets to close
            pending.clear();
            if (ended_) break;
        }
        if (reader_.editing() && !ended_) say("\n");
        return status_;
    }

private:
    // Runs a `:` command; false for :quit.
    bool command(const std::string& line) {
        const std::size_t space = line.find_first_of(" \t");
        const std::string name = line.substr(0, space);
        const std::string arg = trimmed(space == std::string::npos ? "" : line.substr(space));
        if (name == ":quit" && arg.empty()) return false;
        if (name == ":help" && arg.empty()) {
            say(kHelp);
        } else if (name == ":reset" && arg.empty()) {
            if (new_tape(tape_cells_)) say(view(tape_, pointer_));
        } else if (name == ":tape") {
            std::uint64_t n = 0;
            const char* end = arg.data() + arg.size();
            const auto [stop, ec] = std::from_chars(arg.data(), end, n);
            if (arg.empty() || ec != std::errc{} || stop != end || n == 0 || n > kMaxTapeCells ||
                arg.find_first_not_of("0123456789") != std::string::npos) {
                error(":tape needs a number of cells from 1 to " + std::to_string(kMaxTapeCells));
            } else if (new_tape(n)) {
                say("tape of " + std::to_string(tape_.cells()) + " cells\n" +
                    view(tape_, pointer_));
            }
        } else {
            error("unknown command '" + line + "': :reset, :tape N, :help or :quit");
        }
        return true;
    }

    bool new_tape(std::uint64_t cells) {
        auto tape = Tape::create(cells, cli_.opts.cell_bits);
        if (!tape) {
            print_setup_errors(tape.errors());
            status_ = kExitRuntime;
            return false;
        }
        tape_ = std::move(*tape);
        tape_cells_ = cells;
        pointer_ = 0;
        return true;
    }

    void error(const std::string& message) {
        fail(message);
        if (!reader_.editing()) status_ = kExitRuntime;
    }

    // Parses and runs `text`; false when a `[` is still open (the entry goes on).
    bool entry(const std::string& text) {
        const Source src{text, "repl", ""};
        auto parsed = parse(text, cli_.opts.debug);
        if (!parsed) {
            bool stray = false;
            for (const Error& e : parsed.errors()) stray |= e.message == "unmatched ']'";
            if (!stray) return false;
            print_errors(parsed.errors(), src, "error");
            if (!reader_.editing()) status_ = kExitRuntime;
            return true;
        }
        parsed->standalone = false;
        Options opts = cli_.opts;
        opts.tape_cells = tape_.cells();
        const Program prog = optimize(std::move(*parsed), opts);
        auto exe = Executable::compile(prog, opts, opts.backend);
        if (!exe) {
            print_setup_errors(exe.errors());
            status_ = kExitRuntime;
            return true;
        }
        auto in =
            Input::callback([this](char* buf, std::size_t) { return reader_.read_byte(buf); });
        char last = '\n';
        int write_error = 0;
        auto out = Output::callback([&](std::string_view s) {
            if (!s.empty()) last = s.back();
            while (!s.empty()) {
                const ssize_t n = ::write(1, s.data(), s.size());
                if (n >= 0) {
                    s.remove_prefix(static_cast<std::size_t>(n));
                } else if (errno != EINTR || stop_requested() != RunStatus::Ok) {
                    write_error = errno;
                    return false;
                }
            }
            return true;
        });
        const RunResult r = exe->run(tape_, in, out, nullptr, pointer_);
        take_interrupt();  // a Ctrl-C stops the line, not the session
        if (last != '\n' && isatty(2)) say("\n");
        conclude(prog, r, src, write_error);
        return true;
    }

    // Reports how the run ended and places the pointer.
    void conclude(const Program& prog, const RunResult& r, const Source& src, int write_error) {
        const auto last = static_cast<std::int64_t>(tape_.cells()) - 1;
        const std::int64_t at = pointer_after(prog, r);
        if (r.status != RunStatus::NotStarted)
            pointer_ = static_cast<std::uint64_t>(std::clamp<std::int64_t>(at, 0, last));
        if (r.status != RunStatus::Ok && !reader_.editing()) status_ = kExitRuntime;
        switch (r.status) {
        case RunStatus::Ok:
            if (at < 0 || at > last) {  // moved off without touching: no error in a program
                fail("the line left the pointer on cell " + std::to_string(at) +
                     ", off the tape: it is back on cell " + std::to_string(pointer_));
                if (!reader_.editing()) status_ = kExitRuntime;
            }
            break;
        case RunStatus::OutputClosed:  // the reader went away: the session ends with it
            ended_ = true;
            if (write_error != EPIPE) {
                fail(std::string("cannot write output: ") + std::strerror(write_error));
                status_ = kExitRuntime;
            } else {
                status_ = kExitOk;
            }
            return;
        case RunStatus::LeftOfTape:
        case RunStatus::RightOfTape:
        case RunStatus::NotStarted:
            print_errors({runtime_error(prog, r, tape_)}, src, "runtime error");
            break;
        case RunStatus::StepLimit:
        case RunStatus::Timeout:
            report_stop(cli_, src, r.status, runtime_error(prog, r, tape_).pos);
            break;
        case RunStatus::Stopped: {
            const SourcePos pos = runtime_error(prog, r, tape_).pos;
            fail(src.name + ":" + to_string(pos) + ": stopped: interrupted (Ctrl-C)");
            break;
        }
        }
        say(view(tape_, pointer_));
    }

    const Cli& cli_;
    LineReader reader_;
    Tape tape_;
    std::uint64_t tape_cells_ = 0;  // as asked for, for :reset
    std::uint64_t pointer_ = 0;
    int status_ = kExitOk;
    bool ended_ = false;  // the output was closed: no more lines
};

}  // namespace

int repl(const Cli& cli) {
    Session session(cli, isatty(0) != 0);
    return session.run();
}

}  // namespace jitbf::cli
