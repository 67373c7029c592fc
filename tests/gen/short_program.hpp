// Short random programs over all eight commands with balanced brackets: many small programs
// of every shape, for tests that want breadth rather than the patterns the passes rewrite
// (random_program.hpp makes those). The same generator and seed give the same programs.
#pragma once

#include <cstddef>
#include <random>
#include <string>

namespace jitbf::gen {

// Up to `max_length` commands, then the `]`s that close what is still open.
inline std::string short_random_program(std::mt19937& rng, int max_length) {
    static const std::string alphabet = "+-<>[].,>>++";
    std::string source;
    int depth = 0;
    const int length = static_cast<int>(rng() % static_cast<unsigned>(max_length)) + 1;
    for (int i = 0; i < length; ++i) {
        char c = alphabet[rng() % alphabet.size()];
        if (c == ']' && depth == 0) c = '[';
        depth += c == '[' ? 1 : c == ']' ? -1 : 0;
        source += c;
    }
    source.append(static_cast<std::size_t>(depth), ']');
    return source;
}

}  // namespace jitbf::gen
