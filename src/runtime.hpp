// What a running program touches: the tape, and how a run ends (the I/O objects are the
// public Input and Output of jitbf.hpp).
//
// Both backends use these same objects, so the interpreter and the JIT cannot differ in
// buffering, EOF handling or tape size. The tape is one mmap: PROT_NONE guard regions on
// both sides of the cells, so a cell touched off the tape faults (the JIT relies on that;
// the interpreter checks explicitly), and untouched cells cost no memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "ir.hpp"
#include "jitbf/jitbf.hpp"

namespace jitbf {

// Bytes of PROT_NONE on each side of the tape. A touch further than this from the last
// touched cell could skip over the guard, so such touches get an explicit Check op.
inline constexpr std::size_t kGuardBytes = std::size_t{1} << 28;
// How many cells beyond the cell it addresses the JIT may read at once (a scan's vector
// load: 32 bytes). A touch that could skip the guard gets an explicit check, and "could"
// counts this margin, so the widest access near a guard still lands inside it.
inline constexpr std::size_t kGuardMarginCells = 64;
// How many cells from a cell on the tape a touch may land and still hit the guard if it is
// off the tape: the guard less that margin. A touch no further needs no explicit check.
constexpr std::int64_t guard_reach_cells(int cell_bits) {
    return static_cast<std::int64_t>(kGuardBytes / static_cast<std::size_t>(cell_bits / 8) -
                                     kGuardMarginCells);
}

// Cells as they lie in memory: `cells` cells of `bits` bits from `cell0`. The one reader
// of a cell's value outside the backends (a Tape's, a dump's, the stepper's).
struct TapeView {
    const std::uint8_t* cell0;
    std::uint64_t cells;
    int bits;

    std::uint32_t cell(std::uint64_t i) const {
        if (bits == 8) return cell0[i];
        if (bits == 16) {
            std::uint16_t v;
            std::memcpy(&v, cell0 + 2 * i, 2);
            return v;
        }
        std::uint32_t v;
        std::memcpy(&v, cell0 + 4 * i, 4);
        return v;
    }
};

class Tape {
public:
    // At least `cells` cells of `cell_bits` bits, rounded up so the tape ends on a page
    // boundary (the guard then starts right after the last cell).
    static Result<Tape> create(std::uint64_t cells, int cell_bits);
    // How many cells create() gives for that many (8, 16 or 32-bit) cells.
    static std::uint64_t rounded_cells(std::uint64_t cells, int cell_bits);

    Tape() = default;
    Tape(Tape&& other) noexcept;
    Tape& operator=(Tape&& other) noexcept;
    Tape(const Tape&) = delete;
    Tape& operator=(const Tape&) = delete;
    ~Tape();

    std::uint8_t* data() const { return data_; }  // cell 0
    std::uint64_t cells() const { return cells_; }
    int cell_bits() const { return bits_; }
    std::size_t cell_bytes() const { return static_cast<std::size_t>(bits_) / 8; }
    std::size_t bytes() const { return static_cast<std::size_t>(cells_) * cell_bytes(); }
    TapeView view() const { return {data_, cells_, bits_}; }
    std::uint32_t cell(std::uint64_t i) const { return view().cell(i); }  // tests, --check
    // Is `addr` inside one of the two guard regions?
    bool in_guard(const void* addr) const;
    bool left_of_tape(const void* addr) const { return addr < data_; }
    // The whole mapping: left guard, cells, right guard (for --stats).
    const std::uint8_t* mapping() const { return map_; }
    std::size_t mapping_bytes() const { return map_bytes_; }

private:
    std::uint8_t* map_ = nullptr;  // start of the whole mapping (left guard)
    std::size_t map_bytes_ = 0;
    std::uint8_t* data_ = nullptr;
    std::uint64_t cells_ = 0;
    int bits_ = 8;
};

struct RunResult {
    RunStatus status = RunStatus::Ok;
    std::size_t op = 0;     // index of the IR op that stopped the run, if it is an error
    std::int64_t cell = 0;  // LeftOfTape, RightOfTape: the cell touched off the tape
    int error_number = 0;   // NotStarted: the errno of the timeout's timer
    // The cell the pointer was at when the run ended: at its end if Ok, else at the op that
    // stopped it (whose own offset is not added: the pointer as the optimized code had it).
    std::int64_t pointer = 0;
};

// The user-facing error for a failed run, positioned at the op that caused it.
Error runtime_error(const Program& prog, const RunResult& r, const Tape& tape);

}  // namespace jitbf
