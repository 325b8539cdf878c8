#ifndef PERFGO_PPROF_TOP_H
#define PERFGO_PPROF_TOP_H

/*
 * The top functions of a pprof file (`perfgo view` of a profile run): by
 * the default sample type, flat (the function is the sample's innermost
 * frame, inlined frames included) and cumulative (the function is
 * anywhere on the stack, once per sample), as `go tool pprof -top` counts
 * them, sorted by flat.
 */

#include <stddef.h>

#include "util/buf.h"

/*
 * Append to `out` a summary line and the `n` functions with the most
 * flat samples of the gzipped profile at `path`.  0, or an error
 * (reported: unreadable, not a profile).
 */
int pprof_top(const char *path, size_t n, struct buf *out);

#endif
