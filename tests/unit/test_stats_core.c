/*
 * stats/: summaries, the U test and the effect, by properties and by
 * small hand-checkable cases.  R agreement is in test_stats_ref.c; this
 * file checks what a table cannot: symmetry under swapping the sides,
 * invariance under scaling, internal consistency of the exact methods,
 * determinism, and the edge cases (constant samples, zeros, bad input).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stats.h"
#include "stats_int.h"

#define assert_close(a, b, rel)                                              \
	do {                                                                 \
		double a_ = (a), b_ = (b);                                   \
		if (!(a_ == b_ || fabs(a_ - b_) <= (rel) * fmax(fabs(a_), fabs(b_)))) \
			fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);  \
	} while (0)

static void test_summary_values(void **state)
{
	const double x[] = { 7, 1, 10, 4, 2, 9, 3, 8, 6, 5 };
	struct summary s;

	(void)state;
	assert_int_equal(summary_compute(&s, x, 10, 0.95), 0);
	assert_int_equal(s.n, 10);
	assert_close(s.mean, 5.5, 1e-15);
	assert_close(s.sd, sqrt(55.0 / 6.0), 1e-15);   /* var of 1..10 = 55/6 */
	assert_close(s.cv, sqrt(55.0 / 6.0) / 5.5, 1e-15);
	assert_close(s.median, 5.5, 0);
	assert_close(s.q1, 3.25, 1e-15);                /* type 7 */
	assert_close(s.q3, 7.75, 1e-15);
	assert_close(s.mad, 1.4826 * 2.5, 1e-15);
	assert_close(s.min, 1, 0);
	assert_close(s.max, 10, 0);
	assert_false(s.constant);
	/* n = 10: orders 2 and 9 cover the median with 1002/1024. */
	assert_true(s.ci_ok);
	assert_close(s.ci_lo, 2, 0);
	assert_close(s.ci_hi, 9, 0);
	assert_close(s.ci_conf, 1002.0 / 1024.0, 1e-12);
}

/* Issue 11: values near DBL_MAX overflowed (a + b) / 2 and the mean. */
static void test_summary_huge(void **state)
{
	double ten[10], pair[2] = { 1e308, 1.5e308 }, opposite[2] = { -1.7e308, 1.7e308 };
	struct summary s;

	(void)state;
	for (int i = 0; i < 10; i++)
		ten[i] = 1e308;
	assert_int_equal(summary_compute(&s, ten, 10, 0.95), 0);
	assert_true(s.median == 1e308);
	assert_true(s.mean == 1e308);
	assert_true(s.sd == 0.0);
	assert_true(s.ci_lo == 1e308 && s.ci_hi == 1e308);
	assert_int_equal(s.constant, 1);

	assert_int_equal(summary_compute(&s, pair, 2, 0.95), 0);
	assert_true(s.median == 1.25e308);
	assert_true(s.mean == 1.25e308);
	assert_true(isfinite(s.sd));
	assert_true(fabs(s.sd - 0.5e308 / sqrt(2.0)) < 1e294);

	assert_int_equal(summary_compute(&s, opposite, 2, 0.95), 0);
	assert_true(s.median == 0.0);
	assert_true(s.mean == 0.0);
	/* sqrt(2) * 1.7e308 is beyond DBL_MAX: the SD is honestly infinite. */
	assert_true(isinf(s.sd));
}

static void test_median_ci_small(void **state)
{
	const double x[] = { 3, 1, 2, 5, 4, 6 };
	struct summary s;
	size_t lo, hi;
	double ach;

	(void)state;
	/* benchstat: "need >= 6 samples for confidence interval at level 0.95". */
	assert_int_equal(summary_compute(&s, x, 5, 0.95), 0);
	assert_false(s.ci_ok);
	assert_true(isinf(s.ci_lo) || isinf(s.ci_hi));
	assert_int_equal(summary_compute(&s, x, 6, 0.95), 0);
	assert_true(s.ci_ok);
	assert_close(s.ci_lo, 1, 0);
	assert_close(s.ci_hi, 6, 0);
	assert_close(s.ci_conf, 62.0 / 64.0, 1e-12);
	/* One value: no interval at all, but a summary. */
	assert_int_equal(summary_compute(&s, x, 1, 0.95), 0);
	assert_false(s.ci_ok);
	assert_close(s.median, 3, 0);
	assert_close(s.sd, 0, 0);
	assert_true(s.constant);
	/* Large n uses the normal approximation and still covers >= 95 %. */
	quantile_ci_orders(1000, 0.5, 0.95, &lo, &hi, &ach);
	assert_true(ach >= 0.95 && ach < 0.96);
	assert_true(lo > 450 && lo < 500 && hi > 500 && hi < 550);
	/* Symmetric, or left-biased by one order. */
	assert_true(lo + hi == 1001 || lo + hi == 1000);
}

static void test_summary_errors(void **state)
{
	const double bad[] = { 1, NAN, 3 }, inf[] = { 1, INFINITY };
	struct summary s;
	double g;

	(void)state;
	assert_int_equal(summary_compute(&s, bad, 3, 0.95), STATS_EINVAL);
	assert_int_equal(summary_compute(&s, inf, 2, 0.95), STATS_EINVAL);
	assert_int_equal(summary_compute(&s, bad, 0, 0.95), STATS_EINVAL);
	assert_int_equal(summary_compute(&s, bad, 1, 1.5), STATS_EINVAL);
	assert_int_equal(stats_geomean((const double[]){ 1, 0 }, 2, &g), STATS_EDOMAIN);
	assert_int_equal(stats_geomean((const double[]){ 2, 8 }, 2, &g), 0);
	assert_close(g, 4, 1e-15);
	assert_string_equal(stats_strerror(STATS_ENOMEM), "out of memory");
}

/* The simulation's repeatability rule: a strict majority within lim of the median. */
static void test_repeats(void **state)
{
	int r = -1;

	(void)state;
	assert_int_equal(stats_outliers((const double[]){ 1000, 1001, 999, 1002 }, 4, 1000, 0.001),
			 1);
	assert_int_equal(stats_repeats((const double[]){ 7 }, 1, 0.001, &r), 0);
	assert_int_equal(r, 1);
	/* One of three off: repeats; two of three: not; two of four: not (no strict majority). */
	assert_int_equal(stats_repeats((const double[]){ 1000, 1000, 1015 }, 3, 0.001, &r), 0);
	assert_int_equal(r, 1);
	assert_int_equal(stats_repeats((const double[]){ 1000, 1010, 990 }, 3, 0.001, &r), 0);
	assert_int_equal(r, 0);
	assert_int_equal(stats_repeats((const double[]){ 1000, 1010, 990, 1000.5 }, 4, 0.001, &r),
			 0);
	assert_int_equal(r, 0);
	/* Around a zero median only zeros repeat. */
	assert_int_equal(stats_repeats((const double[]){ -1, 0, 1 }, 3, 0.001, &r), 0);
	assert_int_equal(r, 0);
	assert_int_equal(stats_repeats((const double[]){ 1, NAN }, 2, 0.001, &r), STATS_EINVAL);
	assert_int_equal(stats_repeats(NULL, 0, 0.001, &r), STATS_EINVAL);
}

static int cmp_size_t(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

static void fill(struct rng *r, double *x, size_t n, double mu, double sd, int round_to)
{
	for (size_t i = 0; i < n; i++) {
		x[i] = mu + sd * rng_normal(r);
		if (round_to)
			x[i] = round(x[i]);
	}
}

/* Swapping x and y mirrors W and the one-sided p-values, keeps the two-sided p. */
static void test_mwu_swap_and_scale(void **state)
{
	static double x[60], y[60], xs[60], ys[60];
	struct rng r;
	int checked = 0;

	(void)state;
	rng_seed(&r, 1);
	for (int k = 0; k < 300; k++) {
		size_t nx = 1 + rng_below(&r, 59), ny = 1 + rng_below(&r, 59);
		int ties = k % 3 == 0;
		double c = k % 2 ? 1024.0 : 3.7;
		struct mwu_result a, b, s;

		fill(&r, x, nx, 100 + (double)(k % 5) / 2, 2, ties);
		fill(&r, y, ny, 100, 2, ties);
		for (enum mwu_method m = MWU_AUTO; m <= MWU_NORMAL; m++) {
			if (m == MWU_EXACT && (nx > 25 || ny > 25))
				continue;
			assert_int_equal(mwu_test(x, nx, y, ny, m, &a), 0);
			assert_int_equal(mwu_test(y, ny, x, nx, m, &b), 0);
			assert_int_equal(a.used, b.used);
			assert_close(a.w + b.w, (double)(nx * ny), 0);
			assert_close(a.p_two, b.p_two, 1e-12);
			assert_close(a.p_less, b.p_greater, 1e-12);
			assert_close(a.p_greater, b.p_less, 1e-12);
			assert_true(a.p_two >= 0 && a.p_two <= 1);
			/* Scaling by a positive constant keeps every rank. */
			for (size_t i = 0; i < nx; i++)
				xs[i] = x[i] * c;
			for (size_t i = 0; i < ny; i++)
				ys[i] = y[i] * c;
			assert_int_equal(mwu_test(xs, nx, ys, ny, m, &s), 0);
			assert_close(s.w, a.w, 0);
			assert_close(s.p_two, a.p_two, 0);
			assert_close(s.p_less, a.p_less, 0);
			checked++;
		}
	}
	assert_true(checked > 600);
}

/*
 * Exact p-values from first principles for tiny samples: enumerate every
 * assignment of the pooled values to x and count.  Values from 0..999
 * are mostly untied (Harding's distribution), values from 0..3 heavily
 * tied (the mid-rank dynamic programme).
 */
static void brute(const double *pool, size_t N, size_t nx, double wobs, double *pl, double *pg)
{
	size_t total = 0, le = 0, ge = 0;

	for (unsigned mask = 0; mask < (1u << N); mask++) {
		double w = 0;

		if ((size_t)__builtin_popcount(mask) != nx)
			continue;
		for (size_t i = 0; i < N; i++)
			for (size_t j = 0; j < N; j++)
				if ((mask >> i & 1) && !(mask >> j & 1))
					w += pool[i] > pool[j] ? 1 : pool[i] == pool[j] ? 0.5 : 0;
		total++;
		le += w <= wobs + 1e-9;
		ge += w >= wobs - 1e-9;
	}
	*pl = (double)le / (double)total;
	*pg = (double)ge / (double)total;
}

static void test_mwu_exact_brute_force(void **state)
{
	double pool[14], pl, pg;
	struct rng r;

	(void)state;
	rng_seed(&r, 3);
	for (int k = 0; k < 60; k++) {
		size_t nx = 1 + rng_below(&r, 7), ny = 1 + rng_below(&r, 7);
		struct mwu_result a;

		for (size_t i = 0; i < nx + ny; i++)
			pool[i] = (double)rng_below(&r, k % 2 ? 4 : 1000);
		assert_int_equal(mwu_test(pool, nx, pool + nx, ny, MWU_EXACT, &a), 0);
		brute(pool, nx + ny, nx, a.w, &pl, &pg);
		assert_close(a.p_less, pl, 1e-12);
		assert_close(a.p_greater, pg, 1e-12);
	}
}

static void test_mwu_constant(void **state)
{
	const double a[] = { 5, 5, 5, 5, 5 }, b[] = { 6, 6, 6 }, c[] = { 5, 5 };
	const double v[] = { 4, 5, 6, 7, 8 };
	double pool[10], pl, pg;
	struct mwu_result r;

	(void)state;
	/* Exact metric: significant iff the values differ. */
	assert_int_equal(mwu_test(a, 5, b, 3, MWU_AUTO, &r), 0);
	assert_int_equal(r.used, MWU_USED_CONSTANT);
	assert_close(r.p_two, 0, 0);
	assert_close(r.p_less, 0, 0);
	assert_close(r.p_greater, 1, 0);
	assert_int_equal(mwu_test(a, 5, c, 2, MWU_AUTO, &r), 0);
	assert_close(r.p_two, 1, 0);
	assert_close(r.p_less, 1, 0);
	/* Forced methods never give NaN, even where R does. */
	assert_int_equal(mwu_test(a, 5, c, 2, MWU_NORMAL, &r), 0);
	assert_close(r.p_two, 1, 0);
	assert_int_equal(mwu_test(a, 5, c, 2, MWU_EXACT, &r), 0);
	assert_close(r.p_two, 1, 0);
	/* One side constant is an ordinary rank test. */
	assert_int_equal(mwu_test(a, 5, v, 5, MWU_AUTO, &r), 0);
	assert_int_equal(r.used, MWU_USED_EXACT_TIES);
	memcpy(pool, a, sizeof(a));
	memcpy(pool + 5, v, sizeof(v));
	brute(pool, 10, 5, r.w, &pl, &pg);
	assert_close(r.p_less, pl, 1e-12);
	assert_close(r.p_greater, pg, 1e-12);
	assert_true(r.p_less < r.p_greater);
	/* Bad input. */
	assert_int_equal(mwu_test(a, 0, b, 3, MWU_AUTO, &r), STATS_EINVAL);
	assert_int_equal(mwu_test((const double[]){ NAN }, 1, b, 3, MWU_AUTO, &r), STATS_EINVAL);
	assert_int_equal(mwu_test(a, 5, b, 3, (enum mwu_method)7, &r), STATS_EINVAL);
}

static void test_mwu_default_limits(void **state)
{
	static double x[80], y[80];
	struct mwu_result r;
	struct rng g;

	(void)state;
	rng_seed(&g, 4);
	fill(&g, x, 80, 0, 1, 0);
	fill(&g, y, 80, 0, 1, 0);
	assert_int_equal(mwu_test(x, 50, y, 50, MWU_AUTO, &r), 0);
	assert_int_equal(r.used, MWU_USED_EXACT);
	assert_int_equal(mwu_test(x, 51, y, 50, MWU_AUTO, &r), 0);
	assert_int_equal(r.used, MWU_USED_NORMAL);
	x[1] = x[0];
	assert_int_equal(mwu_test(x, 25, y, 25, MWU_AUTO, &r), 0);
	assert_int_equal(r.used, MWU_USED_EXACT_TIES);
	assert_int_equal(mwu_test(x, 26, y, 25, MWU_AUTO, &r), 0);
	assert_int_equal(r.used, MWU_USED_NORMAL);
	/* Forced exact still works beyond the default limits... */
	assert_int_equal(mwu_test(x, 60, y, 70, MWU_EXACT, &r), 0);
	assert_int_equal(r.used, MWU_USED_EXACT_TIES);
	assert_true(r.p_two > 0 && r.p_two <= 1);
	/* ...but refuses what would take too long, rather than hang. */
	{
		static double big[3000];

		fill(&g, big, 3000, 0, 1, 0);
		assert_int_equal(mwu_test(big, 1500, big + 1500, 1500, MWU_EXACT, &r),
				 STATS_ERANGE);
		assert_int_equal(mwu_test(big, 1500, big + 1500, 1500, MWU_AUTO, &r), 0);
		assert_int_equal(r.used, MWU_USED_NORMAL);
		big[1] = big[0];
		assert_int_equal(mwu_test(big, 200, big + 1500, 200, MWU_EXACT, &r),
				 STATS_ERANGE);
	}
}

/* Swapping base and head inverts the ratio and its interval; scaling keeps them. */
static void test_effect_swap_and_scale(void **state)
{
	static double b[40], h[40], bs[40], hs[40];
	struct rng r;

	(void)state;
	rng_seed(&r, 5);
	for (int k = 0; k < 200; k++) {
		size_t nb = 2 + rng_below(&r, 38), nh = 2 + rng_below(&r, 38);
		struct effect_opts o = EFFECT_OPTS_INIT;
		struct effect e, s, c;

		o.method = k % 4 == 3 ? EFFECT_BOOTSTRAP : EFFECT_HL_LOG;
		o.B = 500;
		for (size_t i = 0; i < nb; i++)
			b[i] = 1000 * exp(0.02 * rng_normal(&r));
		for (size_t i = 0; i < nh; i++)
			h[i] = 1000 * exp(0.03 + 0.02 * rng_normal(&r));
		assert_int_equal(effect_estimate(b, nb, h, nh, &o, &e), 0);
		assert_int_equal(effect_estimate(h, nh, b, nb, &o, &s), 0);
		assert_close(e.ratio * s.ratio, 1, 1e-12);
		if (o.method == EFFECT_HL_LOG) {
			assert_close(e.center * s.center, 1, 1e-12);
			assert_close(e.lo * s.hi, 1, 1e-12);
			assert_close(e.hi * s.lo, 1, 1e-12);
		}
		assert_true(e.lo <= e.center && e.center <= e.hi);
		for (size_t i = 0; i < nb; i++)
			bs[i] = b[i] * 3.7e6;
		for (size_t i = 0; i < nh; i++)
			hs[i] = h[i] * 3.7e6;
		assert_int_equal(effect_estimate(bs, nb, hs, nh, &o, &c), 0);
		assert_close(c.ratio, e.ratio, 1e-12);
		if (o.method == EFFECT_HL_LOG) {
			assert_close(c.lo, e.lo, 1e-9);
			assert_close(c.hi, e.hi, 1e-9);
		}
	}
}

static void test_effect_bootstrap(void **state)
{
	const double b[] = { 100, 102, 99, 101, 100.5, 98.7, 101.2, 100.1, 99.5, 100.8 };
	const double h[] = { 110, 111, 109.2, 112, 110.4, 108.9, 111.5, 110.2, 109.9, 110.7 };
	double b2[10];
	struct effect_opts o = EFFECT_OPTS_INIT;
	struct effect e1, e2, e3, e4;

	(void)state;
	o.method = EFFECT_BOOTSTRAP;
	assert_int_equal(effect_estimate(b, 10, h, 10, &o, &e1), 0);
	assert_int_equal(effect_estimate(b, 10, h, 10, &o, &e2), 0);
	/* Same data, same answer: the seed is a hash of the data. */
	assert_memory_equal(&e1, &e2, sizeof(e1));
	assert_int_equal(e1.used, EFFECT_BOOTSTRAP);
	assert_true(e1.lo > 1.07 && e1.hi < 1.14 && e1.lo < e1.ratio && e1.ratio < e1.hi);
	/* Another seed or other data give another resampling. */
	o.seed = 99;
	assert_int_equal(effect_estimate(b, 10, h, 10, &o, &e3), 0);
	assert_true(e3.lo != e1.lo || e3.hi != e1.hi);
	memcpy(b2, b, sizeof(b2));
	b2[3] = 101.0000001;
	o.seed = 0;
	assert_int_equal(effect_estimate(b2, 10, h, 10, &o, &e4), 0);
	assert_true(e4.lo != e1.lo || e4.hi != e1.hi);
}

static void test_effect_edges(void **state)
{
	const double z[] = { 0, 0, 0 }, one[] = { 1, 1, 1, 1 }, two[] = { 2, 2 };
	const double mixed[] = { 0, 16, 16, 0, 16, 16 }, pos[] = { 16, 16, 32, 16 };
	struct effect e;
	struct effect_opts o = EFFECT_OPTS_INIT;

	(void)state;
	/* allocs/op 0 -> 1: an infinite ratio, exactly. */
	assert_int_equal(effect_estimate(z, 3, one, 4, NULL, &e), 0);
	assert_true(e.exact);
	assert_true(isinf(e.ratio) && e.ratio > 0 && isinf(e.lo));
	assert_int_equal(effect_estimate(z, 3, z, 3, NULL, &e), 0);
	assert_close(e.ratio, 1, 0);
	assert_int_equal(effect_estimate(one, 4, two, 2, NULL, &e), 0);
	assert_close(e.ratio, 2, 0);
	assert_close(e.lo, 2, 0);
	assert_close(e.hi, 2, 0);
	/* Zeros among the values: AUTO falls back to the bootstrap. */
	assert_int_equal(effect_estimate(mixed, 6, pos, 4, NULL, &e), 0);
	assert_int_equal(e.used, EFFECT_BOOTSTRAP);
	assert_close(e.ratio, 1, 0);
	o.method = EFFECT_HL_LOG;
	assert_int_equal(effect_estimate(mixed, 6, pos, 4, &o, &e), STATS_EDOMAIN);
	assert_int_equal(effect_estimate(mixed, 0, pos, 4, &o, &e), STATS_EINVAL);
}

/* Selection must agree with sorting, duplicates and all. */
static void test_select(void **state)
{
	static double a[300], s[300];
	struct rng r;

	(void)state;
	rng_seed(&r, 6);
	for (int k = 0; k < 500; k++) {
		size_t n = 1 + rng_below(&r, 300), pos[5];
		uint64_t range = k % 3 == 0 ? 3 : k % 3 == 1 ? 50 : 1000000;

		for (size_t i = 0; i < n; i++)
			a[i] = s[i] = (double)rng_below(&r, range);
		if (k % 7 == 0)   /* already sorted input */
			qsort(a, n, sizeof(*a), stats_cmp_double);
		qsort(s, n, sizeof(*s), stats_cmp_double);
		for (int j = 0; j < 5; j++)
			pos[j] = rng_below(&r, n);
		qsort(pos, 5, sizeof(*pos), cmp_size_t);
		stats_select_many(a, n, pos, 5);
		for (int j = 0; j < 5; j++) {
			assert_true(a[pos[j]] == s[pos[j]]);
			for (size_t i = 0; i < pos[j]; i++)
				assert_true(a[i] <= a[pos[j]]);
			for (size_t i = pos[j] + 1; i < n; i++)
				assert_true(a[i] >= a[pos[j]]);
		}
		assert_true(stats_quantile_select(a, n, 0.3) == quantile_sorted(s, n, 0.3));
	}
}

/* Beyond 50 per side the interval comes from the normal approximation. */
static void test_hl_large(void **state)
{
	static double b[200], h[200];
	struct effect_opts o = EFFECT_OPTS_INIT;
	struct effect e, s;
	struct rng r;
	int covered = 0;

	(void)state;
	rng_seed(&r, 8);
	o.method = EFFECT_HL_LOG;
	for (int k = 0; k < 200; k++) {
		size_t nb = 51 + rng_below(&r, 100), nh = 51 + rng_below(&r, 100);

		for (size_t i = 0; i < nb; i++)
			b[i] = 100 * exp(0.02 * rng_normal(&r));
		for (size_t i = 0; i < nh; i++)
			h[i] = 102 * exp(0.02 * rng_normal(&r));
		assert_int_equal(effect_estimate(b, nb, h, nh, &o, &e), 0);
		assert_int_equal(effect_estimate(h, nh, b, nb, &o, &s), 0);
		assert_close(e.lo * s.hi, 1, 1e-12);
		assert_close(e.center * s.center, 1, 1e-12);
		assert_true(e.lo < e.center && e.center < e.hi && e.conf >= 0.95);
		covered += e.lo <= 1.02 && 1.02 <= e.hi;
	}
	/* A 95 % interval covers the true ratio about 95 % of the time. */
	print_message("HL normal-approximation CI covered the true ratio %d/200\n", covered);
	assert_true(covered >= 180);
}

static void test_rng(void **state)
{
	struct rng a, b;
	double sum = 0, ss = 0;
	unsigned hist[10] = { 0 };

	(void)state;
	rng_seed(&a, 42);
	rng_seed(&b, 42);
	for (int i = 0; i < 1000; i++)
		assert_true(rng_next(&a) == rng_next(&b));
	rng_seed(&b, 43);
	assert_true(rng_next(&a) != rng_next(&b));
	for (int i = 0; i < 100000; i++) {
		double z = rng_normal(&a);

		sum += z;
		ss += z * z;
		hist[rng_below(&a, 10)]++;
		assert_true(rng_uniform(&a) < 1.0);
	}
	assert_true(fabs(sum / 1e5) < 0.02 && fabs(ss / 1e5 - 1) < 0.02);
	for (int i = 0; i < 10; i++)
		assert_true(hist[i] > 9500 && hist[i] < 10500);
	/* Equal values hash alike, different values do not. */
	assert_true(stats_hash(0, (const double[]){ 0.0 }, 1) ==
		    stats_hash(0, (const double[]){ -0.0 }, 1));
	assert_true(stats_hash(0, (const double[]){ 1.0, 2.0 }, 2) !=
		    stats_hash(0, (const double[]){ 2.0, 1.0 }, 2));
}

static void test_cmp_pair(void **state)
{
	const double b[] = { 100, 102, 99, 101, 100.5, 98.7, 101.2, 100.1, 99.5, 100.8 };
	const double h[] = { 110, 111, 109.2, 112, 110.4, 108.9, 111.5, 110.2, 109.9, 110.7 };
	struct cmp_result r;

	(void)state;
	assert_int_equal(cmp_pair(b, 10, h, 10, NULL, &r), 0);
	assert_int_equal(r.test.used, MWU_USED_EXACT);
	/* Complete separation at 10 vs 10: p = 2 / C(20, 10). */
	assert_close(r.test.p_two, 2.0 / 184756.0, 1e-12);
	assert_close(r.test.p_greater, 1.0 / 184756.0, 1e-12);
	assert_close(r.eff.ratio, r.head.median / r.base.median, 1e-15);
	assert_true(r.eff.lo > 1.08 && r.eff.hi < 1.12);
	assert_true(r.mde > 0 && r.mde < 0.02);
	assert_int_equal(cmp_pair(b, 10, h, 0, NULL, &r), STATS_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_values),
		cmocka_unit_test(test_repeats),
		cmocka_unit_test(test_summary_huge),
		cmocka_unit_test(test_median_ci_small),
		cmocka_unit_test(test_summary_errors),
		cmocka_unit_test(test_mwu_swap_and_scale),
		cmocka_unit_test(test_mwu_exact_brute_force),
		cmocka_unit_test(test_mwu_constant),
		cmocka_unit_test(test_mwu_default_limits),
		cmocka_unit_test(test_effect_swap_and_scale),
		cmocka_unit_test(test_effect_bootstrap),
		cmocka_unit_test(test_effect_edges),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_hl_large),
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_cmp_pair),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
