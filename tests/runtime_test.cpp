// The runtime both backends share: the tape mapping (page rounding, PROT_NONE guards, lazy
// memory), buffered Input and Output, and the runtime error messages.
//
// Memory facts are read from the kernel (/proc/self/maps, /proc/self/statm, mincore), not
// from the Tape's own accessors, so the tests can catch a tape that only claims to be right.
#include <doctest/doctest.h>

#include "sigpipe.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>

#include "runtime.hpp"

namespace runtime_test {

using namespace jitbf;

namespace {

std::size_t page_size() { return static_cast<std::size_t>(sysconf(_SC_PAGESIZE)); }

// The permissions ("rw-p", "---p"...) of the mapping that holds `addr`, or "" if none does.
std::string perms_at(const void* addr) {
    const auto a = reinterpret_cast<std::uintptr_t>(addr);
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        std::uintptr_t lo = 0, hi = 0;
        char perms[8] = {};
        if (std::sscanf(line.c_str(), "%lx-%lx %7s", &lo, &hi, perms) != 3) continue;
        if (a >= lo && a < hi) return perms;
    }
    return "";
}

// Resident memory of this process, in bytes.
std::size_t rss_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * page_size();
}

bool is_mapped(const void* addr) {
    const auto a = reinterpret_cast<std::uintptr_t>(addr) & ~(page_size() - 1);
    unsigned char vec = 0;
    return mincore(reinterpret_cast<void*>(a), page_size(), &vec) == 0;
}

// A file descriptor closed on scope exit.
struct Fd {
    int fd;
    explicit Fd(int f) : fd(f) { REQUIRE(fd >= 0); }
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

// A temporary file holding `data`, positioned at its start.
struct TempFile {
    std::FILE* f = std::tmpfile();
    explicit TempFile(const std::string& data) {
        REQUIRE(f != nullptr);
        REQUIRE(std::fwrite(data.data(), 1, data.size(), f) == data.size());
        REQUIRE(std::fflush(f) == 0);
        REQUIRE(lseek(fileno(f), 0, SEEK_SET) == 0);
    }
    ~TempFile() { std::fclose(f); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    int fd() const { return fileno(f); }
};

}  // namespace

TEST_CASE("a tape is rounded up to whole pages at every width") {
    const std::size_t page = page_size();
    for (int bits : {8, 16, 32}) {
        CAPTURE(bits);
        const std::size_t per_page = page / static_cast<std::size_t>(bits / 8);
        auto one = Tape::create(1, bits);
        REQUIRE(one);
        CHECK(one->cells() == per_page);
        CHECK(one->bytes() == page);
        CHECK(one->cell_bits() == bits);
        CHECK(one->cell_bytes() == static_cast<std::size_t>(bits / 8));

        auto exact = Tape::create(per_page, bits);
        REQUIRE(exact);
        CHECK(exact->cells() == per_page);

        auto over = Tape::create(per_page + 1, bits);
        REQUIRE(over);
        CHECK(over->cells() == 2 * per_page);
        CHECK(over->bytes() == 2 * page);
    }
}

TEST_CASE("a bad tape size or cell width is an error, not a crash") {
    CHECK_FALSE(Tape::create(0, 8));
    CHECK_FALSE(Tape::create(kMaxTapeCells + 1, 8));
    CHECK_FALSE(Tape::create(16, 7));
    CHECK_FALSE(Tape::create(16, 64));
    auto bad = Tape::create(16, 12);
    REQUIRE_FALSE(bad);
    REQUIRE(bad.errors().size() == 1);
    CHECK(bad.errors()[0].message == "cell width must be 8, 16 or 32 bits");
    auto big = Tape::create(kMaxTapeCells + 1, 8);
    REQUIRE(big.errors().size() == 1);
    CHECK(big.errors()[0].message.find("tape size") != std::string::npos);
}

TEST_CASE("a fresh tape is all zero and cell() reads each width little-endian") {
    for (int bits : {8, 16, 32}) {
        CAPTURE(bits);
        auto t = Tape::create(3 * page_size(), bits);
        REQUIRE(t);
        for (std::uint64_t i = 0; i < t->cells(); i += 97) CHECK(t->cell(i) == 0);
        CHECK(t->cell(t->cells() - 1) == 0);
        std::uint8_t* d = t->data();
        const std::uint8_t bytes[4] = {0x78, 0x56, 0x34, 0x12};
        std::memcpy(d + t->cell_bytes() * 5, bytes, t->cell_bytes());
        const std::uint32_t want = bits == 8 ? 0x78u : bits == 16 ? 0x5678u : 0x12345678u;
        CHECK(t->cell(5) == want);
        CHECK(t->cell(4) == 0);
        CHECK(t->cell(6) == 0);
    }
}

TEST_CASE("the guard regions on both sides of the cells are PROT_NONE") {
    auto t = Tape::create(10000, 16);
    REQUIRE(t);
    const std::uint8_t* d = t->data();
    CHECK(perms_at(d).substr(0, 3) == "rw-");
    CHECK(perms_at(d + t->bytes() - 1).substr(0, 3) == "rw-");
    CHECK(perms_at(d - 1).substr(0, 3) == "---");
    CHECK(perms_at(d - kGuardBytes).substr(0, 3) == "---");
    CHECK(perms_at(d + t->bytes()).substr(0, 3) == "---");
    CHECK(perms_at(d + t->bytes() + kGuardBytes - 1).substr(0, 3) == "---");
}

TEST_CASE("in_guard is true exactly in the guard regions") {
    auto t = Tape::create(5000, 8);
    REQUIRE(t);
    const std::uint8_t* d = t->data();
    const std::size_t n = t->bytes();
    CHECK_FALSE(t->in_guard(d));
    CHECK_FALSE(t->in_guard(d + n - 1));
    CHECK(t->in_guard(d - 1));
    CHECK(t->in_guard(d - kGuardBytes));
    CHECK_FALSE(t->in_guard(d - kGuardBytes - 1));
    CHECK(t->in_guard(d + n));
    CHECK(t->in_guard(d + n + kGuardBytes - 1));
    CHECK_FALSE(t->in_guard(d + n + kGuardBytes));
    CHECK(t->left_of_tape(d - 1));
    CHECK_FALSE(t->left_of_tape(d));
    CHECK_FALSE(t->left_of_tape(d + n));

    Tape empty;
    CHECK_FALSE(empty.in_guard(d - 1));
}

TEST_CASE("untouched cells cost no memory") {
    const std::size_t gib = std::size_t{1} << 30;
    const std::size_t before = rss_bytes();
    auto t = Tape::create(gib / 4, 32);
    REQUIRE(t);
    CHECK(t->bytes() == gib);
    const std::size_t after_create = rss_bytes();
    CHECK(after_create < before + 8 * (std::size_t{1} << 20));

    // Touching 32 MiB of it does cost memory: the measurement can see it.
    const std::size_t touched = std::size_t{32} << 20;
    for (std::size_t i = 0; i < touched; i += page_size()) t->data()[i] = 1;
    CHECK(rss_bytes() >= after_create + touched / 2);
}

TEST_CASE("a moved tape hands over its mapping and the last owner unmaps it") {
    auto made = Tape::create(100, 8);
    REQUIRE(made);
    std::uint8_t* d = made->data();
    const std::uint64_t cells = made->cells();
    d[3] = 42;
    {
        Tape a = std::move(*made);
        CHECK(made->data() == nullptr);
        CHECK(made->cells() == 0);
        CHECK(a.data() == d);
        CHECK(a.cells() == cells);
        Tape b;
        b = std::move(a);
        CHECK(a.data() == nullptr);
        CHECK(b.data() == d);
        CHECK(b.cell(3) == 42);
        CHECK(is_mapped(d));
        CHECK(is_mapped(d - 1));
    }
    CHECK_FALSE(is_mapped(d));
    CHECK_FALSE(is_mapped(d - 1));
}

TEST_CASE("move-assigning over a tape unmaps the one it replaced") {
    auto first = Tape::create(100, 8);
    auto second = Tape::create(100, 8);
    REQUIRE(first);
    REQUIRE(second);
    std::uint8_t* old = first->data();
    *first = std::move(*second);
    CHECK_FALSE(is_mapped(old));
    CHECK(is_mapped(first->data()));
}

TEST_CASE("input reads its prefix first, then the file descriptor") {
    TempFile file("fd");
    auto in = Input::fd(file.fd(), "ab");
    CHECK(in.get() == 'a');
    CHECK(in.get() == 'b');
    CHECK(in.get() == 'f');
    CHECK(in.get() == 'd');
    CHECK(in.get() == -1);
}

TEST_CASE("input bytes above 127 are 128..255, never EOF") {
    auto in = Input::memory(std::string("\xff\x80\0", 3));
    CHECK(in.get() == 255);
    CHECK(in.get() == 128);
    CHECK(in.get() == 0);
    CHECK(in.get() == -1);
}

TEST_CASE("end of input stays end of input") {
    auto none = Input::none();
    CHECK(none.get() == -1);
    CHECK(none.get() == -1);
    TempFile file("x");
    auto in = Input::fd(file.fd());
    CHECK(in.get() == 'x');
    CHECK(in.get() == -1);
    // Data appended after EOF was seen is not read: a terminal's ^D ends input for good.
    REQUIRE(::write(file.fd(), "y", 1) == 1);
    CHECK(in.get() == -1);
}

TEST_CASE("input larger than the read buffer arrives whole and in order") {
    std::string data(200'003, '\0');
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i % 251);
    TempFile file(data);
    auto in = Input::fd(file.fd());
    std::string got;
    for (int c; (c = in.get()) >= 0;) got += static_cast<char>(c);
    CHECK(got.size() == data.size());
    CHECK(got == data);
}

TEST_CASE("output to a string is buffered until flushed") {
    std::string captured;
    auto out = Output::memory(&captured);
    CHECK(out.put('a'));
    CHECK(out.write("bc"));
    CHECK(captured.empty());
    CHECK(out.flush());
    CHECK(captured == "abc");
    CHECK_FALSE(out.closed());
    CHECK(out.error() == 0);
}

TEST_CASE("a full output buffer flushes by itself") {
    std::string captured;
    auto out = Output::memory(&captured);
    for (std::size_t i = 0; i < Output::kCapacity - 1; ++i) REQUIRE(out.put('x'));
    CHECK(captured.empty());
    CHECK(out.put('y'));
    CHECK(captured.size() == Output::kCapacity);
    CHECK(captured.back() == 'y');
}

TEST_CASE("a write larger than the buffer arrives whole and in order") {
    std::string big(3 * Output::kCapacity + 5, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 23);
    std::string captured;
    auto out = Output::memory(&captured);
    CHECK(out.put('<'));
    CHECK(out.write(big));
    CHECK(out.put('>'));
    CHECK(out.flush());
    CHECK(captured == "<" + big + ">");
}

TEST_CASE("output to a file descriptor arrives after flush") {
    TempFile file("");
    {
        auto out = Output::fd(file.fd());
        CHECK(out.write("hello "));
        CHECK(out.put('!'));
        CHECK(out.flush());
    }
    REQUIRE(lseek(file.fd(), 0, SEEK_SET) == 0);
    char buf[16] = {};
    CHECK(::read(file.fd(), buf, sizeof buf) == 7);
    CHECK(std::string(buf) == "hello !");
}

TEST_CASE("output to a pipe with no reader closes with EPIPE, without a signal") {
    IgnoreSigpipe quiet;
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    ::close(fds[0]);
    Fd w(fds[1]);
    auto out = Output::fd(w.fd);
    CHECK(out.put('a'));  // buffered: nothing written yet
    CHECK_FALSE(out.flush());
    CHECK(out.closed());
    CHECK(out.error() == EPIPE);
    CHECK_FALSE(out.write("more"));
    CHECK_FALSE(out.flush());
}

TEST_CASE("output to a full device closes with ENOSPC") {
    int fd = ::open("/dev/full", O_WRONLY);
    if (fd < 0) {
        MESSAGE("/dev/full not available, skipped");
        return;
    }
    Fd full(fd);
    auto out = Output::fd(full.fd);
    CHECK(out.write("x"));
    CHECK_FALSE(out.flush());
    CHECK(out.closed());
    CHECK(out.error() == ENOSPC);
}

TEST_CASE("runtime errors name the touching op's position, the cell and the tape's last cell") {
    auto tape = Tape::create(100, 8);
    REQUIRE(tape);
    Program p;
    Instr a;
    a.pos = {3, 7};
    p.code = {Instr{}, a};

    Error left = runtime_error(p, {RunStatus::LeftOfTape, 1, -3}, *tape);
    CHECK(left.pos == SourcePos{3, 7});
    CHECK(left.message == "cell -3 is off the tape (touched here)");

    const std::uint64_t past = tape->cells() + 2;
    Error right =
        runtime_error(p, {RunStatus::RightOfTape, 1, static_cast<std::int64_t>(past)}, *tape);
    CHECK(right.pos == SourcePos{3, 7});
    CHECK(right.message == "cell " + std::to_string(past) +
                               " is off the tape, which ends at cell " +
                               std::to_string(tape->cells() - 1) + " (touched here)");

    Error nowhere = runtime_error(p, {RunStatus::LeftOfTape, 99}, *tape);
    CHECK(nowhere.pos == SourcePos{});
}

TEST_CASE("input from a non-blocking descriptor waits for data instead of seeing EOF") {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    Fd r(fds[0]);
    REQUIRE(fcntl(r.fd, F_SETFL, fcntl(r.fd, F_GETFL) | O_NONBLOCK) == 0);
    std::thread writer([w = fds[1]] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        (void)!::write(w, "hi", 2);
        ::close(w);
    });
    auto in = Input::fd(r.fd);
    const int a = in.get();
    const int b = in.get();
    const int c = in.get();
    writer.join();
    CHECK(a == 'h');
    CHECK(b == 'i');
    CHECK(c == -1);
}

TEST_CASE("output to a non-blocking descriptor waits for the reader instead of failing") {
    IgnoreSigpipe quiet;
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    Fd w(fds[1]);
    REQUIRE(fcntl(w.fd, F_SETFL, fcntl(w.fd, F_GETFL) | O_NONBLOCK) == 0);
    std::string got;
    std::thread reader([&got, rfd = fds[0]] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        char buf[4096];
        for (ssize_t n; (n = ::read(rfd, buf, sizeof buf)) > 0;)
            got.append(buf, static_cast<std::size_t>(n));
        ::close(rfd);
    });
    std::string data(5 * Output::kCapacity + 7, '\0');
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i % 253);
    bool wrote = false, flushed = false;
    int error = -1;
    {
        auto out = Output::fd(w.fd);
        wrote = out.write(data);
        flushed = out.flush();
        error = out.error();
    }
    ::close(w.fd);
    w.fd = -1;
    reader.join();
    CHECK(wrote);
    CHECK(flushed);
    CHECK(error == 0);
    CHECK(got.size() == data.size());
    CHECK(got == data);
}

}  // namespace runtime_test
