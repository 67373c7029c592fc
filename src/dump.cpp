// The tape dump of `#`: formatting, and the way to standard error or to the embedder.
#include "dump.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <unistd.h>

namespace jitbf {

namespace {

// "(cell -1 off the tape)", "(cells -8..-1 off the tape)"
std::string off_tape(std::int64_t first, std::int64_t last) {
    if (first == last) return "(cell " + std::to_string(first) + " off the tape)";
    return "(cells " + std::to_string(first) + ".." + std::to_string(last) + " off the tape)";
}

// Writes all of `s` to standard error; a dump that cannot be written is dropped, as
// stderr's own messages would be.
void to_stderr(std::string_view s) {
    while (!s.empty()) {
        const ssize_t n = ::write(2, s.data(), s.size());
        if (n > 0)
            s.remove_prefix(static_cast<std::size_t>(n));
        else if (n < 0 && errno == EINTR)
            continue;
        else
            return;
    }
}

}  // namespace

std::string format_dump(SourcePos pos, std::int64_t pointer, const TapeView& tape,
                        std::uint32_t window) {
    std::string s = "# at " + to_string(pos) + ", pointer at cell " + std::to_string(pointer) + ":";
    const std::int64_t from = pointer - window;
    const std::int64_t to = pointer + window;
    const auto cells = static_cast<std::int64_t>(tape.cells);
    // Left of cell 0, the cells on the tape, right of its end: at most three stretches.
    if (from < 0) s += "  " + off_tape(from, std::min<std::int64_t>(to, -1));
    for (std::int64_t i = std::max<std::int64_t>(from, 0); i <= std::min(to, cells - 1); ++i) {
        const std::uint32_t v = tape.cell(static_cast<std::uint64_t>(i));
        std::string cell = std::to_string(i) + ":" + std::to_string(v);
        if (v >= 32 && v < 127) cell += " '" + std::string(1, static_cast<char>(v)) + "'";
        s += i == pointer ? "  [" + cell + "]" : "  " + cell;
    }
    if (to >= cells) s += "  " + off_tape(std::max(from, cells), to);
    s += '\n';
    return s;
}

bool write_dump(const Options& opts, Output& out, SourcePos pos, std::int64_t pointer,
                const TapeView& tape) {
    if (!out.flush()) return false;
    // Nothing may unwind through the JIT's code: a dump that fails is said, and the run goes on.
    try {
        const std::string line = format_dump(pos, pointer, tape, opts.debug_window);
        if (opts.debug_out)
            opts.debug_out(line);
        else
            to_stderr(line);
    } catch (...) {  // bad_alloc, or a debug_out that throws (which it must not)
        to_stderr("# (this dump could not be written)\n");
    }
    return true;
}

}  // namespace jitbf
