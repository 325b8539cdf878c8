/*
 * Unit tests for harness/collect/gobench*.c: line classification, results,
 * whole files (real go 1.19 output recorded on the development machine and
 * hand-made edge cases, see tests/data/gobench/README.txt), unit metadata
 * and the -test.bench quoting.  Run from the repository root: fixtures are
 * read by relative path.
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

#define DATA "tests/data/gobench/"

static int parse_fixture(const char *file, struct gb_file *f)
{
	struct buf b = BUF_INIT;
	char path[256];
	int ret;

	snprintf(path, sizeof(path), DATA "%s", file);
	read_fixture(&b, path);
	ret = gb_parse(b.buf, b.len, file, f);
	buf_release(&b);
	return ret;
}

static const struct gb_value *value_of(const struct gb_result *r, const char *unit)
{
	for (size_t i = 0; i < r->nvalues; i++)
		if (!strcmp(r->values[i].unit, unit))
			return &r->values[i];
	fail_msg("%s has no value in '%s'", r->name, unit);
	return NULL;
}

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

/* ---- configuration and unit metadata --------------------------------- */

static void test_config_and_units(void **state)
{
	struct gb_file f = GB_FILE_INIT;
	const struct gb_result *sum, *other, *sub, *spaces;
	const struct gb_unit *u;

	(void)state;
	assert_int_equal(parse_fixture("handmade-config-units.txt", &f), 0);
	assert_int_equal(nmsg, 0);
	/* "Benchmarking" is not a benchmark. */
	assert_int_equal(f.nr, 8);
	sum = &f.results[0];
	other = &f.results[1];
	sub = &f.results[2];
	spaces = &f.results[7];

	assert_string_equal(gb_config_get(&f, sum, "commit"),
			    "7357e9b37488dbe22de161df0d673777b1d04513");
	assert_string_equal(gb_config_get(&f, sum, "commit-time"), "2026-11-23T18:00:00Z");
	assert_string_equal(gb_config_get(&f, sum, "cpu"), "Intel(R) Xeon(R) Processor");
	assert_string_equal(gb_config_get(&f, sum, "pkg"), "example.com/sumbench");
	assert_null(gb_config_get(&f, sum, "note"));

	/* Overwritten and deleted keys apply from the next result on. */
	assert_string_equal(gb_config_get(&f, other, "pkg"), "example.com/other");
	assert_null(gb_config_get(&f, other, "commit-time"));
	assert_string_equal(gb_config_get(&f, other, "commit"),
			    "7357e9b37488dbe22de161df0d673777b1d04513");
	assert_int_equal(other->config, sub->config);
	assert_true(sum->config != other->config);
	assert_null(gb_config_get(&f, other, "cpu-count"));
	assert_string_equal(gb_config_get(&f, spaces, "cpu-count"), "2");
	assert_null(gb_config_get(&f, spaces, "key"));
	assert_null(gb_config_get(&f, spaces, "Key"));
	assert_int_equal(f.nconfigs, 3);

	assert_string_equal(sub->base, "BenchmarkSub/size-4");
	assert_string_equal(f.results[3].base, "BenchmarkWorkers/n-1");
	assert_string_equal(f.results[4].name, "Benchmark");
	assert_string_equal(f.results[5].base, "Benchmark_underscore");
	assert_string_equal(f.results[6].base, "Benchmark1");

	/* Space-only alignment, hex float, negative value, CRLF. */
	assert_string_equal(spaces->base, "BenchmarkSpaces");
	assert_int_equal(spaces->procs, 8);
	assert_int_equal(spaces->nvalues, 3);
	assert_near(value_of(spaces, "ns/op")->value, 1000);
	assert_near(value_of(spaces, "custom/op")->value, 16);
	assert_near(value_of(spaces, "delta/op")->value, -2.5);
	assert_int_equal(spaces->lineno, 24);

	u = gb_unit_find(&f, "ns/op");
	assert_non_null(u);
	assert_int_equal(u->better, -1);
	assert_int_equal(u->assume_exact, 0);
	assert_true(u->assume_set);
	u = gb_unit_find(&f, "instructions/op");
	assert_non_null(u);
	assert_int_equal(u->better, -1);
	assert_int_equal(u->assume_exact, 1);
	u = gb_unit_find(&f, "MB/s");
	assert_non_null(u);
	assert_int_equal(u->better, 1);
	assert_false(u->assume_set);
	/* Only unknown keys: nothing recorded. */
	assert_null(gb_unit_find(&f, "elems/op"));
	assert_null(gb_unit_find(&f, "custom/op"));
	assert_null(gb_unit_find(&f, NULL));
	gb_file_release(&f);
}

static const struct {
	const char *file;
	const char *msg[3];
} bad_units[] = {
	{ "handmade-unit-conflict.txt",
	  { "'handmade-unit-conflict.txt' line 5", "conflicting", "better=higher after better=lower" } },
	{ "handmade-unit-conflict-assume.txt",
	  { "line 2", "unit 'x/op'", "assume=nothing after assume=exact" } },
	{ "handmade-unit-no-equals.txt", { "line 1", "expected key=value", "'better'" } },
	{ "handmade-unit-bad-value.txt", { "line 1", "unknown value", "'better=bigger'" } },
	{ "handmade-unit-missing.txt", { "line 1", "without a unit", NULL } },
};

static void test_unit_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_units); i++) {
		struct gb_file f = GB_FILE_INIT;

		nmsg = 0;
		assert_int_equal(parse_fixture(bad_units[i].file, &f), PG_EPARSE);
		assert_int_equal(nmsg, 1);
		assert_contains(last_msg, "perfgo: error: ");
		for (size_t j = 0; j < 3 && bad_units[i].msg[j]; j++)
			assert_contains(last_msg, bad_units[i].msg[j]);
		gb_file_release(&f);
	}
}

static void test_unit_conflict_keeps_earlier(void **state)
{
	struct gb_file f = GB_FILE_INIT;

	(void)state;
	assert_int_equal(parse_fixture("handmade-unit-conflict.txt", &f), PG_EPARSE);
	/* Repeating the same metadata is fine; results before the conflict stay. */
	assert_int_equal(f.nr, 2);
	assert_int_equal(gb_unit_find(&f, "ns/op")->better, -1);
	gb_file_release(&f);
}

static void test_malformed_results_warn(void **state)
{
	struct gb_file f = GB_FILE_INIT;

	(void)state;
	assert_int_equal(parse_fixture("handmade-malformed-results.txt", &f), 0);
	assert_int_equal(f.nr, 2);
	assert_string_equal(f.results[0].name, "BenchmarkGood-2");
	assert_string_equal(f.results[1].name, "BenchmarkGood2-2");
	assert_int_equal(f.results[1].lineno, 12);
	/* One warning per malformed result line, naming the last one. */
	assert_int_equal(nmsg, 9);
	assert_contains(last_msg, "perfgo: warning: 'handmade-malformed-results.txt' line 11");
	assert_contains(last_msg, "BenchmarkTrunc-2");
	gb_file_release(&f);
}

static void test_perfgo_counter_units(void **state)
{
	struct gb_file f = GB_FILE_INIT;
	const struct gb_result *r;

	(void)state;
	assert_int_equal(parse_fixture("handmade-perfgo-counters.txt", &f), 0);
	assert_int_equal(f.nr, 2);
	r = &f.results[1];
	assert_near(value_of(r, "instructions/op")->value, 4203);
	assert_near(value_of(r, "cycles/op")->value, 3101);
	assert_near(value_of(r, "IPC")->value, 1.355);
	assert_int_equal(gb_unit_find(&f, "IPC")->better, 1);
	assert_int_equal(gb_unit_find(&f, "instructions/op")->assume_exact, 1);
	assert_int_equal(gb_unit_find(&f, "cycles/op")->better, -1);
	assert_true(f.saw_pass);
	gb_file_release(&f);
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

/*
 * Issue 11, defect 3: 8,000 distinct "key: value" lines, each followed by
 * a result, copied the whole configuration per result (32 million entries,
 * 2.5 GB).  The snapshots now share their entries: the pool holds each key
 * once, and every result still sees exactly the keys set before it.
 */
#define SHARED_KEYS 8000

static void test_config_shared(void **state)
{
	struct gb_file f = GB_FILE_INIT;
	struct buf text = BUF_INIT;
	char key[32];

	(void)state;
	for (int i = 0; i < SHARED_KEYS; i++)
		buf_addf(&text, "key%05d: value %d\nBenchmarkX-2 1 %d ns/op\n", i, i, i + 1);
	assert_int_equal(gb_parse(text.buf, text.len, "generated", &f), 0);
	assert_int_equal(f.nr, SHARED_KEYS);
	assert_int_equal(f.nconfigs, SHARED_KEYS);
	assert_int_equal(f.kv_nr, SHARED_KEYS);
	for (size_t i = 0; i < f.nconfigs; i++) {
		assert_int_equal(f.configs[i].nr, i + 1);
		assert_ptr_equal(f.configs[i].kv, f.configs[0].kv);
	}
	assert_string_equal(gb_config_get(&f, &f.results[0], "key00000"), "value 0");
	assert_null(gb_config_get(&f, &f.results[0], "key00001"));
	snprintf(key, sizeof(key), "key%05d", SHARED_KEYS - 1);
	assert_null(gb_config_get(&f, &f.results[SHARED_KEYS - 2], key));
	assert_string_equal(gb_config_get(&f, &f.results[SHARED_KEYS - 1], key), "value 7999");
	assert_string_equal(gb_config_get(&f, &f.results[SHARED_KEYS - 1], "key00000"), "value 0");
	gb_file_release(&f);
	buf_release(&text);
}

/* A changed or deleted key starts a new snapshot; earlier results keep theirs. */
static void test_config_rewrite_keeps_earlier(void **state)
{
	static const char text[] =
		"a: 1\nb: 2\nBenchmarkA 1 1 ns/op\n"
		"c: 3\nBenchmarkB 1 1 ns/op\n"
		"a: 9\nBenchmarkC 1 1 ns/op\n"
		"b:\nd: 4\nBenchmarkD 1 1 ns/op\n"
		"e: 5\nBenchmarkE 1 1 ns/op\n";
	static const char *const want[][5] = {
		{ "1", "2", NULL, NULL, NULL },
		{ "1", "2", "3", NULL, NULL },
		{ "9", "2", "3", NULL, NULL },
		{ "9", NULL, "3", "4", NULL },
		{ "9", NULL, "3", "4", "5" },
	};
	static const char *const keys[] = { "a", "b", "c", "d", "e" };
	struct gb_file f = GB_FILE_INIT;

	(void)state;
	assert_int_equal(gb_parse(text, strlen(text), NULL, &f), 0);
	assert_int_equal(f.nr, 5);
	for (size_t r = 0; r < 5; r++)
		for (size_t k = 0; k < 5; k++) {
			const char *got = gb_config_get(&f, &f.results[r], keys[k]);

			if (want[r][k] ? !got || strcmp(got, want[r][k]) : got != NULL)
				fail_msg("result %zu key %s: got %s", r, keys[k], got ? got : "NULL");
		}
	/* Order of first setting: d after c, once b is gone. */
	assert_string_equal(f.configs[f.results[3].config].kv[2].key, "d");
	/* {a,b} + c extends; a rewritten copies 3; b deleted copies 3; e extends. */
	assert_int_equal(f.kv_nr, 2 + 1 + 3 + 3 + 1);
	gb_file_release(&f);
}

static void test_config_get_bounds(void **state)
{
	struct gb_file f = GB_FILE_INIT;
	struct gb_result r = { 0 };

	(void)state;
	r.config = 3;
	assert_null(gb_config_get(&f, &r, "goos"));
	assert_null(gb_config_get(NULL, &r, "goos"));
	assert_null(gb_unit_find(&f, "ns/op"));
	gb_file_release(&f);
	gb_file_release(NULL);
	gb_result_release(NULL);
}

/* ---- gb_unit_default_better, gb_bench_regexp ------------------------- */

static void test_default_better(void **state)
{
	static const struct { const char *unit; int better; } cases[] = {
		{ "ns/op", -1 }, { "B/op", -1 }, { "allocs/op", -1 }, { "sec/op", -1 },
		{ "instructions/op", -1 }, { "cache-misses/op", -1 }, { "elems/op", -1 },
		{ "MB/s", 1 }, { "B/s", 1 }, { "IPC", 1 },
		{ "/op", 0 }, { "op", 0 }, { "ns", 0 }, { "", 0 }, { "ops/s", 0 }, { "ns/opx", 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (gb_unit_default_better(cases[i].unit) != cases[i].better)
			fail_msg("'%s': want %d", cases[i].unit, cases[i].better);
	assert_int_equal(gb_unit_default_better(NULL), 0);
}

static void test_bench_regexp(void **state)
{
	static const struct { const char *name, *re; } cases[] = {
		{ "BenchmarkA/n=1.5", "^BenchmarkA$/^n=1\\.5$" },
		{ "BenchmarkSum", "^BenchmarkSum$" },
		{ "BenchmarkNames/x.y[1]", "^BenchmarkNames$/^x\\.y\\[1\\]$" },
		{ "BenchmarkNames/a_b#01", "^BenchmarkNames$/^a_b#01$" },
		{ "BenchmarkNames/p/q", "^BenchmarkNames$/^p$/^q$" },
		{ "BenchmarkM/a|b(c)*+?{2}^$\\", "^BenchmarkM$/^a\\|b\\(c\\)\\*\\+\\?\\{2\\}\\^\\$\\\\$" },
		{ "BenchmarkE/", "^BenchmarkE$/^$" },
		{ "", "^$" },
	};
	struct buf b = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		buf_reset(&b);
		gb_bench_regexp(&b, cases[i].name);
		assert_string_equal(b.buf, cases[i].re);
	}
	/* It appends. */
	buf_reset(&b);
	buf_addstr(&b, "-test.bench=");
	gb_bench_regexp(&b, "BenchmarkX");
	assert_string_equal(b.buf, "-test.bench=^BenchmarkX$");
	buf_release(&b);
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
		cmocka_unit_test_setup_teardown(test_go_sub_metric_benchmem, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_go_verbose_cpu_list, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_go_failures, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_go_test_cpu_and_nomatch, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_classify_recorded_verbose, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_config_and_units, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_unit_errors, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_unit_conflict_keeps_earlier, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_malformed_results_warn, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_perfgo_counter_units, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_parse_appends, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_parse_odd_texts, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_parse_line_limit, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_config_shared, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_config_rewrite_keeps_earlier, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_config_get_bounds, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_default_better, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_bench_regexp, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
