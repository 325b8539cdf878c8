#ifndef PERFGO_STATS_H
#define PERFGO_STATS_H

/*
 * stats/: the statistics engine (DESIGN §5, reference §13).
 *
 * Pure C on libc and libm: no I/O, no exit, no clock, no environment.
 * Every function is deterministic for given inputs (the bootstrap seeds
 * itself from a hash of the data).  Functions return 0 or a negative
 * enum stats_err and deliver results through out-parameters; nothing is
 * printed, the caller turns codes into messages with stats_strerror().
 * Samples are borrowed (never modified, never kept); results own nothing
 * unless a *_release() function is documented for them.
 *
 * How `perfgo compare` uses it
 * ----------------------------
 * 1. Per (benchmark, metric) pair with samples on both sides (values
 *    per op, one per repetition, base = old side, head = new side):
 *
 *	struct cmp_opts o = CMP_OPTS_INIT;
 *	struct cmp_result r;
 *	err = cmp_pair(base, nbase, head, nhead, &o, &r);
 *
 *    cmp_pair() fills
 *    - r.base, r.head: struct summary (n, median with its 95 % CI from
 *      order statistics, MAD, mean, sd, CV);
 *    - r.test: Mann-Whitney U with head as x (p_two for the gate;
 *      p_greater = "head larger").  Exact below 50 per side (25 with
 *      ties), normal approximation with tie and continuity correction
 *      above.  Both sides constant (instructions, allocs/op) is an exact
 *      metric: p = 0 iff the values differ, r.test.used says so;
 *    - r.eff: ratio = median(head) / median(base), the displayed effect,
 *      and [lo, hi], its 95 % CI (Hodges-Lehmann on logs; bootstrap when
 *      a value is <= 0).  Relative change = ratio - 1;
 *    - r.mde: the minimum detectable relative effect; print it, and flag
 *      a threshold below it as under-powered.
 *    A pair that cannot be compared (one side missing, counters not
 *    supported or multiplexed, fingerprints differ) skips cmp_pair() and
 *    goes on with p = NaN and comparable = 0.
 *
 * 2. Over the family of gated pairs (every benchmark x metric):
 *
 *	p[i] = r[i].test.p_two;        (NaN: not comparable, not counted)
 *	padj_holm(p, n, adj);          (the gate; padj_bh() for a "changed" list)
 *
 * 3. Per pair, the threshold and the verdict:
 *
 *	struct metric_policy pol;      metric_policy_init(&pol);
 *	                               (optionally pol.over = user overrides)
 *	struct metric_info mi;         metric_lookup(&pol, "ns/op", &mi);
 *	struct verdict_in vi = VERDICT_IN_INIT;
 *	vi.p_adj = adj[i];  vi.ratio = r.eff.ratio;
 *	vi.lo = r.eff.lo;   vi.hi = r.eff.hi;
 *	vi.theta = mi.theta;           (or max(mi.theta, hist_learn_threshold()))
 *	vi.better = mi.better;         (or the Go "Unit ... better=" metadata)
 *	vi.comparable = 1;
 *	enum verdict v = verdict_decide(&vi);      verdict_name(v) for text
 *
 *    regression / improvement gate the exit code; inconclusive asks for
 *    a re-run; "~" is within noise.
 *
 * 4. A summary row per metric: stats_geomean() of the finite, positive
 *    per-pair ratios (never a gate).
 *
 * History commands use hist_learn_threshold() (rustc-perf rule),
 * hist_predict() (Student-t prediction interval on logs) and cp_detect()
 * (E-divisive means with a t-test, Hunter/Otava style).
 *
 * Functions keep no state between calls and allocate only temporaries
 * they free before returning (except cp_detect()'s result).  They are
 * reentrant, but lgamma() from libm updates the global signgam, so
 * calling them from several threads at once is a (harmless) data race.
 *
 * Conventions: "base" is the old side, "head" the new side; ratios are
 * head/base and relative changes ratio - 1.  One-sided alternatives are
 * named after R: "greater" means the first sample (x) tends to be larger.
 */

#include <stddef.h>
#include <stdint.h>

/* Error codes; distinct from harness/usage.h's enum pg_err. */
enum stats_err {
	STATS_EINVAL = -20,   /* NULL, empty or too small sample, NaN/inf value, bad option */
	STATS_EDOMAIN = -21,  /* values outside the method's domain (non-positive for logs) */
	STATS_ERANGE = -22,   /* problem too large for the requested exact method */
	STATS_ENOMEM = -23    /* allocation failed */
};

/* A static, lowercase description of an enum stats_err ("" for 0). */
const char *stats_strerror(int err);

/* ------------------------------------------------------------------ */
/* rng.c: seeded PRNG (xoshiro256** seeded through splitmix64)        */
/* ------------------------------------------------------------------ */

struct rng {
	uint64_t s[4];
};

/* Any seed is fine, 0 included: splitmix64 spreads it over the state. */
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double rng_uniform(struct rng *r);
/* Uniform integer in [0, n), unbiased (Lemire); 0 when n is 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Standard normal deviate (Box-Muller, one value per call, no caching). */
double rng_normal(struct rng *r);
/*
 * Fold the values of x[] into hash h (splitmix64 finaliser per value);
 * -0.0 and 0.0 hash alike.  Used to derive seeds from data.
 */
uint64_t stats_hash(uint64_t h, const double *x, size_t n);

/* ------------------------------------------------------------------ */
/* dist.c: distribution functions                                     */
/* ------------------------------------------------------------------ */

double norm_cdf(double z);          /* P(Z <= z) */
double norm_sf(double z);           /* P(Z > z), accurate in the upper tail */
/* Inverse of norm_cdf; -inf at 0, +inf at 1, NaN outside [0, 1]. */
double norm_quantile(double p);
/* Student t with df > 0 degrees of freedom (df need not be an integer). */
double t_cdf(double t, double df);
double t_sf(double t, double df);
double t_quantile(double p, double df);
/* Regularised incomplete beta I_x(a, b), for the t distribution. */
double incbeta(double x, double a, double b);

/* ------------------------------------------------------------------ */
/* describe.c: one-sample summaries                                   */
/* ------------------------------------------------------------------ */

struct summary {
	size_t n;
	double mean;
	double sd;          /* n - 1 denominator; 0 when n == 1 */
	double cv;          /* sd / |mean|; 0 for a constant sample, inf if mean is 0 */
	double min, q1, median, q3, max;   /* quantiles by R's type 7 */
	double mad;         /* 1.4826 * median(|x - median|), as R's mad() */
	/*
	 * Confidence interval of the median from order statistics
	 * (benchstat's QuantileCI): ci_ok is 0 and the bounds are -inf/+inf
	 * when the sample is too small (fewer than 6 values at 95 %).
	 * ci_conf is the confidence actually achieved (>= the requested).
	 */
	double ci_lo, ci_hi, ci_conf;
	int ci_ok;
	int constant;       /* every value equal */
};

/*
 * Summarise x[0..n-1] (n >= 1, finite values) with a `conf` (0 < conf < 1,
 * e.g. 0.95) interval of the median.
 */
int summary_compute(struct summary *s, const double *x, size_t n, double conf);

/* Quantile by R's type 7 of an ascending sorted array (n >= 1, 0 <= p <= 1). */
double quantile_sorted(const double *sorted, size_t n, double p);
/* The same on unsorted data (sorts a private copy). */
int stats_quantile(const double *x, size_t n, double p, double *out);
/*
 * Order-statistic CI of the p-quantile for a sample of n: 1-based
 * indexes *lo and *hi of the bounds, 0 meaning -inf and n+1 meaning +inf,
 * and the achieved confidence.  Exact binomial up to n = 30, normal
 * approximation with continuity correction above (go-moremath QuantileCI).
 */
void quantile_ci_orders(size_t n, double p, double conf, size_t *lo, size_t *hi,
		double *achieved);
/* Geometric mean of positive values; STATS_EDOMAIN if any value <= 0. */
int stats_geomean(const double *x, size_t n, double *out);
/* How many of x[0..n-1] lie farther than lim * |center| from center. */
size_t stats_outliers(const double *x, size_t n, double center, double lim);
/*
 * Whether x[0..n-1] (finite, n >= 1) repeat within `lim`: a strict majority
 * of them within lim * |median| of their median (the simulation's rule,
 * harness/analysis/compare.h).  STATS_EINVAL when they cannot be judged.
 */
int stats_repeats(const double *x, size_t n, double lim, int *out);

/* ------------------------------------------------------------------ */
/* mwu.c: Mann-Whitney U (Wilcoxon rank sum) test                     */
/* ------------------------------------------------------------------ */

/* Values per side a constant sample needs to count as an exact metric. */
#define MWU_CONSTANT_MIN_N 3

enum mwu_method {
	/*
	 * Default.  Both samples constant with at least MWU_CONSTANT_MIN_N
	 * values each: exact metric (p = 0 iff the values differ, 1
	 * otherwise; no rank test).  Fewer identical values are not evidence
	 * that the metric is deterministic (two equal repetitions happen by
	 * chance), so they take the rank test like any sample: at 2+2 its
	 * smallest p is 0.33, never a verdict.  Otherwise the exact
	 * permutation distribution when both sides have <= 50 values and no
	 * ties, or <= 25 each with ties (distribution of the mid-rank sum,
	 * go-moremath's limits); otherwise the normal approximation with tie
	 * and continuity correction.  Note R's wilcox.test() instead falls
	 * back to the normal approximation whenever there are ties.
	 */
	MWU_AUTO = 0,
	/*
	 * Exact permutation distribution (mid-ranks when tied) at any size
	 * that stays below ~64 MiB and ~2e8 operations (about 580 per side
	 * without ties, 70 per side with ties); STATS_ERANGE beyond.
	 */
	MWU_EXACT,
	/* Normal approximation with tie and continuity correction, as R's correct=TRUE. */
	MWU_NORMAL
};

/* How a result was computed. */
enum mwu_used {
	MWU_USED_EXACT = 1,        /* exact, no ties */
	MWU_USED_EXACT_TIES,       /* exact distribution of the mid-rank sum */
	MWU_USED_NORMAL,           /* normal approximation */
	MWU_USED_CONSTANT          /* both samples constant (exact metric) */
};

struct mwu_result {
	/*
	 * R's W: the number of pairs (x_i, y_j) with x_i > y_j plus half the
	 * tied pairs; 0..nx*ny, mean nx*ny/2 under the null hypothesis.
	 */
	double w;
	double p_two;       /* two-sided */
	double p_less;      /* alternative: x tends to be smaller than y */
	double p_greater;   /* alternative: x tends to be larger than y */
	double z;           /* two-sided z with continuity correction; 0 unless normal */
	int ties;           /* the pooled sample has tied values */
	enum mwu_used used;
};

/*
 * Compare x[0..nx-1] with y[0..ny-1] (both n >= 1, finite).  In forced
 * MWU_NORMAL mode a degenerate sample (all nx+ny values equal) gives
 * p = 1 where R gives NaN.
 */
int mwu_test(const double *x, size_t nx, const double *y, size_t ny,
		enum mwu_method method, struct mwu_result *out);

/*
 * Smallest u with P(U <= u) >= p under the exact null distribution of U
 * without ties (R's qwilcox), for the Hodges-Lehmann interval.
 */
int mwu_quantile(size_t nx, size_t ny, double p, size_t *u_out);

/* ------------------------------------------------------------------ */
/* effect.c: ratio head/base with a confidence interval               */
/* ------------------------------------------------------------------ */

enum effect_method {
	/* Hodges-Lehmann on logs when every value is > 0, otherwise bootstrap. */
	EFFECT_AUTO = 0,
	/*
	 * Hodges-Lehmann shift of log(head) - log(base): the estimate is the
	 * median of all pairwise differences, the interval is the pair of
	 * order statistics from the Mann-Whitney distribution (exact without
	 * ties for n <= 50 per side, normal approximation above), exactly
	 * R's wilcox.test(log(head), log(base), conf.int=TRUE) in its exact
	 * case.  Ratios are exp() of the log-scale results.
	 */
	EFFECT_HL_LOG,
	/*
	 * Percentile bootstrap of median(head)/median(base): B resamples of
	 * each side, seeded by stats_hash() of both samples xor `seed`.
	 */
	EFFECT_BOOTSTRAP
};

struct effect_opts {
	enum effect_method method;
	double conf;        /* two-sided confidence, default 0.95 */
	unsigned B;         /* bootstrap resamples, default 2000 */
	uint64_t seed;      /* mixed into the data hash; default 0 */
};

#define EFFECT_OPTS_INIT { EFFECT_AUTO, 0.95, 2000, 0 }

struct effect {
	double ratio;       /* median(head) / median(base): the displayed effect */
	double center;      /* the method's own estimate (exp(HL) or the ratio) */
	double lo, hi;      /* CI of the ratio head/base */
	double conf;        /* confidence achieved (HL) or requested (bootstrap) */
	enum effect_method used;
	int exact;          /* both sides constant: lo == hi == ratio */
};

/*
 * Ratio head/base.  Both sides constant: the exact ratio (1 for 0/0,
 * +inf for x/0 with x > 0).  A zero base median gives ratio +inf (or 1 if
 * head's median is 0 too).  EFFECT_HL_LOG on values <= 0 is
 * STATS_EDOMAIN.
 */
int effect_estimate(const double *base, size_t nbase, const double *head,
		size_t nhead, const struct effect_opts *o, struct effect *out);

/*
 * The Hodges-Lehmann estimate and CI of the shift x - y on the raw
 * values (R's wilcox.test(x, y, conf.int=TRUE, conf.level=conf) in its
 * exact case).  Used by effect_estimate() on logs.
 */
int hl_shift(const double *x, size_t nx, const double *y, size_t ny, double conf,
		double *est, double *lo, double *hi, double *achieved);

/* ------------------------------------------------------------------ */
/* multi.c: multiple comparisons (R's p.adjust)                       */
/* ------------------------------------------------------------------ */

/*
 * Adjust p[0..n-1] into adj[0..n-1] (adj may alias p).  NaN entries are
 * missing: they stay NaN and do not count towards the family size, as
 * in R's p.adjust().  Holm controls the family-wise error rate (the
 * gate); Benjamini-Hochberg the false discovery rate (a "changed" list).
 */
int padj_holm(const double *p, size_t n, double *adj);
int padj_bh(const double *p, size_t n, double *adj);

/* ------------------------------------------------------------------ */
/* verdict.c: metric classes, thresholds, verdicts, power             */
/* ------------------------------------------------------------------ */

enum metric_class {
	METRIC_EXACTISH = 0,   /* instructions, branches, allocs/op, B/op: 1 % */
	METRIC_CPU,            /* cycles, ns/op, task-clock: 3 % */
	METRIC_NOISY,          /* cache/branch misses and their rates, unknown units: 10 % */
	METRIC_NCLASSES
};

/* Per-metric override, matched against the whole normalised name. */
struct metric_override {
	const char *name;      /* e.g. "ns/op", "cache-misses" */
	int cls;               /* enum metric_class, or -1 to keep the default */
	int better;            /* -1 lower is better, +1 higher, 0 keep */
	double theta;          /* > 0 replaces the class threshold */
};

struct metric_policy {
	double theta[METRIC_NCLASSES];
	const struct metric_override *over;   /* borrowed */
	size_t nover;
	/*
	 * The metrics that gate (--gate), matched like overrides; NULL/0:
	 * the default set (metric_lookup()).  Borrowed.
	 */
	const char *const *gate;
	size_t ngate;
};

struct metric_info {
	enum metric_class cls;
	int better;            /* -1 lower is better, +1 higher is better */
	double theta;          /* practical threshold, relative (0.03 = 3 %) */
	int known;             /* 0: name not recognised, defaults applied */
	int gate;              /* 1: in the gate's family; 0: a diagnostic */
};

/* Default thresholds (1 %, 3 %, 10 %), no overrides. */
void metric_policy_init(struct metric_policy *pol);
/*
 * Classify a metric by name: a Go unit ("ns/op", "B/op", "allocs/op",
 * "MB/s", custom "x/op"), a perf event with or without modifiers and a
 * "/op" suffix ("instructions:u/op", "cycles", "task-clock",
 * "cache-misses", "L1-dcache-load-misses") or a derived metric ("IPC",
 * "branch-miss-rate").  Units ending in "/s" and IPC are higher-is-better.
 * Unknown names are METRIC_NOISY, lower-is-better, known = 0.
 *
 * gate: with pol->gate set, 1 iff the name matches one of its entries.
 * By default the metrics that say what the code costs gate: Go's ns/op
 * (sec/op), B/op and allocs/op, instructions (instructions:u,
 * inst_retired.any), and custom units (names perfgo does not recognise:
 * b.ReportMetric's "frames/op").  Every other counter perfgo knows is a
 * diagnostic: cycles, task-clock/cpu-clock (and their "-ns" per-op
 * forms), branches, cache and L1/LLC loads and misses, context-switches,
 * cpu-migrations, page-faults, IPC, miss rates and throughput ("/s":
 * MB/s is ns/op inverted).
 */
void metric_lookup(const struct metric_policy *pol, const char *name,
		struct metric_info *out);
const char *metric_class_name(enum metric_class cls);

enum verdict {
	VERDICT_SAME = 0,          /* "~": within noise */
	VERDICT_REGRESSION,
	VERDICT_IMPROVEMENT,
	VERDICT_INCONCLUSIVE,      /* |effect| > theta but not established: re-run */
	VERDICT_NOT_COMPARABLE
};

struct verdict_in {
	double p_adj;       /* adjusted p-value of the pair */
	double alpha;       /* default 0.05 */
	double ratio;       /* point estimate head/base */
	double lo, hi;      /* CI of the ratio */
	double theta;       /* relative threshold, e.g. 0.03 */
	int better;         /* -1 lower is better (default), +1 higher is better */
	int comparable;     /* 0: missing side, invalid counters, fingerprints differ */
};

#define VERDICT_IN_INIT { 1.0, 0.05, 1.0, 1.0, 1.0, 0.03, -1, 1 }

/*
 * DESIGN §5; "worse" means a larger ratio for lower-is-better metrics
 * and a smaller one for higher-is-better metrics (a drop in MB/s or IPC
 * is a regression):
 *  - not comparable: !comparable, or NaN p/ratio/CI;
 *  - regression:  p_adj < alpha and the whole CI is beyond 1 + theta on
 *    the worse side (beyond 1 - theta for higher-is-better);
 *  - improvement: the same on the better side;
 *  - inconclusive: otherwise, if the ratio is outside [1 - theta,
 *    1 + theta] (not significant, or significant with a CI that crosses
 *    the threshold: re-run with more samples);
 *  - same ("~"): otherwise.
 * A point exactly on 1 +/- theta is within the threshold.
 */
enum verdict verdict_decide(const struct verdict_in *in);
const char *verdict_name(enum verdict v);   /* "regression", "~", ... */

/*
 * The smallest two-sided p an exact Mann-Whitney test can give with nb
 * and nh samples, 2 / C(nb + nh, nb) (1 for an empty side): 0.1 at 3+3,
 * 0.0286 at 4+4, 0.0022 at 6+6, 1.1e-5 at 10+10.  A family of m pairs
 * under Holm can only reach alpha if m times this is below alpha.
 */
double mwu_min_p(size_t nb, size_t nh);
/* The smallest n per side (n + n) whose mwu_min_p() is below alpha; 0 if alpha is out of range. */
size_t mwu_n_for_level(double alpha);

/*
 * Minimum detectable relative effect for a two-sided Mann-Whitney test
 * at level alpha with the given power (0.8 is usual), on the log-ratio
 * scale, from each side's own spread:
 *
 *	s_i = sqrt(log(1 + CV_i^2))      (CV_i = sd_i / mean_i: the sd of
 *	                                  log(X) for a lognormal X)
 *	se  = sqrt(s_b^2 / nb + s_h^2 / nh)
 *	MDE = exp((t_{1-alpha/2,df} + t_{power,df}) * se * sqrt(pi/3)) - 1
 *
 * with Welch-Satterthwaite df: the t-test's detectable shift of the mean
 * log, inflated by the U test's asymptotic relative efficiency 3/pi under
 * normality.  Each side is relative to itself, so a large change does not
 * inflate its own MDE (a base of 79.6 ± 2 % against a head of 546 ± 2 %
 * detects what two ± 2 % sides detect).  At n = 10 per side and CV 2 % on
 * both it is 1.36 CV for alpha = 0.05 (reference §13 rounds to 1.5 CV).
 * 0 when neither side varies; +inf when a side has fewer than 2 samples,
 * when a mean is not positive (no ratio), or when the exact U test
 * cannot reach alpha at these sample sizes at all (mwu_min_p() >= alpha,
 * e.g. 3 per side at 0.05).  Pass the per-test level the correction will
 * demand (alpha / family size for Holm's first step) to be conservative.
 */
int stats_mde(const struct summary *base, const struct summary *head, double alpha,
		double power, double *mde_out);

/* ------------------------------------------------------------------ */
/* compare.c: one (benchmark, metric) pair, everything but the family */
/* ------------------------------------------------------------------ */

struct cmp_opts {
	double conf;                 /* CIs of medians, default 0.95 */
	double alpha;                /* for the MDE, default 0.05 */
	double power;                /* for the MDE, default 0.8 */
	enum mwu_method mwu;
	struct effect_opts effect;
	/*
	 * 1: leave mde NaN, for a caller that computes it at its family's
	 * level anyway (perfgo compare does, at alpha / family size).
	 */
	int no_mde;
};

#define CMP_OPTS_INIT { 0.95, 0.05, 0.8, MWU_AUTO, EFFECT_OPTS_INIT, 0 }

struct cmp_result {
	struct summary base, head;
	struct mwu_result test;      /* x = head, y = base: "greater" = head larger */
	struct effect eff;
	double mde;                  /* minimum detectable relative effect */
};

int cmp_pair(const double *base, size_t nbase, const double *head, size_t nhead,
		const struct cmp_opts *o, struct cmp_result *out);

/* ------------------------------------------------------------------ */
/* history.c: decisions from a per-commit history                     */
/* ------------------------------------------------------------------ */

struct hist_threshold {
	double theta;        /* Q3 + 3 IQR of the adjacent relative changes */
	size_t nchanges;     /* changes it was computed from */
	int warming_up;      /* fewer than `window` points were available */
};

/*
 * rustc-perf's learned noise threshold over the last `window` points of
 * x[0..n-1] (oldest first; window 0 means 30): with
 * d_i = |x_i - x_{i-1}| / |x_{i-1}| (pairs with x_{i-1} == 0 skipped),
 * theta = Q3(d) + 3 IQR(d).  Callers use max(class floor, theta).
 * Fewer than two points give theta 0 and nchanges 0.
 */
int hist_learn_threshold(const double *x, size_t n, size_t window,
		struct hist_threshold *out);

struct hist_pi {
	size_t n;
	double mean, sd;     /* of log(history) */
	double lo, hi;       /* bounds in the original unit */
	int position;        /* -1 below lo, 0 inside, +1 above hi */
};

/*
 * Student-t prediction interval for one new value against a history of
 * n >= 2 positive values, on logs (multiplicative noise):
 * exp(mean -/+ t_{conf,n-1} * sd * sqrt(1 + 1/n)).  Each bound is a
 * one-sided boundary at `conf` (Bencher's "boundary 0.99").  Reference
 * §13.3 recommends the last <= 64 values and n >= 10.
 */
int hist_predict(const double *hist, size_t n, double x_new, double conf,
		struct hist_pi *out);

/* ------------------------------------------------------------------ */
/* changepoint.c: E-divisive means with a t-test (Hunter / Otava)      */
/* ------------------------------------------------------------------ */

struct cp_opts {
	size_t window;         /* sliding window, default 50 (step window/2) */
	double max_p;          /* final significance, default 0.001 */
	double min_magnitude;  /* drop changes smaller than this (relative), default 0 */
	/*
	 * 1: Otava's raw t-test p-values.  0 (default): p-values corrected
	 * for the choice of the split (see cp_detect()).
	 */
	int uncorrected;
};

#define CP_OPTS_INIT { 50, 0.001, 0.0, 0 }

struct cp_point {
	size_t index;          /* first index of the new segment */
	double p;              /* corrected p (== p_raw when uncorrected) */
	double p_raw;          /* two-sided Student t-test of the neighbouring segments */
	double mean_before, mean_after;
	double sd_before, sd_after;    /* n - 1 denominator */
	size_t n_before, n_after;
	double rel_change;     /* mean_after / mean_before - 1 (0 if mean_before == 0) */
	double magnitude;      /* max(|after/before - 1|, |before/after - 1|) */
};

struct cp_result {
	struct cp_point *points;   /* ascending index; owned, see cp_result_release() */
	size_t nr;
};

#define CP_RESULT_INIT { NULL, 0 }

/*
 * Change points of x[0..n-1] (finite values, oldest first), Otava's
 * compute_change_points(): a split pass over sliding windows with
 * E-divisive (energy statistic maximised over both split and end,
 * candidates accepted while the t-test p <= first-pass p = 10 * max_p,
 * or 2 * max_p if max_p >= 0.05), then a merge pass that repeatedly drops
 * the weakest point (largest p above max_p, else the smallest magnitude
 * if it is <= min_magnitude) and re-tests its neighbours.  No random
 * permutations: the same input always gives the same output.
 *
 * Unlike Otava, a split's t-test p-value is multiplied by the number of
 * positions the split could have taken in the tested span (Bonferroni
 * for the selection E-divisive makes) and sides of one point are never
 * significant: the raw p-values of a maximised split are far too small
 * (at p = 0.001 Otava's rule finds ~0.4 change points per 500 stationary
 * normal points, ~1 with heavy tails; corrected, none in 200 such
 * series).  The price is power on small steps: 2 sd steps are still
 * found 98 % of the time, 1 sd steps 26 % (55 % uncorrected).
 */
int cp_detect(const double *x, size_t n, const struct cp_opts *o,
		struct cp_result *out);
void cp_result_release(struct cp_result *r);

#endif
