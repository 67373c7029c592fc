// Parser: folding, positions, bracket matching and errors.
//
// Folding arithmetic is checked two ways: on the stored Add argument (modulo 2^32, as
// parse.cpp documents) and through the interpreter at the cell widths where the wrap shows,
// since a 2^32+1 run of `+` would need 4 GB of source.
#include <doctest/doctest.h>

#include <string>

#include "interp.hpp"
#include "parse.hpp"

namespace parse_test {

using namespace jitbf;

namespace {

// The value of cell 0 after running `src` unoptimized on the interpreter.
std::uint32_t cell0_after(const std::string& src, int bits) {
    auto prog = parse(src);
    REQUIRE(prog);
    Options opts;
    opts.cell_bits = bits;
    opts.tape_cells = 16;
    auto tape = Tape::create(opts.tape_cells, bits);
    REQUIRE(tape);
    std::string captured;
    auto in = Input::none();
    auto out = Output::memory(&captured);
    RunResult r = Interpreter(*prog, opts).run(*tape, in, out);
    REQUIRE(r.status == RunStatus::Ok);
    return tape->cell(0);
}

std::string repeat(char c, std::size_t n) { return std::string(n, c); }

}  // namespace

TEST_CASE("runs of + and - fold into one add, cancelling") {
    auto r = parse("+++--+");
    REQUIRE(r);
    REQUIRE(r->code.size() == 1);
    CHECK(r->code[0].op == Op::Add);
    CHECK(r->code[0].arg == 2);
}

TEST_CASE("a run that cancels out leaves nothing") {
    auto r = parse("+-<>");
    REQUIRE(r);
    CHECK(r->code.empty());
}

TEST_CASE("runs of > and < fold into one move, cancelling") {
    auto r = parse(">>><<>>>");
    REQUIRE(r);
    REQUIRE(r->code.size() == 1);
    CHECK(r->code[0].op == Op::Move);
    CHECK(r->code[0].arg == 4);

    auto left = parse("<<<>");
    REQUIRE(left);
    REQUIRE(left->code.size() == 1);
    CHECK(left->code[0].op == Op::Move);
    CHECK(left->code[0].arg == -2);
}

TEST_CASE("comments inside a run do not split it") {
    auto r = parse("+ plus\n+ #! +\t<x>>");
    REQUIRE(r);
    REQUIRE(r->code.size() == 2);
    CHECK(r->code[0].op == Op::Add);
    CHECK(r->code[0].arg == 3);
    CHECK(r->code[1].op == Op::Move);
    CHECK(r->code[1].arg == 1);
}

TEST_CASE("a move between adds ends each run") {
    auto r = parse("++>+<-");
    REQUIRE(r);
    REQUIRE(r->code.size() == 5);
    CHECK(r->code[0].op == Op::Add);
    CHECK(r->code[0].arg == 2);
    CHECK(r->code[1].op == Op::Move);
    CHECK(r->code[1].arg == 1);
    CHECK(r->code[2].op == Op::Add);
    CHECK(r->code[2].arg == 1);
    CHECK(r->code[3].op == Op::Move);
    CHECK(r->code[3].arg == -1);
    CHECK(r->code[4].op == Op::Add);
    CHECK(r->code[4].arg == 0xffffffff);
}

TEST_CASE("an add run that cancels before a move leaves only the move") {
    auto r = parse("+->-+");
    REQUIRE(r);
    REQUIRE(r->code.size() == 1);
    CHECK(r->code[0].op == Op::Move);
    CHECK(r->code[0].arg == 1);
    CHECK(r->code[0].pos == SourcePos{1, 3});
}

TEST_CASE("a decrement is stored as an add modulo 2^32") {
    auto r = parse("-");
    REQUIRE(r);
    REQUIRE(r->code.size() == 1);
    CHECK(static_cast<std::uint32_t>(r->code[0].arg) == 0xffffffffu);

    auto big = parse(repeat('-', 65537));
    REQUIRE(big);
    REQUIRE(big->code.size() == 1);
    CHECK(static_cast<std::uint32_t>(big->code[0].arg) == 0xffffffffu - 65536);

    auto up = parse(repeat('+', 65537));
    REQUIRE(up);
    CHECK(up->code[0].arg == 65537);
}

TEST_CASE("a run longer than the cell range wraps like single steps would") {
    CHECK(cell0_after(repeat('+', 257), 8) == 1);
    CHECK(cell0_after(repeat('-', 257), 8) == 255);
    CHECK(cell0_after(repeat('+', 65537), 16) == 1);
    CHECK(cell0_after(repeat('-', 65537), 16) == 65535);
    CHECK(cell0_after(repeat('-', 65537), 32) == 0xffffffffu - 65536);
    CHECK(cell0_after(repeat('+', 65537) + repeat('-', 65539), 32) == 0xfffffffeu);
}

TEST_CASE("non-command characters are comments, including ! and #") {
    auto r = parse("hello world! # this is not code\n\t\r\x80\xff");
    REQUIRE(r);
    CHECK(r->code.empty());
}

TEST_CASE("every op records the line and column of its first character") {
    // Line 1: "+\n"; line 2: "\t>.x"; line 3: "  [\t]"; line 4: ", -".
    auto r = parse("+\n\t>.x\n  [\t]\n, -");
    REQUIRE(r);
    REQUIRE(r->code.size() == 7);
    auto at = [&](std::size_t i, std::uint32_t line, std::uint32_t col) {
        CAPTURE(i);
        CHECK(r->code[i].pos == SourcePos{line, col});
    };
    CHECK(r->code[0].op == Op::Add);
    at(0, 1, 1);
    CHECK(r->code[1].op == Op::Move);
    at(1, 2, 2);  // a tab is one column
    CHECK(r->code[2].op == Op::Out);
    at(2, 2, 3);
    CHECK(r->code[3].op == Op::LoopBegin);
    at(3, 3, 3);
    CHECK(r->code[4].op == Op::LoopEnd);
    at(4, 3, 5);
    CHECK(r->code[5].op == Op::In);
    at(5, 4, 1);
    CHECK(r->code[6].op == Op::Add);
    at(6, 4, 3);
}

TEST_CASE("columns count characters, not bytes") {
    // "é" is two bytes, "€" three, "😀" four: each is one column.
    auto r = parse("h\xc3\xa9llo ]");
    REQUIRE_FALSE(r);
    CHECK(r.errors()[0].pos == SourcePos{1, 7});
    auto ops = parse("\xe2\x82\xac\xf0\x9f\x98\x80+\n\xc3\xa9.");
    REQUIRE(ops);
    REQUIRE(ops->code.size() == 2);
    CHECK(ops->code[0].pos == SourcePos{1, 3});
    CHECK(ops->code[1].pos == SourcePos{2, 2});
}

TEST_CASE("each byte of malformed UTF-8 counts as one column") {
    // A stray continuation byte, a truncated sequence (E2 82) and an invalid byte (FF):
    // four characters before the bracket.
    auto r = parse("\x80\xe2\x82\xff]");
    REQUIRE_FALSE(r);
    CHECK(r.errors()[0].pos == SourcePos{1, 5});
    // A truncated sequence does not swallow the command after it.
    auto cut = parse("\xe2+");
    REQUIRE(cut);
    REQUIRE(cut->code.size() == 1);
    CHECK(cut->code[0].pos == SourcePos{1, 2});
}

TEST_CASE("a NUL byte is a comment character like any other") {
    auto r = parse(std::string("]\nx\0 ]\n]", 8));
    REQUIRE_FALSE(r);
    REQUIRE(r.errors().size() == 3);
    CHECK(r.errors()[1].pos == SourcePos{2, 4});
    CHECK(r.errors()[2].pos == SourcePos{3, 1});
}

TEST_CASE("a run that spans lines is positioned at its first character") {
    auto r = parse("x\n +\n+\n  +>\n>");
    REQUIRE(r);
    REQUIRE(r->code.size() == 2);
    CHECK(r->code[0].arg == 3);
    CHECK(r->code[0].pos == SourcePos{2, 2});
    CHECK(r->code[1].arg == 2);
    CHECK(r->code[1].pos == SourcePos{4, 4});
}

TEST_CASE("brackets hold the index of their partner") {
    auto r = parse("[[-]>[.]]+[]");
    REQUIRE(r);
    // 0 [  1 [  2 -  3 ]  4 >  5 [  6 .  7 ]  8 ]  9 +  10 [  11 ]
    REQUIRE(r->code.size() == 12);
    auto pair = [&](std::size_t open, std::size_t close) {
        CAPTURE(open);
        CHECK(r->code[open].op == Op::LoopBegin);
        CHECK(r->code[close].op == Op::LoopEnd);
        CHECK(r->code[open].arg == static_cast<std::int64_t>(close));
        CHECK(r->code[close].arg == static_cast<std::int64_t>(open));
    };
    pair(0, 8);
    pair(1, 3);
    pair(5, 7);
    pair(10, 11);
    CHECK(verify(*r).empty());
}

TEST_CASE("a million nested brackets parse without recursion") {
    constexpr std::size_t n = 1'000'000;
    auto r = parse(repeat('[', n) + repeat(']', n));
    REQUIRE(r);
    REQUIRE(r->code.size() == 2 * n);
    CHECK(r->code[0].arg == static_cast<std::int64_t>(2 * n - 1));
    CHECK(r->code[2 * n - 1].arg == 0);
    CHECK(r->code[n - 1].arg == static_cast<std::int64_t>(n));
    CHECK(r->code[n].arg == static_cast<std::int64_t>(n - 1));
    CHECK(verify(*r).empty());
}

TEST_CASE("an unmatched opening bracket is reported at its position") {
    auto r = parse("+\n [[]");
    REQUIRE_FALSE(r);
    REQUIRE(r.errors().size() == 1);
    CHECK(r.errors()[0].pos == SourcePos{2, 2});
    CHECK(r.errors()[0].message == "unmatched '['");
}

TEST_CASE("an unmatched closing bracket is reported at its position") {
    auto r = parse("[]\n\t]");
    REQUIRE_FALSE(r);
    REQUIRE(r.errors().size() == 1);
    CHECK(r.errors()[0].pos == SourcePos{2, 2});
    CHECK(r.errors()[0].message == "unmatched ']'");
}

TEST_CASE("every unmatched bracket is reported, sorted by position") {
    // Unmatched: ] at 1:1, ] at 1:4, [ at 2:1, [ at 3:2.  Matched: [] at 1:2-3, [] at 2:2-3.
    auto r = parse("][]]\n[[]\n [");
    REQUIRE_FALSE(r);
    REQUIRE(r.errors().size() == 4);
    CHECK(r.errors()[0].pos == SourcePos{1, 1});
    CHECK(r.errors()[0].message == "unmatched ']'");
    CHECK(r.errors()[1].pos == SourcePos{1, 4});
    CHECK(r.errors()[1].message == "unmatched ']'");
    CHECK(r.errors()[2].pos == SourcePos{2, 1});
    CHECK(r.errors()[2].message == "unmatched '['");
    CHECK(r.errors()[3].pos == SourcePos{3, 2});
    CHECK(r.errors()[3].message == "unmatched '['");
}

TEST_CASE("at most kMaxReportedErrors brackets are reported, then how many more") {
    const std::size_t extra = 7;
    auto r = parse(repeat(']', kMaxReportedErrors + extra));
    REQUIRE_FALSE(r);
    REQUIRE(r.errors().size() == kMaxReportedErrors + 1);
    for (std::size_t i = 0; i < kMaxReportedErrors; ++i) {
        CAPTURE(i);
        CHECK(r.errors()[i].pos == SourcePos{1, static_cast<std::uint32_t>(i + 1)});
    }
    const Error& last = r.errors().back();
    CHECK(last.pos == SourcePos{});
    CHECK(last.message == "... and 7 more unmatched brackets");
}

TEST_CASE("past the cap, the first brackets by position are reported, of both kinds") {
    // Unmatched `]` first (they always precede the unmatched `[`), then `[`, more than the
    // cap in all: the report is in source order, then the count of the others.
    const std::size_t opens = kMaxReportedErrors + 5;
    auto r = parse(repeat(']', 3) + "[]\n" + repeat('[', opens) + "[[]]");
    REQUIRE_FALSE(r);
    REQUIRE(r.errors().size() == kMaxReportedErrors + 1);
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        CHECK(r.errors()[i].pos == SourcePos{1, static_cast<std::uint32_t>(i + 1)});
        CHECK(r.errors()[i].message == "unmatched ']'");
    }
    for (std::size_t i = 3; i < kMaxReportedErrors; ++i) {
        CAPTURE(i);
        CHECK(r.errors()[i].pos == SourcePos{2, static_cast<std::uint32_t>(i - 2)});
        CHECK(r.errors()[i].message == "unmatched '['");
    }
    CHECK(r.errors().back().message ==
          "... and " + std::to_string(3 + opens - kMaxReportedErrors) + " more unmatched brackets");
}

TEST_CASE("a million unmatched closing brackets are reported as the first few and a count") {
    constexpr std::size_t n = 1'000'000;
    auto r = parse(repeat(']', n));
    REQUIRE_FALSE(r);
    REQUIRE(r.errors().size() == kMaxReportedErrors + 1);
    CHECK(r.errors()[kMaxReportedErrors - 1].pos ==
          SourcePos{1, static_cast<std::uint32_t>(kMaxReportedErrors)});
    CHECK(r.errors().back().message ==
          "... and " + std::to_string(n - kMaxReportedErrors) + " more unmatched brackets");
}

TEST_CASE("exactly kMaxReportedErrors unmatched brackets need no summary line") {
    auto r = parse(repeat('[', kMaxReportedErrors));
    REQUIRE_FALSE(r);
    REQUIRE(r.errors().size() == kMaxReportedErrors);
    CHECK(r.errors().back().message == "unmatched '['");
}

TEST_CASE("a million unmatched opening brackets are reported as the first few and a count") {
    constexpr std::size_t n = 1'000'000;
    auto r = parse(repeat('[', n));
    REQUIRE_FALSE(r);
    REQUIRE(r.errors().size() == kMaxReportedErrors + 1);
    CHECK(r.errors()[0].pos == SourcePos{1, 1});
    CHECK(r.errors().back().message ==
          "... and " + std::to_string(n - kMaxReportedErrors) + " more unmatched brackets");
}

}  // namespace parse_test
