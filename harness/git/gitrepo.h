#ifndef PERFGO_GITREPO_H
#define PERFGO_GITREPO_H

/*
 * The repository handle for `perfgo run` and `perfgo compare`: a libgit2
 * repository with a working tree, opened once and handed to the revision
 * functions of gitrev.h.  Errors are reported once.
 *
 * Ownership: gitrepo_open() hands out a handle that gitrepo_close() frees
 * (NULL is fine); gitrepo_top() points into it.
 */

struct gitrepo;

/*
 * Open the repository containing `dir`.  Outside one, or in a bare one:
 * PG_EUSAGE (reported); libgit2 failing: PG_EENV.
 */
int gitrepo_open(struct gitrepo **out, const char *dir);
void gitrepo_close(struct gitrepo *r);
/* The working directory's top, without a trailing slash. */
const char *gitrepo_top(const struct gitrepo *r);
int gitrepo_is_shallow(const struct gitrepo *r);
/* Tracked files differ from HEAD (untracked files do not count). */
int gitrepo_is_dirty(struct gitrepo *r, int *dirty);

#endif
