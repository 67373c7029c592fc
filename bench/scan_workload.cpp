// A generated workload that is nearly all scans: `[>]`-style loops at strides 1, 3 and 9
// (8-bit cells) over runs that grow to 8000 cells, so the JIT's scan code dominates its time.
// Compare the SIMD levels with JITBF_SIMD=avx2|sse2|scalar (into Options::simd).
//
// Each phase repeats "walk to the end of the run, extend it by one cell, walk back" 8000
// times; its counters wrap to zero when done. The program then prints "0\n", which is what
// it prints by construction, so a wrong scan shows as a crash or a wrong ending rather than
// as a plausible time.
#include "workloads.hpp"

#include <string>

namespace jitbf::bench {

namespace {

// Appends `n` copies of `c` (built with appends only: GCC 12 warns falsely, -Wrestrict,
// about chains of std::string operator+ at -O2).
void put(std::string& out, char c, int n) { out.append(static_cast<std::size_t>(n), c); }

// Cells: outer counter, inner counter, then the run of ones every `stride` cells from
// 2 + stride on, with a zero `stride` cells before it for the walks back to stop at.
void put_scan_phase(std::string& out, int stride, int outer, int inner) {
    put(out, '+', outer);
    out += "[->";
    put(out, '+', inner);
    out += "[-";
    put(out, '>', stride + 1);
    out += '[';
    put(out, '>', stride);
    out += "]+[";
    put(out, '<', stride);
    out += "]<]<]";
}

}  // namespace

Workload scan_workload() {
    constexpr int kOuter = 40, kInner = 200, kRun = kOuter * kInner;
    Workload w;
    w.name = "generated/scans";
    for (int stride : {1, 3, 9}) {
        put_scan_phase(w.source, stride, kOuter, kInner);
        if (stride != 9) put(w.source, '>', 2 + stride + kRun * stride + 16);  // next region
    }
    put(w.source, '+', '0');
    w.source += ".[-]";
    put(w.source, '+', '\n');
    w.source += '.';
    w.expected = "0\n";
    return w;
}

}  // namespace jitbf::bench
