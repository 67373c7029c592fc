// Where the jitbf command gets its program: a file, standard input (`-`) or -e CODE.
#pragma once

#include <string>

namespace jitbf::cli {

struct Cli;

// A program as loaded, with what diagnostics need to point into it.
struct Source {
    std::string text;          // the Brainfuck source
    std::string name;          // in messages: the file name, "<stdin>" or "-e"
    std::string input_prefix;  // from `-`: what followed the `!`, the start of the input
};

// Loads the program `cli` names; false (with the message printed) when it cannot be read.
bool load_source(const Cli& cli, Source& src);

}  // namespace jitbf::cli
