/* cmd/compare_spread.c: the -cpu 1 note for ns/op that varies between processes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common.h"
#include "cmd/compare_revs.h"
#include "util/strvec.h"

static struct compare_row row(const char *name, size_t n, double median, double mad)
{
	struct compare_row r;

	memset(&r, 0, sizeof(r));
	r.name = name;
	r.has_old = r.has_new = 1;
	r.old.n = r.new.n = n;
	r.old.median = r.new.median = median;
	r.old.mad = r.new.mad = mad;
	return r;
}

static void test_note(void **state)
{
	struct compare_row ns[] = {
		row("BenchmarkNoPadding-2", 10, 8.0, 2.5),     /* 31 %: named */
		row("BenchmarkAoS-2", 10, 100.0, 6.0),          /* 6 %: quiet enough */
		row("BenchmarkSerial", 10, 100.0, 40.0),        /* GOMAXPROCS 1: -cpu 1 is no help */
		row("BenchmarkFew-2", 4, 100.0, 40.0),          /* 4 repetitions: not judged */
		row("BenchmarkWithPadding-16", 10, 4.0, 1.0),   /* 25 % */
		row("BenchmarkA-2", 10, 1.0, 0.5),
		row("BenchmarkB-2", 10, 1.0, 0.5),
	};
	struct compare_row bop[] = { row("BenchmarkAoS-2", 10, 100.0, 90.0) };
	struct compare_table tables[] = {
		{ .unit = "B/op", .rows = bop, .nr = 1 },
		{ .unit = "ns/op", .rows = ns, .nr = ARRAY_SIZE(ns) },
	};
	struct compare_block block = { .tables = tables, .ntables = 2 };
	struct compare_report rep = { .blocks = &block, .nblocks = 1 };
	struct strvec notes = STRVEC_INIT;

	(void)state;
	compare_spread_note(&rep, &notes);
	assert_int_equal(notes.nr, 1);
	assert_string_equal(notes.v[0],
		"ns/op varies between processes by more than 10 % (MAD) in 4 benchmarks run with "
		"GOMAXPROCS > 1 (BenchmarkNoPadding-2 ±31 %, BenchmarkWithPadding-16 ±25 %, "
		"BenchmarkA-2 ±50 %, ...): much of that is the scheduler; '-cpu 1' (GOMAXPROCS=1) "
		"usually steadies it, but then measures the code on one P, which is not what a "
		"parallel benchmark is for");
	strvec_clear(&notes);
	/* Quiet rows only: no note. */
	tables[1].nr = 2;
	compare_spread_note(&rep, &notes);
	assert_int_equal(notes.nr, 1);
	assert_true(strstr(notes.v[0], "in 1 benchmark run") != NULL);
	strvec_clear(&notes);
	tables[1].rows = ns + 1;
	tables[1].nr = 3;
	compare_spread_note(&rep, &notes);
	assert_int_equal(notes.nr, 0);
	strvec_clear(&notes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_note),
	};

	return cmocka_run_group_tests(tests, setup_capture, teardown_capture);
}
