// End to end: every row of programs/MANIFEST.tsv and of the shared corpus's MANIFEST.tsv,
// parsed, optimized at -O0/-O1/-O2 and run on every backend, compared byte for byte with
// the expected output and exit status (0 ok, 1 runtime error, 2 parse error).
//
// Time: a few corpus programs take tens of seconds at -O0 on the interpreter (hanoi, long,
// dbfi, factor's hard input, Impeccable) and would make the suite take many minutes. So:
//  - each row runs once *to its end* on the reference configuration: the JIT at -O2 (the
//    fastest one);
//  - every other backend/level runs the same row with a budget of loop back-edges
//    (Options::step_limit). A run that ends within the budget must match exactly; a run
//    that reaches it must have printed a prefix of the expected output so far, and is
//    counted in a MESSAGE. Fast rows (nearly all) thus run to their end everywhere, and a
//    slow row still runs on every backend and level, only not to its end.
// The budget is a count of back-edges, not a time, so which runs are cut is deterministic.
// Test cases are split (reference runs by manifest and tier, budgeted runs by level) so
// CTest can run them in parallel. Failures name the program, input, backend and level.
//
// Under the sanitizers (the asan test preset sets JITBF_TEST_SAMPLE=3) the budgeted rows of
// programs/ and the corpus, and the corpus's runs to the end, run only at some levels: the
// generated code is not instrumented, the interpreter several times slower, and the release run
// covers every row everywhere. Row i runs only at level i mod k (to its end if that is -O2), so
// with k = 3 each row still runs once on both backends; each test prints the rows it left out.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "engine.hpp"
#include "manifest.hpp"
#include "parse.hpp"
#include "passes/passes.hpp"
#include "sample.hpp"

namespace e2e_test {

using namespace jitbf;
using namespace jitbf::testing;
namespace fs = std::filesystem;

namespace {

// Every backend the e2e runs cover; the first runs each program to its end at -O2.
constexpr Backend kBackends[] = {Backend::Jit, Backend::Interp};
constexpr Backend kReference = kBackends[0];

#ifndef JITBF_E2E_STEP_BUDGET
#define JITBF_E2E_STEP_BUDGET 16'000'000
#endif

// The environment variable JITBF_E2E_STEP_BUDGET overrides the built-in budget; 0 means
// none, so every run goes to its end (a long but complete check).
std::uint64_t step_budget() {
    static const std::uint64_t budget = [] {
        const char* env = std::getenv("JITBF_E2E_STEP_BUDGET");
        return env && *env ? std::strtoull(env, nullptr, 10) : std::uint64_t{JITBF_E2E_STEP_BUDGET};
    }();
    return budget;
}

// Row i of a manifest runs only at level i mod k under JITBF_TEST_SAMPLE=k (sample.hpp).
bool sampled_out(std::size_t index, int level) {
    return !test_sample::runs(index, static_cast<std::uint64_t>(level));
}

enum class Sample { All, Sampled };

struct Outcome {
    int exit = 0;
    bool cut = false;  // reached the step budget
    std::string out;
};

// Parses, optimizes and runs one row; the exit status is what the CLI would return.
Outcome run_row(const fs::path& dir, const Row& row, Backend backend, int level,
                std::uint64_t budget) {
    Outcome o;
    const std::string source = read_bytes(dir / row.program);
    const std::string input = row.input == "-" ? std::string() : read_bytes(dir / row.input);
    auto parsed = parse(source);
    if (!parsed) {
        o.exit = 2;
        return o;
    }
    Options opts;
    opts.cell_bits = row.cell_bits;
    opts.eof = row.eof;
    opts.opt_level = level;
    opts.verify_each_pass = true;
    opts.step_limit = budget;
    const Program prog = optimize(std::move(*parsed), opts);
    auto in = Input::memory(input);
    auto out = Output::memory(&o.out);
    auto ran = execute(prog, opts, backend, in, out);
    if (!ran) FAIL("execute failed: " << (ran.errors().empty() ? "" : ran.errors()[0].message));
    switch (ran->result.status) {
    case RunStatus::Ok: o.exit = 0; break;
    case RunStatus::LeftOfTape:
    case RunStatus::RightOfTape: o.exit = 1; break;
    case RunStatus::StepLimit: o.cut = true; break;
    case RunStatus::OutputClosed: FAIL("output to a string cannot close"); break;
    case RunStatus::NotStarted: FAIL("the tape could not be mapped"); break;
    case RunStatus::Timeout:
    case RunStatus::Stopped: FAIL("nothing stops these runs from outside"); break;
    }
    return o;
}

std::string label(const Row& row, Backend b, int level) {
    return row.program + " < " + row.input + " (manifest line " + std::to_string(row.line) + ", " +
           std::to_string(row.cell_bits) + "-bit, eof " +
           (row.eof == EofMode::Zero       ? "zero"
            : row.eof == EofMode::MinusOne ? "minus-one"
                                           : "unchanged") +
           ") on " + std::string(backend_name(b)) + " -O" + std::to_string(level);
}

enum class Tier { Core, Other, All };

bool in_tier(const Row& row, Tier t) {
    switch (t) {
    case Tier::Core: return row.tier == "core";
    case Tier::Other: return row.tier != "core";
    case Tier::All: return true;
    }
    return true;
}

// Prints which rows a sampled test left out (the test passes either way, so a MESSAGE would
// not show).
void report_left_out(const std::vector<std::string>& left_out, const std::string& test) {
    if (left_out.empty()) return;
    std::cout << test << ": JITBF_TEST_SAMPLE left out " << left_out.size() << " rows:";
    for (const std::string& what : left_out) std::cout << "\n  " << what;
    std::cout << std::endl;
}

// Runs each row of the tier to its end on the reference backend at -O2.
void check_to_the_end(const fs::path& dir, Tier tier, Sample sample) {
    int runs = 0;
    std::vector<std::string> left_out;
    const std::vector<Row> rows = read_manifest(dir);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Row& row = rows[i];
        if (!in_tier(row, tier)) continue;
        if (sample == Sample::Sampled && sampled_out(i, 2)) {
            left_out.push_back(row.program + " < " + row.input);
            continue;
        }
        const std::string what = label(row, kReference, 2);
        INFO(what);
        const std::string want = read_bytes(dir / row.expected);
        Outcome o = run_row(dir, row, kReference, 2, 0);
        CHECK_MESSAGE(o.exit == row.exit, what);
        CHECK_MESSAGE(o.out == want, what);
        ++runs;
    }
    MESSAGE(runs << " runs to the end on " << backend_name(kReference) << " -O2 from "
                 << dir.string());
    report_left_out(left_out, "runs to the end from " + dir.string());
}

// Runs every row on every backend at `level` within the step budget (except the reference
// configuration, which check_to_the_end covers).
void check_within_budget(const fs::path& dir, int level, Sample sample) {
    int runs = 0, cut = 0;
    std::vector<std::string> left_out;
    const std::vector<Row> rows = read_manifest(dir);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Row& row = rows[i];
        if (sample == Sample::Sampled && sampled_out(i, level)) {
            left_out.push_back(row.program + " < " + row.input);
            continue;
        }
        const std::string want = read_bytes(dir / row.expected);
        for (Backend b : kBackends) {
            if (b == kReference && level == 2) continue;
            const std::string what = label(row, b, level);
            INFO(what);
            Outcome o = run_row(dir, row, b, level, step_budget());
            ++runs;
            if (o.cut) {
                ++cut;
                CHECK_MESSAGE(o.out == want.substr(0, o.out.size()),
                              what << ": output so far is not a prefix of the expected");
                continue;
            }
            CHECK_MESSAGE(o.exit == row.exit, what);
            CHECK_MESSAGE(o.out == want, what);
        }
    }
    MESSAGE(runs << " runs at -O" << level << " from " << dir.string() << "; " << cut
                 << " reached the budget of " << step_budget() << " loop iterations");
    report_left_out(left_out, "runs at -O" + std::to_string(level) + " from " + dir.string());
}

const fs::path kPrograms = JITBF_PROGRAMS_DIR;
const fs::path kCorpus = JITBF_CORPUS_DIR;

bool have_corpus() {
    if (fs::exists(kCorpus / "MANIFEST.tsv")) return true;
    MESSAGE("corpus not found at " << kCorpus.string() << ", skipped");
    return false;
}

}  // namespace

TEST_CASE("e2e: bundled programs run to their expected end at -O2") {
    check_to_the_end(kPrograms, Tier::All, Sample::All);
}

TEST_CASE("e2e: bundled programs agree on every backend at -O0") {
    check_within_budget(kPrograms, 0, Sample::Sampled);
}

TEST_CASE("e2e: bundled programs agree on every backend at -O1") {
    check_within_budget(kPrograms, 1, Sample::Sampled);
}

TEST_CASE("e2e: bundled programs agree on every backend at -O2") {
    check_within_budget(kPrograms, 2, Sample::Sampled);
}

TEST_CASE("e2e: corpus core-tier programs run to their expected end at -O2") {
    if (have_corpus()) check_to_the_end(kCorpus, Tier::Core, Sample::Sampled);
}

TEST_CASE("e2e: corpus conformance programs run to their expected end at -O2") {
    if (have_corpus()) check_to_the_end(kCorpus, Tier::Other, Sample::Sampled);
}

TEST_CASE("e2e: corpus programs agree on every backend at -O0") {
    if (have_corpus()) check_within_budget(kCorpus, 0, Sample::Sampled);
}

TEST_CASE("e2e: corpus programs agree on every backend at -O1") {
    if (have_corpus()) check_within_budget(kCorpus, 1, Sample::Sampled);
}

TEST_CASE("e2e: corpus programs agree on every backend at -O2") {
    if (have_corpus()) check_within_budget(kCorpus, 2, Sample::Sampled);
}

}  // namespace e2e_test
