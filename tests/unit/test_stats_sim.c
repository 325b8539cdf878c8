/*
 * stats/ under seeded simulation: the whole compare pipeline (summaries,
 * U test, effect CI, Holm, verdicts) on synthetic benchmark samples with
 * multiplicative noise.  Checks the false-alarm rate of A/A comparisons,
 * per comparison and per family after Holm, and the power to find a
 * shift of three times the noise at n = 10.  Every random number comes
 * from a fixed seed, so the counts are the same on every run; the bounds
 * still allow for binomial sampling error (3 standard errors) so that a
 * change of seed would not turn a correct test red.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats.h"

#define N 10
#define ALPHA 0.05
#define CV 0.01

/* Lognormal noise around `center`, or t3 noise (heavy tails) when `heavy`. */
static void sample(struct rng *r, double *x, size_t n, double center, int heavy)
{
	for (size_t i = 0; i < n; i++) {
		double z = rng_normal(r);

		if (heavy) {
			double v = 0;

			for (int k = 0; k < 3; k++) {
				double g = rng_normal(r);

				v += g * g;
			}
			z /= sqrt(v / 3.0) * sqrt(3.0);   /* unit variance t3 */
		}
		x[i] = center * exp(CV * z);
	}
}

static enum verdict judge(const struct cmp_result *c, double p_adj, double theta)
{
	struct verdict_in vi = VERDICT_IN_INIT;

	vi.p_adj = p_adj;
	vi.alpha = ALPHA;
	vi.ratio = c->eff.ratio;
	vi.lo = c->eff.lo;
	vi.hi = c->eff.hi;
	vi.theta = theta;
	return verdict_decide(&vi);
}

static double bound(double rate, int trials)
{
	return rate * trials + 3.0 * sqrt(rate * (1.0 - rate) * trials);
}

/*
 * The exact size of the two-sided test at n = 10 per side: the null
 * probability of every U whose p-value is below alpha.  Data with a
 * chosen U: y = 0..9 and x_i just above c_i of them, sum c_i = u.
 */
static double exact_size(void)
{
	double x[N], y[N], size = 0, prev = 0;

	for (int j = 0; j < N; j++)
		y[j] = j;
	for (int u = 0; u <= N * N; u++) {
		struct mwu_result r;
		int left = u;

		for (int i = 0; i < N; i++) {
			int c = left > N ? N : left;

			left -= c;
			x[i] = c - 0.5 + 0.001 * i;
		}
		assert_int_equal(mwu_test(x, N, y, N, MWU_AUTO, &r), 0);
		assert_int_equal(r.used, MWU_USED_EXACT);
		assert_true(r.w == u);
		if (r.p_two < ALPHA)
			size += r.p_less - prev;
		prev = r.p_less;
	}
	return size;
}

static void test_aa_false_alarms(void **state)
{
	double b[N], h[N], size = exact_size();
	int flagged = 0, flagged_heavy = 0, wrong = 0;
	struct rng r;

	(void)state;
	assert_true(size <= ALPHA);
	rng_seed(&r, 20261123);
	for (int k = 0; k < 1000; k++) {
		struct cmp_result c;
		enum verdict v;

		sample(&r, b, N, 1000, 0);
		sample(&r, h, N, 1000, 0);
		assert_int_equal(cmp_pair(b, N, h, N, NULL, &c), 0);
		flagged += c.test.p_two < ALPHA;
		v = judge(&c, c.test.p_two, 0.03);
		wrong += v == VERDICT_REGRESSION || v == VERDICT_IMPROVEMENT;
		sample(&r, b, N, 1000, 1);
		sample(&r, h, N, 1000, 1);
		assert_int_equal(cmp_pair(b, N, h, N, NULL, &c), 0);
		flagged_heavy += c.test.p_two < ALPHA;
	}
	print_message("A/A n=%d: exact size %.4f; flagged %d/1000 (lognormal), %d/1000 (t3); "
		      "false regression/improvement verdicts %d\n", N, size, flagged,
		      flagged_heavy, wrong);
	assert_true(flagged <= bound(ALPHA, 1000));
	assert_true(flagged_heavy <= bound(ALPHA, 1000));
	/* And not absurdly conservative: the test is alive. */
	assert_true(flagged >= 20 && flagged_heavy >= 20);
	assert_true(wrong <= bound(ALPHA, 1000));
}

/* Families of 20 A/A pairs: after Holm, any false positive at most alpha of the time. */
static void test_aa_family_holm(void **state)
{
	enum { FAM = 20 };
	static double p[FAM], adj[FAM], bh[FAM];
	static struct cmp_result c[FAM];
	int fam_holm = 0, fam_bh = 0, fam_raw = 0, fam_verdict = 0;
	double b[N], h[N];
	struct rng r;

	(void)state;
	rng_seed(&r, 7);
	for (int f = 0; f < 1000; f++) {
		int any_holm = 0, any_bh = 0, any_raw = 0, any_v = 0;

		for (int i = 0; i < FAM; i++) {
			sample(&r, b, N, 100 + i, i % 4 == 0);
			sample(&r, h, N, 100 + i, i % 4 == 0);
			assert_int_equal(cmp_pair(b, N, h, N, NULL, &c[i]), 0);
			p[i] = c[i].test.p_two;
		}
		assert_int_equal(padj_holm(p, FAM, adj), 0);
		assert_int_equal(padj_bh(p, FAM, bh), 0);
		for (int i = 0; i < FAM; i++) {
			enum verdict v = judge(&c[i], adj[i], 0.01);

			any_raw |= p[i] < ALPHA;
			any_holm |= adj[i] < ALPHA;
			any_bh |= bh[i] < ALPHA;
			any_v |= v == VERDICT_REGRESSION || v == VERDICT_IMPROVEMENT;
		}
		fam_raw += any_raw;
		fam_holm += any_holm;
		fam_bh += any_bh;
		fam_verdict += any_v;
	}
	print_message("A/A families of %d: any p<alpha %d/1000 raw, %d Holm, %d BH; "
		      "any gate verdict %d\n", FAM, fam_raw, fam_holm, fam_bh, fam_verdict);
	/* Without correction most families would raise a false alarm. */
	assert_true(fam_raw > 400);
	assert_true(fam_holm <= bound(ALPHA, 1000));
	/* Under the complete null the FDR is the FWER. */
	assert_true(fam_bh <= bound(ALPHA, 1000));
	assert_true(fam_verdict <= fam_holm);
}

/* A shift of three times the noise at n = 10 is found at least 95 % of the time. */
static void test_power_3x_noise(void **state)
{
	double b[N], h[N];
	int sig = 0, reg = 0, imp_hib = 0, sig_heavy = 0;
	struct rng r;

	(void)state;
	rng_seed(&r, 99);
	for (int k = 0; k < 1000; k++) {
		struct cmp_result c;
		enum verdict v;

		sample(&r, b, N, 1000, 0);
		sample(&r, h, N, 1000 * exp(3 * CV), 0);
		assert_int_equal(cmp_pair(b, N, h, N, NULL, &c), 0);
		sig += c.test.p_two < ALPHA;
		/* Gate with theta = the noise level: the CI must clear 1 %. */
		v = judge(&c, c.test.p_two, CV);
		reg += v == VERDICT_REGRESSION;
		/* The same data as MB/s (higher is better) is an improvement. */
		struct verdict_in vi = VERDICT_IN_INIT;

		vi.p_adj = c.test.p_two;
		vi.ratio = c.eff.ratio;
		vi.lo = c.eff.lo;
		vi.hi = c.eff.hi;
		vi.theta = CV;
		vi.better = 1;
		imp_hib += verdict_decide(&vi) == VERDICT_IMPROVEMENT;

		sample(&r, b, N, 1000, 1);
		sample(&r, h, N, 1000 * exp(3 * CV), 1);
		assert_int_equal(cmp_pair(b, N, h, N, NULL, &c), 0);
		sig_heavy += c.test.p_two < ALPHA;
	}
	print_message("shift 3x noise, n=%d: significant %d/1000 (t3: %d), regression "
		      "verdict at theta=noise %d/1000, higher-is-better improvement %d/1000\n",
		      N, sig, sig_heavy, reg, imp_hib);
	assert_true(sig >= 950);
	assert_true(sig_heavy >= 950);
	assert_true(reg >= 950);
	assert_int_equal(imp_hib, reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aa_false_alarms),
		cmocka_unit_test(test_aa_family_holm),
		cmocka_unit_test(test_power_3x_noise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
