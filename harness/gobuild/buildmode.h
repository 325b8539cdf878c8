#ifndef PERFGO_BUILDMODE_H
#define PERFGO_BUILDMODE_H

/*
 * How a commit is built: as the Go module its own go.mod declares, or, for
 * a commit from before Go modules (no go.mod between the package directory
 * and the top of the repository), in GOPATH mode under an import path.
 *
 * buildmode_decide() reads only git objects (nothing is checked out), so
 * every command that builds commits makes the same decision the same way:
 * `run`, `compare` and, later, `bisect` (which should pass the commits of
 * its range as `later`, as `run` does).  The import path of a commit
 * without go.mod comes from, in this order:
 *
 *   1. --import-path (the import path of the repository's top directory);
 *   2. the `// import "..."` comment on the package clause of the commit's
 *      own .go files in the package directory, else the top directory;
 *   3. the `module` line of the go.mod of the nearest later commit that has
 *      one (`later`: the rest of a `run` range, the other side of a
 *      comparison), a /vN suffix left out (code before modules imported
 *      itself without it);
 *   4. the working tree's go.mod.
 *
 * Where none gives one, the decision is PG_EUSAGE with one line naming
 * --import-path.
 */

#include "git/gitrepo.h"
#include "util/buf.h"

struct buildmode {
	int gopath;             /* 0: module mode (the commit has a go.mod) */
	char *import_path;      /* GOPATH mode: the import path of <checkout>/<dir> */
	char *dir;              /* that directory, relative to the top ("" for the top) */
	char *source;           /* where the import path came from, for notes */
};

struct buildmode_hints {
	const char *import_path;        /* --import-path, or NULL */
	const char *workdir;            /* package directory relative to the top ("." at the top) */
	const char *const *later;       /* commits to read a go.mod from, nearest first */
	size_t nlater;
	const char *worktree_top;       /* the working tree (its go.mod comes last), or NULL */
};

/* Decide how `sha` is built.  0, PG_EUSAGE (import path unknown) or a git error. */
int buildmode_decide(struct gitrepo *r, const char *sha, const struct buildmode_hints *h,
		     struct buildmode *out);
void buildmode_release(struct buildmode *m);
void buildmode_copy(struct buildmode *to, const struct buildmode *from);

/*
 * The note perfgo prints and stores for a GOPATH build: "<sha12> has no
 * go.mod: built in GOPATH mode as 'example.com/x' (import path from the
 * go.mod of 0123456789ab)".  Appends to `out`.
 */
void buildmode_describe(const struct buildmode *m, const char *sha, struct buf *out);

/*
 * Place the checkout `tree` of a GOPATH build in its private GOPATH,
 * <tree>/.perfgo-gopath, whose src/<import path> is a link to
 * <tree>/<dir> (go skips directories starting with '.', so "./..." never
 * walks into it).  `*go_dir` becomes the package directory as the go
 * command must see it (through the link: go takes $PWD for the current
 * directory when it names the same place, and a package is in GOPATH only
 * when that path is), `*gopath` the GOPATH.  0 or PG_EENV (reported).
 */
int buildmode_place(const struct buildmode *m, const char *tree, const char *workdir,
		    struct buf *go_dir, struct buf *gopath);

#endif
