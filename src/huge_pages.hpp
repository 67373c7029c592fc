// Transparent huge pages for the few big arrays of a compile (the IR, the interpreter's
// decoded form, the JIT's code).
//
// A compile writes each of them once, front to back, and the cost of that is mostly the
// page faults of fresh memory, one every 4 KiB: on a virtual machine measured at 5 ms per
// MB, more than parsing itself. Where Linux gives huge pages only to memory that asks for
// them (transparent_hugepage=madvise, the default of many distributions), one fault maps
// 2 MiB instead. Only advice: where huge pages are off, nothing changes.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace jitbf {

// Asks for huge pages in the whole 2 MiB pages inside [p, p + bytes), if there are any.
inline void advise_huge_pages(const void* p, std::size_t bytes) {
    constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
    const auto start = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t begin = (start + kHuge - 1) & ~(kHuge - 1);
    const std::uintptr_t end = (start + bytes) & ~(kHuge - 1);
    if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

// v.reserve(n), in huge pages where they are to be had.
template <class T>
void reserve_huge(std::vector<T>& v, std::size_t n) {
    v.reserve(n);
    advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

}  // namespace jitbf
