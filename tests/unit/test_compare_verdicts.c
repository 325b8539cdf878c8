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

/*
 * The reference: the exact distribution with ties as perfgo computed it
 * before (ff892b6), every doubled rank sum of the smaller sample by a
 * dynamic program over the tie groups, both tails summed from it.
 */
static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void ref_exact_tied(const double *x, size_t nx, const double *y, size_t ny,
			   double *p_less, double *p_greater)
{
	size_t N = nx + ny, k = nx <= ny ? nx : ny, S = 2 * k * N, W = S + 1;
	double *pool = malloc(N * sizeof(*pool)), *dp = calloc((k + 1) * W, sizeof(*dp));
	double total = 0.0, le = 0.0, ge = 0.0;
	int64_t r2x = 0, obs;

	assert_non_null(pool);
	assert_non_null(dp);
	memcpy(pool, x, nx * sizeof(*x));
	memcpy(pool + nx, y, ny * sizeof(*y));
	qsort(pool, N, sizeof(*pool), cmp_dbl);
	dp[0] = 1.0;
	for (size_t i = 0; i < N;) {
		size_t j = i, t, v, inx = 0;

		while (j < N && pool[j] == pool[i])
			j++;
		t = j - i;
		v = i + 1 + j;
		for (size_t a = 0; a < nx; a++)
			inx += x[a] == pool[i];
		r2x += (int64_t)(v * inx);
		for (size_t row = k; row >= 1; row--) {
			double binom = 1.0;

			for (size_t c = 1; c <= t && c <= row; c++) {
				binom = binom * (double)(t - c + 1) / (double)c;
				for (size_t s = c * v; s <= S; s++)
					dp[row * W + s] += binom * dp[(row - c) * W + s - c * v];
			}
		}
		i = j;
	}
	obs = nx <= ny ? r2x : (int64_t)(N * (N + 1)) - r2x;
	for (size_t s = 0; s <= S; s++) {
		total += dp[k * W + s];
		if ((int64_t)s <= obs)
			le += dp[k * W + s];
		if ((int64_t)s >= obs)
			ge += dp[k * W + s];
	}
	*p_less = fmin((nx <= ny ? le : ge) / total, 1.0);
	*p_greater = fmin((nx <= ny ? ge : le) / total, 1.0);
	free(pool);
	free(dp);
}

/* Random samples with ties (values from a few levels), every size up to 25 + 25. */
static void test_exact_ties_match_full(void **state)
{
	static const int levels[] = { 2, 3, 5, 8, 20, 60 };
	double x[40], y[40];
	struct rng r;
	size_t cases = 0, tied = 0;

	(void)state;
	rng_seed(&r, 20261204);
	for (size_t nx = 1; nx <= 25; nx++)
		for (size_t ny = 1; ny <= 25; ny++)
			for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++) {
				struct mwu_result got;
				double pl, pg;
				/* A shift on half the cases: tails of every size. */
				uint64_t shift = rng_below(&r, 3);

				for (size_t i = 0; i < nx; i++)
					x[i] = (double)(rng_below(&r, (uint64_t)levels[l]) + shift);
				for (size_t i = 0; i < ny; i++)
					y[i] = (double)rng_below(&r, (uint64_t)levels[l]);
				assert_int_equal(mwu_test(x, nx, y, ny, MWU_EXACT, &got), 0);
				cases++;
				if (got.used != MWU_USED_EXACT_TIES)
					continue;
				tied++;
				ref_exact_tied(x, nx, y, ny, &pl, &pg);
				if (got.p_less != pl || got.p_greater != pg ||
				    got.p_two != fmin(2.0 * fmin(pl, pg), 1.0))
					fail_msg("n=%zu+%zu levels %d: p_less %.17g want %.17g, "
						 "p_greater %.17g want %.17g", nx, ny, levels[l],
						 got.p_less, pl, got.p_greater, pg);
			}
	/* Most cases have ties; the untied ones take the other exact method. */
	assert_true(tied > cases * 3 / 4);
	/* 30 + 30: C(60, 30) > 2^53, so the whole distribution is built, as before. */
	for (size_t i = 0; i < 30; i++) {
		struct mwu_result got;
		double pl, pg;

		for (size_t j = 0; j < 30; j++) {
			x[j] = (double)rng_below(&r, 6);
			y[j] = (double)rng_below(&r, 5);
		}
		assert_int_equal(mwu_test(x, 30, y, 30, MWU_EXACT, &got), 0);
		assert_int_equal(got.used, MWU_USED_EXACT_TIES);
		ref_exact_tied(x, 30, y, 30, &pl, &pg);
		assert_true(got.p_less == pl && got.p_greater == pg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts_unchanged),
		cmocka_unit_test(test_exact_ties_match_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
