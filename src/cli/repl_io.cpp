// Lines and `,` input for --repl (see repl_io.hpp).
//
// A Ctrl-C at the prompt must not end the session, but the command's SIGINT handler ends the
// process when no run is in progress (stopping.hpp). So the wait for a line is published as
// a run in progress: the handler then only asks it to stop, libedit's read returns EINTR,
// readline() returns null, and take_interrupt() tells that from the end of input.
#include "repl_io.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <editline/readline.h>
#include <memory>
#include <unistd.h>

#include "stop.hpp"
#include "stopping.hpp"

namespace jitbf::cli {

LineReader::LineReader(bool editing) : editing_(editing) {
    if (!editing_) return;
    rl_readline_name = "jitbf";  // for the `jitbf:` lines of ~/.editrc
    using_history();
}

LineReader::~LineReader() {
    if (editing_) clear_history();
}

bool LineReader::fill() {
    if (pos_ == buf_.size()) {
        buf_.clear();
        pos_ = 0;
    }
    char chunk[4096];
    const ssize_t n = ::read(0, chunk, sizeof chunk);
    if (n <= 0) return false;  // the end, an error, or EINTR (a stop: the caller looks)
    buf_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

std::optional<std::string> LineReader::plain_line(bool keep_newline) {
    for (;;) {
        const std::size_t nl = buf_.find('\n', pos_);
        if (nl != std::string::npos) {
            std::string line = buf_.substr(pos_, nl - pos_ + (keep_newline ? 1 : 0));
            pos_ = nl + 1;
            return line;
        }
        if (!fill()) break;
    }
    if (pos_ == buf_.size()) return std::nullopt;
    std::string last = buf_.substr(pos_);  // a last line without a newline
    pos_ = buf_.size();
    return last;
}

std::optional<std::string> LineReader::line(const char* prompt, bool& interrupted) {
    interrupted = false;
    if (!editing_) return plain_line(false);
    char* raw = nullptr;
    {
        RunControl control;  // see the file comment
        const RunControlScope scope(control, std::chrono::nanoseconds{0});
        raw = readline(prompt);
    }
    const std::unique_ptr<char, decltype(&std::free)> owned(raw, &std::free);
    interrupted = take_interrupt();
    if (interrupted) return std::string();
    if (!raw) return std::nullopt;
    std::string line = raw;
    if (line.find_first_not_of(" \t") != std::string::npos) add_history(raw);
    return line;
}

std::size_t LineReader::read_byte(char* buf) {
    if (input_pos_ == input_.size()) {
        input_.clear();
        input_pos_ = 0;
        if (editing_) {  // the terminal's line mode hands over a line per read
            char chunk[4096];
            const ssize_t n = ::read(0, chunk, sizeof chunk);
            if (n <= 0) return 0;  // Ctrl-D, an error, or EINTR (a stop: the run looks)
            input_.assign(chunk, static_cast<std::size_t>(n));
        } else {
            auto line = plain_line(true);
            if (!line) return 0;
            input_ = std::move(*line);
        }
    }
    buf[0] = input_[input_pos_++];
    return 1;
}

}  // namespace jitbf::cli
