// Messages and diagnostics of the jitbf command (see report.hpp).
#include "report.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace jitbf::cli {

void fail(const std::string& message) { std::fprintf(stderr, "jitbf: %s\n", message.c_str()); }

void print_errors(const std::vector<Error>& errors, const Source& src, const char* kind) {
    std::string all;
    for (const Error& e : errors) all += "jitbf: " + format_error(e, src.name, kind, src.text);
    // Not fputs: the text is escaped, but a NUL byte must never end a message early.
    std::fwrite(all.data(), 1, all.size(), stderr);
}

void print_setup_errors(const std::vector<Error>& errors) {
    for (const Error& e : errors) fail(e.message);
}

bool report_write_error(const Output& out) {
    if (out.error() == 0 || out.error() == EPIPE) return false;
    fail(std::string("cannot write output: ") + std::strerror(out.error()));
    return true;
}

int write_stdout(std::string_view text) {
    auto out = Output::fd(1);
    out.write(text);
    out.flush();
    return report_write_error(out) ? kExitRuntime : kExitOk;
}

}  // namespace jitbf::cli
