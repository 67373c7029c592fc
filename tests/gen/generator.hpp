// The random program generator's one class, shared by its two files: random_program.cpp
// (the driver, the pointer and cell bookkeeping, and the straight-line statements) and
// loop_shapes.cpp (every statement that opens a loop). Internal to jitbf_testgen: tests use
// random_program.hpp.
//
// Programs are a sequence of statements, each a small Brainfuck shape. The generator
// follows the pointer (absolutely from cell 0 while it can: moves stay in a window, which
// a program's plan may push past either end of the tape) and, through CellModel, roughly
// what each cell holds, to choose loop steps that end. Loop bodies work on one side of
// their counter, so they never touch it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cell_model.hpp"
#include "jitbf/jitbf.hpp"
#include "rng.hpp"

namespace jitbf::gen::detail {

inline constexpr std::int64_t kPageBytes = 4096;  // what the tape rounds up to, on x86-64 Linux
inline constexpr int kMaxDepth = 3;

class Generator {
public:
    Generator(Rng& rng, const Options& opts);
    std::string program();

private:
    bool careful() const { return model_.careful(); }
    // A step that ends a loop over `c` quickly, mostly +-1; none if no step does.
    std::optional<std::int64_t> choose_step(const Val& c);

    // --- Cells and the pointer (random_program.cpp) ---------------------------------------
    Val here() { return pos_ ? model_.cell(*pos_) : model_.unknown_cell(); }
    void set_here(Val v);
    void lose_position();
    void emit_run(char up, char down, std::int64_t n);
    void move_to(std::int64_t target);
    void move_by(std::int64_t d);
    void add(std::int64_t n);
    void emit_step(std::int64_t step);

    // --- Straight-line statements (random_program.cpp) ------------------------------------
    // Each returns false when it does not fit here, and the caller draws another.
    void statement();
    bool add_run();
    bool move();
    bool output();
    bool input();
    bool clear();
    bool hang();
    bool comment();

    // --- Statements that open loops (loop_shapes.cpp) -------------------------------------
    bool mul_loop();
    bool scan();
    bool counted_loop() { return body_loop(false); }
    bool once_loop() { return body_loop(true); }
    bool body_loop(bool once);
    bool stay();
    bool if_else();
    bool dead_loop();
    bool cat_loop();
    bool walk();

    struct Saved {
        std::optional<std::int64_t> pos;
        bool absolute;
        std::int64_t lo, hi;
        int dir;
        Val dflt;
    };
    Saved enter_body();
    void leave_body(const Saved& s, std::int64_t counter);

    Rng& rng_;
    EofMode eof_;
    std::int64_t cells_ = 0;  // the tape's real size, rounded up to pages
    std::string out_;
    std::optional<std::int64_t> pos_ = 0;  // pointer: absolute, or relative to a loop's cell
    bool absolute_ = true;
    CellModel model_;
    std::int64_t lo_ = 0, hi_ = 16;  // where moves go
    int depth_ = 0;
    int dir_ = 1;  // the side of its counter a loop body works on
    int big_runs_ = 1;
};

}  // namespace jitbf::gen::detail
