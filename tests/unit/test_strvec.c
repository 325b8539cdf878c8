/*
 * Unit tests for harness/util/strvec.c (argv vectors).  Fixtures:
 * buf_fixture.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "common.h"
#include "util/buf.h"
#include "util/io.h"
#include "util/parse.h"
#include "util/quote.h"
#include "util/strvec.h"
#include "util/usage.h"
#include "buf_fixture.h"

/* ---- strvec ---------------------------------------------------------- */

static void test_strvec_basics(void **state)
{
	struct strvec sv = STRVEC_INIT;
	char word[] = "perf";
	const char *p;

	(void)state;
	assert_non_null(sv.v);
	assert_null(sv.v[0]);
	assert_int_equal(sv.nr, 0);
	p = strvec_push(&sv, word);
	assert_ptr_equal(p, sv.v[0]);
	assert_ptr_not_equal(p, word);
	word[0] = 'X';                  /* the vector holds a copy */
	assert_string_equal(sv.v[0], "perf");
	p = strvec_pushf(&sv, "-%s=%d", "count", 3);
	assert_string_equal(p, "-count=3");
	assert_ptr_equal(p, sv.v[1]);
	strvec_pushl(&sv, "a", "", "c", NULL);
	{
		const char *more[] = { "d", "e", NULL };

		strvec_pushv(&sv, more);
	}
	assert_int_equal(sv.nr, 7);
	assert_string_equal(sv.v[2], "a");
	assert_string_equal(sv.v[3], "");
	assert_string_equal(sv.v[6], "e");
	assert_null(sv.v[7]);
	strvec_clear(&sv);
	assert_int_equal(sv.nr, 0);
	assert_non_null(sv.v);
	assert_null(sv.v[0]);
	strvec_push(&sv, "reuse");
	assert_string_equal(sv.v[0], "reuse");
	strvec_clear(&sv);
	strvec_clear(&sv);
}

static void test_strvec_pop_find(void **state)
{
	struct strvec sv = STRVEC_INIT;

	(void)state;
	strvec_pop(&sv);                 /* empty: a no-op */
	assert_int_equal(sv.nr, 0);
	strvec_pushl(&sv, "a", "b", "a", "c", NULL);
	assert_int_equal(strvec_find(&sv, "a"), 0);
	assert_int_equal(strvec_find(&sv, "b"), 1);
	assert_int_equal(strvec_find(&sv, "c"), 3);
	assert_int_equal(strvec_find(&sv, "d"), -1);
	assert_int_equal(strvec_find(&sv, ""), -1);
	assert_int_equal(strvec_find(&sv, "A"), -1);
	strvec_pop(&sv);
	assert_int_equal(sv.nr, 3);
	assert_null(sv.v[3]);
	assert_int_equal(strvec_find(&sv, "c"), -1);
	strvec_pop(&sv);
	strvec_pop(&sv);
	strvec_pop(&sv);
	assert_int_equal(sv.nr, 0);
	assert_null(sv.v[0]);
	strvec_pop(&sv);
	assert_int_equal(sv.nr, 0);
	strvec_push(&sv, "again");
	assert_int_equal(strvec_find(&sv, "again"), 0);
	strvec_clear(&sv);
	assert_int_equal(strvec_find(&sv, "again"), -1);
}

static void test_strvec_many(void **state)
{
	struct strvec sv = STRVEC_INIT;

	(void)state;
	for (int i = 0; i < 5000; i++)
		strvec_pushf(&sv, "w%d", i);
	assert_int_equal(sv.nr, 5000);
	assert_null(sv.v[5000]);
	assert_true(sv.alloc >= 5001);
	for (int i = 0; i < 5000; i += 499) {
		char w[16];

		snprintf(w, sizeof(w), "w%d", i);
		assert_string_equal(sv.v[i], w);
		assert_int_equal(strvec_find(&sv, w), i);
	}
	strvec_clear(&sv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_strvec_basics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strvec_pop_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strvec_many, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
