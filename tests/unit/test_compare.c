/*
 * perfgo compare on files: the comparison (analysis/compare_build.c) on
 * the hand-made inputs of tests/data/compare/ (written by make_inputs.py,
 * fixed seed; what each file changes is listed there), its text, Markdown
 * and JSON against golden outputs, small inline cases for the edges, and
 * the command (harness/cmd/cmd_compare.c) for exit codes and errors.
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

#define DATA "tests/data/compare/"

static void load(const char *path, struct gb_file *f)
{
	struct buf b = BUF_INIT;

	if (buf_read_file(&b, path, 0) < 0)
		fail_msg("cannot read '%s' (run from the repository root)", path);
	assert_int_equal(gb_parse(b.buf, b.len, path, f), 0);
	buf_release(&b);
}

static void parse_text(const char *text, struct gb_file *f)
{
	assert_int_equal(gb_parse(text, strlen(text), "inline", f), 0);
}

/* The series sets of the last build(), which its report borrows from. */
static struct series_set sets[3];

/*
 * Compare old with one or two files under the default options, or `o`,
 * labelled old.txt, new.txt and slow.txt; release with done().
 */
static void build(struct compare_report *rep, const struct gb_file *old,
		  const struct gb_file *a, const struct gb_file *b,
		  const struct compare_opts *o)
{
	struct compare_opts def = COMPARE_OPTS_INIT;

	gb_file_series(old, "old.txt", &sets[0]);
	gb_file_series(a, "new.txt", &sets[1]);
	if (b)
		gb_file_series(b, "slow.txt", &sets[2]);
	assert_int_equal(compare_build(rep, &sets[0], &sets[1], b ? 2 : 1, o ? o : &def), 0);
}

static void done(struct compare_report *rep)
{
	compare_report_release(rep);
	for (size_t i = 0; i < ARRAY_SIZE(sets); i++)
		series_set_release(&sets[i]);
}

static const struct compare_table *find_table(const struct compare_block *b, const char *unit)
{
	for (size_t i = 0; i < b->ntables; i++)
		if (!strcmp(b->tables[i].unit, unit))
			return &b->tables[i];
	return NULL;
}

static const struct compare_row *find_row(const struct compare_block *b, const char *unit,
				      const char *name)
{
	const struct compare_table *t = find_table(b, unit);

	for (size_t i = 0; t && i < t->nr; i++)
		if (!strcmp(t->rows[i].name, name))
			return &t->rows[i];
	fail_msg("no row '%s' in unit '%s'", name, unit);
	return NULL;
}

static void assert_verdict(const struct compare_block *b, const char *unit, const char *name,
			   enum verdict want)
{
	const struct compare_row *r = find_row(b, unit, name);

	if (r->verdict != want)
		fail_msg("%s %s: verdict '%s', want '%s' (ratio %g [%g, %g], p_adj %g)", name, unit,
			 verdict_name(r->verdict), verdict_name(want), r->ratio, r->lo, r->hi,
			 r->p_adj);
}

/* Equal to the golden file, or (UPDATE_GOLDEN=1) rewrite it. */
static void check_golden(const char *name, const struct buf *got)
{
	struct buf path = BUF_INIT, want = BUF_INIT;
	const char *upd = getenv("UPDATE_GOLDEN");

	buf_addf(&path, DATA "%s", name);
	if (upd && *upd && strcmp(upd, "0")) {
		assert_int_equal(buf_write_file(got, path.buf), 0);
	} else if (buf_read_file(&want, path.buf, 0) < 0) {
		fail_msg("no golden file '%s': run with UPDATE_GOLDEN=1", path.buf);
	} else if (want.len != got->len || memcmp(want.buf, got->buf, got->len)) {
		size_t i = 0, line = 1;

		while (i < want.len && i < got->len && want.buf[i] == got->buf[i])
			line += want.buf[i++] == '\n';
		fail_msg("'%s' differs from the output at line %zu:\n%.200s\n--- got:\n%.200s",
			 path.buf, line, want.buf + i, got->buf + i);
	}
	buf_release(&path);
	buf_release(&want);
}

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

/*
 * The simulation's counts (issue 16): compared on their medians, gated at
 * θ 1 % when the repetitions agree to 0.1 %; beyond that "not repeatable
 * (spread X %)", out of every family, in every format.
 */
static void sim_sample(struct series_set *set, const char *name, const char *unit,
		       const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		series_set_add_sample(set, "example.com/p", name, unit, v[i]);
	series_set_set_unit(set, unit, -1, 1);
}

static void sim_sets(struct series_set *old, struct series_set *new, double max_spread)
{
	static const double rep_old[] = { 1000, 1000.5, 1000 };   /* spread 0.05 % */
	static const double rep_new[] = { 1020, 1020, 1020 };     /* +2 % */
	static const double vary_old[] = { 1000, 1000, 1100 };    /* spread 10 % */
	static const double vary_new[] = { 1050, 1050, 1050 };

	series_set_set_label(old, "base");
	series_set_set_label(new, "head");
	sim_sample(old, "BenchmarkRep", "instructions:sim/op", rep_old, 3);
	sim_sample(new, "BenchmarkRep", "instructions:sim/op", rep_new, 3);
	sim_sample(old, "BenchmarkVary", "instructions:sim/op", vary_old, 3);
	sim_sample(new, "BenchmarkVary", "instructions:sim/op", vary_new, 3);
	sim_sample(old, "BenchmarkVary", "data-reads:sim/op", vary_old, 3);
	sim_sample(new, "BenchmarkVary", "data-reads:sim/op", vary_new, 3);
	series_set_set_unit_spread(old, "instructions:sim/op", max_spread);
	series_set_set_unit_spread(old, "data-reads:sim/op", max_spread);
	series_set_set_unit_spread(new, "instructions:sim/op", max_spread);
}

static void test_sim_repeatable(void **state)
{
	struct series_set old = SERIES_SET_INIT, new = SERIES_SET_INIT;
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_report rep;
	const struct compare_block *b;
	const struct compare_row *r;
	struct junit_meta meta = { "base", "head", NULL, NULL, NULL, NULL };
	struct buf out = BUF_INIT;
	static const char why[] = "not repeatable (spread 10 %)";

	(void)state;
	sim_sets(&old, &new, COMPARE_SIM_SPREAD);
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	b = &rep.blocks[0];
	assert_true(find_table(b, "instructions:sim/op")->gated);
	assert_false(find_table(b, "data-reads:sim/op")->gated);
	/* Repeatable: compared on the medians and gated at θ 1 %. */
	r = find_row(b, "instructions:sim/op", "BenchmarkRep");
	assert_true(r->comparable && r->exact && !r->unrepeatable);
	assert_true(fabs(r->spread - 0.0005) < 1e-9);
	assert_int_equal(r->verdict, VERDICT_REGRESSION);
	/* 10 % apart within a side: reported, never gated, not in Holm's family. */
	r = find_row(b, "instructions:sim/op", "BenchmarkVary");
	assert_true(!r->comparable && r->unrepeatable && r->has_old && r->has_new);
	assert_string_equal(r->why, "not repeatable");
	assert_true(fabs(r->spread - 0.1) < 1e-9 && isnan(r->p_adj));
	assert_int_equal(r->verdict, VERDICT_NOT_COMPARABLE);
	r = find_row(b, "data-reads:sim/op", "BenchmarkVary");
	assert_true(!r->comparable && r->unrepeatable);
	assert_int_equal(b->family, 1);
	assert_int_equal(b->dfamily, 0);
	assert_int_equal(rep.regressions, 1);
	assert_int_equal(b->count[VERDICT_NOT_COMPARABLE], 1);
	assert_int_equal(b->dcount[VERDICT_NOT_COMPARABLE], 1);
	compare_report_text(&out, &rep);
	assert_non_null(strstr(out.buf, why));
	buf_reset(&out);
	compare_report_markdown(&out, &rep);
	assert_non_null(strstr(out.buf, why));
	buf_reset(&out);
	compare_report_json(&out, &rep);
	assert_non_null(strstr(out.buf, "\"reason\":\"not repeatable (spread 10 %)\""));
	buf_reset(&out);
	compare_report_junit(&out, &rep, &meta);
	assert_non_null(strstr(out.buf, "instructions:sim/op not comparable: not repeatable (spread 10 %)"));
	compare_report_release(&rep);
	series_set_release(&old);
	series_set_release(&new);

	/* Without the limit (benchstat's assume=exact) the same values gate, marked. */
	memset(&old, 0, sizeof(old));
	memset(&new, 0, sizeof(new));
	sim_sets(&old, &new, 0);
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	r = find_row(&rep.blocks[0], "instructions:sim/op", "BenchmarkVary");
	assert_true(r->comparable && r->exact_varies && !r->unrepeatable);
	assert_int_equal(r->verdict, VERDICT_REGRESSION);
	assert_int_equal(rep.blocks[0].family, 2);
	compare_report_release(&rep);
	series_set_release(&old);
	series_set_release(&new);
	buf_release(&out);
}

/*
 * A benchmark valgrind could not run (issue 16): its simulated units have
 * notes instead of samples; every row says why, none is gated, the other
 * benchmarks gate as usual.
 */
static void test_sim_not_counted(void **state)
{
	static const double mix_old[] = { 415, 415, 415 }, mix_new[] = { 421, 421, 421 };
	static const double ns[] = { 10, 11, 12 };
	static const char why[] = "valgrind: unsupported instruction (bytes 0xf 0x38) in p.f";
	struct series_set old = SERIES_SET_INIT, new = SERIES_SET_INIT;
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_report rep;
	const struct compare_block *b;
	const struct compare_row *r;
	struct junit_meta meta = { "base", "head", NULL, NULL, NULL, NULL };
	struct buf out = BUF_INIT;

	(void)state;
	series_set_set_label(&old, "base");
	series_set_set_label(&new, "head");
	sim_sample(&old, "BenchmarkMix", "instructions:sim/op", mix_old, 3);
	sim_sample(&new, "BenchmarkMix", "instructions:sim/op", mix_new, 3);
	for (size_t i = 0; i < 3; i++) {
		series_set_add_sample(&old, "example.com/p", "BenchmarkMix", "ns/op", ns[i]);
		series_set_add_sample(&new, "example.com/p", "BenchmarkMix", "ns/op", ns[i]);
		series_set_add_sample(&old, "example.com/p", "BenchmarkSHA", "ns/op", ns[i]);
		series_set_add_sample(&new, "example.com/p", "BenchmarkSHA", "ns/op", ns[i]);
	}
	/* SHA: not counted on either side; a unit no benchmark counted still has its rows. */
	series_set_add_note(&old, "example.com/p", "BenchmarkSHA", "instructions:sim/op", why);
	series_set_add_note(&new, "example.com/p", "BenchmarkSHA", "instructions:sim/op", why);
	series_set_add_note(&new, "example.com/p", "BenchmarkSHA", "instructions:sim/op", "later");
	series_set_add_note(&old, "example.com/p", "BenchmarkSHA", "branch-misses:sim/op",
			    "simulation timed out after 5 s");
	series_set_add_note(&new, "example.com/p", "BenchmarkSHA", "branch-misses:sim/op",
			    "simulation timed out after 6 s");
	assert_string_equal(series_set_note(&new, "example.com/p", "BenchmarkSHA",
					    "instructions:sim/op"), why);
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	b = &rep.blocks[0];
	assert_verdict(b, "instructions:sim/op", "BenchmarkMix", VERDICT_REGRESSION);
	r = find_row(b, "instructions:sim/op", "BenchmarkSHA");
	assert_true(!r->comparable && isnan(r->p_adj) && !r->has_old && !r->has_new);
	assert_string_equal(r->why, why);
	r = find_row(b, "branch-misses:sim/op", "BenchmarkSHA");
	assert_string_equal(r->why, "simulation timed out after 5 s");
	assert_int_equal(r->verdict, VERDICT_NOT_COMPARABLE);
	/* Gated: Mix's instructions and the two ns/op rows. */
	assert_int_equal(b->family, 3);
	assert_int_equal(rep.regressions, 1);
	compare_report_text(&out, &rep);
	assert_non_null(strstr(out.buf, "not comparable: valgrind: unsupported instruction"));
	buf_reset(&out);
	compare_report_markdown(&out, &rep);
	assert_non_null(strstr(out.buf, "simulation timed out after 5 s"));
	buf_reset(&out);
	compare_report_json(&out, &rep);
	assert_non_null(strstr(out.buf, "\"reason\":\"valgrind: unsupported instruction"));
	buf_reset(&out);
	compare_report_junit(&out, &rep, &meta);
	assert_non_null(strstr(out.buf, "instructions:sim/op not comparable: valgrind: unsupported"));
	compare_report_release(&rep);

	/* Counted in the base, not in the head: still the reason, not "only in old". */
	series_set_release(&old);
	memset(&old, 0, sizeof(old));
	sim_sample(&old, "BenchmarkSHA", "instructions:sim/op", mix_old, 3);
	sim_sample(&old, "BenchmarkMix", "instructions:sim/op", mix_old, 3);
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	r = find_row(&rep.blocks[0], "instructions:sim/op", "BenchmarkSHA");
	assert_true(!r->comparable && r->has_old);
	assert_string_equal(r->why, why);
	compare_report_release(&rep);
	series_set_release(&old);
	series_set_release(&new);
	buf_release(&out);
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

/* Run the command with stdout sent to /dev/null; returns its exit code. */
static int run_cmd(int argc, const char **argv)
{
	struct ctx ctx = { 0 };
	int saved, devnull, ret;

	fflush(stdout);
	saved = dup(1);
	devnull = open("/dev/null", O_WRONLY);
	assert_true(saved >= 0 && devnull >= 0);
	dup2(devnull, 1);
	close(devnull);
	capture_reset();
	ret = cmd_compare(argc, argv, &ctx);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	return ret;
}

#define RUN(...) run_cmd((int)ARRAY_SIZE(((const char *[]){ __VA_ARGS__ })), \
			 (const char *[]){ __VA_ARGS__ })

static void test_command(void **state)
{
	(void)state;
	assert_int_equal(RUN("compare", DATA "old.txt", DATA "old.txt"), EXIT_OK);
	assert_int_equal(RUN("compare", DATA "old.txt", DATA "slow.txt"), EXIT_REGRESSION);
	assert_int_equal(RUN("compare", "--fail-on", "none", DATA "old.txt", DATA "slow.txt"),
			 EXIT_OK);
	assert_int_equal(RUN("compare", "--format", "json", DATA "old.txt", DATA "new.txt"),
			 EXIT_REGRESSION);
	/* Only Parse regresses in ns/op among these; θ 10 % makes it ~. */
	assert_int_equal(RUN("compare", "--filter", "Parse", "--metric", "ns/op", DATA "old.txt",
			     DATA "new.txt"), EXIT_REGRESSION);
	assert_int_equal(RUN("compare", "--filter", "Parse", "--metric", "ns/op",
			     "--threshold", "ns/op=10%", DATA "old.txt", DATA "new.txt"), EXIT_OK);
	assert_int_equal(RUN("compare", "--metric", "B/op", DATA "old.txt", DATA "slow.txt"),
			 EXIT_OK);
}

static void test_command_errors(void **state)
{
	(void)state;
	assert_int_equal(RUN("compare", DATA "old.txt", "HEAD~1"), EXIT_USAGE);
	assert_string_equal(msgs.buf, "perfgo: error: 'HEAD~1' is not a file in Go benchmark format");
	assert_int_equal(RUN("compare", DATA "old.txt"), EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "needs two files"));
	assert_int_equal(RUN("compare", DATA, DATA "new.txt"), EXIT_USAGE);
	assert_int_equal(RUN("compare", DATA "make_inputs.py", DATA "new.txt"), EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "no benchmark results"));
	assert_int_equal(RUN("compare", "--alpha", "1.5", DATA "old.txt", DATA "new.txt"), EXIT_USAGE);
	assert_int_equal(RUN("compare", "--confidence", "95", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_int_equal(RUN("compare", "--threshold", "ns/op", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_int_equal(RUN("compare", "--threshold", "ns/op=0", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_int_equal(RUN("compare", "--filter", "(", DATA "old.txt", DATA "new.txt"), EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "invalid --filter '('"));
	assert_int_equal(RUN("compare", "--filter", "NoSuch", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_int_equal(RUN("compare", "--metric", "frames/op", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_int_equal(RUN("compare", "--fail-on", "any", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_int_equal(RUN("compare", "--format", "xml", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "unknown format 'xml'"));
	/* Options that measure make no sense for files. */
	assert_int_equal(RUN("compare", "--reuse", DATA "old.txt", DATA "new.txt"), EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "'--reuse' applies to revisions, not to files"));
	assert_int_equal(RUN("compare", "--remote-host", "h", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "'--remote-host' applies to revisions"));
}

/* Conflicting Unit metadata between files, and a malformed file. */
static void test_command_bad_files(void **state)
{
	char dir[] = "/tmp/perfgo-test-compare.XXXXXX";
	struct buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT, t = BUF_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	buf_addf(&a, "%s/a.txt", dir);
	buf_addf(&b, "%s/b.txt", dir);
	buf_addf(&c, "%s/c.txt", dir);
	buf_addstr(&t, "Unit MB/s better=higher\nBenchmarkA 10 5 MB/s\n");
	assert_int_equal(buf_write_file(&t, a.buf), 0);
	buf_reset(&t);
	buf_addstr(&t, "Unit MB/s better=lower\nBenchmarkA 10 5 MB/s\n");
	assert_int_equal(buf_write_file(&t, b.buf), 0);
	buf_reset(&t);
	buf_addstr(&t, "Unit MB/s better=sideways\nBenchmarkA 10 5 MB/s\n");
	assert_int_equal(buf_write_file(&t, c.buf), 0);
	assert_int_equal(RUN("compare", a.buf, b.buf), EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "is better=higher in"));
	assert_int_equal(RUN("compare", a.buf, c.buf), EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "line 1"));
	assert_int_equal(RUN("compare", a.buf, a.buf), EXIT_OK);
	unlink(a.buf);
	unlink(b.buf);
	unlink(c.buf);
	rmdir(dir);
	buf_release(&a);
	buf_release(&b);
	buf_release(&c);
	buf_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_old_new),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_golden_gate),
		cmocka_unit_test(test_unreachable_negligible),
		cmocka_unit_test(test_big_change_power),
		cmocka_unit_test(test_slowdown),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_filter_metric),
		cmocka_unit_test(test_exact_edges),
		cmocka_unit_test(test_sim_repeatable),
		cmocka_unit_test(test_sim_not_counted),
		cmocka_unit_test(test_negative_median),
		cmocka_unit_test(test_packages_and_escaping),
		cmocka_unit_test(test_fmt_value),
		cmocka_unit_test_setup_teardown(test_cancelled, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_command, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_command_errors, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_command_bad_files, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
