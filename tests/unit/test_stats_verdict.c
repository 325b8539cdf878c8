/*
 * stats/: metric classes, thresholds and overrides, the verdict rules of
 * DESIGN §5 for both metric directions, and the minimum detectable
 * effect.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats.h"

struct name_case {
	const char *name;
	enum metric_class cls;
	int better;
	double theta;
	int known;
};

static void test_metric_lookup(void **state)
{
	static const struct name_case cases[] = {
		{ "instructions", METRIC_EXACTISH, -1, 0.01, 1 },
		{ "instructions:u", METRIC_EXACTISH, -1, 0.01, 1 },
		{ "instructions:u/op", METRIC_EXACTISH, -1, 0.01, 1 },
		{ "cpu_core/instructions/", METRIC_EXACTISH, -1, 0.01, 1 },
		{ "branches/op", METRIC_EXACTISH, -1, 0.01, 1 },
		{ "allocs/op", METRIC_EXACTISH, -1, 0.01, 1 },
		{ "B/op", METRIC_EXACTISH, -1, 0.01, 1 },
		{ "ns/op", METRIC_CPU, -1, 0.03, 1 },
		{ "sec/op", METRIC_CPU, -1, 0.03, 1 },
		{ "cycles:u", METRIC_CPU, -1, 0.03, 1 },
		{ "task-clock", METRIC_CPU, -1, 0.03, 1 },
		{ "IPC", METRIC_CPU, 1, 0.03, 1 },
		{ "MB/s", METRIC_CPU, 1, 0.03, 1 },
		{ "ops/s", METRIC_CPU, 1, 0.03, 1 },
		{ "cache-misses", METRIC_NOISY, -1, 0.10, 1 },
		{ "branch-misses:u/op", METRIC_NOISY, -1, 0.10, 1 },
		{ "LLC-load-misses", METRIC_NOISY, -1, 0.10, 1 },
		{ "L1-dcache-load-misses/op", METRIC_NOISY, -1, 0.10, 1 },
		{ "branch-miss-rate", METRIC_NOISY, -1, 0.10, 1 },
		{ "cache-references", METRIC_NOISY, -1, 0.10, 1 },
		{ "context-switches", METRIC_NOISY, -1, 0.10, 1 },
		{ "widgets/op", METRIC_NOISY, -1, 0.10, 0 },
		{ "cpu/event=0x2e,umask=0x41/", METRIC_NOISY, -1, 0.10, 0 },
		{ "", METRIC_NOISY, -1, 0.10, 0 },
	};
	struct metric_info mi;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		metric_lookup(NULL, cases[i].name, &mi);
		if (mi.cls != cases[i].cls || mi.better != cases[i].better ||
		    mi.theta != cases[i].theta || mi.known != cases[i].known)
			fail_msg("'%s': class %s better %d theta %g known %d", cases[i].name,
				 metric_class_name(mi.cls), mi.better, mi.theta, mi.known);
	}
}

static void test_metric_overrides(void **state)
{
	static const struct metric_override over[] = {
		{ "ns/op", METRIC_NOISY, 0, 0 },             /* shared CI runner */
		{ "instructions:u", -1, 0, 0.002 },          /* tighter, any modifier */
		{ "frames/op", METRIC_CPU, 1, 0.05 },        /* custom unit */
	};
	struct metric_policy pol;
	struct metric_info mi;

	(void)state;
	metric_policy_init(&pol);
	pol.theta[METRIC_CPU] = 0.02;
	pol.over = over;
	pol.nover = 3;
	metric_lookup(&pol, "ns/op", &mi);
	assert_int_equal(mi.cls, METRIC_NOISY);
	assert_true(mi.theta == 0.10);
	metric_lookup(&pol, "instructions/op", &mi);
	assert_int_equal(mi.cls, METRIC_EXACTISH);
	assert_true(mi.theta == 0.002);
	metric_lookup(&pol, "frames/op", &mi);
	assert_int_equal(mi.cls, METRIC_CPU);
	assert_int_equal(mi.better, 1);
	assert_true(mi.theta == 0.05);
	assert_int_equal(mi.known, 1);
	metric_lookup(&pol, "cycles", &mi);
	assert_true(mi.theta == 0.02);
}

struct vcase {
	double p, ratio, lo, hi, theta;
	int better;
	enum verdict want;
};

static void test_verdicts(void **state)
{
	static const struct vcase cases[] = {
		/* lower is better */
		{ 0.001, 1.10, 1.08, 1.12, 0.03, -1, VERDICT_REGRESSION },
		{ 0.001, 0.90, 0.88, 0.92, 0.03, -1, VERDICT_IMPROVEMENT },
		{ 0.001, 1.01, 1.005, 1.015, 0.03, -1, VERDICT_SAME },      /* real but tiny */
		{ 0.001, 1.05, 1.02, 1.08, 0.03, -1, VERDICT_INCONCLUSIVE }, /* CI crosses theta */
		{ 0.001, 1.02, 1.01, 1.04, 0.03, -1, VERDICT_SAME },        /* CI crosses, small */
		{ 0.30, 1.10, 0.95, 1.25, 0.03, -1, VERDICT_INCONCLUSIVE },  /* big, not significant */
		{ 0.30, 1.01, 0.98, 1.04, 0.03, -1, VERDICT_SAME },
		{ 0.049, 1.10, 1.08, 1.12, 0.03, -1, VERDICT_REGRESSION },
		{ 0.05, 1.10, 1.08, 1.12, 0.03, -1, VERDICT_INCONCLUSIVE },  /* p == alpha */
		{ 0.001, 1.03, 1.03, 1.03, 0.03, -1, VERDICT_SAME },        /* exactly theta */
		/* exact metric: p = 0, CI is the point */
		{ 0.0, 1.005, 1.005, 1.005, 0.01, -1, VERDICT_SAME },
		{ 0.0, 1.02, 1.02, 1.02, 0.01, -1, VERDICT_REGRESSION },
		{ 0.0, INFINITY, INFINITY, INFINITY, 0.01, -1, VERDICT_REGRESSION },
		/* higher is better (MB/s, IPC): a drop is a regression */
		{ 0.001, 0.90, 0.88, 0.92, 0.03, 1, VERDICT_REGRESSION },
		{ 0.001, 1.10, 1.08, 1.12, 0.03, 1, VERDICT_IMPROVEMENT },
		{ 0.30, 0.90, 0.80, 1.01, 0.03, 1, VERDICT_INCONCLUSIVE },
		{ 0.001, 0.99, 0.985, 0.995, 0.03, 1, VERDICT_SAME },
		/* broken inputs */
		{ NAN, 1.10, 1.08, 1.12, 0.03, -1, VERDICT_NOT_COMPARABLE },
		{ 0.001, NAN, 1.08, 1.12, 0.03, -1, VERDICT_NOT_COMPARABLE },
	};
	struct verdict_in vi = VERDICT_IN_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum verdict v;

		vi.p_adj = cases[i].p;
		vi.ratio = cases[i].ratio;
		vi.lo = cases[i].lo;
		vi.hi = cases[i].hi;
		vi.theta = cases[i].theta;
		vi.better = cases[i].better;
		v = verdict_decide(&vi);
		if (v != cases[i].want)
			fail_msg("case %zu: %s, expected %s", i, verdict_name(v),
				 verdict_name(cases[i].want));
	}
	vi = (struct verdict_in)VERDICT_IN_INIT;
	vi.comparable = 0;
	assert_int_equal(verdict_decide(&vi), VERDICT_NOT_COMPARABLE);
	assert_int_equal(verdict_decide(NULL), VERDICT_NOT_COMPARABLE);
	assert_string_equal(verdict_name(VERDICT_SAME), "~");
	assert_string_equal(verdict_name(VERDICT_INCONCLUSIVE), "inconclusive");
}

static void test_mde(void **state)
{
	struct summary b = { 0 }, h = { 0 };
	double mde, want;

	(void)state;
	b.n = h.n = 10;
	b.mean = 100;
	h.mean = 104;
	b.sd = h.sd = 2;   /* CV 2 % */
	assert_int_equal(stats_mde(&b, &h, 0.05, 0.8, &mde), 0);
	/*
	 * Independent arithmetic from printed t tables: t(0.975, 18) =
	 * 2.100922, t(0.80, 18) = 0.862082; times sqrt(2/10), CV and
	 * sqrt(pi/3).
	 */
	want = (2.100922 + 0.862082) * sqrt(0.2) * 0.02 * sqrt(M_PI / 3);
	assert_true(fabs(mde - want) < 1e-6);
	assert_true(mde > 1.3 * 0.02 && mde < 1.5 * 0.02);
	/* Noise-free samples detect anything. */
	b.sd = h.sd = 0;
	assert_int_equal(stats_mde(&b, &h, 0.05, 0.8, &mde), 0);
	assert_true(mde == 0);
	/* Three per side can never reach p < 0.05 (minimum is 0.1). */
	b.n = h.n = 3;
	b.sd = h.sd = 1;
	assert_int_equal(stats_mde(&b, &h, 0.05, 0.8, &mde), 0);
	assert_true(isinf(mde));
	b.n = h.n = 4;   /* minimum 0.0286 */
	assert_int_equal(stats_mde(&b, &h, 0.05, 0.8, &mde), 0);
	assert_true(isfinite(mde));
	assert_int_equal(stats_mde(&b, &h, 0.0, 0.8, &mde), STATS_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metric_lookup),
		cmocka_unit_test(test_metric_overrides),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_mde),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
