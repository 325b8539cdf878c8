/*
 * stats/ against R: every expected value comes from the tables in
 * tests/data/stats/, made by make_mwu_reference.R with R's wilcox.test(),
 * p.adjust(), pnorm/qnorm/pt/qt.  Nothing expected is written in this
 * file.  Agreement is required to 1e-9 relative.
 *
 * The tables are found in $PERFGO_STATS_DATA, or next to this source
 * file (tests/data/stats/ seen from tests/unit/), which works when the
 * tests run from the repository root as `make unit` does.
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

#include "stats.h"

#define REL 1e-9
#define MAX_FIELDS 16
#define MAX_VALUES 1024

static const char *data_dir(char *buf, size_t size)
{
	const char *env = getenv("PERFGO_STATS_DATA");
	const char *slash = strrchr(__FILE__, '/');
	int n;

	if (env && *env)
		return env;
	n = snprintf(buf, size, "%.*s/../data/stats",
		     slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
	assert_true(n > 0 && (size_t)n < size);
	return buf;
}

/* One TSV table: rows of tab-separated fields, header skipped. */
struct table {
	FILE *f;
	char *line;
	size_t cap;
	char *field[MAX_FIELDS];
	int nfields;
	int rows;
};

static void table_open(struct table *t, const char *name)
{
	char dir[4096], path[4200];
	int n = snprintf(path, sizeof(path), "%s/%s", data_dir(dir, sizeof(dir)), name);

	assert_true(n > 0 && (size_t)n < sizeof(path));
	memset(t, 0, sizeof(*t));
	t->f = fopen(path, "r");
	if (!t->f)
		fail_msg("cannot open reference table '%s'", path);
	/* Header. */
	assert_true(getline(&t->line, &t->cap, t->f) > 0);
}

static int table_next(struct table *t)
{
	ssize_t len = getline(&t->line, &t->cap, t->f);
	char *p;

	if (len <= 0)
		return 0;
	if (t->line[len - 1] == '\n')
		t->line[--len] = '\0';
	t->nfields = 0;
	p = t->line;
	while (p && t->nfields < MAX_FIELDS) {
		char *tab = strchr(p, '\t');

		t->field[t->nfields++] = p;
		if (tab)
			*tab++ = '\0';
		p = tab;
	}
	t->rows++;
	return 1;
}

static void table_close(struct table *t)
{
	fclose(t->f);
	free(t->line);
}

static double num(const char *s)
{
	char *end;
	double v;

	if (!strcmp(s, "NA") || !strcmp(s, "NaN"))
		return NAN;
	if (!strcmp(s, "Inf"))
		return INFINITY;
	if (!strcmp(s, "-Inf"))
		return -INFINITY;
	v = strtod(s, &end);
	if (end == s || *end)
		fail_msg("bad number '%s' in reference table", s);
	return v;
}

/* Parse "a,b,c" into v[]; returns the count. */
static size_t list(const char *s, double *v)
{
	size_t n = 0;
	char buf[64];

	while (*s) {
		size_t len = strcspn(s, ",");

		assert_true(len < sizeof(buf) && n < MAX_VALUES);
		memcpy(buf, s, len);
		buf[len] = '\0';
		v[n++] = num(buf);
		s += len;
		if (*s == ',')
			s++;
	}
	return n;
}

static void check_close(const char *what, const char *name, double got, double want)
{
	double scale = fmax(fabs(got), fabs(want));

	if (isnan(got) && isnan(want))
		return;
	if (got == want)
		return;
	if (!(fabs(got - want) <= REL * scale))
		fail_msg("%s: %s = %.17g, R says %.17g (rel %.3g)", name, what, got, want,
			 fabs(got - want) / scale);
}

static void check_mwu(const char *name, const char *field[], enum mwu_method m,
		enum mwu_used want_used, const double *x, size_t nx, const double *y, size_t ny)
{
	struct mwu_result r;

	assert_int_equal(mwu_test(x, nx, y, ny, m, &r), 0);
	if (r.used != want_used)
		fail_msg("%s: method %d used, expected %d", name, r.used, want_used);
	check_close("W", name, r.w, num(field[4]));
	check_close("p two-sided", name, r.p_two, num(field[5]));
	check_close("p less", name, r.p_less, num(field[6]));
	check_close("p greater", name, r.p_greater, num(field[7]));
}

static void test_mwu_reference(void **state)
{
	static double x[MAX_VALUES], y[MAX_VALUES];
	int nexact = 0, nnormal = 0, nties = 0, nauto = 0;
	struct table t;

	(void)state;
	table_open(&t, "mwu_reference.tsv");
	while (table_next(&t)) {
		const char *name = t.field[0], *method = t.field[1];
		size_t nx, ny;
		struct mwu_result a;
		enum mwu_used want;

		assert_int_equal(t.nfields, 8);
		nx = list(t.field[2], x);
		ny = list(t.field[3], y);
		if (!strcmp(method, "exact")) {
			want = MWU_USED_EXACT;
			check_mwu(name, (const char **)t.field, MWU_EXACT, want, x, nx, y, ny);
			nexact++;
		} else if (!strcmp(method, "normal")) {
			want = MWU_USED_NORMAL;
			check_mwu(name, (const char **)t.field, MWU_NORMAL, want, x, nx, y, ny);
			nnormal++;
		} else {
			assert_string_equal(method, "exact_ties");
			want = MWU_USED_EXACT_TIES;
			check_mwu(name, (const char **)t.field, MWU_EXACT, want, x, nx, y, ny);
			nties++;
		}
		/* Where the default picks the same method, it must agree too. */
		assert_int_equal(mwu_test(x, nx, y, ny, MWU_AUTO, &a), 0);
		if (a.used == want) {
			check_mwu(name, (const char **)t.field, MWU_AUTO, want, x, nx, y, ny);
			nauto++;
		}
	}
	table_close(&t);
	print_message("mwu: %d exact, %d normal, %d exact with ties; default agreed on %d\n",
		      nexact, nnormal, nties, nauto);
	assert_true(nexact + nnormal + nties >= 50);
	assert_true(nexact >= 20 && nnormal >= 15 && nties >= 5);
	assert_true(nauto >= 40);
}

static void test_hl_reference(void **state)
{
	static double x[MAX_VALUES], y[MAX_VALUES];
	struct table t;
	int n = 0;

	(void)state;
	table_open(&t, "hl_reference.tsv");
	while (table_next(&t)) {
		const char *name = t.field[0];
		double conf, est, lo, hi, achieved;
		size_t nx, ny;

		assert_int_equal(t.nfields, 8);
		conf = num(t.field[2]);
		nx = list(t.field[3], x);
		ny = list(t.field[4], y);
		if (!strcmp(t.field[1], "raw")) {
			assert_int_equal(hl_shift(x, nx, y, ny, conf, &est, &lo, &hi, &achieved), 0);
			check_close("estimate", name, est, num(t.field[5]));
			check_close("ci lo", name, lo, num(t.field[6]));
			check_close("ci hi", name, hi, num(t.field[7]));
		} else {
			/* x is head, y is base: the ratio head/base is exp() of R's shift. */
			struct effect_opts o = EFFECT_OPTS_INIT;
			struct effect e;

			o.method = EFFECT_HL_LOG;
			o.conf = conf;
			assert_int_equal(effect_estimate(y, ny, x, nx, &o, &e), 0);
			assert_int_equal(e.used, EFFECT_HL_LOG);
			check_close("ratio estimate", name, e.center, exp(num(t.field[5])));
			check_close("ratio ci lo", name, e.lo, exp(num(t.field[6])));
			check_close("ratio ci hi", name, e.hi, exp(num(t.field[7])));
			assert_true(e.lo <= e.center && e.center <= e.hi);
		}
		n++;
	}
	table_close(&t);
	assert_true(n >= 10);
}

static void test_padj_reference(void **state)
{
	static double p[MAX_VALUES], want[MAX_VALUES], got[MAX_VALUES];
	struct table t;
	int n = 0;

	(void)state;
	table_open(&t, "padj_reference.tsv");
	while (table_next(&t)) {
		size_t np = list(t.field[2], p), nw = list(t.field[3], want);

		assert_int_equal(np, nw);
		if (!strcmp(t.field[1], "holm"))
			assert_int_equal(padj_holm(p, np, got), 0);
		else
			assert_int_equal(padj_bh(p, np, got), 0);
		for (size_t i = 0; i < np; i++)
			check_close(t.field[1], t.field[0], got[i], want[i]);
		/* In place gives the same answer. */
		if (!strcmp(t.field[1], "holm"))
			assert_int_equal(padj_holm(p, np, p), 0);
		else
			assert_int_equal(padj_bh(p, np, p), 0);
		for (size_t i = 0; i < np; i++)
			check_close("in place", t.field[0], p[i], want[i]);
		n++;
	}
	table_close(&t);
	assert_true(n >= 10);
}

static void test_dist_reference(void **state)
{
	struct table t;
	int n = 0;

	(void)state;
	table_open(&t, "dist_reference.tsv");
	while (table_next(&t)) {
		const char *fn = t.field[0];
		double a = num(t.field[1]), b = num(t.field[2]), want = num(t.field[3]), got;
		char name[96];

		snprintf(name, sizeof(name), "%s(%s, %s)", fn, t.field[1], t.field[2]);
		if (!strcmp(fn, "pnorm"))
			got = norm_cdf(a);
		else if (!strcmp(fn, "qnorm"))
			got = norm_quantile(a);
		else if (!strcmp(fn, "pt"))
			got = t_cdf(a, b);
		else
			got = t_quantile(a, b);
		check_close("value", name, got, want);
		n++;
	}
	table_close(&t);
	assert_true(n >= 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mwu_reference),
		cmocka_unit_test(test_hl_reference),
		cmocka_unit_test(test_padj_reference),
		cmocka_unit_test(test_dist_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
