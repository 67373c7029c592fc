// The mapping behind CodeBuffer: the emitter's read+write pages, made read+execute.
#include "code_buffer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <utility>

namespace jitbf::jit {

std::size_t CodeBuffer::whole_pages(std::size_t bytes) {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    return (std::max<std::size_t>(bytes, 1) + page - 1) / page * page;
}

Result<CodeBuffer> CodeBuffer::adopt(std::uint8_t* map, std::size_t map_bytes, std::size_t size) {
    const std::size_t bytes = whole_pages(size);
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
    // Pages never executed before: no stale instructions to invalidate on x86-64.
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
