// What a value typed on the command line means: the readers of option values and the
// wording of the messages that refuse them. Kept apart from options.cpp because none of it
// needs CLI11, so it can be read, changed and tested without the option definitions.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace jitbf::cli {

// A usage error: the message after "jitbf: ".
struct UsageError {
    std::string message;
};

inline constexpr const char* kSeeHelp = "; see jitbf --help";

// About 31 years: more would overflow the nanoseconds of Options::timeout.
inline constexpr double kMaxTimeoutSeconds = 1e9;

// `s` in single quotes, with control bytes and bad UTF-8 escaped.
std::string in_quotes(std::string_view s);

// What an option that takes a value accepts, for the messages about it.
std::string accepted(std::string_view option);

// The message refusing `value` for `option`.
UsageError bad_value(std::string_view option, std::string_view value);

// One option's value from a list of choices.
template <class T>
T choose(std::string_view option, const std::string& value,
         std::initializer_list<std::pair<const char*, T>> choices) {
    for (const auto& [name, v] : choices)
        if (value == name) return v;
    throw bad_value(option, value);
}

// A whole number from `min` to `max`, digits only (CLI11 would take "-1" or " 5").
std::uint64_t whole_number(std::string_view option, std::string_view value, std::uint64_t min,
                           std::uint64_t max);

// --timeout: seconds, fractions allowed, as nanoseconds; a tiny positive value is still a
// limit, never rounded down to none.
std::chrono::nanoseconds timeout(std::string_view value);

// The Levenshtein distance between two option names.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace jitbf::cli
