/*
 * The inputs of analysis and their adapters: series sets built by hand
 * (analysis/series.c), compared with no text parsing at all
 * (analysis/compare_build.c); a Go benchmark file as a series set
 * (collect/gobench_series.c); a stored run as a series set read directly
 * from a real SQLite store (store/store_series.c), which must give the
 * very reports the former path gave (render the run in Go benchmark
 * format, parse it back); and the table of report formats.
 */
#include <ftw.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "analysis/compare.h"
#include "analysis/series.h"
#include "collect/gobench.h"
#include "collect/gobench_series.h"
#include "compare_formats.h"
#include "stat_report.h"
#include "store/store.h"
#include "store/store_series.h"
#include "util/buf.h"
#include "util/usage.h"

/* ---- series sets ------------------------------------------------------- */

static void test_series_set_grouping(void **state)
{
	struct series_set set = SERIES_SET_INIT;
	const struct series *s;

	(void)state;
	series_set_set_label(&set, "side");
	series_set_add_sample(&set, "p", "BenchmarkA-2", "ns/op", 10);
	series_set_add_sample(&set, "p", "BenchmarkB-2", "x/op", 1);
	series_set_add_sample(&set, "p", "BenchmarkA-2", "B/op", 64);
	series_set_add_sample(&set, "p", "BenchmarkA-2", "ns/op", 11);
	series_set_add_sample(&set, "q", "BenchmarkA-2", "ns/op", 99);
	series_set_add_bench(&set, "p", "BenchmarkEmpty");
	assert_string_equal(set.label, "side");
	/* Benchmarks and units in order of first appearance; packages apart. */
	assert_int_equal(set.nbench, 4);
	assert_string_equal(set.bench[1].k.name, "BenchmarkB-2");
	assert_string_equal(set.bench[2].k.pkg, "q");
	assert_string_equal(set.bench[3].k.name, "BenchmarkEmpty");
	assert_int_equal(set.nunits, 3);
	assert_string_equal(set.units[0], "ns/op");
	assert_string_equal(set.units[1], "x/op");
	assert_string_equal(set.units[2], "B/op");
	/* Samples in the order added. */
	s = series_set_find(&set, "p", "BenchmarkA-2", "ns/op");
	assert_non_null(s);
	assert_int_equal(s->n, 2);
	assert_true(s->v[0] == 10 && s->v[1] == 11);
	assert_int_equal(s->bench, 0);
	assert_null(series_set_find(&set, "q", "BenchmarkA-2", "B/op"));
	assert_null(series_set_find(&set, "p", "BenchmarkEmpty", "ns/op"));
	assert_true(series_set_has_bench(&set, "p", "BenchmarkEmpty"));
	assert_false(series_set_has_bench(&set, "", "BenchmarkEmpty"));
	assert_true(series_set_has_unit(&set, "x/op"));
	/* Configuration and unit metadata. */
	series_set_add_config(&set, "goos", "linux");
	assert_string_equal(series_set_config(&set, "goos"), "linux");
	assert_null(series_set_config(&set, "cpu"));
	series_set_set_unit(&set, "x/op", 1, 0);
	series_set_set_unit(&set, "x/op", -1, 1);
	assert_int_equal(set.nmeta, 1);
	assert_int_equal(series_set_unit_meta(&set, "x/op")->better, -1);
	assert_true(series_set_unit_meta(&set, "x/op")->assume_exact);
	assert_null(series_set_unit_meta(&set, "ns/op"));
	series_set_release(&set);
	assert_int_equal(set.nbench, 0);
	assert_null(set.label);
}

/* Many benchmarks: the hash index keeps every lookup right as it grows. */
static void test_series_set_many(void **state)
{
	struct series_set set = SERIES_SET_INIT;

	(void)state;
	for (int rep = 0; rep < 3; rep++)
		for (int i = 0; i < 500; i++) {
			char name[64];

			snprintf(name, sizeof(name), "BenchmarkN%d", i);
			series_set_add_sample(&set, "p", name, "ns/op", i + rep);
		}
	assert_int_equal(set.nbench, 500);
	assert_int_equal(set.ns, 500);
	for (int i = 0; i < 500; i++) {
		char name[64];
		const struct series *s;

		snprintf(name, sizeof(name), "BenchmarkN%d", i);
		s = series_set_find(&set, "p", name, "ns/op");
		assert_non_null(s);
		assert_int_equal(s->n, 3);
		assert_true(s->v[2] == i + 2);
	}
	series_set_release(&set);
}

/* Eight samples per side around `center`, with a little spread. */
static void add_samples(struct series_set *set, const char *name, const char *unit,
			double center)
{
	static const double jitter[] = { -0.4, 0.1, 0.3, -0.2, 0.0, 0.2, -0.1, 0.4 };

	for (size_t i = 0; i < ARRAY_SIZE(jitter); i++)
		series_set_add_sample(set, "example.com/m", name, unit,
				      center * (1 + jitter[i] / 100));
}

/* A comparison of sets made in code: no file, no parser. */
static void test_compare_from_sets(void **state)
{
	struct series_set old = SERIES_SET_INIT, new = SERIES_SET_INIT;
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_report rep;
	const struct compare_block *b;
	const struct compare_row *r;

	(void)state;
	series_set_set_label(&old, "base");
	series_set_set_label(&new, "head");
	add_samples(&old, "BenchmarkSlow", "ns/op", 1000);
	add_samples(&new, "BenchmarkSlow", "ns/op", 1500);
	add_samples(&old, "BenchmarkSame", "ns/op", 200);
	add_samples(&new, "BenchmarkSame", "ns/op", 200);
	add_samples(&old, "BenchmarkGone", "ns/op", 5);
	add_samples(&new, "BenchmarkSlow", "widgets/op", 3);
	series_set_add_config(&old, "goos", "linux");
	series_set_add_config(&old, "cpu", "A");
	series_set_add_config(&new, "goos", "linux");
	series_set_add_config(&new, "cpu", "B");
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	assert_string_equal(rep.old_label, "base");
	assert_int_equal(rep.nblocks, 1);
	b = &rep.blocks[0];
	assert_string_equal(b->new_label, "head");
	/* Only the key with one value on both sides is common. */
	assert_int_equal(rep.ncommon, 1);
	assert_string_equal(rep.common_key[0], "goos");
	/* ns/op compared; widgets/op only in head, listed not compared. */
	assert_int_equal(b->ntables, 1);
	assert_int_equal(b->nonly_new, 1);
	assert_string_equal(b->only_new[0], "widgets/op");
	assert_int_equal(b->tables[0].nr, 3);
	r = &b->tables[0].rows[0];
	assert_string_equal(r->name, "BenchmarkSlow");
	assert_string_equal(r->pkg, "example.com/m");
	assert_int_equal(r->verdict, VERDICT_REGRESSION);
	assert_true(fabs(r->ratio - 1.5) < 0.01);
	assert_true(r->old_v == series_set_find(&old, "example.com/m", "BenchmarkSlow", "ns/op")->v);
	assert_int_equal(b->tables[0].rows[1].verdict, VERDICT_SAME);
	assert_int_equal(b->tables[0].rows[2].presence, COMPARE_REMOVED);
	/* No metadata, no convention: metric_lookup() says lower for ns/op. */
	assert_false(b->tables[0].better_meta);
	assert_true(b->tables[0].mi.better < 0);
	assert_int_equal(b->family, 2);
	assert_int_equal(rep.regressions, 1);
	assert_non_null(compare_find_row(&rep, "ns/op", "example.com/m", "BenchmarkSame"));
	assert_null(compare_find_row(&rep, "ns/op", "", "BenchmarkSame"));
	/* --confirm's downgrade keeps the counts right. */
	compare_unconfirm(&rep, &rep.blocks[0], &rep.blocks[0].tables[0].rows[0]);
	assert_int_equal(rep.regressions, 0);
	assert_int_equal(rep.blocks[0].count[VERDICT_REGRESSION], 0);
	assert_int_equal(rep.blocks[0].count[VERDICT_INCONCLUSIVE], 1);
	compare_report_release(&rep);

	/* Metadata of either side sets the direction; a head without results constrains nothing. */
	series_set_set_unit(&new, "ns/op", 1, 0);
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	assert_true(rep.blocks[0].tables[0].better_meta);
	assert_true(rep.blocks[0].tables[0].mi.better > 0);
	assert_int_equal(rep.blocks[0].tables[0].rows[0].verdict, VERDICT_IMPROVEMENT);
	compare_report_release(&rep);
	o.alpha = 1.5;
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), STATS_EINVAL);
	compare_report_release(&rep);
	series_set_release(&old);
	series_set_release(&new);
}

/* Higher is better for "Tops/op", says this made-up source; metadata overrides it. */
static int tops_higher(const char *unit)
{
	return !strcmp(unit, "Tops/op") ? 1 : 0;
}

/* The direction: metadata, else the source's convention, else metric_lookup(). */
/*
 * Units come from files as much as names do: a unit with an escape
 * sequence or bytes that are not UTF-8, gated (custom units gate) and
 * regressed, or in one file only, reaches no report raw (found by
 * tests/fuzz/fuzz_compare_files: Markdown printed both lists verbatim).
 */
static void test_hostile_units(void **state)
{
	struct series_set old = SERIES_SET_INIT, new = SERIES_SET_INIT;
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_report rep;
	struct junit_meta meta = { "base", "head", NULL, NULL, NULL, NULL };

	(void)state;
	series_set_set_label(&old, "base");
	series_set_set_label(&new, "head");
	add_samples(&old, "BenchmarkA", "ns/op", 100);
	add_samples(&new, "BenchmarkA", "ns/op", 100);
	add_samples(&old, "BenchmarkA", "x\x1b[2J\xff/op", 10);
	add_samples(&new, "BenchmarkA", "x\x1b[2J\xff/op", 20);
	add_samples(&old, "BenchmarkA", "gone\x07|/op", 1);
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	assert_int_equal(rep.regressions, 1);
	for (size_t i = 0; i < COMPARE_FORMATS_NR; i++) {
		struct buf out = BUF_INIT;

		compare_formats[i].render(&out, &rep, &meta);
		if (memchr(out.buf, '\x1b', out.len) || memchr(out.buf, '\x07', out.len) ||
		    memchr(out.buf, '\xff', out.len))
			fail_msg("%s report carries a unit raw:\n%s", compare_formats[i].name, out.buf);
		buf_release(&out);
	}
	compare_report_release(&rep);
	series_set_release(&old);
	series_set_release(&new);
}

static void test_direction(void **state)
{
	struct series_set old = SERIES_SET_INIT, new = SERIES_SET_INIT;
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_report rep;

	(void)state;
	add_samples(&old, "BenchmarkA", "Tops/op", 100);
	add_samples(&new, "BenchmarkA", "Tops/op", 150);
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	assert_true(rep.blocks[0].tables[0].mi.better < 0);
	assert_int_equal(rep.blocks[0].tables[0].rows[0].verdict, VERDICT_REGRESSION);
	compare_report_release(&rep);
	new.default_better = tops_higher;
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	assert_true(rep.blocks[0].tables[0].mi.better > 0);
	assert_false(rep.blocks[0].tables[0].better_meta);
	assert_int_equal(rep.blocks[0].tables[0].rows[0].verdict, VERDICT_IMPROVEMENT);
	compare_report_release(&rep);
	series_set_set_unit(&old, "Tops/op", -1, 0);
	assert_int_equal(compare_build(&rep, &old, &new, 1, &o), 0);
	assert_true(rep.blocks[0].tables[0].better_meta);
	assert_int_equal(rep.blocks[0].tables[0].rows[0].verdict, VERDICT_REGRESSION);
	compare_report_release(&rep);
	series_set_release(&old);
	series_set_release(&new);
}

/* ---- a Go benchmark file ----------------------------------------------- */

static void test_gb_file_series(void **state)
{
	static const char text[] =
		"goos: linux\ncpu: A\npkg: example.com/a\n"
		"Unit widgets/op better=higher assume=exact\n"
		"BenchmarkX-2 10 100 ns/op 5 widgets/op\n"
		"BenchmarkX-2 10 101 ns/op 6 widgets/op\n"
		"pkg: example.com/b\n"
		"BenchmarkX-2 10 200 ns/op\n";
	struct gb_file f = GB_FILE_INIT;
	struct series_set set = SERIES_SET_INIT;
	const struct series *s;

	(void)state;
	assert_int_equal(gb_parse(text, sizeof(text) - 1, "inline", &f), 0);
	gb_file_series(&f, "a.txt", &set);
	gb_file_release(&f);
	assert_string_equal(set.label, "a.txt");
	/* The same name in two packages is two benchmarks. */
	assert_int_equal(set.nbench, 2);
	assert_string_equal(set.bench[1].k.pkg, "example.com/b");
	assert_string_equal(set.bench[1].k.name, "BenchmarkX-2");
	s = series_set_find(&set, "example.com/a", "BenchmarkX-2", "widgets/op");
	assert_true(s && s->n == 2 && s->v[1] == 6);
	/* pkg differs between results: not file-wide; goos and cpu are. */
	assert_int_equal(set.nconfig, 2);
	assert_string_equal(set.config[0].key, "goos");
	assert_string_equal(set.config[1].value, "A");
	assert_int_equal(series_set_unit_meta(&set, "widgets/op")->better, 1);
	assert_true(set.default_better == gb_unit_default_better);
	assert_true(series_set_unit_meta(&set, "widgets/op")->assume_exact);
	series_set_release(&set);
}

/* ---- a stored run ------------------------------------------------------ */

struct tstore {
	char root[1024];
	char dir[1040];
	struct store *st;
};

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static int store_setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct tstore *t = xcalloc(1, sizeof(*t));

	snprintf(t->root, sizeof(t->root), "%s/test_series.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(t->root)) {
		free(t);
		return -1;
	}
	snprintf(t->dir, sizeof(t->dir), "%s/.perfgo", t->root);
	if (store_open(&t->st, t->dir, 1)) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int store_teardown(void **state)
{
	struct tstore *t = *state;
	int ret;

	store_close(t->st);
	ret = nftw(t->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(t);
	return ret;
}

/*
 * The former path printed values with 10 significant digits (%.10g); the
 * direct one keeps every digit.  Values the Go format carries exactly make
 * the two paths comparable byte for byte.
 */
static double ten_digits(double v)
{
	char s[64];

	snprintf(s, sizeof(s), "%.10g", v);
	return strtod(s, NULL);
}

/* One stored run: two packages or one, Go's metrics and perf's, five repetitions. */
static void store_run(struct store *st, int64_t fp_id, const char *commit, int dirty,
		      double scale, int two_pkgs, char id[33])
{
	struct run_info ri;

	memset(&ri, 0, sizeof(ri));
	ri.command = "compare base";
	ri.workdir = ".";
	ri.commit = commit;
	ri.dirty = dirty;
	ri.fingerprint_id = fp_id;
	assert_int_equal(store_run_begin(st, &ri), 0);
	for (int b = 0; b < 3; b++) {
		static const char *const names[] = { "BenchmarkA-2", "BenchmarkB/n=1-2", "BenchmarkA-2" };
		const char *pkg = b == 2 ? (two_pkgs ? "example.com/y" : NULL) : "example.com/x";
		int64_t bench;

		if (!pkg)
			continue;
		/* What its test binary printed: Go names the CPU its own way. */
		if (fp_id && b != 1) {
			assert_int_equal(store_add_go_config(st, ri.id, pkg, "goos", "linux"), 0);
			assert_int_equal(store_add_go_config(st, ri.id, pkg, "goarch", "amd64"), 0);
			assert_int_equal(store_add_go_config(st, ri.id, pkg, "pkg", pkg), 0);
			assert_int_equal(store_add_go_config(st, ri.id, pkg, "cpu", "AMD EPYC 7B13"), 0);
		}
		assert_int_equal(store_benchmark_id(st, pkg, names[b], &bench), 0);
		for (int rep = 0; rep < 5; rep++) {
			double v = ten_digits((1000.25 + 3 * rep + 100 * b) * (b == 0 ? scale : 1.0));
			struct sample_row rows[] = {
				{ bench, "ns/op", "ns", rep, 1000, v, 1.0, SAMPLE_GO },
				{ bench, "B/op", "B", rep, 1000, 64, 1.0, SAMPLE_GO },
				{ bench, "task-clock-ns/op", "ns", rep, 1000, ten_digits(v * 0.99), 1.0, 0 },
				{ bench, "page-faults/op", "count", rep, 1000,
				  ten_digits(0.00125 * (rep - 1)), 1.0, 0 },
				{ bench, "IPC", "ratio", rep, 1000, ten_digits(1.5 + 0.01 * rep / scale),
				  0.75, SAMPLE_DERIVED | SAMPLE_MULTIPLEXED },
			};

			assert_int_equal(store_add_samples(st, ri.id, rows, ARRAY_SIZE(rows)), 0);
		}
	}
	assert_int_equal(store_run_finish(st, ri.id, RUN_OK, 0, 0), 0);
	memcpy(id, ri.id, 33);
}

/* The former path: the run in Go benchmark format, parsed back. */
static void series_by_text(struct store *st, const char *id, const char *label,
			   struct series_set *out)
{
	struct run_row row = { 0 };
	struct sample_list sl = SAMPLE_LIST_INIT;
	struct run_extras x = { 0 };
	struct stat_run r;
	struct gb_file f = GB_FILE_INIT;
	struct buf text = BUF_INIT;

	assert_int_equal(store_find_run(st, id, &row, NULL), 0);
	assert_int_equal(store_run_samples(st, id, &sl), 0);
	assert_int_equal(store_run_extras(st, &row, &x), 0);
	stat_run_from_store(&r, &row, &sl, &x);
	stat_report_gobench(&text, &r);
	assert_int_equal(gb_parse(text.buf, text.len, id, &f), 0);
	gb_file_series(&f, label, out);
	gb_file_release(&f);
	buf_release(&text);
	stat_run_release(&r);
	run_row_release(&row);
	sample_list_release(&sl);
	run_extras_release(&x);
}

/* Every format of old vs new, one after the other. */
static void render_all(const struct series_set *old, const struct series_set *new,
		       struct buf *out)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_report rep;
	struct junit_meta meta = { "base", "head", NULL, NULL, NULL, NULL };

	assert_int_equal(compare_build(&rep, old, new, 1, &o), 0);
	for (size_t i = 0; i < COMPARE_FORMATS_NR; i++)
		compare_formats[i].render(out, &rep, &meta);
	compare_report_release(&rep);
}

static void check_same_reports(struct store *st, const char *a, const char *b)
{
	struct series_set direct[2] = { SERIES_SET_INIT, SERIES_SET_INIT };
	struct series_set text[2] = { SERIES_SET_INIT, SERIES_SET_INIT };
	struct buf want = BUF_INIT, got = BUF_INIT;

	series_by_text(st, a, "base", &text[0]);
	series_by_text(st, b, "head", &text[1]);
	assert_int_equal(store_run_series(st, a, "base", &direct[0]), 0);
	assert_int_equal(store_run_series(st, b, "head", &direct[1]), 0);
	render_all(&text[0], &text[1], &want);
	render_all(&direct[0], &direct[1], &got);
	if (strcmp(want.buf, got.buf)) {
		size_t i = 0;

		while (want.buf[i] == got.buf[i])
			i++;
		fail_msg("direct and text paths differ at byte %zu:\n%.300s\n--- direct:\n%.300s",
			 i, want.buf + i, got.buf + i);
	}
	for (int i = 0; i < 2; i++) {
		series_set_release(&direct[i]);
		series_set_release(&text[i]);
	}
	buf_release(&want);
	buf_release(&got);
}

static void test_store_series(void **state)
{
	struct tstore *t = *state;
	struct fingerprint fp = { 0 };
	struct series_set set = SERIES_SET_INIT;
	char a[33], b[33], c[33], d[33];
	int64_t fp_id;

	fp.host = (char *)"vm";
	fp.cpu_model = (char *)"AMD EPYC  ";
	fp.cores = 2;
	fp.goos = (char *)"linux";
	fp.goarch = (char *)"amd64";
	fp.gomaxprocs = 2;
	assert_int_equal(store_fingerprint(t->st, &fp, &fp_id), 0);
	store_run(t->st, fp_id, "0123456789abcdef0123456789abcdef01234567", 0, 1.0, 1, a);
	store_run(t->st, fp_id, "fedcba9876543210fedcba9876543210fedcba98", 1, 1.3, 1, b);
	store_run(t->st, 0, NULL, 0, 1.0, 0, c);
	store_run(t->st, 0, NULL, 0, 1.3, 0, d);

	/* What the direct path reads. */
	assert_int_equal(store_run_series(t->st, a, "base", &set), 0);
	assert_string_equal(set.label, "base");
	assert_int_equal(set.nbench, 3);
	assert_int_equal(set.bench[2].k.pkg[12], 'y');
	assert_int_equal(series_set_find(&set, "example.com/x", "BenchmarkA-2", "IPC")->n, 5);
	/* The test binaries' lines both packages share; the commit is no key. */
	assert_int_equal(set.nconfig, 3);
	assert_string_equal(series_set_config(&set, "goos"), "linux");
	assert_string_equal(series_set_config(&set, "cpu"), "AMD EPYC 7B13");
	assert_null(series_set_config(&set, "commit"));
	assert_null(series_set_config(&set, "pkg"));
	assert_int_equal(series_set_unit_meta(&set, "IPC")->better, 1);
	assert_int_equal(series_set_unit_meta(&set, "page-faults/op")->better, -1);
	assert_null(series_set_unit_meta(&set, "ns/op"));
	series_set_release(&set);
	assert_int_equal(store_run_series(t->st, c, "one package", &set), 0);
	assert_string_equal(series_set_config(&set, "pkg"), "example.com/x");
	assert_null(series_set_config(&set, "goos"));
	series_set_release(&set);
	assert_int_equal(store_run_series(t->st, "ffff", "none", &set), PG_ENOTFOUND);
	series_set_release(&set);

	/* The same reports, byte for byte, as through the text format. */
	check_same_reports(t->st, a, b);
	check_same_reports(t->st, c, d);
	check_same_reports(t->st, a, d);
}

/* ---- the format table -------------------------------------------------- */

static void test_format_table(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	compare_format_names(&b);
	assert_string_equal(b.buf, "text, markdown, json or junit");
	assert_ptr_equal(compare_format_find("json"), &compare_formats[COMPARE_FORMAT_JSON]);
	assert_null(compare_format_find("xml"));
	assert_null(compare_formats[COMPARE_FORMAT_TEXT].file_option);
	assert_string_equal(compare_formats[COMPARE_FORMAT_JUNIT].saved_as, "junit.xml");
	for (size_t i = 0; i < COMPARE_FORMATS_NR; i++) {
		assert_non_null(compare_formats[i].render);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(compare_formats[i].saved_as,
						compare_formats[j].saved_as);
	}
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_series_set_grouping),
		cmocka_unit_test(test_series_set_many),
		cmocka_unit_test(test_compare_from_sets),
		cmocka_unit_test(test_hostile_units),
		cmocka_unit_test(test_direction),
		cmocka_unit_test(test_gb_file_series),
		cmocka_unit_test_setup_teardown(test_store_series, store_setup, store_teardown),
		cmocka_unit_test(test_format_table),
	};

	return cmocka_run_group_tests_name("series", tests, NULL, NULL);
}
