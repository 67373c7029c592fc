// jitbf as a library: the one public header.
//
//     auto prog = jitbf::compile("++++++++[>++++++++<-]>+.");  // parse, optimize, emit
//     if (!prog) { /* prog.errors(): unmatched brackets, with line:col */ }
//     std::string text;
//     auto in = jitbf::Input::none();
//     auto out = jitbf::Output::memory(&text);
//     jitbf::RunOutcome r = prog->run(in, out);              // text == "A", r.ok()
//
// A compiled program runs any number of times, each run on a fresh tape, on the backend its
// Options name. Everything a run depends on comes in through Options, Input and Output, and
// separate Compiled objects may run on separate threads at once. The only state beyond a run
// is what signals need, since a handler cannot be handed an argument: the SIGSEGV and timeout
// handlers (installed once per process) and, per thread, a pointer to the run in progress
// there, through which a handler finds what to stop. Errors are values with source positions
// (Error), never exceptions or exit().
#pragma once

#include <cassert>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace jitbf {

// --- Errors --------------------------------------------------------------------------------

// A place in the source: 1-based line and column, the column counted in characters.
struct SourcePos {
    std::uint32_t line = 0;  // 0 means "no position"
    std::uint32_t col = 0;
    friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

// A user error: what went wrong and where.
struct Error {
    SourcePos pos;        // {0, 0} when the error has no place in the source
    std::string message;  // lower case, no trailing period: "unmatched '['"
};

// "NAME:LINE:COL: KIND: MESSAGE" followed, when `source` has that line, by the line itself
// and a caret under the column. Tabs are kept so the caret lines up in a terminal.
std::string format_error(const Error& err, std::string_view name, std::string_view kind,
                         std::string_view source);

// A value or the errors that prevented it (several at once: every unmatched bracket). A
// variant, so T needs no empty state; reading the value of an error is a bug (asserted).
// C++20 has no std::expected, and that one holds a single error.
template <class T>
class Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(Error err) : v_(std::in_place_index<1>, std::vector<Error>{std::move(err)}) {}
    Result(std::vector<Error> errs) : v_(std::in_place_index<1>, std::move(errs)) {
        assert(!std::get<1>(v_).empty());
    }

    explicit operator bool() const { return v_.index() == 0; }  // a value, no errors
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    // The errors (none when there is a value).
    const std::vector<Error>& errors() const {
        static const std::vector<Error> none;
        return v_.index() == 1 ? std::get<1>(v_) : none;
    }

private:
    T& value() {
        assert(v_.index() == 0 && "the value of a failed Result");
        return std::get<0>(v_);
    }
    const T& value() const {
        assert(v_.index() == 0 && "the value of a failed Result");
        return std::get<0>(v_);
    }
    std::variant<T, std::vector<Error>> v_;
};

// --- Options -------------------------------------------------------------------------------

// How a program runs.
enum class Backend : std::uint8_t {
    Jit,     // x86-64 machine code
    Interp,  // the interpreter: the reference the JIT is tested against
};
std::string_view backend_name(Backend b);  // "jit", "interp"

// What `,` does at the end of input.
enum class EofMode : std::uint8_t {
    Unchanged,  // leaves the cell as it was
    Zero,       // stores 0
    MinusOne,   // stores 2^bits - 1
};

// What `,` reads for the line ends of the input.
enum class Newline : std::uint8_t {
    Keep,  // every byte as it is
    Lf,    // CR LF and a lone CR read as one LF (10), even split across reads or runs
};

// Which vector instructions the JIT's scans may use. The JIT uses the lower of this and
// what the CPU has (cpu_simd_level()), so the default means "the best there is".
enum class SimdLevel : std::uint8_t {
    Scalar,  // one cell per step
    Sse2,    // 16-byte vectors (every x86-64 CPU)
    Avx2,    // 32-byte vectors (with BMI2's shifts)
};
std::string_view simd_level_name(SimdLevel level);                 // "scalar", "sse2", "avx2"
std::optional<SimdLevel> simd_level_named(std::string_view name);  // the inverse; or nothing
SimdLevel cpu_simd_level();  // the best this CPU and OS support

// The most cells a tape may have.
inline constexpr std::uint64_t kMaxTapeCells = std::uint64_t{1} << 32;

// What a program means and how it is compiled. Both backends honour every field alike, so
// a difference between them can only be a bug.
struct Options {
    Backend backend = Backend::Jit;
    int cell_bits = 8;                    // 8, 16 or 32; arithmetic wraps modulo 2^bits
    EofMode eof = EofMode::Unchanged;     // what `,` does at the end of input
    std::uint64_t tape_cells = 1u << 20;  // cells from cell 0 rightwards (rounded up to pages)
    int opt_level = 2;                    // 0: run-length folding only, 1, 2: everything
    SimdLevel simd = SimdLevel::Avx2;     // the widest vectors the JIT's scans may use
    std::uint64_t step_limit = 0;         // 0: none; else a run stops with StepLimit at the
                                          // loop back-edge that would be the Nth (N-1 taken)
    bool verify_each_pass = false;        // check the IR after every pass (debugging jitbf)
    // 0: none; else a run stops with Timeout once it has taken this much wall-clock time,
    // even while it waits for input or for its output to be taken. Costs nothing when 0;
    // otherwise a POSIX timer per run, whose real-time signal (SIGRTMIN+4) is delivered to
    // the running thread: that thread must not block it.
    std::chrono::nanoseconds timeout{0};
    Newline newline = Newline::Keep;  // what `,` reads for CR LF and CR
    // `#` in the source dumps the tape: its position, the pointer's cell and the values of
    // the debug_window cells on each side of it, as one line of text (README: "--debug"),
    // the same on every backend, -O level and cell width. Output is flushed first, so the
    // two interleave in program order. Without `debug`, `#` is a comment and costs nothing.
    bool debug = false;
    std::uint32_t debug_window = 8;  // at most kMaxDebugWindow
    // Where dumps go, a line at a time (with its '\n'); null: standard error.
    std::function<void(std::string_view line)> debug_out;
};

// The widest window a dump may show on each side of the pointer.
inline constexpr std::uint32_t kMaxDebugWindow = 1u << 16;

// --- Input and output ----------------------------------------------------------------------

// A program's input: an in-memory prefix, then (optionally) a file descriptor or a callback.
// Read in large chunks; what a run does not read stays for the next one.
class Input {
public:
    // Reads `read(buf, size)` until it returns 0: it fills up to `size` bytes and says how
    // many it filled.
    using Reader = std::function<std::size_t(char* buf, std::size_t size)>;

    static Input none() { return Input(); }  // always at end of input
    static Input memory(std::string data) { return Input(std::move(data)); }
    static Input fd(int fd, std::string prefix = {});             // prefix, then fd's bytes
    static Input callback(Reader read, std::string prefix = {});  // prefix, then read()'s

    // The next byte, or -1 at the end of input (which stays the end). Also -1, without
    // ending the input, while the run in progress on this thread must stop (a timeout,
    // stop_current_run()): a wait for input ends then. A Reader callback is never cut short.
    int get() { return pos_ < buf_.size() ? static_cast<unsigned char>(buf_[pos_++]) : refill(); }
    // get() for Newline::Lf: CR LF and a lone CR read as 10. The LF after a CR is skipped
    // when the next byte is asked for, so a CR never waits for the byte after it.
    int get_lf();
    // Bytes taken with get() so far, the prefix included.
    std::uint64_t bytes_read() const { return taken_ + pos_; }

private:
    Input() = default;
    explicit Input(std::string prefix) : buf_(std::move(prefix)) {}
    int refill();
    std::string buf_;
    std::size_t pos_ = 0;
    std::uint64_t taken_ = 0;  // from the buffers before this one
    bool after_cr_ = false;    // get_lf() read a CR last: an LF next is part of it
    int fd_ = -1;
    Reader reader_;
};

// A program's output, buffered (64 KiB). Flushed when full, before every read of input (so
// prompts show), at the end of a run and on every error. A destination that stops taking
// bytes closes it: every later write fails, and the run stops (RunStatus::OutputClosed).
class Output {
public:
    // Takes the bytes in `s`; false to refuse them (closes the output).
    using Writer = std::function<bool(std::string_view s)>;
    static constexpr std::size_t kCapacity = std::size_t{1} << 16;

    static Output fd(int fd) { return Output(fd); }                   // write(2)s to fd
    static Output memory(std::string* into) { return Output(into); }  // appends to *into
    static Output callback(Writer write) { return Output(std::move(write)); }

    bool put(std::uint8_t c) {
        buf_[len_++] = static_cast<char>(c);
        return len_ < kCapacity || flush();
    }
    bool write(std::string_view s);
    // False when the output is closed, and (writing all it can first) while the run in
    // progress on this thread must stop: a timeout, stop_current_run(). A stopping run's
    // bytes that the destination does not take without waiting are dropped.
    bool flush();
    bool closed() const { return closed_; }
    // The errno that closed a file descriptor: EPIPE when the reader went away (a quiet
    // end), anything else (ENOSPC, EIO...) is an error worth reporting; ECANCELED when a
    // callback refused bytes; 0 while open.
    int error() const { return error_; }
    // Bytes the destination has taken so far (not those still in the buffer).
    std::uint64_t bytes_written() const { return written_; }

private:
    explicit Output(int fd) : fd_(fd) {}
    explicit Output(std::string* into) : memory_(into) {}
    explicit Output(Writer write) : writer_(std::move(write)) {}
    std::unique_ptr<char[]> buf_ = std::make_unique_for_overwrite<char[]>(kCapacity);
    std::size_t len_ = 0;
    int fd_ = -1;
    std::string* memory_ = nullptr;
    Writer writer_;
    bool closed_ = false;
    int error_ = 0;
    std::uint64_t written_ = 0;
};

// --- Running -------------------------------------------------------------------------------

// How a run ended.
enum class RunStatus : std::uint8_t {
    Ok,            // ran to the end
    LeftOfTape,    // touched a cell left of cell 0
    RightOfTape,   // touched a cell past the last one
    OutputClosed,  // the output refused bytes (a reader that went away, a full disk)
    StepLimit,     // Options::step_limit loop iterations ran
    NotStarted,    // the run could not start: no tape, or no timer (error says why)
    Timeout,       // Options::timeout ran out
    Stopped,       // stop_current_run() was called, e.g. from a signal handler
};

struct RunOutcome {
    RunStatus status = RunStatus::Ok;
    Error error;  // what stopped the run, placed at the op that did (empty message if Ok)
    bool ok() const { return status == RunStatus::Ok; }
};

// A program parsed, optimized and compiled for the backend its Options name.
class Compiled {
public:
    // Runs from a fresh tape of zero cells; `out` is flushed before this returns.
    RunOutcome run(Input& in, Output& out) const;
    const Options& options() const;
    std::size_t code_bytes() const;  // machine code (0 on the interpreter)

    Compiled(Compiled&&) noexcept;
    Compiled& operator=(Compiled&&) noexcept;
    ~Compiled();

    struct Impl;  // src/api.cpp

private:
    explicit Compiled(std::unique_ptr<Impl> impl);
    friend Result<Compiled> compile(std::string_view source, const Options& options);
    std::unique_ptr<Impl> impl_;
};

// Asks the run in progress on the calling thread, if any, to stop with RunStatus::Stopped,
// and says whether there was one. Async-signal-safe: meant for a signal handler, which
// passes its third argument (the ucontext_t*) so that a run inside the JIT's code stops at
// once. Elsewhere the run stops at its next check: at once when it waits for input or
// output (if the handler was installed without SA_RESTART, so that the wait returns), else
// within 64 KiB of input or output, or 65536 loop iterations on the interpreter. The JIT's
// code has no checks of its own: a run asked while inside an I/O call that then loops with
// no more I/O stops only when asked again (from a repeating alarm, say).
bool stop_current_run(void* signal_context = nullptr) noexcept;

// Parses `source` (characters other than the eight commands are comments), optimizes it at
// options.opt_level and compiles it for options.backend. Errors: unmatched brackets, with
// their positions; bad options; failures to map memory; running out of memory (no exception
// escapes).
Result<Compiled> compile(std::string_view source, const Options& options = {});

}  // namespace jitbf
