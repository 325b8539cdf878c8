/*
 * perfgo compare on files: the comparison (analysis/compare_build.c) on
 * the hand-made inputs of tests/data/compare/ (written by make_inputs.py,
 * fixed seed; what each file changes is listed there), and its text,
 * Markdown and JSON against golden outputs.  Fixtures: compare_fixture.h.
 *
 * Run from the repository root.  UPDATE_GOLDEN=1 rewrites the golden files
 * instead of comparing; review the diff before committing it.
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

static void test_identical(void **state)
{
	struct gb_file old = GB_FILE_INIT;
	struct compare_report rep;
	const struct compare_block *b;

	(void)state;
	load(DATA "old.txt", &old);
	build(&rep, &old, &old, NULL, NULL);
	b = &rep.blocks[0];
	assert_int_equal(rep.regressions, 0);
	assert_int_equal(b->ntables, 5);
	assert_int_equal(b->count[VERDICT_NOT_COMPARABLE], 0);
	assert_int_equal(b->count[VERDICT_SAME], b->family);
	assert_int_equal(b->family, 6 * 4);	/* 6 benchmarks x 4 gated units */
	assert_int_equal(b->dfamily, 2);	/* MB/s: a diagnostic */
	assert_int_equal(b->dcount[VERDICT_SAME], 2);
	assert_int_equal(b->nregressed, 0);
	assert_int_equal(b->unreachable, 0);
	for (size_t i = 0; i < b->ntables; i++) {
		const struct compare_table *t = &b->tables[i];

		for (size_t j = 0; j < t->nr; j++) {
			assert_int_equal(t->rows[j].verdict, VERDICT_SAME);
			assert_true(t->rows[j].ratio == 1.0);
			assert_true(t->rows[j].p_adj == 1.0);
		}
		if (t->has_geomean)
			assert_true(fabs(t->gm_ratio - 1.0) < 1e-12);
	}
	done(&rep);
	gb_file_release(&old);
}

static void test_old_new(void **state)
{
	struct gb_file old = GB_FILE_INIT, new = GB_FILE_INIT;
	struct compare_report rep;
	const struct compare_block *b;
	const struct compare_row *r;

	(void)state;
	load(DATA "old.txt", &old);
	load(DATA "new.txt", &new);
	build(&rep, &old, &new, NULL, NULL);
	b = &rep.blocks[0];

	/* The 3x slowdown, in time and in (exact) instructions. */
	assert_verdict(b, "ns/op", "BenchmarkFib/n=20-2", VERDICT_REGRESSION);
	r = find_row(b, "ns/op", "BenchmarkFib/n=20-2");
	assert_true(r->ratio > 2.9 && r->ratio < 3.1 && r->lo > 1.03);
	assert_verdict(b, "instructions/op", "BenchmarkFib/n=20-2", VERDICT_REGRESSION);
	/* An improvement in every unit of Encode/format=json. */
	assert_verdict(b, "ns/op", "BenchmarkEncode/format=json-2", VERDICT_IMPROVEMENT);
	assert_verdict(b, "MB/s", "BenchmarkEncode/format=json-2", VERDICT_IMPROVEMENT);
	assert_verdict(b, "B/op", "BenchmarkEncode/format=json-2", VERDICT_IMPROVEMENT);
	assert_verdict(b, "allocs/op", "BenchmarkEncode/format=json-2", VERDICT_IMPROVEMENT);
	/* Higher is better: MB/s dropping is the regression, a diagnostic one. */
	assert_true(find_table(b, "MB/s")->mi.better > 0);
	assert_false(find_table(b, "MB/s")->gated);
	assert_true(find_table(b, "ns/op")->gated && find_table(b, "B/op")->gated &&
		    find_table(b, "allocs/op")->gated && find_table(b, "instructions/op")->gated);
	assert_verdict(b, "MB/s", "BenchmarkEncode/format=gob-2", VERDICT_REGRESSION);
	assert_true(find_row(b, "MB/s", "BenchmarkEncode/format=gob-2")->ratio < 0.92);
	/* 5 % slower with 0.5 % noise: beyond θ = 3 %. */
	assert_verdict(b, "ns/op", "BenchmarkParse-2", VERDICT_REGRESSION);
	assert_verdict(b, "ns/op", "BenchmarkSort/n=1000-2", VERDICT_SAME);
	/* One side only: shown, not comparable, not in the family. */
	r = find_row(b, "ns/op", "BenchmarkRemoved-2");
	assert_int_equal(r->presence, COMPARE_REMOVED);
	assert_int_equal(r->verdict, VERDICT_NOT_COMPARABLE);
	assert_true(r->has_old && !r->has_new && isnan(r->p_adj));
	r = find_row(b, "allocs/op", "BenchmarkAdded-2");
	assert_int_equal(r->presence, COMPARE_ADDED);
	assert_string_equal(r->why, "added");
	assert_true(!r->has_old && r->has_new);
	assert_int_equal(b->count[VERDICT_NOT_COMPARABLE], 2 * 4);
	assert_int_equal(b->family, 5 * 4);
	assert_int_equal(b->dfamily, 2);
	/* assume=exact: medians compared, varying values flagged. */
	assert_true(find_table(b, "instructions/op")->assume_exact);
	assert_true(find_table(b, "instructions/op")->better_meta);
	r = find_row(b, "instructions/op", "BenchmarkSort/n=1000-2");
	assert_true(r->exact && r->exact_varies);
	assert_string_equal(r->test, "assume-exact");
	assert_int_equal(r->verdict, VERDICT_SAME);
	/* Gated regression pairs; the MB/s one is counted among the diagnostics. */
	assert_int_equal(rep.regressions, 4);
	assert_int_equal(b->count[VERDICT_IMPROVEMENT], 4);
	assert_int_equal(b->dcount[VERDICT_REGRESSION], 1);
	assert_int_equal(b->dcount[VERDICT_IMPROVEMENT], 1);
	/* One finding per benchmark, naming its units: Fib is one, not two. */
	assert_int_equal(rep.nregressed, 3);
	assert_int_equal(b->nregressed, 3);
	assert_string_equal(b->regressed[1].name, "BenchmarkFib/n=20-2");
	assert_int_equal(b->regressed[1].nunits, 2);
	assert_string_equal(b->regressed[1].units[0], "ns/op");
	assert_string_equal(b->regressed[1].units[1], "instructions/op");
	/* BH on the diagnostics: 2 pairs, both p tiny, adjusted p = 2/rank * p. */
	r = find_row(b, "MB/s", "BenchmarkEncode/format=gob-2");
	assert_true(r->p_adj <= 2 * r->p + 1e-15 && r->p_adj >= r->p);
	done(&rep);
	gb_file_release(&old);
	gb_file_release(&new);
}

static void test_golden(void **state)
{
	struct gb_file old = GB_FILE_INIT, new = GB_FILE_INIT, slow = GB_FILE_INIT;
	struct compare_report rep;
	struct buf out = BUF_INIT;

	(void)state;
	load(DATA "old.txt", &old);
	load(DATA "new.txt", &new);
	load(DATA "slow.txt", &slow);
	build(&rep, &old, &new, NULL, NULL);
	compare_report_text(&out, &rep);
	check_golden("golden-old-new.txt", &out);
	buf_reset(&out);
	compare_report_markdown(&out, &rep);
	check_golden("golden-old-new.md", &out);
	buf_reset(&out);
	compare_report_json(&out, &rep);
	check_golden("golden-old-new.json", &out);
	buf_reset(&out);
	done(&rep);

	/* Two NEW files: one block each, each with its own family. */
	build(&rep, &old, &new, &slow, NULL);
	assert_int_equal(rep.nblocks, 2);
	assert_int_equal(rep.regressions, 4 + 1);
	assert_int_equal(rep.nregressed, 3 + 1);
	compare_report_text(&out, &rep);
	check_golden("golden-old-new-slow.txt", &out);
	buf_reset(&out);
	compare_report_markdown(&out, &rep);
	check_golden("golden-old-new-slow.md", &out);
	done(&rep);
	buf_release(&out);
	gb_file_release(&old);
	gb_file_release(&new);
	gb_file_release(&slow);
}

/*
 * What `perfgo compare` on revisions adds to a report: the runner line,
 * notes on how the sides were measured, a regression --confirm did not
 * repeat (marked, no longer counted), and JUnit with both SHAs.  The
 * JUnit golden file is also checked against tests/data/junit/junit.xsd by
 * the CLI tests (xmllint).
 */
static void test_golden_gate(void **state)
{
	static const char *const notes[] = {
		"base 0123456789ab: run 0ca9e811",
		"head fedcba987654+dirty: run 1b2c3d4e",
		"--confirm: 4 of 5 regressions repeated in a second interleaved round (runs 2a, 3b)",
	};
	struct gb_file old = GB_FILE_INIT, new = GB_FILE_INIT;
	struct compare_opts def = COMPARE_OPTS_INIT;
	struct series_set sides[2] = { SERIES_SET_INIT, SERIES_SET_INIT };
	struct junit_meta meta = {
		"0123456789ab", "fedcba987654+dirty",
		"0123456789abcdef0123456789abcdef01234567", "fedcba9876543210fedcba9876543210fedcba98",
		"vm, AMD EPYC, 2 cores, Linux 6.1, perf 6.1, go1.19.8 linux/amd64, GOMAXPROCS 2, "
		"no hardware PMU (software events only)",
		"2026-12-04T02:00:00Z",
	};
	struct compare_report rep;
	struct compare_block *b;
	struct compare_row *r = NULL;
	struct buf out = BUF_INIT;

	(void)state;
	load(DATA "old.txt", &old);
	load(DATA "new.txt", &new);
	gb_file_series(&old, "0123456789ab", &sides[0]);
	gb_file_series(&new, "fedcba987654+dirty", &sides[1]);
	assert_int_equal(compare_build(&rep, &sides[0], &sides[1], 1, &def), 0);
	b = &rep.blocks[0];
	/* What compare_revs.c does to a regression the second round did not repeat. */
	for (size_t t = 0; t < b->ntables && !r; t++)
		for (size_t i = 0; i < b->tables[t].nr && !r; i++)
			if (b->tables[t].rows[i].verdict == VERDICT_REGRESSION)
				r = &b->tables[t].rows[i];
	assert_non_null(r);
	compare_unconfirm(&rep, b, r);
	assert_int_equal(r->verdict, VERDICT_INCONCLUSIVE);
	assert_true(r->unconfirmed);
	rep.runner = meta.runner;
	rep.notes = notes;
	rep.nnotes = ARRAY_SIZE(notes);

	compare_report_text(&out, &rep);
	assert_non_null(strstr(out.buf, "not confirmed"));
	assert_non_null(strstr(out.buf, "runner: vm, AMD EPYC"));
	check_golden("golden-gate.txt", &out);
	buf_reset(&out);
	compare_report_markdown(&out, &rep);
	assert_non_null(strstr(out.buf, "<sub>Runner: vm, AMD EPYC"));
	check_golden("golden-gate.md", &out);
	buf_reset(&out);
	compare_report_json(&out, &rep);
	assert_non_null(strstr(out.buf, "\"unconfirmed\":true"));
	/* Parse and Fib (ns/op, instructions/op); gob's MB/s is a diagnostic, its ns/op unconfirmed. */
	assert_non_null(strstr(out.buf, "\"regressions\":3,\"regressed_benchmarks\":2,"));
	check_golden("golden-gate.json", &out);
	buf_reset(&out);
	compare_report_junit(&out, &rep, &meta);
	assert_non_null(strstr(out.buf, meta.base_sha));
	assert_non_null(strstr(out.buf, meta.head_sha));
	check_golden("golden-gate.xml", &out);
	buf_release(&out);
	compare_report_release(&rep);
	series_set_release(&sides[0]);
	series_set_release(&sides[1]);
	gb_file_release(&old);
	gb_file_release(&new);
}

static void test_slowdown(void **state)
{
	struct gb_file old = GB_FILE_INIT, slow = GB_FILE_INIT;
	struct compare_report rep;
	const struct compare_block *b;

	(void)state;
	load(DATA "old.txt", &old);
	load(DATA "slow.txt", &slow);
	build(&rep, &old, &slow, NULL, NULL);
	b = &rep.blocks[0];
	/* Exactly one regression: fresh noise elsewhere stays within it. */
	assert_int_equal(rep.regressions, 1);
	assert_verdict(b, "ns/op", "BenchmarkFib/n=20-2", VERDICT_REGRESSION);
	assert_int_equal(b->count[VERDICT_IMPROVEMENT], 0);
	assert_int_equal(b->count[VERDICT_INCONCLUSIVE], 0);
	assert_int_equal(b->count[VERDICT_NOT_COMPARABLE], 0);
	assert_int_equal(b->count[VERDICT_SAME], b->family - 1);
	done(&rep);
	gb_file_release(&old);
	gb_file_release(&slow);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_old_new),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_golden_gate),
		cmocka_unit_test(test_slowdown),
	};

	return cmocka_run_group_tests_name("compare_golden", tests, NULL, NULL);
}
