/*
 * stats/: decisions on per-commit histories.  Change points on seeded
 * synthetic series (planted steps must be found at their index,
 * stationary series must give none, output must be deterministic), the
 * learned noise threshold on hand-checkable series, and the Student-t
 * prediction interval.
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

static void noise(struct rng *r, double *x, size_t n, double mean, double sd, int heavy)
{
	for (size_t i = 0; i < n; i++) {
		double z = rng_normal(r);

		if (heavy) {
			double v = 0;

			for (int k = 0; k < 3; k++) {
				double g = rng_normal(r);

				v += g * g;
			}
			z /= sqrt(v / 3.0);
		}
		x[i] = mean + sd * z;
	}
}

static void assert_points(const struct cp_result *res, const size_t *want, size_t nwant)
{
	if (res->nr != nwant) {
		for (size_t i = 0; i < res->nr; i++)
			print_message("  found %zu (p %g)\n", res->points[i].index, res->points[i].p);
		fail_msg("%zu change points, expected %zu", res->nr, nwant);
	}
	for (size_t i = 0; i < nwant; i++)
		if (res->points[i].index != want[i])
			fail_msg("change point %zu at %zu, expected %zu", i,
				 res->points[i].index, want[i]);
}

static void test_cp_planted_steps(void **state)
{
	static double x[400];
	struct cp_opts o = CP_OPTS_INIT;
	struct cp_result res = CP_RESULT_INIT;
	struct rng r;

	(void)state;
	/* One step of 5 sd at 100. */
	rng_seed(&r, 11);
	noise(&r, x, 200, 100, 1, 0);
	for (int i = 100; i < 200; i++)
		x[i] += 5;
	assert_int_equal(cp_detect(x, 200, &o, &res), 0);
	assert_points(&res, (const size_t[]){ 100 }, 1);
	assert_true(res.points[0].p < 0.001);
	assert_true(fabs(res.points[0].mean_before - 100) < 0.5);
	assert_true(fabs(res.points[0].mean_after - 105) < 0.5);
	assert_true(fabs(res.points[0].rel_change - 0.05) < 0.005);
	assert_int_equal(res.points[0].n_before, 100);
	assert_int_equal(res.points[0].n_after, 100);
	cp_result_release(&res);

	/* Up at 60, down at 130, up again at 310: windows overlap each one. */
	rng_seed(&r, 12);
	noise(&r, x, 400, 1000, 10, 0);
	for (int i = 60; i < 400; i++)
		x[i] += 60;
	for (int i = 130; i < 400; i++)
		x[i] -= 100;
	for (int i = 310; i < 400; i++)
		x[i] += 45;
	assert_int_equal(cp_detect(x, 400, &o, &res), 0);
	assert_points(&res, (const size_t[]){ 60, 130, 310 }, 3);
	assert_true(res.points[1].rel_change < 0 && res.points[2].rel_change > 0);
	cp_result_release(&res);

	/* Noise-free counters: a step of 1 % is certain. */
	for (int i = 0; i < 100; i++)
		x[i] = i < 37 ? 1e9 : 1.01e9;
	assert_int_equal(cp_detect(x, 100, &o, &res), 0);
	assert_points(&res, (const size_t[]){ 37 }, 1);
	assert_true(res.points[0].p == 0);
	cp_result_release(&res);

	/* A step near the end is still seen (two points after it suffice). */
	rng_seed(&r, 13);
	noise(&r, x, 120, 50, 0.5, 0);
	for (int i = 115; i < 120; i++)
		x[i] += 10;
	assert_int_equal(cp_detect(x, 120, &o, &res), 0);
	assert_points(&res, (const size_t[]){ 115 }, 1);
	cp_result_release(&res);
}

static void test_cp_stationary(void **state)
{
	static double x[500];
	struct cp_opts o = CP_OPTS_INIT, raw = CP_OPTS_INIT;
	struct cp_result res = CP_RESULT_INIT;
	int found = 0, found_raw = 0;
	struct rng r;

	(void)state;
	raw.uncorrected = 1;
	rng_seed(&r, 14);
	for (int s = 0; s < 40; s++) {
		noise(&r, x, 500, 100, 2, s % 2);
		assert_int_equal(cp_detect(x, 500, &o, &res), 0);
		for (size_t i = 0; i < res.nr; i++)
			print_message("  series %d: %zu p %g\n", s, res.points[i].index,
				      res.points[i].p);
		found += (int)res.nr;
		cp_result_release(&res);
		assert_int_equal(cp_detect(x, 500, &raw, &res), 0);
		found_raw += (int)res.nr;
		cp_result_release(&res);
	}
	print_message("stationary, 40 series x 500: %d change points (Otava's raw p: %d)\n",
		      found, found_raw);
	assert_int_equal(found, 0);
	/* What the correction is for. */
	assert_true(found_raw > 0);
}

static void test_cp_deterministic(void **state)
{
	static double x[3000];
	struct cp_result a = CP_RESULT_INIT, b = CP_RESULT_INIT;
	struct rng r;

	(void)state;
	rng_seed(&r, 15);
	noise(&r, x, 3000, 100, 3, 1);
	for (int i = 0; i < 3000; i++)
		x[i] += (i / 500) % 2 ? 25 : 0;   /* steps every 500 points */
	assert_int_equal(cp_detect(x, 3000, NULL, &a), 0);
	assert_int_equal(cp_detect(x, 3000, NULL, &b), 0);
	assert_int_equal(a.nr, b.nr);
	assert_memory_equal(a.points, b.points, a.nr * sizeof(*a.points));
	assert_points(&a, (const size_t[]){ 500, 1000, 1500, 2000, 2500 }, 5);
	cp_result_release(&a);
	cp_result_release(&b);
}

static void test_cp_options_and_errors(void **state)
{
	static double x[200];
	struct cp_opts o = CP_OPTS_INIT;
	struct cp_result res = CP_RESULT_INIT;
	struct rng r;

	(void)state;
	/* A real but small step (0.5 %) goes with min_magnitude 1 %. */
	rng_seed(&r, 16);
	noise(&r, x, 200, 100, 0.05, 0);
	for (int i = 90; i < 200; i++)
		x[i] *= 1.005;
	assert_int_equal(cp_detect(x, 200, &o, &res), 0);
	assert_points(&res, (const size_t[]){ 90 }, 1);
	assert_true(res.points[0].magnitude > 0.004 && res.points[0].magnitude < 0.006);
	cp_result_release(&res);
	o.min_magnitude = 0.01;
	assert_int_equal(cp_detect(x, 200, &o, &res), 0);
	assert_int_equal(res.nr, 0);
	cp_result_release(&res);

	o = (struct cp_opts)CP_OPTS_INIT;
	assert_int_equal(cp_detect(x, 0, &o, &res), 0);
	assert_int_equal(res.nr, 0);
	assert_int_equal(cp_detect(x, 1, &o, &res), 0);
	assert_int_equal(res.nr, 0);
	x[5] = NAN;
	assert_int_equal(cp_detect(x, 200, &o, &res), STATS_EINVAL);
	x[5] = 1;
	o.window = 1;
	assert_int_equal(cp_detect(x, 200, &o, &res), STATS_EINVAL);
	o.window = 50;
	o.max_p = 0;
	assert_int_equal(cp_detect(x, 200, &o, &res), STATS_EINVAL);
	cp_result_release(NULL);
}

static void test_learned_threshold(void **state)
{
	static double x[1100];
	struct hist_threshold t;

	(void)state;
	/*
	 * 1, 2, 1, 2, ...: the 29 changes over 30 points are 15 of 1.0
	 * (1 -> 2) and 14 of 0.5 (2 -> 1).  Type-7 Q1 = 0.5, Q3 = 1.0, so
	 * theta = 1.0 + 3 * 0.5 = 2.5.
	 */
	for (int i = 0; i < 30; i++)
		x[i] = i % 2 ? 2 : 1;
	assert_int_equal(hist_learn_threshold(x, 30, 30, &t), 0);
	assert_true(fabs(t.theta - 2.5) < 1e-15);
	assert_int_equal(t.nchanges, 29);
	assert_false(t.warming_up);
	/* Only the last 30 points count: older wild values change nothing. */
	for (int i = 0; i < 1000; i++)
		x[i] = 1 + (i % 7) * 100;
	for (int i = 0; i < 30; i++)
		x[1000 + i] = i % 2 ? 2 : 1;
	assert_int_equal(hist_learn_threshold(x, 1030, 0, &t), 0);
	assert_true(fabs(t.theta - 2.5) < 1e-15);
	/* A flat history learns nothing; a short one is warming up. */
	for (int i = 0; i < 10; i++)
		x[i] = 42;
	assert_int_equal(hist_learn_threshold(x, 10, 30, &t), 0);
	assert_true(t.theta == 0);
	assert_true(t.warming_up);
	assert_int_equal(t.nchanges, 9);
	/* Zero predecessors are skipped, not divided by. */
	x[0] = 0;
	x[1] = 5;
	x[2] = 5;
	assert_int_equal(hist_learn_threshold(x, 3, 30, &t), 0);
	assert_int_equal(t.nchanges, 1);
	assert_true(t.theta == 0);
	assert_int_equal(hist_learn_threshold(x, 1, 30, &t), 0);
	assert_int_equal(t.nchanges, 0);
	x[1] = INFINITY;
	assert_int_equal(hist_learn_threshold(x, 3, 30, &t), STATS_EINVAL);
}

static void test_prediction_interval(void **state)
{
	double h[10], half;
	struct hist_pi pi;

	(void)state;
	/* Logs of +/-0.01 alternating: mean 0, sd sqrt(10 * 1e-4 / 9). */
	for (int i = 0; i < 10; i++)
		h[i] = exp(i % 2 ? 0.01 : -0.01);
	assert_int_equal(hist_predict(h, 10, 1.0, 0.99, &pi), 0);
	assert_true(fabs(pi.mean) < 1e-15);
	assert_true(fabs(pi.sd - sqrt(1e-3 / 9)) < 1e-15);
	/* t(0.99, 9) = 2.821438 from printed tables. */
	half = 2.821438 * sqrt(1e-3 / 9) * sqrt(1.1);
	assert_true(fabs(log(pi.hi) - half) < 1e-7);
	assert_true(fabs(log(pi.lo) + half) < 1e-7);
	assert_int_equal(pi.position, 0);
	assert_int_equal(hist_predict(h, 10, 1.05, 0.99, &pi), 0);
	assert_int_equal(pi.position, 1);
	assert_int_equal(hist_predict(h, 10, 0.95, 0.99, &pi), 0);
	assert_int_equal(pi.position, -1);
	assert_int_equal(hist_predict(h, 1, 1.0, 0.99, &pi), STATS_EINVAL);
	assert_int_equal(hist_predict(h, 10, 0.0, 0.99, &pi), STATS_EDOMAIN);
	h[3] = -1;
	assert_int_equal(hist_predict(h, 10, 1.0, 0.99, &pi), STATS_EDOMAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cp_planted_steps),
		cmocka_unit_test(test_cp_stationary),
		cmocka_unit_test(test_cp_deterministic),
		cmocka_unit_test(test_cp_options_and_errors),
		cmocka_unit_test(test_learned_threshold),
		cmocka_unit_test(test_prediction_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
