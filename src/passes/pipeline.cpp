// The pass pipeline, listed once. Each entry is IR in, IR out; the order is the design.
#include <cstdio>
#include <cstdlib>

#include "passes/passes.hpp"

namespace jitbf {

namespace {

// Builds with assertions (debug, asan) verify the IR after every pass whatever the options
// say, so every test run there checks each pass's output.
#ifdef NDEBUG
constexpr bool kVerifyEveryPass = false;
#else
constexpr bool kVerifyEveryPass = true;
#endif

struct Pass {
    const char* name;
    int min_level;  // runs at this -O level and above
    Program (*run)(Program, const Options&);
};

constexpr Pass kPipeline[] = {
    // Loops first, on the source's own shape: clear loops before multiplication loops,
    // whose bodies may hold a cleared cell. Then moves become offsets.
    {"lower_clear_loops", 1, lower_clear_loops},
    {"lower_scan_loops", 1, lower_scan_loops},
    {"lower_mul_loops", 1, lower_mul_loops},
    {"defer_moves", 1, defer_moves},
    {"static_zero_tests", 2, static_zero_tests},
    {"peel_loops", 2, peel_loops},
    // Then what is known about cell values, on the compact form.
    {"remove_dead_loops", 2, remove_dead_loops},
    {"propagate_constants", 2, propagate_constants},
    // Then a copy for the backends' sake, of what is left unknown.
    {"peel_walks", 2, peel_walks},
    // Safety, at every level: must stay last.
    {"check_far_touches", 0, check_far_touches},
};

}  // namespace

Program optimize(Program prog, const Options& opts, const PassObserver& observe) {
    if (observe) observe("parse", prog);
    for (const Pass& pass : kPipeline) {
        if (opts.opt_level < pass.min_level) continue;
        const bool standalone = prog.standalone;  // passes build new Programs
        prog = pass.run(std::move(prog), opts);
        prog.standalone = standalone;
        if (kVerifyEveryPass || opts.verify_each_pass) {
            if (std::string err = verify(prog); !err.empty()) {
                std::fprintf(stderr, "jitbf: internal error: pass %s broke the IR: %s\n", pass.name,
                             err.c_str());
                std::abort();
            }
        }
        if (observe) observe(pass.name, prog);
    }
    return prog;
}

}  // namespace jitbf
