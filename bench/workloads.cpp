// Reading the manifests (see workloads.hpp). Columns: program, input or -, expected output,
// cell_bits, eof, exit, tier, notes. Rows that expect a failure are not benchmarks.
#include "workloads.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

namespace jitbf::bench {

namespace {

bool read_file(const std::filesystem::path& path, std::string& out) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    std::ostringstream ss;
    ss << f.rdbuf();
    out = std::move(ss).str();
    return true;
}

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> cols;
    std::string::size_type start = 0;
    for (;;) {
        const auto tab = line.find('\t', start);
        cols.push_back(
            line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) return cols;
        start = tab + 1;
    }
}

// The rows of `dir`/MANIFEST.tsv that `wanted` accepts, as workloads named `prefix`/....
template <class Wanted>
void load(const std::filesystem::path& dir, const std::string& prefix, Wanted wanted,
          Workloads& out) {
    std::ifstream manifest(dir / "MANIFEST.tsv");
    if (!manifest) {
        out.notes.push_back(prefix + " not found at " + dir.string() + ": not benchmarked");
        return;
    }
    std::string line;
    std::getline(manifest, line);  // the header
    while (std::getline(manifest, line)) {
        const auto cols = split_tabs(line);
        if (cols.size() < 7 || cols[5] != "0" || !wanted(cols)) continue;
        Workload w;
        w.name = prefix + "/" + cols[0] + (cols[1] == "-" ? "" : "<" + cols[1]);
        w.opts.cell_bits = std::stoi(cols[3]);
        w.opts.eof = cols[4] == "zero"        ? EofMode::Zero
                     : cols[4] == "minus-one" ? EofMode::MinusOne
                                              : EofMode::Unchanged;
        if (!read_file(dir / cols[0], w.source) || !read_file(dir / cols[2], w.expected) ||
            (cols[1] != "-" && !read_file(dir / cols[1], w.input))) {
            out.notes.push_back(w.name + ": a file is missing, not benchmarked");
            continue;
        }
        out.list.push_back(std::move(w));
    }
}

}  // namespace

SimdLevel simd_from_environment() {
    const char* name = std::getenv("JITBF_SIMD");
    return name ? simd_level_named(name).value_or(Options{}.simd) : Options{}.simd;
}

Workloads load_workloads(const std::string& programs_dir, const std::string& corpus_dir) {
    Workloads w;
    load(
        programs_dir, "programs", [](const auto& cols) { return cols[6] == "core"; }, w);
    static const std::set<std::string> kAlsoFromCorpus = {"hanoi.b", "long.b"};
    load(
        corpus_dir, "corpus",
        [](const auto& cols) {
            return cols[6] == "core" || (kAlsoFromCorpus.count(cols[0]) && cols[1] == "-");
        },
        w);
    w.list.push_back(scan_workload());
    return w;
}

}  // namespace jitbf::bench
