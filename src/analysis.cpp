// The shared IR facts of analysis.hpp.
#include "analysis.hpp"

namespace jitbf {

std::vector<char> moving_bodies(const std::vector<Instr>& code) {
    std::vector<char> moves(code.size(), 0);
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const Op op = code[i].op;
        if (opens(op)) {
            open.push_back(i);
        } else if (closes(op)) {
            const std::size_t b = open.back();
            open.pop_back();
            if (moves[b] && !open.empty()) moves[open.back()] = 1;
        } else if (info(op).moves && !open.empty()) {
            moves[open.back()] = 1;
        }
    }
    return moves;
}

}  // namespace jitbf
