#ifndef PERFGO_GC_PLAN_H
#define PERFGO_GC_PLAN_H

/*
 * Which runs `perfgo gc` removes: a pure function over the run rows, so the
 * rules are tested without a database (tests/unit/test_gc.c).
 *
 * A run is a candidate when every limit given says so: started before the
 * age cutoff (--older-than) and not among the `keep` newest runs by run
 * order (--keep).  A candidate is still kept when
 *
 *  - history needs it: it is, for some (commit, runner class, configuration,
 *    benchmark, metric), the newest clean successful `perfgo run` run with
 *    samples of it: the run `perfgo history` and `report` read, and the one
 *    `run` skips a commit for and `bisect --reuse` takes (store_gc.c computes
 *    the flag); unless `history` in the policy is set;
 *  - it is still marked running and no age cutoff covers it: it may be in
 *    progress in another process (the age limit sweeps runs a kill -9 left);
 *  - it is linked by a stored comparison to a run that is kept: a comparison
 *    and its two measured runs are kept or removed together (links are
 *    followed transitively, a measured run may serve several comparisons).
 */

#include <stddef.h>
#include <stdint.h>

enum gc_keep {
	GC_REMOVE = 0,        /* goes */
	GC_KEPT_LIMIT,        /* newer than the age cutoff or among the newest `keep` */
	GC_KEPT_HISTORY,      /* a history point needs it */
	GC_KEPT_RUNNING,      /* marked running, no age cutoff covers it */
	GC_KEPT_LINKED        /* a comparison ties it to a kept run */
};

struct gc_run {
	int64_t seq;          /* run order */
	int64_t started_ns;
	int running;          /* status 'running' */
	int history;          /* history needs it (see above) */
	enum gc_keep keep;    /* the decision, set by gc_plan() */
};

/* A stored comparison's run `a` and one of its measured runs `b`. */
struct gc_link {
	int64_t a, b;
};

struct gc_policy {
	int64_t before_ns;    /* age cutoff: runs started before it; 0 none */
	long keep;            /* keep the newest `keep` runs; < 0 none */
	int history;          /* 1: runs history needs may go too */
};

/*
 * Decide every run's `keep`; `runs` may be in any order, links naming
 * unknown runs are ignored.  Returns the number of runs that go.
 */
size_t gc_plan(struct gc_run *runs, size_t n, const struct gc_link *links, size_t nlinks,
	       const struct gc_policy *p);

#endif
