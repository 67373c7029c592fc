// The error-report tables of emitted C (see emit_c_sites.hpp).
#include "emit_c_sites.hpp"

#include <cstdio>
#include <vector>

namespace jitbf {

std::string c_string(std::string_view s) {
    std::string out = "\"";
    std::size_t on_line = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c == '\\' || c == '?') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            // Three digits, so that a digit after the escape stays a digit.
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\%03o", c);
            out += buf;
        }
        if ((c == '\n' || ++on_line >= 100) && i + 1 < s.size()) {
            out += "\"\n    \"";
            on_line = 0;
        }
    }
    return out + "\"";
}

std::size_t CSites::at(SourcePos pos) {
    const auto [it, added] = index_.try_emplace({pos.line, pos.col}, count_);
    if (!added) return it->second;
    // With an empty message the report is "NAME:L:C: runtime error: \n" and then the
    // excerpt, if any: the window line and the caret line. The name is escaped, so the
    // first newline ends the head, and the next one the window.
    const std::string full = format_error(Error{pos, ""}, name_, "runtime error", source_);
    const std::size_t head = full.find('\n') + 1;
    std::string window = "NULL", caret = "NULL";
    if (head < full.size()) {
        const std::size_t end = full.find('\n', head) + 1;
        const auto [w, fresh] =
            windows_.try_emplace(full.substr(head, end - head), windows_.size());
        window = "W[" + std::to_string(w->second) + "]";
        caret = c_string(full.substr(end));
    }
    rows_ += "    {" + std::to_string(pos.line) + ", " + std::to_string(pos.col) + ", " + window +
             ", " + caret + "},\n";
    return count_++;
}

std::string CSites::tables(const std::string& prefix) const {
    if (count_ == 0) return {};
    std::vector<const std::string*> by_index(windows_.size());
    for (const auto& [text, k] : windows_) by_index[k] = &text;
    std::string out = "#define W " + prefix + "_windows\n";
    if (!by_index.empty()) {
        out += "static const char *const " + prefix + "_windows[] = {\n";
        for (const std::string* w : by_index) out += "    " + c_string(*w) + ",\n";
        out += "};\n";
    }
    out += "static const struct jbf_site " + prefix + "_sites[] = {\n" + rows_ + "};\n#undef W\n";
    return out;
}

}  // namespace jitbf
