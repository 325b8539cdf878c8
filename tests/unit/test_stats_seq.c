/*
 * stats/seq.c: the group-sequential design of `-count auto`.  The looks
 * and weights of the default design, and a seeded Monte Carlo of A/A
 * comparisons measured look after look (14 looks, 4 to 30 values per
 * side): the sequential rule (stage p = p / w) raises a false alarm at
 * most alpha of the time, alone and over a Holm family whose pairs stop
 * at different looks, while testing every look at alpha (naive peeking)
 * raises several times as many.  The p-values are those of mwu_test()
 * (exact without ties), computed from the same null counts for speed; one
 * check ties the two together.  Bounds allow 3 standard errors.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "stats.h"
#include "seq.h"
#include "stats_int.h"

#define ALPHA 0.05
#define MAXN 30

static const struct seq_design many = { 4, 2, MAXN, 0.2 };

static void test_design(void **state)
{
	struct seq_design d = SEQ_DESIGN_INIT, bad = d;
	double sum = 0;

	(void)state;
	assert_int_equal(seq_check(&d), 0);
	assert_int_equal(seq_looks(&d), 5);
	assert_int_equal(seq_look_n(&d, 0), 10);
	assert_int_equal(seq_look_n(&d, 3), 25);
	assert_int_equal(seq_look_n(&d, 4), 30);
	assert_int_equal(seq_look_n(&d, 5), 0);
	for (size_t k = 0; k < seq_looks(&d); k++)
		sum += seq_weight(&d, seq_look_n(&d, k));
	assert_true(fabs(sum - 1.0) < 1e-12);
	assert_true(fabs(ALPHA * seq_weight(&d, 10) - 0.0025) < 1e-12);
	assert_true(fabs(ALPHA * seq_weight(&d, 30) - 0.04) < 1e-12);
	assert_true(fabs(seq_stage_p(&d, 15, 0.001) - 0.02) < 1e-12);
	assert_true(seq_stage_p(&d, 15, 0.5) == 1.0);
	assert_true(isnan(seq_stage_p(&d, 15, NAN)));
	/* A last step shorter than the others: 10, 15, 20, 22. */
	d.cap = 22;
	assert_int_equal(seq_looks(&d), 4);
	assert_int_equal(seq_look_n(&d, 2), 20);
	assert_int_equal(seq_look_n(&d, 3), 22);
	/* One look: the fixed design, the whole alpha. */
	d.cap = 10;
	assert_int_equal(seq_looks(&d), 1);
	assert_true(seq_weight(&d, 10) == 1.0);
	bad.nmin = 1;
	assert_int_equal(seq_check(&bad), STATS_EINVAL);
	bad = (struct seq_design)SEQ_DESIGN_INIT;
	bad.cap = 5;
	assert_int_equal(seq_check(&bad), STATS_EINVAL);
	bad = (struct seq_design)SEQ_DESIGN_INIT;
	bad.interim = 0;
	assert_int_equal(seq_check(&bad), STATS_EINVAL);
	assert_int_equal(seq_looks(&bad), 0);
	assert_true(isnan(seq_weight(&bad, 10)));
}

/* The exact null counts of U for n + n, n = 0..MAXN. */
struct nulls {
	double *c[MAXN + 1];
	double total[MAXN + 1];
};

static void nulls_init(struct nulls *z)
{
	for (size_t k = 0; k < seq_looks(&many); k++) {
		size_t n = seq_look_n(&many, k);

		assert_int_equal(mwu_u_counts(n, n, &z->c[n], &z->total[n]), 0);
	}
}

static void nulls_release(struct nulls *z)
{
	for (size_t n = 0; n <= MAXN; n++)
		free(z->c[n]);
}

/* Two-sided exact p of the first n values of x against those of y (no ties). */
static double p_two(const struct nulls *z, const double *x, const double *y, size_t n)
{
	double w = 0, lo, hi, p;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			w += x[i] > y[j];
	lo = mwu_u_cdf(z->c[n], n * n, z->total[n], w);
	hi = mwu_u_cdf(z->c[n], n * n, z->total[n], (double)(n * n) - w);
	p = 2.0 * fmin(lo, hi);
	return p > 1.0 ? 1.0 : p;
}

static void draw(struct rng *r, double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		x[i] = 1000.0 * exp(0.02 * rng_normal(r));
}

static double bound(double rate, int trials)
{
	return rate * trials + 3.0 * sqrt(rate * (1.0 - rate) * trials);
}

/* One pair measured look after look to the cap: does any look flag it? */
static void test_aa_one_pair(void **state)
{
	struct nulls z = { { 0 }, { 0 } };
	double x[MAXN], y[MAXN];
	int trials = 6000, seq = 0, naive = 0;
	struct rng r;
	struct mwu_result m;

	(void)state;
	nulls_init(&z);
	rng_seed(&r, 20261204);
	/* The fast p is mwu_test()'s. */
	draw(&r, x, MAXN);
	draw(&r, y, MAXN);
	assert_int_equal(mwu_test(x, 12, y, 12, MWU_AUTO, &m), 0);
	assert_true(fabs(m.p_two - p_two(&z, x, y, 12)) < 1e-12);
	for (int t = 0; t < trials; t++) {
		int s = 0, nv = 0;

		draw(&r, x, MAXN);
		draw(&r, y, MAXN);
		for (size_t k = 0; k < seq_looks(&many); k++) {
			size_t n = seq_look_n(&many, k);
			double p = p_two(&z, x, y, n);

			s |= seq_stage_p(&many, n, p) < ALPHA;
			nv |= p < ALPHA;
		}
		seq += s;
		naive += nv;
	}
	print_message("A/A, one pair, %zu looks (4..30 per side), %d trials: sequential %d "
		      "(%.4f), naive peeking %d (%.4f), nominal %.2f\n", seq_looks(&many), trials,
		      seq, seq / (double)trials, naive, naive / (double)trials, ALPHA);
	assert_true(seq <= bound(ALPHA, trials));
	/* Peeking at every look exceeds alpha by far: the reason for the design. */
	assert_true(naive > 2 * bound(ALPHA, trials));
	nulls_release(&z);
}

#define M 5

/*
 * A family of M A/A pairs; a pair stops at a look where it looks settled
 * (p > 0.5: any data-dependent rule will do) and keeps its stage p.  At
 * every look Holm over the stage p-values; a false alarm is any rejection
 * at any look.
 */
static void test_aa_family_holm(void **state)
{
	struct nulls z = { { 0 }, { 0 } };
	double x[M][MAXN], y[M][MAXN], q[M], adj[M], p[M];
	int trials = 2000, seq = 0, naive = 0, stopped_early = 0;
	struct rng r;

	(void)state;
	nulls_init(&z);
	rng_seed(&r, 4);
	for (int t = 0; t < trials; t++) {
		int done[M] = { 0 }, s = 0, nv = 0;

		for (int i = 0; i < M; i++) {
			draw(&r, x[i], MAXN);
			draw(&r, y[i], MAXN);
		}
		for (size_t k = 0; k < seq_looks(&many); k++) {
			size_t n = seq_look_n(&many, k);

			for (int i = 0; i < M; i++) {
				if (done[i])
					continue;
				p[i] = p_two(&z, x[i], y[i], n);
				q[i] = seq_stage_p(&many, n, p[i]);
				if (p[i] > 0.5 && k + 1 < seq_looks(&many)) {
					done[i] = 1;
					stopped_early++;
				}
			}
			assert_int_equal(padj_holm(q, M, adj), 0);
			for (int i = 0; i < M; i++)
				s |= adj[i] < ALPHA;
			assert_int_equal(padj_holm(p, M, adj), 0);
			for (int i = 0; i < M; i++)
				nv |= adj[i] < ALPHA;
		}
		seq += s;
		naive += nv;
	}
	print_message("A/A, Holm over %d pairs, %zu looks, %d trials: sequential %d (%.4f), "
		      "naive peeking %d (%.4f); %d pairs stopped early\n", M, seq_looks(&many),
		      trials, seq, seq / (double)trials, naive, naive / (double)trials,
		      stopped_early);
	assert_true(stopped_early > 0);
	assert_true(seq <= bound(ALPHA, trials));
	assert_true(naive > bound(ALPHA, trials));
	nulls_release(&z);
}

/* A clear shift is found at the first look the design allows it. */
static void test_power_early(void **state)
{
	struct seq_design d = SEQ_DESIGN_INIT;
	double x[MAXN], y[MAXN];
	struct mwu_result m;
	struct rng r;
	int first = 0;

	(void)state;
	rng_seed(&r, 7);
	for (int t = 0; t < 200; t++) {
		draw(&r, x, 10);
		draw(&r, y, 10);
		for (int i = 0; i < 10; i++)
			x[i] *= 1.2;   /* 10 sd */
		assert_int_equal(mwu_test(x, 10, y, 10, MWU_AUTO, &m), 0);
		first += seq_stage_p(&d, 10, m.p_two) * 3 < ALPHA;   /* Holm over 3 pairs */
	}
	assert_int_equal(first, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design),
		cmocka_unit_test(test_aa_one_pair),
		cmocka_unit_test(test_aa_family_holm),
		cmocka_unit_test(test_power_early),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
