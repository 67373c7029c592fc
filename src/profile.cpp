// The profile by loop (see profile.hpp): one walk over the IR with a stack of open blocks,
// each knowing how often its body ran, then the loops of one source position merged.
#include "profile.hpp"

#include <algorithm>
#include <cassert>
#include <map>
#include <utility>

namespace jitbf {

namespace {

struct Block {
    std::uint64_t runs;  // times the ops directly inside ran
};

}  // namespace

ProfileSummary summarize_profile(const Program& prog, const ProfileCounts& counts) {
    assert(counts.size() == prog.code.size());
    ProfileSummary summary;
    std::vector<LoopProfile> found;  // one per IR loop or scan, in program order
    std::vector<std::size_t> loops;  // the open loops, as indices into found
    std::vector<Block> blocks{{1}};  // the program itself runs once
    // Work done by an op directly inside the innermost open loop (or outside every loop).
    auto charge = [&](std::uint64_t work) {
        summary.ops += work;
        if (!loops.empty()) found[loops.back()].self += work;
    };
    // A loop or scan done: its work counts in the total of the loop around it.
    auto nested = [&](std::uint64_t total) {
        if (!loops.empty()) found[loops.back()].total += total;
    };
    for (std::size_t i = 0; i < prog.code.size(); ++i) {
        const Instr& in = prog.code[i];
        const std::uint64_t runs = blocks.back().runs;
        switch (in.op) {
        case Op::LoopBegin: {
            LoopProfile loop;
            loop.pos = in.pos;
            loop.entered = counts[i];
            loop.iterations = counts[static_cast<std::size_t>(in.arg)];
            found.push_back(loop);
            loops.push_back(found.size() - 1);
            charge(counts[i]);  // its first test, the loop's own work
            blocks.push_back({loop.iterations});
            break;
        }
        case Op::LoopEnd: {
            charge(counts[i]);
            blocks.pop_back();
            LoopProfile& loop = found[loops.back()];
            loops.pop_back();
            loop.total += loop.self;  // the inner loops' totals are in already
            nested(loop.total);
            break;
        }
        case Op::IfBegin:
            charge(runs);
            blocks.push_back({counts[i]});
            break;
        case Op::IfEnd: blocks.pop_back(); break;  // a join point: no work
        case Op::Scan: {
            LoopProfile scan;
            scan.pos = in.pos;
            scan.scan = true;
            scan.entered = runs;
            scan.iterations = counts[i];
            scan.self = scan.total = runs + counts[i];
            summary.ops += scan.self;
            nested(scan.total);
            found.push_back(scan);
            break;
        }
        default:
            // Any other op is one unit of work each time its block runs: only brackets and
            // scans, whose counts the backends keep, are counted otherwise.
            assert(info(in.op).bracket == Bracket::None);
            charge(runs);
            break;
        }
    }

    // One entry per source loop, in the order first seen.
    std::map<std::pair<std::uint64_t, bool>, std::size_t> seen;
    for (const LoopProfile& loop : found) {
        const std::uint64_t at = (std::uint64_t{loop.pos.line} << 32) | loop.pos.col;
        const auto [it, fresh] = seen.try_emplace({at, loop.scan}, summary.loops.size());
        if (fresh) {
            summary.loops.push_back(loop);
            continue;
        }
        LoopProfile& into = summary.loops[it->second];
        into.entered += loop.entered;
        into.iterations += loop.iterations;
        into.self += loop.self;
        into.total += loop.total;
    }
    std::stable_sort(summary.loops.begin(), summary.loops.end(),
                     [](const LoopProfile& a, const LoopProfile& b) { return a.self > b.self; });
    return summary;
}

}  // namespace jitbf
