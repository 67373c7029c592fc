// Options::newline (--newline=lf): CR LF and a lone CR in the input read as 10, on both
// backends, also when a CR ends one read of the input and its LF starts the next.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "jitbf/jitbf.hpp"

namespace newline_test {

namespace {

using namespace jitbf;

// Everything get_lf() gives, as a string (an end of input ends it).
std::string read_lf(Input& in) {
    std::string s;
    for (int c = in.get_lf(); c >= 0; c = in.get_lf()) s += static_cast<char>(c);
    return s;
}

// An input whose reads return the given chunks, one per read.
Input chunked(std::vector<std::string> chunks) {
    auto next = std::make_shared<std::size_t>(0);
    auto all = std::make_shared<std::vector<std::string>>(std::move(chunks));
    return Input::callback([next, all](char* buf, std::size_t size) -> std::size_t {
        if (*next == all->size()) return 0;
        const std::string& c = (*all)[(*next)++];
        REQUIRE(c.size() <= size);
        c.copy(buf, c.size());
        return c.size();
    });
}

std::string run(std::string_view src, Options opts, const std::string& input) {
    auto prog = compile(src, opts);
    REQUIRE(prog);
    std::string text;
    auto in = Input::memory(input);
    auto out = Output::memory(&text);
    REQUIRE(prog->run(in, out).ok());
    return text;
}

}  // namespace

TEST_CASE("with lf, CR LF and a lone CR read as one LF, and other bytes as they are") {
    auto in = Input::memory("a\r\nb\rc\n\r\r\n\n\rd");
    CHECK(read_lf(in) == "a\nb\nc\n\n\n\n\nd");
}

TEST_CASE(
    "with lf, a CR at the end of one read and an LF at the start of the next are one newline") {
    auto in = chunked({"a\r", "\nb\r", "c\r", "", "x"});
    CHECK(read_lf(in) == "a\nb\nc\n");  // a read of 0 bytes is the end of input
    auto split = chunked({"\r", "\n", "\n"});
    CHECK(read_lf(split) == "\n\n");
}

TEST_CASE("with lf, an LF after a CR in the prefix and one in the next read is one newline") {
    auto in = Input::callback(
        [done = false](char* buf, std::size_t) mutable -> std::size_t {
            if (done) return 0;
            done = true;
            buf[0] = '\n';
            buf[1] = 'z';
            return 2;
        },
        "y\r");
    CHECK(read_lf(in) == "y\nz");
}

TEST_CASE("both backends read line ends as lf says, at every width, and keep them by default") {
    const std::string input = "a\r\nb\rc\n";
    for (Backend b : {Backend::Jit, Backend::Interp}) {
        for (int bits : {8, 16, 32}) {
            Options o;
            o.backend = b;
            o.cell_bits = bits;
            o.eof = EofMode::Zero;
            CHECK(run(",[.,]", o, input) == input);
            o.newline = Newline::Lf;
            CHECK(run(",[.,]", o, input) == "a\nb\nc\n");
            // Cells see 10, not 13: `----------[` skips the newlines.
            CHECK(run(",[----------[++++++++++.[-]],]", o, input) == "abc");
        }
    }
}

}  // namespace newline_test
