/*
 * Unit tests for harness/cli/testargs.c, the `perfgo test` argument grammar:
 * the words after -args, reusing a released struct, and -count auto
 * (testargs_fixture.h).
 */
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
#include "cli/testargs.h"
#include "util/usage.h"
#include "testargs_fixture.h"

/* ---- -args ------------------------------------------------------------ */

static const struct tcase args_cases[] = {
	{ "args verbatim", { ".", "-bench=.", "-args", "-x", "y", "-bench=ignored", "--",
	  "-json", "./sub", NULL }, 0, .packages = ".", .test = "-test.bench=.",
	  .args = "-x|y|-bench=ignored|--|-json|./sub", .bench = "." },
	{ "double dash args", { ".", "--args", "-count=0", NULL }, 0, .packages = ".",
	  .args = "-count=0" },
	{ "args right after package", { "./...", "-args", "a", NULL }, 0, .packages = "./...",
	  .args = "a" },
	{ "args empty", { ".", "-race", "-args", NULL }, 0, .packages = ".", .build = "-race" },
	{ "args as a value", { ".", "-run", "-args", "-v", NULL }, 0, .packages = ".",
	  .test = "-test.run=-args|-test.v", .run = "-args", .verbose = 1 },
	{ "args keeps empty words", { ".", "-args", "", " ", NULL }, 0, .packages = ".",
	  .args = "| " },
};

static void test_args(void **state)
{
	(void)state;
	run_table(args_cases, ARRAY_SIZE(args_cases));
}

/* A released struct is empty again and can be reused. */
static void test_release_reuse(void **state)
{
	const char *a1[] = { "./a", "-race", "-bench=X", "-count=2", "-args", "z", NULL };
	const char *a2[] = { ".", NULL };
	struct testargs ta;

	(void)state;
	testargs_init(&ta);
	assert_int_equal(testargs_parse(&ta, argv_count(a1), a1), 0);
	assert_string_equal(ta.bench, "X");
	testargs_release(&ta);
	assert_int_equal(ta.packages.nr + ta.build.nr + ta.test.nr + ta.extra.nr + ta.args.nr, 0);
	assert_null(ta.bench);
	assert_int_equal(ta.count, 0);
	assert_int_equal(testargs_parse(&ta, argv_count(a2), a2), 0);
	assert_int_equal(ta.packages.nr, 1);
	assert_string_equal(ta.packages.v[0], ".");
	assert_null(ta.packages.v[1]);
	assert_null(ta.bench);
	assert_int_equal(ta.count, 0);
	testargs_release(&ta);
}

/* -count auto: only where the command allows it (compare on revisions); -count N replaces it. */
static void test_count_auto(void **state)
{
	const char *a1[] = { ".", "-count", "auto", NULL };
	const char *a2[] = { ".", "-count=auto", "-count=4", NULL };
	struct testargs ta;

	(void)state;
	testargs_init(&ta);
	assert_int_equal(testargs_parse(&ta, argv_count(a1), a1), PG_EUSAGE);
	testargs_release(&ta);
	ta.count_auto_ok = 1;
	assert_int_equal(testargs_parse(&ta, argv_count(a1), a1), 0);
	assert_int_equal(ta.count_auto, 1);
	assert_int_equal(ta.count, 0);
	testargs_release(&ta);
	ta.count_auto_ok = 1;
	assert_int_equal(testargs_parse(&ta, argv_count(a2), a2), 0);
	assert_int_equal(ta.count_auto, 0);
	assert_int_equal(ta.count, 4);
	testargs_release(&ta);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_args, setup, teardown_capture),
		cmocka_unit_test_setup_teardown(test_release_reuse, setup, teardown_capture),
		cmocka_unit_test_setup_teardown(test_count_auto, setup, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
