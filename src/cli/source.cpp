// Loading the program (see source.hpp). Errors are one line, as for every usage problem,
// with the file name escaped like a source excerpt (a name can hold control bytes too).
#include "source.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "options.hpp"
#include "report.hpp"
#include "text.hpp"

namespace jitbf::cli {

namespace {

// Reads a whole file.
bool read_file(const std::string& path, std::string& out) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) {
        fail("cannot open '" + text::shown(path) + "': " + std::strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        fail("cannot run '" + text::shown(path) + "': it is a directory");
        return false;
    }
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        fail("cannot open '" + text::shown(path) + "': " + std::strerror(errno));
        return false;
    }
    // Into a string of the file's size: a stream of growing buffers would take up to three
    // times the program's size at once, which a big program pays for in peak memory.
    std::string data;
    if (S_ISREG(st.st_mode)) data.reserve(static_cast<std::size_t>(st.st_size));
    char buf[1 << 16];
    while (f.read(buf, sizeof buf) || f.gcount() > 0)
        data.append(buf, static_cast<std::size_t>(f.gcount()));
    if (f.bad()) {
        fail("cannot read '" + text::shown(path) + "'");
        return false;
    }
    out = std::move(data);
    return true;
}

// The program from standard input: everything up to a `!` outside any loop. What follows
// the `!` (in the same read) is the start of the program's input.
bool read_program_from_stdin(std::string& source, std::string& input_prefix) {
    char buf[1 << 16];
    long depth = 0;
    for (;;) {
        ssize_t n = ::read(0, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            fail(std::string("cannot read standard input: ") + std::strerror(errno));
            return false;
        }
        if (n == 0) return true;
        for (ssize_t i = 0; i < n; ++i) {
            char c = buf[i];
            if (c == '!' && depth <= 0) {
                input_prefix.assign(buf + i + 1, static_cast<std::size_t>(n - i - 1));
                return true;
            }
            if (c == '[') ++depth;
            if (c == ']') --depth;
            source += c;
        }
    }
}

}  // namespace

bool load_source(const Cli& cli, Source& src) {
    if (!cli.code.empty() || cli.file.empty()) {
        src.text = cli.code;
        src.name = "-e";
        return true;
    }
    if (cli.file == "-") {
        src.name = "<stdin>";
        return read_program_from_stdin(src.text, src.input_prefix);
    }
    src.name = cli.file;
    return read_file(cli.file, src.text);
}

}  // namespace jitbf::cli
