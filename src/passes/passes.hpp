// The optimization pipeline: a flat list of passes, each IR in, IR out.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "ir.hpp"
#include "jitbf/jitbf.hpp"

namespace jitbf {

// Each pass lives in src/passes/<name>.cpp and keeps every invariant verify() checks.
// Loop lowering (-O1): clear loops to Set 0, move-only loops to Scan, multiplication
// loops to MulAdd inside an If.
Program lower_clear_loops(Program prog, const Options& opts);
Program lower_scan_loops(Program prog, const Options& opts);
Program lower_mul_loops(Program prog, const Options& opts);
// Pointer moves become offsets on the ops (-O1).
Program defer_moves(Program prog, const Options& opts);
// The zero test `[>-]>[- ... >]` whose pointer only looks data-dependent becomes two ifs
// that keep it put, where what the cells hold is proven to allow it (-O2).
Program static_zero_tests(Program prog, const Options& opts);
// Small fixed-stride loops run their first iteration apart, so later iterations can drop
// the guards of their multiplication ifs (-O2).
Program peel_loops(Program prog, const Options& opts);
// Known cell values (-O2): loops that never run go, then constants fold into adds, loop
// tests and output.
Program remove_dead_loops(Program prog, const Options& opts);
Program propagate_constants(Program prog, const Options& opts);
// A small walk whose first op continues the add before the loop (`+[>-]`) runs its first
// iteration apart, so the JIT can keep that cell's value in a register across (-O2).
Program peel_walks(Program prog, const Options& opts);
// Safety, at every level and last.
Program check_far_touches(Program prog, const Options& opts);

// Called after every pass with the pass's name and its output (for --dump-ir=all).
using PassObserver = std::function<void(std::string_view pass, const Program& prog)>;

// Runs the passes `opts.opt_level` selects, then the safety passes every level needs.
// With opts.verify_each_pass, and always in builds without NDEBUG (debug, asan), verify()
// runs after each pass; a failure is an internal bug, reported on stderr with the pass's
// name, and aborts.
Program optimize(Program prog, const Options& opts, const PassObserver& observe = {});

}  // namespace jitbf
