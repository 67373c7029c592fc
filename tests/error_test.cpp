// Error formatting: the compiler-style "name:line:col: kind: message" line, the source line
// and a caret under the column (tabs kept so it lines up), long lines cut to a window.
#include <doctest/doctest.h>

#include <string>

#include "jitbf/jitbf.hpp"

namespace error_test {

using namespace jitbf;

namespace {

// A line of `n` distinct-looking characters, so a wrong window shows in the diff.
std::string long_line(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('a' + i % 26);
    return s;
}

}  // namespace

TEST_CASE("an error prints its position, kind, message, source line and a caret") {
    Error e{{2, 3}, "unmatched '['"};
    CHECK(format_error(e, "prog.b", "error", "+\n++[-\n>") ==
          "prog.b:2:3: error: unmatched '['\n"
          "  ++[-\n"
          "    ^\n");
}

TEST_CASE("the caret can sit under the first column") {
    Error e{{1, 1}, "tape pointer moved left of cell 0"};
    CHECK(format_error(e, "-e", "runtime error", "<+") ==
          "-e:1:1: runtime error: tape pointer moved left of cell 0\n"
          "  <+\n"
          "  ^\n");
}

TEST_CASE("tabs before the column are kept in the caret line") {
    Error e{{1, 5}, "unmatched ']'"};
    CHECK(format_error(e, "t.b", "error", "\t+ \t]x") ==
          "t.b:1:5: error: unmatched ']'\n"
          "  \t+ \t]x\n"
          "  \t  \t^\n");
}

TEST_CASE("an error without a position is one line") {
    Error e{{}, "... and 3 more unmatched brackets"};
    CHECK(format_error(e, "p.b", "error", "]]]]]") ==
          "p.b: error: ... and 3 more unmatched brackets\n");
}

TEST_CASE("a position past the end of the source prints no source line") {
    CHECK(format_error({{3, 1}, "m"}, "p", "error", "+\n+") == "p:3:1: error: m\n");
    CHECK(format_error({{1, 9}, "m"}, "p", "error", "+\n+") == "p:1:9: error: m\n");
}

TEST_CASE("the last line is found without a trailing newline") {
    CHECK(format_error({{3, 2}, "m"}, "p", "error", "a\nb\n.[") == "p:3:2: error: m\n  .[\n   ^\n");
}

TEST_CASE("a long line is cut to a window around the column") {
    const std::string line = long_line(300);
    SUBCASE("in the middle: cut on both sides") {
        // Column 200 is index 199; the window starts 50 before it and is 100 wide.
        std::string got = format_error({{2, 200}, "m"}, "p", "error", "+\n" + line + "\n");
        std::string want = "p:2:200: error: m\n  ..." + line.substr(149, 100) + "...\n  " +
                           std::string(3 + 50, ' ') + "^\n";
        CHECK(got == want);
    }
    SUBCASE("near the start: cut on the right only") {
        std::string got = format_error({{1, 10}, "m"}, "p", "error", line);
        std::string want =
            "p:1:10: error: m\n  " + line.substr(0, 100) + "...\n  " + std::string(9, ' ') + "^\n";
        CHECK(got == want);
    }
    SUBCASE("near the end: cut on the left only") {
        std::string got = format_error({{1, 290}, "m"}, "p", "error", line);
        std::string want = "p:1:290: error: m\n  ..." + line.substr(239) + "\n  " +
                           std::string(3 + 50, ' ') + "^\n";
        CHECK(got == want);
    }
    SUBCASE("the caret stays under the character it points at") {
        std::string got = format_error({{1, 123}, "m"}, "p", "error", line);
        auto first_nl = got.find('\n');
        auto second_nl = got.find('\n', first_nl + 1);
        std::string shown = got.substr(first_nl + 1, second_nl - first_nl - 1);
        std::string caret = got.substr(second_nl + 1);
        REQUIRE(caret.size() >= 2);
        std::size_t at = caret.find('^');
        REQUIRE(at < shown.size());
        CHECK(shown[at] == line[122]);
    }
}

TEST_CASE("the column counts a multi-byte UTF-8 character as one, and so does the caret") {
    // "é" is two bytes, "€" three: the bracket is the fourth character on the line.
    CHECK(format_error({{1, 4}, "m"}, "p", "error", "\xc3\xa9\xe2\x82\xac\t[") ==
          "p:1:4: error: m\n  \xc3\xa9\xe2\x82\xac\t[\n    \t^\n");
    CHECK(format_error({{1, 7}, "m"}, "p", "error", "h\xc3\xa9llo ]") ==
          "p:1:7: error: m\n  h\xc3\xa9llo ]\n        ^\n");
}

TEST_CASE("control bytes in the excerpt are escaped and the caret skips their escapes") {
    // ESC c would reset the terminal; the caret moves four columns for "\x1b".
    CHECK(format_error({{1, 3}, "m"}, "p", "error",
                       "\x1b"
                       "c[") == "p:1:3: error: m\n  \\x1bc[\n       ^\n");
    CHECK(format_error({{1, 4}, "m"}, "p", "error", "\x7f\x01\r]") ==
          "p:1:4: error: m\n  \\x7f\\x01\\x0d]\n              ^\n");
}

TEST_CASE("a NUL byte is shown escaped and the excerpt goes on after it") {
    const std::string src("x\0 ]", 4);
    CHECK(format_error({{1, 4}, "m"}, "p", "error", src) == "p:1:4: error: m\n  x\\0 ]\n      ^\n");
}

TEST_CASE("each byte of malformed UTF-8 is one column, shown as a hex escape") {
    // A stray continuation byte, a truncated 3-byte sequence, an overlong '/', a surrogate.
    CHECK(format_error({{1, 2}, "m"}, "p", "error", "\x80]") ==
          "p:1:2: error: m\n  \\x80]\n      ^\n");
    CHECK(format_error({{1, 3}, "m"}, "p", "error", "\xe2\x82]") ==
          "p:1:3: error: m\n  \\xe2\\x82]\n          ^\n");
    CHECK(format_error({{1, 3}, "m"}, "p", "error", "\xc0\xaf]") ==
          "p:1:3: error: m\n  \\xc0\\xaf]\n          ^\n");
    CHECK(format_error({{1, 4}, "m"}, "p", "error", "\xed\xa0\x80]") ==
          "p:1:4: error: m\n  \\xed\\xa0\\x80]\n              ^\n");
}

TEST_CASE("C1 controls, bidirectional overrides and line separators are escaped") {
    // U+009B is a CSI to some terminals; U+202E reverses what follows; U+2028 breaks lines.
    CHECK(format_error({{1, 2}, "m"}, "p", "error", "\xc2\x9b]") ==
          "p:1:2: error: m\n  \\u009b]\n        ^\n");
    CHECK(format_error({{1, 3}, "m"}, "p", "error", "\xe2\x80\xae\xe2\x80\xa8]") ==
          "p:1:3: error: m\n  \\u202e\\u2028]\n              ^\n");
}

TEST_CASE("the caret moves two columns under a wide character, none under a combining one") {
    // "日本" are wide; "e" + U+0301 is one accented letter on the screen, two characters.
    CHECK(format_error({{1, 3}, "m"}, "p", "error", "\xe6\x97\xa5\xe6\x9c\xac]") ==
          "p:1:3: error: m\n  \xe6\x97\xa5\xe6\x9c\xac]\n      ^\n");
    CHECK(format_error({{1, 3}, "m"}, "p", "error", "e\xcc\x81]") ==
          "p:1:3: error: m\n  e\xcc\x81]\n   ^\n");
}

TEST_CASE("the CR of a CRLF line ending is not part of the excerpt") {
    CHECK(format_error({{1, 2}, "m"}, "p", "error", "+]\r\n+") == "p:1:2: error: m\n  +]\n   ^\n");
}

TEST_CASE("a file name with control bytes is escaped too") {
    CHECK(format_error({{}, "m"},
                       "a\x1b"
                       "c.b",
                       "error", "") == "a\\x1bc.b: error: m\n");
}

TEST_CASE("a column past the end of a line with multi-byte characters prints no excerpt") {
    // Two characters (four bytes): columns 1 to 3 have a caret, 4 does not.
    CHECK(format_error({{1, 3}, "m"}, "p", "error", "\xc3\xa9\xc3\xa9") ==
          "p:1:3: error: m\n  \xc3\xa9\xc3\xa9\n    ^\n");
    CHECK(format_error({{1, 4}, "m"}, "p", "error", "\xc3\xa9\xc3\xa9") == "p:1:4: error: m\n");
}

TEST_CASE("a long line's window never cuts a UTF-8 character in half") {
    // 100 three-byte characters, then the bracket (column 101), then 100 two-byte ones.
    std::string line;
    for (int i = 0; i < 100; ++i) line += "\xe2\x82\xac";
    line += "[";
    for (int i = 0; i < 100; ++i) line += "\xc3\xa9";
    const std::string got = format_error({{1, 101}, "m"}, "p", "error", line);
    const auto nl1 = got.find('\n');
    const auto nl2 = got.find('\n', nl1 + 1);
    const std::string shown = got.substr(nl1 + 1, nl2 - nl1 - 1);
    const std::string caret = got.substr(nl2 + 1);
    REQUIRE(shown.rfind("  ...", 0) == 0);
    const std::string body = shown.substr(5);
    CHECK(static_cast<unsigned char>(body.front()) == 0xe2);  // starts on a character
    // ... and ends on one: the last byte before "..." completes an "é".
    REQUIRE(body.size() > 3);
    CHECK(body.substr(body.size() - 3) == "...");
    CHECK(static_cast<unsigned char>(body[body.size() - 4]) == 0xa9);
    CHECK(static_cast<unsigned char>(body[body.size() - 5]) == 0xc3);
    // The caret is under the bracket, counting characters: 50 "€" are shown before it.
    CHECK(body.find('[') == 50 * 3);
    CHECK(caret == "  " + std::string(3 + 50, ' ') + "^\n");
}

TEST_CASE("a long line of escaped bytes is cut by the width it takes on the screen") {
    // 200 ESC bytes then the bracket: 12 escapes (48 columns) fit before the caret.
    const std::string line = std::string(200, '\x1b') + "]" + std::string(200, '\x1b');
    const std::string got = format_error({{1, 201}, "m"}, "p", "error", line);
    std::string esc12;
    for (int i = 0; i < 12; ++i) esc12 += "\\x1b";
    const std::size_t after = (100 - 48 - 1 + 3) / 4;  // escapes until 100 columns are reached
    std::string esc_after;
    for (std::size_t i = 0; i < after; ++i) esc_after += "\\x1b";
    CHECK(got == "p:1:201: error: m\n  ..." + esc12 + "]" + esc_after + "...\n  " +
                     std::string(3 + 48, ' ') + "^\n");
}

}  // namespace error_test
