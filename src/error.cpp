// Formatting user errors the way compilers do: position, message, source line, caret.
#include "jitbf/jitbf.hpp"

#include <algorithm>

namespace jitbf {

namespace {

// The text of 1-based line `line` of `source`, without its newline ("" if there is none).
std::string_view source_line(std::string_view source, std::uint32_t line) {
    std::size_t start = 0;
    for (std::uint32_t l = 1; l < line; ++l) {
        std::size_t nl = source.find('\n', start);
        if (nl == std::string_view::npos) return {};
        start = nl + 1;
    }
    std::size_t end = source.find('\n', start);
    return source.substr(start, end == std::string_view::npos ? source.npos : end - start);
}

// A UTF-8 continuation byte: the rest of the character that an earlier byte started.
bool continues_character(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string format_error(const Error& err, std::string_view name, std::string_view kind,
                         std::string_view source) {
    std::string out(name);
    if (err.pos.line != 0) {
        out += ':';
        out += std::to_string(err.pos.line);
        out += ':';
        out += std::to_string(err.pos.col);
    }
    out.append(": ").append(kind).append(": ").append(err.message).append("\n");
    std::string_view text = err.pos.line != 0 ? source_line(source, err.pos.line) : "";
    if (!text.empty() && err.pos.col >= 1 && err.pos.col <= text.size() + 1) {
        // Long lines (a whole program on one line) are cut to a window around the column.
        constexpr std::size_t kWindow = 100;
        // Columns count bytes, but a terminal shows a UTF-8 character (in a comment) as
        // one: the window starts and ends on whole characters, and the caret line has one
        // space per character, not per byte.
        std::size_t col = err.pos.col - 1;
        std::size_t from = col > kWindow / 2 ? col - kWindow / 2 : 0;
        while (from > 0 && continues_character(text[from])) --from;
        std::size_t to = std::min(text.size(), from + kWindow);
        while (to < text.size() && continues_character(text[to])) ++to;
        std::string_view shown = text.substr(from, to - from);
        std::string caret;
        for (std::size_t i = from; i < col; ++i)
            if (!continues_character(text[i])) caret += text[i] == '\t' ? '\t' : ' ';
        out += "  ";
        if (from > 0) out += "...";
        out += shown;
        if (to < text.size()) out += "...";
        out += "\n  ";
        if (from > 0) out += "   ";
        out += caret + "^\n";
    }
    return out;
}

}  // namespace jitbf
