#ifndef PERFGO_COMPARE_COMMITS_H
#define PERFGO_COMPARE_COMMITS_H

/*
 * `perfgo compare` on commits: resolve the two sides, measure both on the
 * same runner with identical iteration counts, interleaved A B B A, one
 * run per side linked by a comparison run, and hand each side back as Go
 * benchmark data for the statistics shared with file comparisons.
 *
 * A side is a revision (any rev-parse syntax), "A...B" for the base
 * (merge-base(A, B), as `git diff A...B`), the working tree (the default
 * head when tracked files differ from HEAD), or "run:<id-prefix>" for the
 * samples of a stored run.
 */

#include "measure/bench_tree.h"
#include "session/runrec.h"
#include "git/gitrev.h"
#include "collect/gobench.h"

struct cc_side {
	char sha[41];
	int worktree;           /* the user's working tree, dirty */
	char *label;            /* "e9a604fd57bc", "e9a604fd57bc+dirty", "run:0ca9e811" */
	char run_id[33];        /* set when the side's samples are stored */
	int stored;             /* run:<id> or reused: nothing to measure */
	int from_run;           /* named as run:<id> */
};

struct cc_opts {
	struct testargs *ta;    /* count already defaulted by the caller */
	const struct strvec *events;
	int detail;
	int reuse;              /* take clean commits already measured */
	const struct strvec *only;   /* "pkg\tname" leaves to measure; NULL: all */
};

/*
 * Resolve the sides.  `base_arg`/`head_arg` may be NULL: base HEAD~1, head
 * the working tree when dirty, else HEAD.  A base "A...B" without a head
 * makes B the head.
 */
int cc_resolve(struct workspace *ws, struct gitrepo *repo, const char *base_arg,
	       const char *head_arg, struct cc_side *base, struct cc_side *head);

/*
 * Measure (or reuse) both sides into runs; record the comparison run
 * `cmp_run_id` (already begun by the caller) as linking them.
 */
int cc_measure(struct workspace *ws, struct gitrepo *repo, struct ctx *ctx,
	       struct runner *r, const struct fingerprint *fp, int64_t fp_id,
	       const struct cc_opts *o, struct cc_side *base, struct cc_side *head);

/* A stored run's samples as Go benchmark data (via the gobench format). */
int cc_run_gbfile(struct store *st, const char *run_id, struct gb_file *out);

void cc_side_release(struct cc_side *s);

#endif
