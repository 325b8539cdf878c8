/*
 * Unit tests for harness/util/parse.c (strict number parsing).  Fixtures:
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

/* ---- parse ----------------------------------------------------------- */

static void test_parse_i64(void **state)
{
	static const struct { const char *s; int ok; int64_t v; } t[] = {
		{ "0", 1, 0 }, { "42", 1, 42 }, { "-1", 1, -1 }, { "+5", 1, 5 },
		{ "007", 1, 7 },
		{ "9223372036854775807", 1, INT64_MAX },
		{ "-9223372036854775808", 1, INT64_MIN },
		{ "9223372036854775808", 0, 0 },
		{ "-9223372036854775809", 0, 0 },
		{ "99999999999999999999999", 0, 0 },
		{ "", 0, 0 }, { " 1", 0, 0 }, { "\t1", 0, 0 }, { "\n1", 0, 0 }, { "1 ", 0, 0 },
		{ "1x", 0, 0 }, { "x1", 0, 0 }, { "0x10", 0, 0 }, { "1e3", 0, 0 }, { "1.0", 0, 0 },
		{ "1,000", 0, 0 }, { "-", 0, 0 }, { "+", 0, 0 }, { "--1", 0, 0 }, { "+-1", 0, 0 },
		{ "1_000", 0, 0 }, { "nan", 0, 0 }, { "inf", 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		int64_t v = 12345;
		int ret = parse_i64(t[i].s, &v);

		if (t[i].ok && (ret || v != t[i].v))
			fail_msg("parse_i64('%s'): ret %d value %lld, want %lld", t[i].s, ret,
				 (long long)v, (long long)t[i].v);
		if (!t[i].ok && (ret != PG_EPARSE || v != 12345))
			fail_msg("parse_i64('%s'): ret %d value %lld, want PG_EPARSE and untouched",
				 t[i].s, ret, (long long)v);
	}
}

static void test_parse_u64(void **state)
{
	static const struct { const char *s; int ok; uint64_t v; } t[] = {
		{ "0", 1, 0 }, { "42", 1, 42 },
		{ "18446744073709551615", 1, UINT64_MAX },
		{ "18446744073709551616", 0, 0 },
		{ "-1", 0, 0 }, { "-0", 0, 0 }, { "+1", 0, 0 }, { "", 0, 0 }, { " 1", 0, 0 },
		{ "1 ", 0, 0 }, { "1x", 0, 0 }, { "0x10", 0, 0 }, { "1.5", 0, 0 }, { "1,5", 0, 0 },
		{ "1e3", 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		uint64_t v = 12345;
		int ret = parse_u64(t[i].s, &v);

		if (t[i].ok && (ret || v != t[i].v))
			fail_msg("parse_u64('%s'): ret %d value %llu", t[i].s, ret,
				 (unsigned long long)v);
		if (!t[i].ok && (ret != PG_EPARSE || v != 12345))
			fail_msg("parse_u64('%s'): ret %d value %llu, want PG_EPARSE and untouched",
				 t[i].s, ret, (unsigned long long)v);
	}
}

static void test_parse_int(void **state)
{
	static const struct { const char *s; int ok; int v; } t[] = {
		{ "0", 1, 0 }, { "-17", 1, -17 },
		{ "2147483647", 1, INT_MAX }, { "-2147483648", 1, INT_MIN },
		{ "2147483648", 0, 0 }, { "-2147483649", 0, 0 },
		{ "9223372036854775807", 0, 0 }, { "", 0, 0 }, { " 3", 0, 0 }, { "3 ", 0, 0 },
		{ "3.0", 0, 0 }, { "3,0", 0, 0 }, { "x", 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		int v = 12345;
		int ret = parse_int(t[i].s, &v);

		if (t[i].ok && (ret || v != t[i].v))
			fail_msg("parse_int('%s'): ret %d value %d", t[i].s, ret, v);
		if (!t[i].ok && (ret != PG_EPARSE || v != 12345))
			fail_msg("parse_int('%s'): ret %d value %d, want PG_EPARSE and untouched",
				 t[i].s, ret, v);
	}
}

static void test_parse_double(void **state)
{
	static const struct { const char *s; int ok; double v; } t[] = {
		{ "0", 1, 0 }, { "1.5", 1, 1.5 }, { "-0.25", 1, -0.25 }, { "+2", 1, 2 },
		{ "1e3", 1, 1000 }, { "1E-3", 1, 0.001 }, { ".5", 1, 0.5 }, { "5.", 1, 5 },
		{ "31914.61", 1, 31914.61 }, { "1.7976931348623157e308", 1, 1.7976931348623157e308 },
		{ "1e309", 0, 0 }, { "-1e309", 0, 0 },
		{ "nan", 0, 0 }, { "NaN", 0, 0 }, { "-nan", 0, 0 }, { "nan(0x1)", 0, 0 },
		{ "inf", 0, 0 }, { "-inf", 0, 0 }, { "Infinity", 0, 0 }, { "INF", 0, 0 },
		{ "", 0, 0 }, { " 1.5", 0, 0 }, { "\t1.5", 0, 0 }, { "1.5 ", 0, 0 },
		{ "1,5", 0, 0 }, { "1.5.1", 0, 0 }, { "1.5x", 0, 0 }, { "x", 0, 0 }, { ".", 0, 0 },
		{ "-", 0, 0 }, { "e3", 0, 0 }, { "1e", 0, 0 }, { "1,234.5", 0, 0 }, { "1 000", 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		double v = 12345;
		int ret = parse_double(t[i].s, &v);

		if (t[i].ok && (ret || v != t[i].v))
			fail_msg("parse_double('%s'): ret %d value %.17g", t[i].s, ret, v);
		if (!t[i].ok && (ret != PG_EPARSE || v != 12345))
			fail_msg("parse_double('%s'): ret %d value %.17g, want PG_EPARSE and untouched",
				 t[i].s, ret, v);
	}
}

static void test_parse_double_n(void **state)
{
	char longnum[200];
	double v = 0;

	(void)state;
	assert_int_equal(parse_double_n("1.5xyz", 3, &v), 0);
	assert_true(v == 1.5);
	assert_int_equal(parse_double_n("12,34", 2, &v), 0);
	assert_true(v == 12);
	assert_int_equal(parse_double_n("1.5xyz", 4, &v), PG_EPARSE);
	assert_int_equal(parse_double_n("1.5", 0, &v), PG_EPARSE);
	assert_int_equal(parse_double_n("nan", 3, &v), PG_EPARSE);
	assert_int_equal(parse_double_n("1,5", 3, &v), PG_EPARSE);
	/* Longer than the internal copy: refused, not truncated. */
	memset(longnum, '1', sizeof(longnum) - 1);
	longnum[sizeof(longnum) - 1] = '\0';
	v = 7;
	assert_int_equal(parse_double_n(longnum, 150, &v), PG_EPARSE);
	assert_true(v == 7);
	assert_int_equal(parse_double_n(longnum, 127, &v), 0);
	assert_true(v > 1.1e126 && v < 1.2e126);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_i64, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_u64, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_int, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_double, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_double_n, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
