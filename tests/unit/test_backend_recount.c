/*
 * A backend that counts only some repetitions (backend.h, count_reps and
 * recount_reps; callgrind's simulation): measure_rep() counts the first
 * count_reps of a leaf, then up to recount_reps more while a metric of the
 * default gate it counted does not repeat (a strict majority within
 * repeat_limit of the median: stats_repeats()), and says why.  Driven on
 * the fake runner; the counted values come from a table per repetition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common.h"
#include "util/buf.h"
#include "collect/gobench.h"
#include "measure/backend.h"
#include "measure/measure.h"
#include "measure/samples.h"
#include "runner/runner.h"
#include "runner/runner_impl.h"
#include "store/store.h"
#include "backend_fixture.h"

#define PLAIN 2

/* The counted values of each repetition: instructions (gated), branches (not). */
static const double *counts_insn, *counts_br;

static size_t rc_points(uint64_t n, int count, uint64_t out[BACKEND_MAX_POINTS],
			int kind[BACKEND_MAX_POINTS])
{
	out[0] = n;
	kind[0] = PLAIN;
	if (!count)
		return 1;
	out[1] = n;
	kind[1] = 0;
	return 2;
}

static int rc_begin(struct backend_job *bj, struct runner_job *job)
{
	if (bj->point != PLAIN)
		strvec_pushl(&job->argv, "fake-sim", "--", NULL);
	return 0;
}

static int rc_collect(struct backend_job *bj)
{
	(void)bj;
	return 0;
}

static void rc_release(struct backend_job *bj)
{
	(void)bj;
}

static int rc_samples(struct rep_samples *rs, int64_t bench_id, int rep,
		      const struct gb_result *go, const struct backend_job *jobs, size_t njob)
{
	rep_samples_add_go(rs, bench_id, rep, go);
	if (njob == 1)
		return 0;
	rep_samples_add(rs, bench_id, rep, jobs[1].n, "instructions:sim/op", "count",
			counts_insn[rep], 1.0, SAMPLE_SIM);
	rep_samples_add(rs, bench_id, rep, jobs[1].n, "branches:sim/op", "count",
			counts_br[rep], 1.0, SAMPLE_SIM);
	return 0;
}

static const struct backend recount_backend = {
	.name = "recount",
	.artifact = "recount.txt",
	.artifact_kind = "recount",
	.events = no_events,
	.points = rc_points,
	.go_first = 1,
	.count_reps = 3,
	.recount_reps = 2,
	.repeat_limit = 0.001,
	.job_begin = rc_begin,
	.collect = rc_collect,
	.job_release = rc_release,
	.samples = rc_samples,
};

/*
 * Run `count` repetitions; which of them counted, as "1" or "0" each, into
 * `out` (the fake-sim job ran), and the notes said into msgs.
 */
static void measure_reps(int count, char *out)
{
	struct fixture fx;
	struct strvec events = STRVEC_INIT, none = STRVEC_INIT;
	struct measure_ctx mc;
	struct measure_opts mo = { .events = &events, .count = count, .extra = &none,
				    .args = &none, .gomaxprocs = 1 };
	struct sample_list sl = SAMPLE_LIST_INIT;
	size_t nsim = 0;

	fixture_open(&fx);
	strvec_push(&events, "instructions:sim");
	measure_ctx_init(&mc, &recount_backend, &fx.r, fx.st, fx.ri.id);
	for (int rep = 0; rep < count; rep++) {
		assert_int_equal(measure_rep(&mc, &mo, &fx.pl, &fx.lf, fx.id, rep), 0);
		out[rep] = njobs == 2 && !strcmp(seen_argv[1].v[0], "fake-sim") ? '1' : '0';
		assert_true(jobs_reset() == (out[rep] == '1' ? 2u : 1u));
	}
	out[count] = '\0';
	/* Go's ns/op in every repetition, the counts in those that counted. */
	assert_int_equal(store_bench_samples(fx.st, fx.ri.id, fx.id, &sl), 0);
	for (size_t i = 0; i < sl.nr; i++)
		nsim += !strcmp(sl.rows[i].metric, "instructions:sim/op");
	assert_int_equal(sl.nr, (size_t)count + 2 * nsim);
	for (const char *p = out; *p; p++)
		nsim -= *p == '1';
	assert_int_equal(nsim, 0);
	sample_list_release(&sl);
	strvec_clear(&events);
	fixture_close(&fx);
}

/*
 * Measure `count` repetitions with these counts (instructions, and
 * branches: a diagnostic); which counted must be `want`, with `notes`
 * notes said.
 */
static void expect_counted(const double *insn, const double *br, int count, const char *want,
			   int notes)
{
	char got[16];

	assert_true(count < (int)sizeof(got));
	counts_insn = insn;
	counts_br = br;
	measure_reps(count, got);
	assert_string_equal(got, want);
	assert_int_equal(nmsg, notes);
}

/* Counts that repeat: the first three count; a varying diagnostic changes nothing. */
static void test_repeating(void **state)
{
	static const double insn[] = { 1000, 1000, 1000, 1000, 1000, 1000, 1000 };
	static const double br[] = { 5, -3, 200, 7, 9, 11, 13 };

	(void)state;
	expect_counted(insn, br, 7, "1110000", 0);
}

/* One outlier of three: the majority repeats, no more. */
static void test_one_outlier(void **state)
{
	static const double insn[] = { 1000, 1000, 1015, 1000, 1000 };

	(void)state;
	expect_counted(insn, insn, 5, "11100", 0);
}

/*
 * No majority in three (1000, 1010, 990): the fourth counts; 1000.5 makes
 * two of four, still no strict majority: the fifth counts; 1000 makes three
 * of five, and the sixth is the plain run again.
 */
static void test_recount_until_majority(void **state)
{
	static const double insn[] = { 1000, 1010, 990, 1000.5, 1000, 1000, 1000 };

	(void)state;
	expect_counted(insn, insn, 7, "1111100", 2);
	assert_contains(msgs.buf, "BenchmarkLeaf: instructions:sim/op of its 3 counted repetitions "
			"do not repeat (spread 2 %, no majority within 0.1 % of the median); "
			"repetition 4 counts too");
	assert_contains(last_msg, "of its 4 counted repetitions do not repeat");
	assert_contains(last_msg, "repetition 5 counts too");
}

/* Counts that never repeat: recount_reps more at most. */
static void test_recount_capped(void **state)
{
	static const double insn[] = { 1000, 1100, 900, 1200, 800, 1300, 700, 1000 };

	(void)state;
	expect_counted(insn, insn, 8, "11111000", 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_repeating, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_one_outlier, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_recount_until_majority, setup_capture,
						teardown_capture),
		cmocka_unit_test_setup_teardown(test_recount_capped, setup_capture,
						teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
