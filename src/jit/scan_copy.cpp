// Copies of guarded scans (emit_scan.cpp emits them): the first scan of each stride is
// encoded, later ones copy its bytes, so that a program of many scans does not pay xbyak's
// encoding of some 300 bytes of code for each.
#include <cassert>
#include <cstring>
#include <utility>

#include "emitter.hpp"

namespace jitbf::jit {

// A guarded scan's code depends only on its cell and stride (and the emitter's options):
// every jump in it stays within it, and it records nothing outside. A vector scan is some
// 300 bytes that xbyak takes about 20000 instructions to encode, a quarter of compiling the
// 10 MB mix of jitbf_bench at -O1, so scans are emitted once and copied. The cell shows only
// in displacements, off*size plus a constant (or minus): once they all take 32 bits, every
// cell's code is the same but for those fields, so one template per stride serves all such
// cells, the fields patched; a cell nearer p (a disp8 somewhere) is copied for that cell
// alone. Only a scan whose loop is aligned (emit_scan.cpp's kLoopAlign) depends on where its code
// is: for those the offset modulo the alignment is part of the key.
void Emitter::emit_guarded_scan(std::int64_t off, std::int64_t stride, bool flagged) {
    const std::int64_t step = stride * cell_size_;
    const auto distance = static_cast<std::uint32_t>(step < 0 ? -step : step);
    const std::uint32_t phase = scan_phase(distance);
    // The displacements are off*size plus or minus at most 4 steps and a vector
    // (emit_unrolled_steps, the cells of a vector): past `reach` from 0 every one takes 32
    // bits, and stays within them below 2^30.
    const std::int64_t reach = 4 * static_cast<std::int64_t>(distance) + 256;
    const std::int64_t disp = off * cell_size_;
    const bool far = (disp >= reach || disp <= -reach) && disp < (std::int64_t{1} << 30) - reach &&
                     disp > -(std::int64_t{1} << 30) + reach;
    const ScanKey key{far ? kFarScan : off, stride, phase, flagged};
    auto it = scan_code_.find(key);
    if (it == scan_code_.end()) {
        if (far) {
            it = scan_code_.emplace(key, scan_template(stride, reach, flagged)).first;
        } else {
            const std::size_t at = getSize();
            emit_scan_code(off, stride, flagged);
            ScanCode code;
            code.bytes.assign(top_ + at, top_ + getSize());
            code.off = off;
            scan_code_.emplace(key, std::move(code));
            return;
        }
    }
    copy_scan(it->second, off);
}

// The template of far cells' scans: emitted for two cells one apart and taken back; the
// bytes that differ are the fields, each the low byte of a 32-bit displacement that moved by
// one cell, up or down (asserted).
Emitter::ScanCode Emitter::scan_template(std::int64_t stride, std::int64_t reach, bool flagged) {
    const std::size_t at = getSize();
    const std::int64_t off = (reach + 65536) / cell_size_;
    ScanCode code;
    emit_scan_code(off, stride, flagged);
    code.bytes.assign(top_ + at, top_ + getSize());
    code.off = off;
    setSize(at);
    emit_scan_code(off + 1, stride, flagged);
    const std::uint8_t* other = top_ + at;
    assert(getSize() - at == code.bytes.size() && "a far cell's scan code has one length");
    for (std::size_t i = 0; i < code.bytes.size(); ++i) {
        if (other[i] == code.bytes[i]) continue;
        std::int32_t was = 0, now = 0;
        std::memcpy(&was, &code.bytes[i], 4);
        std::memcpy(&now, other + i, 4);
        assert((now - was == cell_size_ || was - now == cell_size_) && "a displacement field");
        code.fields.push_back({static_cast<std::uint32_t>(i), now < was});
        i += 3;
    }
    setSize(at);
    return code;
}

// Appends `code` as the scan of cell `off`.
void Emitter::copy_scan(const ScanCode& code, std::int64_t off) {
    const std::size_t n = code.bytes.size();
    std::uint8_t* const to = reserve(n);
    std::memcpy(to, code.bytes.data(), n);
    const auto moved = static_cast<std::int32_t>((off - code.off) * cell_size_);
    for (const ScanField& f : code.fields) {
        std::int32_t v = 0;
        std::memcpy(&v, to + f.at, 4);
        v = f.negated ? v - moved : v + moved;
        std::memcpy(to + f.at, &v, 4);
    }
    size_ += n;
}

}  // namespace jitbf::jit
