// Readers of option values and the wording of their errors (see option_values.hpp).
#include "option_values.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

#include "jitbf/jitbf.hpp"
#include "text.hpp"

namespace jitbf::cli {

std::string in_quotes(std::string_view s) {
    // Appended, not "'" + ... + "'": gcc 12 at -O3 warns falsely (-Wrestrict) on that form.
    std::string quoted = "'";
    quoted += text::shown(s);
    quoted += '\'';
    return quoted;
}

std::string accepted(std::string_view option) {
    if (option == "-e") return "the program's code";
    if (option == "--backend") return "jit or interp";
    if (option == "--cell-bits") return "8, 16 or 32";
    if (option == "--eof") return "unchanged, zero or minus-one";
    if (option == "--tape-cells")
        return "a whole number from 1 to " + std::to_string(kMaxTapeCells);
    if (option == "--timeout") return "a number of seconds from 0 (no limit) to 1e9";
    if (option == "--max-steps") return "a whole number of loop iterations, 0 for no limit";
    if (option == "--watch") return "a cell number from 0 to " + std::to_string(kMaxTapeCells - 1);
    if (option == "--debug-window")
        return "a whole number of cells from 0 to " + std::to_string(kMaxDebugWindow);
    if (option == "--newline") return "keep or lf";
    return "a value";
}

UsageError bad_value(std::string_view option, std::string_view value) {
    return UsageError{std::string(option) + " must be " + accepted(option) + ", not " +
                      in_quotes(value)};
}

std::uint64_t whole_number(std::string_view option, std::string_view value, std::uint64_t min,
                           std::uint64_t max) {
    std::uint64_t n = 0;
    const char* end = value.data() + value.size();
    const auto [stop, ec] = std::from_chars(value.data(), end, n);
    if (value.empty() || value.find_first_not_of("0123456789") != std::string_view::npos ||
        ec != std::errc{} || stop != end || n < min || n > max)
        throw bad_value(option, value);
    return n;
}

std::chrono::nanoseconds timeout(std::string_view value) {
    double secs = -1;
    const char* end = value.data() + value.size();
    const auto [stop, ec] = std::from_chars(value.data(), end, secs);
    if (value.empty() || ec != std::errc{} || stop != end || !(secs >= 0) ||
        secs > kMaxTimeoutSeconds)
        throw bad_value("--timeout", value);
    return std::chrono::nanoseconds(static_cast<std::int64_t>(std::ceil(secs * 1e9)));
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
            diag = up;
        }
    }
    return row[b.size()];
}

}  // namespace jitbf::cli
