#ifndef PERFGO_TEST_GOBENCH_FIXTURE_H
#define PERFGO_TEST_GOBENCH_FIXTURE_H

/*
 * The fixtures of the Go benchmark parser's tests (test_gobench_*.c):
 * parsing a file of tests/data/gobench/ (read by relative path: run from the
 * repository root) and a result's value in a unit.  Include it after the
 * test's includes (cmocka, common.h, collect/gobench.h).
 */

#define DATA "tests/data/gobench/"

static inline int parse_fixture(const char *file, struct gb_file *f)
{
	struct buf b = BUF_INIT;
	char path[256];
	int ret;

	snprintf(path, sizeof(path), DATA "%s", file);
	read_fixture(&b, path);
	ret = gb_parse(b.buf, b.len, file, f);
	buf_release(&b);
	return ret;
}

static inline const struct gb_value *value_of(const struct gb_result *r, const char *unit)
{
	for (size_t i = 0; i < r->nvalues; i++)
		if (!strcmp(r->values[i].unit, unit))
			return &r->values[i];
	fail_msg("%s has no value in '%s'", r->name, unit);
	return NULL;
}

#endif
