/*
 * Unit tests for harness/collect/gobench*.c: configuration lines and unit
 * metadata (snapshots, conflicts, bounds), the units' directions
 * (gb_unit_default_better) and the -test.bench quoting (gb_bench_regexp).
 * Run from the repository root: fixtures are read by relative path
 * (gobench_fixture.h).
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
		cmocka_unit_test_setup_teardown(test_config_and_units, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_unit_errors, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_unit_conflict_keeps_earlier, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_malformed_results_warn, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_perfgo_counter_units, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_config_shared, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_config_rewrite_keeps_earlier, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_config_get_bounds, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_default_better, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_bench_regexp, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
