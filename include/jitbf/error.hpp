// User errors as values: a source position and a message, never an exception or exit().
//
// Parse errors, runtime errors and bad options all travel as Error; the CLI decides how to
// print them (with the offending source line and a caret) and which exit status to use.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "jitbf/ir.hpp"

namespace jitbf {

struct Error {
    SourcePos pos;        // {0, 0} when the error has no place in the source
    std::string message;  // lower case, no trailing period: "unmatched '['"
};

// "NAME:LINE:COL: KIND: MESSAGE" followed, when `source` has that line, by the line itself
// and a caret under the column. Tabs are kept so the caret lines up in a terminal.
std::string format_error(const Error& err, std::string_view name, std::string_view kind,
                         std::string_view source);

}  // namespace jitbf

namespace jitbf {

// A value or the user errors that prevented it. Small on purpose: C++20 has no
// std::expected, and we need several errors at once (every unmatched bracket).
template <class T>
class Result {
public:
    Result(T value) : value_(std::move(value)), ok_(true) {}
    Result(Error err) : errors_{std::move(err)} {}
    Result(std::vector<Error> errs) : errors_(std::move(errs)) {}

    explicit operator bool() const { return ok_; }
    T& operator*() { return value_; }
    const T& operator*() const { return value_; }
    T* operator->() { return &value_; }
    const T* operator->() const { return &value_; }
    const std::vector<Error>& errors() const { return errors_; }

private:
    T value_{};
    std::vector<Error> errors_;
    bool ok_ = false;
};

}  // namespace jitbf
