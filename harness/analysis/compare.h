#ifndef PERFGO_COMPARE_H
#define PERFGO_COMPARE_H

/*
 * A/B comparison of series sets (perfgo compare), as benchstat does it,
 * with perfgo's verdicts (DESIGN §5).
 *
 * compare_build() compares OLD with each NEW set on its own, one block per
 * NEW set:
 *  - samples are those of a (benchmark, unit) series; a benchmark is a
 *    (package, full name with its -N suffix) pair, and opts.filter keeps
 *    the benchmarks whose full name matches;
 *  - the units compared are those named by opts.metrics, or by default
 *    every unit present in both sets (units in one set only are listed in
 *    the block, not compared);
 *  - per (benchmark, unit) with samples on both sides: cmp_pair(); with
 *    assume=exact metadata (in either set) the medians are compared
 *    directly instead: p = 0 iff they differ, the CI of the ratio is the
 *    ratio itself, and rows whose values vary are marked (benchstat warns
 *    there too, but compares modes); a unit with a repeatability limit
 *    (series_unit_meta.max_spread, the simulation's counts) whose values
 *    spread beyond it on either side is not comparable ("not repeatable"):
 *    its median would gate on noise no test has weighed;
 *  - a benchmark on one side only is a row "added"/"removed", and a unit
 *    missing on one side of a benchmark present on both is "only in
 *    old/new"; both are not comparable and never silently dropped; so is
 *    a pair with a negative median on either side (a ratio of medians
 *    means nothing there: per-op counters of very short benchmarks);
 *  - a side with fewer than 2 samples is not comparable ("one sample per
 *    side"): one repetition is never a verdict;
 *  - each unit gates or is a diagnostic (metric_lookup()'s gate, or
 *    opts.gate): Holm over every comparable pair of the gated units of the
 *    block (the family, the gate); Benjamini-Hochberg, separately, over
 *    the comparable pairs of the diagnostics, whose verdicts are shown but
 *    never gate.  A diagnostic pair of a per-op unit whose medians are
 *    both below COMPARE_NEGLIGIBLE in magnitude, or one negative and
 *    neither beyond COMPARE_NEGATIVE_NOISE times its magnitude (the
 *    two-point differential's noise around nothing: context-switches/op
 *    of 4e-07), is "negligible": not comparable, and reporters collapse
 *    such rows into one line;
 *  - then verdict_decide() with θ from
 *    metric_lookup() (with the --threshold overrides) and the direction
 *    from the sets' unit metadata, else their source format's convention
 *    (series_set.default_better), else metric_lookup();
 *  - the minimum detectable effect (stats_mde(), log-ratio scale) at α/m
 *    (m = family size: the level Holm's first step demands) and 80 %
 *    power; θ below it is flagged under-powered on ~ and inconclusive
 *    rows only (a regression or improvement was detected: power is moot);
 *  - a gated rank-tested pair whose smallest attainable p
 *    (mwu_min_p()) times the family size is not below α can never be
 *    significant: the block counts them ("unreachable") and says which
 *    balanced sample size would do;
 *  - the benchmarks with a gated regression, each with the units that
 *    regressed: one finding per benchmark, however many units echo it;
 *  - a geomean row per unit: geomean of the old and new medians and of
 *    the per-benchmark ratios, over rows with positive medians; never a
 *    gate.
 * Rows keep the order of first appearance in OLD, then the NEW-only ones
 * in NEW's order; units the order of --metric, else of OLD then NEW.
 *
 * The report borrows names, units, samples and labels from the series
 * sets, which must outlive it.  Formatting is in reporters/.
 */

#include <regex.h>
#include <stddef.h>

#include "analysis/series.h"
#include "stats.h"
#include "seq.h"

enum compare_presence {
	COMPARE_BOTH = 0,       /* compared */
	COMPARE_ADDED,          /* the benchmark is only in new */
	COMPARE_REMOVED,        /* the benchmark is only in old */
	COMPARE_ONLY_NEW,       /* benchmark in both, this unit only in new */
	COMPARE_ONLY_OLD        /* benchmark in both, this unit only in old */
};

struct compare_row {
	const char *pkg;              /* "" when the package is unknown */
	const char *name;             /* as printed, with any -N suffix */
	enum compare_presence presence;
	int has_old, has_new;
	struct summary old, new;      /* valid when has_old / has_new */
	const double *old_v, *new_v;  /* the samples, in order */
	int comparable;
	const char *why;              /* static reason when not comparable: "added", ... */
	double ratio, lo, hi;         /* median(new) / median(old) and its CI */
	double p, p_adj;              /* raw and Holm-adjusted; NaN if not comparable */
	const char *test;             /* "exact", "exact-ties", "normal", "constant", "assume-exact" */
	int exact;                    /* constant or assume=exact: medians compared directly */
	int exact_varies;             /* assume=exact, yet the values vary */
	/*
	 * A unit with a repeatability limit (series_unit_meta.max_spread: the
	 * simulation's counts) whose repetitions spread beyond it on either
	 * side: not comparable, why "not repeatable", never in a family.
	 * spread = (max - min) / |median| of the wider side (∞ when its
	 * median is 0 and the values differ); computed for every assume=exact
	 * row.
	 */
	int unrepeatable;
	double spread;
	/*
	 * Repetitions beyond that limit from their side's median when a strict
	 * majority of each side is within it: the row is compared on the
	 * medians, and says so.
	 */
	size_t outliers;
	/*
	 * A diagnostic whose values do not repeat yet whose sides are apart:
	 * every repetition of one side above every repetition of the other
	 * by more than θ of the lower side's largest (positive).  Compared on
	 * the medians all the same, and says so: no value within either
	 * side's range would change the verdict.  Gated units never take this
	 * path (issue 16: a sim metric that does not repeat never gates).
	 */
	int apart;
	double mde;                   /* minimum detectable relative effect */
	int underpowered;             /* θ < mde */
	int unconfirmed;              /* a regression a second round did not repeat */
	int negligible;               /* a diagnostic around nothing (not comparable) */
	enum verdict verdict;
};

struct compare_table {
	const char *unit;
	struct metric_info mi;        /* class, θ (after --threshold), direction */
	int better_meta;              /* the direction came from unit metadata */
	int gated;                    /* in the gate's family (mi.gate); else a diagnostic */
	size_t nnegligible;           /* rows marked negligible */
	int assume_exact;
	double max_spread;            /* the units' repeatability limit (either set); 0: none */
	struct compare_row *rows;
	size_t nr;
	size_t ncomparable;
	int has_geomean;
	double gm_old, gm_new, gm_ratio;
	size_t gm_n;                  /* rows the geomean covers */
};

/* A benchmark with a gated regression and the units that regressed. */
struct compare_finding {
	const char *pkg, *name;
	const char **units;           /* borrowed from the tables */
	size_t nunits;
};

struct compare_block {
	const char *new_label;
	struct compare_table *tables;
	size_t ntables;
	size_t family;                /* gated pairs: the Holm family */
	size_t dfamily;               /* diagnostic pairs: the BH family */
	size_t count[VERDICT_NOT_COMPARABLE + 1];   /* gated rows, per enum verdict */
	size_t dcount[VERDICT_NOT_COMPARABLE + 1];  /* diagnostic rows, negligible ones excluded */
	size_t nnegligible;
	size_t ngated_tables;
	struct compare_finding *regressed;          /* in order of first regression */
	size_t nregressed;
	/*
	 * Gated rank-tested pairs that cannot reach α after Holm (0: all can);
	 * the sample sizes and smallest p of the first, and the repetitions
	 * per side that would reach α over this family.
	 */
	size_t unreachable;
	size_t un_nold, un_nnew;
	double un_minp;
	double un_level;              /* the p the first of them needs (α/m; α·w/m at a look of -count auto) */
	size_t need_n;
	int multi_pkg;                /* names are shown as pkg.Name */
	const char **only_old, **only_new;          /* units not compared */
	size_t nonly_old, nonly_new;
};

struct compare_opts {
	double alpha;                 /* 0.05 */
	double conf;                  /* 0.95: CIs of the medians and of the ratio */
	double power;                 /* 0.8, for the MDE */
	const struct metric_override *over;   /* --threshold; borrowed */
	size_t nover;
	const char *const *metrics;   /* --metric; NULL/0: units present in both */
	size_t nmetrics;
	const regex_t *filter;        /* on full benchmark names; may be NULL */
	const char *const *gate;      /* --gate: the units that gate; NULL/0: the default */
	size_t ngate;
	/*
	 * Asked before each row (a large comparison takes seconds); nonzero
	 * stops compare_build() with COMPARE_ECANCELED.  The caller decides
	 * what cancels (perfgo: an interrupting signal); NULL: never.
	 */
	int (*cancelled)(void *arg);
	void *cancel_arg;
	/*
	 * -count auto: the group-sequential design the samples were measured
	 * under (stats.h, seq.c); each gated pair's p enters Holm as its
	 * stage p-value seq_stage_p() at its sample size, and its MDE and
	 * reachability use that look's level.  NULL: a fixed count.
	 */
	const struct seq_design *seq;
};

#define COMPARE_OPTS_INIT { 0.05, 0.95, 0.8, NULL, 0, NULL, 0, NULL, NULL, 0, NULL, NULL }

/*
 * α of `perfgo compare` on revisions, the CI gate: Holm bounds the false
 * alarms per comparison by α, and a gate that cries wolf once in 20 PRs
 * gets switched off; 1 in 100 is the target (issue 10).
 */
#define COMPARE_GATE_ALPHA 0.01

/* compare_build() stopped because opts.cancelled said so (not a stats_err). */
#define COMPARE_ECANCELED (-40)

/*
 * The repeatability the simulation's counts must show (issue 16): a
 * (max - min) / |median| above 0.1 % on either side is "not repeatable".
 */
#define COMPARE_SIM_SPREAD 0.001

/* A diagnostic per-op median below this in magnitude is negligible (events per op). */
#define COMPARE_NEGLIGIBLE 1e-3
/*
 * A diagnostic per-op pair with a negative median m is negligible while
 * neither median exceeds this many times |m| in magnitude (row_negligible()).
 */
#define COMPARE_NEGATIVE_NOISE 10.0

struct compare_report {
	const char *old_label;
	double alpha, conf, power;
	struct compare_block *blocks;
	size_t nblocks;
	/* Configuration shared by every result of every set (goos, cpu, ...). */
	const char **common_key, **common_value;
	size_t ncommon;
	size_t regressions;           /* gated regression pairs, over all blocks */
	size_t nregressed;            /* benchmarks with one, over all blocks */
	size_t unreachable;           /* gated pairs that cannot reach α, over all blocks */
	size_t rows;                  /* over all blocks and tables */
	/* Set by the caller, borrowed; shown by every format when set. */
	const char *runner;           /* where both sides ran, one line */
	const char *const *notes;     /* further lines: how the sides were measured */
	size_t nnotes;
	int fail_unreachable;         /* --fail-on unreachable: JUnit fails the power check */
	const struct compare_reps *reps;   /* borrowed; NULL: not shown */
};

#define COMPARE_REPORT_INIT { 0 }

/* The repetitions per side of a comparison on revisions; shown by every format when set. */
struct compare_reps {
	int adaptive;                 /* -count auto */
	size_t nmin, step, cap;       /* its design */
	size_t looks;                 /* looks taken */
	int decided;                  /* every gated pair decided (else the cap stopped it) */
	size_t base_lo, base_hi;      /* repetitions of the base, over its benchmarks */
	size_t head_lo, head_hi;
};

/*
 * Compare `old` with each of news[0..nnew-1]; the labels are the sets'.
 * Returns 0, or a negative enum stats_err if the options are out of range,
 * or COMPARE_ECANCELED (the report then holds the rows built so far).
 * A (benchmark, unit) the statistics reject (a NaN sample) becomes a row
 * that is not comparable, with the reason.  Release the report either way.
 */
int compare_build(struct compare_report *rep, const struct series_set *old,
		  const struct series_set *news, size_t nnew, const struct compare_opts *o);
void compare_report_release(struct compare_report *rep);

/* The row of (unit, pkg, name) in any block, or NULL. */
struct compare_row *compare_find_row(struct compare_report *rep, const char *unit,
				     const char *pkg, const char *name);

/*
 * -count auto's rule: a pair is decided when it has a verdict (regression,
 * improvement), is ~ with its whole CI inside [1 - θ, 1 + θ], or is not
 * comparable; more repetitions would change nothing the gate says.
 */
int compare_row_decided(const struct compare_table *t, const struct compare_row *r);

/*
 * Turn a regression into "inconclusive, not confirmed" (what --confirm
 * does when a second round does not repeat it), keeping the counts right.
 */
void compare_unconfirm(struct compare_report *rep, struct compare_block *b,
		       struct compare_row *r);

/*
 * The first name of o->gate (--gate) that matches the unit of no table of
 * the report, as metric_lookup() matches names (case, "/op" and modifiers
 * aside), or NULL when each name gates something.  Such a name is most
 * likely a typo, and a gate of only such names would gate nothing.
 */
const char *compare_gate_unmatched(const struct compare_report *rep,
				   const struct compare_opts *o);

#endif
