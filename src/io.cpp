// Input and Output (jitbf.hpp): the buffered I/O both backends share, so they cannot differ
// in buffering, EOF handling or how a closed destination ends a run.
//
// They are also where a run that must stop (stop.hpp) is told so while it waits: the signal
// that asks makes a blocking read, write or poll return EINTR, and a stop then looks like the
// end of input or a refusing output to the backend, which asks stop_requested() why.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <unistd.h>

#include "jitbf/jitbf.hpp"
#include "stop.hpp"

namespace jitbf {

namespace {

// Blocks until `fd` is ready for `events`. Standard input or output can be non-blocking
// (a descriptor shared with a parent that set O_NONBLOCK): EAGAIN there means "not yet",
// not the end of input or a failed write. False when waiting itself fails, or when the
// run must stop.
bool wait_for(int fd, short events) {
    pollfd p{fd, events, 0};
    for (;;) {
        int r = poll(&p, 1, -1);
        if (r > 0) return true;
        if (r < 0 && errno != EINTR) return false;
        if (r < 0 && stop_requested() != RunStatus::Ok) return false;
    }
}

bool stopping() { return stop_requested() != RunStatus::Ok; }

constexpr std::size_t kInputChunk = std::size_t{1} << 16;

}  // namespace

Input Input::fd(int fd, std::string prefix) {
    Input in(std::move(prefix));
    in.fd_ = fd;
    return in;
}

Input Input::callback(Reader read, std::string prefix) {
    Input in(std::move(prefix));
    in.reader_ = std::move(read);
    return in;
}

int Input::refill() {
    // Only called once the buffer is used up. A run that must stop sees the end of its
    // input, but the input does not end: what is left stays for the next run.
    taken_ += pos_;
    auto pause = [this] {
        buf_.clear();
        pos_ = 0;
        return -1;
    };
    if (stopping()) return pause();
    buf_.clear();
    pos_ = 0;
    if (reader_) {
        buf_.resize(kInputChunk);
        pos_ = 0;
        const std::size_t n = reader_(buf_.data(), buf_.size());
        if (n > 0) {
            buf_.resize(std::min(n, kInputChunk));
            return static_cast<unsigned char>(buf_[pos_++]);
        }
        buf_.clear();
        reader_ = nullptr;  // the end stays the end
        return -1;
    }
    if (fd_ < 0) return -1;
    buf_.resize(kInputChunk);
    pos_ = 0;
    for (;;) {
        ssize_t n = ::read(fd_, buf_.data(), buf_.size());
        if (n > 0) {
            buf_.resize(static_cast<std::size_t>(n));
            return static_cast<unsigned char>(buf_[pos_++]);
        }
        if (n < 0 && errno == EINTR) {
            if (stopping()) return pause();
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (wait_for(fd_, POLLIN)) continue;
            if (stopping()) return pause();
        }
        // End of input, or an error reading it: both look like EOF to the program, and
        // stay that way (a terminal's ^D is not read past).
        buf_.clear();
        fd_ = -1;
        return -1;
    }
}

int Input::get_lf() {
    int c = get();
    if (after_cr_ && c == '\n') {
        after_cr_ = false;
        c = get();
    }
    // An end of input that is only a stop (stop.hpp) keeps the CR pending for the next run.
    if (c < 0) return c;
    after_cr_ = c == '\r';
    return after_cr_ ? '\n' : c;
}

bool Output::write(std::string_view s) {
    while (!s.empty()) {
        std::size_t n = std::min(s.size(), kCapacity - len_);
        std::memcpy(buf_.get() + len_, s.data(), n);
        len_ += n;
        s.remove_prefix(n);
        if (len_ == kCapacity && !flush()) return false;
    }
    return !closed_;
}

// Writes everything (false when the output closes), then says whether the run may go on:
// a run that must stop hears it here at the latest, once per buffer. What a stopping run
// cannot write without waiting is dropped: nobody may be reading it.
bool Output::flush() {
    if (closed_) {
        len_ = 0;
        return false;
    }
    if (memory_) {
        memory_->append(buf_.get(), len_);
        written_ += len_;
        len_ = 0;
        return !stopping();
    }
    if (writer_) {
        if (len_ > 0 && !writer_(std::string_view(buf_.get(), len_))) {
            closed_ = true;
            error_ = ECANCELED;
        } else {
            written_ += len_;
        }
        len_ = 0;
        return !closed_ && !stopping();
    }
    std::size_t done = 0;
    while (done < len_) {
        ssize_t n = ::write(fd_, buf_.get() + done, len_ - done);
        if (n >= 0) {
            done += static_cast<std::size_t>(n);
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (!wait_for(fd_, POLLOUT)) {
                if (stopping()) break;
                closed_ = true;
                error_ = errno;
                break;
            }
        } else if (errno == EINTR) {
            if (stopping()) break;
        } else {
            // EPIPE (the reader went away) or a dead device: no one will read more.
            closed_ = true;
            error_ = errno;
            break;
        }
    }
    written_ += done;
    len_ = 0;
    return !closed_ && !stopping();
}

}  // namespace jitbf
