#ifndef PERFGO_PPROF_TOP_H
#define PERFGO_PPROF_TOP_H

/*
 * Reading pprof files back.  The top functions (`perfgo view` of a profile run): by
 * the default sample type, flat (the function is the sample's innermost
 * frame, inlined frames included) and cumulative (the function is
 * anywhere on the stack, once per sample), as `go tool pprof -top` counts
 * them, sorted by flat.
 */

#include <stddef.h>

#include "profile/profile.h"
#include "util/buf.h"
#include "util/strvec.h"

/*
 * Append to `out` a summary line and the `n` functions with the most
 * flat samples of the gzipped profile at `path`.  0, or an error
 * (reported: unreadable, not a profile).
 */
int pprof_top(const char *path, size_t n, struct buf *out);

/*
 * Read the gzipped profile at `path` into `p` (profile_init'ed): its
 * strings, functions, locations by id (mapping 0, address = the id) with
 * their lines, and samples (thread 0) valued by the default sample type,
 * which becomes p->event.  Enough for a tree of its stacks (flame.h).  0,
 * or PG_EENV (reported).
 */
int pprof_read(const char *path, struct profile *p);

/*
 * Push onto `files` the file names of the mappings of the gzipped profile
 * at `path` (empty ones skipped): what the profile needs besides itself,
 * e.g. "binaries/<sha256>/<pkg>.test" (`perfgo gc` keeps those).  0, or
 * PG_EENV when it cannot be read or is not a profile (not reported: the
 * caller says what that means for it).
 */
int pprof_mapping_files(const char *path, struct strvec *files);

#endif
