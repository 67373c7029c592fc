// Formatting user errors the way compilers do: position, message, source line, caret.
//
// The source line is shown as a terminal would show it, but safely: control bytes,
// malformed UTF-8 and bidirectional overrides appear escaped (text.hpp), so a hostile
// program cannot drive the user's terminal through an error message. The caret line
// repeats the excerpt's widths character by character (a tab for a tab, two spaces under a
// wide character, four under `\x1b`), so the caret stays under the column it names.
#include "jitbf/jitbf.hpp"
#include "text.hpp"

#include <vector>

namespace jitbf {

namespace {

// The text of 1-based line `line` of `source`, without its line ending ("" if there is
// none). A CR before the newline belongs to the ending, as in a file from Windows.
std::string_view source_line(std::string_view source, std::uint32_t line) {
    std::size_t start = 0;
    for (std::uint32_t l = 1; l < line; ++l) {
        std::size_t nl = source.find('\n', start);
        if (nl == std::string_view::npos) return {};
        start = nl + 1;
    }
    std::size_t end = source.find('\n', start);
    std::string_view text =
        source.substr(start, end == std::string_view::npos ? source.npos : end - start);
    if (end != std::string_view::npos && !text.empty() && text.back() == '\r')
        text.remove_suffix(1);
    return text;
}

// Terminal columns of the excerpt: about kBefore before the caret, kWindow in all.
constexpr std::size_t kBefore = 50;
constexpr std::size_t kWindow = 100;
// Bytes looked at before the caret to fill kBefore columns (four bytes a character at most).
constexpr std::size_t kLookBehind = 4 * kBefore;

struct Shown {
    std::size_t at;     // byte index in the line
    std::size_t width;  // terminal columns
    std::string text;   // as shown
};

// The characters of text[from, to) as shown.
std::vector<Shown> show(std::string_view text, std::size_t from, std::size_t to) {
    std::vector<Shown> chars;
    for (std::size_t i = from; i < to;) {
        const text::Char c = text::decode(text, i);
        Shown s{i, 0, {}};
        s.width = text::append_shown(s.text, c, text.substr(i));
        chars.push_back(std::move(s));
        i += c.bytes;
    }
    return chars;
}

// The excerpt and caret lines for the character at byte `at` of `text`.
std::string excerpt(std::string_view text, std::size_t at) {
    // Start decoding far enough back, on a byte that begins a character: the line's first,
    // or any byte that is not a continuation byte, however the line began.
    std::size_t start = at > kLookBehind ? at - kLookBehind : 0;
    while (start > 0 && start < at && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
        ++start;
    const std::vector<Shown> before = show(text, start, at);
    std::size_t first = before.size();  // the first character shown before the caret
    std::size_t width = 0;
    while (first > 0 && width + before[first - 1].width <= kBefore) width += before[--first].width;
    const std::size_t from = first < before.size() ? before[first].at : at;

    std::string line = "  ", caret = "  ";
    if (from > 0) {
        line += "...";
        caret += "   ";
    }
    for (std::size_t k = first; k < before.size(); ++k) {
        line += before[k].text;
        if (before[k].text == "\t")
            caret += '\t';
        else
            caret.append(before[k].width, ' ');
    }
    std::size_t i = at;
    while (i < text.size() && width < kWindow) {
        const text::Char c = text::decode(text, i);
        width += text::append_shown(line, c, text.substr(i));
        i += c.bytes;
    }
    if (i < text.size()) line += "...";
    return line + "\n" + caret + "^\n";
}

}  // namespace

std::string format_error(const Error& err, std::string_view name, std::string_view kind,
                         std::string_view source) {
    std::string out = text::shown(name);
    if (err.pos.line != 0) {
        out += ':';
        out += std::to_string(err.pos.line);
        out += ':';
        out += std::to_string(err.pos.col);
    }
    out.append(": ").append(kind).append(": ").append(err.message).append("\n");
    const std::string_view line = err.pos.line != 0 ? source_line(source, err.pos.line) : "";
    if (line.empty() || err.pos.col == 0) return out;
    // Columns count characters; the caret may also sit just past the last one.
    const std::size_t at = text::skip_chars(line, 0, err.pos.col - 1);
    if (at == line.size() && text::skip_chars(line, 0, err.pos.col - 2) == line.size()) return out;
    return out + excerpt(line, at);
}

}  // namespace jitbf
