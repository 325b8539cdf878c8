#ifndef PERFGO_TEST_COMPARE_FIXTURE_H
#define PERFGO_TEST_COMPARE_FIXTURE_H

/*
 * The fixtures of the tests of perfgo compare on files (test_compare_*.c):
 * reading and parsing inputs, building a comparison under given options,
 * finding its tables, rows and verdicts, and golden outputs (UPDATE_GOLDEN=1
 * rewrites them).  Include it after the test's includes (cmocka, common.h,
 * analysis/compare.h, collect/gobench.h).
 */

#define DATA "tests/data/compare/"

static inline void load(const char *path, struct gb_file *f)
{
	struct buf b = BUF_INIT;

	if (buf_read_file(&b, path, 0) < 0)
		fail_msg("cannot read '%s' (run from the repository root)", path);
	assert_int_equal(gb_parse(b.buf, b.len, path, f), 0);
	buf_release(&b);
}

static inline void parse_text(const char *text, struct gb_file *f)
{
	assert_int_equal(gb_parse(text, strlen(text), "inline", f), 0);
}

/* The series sets of the last build(), which its report borrows from. */
static struct series_set sets[3];

/*
 * Compare old with one or two files under the default options, or `o`,
 * labelled old.txt, new.txt and slow.txt; release with done().
 */
static inline void build(struct compare_report *rep, const struct gb_file *old,
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

static inline void done(struct compare_report *rep)
{
	compare_report_release(rep);
	for (size_t i = 0; i < ARRAY_SIZE(sets); i++)
		series_set_release(&sets[i]);
}

static inline const struct compare_table *find_table(const struct compare_block *b,
						     const char *unit)
{
	for (size_t i = 0; i < b->ntables; i++)
		if (!strcmp(b->tables[i].unit, unit))
			return &b->tables[i];
	return NULL;
}

static inline const struct compare_row *find_row(const struct compare_block *b, const char *unit,
				      const char *name)
{
	const struct compare_table *t = find_table(b, unit);

	for (size_t i = 0; t && i < t->nr; i++)
		if (!strcmp(t->rows[i].name, name))
			return &t->rows[i];
	fail_msg("no row '%s' in unit '%s'", name, unit);
	return NULL;
}

static inline void assert_verdict(const struct compare_block *b, const char *unit, const char *name,
				  enum verdict want)
{
	const struct compare_row *r = find_row(b, unit, name);

	if (r->verdict != want)
		fail_msg("%s %s: verdict '%s', want '%s' (ratio %g [%g, %g], p_adj %g)", name, unit,
			 verdict_name(r->verdict), verdict_name(want), r->ratio, r->lo, r->hi,
			 r->p_adj);
}

/* Equal to the golden file, or (UPDATE_GOLDEN=1) rewrite it. */
static inline void check_golden(const char *name, const struct buf *got)
{
	struct buf path = BUF_INIT;

	buf_addf(&path, DATA "%s", name);
	check_golden_file(path.buf, got);
	buf_release(&path);
}

#endif
