#ifndef PERFGO_COMPARE_SIDES_H
#define PERFGO_COMPARE_SIDES_H

/*
 * The two sides of `perfgo compare` on revisions: resolve them, and
 * measure both on the same runner with identical iteration counts,
 * interleaved A B B A, one run per side (compare_revs.c links them by a
 * comparison run and compares their stored samples).
 *
 * A side is a revision (any rev-parse syntax), "A...B" for the base
 * (merge-base(A, B), as `git diff A...B`), the working tree (the default
 * head when tracked files differ from HEAD), or "run:<id-prefix>" for the
 * samples of a stored run.
 */

#include "measure/bench_tree.h"
#include "session/runrec.h"
#include "git/gitrev.h"
#include "gobuild/buildmode.h"

struct compare_side {
	char sha[41];
	int worktree;           /* the user's working tree, dirty */
	char *label;            /* "e9a604fd57bc", "e9a604fd57bc+dirty", "run:0ca9e811" */
	char run_id[33];        /* set when the side's samples are stored */
	int stored;             /* run:<id> or reused: nothing to measure */
	int from_run;           /* named as run:<id> */
	struct buildmode mode;  /* how it is (or, for run:<id>, was) built */
};

/*
 * How each side is built (buildmode.h): a commit without go.mod in GOPATH
 * mode, its import path from `import_path` (--import-path), its own import
 * comment, the other side's go.mod or the working tree's.  A run:<id>
 * side takes the mode its stored configuration records; the working tree
 * is built by go's usual rules.  0 or PG_EUSAGE (import path unknown).
 * NEEDSWORK: bisect should decide each commit the same way, with the
 * commits of its range as the later ones.
 */
int compare_sides_buildmodes(struct workspace *ws, struct gitrepo *repo, const char *import_path,
			     struct compare_side *base, struct compare_side *head);

struct compare_sides_opts {
	struct testargs *ta;    /* count already defaulted by the caller */
	const struct strvec *events;
	int detail;
	int reuse;              /* take clean commits already measured */
	const struct strvec *only;   /* "pkg\tname" leaves to measure; NULL: all */
	const struct backend *backend;  /* the session's: perf stat or the simulation */
	const char *tool;       /* the fingerprint's tool version (config_add_counters) */
};

/*
 * How one side argument reads, before anything is resolved: "run:<sel>"
 * (a = the selector), "A...B" (merge-base(a, b); an empty A or B is HEAD)
 * or a revision (a).  The strings are owned.  Pure.
 */
enum side_kind { SIDE_REV = 0, SIDE_MERGE_BASE, SIDE_RUN };
struct side_arg {
	enum side_kind kind;
	char *a, *b;
};
void side_arg_parse(const char *arg, struct side_arg *out);
void side_arg_release(struct side_arg *s);
/* The head a base "A...B" implies when none is given: B when not empty, else NULL. */
const char *side_arg_implied_head(const char *base_arg);

/*
 * Resolve the sides.  Without revisions (`base_arg` NULL): HEAD against
 * the working tree when tracked files differ from HEAD (the change being
 * made), else HEAD~1 against HEAD; *chosen then says which, in words (NULL
 * when revisions were given).  With a base only: the head is the working
 * tree when dirty, else HEAD.  A base "A...B" without a head makes B the
 * head.
 */
int compare_sides_resolve(struct workspace *ws, struct gitrepo *repo, const char *base_arg,
			  const char *head_arg, struct compare_side *base,
			  struct compare_side *head, const char **chosen);

/*
 * Measure (or reuse, with o->reuse) both sides, each into a run of its
 * own ("compare base", "compare head"); a side's run_id is set either way.
 * The caller links them to its comparison run.
 */
int compare_sides_measure(struct workspace *ws, struct gitrepo *repo, struct ctx *ctx,
			  struct runner *r, const struct fingerprint *fp, int64_t fp_id,
			  const struct compare_sides_opts *o, struct compare_side *base,
			  struct compare_side *head);

void compare_side_release(struct compare_side *s);

#endif
