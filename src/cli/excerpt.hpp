// Showing bits of the Brainfuck source next to what jitbf made of it (--dump-asm's source
// lines, --profile's loop snippets), safely: a source is any bytes, and a terminal acts on
// control bytes, so everything is shown as error messages show it (text.hpp's escapes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "jitbf/jitbf.hpp"

namespace jitbf::cli {

// The source split into lines once, so that finding a position costs nothing per lookup.
class SourceLines {
public:
    explicit SourceLines(std::string_view source);
    std::string_view line(std::uint32_t line) const;  // 1-based, without its line ending
    // The byte offset of `pos` (columns count characters, as the parser counts them); the
    // size of the source when `pos` is not in it.
    std::size_t offset(SourcePos pos) const;

private:
    std::string_view source_;
    std::vector<std::size_t> starts_;
};

// Part of a line, shown safely, and the line that puts a caret under `pos`: spaces as wide
// as what is shown before it (a tab where it has a tab), then '^'.
struct Excerpt {
    std::string text;
    std::string caret;
};

// The line of `pos` around its column: about `width` columns of it, "..." where cut.
Excerpt excerpt(const SourceLines& lines, SourcePos pos, std::size_t width = 72);

// The loop that starts at `pos` (its `[`), commands only, at most `width` of them shown
// ("..." when cut): "[->+<]".
std::string loop_snippet(std::string_view source, const SourceLines& lines, SourcePos pos,
                         std::size_t width = 32);

}  // namespace jitbf::cli
