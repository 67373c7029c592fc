// --portability (src/debug/portability.hpp): the nine runs, the facts seen at 8 bits, and
// the one-line summary, on programs written to rely on one assumption each and on the
// probes in programs/.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "debug/portability.hpp"
#include "parse.hpp"

namespace portability_test {

using namespace jitbf;

namespace {

struct Checked {
    Program prog;
    debug::PortabilityReport report;
};

Checked check(std::string_view src, const std::string& input = {}, std::uint64_t steps = 0) {
    auto p = parse(src);
    REQUIRE(p);
    Options o;
    o.tape_cells = 4096;
    o.step_limit = steps;
    auto r = debug::check_portability(*p, input, o);
    REQUIRE(r);
    return {std::move(*p), std::move(*r)};
}

std::string file(const std::string& name) {
    std::ifstream f(std::string(JITBF_PROGRAMS_DIR) + "/" + name, std::ios::binary);
    REQUIRE(f);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("portability runs every cell width with every EOF mode, the default first") {
    const Checked c = check(",.", "x");
    CHECK(c.report.runs[0].cell_bits == 8);
    CHECK(c.report.runs[0].eof == EofMode::Unchanged);
    CHECK(c.report.runs[4].cell_bits == 16);
    CHECK(c.report.runs[4].eof == EofMode::Zero);
    CHECK(c.report.runs[8].cell_bits == 32);
    CHECK(c.report.runs[8].eof == EofMode::MinusOne);
    for (const auto& run : c.report.runs) CHECK(run.output == "x");
    CHECK(c.report.step_limit == debug::kPortabilitySteps);
    CHECK(debug::needs(c.report) ==
          "cell width does not matter; EOF behaviour does not matter (it never reads past the "
          "end); uses 1 cell");
}

TEST_CASE("portability finds the first wrap below 0 and the cells touched") {
    const Checked c = check(">>+<-[-]>>>+");
    CHECK(c.report.wrap.count == 1);
    CHECK(c.report.wrap.pos == SourcePos{1, 5});
    CHECK(c.report.wrap.cell == 1);
    CHECK(c.report.wrap.below);
    CHECK(c.report.lowest == 1);
    CHECK(c.report.highest == 4);
}

TEST_CASE("portability finds a wrap above 255 of a folded run") {
    const Checked c =
        check(std::string(200, '+') + "\n>" + std::string(100, '+') + "<" + std::string(100, '+'));
    CHECK(c.report.wrap.count == 1);
    CHECK(c.report.wrap.pos == SourcePos{2, 103});
    CHECK(c.report.wrap.cell == 0);
    CHECK_FALSE(c.report.wrap.below);
}

TEST_CASE("portability says a program that counts on 8-bit wrapping needs it") {
    // 255 * 255 iterations at 8 bits; far more at 16 and 32, which the step limit stops.
    const Checked c = check("-[>-[-]<-]++++++++[>++++++++<-]>+.");
    CHECK(c.report.runs[0].output == "A");
    CHECK(c.report.runs[3].result.status == RunStatus::StepLimit);
    CHECK(debug::needs(c.report).rfind("needs 8-bit wrapping cells; ", 0) == 0);
}

TEST_CASE("portability says a program that counts past 255 needs wider cells") {
    // Prints a zero byte 300 times with 16 or 32-bit cells, 44 times with 8.
    const Checked c = check("++++++++++[>++++++++++++++++++++++++++++++<-]>[>.<-]");
    CHECK(c.report.runs[0].output.size() == 44);
    CHECK(c.report.runs[3].output.size() == 300);
    CHECK_FALSE(c.report.wrap.below);
    CHECK(debug::needs(c.report) ==
          "needs cells wider than 8 bits; EOF behaviour does not matter (it never reads past "
          "the end); uses 3 cells");
}

TEST_CASE("portability says which EOF mode a program needs") {
    // Ends only if EOF stores 0.
    const Checked zero = check(",[.,]", "ab", 1000);
    CHECK(zero.report.past_end.count > 0);
    CHECK(zero.report.past_end.pos == SourcePos{1, 4});
    CHECK(debug::needs(zero.report).find("; needs --eof=zero; ") != std::string::npos);
    // Ends only if EOF stores -1.
    const Checked minus = check(",+[-.,+]", "ab", 1000);
    CHECK(debug::needs(minus.report).find("; needs --eof=minus-one; ") != std::string::npos);
    // A fresh cell for each read: 0 and unchanged both end it.
    const Checked fresh = check(">,[>,]<[.<]", "abc", 1000);
    CHECK(fresh.report.runs[1].output == "cba");
    CHECK(debug::needs(fresh.report).find("; needs --eof=unchanged or --eof=zero; ") !=
          std::string::npos);
}

TEST_CASE("portability on the probes in programs/") {
    const Checked hello = check(file("hello.b"));
    CHECK(debug::needs(hello.report).rfind("cell width does not matter", 0) == 0);
    const Checked width = check(file("cellwidth.b"));
    CHECK(width.report.runs[0].output == file("cellwidth.8.out"));
    CHECK(width.report.runs[3].output == file("cellwidth.16.out"));
    CHECK(width.report.runs[6].output == file("cellwidth.32.out"));
    CHECK(debug::needs(width.report).rfind("needs 8-bit wrapping cells; ", 0) == 0);
    const Checked eof = check(file("eof.b"), file("eof.in"));
    CHECK(eof.report.runs[0].output == file("eof.unchanged.out"));
    CHECK(eof.report.runs[1].output == file("eof.zero.out"));
    CHECK(eof.report.runs[2].output == file("eof.minus-one.out"));
    CHECK(debug::needs(eof.report).find("; its output depends on the EOF mode; ") !=
          std::string::npos);
}

TEST_CASE("the portability report shows every run, the 8-bit facts and the summary") {
    const Checked c = check(",[.,]", "ab", 1000);
    const std::string text = debug::to_string(c.report, c.prog);
    CHECK(text.rfind("portability: 9 runs on 2 bytes of input, each stopped at loop iteration "
                     "1000\n",
                     0) == 0);
    CHECK(text.find("\n  8     zero       ok                           2 bytes, differs from "
                    "byte 2\n") != std::string::npos);
    CHECK(text.find("\n  end of input: first read past at 1:4 (") != std::string::npos);
    CHECK(text.find("\n  cells touched: 0 to 0\n") != std::string::npos);
    std::string summary = "\n";
    summary += debug::needs(c.report);
    summary += '\n';
    CHECK(text.find(summary) != std::string::npos);
}

}  // namespace portability_test
