/*
 * Unit tests for harness/collect/gobench*.c on whole files: real go 1.19
 * output recorded on the development machine and hand-made edge cases (see
 * tests/data/gobench/README.txt), several files into one, odd texts and the
 * line limit.  Run from the repository root: fixtures are read by relative
 * path (gobench_fixture.h).
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

/* ---- gb_parse on recorded go 1.19 output ----------------------------- */

static void test_go_sub_metric_benchmem(void **state)
{
	struct gb_file f = GB_FILE_INIT;
	const struct gb_result *r;

	(void)state;
	assert_int_equal(parse_fixture("go1.19-sub-metric-benchmem.txt", &f), 0);
	assert_int_equal(f.nr, 16);
	assert_int_equal(nmsg, 0);
	assert_true(f.saw_pass);
	assert_false(f.saw_fail);
	assert_int_equal(f.nfailed, 0);

	r = &f.results[0];
	assert_string_equal(r->name, "BenchmarkSum-2");
	assert_string_equal(r->base, "BenchmarkSum");
	assert_int_equal(r->procs, 2);
	assert_true(r->iters == 20000);
	assert_int_equal(r->lineno, 5);
	assert_int_equal(r->nvalues, 4);
	assert_near(value_of(r, "ns/op")->value, 1397);
	assert_near(value_of(r, "MB/s")->value, 23452.55);
	assert_near(value_of(r, "B/op")->value, 0);
	assert_near(value_of(r, "allocs/op")->value, 0);
	assert_string_equal(gb_config_get(&f, r, "goos"), "linux");
	assert_string_equal(gb_config_get(&f, r, "goarch"), "amd64");
	assert_string_equal(gb_config_get(&f, r, "pkg"), "example.com/sumbench");
	assert_string_equal(gb_config_get(&f, r, "cpu"), "AMD EPYC");
	assert_null(gb_config_get(&f, r, "commit"));

	r = &f.results[2];
	assert_string_equal(r->base, "BenchmarkAlloc");
	assert_near(value_of(r, "ns/op")->value, 294.1);
	assert_near(value_of(r, "B/op")->value, 1024);
	assert_near(value_of(r, "allocs/op")->value, 1);

	r = &f.results[6];
	assert_string_equal(r->base, "BenchmarkSub/n=1024");
	assert_near(value_of(r, "elems/op")->value, 1024);

	r = &f.results[10];
	assert_string_equal(r->base, "BenchmarkNames/a_b#01");
	assert_near(value_of(r, "custom-ns/op")->value, 0.5);
	assert_string_equal(f.results[12].base, "BenchmarkNames/x.y[1]");
	assert_string_equal(f.results[14].base, "BenchmarkNames/p/q");
	assert_int_equal(f.results[15].lineno, 20);

	/* One configuration block: every result shares one snapshot. */
	assert_int_equal(f.nconfigs, 1);
	for (size_t i = 0; i < f.nr; i++)
		assert_int_equal(f.results[i].config, 0);
	gb_file_release(&f);
	assert_null(f.results);
}

static void test_go_verbose_cpu_list(void **state)
{
	static const struct { const char *name, *base; int procs; } want[] = {
		{ "BenchmarkSum", "BenchmarkSum", 1 },
		{ "BenchmarkSum-2", "BenchmarkSum", 2 },
		{ "BenchmarkSub/n=16", "BenchmarkSub/n=16", 1 },
		{ "BenchmarkSub/n=16-2", "BenchmarkSub/n=16", 2 },
		{ "BenchmarkSub/n=1024", "BenchmarkSub/n=1024", 1 },
		{ "BenchmarkSub/n=1024-2", "BenchmarkSub/n=1024", 2 },
	};
	struct gb_file f = GB_FILE_INIT;

	(void)state;
	assert_int_equal(parse_fixture("go1.19-v-cpu-1-2.txt", &f), 0);
	/* The bare names printed by -test.v are not results. */
	assert_int_equal(f.nr, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		assert_string_equal(f.results[i].name, want[i].name);
		assert_string_equal(f.results[i].base, want[i].base);
		assert_int_equal(f.results[i].procs, want[i].procs);
		assert_true(f.results[i].iters == 5000);
	}
	assert_near(value_of(&f.results[1], "MB/s")->value, 24772.56);
	assert_true(f.saw_pass);
	assert_int_equal(nmsg, 0);
	gb_file_release(&f);
}

static void test_go_failures(void **state)
{
	static const char *const files[] = {
		"go1.19-fail.txt", "go1.19-fail-v.txt", "go1.19-gotest-fail.txt",
	};
	static const char *const failed[] = {
		"BenchmarkBad", "BenchmarkSubFail/bad", "BenchmarkSubFail",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct gb_file f = GB_FILE_INIT;

		assert_int_equal(parse_fixture(files[i], &f), 0);
		assert_true(f.saw_fail);
		assert_false(f.saw_pass);
		assert_int_equal(f.nfailed, ARRAY_SIZE(failed));
		for (size_t j = 0; j < ARRAY_SIZE(failed); j++)
			assert_string_equal(f.failed[j], failed[j]);
		/* The benchmarks that did finish are still results. */
		assert_int_equal(f.nr, 3);
		assert_string_equal(f.results[0].base, "BenchmarkOK");
		assert_string_equal(f.results[1].base, "BenchmarkSubFail/ok");
		assert_string_equal(f.results[2].base, "BenchmarkLogs");
		assert_int_equal(nmsg, 0);
		/* A second run of the same binary adds results, not failures. */
		assert_int_equal(parse_fixture(files[i], &f), 0);
		assert_int_equal(f.nr, 6);
		assert_int_equal(f.nfailed, ARRAY_SIZE(failed));
		gb_file_release(&f);
	}
}

static void test_go_test_cpu_and_nomatch(void **state)
{
	struct gb_file f = GB_FILE_INIT;

	(void)state;
	assert_int_equal(parse_fixture("go1.19-gotest-cpu-1-2.txt", &f), 0);
	assert_int_equal(f.nr, 2);
	assert_string_equal(f.results[0].name, "BenchmarkAlloc");
	assert_int_equal(f.results[0].procs, 1);
	assert_int_equal(f.results[1].procs, 2);
	assert_near(f.results[1].values[0].value, 560.5);
	assert_true(f.saw_pass);
	assert_false(f.saw_fail);
	gb_file_release(&f);

	assert_int_equal(parse_fixture("go1.19-nomatch.txt", &f), 0);
	assert_int_equal(f.nr, 0);
	assert_int_equal(f.nconfigs, 0);
	assert_true(f.saw_pass);
	gb_file_release(&f);
}

/* The live loop classifies the same recorded output line by line. */
static void test_classify_recorded_verbose(void **state)
{
	struct buf b = BUF_INIT;
	int counts[GB_FAIL + 1] = { 0 };
	const char *p, *nl;

	(void)state;
	assert_int_equal(buf_read_file(&b, DATA "go1.19-fail-v.txt", 0), 0);
	for (p = b.buf; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		counts[gb_classify_line(p, (size_t)(nl - p), NULL)]++;
	}
	assert_int_equal(counts[GB_CONFIG], 4);
	assert_int_equal(counts[GB_START], 7);
	assert_int_equal(counts[GB_RESULT], 3);
	assert_int_equal(counts[GB_BENCH_FAIL], 3);
	assert_int_equal(counts[GB_FAIL], 1);
	assert_int_equal(counts[GB_PASS], 0);
	assert_int_equal(counts[GB_OTHER], 6);
	buf_release(&b);
}

/* Several files into one gb_file: configuration restarts, results append. */
static void test_parse_appends(void **state)
{
	const char a[] = "pkg: a\nBenchmarkA 1 1 ns/op\n";
	const char b[] = "BenchmarkB 2 2 ns/op\n";
	struct gb_file f = GB_FILE_INIT;

	(void)state;
	assert_int_equal(gb_parse(a, strlen(a), "a", &f), 0);
	assert_int_equal(gb_parse(b, strlen(b), "b", &f), 0);
	assert_int_equal(f.nr, 2);
	assert_string_equal(gb_config_get(&f, &f.results[0], "pkg"), "a");
	assert_null(gb_config_get(&f, &f.results[1], "pkg"));
	assert_int_equal(f.results[1].lineno, 1);
	gb_file_release(&f);
}

static void test_parse_odd_texts(void **state)
{
	const char nonl[] = "goos: linux\nBenchmarkA-2 1 3 ns/op";
	const char nul[] = "BenchmarkA 1 1 ns/op\n\0\nBench\0markB 1 1 ns/op\nBenchmarkC 1 2 ns/op\n";
	const char crlf[] = "goos: linux\r\nBenchmarkA 1 1 ns/op\r\nPASS\r\n";
	struct gb_file f = GB_FILE_INIT;

	(void)state;
	assert_int_equal(gb_parse("", 0, NULL, &f), 0);
	assert_int_equal(f.nr, 0);

	assert_int_equal(gb_parse(nonl, strlen(nonl), NULL, &f), 0);
	assert_int_equal(f.nr, 1);
	assert_near(f.results[0].values[0].value, 3);
	gb_file_release(&f);

	assert_int_equal(gb_parse(nul, sizeof(nul) - 1, NULL, &f), 0);
	assert_int_equal(f.nr, 2);
	assert_string_equal(f.results[1].name, "BenchmarkC");
	assert_int_equal(f.results[1].lineno, 4);
	gb_file_release(&f);

	assert_int_equal(gb_parse(crlf, strlen(crlf), NULL, &f), 0);
	assert_string_equal(gb_config_get(&f, &f.results[0], "goos"), "linux");
	assert_string_equal(f.results[0].values[0].unit, "ns/op");
	assert_true(f.saw_pass);
	gb_file_release(&f);
}

/*
 * Issue 11, defect 4: a line longer than GB_MAX_LINE is an error naming the
 * input and the line; one of exactly GB_MAX_LINE bytes is read.
 */
static void test_parse_line_limit(void **state)
{
	struct buf text = BUF_INIT;
	struct gb_file f = GB_FILE_INIT;

	(void)state;
	buf_addstr(&text, "BenchmarkA 1 1 ns/op\n");
	buf_addstr(&text, "BenchmarkB 1 2 ns/op ");
	while (text.len < 21 + GB_MAX_LINE)
		buf_addch(&text, 'x');
	buf_addstr(&text, "\nBenchmarkC 1 3 ns/op\n");
	assert_int_equal(gb_parse(text.buf, text.len, "edge.txt", &f), 0);
	assert_int_equal(f.nr, 2);
	gb_file_release(&f);

	buf_setlen(&text, text.len - 22);
	buf_addstr(&text, "y\nBenchmarkC 1 3 ns/op\n");
	capture_reset();
	assert_int_equal(gb_parse(text.buf, text.len, "long.txt", &f), PG_EPARSE);
	assert_string_equal(last_msg,
			    "perfgo: error: 'long.txt' line 2 is longer than 1 MiB, "
			    "the longest line perfgo reads in Go benchmark format");
	assert_int_equal(f.nr, 1);
	gb_file_release(&f);
	buf_release(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_go_sub_metric_benchmem, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_go_verbose_cpu_list, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_go_failures, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_go_test_cpu_and_nomatch, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_classify_recorded_verbose, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_parse_appends, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_parse_odd_texts, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_parse_line_limit, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
