// Differential tests: thousands of random programs (tests/gen/) run on the interpreter at
// -O0, the oracle, and on every other backend and level, which must agree with it on the
// output, how the run ended (with the source position of a fault) and the final tape.
//
// The seed set is fixed, so a failure here fails every time until it is fixed; its report
// prints the program and a replay command. 20,000 programs (5,000 under the sanitizers) run
// as eight test cases of consecutive seeds, which CTest runs in parallel; JITBF_DIFF_COUNT=N
// changes the total. jitbf_fuzz_diff runs new seeds for as long as wanted (see
// docs/testing.md).
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <string>

#include "differential.hpp"
#include "parse.hpp"
#include "random_program.hpp"
#include "rng.hpp"

namespace differential_test {

#ifndef JITBF_DIFF_DEFAULT_COUNT
#define JITBF_DIFF_DEFAULT_COUNT 20000
#endif

namespace {

using jitbf::gen::Rng;

constexpr std::uint64_t kFixedBase = 0x6a69746266646966;  // "jitbfdif"

std::uint64_t program_count() {
    if (const char* env = std::getenv("JITBF_DIFF_COUNT")) return std::strtoull(env, nullptr, 10);
    return JITBF_DIFF_DEFAULT_COUNT;
}

int max_nesting(const std::string& s) {
    int depth = 0, deepest = 0;
    for (char c : s) {
        if (c == '[') deepest = std::max(deepest, ++depth);
        if (c == ']') --depth;
    }
    return deepest;
}

bool has_run(const std::string& s, char c, std::size_t at_least) {
    std::size_t run = 0;
    for (char x : s) {
        run = x == c ? run + 1 : 0;
        if (run >= at_least) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("splitmix64 gives the reference sequence of its published algorithm") {
    // The first outputs for seed 1234567, as computed by the reference implementation
    // (Vigna, splitmix64.c); a different sequence would replay seeds as other programs.
    Rng rng(1234567);
    CHECK(rng.next() == 6457827717110365317ULL);
    CHECK(rng.next() == 3203168211198807973ULL);
    CHECK(rng.next() == 9817491932198370423ULL);
    CHECK(rng.next() == 4593380528125082431ULL);
    CHECK(rng.next() == 16408922859458223821ULL);
}

TEST_CASE("rng ranges are inclusive, stay in range and are roughly uniform") {
    Rng rng(42);
    std::uint64_t counts[6] = {};
    for (int i = 0; i < 60000; ++i) {
        const auto x = rng.below(6);
        REQUIRE(x < 6);
        ++counts[x];
    }
    for (std::uint64_t c : counts) CHECK((c > 9000 && c < 11000));
    bool lo = false, hi = false;
    for (int i = 0; i < 1000; ++i) {
        const auto x = rng.between(-3, 3);
        REQUIRE((x >= -3 && x <= 3));
        lo = lo || x == -3;
        hi = hi || x == 3;
    }
    CHECK(lo);
    CHECK(hi);
    CHECK(rng.below(1) == 0);
}

TEST_CASE("the same seed gives the same program, input and options") {
    for (std::uint64_t i = 0; i < 50; ++i) {
        const auto seed = jitbf::gen::case_seed(7, i);
        const auto a = jitbf::gen::random_case(seed);
        const auto b = jitbf::gen::random_case(seed);
        CHECK(a.source == b.source);
        CHECK(a.input == b.input);
        CHECK(a.opts.cell_bits == b.opts.cell_bits);
        CHECK(a.opts.eof == b.opts.eof);
        CHECK(a.opts.tape_cells == b.opts.tape_cells);
    }
    CHECK(jitbf::gen::random_case(1).source != jitbf::gen::random_case(2).source);
}

TEST_CASE("generated programs parse and cover the shapes the passes and backends rewrite") {
    std::set<std::string> seen;
    std::set<int> widths;
    std::set<jitbf::EofMode> eofs;
    bool tiny_tape = false, big_tape = false;
    for (std::uint64_t i = 0; i < 2000; ++i) {
        const auto c = jitbf::gen::random_case(jitbf::gen::case_seed(kFixedBase, i));
        REQUIRE_MESSAGE(jitbf::parse(c.source), c.source);
        widths.insert(c.opts.cell_bits);
        eofs.insert(c.opts.eof);
        tiny_tape = tiny_tape || c.opts.tape_cells < 64;
        big_tape = big_tape || c.opts.tape_cells > 4096;
        for (const char* shape :
             {"[-]",  "[+]",   "[---]",   "[+++]",   "[--]",     "[>]",      "[<]",
              "[<<]", "[>>>]", "[>+]",    "[<+]",    ",[.,]",    ",+[-.,+]", "\n",
              ".",    ",",     "[>-]>[-", "[<-]<[-", "[->-]>[-", "[-<-]<[-"}) {
            if (c.source.find(shape) != std::string::npos) seen.insert(shape);
        }
        if (has_run(c.source, '+', 256)) seen.insert("256 +");
        if (has_run(c.source, '-', 256)) seen.insert("256 -");
        if (has_run(c.source, '+', 65536)) seen.insert("65536 +");
        if (has_run(c.source, '>', 1024)) seen.insert("1024 >");
        if (max_nesting(c.source) >= 3) seen.insert("nesting 3");
        if (max_nesting(c.source) >= 7) seen.insert("nesting 7");  // stay_shapes' digit chains
        if (c.input.empty()) seen.insert("no input");
    }
    for (const char* want :
         {"[-]",       "[+]",      "[---]",   "[+++]",   "[--]",     "[>]",      "[<]",
          "[<<]",      "[>>>]",    "[>+]",    "[<+]",    ",[.,]",    ",+[-.,+]", "\n",
          ".",         ",",        "256 +",   "256 -",   "65536 +",  "1024 >",   "nesting 3",
          "nesting 7", "no input", "[>-]>[-", "[<-]<[-", "[->-]>[-", "[-<-]<[-"}) {
        CHECK_MESSAGE(seen.count(want) == 1, "no generated program has ", want);
    }
    CHECK(widths == std::set<int>{8, 16, 32});
    CHECK(eofs.size() == 3);
    CHECK(tiny_tape);
    CHECK(big_tape);
}

TEST_CASE("the differential runner reports a program that cannot run, with what replays it") {
    jitbf::gen::Case c;
    c.seed = 0x1234abcd;
    c.source = "+[.";
    c.input = "a%b";
    c.opts.cell_bits = 16;
    c.opts.eof = jitbf::EofMode::MinusOne;
    c.opts.tape_cells = 100;
    const auto v = jitbf::gen::DiffRunner().run(c);
    REQUIRE(v.kind == jitbf::gen::Verdict::Kind::Mismatch);
    CHECK(v.report.find("does not parse: unmatched '['") != std::string::npos);
    CHECK(v.report.find(
              "seed 0x000000001234abcd; replay: jitbf_fuzz_diff --replay 0x000000001234abcd") !=
          std::string::npos);
    CHECK(v.report.find("options: --cell-bits 16 --eof minus-one --tape-cells 100 -O0") !=
          std::string::npos);
    CHECK(v.report.find("input (3 bytes): \"a\\045b\"") != std::string::npos);  // printf-safe
    CHECK(v.report.find("\n+[.\n") != std::string::npos);
}

TEST_CASE(
    "the differential runner skips programs the oracle cannot finish, and passes agreeing ones") {
    jitbf::gen::Case c;
    c.opts.tape_cells = 64;
    c.source = "+[]";
    CHECK(jitbf::gen::DiffRunner().run(c).kind == jitbf::gen::Verdict::Kind::Skipped);
    c.source = "++[>+++<-]>.<<+";
    const auto v = jitbf::gen::DiffRunner().run(c);
    CHECK(v.kind == jitbf::gen::Verdict::Kind::Agree);
    CHECK(v.oracle == jitbf::RunStatus::LeftOfTape);
}

namespace {

// The fixed seeds run as kParts test cases of consecutive seeds, so that CTest spreads them
// over the cores; together they are the programs 0..count-1, the same as one run of all.
constexpr std::uint64_t kParts = 8;
// The shares of how runs ended are checked from this many programs on (a part under the
// sanitizers has 625): each share then lies several standard deviations inside its bound.
constexpr std::uint64_t kMinForShares = 500;

void random_programs_agree(std::uint64_t part) {
    const std::uint64_t count = program_count();
    const std::uint64_t first = count * part / kParts, last = count * (part + 1) / kParts;
    const jitbf::gen::DiffRunner runner;
    // The JIT has landed: a JIT that cannot even run "+[-]" must fail here, not be skipped.
    CHECK_MESSAGE(runner.jit_available(),
                  "the JIT backend is not available: compared the interpreter's levels only");
    const auto start = std::chrono::steady_clock::now();
    jitbf::gen::Tally tally;
    for (std::uint64_t i = first; i < last && tally.mismatches < 3; ++i) {
        const auto verdict =
            runner.run(jitbf::gen::random_case(jitbf::gen::case_seed(kFixedBase, i)));
        tally.add(verdict);
        if (verdict.kind == jitbf::gen::Verdict::Kind::Mismatch) FAIL_CHECK(verdict.report);
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    MESSAGE("programs ", first, " to ", last, ": ", tally.summary(), " in ", took.count(), " s");
    CHECK(tally.programs >= std::min<std::uint64_t>(last - first, 1));
    // A generator whose programs mostly never end, or never fault, tests too little.
    CHECK_MESSAGE(tally.skipped * 5 <= tally.programs, "too many skipped: fix the generator");
    if (tally.programs >= kMinForShares) {
        CHECK(tally.left * 50 >= tally.programs);
        CHECK(tally.right * 50 >= tally.programs);
        CHECK(tally.ok * 2 >= tally.programs);
    }
}

}  // namespace

TEST_CASE("random programs agree on every backend and optimization level (part 1 of 8)") {
    random_programs_agree(0);
}
TEST_CASE("random programs agree on every backend and optimization level (part 2 of 8)") {
    random_programs_agree(1);
}
TEST_CASE("random programs agree on every backend and optimization level (part 3 of 8)") {
    random_programs_agree(2);
}
TEST_CASE("random programs agree on every backend and optimization level (part 4 of 8)") {
    random_programs_agree(3);
}
TEST_CASE("random programs agree on every backend and optimization level (part 5 of 8)") {
    random_programs_agree(4);
}
TEST_CASE("random programs agree on every backend and optimization level (part 6 of 8)") {
    random_programs_agree(5);
}
TEST_CASE("random programs agree on every backend and optimization level (part 7 of 8)") {
    random_programs_agree(6);
}
TEST_CASE("random programs agree on every backend and optimization level (part 8 of 8)") {
    random_programs_agree(7);
}

}  // namespace differential_test
