// The C that every program emitted by --emit-c starts with: the tape, jitbf's buffered I/O
// and its error reports, written once here as C text (see emit_c.cpp for the code that
// follows it).
//
// It mirrors the C++ runtime rule by rule, so that a C program behaves as `jitbf` does from
// the outside: output buffered in 64 KiB, flushed when full, before every read of input, at
// the end and on every error; a reader that went away ends the run quietly (status 0), any
// other write error is "jitbf: cannot write output: ..." (status 1); a touch off the tape is
// reported as jitbf reports it (the excerpts come precomputed, emit_c_sites.hpp), after the
// flush, status 1.
// Every bounds check is a macro, so `-DJBF_UNCHECKED` builds the same program without any
// (unsafe: it only measures what the checks cost).
#include "emit_c.hpp"

namespace jitbf {

const std::string_view kCRuntime = R"C(#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Every program uses only some of these. */
#define JBF_FN static __attribute__((unused))

/* Where an op may fault, with the source excerpt jitbf shows for it (NULL: none). */
struct jbf_site {
    unsigned line, col;
    const char *window, *caret;
};

/* What an error report needs to know about the program that runs. */
struct jbf_unit {
    const char *name; /* as jitbf names it in messages, escaped */
    uint64_t cells;   /* the tape's size, rounded up to whole pages as jitbf does */
    const struct jbf_site *sites;
};
static const struct jbf_unit *jbf_u;

static unsigned char jbf_ob[1 << 16]; /* output buffer */
static size_t jbf_on;
static int jbf_oclosed, jbf_oerr; /* closed, and the errno that closed it */
static unsigned char jbf_ib[1 << 16]; /* input buffer */
static size_t jbf_ipos, jbf_ilen;
static int jbf_ieof;

/* Waits until fd is ready: a descriptor may be non-blocking, and EAGAIN is "not yet". */
JBF_FN int jbf_wait(int fd, short events) {
    struct pollfd pfd = {fd, events, 0};
    for (;;) {
        int r = poll(&pfd, 1, -1);
        if (r > 0) return 1;
        if (r < 0 && errno != EINTR) return 0;
    }
}

/* Writes the buffer out; 0 once the output is closed. */
JBF_FN int jbf_flush(void) {
    size_t done = 0;
    if (jbf_oclosed) {
        jbf_on = 0;
        return 0;
    }
    while (done < jbf_on) {
        ssize_t n = write(1, jbf_ob + done, jbf_on - done);
        if (n >= 0) {
            done += (size_t)n;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (!jbf_wait(1, POLLOUT)) break;
        } else if (errno != EINTR) {
            break;
        }
    }
    if (done < jbf_on) {
        jbf_oclosed = 1;
        jbf_oerr = errno;
    }
    jbf_on = 0;
    return !jbf_oclosed;
}

/* The status jitbf exits with after a flush: 1 (and why) for a write error other than a
   reader that went away, else `status`. */
JBF_FN int jbf_output_status(int status) {
    if (jbf_oerr == 0 || jbf_oerr == EPIPE) return status;
    fprintf(stderr, "jitbf: cannot write output: %s\n", strerror(jbf_oerr));
    return 1;
}

/* The output refused bytes: the run stops there. */
JBF_FN __attribute__((noreturn, cold, noinline)) void jbf_output_closed(void) {
    exit(jbf_output_status(0));
}

JBF_FN __attribute__((cold, noinline)) void jbf_put_full(void) {
    if (!jbf_flush()) jbf_output_closed();
}

#define JBF_PUT(v)                                            \
    do {                                                      \
        unsigned char jbf_v = (unsigned char)(v);             \
        jbf_ob[jbf_on++] = jbf_v;                             \
        if (__builtin_expect(jbf_on == sizeof jbf_ob, 0)) jbf_put_full(); \
    } while (0)

JBF_FN void jbf_write(const char *s, size_t n) {
    while (n > 0) {
        size_t k = sizeof jbf_ob - jbf_on < n ? sizeof jbf_ob - jbf_on : n;
        memcpy(jbf_ob + jbf_on, s, k);
        jbf_on += k;
        s += k;
        n -= k;
        if (jbf_on == sizeof jbf_ob) jbf_put_full();
    }
}

/* The next input byte, or -1 at the end of input (which stays the end). Output is
   flushed first, so a prompt shows before the program waits. */
JBF_FN int jbf_in(void) {
    if (!jbf_flush()) jbf_output_closed();
    if (jbf_ipos < jbf_ilen) return jbf_ib[jbf_ipos++];
    while (!jbf_ieof) {
        ssize_t n = read(0, jbf_ib, sizeof jbf_ib);
        if (n > 0) {
            jbf_ilen = (size_t)n;
            jbf_ipos = 1;
            return jbf_ib[0];
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && jbf_wait(0, POLLIN)) continue;
        jbf_ieof = 1;
    }
    return -1;
}

/* "jitbf: NAME:LINE:COL: runtime error: MESSAGE", then the excerpt: format_error()'s
   report, built whole and then written, as jitbf does. */
JBF_FN void jbf_report(const struct jbf_site *s, const char *message) {
    size_t cap = strlen(jbf_u->name) + strlen(message) + 64, at;
    char *out;
    if (s->window) cap += strlen(s->window) + strlen(s->caret);
    out = malloc(cap);
    if (!out) return;
    if (s->line != 0)
        at = (size_t)snprintf(out, cap, "jitbf: %s:%u:%u: runtime error: %s\n", jbf_u->name,
                              s->line, s->col, message);
    else
        at = (size_t)snprintf(out, cap, "jitbf: %s: runtime error: %s\n", jbf_u->name, message);
    if (s->window) at += (size_t)snprintf(out + at, cap - at, "%s%s", s->window, s->caret);
    fwrite(out, 1, at, stderr);
    free(out);
}

/* A touch of cell `at`, off the tape, by the op of `site`: jitbf's runtime error, after
   the output before it. */
JBF_FN __attribute__((noreturn, cold, noinline)) void jbf_fault(int64_t at, unsigned site) {
    char message[128];
    jbf_flush();
    if (jbf_output_status(0) != 0) exit(1);
    if (at < 0)
        snprintf(message, sizeof message, "cell %lld is off the tape (touched here)",
                 (long long)at);
    else
        snprintf(message, sizeof message,
                 "cell %lld is off the tape, which ends at cell %llu (touched here)",
                 (long long)at, (unsigned long long)(jbf_u->cells - 1));
    jbf_report(&jbf_u->sites[site], message);
    exit(1);
}

/* The touches of a straight span without I/O, in order: the cell at p + off, by the op at
   line:col. When its span check fails, the first touch off the tape is the fault, and
   nothing the program could see happens before it, so the span does not run at all. */
struct jbf_touch {
    int64_t off;
    unsigned site;
};

JBF_FN __attribute__((noreturn, cold, noinline)) void jbf_span_fault(
    int64_t p, const struct jbf_touch *touch, size_t n) {
    size_t i;
    for (i = 0; i < n; ++i)
        if ((uint64_t)(p + touch[i].off) >= jbf_u->cells)
            jbf_fault(p + touch[i].off, touch[i].site);
    fputs("jitbf: internal error: a failed span check found no fault\n", stderr);
    abort();
}

/* A straight span whose check failed ran to its end without faulting: the emitter's
   reasoning is wrong. Never reached; it tells the C compiler that this path does not come
   back. */
JBF_FN __attribute__((noreturn, cold, noinline)) void jbf_bug(void) {
    fputs("jitbf: internal error: a failed span check did not fault\n", stderr);
    abort();
}

/* Cells start at zero and cost memory only once touched. `malloc` tells the C compiler
   that nothing else points into the tape, so calls cannot change cells behind its back. */
JBF_FN __attribute__((malloc, noinline)) void *jbf_tape(uint64_t cells, size_t cell_bytes) {
    void *m = mmap(NULL, cells * cell_bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
        fprintf(stderr, "jitbf: cannot map a tape of %llu cells of %u bits: %s\n",
                (unsigned long long)cells, (unsigned)(8 * cell_bytes), strerror(errno));
        exit(1);
    }
    return m;
}

JBF_FN int64_t jbf_check(int64_t at, uint64_t cells, unsigned site) {
    if (__builtin_expect((uint64_t)at >= cells, 0)) jbf_fault(at, site);
    return at;
}

/* The bounds checks. JBF_SPAN: all of cells [p+lo, p+lo+width) are on the tape.
   JBF_AT: the cell at p+o, checked, for the op of `site`. JBF_RIGHT / JBF_LEFT: a scan's
   next cell has not run off that end. */
#ifdef JBF_UNCHECKED
#define JBF_SPAN(lo, width) 1
#define JBF_AT(o, site) t[p + (o)]
#define JBF_RIGHT(at, site) ((void)0)
#define JBF_LEFT(at, site) ((void)0)
#else
#define JBF_SPAN(lo, width) \
    __builtin_expect((uint64_t)(p + (lo)) <= JBF_CELLS - (uint64_t)(width), 1)
#define JBF_AT(o, site) t[jbf_check(p + (o), JBF_CELLS, site)]
#define JBF_RIGHT(at, site) \
    do { if (__builtin_expect((at) >= (int64_t)JBF_CELLS, 0)) jbf_fault(at, site); } while (0)
#define JBF_LEFT(at, site) \
    do { if (__builtin_expect((at) < 0, 0)) jbf_fault(at, site); } while (0)
#endif
)C";

}  // namespace jitbf
