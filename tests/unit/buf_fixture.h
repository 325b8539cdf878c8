#ifndef PERFGO_TEST_BUF_FIXTURE_H
#define PERFGO_TEST_BUF_FIXTURE_H

/*
 * The fixtures of the string-helper tests (test_buf.c, test_strvec.c,
 * test_quote.c, test_parse.c): capture, and a mkdtemp directory under
 * $TMPDIR for file tests, removed afterwards.  Include it after the test's
 * includes (cmocka, common.h).
 */

/* A private directory for file tests. */
static char tmpdir[PATH_MAX];

static inline int setup(void **state)
{
	(void)state;
	capture_start();
	return tmpdir_make(tmpdir, sizeof(tmpdir), "test_buf");
}

static inline int teardown(void **state)
{
	(void)state;
	capture_stop();
	return rm_rf(tmpdir);
}

#endif
