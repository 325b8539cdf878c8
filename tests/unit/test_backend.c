/*
 * The backend seam (measure/backend.h): a backend defined here, outside
 * measure/, is driven by measure_rep() on a fake runner, so the generic
 * protocol (argv, gate hooks, judge, collect, samples, storing) is tested
 * without perf; and the perf stat row's own pieces that need no perf: its
 * points and its --control word in the two shapes the runners ask for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/buf.h"
#include "collect/gobench.h"
#include "measure/backend.h"
#include "measure/measure.h"
#include "measure/perf_c2c.h"
#include "measure/config.h"
#include "measure/samples.h"
#include "runner/runner.h"
#include "runner/runner_impl.h"
#include "store/store.h"
#include "backend_fixture.h"

/* --- a backend in one file: counts 7 per iteration plus 1000 of start-up --- */

struct fake_job {
	int started, ended;
	double count;
};

static size_t fake_points(uint64_t n, int count, uint64_t out[BACKEND_MAX_POINTS],
			  int kind[BACKEND_MAX_POINTS])
{
	(void)count;
	kind[0] = 0;
	kind[1] = 1;
	out[0] = n / 2;
	out[1] = n;
	return 2;
}

static int fake_begin(struct backend_job *bj, struct runner_job *job)
{
	bj->priv = calloc(1, sizeof(struct fake_job));
	strvec_pushl(&job->argv, "fake-tool", "--", NULL);
	return 0;
}

static int fake_started(struct backend_job *bj, struct runner_job *job)
{
	(void)job;
	((struct fake_job *)bj->priv)->started++;
	return 0;
}

static int fake_ended(struct backend_job *bj, struct runner_job *job)
{
	(void)job;
	((struct fake_job *)bj->priv)->ended++;
	return 0;
}

static int fake_judge(struct backend_job *bj)
{
	struct fake_job *fj = bj->priv;

	assert_int_equal(fj->started, 1);
	assert_int_equal(fj->ended, 1);
	return 0;
}

static int fake_collect(struct backend_job *bj)
{
	((struct fake_job *)bj->priv)->count = 1000.0 + 7.0 * (double)bj->n;
	return 0;
}

static void fake_release(struct backend_job *bj)
{
	free(bj->priv);
	bj->priv = NULL;
}

static int fake_samples(struct rep_samples *rs, int64_t bench_id, int rep,
			const struct gb_result *go, const struct backend_job *jobs, size_t njob)
{
	const struct fake_job *lo = jobs[0].priv, *hi = jobs[njob - 1].priv;

	rep_samples_add_go(rs, bench_id, rep, go);
	rep_samples_add(rs, bench_id, rep, jobs[njob - 1].n, "fake/op", "count",
			(hi->count - lo->count) / (double)(jobs[njob - 1].n - jobs[0].n), 1.0, 0);
	return 0;
}

static const struct backend fake_backend = {
	.name = "fake",
	.artifact = "fake.txt",
	.artifact_kind = "fake",
	.events = no_events,
	.points = fake_points,
	.job_begin = fake_begin,
	.leaf_started = fake_started,
	.leaf_ended = fake_ended,
	.judge = fake_judge,
	.collect = fake_collect,
	.job_release = fake_release,
	.samples = fake_samples,
};

static void test_generic_protocol(void **state)
{
	struct fixture fx;
	struct strvec events = STRVEC_INIT, none = STRVEC_INIT;
	struct measure_ctx mc;
	struct measure_opts mo = { .events = &events, .count = 1, .extra = &none, .args = &none,
				    .gomaxprocs = 1 };
	struct sample_list sl = SAMPLE_LIST_INIT;

	(void)state;
	fixture_open(&fx);
	measure_ctx_init(&mc, &fake_backend, &fx.r, fx.st, fx.ri.id);
	assert_int_equal(measure_rep(&mc, &mo, &fx.pl, &fx.lf, fx.id, 0), 0);

	/* The backend's words come first, then the test binary's; N/2 then N. */
	assert_int_equal(njobs, 2);
	assert_string_equal(seen_argv[0].v[0], "fake-tool");
	assert_string_equal(seen_argv[0].v[2], "/bin/leaf.test");
	assert_int_not_equal(strvec_find(&seen_argv[0], "-test.benchtime=200x"), -1);
	assert_int_not_equal(strvec_find(&seen_argv[1], "-test.benchtime=400x"), -1);
	assert_int_not_equal(strvec_find(&seen_argv[1], "-test.bench=^BenchmarkLeaf$"), -1);

	/* Go's metric from the N process, then the differential: start-up gone. */
	assert_int_equal(store_run_samples(fx.st, fx.ri.id, &sl), 0);
	assert_int_equal(sl.nr, 2);
	assert_string_equal(sl.rows[0].metric, "ns/op");
	assert_true(sl.rows[0].iterations == 400);
	assert_string_equal(sl.rows[1].metric, "fake/op");
	assert_true(sl.rows[1].value == 7.0);

	sample_list_release(&sl);
	fixture_close(&fx);
}

/*
 * A backend whose tool cannot count the leaf (BACKEND_ESKIP, as callgrind
 * on an instruction valgrind does not know): the plain process runs first,
 * the tool's process fails, the failure is stored with the backend's
 * metrics, Go's metrics still are, and the next repetition runs only the
 * uncounted points.
 */
#define SKIP_PLAIN 2

static size_t skip_points(uint64_t n, int count, uint64_t out[BACKEND_MAX_POINTS],
			  int kind[BACKEND_MAX_POINTS])
{
	(void)count;
	out[0] = n;
	kind[0] = SKIP_PLAIN;
	out[1] = n / 2;
	kind[1] = 0;
	out[2] = n;
	kind[2] = 1;
	return 3;
}

static size_t skip_uncounted(uint64_t n, int count, uint64_t out[BACKEND_MAX_POINTS],
			     int kind[BACKEND_MAX_POINTS])
{
	(void)count;
	out[0] = n;
	kind[0] = SKIP_PLAIN;
	return 1;
}

static int skip_begin(struct backend_job *bj, struct runner_job *job)
{
	if (bj->point != SKIP_PLAIN)
		strvec_pushl(&job->argv, "fake-tool", "--", NULL);
	/* The plain process ran before and was timed. */
	if (bj->point == 0)
		assert_true(bj->prev && bj->prev->point == SKIP_PLAIN && bj->prev->elapsed_ns > 0);
	return 0;
}

static int skip_tool_failed(struct backend_job *bj, int status, const char *err)
{
	(void)status, (void)err;
	if (bj->point == SKIP_PLAIN)
		return 0;
	bj->why = strdup("fake-tool: cannot count this");
	return BACKEND_ESKIP;
}

static int skip_collect(struct backend_job *bj)
{
	assert_int_equal(bj->point, SKIP_PLAIN);
	return 0;
}

static void skip_release(struct backend_job *bj)
{
	(void)bj;
}

static int skip_samples(struct rep_samples *rs, int64_t bench_id, int rep,
			const struct gb_result *go, const struct backend_job *jobs, size_t njob)
{
	assert_int_equal(njob, 1);
	assert_int_equal(jobs[0].point, SKIP_PLAIN);
	rep_samples_add_go(rs, bench_id, rep, go);
	return 0;
}

static const struct backend skip_backend = {
	.name = "skip",
	.artifact = "skip.txt",
	.artifact_kind = "skip",
	.events = no_events,
	.points = skip_points,
	.uncounted_points = skip_uncounted,
	.go_first = 1,
	.job_begin = skip_begin,
	.tool_failed = skip_tool_failed,
	.collect = skip_collect,
	.job_release = skip_release,
	.samples = skip_samples,
};

static void test_leaf_skipped(void **state)
{
	struct fixture fx;
	struct strvec events = STRVEC_INIT, none = STRVEC_INIT;
	struct measure_ctx mc;
	struct measure_opts mo = { .events = &events, .count = 2, .extra = &none, .args = &none,
				    .gomaxprocs = 1 };
	struct sample_list sl = SAMPLE_LIST_INIT;
	struct bench_failure_list fl = { 0 };
	int failed = 0;

	(void)state;
	fixture_open(&fx);
	strvec_pushl(&events, "fake:sim", "other:sim", NULL);
	measure_ctx_init(&mc, &skip_backend, &fx.r, fx.st, fx.ri.id);
	assert_int_equal(measure_rep(&mc, &mo, &fx.pl, &fx.lf, fx.id, 0), 0);
	/* The plain process, then the tool's, which failed; the third never ran. */
	assert_int_equal(njobs, 2);
	assert_string_equal(seen_argv[0].v[0], "/bin/leaf.test");
	assert_string_equal(seen_argv[1].v[0], "fake-tool");
	assert_int_equal(store_bench_failed(fx.st, fx.ri.id, fx.id, &failed), 0);
	assert_int_equal(failed, 1);
	/* The next repetition: the plain process only. */
	assert_int_equal(measure_rep(&mc, &mo, &fx.pl, &fx.lf, fx.id, 1), 0);
	assert_int_equal(njobs, 3);
	assert_string_equal(seen_argv[2].v[0], "/bin/leaf.test");

	assert_int_equal(store_run_samples(fx.st, fx.ri.id, &sl), 0);
	assert_int_equal(sl.nr, 2);
	assert_string_equal(sl.rows[0].metric, "ns/op");
	assert_string_equal(sl.rows[1].metric, "ns/op");
	assert_true(sl.rows[0].iterations == 400 && sl.rows[1].rep == 1);
	assert_int_equal(store_run_failures(fx.st, fx.ri.id, &fl), 0);
	assert_int_equal(fl.nr, 1);
	assert_string_equal(fl.rows[0].bench, "BenchmarkLeaf");
	assert_string_equal(fl.rows[0].metrics, "fake:sim/op other:sim/op");
	assert_string_equal(fl.rows[0].reason, "fake-tool: cannot count this");

	bench_failure_list_release(&fl);
	sample_list_release(&sl);
	strvec_clear(&events);
	fixture_close(&fx);
}

/* --- the perf stat row --- */

static void test_perf_stat_points(void **state)
{
	int kind[BACKEND_MAX_POINTS];
	uint64_t n[BACKEND_MAX_POINTS];

	(void)state;
	assert_int_equal(backend_perf_stat.points(1000, 0, n, kind), 2);
	assert_true(n[0] == 500 && n[1] == 1000);
	assert_int_equal(backend_perf_stat.points(3, 0, n, kind), 2);
	assert_true(n[0] == 1 && n[1] == 3);
	/* -benchtime=1x: one process. */
	assert_int_equal(backend_perf_stat.points(1, 0, n, kind), 1);
	assert_true(n[0] == 1);
}

/*
 * The job's control word in the runners' two shapes: the fd pair (local)
 * and the fifo pair (over ssh).
 */
static void check_control_words(struct runner_job *job)
{
	struct runner_chan fds = { 1, 7, 9, NULL, NULL };
	struct runner_chan fifo = { 0, -1, -1, "/r/c.1", "/r/a.1" };
	char *w = job->control_word(&fds);

	assert_string_equal(w, "--control=fd:7,9");
	free(w);
	w = job->control_word(&fifo);
	assert_string_equal(w, "--control=fifo:/r/c.1,/r/a.1");
	free(w);
}

static void test_perf_stat_control_word(void **state)
{
	struct runner r = { .ops = &fake_ops, .scratch = "/remote/scratch", .local_scratch = "/tmp",
			    .build_env = STRVEC_INIT };
	struct strvec events = STRVEC_INIT;
	struct measure_ctx mc;
	struct measure_opts mo = { .events = &events, .count = 1, .gomaxprocs = 1 };
	struct backend_job bj = { &mc, &mo, NULL, NULL, 10, NULL };
	struct runner_job job;

	(void)state;
	strvec_push(&events, "task-clock");
	measure_ctx_init(&mc, &backend_perf_stat, &r, NULL, "0");
	runner_job_init(&job);
	assert_int_equal(backend_perf_stat.job_begin(&bj, &job), 0);
	assert_string_equal(job.argv.v[0], "perf");
	assert_string_equal(job.argv.v[1], "stat");
	assert_string_equal(job.argv.v[4], "/remote/scratch/job.csv");
	assert_string_equal(job.argv.v[job.argv.nr - 1], "--");
	assert_int_equal(job.control_at, 2);
	assert_string_equal(job.control_peer, "perf");
	check_control_words(&job);
	backend_perf_stat.job_release(&bj);
	runner_job_release(&job);
	strvec_clear(&events);
}

/*
 * perf c2c record gated as perf stat: the words perf 6.1's c2c front end
 * keeps whole (measure/perf_c2c.c), the control word after "record".
 */
static void test_perf_c2c_gated_argv(void **state)
{
	static const char *const want[] = { "perf", "c2c", "record", "-o", "/r/c2c-0.data",
					    "--delay=-1", "--" };
	struct runner_job job;

	(void)state;
	runner_job_init(&job);
	perf_c2c_gated_argv(&job, "/r/c2c-0.data");
	assert_int_equal(job.argv.nr, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		assert_string_equal(job.argv.v[i], want[i]);
	assert_int_equal(job.control_at, 3);
	assert_string_equal(job.control_peer, "perf");
	check_control_words(&job);
	runner_job_release(&job);
}

static void test_table(void **state)
{
	(void)state;
	assert_ptr_equal(backend_find("perf-stat"), &backend_perf_stat);
	assert_ptr_equal(backend_find("perf-record"), &backend_perf_record);
	assert_ptr_equal(backend_find("callgrind"), &backend_callgrind);
	assert_null(backend_find("perf"));
}

/* The stored configuration is compared byte for byte: its spelling is fixed. */
static void test_config_json(void **state)
{
	struct testargs ta;
	struct strvec ev = STRVEC_INIT;
	const char *argv[] = { ".", "-bench=Sum", "-count", "3", "-tags", "a\"b", "-cpu", "1,2",
			       "-foo=x", "-args", "q\ty" };
	struct buildmode bm = { 0 };
	char *s, *m;

	(void)state;
	for (const char *const *v = (const char *const[]){ "GOFLAGS", "GOEXPERIMENT", "GOAMD64",
			"GOARM", "GO386", "CGO_ENABLED", "CGO_CFLAGS", "CGO_LDFLAGS", NULL }; *v; v++)
		unsetenv(*v);
	testargs_init(&ta);
	assert_int_equal(testargs_parse(&ta, (int)ARRAY_SIZE(argv), argv), 0);
	strvec_pushl(&ev, "task-clock", "{cycles,instructions}", NULL);
	s = bench_config_json(&ta, &ev, -1, NULL);
	assert_string_equal(s, "{\"count\":3,\"bench\":\"Sum\",\"benchtime\":\"\",\"cpu\":\"1,2\","
			    "\"detail\":-1,\"events\":[\"task-clock\",\"{cycles,instructions}\"],"
			    "\"packages\":[\".\"],\"build_flags\":[\"-tags=a\\\"b\"],"
			    "\"test_flags\":[\"-foo=x\"],\"args\":[\"q\\ty\"]}");
	/* A module build spells exactly what was stored before GOPATH builds existed. */
	bm.gopath = 0;
	m = bench_config_json(&ta, &ev, -1, &bm);
	assert_string_equal(m, s);
	free(m);
	/* A GOPATH build adds its mode and import path (and directory, when not the top). */
	bm.gopath = 1;
	bm.import_path = (char *)"example.com/x";
	bm.dir = (char *)"sub";
	m = bench_config_json(&ta, &ev, -1, &bm);
	s[strlen(s) - 1] = '\0';
	assert_true(starts_with(m, s));
	assert_string_equal(m + strlen(s),
			    ",\"build\":\"gopath\",\"import_path\":\"example.com/x\",\"import_dir\":\"sub\"}");
	free(m);
	free(s);
	/* GOFLAGS=-tags=... builds other code: another configuration. */
	assert_int_equal(setenv("GOFLAGS", "-tags=fast", 1), 0);
	s = bench_config_json(&ta, &ev, -1, NULL);
	assert_non_null(strstr(s, ",\"args\":[\"q\\ty\"],\"go_env\":{\"GOFLAGS\":\"-tags=fast\"}}"));
	free(s);
	strvec_clear(&ev);
	testargs_release(&ta);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generic_protocol),
		cmocka_unit_test(test_leaf_skipped),
		cmocka_unit_test(test_perf_stat_points),
		cmocka_unit_test(test_perf_stat_control_word),
		cmocka_unit_test(test_perf_c2c_gated_argv),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_config_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
