// The C that --emit-c writes (src/emit_c.cpp), compiled with the system's C compiler at -O2
// with -Wall -Wextra -Werror and run as a process: it must write the output, print the
// message and return the status that jitbf does, on the interpreter, for the same program,
// options and input (and leave the same final tape, when it ends normally).
//
// Each test compiles its programs into one C file (tests/gen/c_build.hpp: a compiler run
// costs far more than a program), at -O0 and -O2. Without a working C compiler (`cc`, or
// $CC) the tests say so and pass. The random programs are in differential_test.cpp.
#include <doctest/doctest.h>

#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include "c_build.hpp"
#include "emit_c.hpp"
#include "manifest.hpp"
#include "parse.hpp"
#include "passes/passes.hpp"
#include "random_program.hpp"
#include "sample.hpp"

namespace emit_c_test {

using namespace jitbf;
using namespace jitbf::testing;
namespace fs = std::filesystem;

namespace {

// One run of one program.
struct Job {
    std::string label;   // names it in failures
    std::string name;    // the program's name in its messages
    std::string source;  // Brainfuck
    std::string input;
    Options opts;
    int want_exit = -1;       // from a manifest: also checked against the interpreter's
    std::string want_output;  // likewise, when want_exit >= 0
};

Job job(std::string source, std::string input = {}, int bits = 8, EofMode eof = EofMode::Unchanged,
        std::uint64_t tape_cells = 1u << 20) {
    Job j;
    j.label = "-e '" + source + "'";
    j.name = "-e";
    j.source = std::move(source);
    j.input = std::move(input);
    j.opts.cell_bits = bits;
    j.opts.eof = eof;
    j.opts.tape_cells = tape_cells;
    return j;
}

bool have_cc() {
    if (!gen::c_compiler().empty()) return true;
    MESSAGE("no working C compiler (cc, or $CC): the C of --emit-c is not tested");
    return false;
}

// Emits every job at each level into one C program, compiles it, runs each and compares
// it with the interpreter at the same level. Returns how many runs were compared.
int check(const std::vector<Job>& jobs, const std::vector<int>& levels = {0, 2}) {
    struct Run {
        const Job* job;
        Options opts;
        Program prog;
    };
    std::deque<Run> runs;  // CUnit borrows: the elements must not move
    std::vector<CUnit> units;
    for (const Job& j : jobs) {
        auto parsed = parse(j.source);
        REQUIRE_MESSAGE(parsed, j.label);
        for (int level : levels) {
            Options opts = j.opts;
            opts.opt_level = level;
            runs.push_back({&j, opts, optimize(*parsed, opts)});
            units.push_back({runs.back().prog, runs.back().opts, j.name, j.source});
        }
    }
    int compared = static_cast<int>(runs.size());
    std::string errors;
    auto build = gen::CBuild::compile(emit_c_batch(units), errors);
    REQUIRE_MESSAGE(build, errors);
    for (std::size_t k = 0; k < runs.size(); ++k) {
        const Run& r = runs[k];
        const std::string what = r.job->label + " at -O" + std::to_string(r.opts.opt_level) + ", " +
                                 std::to_string(r.opts.cell_bits) + "-bit cells, tape " +
                                 std::to_string(r.opts.tape_cells) + ", input of " +
                                 std::to_string(r.job->input.size());
        INFO(what);
        gen::Process want;
        if (r.opts.step_limit > 0) {
            auto e =
                gen::expected_process(r.prog, r.opts, r.job->name, r.job->source, r.job->input);
            if (e.ran.result.status == RunStatus::StepLimit) {
                --compared;
                continue;
            }
            want = std::move(e.process);
        } else if (r.job->want_exit == 0) {
            // A manifest's program that ends well: its expected output is all there is to
            // know, and the interpreter would take minutes on some (factor's hard input).
            want.status = 0;
            want.out = r.job->want_output;
        } else {
            want = gen::expected_process(r.prog, r.opts, r.job->name, r.job->source, r.job->input)
                       .process;
            if (r.job->want_exit > 0) {
                CHECK_MESSAGE(want.status == r.job->want_exit, "the interpreter disagrees");
                CHECK_MESSAGE(want.out == r.job->want_output, "the interpreter disagrees");
            }
        }
        const auto got = build->run({std::to_string(k)}, r.job->input, 120, r.job->want_exit != 0);
        CHECK_MESSAGE(gen::process_difference(got, want) == "", what);
    }
    return compared;
}

// The jobs of a long list that a sampled run keeps (sample.hpp): the C compiler's time
// grows with the batch, and neither it nor the program it builds is instrumented.
std::vector<Job> sampled(std::vector<Job> jobs, const char* test) {
    std::vector<Job> kept;
    for (std::size_t i = 0; i < jobs.size(); ++i)
        if (test_sample::runs(i)) kept.push_back(std::move(jobs[i]));
    test_sample::report(test, jobs.size() - kept.size(), jobs.size());
    return kept;
}

// A C compiler takes seconds on a large program (every span is emitted twice, fast and
// checked), so the manifests' programs are compiled at -O2 only and the largest are left
// out: the test says how many.
constexpr std::uintmax_t kMaxSourceBytes = 3000;

// The rows of a manifest that `wanted` accepts, as jobs (parse errors are not C's business).
std::vector<Job> manifest_jobs(const fs::path& dir, bool (*wanted)(const Row&)) {
    std::vector<Job> jobs;
    int too_large = 0;
    for (const Row& row : read_manifest(dir)) {
        if (row.exit == 2 || !wanted(row)) continue;
        if (fs::file_size(dir / row.program) > kMaxSourceBytes) {
            ++too_large;
            continue;
        }
        Job j = job(read_bytes(dir / row.program),
                    row.input == "-" ? std::string() : read_bytes(dir / row.input), row.cell_bits,
                    row.eof);
        j.label = row.program + " < " + row.input + " (" + (dir / "MANIFEST.tsv").string() +
                  " line " + std::to_string(row.line) + ")";
        j.name = row.program;
        j.want_exit = row.exit;
        j.want_output = read_bytes(dir / row.expected);
        jobs.push_back(std::move(j));
    }
    MESSAGE(too_large << " runs of " << (dir / "MANIFEST.tsv").string()
                      << " skipped: programs over " << kMaxSourceBytes
                      << " bytes take the C compiler too long for the test suite");
    return jobs;
}

// A sample of tests/gen's programs: the differential tests run thousands on the backends.
constexpr std::uint64_t kRandomPrograms = 60;
constexpr std::uint64_t kRandomBase = 0x656d697463;  // "emitc"

const fs::path kPrograms = JITBF_PROGRAMS_DIR;
const fs::path kCorpus = JITBF_CORPUS_DIR;

bool have_corpus() {
    if (fs::exists(kCorpus / "MANIFEST.tsv")) return true;
    MESSAGE("corpus not found at " << kCorpus.string() << ": its programs are not run as C");
    return false;
}

}  // namespace

TEST_CASE("emitted C wraps cells, multiplies and reads input as the interpreter does") {
    if (!have_cc()) return;
    std::vector<Job> jobs;
    for (int bits : {8, 16, 32}) {
        jobs.push_back(job("++++++++[>+++++++++<-]>[>+++>-----<<-]>.>.", "", bits));
        jobs.push_back(job("-.>--.>+++[>++<-]>.+++[>+++++<-]>+.[-]-.", "", bits));
        for (EofMode eof : {EofMode::Unchanged, EofMode::Zero, EofMode::MinusOne})
            jobs.push_back(job("+++++,.,.,.>,.,.,.<.>,+.", "ab", bits, eof));
    }
    // Loops that only end by wrapping (a step of 5 from 2^bits - 1), too long at -O0 in 32 bits.
    for (int bits : {8, 16})
        jobs.push_back(job("-[>+<-----]>.>+++++[<+++++++>-]<.-.[-]>-[>>+<<---]>>.", "", bits));
    jobs.push_back(job("+>+>+>+>+<[<]>[.>]+>>+[<]>.", "", 8));  // scans both ways, stride 1
    jobs.push_back(job("+>>+>>+>>+<<<<<<[>>]<<[<<]>>.", "", 16));
    CHECK(check(jobs) == 2 * static_cast<int>(jobs.size()));
}

TEST_CASE("emitted C reports a touch off the tape as jitbf does, after the output before it") {
    if (!have_cc()) return;
    std::vector<Job> jobs = {
        job("+++.<+"),                                         // left, in a straight span
        job("++++++[>++++++++++<-]>+++++.<<+"),                // left, after a loop
        job("+[>+]", "", 8, EofMode::Unchanged, 4096),         // right, in a walking loop
        job("+>+>+[<]"),                                       // a scan runs off the left end
        job("+>+>+[<]", "", 16),                               // the same without memrchr
        job("+[>+<-]>[>+]", "", 32, EofMode::Unchanged, 100),  // right, rounded up to 1024 cells
        job("+[<+>-]"),                                        // a loop that stays put touches -1
        job("[<+>-]+++.[<<]"),                                 // ... but not when it does not run
        job(">>+[<<+>>-]<<<.", "", 8, EofMode::Unchanged, 1),
        job(".>+.<<,", "x"),                        // `,` touches first, then reads
        job(std::string(70000, '+') + "[>.+<-]<"),  // more than one buffer before it
    };
    // A scan off the right end: 16-bit cells, a tape of 2048 cells filled with ones, then a
    // scan from cell 1 runs over them all.
    jobs.push_back(
        job("++++++++[>++++++++[>++++++++++++++++++++++++++++++++<-]<-]>>---"
            "[[->+<]+>-]+<[<]+[>]",
            "", 16, EofMode::Unchanged, 2048));
    CHECK(check(jobs) == 2 * static_cast<int>(jobs.size()));
}

TEST_CASE("emitted C shows the source line of an error as jitbf does: windowed, tabs, UTF-8") {
    if (!have_cc()) return;
    const std::string utf8 = "\xc3\xa9t\xc3\xa9 \xe2\x86\x92 ";  // "été → "
    std::string line;
    for (int i = 0; i < 12; ++i) line += utf8 + "\t+>";
    std::vector<Job> jobs = {
        job("comment\n\t " + line + "<<<<<<<<<<<<<<+" + line + "\nafter"),
        job(line + line + "\n" + line + std::string(40, '<') + "+"),
        job("first\r\n\t+\r\n<<+ \"quoted?\" ?\?= \\ */ end"),
    };
    jobs[2].name = "odd \"name\" */.b";
    CHECK(check(jobs) == 2 * static_cast<int>(jobs.size()));
}

TEST_CASE("emitted C runs the bundled programs as their manifest expects") {
    if (!have_cc()) return;
    const int runs = check(sampled(manifest_jobs(kPrograms, [](const Row&) { return true; }),
                                   "emitted C runs the bundled programs"),
                           {2});
    MESSAGE(runs << " runs of programs/ as C");
}

TEST_CASE("emitted C runs the corpus's programs as their manifest expects") {
    if (!have_cc() || !have_corpus()) return;
    const int runs = check(sampled(manifest_jobs(kCorpus, [](const Row&) { return true; }),
                                   "emitted C runs the corpus"),
                           {2});
    MESSAGE(runs << " runs of the corpus's programs as C");
}

TEST_CASE("emitted C agrees with the interpreter on random programs") {
    if (!have_cc()) return;
    std::vector<Job> jobs;
    for (std::uint64_t i = 0; i < kRandomPrograms; ++i) {
        const gen::Case c = gen::random_case(gen::case_seed(kRandomBase, i));
        Job j = job(c.source, c.input, c.opts.cell_bits, c.opts.eof, c.opts.tape_cells);
        j.label = "random program of seed " + std::to_string(c.seed);
        j.opts.step_limit = 1'000'000;  // a run that reaches it is not compared
        jobs.push_back(std::move(j));
    }
    const int runs = check(sampled(std::move(jobs), "emitted C agrees on random programs"));
    MESSAGE(runs << " runs of random programs as C (the others reached the step limit)");
    // Most end within the limit (of two levels each, of the programs sampled).
    CHECK(runs >
          static_cast<int>(kRandomPrograms / std::max<std::uint64_t>(test_sample::every(), 1)));
}

}  // namespace emit_c_test
