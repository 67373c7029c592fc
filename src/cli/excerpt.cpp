// Source excerpts (see excerpt.hpp), with text.hpp's characters, widths and escapes, so a
// column here is the column the parser and error messages give.
#include "excerpt.hpp"

#include "text.hpp"

namespace jitbf::cli {

SourceLines::SourceLines(std::string_view source) : source_(source), starts_{0} {
    for (std::size_t i = 0; i < source.size(); ++i)
        if (source[i] == '\n') starts_.push_back(i + 1);
}

std::string_view SourceLines::line(std::uint32_t line) const {
    if (line == 0 || line > starts_.size()) return {};
    const std::size_t from = starts_[line - 1];
    const std::size_t nl = source_.find('\n', from);
    std::string_view text =
        source_.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from);
    if (nl != std::string_view::npos && !text.empty() && text.back() == '\r')
        text.remove_suffix(1);  // a CR before the newline belongs to the ending
    return text;
}

std::size_t SourceLines::offset(SourcePos pos) const {
    if (pos.line == 0 || pos.line > starts_.size() || pos.col == 0) return source_.size();
    const std::size_t start = starts_[pos.line - 1];
    return start + text::skip_chars(line(pos.line), 0, pos.col - 1);
}

Excerpt excerpt(const SourceLines& lines, SourcePos pos, std::size_t width) {
    const std::string_view text = lines.line(pos.line);
    const std::size_t at = pos.col == 0 ? 0 : text::skip_chars(text, 0, pos.col - 1);
    // A third of the window before the column, the rest after, on whole characters.
    const std::size_t before = width / 3;
    const std::size_t from =
        pos.col > before + 1 ? text::skip_chars(text, 0, pos.col - 1 - before) : 0;
    Excerpt e;
    if (from > 0) {
        e.text = "...";
        e.caret = "   ";
    }
    std::size_t columns = 0;
    std::size_t i = from;
    while (i < text.size() && (i < at || columns < width)) {
        const text::Char c = text::decode(text, i);
        const std::size_t w = text::append_shown(e.text, c, text.substr(i));
        if (i < at) {
            if (text[i] == '\t')
                e.caret += '\t';
            else
                e.caret.append(w, ' ');
        }
        columns += w;
        i += c.bytes;
    }
    if (i < text.size()) e.text += "...";
    e.caret += '^';
    return e;
}

std::string loop_snippet(std::string_view source, const SourceLines& lines, SourcePos pos,
                         std::size_t width) {
    std::string out;
    long depth = 0;
    for (std::size_t i = lines.offset(pos); i < source.size(); ++i) {
        const char c = source[i];
        if (std::string_view("+-<>[].,").find(c) == std::string_view::npos) continue;
        if (out.size() == width) {
            out.replace(width - 3, 3, "...");
            break;
        }
        out += c;
        depth += c == '[' ? 1 : c == ']' ? -1 : 0;
        if (depth <= 0) break;
    }
    return out;
}

}  // namespace jitbf::cli
