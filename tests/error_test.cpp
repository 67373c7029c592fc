// Error formatting: the compiler-style "name:line:col: kind: message" line, the source line
// and a caret under the column (tabs kept so it lines up), long lines cut to a window.
#include <doctest/doctest.h>

#include <string>

#include "jitbf/jitbf.hpp"

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

TEST_CASE("the caret counts a multi-byte UTF-8 character as one column") {
    // "é" is two bytes, "€" three: the column (in bytes) of the bracket is 7, but a
    // terminal shows it fourth on the line.
    CHECK(format_error({{1, 7}, "m"}, "p", "error", "\xc3\xa9\xe2\x82\xac\t[") ==
          "p:1:7: error: m\n  \xc3\xa9\xe2\x82\xac\t[\n    \t^\n");
}

TEST_CASE("a long line's window never cuts a UTF-8 character in half") {
    // 100 three-byte characters, then the bracket at byte 300 (column 301).
    std::string line;
    for (int i = 0; i < 100; ++i) line += "\xe2\x82\xac";
    line += "[";
    for (int i = 0; i < 100; ++i) line += "\xc3\xa9";
    const std::string got = format_error({{1, 301}, "m"}, "p", "error", line);
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
    // The caret is under the bracket, counting characters.
    const std::size_t before = body.find('[');
    REQUIRE(before != std::string::npos);
    std::size_t chars = 0;
    for (std::size_t i = 0; i < before; ++i)
        if ((static_cast<unsigned char>(body[i]) & 0xc0) != 0x80) ++chars;
    CHECK(caret == "  " + std::string(3 + chars, ' ') + "^\n");
}
