// The error reports of --emit-c's programs, computed by jitbf and stored in the C as data.
//
// A touch off the tape must be reported exactly as jitbf reports it: position, message and
// the source excerpt with its caret, windowed and escaped as format_error() does. Porting
// that to C would mean a second copy of the UTF-8 decoder and width table to keep in step;
// instead the emitter asks format_error() for the excerpt of every position an op can fault
// at, and the C only fills in the cell number. A line's window is shared by the positions
// that show the same text, so a program of short lines costs one string per line.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "jitbf/jitbf.hpp"

namespace jitbf {

class CSites {
public:
    CSites(std::string_view name, std::string_view source) : name_(name), source_(source) {}

    // The index of `pos` in the table, added on first use.
    std::size_t at(SourcePos pos);
    bool empty() const { return count_ == 0; }
    // `static const char *const PREFIX_windows[]` and `static const struct jbf_site
    // PREFIX_sites[]` (NULL when no op can fault).
    std::string tables(const std::string& prefix) const;

private:
    std::string_view name_, source_;
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> index_;
    std::map<std::string, std::size_t> windows_;  // window text -> its index
    std::string rows_;                            // the sites' initializers, in order
    std::size_t count_ = 0;
};

// `s` as a C string literal: split after newlines and every 100 bytes, escaped so that any
// bytes survive (octal escapes, '?' against trigraphs).
std::string c_string(std::string_view s);

}  // namespace jitbf
