// --perf-map: /tmp/perf-PID.map, the file perf reads to name code that no ELF file
// describes: one line per symbol, "START SIZE NAME" with START and SIZE in hex. The symbols
// are the JIT's loops and blocks by source position (code_map.hpp). The file is left behind
// on purpose: perf report reads it after the process has ended.
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "code_map.hpp"
#include "report.hpp"
#include "watch.hpp"

namespace jitbf::cli {

bool write_perf_map(const Program& prog, const JitProgram& jit) {
    const std::string path = "/tmp/perf-" + std::to_string(getpid()) + ".map";
    std::ofstream f(path, std::ios::trunc);
    const auto base = reinterpret_cast<std::uintptr_t>(jit.code().data());
    for (const CodeSymbol& sym : code_symbols(prog, jit.code_map())) {
        char line[64];
        std::snprintf(line, sizeof line, "%" PRIxPTR " %" PRIx32 " ", base + sym.begin,
                      sym.end - sym.begin);
        f << line << sym.name << '\n';
    }
    f.flush();
    if (f) return true;
    fail("cannot write " + path + ": " + std::strerror(errno));
    return false;
}

}  // namespace jitbf::cli
