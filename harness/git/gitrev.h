#ifndef PERFGO_GITREV_H
#define PERFGO_GITREV_H

/*
 * Commits for `perfgo run` and `perfgo compare`, through libgit2, in a
 * repository opened with gitrepo_open(): resolve revisions (any rev-parse
 * syntax), ranges and merge bases, read commit facts, and materialise a
 * commit's tree in a private directory without touching the user's working
 * tree, index, HEAD or stash.
 *
 * Errors are reported once.  An unknown revision is PG_EUSAGE; in a
 * shallow clone the message adds the `fetch-depth: 0` hint, since the
 * missing history is the likely cause.
 */

#include "git/gitrepo.h"
#include "util/buf.h"
#include "util/strvec.h"

/* Resolve a revision to a commit: 40 hex digits into sha_out[41]. */
int gitrev_resolve(struct gitrepo *r, const char *rev, char sha_out[41]);
/* The same without a word: PG_ENOTFOUND when `rev` names no commit. */
int gitrev_lookup(struct gitrepo *r, const char *rev, char sha_out[41]);
/* merge-base(a, b), as `git diff A...B` uses. */
int gitrev_merge_base(struct gitrepo *r, const char *a, const char *b, char sha_out[41]);
/*
 * The commits of `a..b` (reachable from b, not from a), oldest first,
 * following first parents only when `first_parent`.
 */
int gitrev_range(struct gitrepo *r, const char *a, const char *b, int first_parent,
		 struct strvec *shas_out);
/*
 * The first-parent chain of `rev` back to the root, oldest first (as
 * `git log --first-parent --reverse`); at most `max` commits, the newest
 * ones, when max > 0.
 */
int gitrev_first_parents(struct gitrepo *r, const char *rev, size_t max,
			 struct strvec *shas_out);

struct commit_info {
	char sha[41];
	char *parents;       /* space-separated shas */
	long long time;      /* committer time, seconds since the epoch */
	char *subject;       /* first line of the message */
};
int gitrev_commit_info(struct gitrepo *r, const char *sha, struct commit_info *out);
void commit_info_release(struct commit_info *ci);

/* A materialised tree, held in use until released. */
struct tree_lease {
	char *dir;           /* <cache_dir>/<sha>; NULL when empty */
	int fd;              /* shared flock on the tree's marker, valid when dir is set */
};
/* Let the tree go (it may be pruned afterwards); a zeroed lease is empty. */
void tree_lease_release(struct tree_lease *t);

/*
 * Materialise `sha` under <cache_dir>/<sha>/ and lease it in *out.  A
 * tree already complete there (its marker names the commit) is reused.
 * Otherwise the tree is checked out aside into <cache_dir>/.build-*,
 * verified (every file of the commit present), given its marker and
 * renamed into place; all of this under an exclusive flock on
 * <cache_dir>/.lock, so concurrent perfgo processes wait for each other,
 * and builds left by a killed perfgo are removed.  The user's index is
 * never updated.  Afterwards at most `keep` trees stay in cache_dir (the
 * least recently used go first, by the marker's mtime in nanoseconds),
 * except that neither this tree nor one leased by another process is
 * removed.
 */
int gitrev_materialise(struct gitrepo *r, const char *sha, const char *cache_dir,
		       int keep, struct tree_lease *out);

/*
 * Read the file `path` ("/"-separated, relative to the top) of commit `sha`
 * into `out`, without checking it out: 0, or PG_ENOTFOUND (not reported)
 * when the commit has no such file.  At most `cap` bytes are read.
 */
int gitrev_read_file(struct gitrepo *r, const char *sha, const char *path, size_t cap,
		     struct buf *out);
/*
 * The names of the files in directory `dir` ("" for the top) of commit
 * `sha`, appended to `names` in tree order: 0, or PG_ENOTFOUND (not
 * reported) when there is no such directory.
 */
int gitrev_list_files(struct gitrepo *r, const char *sha, const char *dir, struct strvec *names);

/* rm -rf; 0 or reported error. */
int remove_tree(const char *path);

#endif
