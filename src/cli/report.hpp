// How the jitbf command talks back: exit statuses, one-line messages and source-positioned
// diagnostics on stderr. Every mode reports through here so that they all sound alike.
#pragma once

#include <string>
#include <vector>

#include "jitbf/jitbf.hpp"
#include "source.hpp"

namespace jitbf::cli {

// Exit statuses, as documented in --help and README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime =
    1;                                // the program failed at run time (off the tape, write error)
inline constexpr int kExitUsage = 2;  // bad options, unreadable file, parse error

// "jitbf: MESSAGE" on stderr.
void fail(const std::string& message);

// Each error as "jitbf: NAME:LINE:COL: KIND: MESSAGE" with its source line and caret.
void print_errors(const std::vector<Error>& errors, const Source& src, const char* kind);

// Errors that stopped a run before it began (the tape or the code could not be mapped):
// "jitbf: MESSAGE" each, since they are not about a place in the program.
void print_setup_errors(const std::vector<Error>& errors);

// True (after saying so) when `out` was closed by a write error worth reporting; a reader
// that went away (EPIPE) is a quiet end, not an error.
bool report_write_error(const Output& out);

// Writes what the command itself prints (help, reports, dumps) to standard output, the way
// a program's output is written: kExitOk, also when the reader went away, or kExitRuntime
// after saying why it could not be written (a full disk, a closed descriptor).
int write_stdout(std::string_view text);

}  // namespace jitbf::cli
