/*
 * Unit tests for harness/measure/backend_callgrind.c: the --toggle-collect
 * patterns for Go's symbol names (top-level benchmarks, sub-benchmark
 * closures, external test packages, main, escaped import paths, the depth
 * limit), the simulated and plain points, and the per-op samples of two
 * callgrind results.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common.h"
#include "collect/callgrind.h"
#include "measure/backend.h"
#include "measure/backend_callgrind.h"
#include "measure/samples.h"
#include "util/buf.h"
#include "util/strvec.h"
#include "util/usage.h"

static void check_toggles(const char *path, const char *name, const char *leaf,
			  const char *const *want)
{
	struct strvec out = STRVEC_INIT;
	size_t n = 0;

	assert_int_equal(callgrind_toggles(path, name, leaf, &out), 0);
	for (; want[n]; n++) {
		if (n >= out.nr)
			fail_msg("%s: %zu patterns, want more", leaf, out.nr);
		check_str(leaf, "pattern", out.v[n], want[n]);
	}
	assert_int_equal(out.nr, n);
	strvec_clear(&out);
}

static void test_toggles(void **state)
{
	static const char *const top[] = {
		"--toggle-collect=example.com/p.BenchmarkX",
		"--toggle-collect=example.com/p_test.BenchmarkX", NULL };
	static const char *const sub[] = {
		"--toggle-collect=example.com/p.BenchmarkX.func?",
		"--toggle-collect=example.com/p.BenchmarkX.func??",
		"--toggle-collect=example.com/p_test.BenchmarkX.func?",
		"--toggle-collect=example.com/p_test.BenchmarkX.func??", NULL };
	static const char *const sub2[] = {
		"--toggle-collect=main.BenchmarkX.func?.?",
		"--toggle-collect=main.BenchmarkX.func??.?",
		"--toggle-collect=main.BenchmarkX.func?.??",
		"--toggle-collect=main.BenchmarkX.func??.??", NULL };
	/* Go escapes the last element's dots (and '%', '"', controls, non-ASCII). */
	static const char *const esc[] = {
		"--toggle-collect=gopkg.in/yaml%2ev2.BenchmarkY",
		"--toggle-collect=gopkg.in/yaml%2ev2_test.BenchmarkY", NULL };
	struct strvec out = STRVEC_INIT;

	(void)state;
	check_toggles("example.com/p", "p", "BenchmarkX", top);
	check_toggles("example.com/p", "p", "BenchmarkX/a=1", sub);
	check_toggles("example.com/cmd/x", "main", "BenchmarkX/a/b", sub2);
	check_toggles("gopkg.in/yaml.v2", "yaml", "BenchmarkY", esc);
	capture_reset();
	assert_int_equal(callgrind_toggles("p", "p", "BenchmarkX/a/b/c/d", &out), PG_EUSAGE);
	assert_contains(last_msg, "nested 4 levels deep");
	assert_int_equal(out.nr, 0);
}

static void test_points(void **state)
{
	uint64_t n[BACKEND_MAX_POINTS];
	int kind[BACKEND_MAX_POINTS];

	(void)state;
	/* The plain run first (its time caps the simulation), then S/2 and S. */
	assert_int_equal(backend_callgrind.points(2000, 1, n, kind), 3);
	assert_true(kind[0] == 2 && kind[1] == 0 && kind[2] == 1);
	assert_true(n[0] == 2000 && n[1] == 32 && n[2] == 64);
	assert_int_equal(backend_callgrind.points(1000000, 1, n, kind), 3);
	assert_true(n[0] == 1000000 && n[1] == 10000 && n[2] == 20000);
	assert_int_equal(backend_callgrind.points(10, 1, n, kind), 3);
	assert_true(n[0] == 10 && n[1] == 5 && n[2] == 10);
	/* S/2 >= 2: a 1x run would be Go's b.N=1 run, which has no part of its own. */
	assert_int_equal(backend_callgrind.points(1, 1, n, kind), 3);
	assert_true(n[0] == 1 && n[1] == 2 && n[2] == 4);
	assert_int_equal(backend_callgrind.points(3, 1, n, kind), 3);
	assert_true(n[0] == 3 && n[1] == 2 && n[2] == 4);
	/* A repetition that does not simulate: the plain run alone. */
	assert_int_equal(backend_callgrind.points(2000, 0, n, kind), 1);
	assert_true(n[0] == 2000 && kind[0] == 2);
	/* The first CG_SIM_REPS simulate, CG_SIM_RECOUNT more while they do not repeat. */
	assert_int_equal(backend_callgrind.count_reps, CG_SIM_REPS);
	assert_int_equal(backend_callgrind.recount_reps, CG_SIM_RECOUNT);
	assert_true(backend_callgrind.repeat_limit == 0.001);
	/* A leaf valgrind could not run: the plain run alone, in every repetition. */
	assert_true(backend_callgrind.go_first);
	assert_int_equal(backend_callgrind.uncounted_points(2000, 0, n, kind), 1);
	assert_true(n[0] == 2000 && kind[0] == 2);
}

/* The cap of a simulated process: 200x the plain run, at least 120 s, or the environment's. */
static void test_cap(void **state)
{
	(void)state;
	unsetenv("PERFGO_SIM_TIMEOUT");
	assert_int_equal(callgrind_cap(0), CG_CAP_MIN_S);
	assert_int_equal(callgrind_cap(10000000), CG_CAP_MIN_S);          /* 10 ms: 2 s */
	assert_int_equal(callgrind_cap(1500000000), 301);                 /* 1.5 s: 300 s */
	setenv("PERFGO_SIM_TIMEOUT", "7", 1);
	assert_int_equal(callgrind_cap(1500000000), 7);
	setenv("PERFGO_SIM_TIMEOUT", "0", 1);       /* not a cap: the derived one */
	assert_int_equal(callgrind_cap(0), CG_CAP_MIN_S);
	setenv("PERFGO_SIM_TIMEOUT", "soon", 1);
	assert_int_equal(callgrind_cap(0), CG_CAP_MIN_S);
	unsetenv("PERFGO_SIM_TIMEOUT");
}

/* What a failed simulated process means, from its status and stderr (Go's and valgrind's). */
static void test_failure(void **state)
{
	static const char sigill[] =
		"SIGILL: illegal instruction\n"
		"PC=0x4f5080 m=0 sigcode=1\n"
		"instruction bytes: 0xf 0x38 0xc8 0xd1 0xc3 0xcc 0xcc 0xcc 0xcc 0xcc 0xcc\n"
		"\n"
		"goroutine 7 [running]:\n"
		"example.com/simfail.shaRound()\n"
		"\t/tmp/sha_amd64.s:5 fp=0xc000035f10 sp=0xc000035f08 pc=0x4f5080\n";
	struct buf why = BUF_INIT;

	(void)state;
	assert_int_equal(callgrind_failure(0, "", 0, 120, &why), 0);
	assert_int_equal(why.len, 0);
	assert_int_equal(callgrind_failure(124, "", 1, 30, &why), BACKEND_ESKIP);
	assert_string_equal(why.buf, "simulation timed out after 30 s");
	buf_reset(&why);
	assert_int_equal(callgrind_failure(2, sigill, 0, 120, &why), BACKEND_ESKIP);
	assert_string_equal(why.buf, "valgrind: unsupported instruction (bytes 0xf 0x38 0xc8 0xd1 "
			    "0xc3 0xcc 0xcc 0xcc...) in example.com/simfail.shaRound");
	buf_reset(&why);
	/* Without -q valgrind says it first. */
	assert_int_equal(callgrind_failure(132, "vex amd64->IR: unhandled instruction bytes: 0x62 "
					   "0xF1 0x6D 0x48\n", 0, 120, &why), BACKEND_ESKIP);
	assert_string_equal(why.buf, "valgrind: unsupported instruction (bytes 0x62 0xF1 0x6D 0x48...)");
	buf_reset(&why);
	assert_int_equal(callgrind_failure(134, "==1== \n==1== valgrind: the 'impossible' "
					   "happened:\n==1==    bad things\n", 0, 120, &why),
			 BACKEND_ESKIP);
	assert_string_equal(why.buf, "valgrind: internal error: ==1== valgrind: the 'impossible' "
			    "happened:");
	buf_reset(&why);
	/* Valgrind refusing to start is the environment's problem: reported, not skipped. */
	capture_reset();
	assert_int_equal(callgrind_failure(1, "valgrind: Bad option: --bogus\nvalgrind: Use "
					   "--help for more information.\n", 0, 120, &why), PG_EENV);
	assert_contains(last_msg, "valgrind failed to run: valgrind: Bad option: --bogus");
	assert_int_equal(why.len, 0);
	/* Anything else under valgrind, after the plain run passed. */
	assert_int_equal(callgrind_failure(137, "", 0, 120, &why), BACKEND_ESKIP);
	assert_string_equal(why.buf, "valgrind: the benchmark failed under the simulation (signal 9)");
	buf_release(&why);
}

static void parse(const char *s, struct cg_result *r)
{
	assert_int_equal(cg_parse(s, strlen(s), "test", r), 0);
}

static const struct sample_row *must(const struct rep_samples *rs, const char *metric)
{
	const struct sample_row *row = rep_samples_find(rs, metric);

	if (!row)
		fail_msg("no sample '%s'", metric);
	return row;
}

static void test_samples(void **state)
{
	struct cg_result lo = CG_RESULT_INIT, hi = CG_RESULT_INIT;
	struct rep_samples rs = { 0 };
	const struct sample_row *row;

	(void)state;
	parse("events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim\n"
	      "summary: 434436 54825 7626 112 231 376 7 0 257 58174 193 8 6\n", &lo);
	parse("events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim\n"
	      "summary: 852425 108814 10029 535 324 380 7 4 271 110442 586 19 10\n", &hi);
	callgrind_samples(&rs, 7, 2, NULL, &lo, 50, &hi, 100);
	assert_int_equal(rs.nr, 9);
	row = must(&rs, "instructions:sim/op");
	assert_near(row->value, (852425.0 - 434436.0) / 50.0);
	assert_true(row->flags == SAMPLE_SIM && row->iterations == 100 && row->rep == 2 &&
		    row->bench_id == 7);
	assert_string_equal(row->unit, "count");
	assert_near(must(&rs, "LL-misses:sim/op")->value, ((7 + 4 + 271) - (7 + 0 + 257)) / 50.0);
	assert_near(must(&rs, "branches:sim/op")->value, ((110442 + 19) - (58174 + 8)) / 50.0);
	assert_near(must(&rs, "branch-misses:sim/op")->value, ((586 + 10) - (193 + 6)) / 50.0);
	rep_samples_release(&rs);
	cg_result_release(&lo);
	cg_result_release(&hi);

	/* Without --branch-sim: no branch metrics; one point: count / n. */
	parse("events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\nsummary: 1000 10\n", &hi);
	callgrind_samples(&rs, 1, 0, NULL, &hi, 4, &hi, 4);
	assert_int_equal(rs.nr, 7);
	assert_near(must(&rs, "instructions:sim/op")->value, 250.0);
	assert_null(rep_samples_find(&rs, "branches:sim/op"));
	rep_samples_release(&rs);
	cg_result_release(&hi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_toggles, setup_capture, teardown_capture),
		cmocka_unit_test(test_points),
		cmocka_unit_test(test_cap),
		cmocka_unit_test_setup_teardown(test_failure, setup_capture, teardown_capture),
		cmocka_unit_test(test_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
