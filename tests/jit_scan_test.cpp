// The JIT's scans at every SIMD level the CPU has (chosen with Options::simd), every cell width
// and the strides that exercise the vector code's cases (dividing the vector width or not,
// wider than a vector), from every alignment: where they stop, and where they fault, must be
// what the interpreter and a one-line model of the scan say.
//
// Tapes are prepared directly (no ops to fill them), once per start, and each case only
// places a zero and takes it back, so hundreds of thousands of scans stay fast. A prepared
// tape either has every cell non-zero, or is "decoyed": every cell the scan does not test is
// zero, so a scan that looks at one cell too many, in any lane, stops in the wrong place.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "jit_test_util.hpp"
#include "interp.hpp"
#include "jit/jit.hpp"
#include "sample.hpp"

namespace jit_scan_test {

using namespace jitbf;
using namespace jitbf::jit_test;

namespace {

std::vector<SimdLevel> levels() {
    std::vector<SimdLevel> out;
    for (SimdLevel l : {SimdLevel::Scalar, SimdLevel::Sse2, SimdLevel::Avx2})
        if (l <= cpu_simd_level()) out.push_back(l);
    return out;
}

const std::int64_t kStrides[] = {1,  2,  3,  4,   5,   6,   7,   8,   9,   15, 16,
                                 17, 31, 32, 33,  64,  -1,  -2,  -3,  -4,  -5, -6,
                                 -7, -8, -9, -15, -16, -17, -31, -32, -33, -64};

// Non-zero fillers; at 16 and 32 bits some have a zero low byte or zero low half, which a
// scan comparing the wrong width would take for zero.
std::uint32_t filler(std::int64_t i, int bits) {
    static const std::uint32_t kValues[] = {1,    0x100, 0x10000, 0x1000000,  0xff00ff00,
                                            0x7f, 0xff,  0x8000,  0x80000000, 0x12345678};
    const std::uint32_t mask = bits == 32 ? 0xffffffffu : (1u << bits) - 1;
    const std::uint32_t v = kValues[static_cast<std::size_t>(i) % std::size(kValues)] & mask;
    return v != 0 ? v : 1;
}

constexpr std::uint32_t kMarker = 0x5a;  // what the program writes where the scan stopped

// What comes right before the scan: nothing, or an op that leaves the flags of its first
// cell, which the scan then tests without loading it again: `add [p+off] 1`, or a check
// loading it (`add [p+off-d] 1; check [p+off]`, d the stride's direction: the cell touched
// first lets the check be a load, the guard within reach); or an op that leaves the flags
// of another cell (`add [p+off-d] 1`). (One add: two of a cell would make a region, whose
// flags the scan does not see.) The model counts the adds; the rig takes them back.
enum class Lead { None, Flags, Check, Other };

// One scan, compiled for the JIT at a level and for the interpreter, with a tape for each
// prepared alike and a model of the cells: `out "x"; p = a - off; [lead;] scan [p+off]
// stride; cell[off] = marker`.
class Rig {
public:
    Rig(SimdLevel level, int bits, std::uint64_t cells, std::int64_t a, std::int64_t stride,
        std::int32_t off, Lead lead = Lead::None)
        : a_(a), stride_(stride) {
        opts_ = small(bits);
        opts_.simd = level;
        opts_.tape_cells = cells;
        std::vector<Instr> code = {instr(Op::OutStr),
                                   instr(Op::Move, 0, static_cast<std::int32_t>(a - off))};
        const std::int32_t d = stride > 0 ? 1 : -1;
        auto touch = [&](Op op, std::int32_t at, std::int32_t add) {
            touches_.push_back({code.size(), a - off + at, static_cast<std::uint32_t>(add)});
            code.push_back(instr(op, at, add));
        };
        if (lead == Lead::Flags) {
            touch(Op::Add, off, 1);
        } else if (lead == Lead::Check || lead == Lead::Other) {
            touch(Op::Add, off - d, 1);
            if (lead == Lead::Check) touch(Op::Check, off, 0);
        }
        scan_op_ = code.size();
        code.push_back(instr(Op::Scan, off, static_cast<std::int32_t>(stride)));
        code.push_back(instr(Op::Set, off, kMarker));
        prog_ = ir(code, {"x"});
        auto jp = JitProgram::compile(prog_, opts_);
        REQUIRE(jp);
        jit_.emplace(std::move(*jp));
        interp_.emplace(prog_, opts_);
        // Mapping tapes costs more than a scan: every rig of a size shares two.
        static std::map<std::pair<int, std::uint64_t>, std::pair<Tape, Tape>> shared;
        auto it = shared.find({bits, cells});
        if (it == shared.end()) {
            auto t1 = Tape::create(cells, bits);
            auto t2 = Tape::create(cells, bits);
            REQUIRE(t1);
            REQUIRE(t2);
            it = shared.emplace(std::pair{bits, cells}, std::pair{std::move(*t1), std::move(*t2)})
                     .first;
        }
        jit_tape_ = &it->second.first;
        interp_tape_ = &it->second.second;
        n_ = static_cast<std::int64_t>(jit_tape_->cells());
        image_.assign(jit_tape_->bytes(), 0);
    }

    // Every cell non-zero, or (decoyed) only the cells the scan tests.
    void prepare(bool decoyed) {
        if (decoyed) {
            std::fill(image_.begin(), image_.end(), std::uint8_t{0});
            const std::int64_t step = stride_ < 0 ? -stride_ : stride_;
            for (std::int64_t i = (a_ % step + step) % step; i < n_; i += step)
                store(image_.data(), i, filler(i, opts_.cell_bits));
        } else {
            // The same for every scan on a tape of this size: made once.
            static std::map<std::pair<int, std::int64_t>, std::vector<std::uint8_t>> plain;
            std::vector<std::uint8_t>& image = plain[{opts_.cell_bits, n_}];
            if (image.empty()) {
                image.resize(image_.size());
                for (std::int64_t i = 0; i < n_; ++i)
                    store(image.data(), i, filler(i, opts_.cell_bits));
            }
            image_ = image;
        }
        std::memcpy(jit_tape_->data(), image_.data(), image_.size());
        std::memcpy(interp_tape_->data(), image_.data(), image_.size());
    }

    // Makes cell i zero for the next run only.
    void place_zero(std::int64_t i) {
        placed_.emplace_back(i, load(image_.data(), i));
        set(i, 0);
    }

    // Runs both backends and checks them against each other and against the model; returns
    // a description of what went wrong, or an empty string. Puts the tapes back as prepared,
    // without the zeros placed for this run.
    std::string run_and_check() {
        // The model: the first cell the lead touches off the tape, else the first tested
        // cell that is zero, or the first one off the tape.
        RunStatus want = RunStatus::Ok;
        std::int64_t stop = a_;
        std::size_t op = scan_op_;
        auto off_tape = [&](std::int64_t i) { return i < 0 || i >= n_; };
        for (const Touch& t : touches_) {
            if (off_tape(t.cell)) {
                op = t.op;
                stop = t.cell;
                break;
            }
        }
        const std::uint32_t mask = opts_.cell_bits == 32 ? ~0u : (1u << opts_.cell_bits) - 1;
        auto value = [&](std::int64_t i) {  // after the lead's adds
            std::uint32_t v = load(image_.data(), i);
            for (const Touch& t : touches_)
                if (t.cell == i) v += t.add;
            return v & mask;
        };
        for (; op == scan_op_; stop += stride_) {
            if (off_tape(stop)) break;
            if (value(stop) == 0) break;
        }
        if (off_tape(stop)) want = stop < 0 ? RunStatus::LeftOfTape : RunStatus::RightOfTape;
        std::string jit_out, interp_out;
        auto in1 = Input::none(), in2 = Input::none();
        auto out1 = Output::memory(&jit_out), out2 = Output::memory(&interp_out);
        const RunResult got = jit_->run(*jit_tape_, in1, out1);
        const RunResult ref = interp_->run(*interp_tape_, in2, out2);

        std::ostringstream err;
        if (ref.status != want || got.status != want)
            err << "status jit " << static_cast<int>(got.status) << " interp "
                << static_cast<int>(ref.status) << " model " << static_cast<int>(want) << "; ";
        if (want != RunStatus::Ok && (got.op != op || ref.op != op))
            err << "op jit " << got.op << " interp " << ref.op << " model " << op << "; ";
        if (want != RunStatus::Ok && (got.cell != stop || ref.cell != stop))
            err << "off-tape cell jit " << got.cell << " interp " << ref.cell << " model " << stop
                << "; ";
        if (jit_out != "x" || interp_out != "x") err << "output not flushed; ";
        const std::size_t bytes = jit_tape_->bytes();
        if (std::memcmp(jit_tape_->data(), interp_tape_->data(), bytes) != 0)
            err << "tapes differ; ";
        if (want == RunStatus::Ok) {
            if (jit_tape_->cell(static_cast<std::uint64_t>(stop)) != kMarker)
                err << "jit did not stop at cell " << stop << "; ";
            if (interp_tape_->cell(static_cast<std::uint64_t>(stop)) != kMarker)
                err << "interp did not stop at cell " << stop << "; ";
        }
        const std::string e = err.str();
        if (!e.empty()) {
            // Whatever was written, the next case starts from the prepared tape.
            std::memcpy(jit_tape_->data(), image_.data(), image_.size());
            std::memcpy(interp_tape_->data(), image_.data(), image_.size());
        } else {
            // The cells the lead added to, and the marker, back as prepared.
            for (const Touch& t : touches_)
                if (!off_tape(t.cell)) set(t.cell, load(image_.data(), t.cell));
            if (want == RunStatus::Ok) set(stop, load(image_.data(), stop));
        }
        for (const auto& [i, v] : placed_) set(i, v);
        placed_.clear();
        return e;
    }

private:
    void set(std::int64_t i, std::uint32_t v) {
        store(image_.data(), i, v);
        store(jit_tape_->data(), i, v);
        store(interp_tape_->data(), i, v);
    }
    void store(std::uint8_t* cells, std::int64_t i, std::uint32_t v) const {
        const auto w = static_cast<std::size_t>(opts_.cell_bits / 8);
        std::memcpy(cells + static_cast<std::size_t>(i) * w, &v, w);  // little-endian
    }
    std::uint32_t load(const std::uint8_t* cells, std::int64_t i) const {
        const auto w = static_cast<std::size_t>(opts_.cell_bits / 8);
        std::uint32_t v = 0;
        std::memcpy(&v, cells + static_cast<std::size_t>(i) * w, w);
        return v;
    }

    Options opts_;
    Program prog_;
    std::optional<JitProgram> jit_;
    std::optional<Interpreter> interp_;
    Tape* jit_tape_;
    Tape* interp_tape_;
    std::vector<std::uint8_t> image_;  // the prepared tape, with the zeros placed
    std::vector<std::pair<std::int64_t, std::uint32_t>> placed_;  // to take back, and values
    std::int64_t n_ = 0;
    std::int64_t a_;
    std::int64_t stride_;
    std::size_t scan_op_ = 0;
    struct Touch {
        std::size_t op;
        std::int64_t cell;
        std::uint32_t add;
    };
    std::vector<Touch> touches_;  // the lead's, in order
};

// Collects failures with what led to them; doctest gets one check per group of cases.
class Failures {
public:
    void add(const std::string& what, const std::string& context) {
        if (what.empty()) return;
        ++count_;
        if (count_ <= 20) text_ += context + ": " + what + "\n";
    }
    bool none() const { return count_ == 0; }
    std::string report() const { return std::to_string(count_) + " failures\n" + text_; }

private:
    std::size_t count_ = 0;
    std::string text_;
};

std::string where(SimdLevel level, int bits, std::int64_t stride, std::int64_t a,
                  std::int64_t zero_at, bool decoyed) {
    std::ostringstream s;
    s << simd_level_name(level) << " bits " << bits << " stride " << stride << " from " << a
      << " zero at " << zero_at << (decoyed ? " decoyed" : "");
    return s.str();
}

// Steps to the zero: every count up to twice the vector width (every lane and phase), and a
// few long runs.
std::vector<std::int64_t> distances() {
    std::vector<std::int64_t> d;
    for (std::int64_t i = 0; i <= 40; ++i) d.push_back(i);
    for (std::int64_t i : {63, 64, 65, 66, 100, 129}) d.push_back(i);
    return d;
}

// Scans from every alignment within 64 bytes, well inside a tape of 16384 cells, to a zero
// each of distances() steps away.
void check_stops(SimdLevel level, int bits, std::int32_t off, Failures& failures) {
    const std::int64_t per64 = 64 / (bits / 8);
    const std::vector<std::int64_t> steps = distances();
    for (std::int64_t stride : kStrides) {
        for (std::int64_t j = 0; j < per64; ++j) {
            const std::int64_t a = stride > 0 ? 256 + j : 16384 - 257 - j;
            Rig rig(level, bits, 16384, a, stride, off);
            for (bool decoyed : {true, false}) {
                rig.prepare(decoyed);
                for (std::int64_t k : steps) {
                    if (!decoyed && k > 3 && k % 8 != 1) continue;  // fewer without decoys
                    const std::int64_t zero_at = a + k * stride;
                    rig.place_zero(zero_at);
                    failures.add(rig.run_and_check(),
                                 where(level, bits, stride, a, zero_at, decoyed));
                }
            }
        }
    }
}

// Scans towards an end of tapes of two sizes, from within 48 cells of it, from the other
// end and from just off the tape: with no zero ahead they fault there; with a zero on one
// of the last tested cells before the guard (the cells the vector code leaves to the scalar
// loop, or finds in its last vectors) they stop there.
void check_edges(SimdLevel level, int bits, Failures& failures) {
    for (std::uint64_t cells : {4096u, 4097u}) {
        const auto n = static_cast<std::int64_t>(Tape::create(cells, bits)->cells());
        std::vector<std::int64_t> from_end;  // distances of the start from the end it scans to
        for (std::int64_t j = 0; j < 48; ++j) from_end.push_back(j);
        for (std::int64_t j : {n - 1, n - 2, n - 3, n - 4, std::int64_t{-1}, std::int64_t{-4}})
            from_end.push_back(j);
        for (std::int64_t stride : kStrides) {
            for (std::int64_t j : from_end) {
                const std::int64_t a = stride > 0 ? n - 1 - j : j;
                Rig rig(level, bits, cells, a, stride, 0);
                for (bool decoyed : {true, false}) {
                    rig.prepare(decoyed);
                    failures.add(rig.run_and_check(), where(level, bits, stride, a, -1, decoyed));
                    if (a < 0 || a >= n) continue;
                    std::int64_t last = a;  // the last cell the scan tests on the tape
                    while (last + stride >= 0 && last + stride < n) last += stride;
                    // The last 40 tested cells (all of them from a near start, every fourth
                    // without decoys).
                    for (std::int64_t k = 0; k < 40; k += decoyed ? 1 : 4) {
                        const std::int64_t zero_at = last - k * stride;
                        if (stride > 0 ? zero_at < a : zero_at > a) break;
                        rig.place_zero(zero_at);
                        failures.add(rig.run_and_check(),
                                     where(level, bits, stride, a, zero_at, decoyed));
                    }
                }
            }
        }
    }
}

// The cells a scan tests before its vector loop, through the chunks whose zero is found by
// branches (11 cells a vector at most, 2 chunks of 4 vectors, after 3 scalar steps and a first
// vector: 3 + 11 * 9 = 102 steps), and well into the loop.
constexpr std::int64_t kNearSteps = 160;

// Scans to a zero every step from 0 to kNearSteps away, from a few alignments (unaligned
// strides test the same cells from any alignment; aligned ones are covered by check_stops).
void check_near_stops(SimdLevel level, int bits, Failures& failures) {
    for (std::int64_t stride : kStrides) {
        for (std::int64_t j : {0, 1, 5, 31}) {
            const std::int64_t a = stride > 0 ? 256 + j : 16384 - 257 - j;
            Rig rig(level, bits, 16384, a, stride, 0);
            rig.prepare(true);
            for (std::int64_t k = 0; k <= kNearSteps; ++k) {
                const std::int64_t zero_at = a + k * stride;
                rig.place_zero(zero_at);
                failures.add(rig.run_and_check(), where(level, bits, stride, a, zero_at, true));
            }
        }
    }
}

// Scans to a zero every step from kNearSteps to kFarSteps away: the loop tests a chunk of
// vectors with one mask, then finds the vector with the zero (every vector of several
// chunks, at the widest: 3 + 32 + 2 * 128 steps of stride 1 in bytes).
constexpr std::int64_t kFarSteps = 300;

void check_far_stops(SimdLevel level, int bits, Failures& failures) {
    for (std::int64_t stride : kStrides) {
        const std::int64_t a = stride > 0 ? 64 : 16384 - 64;
        Rig rig(level, bits, 16384, a, stride, 0);
        rig.prepare(true);
        for (std::int64_t k = kNearSteps; k <= kFarSteps; ++k) {
            const std::int64_t zero_at = a + k * stride;
            if (zero_at < 0 || zero_at >= 16384) break;
            rig.place_zero(zero_at);
            failures.add(rig.run_and_check(), where(level, bits, stride, a, zero_at, true));
        }
    }
}

// Scans that start 48 to kNearSteps tested cells from an end of the tape, so that the end falls
// in each of the vectors before the loop: with no zero ahead they fault there, with a zero on
// one of the last cells before the guard they stop there.
void check_near_edges(SimdLevel level, int bits, Failures& failures) {
    const std::uint64_t cells = 4096;
    const auto n = static_cast<std::int64_t>(Tape::create(cells, bits)->cells());
    for (std::int64_t stride : kStrides) {
        const std::int64_t step = stride < 0 ? -stride : stride;
        for (std::int64_t j = 48; j <= kNearSteps; ++j) {
            // j tested cells from the last one on the tape, from a few phases of the stride.
            for (std::int64_t phase : {std::int64_t{0}, step - 1}) {
                const std::int64_t a = stride > 0 ? n - 1 - j * step - phase : j * step + phase;
                if (a < 0 || a >= n) continue;
                Rig rig(level, bits, cells, a, stride, 0);
                rig.prepare(true);
                failures.add(rig.run_and_check(), where(level, bits, stride, a, -1, true));
                std::int64_t last = a;  // the last cell the scan tests on the tape
                while (last + stride >= 0 && last + stride < n) last += stride;
                for (std::int64_t k : {0, 1, 2, 5}) {
                    const std::int64_t zero_at = last - k * stride;
                    rig.place_zero(zero_at);
                    failures.add(rig.run_and_check(), where(level, bits, stride, a, zero_at, true));
                }
            }
        }
    }
}

// Scans of a cell away from the pointer, up to one whose byte offset needs more than 32 bits.
void check_offsets(SimdLevel level, int bits, Failures& failures) {
    for (std::int32_t off : {3, -70000, 1 << 30}) {
        for (std::int64_t stride : {1, -1, 5, -9, 16, 33, -64}) {
            for (std::int64_t j = 0; j < 32 / (bits / 8); ++j) {
                const std::int64_t a = stride > 0 ? 256 + j : 4096 - 257 - j;
                Rig rig(level, bits, 4096, a, stride, off);
                rig.prepare(true);
                for (std::int64_t k = 0; k <= 40; ++k) {
                    const std::int64_t zero_at = a + k * stride;
                    if (zero_at < 0 || zero_at >= 4096) break;
                    rig.place_zero(zero_at);
                    failures.add(rig.run_and_check(), where(level, bits, stride, a, zero_at, true) +
                                                          " off " + std::to_string(off));
                }
                rig.prepare(true);
                failures.add(rig.run_and_check(), where(level, bits, stride, a, -1, true) +
                                                      " off " + std::to_string(off));
            }
        }
    }
}

// Scans right after ops that leave the flags of their first cell (Lead), which the scan
// tests without a load of its own, or of another cell: to a zero 0 to 40 steps away from a
// few alignments, and towards an end of the tape from within 8 cells of it and from off it,
// the lead's touches faulting first there.
void check_leads(SimdLevel level, int bits, Failures& failures) {
    const std::uint64_t cells = 4096;
    const auto n = static_cast<std::int64_t>(Tape::create(cells, bits)->cells());
    for (Lead lead : {Lead::Flags, Lead::Check, Lead::Other}) {
        const std::string name = lead == Lead::Flags   ? " after an add"
                                 : lead == Lead::Check ? " after a check"
                                                       : " after another cell's add";
        for (std::int64_t stride : kStrides) {
            for (std::int64_t j : {0, 1, 5, 31}) {
                const std::int64_t a = stride > 0 ? 256 + j : n - 257 - j;
                Rig rig(level, bits, cells, a, stride, 0, lead);
                rig.prepare(true);
                for (std::int64_t k = 0; k <= 40; ++k) {
                    const std::int64_t zero_at = a + k * stride;
                    rig.place_zero(zero_at);
                    failures.add(rig.run_and_check(),
                                 where(level, bits, stride, a, zero_at, true) + name);
                }
            }
            for (std::int64_t j : {0, 1, 2, 3, 5, 8, -1, -4}) {
                const std::int64_t a = stride > 0 ? n - 1 - j : j;
                Rig rig(level, bits, cells, a, stride, 0, lead);
                rig.prepare(true);
                failures.add(rig.run_and_check(), where(level, bits, stride, a, -1, true) + name);
                for (std::int64_t zero_at = a; zero_at >= 0 && zero_at < n; zero_at += stride) {
                    rig.place_zero(zero_at);
                    failures.add(rig.run_and_check(),
                                 where(level, bits, stride, a, zero_at, true) + name);
                }
            }
        }
    }
}

}  // namespace

namespace {

// One check of every scan case at each SIMD level and cell width, failures listed together.
// Sampled (sample.hpp), width w runs at level w mod (the levels this CPU has) only: every
// level and every width still run every case, only not every pair of them.
void at_every_level_and_width(void (*check)(SimdLevel, int, Failures&)) {
    const std::vector<SimdLevel> all = levels();
    const bool sampled = test_sample::every() > 1;
    std::size_t left_out = 0, w = 0;
    for (int bits : kWidths) {
        for (std::size_t l = 0; l < all.size(); ++l) {
            if (sampled && w % all.size() != l) {
                ++left_out;
                continue;
            }
            Failures failures;
            check(all[l], bits, failures);
            CHECK_MESSAGE(failures.none(), failures.report());
        }
        ++w;
    }
    test_sample::report("scans at every level and width", left_out,
                        all.size() * std::size(kWidths));
}

}  // namespace

TEST_CASE("the SIMD level is the lower of the option and the CPU's") {
    const Program prog = ir({instr(Op::Scan, 0, 1)});
    auto size_at = [&](SimdLevel level) {
        Options opts = small();
        opts.simd = level;
        auto jp = JitProgram::compile(prog, opts);
        REQUIRE(jp);
        return jp->code_size();
    };
    // The default is the widest level, lowered to the CPU's: the same code as asking for it.
    CHECK(Options{}.simd == SimdLevel::Avx2);
    CHECK(size_at(Options{}.simd) == size_at(cpu_simd_level()));
    CHECK(size_at(SimdLevel::Scalar) != size_at(cpu_simd_level()));
}

TEST_CASE("every SIMD level compiles scans to different code") {
    const Program prog = ir({instr(Op::Scan, 0, 1), instr(Op::Scan, 0, -3)});
    std::vector<std::size_t> sizes;
    for (SimdLevel level : levels()) {
        Options opts = small();
        opts.simd = level;
        auto jp = JitProgram::compile(prog, opts);
        REQUIRE(jp);
        for (std::size_t s : sizes) CHECK(jp->code_size() != s);
        sizes.push_back(jp->code_size());
    }
}

namespace {

std::size_t code_size_of(const std::vector<Instr>& code) {
    auto jp = JitProgram::compile(ir(code), small());
    REQUIRE(jp);
    return jp->code_size();
}

}  // namespace

TEST_CASE("a scan right after an op that tested its cell does not load the cell again") {
    // The same ops in two orders: a Set between the Add and the scan leaves the flags of no
    // cell, so there the scan must compare its cell itself.
    const auto add = instr(Op::Add, 1, 1), set = instr(Op::Set, 0, 1), scan = instr(Op::Scan, 1, 2);
    CHECK(code_size_of({set, add, scan}) < code_size_of({add, set, scan}));
    // A check that loads the cell (its neighbour is on the tape: the guard catches it) costs
    // the scan its own load: together they are as long as the scan alone.
    CHECK(code_size_of({set, instr(Op::Check, 1), scan}) == code_size_of({set, scan}));
}

TEST_CASE("the first cells a scan tests one by one each end it with a single jump") {
    // scan [p] step 2 at 8 bits, vectors after the first cells: its code starts with
    // cmp byte [rbx], 0; je done (80 3b 00 0f 84 rel32), then each of the first cells is
    // lea rbx, [rbx+2]; cmp byte [rbx], 0; je done (48 8d 5b 02 80 3b 00 0f 84 rel32): the pointer
    // is where the scan stopped when the jump is taken, so no second jump adjusts it.
    for (SimdLevel level : levels()) {
        if (level == SimdLevel::Scalar) continue;
        Options opts = small();
        opts.simd = level;
        auto jp = JitProgram::compile(ir({instr(Op::Scan, 0, 2)}), opts);
        REQUIRE(jp);
        const std::vector<std::uint8_t> code(jp->code().begin(), jp->code().end());
        auto matches = [&](std::size_t at, std::initializer_list<std::uint8_t> bytes) {
            return at + bytes.size() <= code.size() &&
                   std::equal(bytes.begin(), bytes.end(), code.begin() + static_cast<long>(at));
        };
        auto target = [&](std::size_t je_at) {  // of the je rel32 at je_at
            std::int32_t rel = 0;
            std::memcpy(&rel, code.data() + je_at + 2, 4);
            return static_cast<std::int64_t>(je_at) + 6 + rel;
        };
        std::optional<std::int64_t> done;
        int steps = 0;
        for (std::size_t i = 0; i < code.size(); ++i) {
            if (!done && matches(i, {0x80, 0x3b, 0x00, 0x0f, 0x84})) done = target(i + 3);
            if (done && matches(i, {0x48, 0x8d, 0x5b, 0x02, 0x80, 0x3b, 0x00, 0x0f, 0x84})) {
                CHECK(target(i + 7) == *done);
                ++steps;
            }
        }
        CAPTURE(simd_level_name(level));
        REQUIRE(done);
        CHECK(steps == 3);
    }
}

TEST_CASE("scans stop at the first zero they test, from every alignment, at every level") {
    at_every_level_and_width([](SimdLevel level, int bits, Failures& failures) {
        check_stops(level, bits, 0, failures);
    });
}

TEST_CASE("scans towards an end of the tape fault there or stop just before it, at every level") {
    at_every_level_and_width(check_edges);
}

TEST_CASE("scans stop at every cell up to and past the vectors resolved by branches") {
    at_every_level_and_width(check_near_stops);
}

TEST_CASE("long scans stop at every cell of their loop's chunks, at every level") {
    at_every_level_and_width(check_far_stops);
}

TEST_CASE("scans whose tape ends within their first chunks fault there or stop just before") {
    at_every_level_and_width(check_near_edges);
}

TEST_CASE("scans right after a test of their cell or another stop and fault as the interpreter") {
    at_every_level_and_width(check_leads);
}

TEST_CASE("scans of a cell up to 2^30 cells from the pointer stop and fault as the interpreter") {
    at_every_level_and_width(check_offsets);
}

}  // namespace jit_scan_test
