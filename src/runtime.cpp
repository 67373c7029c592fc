// The tape mapping and buffered I/O shared by both backends.
#include "runtime.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>
#include <utility>

namespace jitbf {

// --- Tape -------------------------------------------------------------------------------

namespace {

// "16 GiB", "4 KiB", "1.5 MiB": for messages about sizes.
std::string show_bytes(std::size_t bytes) {
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    if (v == static_cast<double>(static_cast<std::uint64_t>(v)))
        std::snprintf(buf, sizeof buf, "%.0f %s", v, units[u]);
    else
        std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
    return buf;
}

// Why a tape could not be mapped, with the sizes that a user can change.
Error cannot_map(std::uint64_t cells, int cell_bits, std::size_t bytes, int err) {
    return {{},
            "cannot map a tape of " + std::to_string(cells) + " cells of " +
                std::to_string(cell_bits) + " bits (" + show_bytes(bytes) + " plus " +
                show_bytes(2 * kGuardBytes) + " of guard regions): " + std::strerror(err)};
}

}  // namespace

Result<Tape> Tape::create(std::uint64_t cells, int cell_bits) {
    if (cell_bits != 8 && cell_bits != 16 && cell_bits != 32)
        return Error{{}, "cell width must be 8, 16 or 32 bits"};
    if (cells == 0 || cells > kMaxTapeCells)
        return Error{{},
                     "tape size must be between 1 and " + std::to_string(kMaxTapeCells) + " cells"};
    const std::size_t size = static_cast<std::size_t>(cell_bits) / 8;
    const std::size_t bytes = static_cast<std::size_t>(rounded_cells(cells, cell_bits)) * size;
    const std::size_t total = kGuardBytes + bytes + kGuardBytes;

    // Reserve everything inaccessible, then open the cells. MAP_NORESERVE and lazy commit:
    // a page costs memory only once the program touches it.
    void* map = mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (map == MAP_FAILED) return cannot_map(cells, cell_bits, bytes, errno);
    auto* base = static_cast<std::uint8_t*>(map);
    if (mprotect(base + kGuardBytes, bytes, PROT_READ | PROT_WRITE) != 0) {
        int err = errno;
        munmap(map, total);
        return cannot_map(cells, cell_bits, bytes, err);
    }
    Tape t;
    t.map_ = base;
    t.map_bytes_ = total;
    t.data_ = base + kGuardBytes;
    t.cells_ = bytes / size;
    t.bits_ = cell_bits;
    return t;
}

std::uint64_t Tape::rounded_cells(std::uint64_t cells, int cell_bits) {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const std::size_t size = static_cast<std::size_t>(cell_bits) / 8;
    return (static_cast<std::size_t>(cells) * size + page - 1) / page * page / size;
}

Tape::Tape(Tape&& other) noexcept { *this = std::move(other); }

Tape& Tape::operator=(Tape&& other) noexcept {
    if (this != &other) {
        if (map_) munmap(map_, map_bytes_);
        map_ = std::exchange(other.map_, nullptr);
        map_bytes_ = std::exchange(other.map_bytes_, 0);
        data_ = std::exchange(other.data_, nullptr);
        cells_ = std::exchange(other.cells_, 0);
        bits_ = other.bits_;
    }
    return *this;
}

Tape::~Tape() {
    if (map_) munmap(map_, map_bytes_);
}

bool Tape::in_guard(const void* addr) const {
    auto* a = static_cast<const std::uint8_t*>(addr);
    return map_ && a >= map_ && a < map_ + map_bytes_ && (a < data_ || a >= data_ + bytes());
}

// --- Errors -----------------------------------------------------------------------------

Error runtime_error(const Program& prog, const RunResult& r, const Tape& tape) {
    SourcePos pos = r.op < prog.code.size() ? prog.code[r.op].pos : SourcePos{};
    switch (r.status) {
    // Where the pointer went is not the error (`<>` is nothing): the touch is, at `pos`.
    case RunStatus::LeftOfTape:
        return {pos, "cell " + std::to_string(r.cell) + " is off the tape (touched here)"};
    case RunStatus::RightOfTape:
        return {pos, "cell " + std::to_string(r.cell) + " is off the tape, which ends at cell " +
                         std::to_string(tape.cells() - 1) + " (touched here)"};
    case RunStatus::StepLimit: return {pos, "step limit reached"};
    case RunStatus::Timeout: return {pos, "time limit reached"};
    case RunStatus::Stopped: return {pos, "stopped on request"};
    case RunStatus::OutputClosed: return {pos, "output closed"};
    case RunStatus::NotStarted:
        if (r.error_number != 0)
            return {{}, std::string("cannot arm the timeout: ") + std::strerror(r.error_number)};
        return {{}, "the run could not start"};
    case RunStatus::Ok: break;
    }
    return {pos, "no error"};
}

}  // namespace jitbf
