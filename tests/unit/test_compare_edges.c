/*
 * perfgo compare on files: small inline cases for the edges of the
 * comparison (analysis/compare_build.c): cancelling, thresholds, metric
 * filters, exact samples, negative medians, packages, power, and value
 * formatting.  Fixtures: compare_fixture.h.
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

/* Cancels on its n-th call: compare_build() asks before each row. */
static int cancel_after(void *arg)
{
	int *left = arg;

	return --*left < 0;
}

/* Issue 11, defect 5: a cancelled comparison stops, keeping the rows built. */
static void test_cancelled(void **state)
{
	struct gb_file old = GB_FILE_INIT, slow = GB_FILE_INIT;
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_report rep;
	int left = 3;

	(void)state;
	load(DATA "old.txt", &old);
	load(DATA "slow.txt", &slow);
	gb_file_series(&old, "old.txt", &sets[0]);
	gb_file_series(&slow, "slow.txt", &sets[1]);
	o.cancelled = cancel_after;
	o.cancel_arg = &left;
	assert_int_equal(compare_build(&rep, &sets[0], &sets[1], 1, &o), COMPARE_ECANCELED);
	assert_int_equal(rep.blocks[0].ntables, 1);
	assert_int_equal(rep.blocks[0].tables[0].nr, 3);
	assert_int_equal(rep.regressions, 0);
	done(&rep);

	left = 1000000;
	build(&rep, &old, &slow, NULL, &o);
	assert_true(left > 0);
	assert_int_equal(rep.regressions, 1);
	done(&rep);
	gb_file_release(&old);
	gb_file_release(&slow);
}

static void test_threshold(void **state)
{
	static const struct metric_override over[] = { { "ns/op", -1, 0, 0.10 } };
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct gb_file old = GB_FILE_INIT, new = GB_FILE_INIT;
	struct compare_report rep;
	const struct compare_row *r;

	(void)state;
	load(DATA "old.txt", &old);
	load(DATA "new.txt", &new);
	o.over = over;
	o.nover = 1;
	build(&rep, &old, &new, NULL, &o);
	assert_true(find_table(&rep.blocks[0], "ns/op")->mi.theta == 0.10);
	/* Significant, but a 5 % change is within a 10 % threshold. */
	r = find_row(&rep.blocks[0], "ns/op", "BenchmarkParse-2");
	assert_int_equal(r->verdict, VERDICT_SAME);
	assert_true(r->p_adj < 0.05 && r->ratio > 1.04 && r->ratio < 1.06);
	/* Other units keep their class threshold. */
	assert_true(find_table(&rep.blocks[0], "B/op")->mi.theta == 0.01);
	assert_verdict(&rep.blocks[0], "ns/op", "BenchmarkFib/n=20-2", VERDICT_REGRESSION);
	done(&rep);
	gb_file_release(&old);
	gb_file_release(&new);
}

static void test_filter_metric(void **state)
{
	static const char *const metrics[] = { "MB/s", "ns/op", "MB/s" };
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct gb_file old = GB_FILE_INIT, new = GB_FILE_INIT;
	struct compare_report rep;
	const struct compare_block *b;
	regex_t re;

	(void)state;
	load(DATA "old.txt", &old);
	load(DATA "new.txt", &new);
	assert_int_equal(regcomp(&re, "Encode|Fib", REG_EXTENDED | REG_NOSUB), 0);
	o.filter = &re;
	o.metrics = metrics;
	o.nmetrics = 3;
	build(&rep, &old, &new, NULL, &o);
	b = &rep.blocks[0];
	/* The order of --metric, duplicates dropped. */
	assert_int_equal(b->ntables, 2);
	assert_string_equal(b->tables[0].unit, "MB/s");
	assert_string_equal(b->tables[1].unit, "ns/op");
	assert_int_equal(b->tables[0].nr, 2);
	assert_int_equal(b->tables[1].nr, 3);
	assert_int_equal(b->family, 3);	/* ns/op; MB/s is a diagnostic */
	assert_int_equal(b->dfamily, 2);
	assert_int_equal(rep.regressions, 2);	/* gob and Fib in ns/op */
	assert_int_equal(b->dcount[VERDICT_REGRESSION], 1);	/* gob in MB/s */
	assert_int_equal(b->nonly_old + b->nonly_new, 0);
	done(&rep);

	/* A filter that matches nothing leaves nothing to compare. */
	regfree(&re);
	assert_int_equal(regcomp(&re, "^NoSuch", REG_EXTENDED | REG_NOSUB), 0);
	o.metrics = NULL;
	o.nmetrics = 0;
	build(&rep, &old, &new, NULL, &o);
	assert_int_equal(rep.rows, 0);
	done(&rep);
	regfree(&re);
	gb_file_release(&old);
	gb_file_release(&new);
}

/* Constant samples without metadata are exact too; 0 -> 1 alloc is a regression. */
static void test_exact_edges(void **state)
{
	static const char old_txt[] =
		"Unit widgets/op assume=exact better=higher\n"
		"BenchmarkA 10 100 ns/op 0 allocs/op 5 widgets/op\n"
		"BenchmarkA 10 101 ns/op 0 allocs/op 7 widgets/op\n"
		"BenchmarkA 10 102 ns/op 0 allocs/op 5 widgets/op\n"
		"BenchmarkB 10 50 ns/op 2 allocs/op 9 widgets/op\n";
	static const char new_txt[] =
		"BenchmarkA 10 100 ns/op 1 allocs/op 4 widgets/op\n"
		"BenchmarkA 10 101 ns/op 1 allocs/op 4 widgets/op\n"
		"BenchmarkA 10 102 ns/op 1 allocs/op 4 widgets/op\n"
		"BenchmarkB 10 50 ns/op 2 allocs/op 9 widgets/op\n";
	struct gb_file old = GB_FILE_INIT, new = GB_FILE_INIT;
	struct compare_report rep;
	const struct compare_block *b;
	const struct compare_row *r;
	struct buf out = BUF_INIT;

	(void)state;
	parse_text(old_txt, &old);
	parse_text(new_txt, &new);
	build(&rep, &old, &new, NULL, NULL);
	b = &rep.blocks[0];
	r = find_row(b, "allocs/op", "BenchmarkA");
	assert_string_equal(r->test, "constant");
	assert_true(isinf(r->ratio) && r->verdict == VERDICT_REGRESSION);
	/* assume=exact with varying values: medians 5 and 4, better=higher. */
	r = find_row(b, "widgets/op", "BenchmarkA");
	assert_true(r->exact && r->exact_varies && r->p == 0.0);
	assert_true(fabs(r->ratio - 0.8) < 1e-12 && r->lo == r->ratio && r->hi == r->ratio);
	assert_int_equal(r->verdict, VERDICT_REGRESSION);
	/* n = 1 per side is never a verdict, assume=exact or not. */
	r = find_row(b, "widgets/op", "BenchmarkB");
	assert_true(!r->comparable && r->verdict == VERDICT_NOT_COMPARABLE);
	assert_string_equal(r->why, "one sample per side");
	assert_true(r->has_old && r->has_new && r->old.median == 9);
	r = find_row(b, "ns/op", "BenchmarkB");
	assert_true(!r->comparable && isnan(r->p_adj));
	assert_string_equal(r->why, "one sample per side");
	/* The geomean skips an infinite ratio: A's is, and B is not comparable. */
	assert_false(find_table(b, "allocs/op")->has_geomean);
	compare_report_text(&out, &rep);
	assert_non_null(strstr(out.buf, "+∞%"));
	assert_non_null(strstr(out.buf, "values vary"));
	assert_non_null(strstr(out.buf, "± ∞"));	/* no CI with 3 samples */
	done(&rep);
	buf_release(&out);
	gb_file_release(&old);
	gb_file_release(&new);
}

/* A negative median (a per-op counter's differential noise) has no ratio. */
static void test_negative_median(void **state)
{
	static const char old_txt[] =
		"BenchmarkA 10 -3 page-faults/op 5 ns/op\n"
		"BenchmarkA 10 -1 page-faults/op 6 ns/op\n"
		"BenchmarkA 10 2 page-faults/op 7 ns/op\n";
	struct gb_file old = GB_FILE_INIT;
	struct compare_report rep;
	const struct compare_row *r;

	(void)state;
	parse_text(old_txt, &old);
	build(&rep, &old, &old, NULL, NULL);
	/* A diagnostic: negligible, collapsed by the reporters. */
	r = find_row(&rep.blocks[0], "page-faults/op", "BenchmarkA");
	assert_int_equal(r->verdict, VERDICT_NOT_COMPARABLE);
	assert_string_equal(r->why, "negligible");
	assert_true(r->negligible);
	assert_true(r->has_old && r->has_new && r->old.median == -1);
	assert_int_equal(rep.blocks[0].family, 1);
	assert_int_equal(rep.blocks[0].dfamily, 0);
	assert_int_equal(rep.blocks[0].nnegligible, 1);
	done(&rep);
	/* Gated (a custom unit, --gate): shown, not comparable, not collapsed. */
	{
		static const char *const gate[] = { "page-faults/op" };
		struct compare_opts o = COMPARE_OPTS_INIT;

		o.gate = gate;
		o.ngate = 1;
		build(&rep, &old, &old, NULL, &o);
		r = find_row(&rep.blocks[0], "page-faults/op", "BenchmarkA");
		assert_string_equal(r->why, "negative median");
		assert_false(r->negligible);
		assert_false(find_table(&rep.blocks[0], "ns/op")->gated);
	}
	assert_verdict(&rep.blocks[0], "ns/op", "BenchmarkA", VERDICT_SAME);
	done(&rep);
	gb_file_release(&old);
}

/*
 * A negative median next to a real count (a branchless loop's branch
 * misses, about nothing, against a branchy one's): not comparable, but its
 * own row with both medians, not collapsed as negligible.  Within ten
 * times the negative side's magnitude it is still noise.
 */
static void test_negative_next_to_real(void **state)
{
	static const char old_txt[] =
		"BenchmarkA 10 -3 misses/op 5 ns/op\n"
		"BenchmarkA 10 -1 misses/op 6 ns/op\n"
		"BenchmarkA 10 2 misses/op 7 ns/op\n";
	static const char real_txt[] =
		"BenchmarkA 10 65515 misses/op 5 ns/op\n"
		"BenchmarkA 10 65510 misses/op 6 ns/op\n"
		"BenchmarkA 10 65520 misses/op 7 ns/op\n";
	static const char noise_txt[] =
		"BenchmarkA 10 9 misses/op 5 ns/op\n"
		"BenchmarkA 10 4 misses/op 6 ns/op\n"
		"BenchmarkA 10 -2 misses/op 7 ns/op\n";
	struct gb_file old = GB_FILE_INIT, real = GB_FILE_INIT, noise = GB_FILE_INIT;
	struct compare_report rep;
	const struct compare_row *r;
	struct buf txt = BUF_INIT;

	(void)state;
	parse_text(old_txt, &old);
	parse_text(real_txt, &real);
	parse_text(noise_txt, &noise);
	build(&rep, &old, &real, NULL, NULL);
	r = find_row(&rep.blocks[0], "misses/op", "BenchmarkA");
	assert_int_equal(r->verdict, VERDICT_NOT_COMPARABLE);
	assert_string_equal(r->why, "negative median");
	assert_false(r->negligible);
	assert_int_equal(rep.blocks[0].nnegligible, 0);
	compare_report_text(&txt, &rep);
	assert_contains(txt.buf, "not comparable: negative median");
	assert_contains(txt.buf, "65.52k");
	done(&rep);
	buf_release(&txt);
	/* -1 against 4: both about nothing. */
	build(&rep, &old, &noise, NULL, NULL);
	r = find_row(&rep.blocks[0], "misses/op", "BenchmarkA");
	assert_string_equal(r->why, "negligible");
	assert_true(r->negligible);
	done(&rep);
	gb_file_release(&old);
	gb_file_release(&real);
	gb_file_release(&noise);
}

/* Two packages with the same benchmark name are two benchmarks. */
static void test_packages_and_escaping(void **state)
{
	static const char old_txt[] =
		"pkg: example.com/a\n"
		"BenchmarkX 10 100 ns/op\nBenchmarkX 10 100 ns/op\n"
		"pkg: example.com/b\n"
		"BenchmarkX 10 200 ns/op\nBenchmarkX 10 200 ns/op\n"
		"BenchmarkP/a|b`c 10 5 ns/op\n";
	struct gb_file old = GB_FILE_INIT;
	struct compare_report rep;
	struct buf out = BUF_INIT;
	const struct compare_table *t;

	(void)state;
	parse_text(old_txt, &old);
	build(&rep, &old, &old, NULL, NULL);
	t = &rep.blocks[0].tables[0];
	assert_int_equal(t->nr, 3);
	assert_true(rep.blocks[0].multi_pkg);
	assert_true(t->rows[0].old.median == 100 && t->rows[1].old.median == 200);
	assert_int_equal(rep.ncommon, 0);
	compare_report_text(&out, &rep);
	assert_non_null(strstr(out.buf, "example.com/a.BenchmarkX "));
	assert_non_null(strstr(out.buf, "example.com/b.BenchmarkX "));
	buf_reset(&out);
	compare_report_markdown(&out, &rep);
	assert_non_null(strstr(out.buf, "| ``example.com/b.BenchmarkP/a\\|b`c`` |"));
	buf_reset(&out);
	compare_report_json(&out, &rep);
	assert_non_null(strstr(out.buf, "\"package\":\"example.com/b\",\"name\":\"BenchmarkP/a|b`c\""));
	done(&rep);
	buf_release(&out);
	gb_file_release(&old);
}

/*
 * 3+3 samples with 4 gated pairs: the smallest exact p (0.1) can never
 * reach α, and every format says so first; per-op counters around nothing
 * collapse into one line; a 6.9x slowdown stays inconclusive.
 */
static void test_unreachable_negligible(void **state)
{
	struct gb_file old = GB_FILE_INIT, new = GB_FILE_INIT;
	struct compare_report rep;
	const struct compare_block *b;
	const struct compare_row *r;
	struct junit_meta meta = { 0 };
	struct buf out = BUF_INIT;
	const char *warn = "cannot reach α=0.05: with n=3+3 the smallest possible p is 0.1";

	(void)state;
	load(DATA "few-old.txt", &old);
	load(DATA "few-new.txt", &new);
	build(&rep, &old, &new, NULL, NULL);
	b = &rep.blocks[0];
	/* ns/op and allocs/op gate; MB/s, task-clock, context-switches, page-faults do not. */
	assert_int_equal(b->ngated_tables, 2);
	assert_int_equal(b->family, 4);
	/* The two rank-tested ns/op pairs; allocs/op are constant (exact) and could. */
	assert_int_equal(b->unreachable, 2);
	assert_int_equal(rep.unreachable, 2);
	assert_int_equal(b->need_n, 5);	/* 2/C(10,5) = 0.0079 < 0.05/4 */
	r = find_row(b, "ns/op", "BenchmarkBranchless-2");
	assert_int_equal(r->verdict, VERDICT_INCONCLUSIVE);
	assert_true(r->underpowered);
	assert_int_equal(rep.regressions, 0);
	/* context-switches/op: both benchmarks negligible; page-faults/op: one. */
	assert_int_equal(find_table(b, "context-switches/op")->nnegligible, 2);
	assert_int_equal(find_table(b, "page-faults/op")->nnegligible, 1);
	assert_int_equal(b->nnegligible, 3);
	assert_int_equal(b->dfamily, 5);

	compare_report_text(&out, &rep);
	/* The decision, then the warning, before any table. */
	assert_true(starts_with(strstr(out.buf, "no gated regression\nwarning: "),
				"no gated regression\nwarning: cannot reach"));
	assert_true(strstr(out.buf, warn) < strstr(out.buf, "ns/op: "));
	assert_non_null(strstr(out.buf, "use -count 5 or more"));
	assert_non_null(strstr(out.buf, "negligible (|median| under 0.001 per op, or negative; "
				"not compared): context-switches/op (2), page-faults/op (1)\n"));
	assert_null(strstr(out.buf, "context-switches/op: "));	/* no table of nothing */
	assert_true(strstr(out.buf, "ns/op: ") < strstr(out.buf, "diagnostics (never gate)"));
	assert_true(strstr(out.buf, "diagnostics (never gate)") < strstr(out.buf, "MB/s: "));
	buf_reset(&out);
	compare_report_markdown(&out, &rep);
	assert_true(strstr(out.buf, "> **Warning: cannot reach α") < strstr(out.buf, "<details>"));
	assert_non_null(strstr(out.buf, "<details><summary>Diagnostics (never gate)"));
	assert_non_null(strstr(out.buf, "1 inconclusive (beyond θ"));
	buf_reset(&out);
	compare_report_json(&out, &rep);
	assert_non_null(strstr(out.buf, "\"unreachable\":{\"pairs\":2,\"n_old\":3,\"n_new\":3,"));
	assert_non_null(strstr(out.buf, "\"regressions\":0,\"regressed_benchmarks\":0,\"unreachable\":2,"));
	buf_reset(&out);
	compare_report_junit(&out, &rep, &meta);
	assert_non_null(strstr(out.buf, "<property name=\"perfgo.unreachable\" value=\"cannot reach"));
	assert_non_null(strstr(out.buf, "name=\"sample sizes reach alpha\" time=\"0\">\n      <skipped"));
	/* 12 rows, 3 negligible ones left out, and the power case. */
	assert_non_null(strstr(out.buf, "<testsuites name=\"perfgo compare\" tests=\"10\" failures=\"0\""));
	assert_null(strstr(out.buf, "context-switches/op\""));
	buf_reset(&out);
	rep.fail_unreachable = 1;
	compare_report_junit(&out, &rep, &meta);
	assert_non_null(strstr(out.buf, "<failure type=\"PerfUnderpowered\""));
	assert_non_null(strstr(out.buf, "tests=\"10\" failures=\"1\""));
	done(&rep);
	buf_release(&out);
	gb_file_release(&old);
	gb_file_release(&new);
}

/* BranchlessRandom-like: +585 % with ± 2 % noise is a regression, not "under-powered". */
static void test_big_change_power(void **state)
{
	struct buf o = BUF_INIT, n = BUF_INIT;
	struct gb_file old = GB_FILE_INIT, new = GB_FILE_INIT;
	struct compare_report rep;
	const struct compare_row *r;
	static const double noise[10] = { -0.02, -0.015, -0.01, -0.005, 0, 0.004, 0.009, 0.013, 0.017, 0.02 };

	(void)state;
	for (size_t i = 0; i < 10; i++) {
		buf_addf(&o, "BenchmarkBranchless 10 %.2f ns/op\n", 79.57 * (1 + noise[i]));
		buf_addf(&n, "BenchmarkBranchless 10 %.2f ns/op\n", 545.8 * (1 + noise[(i + 3) % 10]));
	}
	parse_text(o.buf, &old);
	parse_text(n.buf, &new);
	build(&rep, &old, &new, NULL, NULL);
	r = find_row(&rep.blocks[0], "ns/op", "BenchmarkBranchless");
	assert_int_equal(r->verdict, VERDICT_REGRESSION);
	assert_false(r->underpowered);
	assert_true(r->mde < 0.03);
	assert_int_equal(rep.nregressed, 1);
	done(&rep);
	buf_release(&o);
	buf_release(&n);
	gb_file_release(&old);
	gb_file_release(&new);
}

static void test_fmt_value(void **state)
{
	static const struct {
		const char *unit;
		double v;
		const char *want;
	} cases[] = {
		{ "ns/op", 845.23, "845.2ns" }, { "ns/op", 1718.4, "1.718µs" },
		{ "ns/op", 26530, "26.53µs" }, { "ns/op", 999.96, "1.000µs" },
		{ "ns/op", 1.5e9, "1.500s" }, { "ns/op", 0.3705, "0.3705ns" },
		{ "ns/op", 0, "0ns" }, { "task-clock-ns/op", 4600, "4.600µs" },
		{ "sec/op", 0.002, "2.000ms" }, { "B/op", 512, "512.0B" },
		{ "B/op", 1024, "1.000KiB" }, { "B/op", 3 << 20, "3.000MiB" },
		{ "MB/s", 23452.55, "23.45k" }, { "allocs/op", 3, "3.000" },
		{ "IPC", 1.347, "1.347" }, { "page-faults/op", -0.019, "-0.019" },
		{ "widgets/op", 2.5e12, "2.500T" }, { "x/op", INFINITY, "∞" },
		{ "x/op", NAN, "?" },
	};
	struct buf b = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		buf_reset(&b);
		compare_fmt_value(&b, cases[i].unit, cases[i].v);
		if (strcmp(b.buf, cases[i].want))
			fail_msg("%g %s: got '%s', want '%s'", cases[i].v, cases[i].unit, b.buf,
				 cases[i].want);
	}
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unreachable_negligible),
		cmocka_unit_test(test_big_change_power),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_filter_metric),
		cmocka_unit_test(test_exact_edges),
		cmocka_unit_test(test_negative_median),
		cmocka_unit_test(test_negative_next_to_real),
		cmocka_unit_test(test_packages_and_escaping),
		cmocka_unit_test(test_fmt_value),
		cmocka_unit_test_setup_teardown(test_cancelled, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests_name("compare_edges", tests, NULL, NULL);
}
