// The libFuzzer entry point of one fuzz target: JITBF_FUZZ_TARGET names its check (see
// checks.hpp), so the three executables differ by a compile definition only. A failed check
// prints what went wrong and aborts, which libFuzzer reports as a crash and saves the input.
#include <cstdio>
#include <cstdlib>

#include "checks.hpp"

// The JIT reports off-tape errors from its own SIGSEGV handler; AddressSanitizer must let
// it install one (the asan test preset sets the same through ASAN_OPTIONS).
extern "C" const char* __asan_default_options() {
    return "handle_segv=0:allow_user_segv_handler=1";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const jitbf::fuzz::Check check = jitbf::fuzz::check_named(JITBF_FUZZ_TARGET);
    const jitbf::fuzz::Case c = jitbf::fuzz::decode(data, size);
    if (std::string failure = check(c); !failure.empty()) {
        std::fprintf(stderr, "jitbf fuzz target %s: %s\n", JITBF_FUZZ_TARGET, failure.c_str());
        std::abort();
    }
    return 0;
}
