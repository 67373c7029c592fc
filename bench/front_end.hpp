// The front end the benchmarks share (parse + passes), so that compiling for a backend
// (Executable::compile) and running can be timed apart from it.
#pragma once

#include <string_view>

#include "engine.hpp"
#include "parse.hpp"
#include "passes/passes.hpp"

namespace jitbf::bench {

// The programs benchmarked are known to parse.
inline Program front_end(std::string_view source, const Options& opts) {
    auto parsed = parse(source);
    return optimize(std::move(*parsed), opts);
}

}  // namespace jitbf::bench
