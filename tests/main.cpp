// The doctest runner for all of jitbf's unit and end-to-end tests.
//
// Before running, it tells malloc to keep the memory it has instead of giving it back: the
// JIT tests compile tens of thousands of small programs, and with glibc's defaults each one
// grew the heap with brk and shrank it again: four system calls that each flush the TLB (a
// fifth of the system time of the scan sweeps, most of their time). The library's own
// mappings (tapes, code) are untouched. Under the sanitizers, whose allocator is their
// own, mallopt does nothing.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <malloc.h>

int main(int argc, char** argv) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest glibc takes
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    doctest::Context context(argc, argv);
    return context.run();
}
