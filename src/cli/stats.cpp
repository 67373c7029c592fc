// --stats: what a run cost and touched, on stderr after it ends.
//
// Nothing here watches the run itself, so a run with --stats runs as fast as one without.
// That is why the cells touched are known to the page: the kernel says which pages of the
// tape are resident (mincore), and a page becomes resident when a cell on it is read or
// written; within those pages, the cells that are not zero at the end are exact. The memory
// map is the kernel's own (/proc/self/maps), cut down to the mappings jitbf made.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "watch.hpp"

namespace jitbf::cli {

namespace {

std::string human_bytes(std::uint64_t n) {
    char buf[32];
    if (n >= (std::uint64_t{1} << 30) && n % (std::uint64_t{1} << 30) == 0)
        std::snprintf(buf, sizeof buf, "%" PRIu64 " GiB", n >> 30);
    else if (n >= (std::uint64_t{1} << 20) && n % (std::uint64_t{1} << 20) == 0)
        std::snprintf(buf, sizeof buf, "%" PRIu64 " MiB", n >> 20);
    else if (n >= 1024 && n % 1024 == 0)
        std::snprintf(buf, sizeof buf, "%" PRIu64 " KiB", n >> 10);
    else
        std::snprintf(buf, sizeof buf, "%" PRIu64 " B", n);
    return buf;
}

struct CellRange {
    std::uint64_t lo = 0, hi = 0;
};

// Which pages of the tape's cells are resident, and the cells each holds.
class Residency {
public:
    Residency(const Tape& tape, std::size_t page)
        : tape_(tape),
          per_page_(page / tape.cell_bytes()),
          resident_((tape.bytes() + page - 1) / page, 0) {
        if (mincore(tape.data(), tape.bytes(), resident_.data()) != 0) resident_.clear();
    }

    // The cells of the first to the last resident page; nothing if none is.
    std::optional<CellRange> touched() const {
        std::optional<CellRange> r;
        for (std::size_t i = 0; i < resident_.size(); ++i) {
            if (!(resident_[i] & 1)) continue;
            if (!r) r = CellRange{first_cell(i), 0};
            r->hi = last_cell(i);
        }
        return r;
    }

    // The first and last cells that are not zero. Only resident pages can hold any: the
    // others were never touched.
    std::optional<CellRange> nonzero() const {
        std::optional<CellRange> r;
        for (std::size_t i = 0; i < resident_.size() && !r; ++i)
            if (resident_[i] & 1)
                for (std::uint64_t c = first_cell(i); c <= last_cell(i) && !r; ++c)
                    if (tape_.cell(c) != 0) r = CellRange{c, c};
        for (std::size_t i = resident_.size(); r && i-- > 0;) {
            if (!(resident_[i] & 1)) continue;
            for (std::uint64_t c = last_cell(i) + 1; c-- > first_cell(i);)
                if (tape_.cell(c) != 0) return CellRange{r->lo, c};
        }
        return r;
    }

private:
    std::uint64_t first_cell(std::size_t page) const { return page * per_page_; }
    std::uint64_t last_cell(std::size_t page) const {
        return std::min<std::uint64_t>((page + 1) * per_page_, tape_.cells()) - 1;
    }
    const Tape& tape_;
    std::uint64_t per_page_;
    std::vector<unsigned char> resident_;
};

std::string cells(const std::optional<CellRange>& r) {
    return r ? std::to_string(r->lo) + ".." + std::to_string(r->hi) : "none";
}

// What jitbf made a mapping at [lo, hi) for, or nothing if it is not one of ours.
struct Region {
    std::uintptr_t lo, hi;
    const char* what;
};

std::string memory_map(const std::vector<Region>& ours) {
    std::ifstream maps("/proc/self/maps");
    if (!maps) return "    (cannot read /proc/self/maps)\n";
    std::string out, line;
    while (std::getline(maps, line)) {
        std::uintptr_t lo = 0, hi = 0;
        char perms[8] = "";
        if (std::sscanf(line.c_str(), "%" SCNxPTR "-%" SCNxPTR " %7s", &lo, &hi, perms) != 3)
            continue;
        std::string what;
        for (const Region& r : ours)
            if (lo < r.hi && r.lo < hi) what += (what.empty() ? "" : " + ") + std::string(r.what);
        if (what.empty()) continue;
        char buf[96];
        std::snprintf(buf, sizeof buf, "    %012" PRIxPTR "-%012" PRIxPTR "  %s  %9s  ", lo, hi,
                      perms, human_bytes(hi - lo).c_str());
        out += buf + what + "\n";
    }
    return out;
}

}  // namespace

void print_stats(const StatsReport& r) {
    std::string s = "jitbf: --stats\n  time (ms)\n";
    char buf[160];
    double total = 0;
    for (const auto& [phase, seconds] : r.times.seconds()) {
        std::snprintf(buf, sizeof buf, "    %-22s %12.3f\n", phase.c_str(), seconds * 1e3);
        s += buf;
        total += seconds;
    }
    std::snprintf(buf, sizeof buf, "    %-22s %12.3f\n", "total", total * 1e3);
    s += buf;

    s += "  IR ops            parsed      final\n";
    const OpCounts after = count_ops(r.prog);
    std::uint64_t all_before = 0, all_after = 0;
    for (int k = 0; k < kOpCount; ++k) {
        const auto i = static_cast<std::size_t>(k);
        all_before += r.parsed[i];
        all_after += after[i];
        if (r.parsed[i] == 0 && after[i] == 0) continue;
        std::snprintf(buf, sizeof buf, "    %-10s %11" PRIu64 " %10" PRIu64 "\n",
                      std::string(op_name(static_cast<Op>(k))).c_str(), r.parsed[i], after[i]);
        s += buf;
    }
    std::snprintf(buf, sizeof buf, "    %-10s %11" PRIu64 " %10" PRIu64 "\n", "all", all_before,
                  all_after);
    s += buf;

    if (const JitProgram* jit = r.exe.jit())
        s += "  code: " + std::to_string(jit->code_size()) + " bytes, " +
             std::to_string(jit->register_regions()) + " regions on registers\n";
    else
        s += "  code: none (interpreter)\n";

    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const Residency tape(r.tape, page);
    s += "  tape: " + std::to_string(r.tape.cells()) + " cells of " +
         std::to_string(r.tape.cell_bits()) + " bits\n";
    s += "  cells touched: " + cells(tape.touched()) + " (to the page: the tape's resident " +
         human_bytes(page) + " pages)\n";
    s += "  cells not zero at the end: " + cells(tape.nonzero()) + " (exact)\n";
    s += "  bytes in: " + std::to_string(r.in.bytes_read()) +
         ", bytes out: " + std::to_string(r.out.bytes_written()) + "\n";

    std::vector<Region> ours;
    if (const JitProgram* jit = r.exe.jit()) {
        const auto code = reinterpret_cast<std::uintptr_t>(jit->code().data());
        ours.push_back({code, code + jit->mapped_bytes(), "code"});
    }
    const auto map = reinterpret_cast<std::uintptr_t>(r.tape.mapping());
    const auto cells0 = reinterpret_cast<std::uintptr_t>(r.tape.data());
    const std::uintptr_t end = cells0 + r.tape.bytes();
    ours.push_back({map, cells0, "tape guard, left of cell 0"});
    ours.push_back({cells0, end, "tape cells"});
    ours.push_back({end, map + r.tape.mapping_bytes(), "tape guard, right of the last cell"});
    s += "  memory (jitbf's mappings in /proc/self/maps)\n" + memory_map(ours);
    std::fputs(s.c_str(), stderr);
}

}  // namespace jitbf::cli
