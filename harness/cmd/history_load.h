#ifndef PERFGO_HISTORY_LOAD_H
#define PERFGO_HISTORY_LOAD_H

/*
 * The histories `perfgo history`, `perfgo report` and `perfgo run` show:
 * the stored samples of every (benchmark, metric) selected, ordered by the
 * first-parent chain of HEAD when the store sits in a git repository (as
 * `git log --first-parent`; commits measured off that chain are left out
 * and counted in `dropped`), by commit time otherwise, and turned into
 * trends (analysis/trend.h).
 */

#include "analysis/trend.h"
#include "git/gitrepo.h"
#include "session/workspace.h"
#include "store/store.h"
#include "util/strvec.h"

struct history_query {
	const char *bench_regex;      /* POSIX extended, on the benchmark name; NULL: all */
	const struct strvec *metrics; /* "all" or empty: every metric */
	const char *since;            /* a revision on the chain, or YYYY-MM-DD; NULL */
	const char *head;             /* the chain's tip; NULL: HEAD */
};

struct history_set {
	struct trend *t;
	size_t nt, alloc;
	size_t dropped;               /* samples of commits off the chain */
	/* What the trends borrow. */
	struct trend_samples *samples;
	struct trend_key *keys;
	struct strvec order;
	size_t nsamples, nkeys;
};

/* `repo` may be NULL (commit-time order).  PG_EUSAGE for a bad regex or --since. */
int history_load(struct store *st, struct gitrepo *repo, const struct history_query *q,
		 struct history_set *out);
void history_set_release(struct history_set *h);

/*
 * What `perfgo history` and `perfgo report` read: the workspace's store
 * (never created), the repository when there is one (outside one the
 * history is in commit-time order), and the histories `q` selects.
 */
struct history_view {
	struct workspace ws;
	struct gitrepo *repo;         /* NULL outside a repository */
	struct history_set h;
	int empty;                    /* no store yet (ws.dir says where); h is empty */
};

/*
 * Open and load; nothing recorded yet is 0 with `empty` set, not reported,
 * for the command to word.  history_view_release() in every case.
 */
int history_view_open(struct history_view *v, const struct history_query *q);
void history_view_release(struct history_view *v);

#endif
