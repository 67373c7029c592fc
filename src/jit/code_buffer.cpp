// The mapping behind CodeBuffer: mmap read+write and copy, or take the emitter's pages;
// then mprotect read+execute.
#include "code_buffer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <utility>

namespace jitbf::jit {

Result<CodeBuffer> CodeBuffer::create(std::span<const std::uint8_t> code) {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const std::size_t bytes = (std::max<std::size_t>(code.size(), 1) + page - 1) / page * page;
    void* map = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return Error{{}, std::string("cannot map memory for code: ") + std::strerror(errno)};
    CodeBuffer buf;
    buf.map_ = static_cast<std::uint8_t*>(map);
    buf.map_bytes_ = bytes;
    buf.size_ = code.size();
    if (!code.empty()) std::memcpy(buf.map_, code.data(), code.size());
    if (mprotect(map, bytes, PROT_READ | PROT_EXEC) != 0)
        return Error{{}, std::string("cannot make code executable: ") + std::strerror(errno)};
    // Fresh pages: no stale instructions in the cache to invalidate on x86-64.
    return buf;
}

Result<CodeBuffer> CodeBuffer::adopt(std::uint8_t* map, std::size_t map_bytes, std::size_t size) {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const std::size_t bytes = (std::max<std::size_t>(size, 1) + page - 1) / page * page;
    CodeBuffer buf;
    buf.map_ = map;
    buf.map_bytes_ = map_bytes;
    buf.size_ = size;
    if (bytes < map_bytes) {
        munmap(map + bytes, map_bytes - bytes);
        buf.map_bytes_ = bytes;
    }
    if (mprotect(map, buf.map_bytes_, PROT_READ | PROT_EXEC) != 0)
        return Error{{}, std::string("cannot make code executable: ") + std::strerror(errno)};
    return buf;
}

CodeBuffer::CodeBuffer(CodeBuffer&& other) noexcept { *this = std::move(other); }

CodeBuffer& CodeBuffer::operator=(CodeBuffer&& other) noexcept {
    if (this != &other) {
        if (map_) munmap(map_, map_bytes_);
        map_ = std::exchange(other.map_, nullptr);
        size_ = std::exchange(other.size_, 0);
        map_bytes_ = std::exchange(other.map_bytes_, 0);
    }
    return *this;
}

CodeBuffer::~CodeBuffer() {
    if (map_) munmap(map_, map_bytes_);
}

}  // namespace jitbf::jit
