// jitbf_fuzz_replay TARGET PATH...: runs every file under each PATH (a file or a directory,
// not recursive) through TARGET's check, as its fuzzer would, but without libFuzzer: CTest
// replays fuzz/regressions/ with it in every build, sanitizers or not.
//
// Prints each failing file with what went wrong; exit status 0 when every file passed, 1
// when one failed, 2 on a usage error or when there was nothing to replay.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "checks.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fputs("usage: jitbf_fuzz_replay passes|differential|dump PATH...\n", stderr);
        return 2;
    }
    const jitbf::fuzz::Check check = jitbf::fuzz::check_named(argv[1]);
    if (!check) {
        std::fprintf(stderr, "jitbf_fuzz_replay: no target named '%s'\n", argv[1]);
        return 2;
    }
    std::vector<fs::path> files;
    for (int i = 2; i < argc; ++i) {
        std::error_code ec;
        if (fs::is_directory(argv[i], ec)) {
            for (const auto& e : fs::directory_iterator(argv[i]))
                if (e.is_regular_file()) files.push_back(e.path());
        } else {
            files.emplace_back(argv[i]);
        }
    }
    if (files.empty()) {
        std::fputs("jitbf_fuzz_replay: no files to replay\n", stderr);
        return 2;
    }
    int failed = 0;
    for (const fs::path& f : files) {
        std::ifstream in(f, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "%s: cannot read\n", f.c_str());
            ++failed;
            continue;
        }
        in.seekg(0, std::ios::end);
        std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
        in.seekg(0);
        in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        const auto c =
            jitbf::fuzz::decode(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        if (std::string failure = check(c); !failure.empty()) {
            std::fprintf(stderr, "%s: %s\n", f.c_str(), failure.c_str());
            ++failed;
        }
    }
    std::printf("%zu files replayed through %s, %d failed\n", files.size(), argv[1], failed);
    return failed ? 1 : 0;
}
