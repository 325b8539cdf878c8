/*
 * compare on the simulation's counts (--counters sim): repeatability,
 * not-counted benchmarks, in every format.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>
#include "common.h"
#include "util/buf.h"
#include "util/io.h"
#include "cli/cli.h"
#include "analysis/compare.h"
#include "collect/gobench.h"
#include "collect/gobench_series.h"
#include "compare_cells.h"
#include "compare_formats.h"
#include "junit.h"
#include "util/usage.h"
#include "compare_fixture.h"

/*
 * The simulation's counts (issue 16): compared on their medians, gated at
 * θ 1 % when the repetitions agree to 0.1 %, or a strict majority of each
 * side does (the others counted as outliers); beyond that "not repeatable
 * (spread X %)", out of every family, in every format.
 */
static void sim_sample(struct series_set *set, const char *name, const char *unit,
		       const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		series_set_add_sample(set, "example.com/p", name, unit, v[i]);
	series_set_set_unit(set, unit, -1, 1);
}

static void sim_sets(struct series_set *old, struct series_set *new, double max_spread)
{
	static const double rep_old[] = { 1000, 1000.5, 1000 };   /* spread 0.05 % */
	static const double rep_new[] = { 1020, 1020, 1020 };     /* +2 % */
	static const double vary_old[] = { 1000, 1050, 1100 };    /* spread 9.5 %, no majority */
	static const double vary_new[] = { 1050, 1050, 1050 };
	/* One repetition off by a one-off runtime event: the other two agree. */
	static const double once_old[] = { 1000, 1000.4, 1175 };
	static const double once_new[] = { 1030, 1030, 1030 };

	series_set_set_label(old, "base");
	series_set_set_label(new, "head");
	sim_sample(old, "BenchmarkRep", "instructions:sim/op", rep_old, 3);
	sim_sample(new, "BenchmarkRep", "instructions:sim/op", rep_new, 3);
	sim_sample(old, "BenchmarkVary", "instructions:sim/op", vary_old, 3);
	sim_sample(new, "BenchmarkVary", "instructions:sim/op", vary_new, 3);
	sim_sample(old, "BenchmarkOnce", "instructions:sim/op", once_old, 3);
	sim_sample(new, "BenchmarkOnce", "instructions:sim/op", once_new, 3);
	sim_sample(old, "BenchmarkVary", "data-reads:sim/op", vary_old, 3);
	sim_sample(new, "BenchmarkVary", "data-reads:sim/op", vary_new, 3);
	series_set_set_unit_spread(old, "instructions:sim/op", max_spread);
	series_set_set_unit_spread(old, "data-reads:sim/op", max_spread);
	series_set_set_unit_spread(new, "instructions:sim/op", max_spread);
}

static void test_sim_repeatable(void **state)
{
	struct series_set old = SERIES_SET_INIT, new = SERIES_SET_INIT;
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_report rep;
	const struct compare_block *b;
	const struct compare_row *r;
	struct junit_meta meta = { "base", "head", NULL, NULL, NULL, NULL };
	struct buf out = BUF_INIT;
	static const char why[] = "not repeatable (spread 9.5 %)";

	(void)state;
	sim_sets(&old, &new, COMPARE_SIM_SPREAD);
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	b = &rep.blocks[0];
	assert_true(find_table(b, "instructions:sim/op")->gated);
	assert_false(find_table(b, "data-reads:sim/op")->gated);
	/* Repeatable: compared on the medians and gated at θ 1 %. */
	r = find_row(b, "instructions:sim/op", "BenchmarkRep");
	assert_true(r->comparable && r->exact && !r->unrepeatable);
	assert_true(fabs(r->spread - 0.0005) < 1e-9);
	assert_int_equal(r->verdict, VERDICT_REGRESSION);
	/* 10 % apart within a side: reported, never gated, not in Holm's family. */
	r = find_row(b, "instructions:sim/op", "BenchmarkVary");
	assert_true(!r->comparable && r->unrepeatable && r->has_old && r->has_new);
	assert_string_equal(r->why, "not repeatable");
	assert_true(fabs(r->spread - 100.0 / 1050) < 1e-9 && isnan(r->p_adj));
	assert_int_equal(r->verdict, VERDICT_NOT_COMPARABLE);
	/* 17.5 % spread, but two of three agree: the median gates, the outlier is said. */
	r = find_row(b, "instructions:sim/op", "BenchmarkOnce");
	assert_true(r->comparable && r->exact && r->exact_varies && !r->unrepeatable);
	assert_int_equal(r->outliers, 1);
	assert_int_equal(r->verdict, VERDICT_REGRESSION);
	r = find_row(b, "data-reads:sim/op", "BenchmarkVary");
	assert_true(!r->comparable && r->unrepeatable);
	assert_int_equal(b->family, 2);
	assert_int_equal(b->dfamily, 0);
	assert_int_equal(rep.regressions, 2);
	assert_int_equal(b->count[VERDICT_NOT_COMPARABLE], 1);
	assert_int_equal(b->dcount[VERDICT_NOT_COMPARABLE], 1);
	compare_report_text(&out, &rep);
	assert_non_null(strstr(out.buf, why));
	assert_non_null(strstr(out.buf, "values vary: 1 outlier of 3+3 (spread 17 %)"));
	buf_reset(&out);
	compare_report_markdown(&out, &rep);
	assert_non_null(strstr(out.buf, why));
	buf_reset(&out);
	compare_report_json(&out, &rep);
	assert_non_null(strstr(out.buf, "\"reason\":\"not repeatable (spread 9.5 %)\""));
	assert_non_null(strstr(out.buf, "\"outliers\":1,"));
	buf_reset(&out);
	compare_report_junit(&out, &rep, &meta);
	assert_non_null(strstr(out.buf, "instructions:sim/op not comparable: not repeatable (spread 9.5 %)"));
	compare_report_release(&rep);
	series_set_release(&old);
	series_set_release(&new);

	/*
	 * Without the limit (benchstat's assume=exact) the same values are
	 * compared on their medians, marked: 1050 against 1050 is ~.
	 */
	memset(&old, 0, sizeof(old));
	memset(&new, 0, sizeof(new));
	sim_sets(&old, &new, 0);
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	r = find_row(&rep.blocks[0], "instructions:sim/op", "BenchmarkVary");
	assert_true(r->comparable && r->exact_varies && !r->unrepeatable && !r->outliers);
	assert_int_equal(r->verdict, VERDICT_SAME);
	assert_int_equal(rep.blocks[0].family, 3);
	compare_report_release(&rep);
	series_set_release(&old);
	series_set_release(&new);
	buf_release(&out);
}

/*
 * A diagnostic that does not repeat but whose sides are apart beyond θ
 * whichever values are taken (a branchless loop's ~1 branch miss per op,
 * spread 34 % within its side, against a branchy one's 65,530): compared on
 * the medians and marked "sides apart".  Overlapping sides, or sides apart
 * by less than θ, stay not repeatable; a gated unit never takes this path.
 */
static void test_sim_apart(void **state)
{
	static const double few[] = { 1.0, 1.09, 1.37 };
	static const double around[] = { -3.1, 1.0, 1.02 };    /* the differential's noise */
	static const double below[] = { -3.1, -1.0, 1.02 };
	static const double many[] = { 65530, 65530, 65540 };
	static const double some[] = { 1.2, 1.5, 2.0 };
	static const double vary[] = { 1000, 1050, 1100 };
	static const double near[] = { 1105, 1105, 1105 };
	static const double far[] = { 2000, 2000, 2000 };
	struct series_set old = SERIES_SET_INIT, new = SERIES_SET_INIT;
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_report rep;
	const struct compare_block *b;
	const struct compare_row *r;
	struct buf out = BUF_INIT;
	static const char *const units[] = { "branch-misses:sim/op", "data-reads:sim/op",
					     "instructions:sim/op" };

	(void)state;
	series_set_set_label(&old, "base");
	series_set_set_label(&new, "head");
	sim_sample(&old, "BenchmarkApart", units[0], few, 3);
	sim_sample(&new, "BenchmarkApart", units[0], many, 3);
	sim_sample(&old, "BenchmarkAround", units[0], around, 3);
	sim_sample(&new, "BenchmarkAround", units[0], many, 3);
	sim_sample(&old, "BenchmarkBelow", units[0], below, 3);
	sim_sample(&new, "BenchmarkBelow", units[0], many, 3);
	sim_sample(&old, "BenchmarkOverlap", units[0], few, 3);
	sim_sample(&new, "BenchmarkOverlap", units[0], some, 3);
	sim_sample(&old, "BenchmarkNear", units[1], vary, 3);
	sim_sample(&new, "BenchmarkNear", units[1], near, 3);
	sim_sample(&old, "BenchmarkGated", units[2], vary, 3);
	sim_sample(&new, "BenchmarkGated", units[2], far, 3);
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		series_set_set_unit_spread(&old, units[i], COMPARE_SIM_SPREAD);
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	b = &rep.blocks[0];
	r = find_row(b, units[0], "BenchmarkApart");
	assert_true(r->comparable && r->apart && r->exact_varies && !r->unrepeatable);
	assert_int_equal(r->outliers, 0);
	assert_true(fabs(r->ratio - 65530 / 1.09) < 1e-6);
	assert_int_equal(r->verdict, VERDICT_REGRESSION);
	/* A value below zero in the lower side: apart all the same, its median 1.0. */
	r = find_row(b, units[0], "BenchmarkAround");
	assert_true(r->comparable && r->apart && fabs(r->ratio - 65530) < 1e-6);
	assert_int_equal(r->verdict, VERDICT_REGRESSION);
	/* Apart, but the lower side's median is negative: no ratio, and not "apart" either. */
	r = find_row(b, units[0], "BenchmarkBelow");
	assert_true(!r->comparable && !r->apart && !r->exact_varies);
	assert_string_equal(r->why, "negative median");
	assert_false(r->negligible);
	r = find_row(b, units[0], "BenchmarkOverlap");
	assert_true(!r->comparable && r->unrepeatable && !r->apart);
	/* 1105 is above 1100, but not by θ 1 %. */
	r = find_row(b, units[1], "BenchmarkNear");
	assert_true(!r->comparable && r->unrepeatable && !r->apart);
	r = find_row(b, units[2], "BenchmarkGated");
	assert_true(find_table(b, units[2])->gated);
	assert_true(!r->comparable && r->unrepeatable && !r->apart);
	assert_int_equal(rep.regressions, 0);
	compare_report_text(&out, &rep);
	assert_non_null(strstr(out.buf, "+6011826.61%  (exact n=3+3)   0%  regression  "));
	assert_non_null(strstr(out.buf, "  values vary: sides apart (spread 34 %)\n"));
	buf_reset(&out);
	compare_report_json(&out, &rep);
	assert_non_null(strstr(out.buf, "\"outliers\":0,\"apart\":true,"));
	compare_report_release(&rep);
	series_set_release(&old);
	series_set_release(&new);
	buf_release(&out);
}

/*
 * A benchmark valgrind could not run (issue 16): its simulated units have
 * notes instead of samples; every row says why, none is gated, the other
 * benchmarks gate as usual.
 */
static void test_sim_not_counted(void **state)
{
	static const double mix_old[] = { 415, 415, 415 }, mix_new[] = { 421, 421, 421 };
	static const double ns[] = { 10, 11, 12 };
	static const char why[] = "valgrind: unsupported instruction (bytes 0xf 0x38) in p.f";
	struct series_set old = SERIES_SET_INIT, new = SERIES_SET_INIT;
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_report rep;
	const struct compare_block *b;
	const struct compare_row *r;
	struct junit_meta meta = { "base", "head", NULL, NULL, NULL, NULL };
	struct buf out = BUF_INIT;

	(void)state;
	series_set_set_label(&old, "base");
	series_set_set_label(&new, "head");
	sim_sample(&old, "BenchmarkMix", "instructions:sim/op", mix_old, 3);
	sim_sample(&new, "BenchmarkMix", "instructions:sim/op", mix_new, 3);
	for (size_t i = 0; i < 3; i++) {
		series_set_add_sample(&old, "example.com/p", "BenchmarkMix", "ns/op", ns[i]);
		series_set_add_sample(&new, "example.com/p", "BenchmarkMix", "ns/op", ns[i]);
		series_set_add_sample(&old, "example.com/p", "BenchmarkSHA", "ns/op", ns[i]);
		series_set_add_sample(&new, "example.com/p", "BenchmarkSHA", "ns/op", ns[i]);
	}
	/* SHA: not counted on either side; a unit no benchmark counted still has its rows. */
	series_set_add_note(&old, "example.com/p", "BenchmarkSHA", "instructions:sim/op", why);
	series_set_add_note(&new, "example.com/p", "BenchmarkSHA", "instructions:sim/op", why);
	series_set_add_note(&new, "example.com/p", "BenchmarkSHA", "instructions:sim/op", "later");
	series_set_add_note(&old, "example.com/p", "BenchmarkSHA", "branch-misses:sim/op",
			    "simulation timed out after 5 s");
	series_set_add_note(&new, "example.com/p", "BenchmarkSHA", "branch-misses:sim/op",
			    "simulation timed out after 6 s");
	assert_string_equal(series_set_note(&new, "example.com/p", "BenchmarkSHA",
					    "instructions:sim/op"), why);
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	b = &rep.blocks[0];
	assert_verdict(b, "instructions:sim/op", "BenchmarkMix", VERDICT_REGRESSION);
	r = find_row(b, "instructions:sim/op", "BenchmarkSHA");
	assert_true(!r->comparable && isnan(r->p_adj) && !r->has_old && !r->has_new);
	assert_string_equal(r->why, why);
	r = find_row(b, "branch-misses:sim/op", "BenchmarkSHA");
	assert_string_equal(r->why, "simulation timed out after 5 s");
	assert_int_equal(r->verdict, VERDICT_NOT_COMPARABLE);
	/* Gated: Mix's instructions and the two ns/op rows. */
	assert_int_equal(b->family, 3);
	assert_int_equal(rep.regressions, 1);
	compare_report_text(&out, &rep);
	assert_non_null(strstr(out.buf, "not comparable: valgrind: unsupported instruction"));
	buf_reset(&out);
	compare_report_markdown(&out, &rep);
	assert_non_null(strstr(out.buf, "simulation timed out after 5 s"));
	buf_reset(&out);
	compare_report_json(&out, &rep);
	assert_non_null(strstr(out.buf, "\"reason\":\"valgrind: unsupported instruction"));
	buf_reset(&out);
	compare_report_junit(&out, &rep, &meta);
	assert_non_null(strstr(out.buf, "instructions:sim/op not comparable: valgrind: unsupported"));
	compare_report_release(&rep);

	/* Counted in the base, not in the head: still the reason, not "only in old". */
	series_set_release(&old);
	memset(&old, 0, sizeof(old));
	sim_sample(&old, "BenchmarkSHA", "instructions:sim/op", mix_old, 3);
	sim_sample(&old, "BenchmarkMix", "instructions:sim/op", mix_old, 3);
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	r = find_row(&rep.blocks[0], "instructions:sim/op", "BenchmarkSHA");
	assert_true(!r->comparable && r->has_old);
	assert_string_equal(r->why, why);
	compare_report_release(&rep);
	series_set_release(&old);
	series_set_release(&new);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_repeatable),
		cmocka_unit_test(test_sim_apart),
		cmocka_unit_test(test_sim_not_counted),
	};

	return cmocka_run_group_tests_name("compare_sim", tests, NULL, NULL);
}
