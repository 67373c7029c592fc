// --profile: the loops that did the most work, on stderr after the run (profile.hpp says
// what the work is and how it is counted).
#include <cinttypes>
#include <cstdio>
#include <string>

#include "excerpt.hpp"
#include "profile.hpp"
#include "watch.hpp"

namespace jitbf::cli {

namespace {

constexpr std::size_t kShown = 10;

double percent(std::uint64_t part, std::uint64_t whole) {
    return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

void print_profile(const Program& prog, const ProfileCounts& counts, const Source& src) {
    const ProfileSummary summary = summarize_profile(prog, counts);
    const SourceLines lines(src.text);
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "jitbf: --profile: %" PRIu64
                  " ops executed; loops by the work done in them\n"
                  "   self  total      entered   iterations  where       loop\n",
                  summary.ops);
    std::string s = buf;
    std::uint64_t rest_self = 0;
    for (std::size_t i = 0; i < summary.loops.size(); ++i) {
        const LoopProfile& l = summary.loops[i];
        if (i >= kShown) {
            rest_self += l.self;
            continue;
        }
        const std::string where = to_string(l.pos);
        const std::string snippet = loop_snippet(src.text, lines, l.pos);
        std::snprintf(buf, sizeof buf,
                      "  %5.1f%% %5.1f%% %12" PRIu64 " %12" PRIu64 "  %-10s  %s%s\n",
                      percent(l.self, summary.ops), percent(l.total, summary.ops), l.entered,
                      l.iterations, where.c_str(), snippet.c_str(), l.scan ? "  (scan)" : "");
        s += buf;
    }
    if (summary.loops.empty()) s += "  (no loops)\n";
    if (summary.loops.size() > kShown) {
        std::snprintf(buf, sizeof buf, "  %5.1f%% in %zu more loops\n",
                      percent(rest_self, summary.ops), summary.loops.size() - kShown);
        s += buf;
    }
    std::fputs(s.c_str(), stderr);
}

}  // namespace jitbf::cli
