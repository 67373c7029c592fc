// Tests of the run comparison behind --check and the differential tests (jitbf/check.hpp),
// on fabricated executions: two correct backends never disagree, so every kind of
// difference is built by hand here.
#include <doctest/doctest.h>

#include <string>

#include "check.hpp"
#include "parse.hpp"

namespace check_test {

namespace {

jitbf::Program parsed(const char* src) {
    auto p = jitbf::parse(src);
    REQUIRE(p);
    return std::move(*p);
}

jitbf::Execution fresh(std::uint64_t cells = 64, int bits = 8,
                       jitbf::RunStatus status = jitbf::RunStatus::Ok, std::size_t op = 0,
                       std::int64_t cell = -1) {
    auto tape = jitbf::Tape::create(cells, bits);
    REQUIRE(tape);
    return {{status, op, cell}, std::move(*tape)};
}

void set_cell(jitbf::Tape& t, std::uint64_t i, std::uint8_t low_byte) {
    t.data()[i * t.cell_bytes()] = low_byte;  // little-endian: the cell's low byte
}

}  // namespace

TEST_CASE("runs with the same output, end and tape agree") {
    const auto prog = parsed("+.");
    auto a = fresh(), b = fresh();
    set_cell(a.tape, 0, 1);
    set_cell(b.tape, 0, 1);
    CHECK(jitbf::first_difference({"jit", prog, a, "\x01"}, {"interp", prog, b, "\x01"}).empty());
}

TEST_CASE("differing output names the first differing byte and both values") {
    const auto prog = parsed("+.");
    auto a = fresh(), b = fresh();
    const std::string d =
        jitbf::first_difference({"jit", prog, a, "abcX"}, {"interp", prog, b, "abcY"});
    CHECK(d == "output differs at byte 3: jit wrote 0x58 'X', interp wrote 0x59 'Y'");
    const std::string nonprint = jitbf::first_difference({"jit", prog, a, std::string("\n\0", 2)},
                                                         {"interp", prog, b, "\n\x7f"});
    CHECK(nonprint == "output differs at byte 1: jit wrote 0x00, interp wrote 0x7f");
}

TEST_CASE("output that stops early is a difference at its end") {
    const auto prog = parsed("+.");
    auto a = fresh(), b = fresh();
    const std::string d =
        jitbf::first_difference({"jit", prog, a, "abc"}, {"interp", prog, b, "ab"});
    CHECK(d == "output differs at byte 2: jit wrote 0x63 'c', interp's output ended (2 bytes)");
}

TEST_CASE("an output difference is reported before a different end or tape") {
    const auto prog = parsed("+.");
    auto a = fresh(64, 8, jitbf::RunStatus::LeftOfTape), b = fresh();
    set_cell(a.tape, 5, 9);
    CHECK(jitbf::first_difference({"jit", prog, a, "a"}, {"interp", prog, b, "b"})
              .rfind("output differs", 0) == 0);
}

TEST_CASE("a run that faults where the other ends normally differs, with the fault's position") {
    const auto prog = parsed("+\n <.");  // the Out at line 2, column 3 (op 2) faults left
    auto a = fresh(64, 8, jitbf::RunStatus::LeftOfTape, 2), b = fresh();
    const std::string d = jitbf::first_difference({"jit", prog, a, ""}, {"interp", prog, b, ""});
    CHECK(d ==
          "runs ended differently: jit: runtime error at 2:3: cell -1 is off the tape (touched "
          "here); interp: ok");
}

TEST_CASE("faults are compared by source position, not by op index") {
    // The same fault seen through two programs that index their ops differently.
    const auto o0 = parsed("+>+<<.");
    jitbf::Program o2;
    o2.code.push_back(o0.code[4]);  // the Out at 1:6, now op 0
    const jitbf::SourcePos out_pos = o0.code[4].pos;
    REQUIRE(out_pos == jitbf::SourcePos{1, 6});
    auto a = fresh(64, 8, jitbf::RunStatus::LeftOfTape, 0),
         b = fresh(64, 8, jitbf::RunStatus::LeftOfTape, 4);
    CHECK(jitbf::first_difference({"interp -O2", o2, a, ""}, {"interp -O0", o0, b, ""}).empty());

    auto c = fresh(64, 8, jitbf::RunStatus::LeftOfTape, 2);  // the `+` at 1:3 instead
    const std::string d =
        jitbf::first_difference({"interp -O0", o0, c, ""}, {"interp -O0", o0, b, ""});
    CHECK(d.find("runtime error at 1:3") != std::string::npos);
    CHECK(d.find("runtime error at 1:6") != std::string::npos);
}

TEST_CASE("left and right faults at the same place differ") {
    const auto prog = parsed("[.]");
    auto a = fresh(64, 8, jitbf::RunStatus::LeftOfTape, 1),
         b = fresh(64, 8, jitbf::RunStatus::RightOfTape, 1);
    const std::string d = jitbf::first_difference({"jit", prog, a, ""}, {"interp", prog, b, ""});
    CHECK(d.find("cell -1 is off the tape (touched here)") != std::string::npos);
    CHECK(d.find("cell -1 is off the tape, which ends at cell") != std::string::npos);
}

TEST_CASE("faults at the same place that touch different cells differ") {
    const auto prog = parsed("[.]");
    auto a = fresh(64, 8, jitbf::RunStatus::LeftOfTape, 1, -1),
         b = fresh(64, 8, jitbf::RunStatus::LeftOfTape, 1, -2);
    const std::string d = jitbf::first_difference({"jit", prog, a, ""}, {"interp", prog, b, ""});
    CHECK(d ==
          "runs ended differently: jit: runtime error at 1:2: cell -1 is off the tape (touched "
          "here); interp: runtime error at 1:2: cell -2 is off the tape (touched here)");
}

TEST_CASE("the final tape is compared cell by cell and names the first differing cell") {
    const auto prog = parsed("+");
    // 16-bit cells, far enough in to lie past the comparison's first chunk.
    auto a = fresh(100000, 16), b = fresh(100000, 16);
    set_cell(a.tape, 40000, 7);
    set_cell(a.tape, 40001, 1);
    set_cell(b.tape, 40001, 2);
    const std::string d = jitbf::first_difference({"jit", prog, a, ""}, {"interp", prog, b, ""});
    CHECK(d == "final tape differs at cell 40000: jit 7, interp 0");
}

TEST_CASE("the tape of runs that stopped with an error is not compared") {
    const auto prog = parsed("<+");
    auto a = fresh(64, 8, jitbf::RunStatus::LeftOfTape, 1),
         b = fresh(64, 8, jitbf::RunStatus::LeftOfTape, 1);
    set_cell(a.tape, 3, 1);
    CHECK(jitbf::first_difference({"jit", prog, a, ""}, {"interp", prog, b, ""}).empty());
}

TEST_CASE("tapes of different shapes differ") {
    const auto prog = parsed("+");
    auto a = fresh(64, 8), b = fresh(64, 16);
    CHECK(jitbf::first_difference({"jit", prog, a, ""}, {"interp", prog, b, ""})
              .rfind("tapes differ in shape", 0) == 0);
}

TEST_CASE("describe_end says how a run ended") {
    const auto prog = parsed("+[>+]");
    CHECK(jitbf::describe_end(prog, fresh()) == "ok");
    CHECK(jitbf::describe_end(prog, fresh(64, 8, jitbf::RunStatus::StepLimit, 4)) ==
          "step limit reached at 1:5");
    const std::string right =
        jitbf::describe_end(prog, fresh(4096, 8, jitbf::RunStatus::RightOfTape, 3, 4096));
    CHECK(right ==
          "runtime error at 1:4: cell 4096 is off the tape, which ends at cell 4095 (touched "
          "here)");
}

}  // namespace check_test
