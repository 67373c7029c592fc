// The IR: op names, printing (a stable format that --dump-ir and tests rely on), relink and
// verify (which must catch every broken program a pass could produce).
//
// Programs are built by hand so each test controls exactly the shape it checks.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "ir.hpp"

namespace ir_test {

using namespace jitbf;

TEST_CASE("every op has its own name") {
    std::set<std::string_view> names;
    for (int i = 0; i < kOpCount; ++i) {
        std::string_view n = op_name(static_cast<Op>(i));
        CAPTURE(i);
        CHECK(n != "?");
        CHECK_FALSE(n.empty());
        names.insert(n);
    }
    CHECK(names.size() == static_cast<std::size_t>(kOpCount));
}

TEST_CASE("only moves, string output and if-ends touch no cell") {
    CHECK(touches_cell(Op::Add));
    CHECK(touches_cell(Op::Set));
    CHECK(touches_cell(Op::MulAdd));
    CHECK(touches_cell(Op::Scan));
    CHECK(touches_cell(Op::In));
    CHECK(touches_cell(Op::Out));
    CHECK(touches_cell(Op::Check));
    CHECK(touches_cell(Op::LoopBegin));
    CHECK(touches_cell(Op::LoopEnd));
    CHECK(touches_cell(Op::IfBegin));
    CHECK_FALSE(touches_cell(Op::Move));
    CHECK_FALSE(touches_cell(Op::OutStr));
    CHECK_FALSE(touches_cell(Op::IfEnd));
}

TEST_CASE("the op table pairs brackets with their partners and says what each op does") {
    for (int i = 0; i < kOpCount; ++i) {
        const Op op = static_cast<Op>(i);
        const OpInfo& in = info(op);
        CAPTURE(op_name(op));
        if (in.bracket == Bracket::None) continue;
        // An opening bracket's partner closes, and names it back.
        CHECK(info(in.partner).bracket != in.bracket);
        CHECK(info(in.partner).partner == op);
        CHECK(in.arg == Arg::Partner);
    }
    CHECK(info(Op::MulAdd).reads_src);
    CHECK(info(Op::Set).cell == Access::Write);
    CHECK(info(Op::In).cell == Access::ReadWrite);  // at EOF it may leave the cell as it was
    CHECK(info(Op::Check).cell == Access::Touch);
    CHECK(info(Op::Move).moves);
    CHECK(info(Op::Scan).moves);
    for (Op op : {Op::In, Op::Out, Op::OutStr}) CHECK(info(op).io);
    for (Op op : {Op::Add, Op::Set, Op::MulAdd, Op::Check, Op::LoopBegin}) CHECK_FALSE(info(op).io);
}

TEST_CASE("a single op prints as its name and operands") {
    CHECK(to_string(instr(Op::Add, 0, 3)) == "add [p] 3");
    CHECK(to_string(instr(Op::Add, 2, amount_arg(0xffffffff))) == "add [p+2] -1");
    CHECK(to_string(instr(Op::Set, -1)) == "set [p-1] 0");
    CHECK(to_string(instr(Op::Set, 0, 200)) == "set [p] 200");
    CHECK(to_string(instr(Op::Move, 0, -7)) == "move -7");
    CHECK(to_string(instr(Op::Move, 0, kMaxMove)) == "move 2147483647");
    CHECK(to_string(instr(Op::MulAdd, 3, amount_arg(0xfffffffe), -2)) == "muladd [p+3] [p-2] * -2");
    CHECK(to_string(instr(Op::Scan, 1, -1)) == "scan [p+1] step -1");
    CHECK(to_string(instr(Op::In, 4)) == "in [p+4]");
    CHECK(to_string(instr(Op::Out, -4)) == "out [p-4]");
    CHECK(to_string(instr(Op::OutStr, 0, 2)) == "outstr #2");  // no program: no string to show
    CHECK(to_string(instr(Op::Check, 300000000)) == "check [p+300000000]");
    CHECK(to_string(instr(Op::LoopBegin, 0, 9)) == "loop [p] -> 9");
    CHECK(to_string(instr(Op::LoopEnd, 1, 1)) == "end [p+1] -> 1");
    CHECK(to_string(instr(Op::IfBegin, -3, 5)) == "if [p-3] -> 5");
    CHECK(to_string(instr(Op::IfEnd, 0, 2)) == "endif");
}

TEST_CASE("a program prints one indented line per op with index and position") {
    Program p;
    p.strings = {"hi\n"};
    p.code = {
        instr(Op::Add, 0, 1).at({1, 1}),
        instr(Op::LoopBegin, 0, 5).at({1, 2}),
        instr(Op::IfBegin, 1, 4).at({12, 345}),
        instr(Op::OutStr).at({2, 10}),
        instr(Op::IfEnd, 0, 2).at({2, 11}),
        instr(Op::LoopEnd, 0, 1).at({3, 1}),
        instr(Op::Out),
    };
    const std::string want =
        "     0      1:1    add [p] 1\n"
        "     1      1:2    loop [p] -> 5\n"
        "     2     12:345    if [p+1] -> 4\n"
        "     3      2:10       outstr \"hi\\n\"\n"
        "     4      2:11     endif\n"
        "     5      3:1    end [p] -> 1\n"
        "     6      0:0    out [p]\n";
    CHECK(to_string(p) == want);
}

TEST_CASE("string output is quoted with escapes for quotes, backslashes and bytes") {
    Program p;
    p.strings = {std::string("a\"b\\c\n\x01\x7f\xff ~", 11)};
    p.code = {instr(Op::OutStr)};
    CHECK(to_string(p) == "     0      0:0    outstr \"a\\\"b\\\\c\\n\\x01\\x7f\\xff ~\"\n");
}

TEST_CASE("relink recomputes partner indices after ops are inserted") {
    Program p;
    p.code = {instr(Op::LoopBegin), instr(Op::IfBegin),   instr(Op::Add, 0, 1), instr(Op::IfEnd),
              instr(Op::LoopEnd),   instr(Op::LoopBegin), instr(Op::LoopEnd)};
    relink(p);
    CHECK(p.code[0].arg == 4);
    CHECK(p.code[4].arg == 0);
    CHECK(p.code[1].arg == 3);
    CHECK(p.code[3].arg == 1);
    CHECK(p.code[5].arg == 6);
    CHECK(p.code[6].arg == 5);
    CHECK(verify(p).empty());

    p.code.insert(p.code.begin() + 2, instr(Op::Out));
    CHECK_FALSE(verify(p).empty());
    relink(p);
    CHECK(p.code[0].arg == 5);
    CHECK(p.code[1].arg == 4);
    CHECK(p.code[4].arg == 1);
    CHECK(p.code[5].arg == 0);
    CHECK(verify(p).empty());
}

TEST_CASE("verify accepts a well-formed program with every op") {
    Program p;
    p.strings = {"x"};
    p.code = {instr(Op::Add, 0, 1),    instr(Op::Set, 1, 2),  instr(Op::Move, 0, -1),
              instr(Op::MulAdd, 1, 3), instr(Op::Scan, 0, 2), instr(Op::In),
              instr(Op::Out),          instr(Op::OutStr),     instr(Op::Check, 5),
              instr(Op::LoopBegin),    instr(Op::IfBegin),    instr(Op::IfEnd),
              instr(Op::LoopEnd)};
    relink(p);
    CHECK(verify(p) == "");
}

TEST_CASE("verify names the op where a program is broken") {
    auto broken = [](Program p) { return verify(p); };
    SUBCASE("partner indices that disagree with the nesting") {
        Program p;
        p.code = {instr(Op::LoopBegin, 0, 3), instr(Op::LoopBegin, 0, 2), instr(Op::LoopEnd, 0, 1),
                  instr(Op::LoopEnd)};
        CHECK(broken(p) == "");
        p.code[1].arg = 3;
        CHECK(broken(p) == "op 2: partner indices disagree with nesting");
        p.code[1].arg = 2;
        p.code[3].arg = 1;
        CHECK(broken(p) == "op 3: partner indices disagree with nesting");
    }
    SUBCASE("a loop closed by an if's end") {
        Program p;
        p.code = {instr(Op::LoopBegin, 0, 1), instr(Op::IfEnd)};
        CHECK(broken(p) == "op 1: closes a bracket of another kind");
    }
    SUBCASE("an if closed by a loop's end") {
        Program p;
        p.code = {instr(Op::IfBegin, 0, 1), instr(Op::LoopEnd)};
        CHECK(broken(p) == "op 1: closes a bracket of another kind");
    }
    SUBCASE("an end that closes nothing") {
        Program p;
        p.code = {instr(Op::Add, 0, 1), instr(Op::LoopEnd)};
        CHECK(broken(p) == "op 1: closes nothing");
    }
    SUBCASE("a bracket never closed") {
        Program p;
        p.code = {instr(Op::LoopBegin, 0, 2), instr(Op::IfBegin, 0, 2)};
        CHECK(broken(p) == "op 1: never closed");
    }
    SUBCASE("a scan with stride 0") {
        Program p;
        p.code = {instr(Op::Scan)};
        CHECK(broken(p) == "op 0: scan with stride 0");
    }
    SUBCASE("a move by 0") {
        Program p;
        p.code = {instr(Op::Add, 0, 1), instr(Op::Move)};
        CHECK(broken(p) == "op 1: move by 0");
    }
    SUBCASE("a string index out of range") {
        Program p;
        p.strings = {"a"};
        p.code = {instr(Op::OutStr, 0, 1)};
        CHECK(broken(p) == "op 0: string index out of range");
        p.code[0].arg = -1;
        CHECK(broken(p) == "op 0: string index out of range");
        p.code[0].arg = 0;
        CHECK(broken(p) == "");
    }
}

TEST_CASE("printing deeply nested code stays linear in its length") {
    // Indentation stops growing at some depth: a million nested loops must not print
    // a terabyte of spaces.
    constexpr std::size_t depth = 3000;
    Program p;
    for (std::size_t i = 0; i < depth; ++i) p.code.push_back(instr(Op::LoopBegin));
    for (std::size_t i = 0; i < depth; ++i) p.code.push_back(instr(Op::LoopEnd));
    relink(p);
    const std::string s = to_string(p);
    CHECK(s.size() < 2 * depth * 200);
    // Shallow nesting is still indented by two spaces a level.
    CHECK(s.find("\n     1      0:0      loop [p] -> 5998\n") != std::string::npos);
    CHECK(s.find("\n     2      0:0        loop [p] -> 5997\n") != std::string::npos);
}

}  // namespace ir_test
