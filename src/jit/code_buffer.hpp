// Executable memory for generated code, W^X: pages of our own, mapped read+write only while
// the code is copied in, then read+execute for good, and unmapped by the destructor.
//
// The code is emitted elsewhere, into pages that are never executable, which are taken
// over and made read+execute, so there is never a moment where a page is writable and
// executable at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "jitbf/jitbf.hpp"

namespace jitbf::jit {

class CodeBuffer {
public:
    // `bytes` rounded up to whole pages (at least one).
    static std::size_t whole_pages(std::size_t bytes);
    // Takes over `map` (map_bytes from mmap, read+write), whose first `size` bytes are the
    // code: the pages past them are unmapped, the rest made read+execute.
    static Result<CodeBuffer> adopt(std::uint8_t* map, std::size_t map_bytes, std::size_t size);

    CodeBuffer() = default;
    CodeBuffer(CodeBuffer&& other) noexcept;
    CodeBuffer& operator=(CodeBuffer&& other) noexcept;
    CodeBuffer(const CodeBuffer&) = delete;
    CodeBuffer& operator=(const CodeBuffer&) = delete;
    ~CodeBuffer();

    const std::uint8_t* data() const { return map_; }
    std::size_t size() const { return size_; }               // bytes of code
    std::size_t mapped_bytes() const { return map_bytes_; }  // whole pages
    bool contains(std::uintptr_t addr) const {
        const auto begin = reinterpret_cast<std::uintptr_t>(map_);
        return addr >= begin && addr - begin < size_;
    }

private:
    std::uint8_t* map_ = nullptr;
    std::size_t size_ = 0;
    std::size_t map_bytes_ = 0;
};

}  // namespace jitbf::jit
