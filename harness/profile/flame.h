#ifndef PERFGO_FLAME_H
#define PERFGO_FLAME_H

/*
 * A flame graph of a profile as one self-contained HTML file (no network,
 * no external script or style): the call tree from the outermost frame to
 * the innermost, inlined frames expanded, each node's width its share of
 * the event's total (the period sums).  Click a frame to zoom into it
 * (click the root to zoom out); the search box highlights the frames whose
 * function matches a regular expression and says what share they hold.
 * The tree is embedded as JSON: {"title", "unit", "diff", "names": [...],
 * "root": [name, value, [children...]]} with name an index into names.
 *
 * A difference graph (flame_diff_*) holds both profiles in one tree: each
 * node is [name, value, [children...], base value], its width the
 * profile's share, its colour the change of that share against the base
 * (red: grew, blue: shrank, white: the same).
 */

#include "profile/profile.h"
#include "util/buf.h"

/* The page for `p` appended to `out`. */
void flame_html(const struct profile *p, const char *title, struct buf *out);

/* The same written to `path`.  0, or PG_EENV (reported). */
int flame_write(const struct profile *p, const char *title, const char *path);

/* The difference graph of `p` against `base`, appended / written. */
void flame_diff_html(const struct profile *p, const struct profile *base, const char *title,
		     struct buf *out);
int flame_diff_write(const struct profile *p, const struct profile *base, const char *title,
		     const char *path);

#endif
