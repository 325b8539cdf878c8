/*
 * Unit tests for harness/collect/gobench*.c, line by line: classifying
 * lines (gb_classify_line) and parsing result lines (gb_parse_result).
 * Fixtures: gobench_fixture.h.
 */
#include <math.h>
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
#include "util/io.h"
#include "collect/gobench.h"
#include "util/usage.h"
#include "gobench_fixture.h"

/* ---- gb_classify_line ------------------------------------------------ */

static const struct {
	const char *line;
	enum gb_line_kind kind;
	const char *name;
} classify_cases[] = {
	{ "BenchmarkSum-2     \t 1000000\t      1027 ns/op\t31914.61 MB/s", GB_RESULT, NULL },
	{ "BenchmarkSub/n=16-2         \t225932770\t         5.279 ns/op\t        16.00 elems/op", GB_RESULT, NULL },
	{ "BenchmarkOK-2 100 3.5 ns/op\r", GB_RESULT, NULL },
	{ "BenchmarkOK-2 100 3.5 ns/op\n", GB_RESULT, NULL },
	{ "BenchmarkSub/n=16", GB_START, "BenchmarkSub/n=16" },
	{ "BenchmarkNames/a_b#01", GB_START, "BenchmarkNames/a_b#01" },
	{ "Benchmark", GB_START, "Benchmark" },
	{ "BenchmarkX  \r", GB_START, "BenchmarkX" },
	{ "Benchmark_x", GB_START, "Benchmark_x" },
	{ "Benchmarking", GB_OTHER, NULL },
	{ "Benchmarking 10 1 ns/op", GB_OTHER, NULL },
	{ "benchmarkX 10 1 ns/op", GB_OTHER, NULL },
	{ " BenchmarkX 10 1 ns/op", GB_OTHER, NULL },
	{ "BenchmarkX  \t 100", GB_OTHER, NULL },
	{ "BenchmarkX 100 1 ns/op 2", GB_OTHER, NULL },
	{ "BenchmarkX 0 1 ns/op", GB_OTHER, NULL },
	{ "--- FAIL: BenchmarkBad", GB_BENCH_FAIL, "BenchmarkBad" },
	{ "--- FAIL: BenchmarkX (0.00s)", GB_BENCH_FAIL, "BenchmarkX" },
	{ "    --- FAIL: BenchmarkX/sub-2 (0.00s)", GB_BENCH_FAIL, "BenchmarkX/sub-2" },
	{ "--- FAIL: TestX (0.00s)", GB_OTHER, NULL },
	{ "--- FAIL:", GB_OTHER, NULL },
	{ "--- SKIP: BenchmarkSkip", GB_OTHER, NULL },
	{ "--- BENCH: BenchmarkLogs-2", GB_OTHER, NULL },
	{ "PASS", GB_PASS, NULL },
	{ "PASS\r", GB_PASS, NULL },
	{ "ok  \texample.com/sumbench\t0.008s", GB_PASS, NULL },
	{ "ok  \texample.com/sumbench\t(cached)", GB_PASS, NULL },
	{ "okay", GB_OTHER, NULL },
	{ "FAIL", GB_FAIL, NULL },
	{ "FAIL\texample.com/failbench\t0.012s", GB_FAIL, NULL },
	{ "FAIL\texample.com/x [build failed]", GB_FAIL, NULL },
	{ "FAILED", GB_OTHER, NULL },
	{ "exit status 1", GB_OTHER, NULL },
	{ "goos: linux", GB_CONFIG, NULL },
	{ "cpu: Intel(R) Xeon(R) Processor", GB_CONFIG, NULL },
	{ "cpu-count: 2", GB_CONFIG, NULL },
	{ "note:", GB_CONFIG, NULL },
	{ "note:\t", GB_CONFIG, NULL },
	{ "key:nospace", GB_OTHER, NULL },
	{ "Key: upper", GB_OTHER, NULL },
	{ "my key: x", GB_OTHER, NULL },
	{ "keY: x", GB_OTHER, NULL },
	{ ": x", GB_OTHER, NULL },
	{ "    f_test.go:14: boom", GB_OTHER, NULL },
	{ "Unit ns/op better=lower", GB_UNIT, NULL },
	{ "Unit\tinstructions/op  better=lower assume=exact", GB_UNIT, NULL },
	{ "Unit", GB_OTHER, NULL },
	{ "Units: x", GB_OTHER, NULL },
	{ "", GB_OTHER, NULL },
	{ "\r", GB_OTHER, NULL },
};

static void test_classify_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(classify_cases); i++) {
		const char *line = classify_cases[i].line;
		char *name = (char *)"sentinel";
		enum gb_line_kind kind;

		kind = gb_classify_line(line, strlen(line), &name);
		if (kind != classify_cases[i].kind)
			fail_msg("'%s': kind %d, want %d", line, kind, classify_cases[i].kind);
		if (classify_cases[i].name) {
			assert_non_null(name);
			assert_string_equal(name, classify_cases[i].name);
		} else {
			assert_null(name);
		}
		free(name);
		/* name_out is optional. */
		assert_int_equal(gb_classify_line(line, strlen(line), NULL), kind);
	}
}

/* The length is what counts, not a NUL: the live loop passes raw reads. */
static void test_classify_uses_length(void **state)
{
	const char line[] = "PASSWORD";
	char *name;

	(void)state;
	assert_int_equal(gb_classify_line(line, 4, NULL), GB_PASS);
	assert_int_equal(gb_classify_line("BenchmarkA 1 2 ns/op", 10, &name), GB_START);
	assert_string_equal(name, "BenchmarkA");
	free(name);
}

/* ---- gb_parse_result ------------------------------------------------- */

static const struct {
	const char *line;
	int hint;
	const char *name, *base;
	int procs;
	uint64_t iters;
	size_t nvalues;
	double v0;
	const char *u0;
} result_cases[] = {
	{ "BenchmarkSum-2     \t 1000000\t      1027 ns/op\t31914.61 MB/s\t       0 B/op\t       0 allocs/op",
	  0, "BenchmarkSum-2", "BenchmarkSum", 2, 1000000, 4, 1027, "ns/op" },
	{ "BenchmarkAlloc     \t    1000\t       127.7 ns/op", 0, "BenchmarkAlloc", "BenchmarkAlloc", 1, 1000, 1, 127.7, "ns/op" },
	{ "BenchmarkSub/n=16-2 225932770 5.279 ns/op 16.00 elems/op", 0,
	  "BenchmarkSub/n=16-2", "BenchmarkSub/n=16", 2, 225932770, 2, 5.279, "ns/op" },
	{ "BenchmarkSub/size-4-2 1 1 ns/op", 0, "BenchmarkSub/size-4-2", "BenchmarkSub/size-4", 2, 1, 1, 1, "ns/op" },
	{ "BenchmarkSub/size-4-2 1 1 ns/op", 2, "BenchmarkSub/size-4-2", "BenchmarkSub/size-4", 2, 1, 1, 1, "ns/op" },
	/* Without a hint an all-digit suffix is taken as GOMAXPROCS... */
	{ "BenchmarkSub/size-4 1 1 ns/op", 0, "BenchmarkSub/size-4", "BenchmarkSub/size", 4, 1, 1, 1, "ns/op" },
	/* ...with one it must match, */
	{ "BenchmarkSub/size-4 1 1 ns/op", 1, "BenchmarkSub/size-4", "BenchmarkSub/size-4", 1, 1, 1, 1, "ns/op" },
	{ "BenchmarkSub/size-4 1 1 ns/op", 2, "BenchmarkSub/size-4", "BenchmarkSub/size-4", 1, 1, 1, 1, "ns/op" },
	{ "BenchmarkX-2 1 1 ns/op", 4, "BenchmarkX-2", "BenchmarkX-2", 1, 1, 1, 1, "ns/op" },
	{ "BenchmarkX-16 1 1 ns/op", 16, "BenchmarkX-16", "BenchmarkX", 16, 1, 1, 1, "ns/op" },
	/* ...and "-1" is never GOMAXPROCS: Go omits it. */
	{ "BenchmarkWorkers/n-1 1 1 ns/op", 0, "BenchmarkWorkers/n-1", "BenchmarkWorkers/n-1", 1, 1, 1, 1, "ns/op" },
	{ "BenchmarkWorkers/n-1 1 1 ns/op", 1, "BenchmarkWorkers/n-1", "BenchmarkWorkers/n-1", 1, 1, 1, 1, "ns/op" },
	{ "BenchmarkX-2a 1 1 ns/op", 0, "BenchmarkX-2a", "BenchmarkX-2a", 1, 1, 1, 1, "ns/op" },
	{ "BenchmarkX- 1 1 ns/op", 0, "BenchmarkX-", "BenchmarkX-", 1, 1, 1, 1, "ns/op" },
	{ "BenchmarkX-99999999999 1 1 ns/op", 0, "BenchmarkX-99999999999", "BenchmarkX-99999999999", 1, 1, 1, 1, "ns/op" },
	{ "Benchmark-2 10 1 ns/op", 0, "Benchmark-2", "Benchmark", 2, 10, 1, 1, "ns/op" },
	{ "Benchmark1 10 1 ns/op", 0, "Benchmark1", "Benchmark1", 1, 10, 1, 1, "ns/op" },
	{ "BenchmarkNames/a_b#01-2 20000 0.6440 ns/op 0.5000 custom-ns/op", 0,
	  "BenchmarkNames/a_b#01-2", "BenchmarkNames/a_b#01", 2, 20000, 2, 0.644, "ns/op" },
	{ "BenchmarkE 10 1e3 ns/op", 0, "BenchmarkE", "BenchmarkE", 1, 10, 1, 1000, "ns/op" },
	{ "BenchmarkH 10 0x1p4 x/op", 0, "BenchmarkH", "BenchmarkH", 1, 10, 1, 16, "x/op" },
	{ "BenchmarkNeg 10 -2.5 delta/op", 0, "BenchmarkNeg", "BenchmarkNeg", 1, 10, 1, -2.5, "delta/op" },
	{ "BenchmarkU 18446744073709551615 1 ns/op", 0, "BenchmarkU", "BenchmarkU", 1, UINT64_MAX, 1, 1, "ns/op" },
};

static void test_parse_result_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(result_cases); i++) {
		struct gb_result r;
		const char *line = result_cases[i].line;

		if (gb_parse_result(line, strlen(line), result_cases[i].hint, &r))
			fail_msg("'%s' did not parse", line);
		assert_string_equal(r.name, result_cases[i].name);
		assert_string_equal(r.base, result_cases[i].base);
		assert_int_equal(r.procs, result_cases[i].procs);
		assert_true(r.iters == result_cases[i].iters);
		assert_int_equal(r.nvalues, result_cases[i].nvalues);
		assert_near(r.values[0].value, result_cases[i].v0);
		assert_string_equal(r.values[0].unit, result_cases[i].u0);
		assert_int_equal(r.config, 0);
		assert_int_equal(r.lineno, 0);
		gb_result_release(&r);
		assert_null(r.name);
	}
}

static void test_parse_result_all_values(void **state)
{
	const char *line = "BenchmarkSum-2     \t   20000\t      1397 ns/op\t23452.55 MB/s\t"
			   "       0 B/op\t       0 allocs/op";
	static const struct { double v; const char *u; } want[] = {
		{ 1397, "ns/op" }, { 23452.55, "MB/s" }, { 0, "B/op" }, { 0, "allocs/op" },
	};
	struct gb_result r;

	(void)state;
	assert_int_equal(gb_parse_result(line, strlen(line), 2, &r), 0);
	assert_int_equal(r.nvalues, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		assert_near(r.values[i].value, want[i].v);
		assert_string_equal(r.values[i].unit, want[i].u);
	}
	gb_result_release(&r);
}

static const char *const bad_results[] = {
	"",
	"BenchmarkX",
	"BenchmarkX 100",
	"BenchmarkX 100 12.5",
	"BenchmarkX 100 12.5 ns/op 64",
	"BenchmarkX 0 12.5 ns/op",
	"BenchmarkX -5 12.5 ns/op",
	"BenchmarkX +5 12.5 ns/op",
	"BenchmarkX 1x0 12.5 ns/op",
	"BenchmarkX 1.5 12.5 ns/op",
	"BenchmarkX 18446744073709551616 1 ns/op",
	"BenchmarkX 100 12,5 ns/op",
	"BenchmarkX 100 NaN ns/op",
	"BenchmarkX 100 +Inf ns/op",
	"BenchmarkX 100 1e999 ns/op",
	"BenchmarkX 100 ns/op 12.5",
	"Benchmarking 100 12.5 ns/op",
	"benchmarkX 100 12.5 ns/op",
	"TestX 100 12.5 ns/op",
	"   BenchmarkX 100 12.5 ns/op x",
};

static void test_parse_result_rejects(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_results); i++) {
		struct gb_result r;
		const char *line = bad_results[i];

		if (gb_parse_result(line, strlen(line), 0, &r) != PG_EPARSE)
			fail_msg("'%s' was accepted", line);
		/* Nothing to release, and release stays safe. */
		assert_null(r.name);
		assert_null(r.values);
		gb_result_release(&r);
	}
	/* The parser does not report: the caller knows what the line meant. */
	assert_int_equal(nmsg, 0);
}

static void test_parse_result_embedded_nul(void **state)
{
	const char line[] = "BenchmarkX 10 1\0x ns/op";
	struct gb_result r;

	(void)state;
	assert_int_equal(gb_parse_result(line, sizeof(line) - 1, 0, &r), PG_EPARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_classify_table, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_classify_uses_length, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_parse_result_table, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_parse_result_all_values, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_parse_result_rejects, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_parse_result_embedded_nul, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
