// UTF-8 decoding, terminal widths and escapes for diagnostics (see text.hpp).
//
// The width table is a compact reading of Unicode's East Asian Width (W and F) and of the
// combining and zero-width characters, by block rather than by code point: exact for CJK,
// Hangul, kana and fullwidth forms, close for emoji. It only places carets, so a rare
// symbol one column off is a cosmetic flaw, not a wrong answer.
#include "text.hpp"

#include <cstring>

namespace jitbf::text {

namespace {

bool continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

struct Range {
    std::uint32_t lo, hi;
};

bool in(std::uint32_t cp, const Range* ranges, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (cp >= ranges[i].lo && cp <= ranges[i].hi) return true;
    return false;
}

constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200D},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},
    {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},
    {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},   {0x26D4, 0x26D4},
    {0x26EA, 0x26EA},   {0x26F2, 0x26F5},   {0x26FA, 0x26FD},   {0x2705, 0x2705},
    {0x270A, 0x270B},   {0x2728, 0x2728},   {0x274C, 0x274E},   {0x2753, 0x2757},
    {0x2795, 0x2797},   {0x27B0, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B55},
    {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4},
    {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F2FF}, {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

// Characters a terminal acts on rather than shows, or that reorder the text around them
// (bidirectional overrides: the "Trojan Source" trick) or break the line.
bool must_escape(std::uint32_t cp) {
    if (cp == '\t') return false;
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
           cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

Char decode(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return {b0, 1};
    // The sequence length, and the range of the second byte (which rules out overlongs,
    // surrogates and code points past U+10FFFF), from the first byte.
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    std::uint32_t cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2;
        cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        cp = b0 & 0x0Fu;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        cp = b0 & 0x07u;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        return {};
    }
    if (s.size() - i < n) return {};
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if (k == 1 ? (b < lo || b > hi) : !continuation(b)) return {};
        cp = (cp << 6) | (b & 0x3Fu);
    }
    return {cp, n};
}

std::size_t skip_chars(std::string_view s, std::size_t from, std::size_t chars) {
    std::size_t i = from;
    while (chars > 0 && i < s.size()) {
        // Eight ASCII bytes at a time: eight characters.
        if (chars >= 8 && s.size() - i >= 8) {
            std::uint64_t word;
            std::memcpy(&word, s.data() + i, 8);
            if ((word & 0x8080808080808080u) == 0) {
                i += 8;
                chars -= 8;
                continue;
            }
        }
        i += char_bytes(s, i);
        --chars;
    }
    return i;
}

std::size_t append_shown(std::string& out, Char c, std::string_view raw) {
    if (c.cp == 0) {
        out += "\\0";
        return 2;
    }
    if (c.cp == Char::kInvalid || (c.cp < 0x80 && must_escape(c.cp))) {
        const auto b = static_cast<unsigned char>(raw[0]);
        out += "\\x";
        out += kHex[b >> 4];
        out += kHex[b & 0xF];
        return 4;
    }
    if (must_escape(c.cp)) {
        out += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(c.cp >> shift) & 0xF];
        return 6;
    }
    out.append(raw.substr(0, c.bytes));
    if (in(c.cp, kZeroWidth, std::size(kZeroWidth))) return 0;
    if (c.cp >= 0x1100 && in(c.cp, kWide, std::size(kWide))) return 2;
    return 1;
}

std::string shown(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const Char c = decode(s, i);
        append_shown(out, c, s.substr(i));
        i += c.bytes;
    }
    return out;
}

}  // namespace jitbf::text
