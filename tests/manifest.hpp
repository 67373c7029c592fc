// Reading a MANIFEST.tsv (programs/ and the shared corpus): one row per run of a program,
// with its input, expected output, cell width, EOF mode, exit status and tier. Shared by
// the end-to-end tests of every backend and of the C that --emit-c writes.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "jitbf/jitbf.hpp"

namespace jitbf::testing {

struct Row {
    std::size_t line = 0;  // in the manifest, for messages
    std::string program, input, expected, tier;
    int cell_bits = 8;
    EofMode eof = EofMode::Unchanged;
    int exit = 0;
};

inline std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    REQUIRE_MESSAGE(f, "cannot open " << p);
    std::ostringstream ss;
    ss << f.rdbuf();
    return std::move(ss).str();
}

inline std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> cols;
    std::size_t start = 0;
    for (;;) {
        std::size_t tab = line.find('\t', start);
        cols.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
        if (tab == std::string::npos) return cols;
        start = tab + 1;
    }
}

// The rows of DIR/MANIFEST.tsv; a malformed row fails the test, naming its line.
inline std::vector<Row> read_manifest(const std::filesystem::path& dir) {
    std::ifstream f(dir / "MANIFEST.tsv");
    REQUIRE_MESSAGE(f, "cannot open " << (dir / "MANIFEST.tsv"));
    std::vector<Row> rows;
    std::string line;
    for (std::size_t n = 1; std::getline(f, line); ++n) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#' || (n == 1 && line.rfind("program\t", 0) == 0)) continue;
        const auto c = split_tabs(line);
        INFO(dir.string() << "/MANIFEST.tsv:" << n << ": " << line);
        REQUIRE(c.size() >= 7);
        Row r;
        r.line = n;
        r.program = c[0];
        r.input = c[1];
        r.expected = c[2];
        r.cell_bits = std::stoi(c[3]);
        REQUIRE((r.cell_bits == 8 || r.cell_bits == 16 || r.cell_bits == 32));
        REQUIRE((c[4] == "unchanged" || c[4] == "zero" || c[4] == "minus-one"));
        r.eof = c[4] == "zero"        ? EofMode::Zero
                : c[4] == "minus-one" ? EofMode::MinusOne
                                      : EofMode::Unchanged;
        r.exit = std::stoi(c[5]);
        REQUIRE((r.exit >= 0 && r.exit <= 2));
        r.tier = c[6];
        rows.push_back(std::move(r));
    }
    REQUIRE_MESSAGE(!rows.empty(), "no rows in " << (dir / "MANIFEST.tsv"));
    return rows;
}

}  // namespace jitbf::testing
