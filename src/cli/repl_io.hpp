// Where --repl gets its lines and the bytes its programs read with `,`: standard input, with
// line editing and history (libedit) when it is a terminal, plain lines otherwise.
//
// Both come from one stream, read in order. `,` takes a whole line of it when it needs more
// input, and reads that a byte at a time: what it leaves of the line stays for the next `,`
// (of this entry or a later one), never read as Brainfuck. On a terminal, libedit reads the
// lines itself (a byte at a time, so it never takes input meant for `,`), and `,` reads the
// terminal in its ordinary line mode: the user types a line and Enter.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace jitbf::cli {

class LineReader {
public:
    // `editing`: standard input is a terminal; read lines with libedit.
    explicit LineReader(bool editing);
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    bool editing() const { return editing_; }

    // The next line, without its newline; nothing at the end of input. `interrupted` is set
    // when Ctrl-C cut the line short (editing only; the line is then discarded).
    std::optional<std::string> line(const char* prompt, bool& interrupted);

    // For Input::callback: the next byte of input for `,` into buf[0] (1), or 0 at the end
    // of input or when a signal interrupted the wait. One byte at a time, so that what a
    // run does not read stays here for the next.
    std::size_t read_byte(char* buf);

private:
    bool fill();  // more of standard input into buf_; false at its end (or EINTR)
    std::optional<std::string> plain_line(bool keep_newline);  // the next line of buf_
    bool editing_;
    std::string buf_;  // bytes read from standard input and not used yet (plain lines)
    std::size_t pos_ = 0;
    std::string input_;  // the line `,` is reading
    std::size_t input_pos_ = 0;
};

}  // namespace jitbf::cli
