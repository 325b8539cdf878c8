/*
 * Histories (analysis/trend.c): change points, prediction-interval
 * outliers and moves on synthetic series; the order and runner-class
 * split; bisect's search against a synthetic oracle at every size and
 * every first-bad position; the history queries (store/store_trend.c) on
 * a real SQLite file, their index plan; and the SVG chart parsed by
 * xmllint (skipped, and said, when xmllint is not installed).
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
#include "analysis/trend.h"
#include "git/gitrev.h"
#include "history_report.h"
#include "stats.h"
#include "store/store_trend.h"
#include "util/buf.h"
#include "util/usage.h"

static void add(struct trend_samples *l, const char *sha, long long time, const char *fp,
		int64_t run, double v)
{
	struct trend_sample *s;

	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	s = &l->v[l->nr++];
	s->sha = trend_samples_own(l, xstrdup(sha));
	s->subject = trend_samples_own(l, xstrdup(sha));
	s->fp_class = trend_samples_own(l, xstrdup(fp));
	s->time = time;
	s->run_seq = run;
	s->value = v;
}

static const char *sha_of(size_t i)
{
	static char buf[64][41];

	snprintf(buf[i], sizeof(buf[i]), "%040zx", i + 1);
	return buf[i];
}

/* 12 commits, 6 repetitions each, small deterministic noise, x2 from commit 6. */
static void step_series(struct trend_samples *l, const char *fp, int64_t run0)
{
	for (size_t i = 0; i < 12; i++)
		for (int r = 0; r < 6; r++)
			add(l, sha_of(i), 1000 + (long long)i, fp, run0 + (int64_t)i,
			    (i >= 6 ? 200.0 : 100.0) * (1.0 + 0.004 * ((r * 7 + (int)i * 3) % 5 - 2)));
}

static void test_change_point(void **state)
{
	struct trend_samples l = TREND_SAMPLES_INIT;
	struct trend t;

	(void)state;
	step_series(&l, "aa", 1);
	assert_int_equal(trend_build(&t, "p", "BenchmarkX", "ns/op", &l, NULL, 0), 0);
	assert_int_equal(t.ns, 1);
	assert_int_equal(t.s[0].n, 12);
	assert_int_equal(t.s[0].nchanges, 1);
	assert_float_equal(t.class_theta, 0.03, 1e-12);
	for (size_t i = 0; i < 12; i++) {
		const struct trend_point *p = &t.s[0].pts[i];

		assert_string_equal(p->sha, sha_of(i));
		assert_int_equal(p->n, 6);
		assert_true(p->ci_ok);
		assert_true(p->ci_lo <= p->median && p->median <= p->ci_hi);
		assert_int_equal(p->change, i == 6);
		/* Only the new level's first point is outside the interval of its past. */
		assert_int_equal(p->outlier, i == 6 ? 1 : 0);
		assert_int_equal(p->moved, i == 6);
		/* Three points of the same segment before it make an interval. */
		assert_int_equal(p->pi_ok, (i >= 3 && i <= 6) || i >= 9);
	}
	/* The cached interval is hist_predict()'s. */
	for (size_t i = 3; i <= 6; i++) {
		double m[6];
		struct hist_pi pi;

		for (size_t k = 0; k < i; k++)
			m[k] = t.s[0].pts[k].median;
		assert_int_equal(hist_predict(m, i, t.s[0].pts[i].median, 0.99, &pi), 0);
		assert_float_equal(pi.lo, t.s[0].pts[i].pi_lo, 1e-9 * pi.lo);
		assert_float_equal(pi.hi, t.s[0].pts[i].pi_hi, 1e-9 * pi.hi);
		assert_int_equal(pi.position, t.s[0].pts[i].outlier);
	}
	assert_float_equal(t.s[0].pts[6].change_rel, 1.0, 0.02);
	assert_true(t.s[0].pts[6].change_p < 0.001);
	assert_float_equal(t.s[0].pts[6].rel, 1.0, 0.02);
	trend_release(&t);
	trend_samples_release(&l);
}

static void test_flat_series(void **state)
{
	struct trend_samples l = TREND_SAMPLES_INIT;
	struct trend t;

	(void)state;
	for (size_t i = 0; i < 40; i++)
		for (int r = 0; r < 5; r++)
			add(&l, sha_of(i), (long long)i, "", (int64_t)i,
			    100.0 * (1.0 + 0.01 * (((int)i * 13 + r * 5) % 7 - 3)));
	assert_int_equal(trend_build(&t, "p", "B", "ns/op", &l, NULL, 0), 0);
	assert_int_equal(t.s[0].nchanges, 0);
	for (size_t i = 0; i < 40; i++) {
		assert_int_equal(t.s[0].pts[i].change, 0);
		assert_int_equal(t.s[0].pts[i].moved, 0);
	}
	trend_release(&t);
	trend_samples_release(&l);
}

/* The order decides, the newest run of a commit wins, classes split, others drop. */
static void test_order_runs_classes(void **state)
{
	struct trend_samples l = TREND_SAMPLES_INIT;
	const char *order[3];
	struct trend t;

	(void)state;
	/* Commit times say 2, 1, 0; the order says 0, 1, 2. */
	order[0] = sha_of(0);
	order[1] = sha_of(1);
	order[2] = sha_of(2);
	add(&l, sha_of(2), 10, "b", 1, 30);
	add(&l, sha_of(1), 20, "b", 2, 20);
	add(&l, sha_of(0), 30, "b", 3, 10);
	add(&l, sha_of(1), 20, "b", 4, 21);       /* a newer run of commit 1 */
	add(&l, sha_of(1), 20, "b", 4, 23);
	add(&l, sha_of(0), 30, "a", 5, 5);        /* another runner class */
	add(&l, sha_of(9), 40, "b", 6, 99);       /* off the chain */
	assert_int_equal(trend_build(&t, "p", "B", "allocs/op", &l, order, 3), 0);
	assert_int_equal(t.dropped, 1);
	assert_int_equal(t.ns, 2);
	assert_string_equal(t.s[0].fp_class, "a");
	assert_int_equal(t.s[0].n, 1);
	assert_string_equal(t.s[1].fp_class, "b");
	assert_int_equal(t.s[1].n, 3);
	assert_string_equal(t.s[1].pts[0].sha, sha_of(0));
	assert_string_equal(t.s[1].pts[2].sha, sha_of(2));
	assert_int_equal(t.s[1].pts[1].n, 2);
	assert_float_equal(t.s[1].pts[1].median, 22.0, 1e-12);
	trend_release(&t);
	/* Without an order: commit time, so 2, 1, 0 and nothing dropped. */
	assert_int_equal(trend_build(&t, "p", "B", "allocs/op", &l, NULL, 0), 0);
	assert_int_equal(t.dropped, 0);
	assert_string_equal(t.s[1].pts[0].sha, sha_of(2));
	assert_int_equal(t.s[1].n, 4);
	trend_release(&t);
	trend_samples_release(&l);
}

/* A move needs evidence: exact points (3+ equal repetitions) or disjoint CIs. */
static void test_moved_needs_evidence(void **state)
{
	(void)state;
	for (int reps = 2; reps <= 3; reps++) {
		struct trend_samples l = TREND_SAMPLES_INIT;
		struct trend t;

		for (size_t i = 0; i < 3; i++)
			for (int r = 0; r < reps; r++)
				add(&l, sha_of(i), (long long)i, "", (int64_t)i, i == 2 ? 2.0 : 1.0);
		assert_int_equal(trend_build(&t, "p", "B", "allocs/op", &l, NULL, 0), 0);
		assert_int_equal(t.s[0].pts[2].exact, reps == 3);
		assert_float_equal(t.s[0].pts[2].rel, 1.0, 1e-12);
		assert_int_equal(t.s[0].pts[2].moved, reps == 3);
		assert_int_equal(t.s[0].pts[1].moved, 0);
		trend_release(&t);
		trend_samples_release(&l);
	}
}

static size_t log2_ceil(size_t n)
{
	size_t k = 0;

	while (((size_t)1 << k) < n)
		k++;
	return k;
}

/* Every size up to 64, every first-bad position: found within ceil(log2 n) steps. */
static void test_bisect_oracle(void **state)
{
	(void)state;
	for (size_t n = 1; n <= 64; n++)
		for (size_t bad = 1; bad <= n; bad++) {
			struct bisect b;
			size_t i;

			bisect_init(&b, n);
			while ((i = bisect_next(&b))) {
				assert_true(i > b.lo && i < b.hi);
				bisect_mark(&b, i, i >= bad ? BISECT_BAD : BISECT_GOOD);
			}
			assert_true(b.done);
			assert_false(b.stopped);
			assert_int_equal(b.first_bad, bad);
			assert_true(b.steps <= log2_ceil(n));
		}
}

static void test_bisect_stops(void **state)
{
	struct bisect b;
	size_t i;

	(void)state;
	bisect_init(&b, 16);
	i = bisect_next(&b);
	assert_int_equal(i, 8);
	bisect_mark(&b, i, BISECT_GOOD);
	i = bisect_next(&b);
	bisect_mark(&b, i, BISECT_UNDECIDED);
	assert_true(b.stopped);
	assert_false(b.done);
	assert_int_equal(b.stopped_at, 12);
	assert_int_equal(b.lo, 8);
	assert_int_equal(b.hi, 16);
	assert_int_equal(b.why, BISECT_UNDECIDED);
	assert_int_equal(bisect_next(&b), 0);
	/* Marks after the end change nothing. */
	bisect_mark(&b, 13, BISECT_BAD);
	assert_int_equal(b.hi, 16);

	bisect_init(&b, 4);
	bisect_mark(&b, bisect_next(&b), BISECT_BROKEN);
	assert_true(b.stopped);
	assert_int_equal(b.why, BISECT_BROKEN);
}

static const struct fingerprint fp_a = {
	.host = "box1", .cpu_model = "cpu", .cores = 2, .kernel = "6.1", .perf_version = "6.1",
	.go_version = "go1.19", .goos = "linux", .goarch = "amd64", .goamd64 = "v1",
	.gomaxprocs = 2,
};

static void run_with(struct store *st, const char *command, const char *sha, int dirty,
		     int64_t fp, int64_t bench, enum run_status status, double v)
{
	struct run_info ri;
	struct sample_row rows[3];

	memset(&ri, 0, sizeof(ri));
	ri.command = command;
	ri.commit = sha;
	ri.dirty = dirty;
	ri.fingerprint_id = fp;
	ri.config_json = "{}";
	assert_int_equal(store_run_begin(st, &ri), 0);
	for (int r = 0; r < 3; r++) {
		memset(&rows[r], 0, sizeof(rows[r]));
		rows[r].bench_id = bench;
		rows[r].metric = "ns/op";
		rows[r].unit = "ns";
		rows[r].rep = r;
		rows[r].iterations = 10;
		rows[r].value = v + r;
		rows[r].running = 1.0;
	}
	assert_int_equal(store_add_samples(st, ri.id, rows, 3), 0);
	assert_int_equal(store_run_finish(st, ri.id, status, 0, 0), 0);
}

static void test_store_queries(void **state)
{
	char root[1024], dir[1100];
	struct store *st = NULL;
	struct trend_keys keys = TREND_KEYS_INIT;
	struct trend_samples l = TREND_SAMPLES_INIT;
	int64_t fp, b1, b2;
	char *plan = NULL;

	(void)state;
	capture_start();
	assert_int_equal(tmpdir_make(root, sizeof(root), "test_trend"), 0);
	snprintf(dir, sizeof(dir), "%s/.perfgo", root);
	assert_int_equal(store_open(&st, dir, 1), 0);
	assert_int_equal(store_fingerprint(st, &fp_a, &fp), 0);
	assert_int_equal(store_benchmark_id(st, "p", "BenchmarkB", &b1), 0);
	assert_int_equal(store_benchmark_id(st, "p", "BenchmarkA", &b2), 0);
	for (size_t i = 0; i < 4; i++) {
		struct commit_info ci;

		memset(&ci, 0, sizeof(ci));
		memcpy(ci.sha, sha_of(i), 41);
		ci.parents = (char *)(i ? sha_of(i - 1) : "");
		ci.time = 1000 + (long long)i;
		ci.subject = (char *)"subject";
		assert_int_equal(store_add_commit(st, &ci), 0);
		run_with(st, "run", sha_of(i), 0, fp, b1, RUN_OK, 100.0 * (double)(i + 1));
	}
	/* Not history: dirty, failed, another command, no fingerprint kept as "". */
	run_with(st, "run", sha_of(0), 1, fp, b1, RUN_OK, 1);
	run_with(st, "run", sha_of(1), 0, fp, b1, RUN_FAILED, 1);
	run_with(st, "compare base", sha_of(2), 0, fp, b1, RUN_OK, 1);
	run_with(st, "run", sha_of(3), 0, 0, b2, RUN_OK, 7);

	assert_int_equal(store_trend_keys(st, NULL, &keys), 0);
	assert_int_equal(keys.nr, 2);
	assert_string_equal(keys.v[0].name, "BenchmarkA");
	assert_string_equal(keys.v[1].name, "BenchmarkB");
	assert_string_equal(keys.v[1].metric, "ns/op");
	assert_int_equal(keys.v[1].bench_id, b1);
	trend_keys_release(&keys);
	assert_int_equal(store_trend_keys(st, "B/op", &keys), 0);
	assert_int_equal(keys.nr, 0);
	trend_keys_release(&keys);

	assert_int_equal(store_trend_samples(st, b1, "ns/op", &l), 0);
	assert_int_equal(l.nr, 12);
	for (size_t i = 0; i < 12; i++) {
		assert_string_equal(l.v[i].sha, sha_of(i / 3));
		assert_int_equal(l.v[i].time, 1000 + (long long)(i / 3));
		assert_string_equal(l.v[i].subject, "subject");
		assert_int_equal(strlen(l.v[i].fp_class), 64);
		assert_float_equal(l.v[i].value, 100.0 * (double)(i / 3 + 1) + (double)(i % 3), 1e-9);
	}
	trend_samples_release(&l);
	assert_int_equal(store_trend_samples(st, b2, "ns/op", &l), 0);
	assert_int_equal(l.nr, 3);
	assert_string_equal(l.v[0].fp_class, "");
	assert_string_equal(l.v[0].subject, "subject");
	trend_samples_release(&l);

	/* The samples are found through the history index, the runs by key. */
	assert_int_equal(store_trend_plan(st, &plan), 0);
	assert_non_null(strstr(plan, "COVERING INDEX samples_history_v"));
	assert_null(strstr(plan, "SCAN s"));
	assert_null(strstr(plan, "SCAN r"));
	free(plan);
	store_close(st);
	assert_int_equal(rm_rf(root), 0);
	capture_stop();
}

static void test_svg(void **state)
{
	struct trend_samples l = TREND_SAMPLES_INIT;
	struct trend t;
	struct buf svg = BUF_INIT, out = BUF_INIT;
	char path[1100];
	const char *argv[] = { "xmllint", "--noout", path, NULL };
	const char *p;
	size_t circles = 0;

	(void)state;
	step_series(&l, "aa", 1);
	l.v[0].subject = trend_samples_own(&l, xstrdup("a <b> & \"c\"\x01"));
	assert_int_equal(trend_build(&t, "p", "Benchmark<&>", "ns/op", &l, NULL, 0), 0);
	history_svg(&svg, &t, 0, 1, "https://example.com/commit/%s?x=1&y=2");
	for (p = svg.buf; (p = strstr(p, "<circle")); p++)
		circles++;
	assert_int_equal(circles, 12);
	assert_non_null(strstr(svg.buf, "class=\"change\""));
	assert_non_null(strstr(svg.buf, "https://example.com/commit/" "0000000000000000000000000000000000000007?x=1&amp;y=2"));
	assert_non_null(strstr(svg.buf, "+100."));
	assert_non_null(strstr(svg.buf, "Benchmark&lt;&amp;&gt;"));
	assert_int_equal(tmpfile_write(path, sizeof(path), "trend.svg", &svg), 0);
	if (run_argv(argv, NULL, &out, 1) < 0)
		print_message("xmllint not installed: the SVG's well-formedness was not checked\n");
	else
		assert_int_equal(run_argv(argv, NULL, NULL, 0), 0);
	remove(path);
	/* -n: the last 4 points only. */
	buf_reset(&svg);
	history_svg(&svg, &t, 4, 0, NULL);
	circles = 0;
	for (p = svg.buf; (p = strstr(p, "<circle")); p++)
		circles++;
	assert_int_equal(circles, 4);
	assert_null(strstr(svg.buf, "<?xml"));
	buf_release(&svg);
	buf_release(&out);
	trend_release(&t);
	trend_samples_release(&l);
}

/* The page is well-formed XML, links every change point to a commit row, loads nothing. */
static void test_html(void **state)
{
	struct trend_samples l = TREND_SAMPLES_INIT;
	struct trend t[2];
	struct history_page_run runs[1] = { { "0123abcd", "2026-12-04 10:00", "ok", "run <x>",
					      NULL, NULL } };
	struct history_page pg = { 0 };
	struct buf html = BUF_INIT, out = BUF_INIT, anchor = BUF_INIT;
	char path[1100];
	const char *argv[] = { "xmllint", "--noout", path, NULL };
	size_t svgs = 0;

	(void)state;
	step_series(&l, "aa", 1);
	assert_int_equal(trend_build(&t[0], "p", "BenchmarkA", "ns/op", &l, NULL, 0), 0);
	assert_int_equal(trend_build(&t[1], "p", "BenchmarkA", "B/op", &l, NULL, 0), 0);
	pg.t = t;
	pg.nt = 2;
	pg.generated = "now";
	pg.comparison_id = "feed";
	pg.comparison_text = "BenchmarkA <&> ]]> regression\n";
	pg.runs = runs;
	pg.nruns = 1;
	history_html(&html, &pg, 0);
	for (const char *p = html.buf; (p = strstr(p, "<svg")); p++)
		svgs++;
	assert_int_equal(svgs, 2);
	buf_addf(&anchor, "id=\"c-%s\"", sha_of(6));
	assert_non_null(strstr(html.buf, anchor.buf));
	buf_reset(&anchor);
	buf_addf(&anchor, "href=\"#c-%s\"", sha_of(6));
	assert_non_null(strstr(html.buf, anchor.buf));
	assert_non_null(strstr(html.buf, "BenchmarkA &lt;&amp;&gt; ]]&gt; regression"));
	assert_non_null(strstr(html.buf, "run &lt;x&gt;"));
	assert_null(strstr(html.buf, "https://"));
	assert_null(strstr(html.buf, "src="));
	assert_int_equal(tmpfile_write(path, sizeof(path), "page.html", &html), 0);
	if (run_argv(argv, NULL, &out, 1) < 0)
		print_message("xmllint not installed: the page's well-formedness was not checked\n");
	else
		assert_int_equal(run_argv(argv, NULL, NULL, 0), 0);
	remove(path);
	buf_release(&html);
	buf_release(&out);
	buf_release(&anchor);
	trend_release(&t[0]);
	trend_release(&t[1]);
	trend_samples_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_change_point),
		cmocka_unit_test(test_flat_series),
		cmocka_unit_test(test_order_runs_classes),
		cmocka_unit_test(test_moved_needs_evidence),
		cmocka_unit_test(test_bisect_oracle),
		cmocka_unit_test(test_bisect_stops),
		cmocka_unit_test(test_store_queries),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_html),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
