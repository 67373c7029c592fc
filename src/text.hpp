// Source text as a terminal shows it: UTF-8 characters, their widths, and escapes for what
// must never reach a terminal raw. Shared by the parser (columns count characters) and
// format_error (excerpts and carets), so a column and its caret always agree.
//
// A character is a well-formed UTF-8 sequence (no overlongs, no surrogates, nothing past
// U+10FFFF), or else a single byte: each byte of malformed UTF-8 counts as one character
// of its own and is shown escaped. That is the only split that never lets one bad byte
// swallow the good characters after it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace jitbf::text {

// A character at some byte index: its code point (kInvalid for a malformed byte) and length.
struct Char {
    static constexpr std::uint32_t kInvalid = 0xFFFFFFFF;
    std::uint32_t cp = kInvalid;
    std::size_t bytes = 1;
};

// The character starting at s[i] (i < s.size()).
Char decode(std::string_view s, std::size_t i);

// Bytes of the character at s[i]: 1 for ASCII, without decoding it.
inline std::size_t char_bytes(std::string_view s, std::size_t i) {
    return static_cast<unsigned char>(s[i]) < 0x80 ? 1 : decode(s, i).bytes;
}

// The byte index `chars` characters after byte index `from` (a character start), or
// s.size() if the text ends first. Fast over ASCII, for long lines.
std::size_t skip_chars(std::string_view s, std::size_t from, std::size_t chars);

// Appends character `c` (the bytes `raw`) as it should be shown: itself, or an escape for
// control characters (`\0`, `\x1b`), malformed bytes (`\xff`) and characters that reorder
// or break lines (`\u202e`). Returns the terminal columns it takes: 0 for combining marks,
// 2 for East Asian wide characters and emoji, the escape's length for an escape. A tab is
// kept and counted as 1; callers that align under it repeat the tab.
std::size_t append_shown(std::string& out, Char c, std::string_view raw);

// `s` with every character as append_shown shows it (for file names in messages).
std::string shown(std::string_view s);

}  // namespace jitbf::text
