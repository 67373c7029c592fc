// jitbf_fuzz_diff: the differential test for as long as you like, from a new seed each run.
//
//   jitbf_fuzz_diff [--count N] [--seed S] [--keep-going]   N programs from seed S
//   jitbf_fuzz_diff --replay SEED [--print]                  one program, by its own seed
//
// The seed is printed first, so any run can be repeated exactly; each mismatch prints the
// program's own seed for --replay. Exit status: 0 all agreed, 1 a mismatch (or too many
// programs skipped: the generator is then broken), 2 usage error.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "differential.hpp"
#include "random_program.hpp"

namespace {

int usage() {
    std::fputs(
        "usage: jitbf_fuzz_diff [--count N] [--seed S] [--keep-going]\n"
        "       jitbf_fuzz_diff --replay SEED [--print]\n",
        stderr);
    return 2;
}

bool parse_u64(const char* s, std::uint64_t& out) {
    char* end = nullptr;
    errno = 0;
    out = std::strtoull(s, &end, 0);  // decimal or 0x...
    return errno == 0 && end != s && *end == '\0';
}

void print_case(const jitbf::gen::Case& c) {
    std::printf("options: %s\ninput: %zu bytes\nprogram:\n%s\n",
                jitbf::gen::cli_flags(c.opts).c_str(), c.input.size(), c.source.c_str());
}

int replay(std::uint64_t seed, bool print) {
    const auto c = jitbf::gen::random_case(seed);
    if (print) print_case(c);
    const jitbf::gen::DiffRunner runner;
    const auto v = runner.run(c);
    switch (v.kind) {
    case jitbf::gen::Verdict::Kind::Agree: std::puts("all configurations agree"); return 0;
    case jitbf::gen::Verdict::Kind::Skipped:
        std::puts("skipped: the oracle ran out of steps");
        return 0;
    case jitbf::gen::Verdict::Kind::Mismatch: std::fputs(v.report.c_str(), stdout); return 1;
    }
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t count = 100'000;
    std::uint64_t seed = 0, replay_seed = 0;
    bool have_seed = false, have_replay = false, print = false, keep_going = false;
    for (int i = 1; i < argc; ++i) {
        const bool has_value = i + 1 < argc;
        if (!std::strcmp(argv[i], "--count") && has_value) {
            if (!parse_u64(argv[++i], count)) return usage();
        } else if (!std::strcmp(argv[i], "--seed") && has_value) {
            if (!parse_u64(argv[++i], seed)) return usage();
            have_seed = true;
        } else if (!std::strcmp(argv[i], "--replay") && has_value) {
            if (!parse_u64(argv[++i], replay_seed)) return usage();
            have_replay = true;
        } else if (!std::strcmp(argv[i], "--print")) {
            print = true;
        } else if (!std::strcmp(argv[i], "--keep-going")) {
            keep_going = true;
        } else {
            return usage();
        }
    }
    if (have_replay) return replay(replay_seed, print);
    if (!have_seed) {
        std::random_device rd;
        seed = (std::uint64_t{rd()} << 32) ^ rd();
    }
    std::printf("jitbf_fuzz_diff --seed 0x%016llx --count %llu\n",
                static_cast<unsigned long long>(seed), static_cast<unsigned long long>(count));
    std::fflush(stdout);

    const jitbf::gen::DiffRunner runner;
    if (!runner.jit_available())
        std::puts("the JIT backend is not available: comparing the interpreter's levels only");
    const auto start = std::chrono::steady_clock::now();
    jitbf::gen::Tally tally;
    for (std::uint64_t i = 0; i < count; ++i) {
        const auto v = runner.run(jitbf::gen::random_case(jitbf::gen::case_seed(seed, i)));
        tally.add(v);
        if (v.kind == jitbf::gen::Verdict::Kind::Mismatch) {
            std::fputs(v.report.c_str(), stdout);
            std::fflush(stdout);
            if (!keep_going) break;
        }
        if ((i + 1) % 10'000 == 0)
            std::fprintf(stderr, "%llu programs...\n", static_cast<unsigned long long>(i + 1));
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::printf("%s in %.1f s\n", tally.summary().c_str(), took.count());
    if (tally.skipped * 5 > tally.programs) {
        std::puts("too many programs skipped: the generator needs fixing");
        return 1;
    }
    return tally.mismatches == 0 ? 0 : 1;
}
