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
		{ "instructions:sim/op", METRIC_EXACTISH, -1, 0.01, 1 },
		{ "data-reads:sim/op", METRIC_EXACTISH, -1, 0.01, 1 },
		{ "branches:sim/op", METRIC_EXACTISH, -1, 0.01, 1 },
		{ "LL-misses:sim/op", METRIC_NOISY, -1, 0.10, 1 },
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
	/* The simulation's instructions gate like the PMU's; its data writes and misses do not. */
	metric_lookup(NULL, "instructions:sim/op", &mi);
	assert_int_equal(mi.gate, 1);
	metric_lookup(NULL, "data-writes:sim/op", &mi);
	assert_int_equal(mi.gate, 0);
	metric_lookup(NULL, "branch-misses:sim/op", &mi);
	assert_int_equal(mi.gate, 0);
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

/* The formula stats_mde() replaced: pooled absolute sd relative to the base mean. */
static double old_mde(const struct summary *b, const struct summary *h, double t_sum)
{
	double nb = (double)b->n, nh = (double)h->n;
	double sd = sqrt(((nb - 1) * b->sd * b->sd + (nh - 1) * h->sd * h->sd) / (nb + nh - 2));

	return t_sum * sqrt(1 / nb + 1 / nh) * sd / b->mean * sqrt(M_PI / 3);
}

static void test_mde(void **state)
{
	struct summary b = { 0 }, h = { 0 };
	double mde, want, tq = 2.100922 + 0.862082, old;

	(void)state;
	b.n = h.n = 10;
	b.mean = h.mean = 100;
	b.sd = h.sd = 2;   /* CV 2 % on both sides: Welch's df is 18 */
	assert_int_equal(stats_mde(&b, &h, 0.05, 0.8, &mde), 0);
	/*
	 * Independent arithmetic from printed t tables: t(0.975, 18) =
	 * 2.100922, t(0.80, 18) = 0.862082; times the standard error of the
	 * difference of mean logs (sd of a log sqrt(log(1 + CV^2))) and
	 * sqrt(pi/3), back from the log scale.
	 */
	want = expm1(tq * sqrt(2 * log1p(0.02 * 0.02) / 10) * sqrt(M_PI / 3));
	assert_true(fabs(mde - want) < 1e-6);
	assert_true(mde > 1.3 * 0.02 && mde < 1.5 * 0.02);
	/*
	 * make demo's BranchlessRandom: 79.57 ± 2 % -> 545.8 ± 2 %.  Each side
	 * relative to itself detects what two ± 2 % sides detect (2.8 %,
	 * below θ 3 %); the pooled absolute sd over the base mean made the
	 * change inflate its own MDE to 13.3 %.
	 */
	b.mean = 79.57;
	b.sd = 0.02 * 79.57;
	h.mean = 545.8;
	h.sd = 0.02 * 545.8;
	assert_int_equal(stats_mde(&b, &h, 0.05, 0.8, &mde), 0);
	assert_true(fabs(mde - want) < 1e-6);
	assert_true(mde < 0.03);
	old = old_mde(&b, &h, tq);
	assert_true(old > 0.13 && old < 0.135);
	/* At Holm's first step over 12 pairs it is still far below the old 27.8 %. */
	assert_int_equal(stats_mde(&b, &h, 0.05 / 12, 0.8, &mde), 0);
	assert_true(mde > 0.03 && mde < 0.05);
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
	/* One sample on a side, or a mean that is not positive: no MDE. */
	b.n = 1;
	assert_int_equal(stats_mde(&b, &h, 0.05, 0.8, &mde), 0);
	assert_true(isinf(mde));
	b.n = 4;
	b.mean = -1;
	assert_int_equal(stats_mde(&b, &h, 0.05, 0.8, &mde), 0);
	assert_true(isinf(mde));
	assert_int_equal(stats_mde(&b, &h, 0.0, 0.8, &mde), STATS_EINVAL);
}

/* The smallest exact p per sample size (reference §13.2's table) and the n that reaches a level. */
static void test_min_p(void **state)
{
	(void)state;
	assert_true(fabs(mwu_min_p(3, 3) - 0.1) < 1e-12);
	assert_true(fabs(mwu_min_p(4, 4) - 2.0 / 70) < 1e-12);
	assert_true(fabs(mwu_min_p(6, 6) - 2.0 / 924) < 1e-12);
	assert_true(fabs(mwu_min_p(10, 10) - 2.0 / 184756) < 1e-15);
	assert_true(mwu_min_p(1, 1) == 1.0 && mwu_min_p(0, 5) == 1.0);
	assert_true(fabs(mwu_min_p(2, 2) - 1.0 / 3) < 1e-12);
	/* 3+3 cannot reach 0.05; 4+4 can; 12 pairs under Holm need 6+6 (0.0022 < 0.05/12). */
	assert_int_equal(mwu_n_for_level(0.05), 4);
	assert_int_equal(mwu_n_for_level(0.05 / 12), 6);
	assert_true(mwu_min_p(5, 5) * 12 > 0.05);
	assert_int_equal(mwu_n_for_level(0), 0);
}

/* Two identical values per side are not an exact metric; three are. */
static void test_constant_rule(void **state)
{
	static const double a2[] = { 100, 100 }, b2[] = { 105, 105 };
	static const double a3[] = { 100, 100, 100 }, b3[] = { 105, 105, 105 };
	struct mwu_result r;

	(void)state;
	assert_int_equal(mwu_test(b2, 2, a2, 2, MWU_AUTO, &r), 0);
	assert_int_not_equal(r.used, MWU_USED_CONSTANT);
	assert_true(fabs(r.p_two - 1.0 / 3) < 1e-12);
	assert_int_equal(mwu_test(b3, 3, a3, 3, MWU_AUTO, &r), 0);
	assert_int_equal(r.used, MWU_USED_CONSTANT);
	assert_true(r.p_two == 0.0);
}

/* Which metrics gate by default, and --gate replacing the set. */
static void test_gate(void **state)
{
	static const struct {
		const char *name;
		int gate;
	} cases[] = {
		{ "ns/op", 1 }, { "sec/op", 1 }, { "B/op", 1 }, { "allocs/op", 1 },
		{ "instructions:u/op", 1 }, { "instructions/op", 1 }, { "frames/op", 1 },
		{ "custom-ns/op", 1 },
		{ "MB/s", 0 }, { "task-clock-ns/op", 0 }, { "cpu-clock-ns/op", 0 },
		{ "context-switches/op", 0 }, { "cpu-migrations/op", 0 }, { "page-faults/op", 0 },
		{ "cycles:u/op", 0 }, { "branches/op", 0 }, { "branch-misses/op", 0 },
		{ "cache-misses/op", 0 }, { "IPC", 0 }, { "branch-miss-%", 0 },
		{ "L1-dcache-loads/op", 0 }, { "alignment-faults/op", 0 },
	};
	static const char *const gate[] = { "cycles", "ns/op" };
	struct metric_policy pol;
	struct metric_info mi;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		metric_lookup(NULL, cases[i].name, &mi);
		if (mi.gate != cases[i].gate)
			fail_msg("'%s': gate %d, want %d", cases[i].name, mi.gate, cases[i].gate);
	}
	metric_policy_init(&pol);
	pol.gate = gate;
	pol.ngate = 2;
	metric_lookup(&pol, "cycles:u/op", &mi);
	assert_int_equal(mi.gate, 1);
	metric_lookup(&pol, "ns/op", &mi);
	assert_int_equal(mi.gate, 1);
	metric_lookup(&pol, "allocs/op", &mi);
	assert_int_equal(mi.gate, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metric_lookup),
		cmocka_unit_test(test_metric_overrides),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_mde),
		cmocka_unit_test(test_min_p),
		cmocka_unit_test(test_constant_rule),
		cmocka_unit_test(test_gate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
