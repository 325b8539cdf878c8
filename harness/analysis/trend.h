#ifndef PERFGO_TREND_H
#define PERFGO_TREND_H

/*
 * A benchmark's history as users see it (`perfgo history`, `perfgo run`'s
 * "moved" lines, the trend charts): the stored samples of one (benchmark,
 * metric) over commits, one point per commit and runner class, with the
 * decisions of DESIGN §5 attached to the points:
 *
 *  - a point is the median of the repetitions of the newest run of that
 *    commit on that runner class (fingerprint_hash), with the 95 %
 *    order-statistic CI of the median and n;
 *  - series are split by runner class: numbers from different machines
 *    are never drawn on one line nor tested against each other;
 *  - change points: cp_detect() (E-divisive means with a t-test, window 50,
 *    p 0.001, split-corrected p-values) over the medians of a series; the
 *    point that starts a new segment carries the change (relative size of
 *    the segment means, p-value);
 *  - outliers: each point against the Student-t prediction interval
 *    (hist_predict(), 99 % one-sided bounds) of the medians before it in
 *    its segment (up to 64 of them, at least TREND_PI_MIN);
 *  - moved: the relative change from the previous point of the series is
 *    beyond the learned threshold max(class θ, hist_learn_threshold() over
 *    the points before it, last 30), with evidence: both medians' CIs known
 *    (6 repetitions or more) and apart, or both points exact (3 or more
 *    repetitions, all equal: allocs/op, B/op).  Noise on a shared runner
 *    easily moves a median by more than θ from one commit to the next.
 *
 * Pure data in, data out: the harness reads the samples (store/store_trend.h)
 * and the commit order (git's first-parent walk), analysis decides.
 * Strings in the result are borrowed from the input, which must outlive it.
 */

#include <stddef.h>
#include <stdint.h>

/* Fewest previous points a prediction interval is computed from. */
#define TREND_PI_MIN 3
/* Most previous points a prediction interval is computed from. */
#define TREND_PI_MAX 64
/* Points the learned threshold looks back over. */
#define TREND_THETA_WINDOW 30

/*
 * One stored sample, as the store reads it.  The strings are shared by
 * the samples of a run and owned by the list (trend_samples_own()).
 */
struct trend_sample {
	const char *sha, *subject;
	long long time;          /* committer time, seconds since the epoch */
	const char *fp_class;    /* fingerprint_hash() of the runner; "" when none */
	int64_t run_seq;         /* orders runs: the newest run of a commit wins */
	double value;
};

struct trend_samples {
	struct trend_sample *v;
	size_t nr, alloc;
	char **owned;            /* the strings the samples point to */
	size_t nowned, owned_alloc;
};
#define TREND_SAMPLES_INIT { NULL, 0, 0, NULL, 0, 0 }
/* Hand `s` (malloc'd) to the list; returns it. */
const char *trend_samples_own(struct trend_samples *l, char *s);
void trend_samples_release(struct trend_samples *l);

struct trend_point {
	const char *sha, *subject;
	long long time;
	size_t n;
	double median, ci_lo, ci_hi;   /* ci_ok 0: too few repetitions, bounds infinite */
	int ci_ok;
	int exact;                     /* 3+ repetitions, all equal */
	/* Change point: a new segment starts here. */
	int change;
	double change_rel;             /* mean after / mean before - 1 */
	double change_p;
	/* Prediction interval of the points before it in its segment. */
	int pi_ok;
	double pi_lo, pi_hi;
	int outlier;                   /* -1 below, +1 above the interval, 0 inside or none */
	/* Relative change from the previous point, and the threshold it met. */
	double rel, theta;
	int moved;                     /* |rel| > theta */
};

struct trend_series {
	const char *fp_class;
	struct trend_point *pts;       /* commit order, oldest first */
	size_t n;
	size_t nchanges;
};

struct trend {
	const char *package, *name, *metric;
	double class_theta;            /* the metric class's threshold (stats metric_lookup) */
	int better;                    /* -1 lower is better, +1 higher */
	struct trend_series *s;
	size_t ns;
	size_t dropped;                /* samples of commits not in the order given */
};
#define TREND_INIT { NULL, NULL, NULL, 0, -1, NULL, 0, 0 }

/*
 * Build the trend of one (package, name, metric) from `in` (any order).
 * `order` lists commit shas oldest first (first-parent order); samples of
 * commits not in it are dropped and counted.  With `order` NULL the
 * commits are ordered by committer time, then by run.  Returns 0, or a
 * negative stats error (allocation) with `out` released.
 */
int trend_build(struct trend *out, const char *package, const char *name, const char *metric,
		const struct trend_samples *in, const char *const *order, size_t norder);
void trend_release(struct trend *t);

/*
 * The pure search of `perfgo bisect` over commits 0..n (0 known good, n
 * known bad, in first-parent order): bisect_next() proposes the commit to
 * measure, bisect_mark() records what measuring it said.  The search ends
 * when the first bad commit is known (done = 1, first_bad set) or when a
 * step could not decide (stopped = 1): it never guesses.
 */
enum bisect_outcome {
	BISECT_GOOD = 0,      /* the metric did not move from the good side */
	BISECT_BAD,           /* it moved as the bad side did */
	BISECT_UNDECIDED,     /* inconclusive, moved the other way, not comparable */
	BISECT_BROKEN         /* the commit does not build or its benchmark fails */
};

struct bisect {
	size_t lo, hi;        /* lo is good, hi is bad */
	size_t first_bad;
	size_t steps;         /* commits measured */
	int done, stopped;
	size_t stopped_at;
	enum bisect_outcome why;
};

void bisect_init(struct bisect *b, size_t n);
/* The next commit to measure (lo < i < hi); 0 when the search is over. */
size_t bisect_next(const struct bisect *b);
void bisect_mark(struct bisect *b, size_t i, enum bisect_outcome o);

#endif
