// Parser: folding, positions, bracket matching and errors.
#include <doctest/doctest.h>

#include "jitbf/parse.hpp"

using namespace jitbf;

TEST_CASE("runs of + and - fold into one add, cancelling") {
    auto r = parse("+++--+");
    REQUIRE(r);
    REQUIRE(r->code.size() == 1);
    CHECK(r->code[0].op == Op::Add);
    CHECK(r->code[0].arg == 2);
}

TEST_CASE("a run that cancels out leaves nothing") {
    auto r = parse("+-<>");
    REQUIRE(r);
    CHECK(r->code.empty());
}
