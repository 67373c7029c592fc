// Brainfuck source to IR, in one linear, non-recursive pass.
//
// Runs of `+`/`-` fold into one Add and runs of `>`/`<` into one Move (a run that cancels
// out leaves nothing); `#` is a Dump when debugging; every other character is a comment. Brackets become LoopBegin /
// LoopEnd with their partners' indices. Unmatched brackets are reported all at once.
#pragma once

#include <cstddef>
#include <string_view>

#include "jitbf/jitbf.hpp"
#include "ir.hpp"

namespace jitbf {

inline constexpr std::size_t kMaxReportedErrors = 20;

// `debug` (Options::debug): `#` becomes a Dump of the tape; otherwise it is a comment.
Result<Program> parse(std::string_view source, bool debug = false);

}  // namespace jitbf
