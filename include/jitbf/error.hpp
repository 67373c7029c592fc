// User errors as values: a source position and a message, never an exception or exit().
//
// Parse errors, runtime errors and bad options all travel as Error; the CLI decides how to
// print them (with the offending source line and a caret) and which exit status to use.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <variant>
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

// A value or the user errors that prevented it (several at once: every unmatched bracket).
// A variant, so T needs no empty state; reading the value of an error is a bug (asserted).
// C++20 has no std::expected, and that one holds a single error.
template <class T>
class Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(Error err) : v_(std::in_place_index<1>, std::vector<Error>{std::move(err)}) {}
    Result(std::vector<Error> errs) : v_(std::in_place_index<1>, std::move(errs)) {
        assert(!std::get<1>(v_).empty());
    }

    explicit operator bool() const { return v_.index() == 0; }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
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

}  // namespace jitbf
